"""What a fetcher is given (`Job`) and what it gives back (`Outcome`), for every source.

Fetchers never write files nor touch other packages: they turn one package's job into
an outcome, and `guard` turns the exceptions of the client into outcomes too, so one
failure never stops the run.
"""

from __future__ import annotations

from collections.abc import Awaitable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Package
from .client import FetchError, HostStopped
from .state import SourceState

if TYPE_CHECKING:
    from .hosts import Repository


@dataclass
class Job:
    """One package to fetch from one source."""

    package: Package
    previous: dict[str, Any]
    """The source's section (`repo` or `pypi`) of the package file as last written, or {}."""
    extra: dict[str, Any]
    """The whole previous package file (for bookkeeping keys such as `series_week`)."""
    state: SourceState
    repo: Repository | None = None
    """Where the repository is (configured instance and path); None for PyPI."""
    location: str = ""
    """What identifies the project on its host: `owner/name`, a PyPI name, …"""


@dataclass
class Outcome:
    """What one source said about one package."""

    updates: dict[str, Any] = field(default_factory=dict)
    """Fact fields that changed or were confirmed (keys of `RepoFacts`/`PypiFacts`)."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Top-level keys of the package file (`series_week`, `series_through`, `moved_to`)."""
    error: FetchError | None = None
    skipped: str | None = None
    """Why the package was not fetched this run (its host stopped): nothing recorded."""
    not_modified: bool = False
    partial: bool = False
    """Facts were fetched but the host stopped before the rest (contributors, series):
    recorded as an attempt, not a success, so the next run takes the package early."""


async def guard(work: Awaitable[Outcome]) -> Outcome:
    """Run one fetch; failures become outcomes instead of exceptions."""
    try:
        return await work
    except FetchError as exc:
        return Outcome(error=exc)
    except HostStopped as exc:
        return Outcome(skipped=str(exc))
