"""Render stage, JSON: the static API v4 (see the API page and docs/api-v4.md).

Every document is a directory holding `index.json`, lists are paginated by path, every
link is absolute from the configured site URL, and the v4 keys come first in the order
the dynamic API writes them; richer fields follow them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .. import urls
from ..derive import GridView, PackageView, Site
from ..enriched import format_datetime as dt
from ..model import Category
from .markup import http_url

PAGE_SIZE = 20
Outputs = dict[str, bytes]


def dump_json(document: Any) -> bytes:
    """Compact JSON as DRF writes it, UTF-8, ending in a newline."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text + "\n").encode()


class ApiUrls:
    """API URLs for one version: absolute from the site URL (v4), site-relative (v3)."""

    def __init__(self, base: str, version: str = "v4"):
        self.base = base
        self.path = urls.api_v4 if version == "v4" else urls.api_v3

    def __call__(self, *parts: str | int) -> str:
        return urls.url(self.base, self.path(*parts))

    def file(self, *parts: str | int) -> str:
        """The build path of the document at `self(*parts)`."""
        return urls.document_file(self.path(*parts))


def package_document(view: PackageView, url: ApiUrls) -> dict[str, Any]:
    """A package: the v4 keys in order, then the richer facts of this site."""
    p, repo = view.package, view.repo
    pypi = view.pypi
    return {
        "category": url("categories", view.category.id),
        "grids": [url("grids", g.id) for g in view.grids],
        "id": p.id,
        "title": p.title,
        "slug": p.slug,
        "last_updated": dt(repo.last_commit),
        "last_fetched": dt(view.last_fetched),
        "repo_url": p.repo_url,
        "pypi_version": pypi.version if pypi else None,
        "created": dt(p.created),
        "modified": dt(view.modified),
        "repo_forks": repo.forks,
        "repo_description": repo.description,
        "pypi_url": view.pypi_url,
        "documentation_url": http_url(view.documentation_url),
        "repo_watchers": repo.stars,
        "commits_over_52": list(repo.commits_over_52),
        "participants": list(repo.participants),
        # Richer fields, after the v4 keys.
        "score": view.score,
        "weight": view.weight,
        "description": p.description or "",
        "repo_archived": repo.archived,
        "repo_moved_to": http_url(repo.moved_to),
        "repo_gone": repo.gone,
        "license": view.license,
        "pypi_name": p.pypi_name or "",
        "pypi_released": dt(pypi.released) if pypi else None,
        "pypi_yanked": pypi.yanked if pypi else False,
        "requires_python": pypi.requires_python if pypi else None,
        "supports_python3": view.python3,
        "django_versions": list(view.django_versions),
        "python_versions": list(view.python_versions),
        "development_status": view.development_status,
        "deprecated_since": dt(p.deprecated_since),
        "replaced_by": url("packages", view.replaced_by.id) if view.replaced_by else None,
    }


def grid_document(view: GridView, url: ApiUrls) -> dict[str, Any]:
    """A grid: the v4 keys in order, then its comparison table."""
    g = view.grid
    return {
        "id": g.id,
        "title": g.title,
        "slug": g.slug,
        "description": g.description,
        "is_locked": g.is_locked,
        "packages": [url("packages", v.package.id) for v in view.packages],
        "header": g.header,
        "created": dt(g.created),
        "modified": dt(g.modified),
        # The comparison table, which the dynamic API never published.
        "features": [{"title": f.title, "description": f.description} for f in g.features],
        "cells": {
            v.slug: {f.title: g.cells.get(v.slug, {}).get(f.title, "") for f in g.features}
            for v in view.packages
        },
    }


def category_document(category: Category) -> dict[str, Any]:
    c = category
    return {
        "id": c.id,
        "title": c.title,
        "slug": c.slug,
        "description": c.description,
        "title_plural": c.title_plural,
        "show_pypi": c.show_pypi,
        "created": dt(c.created),
        "modified": dt(c.modified),
    }


