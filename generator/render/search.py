"""Render stage, browser data: the prebuilt search index and the list rows.

This site has no server to answer a query or re-sort a list, so the browser does both
from compact JSON files written here (`static/site.js` reads them, only once someone
uses the search box or the list controls):

- `search/index.json`: one row per package and grid with what matching by name and a
  result line need (`SEARCH_COLUMNS`), and `paths`, the page path of each kind with a
  `{slug}` to fill (from `urls`, so the script writes no path of its own; a path per row
  would add a fifth to the index); a title equal to the slug is written as "".
  Small enough to arrive in about a second on a slow link, so the first suggestion
  does not wait for descriptions.
- `search/text.json`: the whole plain-text description of each entry, in the index's
  order, fetched right after it: descriptions match and show as snippets once it is in.
- `packages/rows.json`: what the package lists show and filter on, one row per package;
  supported Django and Python releases are bit masks over the `django` and `python`
  release lists.

Arrays instead of objects keep the files small; `columns` names the fields. Unknown
facts (a package never fetched) are null, never 0.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from .. import urls
from ..derive import SUPPORT, PackageView, Site, releases
from .api_v4 import dump_json
from .markup import render_markdown

SEARCH_COLUMNS = (
    "kind",
    "slug",
    "title",
    "aliases",
    "category",
    "version",
    "stars",
    "commit",
    "flags",
    "weight",
)
ROW_COLUMNS = (
    "slug",
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


def plain(markdown: str) -> str:
    """Markdown as one line of plain text: what it reads as, without its markup."""
    return Markup(render_markdown(markdown)).striptags() if markdown else ""


def flags(view: PackageView) -> int:
    return (ARCHIVED if view.repo.archived else 0) | (DEPRECATED if view.deprecated else 0)


def short_title(title: str, slug: str) -> str:
    return "" if title == slug else title


def commit_date(view: PackageView) -> str | None:
    commit = view.repo.last_commit
    return commit.date().isoformat() if commit else None


def search_row(view: PackageView) -> list[Any]:
    fetched = view.last_fetched is not None
    return [
        "p",
        view.slug,
        short_title(view.package.title, view.slug),
        list(view.package.aliases),
        view.category.title,
        view.pypi.version if view.pypi and view.pypi.version else None,
        view.repo.stars if fetched else None,
        commit_date(view),
        flags(view),
        view.weight,
    ]


def search_index(site: Site) -> dict[str, Any]:
    rows = [search_row(v) for v in site.packages]
    rows += [
        [
            "g",
            g.grid.slug,
            short_title(g.grid.title, g.grid.slug),
            [],
            None,
            None,
            None,
            None,
            0,
            g.weight,
        ]
        for g in site.grids
    ]
    return {"columns": SEARCH_COLUMNS, "paths": {"p": urls.PACKAGE, "g": urls.GRID}, "rows": rows}


def search_text(site: Site) -> dict[str, Any]:
    """Descriptions in full, in `search_index` order."""
    text = [plain(v.package.description or v.repo.description) for v in site.packages]
    text += [plain(g.grid.description) for g in site.grids]
    return {"rows": text}


def mask(view: PackageView, kind: str, found: list[str]) -> int:
    """Bit i set when `view` supports release `found[i]`."""
    support = SUPPORT[kind]
    return sum(1 << i for i, release in enumerate(found) if support(view, release) is True)


def list_row(view: PackageView, found: dict[str, list[str]]) -> list[Any]:
    """One package as the lists need it; `django`/`python` mask the releases it supports."""
    return [
        view.slug,
        short_title(view.package.title, view.slug),
        view.category.slug,
        view.repo.stars,
        view.repo.forks,
        commit_date(view),
        view.score,
        view.pypi.version if view.pypi and view.pypi.version else None,
        mask(view, "django", found["django"]),
        mask(view, "python", found["python"]),
        flags(view),
    ]


def list_rows(site: Site) -> dict[str, Any]:
    found = {kind: list(releases(site.packages, kind)) for kind in SUPPORT}
    return {
        "columns": ROW_COLUMNS,
        "path": urls.PACKAGE,
        "categories": {c.slug: c.title for c in site.categories},
        **found,
        "rows": [list_row(v, found) for v in site.packages],
    }


def render_search(site: Site) -> Outputs:
    """The search index and text and the list rows, keyed by output path."""
    return {
        urls.SEARCH_INDEX: dump_json(search_index(site)),
        urls.SEARCH_TEXT: dump_json(search_text(site)),
        urls.LIST_ROWS: dump_json(list_rows(site)),
    }
