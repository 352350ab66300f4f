# ruff: noqa: E501 (the table of hostile answers reads best one row a line)
"""Hostile upstream answers, served by the loopback fakes: each fails only its package,
with its kind in the summary, and leaves the last good file byte for byte; and GitHub's
answers to heavy queries (502/504, timeouts) split the batch down to the one repository
GitHub cannot answer."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.helpers.fakes import Repo, Response, fixture, make_commits

NOW = datetime.now(UTC)
SERIES = [0] * 40 + [1, 2, 0, 3, 0, 0, 5, 1, 0, 2, 0, 1]
REPOS = {
    "github": ("https://github.com/{}", "django/deps"),
    "gitlab": ("https://gitlab.com/{}", "group/sub/project"),
    "forgejo": ("https://codeberg.org/{}", "trey/bh2"),
    "bitbucket": ("https://bitbucket.org/{}", "team/repo"),
}
NODE = {"nameWithOwner": "django/deps", "stargazerCount": 42, "forkCount": 1}


def graphql(node=None, **body):
    """A GraphQL answer whose first repository is `node` (or the body given)."""
    return Response(200, body or {"data": {"r0": {**NODE, **(node or {})}}})


def ok(body):
    return Response(200, body)


# (name, host, path part the hostile answer replaces, answer, change upstream first, kind)
HOSTILE = [
    ("node is a list", "github", "/graphql", graphql(data={"r0": []}), "", "bad_answer"),
    ("no slash in nameWithOwner", "github", "/graphql", graphql({"nameWithOwner": "deps"}), "", "bad_answer"),
    ("workflow command in nameWithOwner", "github", "/graphql", graphql({"nameWithOwner": "a/b\n::error::x"}), "", "bad_answer"),
    ("stars negative", "github", "/graphql", graphql({"stargazerCount": -5}), "", "bad_answer"),
    ("stars a string", "github", "/graphql", graphql({"stargazerCount": "42"}), "", "bad_answer"),
    ("stars beyond 10**9", "github", "/graphql", graphql({"stargazerCount": 10**30}), "", "bad_answer"),
    ("stars NaN", "github", "/graphql", Response(200, b'{"data": {"r0": {"stargazerCount": NaN}}}'), "", "bad_json"),
    ("description an object", "github", "/graphql", graphql({"description": {"a": 1}}), "", "bad_answer"),
    ("committedDate no date", "github", "/graphql", graphql({"defaultBranchRef": {"target": {"committedDate": "yesterday"}}}), "", "bad_answer"),
    ("history node date 2026-13-01", "github", "/graphql", graphql({"defaultBranchRef": {"target": {"history": {"nodes": [{"committedDate": "2026-13-01T00:00:00Z"}]}}}}), "", "bad_answer"),
    ("defaultBranchRef a list", "github", "/graphql", graphql({"defaultBranchRef": []}), "", "bad_answer"),
    ("errors as strings", "github", "/graphql", graphql(data=None, errors=["boom"]), "", "graphql_error"),
    ("errors as numbers", "github", "/graphql", graphql(data=None, errors=[1, 2]), "", "bad_answer"),
    ("data a list", "github", "/graphql", graphql(data=[1]), "", "bad_answer"),
    ("answer a list", "github", "/graphql", ok([{"data": {}}]), "", "bad_answer"),
    ("contributors an object", "github", "/contributors", ok({"login": "x"}), "commit", "bad_answer"),
    ("contributors of strings", "github", "/contributors", ok(["x", "y"]), "commit", "bad_answer"),
    ("gitlab project a list", "gitlab", "/projects/group%2Fsub%2Fproject", ok([1]), "", "bad_answer"),
    ("gitlab project null", "gitlab", "/projects/group%2Fsub%2Fproject", Response(200, b"null"), "", "bad_answer"),
    ("gitlab project a string", "gitlab", "/projects/group%2Fsub%2Fproject", ok("project"), "", "bad_answer"),
    ("gitlab star_count 1.5", "gitlab", "/projects/group%2Fsub%2Fproject", ok({"star_count": 1.5}), "", "bad_answer"),
    ("gitlab star_count NaN", "gitlab", "/projects/group%2Fsub%2Fproject", Response(200, b'{"star_count": NaN}'), "", "bad_json"),
    ("gitlab commits an object", "gitlab", "/repository/commits", ok({"id": "x"}), "", "bad_answer"),
    ("gitlab commit date no date", "gitlab", "/repository/commits", ok([{"committed_date": "soon"}]), "", "bad_answer"),
    ("forgejo repository a list", "forgejo", "/repos/trey/bh2", ok([]), "", "bad_answer"),
    ("forgejo licenses a string", "forgejo", "/repos/trey/bh2", ok({"licenses": "MIT"}), "", "bad_answer"),
    ("forgejo commit without commit", "forgejo", "/commits", ok([{"sha": "x"}]), "", "bad_answer"),
    ("bitbucket size a word", "bitbucket", "/watchers", ok({"size": "many"}), "description", "bad_answer"),
    ("bitbucket values an object", "bitbucket", "/commits", ok({"values": {"a": 1}}), "", "bad_answer"),
    ("bitbucket next a number", "bitbucket", "/commits", ok({"values": [{"date": NOW.isoformat(), "author": {"raw": "a"}}], "next": 7}), "commit", "bad_answer"),
    ("pypi project_urls a list", "pypi", "/pypi/", ok({"info": {"version": "1", "project_urls": ["x"]}}), "", "bad_answer"),
    ("pypi urls of strings", "pypi", "/pypi/", ok({"info": {"version": "1"}, "urls": ["x"]}), "", "bad_answer"),
    ("pypi upload_time no date", "pypi", "/pypi/", ok({"info": {"version": "1"}, "urls": [{"upload_time_iso_8601": "2026-02-30T00:00:00Z"}]}), "", "bad_answer"),
    ("pypi upload_time in 9999", "pypi", "/pypi/", ok({"info": {"version": "1"}, "urls": [{"upload_time_iso_8601": "9999-12-31T23:00:00-05:00"}]}), "", "bad_answer"),
    ("pypi info a string", "pypi", "/pypi/", ok({"info": "x"}), "", "bad_answer"),
    ("pypi classifiers of numbers", "pypi", "/pypi/", ok({"info": {"version": "1", "classifiers": [1]}}), "", "bad_answer"),
    ("pypi version an object", "pypi", "/pypi/", ok({"info": {"version": {}}}), "", "bad_answer"),
]  # fmt: skip


def setup(hosts, content, kind: str) -> Repo:
    url, path = REPOS["github" if kind == "pypi" else kind]
    fake = getattr(hosts, "github" if kind == "pypi" else kind)
    repo = fake.forest.add(Repo(path, stars=9, commits=make_commits(NOW, SERIES, ["ana", "bo"])))
    hosts.pypi.add("django-minify-html", fixture("pypi/django-minify-html.json"))
    content.package(1, "proj", url.format(path), pypi_name="django-minify-html")
    return repo


@pytest.mark.parametrize(
    ("host", "part", "answer", "change", "kind"),
    [pytest.param(*row[1:], id=row[0]) for row in HOSTILE],
)
def test_a_hostile_answer_fails_its_package_and_keeps_its_file(
    hosts, content, host, part, answer, change, kind
):
    repo = setup(hosts, content, host)
    assert not content.run().failed
    before = content.raw(1)
    if change == "commit":  # so that contributors and further pages are asked for
        repo.commits.append((datetime.now(UTC), "cy"))
    if change == "description":  # so that the repository answers 200, not 304
        repo.description = "changed"
    getattr(hosts, host).server.fault(part, *[answer] * 4)
    summary = content.run()
    assert summary.failed == {kind: 1}
    assert content.raw(1) == before
    source = "pypi" if host == "pypi" else "repo"
    assert content.state()["packages"]["1"][source]["error_kind"] == kind


def test_a_giant_description_is_clipped_to_2000_characters(hosts, content):
    setup(hosts, content, "github")
    hosts.github.server.fault("/graphql", graphql({"description": "x" * 100_000}))
    assert not content.run().failed
    assert content.enriched(1)["repo"]["description"] == "x" * 2000


def test_a_commit_dated_in_the_future_is_not_shown_or_counted(hosts, content):
    repo = setup(hosts, content, "gitlab")
    repo.commits.append((datetime(2030, 1, 1, tzinfo=UTC), "clock"))
    assert not content.run().failed
    doc = content.enriched(1)
    assert doc["repo"]["commits_over_52"] == SERIES
    assert doc["repo"]["last_commit"] <= doc["last_fetched"]
    assert doc["series_through"] <= doc["last_fetched"]


def many(hosts, content, count: int) -> None:
    for i in range(1, count + 1):
        hosts.github.forest.add(Repo(f"o/r{i}", commits=make_commits(NOW, [0] * 51 + [1], ["x"])))
        content.package(i, f"p{i}", f"https://github.com/o/r{i}")


@pytest.mark.parametrize("overload", ["502", "504", "timeout-error"])
def test_heavy_queries_are_split_down_to_the_one_bad_repository(hosts, content, overload):
    many(hosts, content, 100)
    hosts.github.max_repos = 25
    hosts.github.overload = overload
    hosts.github.poison = {"o/r37"}
    summary = content.run(retries=1)
    failed = "timeout" if overload == "timeout-error" else "server_error"
    assert summary.failed == {failed: 1}
    written = {int(p.stem) for p in (content.root / "enriched").glob("[0-9]*.json")}
    assert written == set(range(1, 101)) - {37}
    assert content.enriched(1)["repo"]["commits_over_52"][-1] == 1


def test_a_query_that_never_answers_is_split_too(hosts, content):
    many(hosts, content, 4)
    hosts.github.max_repos = 1
    hosts.github.overload = "hang"
    summary = content.run(retries=0, timeout=2.0)
    assert not summary.failed
    assert len(list((content.root / "enriched").glob("[0-9]*.json"))) == 4


SECONDARY = {"message": "You have exceeded a secondary rate limit. Please wait a few minutes."}


def test_a_secondary_rate_limit_with_retry_after_is_waited_for(hosts, content):
    setup(hosts, content, "github")
    hosts.github.server.fault("/graphql", Response(403, SECONDARY, {"Retry-After": "1"}))
    summary = content.run()
    assert not summary.failed and content.enriched(1)["repo"]["stars"] == 9
    assert summary.usage["github-graphql"].waited > 0


def test_a_secondary_rate_limit_without_retry_after_stops_asking(hosts, content):
    setup(hosts, content, "github")
    hosts.github.server.fault("/graphql", Response(403, SECONDARY))
    summary = content.run(max_wait=30)
    assert not summary.failed and summary.skipped == 1
    assert "more than --max-wait" in summary.usage["github-graphql"].stopped
    assert hosts.github.server.count("/graphql") == 1
