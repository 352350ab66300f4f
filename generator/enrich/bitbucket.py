"""Bitbucket Cloud, REST API 2.0.

Environment: `BITBUCKET_API_URL` (default `https://api.bitbucket.org/2.0`),
`BITBUCKET_TOKEN` (optional Bearer token). Limits: 60 unauthenticated requests an hour
per IP for repository data, 1,000 an hour authenticated. Bitbucket has no stars: the
watchers count stands in; forks and watchers come from `?pagelen=1` (the `size` field),
no archived flag, no license. Commits have no `since` filter: pages (`next` in the
body) are read newest first until a commit older than the last one counted.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ..enriched import parse_datetime
from .client import Reply
from .forge import Forge, ForgeAPI
from .jobs import Job


class Bitbucket(ForgeAPI):
    def default_api(self, origin: str) -> str:
        return "https://api.bitbucket.org/2.0"

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/repositories/{location}"

    def parse_repo(self, data: dict[str, Any]) -> dict[str, Any]:
        return {"path": data.get("full_name"), "description": data.get("description") or ""}

    async def extra_facts(self, forge: Forge, job: Job) -> dict[str, Any]:
        facts = {}
        for name, resource in (("stars", "watchers"), ("forks", "forks")):
            url = f"{forge.base}/repositories/{job.location}/{resource}?pagelen=1"
            reply = await forge.get(job, url)
            facts[name] = (reply.data or {}).get("size") or 0
        return facts

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        return f"{base}/repositories/{location}/commits?pagelen={100 if since else 1}"

    def commits(self, data: Any) -> list[tuple[datetime, str]]:
        found = []
        for c in (data or {}).get("values") or []:
            author = c.get("author") or {}
            name = (author.get("user") or {}).get("nickname") or author.get("raw", "")
            found.append((parse_datetime(c["date"]), name.split(" <")[0]))
        return found

    def next_page(self, reply: Reply) -> str | None:
        return (reply.data or {}).get("next")
