"""Render stage, JSON: the older API v3, for clients that never moved to v4.

Lookups are by slug only, links are site-relative paths (under the site's path prefix),
objects carry `resource_uri` and `absolute_url` but no `id`, and lists of numbers or
names are comma strings. Lists use the `meta`/`objects` envelope, paged by path like v4.
The `users` endpoints needed a login on the dynamic site and are not published.
"""

from __future__ import annotations

from typing import Any

from .. import urls
from ..derive import GridView, PackageView, Site
from ..enriched import format_datetime as dt
from ..model import Category
from .api_v4 import ApiUrls, Outputs, Page, add_collection, dump_json
from .markup import http_url


def v3_meta(page: Page) -> dict[str, Any]:
    return {
        "limit": page.limit,
        "next": page.next,
        "offset": page.offset,
        "previous": page.previous,
        "total_count": page.count,
    }


def v3_envelope(page: Page) -> dict[str, Any]:
    return {"meta": v3_meta(page), "objects": page.results}


def v3_package_envelope(page: Page) -> dict[str, Any]:
    """The package list also says which category it was filtered by (never, here)."""
    return {"meta": v3_meta(page), "category": None, "objects": page.results}


class V3Documents:
    """The v3 documents of one site, with its path prefix."""

    def __init__(self, site: Site):
        self.base = site.settings.base_path
        self.url = ApiUrls(self.base, "v3")

    def package(self, view: PackageView) -> dict[str, Any]:
        p, repo = view.package, view.repo
        commits = ",".join(str(n) for n in repo.commits_over_52)
        return {
            "absolute_url": urls.url(self.base, p.path),
            "created": dt(p.created),
            "modified": dt(view.modified),
            "slug": p.slug,
            "title": p.title,
            "category": self.url("categories", view.category.slug),
            "commit_list": commits,
            "commits_over_52": commits,
            "created_by": None,
            "documentation_url": http_url(view.documentation_url),
            "grids": [self.url("grids", g.slug) for g in view.grids],
            "last_fetched": dt(view.last_fetched),
            "last_modified_by": None,
            "participants": ",".join(repo.participants),
            "pypi_url": view.pypi_url,
            "pypi_version": view.pypi.version if view.pypi else None,
            "repo_description": repo.description,
            "repo_forks": repo.forks,
            "repo_url": p.repo_url,
            "repo_watchers": repo.stars,
            "resource_uri": self.url("packages", p.slug),
            "usage_count": 0,
        }

    def grid(self, view: GridView) -> dict[str, Any]:
        g = view.grid
        return {
            "absolute_url": urls.url(self.base, g.path),
            "created": dt(g.created),
            "modified": dt(g.modified),
            "slug": g.slug,
            "title": g.title,
            "description": g.description,
            "is_locked": g.is_locked,
            "resource_uri": self.url("grids", g.slug),
            "header": g.header,
            "packages": [self.url("packages", v.slug) for v in view.packages],
        }

    def category(self, c: Category) -> dict[str, Any]:
        return {
            "absolute_url": urls.url(self.base, c.path),
            "created": dt(c.created),
            "modified": dt(c.modified),
            "slug": c.slug,
            "title": c.title,
            "description": c.description,
            "resource_uri": self.url("categories", c.slug),
            "show_pypi": c.show_pypi,
            "title_plural": c.title_plural,
        }

    def grid_packages(self, view: GridView) -> dict[str, Any]:
        """A grid with its packages in full, in one document (never paged)."""
        members = [self.package(v) for v in view.packages]
        everything = Page(members, len(members), 0, None, None, limit=len(members))
        return {"meta": v3_meta(everything), "grid": self.grid(view), "objects": everything.results}


def render_api_v3(site: Site) -> Outputs:
    """Every file of the static API v3, keyed by its path in the build."""
    docs = V3Documents(site)
    url = docs.url
    out: Outputs = {
        url.file(): dump_json(
            {
                "categories": url("categories"),
                "grids": url("grids"),
                "packages": url("packages"),
                "users": url("users"),
            }
        )
    }
    # Site lists are ordered by id, and v3 pages run newest first, as v4's do.
    packages = [((v.slug,), docs.package(v)) for v in site.packages]
    add_collection(out, "packages", url, packages, v3_package_envelope)
    grids = [((g.grid.slug,), docs.grid(g)) for g in site.grids]
    add_collection(out, "grids", url, grids, v3_envelope)
    for g in site.grids:
        out[url.file("grids", g.grid.slug, "packages")] = dump_json(docs.grid_packages(g))
    categories = [
        ((c.slug,), docs.category(c)) for c in sorted(site.categories, key=lambda c: c.id)
    ]
    add_collection(out, "categories", url, categories, v3_envelope)
    return out
