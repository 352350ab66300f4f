"""A deterministic content tree with enrichment, for browser tests and benchmarks.

The shipped content has no enrichment yet (every star count is 0), so sorting, scores,
readiness and search weight cannot be seen with it. `write_corpus` writes site settings,
categories, grids, packages and `enriched/<id>.json` documents (the enricher's format,
`generator.enriched.enrichment_document`) from a seeded random generator: the same
arguments always give the same files. A few fixed "anchor" packages come first so tests
can ask for them by name.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import yaml

from generator.enriched import enrichment_document
from generator.model import Enrichment, PypiFacts, RepoFacts

FETCHED = datetime(2026, 12, 1, tzinfo=UTC)
CREATED = "2026-11-27T00:00:00Z"
CATEGORIES = (
    ("apps", "App", "Apps"),
    ("frameworks", "Framework", "Frameworks"),
    ("other", "Other", "Other"),
    ("projects", "Project", "Projects"),
)
DJANGO = ("3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2")
PYTHON = ("3.8", "3.9", "3.10", "3.11", "3.12", "3.13")
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
STATUSES = ("3 - Alpha", "4 - Beta", "5 - Production/Stable", "6 - Mature")
IDLE_DAYS = {"django-cache-machine": 3000}
WORDS = (
    "admin",
    "audit",
    "auth",
    "avatar",
    "blog",
    "cache",
    "celery",
    "chart",
    "cms",
    "comments",
    "cors",
    "cron",
    "csv",
    "dashboard",
    "email",
    "export",
    "feeds",
    "fields",
    "files",
    "forms",
    "geo",
    "graphql",
    "health",
    "history",
    "i18n",
    "import",
    "json",
    "jwt",
    "locale",
    "logging",
    "markdown",
    "media",
    "money",
    "nested",
    "oauth",
    "orm",
    "pages",
    "payments",
    "pdf",
    "permissions",
    "polls",
    "queue",
    "ratelimit",
    "redis",
    "reports",
    "rest",
    "rules",
    "search",
    "seo",
    "sessions",
    "signals",
    "sitemap",
    "storage",
    "tables",
    "tags",
    "tasks",
    "tenants",
    "themes",
    "tree",
    "upload",
    "users",
    "versions",
    "webhooks",
    "widgets",
    "wiki",
    "workflow",
)
PHRASES = (
    "Reusable app for",
    "Simple",
    "Pluggable",
    "Fast",
    "Batteries-included",
    "Lightweight",
    "Extensible",
    "A tiny helper for",
)


@dataclass(frozen=True)
class Corpus:
    root: Path
    slugs: tuple[str, ...]
    grids: tuple[str, ...]


def _package_facts(
    rng: random.Random, stars: int, description: str, anchor: bool, idle_days: int | None
) -> Enrichment | None:
    """Enrichment for one package; about one in ten has none, one in seven no PyPI data."""
    if rng.random() < 0.1 and not anchor:
        return None
    if idle_days is None:
        idle_days = int(rng.expovariate(1 / 400))
    repo = RepoFacts(
        stars=stars,
        forks=stars // rng.randint(4, 12),
        description=description,
        last_commit=FETCHED - timedelta(days=idle_days, hours=rng.randint(0, 23)),
        archived=rng.random() < 0.06,
        license=rng.choice(("MIT", "BSD-3-Clause", "Apache-2.0", None)),
        commits_over_52=tuple(rng.choice((0, 0, 1, 2, 5, 9)) for _ in range(52)),
        participants=tuple(f"dev{rng.randint(1, 999)}" for _ in range(rng.randint(1, 8))),
    )
    pypi = None
    if rng.random() > 0.15:
        classifiers = [f"Development Status :: {rng.choice(STATUSES)}"]
        if rng.random() < 0.8:
            lo = rng.randrange(len(DJANGO))
            hi = rng.randrange(lo, len(DJANGO))
            classifiers += [f"Framework :: Django :: {v}" for v in DJANGO[lo : hi + 1]]
        requires_python = None
        if rng.random() < 0.7:
            lo = rng.randrange(len(PYTHON))
            hi = rng.randrange(lo, len(PYTHON))
            classifiers += ["Programming Language :: Python :: 3"]
            classifiers += [f"Programming Language :: Python :: {v}" for v in PYTHON[lo : hi + 1]]
        elif rng.random() < 0.5:
            requires_python = f">={rng.choice(PYTHON)}"
        elif rng.random() < 0.3:
            requires_python = "<3"
        pypi = PypiFacts(
            version=f"{rng.randint(0, 5)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}",
            released=FETCHED - timedelta(days=int(rng.expovariate(1 / 300))),
            license=repo.license,
            requires_python=requires_python,
            classifiers=tuple(sorted(classifiers)),
        )
    return Enrichment(last_fetched=FETCHED, modified=FETCHED, repo=repo, pypi=pypi)


def _dump(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True))


def write_corpus(root: Path, packages: int = 120, grids: int = 4, seed: int = 5) -> Corpus:
    """Write a content tree of `packages` packages and `grids` grids under `root`."""
    rng = random.Random(seed)
    _dump(
        root / "site.yaml",
        {
            "site_url": "http://127.0.0.1/",
            "title": "Django Packages",
            "description": "Test corpus.",
            "repository": "example/packages",
        },
    )
    for i, (slug, title, plural) in enumerate(CATEGORIES, 1):
        _dump(
            root / "categories" / f"{slug}.yaml",
            {
                "id": i,
                "title": title,
                "title_plural": plural,
                "description": f"{plural} for Django.",
                "created": CREATED,
            },
        )
    rows = [(*anchor, CATEGORIES[0][0]) for anchor in ANCHORS]
    seen = {r[0] for r in rows}
    while len(rows) < packages:
        a, b = rng.sample(WORDS, 2)
        slug = f"django-{a}-{b}"
        if slug in seen:
            slug = f"{slug}-{len(rows)}"
        seen.add(slug)
        description = f"{rng.choice(PHRASES)} {a} and {b} in Django projects."
        stars = int(rng.paretovariate(1.2) * 8) - 8
        rows.append((slug, slug, description, stars, rng.choice(CATEGORIES)[0]))
    rows = rows[:packages]
    for ident, (slug, title, description, stars, category) in enumerate(rows, 1):
        record = {
            "id": ident,
            "title": title,
            "category": category,
            "repo_url": f"https://github.com/example/{slug}",
            "created": CREATED,
        }
        if ident % 3:
            record["pypi_name"] = slug
        if ident % 41 == 0:
            record["deprecated_since"] = "2025-01-01T00:00:00Z"
        _dump(root / "packages" / f"{slug}.yaml", record)
        anchor = ident <= len(ANCHORS)
        facts = _package_facts(rng, stars, description, anchor, IDLE_DAYS.get(slug))
        if facts is not None:
            target = root / "enriched" / f"{ident}.json"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(json.dumps(enrichment_document(facts), indent=1) + "\n")
    slugs = tuple(r[0] for r in rows)
    grid_slugs = []
    for g in range(1, grids + 1):
        slug = "caching" if g == 1 else f"grid-{g}"
        members = [s for s in slugs if "cach" in s or "redis" in s] if g == 1 else []
        members += [s for s in rng.sample(slugs, min(len(slugs), 14)) if s not in members]
        features = [
            {"title": "Supports Redis", "description": "Backed by Redis."},
            {"title": "Admin", "description": "Has an admin page."},
        ]
        cells = {s: {"Supports Redis": rng.choice(("yes", "no", "partly"))} for s in members}
        _dump(
            root / "grids" / f"{slug}.yaml",
            {
                "id": g,
                "title": "Caching" if g == 1 else f"Grid {g}",
                "description": "Compare them.",
                "is_locked": g == 1,
                "header": g <= 2,
                "created": CREATED,
                "features": features,
                "packages": members,
                "cells": cells,
            },
        )
        grid_slugs.append(slug)
    return Corpus(root, slugs, tuple(grid_slugs))
