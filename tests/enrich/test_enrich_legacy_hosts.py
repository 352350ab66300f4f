"""Records djangopackages.org carried for fifteen years: repositories on hosts that closed
(Google Code, Gitorious, Mercurial on Bitbucket) or that no API here reads (Launchpad,
SourceForge) are valid and never fetched; two records naming one repository are fetched
once. Proven with the loopback fakes' request logs, then shown by a real build."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.helpers.fakes import Repo, make_commits
from tests.helpers.support import build_site, run_cli

NOW = datetime.now(UTC)
COMMITS = make_commits(NOW, [1] * 52, ["ana"])
RETIRED = {
    "goflow": ("http://code.google.com/p/goflow", {}),
    "gitorious-app": ("https://gitorious.org/app/app", {}),
    "lp-app": ("https://code.launchpad.net/~owner/lp-app/trunk", {}),
    "sf-app": ("https://sourceforge.net/projects/sf-app/", {}),
    "django-live": ("https://bitbucket.org/nicoechaniz/django-live", {"repo_host": "none"}),
}
"""slug → (repo_url, extra record fields) of repositories no request may be sent for."""


@pytest.fixture
def forges_everywhere(hosts, monkeypatch):
    """Forge instances a careless maintainer configured on the retired hosts, answering
    for every repository: without the retired-host rule the enricher would ask them."""
    monkeypatch.setenv("FORGEJO_HOSTS", "code.google.com,gitorious.org")
    monkeypatch.setenv("GITLAB_HOSTS", "code.launchpad.net,sourceforge.net")
    for host in ("CODE_GOOGLE_COM", "GITORIOUS_ORG"):
        monkeypatch.setenv(f"FORGEJO_API_URL_{host}", hosts.forgejo.url)
    for host in ("CODE_LAUNCHPAD_NET", "SOURCEFORGE_NET"):
        monkeypatch.setenv(f"GITLAB_API_URL_{host}", hosts.gitlab.url)
    for fake in (hosts.forgejo, hosts.gitlab):
        for path in ("p/goflow", "app/app", "~owner/lp-app/trunk", "projects/sf-app"):
            fake.forest.add(Repo(path, commits=COMMITS))
    hosts.bitbucket.forest.add(Repo("nicoechaniz/django-live", status=404))
    return hosts


def test_repositories_on_retired_hosts_get_no_request(forges_everywhere, content):
    hosts = forges_everywhere
    for ident, (slug, (url, extra)) in enumerate(RETIRED.items(), start=1):
        content.package(ident, slug, url, **extra)
    hosts.bitbucket.forest.add(Repo("team/gitrepo", stars=7, commits=COMMITS))
    content.package(9, "git-on-bitbucket", "https://bitbucket.org/team/gitrepo")
    summary = content.run()
    assert not summary.failed
    assert hosts.forgejo.server.count() == hosts.gitlab.server.count() == 0
    assert hosts.bitbucket.server.count("nicoechaniz") == 0
    assert hosts.bitbucket.server.count("team/gitrepo") > 0  # git on Bitbucket still is
    assert content.enriched(9)["repo"]["stars"] == 7
    assert not [p for p in (content.root / "enriched").glob("[1-5].json")]


def test_a_repository_two_records_name_is_fetched_once(hosts, content):
    hosts.forgejo.forest.add(Repo("trey/bh2", stars=41, commits=COMMITS))
    content.package(7, "bh2", "https://codeberg.org/trey/bh2")
    content.package(6, "bh2-again", "https://www.codeberg.org/trey/bh2.git/")
    assert not content.run().failed
    asked = [r.path for r in hosts.forgejo.server.requests]
    assert asked.count("/api/v1/repos/trey/bh2") == 1
    assert content.enriched(6)["repo"]["stars"] == 41  # the lowest id keeps enrichment
    assert not (content.root / "enriched" / "7.json").exists()


def test_pages_say_why_and_share_the_owners_facts(tmp_path: Path, content) -> None:
    for ident, (slug, (url, extra)) in enumerate(RETIRED.items(), start=1):
        content.package(ident, slug, url, **extra)
    content.package(7, "bh2", "https://codeberg.org/trey/bh2")
    content.package(6, "bh2-again", "https://www.codeberg.org/trey/bh2.git/")
    facts = {"last_fetched": "2026-06-01T00:00:00Z", "repo": {"stars": 41, "forks": 2}}
    (content.root / "enriched").mkdir(exist_ok=True)
    (content.root / "enriched" / "6.json").write_text(json.dumps(facts))
    assert run_cli("validate", "--content", str(content.root)).exit_code == 0
    out = tmp_path / "out"
    build_site(content.root, out)

    def page(slug: str) -> str:
        return " ".join((out / f"packages/p/{slug}/index.html").read_text().split())

    def api(ident: int) -> dict:
        return json.loads((out / f"api/v4/packages/{ident}/index.json").read_text())

    for slug in ("goflow", "gitorious-app", "django-live"):
        assert "not fetched: the repository host no longer exists" in page(slug)
    assert "Launchpad code hosting has no API this site reads" in page("lp-app")
    assert "SourceForge has no API this site reads" in page("sf-app")
    assert [api(i)["repo_gone"] for i in range(1, 6)] == [True] * 5
    assert api(7)["repo_gone"] is False
    shared = page("bh2")
    assert "the same repository</strong> as <a href=" in shared and "bh2-again</a>" in shared
    assert api(7)["repo_watchers"] == api(6)["repo_watchers"] == 41
    assert "the same repository" not in page("bh2-again")
