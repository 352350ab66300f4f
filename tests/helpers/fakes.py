"""Fake GitHub (REST + GraphQL), PyPI, GitLab, Forgejo and Bitbucket as real HTTP servers.

Each server is a `ThreadingHTTPServer` on 127.0.0.1 speaking HTTP/1.1 with keep-alive,
answering from an in-memory model shaped like the real APIs (bodies from
`tests/fixtures/`, error shapes from each host's documentation). GraphQL queries are
validated against GitHub's published schema and executed by graphql-core, so a query
GitHub would reject fails here too. Faults are queued per path substring
(`server.fault("/graphql", "500", "reset")`) and each request consumes at most one.
Used by the tests and by `benchmarks/enrich_bench.py`.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

FIXTURES = Path(__file__).parent.parent / "fixtures"


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


@cache
def github_schema():
    """GitHub's public schema (about a second to build; once per process).

    `assume_valid`: GitHub's published schema breaks rules that graphql-core 3.3 checks
    before the first query (an implementation field deprecated while the interface's
    field is not), so the schema is trusted as GitHub serves it; queries are still
    validated against it.
    """
    from graphql import build_schema

    text = (FIXTURES / "github" / "schema.graphql").read_text(encoding="utf-8")
    return build_schema(text, assume_valid_sdl=True, assume_valid=True)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


@dataclass
class Response:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[Request], Response]


class _QuietServer(ThreadingHTTPServer):
    request_queue_size = 128
    """Listen backlog (socketserver's default is 5): a loaded machine accepts slowly, and
    a full backlog held back connections of 8-in-flight clients."""

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Clients that hang up (timeouts, resets) are part of the tests."""


class FakeServer:
    """A real HTTP server on loopback answering through `handler`, with injectable faults."""

    def __init__(self, handler: Handler, latency: float = 0.0) -> None:
        self.handler = handler
        self.latency = latency
        self.faults: list[tuple[str, str | Response]] = []
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.held: Callable[[Request], bool] = lambda request: False
        self.released = threading.Event()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def _serve(self) -> None:
                server.serve(self)

            do_GET = do_POST = _serve

        self.httpd = _QuietServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.released.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    def hold(self, which: Callable[[Request], bool]) -> None:
        """Keep requests `which` selects unanswered until `released` is set (or close)."""
        self.held = which

    def fault(self, path_part: str, *kinds: str | Response) -> None:
        """Queue faults for the next requests whose path contains `path_part`: a kind
        below, or a `Response` to send instead of the real answer (a hostile body)."""
        with self.lock:
            self.faults.extend((path_part, k) for k in kinds)

    def _take_fault(self, path: str) -> str | Response | None:
        with self.lock:
            for i, (part, kind) in enumerate(self.faults):
                if part in path:
                    del self.faults[i]
                    return kind
        return None

    def count(self, path_part: str = "") -> int:
        return sum(1 for r in self.requests if path_part in r.path)

    def serve(self, h: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(h.path)
        length = int(h.headers.get("Content-Length") or 0)
        body = h.rfile.read(length) if length else b""
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        request = Request(h.command, unquote(parts.path), query, dict(h.headers.items()), body)
        if parts.path.count("%2F"):
            request.path = parts.path
        with self.lock:
            self.requests.append(request)
        if self.latency:
            time.sleep(self.latency)
        if self.held(request):
            self.released.wait()
        kind = self._take_fault(request.path)
        if isinstance(kind, Response):
            self._send(h, kind, truncated=False)
            return
        if kind == "reset":
            h.close_connection = True
            return
        if kind == "timeout":
            time.sleep(3)
            h.close_connection = True
            return
        if kind == "429":
            response = Response(429, {"message": "slow down"}, {"Retry-After": "1"})
        elif kind and kind.isdigit():
            response = Response(int(kind), {"message": f"fault {kind}"})
        elif kind == "ratelimit":
            reset = str(int(time.time()) + 1)
            response = Response(
                403,
                {"message": "API rate limit exceeded"},
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            )
        elif kind == "ratelimit-long":
            reset = str(int(time.time()) + 3600)
            response = Response(
                403,
                {"message": "API rate limit exceeded"},
                {"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset},
            )
        else:
            response = self.handler(request)
        self._send(h, response, truncated=kind == "truncated")

    def _send(self, h: BaseHTTPRequestHandler, response: Response, truncated: bool) -> None:
        body = response.body
        if body is None:
            data = b""
        elif isinstance(body, bytes):
            data = body
        else:
            data = json.dumps(body).encode()
        headers = dict(response.headers)
        if response.status == 200 and data and "ETag" not in headers:
            headers["ETag"] = '"' + hashlib.sha1(data).hexdigest() + '"'
        if headers.get("ETag") and h.headers.get("If-None-Match") == headers["ETag"]:
            response, data = Response(304), b""
        if truncated:
            data = data[: len(data) // 2]
        h.send_response(response.status)
        h.send_header("Content-Type", "application/json; charset=utf-8")
        h.send_header("Content-Length", str(len(data)))
        for key, value in headers.items():
            h.send_header(key, value)
        h.end_headers()
        h.wfile.write(data)


# ---------------------------------------------------------------- the shared repo model


@dataclass
class Repo:
    """One repository as every fake forge knows it."""

    path: str
    stars: int = 10
    forks: int = 2
    description: str = "A Django app"
    archived: bool = False
    license: str | None = "MIT"
    commits: list[tuple[datetime, str]] = field(default_factory=list)
    """(committer date, author login), any order."""
    status: int = 200
    """404 (gone) or 451 (blocked) to refuse every request about this repository."""
    renamed_to: str | None = None
    stats_pending: int = 0
    """How many `stats/participation` requests answer 202 before the data."""

    def newest_first(self, since: str | None = None) -> list[tuple[datetime, str]]:
        start = datetime.fromisoformat(since.replace("Z", "+00:00")) if since else None
        found = [c for c in self.commits if start is None or c[0] >= start]
        return sorted(found, key=lambda c: c[0], reverse=True)

    def contributors(self) -> list[tuple[str, int]]:
        return Counter(a for _, a in self.commits).most_common()


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def make_commits(now: datetime, per_week: list[int], authors: list[str]) -> list:
    """Commits for a 52-week series (oldest week first), spread over each week."""
    from generator.enrich.series import week_of

    start = week_of(now)
    commits = []
    for back, count in enumerate(reversed(per_week)):
        monday = datetime(start.year, start.month, start.day, tzinfo=UTC) - timedelta(weeks=back)
        for i in range(count):
            moment = monday + timedelta(hours=1 + i)
            if moment <= now:
                commits.append((moment, authors[i % len(authors)]))
    return commits


class Forest:
    """Repositories by path, looked up case-insensitively, following renames."""

    def __init__(self) -> None:
        self.repos: dict[str, Repo] = {}

    def add(self, repo: Repo) -> Repo:
        self.repos[repo.path.lower()] = repo
        if repo.renamed_to:
            self.repos[repo.renamed_to.lower()] = repo
        return repo

    def get(self, path: str) -> Repo | None:
        return self.repos.get(path.lower())


def _page(items: list, query: dict[str, str], url: str, size_key: str, page_key: str = "page"):
    """One page of `items` and a Link header for the next (GitHub/GitLab/Forgejo style)."""
    size = int(query.get(size_key, 30))
    page = int(query.get(page_key, 1))
    chunk = items[(page - 1) * size : page * size]
    headers = {}
    if page * size < len(items):
        rest = {**query, page_key: str(page + 1)}
        link = url + "?" + "&".join(f"{k}={v}" for k, v in rest.items())
        headers["Link"] = f'<{link}>; rel="next"'
    return chunk, headers


# ---------------------------------------------------------------------------- GitHub


class FakeGitHub:
    """GitHub REST (`/repos/…`) and GraphQL (`/graphql`) over one server."""

    def __init__(self, latency: float = 0.0, remaining: int = 5000) -> None:
        github_schema()
        self.forest = Forest()
        self.remaining = {"core": remaining, "graphql": remaining}
        self.points = 0
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url
        self.template = fixture("github/repos-django-deps.json")["body"]
        self.max_repos: int | None = None
        """Queries naming more repositories than this fail as `overload` says."""
        self.poison: set[str] = set()
        """Repositories (owner/name) whose every query fails as `overload` says."""
        self.overload = "502"
        """How a heavy query fails: `502`, `504`, `timeout-error` (GitHub's 200 with a
        timeout error and no data), `hang` (no answer until the server closes)."""
        self.contributor = fixture("github/repos-django-deps-contributors.json")["body"][0]

    def close(self) -> None:
        self.server.close()

    def limits(self, pool: str = "core") -> dict[str, str]:
        """Rate-limit headers of one pool (`core` for REST, `graphql`), counting down."""
        with self.server.lock:
            self.remaining[pool] = max(0, self.remaining[pool] - 1)
            left = self.remaining[pool]
        reset = str(int(time.time()) + 3600)
        return {
            "X-RateLimit-Remaining": str(left),
            "X-RateLimit-Reset": reset,
            "X-RateLimit-Resource": pool,
        }

    def handle(self, request: Request) -> Response:
        if request.path == "/graphql":
            return self.graphql(request)
        match = re.fullmatch(r"/repos/([^/]+/[^/]+)(/.*)?", request.path)
        if not match:
            return Response(404, fixture("github/repos-not-found-404.json")["body"])
        repo = self.forest.get(match.group(1))
        rest = match.group(2) or ""
        if repo is None or repo.status == 404:
            return Response(404, fixture("github/repos-not-found-404.json")["body"], self.limits())
        if repo.status == 451:
            return Response(451, {"message": "Repository access blocked"}, self.limits())
        if repo.path.lower() != match.group(1).lower() or repo.renamed_to:
            target = repo.renamed_to or repo.path
            if target.lower() != match.group(1).lower():
                location = f"{self.url}/repos/{target}{rest}"
                if request.query:
                    location += "?" + "&".join(f"{k}={v}" for k, v in request.query.items())
                return Response(301, {"message": "Moved Permanently"}, {"Location": location})
        headers = self.limits()
        if rest == "":
            return Response(200, self.rest_repo(repo), headers)
        if rest == "/contributors":
            body = []
            for login, count in repo.contributors():
                entry = dict(self.contributor, login=login, contributions=count)
                body.append(entry)
            chunk, link = _page(body, request.query, f"{self.url}{request.path}", "per_page")
            return Response(200 if chunk else 204, chunk or None, {**headers, **link})
        if rest == "/stats/participation":
            if repo.stats_pending > 0:
                repo.stats_pending -= 1
                return Response(202, {}, headers)
            return Response(200, participation(repo), headers)
        if rest == "/commits":
            commits = [
                {
                    "sha": hashlib.sha1(iso(d).encode()).hexdigest(),
                    "commit": {
                        "author": {"name": a, "date": iso(d)},
                        "committer": {"name": a, "date": iso(d)},
                    },
                    "author": {"login": a},
                }
                for d, a in repo.newest_first(request.query.get("since"))
            ]
            chunk, link = _page(commits, request.query, f"{self.url}{request.path}", "per_page")
            return Response(200, chunk, {**headers, **link})
        return Response(404, fixture("github/repos-not-found-404.json")["body"], headers)

    def rest_repo(self, repo: Repo) -> dict[str, Any]:
        body = copy.deepcopy(self.template)
        target = repo.renamed_to or repo.path
        body.update(
            full_name=target,
            name=target.split("/")[1],
            stargazers_count=repo.stars,
            watchers_count=repo.stars,
            forks_count=repo.forks,
            description=repo.description,
            archived=repo.archived,
            license={"spdx_id": repo.license, "name": repo.license} if repo.license else None,
        )
        return body

    def graphql(self, request: Request) -> Response:
        from graphql import GraphQLError, execute, parse, validate

        if not request.headers.get("Authorization"):
            return Response(401, {"message": "This endpoint requires you to be authenticated."})
        query = json.loads(request.body)["query"]
        document = parse(query)
        errors = validate(github_schema(), document)
        if errors:
            return Response(200, {"errors": [e.formatted for e in errors]})
        named = [
            "/".join(str(a.value.value) for a in s.arguments)
            for d in document.definitions
            for s in d.selection_set.selections
            if s.name.value == "repository"
        ]
        repos = len(named)
        if (self.max_repos is not None and repos > self.max_repos) or self.poison & set(named):
            return self.overloaded()
        cost = max(1, round(repos / 100))
        self.points += cost
        root = {
            "rateLimit": {
                "cost": cost,
                "remaining": 5000 - self.points,
                "resetAt": "2030-01-01T00:00:00Z",
            },
            "repository": self.resolve_repository,
        }
        result = execute(github_schema(), document, root_value=root)
        body: dict[str, Any] = {"data": result.data}
        if result.errors:
            body["errors"] = []
            for error in result.errors:
                shaped = error.formatted
                original = getattr(error, "original_error", None)
                if isinstance(original, GraphQLError) or original is None:
                    shaped["type"] = "INTERNAL"
                else:
                    shaped["type"] = getattr(original, "kind", "INTERNAL")
                body["errors"].append(shaped)
        return Response(200, body, self.limits("graphql"))

    def overloaded(self) -> Response:
        """GitHub's answers to a query too heavy to run."""
        if self.overload == "hang":
            self.server.released.wait()
            return Response(502, {"message": "Server Error"})
        if self.overload == "timeout-error":
            message = (
                "Something went wrong while executing your query. This may be the result "
                "of a timeout, or it could be a GitHub bug."
            )
            return Response(200, {"data": None, "errors": [{"message": message}]})
        return Response(int(self.overload), {"message": "We couldn't respond in time."})

    def resolve_repository(self, info: Any, owner: str, name: str, **_: Any) -> dict[str, Any]:
        repo = self.forest.get(f"{owner}/{name}")
        if repo is None or repo.status == 404:
            raise GraphQLFault(
                "NOT_FOUND", f"Could not resolve to a Repository with the name '{owner}/{name}'."
            )
        if repo.status == 451:
            raise GraphQLFault("FORBIDDEN", "Repository access blocked")
        newest = repo.newest_first()

        def history(
            info: Any,
            first: int = 100,
            since: str | None = None,
            after: str | None = None,
            **_: Any,
        ):
            found = repo.newest_first(since)
            start = int(after) if after else 0
            chunk = found[start : start + first]
            more = start + first < len(found)
            return {
                "totalCount": len(found),
                "pageInfo": {
                    "hasNextPage": more,
                    "endCursor": str(start + first) if more else None,
                },
                "nodes": [{"committedDate": iso(d)} for d, _ in chunk],
            }

        head = {
            "__typename": "Commit",
            "committedDate": iso(newest[0][0]) if newest else None,
            "history": history,
        }
        return {
            "nameWithOwner": repo.renamed_to or repo.path,
            "stargazerCount": repo.stars,
            "forkCount": repo.forks,
            "description": repo.description,
            "isArchived": repo.archived,
            "licenseInfo": {"spdxId": repo.license, "name": repo.license} if repo.license else None,
            "defaultBranchRef": {"target": head} if newest else None,
        }


class GraphQLFault(Exception):
    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def participation(repo: Repo) -> dict[str, list[int]]:
    from generator.enrich.series import add_commits, week_of

    now = datetime.now(UTC)
    series = add_commits([0] * 52, week_of(now), [d for d, _ in repo.commits])
    return {"all": series, "owner": [0] * 52}


# ------------------------------------------------------------------------------ PyPI


class FakePyPI:
    """`/pypi/<normalised name>/json` from recorded bodies."""

    def __init__(self, latency: float = 0.0) -> None:
        self.projects: dict[str, Any] = {}
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url

    def close(self) -> None:
        self.server.close()

    def add(self, name: str, body: Any) -> None:
        self.projects[name] = body

    def handle(self, request: Request) -> Response:
        match = re.fullmatch(r"/pypi/([^/]+)/json", request.path)
        if match and match.group(1) in self.projects:
            return Response(200, self.projects[match.group(1)])
        return Response(404, {"message": "Not Found"})


# ------------------------------------------------------------------ GitLab, Forgejo, Bitbucket


class FakeGitLab:
    """GitLab API v4: projects by URL-encoded path, commits since, contributors."""

    def __init__(self, latency: float = 0.0) -> None:
        self.forest = Forest()
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url + "/api/v4"

    def close(self) -> None:
        self.server.close()

    def handle(self, request: Request) -> Response:
        match = re.fullmatch(r"/api/v4/projects/([^/]+)(/.*)?", request.path)
        repo = self.forest.get(unquote(match.group(1))) if match else None
        if repo is None or repo.status != 200:
            return Response(404, {"message": "404 Project Not Found"})
        rest = match.group(2) or ""
        base = f"{self.server.url}{request.path}"
        headers = {"RateLimit-Remaining": "1999", "RateLimit-Reset": str(int(time.time()) + 60)}
        if rest == "":
            body = {
                "id": 1,
                "path_with_namespace": repo.renamed_to or repo.path,
                "description": repo.description,
                "star_count": repo.stars,
                "forks_count": repo.forks,
                "archived": repo.archived,
                "last_activity_at": "2026-01-01T00:00:00.000Z",
            }
            if request.query.get("license") == "true":
                body["license"] = {"key": (repo.license or "").lower(), "nickname": repo.license}
            return Response(200, body, headers)
        if rest == "/repository/commits":
            commits = [
                {
                    "id": hashlib.sha1(iso(d).encode()).hexdigest(),
                    "author_name": a,
                    "committed_date": iso(d).replace("Z", ".000+00:00"),
                }
                for d, a in repo.newest_first(request.query.get("since"))
            ]
            chunk, link = _page(commits, request.query, base, "per_page")
            return Response(200, chunk, {**headers, **link, "X-Total": str(len(commits))})
        if rest == "/repository/contributors":
            body = [
                {
                    "name": a,
                    "email": f"{a}@example.org",
                    "commits": n,
                    "additions": 0,
                    "deletions": 0,
                }
                for a, n in repo.contributors()
            ]
            chunk, link = _page(body, request.query, base, "per_page")
            return Response(200, chunk, {**headers, **link})
        return Response(404, {"error": "404 Not Found"})


class FakeForgejo:
    """Forgejo/Gitea API v1: repos, commits since (50 a page)."""

    def __init__(self, latency: float = 0.0) -> None:
        self.forest = Forest()
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url + "/api/v1"

    def close(self) -> None:
        self.server.close()

    def handle(self, request: Request) -> Response:
        match = re.fullmatch(r"/api/v1/repos/([^/]+/[^/]+)(/.*)?", request.path)
        repo = self.forest.get(match.group(1)) if match else None
        if repo is None or repo.status != 200:
            return Response(
                404,
                {
                    "errors": ["repository does not exist"],
                    "message": "The target couldn't be found.",
                    "url": "https://codeberg.org/api/swagger",
                },
            )
        rest = match.group(2) or ""
        if rest == "":
            return Response(
                200,
                {
                    "full_name": repo.renamed_to or repo.path,
                    "description": repo.description,
                    "stars_count": repo.stars,
                    "forks_count": repo.forks,
                    "archived": repo.archived,
                    "licenses": [repo.license] if repo.license else [],
                },
            )
        if rest == "/commits":
            commits = [
                {
                    "sha": hashlib.sha1(iso(d).encode()).hexdigest(),
                    "created": iso(d),
                    "commit": {
                        "author": {"name": a, "date": iso(d)},
                        "committer": {"name": a, "date": iso(d)},
                    },
                    "author": {"login": a},
                }
                for d, a in repo.newest_first(request.query.get("since"))
            ]
            query = {**request.query, "limit": str(min(50, int(request.query.get("limit", 50))))}
            chunk, link = _page(commits, query, f"{self.server.url}{request.path}", "limit")
            return Response(200, chunk, {**link, "X-Total-Count": str(len(commits))})
        return Response(404, {"message": "The target couldn't be found."})


class FakeBitbucket:
    """Bitbucket 2.0: repositories, watchers/forks sizes, commits paged by `next`."""

    def __init__(self, latency: float = 0.0) -> None:
        self.forest = Forest()
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url + "/2.0"

    def close(self) -> None:
        self.server.close()

    def handle(self, request: Request) -> Response:
        match = re.fullmatch(r"/2.0/repositories/([^/]+/[^/]+)(/.*)?", request.path)
        repo = self.forest.get(match.group(1)) if match else None
        if repo is None or repo.status != 200:
            return Response(404, {"type": "error", "error": {"message": "Repository not found"}})
        rest = match.group(2) or ""
        if rest == "":
            return Response(
                200,
                {
                    "type": "repository",
                    "full_name": repo.renamed_to or repo.path,
                    "description": repo.description,
                    "is_private": False,
                },
            )
        if rest in ("/watchers", "/forks"):
            size = repo.stars if rest == "/watchers" else repo.forks
            return Response(200, {"pagelen": 1, "size": size, "page": 1, "values": []})
        if rest == "/commits":
            size = int(request.query.get("pagelen", 30))
            page = int(request.query.get("page", 1))
            commits = [
                {
                    "type": "commit",
                    "hash": hashlib.sha1(iso(d).encode()).hexdigest(),
                    "date": iso(d).replace("Z", "+00:00"),
                    "author": {"raw": f"{a} <{a}@example.org>", "user": {"nickname": a}},
                }
                for d, a in repo.newest_first()
            ]
            body: dict[str, Any] = {
                "pagelen": size,
                "page": page,
                "values": commits[(page - 1) * size : page * size],
            }
            if page * size < len(commits):
                body["next"] = f"{self.server.url}{request.path}?pagelen={size}&page={page + 1}"
            return Response(200, body)
        return Response(404, {"type": "error", "error": {"message": "Resource not found"}})
