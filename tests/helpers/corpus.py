"""The one corpus generator: a deterministic, seeded content tree of any size.

`write_corpus(root, n)` writes what `djp build --content` reads: `site.yaml`, the four
categories, `n` packages with realistic field sizes (descriptions of 50–500 characters,
up to 200 participants, 52-week commit series, PyPI classifiers), enrichment for every
package and about one grid per 14 packages (5–60 members, 3–15 features, filled cells),
so that 5,300 packages give the 370 grids of djangopackages.org. The same arguments
always give the same bytes.

`anchors=ANCHORS` puts fixed, well-known packages first and makes the first grid
`caching`, so the browser tests and the search benchmark can ask for them by name; the
random packages then avoid the anchors' words, so a search for one finds it first.

The build benchmark, the search benchmark, the browser tests and the rebuild tests all
write their content with it; tests never import benchmarks/ (they run its commands).
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
PACKAGES_PER_GRID = 5300 / 370
EPOCH = datetime(2010, 1, 1, tzinfo=UTC)
FETCHED = datetime(2026, 11, 27, 3, 0, tzinfo=UTC)
WORDS = (  # noqa: SIM905 (one string is easier to read and extend)
    "admin api auth cache celery channels cms comments cors crispy csv debug dynamic email "
    "export fields files filter forms graphql guardian health history htmx i18n import "
    "json jwt ldap log mail markdown migrations model money oauth orm pagination payments "
    "permissions polymorphic q rest redis search secure seo sitemap sql storage tables "
    "tagging tasks templates tenant test thumbnails tree upload users views webhooks"
).split()
CATEGORIES = (
    ("apps", 1, "App", "Apps", "Small components used to build projects."),
    ("frameworks", 2, "Framework", "Frameworks", "Large efforts that combine many apps."),
    ("projects", 3, "Project", "Projects", "Individual projects such as sites and tools."),
    ("other", 4, "Other", "Other", "Python packages useful beside Django."),
)
LICENSES = ("MIT", "BSD-3-Clause", "Apache-2.0", "GPL-3.0", "LGPL-2.1", None)
STATUSES = ("3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature", "7 - Inactive")
# (slug, title, description, stars): fixed packages tests search and sort by name.
# They always have enrichment; django-cache-machine is idle for years, so scores below 0.
ANCHORS = (
    ("djangorestframework", "Django REST framework", "Web APIs for Django, made easy.", 29000),
    ("django-filter", "django-filter", "Dynamic queryset filtering from URL parameters.", 4500),
    (
        "django-debug-toolbar",
        "django-debug-toolbar",
        "A configurable set of panels that display debug information about the current request.",
        8200,
    ),
    (
        "django-cachalot",
        "django-cachalot",
        "No effort, no worry, maximum performance: caches your ORM queries automatically.",
        1300,
    ),
    ("django-redis", "django-redis", "Full featured Redis cache backend for Django.", 2900),
    (
        "wagtail",
        "Wagtail",
        "A Django content management system focused on flexibility and user experience.",
        18000,
    ),
    (
        "django-cacheops",
        "django-cacheops",
        "A slick ORM cache with automatic granular event-driven invalidation.",
        2100,
    ),
    (
        "django-cache-machine",
        "django-cache-machine",
        "Automatic caching and invalidation for Django models through the ORM.",
        800,
    ),
    (
        "django-allauth",
        "django-allauth",
        "Integrated authentication, registration and "
        "account management, including social accounts.",
        9500,
    ),
)
IDLE_DAYS = {"django-cache-machine": 3000}
"""Anchors idle for years, so that some scores fall below 0."""
DJANGO = ("3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2")
PYTHON = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
CELL_WORDS = ("yes", "no", "partial", "via plugin", "✓", "✗", "since 2.0", "")


def _iso(value: datetime) -> str:
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _sentence(rng: random.Random, low: int, high: int) -> str:
    """Lorem-style text of `low`–`high` characters made of the corpus words."""
    target = rng.randint(low, high)
    words: list[str] = []
    while sum(len(w) + 1 for w in words) < target:
        words.append(rng.choice(WORDS))
    text = " ".join(words)[:target].rstrip()
    return text[0].upper() + text[1:] + "."


def dump_yaml(document: dict[str, Any], schema: str) -> str:
    """A record as people write it: a schema comment, then keys in a fixed order."""
    head = f"# yaml-language-server: $schema=../../generator/schemas/{schema}.schema.json\n"
    body = yaml.dump(document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    return head + body


@dataclass(frozen=True)
class Corpus:
    root: Path
    slugs: tuple[str, ...]
    """Package slugs by id (the first is id 1)."""
    grids: tuple[str, ...]


Anchor = tuple[str, str, str, int]
"""(slug, title, description, stars)"""


def package_record(rng: random.Random, ident: int, slug: str) -> dict[str, Any]:
    """One `content/packages/<slug>.yaml` document."""
    doc: dict[str, Any] = {
        "id": ident,
        # Most djangopackages titles are the package name; one in five is spelled out.
        "title": slug.replace("-", " ").title() if ident % 5 == 0 else slug,
        "category": rng.choices(CATEGORIES, weights=(80, 5, 10, 5))[0][0],
        "repo_url": f"https://github.com/{rng.choice(WORDS)}-org/{slug}",
    }
    if rng.random() < 0.8:
        doc["pypi_name"] = slug
    if rng.random() < 0.3:
        doc["documentation_url"] = f"https://{slug}.readthedocs.io/"
    if rng.random() < 0.5:
        doc["description"] = _sentence(rng, 50, 500)
    doc["created"] = _iso(EPOCH + timedelta(days=rng.randint(0, 6000)))
    if ident % 41 == 0:  # a few deprecated ones, without moving the random stream
        doc["deprecated_since"] = "2025-01-01T00:00:00Z"
    return doc


def anchor_record(rng: random.Random, ident: int, anchor: Anchor) -> dict[str, Any]:
    """A random record with an anchor's slug and title, an app with a PyPI name."""
    slug, title, _, _ = anchor
    doc = package_record(rng, ident, slug)
    doc.pop("description", None)
    return doc | {"title": title, "category": "apps", "pypi_name": slug}


