"""API v3 as files: the documents, keys and links that v3 clients of djangopackages.org
read (see the v3 spec), checked in a real build of the shipped content."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.helpers.api import build_in_process, documents, enriched_content

SITE_URL = "https://example.org/djp/"
# Key order of each object, as the dynamic v3 API builds its dicts.
PACKAGE_KEYS = [
    "absolute_url", "created", "modified", "slug", "title", "category", "commit_list",
    "commits_over_52", "created_by", "documentation_url", "grids", "last_fetched",
    "last_modified_by", "participants", "pypi_url", "pypi_version", "repo_description",
    "repo_forks", "repo_url", "repo_watchers", "resource_uri", "usage_count",
]  # fmt: skip
GRID_KEYS = [
    "absolute_url", "created", "modified", "slug", "title", "description", "is_locked",
    "resource_uri", "header", "packages",
]  # fmt: skip
CATEGORY_KEYS = [
    "absolute_url", "created", "modified", "slug", "title", "description", "resource_uri",
    "show_pypi", "title_plural",
]  # fmt: skip
META_KEYS = ["limit", "next", "offset", "previous", "total_count"]


@pytest.fixture(scope="module")
def docs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("v3")
    return documents(build_in_process(enriched_content(folder), folder / "build", SITE_URL))


def at(docs: dict[str, Any], link: str) -> Any:
    """The document a site-relative v3 link names (the link must carry the prefix)."""
    assert link.startswith("/djp/api/v3/") and link.endswith("/"), link
    return docs[link.removeprefix("/djp/") + "index.json"]


def v3(docs: dict[str, Any], kind: str) -> dict[str, Any]:
    """Item documents of one kind by slug (lists, pages and sub-documents left out)."""
    return {
        path.split("/")[3]: doc
        for path, doc in docs.items()
        if path.startswith(f"api/v3/{kind}/")
        and path.count("/") == 4
        and path.split("/")[3] != "page"
    }


def test_index_links_every_list_under_the_prefix(docs: dict[str, Any]) -> None:
    assert docs["api/v3/index.json"] == {
        "categories": "/djp/api/v3/categories/",
        "grids": "/djp/api/v3/grids/",
        "packages": "/djp/api/v3/packages/",
        "users": "/djp/api/v3/users/",
    }


def test_every_package_grid_and_category_by_slug_with_v3_keys(docs: dict[str, Any]) -> None:
    packages, grids, categories = v3(docs, "packages"), v3(docs, "grids"), v3(docs, "categories")
    v4_packages = docs["api/v4/packages.json"]
    assert sorted(packages) == sorted(p["slug"] for p in v4_packages)
    assert sorted(grids) == sorted(g["slug"] for g in docs["api/v4/grids.json"])
    assert sorted(categories) == ["apps", "frameworks", "other", "projects"]
    for slug, doc in packages.items():
        assert list(doc) == PACKAGE_KEYS
        assert doc["resource_uri"] == f"/djp/api/v3/packages/{slug}/"
        assert doc["absolute_url"] == f"/djp/packages/p/{slug}/"
        assert at(docs, doc["category"])["resource_uri"] == doc["category"]
        for grid in doc["grids"]:
            assert slug in [at(docs, p)["slug"] for p in at(docs, grid)["packages"]]
    for doc in grids.values():
        assert list(doc) == GRID_KEYS
    for doc in categories.values():
        assert list(doc) == CATEGORY_KEYS


def test_package_facts_as_v3_writes_them(docs: dict[str, Any]) -> None:
    """Lists of numbers and names are comma strings; unknowns are "" or null."""
    hijack = v3(docs, "packages")["django-hijack"]
    assert hijack["commit_list"] == hijack["commits_over_52"] == ",".join(["0"] * 50 + ["3", "7"])
    assert hijack["participants"] == "codingjoe,philippeowagner"
    assert hijack["repo_watchers"] == 1530 and hijack["repo_forks"] == 120
    assert hijack["pypi_version"] == "3.7.1"
    assert hijack["last_fetched"] == "2026-11-26T08:09:09.204126Z"
    assert hijack["grids"] == ["/djp/api/v3/grids/admin/"]
    assert (hijack["created_by"], hijack["last_modified_by"], hijack["usage_count"]) == (
        None,
        None,
        0,
    )
    bare = next(d for d in v3(docs, "packages").values() if d["repo_watchers"] == 0)
    assert (bare["commit_list"], bare["participants"], bare["pypi_version"]) == ("", "", None)


def walk_pages(docs: dict[str, Any], link: str) -> list[dict[str, Any]]:
    """Follow `meta.next` from a list's first page, checking each page's envelope."""
    objects: list[dict[str, Any]] = []
    totals = set()
    previous = None
    while link:
        page = at(docs, link)
        meta = page["meta"]
        assert list(meta) == META_KEYS
        assert meta["offset"] == len(objects) and meta["limit"] == 20
        assert meta["previous"] == previous
        assert 0 < len(page["objects"]) <= 20
        objects += page["objects"]
        previous, link = link, meta["next"]
        totals.add(meta["total_count"])
    assert totals == {len(objects)}  # on every page, not just the last
    return objects


@pytest.mark.parametrize("kind", ["packages", "grids", "categories"])
def test_lists_page_by_path_newest_first(docs: dict[str, Any], kind: str) -> None:
    first = docs[f"api/v3/{kind}/index.json"]
    assert docs[f"api/v3/{kind}/page/1/index.json"] == first
    assert list(first) == (
        ["meta", "category", "objects"] if kind == "packages" else ["meta", "objects"]
    )
    objects = walk_pages(docs, f"/djp/api/v3/{kind}/")
    assert [o["slug"] for o in objects] == [
        d["slug"] for d in reversed(docs[f"api/v4/{kind}.json"])
    ]
    assert objects == [v3(docs, kind)[o["slug"]] for o in objects]


def test_package_list_spans_pages_and_never_uses_a_query_string(docs: dict[str, Any]) -> None:
    pages = [p for p in docs if p.startswith("api/v3/packages/page/")]
    assert len(pages) == -(-len(docs["api/v4/packages.json"]) // 20) > 1
    page2 = docs["api/v3/packages/page/2/index.json"]["meta"]
    assert page2["previous"] == "/djp/api/v3/packages/"
    assert page2["next"] == "/djp/api/v3/packages/page/3/"
    links = [
        d["meta"][k]
        for p, d in docs.items()
        if p.startswith("api/v3/") and "/page/" in p
        for k in ("next", "previous")
    ]
    assert all(link is None or "?" not in link for link in links)


def test_grid_packages_holds_the_grid_and_its_packages_in_full(docs: dict[str, Any]) -> None:
    for slug, grid in v3(docs, "grids").items():
        doc = docs[f"api/v3/grids/{slug}/packages/index.json"]
        assert list(doc) == ["meta", "grid", "objects"]
        assert doc["grid"] == grid
        assert [o["resource_uri"] for o in doc["objects"]] == grid["packages"]
        assert doc["objects"] == [at(docs, link) for link in grid["packages"]]
        assert doc["meta"]["total_count"] == len(doc["objects"])
        assert doc["meta"]["next"] is None


def test_v3_links_follow_the_site_url_prefix(tmp_path: Path) -> None:
    """At the root of a host the prefix is just `/`."""
    out = build_in_process(enriched_content(tmp_path), tmp_path / "build", "https://example.org/")
    doc = documents(out)["api/v3/packages/django-hijack/index.json"]
    assert doc["resource_uri"] == "/api/v3/packages/django-hijack/"
    assert doc["category"] == "/api/v3/categories/apps/"
    assert doc["absolute_url"] == "/packages/p/django-hijack/"
