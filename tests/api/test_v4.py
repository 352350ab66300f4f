"""The static API v4 read the way a client reads it: files under api/v4/, checked
against the contract in docs (keys in order, types, links, pagination, lookups)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.support import ENRICHED, build_site, content_files, package, write_tree

SITE_URL = "https://example.org/prefix/"
API = SITE_URL + "api/v4/"
DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$")

PACKAGE_KEYS = [
    ("category", str),
    ("grids", list),
    ("id", int),
    ("title", str),
    ("slug", str),
    ("last_updated", (str, type(None))),
    ("last_fetched", (str, type(None))),
    ("repo_url", str),
    ("pypi_version", (str, type(None))),
    ("created", str),
    ("modified", str),
    ("repo_forks", int),
    ("repo_description", str),
    ("pypi_url", str),
    ("documentation_url", (str, type(None))),
    ("repo_watchers", int),
    ("commits_over_52", list),
    ("participants", list),
]
GRID_KEYS = [
    ("id", int),
    ("title", str),
    ("slug", str),
    ("description", str),
    ("is_locked", bool),
    ("packages", list),
    ("header", bool),
    ("created", str),
    ("modified", str),
]
CATEGORY_KEYS = [
    ("id", int),
    ("title", str),
    ("slug", str),
    ("description", str),
    ("title_plural", str),
    ("show_pypi", bool),
    ("created", str),
    ("modified", str),
]
SEARCH_KEYS = {
    "title",
    "slug",
    "description",
    "category",
    "absolute_url",
    "item_type",
    "weight",
    "repo_watchers",
    "repo_forks",
    "score",
    "participants",
    "last_committed",
    "last_released",
    "created",
    "modified",
}


def api_content() -> dict[str, Any]:
    packages = {f"package-{i}": package(i) for i in range(1, 46)}
    packages["package-1"] = package(1, title="Zeta cache", pypi_name="zeta-cache")
    packages["package-2"] = package(
        2, title="Alpha", description="Plain *words*.", category="frameworks"
    )
    grids = {
        "caching": {
            "id": 7,
            "title": "Caching",
            "description": "Caches.",
            "header": True,
            "created": "2022-02-02T02:02:02Z",
            "packages": ["package-1", "package-2"],
            "features": [{"title": "Async", "description": "Works with async"}],
            "cells": {"package-1": {"Async": "yes"}},
        },
        "empty": {"id": 3, "title": "Empty", "created": "2022-01-01", "packages": []},
    }
    return content_files(packages, grids, {1: ENRICHED})


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("api")
    write_tree(root / "content", api_content())
    build_site(root / "content", root / "build", SITE_URL)
    return root / "build" / "api" / "v4"


def read(api: Path, rel: str) -> Any:
    return json.loads((api / rel / "index.json").read_text(encoding="utf-8"))


def assert_keys(doc: dict[str, Any], expected: list[tuple[str, Any]]) -> None:
    """The v4 keys come first, in order, with the right types."""
    assert list(doc)[: len(expected)] == [k for k, _ in expected]
    for key, kind in expected:
        assert isinstance(doc[key], kind), (key, doc[key])
        if kind is bool or kind is int:
            assert type(doc[key]) is kind, key  # bool is not an int here, and vice versa


def all_links(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [link for v in value.values() for link in all_links(v)]
    if isinstance(value, list):
        return [link for v in value for link in all_links(v)]
    return [value] if isinstance(value, str) and value.startswith(SITE_URL) else []


def test_root_links_every_collection(api: Path) -> None:
    assert read(api, ".") == {
        "packages": API + "packages/",
        "search": API + "search/",
        "grids": API + "grids/",
        "categories": API + "categories/",
    }


def test_package_document_keys_types_and_values(api: Path) -> None:
    doc = read(api, "packages/1")
    assert_keys(doc, PACKAGE_KEYS)
    assert doc["category"] == API + "categories/1/"
    assert doc["grids"] == [API + "grids/7/"]
    assert doc["slug"] == "package-1" and doc["title"] == "Zeta cache"
    assert doc["repo_watchers"] == 1000 and doc["repo_forks"] == 50
    assert doc["last_updated"] == "2025-10-15T12:00:00Z"
    assert doc["last_fetched"] == "2026-06-01T00:00:00Z"
    assert doc["modified"] == "2026-05-20T08:00:00.123456Z"
    assert doc["pypi_version"] == "1.2.0"
    assert doc["pypi_url"] == "https://pypi.org/project/zeta-cache/"
    assert doc["documentation_url"] == "https://docs.example.org/"
    assert doc["commits_over_52"] == list(range(52))
    assert doc["participants"] == ["ann", "bob", "cy"]
    # 7 whole months idle: 2 × 10% off; no Python 3 (requires_python <3): 30% off.
    assert doc["score"] == 1000 - 200 - 300
    # 20 (not deprecated) + 20 (description) + 20 (forks) + 5 (commit within a year)
    # + 20 (release within a year) + 20 (stars) = 105 of 160 points, truncated.
    assert doc["weight"] == 105 * 100 // 160
    assert doc["django_versions"] == ["4.2", "5.0"]
    assert doc["supports_python3"] is False


def test_unenriched_package_has_empty_defaults(api: Path) -> None:
    doc = read(api, "packages/3")
    assert_keys(doc, PACKAGE_KEYS)
    assert (doc["last_updated"], doc["last_fetched"], doc["pypi_version"]) == (None,) * 3
    assert (doc["repo_forks"], doc["repo_watchers"], doc["repo_description"]) == (0, 0, "")
    assert (doc["commits_over_52"], doc["participants"], doc["pypi_url"]) == ([], [], "")
    assert doc["grids"] == [] and doc["score"] == 0


def test_slug_lookup_is_the_same_document(api: Path) -> None:
    for ident in (1, 2, 45):
        assert (api / f"packages/{ident}/index.json").read_bytes() == (
            api / f"packages/package-{ident}/index.json"
        ).read_bytes()
    assert read(api, "grids/caching") == read(api, "grids/7")


def test_pagination_by_path_newest_first(api: Path) -> None:
    first = read(api, "packages")
    assert first == read(api, "packages/page/1")
    assert first["count"] == 45 and first["previous"] is None
    assert first["next"] == API + "packages/page/2/"
    assert [p["id"] for p in first["results"]] == list(range(45, 25, -1))
    second = read(api, "packages/page/2")
    assert second["previous"] == API + "packages/" and second["next"] == API + "packages/page/3/"
    last = read(api, "packages/page/3")
    assert last["next"] is None and last["previous"] == API + "packages/page/2/"
    assert [p["id"] for p in last["results"]] == [5, 4, 3, 2, 1]
    assert not (api / "packages/page/4").exists()
    # Every page's results are the full package documents.
    assert last["results"][-1] == read(api, "packages/1")


def test_grid_document(api: Path) -> None:
    doc = read(api, "grids/7")
    assert_keys(doc, GRID_KEYS)
    # Packages ordered by title: "Alpha" (2) before "Zeta cache" (1).
    assert doc["packages"] == [API + "packages/2/", API + "packages/1/"]
    assert doc["header"] is True and doc["created"] == "2022-02-02T02:02:02Z"
    assert doc["features"] == [{"title": "Async", "description": "Works with async"}]
    assert doc["cells"] == {"package-2": {"Async": ""}, "package-1": {"Async": "yes"}}
    grids = read(api, "grids")
    assert [g["id"] for g in grids["results"]] == [7, 3] and grids["count"] == 2


def test_categories_by_id_only(api: Path) -> None:
    doc = read(api, "categories/1")
    assert_keys(doc, CATEGORY_KEYS)
    assert (doc["title"], doc["slug"], doc["title_plural"]) == ("App", "apps", "Apps")
    assert not (api / "categories/apps").exists()
    assert [c["id"] for c in read(api, "categories")["results"]] == [2, 1]


def test_bulk_files_ordered_by_id(api: Path) -> None:
    for name, count in (("packages", 45), ("grids", 2), ("categories", 2)):
        bulk = json.loads((api / f"{name}.json").read_text())
        assert len(bulk) == count
        assert [d["id"] for d in bulk] == sorted(d["id"] for d in bulk)
        assert bulk[0] == read(api, f"{name}/{bulk[0]['id']}")


def test_search_documents(api: Path) -> None:
    docs = json.loads((api / "search/index.json").read_text())
    assert len(docs) == 45 + 2
    assert all(set(d) == SEARCH_KEYS for d in docs)
    weights = [d["weight"] for d in docs]
    assert weights == sorted(weights, reverse=True)
    top = docs[0]
    assert (top["slug"], top["item_type"], top["participants"]) == (
        "package-1",
        "package",
        "ann,bob,cy",
    )
    assert top["absolute_url"] == "/prefix/packages/p/package-1/"
    assert top["last_released"] == "2026-01-01T00:00:00Z"
    grid = next(d for d in docs if d["item_type"] == "grid" and d["slug"] == "caching")
    assert grid["category"] == "" and grid["absolute_url"] == "/prefix/grids/g/caching/"


def test_every_document_links_absolutely_without_query(api: Path) -> None:
    documents = [json.loads(p.read_text()) for p in sorted(api.rglob("*.json"))]
    links = [link for doc in documents for link in all_links(doc)]
    assert len(links) > 100
    for link in links:
        assert "?" not in link and link.startswith(API)
        target = api / link.removeprefix(API) / "index.json"
        assert target.is_file(), link


def test_datetimes_are_utc_with_z(api: Path) -> None:
    stamps = []
    for path in sorted(api.rglob("index.json")):
        doc = json.loads(path.read_text())
        for item in doc.get("results", [doc]) if isinstance(doc, dict) else doc:
            stamps += [
                v
                for k, v in item.items()
                if k
                in {
                    "created",
                    "modified",
                    "last_updated",
                    "last_fetched",
                    "last_committed",
                    "last_released",
                }
                and v is not None
            ]
    assert len(stamps) > 200
    assert all(DATETIME.match(s) for s in stamps), [s for s in stamps if not DATETIME.match(s)]
