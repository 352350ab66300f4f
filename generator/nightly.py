"""`djp nightly`: the words of the nightly workflow, its commit message and job summary.

The workflow runs `djp enrich --report enrich-report.json`, stages the changed
`content/enriched/<id>.json` files, and pipes `git diff --cached --name-status` into
`djp nightly commit-message`, which names the packages whose facts changed. `djp nightly
summary` turns the report into Markdown for `$GITHUB_STEP_SUMMARY`. The fetch runs in a
read-only job; the job that may push takes its files with `djp nightly take`, which
copies only `<id>.json` files, regular and small, that are JSON objects. Both read the report
generically (scalars as a table, mappings as sub-tables, lists as items), so fields the
enricher adds show up without a change here. Upstream text reaches both (repository
paths in `moved`): the summary shows every key and value but numbers as a Markdown code
span (no image, link or HTML can be written), the commit message, which
the workflow prints into its log, keeps each value on one line (`log_safe`).
"""

from __future__ import annotations

import json
import re
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import click

from .enrich.store import read_json
from .enrich.summary import log_safe
from .options import content_option
from .records import read_sources

TAKEN_RE = re.compile(r"[1-9][0-9]{0,8}\.json")
TAKEN_MAX = 1024 * 1024
"""Largest package file the commit job takes (real ones are a few KiB)."""
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
        run = [log_safe(f"{k} {v}") for k, v in report.items() if isinstance(v, int | float | str)]
        lines += ["", "Run: " + ", ".join(run)] if run else []
    return "\n".join(lines).rstrip() + "\n"


def _cell(value: Any, table: bool = True) -> str:
    """A key or value of the report in Markdown: numbers as they are, anything else
    (upstream text included) as a code span, where Markdown and HTML are inert."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    text = " ".join(text.splitlines())
    fence = "`" * (max((len(run) for run in re.findall("`+", text)), default=0) + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    span = f"{fence}{pad}{text}{pad}{fence}"
    return span.replace("|", "\\|") if table else span


def summary_markdown(report: Any) -> str:
    """The enrichment report as Markdown: a table of its numbers, then one per section."""
    if not isinstance(report, dict):
        return "## Nightly enrichment\n\nThe enricher wrote no report.\n"
    out = ["## Nightly enrichment", "", "| | |", "|---|---|"]
    out += [
        f"| {_cell(k)} | {_cell(v)} |" for k, v in report.items() if not isinstance(v, dict | list)
    ]
    for key, value in report.items():
        if isinstance(value, dict) and value:
            out += ["", f"### {_cell(key, table=False)}", "", "| | |", "|---|---|"]
            out += [f"| {_cell(k)} | {_cell(v)} |" for k, v in value.items()]
        elif isinstance(value, list) and value:
            out += ["", f"### {_cell(key, table=False)}", ""] + [
                f"- {_cell(v, table=False)}" for v in value
            ]
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


def refusals(source: Path) -> tuple[list[Path], list[str]]:
    """The files of the fetch job's artifact worth taking, and why any other is refused."""
    taken, refused = [], []
    for path in sorted(source.iterdir()):
        mode = path.lstat().st_mode
        if not TAKEN_RE.fullmatch(path.name):
            refused.append(f"{path.name}: not a package file name (<id>.json)")
        elif not stat.S_ISREG(mode):
            refused.append(f"{path.name}: not a regular file")
        elif path.lstat().st_size > TAKEN_MAX:
            refused.append(f"{path.name}: over {TAKEN_MAX} bytes")
        elif not isinstance(_strict_json(path), dict):
            refused.append(f"{path.name}: not a JSON object")
        else:
            taken.append(path)
    return taken, refused


def _strict_json(path: Path) -> object:
    """The file's JSON, or None when it is not JSON (`NaN` and `Infinity` are not)."""

    def refuse(name: str) -> None:
        raise ValueError(name)

    try:
        return json.loads(path.read_bytes(), parse_constant=refuse)
    except ValueError:
        return None


@nightly.command(name="take")
@click.argument("source", type=click.Path(path_type=Path, file_okay=False))
@content_option()
def take_command(source: Path, content: Path) -> None:
    """Copy the fetched package files from SOURCE into CONTENT/enriched/, all or none."""
    if not source.is_dir():
        raise click.ClickException(f"{source}: no fetched files (the fetch job uploads them)")
    taken, refused = refusals(source)
    if refused:
        lines = "\n".join(f"  refused: {log_safe(r)}" for r in refused)
        raise click.ClickException(f"the fetched files are not all package files:\n{lines}")
    target = content / "enriched"
    target.mkdir(parents=True, exist_ok=True)
    for path in taken:
        shutil.copyfile(path, target / path.name)
    click.echo(f"took {len(taken)} package files into {target}")
