"""The one place the enricher writes files: atomic, deterministic, unchanged bytes kept.

A file is written to a temporary sibling and renamed over the target, so a process
killed at any moment leaves the old file or the new one, never half of one. (No fsync:
it guards against power cuts, not kills, and cost 7 ms a file; a runner that loses
power loses its checkout too.) JSON is written with sorted keys, two-space indent and a
trailing newline; a file whose bytes would not change is not touched (no new mtime,
nothing for git to commit).
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any


def dumps(data: Any) -> str:
    """The canonical JSON text of a document."""
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def write_text(path: Path, text: str) -> bool:
    """Write `text` to `path` atomically (a temporary file, then a rename: never half a
    file) unless it already holds it; True if written."""
    data = text.encode("utf-8")
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def write_json(path: Path, data: Any) -> bool:
    """Write `data` to `path` atomically unless it already holds it; True if written."""
    return write_text(path, dumps(data))


def read_json(path: Path) -> Any:
    """A JSON document, or None when the file is missing or unreadable."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
