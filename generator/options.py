"""Command-line options that several `djp` commands share, declared once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from .settings import normalise_site_url

FOLDER = click.Path(path_type=Path, file_okay=False)
EXISTING_FOLDER = click.Path(path_type=Path, file_okay=False, exists=True)


def folder_option(flag: str, default: str, help: str, exists: bool = False) -> Callable[[Any], Any]:
    """A `--flag DIR` option that defaults to a folder of the repository."""
    kind = EXISTING_FOLDER if exists else FOLDER
    return click.option(flag, type=kind, default=Path(default), show_default=True, help=help)


def content_option(
    help: str = "Folder of records (packages, grids, categories, site.yaml).", exists: bool = False
) -> Callable[[Any], Any]:
    """`--content DIR`, the records folder every command reads."""
    return folder_option("--content", "content", help, exists)


def base_url_option(help: str) -> Callable[[Any], Any]:
    """`--base-url URL`, normalised as site.yaml's is (one trailing `/`), and refused with
    the option named when it is not an absolute http(s) URL."""

    def check(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
        if value is None:
            return None
        try:
            return normalise_site_url(value)
        except ValueError as exc:
            raise click.BadParameter(str(exc), ctx, param) from None

    return click.option("--base-url", callback=check, help=help)
