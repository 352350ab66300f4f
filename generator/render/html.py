"""Render stage, HTML: the pages at the URLs djangopackages.org uses.

Templates live in `templates/` and hold presentation only; this module decides which
pages exist and what data each gets. Autoescape is on for every template, so any text
from a record, GitHub or PyPI is escaped unless it went through `markup.render_markdown`.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from .. import urls
from ..derive import GridView, PackageView, Site, releases
from ..enriched import format_datetime
from ..model import Feature, InvalidContent, Problem
from .api_v4 import PAGE_SIZE
from .badges import BADGES, badge_markdown
from .charts import commit_chart
from .markup import http_url, render_markdown

LIST_PAGE_SIZE = 50
READINESS_LIST_SIZE = 100
"""Packages named per section of a readiness page; the rest are counted."""
GRID_TOP = 10
"""Grid columns shown before "show all" (when scripts run)."""
YES_WORDS = frozenset({"yes", "y", "true", "✓", "✔"})
NO_WORDS = frozenset({"no", "n", "false", "✗", "✘"})
Outputs = dict[str, bytes]
PATHS = {
    "home": urls.HOME,
    "packages": urls.PACKAGES,
    "grids": urls.GRIDS,
    "readiness": urls.READINESS,
    "search": urls.SEARCH,
    "api_page": urls.API_PAGE,
    "api_v4": urls.API_V4,
    "api_v3": urls.API_V3,
    "api_search": urls.api_v4("search"),
    "api_packages": urls.api_v4("packages"),
    "bulk": {kind: urls.api_bulk(kind) for kind in ("packages", "grids", "categories")},
    "openapi": urls.OPENAPI,
    "feed": urls.FEED,
    "sitemap": urls.SITEMAP,
    "search_index": urls.SEARCH_INDEX,
    "search_text": urls.SEARCH_TEXT,
    "list_rows": urls.LIST_ROWS,
    "package_schema": urls.schema("package.schema.json"),
    "style": urls.static("style.css"),
    "script": urls.static("site.js"),
    "favicon": urls.static("favicon.svg"),
}
"""The site's fixed paths, by name, for templates (`{{ base }}{{ paths.feed }}`)."""


def human_date(value: datetime | None) -> str:
    return value.strftime("%b %-d, %Y") if value else "—"


def thousands(value: int) -> str:
    return f"{value:,}"


def cell(text: str) -> Markup:
    """A grid cell: yes/no words as ✓/✗ (with words for screen readers), else text."""
    word = text.strip().lower()
    if word in YES_WORDS:
        return Markup('<span class="yes" title="yes">✓<span class="sr">yes</span></span>')
    if word in NO_WORDS:
        return Markup('<span class="no" title="no">✗<span class="sr">no</span></span>')
    return render_markdown(text) if text else Markup("")


def make_environment(templates: Path, cache_dir: Path | None = None) -> Environment:
    """The Jinja2 environment: autoescape everywhere, compiled templates cached on disk."""
    env = Environment(
        loader=FileSystemLoader(templates),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
    )
    env.filters.update(
        date=human_date,
        iso=format_datetime,
        thousands=thousands,
        markdown=render_markdown,
        http_url=http_url,
        cell=cell,
        chart=commit_chart,
    )
    return env


