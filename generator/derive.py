"""Derive stage: the numbers and facts the site shows but nobody writes down.

Score, weight, Python 3 and Django support, the documentation URL to show. All relative
to `as_of`, the newest fetch time found in the data (never the build's clock), so the
same inputs always give the same output.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from . import urls
from .model import Catalogue, Category, Grid, Package, PypiFacts, RepoFacts, Settings
from .repos import repository_owners, retired

NO_REPO = RepoFacts()
PY3_MINORS = tuple(f"3.{minor}" for minor in range(0, 30))
DJANGO_CLASSIFIER = "Framework :: Django :: "
PYTHON_CLASSIFIER = "Programming Language :: Python :: "
STATUS_CLASSIFIER = "Development Status :: "
AGE_POINTS = ((90, 20), (182, 10), (365, 5))
"""Points for a last commit less than that many days old (`LastUpdatedRule`)."""


@dataclass(frozen=True)
class PackageView:
    """A package with everything the pages and the API show about it."""

    package: Package
    category: Category
    grids: tuple[Grid, ...]
    repo: RepoFacts
    pypi: PypiFacts | None
    last_fetched: datetime | None
    modified: datetime
    score: int
    weight: int
    python3: bool | None
    django_versions: tuple[str, ...]
    python_versions: tuple[str, ...]
    development_status: str | None
    documentation_url: str | None
    replaced_by: Package | None
    repo_retired: str | None = None
    """Why the repository is not fetched (`repos.retired`): its host closed, or cannot be read."""
    same_repo_as: Package | None = None
    """The record (lowest id) whose repository this one names too; its facts are shown."""

    @property
    def slug(self) -> str:
        return self.package.slug

    @property
    def path(self) -> str:
        return self.package.path

    @property
    def pypi_url(self) -> str:
        name = self.package.pypi_name
        return f"https://pypi.org/project/{name}/" if name else ""

    @property
    def deprecated(self) -> bool:
        return is_deprecated(self.package)

    @property
    def stable(self) -> bool:
        """Declares "Production/Stable" or "Mature" on PyPI."""
        return (self.development_status or "").startswith(("5", "6"))

    @property
    def license(self) -> str | None:
        return (self.pypi.license if self.pypi else None) or self.repo.license


@dataclass(frozen=True)
class GridView:
    grid: Grid
    packages: tuple[PackageView, ...]
    """Members ordered by package title, as the v4 API orders them."""
    weight: int

    @property
    def path(self) -> str:
        return self.grid.path


@dataclass(frozen=True)
class Readiness:
    """Who declares support for one Django or Python release, most stars first."""

    kind: str
    """`django` or `python`."""
    release: str
    supported: tuple[PackageView, ...]
    unsupported: tuple[PackageView, ...]
    """Packages with data that leaves this release out."""
    unknown: tuple[PackageView, ...]
    """Packages whose data says nothing about this kind of release."""

    @property
    def path(self) -> str:
        return urls.readiness(self.kind, self.release)


@dataclass(frozen=True)
class Site:
    """The whole derived catalogue: the input of every renderer."""

    settings: Settings
    as_of: datetime
    categories: tuple[Category, ...]
    """Ordered by id."""
    packages: tuple[PackageView, ...]
    """Ordered by id."""
    grids: tuple[GridView, ...]
    """Ordered by id."""
    readiness: tuple[Readiness, ...] = ()
    """Per Django release, then per Python release, newest first: who supports it."""

    def category_packages(self, category: Category) -> tuple[PackageView, ...]:
        return tuple(p for p in self.packages if p.category.id == category.id)


def add_months(moment: datetime, months: int) -> datetime:
    """`moment` that many calendar months on, the day clamped to the month's last."""
    year, month = divmod(moment.month - 1 + months, 12)
    year += moment.year
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def months_between(earlier: datetime, later: datetime) -> int:
    """Whole calendar months from `earlier` to `later`, as dateutil's relativedelta counts
    them (Jan 31 to Feb 28 is one); never negative, so a clock skew is no bonus."""
    months = (later.year - earlier.year) * 12 + later.month - earlier.month
    if add_months(earlier, months) > later:
        months -= 1
    return max(months, 0)


def is_deprecated(package: Package) -> bool:
    return package.deprecated_since is not None or package.replaced_by is not None


@cache
def _specifier(text: str) -> SpecifierSet | None:
    try:
        return SpecifierSet(text)
    except InvalidSpecifier:
        return None


