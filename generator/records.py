"""Load stage: read every file under `content/` into plain documents.

Nothing here judges the content (that is `validate`); it only parses. YAML is read with
the C safe loader when PyYAML has it (about ten times faster than the pure-Python one),
never constructs Python objects, and keeps timestamps as strings so that the JSON
Schemas see exactly what people typed.

Records come from pull requests, so reading is bounded and refuses rather than guesses:
a symbolic link is refused without being followed (its target could be `/etc/passwd` or
`/dev/zero`), as is anything but a plain file or a file over `MAX_BYTES`; `.yml` and
other spellings are errors, not silently skipped; plain YAML only — strings, numbers,
booleans, null, lists and mappings with string keys, each key once: any tag (`!!binary`,
`!!set`, `!!timestamp`, `!anything`) is refused, and aliases may repeat at most
`ALIAS_BUDGET` values in all (a "billion laughs" file fails at once).
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, partial
from pathlib import Path
from typing import Any

import yaml

from .parallel import map_each

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_BYTES = 256 * 1024
"""Largest record file read; the biggest real grid is well under a tenth of it."""
MAX_ENRICHED_BYTES = 1024 * 1024
"""Largest enrichment file read (a full one is about 3 KiB)."""
ALIAS_BUDGET = 1000
"""Most values that aliases may repeat in one file, in all."""
MAX_DEPTH = 32
"""Deepest nesting of lists and mappings in a record (real ones need four)."""
PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}": f"construct_yaml_{name}"
    for name in ("null", "bool", "int", "float", "str", "seq", "map")
}


def excerpt(text: str, limit: int = 60, quote: bool = True) -> str:
    """A short, escaped piece of untrusted text (JSON-quoted unless `quote` is False),
    safe in any message or log: no control, format or line-separator character."""
    shown = json.dumps(text[: limit + 1], ensure_ascii=False)[1:-1] if quote else text
    safe = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in shown[: limit + 1])
    cut = f"{safe[:limit]}…" if len(safe) > limit else safe
    return f'"{cut}"' if quote else cut


class RecordLoader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe YAML loader for plain records: timestamps stay the strings people wrote; any
    tag, a non-string or repeated key and a non-finite number are located errors."""

    def construct_undefined(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"tag {excerpt(node.tag.replace('tag:yaml.org,2002:', '!!'))} is not allowed; "
            "records are plain YAML (strings, numbers, true/false, lists, mappings): "
            "remove the tag or quote the value",
            node.start_mark,
        )

    def construct_yaml_float(self, node: yaml.Node) -> float:
        value = super().construct_yaml_float(node)
        if not math.isfinite(value):
            raise yaml.constructor.ConstructorError(
                None, None, "not a finite number; write a number or quote it", node.start_mark
            )
        return value

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict:
        seen: set[str] = set()
        for key, _ in node.value:
            if key.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(
                    None, None, "merge keys (<<) are not allowed; write the keys out",
                    key.start_mark,
                )  # fmt: skip
            if key.tag != "tag:yaml.org,2002:str" or not isinstance(key, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(
                    None, None, f"key {excerpt(str(key.value))} is not a string; quote it",
                    key.start_mark,
                )  # fmt: skip
            if key.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key {excerpt(key.value)}; keep one of them",
                    key.start_mark,
                )  # fmt: skip
            seen.add(key.value)
        return super().construct_mapping(node, deep)


