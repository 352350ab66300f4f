"""The build, as one linear recipe, top to bottom: skip if nothing changed → load →
validate (with the settings) → merge enrichment and derive → render → write.

Everything is rendered into a staging folder beside the output before anything in the
output is touched, so a build that fails (bad content, a template error) leaves the
previous output untouched. A build whose inputs did not change since the last one is
skipped (`incremental`) before the validator and the renderers are even loaded.
"""

from __future__ import annotations

from pathlib import Path

from .incremental import fingerprint, forget, last_build, remember
from .model import InvalidContent
from .settings import Overrides
from .write import StagedOutput, WriteReport, check_output


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
    last build left them (see `incremental`). Raises `UnsafeOutput`, before anything is
    read or written, for an output folder holding files the build did not make.
    """
    # Guard: `out` is new, empty, or a folder an earlier build made (see `write`).
    check_output(out, (content, templates))
    # Skip: `out` is as the last build left it, and that build had the same inputs.
    last = last_build(cache_dir, out) if cache_dir else None
    digest = fingerprint(content, templates, overrides) if cache_dir else ""
    if last is not None and last.fingerprint == digest:
        files = len(last.files)
        return WriteReport(written=0, unchanged=files, removed=0, bytes_written=0, skipped=True)
    # Imported only now: loading the validator, the renderers and their libraries takes
    # longer than a skipped build's whole check.
    from .derive import derive
    from .records import read_sources
    from .render import render_site
    from .validate import validate

    # Load: parse every file under content/.
    sources = read_sources(content, jobs)
    # Validate: schemas and cross-references, and the settings (site.yaml with the
    # command line's overrides, normalised once); stop here with every problem found.
    catalogue, problems = validate(sources, overrides)
    if catalogue is None:
        raise InvalidContent(problems)
    # Merge enrichment and derive: score, weight, Python and Django support, readiness.
    site = derive(catalogue)
    # Render into a staging folder beside `out`; `out` itself is not touched yet.
    staged = StagedOutput(out)
    try:
        render_site(site, templates, staged, cache_dir, jobs)
    except BaseException:
        staged.discard()
        raise
    # Write: the first and only step that touches the output folder.
    if cache_dir:
        forget(cache_dir, out)
    report = staged.commit(last.files if last else None)
    if cache_dir:
        remember(cache_dir, out, digest, staged.keys())
    return report
