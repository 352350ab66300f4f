"""`djp import [URL]`: the recipe — fetch every list, map each document, merge, report."""

from __future__ import annotations

import asyncio
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import click
import httpx

from ..options import content_option
from .fetch import USER_AGENT, Fetcher, FetchError
from .mapping import category_record, grid_record, id_from_url, package_enrichment, package_record
from .tree import Outcome, Tree

DEFAULT_URL = "https://djangopackages.org/api/v4/"
CACHE = ".import/cache"
"""Pages read so far; a killed import re-reads them from here. Removed once it completes."""
LISTS = ("categories", "grids", "packages")


@dataclass
class Report:
    outcome: Outcome
    requests: int
    seconds: float
    counts: dict[str, int]

    def lines(self) -> list[str]:
        o = self.outcome
        written = ", ".join(f"{n} {kind}" for kind, n in sorted(o.written.items())) or "nothing"
        found = ", ".join(f"{n} {kind}" for kind, n in self.counts.items())
        out = [
            f"imported {found}: wrote {written}, {o.unchanged} files unchanged, "
            f"{len(o.edited_here)} edited here kept, {len(o.skipped)} skipped; "
            f"{self.requests} requests in {self.seconds:.1f} s"
        ]
        out += [f"  kept (edited here since the last import): {rel}" for rel in o.edited_here]
        out += [f"  skipped {why}" for why in o.skipped]
        return out


def _progress(kind: str):
    """A progress line per list on a terminal; silent in logs."""

    def show(done: int, total: int) -> None:
        if sys.stderr.isatty():
            click.echo(f"\r{kind}: {done}/{total}", nl=done >= total, err=True)

    return show


async def run_import(
    url: str,
    content: Path,
    *,
    timeout: float = 30.0,
    backoff: float = 1.0,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Report:
    """Import the API v4 at `url` into `content`; raises FetchError when a list cannot be
    read (the pages read so far stay cached for the next run)."""
    started = time.monotonic()
    tree = Tree.read(content)
    async with httpx.AsyncClient(
        headers={"User-Agent": USER_AGENT, "Accept": "application/json"},
        timeout=timeout,
        follow_redirects=True,
        transport=transport,
    ) as client:
        fetcher = Fetcher(client, content / CACHE, backoff)
        root = await fetcher.get(url)
        docs = await asyncio.gather(
            *(fetcher.walk(urljoin(url, root[kind]), _progress(kind)) for kind in LISTS)
        )
    categories, grids, packages = (sorted(d, key=lambda doc: doc["id"]) for d in docs)
    merge(tree, categories, grids, packages)
    tree.finish()
    shutil.rmtree(content / CACHE, ignore_errors=True)
    counts = {kind: len(d) for kind, d in zip(LISTS, docs, strict=True)}
    return Report(tree.outcome, fetcher.requests, time.monotonic() - started, counts)


def merge(tree: Tree, categories: list[Any], grids: list[Any], packages: list[Any]) -> None:
    """Categories, then packages (which name their category), then grids (which name
    their packages): each kept only when what it points at came over."""
    category_slugs: dict[int, str] = {}
    for doc in categories:
        slug, record = category_record(doc)
        if tree.put("categories", slug, record):
            category_slugs[doc["id"]] = slug
    package_slugs: dict[int, str] = {}
    for doc in packages:
        if id_from_url(doc["category"]) not in category_slugs:
            tree.outcome.skipped.append(f"package {doc['slug']}: its category did not come over")
            continue
        if tree.put("packages", doc["slug"], package_record(doc, category_slugs)):
            package_slugs[doc["id"]] = doc["slug"]
            if facts := package_enrichment(doc):
                tree.put_enrichment(doc["id"], facts)
    for doc in grids:
        record = grid_record(doc, package_slugs)
        if missing := len(doc.get("packages", [])) - len(record["packages"]):
            tree.outcome.skipped.append(
                f"grid {doc['slug']}: {missing} members that did not come over"
            )
        tree.put("grids", doc["slug"], record)


@click.command(name="import")
@click.argument("url", default=DEFAULT_URL)
@content_option("Folder to import into (created when missing; merged by id when not).")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Seconds per request.")
@click.option(
    "--backoff",
    type=float,
    default=1.0,
    show_default=True,
    help="First wait in seconds after a failed request, doubled on each retry (at most 60).",
)
def import_command(url: str, content: Path, timeout: float, backoff: float) -> None:
    """Import a djangopackages API v4 (default: djangopackages.org's) into content/."""
    try:
        report = asyncio.run(run_import(url, content, timeout=timeout, backoff=backoff))
    except FetchError as exc:
        raise click.ClickException(f"{exc}; run again to continue where this stopped") from None
    for line in report.lines():
        click.echo(line)
