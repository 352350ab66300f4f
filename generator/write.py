"""Write stage: the one place that writes the built site to disk.

The new files are first written in full to a staging folder beside the output; only
then are they moved into place, one atomic rename each, and files the build no longer
produces are removed. A build that fails before this stage leaves the previous output
untouched. A file whose bytes did not change is not touched at all, so it keeps its
modification time and deploys and caches see no change.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath


@dataclass(frozen=True)
class WriteReport:
    written: int
    unchanged: int
    removed: int
    bytes_written: int
    skipped: bool = False
    """Nothing was rendered: inputs and output were as the last build left them."""


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


def check_path(path: str) -> PurePosixPath:
    """A relative path with no `..`, absolute or empty parts (defence in depth)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("..", ".", "") for p in pure.parts):
        raise UnsafePath(f"refusing to write {path!r} outside the output folder")
    return pure


def _unchanged(target: Path, data: bytes) -> bool:
    try:
        if target.stat().st_size != len(data):
            return False
        return target.read_bytes() == data
    except (FileNotFoundError, NotADirectoryError):
        return False


def existing_files(out: Path) -> set[str]:
    """Every file under `out`, as POSIX paths relative to it."""
    found = set()
    for root, _, files in os.walk(out):
        rel = os.path.relpath(root, out).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + name for name in files)
    return found


def write_outputs(outputs: dict[str, bytes], out: Path) -> WriteReport:
    """Make `out` hold exactly `outputs` (path → bytes), touching only what changed."""
    for path in outputs:
        check_path(path)
    changed = {p: data for p, data in outputs.items() if not _unchanged(out / p, data)}
    staging = out.parent / f".{out.name}.staging"
    shutil.rmtree(staging, ignore_errors=True)
    made: set[str] = set()
    for path, data in changed.items():
        folder = os.path.dirname(path)
        if folder not in made:
            os.makedirs(staging / folder, exist_ok=True)
            made.add(folder)
        with open(staging / path, "wb") as f:
            f.write(data)
    # Everything is on disk: from here on only renames and removals.
    stale = existing_files(out) - outputs.keys() if out.exists() else set()
    if not out.exists():
        out.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir(exist_ok=True)
        staging.rename(out)
    else:
        for path in sorted(changed):
            target = out / path
            if target.is_dir():
                shutil.rmtree(target)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / path, target)
        for path in sorted(stale):
            (out / path).unlink()
        _remove_empty_dirs(out, stale)
        shutil.rmtree(staging, ignore_errors=True)
    return WriteReport(
        written=len(changed),
        unchanged=len(outputs) - len(changed),
        removed=len(stale),
        bytes_written=sum(len(d) for d in changed.values()),
    )


def _remove_empty_dirs(out: Path, removed: set[str]) -> None:
    """Remove the folders that removing files emptied (deepest first), and only those."""
    folders = {str(PurePosixPath(p).parent) for p in removed}
    for folder in list(folders):
        folders.update(str(parent) for parent in PurePosixPath(folder).parents)
    for folder in sorted(folders - {"."}, key=lambda f: f.count("/"), reverse=True):
        path = out / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
