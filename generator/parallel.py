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
from collections.abc import Callable, Iterable, Sequence
from functools import partial
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
    workers = min(jobs, len(items) // MIN_ITEMS_PER_JOB)
    # Several chunks per worker even out items of uneven cost (grids of 5 or 60 columns).
    return _fork_map(function, items, workers, -(-len(items) // (workers * 4 or 1)))


def run_each(tasks: Sequence[Callable[[], R]], jobs: int) -> list[R]:
    """`[task() for task in tasks]`, on up to `jobs` processes, handed out one at a time
    (put the longest tasks first)."""
    return _fork_map(lambda task: task(), tasks, min(jobs, len(tasks)), 1)


def _fork_map(function: Callable[[T], R], items: Sequence[T], workers: int, size: int) -> list[R]:
    """`[function(item) for item in items]`, in chunks of `size` items on `workers` forked
    processes, or here when there are fewer than two."""
    global _work
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return [function(item) for item in items]
    _work = (function, items, size)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_run_chunk, range(-(-len(items) // size)), chunksize=1)
    finally:
        _work = None
    return [result for part in parts for result in part]


def batches(
    render_one: Callable[[T], Outputs], items: Sequence[T], size: int
) -> list[Callable[[], Outputs]]:
    """Tasks for `run_each` that each render `size` of the items, merged in order."""
    return [
        partial(_render_batch, render_one, items[start : start + size])
        for start in range(0, len(items), size)
    ]


def _render_batch(render_one: Callable[[T], Outputs], items: Sequence[T]) -> Outputs:
    return merged(render_one(item) for item in items)


def merged(parts: Iterable[Outputs]) -> Outputs:
    """The outputs of several renders in one mapping, in order."""
    return {path: data for part in parts for path, data in part.items()}
