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
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import quote

from ..enriched import format_datetime
from . import answers
from .answers import BadAnswer
from .client import FetchError, HostClient, HostStopped
from .forge import Forge, ForgeAPI, moved_to
from .jobs import Job, Outcome, guard
from .series import WEEKS, history_since, newest, updated_series, week_of

DEFAULT_API = "https://api.github.com"
DEFAULT_GRAPHQL = "https://api.github.com/graphql"
BATCH = 100
PAGE = 100
HISTORY_PAGES = 100
"""Most pages of commit dates read for one repository in one run (10,000 commits)."""
SPLIT_KINDS = frozenset({"server_error", "timeout"})
"""Failures of a whole query that GitHub gives when a query is too heavy: split it."""

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


@dataclass(frozen=True)
class Node:
    """One `repository` node of an answer, shape-checked."""

    path: str | None
    """`nameWithOwner`: where the repository is now."""
    facts: dict[str, Any]
    """`RepoFacts` fields (JSON-ready) but `last_commit`."""
    last_commit: datetime | None
    history: History


@dataclass(frozen=True)
class History:
    """One page of the default branch's commit dates, and the cursor of the next."""

    dates: list[datetime]
    cursor: str | None


@dataclass(frozen=True)
class Answer:
    """A GraphQL answer: `data` (None when the query failed as a whole), the errors."""

    data: dict[str, Any] | None
    errors: list[QueryError]
    cost: int


@dataclass(frozen=True)
class QueryError:
    alias: str
    """The first step of the error's `path` (the repository's alias), or ""."""
    type: str
    message: str


def licence_name(spdx: Any, name: Any) -> str | None:
    """The SPDX id GitHub detected, else the licence's name (`NOASSERTION`: no id)."""
    spdx = answers.label(spdx, "license.spdx_id")
    return spdx if spdx and spdx != "NOASSERTION" else answers.label(name, "license.name")


def parse_answer(body: Any) -> Answer:
    """The envelope of a GraphQL answer; `errors` may be objects or plain strings."""
    body = answers.obj(body, "GraphQL answer")
    errors = []
    for i, error in enumerate(answers.array(body.get("errors"), "errors")):
        where = f"errors[{i}]"
        if isinstance(error, str):
            errors.append(QueryError("", "", error[:300]))
            continue
        error = answers.obj(error, where)
        steps = answers.array(error.get("path"), f"{where}.path")
        alias = steps[0] if steps and isinstance(steps[0], str) else ""
        kind = answers.label(error.get("type"), f"{where}.type") or ""
        errors.append(QueryError(alias, kind, answers.text(error.get("message"), where, 300)))
    data = body.get("data")
    if data is not None:
        data = answers.obj(data, "data")
    limit = answers.obj(data.get("rateLimit") if data else None, "rateLimit", optional=True)
    return Answer(data, errors, answers.count(limit.get("cost"), "rateLimit.cost"))


def parse_history(history: Any, where: str) -> History:
    """Commit dates of one `history` connection page."""
    history = answers.obj(history, where, optional=True)
    nodes = answers.objects(history.get("nodes"), f"{where}.nodes")
    dates = [answers.moment(n.get("committedDate"), f"{where}.committedDate") for n in nodes]
    page = answers.obj(history.get("pageInfo"), f"{where}.pageInfo", optional=True)
    more = answers.flag(page.get("hasNextPage"), f"{where}.hasNextPage")
    cursor = answers.label(page.get("endCursor"), f"{where}.endCursor")
    return History(dates, cursor if more else None)


def _target(node: dict[str, Any], where: str) -> dict[str, Any]:
    branch = answers.obj(node.get("defaultBranchRef"), f"{where}.defaultBranchRef", optional=True)
    return answers.obj(branch.get("target"), f"{where}.target", optional=True)


def parse_repository(node: Any) -> Node:
    """Facts and the first page of commit dates from one GraphQL `repository` node."""
    node = answers.obj(node, "repository")
    licence = answers.obj(node.get("licenseInfo"), "licenseInfo", optional=True)
    target = _target(node, "repository")
    facts = {
        "stars": answers.count(node.get("stargazerCount"), "stargazerCount"),
        "forks": answers.count(node.get("forkCount"), "forkCount"),
        "description": answers.text(node.get("description"), "description"),
        "archived": answers.flag(node.get("isArchived"), "isArchived"),
        "license": licence_name(licence.get("spdxId"), licence.get("name")),
    }
    return Node(
        answers.path(node.get("nameWithOwner"), "nameWithOwner"),
        facts,
        answers.optional_moment(target.get("committedDate"), "committedDate"),
        parse_history(target.get("history"), "history"),
    )