def requires_python(pypi: PypiFacts | None) -> SpecifierSet | None:
    """The release's `requires_python` as a specifier set (parsed once per distinct text);
    None when absent or unreadable."""
    return _specifier(pypi.requires_python) if pypi and pypi.requires_python else None


def python3_support(pypi: PypiFacts | None) -> bool | None:
    """`requires_python` decides when set; else any Python 3 classifier; else unknown."""
    if pypi is None:
        return None
    spec = requires_python(pypi)
    if spec is not None:
        return any(spec.contains(v) for v in PY3_MINORS)
    if any(c.startswith(PYTHON_CLASSIFIER + "3") for c in pypi.classifiers):
        return True
    return None


def classifier_versions(pypi: PypiFacts | None, prefix: str) -> tuple[str, ...]:
    """Versions named by classifiers `<prefix>X.Y`, in version order."""
    if pypi is None:
        return ()
    found = {c[len(prefix) :] for c in pypi.classifiers if c.startswith(prefix)}
    versions = [v for v in found if v.replace(".", "").isdigit() and "." in v]
    return tuple(sorted(versions, key=version_key))


def version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in version.split("."))


def django_support(view: PackageView, release: str) -> bool | None:
    """Declared by a `Framework :: Django :: X.Y` classifier; unknown without any."""
    if not view.django_versions:
        return None
    return release in view.django_versions


def python_support(view: PackageView, release: str) -> bool | None:
    """A `requires_python` that excludes the release says no; else the Python 3.x
    classifiers decide when there are any; else `requires_python` alone; else unknown."""
    spec = requires_python(view.pypi)
    if spec is not None and not spec.contains(release):
        return False
    minors = [v for v in view.python_versions if v.startswith("3.")]
    if minors:
        return release in minors
    return True if spec is not None else None


SUPPORT = {"django": django_support, "python": python_support}


def releases(packages: tuple[PackageView, ...], kind: str) -> tuple[str, ...]:
    """The Django releases, or Python 3 releases, that some package's classifiers name."""
    found: set[str] = set()
    for view in packages:
        named = view.django_versions if kind == "django" else view.python_versions
        found.update(v for v in named if kind == "django" or v.startswith("3."))
    return tuple(sorted(found, key=version_key))


def readiness(packages: tuple[PackageView, ...]) -> tuple[Readiness, ...]:
    """Support for every Django and Python 3 release found, Django first, newest first."""
    by_stars = sorted(packages, key=lambda v: (-v.repo.stars, v.package.title.lower()))
    out = []
    for kind, support in SUPPORT.items():
        for release in reversed(releases(packages, kind)):
            answers = [(support(v, release), v) for v in by_stars]
            out.append(
                Readiness(
                    kind,
                    release,
                    tuple(v for a, v in answers if a is True),
                    tuple(v for a, v in answers if a is False),
                    tuple(v for a, v in answers if a is None),
                )
            )
    return tuple(out)


def development_status(pypi: PypiFacts | None) -> str | None:
    """`5 - Production/Stable` from the Development Status classifier, if any."""
    if pypi is None:
        return None
    found = sorted(
        c[len(STATUS_CLASSIFIER) :] for c in pypi.classifiers if c.startswith(STATUS_CLASSIFIER)
    )
    return found[-1] if found else None


def score(repo: RepoFacts, python3: bool | None, as_of: datetime) -> int:
    """The dynamic site's score: stars, less 10% per 3 idle months, less 30% without Py3.

    Only a package known not to support Python 3 is penalised for it; unknown support
    (no PyPI data) is not counted against it.
    """
    stars = repo.stars
    value = float(stars)
    if repo.last_commit is None:
        value -= stars / 10
    else:
        value -= math.floor(months_between(repo.last_commit, as_of) / 3) * stars / 10
    if python3 is False:
        value -= min(stars * 30 / 100, 1000)
    return max(int(value), -500)