def enrichment(
    rng: random.Random, record: dict[str, Any], anchor: Anchor | None = None
) -> dict[str, Any]:
    """The enricher's JSON document for one package (format: `generator/enriched.py`);
    an anchor's own stars and description, and idle days from `IDLE_DAYS`."""
    stars = int(rng.paretovariate(1.2) * 10)
    idle = rng.randint(0, 3000)
    last_commit = FETCHED - timedelta(days=idle, seconds=rng.randint(0, 86399))
    series = [rng.choice((0, 0, 1, 2, 3, 5, 8, 13, 40)) for _ in range(52)]
    participants = [
        f"{rng.choice(WORDS)}{rng.randint(1, 9999)}" for _ in range(rng.randint(0, 200))
    ]
    divisor = rng.randint(3, 12)
    description = _sentence(rng, 50, 300)
    if anchor is not None:
        slug, _, description, stars = anchor
        idle = IDLE_DAYS.get(slug, idle % 60)
        last_commit = FETCHED - timedelta(days=idle, hours=rng.randint(0, 23))
    repo = {
        "stars": stars,
        "forks": stars // divisor,
        "description": description,
        "last_commit": _iso(last_commit),
        "archived": anchor is None and rng.random() < 0.05,
        "license": rng.choice(LICENSES),
        "commits_over_52": series,
        "participants": participants,
    }
    pypi = None
    if "pypi_name" in record:
        django = rng.sample(DJANGO, rng.randint(0, 4))
        python = rng.sample(PYTHON, rng.randint(1, 5))
        pypi = {
            "version": f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
            "released": _iso(last_commit - timedelta(days=rng.randint(0, 400))),
            "license": rng.choice(LICENSES),
            "requires_python": rng.choice((None, ">=3.8", ">=3.10", ">=2.7")),
            "classifiers": sorted(
                ["Framework :: Django", f"Development Status :: {rng.choice(STATUSES)}"]
                + [f"Framework :: Django :: {v}" for v in django]
                + [f"Programming Language :: Python :: {v}" for v in python]
            ),
            "yanked": False,
            "documentation_url": None,
        }
    return {
        "last_fetched": _iso(FETCHED),
        "modified": _iso(last_commit),
        "repo": repo,
        "pypi": pypi,
    }


