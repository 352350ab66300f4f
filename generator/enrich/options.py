"""What one enrichment run is asked to do: the flags of `djp enrich`, typed, one docstring each.

The network's side (base URLs, tokens, self-hosted instances) is `endpoints.Endpoints`,
read from the environment; nothing here comes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .client import MAX_WAIT


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
    """Seconds after which no request starts and none still running goes on."""
    max_wait: float = MAX_WAIT
    """Longest single wait for a rate limit; a longer one gives the API up for this run."""
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
    """Seconds one whole request may take: connecting, waiting and reading the body."""
    stats_delay: float = 5.0
    """Seconds between asks of a `stats/participation` that answered 202."""
    chunks_in_flight: int = 3
    """Chunks of 100 packages fetched at once (files are saved chunk by chunk)."""
