"""Benchmark `djp enrich` at catalogue scale against the fake GitHub and PyPI.

    python benchmarks/enrich_bench.py [--packages 5000] [--latency 0.05] [--runs 1]
                                      [--series history|participation] [--concurrency 8]

Generates N packages (every one on GitHub, 80 % on PyPI; a third of the repositories
inactive for a year, the rest with a few commits a week), starts the fake servers of
the tests in this process with `--latency` seconds added to every request, and runs
`djp enrich` in a subprocess twice: a first night (nothing cached) and a second night
(nothing changed). Prints, per night, the median over `--runs` of wall time, requests
per package, GraphQL points, GitHub REST requests and PyPI requests (and 304s).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import yaml  # noqa: E402

from tests.helpers.fakes import FakeGitHub, FakePyPI, Repo, fixture, make_commits  # noqa: E402


def generate(root: Path, github: FakeGitHub, pypi: FakePyPI, count: int) -> None:
    """A content tree of `count` packages and their repositories on the fake hosts."""
    rng = random.Random(1)
    now = datetime.now(UTC)
    body = fixture("pypi/django-crispy-forms.json")
    for kind in ("packages", "categories", "grids"):
        (root / kind).mkdir(parents=True)
    site = {"site_url": "https://example.org/", "title": "Bench", "repository": "a/b"}
    (root / "site.yaml").write_text(yaml.safe_dump(site))
    category = {"id": 1, "title": "App", "title_plural": "Apps", "created": "2020-01-01"}
    (root / "categories" / "apps.yaml").write_text(yaml.safe_dump(category))
    for i in range(1, count + 1):
        active = rng.random() > 0.33
        weeks = [rng.choice((0, 0, 1, 2, 3, 5)) if active else 0 for _ in range(52)]
        authors = [f"dev{rng.randrange(200)}" for _ in range(rng.randrange(1, 6))]
        github.forest.add(
            Repo(
                f"org{i % 97}/pkg{i}",
                stars=rng.randrange(2000),
                commits=make_commits(now, weeks, authors),
            )
        )
        record = {
            "id": i,
            "title": f"pkg{i}",
            "category": "apps",
            "repo_url": f"https://github.com/org{i % 97}/pkg{i}",
            "created": "2020-01-01",
        }
        if rng.random() < 0.8:
            record["pypi_name"] = f"pkg{i}"
            pypi.add(f"pkg{i}", body)
        (root / "packages" / f"pkg{i}.yaml").write_text(yaml.safe_dump(record))


def night(content: Path, env: dict[str, str], args: argparse.Namespace) -> dict:
    """One `djp enrich` run in a subprocess; its report plus wall time."""
    report = content.parent / "report.json"
    command = [sys.executable, "-m", "generator", "enrich", "--content", str(content)]
    command += ["--report", str(report), "--series", args.series]
    command += ["--concurrency", str(args.concurrency)]
    started = time.monotonic()
    cpu = _child_cpu()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.monotonic() - started
    return {"wall": wall, "cpu": _child_cpu() - cpu, **json.loads(report.read_text())}


def _child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def figures(run: dict, github: FakeGitHub, pypi: FakePyPI, count: int, before: dict) -> dict:
    graphql = github.server.count("/graphql") - before["graphql"]
    rest = github.server.count("/repos/") - before["rest"]
    pypi_requests = pypi.server.count("/pypi/") - before["pypi"]
    return {
        "wall_s": run["wall"],
        "enricher_cpu_s": run["cpu"],
        "requests_per_package": (graphql + rest + pypi_requests) / count,
        "graphql_queries": graphql,
        "graphql_points": github.points - before["points"],
        "github_rest": rest,
        "github_rest_304": run["hosts"].get("github-rest", {}).get("not_modified", 0),
        "pypi": pypi_requests,
        "pypi_304": run["hosts"].get("pypi", {}).get("not_modified", 0),
        "files_written": run["files_written"],
    }


def one_run(args: argparse.Namespace) -> list[dict]:
    github = FakeGitHub(latency=args.latency, remaining=10**9)
    pypi = FakePyPI(latency=args.latency)
    try:
        with tempfile.TemporaryDirectory() as tmp:
            content = Path(tmp) / "content"
            generate(content, github, pypi, args.packages)
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "GITHUB_API_URL": github.url,
                "GITHUB_GRAPHQL_URL": github.url + "/graphql",
                "GITHUB_TOKEN": "bench",
                "PYPI_URL": pypi.url,
            }
            results = []
            for _ in ("first", "second"):
                before = {
                    "graphql": github.server.count("/graphql"),
                    "rest": github.server.count("/repos/"),
                    "pypi": pypi.server.count("/pypi/"),
                    "points": github.points,
                }
                run = night(content, env, args)
                results.append(figures(run, github, pypi, args.packages, before))
            return results
    finally:
        github.close()
        pypi.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--packages", type=int, default=5000)
    parser.add_argument("--latency", type=float, default=0.05)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--series", choices=("history", "participation"), default="history")
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()
    runs = [one_run(args) for _ in range(args.runs)]
    print(
        f"{args.packages} packages, {args.latency * 1000:.0f} ms latency, series={args.series}, "
        f"concurrency={args.concurrency}, median of {args.runs} run(s)"
    )
    for index, name in enumerate(("first night", "second night")):
        nights = [r[index] for r in runs]
        median = {k: statistics.median(n[k] for n in nights) for k in nights[0]}
        print(
            f"{name:13}: {median['wall_s']:.1f} s (enricher CPU {median['enricher_cpu_s']:.1f} s), "
            f"{median['requests_per_package']:.2f} "
            f"requests/package, GraphQL {median['graphql_queries']:.0f} queries "
            f"{median['graphql_points']:.0f} points, GitHub REST {median['github_rest']:.0f} "
            f"({median['github_rest_304']:.0f} × 304), PyPI {median['pypi']:.0f} "
            f"({median['pypi_304']:.0f} × 304), {median['files_written']:.0f} files written"
        )


if __name__ == "__main__":
    main()
