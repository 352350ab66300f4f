"""The enrichment run: pick the stalest packages, fetch them chunk by chunk, write.

Steps of `run_enrichment`:
1. load the catalogue and the state file;
2. order the packages stalest first (never fetched, then oldest success) so that a run
   stopped by budget or time limit is continued by the next one;
3. per chunk of 100 packages (a few chunks in flight): fetch every source of every
   package concurrently (GitHub in one GraphQL query), merge each package's outcomes
   into its file (`merge.merge_document`, pure), write changed files, save the state;
4. return a `Summary`.

Where requests go and with which tokens is an `Endpoints` (read from the environment
once, by the CLI, unless a caller passes one); a caller may also pass the HTTP
transport (`httpx.MockTransport` in tests).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Collection
from datetime import UTC, datetime
from typing import Any

import httpx

from ..enriched import format_datetime
from ..model import Package
from ..records import ENRICHED_DIR, read_sources
from ..repos import repository_owners
from ..validate import validate
from . import github, pypi
from .client import USER_AGENT, FetchError, HostClient
from .endpoints import FORGES, Endpoints
from .forge import Forge
from .hosts import Repository, locate_repo
from .jobs import Job, Outcome, guard
from .merge import gone_verdict, merge_document
from .options import Options
from .state import State, load_state
from .store import write_json
from .summary import Summary

__all__ = ["Options", "Runner", "Summary", "merge_document", "run_enrichment", "select"]

CHUNK = 100


class Runner:
    """One enrichment run; holds the shared HTTP client and one `HostClient` per API."""

    def __init__(
        self,
        options: Options,
        http: httpx.AsyncClient,
        deadline: float | None,
        endpoints: Endpoints,
    ) -> None:
        self.options = options
        self.http = http
        self.deadline = deadline
        self.endpoints = endpoints
        self.clients: dict[str, HostClient] = {}
        self.summary = Summary()
        self.refused: dict[int, FetchError] = {}
        """Packages whose repository is on no configured instance, and why."""
        self.shared: Collection[int] = ()
        """Packages naming a repository a record of lower id names too: not fetched twice."""
        hub = endpoints.github
        headers = FORGES["github"].headers(hub.token)
        self.github = (
            github.GitHub(
                self.client("github-graphql", endpoints.github_graphql, headers),
                self.client("github-rest", hub.api, headers),
                endpoints.github_graphql,
                hub.api,
                options.series,
                stats_delay=options.stats_delay,
            )
            if hub.token
            else None
        )

    def client(self, name: str, base: str, headers: dict[str, str] | None = None) -> HostClient:
        """The client of one API (created on first use, so unused hosts cost nothing)."""
        if name not in self.clients:
            o = self.options
            self.clients[name] = HostClient(
                name,
                self.http,
                base,
                headers or {},
                concurrency=o.concurrency,
                budget=o.budget,
                deadline=self.deadline,
                retries=o.retries,
                backoff=o.backoff,
                timeout=o.timeout,
                max_wait=o.max_wait,
            )
            self.summary.usage[name] = self.clients[name].usage
        return self.clients[name]

    def forge(self, repo: Repository) -> Forge:
        """The REST flow for a forge instance (GitHub's REST API when there is no token)."""
        instance = repo.instance
        spec = FORGES[instance.kind]
        headers = spec.headers(instance.token)
        client = self.client(f"{instance.kind}:{instance.host}", instance.api, headers)
        return Forge(spec, client, instance.api, instance.web)

    def jobs(self, package: Package, previous: dict[str, Any], state: State) -> dict[str, Job]:
        """The sources to ask about one package: its repository host and PyPI."""
        found: dict[str, Job] = {}
        where = (
            None
            if package.id in self.shared
            else locate_repo(package.repo_url, package.repo_host, self.endpoints)
        )
        if isinstance(where, FetchError):
            self.refused[package.id] = where
            where = None
        if where or package.id in self.refused:
            found["repo"] = Job(
                package,
                previous.get("repo") or {},
                previous,
                state.source(package.id, "repo"),
                repo=where,
                location=where.path if where else "",
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

    def work(self, name: str, job: Job, now: datetime) -> Awaitable[Outcome] | None:
        """The fetch of one source (None: it is in the chunk's GraphQL batch)."""
        if name == "pypi":
            return pypi.fetch_pypi(
                self.client("pypi", self.endpoints.pypi), self.endpoints.pypi, job
            )
        if job.repo is None:
            return _failed(self.refused[job.package.id])
        if self._graphql(job):
            return None
        return self.forge(job.repo).fetch(job, now)

    async def fetch_chunk(self, jobs: list[dict[str, Job]], now: datetime) -> list[dict]:
        """Outcomes of every source of every package in the chunk, concurrently."""
        on_github = [j["repo"] for j in jobs if "repo" in j and self._graphql(j["repo"])]
        tasks: list[tuple[int, str, Any]] = []
        for package_jobs in jobs:
            for name, job in package_jobs.items():
                work = self.work(name, job, now)
                if work is not None:
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
        return self.github is not None and job.repo is not None and job.repo.kind == "github"

    def record(self, job: Job, outcome: Outcome, now: datetime, slug: str) -> bool | None:
        """Count the outcome and note it in the state; return the `repo.gone` verdict."""
        s = job.state
        moved = outcome.updates.get("moved_to")
        if moved:
            self.summary.moved[slug] = moved
        if outcome.skipped:
            self.summary.skipped += 1
        elif outcome.error:
            s.fail(outcome.error.kind, outcome.error.message, now)
            self.summary.failed[outcome.error.kind] += 1
        else:
            if outcome.partial:
                s.attempt(now)
            else:
                s.succeed(now)
            if outcome.not_modified and not outcome.updates:
                self.summary.unchanged += 1
            else:
                self.summary.fetched += 1
        if job.repo is None:
            return None
        verdict = gone_verdict(
            outcome, s.error_count, self.options.gone_after, bool(job.previous.get("gone"))
        )
        if verdict:
            self.summary.gone.append(slug)
        return verdict


async def _nothing() -> dict[int, Outcome]:
    return {}


async def _failed(error: FetchError) -> Outcome:
    return Outcome(error=error)


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
    endpoints: Endpoints | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> Summary:
    """Enrich the catalogue under `options.content`; see the module docstring."""
    started = time.monotonic()
    endpoints = endpoints or Endpoints.from_environ()
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
        follow_redirects=False,
        headers={"User-Agent": USER_AGENT},
        limits=limits,
        transport=transport,
    ) as http:
        runner = Runner(options, http, deadline, endpoints)
        runner.shared = repository_owners(catalogue.packages).keys()
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
                    gone = None
                    for name, outcome in found.items():
                        verdict = runner.record(package_jobs[name], outcome, now, package.slug)
                        gone = verdict if name == "repo" else gone
                    if found:
                        document = merge_document(
                            previous[package.id], found, now, options.stamp_days, gone
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
