"""The derive stage as a whole: a small catalogue in, the views every renderer reads out.

The numbers follow the rule tables in test_rules.py; here what is checked is that each
package and grid gets the right facts attached, ordered as the pages and API show them.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from generator.derive import (
    DJANGO_CLASSIFIER,
    PYTHON_CLASSIFIER,
    Readiness,
    Site,
    as_of_time,
    classifier_versions,
    derive,
    development_status,
    is_deprecated,
    readiness,
    releases,
)
from generator.model import (
    Catalogue,
    Category,
    Enrichment,
    Grid,
    Package,
    PypiFacts,
    RepoFacts,
    Settings,
)

AS_OF = datetime(2026, 12, 1, tzinfo=UTC)
CREATED = datetime(2026, 6, 1, tzinfo=UTC)
APPS = Category(1, "apps", "App", "Apps", "", True, CREATED, CREATED)
OTHER = Category(2, "other", "Other", "Other", "", True, CREATED, CREATED)
SETTINGS = Settings("https://example.org/", "Test", "example/djp")

BETA = Package(1, "b-pkg", "Beta", "apps", "https://github.com/e/b", CREATED, pypi_name="b")
ALPHA = Package(
    2,
    "a-pkg",
    "alpha",
    "apps",
    "https://github.com/e/a",
    CREATED,
    documentation_url="https://own.example/a/",
    deprecated_since=CREATED,
    replaced_by="b-pkg",
)
ALPHA2 = Package(
    3, "c-pkg", "Alpha", "other", "https://github.com/e/c", CREATED, "c", "https://own.example/c/"
)
FACTS = {
    1: Enrichment(
        last_fetched=AS_OF,
        modified=datetime(2026, 11, 1, tzinfo=UTC),
        repo=RepoFacts(stars=100, forks=30, description="B.", last_commit=AS_OF - timedelta(10)),
        pypi=PypiFacts(
            version="1.0",
            released=AS_OF - timedelta(10),
            documentation_url="https://pypi.example/b/",
            classifiers=(
                f"{DJANGO_CLASSIFIER}5.0",
                f"{PYTHON_CLASSIFIER}3.12",
                "Development Status :: 5 - Production/Stable",
            ),
        ),
    ),
    3: Enrichment(
        last_fetched=AS_OF - timedelta(1),
        repo=RepoFacts(stars=5, last_commit=AS_OF - timedelta(400)),
        pypi=PypiFacts(
            version="2.0",
            requires_python=">=3.13",
            documentation_url="https://pypi.example/c/",
            classifiers=(f"{DJANGO_CLASSIFIER}4.2", f"{PYTHON_CLASSIFIER}3.9"),
        ),
    ),
}
LISTED = Grid(
    1, "listed", "Listed", "", True, True, CREATED, CREATED, (), ("b-pkg", "c-pkg", "a-pkg")
)
EMPTY = Grid(2, "empty", "Empty", "", False, False, CREATED, CREATED, (), ())
CATALOGUE = Catalogue(SETTINGS, (APPS, OTHER), (LISTED, EMPTY), (BETA, ALPHA, ALPHA2), FACTS)


@pytest.fixture
def site() -> Site:
    """Function-scoped: mutmut maps a mutant to the tests that call its function, and
    a module-scoped fixture calls derive() in the first test only."""
    return derive(CATALOGUE)


def test_packages_get_their_facts(site: Site) -> None:
    beta, alpha, alpha2 = site.packages
    assert site.as_of == AS_OF and site.settings == SETTINGS
    assert site.categories == (APPS, OTHER)
    assert [v.slug for v in site.packages] == ["b-pkg", "a-pkg", "c-pkg"]
    assert (beta.category, alpha.category, alpha2.category) == (APPS, APPS, OTHER)
    assert beta.grids == alpha.grids == alpha2.grids == (LISTED,)
    assert (beta.score, beta.weight) == (100, 75)  # 120 of 160 points
    assert beta.python3 is True
    assert beta.django_versions == ("5.0",) and beta.python_versions == ("3.12",)
    assert beta.development_status == "5 - Production/Stable" and beta.stable
    assert beta.documentation_url == "https://pypi.example/b/"
    assert beta.last_fetched == AS_OF and beta.modified == datetime(2026, 11, 1, tzinfo=UTC)
    assert beta.replaced_by is None and not beta.deprecated
    assert beta.pypi_url == "https://pypi.org/project/b/"


def test_a_package_without_facts(site: Site) -> None:
    alpha = site.packages[1]
    assert alpha.repo == RepoFacts() and alpha.pypi is None and alpha.last_fetched is None
    assert (alpha.score, alpha.weight, alpha.python3) == (0, 0, None)
    assert alpha.modified == CREATED and alpha.deprecated
    assert alpha.replaced_by == BETA
    assert alpha.documentation_url == "https://own.example/a/"
    assert alpha.pypi_url == "" and alpha.license is None


def test_the_record_wins_over_pypi_and_modified_needs_facts(site: Site) -> None:
    alpha2 = site.packages[2]
    assert alpha2.documentation_url == "https://own.example/c/"
    assert alpha2.modified == CREATED  # its facts carry no `modified`
    assert alpha2.python3 is True and not alpha2.stable
    # 400 days idle: 13 months, 4 quarters off; 20 + 0 + 0 + 5 (stars) = 25 points
    assert (alpha2.score, alpha2.weight) == (3, 15)


def test_grids_order_members_by_title_then_id_and_weigh_against_the_top(site: Site) -> None:
    listed, empty = site.grids
    assert [v.slug for v in listed.packages] == ["a-pkg", "c-pkg", "b-pkg"]
    assert listed.grid == LISTED and empty.packages == ()
    assert (listed.weight, empty.weight) == (62, 25)  # 75 less one, or four, sixths
    assert [v.slug for v in site.category_packages(OTHER)] == ["c-pkg"]


def test_readiness_per_release_newest_first_most_stars_first(site: Site) -> None:
    beta, alpha, alpha2 = site.packages
    assert releases(site.packages, "django") == ("4.2", "5.0")
    assert releases(site.packages, "python") == ("3.9", "3.12")
    assert readiness(site.packages) == (
        Readiness("django", "5.0", (beta,), (alpha2,), (alpha,)),
        Readiness("django", "4.2", (alpha2,), (beta,), (alpha,)),
        Readiness("python", "3.12", (beta,), (alpha2,), (alpha,)),
        Readiness("python", "3.9", (), (beta, alpha2), (alpha,)),
    )


@pytest.mark.parametrize(
    ("since", "replaced_by", "expected"),
    [(None, None, False), (CREATED, None, True), (None, "b-pkg", True), (CREATED, "b-pkg", True)],
)
def test_deprecated(since: datetime | None, replaced_by: str | None, expected: bool) -> None:
    """package/models.py `Package.is_deprecated` (a deprecation date); naming a
    replacement deprecates a package here too."""
    assert is_deprecated(replace(BETA, deprecated_since=since, replaced_by=replaced_by)) is expected


def test_a_package_in_no_grid_without_pypi_or_python_3() -> None:
    old = Package(5, "old", "Old", "apps", "https://github.com/e/old", CREATED, "old")
    facts = Enrichment(
        last_fetched=AS_OF,
        repo=RepoFacts(stars=100, last_commit=AS_OF),
        pypi=PypiFacts(version="0.1", requires_python="<3"),
    )
    site = derive(Catalogue(SETTINGS, (APPS,), (EMPTY,), (BETA, old), {5: facts}))
    beta, old_view = site.packages
    assert beta.grids == () and beta.documentation_url is None and beta.replaced_by is None
    assert (old_view.python3, old_view.score) == (False, 70)  # 30 % off without Python 3
    empty = derive(Catalogue(SETTINGS, (APPS,), (EMPTY,), (), {}))
    assert empty.grids[0].weight == 0  # no packages: the top weight is 0


def test_as_of_is_the_newest_fetch_else_the_newest_record() -> None:
    assert as_of_time(CATALOGUE) == AS_OF
    later = datetime(2026, 7, 1, tzinfo=UTC)
    grid = Grid(1, "g", "G", "", True, True, CREATED, later, (), ())
    unfetched = Catalogue(SETTINGS, (APPS,), (grid,), (BETA,), {1: Enrichment()})
    assert as_of_time(unfetched) == later
    empty = Catalogue(SETTINGS, (), (), (), {})
    assert as_of_time(empty) == datetime(2000, 1, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("classifiers", "expected"),
    [
        ((), ()),
        ((f"{PYTHON_CLASSIFIER}3.10", f"{PYTHON_CLASSIFIER}3.9"), ("3.9", "3.10")),
        ((f"{PYTHON_CLASSIFIER}3", f"{PYTHON_CLASSIFIER}3 :: Only"), ()),
        ((f"{PYTHON_CLASSIFIER}2.7", f"{PYTHON_CLASSIFIER}3.12"), ("2.7", "3.12")),
        ((f"{PYTHON_CLASSIFIER}3.x", f"{PYTHON_CLASSIFIER}Implementation :: CPython"), ()),
        ((f"{DJANGO_CLASSIFIER}5.0",), ()),
    ],
)
def test_python_classifier_versions(classifiers: tuple[str, ...], expected: tuple[str, ...]):
    """X.Y releases only, in version order (3.9 before 3.10)."""
    facts = PypiFacts(version="1", classifiers=classifiers)
    assert classifier_versions(facts, PYTHON_CLASSIFIER) == expected


@pytest.mark.parametrize(
    ("classifiers", "expected"),
    [
        ((), None),
        (("Development Status :: 4 - Beta",), "4 - Beta"),
        (("Development Status :: 4 - Beta", "Development Status :: 6 - Mature"), "6 - Mature"),
    ],
)
def test_development_status(classifiers: tuple[str, ...], expected: str | None) -> None:
    """The highest Development Status classifier, as package/models.py
    `Package.fetch_pypi_data` keeps the last one PyPI lists (they come sorted)."""
    assert development_status(PypiFacts(version="1", classifiers=classifiers)) == expected
    assert development_status(None) is None
