"""Site settings, normalised once: `content/site.yaml`, then the command line's overrides.

`settings_from` is the only place a setting is read, checked and completed (the site URL
gets exactly one trailing `/`); every stage after it reads the frozen `Settings`.
MkDocs' typed config is the model: one field, one type, one docstring.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit


@dataclass(frozen=True)
class Settings:
    """Site-wide settings from `content/site.yaml`, overridable on the command line."""

    site_url: str
    """Absolute http(s) URL of the site root, with any path prefix, ending in exactly one
    `/` (`https://org.github.io/repo/`): API v4 links, feeds and canonical URLs start
    with it."""
    title: str
    """Shown in every page's header and title, and in the feed."""
    repository: str
    """`owner/name` of the GitHub repository holding `content/`, for edit links."""
    branch: str = "main"
    """Branch that edit links point at."""
    description: str = ""
    """One sentence for the home page and social previews."""

    @property
    def base_path(self) -> str:
        """The path part of `site_url` (`/` or `/prefix/`), for site-relative links."""
        return urlsplit(self.site_url).path or "/"


@dataclass(frozen=True)
class Overrides:
    """Settings given on the command line (`djp build --base-url/--title/--repository`),
    which win over `content/site.yaml`; `None` (or empty) keeps the file's value."""

    site_url: str | None = None
    title: str | None = None
    repository: str | None = None


SITE_URL_RE = re.compile(r"https?://[^\s/$.?#][^\s]*")
"""The schemas' `url` rule (`$defs/url`), matched against the whole string."""
SITE_URL_MAX = 500


def normalise_site_url(url: str) -> str:
    """`url` with exactly one trailing `/`, or `ValueError` saying what would be right:
    an absolute http(s) URL (the schemas' rule: no whitespace or line break anywhere,
    since links, feeds and robots.txt are built from it) with a host and no query or
    fragment."""
    parts = urlsplit(url)
    if not SITE_URL_RE.fullmatch(url) or len(url) > SITE_URL_MAX or not parts.hostname:
        raise ValueError(
            f"{url[:60]!r} is not an absolute http(s) URL without spaces; give the site's "
            "root, e.g. https://org.github.io/repo/"
        )
    if parts.query or parts.fragment:
        raise ValueError(
            f"{url!r} has a query or fragment; give the site's root, e.g. https://org.github.io/repo/"
        )
    return parts._replace(path=parts.path.rstrip("/") + "/").geturl()


def settings_from(site: Mapping[str, Any], overrides: Overrides = Overrides()) -> Settings:
    """The settings of `site.yaml` (already schema-checked) with `overrides` applied;
    `ValueError` for a site URL that cannot be one (see `normalise_site_url`)."""
    given = {k: v for k, v in asdict(overrides).items() if v}
    merged = {**site, **given}
    return Settings(
        site_url=normalise_site_url(merged["site_url"]),
        title=merged["title"],
        repository=merged["repository"],
        branch=merged.get("branch", "main"),
        description=merged.get("description", ""),
    )
