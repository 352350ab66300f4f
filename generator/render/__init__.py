"""Render stage: every output file of the site, from the derived catalogue (`build`
runs the steps before it).

The heavy part (HTML pages, the JSON APIs and badges) runs as tasks on every core; each
process stages the files it rendered (see `write.StagedOutput`) and sends back only
receipts. The small files follow here, then those made from the list of outputs (the
sitemap, the redirects), which must come last.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from .. import urls
from ..derive import Site
from ..parallel import batches, run_each
from ..validate import SCHEMA_DIR
from ..write import Receipt, StagedOutput
from .api_v3 import render_api_v3
from .api_v4 import render_api
from .badges import render_badges
from .feeds import render_atom, render_robots, render_sitemap
from .html import HtmlRenderer, make_environment, static_files
from .openapi import render_openapi
from .redirects import render_redirects
from .search import render_search

Outputs = dict[str, bytes]
PACKAGES_PER_TASK = 100
GRIDS_PER_TASK = 20
"""Pages per task handed to a worker: small enough to share the work out evenly."""


def schema_files() -> Outputs:
    """The record schemas, published so that editors and tools can fetch them."""
    return {urls.schema(p.name): p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.json"))}


def render_site(
    site: Site, templates: Path, outputs: StagedOutput, cache_dir: Path | None, jobs: int
) -> None:
    """Render every output file of the derived `site` into `outputs`. Files go to disk as
    they come (see `StagedOutput`), so that the whole site is never in memory at once.
    """
    # Render, on every core: HTML pages, the JSON APIs and badges, the bulk of the work;
    # each process stages the files it rendered, and only their receipts come back.
    html = HtmlRenderer(site, make_environment(templates, cache_dir))
    tasks = [
        partial(render_api, site),
        partial(render_api_v3, site),
        partial(render_badges, site),
        html.list_pages,
        *batches(html.grid_page, site.grids, GRIDS_PER_TASK),
        *batches(html.package_page, site.packages, PACKAGES_PER_TASK),
    ]
    for receipts in run_each([partial(_stage, outputs, task) for task in tasks], jobs):
        outputs.record(receipts)
    # Render, here: the small files, then those made from the list of outputs.
    outputs.update(static_files(templates))
    outputs.update(render_openapi(site))
    outputs.update(render_search(site))
    outputs.update(schema_files())
    outputs[urls.FEED] = render_atom(site)
    outputs[urls.SITEMAP] = render_sitemap(site.settings.site_url, list(outputs))
    outputs[urls.ROBOTS] = render_robots(site.settings.site_url)
    outputs.update(render_redirects(site))  # after the sitemap: not listed there
    outputs[urls.NOJEKYLL] = b""


def _stage(outputs: StagedOutput, task: Callable[[], Outputs]) -> list[Receipt]:
    return outputs.stage(task())
