"""Hostile settings and text at the edges of the site: the site URL, grid cells, `djp
new`, the Atom feed and sitemap as XML, symlinks among static files, and `djp serve`
listening on a port."""

from __future__ import annotations

import os
import shutil
import socket
import threading
import xml.etree.ElementTree as ET
from pathlib import Path

import httpx
import pytest

from generator.serve import BACKLOG, make_server
from generator.settings import SITE_URL_RE
from generator.validate import schema
from tests.helpers.support import (
    SITE,
    TEMPLATES,
    build_site,
    content_files,
    package,
    run_cli,
    served,
    write_tree,
)

GOOD = {"django-a": package(1), "django-b": package(2)}

BAD_URLS = [
    "javascript:alert(1)//",
    "javascript://example.org/%0aalert(1)",
    "https://example.org/\n",
    "https://example.org/\nDisallow: /",
    "https://exa mple.org/",
    "https://example.org/\t",
    "ftp://example.org/",
    "data:text/html,<script>alert(1)</script>",
    "//example.org/",
    "https://",
]


@pytest.mark.parametrize("url", BAD_URLS)
def test_base_url_must_be_http(tmp_path: Path, url: str) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    out = tmp_path / "build"
    result = run_cli(
        "build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out),
        "--base-url", url,
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert "--base-url" in result.output and "http(s) URL" in result.output
    assert not out.exists()


def test_site_url_rule_is_the_schemas() -> None:
    pattern = schema("site")["$defs"]["url"]["pattern"]
    assert pattern == f"^{SITE_URL_RE.pattern}$"


def test_grid_cells_are_length_capped(tmp_path: Path) -> None:
    grid = {
        "id": 1, "title": "G", "created": "2024-01-01", "packages": ["django-a"],
        "features": [{"title": "Async"}], "cells": {"django-a": {"Async": "x" * 301}},
    }  # fmt: skip
    content = write_tree(tmp_path / "content", content_files(GOOD, grids={"g": grid}))
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert "grids/g.yaml:10:12: cells.django-a.Async is 301 characters long; at most 300" in (
        result.output
    )


NEW_REFUSED = [
    (["https://github.com/example/page"], "'page' is not a usable slug"),
    (["https://github.com/example/1234"], "'1234' is not a usable slug"),
    (["https://github.com/example/x", "--title", "t" * 101], "title is 101 characters long"),
    (["django-ok", "--repo-url", "https://github.com/example/a b"], "repo_url is not valid"),
]


@pytest.mark.parametrize(("args", "words"), NEW_REFUSED)
def test_new_never_writes_an_invalid_record(tmp_path: Path, args: list[str], words: str) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    before = sorted(p.name for p in (content / "packages").iterdir())
    result = run_cli("new", *args, "--content", str(content), "--category", "apps")
    assert result.exit_code == 1, result.output
    assert "nothing written" in result.output and words in result.output, result.output
    assert sorted(p.name for p in (content / "packages").iterdir()) == before
    assert not (content / "ids.yaml").exists()


HOSTILE_TEXT = [
    "Ctrl\x01\x08\x0b\x0c\x1b[31m",
    "Nonchar \ufffe\uffff",
    "Quote \" & <tag> ' ",
    "Lone ]]> end",
]


@pytest.mark.parametrize("text", HOSTILE_TEXT)
def test_feed_and_sitemap_are_well_formed_xml(tmp_path: Path, text: str) -> None:
    categories = {
        "apps": {"id": 1, "title": text[:50], "title_plural": "Apps", "created": "2020-01-01"}
    }
    files = content_files({"django-a": package(1, title=text), "django-b": package(2)})
    files |= {f"categories/{slug}.yaml": c for slug, c in categories.items()}
    files["categories/frameworks.yaml"] = {
        "id": 2, "title": "F", "title_plural": "Fs", "created": "2020-01-01"
    }  # fmt: skip
    files["site.yaml"] = {**SITE, "title": text}
    content = write_tree(tmp_path / "content", files)
    out = tmp_path / "build"
    build_site(content, out, base_url='https://example.org/a"b&c/')
    feed = ET.fromstring((out / "feeds/packages/latest/atom.xml").read_bytes())
    ns = {"a": "http://www.w3.org/2005/Atom"}
    titles = [e.findtext("a:title", namespaces=ns) for e in feed.findall("a:entry", ns)]
    kept = "".join(c for c in text if c in "\t\n\r" or " " <= c < "\ufffe")
    assert kept in titles
    assert feed.find("a:link", ns).get("href").startswith('https://example.org/a"b&c/')
    labels = [c.get("label") for c in feed.iter("{http://www.w3.org/2005/Atom}category")]
    assert kept[:50] in labels
    sitemap = ET.fromstring((out / "sitemap.xml").read_bytes())
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs and all(loc.startswith('https://example.org/a"b&c/') for loc in locs)


def test_static_symlinks_are_refused_at_build(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    os.symlink("/etc/passwd", templates / "static" / "passwd.txt")
    os.symlink("/etc", templates / "static" / "etc")
    content = write_tree(tmp_path / "content", content_files(GOOD))
    out = tmp_path / "build"
    result = run_cli(
        "build", "--content", str(content), "--templates", str(templates), "--out", str(out)
    )
    assert result.exit_code == 1, result.output
    assert "static/passwd.txt:1:1: is a symbolic link" in result.output
    assert "static/etc:1:1: is a symbolic link" in result.output
    assert "root:" not in result.output and not out.exists()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("serve")
    content = write_tree(root / "content", content_files(GOOD))
    out = root / "build"
    build_site(content, out)
    os.symlink("/etc/passwd", out / "passwd")
    os.symlink("/etc", out / "etc")
    os.symlink("../content", out / "up")
    os.symlink("index.html", out / "home.html")
    return out


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/passwd", 404),
        ("/etc/passwd", 404),
        ("/etc/", 404),
        ("/up/site.yaml", 404),
        ("/%2e%2e/content/site.yaml", 404),
        ("/home.html", 200),  # a symlink that stays inside the site is served
        ("/" + "a/" * 3000, 414),
        ("/" + "a" * 5000, 414),
    ],
)
def test_serve_keeps_to_the_site(site: Path, path: str, status: int) -> None:
    with served(site) as url:
        response = httpx.get(url.rstrip("/") + path)
    assert response.status_code == status
    assert b"root:" not in response.content


def test_serve_drops_a_silent_connection_and_has_a_deep_backlog(site: Path) -> None:
    server = make_server(site, port=0, quiet=True, timeout=0.2)
    assert server.request_queue_size >= BACKLOG >= 128
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection(server.server_address[:2], timeout=60) as client:
            assert client.recv(1) == b""  # closed by the server, not by our 60 s guard
    finally:
        server.shutdown()
        server.server_close()
