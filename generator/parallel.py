"""Render many pages on every core: the build's one tool for parallel work.

Rendering thousands of package pages and API documents is CPU-bound Python, so threads
do not help; processes do. Workers are forked after the site is built, so they inherit
the renderer and its inputs (closures included) instead of receiving them pickled;
only chunk numbers go out and `{path: bytes}` comes back. Where fork is not available,
or there is one job, or little work, everything runs in this process: the output is the
same either way, in the same order.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Sequence
from typing import Any

Outputs = dict[str, bytes]
MIN_ITEMS_PER_JOB = 200
"""Below this many items per worker, forking costs more than it saves."""

_work: tuple[Callable[[Any], Outputs], Sequence[Any], int] | None = None
"""(render one item, items, chunk size): set just before forking, read by workers."""


def default_jobs() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _render_chunk(index: int) -> Outputs:
    assert _work is not None
    render_one, items, size = _work
    out: Outputs = {}
    for item in items[index * size : (index + 1) * size]:
        out.update(render_one(item))
    return out


def render_each(render_one: Callable[[Any], Outputs], items: Sequence[Any], jobs: int) -> Outputs:
    """`render_one(item)` for every item, merged in item order, on up to `jobs` processes."""
    global _work
    workers = min(jobs, len(items) // MIN_ITEMS_PER_JOB)
    fork = "fork" in multiprocessing.get_all_start_methods()
    if workers < 2 or not fork:
        return {path: data for item in items for path, data in render_one(item).items()}
    # Several chunks per worker even out pages of uneven cost (grids of 5 or 60 columns).
    chunks = workers * 4
    size = -(-len(items) // chunks)
    _work = (render_one, items, size)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(_render_chunk, range(chunks), chunksize=1)
    finally:
        _work = None
    out: Outputs = {}
    for part in parts:
        out.update(part)
    return out
