"""`djp import` of a 5,800-package catalogue from the fake djangopackages, 50 ms a request.

The 272 captured documents are repeated under new ids and slugs up to `--packages`;
reports wall time, requests and peak memory (tracemalloc) of each run and their medians.
Run: `PYTHONPATH=. python benchmarks/import_bench.py [--packages 5800] [--runs 3]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
import tracemalloc
from pathlib import Path

from generator.importer.command import run_import
from tests.helpers.djangopackages import FakeDjangoPackages, captured


def catalogue(size: int) -> list[dict]:
    """`size` package documents: the captured ones, then copies under fresh ids/slugs."""
    docs = captured()
    out = []
    for i in range(size):
        doc = dict(docs[i % len(docs)])
        if i >= len(docs):
            doc.update(id=100000 + i, slug=f"{doc['slug']}-{i}", repo_url=f"{doc['repo_url']}-{i}")
        out.append(doc)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packages", type=int, default=5800)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    fake = FakeDjangoPackages(catalogue(args.packages), latency=args.latency)
    rows = []
    try:
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as folder:
                tracemalloc.start()
                started = time.perf_counter()
                report = asyncio.run(run_import(fake.url, Path(folder) / "content"))
                seconds = time.perf_counter() - started
                peak = tracemalloc.get_traced_memory()[1] / 2**20
                tracemalloc.stop()
                rows.append((seconds, report.requests, peak))
                print(f"{seconds:.1f} s, {report.requests} requests, peak {peak:.0f} MiB")
    finally:
        fake.close()
    print(
        f"median of {args.runs}: {statistics.median(r[0] for r in rows):.1f} s, "
        f"{statistics.median(r[1] for r in rows)} requests, "
        f"{statistics.median(r[2] for r in rows):.0f} MiB peak"
    )


if __name__ == "__main__":
    main()
