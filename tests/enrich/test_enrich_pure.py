"""The pure parts of enrichment: series arithmetic, PyPI parsing, hosts, merging."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from generator.enrich.client import FetchError
from generator.enrich.endpoints import Endpoints
from generator.enrich.hosts import locate_repo
from generator.enrich.jobs import Outcome
from generator.enrich.pypi import choose_license, normalise, parse_project
from generator.enrich.runner import merge_document
from generator.enrich.series import add_commits, history_since, series_start, shift, week_of
from tests.helpers.fakes import fixture

MONDAY = date(2026, 11, 23)


def test_week_of_is_monday_utc():
    assert week_of(datetime(2026, 11, 29, 23, 59, tzinfo=UTC)) == MONDAY
    assert week_of(datetime(2026, 11, 30, 0, 0, tzinfo=UTC)) == MONDAY + timedelta(weeks=1)


def test_shift_moves_buckets_left_and_pads_with_zeros():
    series = list(range(1, 53))
    assert shift(series, MONDAY, MONDAY) == series
    assert shift(series, MONDAY, MONDAY + timedelta(weeks=2)) == [*range(3, 53), 0, 0]
    assert shift(series, MONDAY, MONDAY + timedelta(weeks=60)) == [0] * 52
    assert shift([], MONDAY, MONDAY) == [0] * 52


def test_add_commits_counts_into_weeks_and_ignores_older():
    now = datetime(2026, 11, 25, tzinfo=UTC)
    dates = [now, now - timedelta(weeks=1), now - timedelta(weeks=1), now - timedelta(weeks=60)]
    series = add_commits([0] * 52, week_of(now), dates)
    assert series[-1] == 1 and series[-2] == 2 and sum(series) == 3


def test_history_since_resumes_after_the_last_counted_commit():
    now = datetime(2026, 11, 25, tzinfo=UTC)
    previous = {"commits_over_52": [0] * 52}
    extra = {"series_week": "2026-11-16", "series_through": "2026-11-20T10:00:00Z"}
    assert history_since(previous, extra, now) == "2026-11-20T10:00:01Z"
    assert (
        history_since({}, extra, now)
        == "2025-12-01T00:00:00Z"
        == (series_start(now).isoformat().replace("+00:00", "Z"))
    )


@pytest.mark.parametrize(
    ("info", "expected"),
    [
        ({"license_expression": "MIT OR Apache-2.0", "license": "MIT"}, "MIT OR Apache-2.0"),
        ({"license": "BSD"}, "BSD"),
        (
            {"license": "long\ntext", "classifiers": ["License :: OSI Approved :: MIT License"]},
            "MIT License",
        ),
        ({"license": "", "classifiers": []}, None),
    ],
)
def test_license_precedence(info, expected):
    assert choose_license(info) == expected


def test_normalised_names():
    assert normalise("Django_Foo.Bar") == "django-foo-bar"


def test_parse_project_from_recorded_bodies():
    wagtail = parse_project(fixture("pypi/wagtail.json"))
    assert wagtail["version"] == "2.16.1" and wagtail["license"] == "BSD"
    assert wagtail["released"] == "2022-02-11T13:58:20.278624Z"
    assert wagtail["requires_python"] == ">=3.7"
    with pytest.raises(Exception, match="empty"):
        parse_project(fixture("pypi/django-fett.json"))
    docs = {"info": {"version": "1", "project_urls": {"Documentation": "https://d.example"}}}
    assert parse_project(docs)["documentation_url"] == "https://d.example"


ENDPOINTS = Endpoints.from_environ({"GITLAB_HOSTS": "git.example.org"})


@pytest.mark.parametrize(
    ("url", "host", "expected"),
    [
        ("https://github.com/a/b.git", None, ("github", "github.com", "a/b")),
        ("https://www.github.com/a/b/tree/main", None, ("github", "github.com", "a/b")),
        ("https://gitlab.com/g/s/p/-/tree/x", None, ("gitlab", "gitlab.com", "g/s/p")),
        ("https://codeberg.org/trey/bh2", None, ("forgejo", "codeberg.org", "trey/bh2")),
        ("https://bitbucket.org/t/r/src", None, ("bitbucket", "bitbucket.org", "t/r")),
        ("https://git.example.org/a/b", "gitlab", ("gitlab", "git.example.org", "a/b")),
        ("https://git.example.org/a/b", None, ("gitlab", "git.example.org", "a/b")),
        ("https://gitlab.evil.example/a/b", None, None),
        ("https://evil.example/a/b", "gitlab", "unconfigured_host"),
        ("https://git.example.org/a/b", "forgejo", "host_mismatch"),
        ("https://django-cotton.com/", None, None),
        ("https://github.com/only-owner", None, None),
    ],
)
def test_locate_repo(url, host, expected):
    found = locate_repo(url, host, ENDPOINTS)
    if isinstance(found, FetchError):
        found = found.kind
    elif found is not None:
        found = (found.kind, found.instance.host, found.path)
    assert found == expected


def test_merge_keeps_modified_and_stamp_when_nothing_changed():
    now = datetime(2026, 11, 25, tzinfo=UTC)
    first = merge_document({}, {"pypi": Outcome(updates={"version": "1.0"})}, now, 7)
    assert first["modified"] == first["last_fetched"] == "2026-11-25T00:00:00Z"
    later = now + timedelta(days=1)
    same = merge_document(first, {"pypi": Outcome(not_modified=True)}, later, 7)
    assert same == first
    week_later = merge_document(
        first, {"pypi": Outcome(not_modified=True)}, now + timedelta(days=8), 7
    )
    assert week_later["modified"] == first["modified"]
    assert week_later["last_fetched"] == "2026-12-03T00:00:00Z"
    failed = merge_document(first, {"pypi": Outcome(error=Exception())}, later, 7)  # type: ignore[arg-type]
    assert failed == first
