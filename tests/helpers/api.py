"""Shared by tests/api/: the shipped content with some enrichment, built by
the real pipeline and served by `djp serve` on loopback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from generator.build import build
from generator.settings import Overrides
from tests.helpers.support import CONTENT, TEMPLATES, served

PREFIX = "/djp/"

# Facts for a few shipped packages (by id), so that the non-empty branches of every
# document (comma strings, versions, Django classifiers, scores) are exercised.
SHIPPED_FACTS = {
    1: {
        "last_fetched": "2026-11-26T08:09:09.204126Z",
        "modified": "2026-11-26T08:09:09Z",
        "repo": {
            "stars": 1530,
            "forks": 120,
            "description": "Log in as <b>another</b> user",
            "last_commit": "2026-10-01T12:00:00Z",
            "commits_over_52": [0] * 50 + [3, 7],
            "participants": ["codingjoe", "philippeowagner"],
        },
        "pypi": {
            "version": "3.7.1",
            "released": "2026-09-01T00:00:00Z",
            "requires_python": ">=3.10",
            "classifiers": [
                "Framework :: Django :: 4.2",
                "Framework :: Django :: 5.2",
                "Programming Language :: Python :: 3",
            ],
        },
    },
    2: {
        "last_fetched": "2026-11-26T08:09:09Z",
        "repo": {"stars": 12, "forks": 1, "last_commit": "2019-01-01T00:00:00Z"},
        "pypi": {"version": "0.1", "requires_python": "<3"},
    },
}


def enriched_content(folder: Path) -> Path:
    """A copy of the shipped content with `SHIPPED_FACTS` written as the enricher would."""
    content = folder / "content"
    shutil.copytree(CONTENT, content)
    (content / "enriched").mkdir()
    for ident, facts in SHIPPED_FACTS.items():
        (content / "enriched" / f"{ident}.json").write_text(json.dumps(facts), encoding="utf-8")
    return content


def build_in_process(content: Path, out: Path, site_url: str) -> Path:
    build(content, TEMPLATES, out, Overrides(site_url=site_url))
    return out


def documents(out: Path) -> dict[str, object]:
    """Every JSON document of a build, by its site-relative path."""
    return {p.relative_to(out).as_posix(): json.loads(p.read_bytes()) for p in out.rglob("*.json")}


@contextmanager
def served_build(folder: Path, prefix: str = PREFIX) -> Iterator[str]:
    """Build the enriched content for the URL it is served at, then serve it there.

    The server binds its free port first, so the site URL (absolute v4 links, examples on
    the API page) names the very server the test talks to. Yields that URL."""
    out = folder / "build"
    with served(
        out, prefix, lambda url: build_in_process(enriched_content(folder), out, url)
    ) as url:
        yield url