def pages(total: int, size: int) -> int:
    return max(1, -(-total // size))


def paged(prefix: str, items: Sequence[Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(path, context) for each page of a list: page 1 at `prefix`, then `prefix/page/N/`."""
    count = pages(len(items), LIST_PAGE_SIZE)
    for n in range(1, count + 1):
        path = urls.list_page(prefix, n)
        yield (
            path,
            {
                "items": items[(n - 1) * LIST_PAGE_SIZE : n * LIST_PAGE_SIZE],
                "page": n,
                "page_count": count,
                "page_url": lambda k, prefix=prefix: urls.list_page(prefix, k),
            },
        )


class HtmlRenderer:
    """Renders every page of a site with one environment."""

    def __init__(self, site: Site, env: Environment):
        self.site = site
        self.env = env
        self.base = site.settings.base_path
        self.common = {
            "site": site,
            "settings": site.settings,
            "base": self.base,
            "edit_base": f"https://github.com/{site.settings.repository}/edit/"
            f"{site.settings.branch}/content/",
            "paths": PATHS,
        }

    def page(self, template: str, path: str, **context: Any) -> bytes:
        """One page; `path` is site-relative (from `urls`), used for canonical URLs."""
        canonical = urls.url(self.site.settings.site_url, path)
        html = self.env.get_template(template).render(
            **self.common, path=path, canonical=canonical, **context
        )
        return html.encode()

    def file(self, path: str, template: str, **context: Any) -> Outputs:
        """One page as `{file path: bytes}`, at the file `urls.page_file` names."""
        return {urls.page_file(path): self.page(template, path, **context)}

    def package_page(self, view: PackageView) -> Outputs:
        badges = badge_markdown(self.site.settings.site_url, view)
        api = urls.api_v4("packages", view.package.id)
        return self.file(view.path, "package.html", p=view, badges=badges, api=api)

    def grid_page(self, view: GridView) -> Outputs:
        columns = grid_columns(view)
        return self.file(
            view.path,
            "grid.html",
            g=view,
            api=urls.api_v4("grids", view.grid.id),
            columns=columns,
            rows=grid_rows(view, columns),
            top=GRID_TOP,
        )

    def list_pages(self) -> Outputs:
        """Every page but the package and grid pages (`package_page`, `grid_page`)."""
        site = self.site
        out: Outputs = {}

        def put(path: str, template: str, **context: Any) -> None:
            out.update(self.file(path, template, **context))

        by_title = sorted(site.packages, key=lambda v: (v.package.title.lower(), v.package.id))
        put(
            urls.HOME,
            "index.html",
            header_grids=[g for g in site.grids if g.grid.header],
            latest=sorted(
                site.packages, key=lambda v: (v.package.created, v.package.id), reverse=True
            )[:10],
            popular=sorted(site.packages, key=lambda v: (-v.score, v.package.id))[:10],
        )
        filters = {
            "django_releases": releases(site.packages, "django"),
            "python_releases": releases(site.packages, "python"),
        }
        for path, ctx in paged(urls.PACKAGES, by_title):
            put(path, "packages.html", **filters, **ctx)
        for category in site.categories:
            members = [v for v in by_title if v.category.id == category.id]
            for path, ctx in paged(category.path, members):
                put(path, "category.html", category=category, **filters, **ctx)
        put(urls.GRIDS, "grids.html", grids=sorted(site.grids, key=lambda g: g.grid.title.lower()))
        put(urls.READINESS, "readiness.html", readiness=site.readiness)
        for r in site.readiness:
            put(
                r.path,
                "readiness_release.html",
                r=r,
                shown=READINESS_LIST_SIZE,
            )
        put(urls.SEARCH, "search.html")
        put(
            urls.API_PAGE,
            "api.html",
            page_size=PAGE_SIZE,
            badges=list(BADGES),
            example=api_examples(site),
        )
        put(urls.NOT_FOUND, "404.html")
        return out


def api_examples(site: Site) -> list[str]:
    """Paths the API page shows with curl, for its highest-scored package (none without)."""
    top = min(site.packages, key=lambda v: (-v.score, v.package.id), default=None)
    if top is None:
        return []
    slug = top.slug
    return [
        urls.api_v4("packages", slug),
        urls.api_v3("packages", slug),
        urls.api_v4("search"),
        urls.badge(slug, "stars"),
    ]


def grid_columns(view: GridView) -> list[PackageView]:
    """A grid's package columns, highest score first (the order the page opens in)."""
    return sorted(view.packages, key=lambda v: (-v.score, v.package.title.lower(), v.package.id))


def grid_rows(view: GridView, columns: Sequence[PackageView]) -> list[tuple[Feature, list[str]]]:
    """The comparison table's feature rows: (feature, cell text per package column)."""
    g = view.grid
    return [(f, [g.cells.get(v.slug, {}).get(f.title, "") for v in columns]) for f in g.features]


def static_files(templates: Path) -> Outputs:
    """Stylesheets, scripts and images shipped beside the templates, copied as they are."""
    root = templates / "static"
    linked = [p for p in root.rglob("*") if p.is_symlink()]  # rglob lists, never enters, them
    if linked:
        raise InvalidContent(
            [
                Problem(p.as_posix(), 1, 1, "is a symbolic link; static files are copied as "
                        "they are, so put the file itself here")
                for p in linked
            ]
        )  # fmt: skip
    return {
        urls.static(p.relative_to(root).as_posix()): p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
