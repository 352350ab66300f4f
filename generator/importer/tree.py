"""Merging imported records into a content folder, by id, without losing an edit.

The same id is the same package: upstream facts update it. A file edited here since the
last import (its text no longer what the import wrote, as `.import/state.json` records)
is left alone and listed; a clash — an id that is another slug here, a slug or a
repository another id already has — is reported and skipped whole. Every file is written
atomically, and only when its text changes, so importing an unchanged source twice
changes no file.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..enrich.store import read_json, write_json, write_text
from ..new import id_marks, ids_text
from ..records import ENRICHED_DIR, IDS_FILE, SITE_FILE, read_sources
from ..repos import normalise_repo_url

STATE = ".import/state.json"
"""What the last import wrote (file → SHA-256 of its text), committed with the records."""
SCHEMA_LINE = "# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json\n"
SITE_TEXT = """\
# yaml-language-server: $schema=../generator/schemas/site.schema.json
# Site settings, written by `djp import`: set site_url and repository to your own.
site_url: https://example.org/
title: Django Packages
description: Reusable apps, sites, tools and more for your Django projects.
repository: example/djangopackages-static
branch: main
"""
SINGULAR = {"packages": "package", "grids": "grid", "categories": "category"}


@dataclass
class Outcome:
    """What one import did to the tree."""

    written: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0
    edited_here: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """`what: why` lines."""


def record_text(kind: str, record: dict[str, Any]) -> str:
    """A record's YAML, headed by the schema line editors use."""
    body = yaml.safe_dump(record, sort_keys=False, allow_unicode=True, width=100)
    return SCHEMA_LINE.format(kind=SINGULAR[kind]) + body


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class Tree:
    """A content folder as the import sees it: records by kind and id, and its state."""

    root: Path
    marks: dict[str, int] = field(default_factory=dict)
    """Highest id given per kind before this import (`new.id_marks`)."""
    by_id: dict[str, dict[int, str]] = field(default_factory=dict)
    """kind → id → file (relative to root)."""
    repos: dict[str, int] = field(default_factory=dict)
    state: dict[str, str] = field(default_factory=dict)
    outcome: Outcome = field(default_factory=Outcome)

    @classmethod
    def read(cls, root: Path) -> Tree:
        """The folder through the records reader every command uses (bounded, no
        symlinks); files it cannot parse are not the import's to merge into."""
        sources = read_sources(root)
        tree = cls(
            root, marks=id_marks(sources), state=(read_json(root / STATE) or {}).get("files", {})
        )
        for kind, found in sources.records.items():
            records = [
                s for s in found if isinstance(s.data, dict) and isinstance(s.data.get("id"), int)
            ]
            tree.by_id[kind] = {s.data["id"]: s.path for s in records}
            if kind == "packages":
                tree.repos = {
                    normalise_repo_url(s.data["repo_url"]): s.data["id"]
                    for s in records
                    if isinstance(s.data.get("repo_url"), str)
                }
        return tree

    def put(self, kind: str, slug: str, record: dict[str, Any]) -> bool:
        """Merge one record; True when the tree now holds it as imported (written or
        already so), False when it was skipped or kept as edited here."""
        rel, ident, text = f"{kind}/{slug}.yaml", record["id"], record_text(kind, record)
        here = self.by_id[kind].get(ident)
        if here is not None and here != rel:
            return self._skip(f"{rel}: id {ident} is {here} here; rename it there first")
        if here is None and (self.root / rel).exists():
            return self._skip(f"{rel}: slug {slug!r} belongs to another id here")
        repo = normalise_repo_url(record["repo_url"]) if kind == "packages" else None
        if repo and self.repos.get(repo, ident) != ident:
            return self._skip(
                f"{rel}: repository {record['repo_url']} is package id {self.repos[repo]}'s"
            )
        path = self.root / rel
        if here is not None:
            current = path.read_text(encoding="utf-8")
            if current == text:
                self.state[rel] = _digest(text)
                self.outcome.unchanged += 1
                return True
            if self.state.get(rel) != _digest(current):
                self.outcome.edited_here.append(rel)
                return False
        write_text(path, text)
        self.by_id[kind][ident] = rel
        if repo:
            self.repos[repo] = ident
        self.state[rel] = _digest(text)
        self.outcome.written[kind] = self.outcome.written.get(kind, 0) + 1
        return True

    def put_enrichment(self, ident: int, facts: dict[str, Any]) -> None:
        """Upstream facts, unless this tree fetched newer ones itself."""
        path = self.root / ENRICHED_DIR / f"{ident}.json"
        current = read_json(path)
        if isinstance(current, dict) and (current.get("last_fetched") or "") > (
            facts["last_fetched"] or ""
        ):
            return
        if write_json(path, facts):
            self.outcome.written["enriched"] = self.outcome.written.get("enriched", 0) + 1
        else:
            self.outcome.unchanged += 1

    def _skip(self, why: str) -> bool:
        self.outcome.skipped.append(why)
        return False

    def finish(self) -> None:
        """ids.yaml raised to every id in use, site.yaml when missing, and the state."""
        marks = {kind: max([self.marks.get(kind, 0), *ids]) for kind, ids in self.by_id.items()}
        write_text(self.root / IDS_FILE, ids_text(marks))
        if not (self.root / SITE_FILE).exists():
            write_text(self.root / SITE_FILE, SITE_TEXT)
        write_json(self.root / STATE, {"files": dict(sorted(self.state.items()))})
