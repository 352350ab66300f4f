"""The URL scheme lives in `generator/urls.py` alone: every file a build writes is at a
path one of its routes names, and no other module or template spells the scheme out."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator import urls
from generator.write import MARKER
from tests.helpers.support import REPO, build_site, content_files, package, write_tree

PLACEHOLDERS = {
    "slug": r"[-a-zA-Z0-9_]+",
    "kind": r"packages|grids|categories|search|django|python",
    "version": r"v3|v4",
    "lookup": r"[-a-zA-Z0-9_]+",
    "release": r"[0-9]+(?:\.[0-9]+)*",
    "page": r"[1-9][0-9]*",
    "list": r"(?:[a-z0-9-]+/)+",
    "name": r"[\w.-]+(?:/[\w.-]+)*",
}
"""What each placeholder of `urls.ROUTES` may stand for in a built path."""
PACKAGES = 60
"""Enough for a second page of every list (50 a page in HTML, 20 in the API)."""
SCHEME = re.compile(r"packages/p/|grids/g/")


def pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)
    return re.compile(
        "".join(
            f"(?P<{part}>{PLACEHOLDERS[part]})" if i % 2 else re.escape(part)
            for i, part in enumerate(parts)
        )
    )


PATTERNS = {name: pattern(template) for name, template in urls.ROUTES.items()}


def routes_of(path: str) -> list[tuple[str, dict[str, str]]]:
    """Every route `path` follows, with what its placeholders matched."""
    return [
        (name, match.groupdict())
        for name, p in PATTERNS.items()
        if (match := p.fullmatch(path)) is not None
    ]


def classify(file: str) -> tuple[str, dict[str, str]]:
    """The route a built file is at (itself, else the folder its index serves); a list
    page's list must itself be a route."""
    found = routes_of(file) or routes_of(urls.served_path(file))
    assert found, f"{file}: written by the build, but no route of generator/urls.py names it"
    name, params = found[0]
    if name == "list page":
        assert routes_of(params["list"]), f"{file}: page of {params['list']}, not a route"
    return name, params


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("urls")
    packages = {f"package-{i}": package(i) for i in range(1, PACKAGES + 1)}
    packages["package-1"]["old_slugs"] = ["old-package-1"]
    packages["package-2"]["category"] = "frameworks"
    enriched = {
        1: {
            "last_fetched": "2026-06-01T00:00:00Z",
            "modified": "2026-05-20T08:00:00Z",
            "pypi": {
                "version": "1.0",
                "requires_python": ">=3.10",
                "classifiers": [
                    "Framework :: Django :: 5.0",
                    "Programming Language :: Python :: 3.12",
                ],
            },
        }
    }
    grids = {
        "caching": {
            "id": 1,
            "title": "Caching",
            "created": "2020-01-01",
            "features": [{"title": "Fast"}],
            "packages": ["package-1", "package-2"],
        }
    }
    content = write_tree(root / "content", content_files(packages, grids, enriched))
    out = root / "out"
    build_site(content, out, base_url="https://example.org/prefix/")
    return out, packages


def test_every_built_path_is_a_route_of_urls(built: tuple[Path, dict]) -> None:
    out, packages = built
    files = [p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()]
    found = [classify(f) for f in files if f != MARKER]
    seen = {name for name, _ in found}
    assert seen == set(urls.ROUTES), f"routes the build never wrote: {set(urls.ROUTES) - seen}"
    slugs = {
        name: {params["slug"] for n, params in found if n == name}
        for name in ("package", "grid", "category")
    }
    assert slugs["package"] == set(packages) | {"old-package-1"}
    assert slugs["grid"] == {"caching"}
    assert slugs["category"] == {"apps", "frameworks"}


def test_the_scheme_is_spelled_out_only_in_urls() -> None:
    sources = [
        p
        for folder in ("generator", "templates")
        for p in sorted((REPO / folder).rglob("*"))
        if p.suffix in {".py", ".html", ".js"} and p != REPO / "generator" / "urls.py"
    ]
    hits = [
        f"{p.relative_to(REPO)}:{n}: {line.strip()}"
        for p in sources
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1)
        if SCHEME.search(line)
    ]
    assert hits == [], "paths are urls.py's to write:\n" + "\n".join(hits)
