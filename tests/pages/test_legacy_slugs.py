"""Slugs djangopackages.org accepted (Django's rule: letters, digits, `-` and `_` in any
order and case) build, and every URL of such a record answers, under a path prefix too:
built and served through the real `djp build` and `djp serve`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import yaml

from generator.links import check_links
from tests.helpers.support import build_site, content_files, package, run_cli, served, write_tree

LEGACY = {
    "django-simple_perms": package(1, title="django-simple_perms"),
    "django_cron": package(2, title="django_cron", old_slugs=["Django_Cron-"]),
    "django-maintenance-mode-": package(3, title="django-maintenance-mode-"),
    "Django-Foo": package(4, title="Django-Foo", old_slugs=["django-tagging__maintained"]),
}
GRIDS = {
    "task_queues-": {
        "id": 1,
        "title": "Task queues",
        "created": "2020-01-01",
        "features": [{"title": "Cron"}],
        "packages": list(LEGACY),
        "cells": {"django_cron": {"Cron": "yes"}},
    }
}
ENRICHED = {
    2: {
        "last_fetched": "2026-06-01T00:00:00Z",
        "repo": {"stars": 1234, "forks": 5},
        "pypi": {"version": "0.11.1"},
    }
}


@pytest.fixture(scope="module", params=["/", "/legacy/"], ids=["root", "prefix"])
def site(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, Path, httpx.Client]]:
    root = tmp_path_factory.mktemp("legacy-slugs")
    content = write_tree(root / "content", content_files(LEGACY, GRIDS, ENRICHED))
    out = root / "out"
    with (
        served(out, request.param, lambda url: build_site(content, out, url)) as url,
        httpx.Client() as http,
    ):
        yield url, out, http


def get(http: httpx.Client, url: str) -> httpx.Response:
    response = http.get(url)
    assert response.status_code == 200, url
    return response


@pytest.mark.parametrize("slug", list(LEGACY))
def test_page_api_and_badges_of_a_legacy_slug_answer(site: tuple, slug: str) -> None:
    url, _, http = site
    ident = LEGACY[slug]["id"]
    page = get(http, f"{url}packages/p/{slug}/").text
    assert f"<title>{LEGACY[slug]['title']}" in page
    by_id = get(http, f"{url}api/v4/packages/{ident}/").json()
    by_slug = get(http, f"{url}api/v4/packages/{slug}/").json()
    assert by_id == by_slug and by_id["slug"] == slug and by_id["id"] == ident
    v3 = get(http, f"{url}api/v3/packages/{slug}/").json()
    assert v3["slug"] == slug and v3["resource_uri"].endswith(f"/api/v3/packages/{slug}/")
    get(http, str(httpx.URL(url).join(v3["absolute_url"])))
    for name in ("stars", "version", "score", "django"):
        assert get(http, f"{url}api/badges/{slug}/{name}.json").json()["schemaVersion"] == 1
    assert get(http, f"{url}api/badges/django_cron/stars.json").json()["message"] == "1.2k"


RENAMES = [("Django_Cron-", "django_cron"), ("django-tagging__maintained", "Django-Foo")]


@pytest.mark.parametrize(("old", "slug"), RENAMES)
def test_old_slugs_in_the_legacy_form_redirect(site: tuple, old: str, slug: str) -> None:
    url, _, http = site
    page = get(http, f"{url}packages/p/{old}/").text
    assert f'content="0; url={url}packages/p/{slug}/"' in page
    copy = get(http, f"{url}api/v4/packages/{old}/").json()
    assert copy == get(http, f"{url}api/v4/packages/{slug}/").json()


def test_a_grid_with_a_legacy_slug_lists_them_all(site: tuple) -> None:
    url, out, http = site
    page = get(http, f"{url}grids/g/task_queues-/").text
    for slug in LEGACY:
        assert f"packages/p/{slug}/" in page
    grid = get(http, f"{url}api/v4/grids/task_queues-/").json()
    assert grid == get(http, f"{url}api/v4/grids/1/").json()
    assert len(grid["packages"]) == len(LEGACY)
    v3 = get(http, f"{url}api/v3/grids/task_queues-/packages/").json()
    assert sorted(p["slug"] for p in v3["objects"]) == sorted(LEGACY)
    assert check_links(out, url)[1] == []


def test_validate_accepts_them_and_djp_new_still_proposes_lower_case_hyphens(
    tmp_path: Path,
) -> None:
    content = write_tree(tmp_path / "content", content_files(LEGACY, GRIDS))
    assert run_cli("validate", "--content", str(content)).exit_code == 0
    result = run_cli(
        "new",
        "Django_Simple_Perms",
        "--content",
        str(content),
        "--category",
        "apps",
        "--repo-url",
        "https://github.com/example/django-simple-perms-2",
    )
    assert result.exit_code == 0, result.output
    written = content / "packages" / "django-simple-perms.yaml"
    assert yaml.safe_load(written.read_text(encoding="utf-8"))["pypi_name"] == "Django_Simple_Perms"


@pytest.mark.parametrize(
    ("name", "words"),
    [
        ("django.cron", "letters, digits, hyphens and underscores"),
        ("django cron", "letters, digits, hyphens and underscores"),
        ("django-cróñ", "letters, digits, hyphens and underscores"),
    ],
)
def test_a_slug_outside_djangos_rule_is_a_located_error(
    tmp_path: Path, name: str, words: str
) -> None:
    content = write_tree(tmp_path / "content", content_files({name: package(1)}))
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert f"packages/{name}.yaml:1:1: file name '{name}' is not a valid slug" in result.output
    assert words in result.output


def test_slugs_that_differ_only_in_case_are_a_located_error(tmp_path: Path) -> None:
    records = {"Django-Foo": package(1), "django-foo": package(2)}
    content = write_tree(tmp_path / "content", content_files(records))
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert (
        "packages/django-foo.yaml:1:1: slug 'django-foo' differs only in case from "
        "packages/Django-Foo.yaml" in result.output
    )
