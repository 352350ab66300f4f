"""`djp nightly`: the words of the nightly workflow, its commit message and job summary.

The workflow runs `djp enrich --report enrich-report.json`, stages the changed
`content/enriched/<id>.json` files, and pipes `git diff --cached --name-status` into
`djp nightly commit-message`, which names the packages whose facts changed. `djp nightly
summary` turns the report into Markdown for `$GITHUB_STEP_SUMMARY`. Both read the report
generically (scalars as a table, mappings as sub-tables, lists as items), so fields the
enricher adds show up without a change here.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import click

from .enrich.store import read_json
from .options import content_option
from .records import read_sources

CHANGE_RE = re.compile(r"^([AMD])\t(?:\S+/)?enriched/(\d+)\.json$")
LISTED = 20
"""Packages named per kind of change in a commit message; more are counted."""


def changed_ids(name_status: str) -> dict[str, list[int]]:
    """Package ids per change (`A`dded, `M`odified, `D`eleted) from `--name-status` lines."""
    found: dict[str, list[int]] = {"A": [], "M": [], "D": []}
    for line in name_status.splitlines():
        if match := CHANGE_RE.match(line.strip()):
            found[match.group(1)].append(int(match.group(2)))
    return {k: sorted(v) for k, v in found.items()}


def _names(ids: list[int], slugs: dict[int, str]) -> str:
    shown = ", ".join(slugs.get(i, f"#{i}") for i in ids[:LISTED])
    return shown + (f" and {len(ids) - LISTED} more" if len(ids) > LISTED else "")


def commit_message(changes: dict[str, list[int]], slugs: dict[int, str], report: Any) -> str:
    """A subject counting what changed, and a body naming the packages and the run."""
    words = {"M": "updated", "A": "first fetched", "D": "removed"}
    counts = [f"{len(changes[k])} {w}" for k, w in words.items() if changes[k]]
    lines = [f"Nightly enrichment: {', '.join(counts) or 'no package changed'}", ""]
    lines += [
        f"{w.capitalize()}: {_names(changes[k], slugs)}" for k, w in words.items() if changes[k]
    ]
    if isinstance(report, dict):
        run = [f"{k} {v}" for k, v in report.items() if isinstance(v, int | float | str)]
        lines += ["", "Run: " + ", ".join(run)] if run else []
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    return text.replace("|", "\\|").replace("\n", " ")


def summary_markdown(report: Any) -> str:
    """The enrichment report as Markdown: a table of its numbers, then one per section."""
    if not isinstance(report, dict):
        return "## Nightly enrichment\n\nThe enricher wrote no report.\n"
    out = ["## Nightly enrichment", "", "| | |", "|---|---|"]
    out += [f"| {k} | {_cell(v)} |" for k, v in report.items() if not isinstance(v, dict | list)]
    for key, value in report.items():
        if isinstance(value, dict) and value:
            out += ["", f"### {key}", "", "| | |", "|---|---|"]
            out += [f"| {k} | {_cell(v)} |" for k, v in value.items()]
        elif isinstance(value, list) and value:
            out += ["", f"### {key}", ""] + [f"- {_cell(v)}" for v in value]
    return "\n".join(out) + "\n"


def _load_report(path: Path | None) -> Any:
    """The report, or None when the enricher stopped before writing it (or mid-way)."""
    return read_json(path) if path else None


@click.group(name="nightly")
def nightly() -> None:
    """Commit message and job summary for the nightly enrichment workflow."""


@nightly.command(name="commit-message")
@click.option(
    "--report",
    type=click.Path(path_type=Path, dir_okay=False),
    help="The enrichment report (djp enrich --report) whose numbers end the message.",
)
@content_option()
def commit_message_command(report: Path | None, content: Path) -> None:
    """Read `git diff --cached --name-status` on stdin; print the commit message."""
    packages = read_sources(content).records["packages"]
    slugs = {s.data["id"]: s.stem for s in packages if isinstance(s.data, dict) and "id" in s.data}
    changes = changed_ids(sys.stdin.read())
    click.echo(commit_message(changes, slugs, _load_report(report)), nl=False)


@nightly.command(name="summary")
@click.argument("report", type=click.Path(path_type=Path, dir_okay=False))
def summary_command(report: Path) -> None:
    """Print the enrichment report as Markdown (for $GITHUB_STEP_SUMMARY)."""
    click.echo(summary_markdown(_load_report(report)), nl=False)