def grid_record(
    rng: random.Random, ident: int, slugs: list[str], first: tuple[str, ...] = ()
) -> dict[str, Any]:
    """One `content/grids/<slug>.yaml` document over `first` and a sample of `slugs`."""
    sample = rng.sample(slugs, min(len(slugs), rng.randint(5, 60)))
    members = [*first, *(s for s in sample if s not in first)]
    features = [
        {
            "title": f"{rng.choice(WORDS).title()} support {i}",
            "description": _sentence(rng, 20, 120),
        }
        for i in range(rng.randint(3, 15))
    ]
    cells = {
        slug: {f["title"]: rng.choice(CELL_WORDS) for f in features if rng.random() < 0.7}
        for slug in members
        if rng.random() < 0.8
    }
    return {
        "id": ident,
        "title": f"Grid {ident}: {rng.choice(WORDS).title()} {rng.choice(WORDS).title()}",
        "description": _sentence(rng, 50, 300),
        "is_locked": rng.random() < 0.2,
        "header": ident <= 8,
        "created": _iso(EPOCH + timedelta(days=rng.randint(0, 6000))),
        "features": features,
        "packages": members,
        "cells": {k: v for k, v in cells.items() if v},
    }


def write_corpus(root: Path, n: int, seed: int = 2026, anchors: tuple[Anchor, ...] = ()) -> Corpus:
    """Write a complete content tree with `n` packages under `root` (which may not exist):
    the `anchors` first, then random ones."""
    rng = random.Random(seed)
    reserved = {w for a in anchors for w in a[0].split("-")}
    words = [w for w in WORDS if w not in reserved]
    for folder in ("categories", "grids", "packages", "enriched"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    site = {
        "site_url": "https://example.org/djp/",
        "title": "Django Packages",
        "description": "A generated corpus for benchmarks.",
        "repository": "example/djp",
        "branch": "main",
    }
    (root / "site.yaml").write_text(yaml.safe_dump(site, sort_keys=False), encoding="utf-8")
    for slug, ident, title, plural, description in CATEGORIES:
        doc = {
            "id": ident,
            "title": title,
            "title_plural": plural,
            "description": description,
            "show_pypi": slug != "projects",
            "created": _iso(EPOCH),
        }
        (root / "categories" / f"{slug}.yaml").write_text(dump_yaml(doc, "category"), "utf-8")
    slugs = []
    for ident in range(1, n + 1):
        anchor = anchors[ident - 1] if ident <= len(anchors) else None
        if anchor is None:
            slug = f"django-{rng.choice(words)}-{rng.choice(words)}-{ident}"
            record = package_record(rng, ident, slug)
        else:
            slug = anchor[0]
            record = anchor_record(rng, ident, anchor)
        slugs.append(slug)
        (root / "packages" / f"{slug}.yaml").write_text(dump_yaml(record, "package"), "utf-8")
        facts = json.dumps(enrichment(rng, record, anchor), indent=2, ensure_ascii=False) + "\n"
        (root / "enriched" / f"{ident}.json").write_text(facts, "utf-8")
    grids = []
    for ident in range(1, max(1, round(n / PACKAGES_PER_GRID)) + 1):
        caching = bool(anchors) and ident == 1
        first = tuple(s for s in slugs[: len(anchors)] if "cach" in s or "redis" in s)
        doc = grid_record(rng, ident, slugs, first if caching else ())
        slug = "caching" if caching else f"grid-{ident}"
        if caching:
            doc |= {"title": "Caching", "is_locked": True, "header": True}
        grids.append(slug)
        (root / "grids" / f"{slug}.yaml").write_text(dump_yaml(doc, "grid"), "utf-8")
    return Corpus(root, tuple(slugs), tuple(grids))
