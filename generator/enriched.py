"""Merge stage, input side: machine-written facts as model objects, and back.

The enricher writes one JSON document per package at `content/enriched/<id>.json`
(keyed by id, which never changes, so renaming a package keeps its data). These two
functions are the whole contract between `djp enrich` and `djp build`: unknown keys are
ignored on reading so the enricher can keep extra bookkeeping beside the facts.
"""

from __future__ import annotations

from dataclasses import Field, fields
from datetime import UTC, datetime
from functools import cache
from typing import Any

from .model import Enrichment, PypiFacts, RepoFacts


def format_datetime(value: datetime | None) -> str | None:
    """UTC ISO 8601 with a `Z` suffix, as DRF writes it; None stays None."""
    if value is None:
        return None
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def parse_datetime(text: str) -> datetime:
    """An ISO 8601 date or date-time (records, the enricher's files, forge and PyPI
    answers) as an aware UTC datetime: `Z` and offsets are honoured, naive means UTC.
    Raises ValueError for no real date, also one a time zone takes past year 9999."""
    value = datetime.fromisoformat(text)
    try:
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    except OverflowError:
        raise ValueError("out of range once converted to UTC") from None


def _datetime(value: str | None) -> datetime | None:
    return None if value is None else parse_datetime(value)


@cache
def _fields(cls: type) -> tuple[Field, ...]:
    """`dataclasses.fields`, looked up once per class (it is slow, and runs per package)."""
    return fields(cls)


def _facts(cls: type, data: dict[str, Any] | None):
    if data is None:
        return None
    values = {}
    for f in _fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        if isinstance(value, list):
            value = tuple(value)
        elif f.type == "datetime | None":
            value = _datetime(value)
        values[f.name] = value
    return cls(**values)


def parse_enrichment(data: dict[str, Any]) -> Enrichment:
    """An `Enrichment` from the JSON document the enricher wrote."""
    return Enrichment(
        last_fetched=_datetime(data.get("last_fetched")),
        modified=_datetime(data.get("modified")),
        repo=_facts(RepoFacts, data.get("repo")),
        pypi=_facts(PypiFacts, data.get("pypi")),
    )


def _plain(obj: Any) -> Any:
    if obj is None:
        return None
    out = {}
    for f in _fields(type(obj)):
        value = getattr(obj, f.name)
        if isinstance(value, datetime):
            value = format_datetime(value)
        elif isinstance(value, tuple):
            value = list(value)
        out[f.name] = value
    return out


def enrichment_document(e: Enrichment) -> dict[str, Any]:
    """The JSON document for an `Enrichment` (inverse of `parse_enrichment`)."""
    return {
        "last_fetched": format_datetime(e.last_fetched),
        "modified": format_datetime(e.modified),
        "repo": _plain(e.repo),
        "pypi": _plain(e.pypi),
    }
