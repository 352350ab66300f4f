"""GitHub and PyPI enrichment against fake servers on loopback."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.helpers.fakes import Repo, fixture, make_commits

NOW = datetime.now(UTC)
SERIES = [0] * 40 + [1, 2, 0, 3, 0, 0, 5, 1, 0, 2, 0, 1]


def add_deps(hosts, content, **repo):
    hosts.github.forest.add(
        Repo(
            "django/deps",
            stars=42,
            commits=make_commits(NOW, SERIES, ["carljm", "ubernostrum", "carljm"]),
            **repo,
        )
    )
    hosts.pypi.add("django-minify-html", fixture("pypi/django-minify-html.json"))
    content.package(1, "deps", "https://github.com/django/deps", pypi_name="django_minify.html")


def test_first_night_writes_facts(hosts, content):
    add_deps(hosts, content)
    summary = content.run()
    doc = content.enriched(1)
    repo, pypi = doc["repo"], doc["pypi"]
    assert repo["stars"] == 42
    assert repo["commits_over_52"] == SERIES
    assert repo["participants"][0] == "carljm"
    assert repo["license"] == "MIT"
    assert repo["moved_to"] is None and repo["gone"] is False
    assert pypi["version"] == "1.0.0"
    assert pypi["released"] == "2021-12-28T10:37:18.583101Z"
    assert pypi["documentation_url"] is None
    assert "Framework :: Django :: 4.0" in pypi["classifiers"]
    assert doc["last_fetched"] == doc["modified"]
    assert summary.fetched == 2 and not summary.failed
    assert hosts.github.server.count("/graphql") == 1


def test_quiet_second_night_writes_nothing_and_asks_little(hosts, content):
    add_deps(hosts, content)
    content.run()
    before = content.raw(1)
    hosts.github.server.requests.clear()
    hosts.pypi.server.requests.clear()
    summary = content.run()
    assert content.raw(1) == before
    assert summary.written == 0
    assert hosts.github.server.count("/graphql") == 1
    assert hosts.github.server.count("/contributors") == 0
    assert summary.usage["pypi"].not_modified == 1
    assert summary.usage["pypi"].counted == 0


def test_new_commits_extend_the_series_and_refresh_contributors(hosts, content):
    add_deps(hosts, content)
    content.run()
    first = content.enriched(1)
    repo = hosts.github.forest.get("django/deps")
    repo.commits += [(datetime.now(UTC), "newcomer")] * 3
    repo.stars = 50
    content.run()
    doc = content.enriched(1)
    assert doc["repo"]["commits_over_52"] == [*SERIES[:-1], SERIES[-1] + 3]
    assert "newcomer" in doc["repo"]["participants"]
    assert doc["repo"]["stars"] == 50
    assert doc["modified"] > first["modified"]
    assert doc["series_through"] > first["series_through"]


def test_transient_faults_are_retried(hosts, content):
    add_deps(hosts, content)
    hosts.github.server.fault("/graphql", "502", "reset", "truncated")
    hosts.github.server.fault("/contributors", "500")
    hosts.pypi.server.fault("/pypi/", "truncated", "timeout")
    summary = content.run(retries=3, timeout=1.5)
    doc = content.enriched(1)
    assert doc["repo"]["stars"] == 42 and doc["pypi"]["version"] == "1.0.0"
    assert not summary.failed
    assert summary.usage["github-graphql"].retries == 3


def test_a_failure_keeps_the_last_good_data_and_counts_nights(hosts, content):
    add_deps(hosts, content)
    content.run()
    good = content.enriched(1)
    for night in (1, 2):
        hosts.pypi.server.fault("/pypi/", "503", "503", "503")
        summary = content.run(retries=2)
        assert summary.failed == {"server_error": 1}
        state = content.state()["packages"]["1"]["pypi"]
        assert state["error_kind"] == "server_error" and state["error_count"] == night
    assert content.enriched(1)["pypi"] == good["pypi"]
    content.run()
    assert content.state()["packages"]["1"]["pypi"]["error_count"] == 0


def test_one_package_failing_does_not_touch_another(hosts, content):
    add_deps(hosts, content)
    hosts.pypi.add("wagtail", {})
    content.package(2, "wagtail", "https://example.org/wagtail", pypi_name="wagtail")
    summary = content.run()
    assert content.enriched(1)["pypi"]["version"] == "1.0.0"
    assert summary.failed == {"empty": 1}
    assert not (content.root / "enriched" / "2.json").exists()


def test_retry_after_is_waited_for(hosts, content):
    add_deps(hosts, content)
    hosts.pypi.server.fault("/pypi/", "429")
    summary = content.run()
    assert content.enriched(1)["pypi"]["version"] == "1.0.0"
    assert summary.usage["pypi"].waited > 0


def test_exhausted_limit_past_the_time_limit_stops_the_host_only(hosts, content):
    add_deps(hosts, content)
    hosts.pypi.server.fault("/pypi/", "ratelimit-long")
    summary = content.run(time_limit=30)
    assert summary.usage["pypi"].stopped == "rate limited"
    assert content.enriched(1)["repo"]["stars"] == 42
    assert content.enriched(1)["pypi"] is None
    assert (
        "pypi" not in content.state()["packages"]["1"]
        or not content.state()["packages"]["1"]["pypi"]["attempted"]
    )
    content.run()
    assert content.enriched(1)["pypi"]["version"] == "1.0.0"


def test_missing_repository_is_kept_then_reported_gone(hosts, content):
    add_deps(hosts, content)
    content.run()
    hosts.github.forest.get("django/deps").status = 404
    first = content.run(gone_after=2)
    assert first.failed == {"not_found": 1} and not first.gone
    assert content.enriched(1)["repo"]["gone"] is False
    second = content.run(gone_after=2)
    assert second.gone == ["deps"]
    doc = content.enriched(1)
    assert doc["repo"]["gone"] is True and doc["repo"]["stars"] == 42
    hosts.github.forest.get("django/deps").status = 200
    content.run()
    assert content.enriched(1)["repo"]["gone"] is False


def test_blocked_repository(hosts, content):
    add_deps(hosts, content, status=451)
    summary = content.run()
    assert summary.failed == {"blocked": 1}
    assert content.state()["packages"]["1"]["repo"]["error_kind"] == "blocked"


def test_renamed_repository_is_followed_and_reported(hosts, content):
    add_deps(hosts, content, renamed_to="django/deps-new")
    summary = content.run()
    doc = content.enriched(1)
    assert doc["repo"]["moved_to"] == "https://github.com/django/deps-new"
    assert summary.moved == {"deps": "https://github.com/django/deps-new"}
    assert doc["repo"]["participants"][0] == "carljm"


def test_long_history_is_paged_in_follow_up_queries(hosts, content):
    busy = [7] * 52
    hosts.github.forest.add(Repo("big/repo", commits=make_commits(NOW, busy, ["a", "b"])))
    content.package(3, "big", "https://github.com/big/repo")
    content.run()
    series = content.enriched(3)["repo"]["commits_over_52"]
    assert sum(series) == len(hosts.github.forest.get("big/repo").commits)
    assert hosts.github.server.count("/graphql") > 1


def test_participation_waits_for_202(hosts, content):
    add_deps(hosts, content, stats_pending=2)
    summary = content.run(series="participation")
    assert content.enriched(1)["repo"]["commits_over_52"] == SERIES
    assert hosts.github.server.count("/stats/participation") == 3
    assert not summary.failed


def test_participation_that_never_arrives_keeps_the_old_series(hosts, content):
    add_deps(hosts, content)
    content.run()
    hosts.github.forest.get("django/deps").stats_pending = 99
    summary = content.run(series="participation")
    assert content.enriched(1)["repo"]["commits_over_52"] == SERIES
    assert summary.failed == {"stats_pending": 1}


def test_without_a_token_rest_is_used(hosts, content, monkeypatch):
    monkeypatch.delenv("GITHUB_TOKEN")
    add_deps(hosts, content)
    content.run()
    doc = content.enriched(1)
    assert doc["repo"]["stars"] == 42 and doc["repo"]["commits_over_52"] == SERIES
    assert hosts.github.server.count("/graphql") == 0
    assert doc["repo"]["last_commit"] is not None


def test_budget_stops_and_the_next_run_continues_stalest_first(hosts, content):
    for i in range(1, 151):
        hosts.github.forest.add(Repo(f"o/r{i}", commits=make_commits(NOW, [1] * 52, ["x"])))
        content.package(i, f"p{i}", f"https://github.com/o/r{i}")
    first = content.run(budget=1)
    written = sorted(int(p.stem) for p in (content.root / "enriched").glob("[0-9]*.json"))
    assert len(written) == 100 and first.skipped == 50
    assert first.usage["github-graphql"].stopped == "budget"
    hosts.github.server.requests.clear()
    content.run(budget=1)
    assert len(list((content.root / "enriched").glob("[0-9]*.json"))) == 150
    assert hosts.github.server.count("/graphql") == 1


def test_exhausted_limit_resetting_soon_is_waited_for(hosts, content):
    add_deps(hosts, content)
    hosts.github.server.fault("/contributors", "ratelimit")
    summary = content.run(time_limit=60)
    assert content.enriched(1)["repo"]["participants"][0] == "carljm"
    assert summary.usage["github-rest"].waited > 0 and not summary.failed


def test_contributors_cut_off_by_the_limit_are_fetched_next_run(hosts, content):
    add_deps(hosts, content)
    hosts.github.server.fault("/contributors", "ratelimit-long")
    summary = content.run(time_limit=30)
    assert summary.usage["github-rest"].stopped
    doc = content.enriched(1)
    assert doc["repo"]["stars"] == 42 and doc["repo"]["participants"] == []
    content.run()
    assert content.enriched(1)["repo"]["participants"][0] == "carljm"


def test_a_lost_package_file_is_fetched_again_whole(hosts, content):
    """The state keeps its ETags when a package file is lost (deleted by hand, reverted):
    no conditional request may then answer 'not modified' with nothing to keep."""
    add_deps(hosts, content)
    content.run()
    (content.root / "enriched" / "1.json").unlink()
    content.run()
    repo = content.enriched(1)["repo"]
    assert repo["participants"][0] == "carljm" and repo["stars"] == 42
