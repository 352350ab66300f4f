"""The network edge of `djp import`: a djangopackages API v4's paginated lists.

Polite to a site run by volunteers: a User-Agent naming this project, at most two
requests in flight, retries with growing waits on 5xx answers, timeouts, dropped
connections and broken JSON, and `Retry-After` honoured on 429/503 (capped). Every page
read is kept in a cache folder until the import completes, so a run that is killed
continues where it stopped without asking for those pages again.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx

from ..enrich.store import write_text

USER_AGENT = (
    "djangopackages-static-import (+https://github.com/djangopackages/djangopackages-static)"
)
RETRIES = 6
MAX_WAIT = 60.0
"""Longest wait for one `Retry-After` or backoff step, in seconds."""


class FetchError(Exception):
    """A page that could not be read after every retry."""


@dataclass
class Fetcher:
    """Reads JSON pages through one httpx client, two at a time, with a page cache."""

    client: httpx.AsyncClient
    cache: Path
    backoff: float = 1.0
    """First wait after a failure, doubled each retry (capped at MAX_WAIT)."""
    requests: int = 0
    gate: asyncio.Semaphore = field(default_factory=lambda: asyncio.Semaphore(2))

    def _cached(self, url: str) -> Path:
        return self.cache / (hashlib.sha256(url.encode()).hexdigest()[:24] + ".json")

    async def get(self, url: str) -> Any:
        """The JSON document at `url`, from the cache when this run (or a killed one) read
        it already."""
        path = self._cached(url)
        if path.exists():
            return json.loads(path.read_text(encoding="utf-8"))
        document = await self._fetch(url)
        write_text(path, json.dumps(document))
        return document

    async def _fetch(self, url: str) -> Any:
        problem = ""
        for attempt in range(RETRIES):
            async with self.gate:
                self.requests += 1
                try:
                    response = await self.client.get(url)
                    wait = _retry_after(response)
                    if response.status_code == 200:
                        return response.json()
                    problem = f"HTTP {response.status_code}"
                    if response.status_code < 500 and response.status_code != 429:
                        raise FetchError(f"{url}: {problem}")
                except (httpx.TransportError, ValueError) as exc:  # ValueError: broken JSON
                    problem, wait = f"{type(exc).__name__}: {exc}"[:200], None
            if attempt < RETRIES - 1:
                await asyncio.sleep(
                    min(MAX_WAIT, wait if wait is not None else self.backoff * 2**attempt)
                )
        raise FetchError(f"{url}: {problem} after {RETRIES} attempts")

    async def walk(self, url: str, progress: Callable[[int, int], None]) -> list[dict[str, Any]]:
        """Every object of a paginated list, following `next` whatever its form (absolute
        or relative; `?limit=&offset=` or `?page=`), or a plain JSON list."""
        found: list[dict[str, Any]] = []
        seen: set[str] = set()
        while url and url not in seen:
            seen.add(url)
            page = await self.get(url)
            if isinstance(page, list):
                return page
            found += page.get("results", [])
            progress(len(found), page.get("count") or len(found))
            url = urljoin(url, page["next"]) if page.get("next") else ""
        return found


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds a 429/503 asks us to wait (`Retry-After` in seconds), if it says."""
    if response.status_code not in (429, 503):
        return None
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None
