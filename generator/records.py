"""Load stage: read every file under `content/` into plain documents.

Nothing here judges the content (that is `validate`); it only parses. YAML is read with
the C safe loader when PyYAML has it (about ten times faster than the pure-Python one),
never constructs Python objects, and keeps timestamps as strings so that the JSON
Schemas see exactly what people typed.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import yaml

from .parallel import map_each

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class RecordLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader that leaves timestamps as the strings people wrote."""


RecordLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}

# The kinds of record, each a folder of `<slug>.yaml` files (site settings: one file).
KINDS = ("categories", "grids", "packages")
SITE_FILE = "site.yaml"
IDS_FILE = "ids.yaml"
"""Highest id ever given per kind, so that deleted records' ids are never reused."""
ENRICHED_DIR = "enriched"


@dataclass(frozen=True)
class Source:
    """One parsed file: its path relative to the content folder and its document."""

    path: str
    text: str
    data: Any = None
    error: str | None = None
    """A parse error (message with line and column) instead of `data`."""
    line: int = 0
    column: int = 0

    @property
    def stem(self) -> str:
        return os.path.splitext(os.path.basename(self.path))[0]  # as Path.stem, faster


@dataclass(frozen=True)
class Sources:
    """Every file of a content folder, parsed, in a stable (sorted) order."""

    root: Path
    site: Source | None
    records: dict[str, tuple[Source, ...]]
    """kind (`categories`, `grids`, `packages`) → sources sorted by file name."""
    enriched: dict[int, dict[str, Any]]
    """package id → machine-written facts (already JSON; trusted as machine output)."""
    ids: Source | None = None
    """`ids.yaml`, when the folder has one."""


def parse_yaml(path: str, text: str) -> Source:
    """Parse one YAML file, turning a syntax error into a located message."""
    try:
        return Source(path, text, yaml.load(text, Loader=RecordLoader))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        return Source(path, text, error=f"malformed YAML: {what}", line=line, column=column)
    except yaml.YAMLError as exc:
        return Source(path, text, error=f"malformed YAML: {exc}", line=1, column=1)


def _read(root: Path, path: Path) -> Source:
    rel = path.relative_to(root).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return Source(rel, "", error=f"not UTF-8 text: {exc}", line=1, column=1)
    return parse_yaml(rel, text)


def read_enriched(root: Path) -> dict[int, dict[str, Any]]:
    """Read `enriched/<id>.json`; a missing folder means nothing was fetched yet."""
    folder = root / ENRICHED_DIR
    found: dict[int, dict[str, Any]] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.glob("*.json")):
        if path.stem.isdigit():
            found[int(path.stem)] = json.loads(path.read_text(encoding="utf-8"))
    return found


def read_site(root: Path) -> Source | None:
    """`site.yaml` of the content folder `root`, parsed, or None when there is none."""
    path = root / SITE_FILE
    return _read(root, path) if path.exists() else None


def read_sources(root: Path, jobs: int = 1) -> Sources:
    """Read and parse every record under `root` (the `content/` folder), on `jobs` cores."""
    site = read_site(root)
    # One pool for every kind: 370 grids alone are too few to share out, yet each takes
    # twenty times a package's parsing (1.5 ms against 0.08 ms).
    files = [(kind, path) for kind in KINDS for path in sorted((root / kind).glob("*.yaml"))]
    parsed = map_each(partial(_read, root), [path for _, path in files], jobs)
    records = {
        kind: tuple(s for (of, _), s in zip(files, parsed, strict=True) if of == kind)
        for kind in KINDS
    }
    ids_path = root / IDS_FILE
    ids = _read(root, ids_path) if ids_path.exists() else None
    return Sources(root, site, records, read_enriched(root), ids)


def locate(source: Source, path: tuple[str | int, ...], key: bool = False) -> tuple[int, int]:
    """Line and column (1-based) of the node at `path` inside a source file.

    Only called when something is wrong, so the cost of composing the node tree is paid
    for failing files alone. `key=True` points at a mapping key instead of its value.
    Falls back to the deepest node found.
    """
    try:
        node = yaml.compose(source.text, Loader=RecordLoader)
    except yaml.YAMLError:
        return 1, 1
    if node is None:
        return 1, 1
    mark = node.start_mark
    for step in path:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if k.value == step:
                    child, mark = v, (k.start_mark if key else v.start_mark)
                    break
        elif (
            isinstance(node, yaml.SequenceNode)
            and isinstance(step, int)
            and 0 <= step < len(node.value)
        ):
            child = node.value[step]
            mark = child.start_mark
        if child is None:
            break
        node = child
    return mark.line + 1, mark.column + 1
