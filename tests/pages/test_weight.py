"""Page weight in a real browser: the search index is fetched only once the search box
is used, the list rows only once the list controls are, and the controls work while
the rows are still on their way."""

from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from tests.helpers.browser import (
    DESKTOP,
    Served,
    assert_clean,
    axe_violations,
    open_page,
    screenshot,
)

WIDTHS = {"desktop": DESKTOP, "phone": {"width": 390, "height": 844}}
DATA = ("search/index.json", "search/text.json", "packages/rows.json")


def fetched(page: Page) -> list[str]:
    """Site-relative paths of the data files this page has requested so far."""
    paths: list[str] = []
    page.on("request", lambda r: paths.append(urlsplit(r.url).path.lstrip("/")))
    return paths


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("path", ["", "packages/", "packages/p/djangorestframework/", "grids/"])
def test_idle_pages_fetch_no_search_or_list_data(
    page: Page, corpus_site: Served, path: str, width: str
) -> None:
    page.set_viewport_size(WIDTHS[width])
    paths = fetched(page)
    open_page(page, corpus_site.url + path)
    page.mouse.move(5, 5)
    page.wait_for_timeout(2500)  # past the 2 s idle deadline the old code fetched at
    page.wait_for_load_state("networkidle")
    assert not [p for p in paths if p in DATA]
    with page.expect_response("**/search/text.json"):
        page.focus("#q")
    assert [p for p in paths if p in DATA] == ["search/index.json", "search/text.json"]
    assert_clean(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", WIDTHS)
def test_list_controls_work_before_the_rows_arrive(
    page: Page, corpus_site: Served, width: str
) -> None:
    page.set_viewport_size(WIDTHS[width])
    held: list[Route] = []
    page.route("**/packages/rows.json", lambda route: held.append(route))
    open_page(page, corpus_site.url + "packages/")
    controls = page.locator("#list-controls")
    expect(controls).to_be_visible()
    first = page.locator("table.list tbody th a").first.inner_text()
    page.select_option("#list-controls select[name=sort]", "stars")
    expect(page.locator("#list-status")).to_have_text("Loading the list…")
    assert held, "choosing a sort order asks for the rows"
    assert page.locator("table.list tbody th a").first.inner_text() == first
    screenshot(page, f"list-loading-{width}")
    held[0].continue_()
    page.wait_for_url(re.compile(r"\?sort=stars$"))
    expect(page.locator("table.list tbody th a").first).to_have_text("Django REST framework")
    expect(page.locator("#list-status")).to_contain_text("packages")
    assert_clean(page)
    assert axe_violations(page) == []


def names(rows: list[list], slug: int, title: int) -> int:
    return sum(len(r[slug]) + len(r[title] or "") for r in rows)


def test_data_files_are_compact(corpus_site: Served) -> None:
    """Per entry, the search index (what the first suggestion waits for) and the list
    rows stay small: short rows of arrays, releases as bit masks, no descriptions."""
    out = corpus_site.out
    index = json.loads((out / "search/index.json").read_text())
    rows = json.loads((out / "packages/rows.json").read_text())
    # Bytes per entry beyond its slug and title (which any index must carry), so the
    # budget does not move with the corpus's names.
    index_bytes = (out / "search/index.json").stat().st_size - names(index["rows"], 1, 2)
    row_bytes = (out / "packages/rows.json").stat().st_size - names(rows["rows"], 0, 1)
    index_bytes /= len(index["rows"])
    row_bytes /= len(rows["rows"])
    print(f"beyond names: index {index_bytes:.0f} B per entry, list rows {row_bytes:.0f} B")
    assert index_bytes < 60
    assert row_bytes < 60
    text = json.loads((out / "search/text.json").read_text())
    assert len(text["rows"]) == len(index["rows"])
