"""djangopackages' own rules, one table per rule, each row computed by hand.

The source of every rule is djangopackages/djangopackages (cited per test). Where this
static rebuild departs from it on purpose, the row says so and why.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from generator.derive import (
    PYTHON_CLASSIFIER,
    grid_weight,
    has_description,
    months_between,
    python3_support,
    score,
    weight,
)
from generator.model import Grid, Package, PypiFacts, RepoFacts

AS_OF = datetime(2026, 12, 1, tzinfo=UTC)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def days_ago(days: int) -> datetime:
    return AS_OF - timedelta(days=days)


@pytest.mark.parametrize(
    ("earlier", "later", "months"),
    [
        ("2026-01-15", "2026-02-14", 0),  # one day short of a month
        ("2026-01-15", "2026-02-15", 1),
        ("2026-01-15T12:00", "2026-02-15T11:59", 0),  # the time of day counts too
        ("2026-01-15T12:00", "2026-02-15T12:00", 1),
        ("2026-01-31", "2026-02-27", 0),
        ("2026-01-31", "2026-02-28", 1),  # Jan 31 + 1 month is Feb 28: a whole month
        ("2024-01-31", "2024-02-28", 0),  # leap year: Jan 31 + 1 month is Feb 29
        ("2024-01-31", "2024-02-29", 1),
        ("2026-03-31", "2026-04-30", 1),
        ("2026-05-31T23:00", "2026-06-30T22:59", 0),  # clamped day keeps the time
        ("2025-12-31", "2026-02-28", 2),  # across a year: Dec 31 + 2 months is Feb 28
        ("2026-01-31", "2026-03-30", 1),  # Jan 31 + 2 months is Mar 31, a day later
        ("2025-12-31", "2026-02-27", 1),  # Dec 31 + 2 months: Feb 28 of the next year
        ("2026-02-28", "2026-03-31", 1),
        ("2016-11-30", "2026-11-30", 120),
        ("2026-11-30", "2026-11-30", 0),
        # A commit after the data's "now" (clock skew): relativedelta gives -1, which
        # djangopackages turns into a bonus; here it is no penalty and no bonus.
        ("2026-12-31", "2026-11-30", 0),
    ],
)
def test_months_between(earlier: str, later: str, months: int) -> None:
    """dateutil's relativedelta(later, earlier), years * 12 + months, as
    package/scores.py `_calculate_score` counts the months since the last commit."""
    assert months_between(utc(earlier), utc(later)) == months


@pytest.mark.parametrize(
    ("stars", "last_commit", "python3", "expected"),
    [
        (0, days_ago(0), True, 0),
        (1000, utc("2026-11-01"), True, 1000),  # 1 month idle: no quarter yet
        (1000, utc("2026-09-02"), True, 1000),  # 2 months 29 days
        (1000, utc("2026-09-01"), True, 900),  # 3 months: -10 %
        (1000, utc("2026-06-01"), True, 800),  # 6 months: -20 %
        (1000, utc("2024-12-01"), True, 200),  # "abandoned for 2 years loses 80 %"
        (1000, None, True, 900),  # no commit date: one 10 % penalty
        (1000, days_ago(0), False, 700),  # no Python 3: -30 %
        (3333, days_ago(0), False, 2333),  # 3333 - 999.9
        (3334, days_ago(0), False, 2334),  # 30 % is 1000.2: capped at 1000
        (5000, days_ago(0), False, 4000),  # the cap
        (5000, utc("2026-09-01"), False, 3500),  # both penalties: 5000 - 500 - 1000
        (1000, utc("2024-12-01"), False, -100),  # 1000 - 800 - 300
        (15, utc("2026-09-01"), True, 13),  # 13.5 truncated
        (15, utc("2024-03-01"), True, -1),  # 11 quarters: 15 - 16.5 = -1.5, towards 0
        (450, utc("2021-12-01"), True, -450),  # 20 quarters: 450 - 900, above the floor
        (300, utc("2021-12-01"), False, -390),  # 300 - 600 - 90
        (1000, utc("2021-12-01"), True, -500),  # 1000 - 2000: the floor
        (1000, utc("2016-12-01"), False, -500),  # 1000 - 4000 - 300: the floor
        (1000, utc("2027-01-01"), True, 1000),  # commit after "now": no penalty
        # djangopackages penalises unknown support (None is falsy); here only a package
        # known not to support Python 3 is (README, "Score and weight").
        (1000, days_ago(0), None, 1000),
    ],
)
def test_score(stars: int, last_commit: datetime | None, python3: bool | None, expected: int):
    """package/scores.py `_calculate_score` (and package/models.py
    `Package.calculate_score` before it): stars, less 10 % of the stars per whole 3
    months since the last commit, less 30 % (at most 1000) without Python 3, truncated
    to int, never below -500."""
    repo = RepoFacts(stars=stars, last_commit=last_commit)
    assert score(repo, python3, AS_OF) == expected


RELEASED = PypiFacts(version="1.0", released=days_ago(10))


@pytest.mark.parametrize(
    ("described", "deprecated", "repo", "pypi", "expected"),
    [
        # points out of 160 (8 rules of 20), * 100, truncated
        (False, True, RepoFacts(), None, 0),
        (False, False, RepoFacts(), None, 12),  # 20 -> 12.5
        (True, False, RepoFacts(), None, 25),  # 40
        (True, True, RepoFacts(), None, 12),  # 20: deprecation costs only its own rule
        (False, False, RepoFacts(stars=7, forks=5), None, 20),  # 20 + 7 + 5 = 32
        (False, False, RepoFacts(stars=500, forks=50), None, 37),  # 60 -> 37.5, not 38
        (False, False, RepoFacts(stars=19, forks=0), None, 24),  # 39 -> 24.375
        (False, False, RepoFacts(last_commit=days_ago(0)), None, 25),  # 20 + 20
        (False, False, RepoFacts(stars=3, last_commit=days_ago(0)), None, 26),  # 43: 26.875
        (False, False, RepoFacts(last_commit=days_ago(89)), None, 25),
        (False, False, RepoFacts(last_commit=days_ago(90)), None, 18),  # 20 + 10 = 30
        (False, False, RepoFacts(last_commit=days_ago(181)), None, 18),
        (False, False, RepoFacts(last_commit=days_ago(182)), None, 15),  # 20 + 5 = 25
        (False, False, RepoFacts(last_commit=days_ago(364)), None, 15),
        (False, False, RepoFacts(last_commit=days_ago(365)), None, 12),  # 20 + 0
        (False, False, RepoFacts(last_commit=AS_OF + timedelta(days=1)), None, 25),
        (False, False, RepoFacts(), replace(RELEASED, released=days_ago(364)), 25),
        (False, False, RepoFacts(), replace(RELEASED, released=days_ago(365)), 12),
        (False, False, RepoFacts(), replace(RELEASED, released=None), 12),
        (False, False, RepoFacts(stars=3), RELEASED, 26),  # 43
        (
            True,
            False,
            RepoFacts(stars=19, forks=20, last_commit=days_ago(3)),
            RELEASED,
            74,  # 119 of 160: 74.375
        ),
        (
            True,
            False,
            RepoFacts(stars=29000, forks=3000, last_commit=days_ago(3)),
            RELEASED,
            75,  # 120 of 160: downloads and usage have no source here
        ),
    ],
)
def test_weight(
    described: bool, deprecated: bool, repo: RepoFacts, pypi: PypiFacts | None, expected: int
) -> None:
    """searchv2/rules.py (`DeprecatedRule`, `DescriptionRule`, `DownloadsRule`,
    `ForkRule`, `LastUpdatedRule`, `RecentReleaseRule`, `UsageCountRule`,
    `WatchersRule`) summed by `calc_package_weight` as searchv2/builders_v3.py
    `index_packages` calls it (max_score=100): commits less than 90, 182 and 365 days
    old give 20, 10 and 5; a release less than 365 days old 20; the total out of 160
    scaled to 100 and truncated."""
    assert weight(described, deprecated, repo, pypi, AS_OF) == expected


PACKAGE = Package(1, "p", "P", "apps", "https://github.com/e/p", AS_OF)


@pytest.mark.parametrize(
    ("own", "repo", "expected"),
    [
        (None, "", False),
        (None, "Caches things.", True),
        ("Written by people.", "", True),
        (None, "   \n", False),  # DescriptionRule strips before it looks
        ("  ", "Caches things.", True),
    ],
)
def test_has_description(own: str | None, repo: str, expected: bool) -> None:
    """searchv2/rules.py `DescriptionRule`: `repo_description.strip()` must be non-empty;
    the record's own description counts as one too."""
    package = replace(PACKAGE, description=own)
    assert has_description(package, RepoFacts(description=repo)) is expected