def search_documents(site: Site) -> list[dict[str, Any]]:
    """One search document per package and grid, highest weight first."""
    base = site.settings.base_path
    docs = []
    for v in site.packages:
        docs.append(
            {
                "title": v.package.title,
                "slug": v.slug,
                "description": v.repo.description or v.package.description or "",
                "category": v.category.title,
                "absolute_url": urls.url(base, v.path),
                "item_type": "package",
                "weight": v.weight,
                "repo_watchers": v.repo.stars,
                "repo_forks": v.repo.forks,
                "score": v.score,
                "participants": ",".join(v.repo.participants),
                "last_committed": dt(v.repo.last_commit),
                "last_released": dt(v.pypi.released) if v.pypi else None,
                "created": dt(v.package.created),
                "modified": dt(v.modified),
            }
        )
    for g in site.grids:
        docs.append(
            {
                "title": g.grid.title,
                "slug": g.grid.slug,
                "description": g.grid.description,
                "category": "",
                "absolute_url": urls.url(base, g.path),
                "item_type": "grid",
                "weight": g.weight,
                "repo_watchers": 0,
                "repo_forks": 0,
                "score": 0,
                "participants": "",
                "last_committed": None,
                "last_released": None,
                "created": dt(g.grid.created),
                "modified": dt(g.grid.modified),
            }
        )
    docs.sort(key=lambda d: (-d["weight"], d["title"].lower(), d["item_type"], d["slug"]))
    return docs


@dataclass(frozen=True)
class Page:
    """One page of a list and the path links around it; each version wraps it its way."""

    results: list[Any]
    count: int
    offset: int
    next: str | None
    previous: str | None
    limit: int = PAGE_SIZE


Envelope = Callable[[Page], dict[str, Any]]


def v4_envelope(page: Page) -> dict[str, Any]:
    return {
        "count": page.count,
        "next": page.next,
        "previous": page.previous,
        "results": page.results,
    }


def paginate(
    prefix: str, url: ApiUrls, documents: Sequence[Any], envelope: Envelope
) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, envelope) for every page of a list, paged by path (a static host ignores
    `?offset=`). `documents` must already be in list order. Page 1 is written twice: at
    the list's own URL and at `page/1/`.
    """
    pages = max(1, -(-len(documents) // PAGE_SIZE))
    root = url.path(prefix)

    def link(n: int) -> str:
        return urls.url(url.base, urls.list_page(root, n))

    for n in range(1, pages + 1):
        page = Page(
            results=list(documents[(n - 1) * PAGE_SIZE : n * PAGE_SIZE]),
            count=len(documents),
            offset=(n - 1) * PAGE_SIZE,
            next=link(n + 1) if n < pages else None,
            previous=link(n - 1) if n > 1 else None,
        )
        if n == 1:
            yield urls.document_file(root), envelope(page)
        yield urls.document_file(urls.page_of(root, n)), envelope(page)


def add_collection(
    out: Outputs,
    name: str,
    url: ApiUrls,
    documents: Sequence[tuple[Sequence[str | int], dict[str, Any]]],
    envelope: Envelope,
) -> None:
    """Each (lookups, document), ordered by id, at every lookup; then the pages, newest
    (highest id) first, as the dynamic API lists them."""
    for lookups, doc in documents:
        body = dump_json(doc)
        for key in lookups:
            out[url.file(name, key)] = body
    newest_first = [doc for _, doc in reversed(documents)]
    for path, page in paginate(name, url, newest_first, envelope):
        out[path] = dump_json(page)


def _collection(
    out: Outputs,
    name: str,
    url: ApiUrls,
    items: Sequence[Any],
    document: Callable[[Any], dict[str, Any]],
    by_slug: bool,
) -> None:
    """Item documents (by id, and by slug when asked), pages and the bulk file; `items`
    are in id order, as the derived `Site` keeps them."""
    docs = [document(item) for item in items]
    lookups = [(d["id"], d["slug"]) if by_slug else (d["id"],) for d in docs]
    add_collection(out, name, url, list(zip(lookups, docs, strict=True)), v4_envelope)
    out[urls.api_bulk(name)] = dump_json(docs)


def render_api(site: Site) -> Outputs:
    """Every file of the static API v4, keyed by its path in the build."""
    url = ApiUrls(site.settings.site_url)
    out: Outputs = {
        url.file(): dump_json(
            {
                "packages": url("packages"),
                "search": url("search"),
                "grids": url("grids"),
                "categories": url("categories"),
            }
        )
    }
    _collection(
        out,
        "packages",
        url,
        site.packages,
        lambda v: package_document(v, url),
        by_slug=True,
    )
    _collection(
        out,
        "grids",
        url,
        site.grids,
        lambda g: grid_document(g, url),
        by_slug=True,
    )
    _collection(
        out,
        "categories",
        url,
        site.categories,
        category_document,
        by_slug=False,
    )
    out[url.file("search")] = dump_json(search_documents(site))
    return out
