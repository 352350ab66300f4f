"""PyPI: the latest release of each package with a `pypi_name`.

Endpoint: `GET {PYPI_URL}/pypi/<normalised name>/json` (PEP 503 name; default
`PYPI_URL=https://pypi.org`). Sent with `If-None-Match` (the ETag stored in the state
file), so an unchanged project answers 304. PyPI publishes no rate limit for its JSON
API but asks clients to be gentle: the runner caps concurrency (`--concurrency`).
An empty answer (`{}`) counts as an error (`empty`) and keeps the last good data.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..enriched import format_datetime, parse_datetime
from .client import FetchError, HostClient
from .jobs import Job, Outcome

DEFAULT_URL = "https://pypi.org"
DOC_KEYS = ("documentation", "docs", "doc")


def normalise(name: str) -> str:
    """The PEP 503 form of a project name: lower case, runs of `-_.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def choose_license(info: dict[str, Any]) -> str | None:
    """License expression, else a short license field, else the License classifiers."""
    expression = (info.get("license_expression") or "").strip()
    if expression:
        return expression
    text = (info.get("license") or "").strip()
    if text and "\n" not in text and len(text) <= 100:
        return text
    names = [
        c.split(" :: ")[-1]
        for c in info.get("classifiers") or []
        if c.startswith("License :: ") and c.count(" :: ") >= 2
    ]
    return " OR ".join(names) if names else None


def documentation_url(info: dict[str, Any]) -> str | None:
    """The documentation link among `project_urls`, else `docs_url`."""
    for label, url in (info.get("project_urls") or {}).items():
        if label.strip().lower() in DOC_KEYS and url:
            return url
    return info.get("docs_url") or None


def release_time(data: dict[str, Any], version: str) -> datetime | None:
    """Upload time of the release's first file (`urls`, else `releases[version]`)."""
    files = data.get("urls") or (data.get("releases") or {}).get(version) or []
    times = [f["upload_time_iso_8601"] for f in files if f.get("upload_time_iso_8601")]
    if not times:
        return None
    return parse_datetime(min(times))


def parse_project(data: Any) -> dict[str, Any]:
    """`PypiFacts` fields (JSON-ready) from a `/pypi/<name>/json` body."""
    if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
        raise FetchError("empty", "PyPI answered without project info")
    info = data["info"]
    version = info.get("version")
    return {
        "version": version,
        "released": format_datetime(release_time(data, version)) if version else None,
        "license": choose_license(info),
        "requires_python": info.get("requires_python") or None,
        "classifiers": sorted(info.get("classifiers") or []),
        "yanked": bool(info.get("yanked")),
        "documentation_url": documentation_url(info),
    }


async def fetch_pypi(client: HostClient, base_url: str, job: Job) -> Outcome:
    """Fetch one project; a 304 confirms the previous facts."""
    url = f"{base_url.rstrip('/')}/pypi/{normalise(job.location)}/json"
    etag = job.state.etags.get("project") if job.previous else None
    reply = await client.request("GET", url, etag=etag)
    if reply.status == 304:
        return Outcome(not_modified=True)
    updates = parse_project(reply.data)
    if reply.etag:
        job.state.etags["project"] = reply.etag
    return Outcome(updates=updates)
