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

from ..derive import GridView, PackageView, Site, readiness, releases
from ..enriched import format_datetime
from ..model import InvalidContent, Problem
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
        path = prefix if n == 1 else f"{prefix}page/{n}/"
        yield (
            path,
            {
                "items": items[(n - 1) * LIST_PAGE_SIZE : n * LIST_PAGE_SIZE],
                "page": n,
                "page_count": count,
                "page_url": lambda k, prefix=prefix: prefix if k == 1 else f"{prefix}page/{k}/",
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
        }

    def page(self, template: str, path: str, **context: Any) -> bytes:
        """One page; `path` is site-relative (`packages/p/x/`), used for canonical URLs."""
        html = self.env.get_template(template).render(
            **self.common, path=path, canonical=self.site.settings.site_url + path, **context
        )
        return html.encode()

    def file(self, path: str, template: str, **context: Any) -> Outputs:
        """One page as `{file path: bytes}`: `path/index.html`, or `404.html` itself."""
        file = "404.html" if path == "404.html" else f"{path}index.html"
        return {file: self.page(template, path, **context)}

    def package_page(self, view: PackageView) -> Outputs:
        badges = badge_markdown(self.site.settings.site_url, view)
        return self.file(f"packages/p/{view.slug}/", "package.html", p=view, badges=badges)

    def grid_page(self, view: GridView) -> Outputs:
        columns = grid_columns(view)
        return self.file(
            f"grids/g/{view.grid.slug}/",
            "grid.html",
            g=view,
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
            "",
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
        for path, ctx in paged("packages/", by_title):
            put(path, "packages.html", **filters, **ctx)
        for category in site.categories:
            members = [v for v in by_title if v.category.id == category.id]
            for path, ctx in paged(f"categories/{category.slug}/", members):
                put(path, "category.html", category=category, **filters, **ctx)
        put("grids/", "grids.html", grids=sorted(site.grids, key=lambda g: g.grid.title.lower()))
        ready = readiness(site.packages)
        put("readiness/", "readiness.html", readiness=ready)
        for r in ready:
            put(
                f"readiness/{r.kind}/{r.release}/",
                "readiness_release.html",
                r=r,
                shown=READINESS_LIST_SIZE,
            )
        put("search/", "search.html")
        put(
            "api/",
            "api.html",
            page_size=PAGE_SIZE,
            badges=list(BADGES),
            example=min(site.packages, key=lambda v: (-v.score, v.package.id), default=None),
        )
        put("404.html", "404.html")
        return out


def grid_columns(view: GridView) -> list[PackageView]:
    """A grid's package columns, highest score first (the order the page opens in)."""
    return sorted(view.packages, key=lambda v: (-v.score, v.package.title.lower(), v.package.id))


def grid_rows(view: GridView, columns: Sequence[PackageView]) -> list[tuple[str, list[Any]]]:
    """The comparison table's feature rows: (title, cell text per package column)."""
    g = view.grid
    return [
        (f.title, [g.cells.get(v.slug, {}).get(f.title, "") for v in columns]) for f in g.features
    ]


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
        f"static/{p.relative_to(root).as_posix()}": p.read_bytes()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }
