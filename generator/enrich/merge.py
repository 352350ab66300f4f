"""The rules that turn last night's package file and this run's outcomes into the new
one (pure: no clock, no state, no network; everything is an argument)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from ..enriched import enrichment_document, format_datetime, parse_datetime
from ..model import Enrichment, PypiFacts, RepoFacts
from .jobs import Outcome

GONE_KINDS = frozenset({"not_found", "blocked"})
"""Errors that, night after night, mean the repository is no longer there."""
DEFAULTS = enrichment_document(Enrichment(repo=RepoFacts(), pypi=PypiFacts()))
"""Every fact field with its empty value, per section, as the package file holds it."""


def gone_verdict(
    outcome: Outcome, error_count: int, gone_after: int, was_gone: bool
) -> bool | None:
    """`repo.gone` after this outcome: True after `gone_after` nights of 404/451 in a
    row, False once the repository answers again, None to leave it as it is."""
    if outcome.error is not None:
        lost = outcome.error.kind in GONE_KINDS and error_count >= gone_after
        return True if lost else None
    if outcome.skipped or not was_gone:
        return None
    return False


def _facts(name: str, base: dict[str, Any] | None, updates: dict[str, Any]) -> dict[str, Any]:
    """A complete, canonical facts section: defaults, then the old values, then the new."""
    plain = DEFAULTS[name]
    merged = {**plain, **{k: v for k, v in (base or {}).items() if k in plain}}
    merged.update({k: v for k, v in updates.items() if k in plain})
    return merged


def merge_document(
    previous: dict[str, Any],
    outcomes: dict[str, Outcome],
    now: datetime,
    stamp_days: float,
    gone: bool | None = None,
) -> dict[str, Any]:
    """The new package file from the old one and this run's outcomes.

    Failed or skipped sources keep their last good section; `gone` (from
    `gone_verdict`) sets `repo.gone` when not None. `modified` moves only when a
    published fact changes; `last_fetched` when something was fetched and either a fact
    changed or the stamp is older than `stamp_days` (so quiet nights write nothing).
    """
    document = dict(previous)
    for name in ("repo", "pypi"):
        outcome = outcomes.get(name)
        if outcome and (outcome.updates or outcome.not_modified):
            document[name] = _facts(name, previous.get(name), outcome.updates)
            document.update(outcome.extra)
    if gone is not None:
        document["repo"] = _facts("repo", document.get("repo"), {"gone": gone})
    document.setdefault("repo", None)
    document.setdefault("pypi", None)
    changed = any(document[k] != previous.get(k) for k in ("repo", "pypi"))
    stamp = format_datetime(now)
    if changed or previous.get("modified") is None:
        document["modified"] = stamp
    succeeded = any(
        o.updates or o.not_modified for o in outcomes.values() if o.error is None and not o.skipped
    )
    old = parse_datetime(previous["last_fetched"]) if previous.get("last_fetched") else None
    if succeeded and (changed or old is None or now - old >= timedelta(days=stamp_days)):
        document["last_fetched"] = stamp
    document.setdefault("last_fetched", None)
    return document
