"""Fetch bookkeeping, in one file (`content/enriched/_state.json` by default).

ETags, attempt and success times, consecutive error counts and kinds per package and
source (`repo`, `pypi`), and the time of the last run. Nothing here is published and
nothing here is needed for correctness: losing the file costs requests (no ETags, a
first-night series fetch) and resets the "gone" counters, never data. That is why the
nightly workflow keeps it in the Actions cache instead of committing it: it changes
every night (attempt times), the package files only when a fact changes.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from ..enriched import format_datetime
from .store import read_json, write_json

VERSION = 1


@dataclass
class SourceState:
    """Bookkeeping of one source (repository host or PyPI) for one package."""

    etags: dict[str, str] = field(default_factory=dict)
    """Resource name (`contributors`, `participation`, `project`, …) → last ETag."""
    attempted: str | None = None
    succeeded: str | None = None
    error_kind: str | None = None
    error_message: str | None = None
    error_count: int = 0
    """Runs in a row that ended with an error for this source."""
    error_since: str | None = None

    def attempt(self, now: datetime) -> None:
        self.attempted = format_datetime(now)

    def succeed(self, now: datetime) -> None:
        self.attempted = self.succeeded = format_datetime(now)
        self.error_kind = self.error_message = self.error_since = None
        self.error_count = 0

    def fail(self, kind: str, message: str, now: datetime) -> None:
        self.attempted = format_datetime(now)
        if self.error_count == 0:
            self.error_since = self.attempted
        self.error_count += 1
        self.error_kind, self.error_message = kind, message[:300]


@dataclass
class State:
    """All bookkeeping of the enricher; load with `load_state`, save with `save`."""

    packages: dict[int, dict[str, SourceState]] = field(default_factory=dict)
    last_run: str | None = None

    def source(self, package_id: int, name: str) -> SourceState:
        return self.packages.setdefault(package_id, {}).setdefault(name, SourceState())

    def staleness(self, package_id: int) -> tuple[tuple[str, str], int]:
        """Sort key: never-tried packages, then never-succeeded, then oldest success."""
        sources = self.packages.get(package_id, {})
        times = [(s.succeeded or "", s.attempted or "") for s in sources.values()]
        return (min(times) if times else ("", ""), package_id)

    def document(self) -> dict[str, Any]:
        return {
            "version": VERSION,
            "last_run": self.last_run,
            "packages": {
                str(pid): {name: asdict(s) for name, s in sorted(sources.items())}
                for pid, sources in sorted(self.packages.items())
            },
        }

    def save(self, path: Path) -> None:
        write_json(path, self.document())


def load_state(path: Path) -> State:
    """The saved state, or an empty one if the file is missing, unreadable or outdated."""
    data = read_json(path)
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return State()
    packages = {
        int(pid): {name: SourceState(**s) for name, s in sources.items()}
        for pid, sources in data.get("packages", {}).items()
    }
    return State(packages, data.get("last_run"))
