"""The enrichment run: pick the stalest packages, fetch them chunk by chunk, write.

Steps of `run_enrichment`:
1. load the catalogue and the state file;
2. order the packages stalest first (never fetched, then oldest success) so that a run
   stopped by budget or time limit is continued by the next one;
3. per chunk of 100 packages (a few chunks in flight): fetch every source of every
   package concurrently (GitHub in one GraphQL query), merge each package's outcomes
   into its file (`merge_document`, pure), write changed files, save the state;
4. return a `Summary`.

Environment (base URLs for tests and mirrors, optional tokens): `GITHUB_API_URL`,
`GITHUB_GRAPHQL_URL`, `GITHUB_TOKEN`, `PYPI_URL`, `GITLAB_API_URL`, `GITLAB_TOKEN`,
`FORGEJO_API_URL`, `FORGEJO_TOKEN`, `FORGEJO_HOSTS`, `BITBUCKET_API_URL`,
`BITBUCKET_TOKEN`. Per-host overrides: `GITLAB_API_URL_<HOST>` and
`FORGEJO_API_URL_<HOST>` (host name upper-cased, non-alphanumerics as `_`).
"""

from __future__ import annotations

import asyncio
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx

from ..enriched import enrichment_document, format_datetime, parse_datetime
from ..model import Enrichment, Package, PypiFacts, RepoFacts
from ..records import ENRICHED_DIR, read_sources
from ..validate import validate
from . import github, pypi
from .bitbucket import Bitbucket
from .client import USER_AGENT, HostClient, Usage
from .forge import Forge, ForgeAPI
from .forgejo import Forgejo
from .gitlab import GitLab
from .hosts import forgejo_hosts_from_env, locate_repo
from .jobs import Job, Outcome, guard
from .state import SourceState, State, load_state
from .store import write_json

CHUNK = 100
FORGES: dict[str, ForgeAPI] = {
    "github": github.GitHubREST(),
    "gitlab": GitLab(),
    "forgejo": Forgejo(),
    "bitbucket": Bitbucket(),
}
GONE_KINDS = frozenset({"not_found", "blocked"})


@dataclass(frozen=True)
class Options:
    """Everything a run needs besides the network; the CLI fills it from flags."""

    content: Path
    """The `content/` folder; package files go to `content/enriched/<id>.json`."""
    state: Path | None = None
    """Bookkeeping file; default `content/enriched/_state.json`."""
    slugs: tuple[str, ...] = ()
    """Only these packages (all when empty)."""
    budget: int | None = None
    """Most requests per API (GitHub REST, GitHub GraphQL, PyPI, each forge) this run."""
    time_limit: float | None = None
    """Seconds after which no request starts; the run then saves and stops."""
    concurrency: int = 8
    """Requests in flight per API."""
    series: str = "history"
    """How GitHub's weekly series is kept: `history` (GraphQL dates) or `participation`."""
    stamp_days: float = 7.0
    """Rewrite `last_fetched` of an unchanged package only when older than this."""
    gone_after: int = 3
    """Runs in a row answering 404/451 before a repository is reported gone."""
    retries: int = 3
    """Retries of a request that failed in a way worth retrying (5xx, timeout, reset…)."""
    backoff: float = 1.0
    """Base of the exponential backoff, in seconds (full jitter)."""
    timeout: float = 30.0
    """Seconds for connecting to, and for each read from, a server."""
    stats_delay: float = 5.0
    """Seconds between asks of a `stats/participation` that answered 202."""
    chunks_in_flight: int = 3
    """Chunks of 100 packages fetched at once (files are saved chunk by chunk)."""


@dataclass
class Summary:
    """What the run did, for the log line, the progress bar and `--report`."""

    packages: int = 0
    fetched: int = 0
    unchanged: int = 0
    failed: Counter[str] = field(default_factory=Counter)
    skipped: int = 0
    written: int = 0
    moved: dict[str, str] = field(default_factory=dict)
    gone: list[str] = field(default_factory=list)
    usage: dict[str, Usage] = field(default_factory=dict)
    seconds: float = 0.0

    def document(self) -> dict[str, Any]:
        return {
            "packages": self.packages,
            "fetched": self.fetched,
            "unchanged": self.unchanged,
            "failed": dict(sorted(self.failed.items())),
            "skipped": self.skipped,
            "files_written": self.written,
            "moved": dict(sorted(self.moved.items())),
            "gone": sorted(self.gone),
            "hosts": {
                name: asdict(u) for name, u in sorted(self.usage.items()) if u.requests or u.stopped
            },
            "seconds": round(self.seconds, 1),
        }


def _env_url(name: str, default: str) -> str:
    return (os.environ.get(name) or default).rstrip("/")


def _host_env(prefix: str, origin: str) -> str | None:
    host = origin.split("://", 1)[-1]
    key = "".join(c if c.isalnum() else "_" for c in host.upper())
    return os.environ.get(f"{prefix}_{key}") or os.environ.get(prefix)


