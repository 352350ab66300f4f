"""The HTML site as a reader and a crawler see it: pages at djangopackages.org's URLs,
every internal link resolving under a path prefix, escaped untrusted text, feeds,
byte-identical rebuilds and untouched unchanged files."""

from __future__ import annotations

import json
import os
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.helpers.support import (
    CONTENT,
    ENRICHED,
    build_site,
    content_files,
    copy_content,
    package,
    write_tree,
)

SITE_URL = "https://example.org/prefix/"


class Links(HTMLParser):
    """Every URL a page asks a browser to load or follow."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        rel = dict(attrs).get("rel") or ""
        for name, value in attrs:
            if name in {"href", "src", "action"} and value and rel != "canonical":
                self.links.append((tag, value))


def links_of(html: str) -> list[tuple[str, str]]:
    parser = Links()
    parser.feed(html)
    return parser.links


def site_content() -> dict:
    evil = '<script>alert("x")</script>'
    packages = {
        "django-cache": package(
            1,
            title="Django Cache",
            pypi_name="django-cache",
            description="Fast **caching**. [docs](https://docs.example.org/)"
            f" {evil} [bad](javascript:alert(1))",
        ),
        "old-thing": package(
            2, title="Old thing", deprecated_since="2024-01-01", replaced_by="django-cache"
        ),
        "evil": package(3, title=f"Evil {evil}"),
    }
    evil_enriched = {
        **ENRICHED,
        "repo": {
            **ENRICHED["repo"],
            "description": evil,
            "participants": ['"><img src=x onerror=alert(1)>'],
        },
        "pypi": {**ENRICHED["pypi"], "documentation_url": "javascript:alert(1)"},
    }
    grids = {
        "caching": {
            "id": 1,
            "title": "Caching",
            "created": "2022-01-01",
            "packages": ["django-cache", "old-thing", "evil"],
            "features": [{"title": "Async"}, {"title": "Backends"}],
            "cells": {
                "django-cache": {"Async": "yes", "Backends": "redis"},
                "old-thing": {"Async": "no"},
            },
        }
    }
    moved = {
        "last_fetched": "2026-05-01T00:00:00Z",
        "repo": {"stars": 3, "moved_to": "https://github.com/new/place", "gone": True},
    }
    return content_files(packages, grids, {1: ENRICHED, 2: moved, 3: evil_enriched})


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    write_tree(root / "content", site_content())
    build_site(root / "content", root / "build", SITE_URL)
    return root / "build"


def page(site: Path, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def test_pages_at_djangopackages_urls(site: Path) -> None:
    for rel in (
        "",
        "packages",
        "packages/p/django-cache",
        "categories/apps",
        "grids",
        "grids/g/caching",
        "search",
    ):
        assert (site / rel / "index.html").is_file(), rel
    for rel in (
        "404.html",
        "sitemap.xml",
        "robots.txt",
        "feeds/packages/latest/atom.xml",
        "schemas/package.schema.json",
        "static/style.css",
    ):
        assert (site / rel).is_file(), rel


def soup(site: Path, rel: str) -> BeautifulSoup:
    """A built page as a reader's browser parses it, for CSS selectors."""
    return BeautifulSoup(page(site, rel), "html.parser")


def facts(html: BeautifulSoup) -> dict[str, str]:
    """The package page's fact list: term → text."""
    return {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True)
        for row in html.select("dl.facts > div")
    }


def test_package_page_shows_what_the_dynamic_site_shows(site: Path) -> None:
    html = soup(site, "packages/p/django-cache")
    assert html.select_one("main h1").get_text() == "Django Cache"
    description = html.select_one(".description")
    assert description.strong.get_text() == "caching"  # record Markdown rendered
    docs = description.select_one('a[href="https://docs.example.org/"]')
    assert (docs.get_text(), docs["rel"]) == ("docs", ["nofollow", "noopener", "ugc"])
    shown = facts(html)
    assert (shown["Stars"], shown["Forks"]) == ("1,000", "50")
    assert shown["Version"].startswith("1.2.0")
    assert shown["Last commit"] == "Oct 15, 2025"
    chart = html.select_one("svg.chart")
    assert chart["aria-label"] == "1326 commits in the last 52 weeks"
    assert len(chart.select("rect")) == 51  # one bar per non-empty week
    assert html.select_one(".people").get_text() == "ann, bob, cy"
    links = [a["href"] for a in html.select("ul.links a")]
    assert "https://pypi.org/project/django-cache/" in links
    assert "https://github.com/example/package-1" in links
    grids = html.select_one('section[aria-labelledby="h-grids"]')
    assert [a["href"] for a in grids.select("a")] == ["/prefix/grids/g/caching/"]
    edit = html.select_one("p.edit a")
    assert edit.get_text() == "Edit this package"
    assert edit["href"] == (
        "https://github.com/example/packages/edit/main/content/packages/django-cache.yaml"
    )
    canonical = html.select_one('link[rel="canonical"]')["href"]
    assert canonical == f"{SITE_URL}packages/p/django-cache/"
    og_title = html.select_one('meta[property="og:title"]')["content"]
    assert og_title == "Django Cache · Test Packages"