def grid(*, locked: bool, header: bool) -> Grid:
    return Grid(1, "g", "G", "", locked, header, AS_OF, AS_OF, (), ("p",))


@pytest.mark.parametrize(
    ("locked", "header", "members", "top", "expected"),
    [
        (True, True, True, 60, 50),  # one increment (a sixth of the top) always off
        (False, True, True, 60, 40),  # unlocked
        (True, False, True, 60, 40),  # not on the home page
        (True, True, False, 60, 40),  # empty
        (False, False, True, 60, 30),
        (False, True, False, 60, 30),
        (True, False, False, 60, 30),
        (False, False, False, 60, 20),
        (True, True, True, 75, 62),  # 62.5
        (False, True, True, 75, 50),
        (False, False, True, 75, 37),  # 37.5
        (False, False, False, 75, 25),
        # 74 - 3 * 74/6 is 37 by hand, but djangopackages subtracts the float increment
        # three times and truncates 36.99999999999999: its sites shows 36, so do we.
        (False, False, True, 74, 36),
        (True, True, True, 0, 0),
    ],
)
def test_grid_weight(locked: bool, header: bool, members: bool, top: int, expected: int) -> None:
    """searchv2/builders_v3.py `calc_grid_weight`: the top package weight, less
    `max_weight / 6` once, once more if not locked, if not `header`, if no packages."""
    assert grid_weight(grid(locked=locked, header=header), members, top) == expected