DEFAULTS = enrichment_document(Enrichment(repo=RepoFacts(), pypi=PypiFacts()))
"""Every fact field with its empty value, per section, as the package file holds it."""


def _facts(name: str, base: dict[str, Any] | None, updates: dict[str, Any]) -> dict[str, Any]:
    """A complete, canonical facts section: defaults, then the old values, then the new."""
    plain = DEFAULTS[name]
    merged = {**plain, **{k: v for k, v in (base or {}).items() if k in plain}}
    merged.update({k: v for k, v in updates.items() if k in plain})
    return merged


def merge_document(
    previous: dict[str, Any],
    outcomes: dict[str, Outcome],
    now: datetime,
    stamp_days: float,
) -> dict[str, Any]:
    """The new package file from the old one and this run's outcomes (pure).

    Failed or skipped sources keep their last good section. `modified` moves only when a
    published fact changes; `last_fetched` when something was fetched and either a fact
    changed or the stamp is older than `stamp_days` (so quiet nights write nothing).
    """
    document = dict(previous)
    for name in ("repo", "pypi"):
        outcome = outcomes.get(name)
        if outcome and (outcome.updates or outcome.not_modified):
            document[name] = _facts(name, previous.get(name), outcome.updates)
            document.update(outcome.extra)
    document.setdefault("repo", None)
    document.setdefault("pypi", None)
    changed = any(document[k] != previous.get(k) for k in ("repo", "pypi"))
    stamp = format_datetime(now)
    if changed or previous.get("modified") is None:
        document["modified"] = stamp
    succeeded = any(
        o.updates or o.not_modified for o in outcomes.values() if o.error is None and not o.skipped
    )
    old = parse_datetime(previous["last_fetched"]) if previous.get("last_fetched") else None
    if succeeded and (changed or old is None or now - old >= timedelta(days=stamp_days)):
        document["last_fetched"] = stamp
    document.setdefault("last_fetched", None)
    return document


class Runner:
    """One enrichment run; holds the shared HTTP client and one `HostClient` per API."""

    def __init__(self, options: Options, http: httpx.AsyncClient, deadline: float | None):
        self.options = options
        self.http = http
        self.deadline = deadline
        self.clients: dict[str, HostClient] = {}
        self.summary = Summary()
        self.forgejo_hosts = forgejo_hosts_from_env()
        token = os.environ.get("GITHUB_TOKEN")
        gh_headers = github.GitHubREST().headers(token)
        self.github = (
            github.GitHub(
                self.client("github-graphql", gh_headers),
                self.client("github-rest", gh_headers),
                _env_url("GITHUB_GRAPHQL_URL", github.DEFAULT_GRAPHQL),
                _env_url("GITHUB_API_URL", github.DEFAULT_API),
                options.series,
                stats_delay=options.stats_delay,
            )
            if token
            else None
        )
        self.pypi_url = _env_url("PYPI_URL", pypi.DEFAULT_URL)

    def client(self, name: str, headers: dict[str, str] | None = None) -> HostClient:
        """The client of one API (created on first use, so unused hosts cost nothing)."""
        if name not in self.clients:
            o = self.options
            self.clients[name] = HostClient(
                name,
                self.http,
                headers or {},
                concurrency=o.concurrency,
                budget=o.budget,
                deadline=self.deadline,
                retries=o.retries,
                backoff=o.backoff,
            )
            self.summary.usage[name] = self.clients[name].usage
        return self.clients[name]

    def forge(self, kind: str, origin: str) -> Forge:
        """The REST client for a forge host (GitHub's REST API when there is no token)."""
        spec = FORGES[kind]
        base = _host_env(f"{kind.upper()}_API_URL", origin) or spec.default_api(origin)
        base = base.rstrip("/")
        token = os.environ.get(f"{kind.upper()}_TOKEN")
        client = self.client(f"{kind}:{origin.split('://', 1)[-1]}", spec.headers(token))
        return Forge(spec, client, base, origin)

    def jobs(self, package: Package, previous: dict[str, Any], state: State) -> dict[str, Job]:
        """The sources to ask about one package: its repository host and PyPI."""
        found: dict[str, Job] = {}
        where = locate_repo(package.repo_url, package.repo_host, self.forgejo_hosts)
        if where:
            kind, origin, location = where
            found["repo"] = Job(
                package,
                previous.get("repo") or {},
                previous,
                state.source(package.id, "repo"),
                host=f"{kind}|{origin}",
                location=location,
            )
        if package.pypi_name:
            found["pypi"] = Job(
                package,
                previous.get("pypi") or {},
                previous,
                state.source(package.id, "pypi"),
                location=package.pypi_name,
            )
        return found

    async def fetch_chunk(self, jobs: list[dict[str, Job]], now: datetime) -> list[dict]:
        """Outcomes of every source of every package in the chunk, concurrently."""
        on_github = [j["repo"] for j in jobs if "repo" in j and self._graphql(j["repo"])]
        tasks: list[tuple[int, str, Any]] = []
        for package_jobs in jobs:
            for name, job in package_jobs.items():
                if name == "pypi":
                    work = pypi.fetch_pypi(self.client("pypi"), self.pypi_url, job)
                elif self._graphql(job):
                    continue  # in the one GraphQL batch below
                else:
                    kind, origin = job.host.split("|", 1)
                    work = self.forge(kind, origin).fetch(job, now)
                tasks.append((job.package.id, name, guard(work)))
        gathered = await asyncio.gather(
            self.github.fetch_batch(on_github, now) if on_github else _nothing(),
            *(t[2] for t in tasks),
        )
        results: list[dict[str, Outcome]] = [{} for _ in jobs]
        index = {job.package.id: i for i, pj in enumerate(jobs) for job in pj.values()}
        for pid, outcome in gathered[0].items():
            results[index[pid]]["repo"] = outcome
        for (pid, name, _), outcome in zip(tasks, gathered[1:], strict=True):
            results[index[pid]][name] = outcome
        return results

    def _graphql(self, job: Job) -> bool:
        return self.github is not None and job.host.startswith("github|")

    def record(self, job: Job, outcome: Outcome, now: datetime, slug: str) -> None:
        """Count the outcome and note it in the state; mark a long-missing repo gone."""
        s: SourceState = job.state
        moved = outcome.updates.get("moved_to")
        if moved:
            self.summary.moved[slug] = moved
        if outcome.skipped:
            self.summary.skipped += 1
            return
        if outcome.error:
            s.fail(outcome.error.kind, outcome.error.message, now)
            self.summary.failed[outcome.error.kind] += 1
            if outcome.error.kind in GONE_KINDS and s.error_count >= self.options.gone_after:
                outcome.updates["gone"] = True
                self.summary.gone.append(slug)
            return
        if outcome.partial:
            s.attempt(now)
        else:
            s.succeed(now)
        if job.host and job.previous.get("gone"):
            outcome.updates["gone"] = False
        if outcome.not_modified and not outcome.updates:
            self.summary.unchanged += 1
        else:
            self.summary.fetched += 1


