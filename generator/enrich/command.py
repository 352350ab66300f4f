"""`djp enrich [SLUG…]`: fetch facts from the forges and PyPI into `content/enriched/`.

Shows a progress bar on a terminal and plain log lines otherwise, and ends with a
summary (fetched, unchanged, failed by reason, requests and GraphQL points per API,
time); `--report FILE` writes the same summary as JSON for the workflow to post.
Base URLs, tokens and self-hosted instances come from the environment, read once
(`generator.enrich.endpoints`).
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from ..options import content_option
from .client import MAX_WAIT
from .endpoints import EndpointError, Endpoints
from .options import Options
from .runner import run_enrichment
from .store import write_json
from .summary import summary_lines


@contextmanager
def progress_reporter() -> Iterator[Callable[[int, int], None]]:
    """A progress bar on a terminal; elsewhere (Actions logs) a line per chunk done."""
    if not sys.stderr.isatty():
        yield lambda done, total: click.echo(f"enrich: {done}/{total} packages done", err=True)
        return
    with click.progressbar(length=1, label="enriching", file=sys.stderr) as bar:

        def advance(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        yield advance


@click.command("enrich")
@click.argument("slugs", nargs=-1)
@content_option("The content folder; facts go to CONTENT/enriched/<id>.json.")
@click.option(
    "--state",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Bookkeeping file (ETags, errors) [default: CONTENT/enriched/_state.json].",
)
@click.option("--budget", type=int, help="Most requests per API in this run.")
@click.option("--time-limit", type=float, help="Seconds after which no request starts or goes on.")
@click.option(
    "--max-wait",
    type=float,
    default=MAX_WAIT,
    show_default=True,
    help="Longest wait for a rate limit; a longer one gives that API up for the run.",
)
@click.option("--concurrency", type=int, default=8, show_default=True, help="Requests per API.")
@click.option(
    "--series",
    type=click.Choice(["history", "participation"]),
    default="history",
    show_default=True,
    help="GitHub weekly commits from GraphQL commit dates or REST stats/participation.",
)
@click.option(
    "--stamp-days",
    type=float,
    default=7.0,
    show_default=True,
    help="Rewrite last_fetched of an unchanged package only when older than this.",
)
@click.option(
    "--gone-after",
    type=int,
    default=3,
    show_default=True,
    help="Runs in a row of 404/451 before a repository is reported gone.",
)
@click.option("--retries", type=int, default=3, show_default=True, help="Retries per request.")
@click.option(
    "--timeout",
    type=float,
    default=30.0,
    show_default=True,
    help="Seconds one whole request may take, body included.",
)
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the summary as JSON to this file.",
)
def enrich(
    slugs: tuple[str, ...],
    content: Path,
    state: Path | None,
    budget: int | None,
    time_limit: float | None,
    max_wait: float,
    concurrency: int,
    series: str,
    stamp_days: float,
    gone_after: int,
    retries: int,
    timeout: float,
    report: Path | None,
) -> None:
    """Fetch repository and PyPI facts for SLUGs (all packages when none), stalest first."""
    options = Options(
        content=content,
        state=state,
        slugs=slugs,
        budget=budget,
        time_limit=time_limit,
        max_wait=max_wait,
        concurrency=concurrency,
        series=series,
        stamp_days=stamp_days,
        gone_after=gone_after,
        retries=retries,
        timeout=timeout,
    )
    try:
        endpoints = Endpoints.from_environ()
        with progress_reporter() as progress:
            summary = asyncio.run(run_enrichment(options, progress, endpoints))
    except (ValueError, KeyError, EndpointError) as exc:
        raise click.ClickException(str(exc)) from None
    for line in summary_lines(summary):
        click.echo(line)
    if report:
        write_json(report, summary.document())