def banners(html: BeautifulSoup) -> list[str]:
    return [b.get_text(" ", strip=True) for b in html.select(".banner")]


def test_deprecation_banner_links_replacement(site: Path) -> None:
    html = soup(site, "packages/p/old-thing")
    deprecated = html.select_one(".banner:-soup-contains('Deprecated')")
    assert deprecated.get_text(" ", strip=True).startswith("Deprecated since Jan 1, 2024")
    use = deprecated.select_one("a")
    assert (use.get_text(), use["href"]) == ("Django Cache", "/prefix/packages/p/django-cache/")


def test_moved_and_gone_repositories_are_flagged(site: Path) -> None:
    html = soup(site, "packages/p/old-thing")
    assert any("cannot be found any more" in b for b in banners(html))
    moved = html.select_one(".banner:-soup-contains('moved')")
    assert moved.select_one("a")["href"] == "https://github.com/new/place"
    api = json.loads((site / "api/v4/packages/2/index.json").read_text())
    assert (api["repo_moved_to"], api["repo_gone"]) == ("https://github.com/new/place", True)
    assert not any("moved" in b for b in banners(soup(site, "packages/p/django-cache")))


def test_untrusted_text_is_escaped_and_links_are_http_only(site: Path) -> None:
    for rel in ("packages/p/evil", "packages/p/django-cache", "grids/g/caching", "", "packages"):
        html = page(site, rel)
        assert "<script>alert" not in html, rel
        assert "<img src=x" not in html and "javascript:" not in html, rel
    evil = page(site, "packages/p/evil")
    assert "Evil &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in evil
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in evil
    links = [a.get_text() for a in BeautifulSoup(evil, "html.parser").select("ul.links a")]
    assert "Documentation" not in links  # javascript: documentation URL dropped
    api = json.loads((site / "api/v4/packages/3/index.json").read_text())
    assert api["documentation_url"] is None


def test_grid_page_is_a_comparison_table(site: Path) -> None:
    table = soup(site, "grids/g/caching").select_one("table.grid")
    header = [a["href"] for a in table.select("thead a[href*='/packages/p/']")]
    assert header == [f"/prefix/packages/p/{s}/" for s in ("django-cache", "evil", "old-thing")]
    rows = [th.get_text(strip=True) for th in table.select('tbody th[scope="row"]')]
    assert rows == [
        "Description",
        "Score",
        "Stars",
        "Last updated",
        "Version",
        "Async",
        "Backends",
        "Category",
        "Python 3?",
        "Development status",
        "Forks",
        "Commits",
        "License",
        "Links",
    ]
    async_row = table.select_one("tbody tr:has(> th:-soup-contains('Async'))")
    assert [mark["title"] for mark in async_row.select("td > .yes, td > .no")] == ["yes", "no"]
    assert "redis" in [p.get_text() for p in table.select("td p")]


def crawl(base: str) -> tuple[set[str], list[str]]:
    """Fetch every page and asset reachable from the home page; return their URLs and
    the failures."""
    seen, queue, failures = set(), [base], []
    host = urlsplit(base).netloc
    with httpx.Client(timeout=10) as client:
        while queue:
            url = queue.pop()
            if url in seen:
                continue
            seen.add(url)
            response = client.get(url)
            if response.status_code != 200:
                failures.append(f"{response.status_code} {url}")
                continue
            if "html" not in response.headers["content-type"]:
                continue
            for tag, link in links_of(response.text):
                target = urljoin(url, link).split("#")[0]
                parts = urlsplit(target)
                if parts.netloc != host:
                    assert tag == "a", f"{url} loads {link} from another site"
                    assert parts.scheme in {"http", "https"}, link
                    continue
                if tag == "form":
                    continue
                queue.append(target.split("?")[0])
    return seen, failures


