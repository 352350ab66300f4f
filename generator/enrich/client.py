"""One HTTP client per API (one origin, one rate-limit pool): bounds, retries, limits.

Every fetcher talks to the network through `HostClient.request`, so these rules hold
everywhere:

- requests go only to the client's `origin` (the API a token was configured for):
  any other URL, a pagination link or a redirect elsewhere included, fails the
  package as `foreign_origin` / `foreign_redirect` and is never sent; same-origin
  redirects are followed by hand, at most `MAX_REDIRECTS` (`redirect_loop` beyond);
- bodies are streamed and decoded here (gzip, deflate), counting decoded bytes: more
  than `MAX_BODY` (8 MiB) fails the package as `too_large` without holding more, a
  `Content-Encoding` the bytes do not match as `bad_encoding`;
- each request has a whole-request deadline (`timeout` seconds, and never past the
  run's deadline), so a server trickling a byte a second cannot hold the run;
- at most `concurrency` requests in flight; 5xx, timeouts, connection resets and
  truncated or malformed JSON (`NaN` and `Infinity` included) are retried up to
  `retries` times with exponential backoff and full jitter (`backoff` seconds base);
- `X-RateLimit-Remaining`/`X-RateLimit-Reset` (GitHub, GitLab `RateLimit-*`, Forgejo)
  are read on every response; 403/429 with `Retry-After` or an exhausted limit wait
  for the reset when it falls before the deadline and within `max_wait` seconds,
  else the host is *stopped*: every later request raises `HostStopped` and the run
  saves what it has;
- `budget` caps the requests that count against the host's limit (a 304 does not);
- conditional requests send `If-None-Match` with a stored ETag.

Failures that concern one resource raise `FetchError` with a short `kind`
(`not_found`, `blocked`, `server_error`, `timeout`, `connection`, `bad_json`,
`forbidden`, `too_large`, `bad_encoding`, `foreign_origin`, `foreign_redirect`,
`redirect_loop`, `http_<status>`) that the state file records per package.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

USER_AGENT = (
    "djangopackages-static-enricher (+https://github.com/djangopackages/djangopackages-static)"
)


MAX_BODY = 8 * 1024 * 1024
"""Most decoded bytes of one answer (the biggest real one, a PyPI project with
thousands of releases, is about 2 MiB)."""
MAX_REDIRECTS = 5
MAX_WAIT = 300.0
"""Default of the longest single wait (`Retry-After`, a rate-limit reset): longer, and
the host is given up for the run."""
SECONDARY_WAIT = 60.0
"""Wait after GitHub's "secondary rate limit" 403 without `Retry-After` (its docs: at
least a minute)."""
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ENCODINGS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
"""Content encodings asked for and decoded here (by zlib, with a bound on the output)."""


def origin_of(url: str) -> str:
    """`scheme://host[:port]` of a URL, normalised, for comparing where requests go."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        return ""
    default = {"http": 80, "https": 443}.get(scheme)
    host = (parts.hostname or "").lower()
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


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
    origin: str
    """`scheme://host[:port]` of the API: no request goes anywhere else."""
    headers: dict[str, str] = field(default_factory=dict)
    """Sent with every request (the token, if any: it reaches `origin` alone)."""
    concurrency: int = 8
    budget: int | None = None
    deadline: float | None = None
    """`time.monotonic()` value after which no request starts."""
    retries: int = 3
    backoff: float = 1.0
    reserve: int = 0
    """Leave this many requests of the server's limit unused (for other jobs)."""
    timeout: float = 30.0
    """Seconds one whole request may take, body included."""
    max_wait: float = MAX_WAIT
    """Longest single wait for a rate limit; a longer one stops the host for the run."""
    max_body: int = MAX_BODY
    usage: Usage = field(default_factory=Usage)

    def __post_init__(self) -> None:
        self.origin = origin_of(self.origin)
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
                    return await self._follow(method, url, etag, json_body)
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
        if when - now > self.max_wait:
            raise self.stop(f"{reason} for {when - now:.0f} s, more than --max-wait")
        if when > now:
            self.usage.waited += when - now
            await asyncio.sleep(when - now)

    async def _follow(self, method: str, url: str, etag: str | None, json_body: Any) -> Reply:
        """One request and its same-origin redirects; any other origin is refused."""
        for hop in range(MAX_REDIRECTS + 1):
            if origin_of(url) != self.origin:
                kind = "foreign_redirect" if hop else "foreign_origin"
                raise FetchError(kind, f"{url[:200]} is not on {self.origin}: not followed")
            if hop:
                await self._admit()
            answer = await self._once(method, url, etag, json_body)
            if isinstance(answer, Reply):
                return answer
            status, url = answer
            if status == 303:
                method, json_body = "GET", None
        raise FetchError("redirect_loop", f"more than {MAX_REDIRECTS} redirects")

    async def _once(
        self, method: str, url: str, etag: str | None, json_body: Any
    ) -> Reply | tuple[int, str]:
        """One HTTP exchange: a reply, or (status, target) of a redirect."""
        headers = {**self.headers, "Accept-Encoding": ", ".join(ENCODINGS)}
        if etag:
            headers["If-None-Match"] = etag
        seconds = self.timeout
        if self.deadline is not None:
            seconds = min(seconds, self.deadline - time.monotonic())
            if seconds <= 0:
                raise self.stop("time limit")
        self.usage.requests += 1
        self.usage.counted += 1
        try:
            async with asyncio.timeout(seconds):
                async with self.http.stream(
                    method, url, headers=headers, json=json_body
                ) as response:
                    self._read_limits(response)
                    location = response.headers.get("Location")
                    if response.status_code in REDIRECTS and location:
                        return response.status_code, str(response.url.join(location))
                    body = await read_body(response, self.max_body)
        except TimeoutError:
            if self.deadline is not None and time.monotonic() >= self.deadline:
                raise self.stop("time limit") from None
            raise _Retry("timeout", f"no whole answer within {seconds:g} s") from None
        except httpx.TimeoutException as exc:
            raise _Retry("timeout", repr(exc)) from None
        except httpx.TransportError as exc:
            raise _Retry("connection", repr(exc)) from None
        return self._reply(response, body, etag)

    def _reply(self, response: httpx.Response, body: bytes, etag: str | None) -> Reply:
        """The answer as a `Reply`, or the `FetchError`/`_Retry` its status means."""
        status = response.status_code
        if status == 304:
            self.usage.counted -= 1
            self.usage.not_modified += 1
            return Reply(304, None, etag, str(response.url), response.headers)
        if status in (403, 429):
            wait = self._limit_wait(response)
            if wait is None and b"secondary rate limit" in body[:1000].lower():
                wait = SECONDARY_WAIT
            if wait is not None:
                raise _Retry("rate_limited", wait=wait)
            raise FetchError(
                "forbidden" if status == 403 else "rate_limited", _snippet(status, body)
            )
        if status >= 500:
            raise _Retry("server_error", f"HTTP {status}")
        if status in (404, 410):
            raise FetchError("not_found", _snippet(status, body))
        if status == 451:
            raise FetchError("blocked", _snippet(status, body))
        if status >= 300:
            raise FetchError(f"http_{status}", _snippet(status, body))
        data = None
        if status != 204 and status != 202:
            try:
                data = json.loads(body, parse_constant=_no_constant)
            except ValueError as exc:
                raise _Retry("bad_json", str(exc)[:200]) from None
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


