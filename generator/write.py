"""Write stage: the one place that writes the built site to disk.

The new files are first written in full to a staging folder beside the output (as
they are rendered, when the build streams them into a `StagedOutput`); only then are
they moved into place, one atomic rename each, and files the build no longer
produces are removed. A build that fails before this stage leaves the previous output
untouched. A file whose bytes did not change is not touched at all, so it keeps its
modification time and deploys and caches see no change.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator, Mapping, MutableMapping
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
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


def existing_files(out: Path) -> set[str]:
    """Every file under `out`, as POSIX paths relative to it."""
    found = set()
    for root, _, files in os.walk(out):
        rel = os.path.relpath(root, out).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        found.update(prefix + name for name in files)
    return found


class StagedOutput(MutableMapping[str, bytes]):
    """The output folder being built, as a mapping of path → bytes that spills to disk.

    Each file is compared with `out` as it is added: only a file whose bytes differ is
    written, to a staging folder beside `out`, and no bytes are kept in memory, so a
    site of any size never has to fit in memory at once. Nothing in `out` changes until
    `commit`; `discard` (or a failed build) leaves `out` as it was.
    """

    def __init__(self, out: Path):
        self.out = out
        self.staging = out.parent / f".{out.name}.staging"
        shutil.rmtree(self.staging, ignore_errors=True)
        self._sizes: dict[str, int] = {}
        self._changed: set[str] = set()
        self._folders: set[str] = set()

    def __setitem__(self, path: str, data: bytes) -> None:
        check_path(path)
        self._sizes[path] = len(data)
        if _unchanged(self.out / path, data):
            self._unstage(path)
            return
        folder = os.path.dirname(path)
        if folder not in self._folders:
            os.makedirs(self.staging / folder, exist_ok=True)
            self._folders.add(folder)
        with open(self.staging / path, "wb") as f:
            f.write(data)
        self._changed.add(path)

    def __getitem__(self, path: str) -> bytes:
        if path not in self._sizes:
            raise KeyError(path)
        return ((self.staging if path in self._changed else self.out) / path).read_bytes()

    def __delitem__(self, path: str) -> None:
        del self._sizes[path]
        self._unstage(path)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sizes)

    def __len__(self) -> int:
        return len(self._sizes)

    def _unstage(self, path: str) -> None:
        if path in self._changed:
            self._changed.remove(path)
            (self.staging / path).unlink()

    def discard(self) -> None:
        """Forget everything staged; `out` stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self) -> WriteReport:
        """Move the changed files into `out` and remove the files no longer produced."""
        out, staging, changed = self.out, self.staging, self._changed
        stale = existing_files(out) - self._sizes.keys() if out.exists() else set()
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
            self.discard()
        return WriteReport(
            written=len(changed),
            unchanged=len(self._sizes) - len(changed),
            removed=len(stale),
            bytes_written=sum(self._sizes[p] for p in changed),
        )


def write_outputs(outputs: Mapping[str, bytes], out: Path) -> WriteReport:
    """Make `out` hold exactly `outputs` (path → bytes), touching only what changed."""
    staged = StagedOutput(out)
    try:
        staged.update(outputs)
    except BaseException:
        staged.discard()
        raise
    return staged.commit()


def _remove_empty_dirs(out: Path, removed: set[str]) -> None:
    """Remove the folders that removing files emptied (deepest first), and only those."""
    folders = {str(PurePosixPath(p).parent) for p in removed}
    for folder in list(folders):
        folders.update(str(parent) for parent in PurePosixPath(folder).parents)
    for folder in sorted(folders - {"."}, key=lambda f: f.count("/"), reverse=True):
        path = out / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
