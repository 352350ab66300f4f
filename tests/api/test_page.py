"""The API page for people, its footer link on every page, and the README badges: read
from the served build as a visitor (and shields.io) would."""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import httpx
import pytest

from tests.helpers.api import PREFIX, served_build


class Page(HTMLParser):
    """Links, code blocks and the footer's links of one HTML page."""

    def __init__(self, html: str):
        super().__init__()
        self.links: list[str] = []
        self.footer_links: list[str] = []
        self.code: list[str] = []
        self.text: list[str] = []
        self._in_code = self._in_footer = False
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.links.append(href)
            if self._in_footer:
                self.footer_links.append(href)
        self._in_footer |= tag == "footer"
        if tag == "code":
            self._in_code = True
            self.code.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_code &= tag != "code"
        self._in_footer &= tag != "footer"

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        if self._in_code:
            self.code[-1] += data


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path, httpx.Client]]:
    folder = tmp_path_factory.mktemp("page")
    with served_build(folder) as site_url, httpx.Client() as http:
        yield site_url, folder / "build", http


def test_every_page_links_the_api_page_from_its_footer(site: Any) -> None:
    _, build, _ = site
    pages = sorted(build.rglob("*.html"))
    assert len(pages) > 250
    for page in pages:
        assert f"{PREFIX}api/" in Page(page.read_text()).footer_links, page


def test_api_page_says_what_a_static_host_cannot_do(site: Any) -> None:
    site_url, _, http = site
    response = http.get(site_url + "api/")
    assert response.status_code == 200
    text = " ".join("".join(Page(response.text).text).split())
    for phrase in ("No ?q=", "No ?offset= or ?limit=", "returns the full list, weight-ordered",
                   "page/n/", "No ?category= filter"):  # fmt: skip
        assert phrase in text, phrase


def test_every_link_on_the_api_page_resolves(site: Any) -> None:
    site_url, _, http = site
    page = Page(http.get(site_url + "api/").text)
    internal = [h for h in page.links if h.startswith(PREFIX)]
    for name in ("api/openapi.json", "api/v4/packages.json", "api/v4/grids.json",
                 "api/v4/categories.json", "api/v4/search/", "api/v3/"):  # fmt: skip
        assert PREFIX + name in internal, name
    for href in internal:
        assert http.get(httpx.URL(site_url).join(href)).status_code == 200, href


def test_curl_examples_work_against_the_site(site: Any) -> None:
    site_url, _, http = site
    code = Page(http.get(site_url + "api/").text).code
    commands = [line.split() for block in code for line in block.splitlines()]
    urls = [words[1] for words in commands if words and words[0] == "curl"]
    assert len(urls) >= 3
    for url in urls:
        assert url.startswith(site_url)
        response = http.get(url)
        assert (
            response.status_code == 200 and response.headers["content-type"] == "application/json"
        )


def test_httpx_example_runs_against_the_site(site: Any, capsys: pytest.CaptureFixture) -> None:
    site_url, _, http = site
    example = next(b for b in Page(http.get(site_url + "api/").text).code if "import httpx" in b)
    assert f'SITE = "{site_url}"' in example
    scope: dict[str, Any] = {}
    exec(example, scope)
    printed = capsys.readouterr().out.splitlines()
    assert len(printed) == len(json.loads(http.get(site_url + "api/v4/packages.json").content))
    assert scope["hits"] and all(
        "cache" in (d["title"] + d["description"]).lower() for d in scope["hits"]
    )


def test_badges_are_shields_endpoint_documents(site: Any) -> None:
    site_url, _, http = site
    badges = {
        name: http.get(f"{site_url}api/badges/django-hijack/{name}.json").json()
        for name in ("stars", "version", "score", "django")
    }
    assert badges["stars"] == {
        "schemaVersion": 1,
        "label": "stars",
        "message": "1.5k",
        "color": "blue",
    }
    assert badges["version"]["message"] == "3.7.1"
    assert badges["django"]["message"] == "4.2 | 5.2"
    assert (badges["score"]["message"], badges["score"]["color"]) == ("1.5k", "brightgreen")
    bare = http.get(f"{site_url}api/badges/baserow/version.json").json()
    assert (bare["message"], bare["color"]) == ("unknown", "lightgrey")


def test_package_page_offers_badge_markdown_and_stays_small(site: Any) -> None:
    site_url, build, http = site
    page = Page(http.get(site_url + "packages/p/django-hijack/").text)
    snippet = next(b for b in page.code if "img.shields.io/endpoint" in b)
    lines = snippet.splitlines()
    assert len(lines) == 4
    for line in lines:
        badge_url = unquote(line.split("?url=", 1)[1].split(")", 1)[0])
        assert badge_url.startswith(f"{site_url}api/badges/django-hijack/")
        assert http.get(badge_url).json()["schemaVersion"] == 1
        assert line.endswith(f"({site_url}packages/p/django-hijack/)")
    sizes = [p.stat().st_size for p in (build / "packages/p").glob("*/index.html")]
    assert max(sizes) < 30_000
