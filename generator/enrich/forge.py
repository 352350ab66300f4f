"""REST forges: one fetch flow for GitLab, Forgejo/Gitea, Bitbucket and token-less GitHub.

Every forge is asked the same three things, each host supplying only its URLs and
parsers (a `ForgeAPI` subclass in `gitlab.py`, `forgejo.py`, `bitbucket.py`,
`github.py`):

1. the repository (conditional on its stored ETag): stars, forks, description,
   archived flag, license;
2. the commits newer than the last one counted (a year on the first night), paged,
   newest first: their dates extend the 52-week series (`series.py`), the newest is the
   latest commit, their authors rank the contributors where the host has no
   contributors endpoint;
3. the contributors, only when new commits arrived or none are known.

Limits are per host (`HostClient`): GitLab.com allows about 2,000 requests a minute
for unauthenticated API use per IP, Codeberg a few thousand an hour, Bitbucket 1,000 an
hour for repository data, GitHub REST 60 an hour without a token.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any
from urllib.parse import quote

from ..enriched import format_datetime, parse_datetime
from . import answers
from .client import HostClient, Reply
from .jobs import Job, Outcome
from .series import history_since, newest, updated_series

PAGES = 20
"""Most commit pages read for one repository in one run (the rest wait for next night)."""


class ForgeAPI:
    """A forge's URLs and answer shapes; subclasses override what differs."""

    def default_api(self, origin: str) -> str:
        raise NotImplementedError

    def headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"Bearer {token}"} if token else {}

    def repo_url(self, base: str, location: str) -> str:
        raise NotImplementedError

    def parse_repo(self, data: dict[str, Any]) -> dict[str, Any]:
        """`RepoFacts` fields from the repository resource."""
        raise NotImplementedError

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        """First page of commits newest first, since `since` (None: just the newest)."""
        raise NotImplementedError

    def commits(self, data: Any) -> list[tuple[datetime, str]]:
        """(commit date, author) of each commit on a page; GitHub's shape, which Forgejo copies."""
        return [answers.github_commit(c) for c in answers.objects(data, "commits")]

    def next_page(self, reply: Reply) -> str | None:
        """The next page's URL: the `Link: <…>; rel="next"` header by default."""
        link = reply.headers.get("Link", "")
        for part in link.split(","):
            if 'rel="next"' in part:
                return part.split(";")[0].strip().strip("<>")
        return None

    def contributors_url(self, base: str, location: str) -> str | None:
        """Where contributors are listed, most commits first; None to rank commit authors."""
        return None

    def contributors(self, data: Any) -> list[str]:
        return answers.names(
            [c.get("login") for c in answers.objects(data, "contributors")], "login"
        )

    async def extra_facts(self, forge: Forge, job: Job) -> dict[str, Any]:
        """Facts that need a request of their own on this host (Bitbucket's counts)."""
        return {}


def moved_to(origin: str, location: str, path: str) -> str | None:
    """The repository's new URL when the host answers for it under another path."""
    return f"{origin}/{path}" if path.lower() != location.lower() else None


def quoted(location: str) -> str:
    """A project path as one URL segment (GitLab's `group%2Fproject`)."""
    return quote(location, safe="")


class Forge:
    """One REST forge host: runs the common fetch flow through its `HostClient`."""

    def __init__(self, api: ForgeAPI, client: HostClient, base: str, origin: str) -> None:
        self.api, self.client, self.base, self.origin = api, client, base, origin

    async def get(self, job: Job, url: str, resource: str | None = None) -> Reply:
        """GET, conditional when `resource` names a stored ETag and data is held."""
        etag = job.state.etags.get(resource) if resource and job.previous else None
        reply = await self.client.request("GET", url, etag=etag)
        if resource and reply.etag and reply.status == 200:
            job.state.etags[resource] = reply.etag
        return reply

    async def fetch(self, job: Job, now: datetime) -> Outcome:
        """Facts, series and contributors of one repository."""
        outcome = Outcome()
        reply = await self.get(job, self.api.repo_url(self.base, job.location), "repo")
        if reply.status == 200:
            facts = self.api.parse_repo(reply.data)
            path = facts.pop("path", None) or job.location
            facts["moved_to"] = moved_to(self.origin, job.location, path)
            outcome.updates.update(facts)
            outcome.updates.update(await self.api.extra_facts(self, job))
        since = history_since(job.previous, job.extra, now)
        found = await self.commits(job, self.api.commits_url(self.base, job.location, since), since)
        dates = [d for d, _ in found]
        series = updated_series(job.previous, job.extra, dates, now)
        outcome.updates["commits_over_52"] = series.pop("commits_over_52")
        outcome.extra.update(series)
        latest = newest(dates, now)
        if latest is None and not job.previous.get("last_commit"):
            url = self.api.commits_url(self.base, job.location, None)
            latest = newest((d for d, _ in await self.commits(job, url, None, pages=1)), now)
        if latest is not None:
            outcome.updates["last_commit"] = format_datetime(latest)
        if found or job.state.succeeded is None:
            outcome.updates["participants"] = await self.participants(job, found)
        return outcome

    async def commits(
        self, job: Job, url: str | None, since: str | None, pages: int = PAGES
    ) -> list[tuple[datetime, str]]:
        """Commits newer than `since` from `url` on, newest first, following pages."""
        start = parse_datetime(since) if since else None
        found: list[tuple[datetime, str]] = []
        for _ in range(pages):
            if url is None:
                break
            reply = await self.get(job, url)
            page = self.api.commits(reply.data)
            found.extend(c for c in page if start is None or c[0] >= start)
            older = start is not None and any(c[0] < start for c in page)
            url = self.api.next_page(reply) if page and not older else None
        return found

    async def participants(self, job: Job, found: list[tuple[datetime, str]]) -> list[str]:
        """The host's contributors list, else authors of the commits, most commits first."""
        url = self.api.contributors_url(self.base, job.location)
        if url is not None:
            reply = await self.get(job, url, "contributors")
            if reply.status == 304:
                return list(job.previous.get("participants") or [])
            return self.api.contributors(reply.data)
        ranked = [name for name, _ in Counter(a for _, a in found if a).most_common()]
        old = list(job.previous.get("participants") or [])
        return old + [name for name in ranked if name not in old] if old else ranked
