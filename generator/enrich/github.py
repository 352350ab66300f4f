"""GitHub: repository facts for up to 100 repositories per GraphQL query.

Environment: `GITHUB_GRAPHQL_URL` (default `https://api.github.com/graphql`),
`GITHUB_API_URL` (default `https://api.github.com`), `GITHUB_TOKEN` (optional).

Limits: the Actions `GITHUB_TOKEN` has 1,000 REST requests and 1,000 GraphQL points an
hour; a personal token 5,000 of each; no token 60 REST requests and no GraphQL at all
(so without a token the REST client in `forge.py` is used instead).

One query per batch asks, for each repository: stars, forks, description, archived
flag, license, the latest commit on the default branch and the commits since the last
one counted (`history(since:)`, 100 a page; the rare repository with more is paged on
in follow-up queries holding only those repositories). The weekly series is kept from
those dates (see `series.py`), so it costs no REST call. REST is used only for the
contributors (ordered by contributions, which GraphQL does not offer), and only when
new commits arrived or none are known, always with `If-None-Match`. With
`--series participation` the series comes from REST `stats/participation` instead
(one conditional request per repository a night; 202 answers are asked again later).
A query costs about one point per 100 repositories (`rateLimit.cost`, counted).
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from ..enriched import format_datetime, parse_datetime
from .client import FetchError, HostClient, HostStopped
from .forge import Forge, ForgeAPI, moved_to
from .jobs import Job, Outcome, guard
from .series import history_since, updated_series, week_of

DEFAULT_API = "https://api.github.com"
DEFAULT_GRAPHQL = "https://api.github.com/graphql"
BATCH = 100
PAGE = 100

_COMMIT_PAGE = (
    "history(first: {page}, since: {since}{after}) "
    "{{ totalCount pageInfo {{ hasNextPage endCursor }} nodes {{ committedDate }} }}"
)
_FACTS = (
    "nameWithOwner stargazerCount forkCount description isArchived "
    "licenseInfo {{ spdxId name }} "
    "defaultBranchRef {{ target {{ ... on Commit {{ committedDate {history} }} }} }}"
)
_MORE = "defaultBranchRef {{ target {{ ... on Commit {{ {history} }} }} }}"


def _history(since: str, after: str | None = None) -> str:
    cursor = f", after: {json.dumps(after)}" if after else ""
    return _COMMIT_PAGE.format(page=PAGE, since=json.dumps(since), after=cursor)


def build_query(parts: list[tuple[str, str, str]]) -> str:
    """A query with one aliased `repository` per (owner/name, selection, alias)."""
    fields = []
    for location, selection, alias in parts:
        owner, name = location.split("/", 1)
        fields.append(
            f"{alias}: repository(owner: {json.dumps(owner)}, name: {json.dumps(name)}) "
            f"{{ {selection} }}"
        )
    return "query { rateLimit { cost remaining resetAt } " + " ".join(fields) + " }"


def parse_repository(node: dict[str, Any]) -> dict[str, Any]:
    """`RepoFacts` fields (JSON-ready) from one GraphQL `repository` node."""
    licence = node.get("licenseInfo") or {}
    spdx = licence.get("spdxId")
    target = (node.get("defaultBranchRef") or {}).get("target") or {}
    return {
        "stars": node.get("stargazerCount") or 0,
        "forks": node.get("forkCount") or 0,
        "description": node.get("description") or "",
        "archived": bool(node.get("isArchived")),
        "license": spdx if spdx and spdx != "NOASSERTION" else licence.get("name"),
        "last_commit": target.get("committedDate"),
    }


def _error_kind(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    return {"NOT_FOUND": "not_found", "FORBIDDEN": "blocked"}.get(kind, "graphql_error")


class GitHub:
    """Fetches one batch of GitHub jobs: one GraphQL query plus conditional REST calls."""

    def __init__(
        self,
        graphql: HostClient,
        rest: HostClient,
        graphql_url: str = DEFAULT_GRAPHQL,
        api_url: str = DEFAULT_API,
        series: str = "history",
        stats_attempts: int = 3,
        stats_delay: float = 5.0,
    ) -> None:
        self.graphql, self.rest = graphql, rest
        self.graphql_url, self.api_url = graphql_url, api_url.rstrip("/")
        self.rest_forge = Forge(GitHubREST(), rest, self.api_url, "https://github.com")
        """The REST flow every forge shares, for what GraphQL does not answer."""
        self.series = series
        self.stats_attempts, self.stats_delay = stats_attempts, stats_delay

    async def query(self, text: str) -> dict[str, Any]:
        """Send one query; return `data` with per-alias errors folded in as `_errors`."""
        reply = await self.graphql.request("POST", self.graphql_url, json_body={"query": text})
        body = reply.data if isinstance(reply.data, dict) else {}
        errors = body.get("errors") or []
        if any(e.get("type") == "RATE_LIMITED" for e in errors):
            raise self.graphql.stop("GraphQL rate limit")
        data = body.get("data")
        if not isinstance(data, dict):
            message = "; ".join(e.get("message", "") for e in errors)[:300]
            raise FetchError("graphql_error", message or "no data")
        cost = (data.get("rateLimit") or {}).get("cost")
        if isinstance(cost, int):
            self.graphql.usage.points += cost
        data["_errors"] = {str((e.get("path") or [""])[0]): e for e in errors if e.get("path")}
        return data

    async def fetch_batch(self, jobs: list[Job], now: datetime) -> dict[int, Outcome]:
        """Outcomes for up to `BATCH` jobs; a failed query fails every job in it."""
        since = {job.package.id: history_since(job.previous, job.extra, now) for job in jobs}
        parts = [
            (job.location, _FACTS.format(history=_history(since[job.package.id])), f"r{i}")
            for i, job in enumerate(jobs)
        ]
        try:
            data = await self.query(build_query(parts))
        except FetchError as exc:
            return {job.package.id: Outcome(error=exc) for job in jobs}
        except HostStopped as exc:
            return {job.package.id: Outcome(skipped=str(exc)) for job in jobs}
        nodes: dict[int, dict[str, Any]] = {}
        outcomes: dict[int, Outcome] = {}
        for i, job in enumerate(jobs):
            node = data.get(f"r{i}")
            if node is None:
                error = data["_errors"].get(f"r{i}", {})
                kind = _error_kind(error)
                outcomes[job.package.id] = Outcome(error=FetchError(kind, error.get("message", "")))
            else:
                nodes[job.package.id] = node
        dates = await self._all_commits(jobs, nodes, since)
        finished = await asyncio.gather(
            *(
                guard(self._finish(job, nodes[job.package.id], dates, now))
                for job in jobs
                if job.package.id in nodes
            )
        )
        for job, outcome in zip([j for j in jobs if j.package.id in nodes], finished, strict=True):
            outcomes[job.package.id] = outcome
        return outcomes

    async def _all_commits(
        self, jobs: list[Job], nodes: dict[int, dict[str, Any]], since: dict[int, str]
    ) -> dict[int, list[datetime] | FetchError]:
        """Commit dates per package, paging on for repositories with more than a page."""
        found: dict[int, list[datetime] | FetchError] = {}
        cursors: dict[int, str] = {}
        names = {job.package.id: job.location for job in jobs}

        def take(pid: int, history: dict[str, Any] | None) -> None:
            history = history or {}
            dates = found.setdefault(pid, [])
            if isinstance(dates, list):
                dates.extend(parse_datetime(n["committedDate"]) for n in history.get("nodes") or [])
            page = history.get("pageInfo") or {}
            if page.get("hasNextPage") and page.get("endCursor"):
                cursors[pid] = page["endCursor"]
            else:
                cursors.pop(pid, None)

        for pid, node in nodes.items():
            names[pid] = node.get("nameWithOwner") or names[pid]
            take(pid, _target(node).get("history"))
        while cursors:
            batch = list(cursors.items())[:BATCH]
            parts = [
                (names[pid], _MORE.format(history=_history(since[pid], cursor)), f"p{pid}")
                for pid, cursor in batch
            ]
            try:
                data = await self.query(build_query(parts))
            except (FetchError, HostStopped) as exc:
                error = exc if isinstance(exc, FetchError) else FetchError("incomplete", str(exc))
                for pid, _ in batch:
                    found[pid] = error
                    cursors.pop(pid)
                continue
            for pid, _ in batch:
                take(pid, _target(data.get(f"p{pid}") or {}).get("history"))
        return found

    async def _finish(
        self, job: Job, node: dict[str, Any], dates: dict[int, Any], now: datetime
    ) -> Outcome:
        """Facts of one repository, with contributors and series, from its node."""
        pid = job.package.id
        outcome = Outcome(updates=parse_repository(node))
        moved = node.get("nameWithOwner") or job.location
        outcome.updates["moved_to"] = moved_to("https://github.com", job.location, moved)
        new_commits = dates.get(pid, [])
        if isinstance(new_commits, FetchError):
            outcome.error = new_commits
        elif self.series == "history":
            outcome.extra.update(updated_series(job.previous, job.extra, new_commits, now))
            outcome.updates["commits_over_52"] = outcome.extra.pop("commits_over_52")
        try:
            if self.series == "participation":
                await self._participation(job, moved, outcome, now)
            if new_commits or job.state.succeeded is None:
                outcome.updates["participants"] = await self.contributors(job, moved)
        except FetchError as exc:
            outcome.error = exc
        except HostStopped:
            outcome.partial = True  # the facts of the query stand; the rest waits
        return outcome

    async def contributors(self, job: Job, location: str) -> list[str]:
        """Logins, most contributions first (first 100), at the repository's current
        location: the contributors request of every REST forge."""
        return await self.rest_forge.participants(replace(job, location=location), [])

    async def _participation(self, job: Job, location: str, outcome: Outcome, now: datetime):
        """The series from `stats/participation`, asking again while GitHub computes it."""
        url = f"{self.api_url}/repos/{location}/stats/participation"
        etag = job.state.etags.get("participation") if job.previous.get("commits_over_52") else None
        for attempt in range(self.stats_attempts):
            if attempt:
                await asyncio.sleep(self.stats_delay)
            reply = await self.rest.request("GET", url, etag=etag)
            if reply.status == 304:
                return
            if reply.status == 200 and isinstance(reply.data, dict):
                if reply.etag:
                    job.state.etags["participation"] = reply.etag
                outcome.updates["commits_over_52"] = list(reply.data.get("all") or [])[-52:]
                outcome.extra.update(
                    series_week=week_of(now).isoformat(), series_through=format_datetime(now)
                )
                return
        outcome.error = FetchError("stats_pending", "stats/participation still computing")


def _target(node: dict[str, Any]) -> dict[str, Any]:
    return (node.get("defaultBranchRef") or {}).get("target") or {}


class GitHubREST(ForgeAPI):
    """GitHub through REST alone, for runs without a token (GraphQL needs one)."""

    def default_api(self, origin: str) -> str:
        return DEFAULT_API

    def headers(self, token: str | None) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        return {"Accept": "application/vnd.github+json", **auth}

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/repos/{location}"

    def parse_repo(self, data: dict[str, Any]) -> dict[str, Any]:
        licence = data.get("license") or {}
        spdx = licence.get("spdx_id")
        return {
            "path": data.get("full_name"),
            "stars": data.get("stargazers_count") or 0,
            "forks": data.get("forks_count") or 0,
            "description": data.get("description") or "",
            "archived": bool(data.get("archived")),
            "license": spdx if spdx and spdx != "NOASSERTION" else licence.get("name"),
        }

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        url = f"{base}/repos/{location}/commits"
        return f"{url}?per_page=100&since={quote(since)}" if since else f"{url}?per_page=1"

    def contributors_url(self, base: str, location: str) -> str:
        return f"{base}/repos/{location}/contributors?per_page=100"
