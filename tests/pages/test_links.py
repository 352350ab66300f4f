"""`djp check-links`: the shipped site has no broken internal link; broken ones are found."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.links import check_links, site_path
from tests.helpers.support import CONTENT, build_site, run_cli

SITE = "https://example.org/prefix/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "build"
    build_site(CONTENT, out, SITE)
    return out


def test_shipped_site_has_no_broken_internal_link(built: Path) -> None:
    result = run_cli("check-links", str(built), "--base-url", SITE)
    assert result.exit_code == 0, result.output
    checked = int(result.output.split()[0])
    assert checked > 5000  # pages, API documents, sitemap and feed all checked
    assert result.output.endswith(f"internal links checked in {built}/: none broken\n")


def test_checked_against_another_prefix_everything_is_outside(built: Path) -> None:
    checked, broken = check_links(built, "https://example.org/other/")
    assert broken and len(broken) == checked
    assert any(b.reason.startswith("outside the site") for b in broken)


def test_broken_links_are_reported_with_file_and_line(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "a" / "index.html").write_text(
        "<!doctype html>\n"
        '<a href="../b/">ok: folder with index.html</a>\n'
        '<a href="../api/">ok: folder with index.json</a>\n'
        '<a href="#top">same page</a> <a href="https://other.example/x">external</a>\n'
        '<a href="mailto:x@example.org">mail</a>\n'
        '<img src="/prefix/missing.png">\n'
        '<a href="/elsewhere/">outside the prefix</a>\n'
        '<meta http-equiv="refresh" content="0; url=https://example.org/prefix/gone/">\n'
        '<a href="../b/index.html?q=1#frag">ok with query and fragment</a>\n'
    )
    (site / "b").mkdir()
    (site / "b" / "index.html").write_text("<p>b</p>")
    (site / "api").mkdir()
    (site / "api" / "index.json").write_text(
        '{"next": "https://example.org/prefix/api/page/2/", "self": "https://example.org/prefix/api/"}'
    )
    result = run_cli("check-links", str(site), "--base-url", SITE)
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "a/index.html:6: /prefix/missing.png: no such page (missing.png)",
        "a/index.html:7: /elsewhere/: outside the site (../elsewhere/)",
        "a/index.html:8: https://example.org/prefix/gone/: no such page (gone/)",
        "api/index.json:1: https://example.org/prefix/api/page/2/: no such page (api/page/2/)",
        f"4 broken link(s) of 8 checked in {site}/",
    ]


@pytest.mark.parametrize(
    ("url", "page", "expected"),
    [
        ("https://example.org/prefix/x/", "index.html", "x/"),
        ("https://example.org/x/", "index.html", None),
        ("//cdn.example/x.js", "index.html", None),
        ("../up/", "a/b/index.html", "a/up/"),
        ("/prefix/", "a/index.html", ""),
        ("/", "a/index.html", "../"),
        ("?page=2", "a/index.html", None),
    ],
)
def test_site_path(url: str, page: str, expected: str | None) -> None:
    assert site_path(url, page, SITE) == expected


def test_base_url_defaults_to_site_yaml(built: Path, tmp_path: Path, monkeypatch) -> None:
    content = tmp_path / "content"
    content.mkdir()
    (content / "site.yaml").write_text(
        f"site_url: {SITE}\ntitle: Test Packages\nrepository: example/packages\n"
    )
    monkeypatch.chdir(tmp_path)
    result = run_cli("check-links", str(built))
    assert result.exit_code == 0, result.output
