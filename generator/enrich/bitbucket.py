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

from . import answers
from .client import Reply
from .forge import Forge, ForgeAPI
from .jobs import Job


class Bitbucket(ForgeAPI):
    def default_api(self, origin: str) -> str:
        return "https://api.bitbucket.org/2.0"

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/repositories/{location}"

    def parse_repo(self, data: Any) -> dict[str, Any]:
        data = answers.obj(data, "repository")
        return {
            "path": answers.path(data.get("full_name"), "full_name"),
            "description": answers.text(data.get("description"), "description"),
        }

    async def extra_facts(self, forge: Forge, job: Job) -> dict[str, Any]:
        facts = {}
        for name, resource in (("stars", "watchers"), ("forks", "forks")):
            url = f"{forge.base}/repositories/{job.location}/{resource}?pagelen=1"
            facts[name] = size(await forge.get(job, url))
        return facts

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        return f"{base}/repositories/{location}/commits?pagelen={100 if since else 1}"

    def commits(self, data: Any) -> list[tuple[datetime, str]]:
        found = []
        for c in answers.objects(answers.obj(data, "commits").get("values"), "values"):
            author = answers.obj(c.get("author"), "author", optional=True)
            user = answers.obj(author.get("user"), "author.user", optional=True)
            name = (
                answers.text(user.get("nickname"), "nickname", answers.NAME)
                or answers.text(author.get("raw"), "author.raw").split(" <")[0]
            )
            found.append((answers.moment(c.get("date"), "date"), name[: answers.NAME]))
        return found

    def next_page(self, reply: Reply) -> str | None:
        link = answers.obj(reply.data, "page").get("next")
        return None if link is None else answers.text(link, "next", answers.URL)


def size(reply: Reply) -> int:
    """The `size` of a Bitbucket page (how many watchers, forks…)."""
    return answers.count(answers.obj(reply.data, "page").get("size"), "size")
