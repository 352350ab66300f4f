"""Render stage, JSON: shields.io "endpoint" badges, one small document per package fact.

A maintainer puts `https://img.shields.io/endpoint?url=<badge URL>` in a README; shields.io
fetches the JSON (`schemaVersion`, `label`, `message`, `color`) and draws the badge, so
the badge follows the nightly build without this site drawing images.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from .. import urls
from ..derive import PackageView, Site
from .api_v4 import Outputs, dump_json

SHIELDS_ENDPOINT = "https://img.shields.io/endpoint?url="
DJANGO_GREEN = "092e20"


def compact(number: int) -> str:
    """1530 → "1.5k", as shields.io writes counts."""
    if abs(number) < 1000:
        return str(number)
    if abs(number) < 1_000_000:
        return f"{number / 1000:.1f}".removesuffix(".0") + "k"
    return f"{number / 1_000_000:.1f}".removesuffix(".0") + "M"


def _badge(label: str, message: str | None, color: str) -> dict[str, Any]:
    if message is None:
        return {"schemaVersion": 1, "label": label, "message": "unknown", "color": "lightgrey"}
    return {"schemaVersion": 1, "label": label, "message": message, "color": color}


BADGES: dict[str, Callable[[PackageView], dict[str, Any]]] = {
    "stars": lambda v: _badge("stars", compact(v.repo.stars), "blue"),
    "version": lambda v: _badge(
        "pypi", v.pypi.version if v.pypi and v.pypi.version else None, "blue"
    ),
    "score": lambda v: _badge(
        "djangopackages score",
        compact(v.score),
        "brightgreen" if v.score > 0 else "red" if v.score < 0 else "lightgrey",
    ),
    "django": lambda v: _badge("django", " | ".join(v.django_versions) or None, DJANGO_GREEN),
}
"""Badge name → its document for one package."""


def badge_markdown(site_url: str, view: PackageView) -> list[str]:
    """README Markdown for each badge, linking to the package's page on this site."""
    page = urls.url(site_url, view.path)
    return [
        f"[![{name}]({SHIELDS_ENDPOINT}{quote(badge, safe='')})]({page})"
        for name in BADGES
        for badge in [urls.url(site_url, urls.badge(view.slug, name))]
    ]


def render_badges(site: Site) -> Outputs:
    """Every badge document, keyed by its path in the build."""
    return {
        urls.badge(v.slug, name): dump_json(badge(v))
        for v in site.packages
        for name, badge in BADGES.items()
    }