RecordLoader.yaml_implicit_resolvers = {
    first: [r for r in resolvers if r[0] != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
RecordLoader.yaml_constructors = {
    tag: getattr(RecordLoader, method) for tag, method in PLAIN_TAGS.items()
} | {None: RecordLoader.construct_undefined}
RecordLoader.yaml_multi_constructors = {}

# The kinds of record, each a folder of `<slug>.yaml` files (site settings: one file).
KINDS = ("categories", "grids", "packages")
SITE_FILE = "site.yaml"
IDS_FILE = "ids.yaml"
"""Highest id ever given per kind, so that deleted records' ids are never reused."""
ENRICHED_DIR = "enriched"
ENRICHED_NAME = re.compile(r"[1-9][0-9]*\.json")
"""`<id>.json`: ASCII digits, no leading zero (`01.json` and `١.json` are not `1.json`)."""


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
    enriched_files: tuple[Source, ...]
    """`enriched/*.json`, parsed JSON, sorted by file name; checked like records."""
    ids: Source | None = None
    """`ids.yaml`, when the folder has one."""

    @cached_property
    def enriched(self) -> dict[int, Any]:
        """package id → the document of `enriched/<id>.json`, for files so named (only
        trustworthy once `validate` found no problem)."""
        return {
            int(s.stem): s.data
            for s in self.enriched_files
            if s.error is None and ENRICHED_NAME.fullmatch(os.path.basename(s.path))
        }


def _too_big(data: Any) -> str | None:
    """Why a parsed document is too large to pass on (aliases repeating more than the
    budget, or nesting too deep), walked without recursion; None when it is fine."""
    seen: set[int] = set()
    repeated = 0
    stack: list[tuple[Any, bool, int]] = [(data, False, 0)]
    while stack:
        value, again, depth = stack.pop()
        repeated += again
        if repeated > ALIAS_BUDGET:
            return (
                f"aliases repeat more than {ALIAS_BUDGET} values; write the values out "
                "instead of repeating anchors"
            )
        if isinstance(value, dict | list):
            if depth >= MAX_DEPTH:
                return f"nested deeper than {MAX_DEPTH} levels; records need a few"
            again = again or id(value) in seen
            seen.add(id(value))
            children = value.values() if isinstance(value, dict) else value
            stack.extend((child, again, depth + 1) for child in children)
    return None


def _first_alias(text: str) -> tuple[int, int]:
    """Line and column of the first alias (`*name`), where an expansion starts."""
    for event in yaml.parse(text, Loader=RecordLoader):
        if isinstance(event, yaml.AliasEvent):
            return event.start_mark.line + 1, event.start_mark.column + 1
    return 1, 1


def parse_yaml(path: str, text: str) -> Source:
    """Parse one YAML file, turning a syntax error into a located message."""
    try:
        data = yaml.load(text, Loader=RecordLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        what = " ".join(str(p) for p in (exc.context, exc.problem) if p)
        if not isinstance(exc, yaml.constructor.ConstructorError):  # ours say it all
            what = f"malformed YAML: {what}"
        return Source(path, text, error=what, line=line, column=column)
    except yaml.YAMLError as exc:
        return Source(path, text, error=f"malformed YAML: {exc}", line=1, column=1)
    except RecursionError:
        return Source(path, text, error=f"nested deeper than {MAX_DEPTH} levels", line=1, column=1)
    if problem := _too_big(data):
        line, column = _first_alias(text)  # a repeating alias makes most of them
        return Source(path, text, error=problem, line=line, column=column)
    return Source(path, text, data)


def _refusal(rel: str, why: str) -> Source:
    return Source(rel, "", error=why, line=1, column=1)


def read_bounded(path: Path, rel: str, limit: int) -> bytes | Source:
    """The bytes of a plain file of at most `limit` bytes, else the located refusal.

    A symbolic link is refused without being followed and its target never named; a
    folder, device or pipe is refused without being read."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError as exc:
        if path.is_symlink():
            return _refusal(rel, "is a symbolic link; records must be plain files in content/")
        if path.is_dir():
            return _refusal(rel, "is a folder, not a file; remove it or rename it")
        return _refusal(rel, f"cannot be read ({exc.strerror}); it must be a plain file")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return _refusal(rel, "is a folder, not a file; remove it or rename it")
        if not stat.S_ISREG(info.st_mode):
            return _refusal(rel, "is not a plain file (a device or pipe); remove it")
        data = os.read(fd, limit + 1)
    finally:
        os.close(fd)
    if len(data) > limit:
        return _refusal(rel, f"is larger than {limit // 1024} KiB; records are small files")
    return data


def _read(
    root: Path, path: Path, parse: Callable[[str, str], Source] = parse_yaml, limit: int = MAX_BYTES
) -> Source:
    rel = _display(path.relative_to(root).as_posix())
    data = read_bounded(path, rel, limit)
    if isinstance(data, Source):
        return data
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _refusal(rel, f"not UTF-8 text: byte {exc.start} cannot be decoded; save as UTF-8")
    return parse(rel, text)


def _display(rel: str) -> str:
    """A relative path as messages show it: non-printable characters escaped."""
    return rel if rel.isprintable() else excerpt(rel, 200)[1:-1]


def _record_files(folder: Path) -> list[Path]:
    """Every entry of a kind's folder that is, or looks meant to be, a record file
    (`.yaml`, or a misspelt `.yml`/`.YAML`): the reader refuses the wrong ones."""
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [folder / n for n in names if n.lower().endswith((".yaml", ".yml"))]


def _read_record(root: Path, path: Path) -> Source:
    if not path.name.endswith(".yaml"):
        rel = _display(path.relative_to(root).as_posix())
        return _refusal(rel, f"record files end in .yaml; rename it to {_display(path.stem)}.yaml")
    return _read(root, path)


def _reject_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON number; write a number or null")


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise ValueError(f"duplicate key {excerpt(key)}; keep one of them")
        found[key] = value
    return found


def read_site(root: Path) -> Source | None:
    """`site.yaml` of the content folder `root`, parsed, or None when there is none."""
    path = root / SITE_FILE
    return _read(root, path) if os.path.lexists(path) else None


def parse_json(path: str, text: str) -> Source:
    """Parse one JSON file strictly (no NaN or Infinity, each key once), located."""
    try:
        data = json.loads(text, parse_constant=_reject_constant, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        return Source(path, text, error=f"not JSON: {exc.msg}", line=exc.lineno, column=exc.colno)
    except ValueError as exc:
        where = re.search(r"-?Infinity|NaN", text) if "JSON number" in str(exc) else None
        line, column = _position(text, where.start()) if where else (1, 1)
        return Source(path, text, error=str(exc), line=line, column=column)
    except RecursionError:
        return _refusal(path, f"nested deeper than {MAX_DEPTH} levels")
    if problem := _too_big(data):
        return _refusal(path, problem)
    return Source(path, text, data)


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def read_enriched(root: Path) -> tuple[Source, ...]:
    """Every `enriched/*.json` file, parsed (`_`-prefixed bookkeeping such as the
    enricher's `_state.json` aside); a missing folder means nothing was fetched yet.
    Read as records are, since a pull request can edit them: bounded, no symlinks."""
    folder = root / ENRICHED_DIR
    try:
        names = sorted(os.listdir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return ()
    wanted = [n for n in names if n.lower().endswith(".json") and not n.startswith((".", "_"))]
    return tuple(_read(root, folder / name, parse_json, MAX_ENRICHED_BYTES) for name in wanted)


def read_sources(root: Path, jobs: int = 1) -> Sources:
    """Read and parse every record under `root` (the `content/` folder), on `jobs` cores."""
    site = read_site(root)
    # One pool for every kind: 370 grids alone are too few to share out, yet each takes
    # twenty times a package's parsing (1.5 ms against 0.08 ms).
    files = [(kind, path) for kind in KINDS for path in _record_files(root / kind)]
    parsed = map_each(partial(_read_record, root), [path for _, path in files], jobs)
    records = {
        kind: tuple(s for (of, _), s in zip(files, parsed, strict=True) if of == kind)
        for kind in KINDS
    }
    ids_path = root / IDS_FILE
    ids = _read(root, ids_path) if os.path.lexists(ids_path) else None
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