def pypi(requires: str | None = None, *classifiers: str) -> PypiFacts:
    return PypiFacts(version="1.0", requires_python=requires, classifiers=classifiers)


PY3 = f"{PYTHON_CLASSIFIER}3"


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (None, None),
        (pypi(), None),
        (pypi(None, PY3), True),
        (pypi(None, f"{PYTHON_CLASSIFIER}3.12"), True),
        (pypi(None, f"{PYTHON_CLASSIFIER}2.7"), None),
        (pypi(None, f"{PYTHON_CLASSIFIER}3 :: Only"), True),
        (pypi(">=3.8"), True),
        (pypi(">=3"), True),
        (pypi("<3"), False),
        (pypi("==2.7.*"), False),
        (pypi(">=2.7, <3", PY3), False),  # requires_python is read last and decides
        (pypi("not a spec", PY3), True),  # unreadable: the classifiers stand
        (pypi("not a spec"), None),
        # djangopackages tries 3 and 3.1 to 3.11 only, so says False; any 3.x counts here.
        (pypi(">=3.12"), True),
    ],
)
def test_python3_support(facts: PypiFacts | None, expected: bool | None) -> None:
    """package/models.py `Package.fetch_pypi_data`: a `Programming Language :: Python :: 3`
    classifier says yes; a `requires_python` says yes when it admits some 3.x, else no."""
    assert python3_support(facts) is expected
