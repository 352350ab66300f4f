"""The build benchmark: one command, a table per corpus size, medians of several runs.

    python -m benchmarks.build_bench --sizes 5300 20000 --runs 3

For each size it writes a seeded corpus (`benchmarks/corpus.py`) once, then, in every
run: a full build from nothing (output and cache deleted), a rebuild with nothing
changed, a rebuild after one package's enrichment changed, and a rebuild after one
template (`package.html`) changed. Each build is `djp build` in its own process; its
wall time, CPU time (user + system, workers included) and peak memory (the largest
resident set of the build or any of its workers, from `wait4`) are measured from
outside, and the files and bytes written come from the build's own summary line.
`--serial` adds a full build with `--jobs 1`, to show what the second core buys.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .corpus import write_corpus

REPO = Path(__file__).resolve().parents[1]
SUMMARY = re.compile(r"(\d+) written, (\d+) unchanged, (\d+) removed \(([\d,]+) bytes\)")


@dataclass(frozen=True)
class Run:
    wall: float
    cpu: float
    peak_mib: float
    files: int
    bytes: int


def run_build(content: Path, templates: Path, out: Path, cache: Path, jobs: int | None) -> Run:
    """`djp build` in a child process, measured from outside."""
    args = [sys.executable, "-m", "generator", "build", "--content", str(content)]
    args += ["--templates", str(templates), "--out", str(out), "--cache", str(cache)]
    args += ["--jobs", str(jobs)] if jobs else []
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with tempfile.TemporaryFile() as log:
        started = time.perf_counter()
        child = subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        log.seek(0)
        printed = log.read().decode()
    if child.returncode != 0:
        raise SystemExit(f"build failed ({child.returncode}):\n{printed}")
    found = SUMMARY.search(printed)
    files, written = (int(found[1]), int(found[4].replace(",", ""))) if found else (0, 0)
    return Run(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, files, written)


def corpus(workdir: Path, size: int) -> Path:
    """The corpus of `size` packages, written once and reused by later invocations."""
    content = workdir / f"content-{size}"
    done = content / ".complete"
    if not done.exists():
        shutil.rmtree(content, ignore_errors=True)
        write_corpus(content, size)
        done.write_text("")
    return content


def change_enrichment(content: Path, run: int) -> None:
    """Give one package a few more stars (a different number each run)."""
    path = content / "enriched" / "1.json"
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["repo"]["stars"] += run + 1
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")


def change_template(templates: Path, run: int) -> None:
    """Change the package page template: every package page changes."""
    path = templates / "package.html"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("</article>", f"<!-- run {run} --></article>", 1), "utf-8")


def bench_size(workdir: Path, size: int, runs: int, jobs: int | None, serial: bool) -> dict:
    """Every scenario `runs` times for one corpus size: scenario → list of runs."""
    content = corpus(workdir, size)
    templates, out, cache = (workdir / f"{name}-{size}" for name in ("templates", "out", "cache"))
    results: dict[str, list[Run]] = {}

    def record(name: str, result: Run) -> None:
        results.setdefault(name, []).append(result)
        print(f"  {size:>6} {name:<32} {result.wall:7.2f} s", file=sys.stderr, flush=True)

    for run in range(runs):
        shutil.rmtree(templates, ignore_errors=True)
        shutil.copytree(REPO / "templates", templates)
        if serial:
            shutil.rmtree(out, ignore_errors=True)
            shutil.rmtree(cache, ignore_errors=True)
            record("full build, --jobs 1", run_build(content, templates, out, cache, 1))
        shutil.rmtree(out, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        record("full build from nothing", run_build(content, templates, out, cache, jobs))
        record("rebuild, nothing changed", run_build(content, templates, out, cache, jobs))
        change_enrichment(content, run)
        record("rebuild, one enrichment changed", run_build(content, templates, out, cache, jobs))
        change_template(templates, run)
        record("rebuild, one template changed", run_build(content, templates, out, cache, jobs))
    return results


def table(size: int, results: dict[str, list[Run]]) -> str:
    """A Markdown table of medians for one corpus size."""
    full = statistics.median(r.wall for r in results["full build from nothing"])
    lines = [
        f"### {size:,} packages (medians of {len(results['full build from nothing'])} runs)",
        "",
        "| scenario | wall s | vs full | CPU s | peak MiB | files written | MB written |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, runs in results.items():
        wall = statistics.median(r.wall for r in runs)
        lines.append(
            f"| {name} | {wall:.2f} | {wall / full:.0%} "
            f"| {statistics.median(r.cpu for r in runs):.2f} "
            f"| {statistics.median(r.peak_mib for r in runs):.0f} "
            f"| {statistics.median(r.files for r in runs):,.0f} "
            f"| {statistics.median(r.bytes for r in runs) / 1e6:.1f} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[5300, 20000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jobs", type=int, help="passed to djp build (default: all cores)")
    parser.add_argument("--serial", action="store_true", help="also time --jobs 1")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=Path(tempfile.gettempdir()) / "djp-bench",
        help="corpora (kept between invocations), outputs and caches",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    for size in args.sizes:
        results = bench_size(args.workdir, size, args.runs, args.jobs, args.serial)
        print(table(size, results) + "\n", flush=True)


if __name__ == "__main__":
    main()
