"""The build, as one linear recipe: load → validate → merge and derive → render → write.

Everything is gathered in memory before anything is written, so a build that fails
(bad content, a template error) leaves the previous output untouched.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .derive import derive
from .incremental import fingerprint, forget, remember, up_to_date
from .records import read_sources
from .render_api import render_api
from .render_feeds import FEED_PATH, render_atom, render_robots, render_sitemap
from .render_html import render_html, static_files
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
    jobs: int = 1,
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
    outputs = render_html(site, templates, cache_dir, jobs)
    outputs.update(static_files(templates))
    outputs.update(render_api(site))
    outputs.update(schema_files())
    outputs[FEED_PATH] = render_atom(site)
    outputs["sitemap.xml"] = render_sitemap(site.settings.site_url, list(outputs))
    outputs["robots.txt"] = render_robots(site.settings.site_url)
    outputs[".nojekyll"] = b""
    return outputs


def build(
    content: Path,
    templates: Path,
    out: Path,
    overrides: Overrides = Overrides(),
    cache_dir: Path | None = None,
    jobs: int = 1,
) -> WriteReport:
    """Render the site, then write it to `out` (touching only files that changed).

    With a cache folder, a build is skipped when its inputs and `out` are exactly as the
    last build left them (see `incremental`).
    """
    # Skip: same inputs as the last build of `out`, and `out` untouched since.
    digest = fingerprint(content, templates, overrides) if cache_dir else None
    if cache_dir and digest and (files := up_to_date(cache_dir, out, digest)) is not None:
        return WriteReport(written=0, unchanged=files, removed=0, bytes_written=0, skipped=True)
    outputs = render_site(content, templates, overrides, cache_dir, jobs)
    # Write: the first and only step that touches the output folder.
    if cache_dir and digest:
        forget(cache_dir, out)
    report = write_outputs(outputs, out)
    if cache_dir and digest:
        remember(cache_dir, out, digest, outputs.keys())
    return report
