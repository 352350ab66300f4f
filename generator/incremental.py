"""Skip a build whose inputs and output are exactly as the last build left them.

The output is a pure function of the inputs (the build never reads the clock), so a
build may be skipped when both hold:

- the inputs are the same: a fingerprint over the bytes of every file under `content/`
  and `templates/`, the settings given on the command line, the generator's own source
  and schemas, the Python version and the installed libraries that shape the output;
- the output folder is as that build left it: the size and modification time of every
  file it wrote and of every folder (a folder's time changes when a file is added to or
  removed from it, so a stray or deleted file is noticed too).

Anything else — including a missing or unreadable state file — means "build". When only
the inputs changed, the state still lists the files the output holds, which spares the
write stage a walk of the whole output to find the ones no longer produced. The state
is kept per output folder in the cache folder, removed before the write stage starts,
and saved only after a build completed, so a failed or interrupted build never leaves a
state that vouches for output it did not finish.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

STATE_FORMAT = 2
GENERATOR_DIR = Path(__file__).parent
LIBRARIES = ("jinja2", "jsonschema", "markdown", "markupsafe", "nh3", "packaging", "yaml")
"""Libraries whose version can change the output; an upgrade rewrites their files. Found,
not imported: a skipped build should not pay for loading them."""

Stamps = dict[str, list[int]]
"""path under the output (folders end in `/`) → [size, modification time in ns]"""


@dataclass(frozen=True)
class LastBuild:
    """The last completed build of an output folder that is still as it left it."""

    fingerprint: str
    files: frozenset[str]


def _hash_tree(digest: hashlib._Hash, root: Path) -> None:
    """Feed every file under `root` (relative path and bytes, sorted) into `digest`."""
    if not root.is_dir():
        digest.update(b"\0missing\0")
        return
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        rel = os.path.relpath(folder, root)
        for name in sorted(files):
            path = os.path.join(folder, name)
            info = os.lstat(path)
            if not stat.S_ISREG(info.st_mode):  # never followed nor read (the load stage
                # refuses them): a symlink to /dev/zero must not be read here either
                what = os.readlink(path) if stat.S_ISLNK(info.st_mode) else info.st_mode
                digest.update(f"\0{rel}/{name}\0special\0{what}\0".encode())
                continue
            digest.update(f"\0{rel}/{name}\0{info.st_size}\0".encode())
            with open(path, "rb") as f:
                while chunk := f.read(1 << 20):
                    digest.update(chunk)


def fingerprint(content: Path, templates: Path, settings: object) -> str:
    """A digest of everything the output depends on; equal digests mean equal output."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{STATE_FORMAT}\0{sys.version}\0{settings!r}\0".encode())
    for library in LIBRARIES:
        spec = find_spec(library)
        stat = os.stat(spec.origin if spec and spec.origin else "")
        digest.update(f"{library}\0{stat.st_size}\0{stat.st_mtime_ns}\0".encode())
    _hash_tree(digest, GENERATOR_DIR)
    for root in (content, templates):
        digest.update(b"\0tree\0")
        _hash_tree(digest, root)
    return digest.hexdigest()


def _state_file(cache_dir: Path, out: Path) -> Path:
    key = hashlib.blake2b(str(out.resolve()).encode(), digest_size=8).hexdigest()
    return cache_dir / f"build-state-{key}.json"


def _stamps(out: Path, paths: Iterable[str]) -> Stamps:
    """Size and modification time of each path under `out` (missing: no entry)."""
    found: Stamps = {}
    for path in paths:
        try:
            stat = os.stat(os.path.join(out, path))
        except OSError:
            continue
        found[path] = [stat.st_size, stat.st_mtime_ns]
    return found


def _untouched(out: Path, stamps: Stamps) -> bool:
    """Every path still has the size and modification time it had (stops at the first
    that does not: this check is most of a skipped build's time)."""
    prefix = f"{out}/"
    for path, (size, mtime) in stamps.items():
        try:
            stat = os.stat(prefix + path)
        except OSError:
            return False
        if stat.st_size != size or stat.st_mtime_ns != mtime:
            return False
    return True


def _with_folders(files: Iterable[str]) -> set[str]:
    """The files and every folder that holds one (as `folder/`, `./` being the output
    folder itself)."""
    paths = {"./"}
    for file in files:
        paths.add(file)
        parent = os.path.dirname(file)
        while parent and parent + "/" not in paths:
            paths.add(parent + "/")
            parent = os.path.dirname(parent)
    return paths


def last_build(cache_dir: Path, out: Path) -> LastBuild | None:
    """The last completed build of `out`, if `out` is exactly as it left it; else None."""
    try:
        state = json.loads(_state_file(cache_dir, out).read_text(encoding="utf-8"))
        if state["format"] != STATE_FORMAT or not _untouched(out, state["stamps"]):
            return None
        files = frozenset(path for path in state["stamps"] if not path.endswith("/"))
        return LastBuild(str(state["fingerprint"]), files)
    except (OSError, ValueError, LookupError, TypeError, AttributeError):  # not ours
        return None


def forget(cache_dir: Path, out: Path) -> None:
    """Drop the state of `out`: called before the output is touched."""
    _state_file(cache_dir, out).unlink(missing_ok=True)


def remember(cache_dir: Path, out: Path, digest: str, files: Collection[str]) -> None:
    """Record a completed build of `out`: its input digest and its output's stamps."""
    state = {
        "format": STATE_FORMAT,
        "fingerprint": digest,
        "stamps": _stamps(out, sorted(_with_folders(files))),
    }
    cache_dir.mkdir(parents=True, exist_ok=True)
    target = _state_file(cache_dir, out)
    partial = target.with_suffix(".tmp")
    partial.write_text(json.dumps(state, separators=(",", ":")), encoding="utf-8")
    os.replace(partial, target)
