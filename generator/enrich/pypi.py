"""PyPI: the latest release of each package with a `pypi_name`.

Endpoint: `GET {PYPI_URL}/pypi/<normalised name>/json` (PEP 503 name; default
`PYPI_URL=https://pypi.org`). Sent with `If-None-Match` (the ETag stored in the state
file), so an unchanged project answers 304. PyPI publishes no rate limit for its JSON
API but asks clients to be gentle: the runner caps concurrency (`--concurrency`).
An empty answer (`{}`) counts as an error (`empty`) and keeps the last good data.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from ..enriched import format_datetime
from . import answers
from .answers import BadAnswer
from .client import HostClient
from .jobs import Job, Outcome

DEFAULT_URL = "https://pypi.org"
DOC_KEYS = ("documentation", "docs", "doc")
VERSION = 100
"""Most characters of a version (PEP 440 versions are short; a longer one is no answer)."""
CLASSIFIERS = 500


def normalise(name: str) -> str:
    """The PEP 503 form of a project name: lower case, runs of `-_.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def choose_license(info: dict[str, Any]) -> str | None:
    """License expression, else a short license field, else the License classifiers."""
    expression = answers.label(info.get("license_expression"), "license_expression")
    if expression:
        return expression
    text = answers.text(info.get("license"), "license", 101).strip()
    if text and "\n" not in text and len(text) <= 100:
        return text
    names = [
        c.split(" :: ")[-1]
        for c in classifiers(info)
        if c.startswith("License :: ") and c.count(" :: ") >= 2
    ]
    return " OR ".join(names)[: answers.LABEL] if names else None


def classifiers(info: dict[str, Any]) -> list[str]:
    """The release's trove classifiers, sorted (PyPI accepts only registered ones)."""
    found = answers.array(info.get("classifiers"), "classifiers")
    return sorted(answers.label(c, f"classifiers[{i}]") or "" for i, c in enumerate(found))[
        :CLASSIFIERS
    ]


def documentation_url(info: dict[str, Any]) -> str | None:
    """The documentation link among `project_urls`, else `docs_url` (http(s) only)."""
    for label, link in answers.obj(info.get("project_urls"), "project_urls", optional=True).items():
        if label.strip().lower() in DOC_KEYS:
            found = answers.url(link, f"project_urls.{label[:40]}")
            if found:
                return found
    return answers.url(info.get("docs_url"), "docs_url")


def release_time(data: dict[str, Any], version: str, now: datetime) -> datetime | None:
    """Upload time of the release's first file (`urls`, else `releases[version]`)."""
    files = answers.objects(data.get("urls"), "urls")
    if not files:
        releases = answers.obj(data.get("releases"), "releases", optional=True)
        files = answers.objects(releases.get(version), f"releases.{version}")
    times = [
        answers.moment(f["upload_time_iso_8601"], "upload_time_iso_8601")
        for f in files
        if f.get("upload_time_iso_8601") is not None
    ]
    if any(t > now for t in times):
        raise BadAnswer("upload_time_iso_8601", "a time before now", format_datetime(max(times)))
    return min(times, default=None)


def parse_project(data: Any, now: datetime | None = None) -> dict[str, Any]:
    """`PypiFacts` fields (JSON-ready) from a `/pypi/<name>/json` body."""
    data = answers.obj(data, "project")
    if data.get("info") is None:
        raise BadAnswer("info", "the project's info", None, kind="empty")
    info = answers.obj(data["info"], "info")
    version = answers.label(info.get("version"), "version", VERSION)
    requires = answers.text(info.get("requires_python"), "requires_python", answers.LABEL + 1)
    released = release_time(data, version, now or datetime.now(UTC)) if version else None
    return {
        "version": version,
        "released": format_datetime(released),
        "license": choose_license(info),
        "requires_python": requires.strip() if 0 < len(requires) <= answers.LABEL else None,
        "classifiers": classifiers(info),
        "yanked": answers.flag(info.get("yanked"), "yanked"),
        "documentation_url": documentation_url(info),
    }


async def fetch_pypi(client: HostClient, base_url: str, job: Job) -> Outcome:
    """Fetch one project; a 304 confirms the previous facts."""
    url = f"{base_url.rstrip('/')}/pypi/{normalise(job.location)}/json"
    etag = job.state.etags.get("project") if job.previous else None
    reply = await client.request("GET", url, etag=etag)
    if reply.status == 304:
        return Outcome(not_modified=True)
    updates = parse_project(reply.data, datetime.now(UTC))
    if reply.etag:
        job.state.etags["project"] = reply.etag
    return Outcome(updates=updates)
