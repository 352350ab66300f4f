"""Write stage: the one place that writes the built site to disk.

The new files are first written in full to a staging folder beside the output (as
they are rendered, when the build streams them into a `StagedOutput`); only then are
they moved into place, one atomic rename each, and files the build no longer
produces are removed. A build that fails before this stage leaves the previous output
untouched. A file whose bytes did not change is not touched at all, so it keeps its
modification time and deploys and caches see no change.

Removing files is only safe in a folder this tool made: every build leaves the marker
file `.djp-build` in the output, and `check_output` refuses, before anything is read or
written, an output folder that would hold anyone else's files (the repository, the
records, the templates, a home folder) — `--out .` must never delete a clone.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Collection, Iterable, Iterator, Mapping, MutableMapping
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


MARKER = ".djp-build"
"""The file that marks a folder as `djp build`'s own, free to empty and rewrite."""
MARKER_TEXT = (
    b"Made by `djp build`, which rewrites this folder and removes any file in it that the\n"
    b"build does not make. Keep nothing else here.\n"
)


class UnsafeOutput(ValueError):
    """An output folder the build must not clean: it holds what the build did not make."""


def _is_within(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def check_output(out: Path, keep: Iterable[Path] = ()) -> None:
    """Refuse an output folder that holds files this tool did not make.

    `keep` are the folders the build reads (content, templates): the output may be
    neither one of them, nor inside, nor around them. An existing folder must be empty
    or carry the marker of an earlier build. Raises `UnsafeOutput` saying why.
    """
    where = out.resolve()
    for folder in keep:
        inputs = folder.resolve()
        if _is_within(where, inputs) or _is_within(inputs, where):
            raise UnsafeOutput(
                f"--out {out} would hold or be inside {folder}/, which the build reads; "
                "choose a folder of its own, e.g. --out build"
            )
    if not out.exists():
        return
    if not out.is_dir():
        raise UnsafeOutput(f"--out {out} is not a folder; choose a new or empty folder")
    if (out / ".git").exists():
        raise UnsafeOutput(f"--out {out} holds .git (a repository); choose a folder of its own")
    if not (out / MARKER).is_file() and (found := next(out.iterdir(), None)) is not None:
        raise UnsafeOutput(
            f"--out {out} already holds files that `djp build` did not make (such as "
            f"{found.name!r}) and no {MARKER} marker; the build removes every file it does "
            "not make, so it only writes into a new or empty folder or one it made before"
        )


class UnsafePath(ValueError):
    """An output path that would land outside the output folder."""


def check_path(path: str) -> None:
    """A relative path with no `..`, absolute or empty parts (defence in depth)."""
    if "" not in (parts := path.split("/")) and "." not in parts and ".." not in parts:
        return  # the usual case, decided without building a PurePosixPath
    pure = PurePosixPath(path)
    if pure.is_absolute() or not pure.parts or any(p in ("..", ".", "") for p in pure.parts):
        raise UnsafePath(f"refusing to write {path!r} outside the output folder")


def _unchanged(target: str, data: bytes) -> bool:
    try:
        if os.stat(target).st_size != len(data):
            return False
        with open(target, "rb") as f:
            return f.read() == data
    except (FileNotFoundError, NotADirectoryError, IsADirectoryError):
        return False


Receipt = tuple[str, int, bool]
"""(path, size, changed) for one file staged: what `StagedOutput.record` needs."""


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
        self.staging = out.parent / f".{out.name}{MARKER}-staging"
        """The tool's own folder (its name and its marker say so); a left-over one from
        an interrupted build is removed, anything else by that name is refused."""
        if self.staging.exists() or self.staging.is_symlink():
            if self.staging.is_symlink() or not (self.staging / MARKER).is_file():
                raise UnsafeOutput(
                    f"{self.staging} exists and is not a staging folder of `djp build` "
                    f"(no {MARKER} marker); move it away"
                )
            shutil.rmtree(self.staging)
        self.staging.mkdir(parents=True)
        (self.staging / MARKER).write_bytes(MARKER_TEXT)
        self._compare = out.exists()
        """False on a build from nothing: every file is new, no comparison needed."""
        self._out_prefix = f"{out}/"
        self._staging_prefix = f"{self.staging}/"
        self._sizes: dict[str, int] = {}
        self._changed: set[str] = set()
        self._folders: set[str] = {""}

    def __setitem__(self, path: str, data: bytes) -> None:
        self.record(self.stage({path: data}))

    def stage(self, outputs: Mapping[str, bytes]) -> list[Receipt]:
        """Write each file whose bytes differ from `out` to the staging folder; record
        nothing. Safe to call from forked workers: the parent `record`s the receipts."""
        receipts = []
        for path, data in outputs.items():
            check_path(path)
            if self._compare and _unchanged(self._out_prefix + path, data):
                receipts.append((path, len(data), False))
                continue
            self._make_folder(os.path.dirname(path))
            with open(self._staging_prefix + path, "wb") as f:
                f.write(data)
            receipts.append((path, len(data), True))
        return receipts

    def record(self, receipts: Iterable[Receipt]) -> None:
        """Take note of files staged by `stage` (here or in a worker), in order."""
        for path, size, changed in receipts:
            self._sizes[path] = size
            if changed:
                self._changed.add(path)
            else:
                self._unstage(path)

    def _make_folder(self, folder: str) -> None:
        """Create a folder of the staging area (and its parents): one `mkdir` if new."""
        if folder in self._folders:  # "" (the staging folder) is made by __init__
            return
        try:
            os.mkdir(self._staging_prefix + folder)
        except FileNotFoundError:
            self._make_folder(os.path.dirname(folder))
            os.makedirs(self._staging_prefix + folder, exist_ok=True)
        except FileExistsError:  # made by another worker
            pass
        self._folders.add(folder)

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
            os.unlink(self._staging_prefix + path)

    def discard(self) -> None:
        """Forget everything staged; `out` stays as it was."""
        shutil.rmtree(self.staging, ignore_errors=True)

    def commit(self, present: Collection[str] | None = None) -> WriteReport:
        """Move the changed files into `out` and remove the files no longer produced.

        `present` is every file `out` holds, when the caller knows it (see
        `incremental.last_build`); otherwise the whole of `out` is walked to find them."""
        out, staging, changed = self.out, self.staging, self._changed
        if not out.exists():
            present = ()
        found = set(existing_files(out) if present is None else present)
        stale = found - self._sizes.keys() - {MARKER}
        if not out.exists():
            staging.rename(out)  # the marker comes with it
        else:
            if not (out / MARKER).is_file():  # an empty folder, now the build's own
                (out / MARKER).write_bytes(MARKER_TEXT)
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


def _remove_empty_dirs(out: Path, removed: set[str]) -> None:
    """Remove the folders that removing files emptied (deepest first), and only those."""
    folders = {str(PurePosixPath(p).parent) for p in removed}
    for folder in list(folders):
        folders.update(str(parent) for parent in PurePosixPath(folder).parents)
    for folder in sorted(folders - {"."}, key=lambda f: f.count("/"), reverse=True):
        path = out / folder
        if path.is_dir() and not any(path.iterdir()):
            path.rmdir()
