"""Render stage, browser data: the prebuilt search index and the list rows.

This site has no server to answer a query or re-sort a list, so the browser does both
from two compact JSON files written here (`static/site.js` reads them):

- `search/index.json`: one row per package and grid, `[kind, slug, title, text,
  weight, path]`, where `kind` is `p` or `g`, `text` is the plain description cut to
  `DESCRIPTION_CHARS` and `path` the page's (from `urls`: the script builds none).
  About 25 KB compressed per 1,000 packages; the ranking (title over slug over
  description, prefixes, typos, then weight) is done in the browser.
- `packages/rows.json`: what the package lists show and filter on, one row per package.

Arrays instead of objects keep the files small; `columns` names the fields.
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..derive import SUPPORT, PackageView, Site, releases
from .api_v4 import dump_json

DESCRIPTION_CHARS = 120
SEARCH_COLUMNS = ("kind", "slug", "title", "text", "weight", "path")
ROW_COLUMNS = (
    "slug",
    "path",
    "title",
    "category",
    "stars",
    "forks",
    "commit",
    "score",
    "version",
    "django",
    "python",
    "flags",
)
ARCHIVED, DEPRECATED = 1, 2
Outputs = dict[str, bytes]


def plain(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """One line of at most `limit` characters, cut at a word boundary."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    return line[:limit].rsplit(" ", 1)[0] + "…"


def search_index(site: Site) -> dict[str, Any]:
    rows: list[list[Any]] = [
        [
            "p",
            v.slug,
            v.package.title,
            plain(v.package.description or v.repo.description),
            v.weight,
            v.path,
        ]
        for v in site.packages
    ]
    rows += [
        ["g", g.grid.slug, g.grid.title, plain(g.grid.description), g.weight, g.path]
        for g in site.grids
    ]
    return {"columns": SEARCH_COLUMNS, "rows": rows}


def list_row(view: PackageView, found: dict[str, tuple[str, ...]]) -> list[Any]:
    """One package as the lists need it; `django`/`python` are the releases it supports."""
    supported = {
        kind: [r for r in found[kind] if support(view, r) is True]
        for kind, support in SUPPORT.items()
    }
    commit = view.repo.last_commit
    return [
        view.slug,
        view.path,
        view.package.title,
        view.category.slug,
        view.repo.stars,
        view.repo.forks,
        commit.date().isoformat() if commit else None,
        view.score,
        view.pypi.version if view.pypi and view.pypi.version else None,
        supported["django"],
        supported["python"],
        (ARCHIVED if view.repo.archived else 0) | (DEPRECATED if view.deprecated else 0),
    ]


def list_rows(site: Site) -> dict[str, Any]:
    found = {kind: releases(site.packages, kind) for kind in SUPPORT}
    return {
        "columns": ROW_COLUMNS,
        "categories": {c.slug: c.title for c in site.categories},
        "rows": [list_row(v, found) for v in site.packages],
    }


def render_search(site: Site) -> Outputs:
    """The search index and the list rows, keyed by output path."""
    return {
        urls.SEARCH_INDEX: dump_json(search_index(site)),
        urls.LIST_ROWS: dump_json(list_rows(site)),
    }
