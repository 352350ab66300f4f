"""The build, as one linear recipe: load → validate → merge and derive → render → write.

Everything is rendered, into a staging folder beside the output, before anything in
the output is touched, so a build that fails (bad content, a template error) leaves the
previous output untouched. A build whose inputs did not change since the last one is
skipped (`incremental`), and the heavy rendering runs on every core (`parallel`).
"""

from __future__ import annotations

from collections.abc import MutableMapping
from dataclasses import dataclass, replace
from pathlib import Path

from .derive import derive
from .incremental import fingerprint, forget, remember, up_to_date
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
from .write import StagedOutput, WriteReport

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
    outputs: MutableMapping[str, bytes] | None = None,
) -> MutableMapping[str, bytes]:
    """Every output file of the site, keyed by path, or `InvalidContent` with all problems.

    Into a dict by default; `build` passes a `StagedOutput`, which puts each file on disk
    as it comes, so that the whole site is never in memory at once.
    """
    # Load: parse every file under content/.
    sources = read_sources(content, jobs)
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
    outputs = {} if outputs is None else outputs
    outputs.update(render_html(site, templates, cache_dir, jobs))
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
    jobs: int = 1,
) -> WriteReport:
    """Render the site, then write it to `out` (touching only files that changed).

    With a cache folder, a build is skipped when its inputs and `out` are exactly as the
    last build left them (see `incremental`).
    """
    # Skip: same inputs as the last build of `out`, and `out` untouched since.
    digest = fingerprint(content, templates, overrides) if cache_dir else ""
    files = up_to_date(cache_dir, out, digest) if cache_dir else None
    if files is not None:
        return WriteReport(written=0, unchanged=files, removed=0, bytes_written=0, skipped=True)
    # Render into a staging folder beside `out`; `out` itself is not touched yet.
    staged = StagedOutput(out)
    try:
        render_site(content, templates, overrides, cache_dir, jobs, staged)
    except BaseException:
        staged.discard()
        raise
    # Write: the first and only step that touches the output folder.
    if cache_dir:
        forget(cache_dir, out)
    report = staged.commit()
    if cache_dir:
        remember(cache_dir, out, digest, staged.keys())
    return report
