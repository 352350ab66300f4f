"""One HTTP client per API host: bounded concurrency, retries, budget and rate limits.

Every fetcher talks to the network through `HostClient.request`, so the rules of
issue 3 hold everywhere:

- at most `concurrency` requests in flight per host;
- 5xx, timeouts, connection resets and truncated or malformed JSON are retried up to
  `retries` times with exponential backoff and full jitter (`backoff` seconds base);
- `X-RateLimit-Remaining`/`X-RateLimit-Reset` (GitHub, GitLab `RateLimit-*`, Forgejo)
  are read on every response; 403/429 with `Retry-After` or an exhausted limit wait
  for the reset when it falls before the deadline, else the host is *stopped*: every
  later request raises `HostStopped` and the run saves what it has;
- `budget` caps the requests that count against the host's limit (a 304 does not);
- conditional requests send `If-None-Match` with a stored ETag.

Failures that concern one resource raise `FetchError` with a short `kind`
(`not_found`, `blocked`, `server_error`, `timeout`, `connection`, `bad_json`,
`forbidden`, `http_<status>`) that the state file records per package.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

USER_AGENT = (
    "djangopackages-static-enricher (+https://github.com/djangopackages/djangopackages-static)"
)


class FetchError(Exception):
    """One resource could not be fetched; the package keeps its last good data."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(f"{kind}: {message}" if message else kind)
        self.kind = kind
        self.message = message


class HostStopped(Exception):
    """The host's budget, rate limit or the run's time limit is used up."""


@dataclass
class Reply:
    """A successful (2xx or 304) answer; `data` is parsed JSON, None for a 304."""

    status: int
    data: Any
    etag: str | None
    url: str
    headers: httpx.Headers


@dataclass
class Usage:
    """What one host cost this run, for the summary."""

    requests: int = 0
    """Every HTTP request sent, retries included."""
    counted: int = 0
    """Requests that count against the host's limit (all but 304s)."""
    not_modified: int = 0
    retries: int = 0
    points: int = 0
    """GraphQL points reported by the API (GitHub `rateLimit.cost`)."""
    waited: float = 0.0
    stopped: str | None = None


@dataclass
class HostClient:
    """Requests to one API (one rate-limit pool), sharing an `httpx.AsyncClient`."""

    name: str
    http: httpx.AsyncClient
    headers: dict[str, str] = field(default_factory=dict)
    concurrency: int = 8
    budget: int | None = None
    deadline: float | None = None
    """`time.monotonic()` value after which no request starts."""
    retries: int = 3
    backoff: float = 1.0
    reserve: int = 0
    """Leave this many requests of the server's limit unused (for other jobs)."""
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        self._slots = asyncio.Semaphore(self.concurrency)
        self._remaining: int | None = None
        self._reset_at: float | None = None

    @property
    def stopped(self) -> bool:
        return self.usage.stopped is not None

    def stop(self, reason: str) -> HostStopped:
        if self.usage.stopped is None:
            self.usage.stopped = reason
        return HostStopped(f"{self.name}: {reason}")

    async def request(
        self, method: str, url: str, *, etag: str | None = None, json_body: Any = None
    ) -> Reply:
        """Send one request with retries; raise `FetchError` or `HostStopped`."""
        async with self._slots:
            attempt = waits = 0
            while True:
                await self._admit()
                try:
                    return await self._once(method, url, etag, json_body)
                except _Retry as exc:
                    if exc.wait is not None and waits < self.retries:
                        waits += 1
                        await self._sleep_until(time.monotonic() + exc.wait, "rate limited")
                        continue
                    attempt += 1
                    if attempt > self.retries:
                        raise FetchError(exc.kind, exc.message) from None
                    self.usage.retries += 1
                    delay = random.uniform(0, self.backoff * 2 ** (attempt - 1))
                    await self._sleep_until(time.monotonic() + delay, "time limit")

    async def _admit(self) -> None:
        """Wait for, or refuse, the next request under budget, limit and deadline."""
        if self.stopped:
            raise HostStopped(f"{self.name}: {self.usage.stopped}")
        if self.deadline is not None and time.monotonic() >= self.deadline:
            raise self.stop("time limit")
        if self.budget is not None and self.usage.counted >= self.budget:
            raise self.stop("budget")
        if self._remaining is not None and self._remaining <= self.reserve:
            reset = self._reset_at if self._reset_at is not None else time.monotonic() + 3600
            await self._sleep_until(reset, "rate limit")
            self._remaining = None

    async def _sleep_until(self, when: float, reason: str) -> None:
        now = time.monotonic()
        if self.deadline is not None and when > self.deadline:
            raise self.stop(reason)
        if when > now:
            self.usage.waited += when - now
            await asyncio.sleep(when - now)

    async def _once(self, method: str, url: str, etag: str | None, json_body: Any) -> Reply:
        headers = dict(self.headers)
        if etag:
            headers["If-None-Match"] = etag
        self.usage.requests += 1
        self.usage.counted += 1
        try:
            response = await self.http.request(method, url, headers=headers, json=json_body)
        except httpx.TimeoutException as exc:
            raise _Retry("timeout", repr(exc)) from None
        except httpx.TransportError as exc:
            raise _Retry("connection", repr(exc)) from None
        self._read_limits(response)
        status = response.status_code
        if status == 304:
            self.usage.counted -= 1
            self.usage.not_modified += 1
            return Reply(304, None, etag, str(response.url), response.headers)
        if status in (403, 429):
            wait = self._limit_wait(response)
            if wait is not None:
                raise _Retry("rate_limited", wait=wait)
            raise FetchError("forbidden" if status == 403 else "rate_limited", _snippet(response))
        if status >= 500:
            raise _Retry("server_error", f"HTTP {status}")
        if status in (404, 410):
            raise FetchError("not_found", _snippet(response))
        if status == 451:
            raise FetchError("blocked", _snippet(response))
        if status >= 400:
            raise FetchError(f"http_{status}", _snippet(response))
        data = None
        if status != 204 and status != 202:
            try:
                data = json.loads(response.content)
            except ValueError as exc:
                raise _Retry("bad_json", str(exc)) from None
        return Reply(
            status, data, response.headers.get("ETag"), str(response.url), response.headers
        )

    def _read_limits(self, response: httpx.Response) -> None:
        h = response.headers
        remaining = h.get("X-RateLimit-Remaining") or h.get("RateLimit-Remaining")
        reset = h.get("X-RateLimit-Reset") or h.get("RateLimit-Reset")
        if remaining is not None and remaining.isdigit():
            self._remaining = int(remaining)
        if reset is not None and reset.isdigit():
            self._reset_at = time.monotonic() + max(0.0, int(reset) - time.time()) + 1

    def _limit_wait(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying a 403/429, or None if it is a plain refusal."""
        retry_after = response.headers.get("Retry-After")
        if retry_after:
            if retry_after.isdigit():
                return float(retry_after)
            try:
                return max(0.0, parsedate_to_datetime(retry_after).timestamp() - time.time())
            except (TypeError, ValueError):
                return 60.0
        if self._remaining == 0 and self._reset_at is not None:
            return max(0.0, self._reset_at - time.monotonic())
        return None


class _Retry(Exception):
    def __init__(self, kind: str, message: str = "", wait: float | None = None) -> None:
        self.kind, self.message, self.wait = kind, message, wait


def _snippet(response: httpx.Response) -> str:
    return f"HTTP {response.status_code} {response.text[:200]}"
