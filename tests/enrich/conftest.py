"""Fixtures of the enrichment tests: fake hosts on loopback and a content tree."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from generator.enrich.runner import Options, Summary, run_enrichment
from tests.helpers.fakes import FakeBitbucket, FakeForgejo, FakeGitHub, FakeGitLab, FakePyPI
from tests.helpers.support import content_files, package, write_tree


class Hosts:
    """Every fake host, started once per test."""

    def __init__(self) -> None:
        self.github = FakeGitHub()
        self.pypi = FakePyPI()
        self.gitlab = FakeGitLab()
        self.forgejo = FakeForgejo()
        self.bitbucket = FakeBitbucket()

    def close(self) -> None:
        for host in (self.github, self.pypi, self.gitlab, self.forgejo, self.bitbucket):
            host.close()


@pytest.fixture
def hosts(monkeypatch: pytest.MonkeyPatch):
    found = Hosts()
    monkeypatch.setenv("GITHUB_API_URL", found.github.url)
    monkeypatch.setenv("GITHUB_GRAPHQL_URL", found.github.url + "/graphql")
    monkeypatch.setenv("GITHUB_TOKEN", "test-token")
    monkeypatch.setenv("PYPI_URL", found.pypi.url)
    monkeypatch.setenv("GITLAB_API_URL", found.gitlab.url)
    monkeypatch.setenv("FORGEJO_API_URL", found.forgejo.url)
    monkeypatch.setenv("BITBUCKET_API_URL", found.bitbucket.url)
    yield found
    found.close()


class Content:
    """A content tree in a temporary folder, written from dicts."""

    def __init__(self, root: Path) -> None:
        self.root = write_tree(root, content_files({}))
        (root / "packages").mkdir(exist_ok=True)

    def package(self, ident: int, slug: str, repo_url: str, **extra: Any) -> None:
        record = package(ident, title=slug, repo_url=repo_url, **extra)
        write_tree(self.root, {f"packages/{slug}.yaml": record})

    def enriched(self, ident: int) -> dict[str, Any]:
        return json.loads((self.root / "enriched" / f"{ident}.json").read_text())

    def raw(self, ident: int) -> bytes:
        return (self.root / "enriched" / f"{ident}.json").read_bytes()

    def state(self) -> dict[str, Any]:
        return json.loads((self.root / "enriched" / "_state.json").read_text())

    def run(self, **options: Any) -> Summary:
        settings = {"retries": 2, "backoff": 0.01, "timeout": 10.0, "stats_delay": 0.05}
        return asyncio.run(run_enrichment(Options(self.root, **{**settings, **options})))


@pytest.fixture
def content(tmp_path: Path) -> Content:
    return Content(tmp_path / "content")
