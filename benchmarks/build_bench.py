"""The build benchmark: one command, a table per corpus size, medians of several runs.

    python -m benchmarks.build_bench --sizes 5300 20000 --runs 3

For each size it writes a seeded corpus (`tests/helpers/corpus.py`) once, then, in every
run: a full build from nothing (into new output and cache folders), a rebuild with nothing
changed, a rebuild after one package's enrichment changed, and a rebuild after one
template (`package.html`) changed. Each build is `djp build` in its own process; its
wall time, CPU time (user + system, workers included) and peak memory (the largest
resident set of the build or any of its workers, from `wait4`) are measured from
outside, and the files and bytes written come from the build's own summary line.
`--serial` adds a full build with `--jobs 1`, to show what the second core buys.

Every full build goes into a folder that never existed, and no output is deleted until
the benchmark ends. On an ext4 file system without a journal (this machine's) the
kernel will not reuse an inode freed in the last 60 s (360 s while its block is dirty;
`recently_deleted` in fs/ext4/ialloc.c) and scans past every such inode on each new
file, so a build started right after deleting a large output measures that scan, not
the build. `--after-delete` adds that case as its own row: the previous output deleted,
then a full build into the same folder, as `rm -rf build && djp build` would do; it
runs after all other measurements, since the inodes it frees would slow them down.
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
from functools import partial
from pathlib import Path

from tests.helpers.corpus import write_corpus

REPO = Path(__file__).resolve().parents[1]
AFTER_DELETE = "full build, previous output just deleted"
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


def folders(outputs: Path, name: str, size: int, run: int) -> tuple[Path, Path]:
    """The output and cache folders of one run: new for every run."""
    return outputs / f"{name}-{size}-{run}", outputs / f"cache-{name}-{size}-{run}"


def bench_size(
    workdir: Path, outputs: Path, size: int, runs: int, jobs: int | None, serial: bool
) -> dict[str, list[Run]]:
    """Every scenario `runs` times for one corpus size: scenario → list of runs.

    Outputs and caches go to new folders under `outputs`, which are deleted only once
    every measurement is taken (see the module docstring)."""
    content = corpus(workdir, size)
    templates = workdir / f"templates-{size}"
    results: dict[str, list[Run]] = {}
    for run in range(runs):
        shutil.rmtree(templates, ignore_errors=True)
        shutil.copytree(REPO / "templates", templates)
        if serial:
            serial_out = folders(outputs, "serial", size, run)
            record(
                results, size, "full build, --jobs 1", run_build(content, templates, *serial_out, 1)
            )
        out, cache = folders(outputs, "out", size, run)
        build = partial(run_build, content, templates, out, cache, jobs)
        record(results, size, "full build from nothing", build())
        record(results, size, "rebuild, nothing changed", build())
        change_enrichment(content, run)
        record(results, size, "rebuild, one enrichment changed", build())
        change_template(templates, run)
        record(results, size, "rebuild, one template changed", build())
    return results


def bench_after_delete(
    workdir: Path, outputs: Path, size: int, runs: int, jobs: int | None
) -> list[Run]:
    """A full build right after deleting the previous output, `runs` times.

    Run after every other measurement: the inodes it frees would slow them down."""
    out, cache = folders(outputs, "out", size, runs - 1)
    build = partial(run_build, corpus(workdir, size), workdir / f"templates-{size}", out, cache)
    results: dict[str, list[Run]] = {}
    for _ in range(runs):
        shutil.rmtree(out)
        shutil.rmtree(cache)
        record(results, size, AFTER_DELETE, build(jobs))
    return results[AFTER_DELETE]


def record(results: dict[str, list[Run]], size: int, name: str, result: Run) -> None:
    """Keep one measurement, and show it as it comes."""
    results.setdefault(name, []).append(result)
    print(f"  {size:>6} {name:<40} {result.wall:7.2f} s", file=sys.stderr, flush=True)


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
    parser.add_argument(
        "--after-delete",
        action="store_true",
        help="also time a full build right after deleting the previous output",
    )
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    outputs = args.workdir / f"outputs-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}"
    print(f"{os.cpu_count()} cores, Python {sys.version.split()[0]}\n")
    try:
        results = {
            size: bench_size(args.workdir, outputs, size, args.runs, args.jobs, args.serial)
            for size in args.sizes
        }
        for size in args.sizes if args.after_delete else []:
            results[size][AFTER_DELETE] = bench_after_delete(
                args.workdir, outputs, size, args.runs, args.jobs
            )
        for size in args.sizes:
            print(table(size, results[size]) + "\n", flush=True)
    finally:  # every measurement taken: now the outputs (and any left by an aborted run) go
        for old in args.workdir.glob("outputs-*"):
            shutil.rmtree(old, ignore_errors=True)
        os.sync()  # written out, the freed inodes are avoided for 60 s rather than 360 s
        print("outputs deleted: on ext4 without a journal, wait a minute before timing again")


if __name__ == "__main__":
    main()