def parse_more(node: Any) -> History:
    """The next page of commit dates from a follow-up query's node."""
    return parse_history(
        _target(answers.obj(node, "repository"), "repository").get("history"), "history"
    )


def parse_participation(data: Any) -> list[int]:
    """The last 52 weekly counts of a `stats/participation` answer."""
    weeks = answers.array(answers.obj(data, "participation").get("all"), "all")
    return [answers.count(n, f"all[{i}]") for i, n in enumerate(weeks)][-WEEKS:]


def _error_kind(error: QueryError) -> str:
    if error.type == "TIMEOUT" or "timeout" in error.message.lower():
        return "timeout"
    return {"NOT_FOUND": "not_found", "FORBIDDEN": "blocked"}.get(error.type, "graphql_error")


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

    async def query(self, text: str) -> Answer:
        """Send one query; an answer without `data` raises `FetchError` (kind of its
        first error: `timeout` for GitHub's "this may be the result of a timeout")."""
        reply = await self.graphql.request("POST", self.graphql_url, json_body={"query": text})
        answer = parse_answer(reply.data)
        if any(e.type == "RATE_LIMITED" for e in answer.errors):
            raise self.graphql.stop("GraphQL rate limit")
        if answer.data is None:
            message = "; ".join(e.message for e in answer.errors)[:300]
            kind = _error_kind(answer.errors[0]) if answer.errors else "graphql_error"
            raise FetchError(kind, message or "no data")
        self.graphql.usage.points += answer.cost
        return answer

    async def fetch_batch(self, jobs: list[Job], now: datetime) -> dict[int, Outcome]:
        """Outcomes for up to `BATCH` jobs; see `_repositories` for failed queries."""
        since = {job.package.id: history_since(job.previous, job.extra, now) for job in jobs}
        asked = await self._repositories(jobs, since)
        nodes = {pid: node for pid, node in asked.items() if isinstance(node, Node)}
        outcomes = {pid: node for pid, node in asked.items() if isinstance(node, Outcome)}
        names = {job.package.id: job.location for job in jobs}
        dates = await self._all_commits(nodes, names, since)
        found = [job for job in jobs if job.package.id in nodes]
        finished = await asyncio.gather(
            *(guard(self._finish(job, nodes[job.package.id], dates, now)) for job in found)
        )
        outcomes.update((job.package.id, o) for job, o in zip(found, finished, strict=True))
        return outcomes

    async def _repositories(
        self, jobs: list[Job], since: dict[int, str]
    ) -> dict[int, Node | Outcome]:
        """Each job's repository node, or its failed outcome.

        GitHub answers a query too heavy for it with 502/504 or a timeout error: such a
        query is split in halves, asked one after the other (bursts draw secondary rate
        limits), down to single repositories, so one repository GitHub cannot answer
        fails only itself. A node of the wrong shape fails only its package.
        """
        parts = [
            (job.location, _FACTS.format(history=_history(since[job.package.id])), f"r{i}")
            for i, job in enumerate(jobs)
        ]
        try:
            answer = await self.query(build_query(parts))
        except HostStopped as exc:
            return {job.package.id: Outcome(skipped=str(exc)) for job in jobs}
        except FetchError as exc:
            if exc.kind not in SPLIT_KINDS or len(jobs) == 1:
                return {job.package.id: Outcome(error=exc) for job in jobs}
            half = (len(jobs) + 1) // 2
            first = await self._repositories(jobs[:half], since)
            return {**first, **await self._repositories(jobs[half:], since)}
        assert answer.data is not None
        errors = {e.alias: e for e in answer.errors if e.alias}
        found: dict[int, Node | Outcome] = {}
        for i, job in enumerate(jobs):
            node = answer.data.get(f"r{i}")
            if node is None:
                error = errors.get(f"r{i}", QueryError("", "", "no repository in the answer"))
                found[job.package.id] = Outcome(error=FetchError(_error_kind(error), error.message))
                continue
            try:
                found[job.package.id] = parse_repository(node)
            except BadAnswer as exc:
                found[job.package.id] = Outcome(error=exc)
        return found

    async def _all_commits(
        self, nodes: dict[int, Node], names: dict[int, str], since: dict[int, str]
    ) -> dict[int, list[datetime] | FetchError]:
        """Commit dates per package, paging on (at most `HISTORY_PAGES` pages) for
        repositories with more than a page."""
        found: dict[int, list[datetime] | FetchError] = {}
        cursors: dict[int, str] = {}
        seen: dict[int, set[str]] = {}
        for pid, node in nodes.items():
            names[pid] = node.path or names[pid]
            found[pid] = list(node.history.dates)
            if node.history.cursor:
                cursors[pid] = node.history.cursor
        while cursors:
            batch = list(cursors.items())[:BATCH]
            parts = [
                (names[pid], _MORE.format(history=_history(since[pid], cursor)), f"p{pid}")
                for pid, cursor in batch
            ]
            try:
                data = (await self.query(build_query(parts))).data or {}
            except (FetchError, HostStopped) as exc:
                error = exc if isinstance(exc, FetchError) else FetchError("incomplete", str(exc))
                for pid, _ in batch:
                    found[pid] = error
                    cursors.pop(pid)
                continue
            for pid, cursor in batch:
                pages = seen.setdefault(pid, set())
                pages.add(cursor)
                try:
                    page = parse_more(data.get(f"p{pid}"))
                    if page.cursor in pages or len(pages) >= HISTORY_PAGES:
                        raise BadAnswer("history", "fewer pages", f"page {len(pages) + 1}")
                except BadAnswer as exc:
                    found[pid] = exc
                    cursors.pop(pid)
                    continue
                dates = found[pid]
                if isinstance(dates, list):
                    dates.extend(page.dates)
                if page.cursor:
                    cursors[pid] = page.cursor
                else:
                    cursors.pop(pid)
        return found

    async def _finish(self, job: Job, node: Node, dates: dict[int, Any], now: datetime) -> Outcome:
        """Facts of one repository, with contributors and series, from its node; any
        failure fails the whole repository (its last good facts stay), as on REST forges."""
        pid = job.package.id
        new_commits = dates.get(pid, [])
        if isinstance(new_commits, FetchError):
            return Outcome(error=new_commits)
        outcome = Outcome(updates=dict(node.facts))
        outcome.updates["last_commit"] = format_datetime(newest([node.last_commit], now))
        moved = node.path or job.location
        outcome.updates["moved_to"] = moved_to("https://github.com", job.location, moved)
        if self.series == "history":
            outcome.extra.update(updated_series(job.previous, job.extra, new_commits, now))
            outcome.updates["commits_over_52"] = outcome.extra.pop("commits_over_52")
        try:
            if self.series == "participation":
                await self._participation(job, moved, outcome, now)
            if new_commits or job.state.succeeded is None:
                outcome.updates["participants"] = await self.contributors(job, moved)
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
            if reply.status == 200:
                outcome.updates["commits_over_52"] = parse_participation(reply.data)
                if reply.etag:
                    job.state.etags["participation"] = reply.etag
                outcome.extra.update(
                    series_week=week_of(now).isoformat(), series_through=format_datetime(now)
                )
                return
        raise FetchError("stats_pending", "stats/participation still computing")


class GitHubREST(ForgeAPI):
    """GitHub through REST alone, for runs without a token (GraphQL needs one)."""

    def default_api(self, origin: str) -> str:
        return DEFAULT_API

    def headers(self, token: str | None) -> dict[str, str]:
        auth = {"Authorization": f"Bearer {token}"} if token else {}
        return {"Accept": "application/vnd.github+json", **auth}

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/repos/{location}"

    def parse_repo(self, data: Any) -> dict[str, Any]:
        facts = answers.repository(data, "full_name", "stargazers_count")
        licence = answers.obj(data.get("license"), "license", optional=True)
        facts["license"] = licence_name(licence.get("spdx_id"), licence.get("name"))
        return facts

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        url = f"{base}/repos/{location}/commits"
        return f"{url}?per_page=100&since={quote(since)}" if since else f"{url}?per_page=1"

    def contributors_url(self, base: str, location: str) -> str:
        return f"{base}/repos/{location}/contributors?per_page=100"
