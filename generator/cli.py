"""The `djp` command: build, validate and serve the site (and the tools around it)."""

from __future__ import annotations

import importlib
import sys
import time
from pathlib import Path
from typing import Any

import click
from jinja2 import TemplateError

from .build import build
from .model import InvalidContent, Problem
from .options import base_url_option, content_option, folder_option
from .parallel import default_jobs
from .serve import make_server
from .settings import Overrides
from .write import UnsafeOutput

CONTENT = content_option()


def github_annotation(problem: Problem, content: Path) -> str:
    """A `::error` workflow command; its file is the repository path (content/…)."""

    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    file = escape((content / problem.file).as_posix()).replace(":", "%3A").replace(",", "%2C")
    where = f"file={file},line={problem.line},col={problem.column}"
    return f"::error {where}::{escape(problem.message)}"


def print_problems(problems: list[Problem], fmt: str, content: Path = Path("content")) -> None:
    """Problems as `file:line:col: message`, or as GitHub workflow annotations."""
    for p in problems:
        if fmt == "github":
            click.echo(github_annotation(p, content))
        else:
            click.echo(str(p), err=True)


class LazyGroup(click.Group):
    """A command group that imports a command's module only when that command runs, so
    that `djp build` with nothing to do does not load the enricher, the validator and
    every renderer first (click's documented pattern for large command sets)."""

    def __init__(self, *args: Any, lazy: dict[str, str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = lazy
        """command name → `module:attribute` of its click command"""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.lazy:
            return super().get_command(ctx, cmd_name)
        module, attribute = self.lazy[cmd_name].split(":")
        return getattr(importlib.import_module(module, __package__), attribute)


@click.group(
    cls=LazyGroup,
    lazy={
        "new": ".new:new_command",
        "check-links": ".links:check_links_command",
        "nightly": ".nightly:nightly",
        "enrich": ".enrich.command:enrich",
        "import": ".importer.command:import_command",
    },
)
def main() -> None:
    """Django Packages as files in git: build the static site and API from content/."""


@main.command(name="build")
@CONTENT
@folder_option("--templates", "templates", "Jinja2 templates and static/ assets.")
@folder_option("--out", "build", "Output folder.")
@base_url_option("Site URL (with any path prefix); overrides site.yaml.")
@click.option("--title", help="Site title; overrides site.yaml.")
@click.option("--repository", help="owner/name for edit links; overrides site.yaml.")
@folder_option(
    "--cache", ".djp-cache", "Folder for compiled templates and the state of the last build."
)
@click.option(
    "--jobs",
    type=click.IntRange(min=1),
    default=default_jobs,
    show_default="all cores",
    help="Processes that parse records and render pages.",
)
def build_command(
    content: Path,
    templates: Path,
    out: Path,
    base_url: str | None,
    title: str | None,
    repository: str | None,
    cache: Path,
    jobs: int,
) -> None:
    """Validate content/ and write the site to --out (only files that changed)."""
    started = time.perf_counter()
    cache.mkdir(parents=True, exist_ok=True)
    try:
        report = build(content, templates, out, Overrides(base_url, title, repository), cache, jobs)
    except InvalidContent as exc:
        print_problems(exc.problems, "text")
        click.echo(f"build failed: {len(exc.problems)} problem(s); {out}/ left as it was", err=True)
        sys.exit(1)
    except UnsafeOutput as exc:
        click.echo(f"build refused: {exc}; nothing was deleted", err=True)
        sys.exit(1)
    except TemplateError as exc:
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "lineno", None) else ""
        click.echo(f"template error: {where}{exc}; {out}/ left as it was", err=True)
        sys.exit(1)
    if report.skipped:
        click.echo(f"{out}/ is up to date: inputs unchanged since the last build")
        return
    click.echo(
        f"built {out}/: {report.written} written, {report.unchanged} unchanged, "
        f"{report.removed} removed ({report.bytes_written:,} bytes) in "
        f"{time.perf_counter() - started:.2f}s"
    )


@main.command(name="validate")
@CONTENT
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: workflow-command annotations for pull requests.",
)
def validate_command(content: Path, fmt: str) -> None:
    """Check every record; print every problem with file, line and column."""
    from .records import read_sources  # here, not above: see LazyGroup
    from .validate import validate

    _, problems = validate(read_sources(content))
    print_problems(problems, fmt, content)
    if problems:
        click.echo(f"{len(problems)} problem(s)", err=True)
        sys.exit(1)
    click.echo("content is valid")


@main.command(name="serve")
@folder_option("--out", "build", "Built site to serve.", exists=True)
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--prefix",
    default="/",
    show_default=True,
    help="Path the site is mounted at (the site URL's path, e.g. /repo/).",
)
def serve_command(out: Path, host: str, port: int, prefix: str) -> None:
    """Serve a built site on localhost the way GitHub Pages does."""
    server = make_server(out, host, port, prefix)
    bound_host, bound_port = server.server_address[:2]
    click.echo(f"serving {out}/ at http://{bound_host}:{bound_port}{prefix} (Ctrl+C stops)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
