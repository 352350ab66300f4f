"""What a record's repository URL says without asking anyone: whether its host still
serves it, and which records name the same repository.

Pure, and shared by the build (the package page, the API's `repo_gone`) and the enricher
(which sends no request for either): djangopackages.org's catalogue holds fifteen years
of records, some on hosts that closed and some pointing at one repository twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

from .model import Package

RETIRED_HOSTS = {
    "code.google.com": "the repository host no longer exists (Google Code closed in 2016)",
    "gitorious.org": "the repository host no longer exists (Gitorious closed in 2015)",
    "launchpad.net": "Launchpad code hosting has no API this site reads",
    "sourceforge.net": "SourceForge has no API this site reads",
    "sf.net": "SourceForge has no API this site reads",
}
"""Hosts (and their subdomains, such as `code.launchpad.net`) no request is sent to,
with what the package page says about them."""
NO_FORGE = (
    "the repository host no longer exists for it (the record says `repo_host: none`, as for "
    "a Mercurial repository on Bitbucket, which deleted them all in 2020)"
)


def host_of(url: str) -> str:
    """The host of a URL in lower case, without `www.` ("" when there is none)."""
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return ""
    return host.removeprefix("www.")


def retired(repo_url: str, repo_host: str | None = None) -> str | None:
    """Why the repository is not fetched (its host closed or cannot be read), or None."""
    if repo_host == "none":
        return NO_FORGE
    host = host_of(repo_url)
    return next(
        (why for h, why in RETIRED_HOSTS.items() if host == h or host.endswith("." + h)), None
    )


def normalise_repo_url(url: str) -> str:
    """A repository URL reduced to what identifies it, for duplicate detection."""
    parts = urlsplit(url.strip())
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/").lower()
    return f"{parts.netloc.lower().removeprefix('www.')}{path}"


def repository_owners(packages: Iterable[Package]) -> dict[int, Package]:
    """For each record whose repository an earlier record (lower id) also names, that
    earlier record: it alone is fetched, and the others show its repository's facts."""
    first: dict[str, Package] = {}
    owners: dict[int, Package] = {}
    for package in sorted(packages, key=lambda p: p.id):
        owner = first.setdefault(normalise_repo_url(package.repo_url), package)
        if owner is not package:
            owners[package.id] = owner
    return owners
