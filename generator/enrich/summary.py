"""What a run did (`Summary`), as JSON for `--report` and as lines for the log.

Upstream text (repository paths, host names) reaches the Actions log through these
lines, so every value is passed through `log_safe`: no control character survives, so
nothing an upstream answer says can start a line of its own, hence never a workflow
command (`::error …::`) or a fake log group.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import asdict, dataclass, field
from typing import Any

from .client import Usage

_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def log_safe(value: object) -> str:
    """`value` as one line of text: control characters shown as `\\xNN` / `\\uNNNN`."""
    return _UNSAFE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(value))


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


def summary_lines(summary: Summary) -> list[str]:
    """The human summary printed at the end of a run, every line log-safe."""
    doc = summary.document()
    failed = ", ".join(f"{k} {v}" for k, v in doc["failed"].items()) or "none"
    lines = [
        f"{doc['packages']} packages in {doc['seconds']} s; sources (repository, PyPI): "
        f"{doc['fetched']} fetched, {doc['unchanged']} unchanged, {doc['skipped']} skipped, "
        f"failed: {failed}; {doc['files_written']} files written",
    ]
    for name, u in doc["hosts"].items():
        stopped = f", stopped: {u['stopped']}" if u["stopped"] else ""
        points = f", {u['points']} points" if u["points"] else ""
        lines.append(
            f"  {name}: {u['requests']} requests ({u['not_modified']} not modified, "
            f"{u['retries']} retries){points}{stopped}"
        )
    lines += [f"  moved: {slug} → {url}" for slug, url in doc["moved"].items()]
    lines += [f"  gone: {slug}" for slug in doc["gone"]]
    return [log_safe(line) for line in lines]
