"""Records as djangopackages.org accepted them: Django-rule slugs (underscores, a trailing
hyphen, a double underscore) and repositories on hosts that are gone. Each builds, and
every page and API URL of it answers, also under a path prefix."""

from __future__ import annotations

import httpx
import pytest

from tests.helpers.support import ENRICHED, build_site, content_files, package, served, write_tree

REAL_SLUGS = ["django-simple_perms", "django_cron", "django-maintenance-mode-", "tagging__kept"]
DEAD = {
    "goflow": "http://code.google.com/p/goflow",
    "django-lp": "https://launchpad.net/django-lp",
    "django-hg": "https://bitbucket.org/someone/django-hg",
}


def real_content() -> dict:
    packages = {slug: package(i + 1, title=slug) for i, slug in enumerate(REAL_SLUGS)}
    for i, (slug, url) in enumerate(DEAD.items(), start=10):
        packages[slug] = package(i, title=slug, repo_url=url)
    packages["django-hg"]["repo_host"] = "none"
    grids = {
        "cron_jobs": {
            "id": 1,
            "title": "Cron",
            "created": "2020-01-01",
            "packages": [*REAL_SLUGS, "goflow"],
            "features": [{"title": "Admin"}],
            "cells": {"django_cron": {"Admin": "yes"}},
        }
    }
    enriched = {10: ENRICHED, 12: ENRICHED}
    return content_files(packages, grids, enriched)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("real-slugs")
    content = write_tree(root / "content", real_content())
    out = root / "build"
    with served(out, "/djp/", lambda url: build_site(content, out, url)) as url:
        yield url


@pytest.mark.parametrize("slug", REAL_SLUGS)
def test_every_url_of_a_django_rule_slug_answers(site, slug):
    ident = REAL_SLUGS.index(slug) + 1
    page = httpx.get(f"{site}packages/p/{slug}/")
    assert page.status_code == 200 and f"<h1>{slug}" in page.text
    for lookup in (slug, ident):
        doc = httpx.get(f"{site}api/v4/packages/{lookup}/").json()
        assert doc["slug"] == slug and doc["id"] == ident
        assert doc["grids"] == [f"{site}api/v4/grids/1/"]
    assert httpx.get(f"{site}api/v3/packages/{slug}/").json()["slug"] == slug
    assert httpx.get(f"{site}api/badges/{slug}/stars.json").status_code == 200


def test_a_grid_with_a_django_rule_slug_answers(site):
    page = httpx.get(f"{site}grids/g/cron_jobs/")
    assert page.status_code == 200
    for slug in REAL_SLUGS:
        assert f'href="/djp/packages/p/{slug}/"' in page.text
    grid = httpx.get(f"{site}api/v4/grids/cron_jobs/").json()
    assert grid["cells"]["django_cron"] == {"Admin": "yes"}


@pytest.mark.parametrize("slug", sorted(DEAD))
def test_a_repository_on_a_dead_host_is_valid_and_shown_unreachable(site, slug):
    page = httpx.get(f"{site}packages/p/{slug}/").text
    assert "<strong>unreachable</strong>" in page
    doc = httpx.get(f"{site}api/v4/packages/{slug}/").json()
    assert doc["repo_gone"] is True and doc["repo_url"] == DEAD[slug]


def test_a_live_repository_is_not_shown_unreachable(site):
    assert "<strong>unreachable</strong>" not in httpx.get(f"{site}packages/p/django_cron/").text
