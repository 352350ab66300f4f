"""Spread CPU-bound work over every core: parsing records, rendering pages.

Rendering thousands of package pages and parsing thousands of YAML files is Python
work, so threads do not help; processes do. Workers are forked when the work starts, so
they inherit the function and its inputs (closures and the whole site included) instead
of receiving them pickled: only chunk numbers go out, and results come back. Where fork
is not available, or there is one job, or little work, everything runs in this process:
the results are the same either way, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Outputs = dict[str, bytes]
T = TypeVar("T")
R = TypeVar("R")
MIN_ITEMS_PER_JOB = 200
"""Below this many items per worker, forking costs more than it saves."""

_work: tuple[Callable[[Any], Any], Sequence[Any], int] | None = None
"""(function, items, chunk size): set just before forking, read by the workers."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _run_chunk(index: int) -> list[Any]:
    assert _work is not None
    function, items, size = _work
    return [function(item) for item in items[index * size : (index + 1) * size]]


def map_each(function: Callable[[T], R], items: Sequence[T], jobs: int) -> list[R]:
    """`[function(item) for item in items]`, on up to `jobs` processes."""
    global _work
    workers = min(jobs, len(items) // MIN_ITEMS_PER_JOB)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    # Several chunks per worker even out items of uneven cost (grids of 5 or 60 columns).
    chunks = workers * 4
    size = -(-len(items) // chunks)
    _work = (function, items, size)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_chunk, range(chunks), chunksize=1)
    finally:
        _work = None
    return [result for part in parts for result in part]


def render_each(render_one: Callable[[T], Outputs], items: Sequence[T], jobs: int) -> Outputs:
    """`render_one(item)` for every item, merged in item order, on up to `jobs` processes."""
    return {path: data for part in map_each(render_one, items, jobs) for path, data in part.items()}
