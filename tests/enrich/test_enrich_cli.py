"""`djp enrich` through the real CLI, then `djp build`: what the published API says."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from click.testing import Result

from tests.helpers.fakes import Repo, fixture, make_commits
from tests.helpers.support import build_site, run_cli

SERIES = [0] * 50 + [2, 1]


def djp(*args: str) -> Result:
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return result


def published(content, tmp_path: Path, ident: int) -> dict:
    out = tmp_path / "build"
    build_site(content.root, out)
    return json.loads((out / "api" / "v4" / "packages" / str(ident) / "index.json").read_text())


def test_enrich_then_build_publishes_the_facts(hosts, content, tmp_path):
    now = datetime.now(UTC)
    hosts.github.forest.add(
        Repo(
            "django/deps",
            stars=42,
            forks=7,
            description="Django enhancement proposals",
            commits=make_commits(now, SERIES, ["carljm"]),
        )
    )
    hosts.pypi.add("djangorestframework", fixture("pypi/djangorestframework.json"))
    hosts.gitlab.forest.add(
        Repo("group/sub/tool", stars=5, commits=make_commits(now, SERIES, ["ana"]))
    )
    content.package(1, "deps", "https://github.com/django/deps", pypi_name="djangorestframework")
    content.package(2, "tool", "https://gitlab.com/group/sub/tool/-/tree/main")
    report = tmp_path / "report.json"
    result = djp(
        "enrich", "--content", str(content.root), "--report", str(report), "--retries", "1"
    )
    assert "3 fetched" in result.output and "github-graphql: 1 requests" in result.output
    summary = json.loads(report.read_text())
    assert summary["fetched"] == 3 and summary["failed"] == {}
    assert summary["hosts"]["github-graphql"]["points"] == 1
    api = published(content, tmp_path, 1)
    assert api["repo_watchers"] == 42 and api["repo_forks"] == 7
    assert api["repo_description"] == "Django enhancement proposals"
    assert api["commits_over_52"] == SERIES
    assert api["participants"] == ["carljm"]
    assert api["pypi_version"] == "3.13.1"
    assert api["last_updated"] is not None and api["last_fetched"] is not None
    gitlab = published(content, tmp_path, 2)
    assert gitlab["repo_watchers"] == 5 and gitlab["commits_over_52"] == SERIES
    assert gitlab["participants"] == ["ana"]


def test_unknown_slug_is_an_error(hosts, content):
    content.package(1, "deps", "https://github.com/django/deps")
    result = run_cli("enrich", "--content", str(content.root), "nope")
    assert result.exit_code != 0 and "nope" in result.output


def test_a_failed_night_keeps_what_the_api_publishes(hosts, content, tmp_path):
    now = datetime.now(UTC)
    hosts.github.forest.add(Repo("django/deps", stars=42, commits=make_commits(now, SERIES, ["a"])))
    content.package(1, "deps", "https://github.com/django/deps")
    djp("enrich", "--content", str(content.root))
    before = published(content, tmp_path, 1)
    hosts.github.server.fault("/graphql", "500", "500", "500")
    report = tmp_path / "report.json"
    djp("enrich", "--content", str(content.root), "--retries", "2", "--report", str(report))
    assert json.loads(report.read_text())["failed"] == {"server_error": 1}
    assert published(content, tmp_path, 1) == before
    summary = djp("nightly", "summary", str(report)).output
    assert "server_error" in summary


def test_repositories_on_dead_hosts_get_no_request(hosts, content, tmp_path):
    content.package(1, "goflow", "http://code.google.com/p/goflow")
    content.package(2, "django-lp", "https://launchpad.net/django-lp")
    content.package(3, "django-hg", "https://bitbucket.org/someone/django-hg", repo_host="none")
    result = djp("enrich", "--content", str(content.root), "--retries", "1")
    assert "0 fetched, 0 unchanged, 0 skipped, failed: none" in result.output
    served = [
        h.server.requests for h in (hosts.github, hosts.bitbucket, hosts.gitlab, hosts.forgejo)
    ]
    assert served == [[], [], [], []]
    assert not (content.root / "enriched" / "3.json").exists()