def weight(
    view_has_description: bool,
    deprecated: bool,
    repo: RepoFacts,
    pypi: PypiFacts | None,
    as_of: datetime,
) -> int:
    """Search weight 0–100: djangopackages' eight rules of up to 20 points each, their sum
    scaled to 100 and truncated.

    Ages count below each step (under 90 days, not 90 or less), as djangopackages' rules
    compare. Downloads and usage counts do not exist for a static site: those rules give 0.
    """
    commit_age = as_of - repo.last_commit if repo.last_commit else None
    released = pypi.released if pypi else None
    rules = (
        0 if deprecated else 20,  # DeprecatedRule
        20 if view_has_description else 0,  # DescriptionRule
        0,  # DownloadsRule (downloads / 1000, capped at 20): no source
        min(repo.forks, 20),  # ForkRule
        next((p for days, p in AGE_POINTS if commit_age < timedelta(days=days)), 0)
        if commit_age is not None
        else 0,  # LastUpdatedRule
        20 if released and as_of - released < timedelta(days=365) else 0,  # RecentReleaseRule
        0,  # UsageCountRule (capped at 20): no source
        min(repo.stars, 20),  # WatchersRule
    )
    return sum(rules) * 100 // (20 * len(rules))


def grid_weight(grid: Grid, has_members: bool, max_weight: int) -> int:
    """The dynamic site's grid weight: a sixth of the top package weight off per lack
    (one always, one if unlocked, one if not on the home page, one if empty)."""
    increment = max_weight / 6
    value = max_weight - increment
    for lacking in (not grid.is_locked, not grid.header, not has_members):
        if lacking:
            value -= increment  # one float subtraction at a time, as djangopackages does
    return int(value)


def has_description(package: Package, repo: RepoFacts) -> bool:
    """The record's own description or the repository's, not just blanks."""
    return bool((package.description or "").strip() or repo.description.strip())


def as_of_time(catalogue: Catalogue) -> datetime:
    """The data's own "now": the newest fetch, else the newest record."""
    fetched = [e.last_fetched for e in catalogue.enrichment.values() if e.last_fetched]
    if fetched:
        return max(fetched)
    stamps = [p.created for p in catalogue.packages] + [g.modified for g in catalogue.grids]
    return max(stamps) if stamps else datetime.fromisoformat("2000-01-01T00:00:00+00:00")


def _repo_facts(catalogue: Catalogue, owner: Package | None) -> RepoFacts | None:
    """The repository facts of a shared repository's owner (fetched for it alone)."""
    facts = catalogue.enrichment.get(owner.id) if owner else None
    return facts.repo if facts else None


def derive(catalogue: Catalogue) -> Site:
    """Attach enrichment and derived numbers to every package and grid."""
    as_of = as_of_time(catalogue)
    categories = {c.slug: c for c in catalogue.categories}
    packages_by_slug = {p.slug: p for p in catalogue.packages}
    grids_of: dict[str, list[Grid]] = {}
    for grid in catalogue.grids:
        for slug in grid.members:
            grids_of.setdefault(slug, []).append(grid)

    owners = repository_owners(catalogue.packages)
    views = []
    for package in catalogue.packages:
        facts = catalogue.enrichment.get(package.id)
        owner = owners.get(package.id)
        repo = _repo_facts(catalogue, owner) or (facts.repo if facts else None) or NO_REPO
        why_retired = retired(package.repo_url, package.repo_host)
        if why_retired:
            repo = replace(repo, gone=True)
        pypi = facts.pypi if facts else None
        py3 = python3_support(pypi)
        deprecated = is_deprecated(package)
        modified = (
            max(package.created, facts.modified) if facts and facts.modified else (package.created)
        )
        views.append(
            PackageView(
                package=package,
                category=categories[package.category],
                grids=tuple(grids_of.get(package.slug, ())),
                repo=repo,
                pypi=pypi,
                last_fetched=facts.last_fetched if facts else None,
                modified=modified,
                score=score(repo, py3, as_of),
                weight=weight(has_description(package, repo), deprecated, repo, pypi, as_of),
                python3=py3,
                django_versions=classifier_versions(pypi, DJANGO_CLASSIFIER),
                python_versions=classifier_versions(pypi, PYTHON_CLASSIFIER),
                development_status=development_status(pypi),
                documentation_url=package.documentation_url
                or (pypi.documentation_url if pypi else None),
                replaced_by=packages_by_slug.get(package.replaced_by or ""),
                repo_retired=why_retired,
                same_repo_as=owner,
            )
        )
    by_slug = {v.slug: v for v in views}
    max_weight = max((v.weight for v in views), default=0)
    grids = tuple(
        GridView(
            grid,
            tuple(
                sorted(
                    (by_slug[s] for s in grid.members),
                    key=lambda v: (v.package.title.lower(), v.package.id),
                )
            ),
            grid_weight(grid, bool(grid.members), max_weight),
        )
        for grid in catalogue.grids
    )
    packages = tuple(views)
    return Site(
        catalogue.settings, as_of, catalogue.categories, packages, grids, readiness(packages)
    )
