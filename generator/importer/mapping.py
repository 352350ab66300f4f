"""API v4 documents → records and enrichment (pure: data in, data out).

djangopackages.org's documents link to each other by URL (`…/categories/4/?format=api`)
and write datetimes with the server's offset; records here name categories and packages
by slug and write UTC. Only what this project keeps is taken: derived numbers (score,
weight) are computed again by `djp build`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlsplit

from ..enriched import format_datetime, parse_datetime

ID_IN_URL = re.compile(r"/(\d+)/?$")
PYPI_NAME = re.compile(r"/(?:pypi|project|simple)/([^/?#\s]+)")


def id_from_url(url: str) -> int | None:
    """The id an API link ends with (`…/api/v4/grids/127/?format=api` → 127)."""
    found = ID_IN_URL.search(urlsplit(url).path)
    return int(found.group(1)) if found else None


def utc(text: str | None) -> str | None:
    """The same instant in UTC with `Z`, microseconds kept; None for none."""
    return format_datetime(parse_datetime(text)) if text else None


def pypi_name(url: str | None) -> str | None:
    """The project name in any form of PyPI URL djangopackages stored
    (`http://pypi.python.org/pypi/<name>`, `https://pypi.org/project/<name>/`, with or
    without a version after it, and a full URL typed where the name belonged, which the
    site then prefixed: `https://pypi.org/project/http://pypi.python.org/pypi/<name>`),
    or None for "" / null / another site."""
    if not url or not urlsplit(url.strip()).netloc.lower().endswith(
        ("pypi.python.org", "pypi.org")
    ):
        return None
    names = [n for n in PYPI_NAME.findall(url) if not n.endswith(":")]
    return unquote(names[-1]) if names else None


def text(value: Any) -> str:
    """A string field where djangopackages has both "" and null: null is ""."""
    return value if isinstance(value, str) else ""


def category_record(doc: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """(slug, record) of a category document."""
    record = {
        "id": doc["id"],
        "title": doc["title"],
        "title_plural": doc.get("title_plural") or doc["title"] + "s",
        "description": text(doc.get("description")),
        "show_pypi": bool(doc.get("show_pypi", True)),
        "created": utc(doc["created"]),
    }
    if doc.get("modified"):
        record["modified"] = utc(doc["modified"])
    return doc["slug"], record


def package_record(doc: dict[str, Any], category_slugs: dict[int, str]) -> dict[str, Any]:
    """The people-written part of a package document: what a record holds."""
    record: dict[str, Any] = {
        "id": doc["id"],
        "title": doc["title"],
        "category": category_slugs[id_from_url(doc["category"]) or 0],
        "repo_url": doc["repo_url"],
    }
    if name := pypi_name(doc.get("pypi_url")):
        record["pypi_name"] = name
    docs = text(doc.get("documentation_url")).strip()
    if docs.startswith(("http://", "https://")):  # anything else is no link (some are bare hosts)
        record["documentation_url"] = docs
    record["created"] = utc(doc["created"])
    return record


def package_enrichment(doc: dict[str, Any]) -> dict[str, Any] | None:
    """The machine-fetched facts a package document carries, as `content/enriched/<id>.json`
    holds them, so the first build shows them and `djp enrich` carries on from them;
    None when djangopackages never fetched the package."""
    if not doc.get("last_fetched") and not doc.get("repo_watchers") and not doc.get("last_updated"):
        return None
    version = doc.get("pypi_version")
    return {
        "last_fetched": utc(doc.get("last_fetched")),
        "modified": utc(doc.get("modified")),
        "repo": {
            "stars": doc.get("repo_watchers") or 0,
            "forks": doc.get("repo_forks") or 0,
            "description": text(doc.get("repo_description")),
            "last_commit": utc(doc.get("last_updated")),
            "commits_over_52": list(doc.get("commits_over_52") or []),
            "participants": list(doc.get("participants") or []),
        },
        "pypi": {"version": version} if version else None,
    }


def grid_record(doc: dict[str, Any], package_slugs: dict[int, str]) -> dict[str, Any]:
    """A grid document as a record; members named by slug, in the document's order
    (unknown package links are dropped: the summary lists them)."""
    members = [
        package_slugs[i] for i in map(id_from_url, doc.get("packages", [])) if i in package_slugs
    ]
    return {
        "id": doc["id"],
        "title": doc["title"],
        "description": text(doc.get("description")),
        "is_locked": bool(doc.get("is_locked")),
        "header": bool(doc.get("header")),
        "created": utc(doc["created"]),
        "modified": utc(doc.get("modified") or doc["created"]),
        "packages": members,
    }
