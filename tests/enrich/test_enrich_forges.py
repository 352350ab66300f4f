"""GitLab, Forgejo/Codeberg and Bitbucket through the shared REST flow, with faults."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers.fakes import Repo, make_commits

NOW = datetime.now(UTC)
SERIES = [0] * 30 + [3] * 10 + [0, 1] * 6
AUTHORS = ["ana", "bo", "ana"]

CASES = {
    "gitlab": ("https://gitlab.com/{}", "group/sub/project"),
    "forgejo": ("https://codeberg.org/{}", "trey/bh2"),
    "bitbucket": ("https://bitbucket.org/{}/src/main/", "team/repo"),
}


def setup(hosts, content, kind: str, **repo_fields):
    url, path = CASES[kind]
    fake = getattr(hosts, kind)
    repo = fake.forest.add(
        Repo(path, stars=9, forks=4, commits=make_commits(NOW, SERIES, AUTHORS), **repo_fields)
    )
    content.package(1, "proj", url.format(path))
    return fake, repo


@pytest.mark.parametrize("kind", sorted(CASES))
def test_forge_first_and_quiet_second_night(hosts, content, kind):
    fake, _ = setup(hosts, content, kind)
    summary = content.run()
    doc = content.enriched(1)["repo"]
    assert doc["stars"] == 9 and doc["forks"] == 4
    assert doc["commits_over_52"] == SERIES
    assert doc["participants"][0] == "ana"
    assert doc["last_commit"] is not None
    assert not summary.failed
    before = content.raw(1)
    fake.server.requests.clear()
    assert content.run().written == 0
    assert content.raw(1) == before
    assert fake.server.count("contributors") == 0


@pytest.mark.parametrize("kind", sorted(CASES))
def test_forge_new_commits_are_added(hosts, content, kind):
    _, repo = setup(hosts, content, kind)
    content.run()
    repo.commits.append((datetime.now(UTC), "cy"))
    content.run()
    doc = content.enriched(1)["repo"]
    assert doc["commits_over_52"] == [*SERIES[:-1], SERIES[-1] + 1]
    assert "cy" in doc["participants"]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_forge_faults_then_missing(hosts, content, kind):
    fake, repo = setup(hosts, content, kind)
    fake.server.fault("/", "500", "reset", "truncated")
    assert not content.run(retries=3).failed
    good = content.enriched(1)["repo"]
    repo.status = 404
    summary = content.run(gone_after=1)
    assert summary.failed == {"not_found": 1} and summary.gone == ["proj"]
    doc = content.enriched(1)["repo"]
    assert doc["gone"] is True and doc["commits_over_52"] == good["commits_over_52"]


@pytest.mark.parametrize("kind", sorted(CASES))
def test_forge_pages_and_rename(hosts, content, kind):
    fake = getattr(hosts, kind)
    url = CASES[kind][0]
    busy = make_commits(NOW, [5] * 52, ["x"])
    fake.forest.add(Repo("old/name", renamed_to="new/name", commits=busy))
    content.package(1, "proj", url.format("old/name"))
    summary = content.run()
    doc = content.enriched(1)["repo"]
    assert sum(doc["commits_over_52"]) == len(busy)
    assert fake.server.count("/commits") > 2
    origin = url.format("").rstrip("/").split("/src")[0].rstrip("/")
    assert doc["moved_to"] == f"{origin}/new/name"
    assert summary.moved == {"proj": f"{origin}/new/name"}


def test_a_self_hosted_instance_named_by_a_maintainer(hosts, content, monkeypatch):
    monkeypatch.setenv("FORGEJO_HOSTS", "git.example.org")
    monkeypatch.setenv("FORGEJO_API_URL_GIT_EXAMPLE_ORG", hosts.forgejo.url)
    hosts.forgejo.forest.add(Repo("me/app", stars=3, commits=make_commits(NOW, SERIES, ["me"])))
    content.package(1, "proj", "https://git.example.org/me/app", repo_host="forgejo")
    content.run()
    assert content.enriched(1)["repo"]["stars"] == 3


def test_rate_limited_forge_waits_for_retry_after(hosts, content):
    fake, _ = setup(hosts, content, "forgejo")
    fake.server.fault("/commits", "429")
    summary = content.run()
    assert not summary.failed
    assert content.enriched(1)["repo"]["commits_over_52"] == SERIES
