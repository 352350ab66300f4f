"""The data every stage passes along: records people write, facts machines fetch.

Plain frozen dataclasses so that the middle of the pipeline is pure functions from
data to data. Datetimes are always timezone-aware UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from . import urls
from .settings import Settings


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one file, at a line and column (1-based)."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class InvalidContent(Exception):
    """Raised with every problem found, so that a build stops before writing."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__(f"{len(self.problems)} problem(s) in content")


@dataclass(frozen=True)
class Category:
    id: int
    slug: str
    title: str
    title_plural: str
    description: str
    show_pypi: bool
    created: datetime
    modified: datetime

    @property
    def path(self) -> str:
        return urls.category(self.slug)


@dataclass(frozen=True)
class Feature:
    title: str
    description: str


@dataclass(frozen=True)
class Grid:
    id: int
    slug: str
    title: str
    description: str
    is_locked: bool
    header: bool
    created: datetime
    modified: datetime
    features: tuple[Feature, ...]
    members: tuple[str, ...]
    """Package slugs, in the order the file lists them."""
    cells: dict[str, dict[str, str]] = field(default_factory=dict)
    """package slug → feature title → cell text (only cells the file fills)."""

    @property
    def path(self) -> str:
        return urls.grid(self.slug)


@dataclass(frozen=True)
class Package:
    id: int
    slug: str
    title: str
    category: str
    repo_url: str
    created: datetime
    pypi_name: str | None = None
    documentation_url: str | None = None
    description: str | None = None
    """Markdown written by people; overrides the repository description on pages."""
    deprecated_since: datetime | None = None
    replaced_by: str | None = None
    repo_host: str | None = None
    """`github`, `gitlab`, `forgejo` or `bitbucket`; overrides the guess from `repo_url`;
    `none`: no forge serves the repository any more."""
    old_slugs: tuple[str, ...] = ()
    """Slugs before a rename; the build keeps redirects at their URLs."""
    aliases: tuple[str, ...] = ()
    """Other names people search for (`DRF`); search matches them like the title."""

    @property
    def path(self) -> str:
        return urls.package(self.slug)


@dataclass(frozen=True)
class RepoFacts:
    """What a forge (GitHub, GitLab, …) says about a package's repository."""

    stars: int = 0
    forks: int = 0
    description: str = ""
    last_commit: datetime | None = None
    archived: bool = False
    license: str | None = None
    commits_over_52: tuple[int, ...] = ()
    participants: tuple[str, ...] = ()
    moved_to: str | None = None
    """The repository's new URL when the host says it was renamed or transferred."""
    gone: bool = False
    """The host answered 404 or 451 several nights in a row; the data shown is the last good."""


@dataclass(frozen=True)
class PypiFacts:
    """What PyPI says about a package's latest release."""

    version: str | None = None
    released: datetime | None = None
    license: str | None = None
    requires_python: str | None = None
    classifiers: tuple[str, ...] = ()
    yanked: bool = False
    documentation_url: str | None = None


@dataclass(frozen=True)
class Enrichment:
    """Machine-written facts for one package, from `content/enriched/<id>.json`."""

    last_fetched: datetime | None = None
    modified: datetime | None = None
    """When a published value last changed (written by the enricher)."""
    repo: RepoFacts | None = None
    pypi: PypiFacts | None = None


@dataclass(frozen=True)
class Catalogue:
    """Everything loaded and validated: the input of the derive stage."""

    settings: Settings
    categories: tuple[Category, ...]
    grids: tuple[Grid, ...]
    packages: tuple[Package, ...]
    enrichment: dict[int, Enrichment]
    """package id → facts; a package without an entry has not been enriched yet."""
