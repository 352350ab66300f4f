"""Every parser of an upstream answer, fed arbitrary JSON (hypothesis, derandomised):
it returns values that fit the enrichment schema, or raises `BadAnswer`; nothing else.
And the recorded real answers in tests/fixtures/ all parse."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.enrich import github, pypi
from generator.enrich.answers import BadAnswer
from generator.enrich.bitbucket import Bitbucket, size
from generator.enrich.client import Reply
from generator.enrich.forge import ForgeAPI
from generator.enrich.forgejo import Forgejo
from generator.enrich.gitlab import GitLab
from generator.enrich.merge import DEFAULTS
from generator.enrich.series import newest
from generator.validate import check_enrichment
from tests.helpers.fakes import FIXTURES, fixture

NOW = datetime(2026, 12, 1, tzinfo=UTC)
KEYS = sorted(
    {
        *[
            "data",
            "errors",
            "rateLimit",
            "cost",
            "path",
            "type",
            "message",
            "r0",
            "nameWithOwner",
            "stargazerCount",
        ],
        *[
            "forkCount",
            "description",
            "isArchived",
            "licenseInfo",
            "spdxId",
            "name",
            "defaultBranchRef",
        ],
        *[
            "target",
            "committedDate",
            "history",
            "nodes",
            "pageInfo",
            "hasNextPage",
            "endCursor",
            "all",
        ],
        *[
            "full_name",
            "stargazers_count",
            "forks_count",
            "archived",
            "license",
            "spdx_id",
            "login",
            "author",
        ],
        *[
            "commit",
            "committer",
            "date",
            "path_with_namespace",
            "star_count",
            "nickname",
            "key",
            "committed_date",
        ],
        *[
            "author_name",
            "stars_count",
            "licenses",
            "values",
            "user",
            "raw",
            "next",
            "size",
            "info",
            "version",
            "urls",
        ],
        *[
            "releases",
            "upload_time_iso_8601",
            "license_expression",
            "classifiers",
            "requires_python",
        ],
        *["yanked", "project_urls", "docs_url", "Documentation"],
    }
)
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.sampled_from(["2026-11-30T10:00:00Z", "2026-02-30", "9999-12-31T23:00-05:00", "a/b"])
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=6)
    ),
    max_leaves=25,
)


def reply(data: Any) -> Reply:
    return Reply(200, data, None, "https://example.org/", httpx.Headers())


def repo_facts(facts: dict[str, Any]) -> dict[str, Any]:
    """A package file holding the facts, which the build's check must accept."""
    facts = {k: v for k, v in facts.items() if k != "path"}
    return {"repo": {**DEFAULTS["repo"], **facts}, "pypi": None}


def check_commits(found: list[tuple[datetime, str]]) -> None:
    for moment, author in found:
        assert isinstance(moment, datetime) and moment.tzinfo is not None
        assert isinstance(author, str) and len(author) <= 100
    latest = newest((m for m, _ in found), NOW)
    document = repo_facts({"last_commit": latest.isoformat() if latest else None})
    assert check_enrichment(document, now=NOW) == []


def check_names(found: list[str]) -> None:
    assert check_enrichment(repo_facts({"participants": found}), now=NOW) == []


def check_node(node: github.Node) -> None:
    last = newest([node.last_commit], NOW)
    facts = {**node.facts, "last_commit": last.isoformat() if last else None}
    assert check_enrichment(repo_facts(facts), now=NOW) == []
    check_commits([(d, "") for d in node.history.dates])


def check_series(series: list[int]) -> None:
    assert check_enrichment(repo_facts({"commits_over_52": series}), now=NOW) == []


def check_dates(history: github.History) -> None:
    check_commits([(d, "") for d in history.dates])


def check_repo(facts: dict[str, Any]) -> None:
    assert check_enrichment(repo_facts(facts), now=NOW) == []
    assert facts["path"] is None or "/" in facts["path"]


def typed(kind: type) -> Callable[[Any], None]:
    def check(found: Any) -> None:
        assert found is None or isinstance(found, kind)

    return check


def check_pypi(facts: dict[str, Any]) -> None:
    document = {"repo": None, "pypi": {**DEFAULTS["pypi"], **facts}}
    assert check_enrichment(document, now=NOW) == []


PARSERS: dict[str, tuple[Callable[[Any], Any], Callable[[Any], None]]] = {
    "github answer": (github.parse_answer, typed(github.Answer)),
    "github repository": (github.parse_repository, check_node),
    "github more": (github.parse_more, check_dates),
    "github participation": (github.parse_participation, check_series),
    "github rest repo": (github.GitHubREST().parse_repo, check_repo),
    "github commits": (ForgeAPI().commits, check_commits),
    "github contributors": (ForgeAPI().contributors, check_names),
    "gitlab repo": (GitLab().parse_repo, check_repo),
    "gitlab commits": (GitLab().commits, check_commits),
    "gitlab contributors": (GitLab().contributors, check_names),
    "forgejo repo": (Forgejo().parse_repo, check_repo),
    "bitbucket repo": (Bitbucket().parse_repo, check_repo),
    "bitbucket commits": (Bitbucket().commits, check_commits),
    "bitbucket size": (lambda d: size(reply(d)), typed(int)),
    "bitbucket next": (lambda d: Bitbucket().next_page(reply(d)), typed(str)),
    "pypi project": (lambda d: pypi.parse_project(d, NOW), check_pypi),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(
    derandomize=True,
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=JSON)
def test_any_json_parses_to_valid_facts_or_a_bad_answer(name, data):
    parse, check = PARSERS[name]
    try:
        found = parse(data)
    except BadAnswer:
        return
    check(found)


CORPUS = [
    ("github rest repo", "github/repos-django-deps.json"),
    ("github rest repo", "github/repos-pydanny-dj-paginator-archived.json"),
    ("github contributors", "github/repos-django-deps-contributors.json"),
    ("github contributors", "github/repos-pydanny-dj-paginator-contributors.json"),
    *[
        ("pypi project", f"pypi/{p.name}")
        for p in sorted((FIXTURES / "pypi").glob("*.json"))
        if p.name != "django-fett.json"
    ],
]


@pytest.mark.parametrize(("name", "path"), CORPUS)
def test_every_recorded_answer_parses(name, path):
    body = fixture(path)
    body = body["body"] if "request" in body else body
    parse, check = PARSERS[name]
    found = parse(json.loads(json.dumps(body)))
    check(found)
    assert found
