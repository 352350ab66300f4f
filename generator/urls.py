"""Every path the site has, in one place: the URL scheme of djangopackages.org.

Paths are relative to the site root, without a leading `/` (a site may live under a
path prefix); a folder's path ends in `/` and is written as its `index.html` (pages) or
`index.json` (API documents). Renderers, views and templates take their paths from here
and nowhere else, and `url(base, path)` joins one to the site URL or its path prefix.
`ROUTES` names every kind of path, so a test can check that a build writes nothing else.
"""

from __future__ import annotations

# Pages.
HOME = ""
PACKAGES = "packages/"
GRIDS = "grids/"
READINESS = "readiness/"
SEARCH = "search/"
API_PAGE = "api/"
NOT_FOUND = "404.html"
PACKAGE = "packages/p/{slug}/"
"""A package's page; an old slug's path holds a redirect page to the current one."""
GRID = "grids/g/{slug}/"
CATEGORY = "categories/{slug}/"
READINESS_RELEASE = "readiness/{kind}/{release}/"
LIST_PAGE = "{list}page/{page}/"
"""A page of a list (HTML or API), from 2 on; the API writes page 1 here too."""

# Static API, feeds and files for machines.
API_V4 = "api/v4/"
API_V3 = "api/v3/"
API_DOCUMENT = "api/{version}/{kind}/{lookup}/"
"""One object of a collection (API v4: by id, and by slug for packages and grids)."""
API_BULK = "api/v4/{kind}.json"
V3_GRID_PACKAGES = "api/v3/grids/{slug}/packages/"
BADGE = "api/badges/{slug}/{name}.json"
OPENAPI = "api/openapi.json"
FEED = "feeds/packages/latest/atom.xml"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
NOJEKYLL = ".nojekyll"
SEARCH_INDEX = "search/index.json"
"""The browser's search index (not the API's `api/v4/search/`)."""
SEARCH_TEXT = "search/text.json"
"""Whole descriptions for the search, in the index's order, fetched after it."""
LIST_ROWS = "packages/rows.json"
SCHEMA = "schemas/{name}"
STATIC = "static/{name}"


def url(base: str, path: str) -> str:
    """`path` under `base`, the site URL or its path prefix (which ends in `/`)."""
    return base + path


def package(slug: str) -> str:
    return PACKAGE.format(slug=slug)


def grid(slug: str) -> str:
    return GRID.format(slug=slug)


def category(slug: str) -> str:
    return CATEGORY.format(slug=slug)


def readiness(kind: str, release: str) -> str:
    return READINESS_RELEASE.format(kind=kind, release=release)


def list_page(prefix: str, page: int) -> str:
    """Page `page` of the list at `prefix`: page 1 is the list itself."""
    return prefix if page == 1 else page_of(prefix, page)


def page_of(prefix: str, page: int | str) -> str:
    """`prefix/page/<page>/`, page 1 too (the API writes it as well as the list itself);
    `page` is `"{page}"` for a template."""
    return LIST_PAGE.format(list=prefix, page=page)


def api_v4(*parts: str | int) -> str:
    """An API v4 path: `api_v4("packages", 1)` is `api/v4/packages/1/`."""
    return API_V4 + "".join(f"{p}/" for p in parts)


def api_v3(*parts: str | int) -> str:
    return API_V3 + "".join(f"{p}/" for p in parts)


def api_bulk(kind: str) -> str:
    """Every object of a kind in one file: `api/v4/packages.json`."""
    return API_BULK.format(kind=kind)


def badge(slug: str, name: str) -> str:
    return BADGE.format(slug=slug, name=name)


def schema(name: str) -> str:
    return SCHEMA.format(name=name)


def static(name: str) -> str:
    return STATIC.format(name=name)


def page_file(path: str) -> str:
    """The file a page's path is written to: `path/index.html`, or `404.html` itself."""
    return path if path == NOT_FOUND else f"{path}index.html"


def document_file(path: str) -> str:
    """The file an API document's path is written to: `path/index.json`."""
    return f"{path}index.json"


def served_path(file: str) -> str:
    """The path a build file answers at: a folder's index is the folder (`page_file`,
    `document_file` undone)."""
    for index in ("index.html", "index.json"):
        if file == index or file.endswith("/" + index):
            return file.removesuffix(index)
    return file


ROUTES = {
    "home": HOME,
    "packages": PACKAGES,
    "grids": GRIDS,
    "readiness": READINESS,
    "search": SEARCH,
    "api page": API_PAGE,
    "not found": NOT_FOUND,
    "package": PACKAGE,
    "grid": GRID,
    "category": CATEGORY,
    "readiness release": READINESS_RELEASE,
    "list page": LIST_PAGE,
    "api v4": API_V4,
    "api v3": API_V3,
    "api list": "api/{version}/{kind}/",
    "api document": API_DOCUMENT,
    "api bulk": API_BULK,
    "v3 grid packages": V3_GRID_PACKAGES,
    "badge": BADGE,
    "openapi": OPENAPI,
    "feed": FEED,
    "sitemap": SITEMAP,
    "robots": ROBOTS,
    "nojekyll": NOJEKYLL,
    "search index": SEARCH_INDEX,
    "search text": SEARCH_TEXT,
    "list rows": LIST_ROWS,
    "schema": SCHEMA,
    "static": STATIC,
}
"""Every kind of path the build writes, by name: the templates above, placeholders in
braces (`tests/pages/test_urls.py` checks the build against it)."""