async def _nothing() -> dict[int, Outcome]:
    return {}


def select(packages: tuple[Package, ...], slugs: tuple[str, ...], state: State) -> list[Package]:
    """The packages to fetch, stalest first; unknown slugs raise `KeyError`."""
    if slugs:
        by_slug = {p.slug: p for p in packages}
        missing = [s for s in slugs if s not in by_slug]
        if missing:
            raise KeyError(", ".join(missing))
        packages = tuple(by_slug[s] for s in slugs)
    return sorted(packages, key=lambda p: state.staleness(p.id))


async def run_enrichment(
    options: Options,
    progress: Callable[[int, int], None] = lambda done, total: None,
) -> Summary:
    """Enrich the catalogue under `options.content`; see the module docstring."""
    started = time.monotonic()
    sources = read_sources(options.content)
    catalogue, problems = validate(sources)
    if catalogue is None:
        raise ValueError("content is invalid:\n" + "\n".join(str(p) for p in problems))
    folder = options.content / ENRICHED_DIR
    state_path = options.state or folder / "_state.json"
    state = load_state(state_path)
    chosen = select(catalogue.packages, options.slugs, state)
    deadline = started + options.time_limit if options.time_limit else None
    limits = httpx.Limits(max_connections=options.concurrency * 6)
    async with httpx.AsyncClient(
        timeout=options.timeout,
        follow_redirects=True,
        headers={"User-Agent": USER_AGENT},
        limits=limits,
    ) as http:
        runner = Runner(options, http, deadline)
        runner.summary.packages = len(chosen)
        gate = asyncio.Semaphore(options.chunks_in_flight)
        done = [0]

        async def chunk(packages: list[Package]) -> None:
            async with gate:
                now = datetime.now(UTC)
                previous = {p.id: sources.enriched.get(p.id) or {} for p in packages}
                jobs = [runner.jobs(p, previous[p.id], state) for p in packages]
                outcomes = await runner.fetch_chunk(jobs, now)
                for package, package_jobs, found in zip(packages, jobs, outcomes, strict=True):
                    for name, outcome in found.items():
                        runner.record(package_jobs[name], outcome, now, package.slug)
                    if found:
                        document = merge_document(
                            previous[package.id], found, now, options.stamp_days
                        )
                        if document["repo"] or document["pypi"]:
                            runner.summary.written += write_json(
                                folder / f"{package.id}.json", document
                            )
                state.last_run = format_datetime(now)
                state.save(state_path)
                done[0] += len(packages)
                progress(done[0], len(chosen))

        await asyncio.gather(*(chunk(chosen[i : i + CHUNK]) for i in range(0, len(chosen), CHUNK)))
    runner.summary.seconds = time.monotonic() - started
    return runner.summary