def _snippet(status: int, body: bytes) -> str:
    return f"HTTP {status} {body[:200].decode('utf-8', 'replace')}"


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


class _Decoded:
    """A body decoded as it arrives, failing once it exceeds `cap` decoded bytes."""

    def __init__(self, encoding: str, cap: int) -> None:
        names = [e.strip().lower() for e in encoding.split(",")]
        names = [e for e in names if e and e != "identity"]
        if len(names) > 1 or (names and names[0] not in ENCODINGS):
            raise FetchError(
                "bad_encoding", f"Content-Encoding {encoding[:50]!r} was not asked for"
            )
        self.wbits = ENCODINGS[names[0]] if names else None
        self.inflate = zlib.decompressobj(self.wbits) if self.wbits else None
        self.parts: list[bytes] = []
        self.size = 0
        self.cap = cap

    def _add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.cap:
            raise FetchError("too_large", f"the answer is over {self.cap} bytes decoded")
        self.parts.append(data)

    def feed(self, raw: bytes) -> None:
        if self.inflate is None:
            self._add(raw)
            return
        try:
            while raw:
                self._add(self.inflate.decompress(raw, self.cap + 1 - self.size))
                raw = self.inflate.unconsumed_tail
                if self.inflate.eof and self.inflate.unused_data:  # another gzip member
                    raw = self.inflate.unused_data
                    self.inflate = zlib.decompressobj(self.wbits)
        except zlib.error as exc:
            raise FetchError("bad_encoding", f"not the encoding announced: {exc}") from None

    def finish(self) -> bytes:
        if self.inflate is not None and self.size and not self.inflate.eof:
            raise _Retry("bad_json", "the compressed body ends early")
        return b"".join(self.parts)


async def read_body(response: httpx.Response, cap: int) -> bytes:
    """The decoded body, read chunk by chunk and never more than `cap` bytes of it."""
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and "Content-Encoding" not in response.headers and int(length) > cap:
        raise FetchError("too_large", f"the answer announces {length} bytes")
    if response.is_stream_consumed:  # an in-process transport's answer, decoded already
        body = _Decoded("", cap)
        body.feed(response.content)
        return body.finish()
    body = _Decoded(response.headers.get("Content-Encoding", ""), cap)
    async for chunk in response.aiter_raw():
        body.feed(chunk)
    return body.finish()
