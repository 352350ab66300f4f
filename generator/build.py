"""The build, as one linear recipe: load → validate → merge and derive → render → write.

Everything is gathered in memory before anything is written, so a build that fails
(bad content, a template error) leaves the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .derive import derive
from .openapi import render_openapi
from .records import read_sources
from .render_api import render_api
from .render_api_v3 import render_api_v3
from .render_badges import render_badges
from .render_feeds import FEED_PATH, render_atom, render_robots, render_sitemap
from .render_html import render_html, static_files
from .render_redirects import render_redirects
from .render_search import render_search
from .validate import SCHEMA_DIR, InvalidContent, validate
from .write import WriteReport, write_outputs

Outputs = dict[str, bytes]


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line, which win over `content/site.yaml`."""

    site_url: str | None = None
    title: str | None = None
    repository: str | None = None


def schema_files() -> Outputs:
    """The record schemas, published so that editors and tools can fetch them."""
    return {f"schemas/{p.name}": p.read_bytes() for p in sorted(SCHEMA_DIR.glob("*.json"))}


def render_site(
    content: Path,
    templates: Path,
    overrides: Overrides = Overrides(),
    cache_dir: Path | None = None,
) -> Outputs:
    """Every output file of the site, keyed by path, or `InvalidContent` with all problems."""
    # Load: parse every file under content/.
    sources = read_sources(content)
    # Validate: schemas and cross-references; stop here with every problem found.
    catalogue, problems = validate(sources)
    if catalogue is None:
        raise InvalidContent(problems)
    given = {k: v for k, v in vars(overrides).items() if v}
    if "site_url" in given and not given["site_url"].endswith("/"):
        given["site_url"] += "/"
    catalogue = replace(catalogue, settings=replace(catalogue.settings, **given))
    # Merge enrichment and derive score, weight and support.
    site = derive(catalogue)
    # Render: HTML pages, the JSON API, feeds and crawler files.
    outputs = render_html(site, templates, cache_dir)
    outputs.update(static_files(templates))
    outputs.update(render_api(site))
    outputs.update(render_api_v3(site))
    outputs.update(render_badges(site))
    outputs.update(render_openapi(site))
    outputs.update(render_search(site))
    outputs.update(schema_files())
    outputs[FEED_PATH] = render_atom(site)
    outputs["sitemap.xml"] = render_sitemap(site.settings.site_url, list(outputs))
    outputs["robots.txt"] = render_robots(site.settings.site_url)
    outputs.update(render_redirects(site, outputs))  # after the sitemap: not listed there
    outputs[".nojekyll"] = b""
    return outputs


def build(
    content: Path,
    templates: Path,
    out: Path,
    overrides: Overrides = Overrides(),
    cache_dir: Path | None = None,
) -> WriteReport:
    """Render the site, then write it to `out` (touching only files that changed)."""
    outputs = render_site(content, templates, overrides, cache_dir)
    # Write: the first and only step that touches the output folder.
    return write_outputs(outputs, out)