@pytest.mark.parametrize("prefix", ["/", "/some/prefix/"])
def test_every_internal_link_resolves(tmp_path: Path, serve, prefix: str) -> None:
    out = tmp_path / "build"
    build_site(CONTENT, out, f"http://127.0.0.1{prefix}")
    base = serve(out, prefix)
    # Links are site-absolute paths: rewrite the build's host to the server's.
    reached, failures = crawl(base)
    assert failures == []
    folders = {p.parent.relative_to(out).as_posix() for p in out.rglob("index.html")}
    pages = {base if f == "." else f"{base}{f}/" for f in folders}
    unreached = sorted(pages - reached)
    assert unreached == [], unreached[:20]  # every page is linked from another


def test_same_inputs_give_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build_site(CONTENT, first)
    # Copy the content in reverse file order so that directory order differs.
    content = tmp_path / "content"
    for path in sorted(CONTENT.rglob("*"), reverse=True):
        target = content / path.relative_to(CONTENT)
        if path.is_file():
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    build_site(content, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert len(files) > 500
    for rel in files:
        assert (first / rel).read_bytes() == (second / rel).read_bytes(), rel


def test_rebuild_touches_only_changed_files(tmp_path: Path) -> None:
    content = copy_content(tmp_path)
    out = tmp_path / "build"
    build_site(content, out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    for path in stamps:
        os.utime(path, ns=(1, 1))
    again = build_site(content, out)
    assert " 0 written" in again.output and " 0 removed" in again.output
    assert all(p.stat().st_mtime_ns == 1 for p in stamps)
    record = content / "packages" / "django-click.yaml"
    record.write_text(record.read_text().replace("title: django-click", "title: Django Click"))
    changed = build_site(content, out)
    written = {p for p in stamps if p.stat().st_mtime_ns != 1}
    assert out / "packages/p/django-click/index.html" in written
    assert out / "api/v4/packages/42/index.json" in written
    assert out / "api/v4/packages/django-click/index.json" in written
    assert out / "grids/g/commands/index.html" in written
    assert out / "api/v4/grids/5/index.json" not in written  # links by id: unchanged
    assert len(written) < len(stamps) / 5
    assert f" {len(written)} written" in changed.output


def test_removed_package_disappears(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", content_files({"a": package(1), "b": package(2)}))
    out = tmp_path / "build"
    build_site(content, out)
    (content / "packages/b.yaml").unlink()
    result = build_site(content, out)
    assert not (out / "packages/p/b").exists() and not (out / "api/v4/packages/2").exists()
    assert "removed" in result.output and " 0 removed" not in result.output


def test_feed_sitemap_robots(site: Path) -> None:
    atom = ET.parse(site / "feeds/packages/latest/atom.xml").getroot()
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in atom.findall("a:entry", ns)]
    # Newest first: created dates 2021-01-04 (id 3), -03 (id 2), -02 (id 1).
    assert titles == ['Evil <script>alert("x")</script>', "Old thing", "Django Cache"]
    assert atom.find("a:link[@rel='self']", ns).get("href") == (
        SITE_URL + "feeds/packages/latest/atom.xml"
    )
    sitemap = ET.parse(site / "sitemap.xml").getroot()
    locs = [u.findtext("{http://www.sitemaps.org/schemas/sitemap/0.9}loc") for u in sitemap]
    assert SITE_URL in locs and SITE_URL + "packages/p/evil/" in locs
    assert all(loc.startswith(SITE_URL) for loc in locs)
    assert len(locs) == sum(1 for _ in site.rglob("index.html"))
    assert (site / "robots.txt").read_text() == (
        f"User-agent: *\nAllow: /\nSitemap: {SITE_URL}sitemap.xml\n"
    )


def test_serve_behaves_like_github_pages(site: Path, serve) -> None:
    base = serve(site, "/prefix/")
    with httpx.Client(base_url=base) as client:
        api = client.get("api/v4/packages/1/?page=2")
        assert api.status_code == 200
        assert api.headers["content-type"] == "application/json"
        assert api.headers["access-control-allow-origin"] == "*"
        assert api.json()["id"] == 1
        assert client.get("api/v4/packages/1/index.json").json() == api.json()
        home = client.get("")
        assert home.status_code == 200 and "text/html" in home.headers["content-type"]
        missing = client.get("no/such/page/")
        assert missing.status_code == 404 and "Page not found" in missing.text
        redirect = client.get(base + "grids")
        assert redirect.status_code == 301 and redirect.headers["location"].endswith("/grids/")
        outside = client.get(base.replace("/prefix/", "/other/"))
        assert outside.status_code == 404
