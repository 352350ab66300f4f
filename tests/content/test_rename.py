"""Renaming a package keeps its old HTML and API URLs working, through a real build."""

from __future__ import annotations

import json
from pathlib import Path

from generator.links import check_links, html_links
from tests.helpers.records import record, write_sample_tree
from tests.helpers.support import build_site, run_cli

SITE_URL = "https://example.org/djp/"  # the site.yaml of contrib_support

RENAMED = record(
    "package",
    """\
    id: 2
    title: Beta
    category: apps
    repo_url: https://github.com/example/beta
    old_slugs:
    - beta-old
    - betatools
    created: '2024-01-02T00:00:00Z'
    """,
)


def test_rename_writes_redirects_and_api_copies(tmp_path: Path) -> None:
    content = write_sample_tree(
        tmp_path / "content", {"packages/beta.yaml": None, "packages/beta-tools.yaml": RENAMED}
    )
    # The grid still lists the package by its old slug: the rename updates it too.
    grid = content / "grids" / "things.yaml"
    grid.write_text(grid.read_text().replace("- beta\n", "- beta-tools\n"))
    out = tmp_path / "build"
    build_site(content, out, SITE_URL)

    new_url = "https://example.org/djp/packages/p/beta-tools/"
    assert (out / "packages/p/beta-tools/index.html").is_file()
    for old in ("beta-old", "betatools"):
        page = (out / f"packages/p/{old}/index.html").read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={new_url}">' in page
        assert f'<link rel="canonical" href="{new_url}">' in page
        assert [url for _, url in html_links(page)] == [new_url, new_url, new_url]
        assert "<script" not in page
        old_api = (out / f"api/v4/packages/{old}/index.json").read_bytes()
        assert old_api == (out / "api/v4/packages/beta-tools/index.json").read_bytes()
        assert json.loads(old_api)["slug"] == "beta-tools"
    sitemap = (out / "sitemap.xml").read_text(encoding="utf-8")
    assert "packages/p/beta-tools/" in sitemap and "beta-old" not in sitemap
    assert check_links(out, SITE_URL)[1] == []


def test_titles_in_redirect_pages_are_escaped(tmp_path: Path) -> None:
    evil = RENAMED.replace("title: Beta", "title: '<script>alert(1)</script>'")
    content = write_sample_tree(tmp_path / "content", {"packages/beta.yaml": evil})
    grid = content / "grids" / "things.yaml"
    grid.write_text(grid.read_text().replace("- beta\n", ""))
    out = tmp_path / "build"
    (content / "packages" / "beta.yaml").rename(content / "packages" / "beta-tools.yaml")
    build_site(content, out, SITE_URL)
    page = (out / "packages/p/beta-old/index.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt; has moved" in page


def test_old_slug_rules_are_validated(tmp_path: Path) -> None:
    clash = RENAMED.replace("- betatools", "- django-alpha\n- beta-old\n- beta-tools")
    content = write_sample_tree(
        tmp_path / "content", {"packages/beta.yaml": None, "packages/beta-tools.yaml": clash}
    )
    grid = content / "grids" / "things.yaml"
    grid.write_text(grid.read_text().replace("- beta\n", "- beta-tools\n"))
    (content / "packages" / "django-alpha.yaml").write_text(
        (content / "packages" / "django-alpha.yaml").read_text() + "old_slugs: [beta-old, '42']\n"
    )
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "packages/beta-tools.yaml:8:3: old slug 'django-alpha' is a current slug "
        "(packages/django-alpha.yaml); an old slug must be free, or its redirect would "
        "replace a package page",
        "packages/beta-tools.yaml:9:3: old slug 'beta-old' is listed twice (also in this "
        "list); keep it in one place: the package the old URL should lead to",
        "packages/beta-tools.yaml:10:3: old slug 'beta-tools' is this package's own slug "
        "(packages/beta-tools.yaml); an old slug must be free, or its redirect would "
        "replace a package page",
        "packages/django-alpha.yaml:8:13: old slug 'beta-old' is listed twice (also in "
        "packages/beta-tools.yaml); keep it in one place: the package the old URL should "
        "lead to",
        "packages/django-alpha.yaml:8:23: old slug '42' is reserved; remove it",
        "5 problem(s)",
    ]
