"""The grid comparison in a real browser: sticky header and first column, sorting,
"stable only", the top 10 by score first (ties included), everything with "show all"."""

from __future__ import annotations

from playwright.sync_api import Page

from tests.helpers.browser import PHONE, Served, assert_clean, open_page


def columns(page: Page) -> list[dict]:
    """The visible package columns, left to right, with their data attributes."""
    return page.locator("table.grid thead th:not(:first-child)").evaluate_all(
        "ths => ths.filter(th => !th.hidden).map(th => ({...th.dataset, "
        "stable: 'stable' in th.dataset}))"
    )


def test_opens_with_the_top_ten_by_score(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "grids/g/caching/")
    all_columns = page.locator("table.grid thead th").count() - 1
    shown = columns(page)
    assert all_columns > 10 and len(shown) >= 10
    scores = [int(c["score"]) for c in shown]
    assert scores == sorted(scores, reverse=True) and min(scores) >= 0
    # Beyond ten only packages tied with the tenth.
    assert all(s == scores[9] for s in scores[10:])
    # Every row follows its header: the Score row shows the same numbers.
    row = page.locator("table.grid tbody tr", has_text="Score").first
    cells = row.locator("td").evaluate_all(
        "tds => tds.filter(td => !td.hidden).map(td => td.textContent.trim())"
    )
    assert [int(text.replace(",", "")) for text in cells] == scores
    page.check("#grid-controls input[name=all]")
    everything = columns(page)
    assert len(everything) == all_columns
    assert any(int(c["score"]) < 0 for c in everything)
    assert_clean(page)


def test_sort_and_stable_only(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "grids/g/caching/")
    page.check("#grid-controls input[name=all]")
    page.select_option("#grid-controls select[name=sort]", "name")
    names = [c["name"] for c in columns(page)]
    assert names == sorted(names)
    first = page.locator("table.grid tbody tr").first.locator("td:not([hidden])").first
    assert first.evaluate("td => td.cellIndex") == 1
    header_link = page.locator("table.grid thead th:not([hidden]) a").first.inner_text()
    assert header_link.lower() == names[0]
    page.select_option("#grid-controls select[name=sort]", "stars")
    stars = [int(c["stars"]) for c in columns(page)]
    assert stars == sorted(stars, reverse=True)
    page.select_option("#grid-controls select[name=sort]", "commit")
    commits = [c["commit"] for c in columns(page)]
    assert commits == sorted(commits, reverse=True)
    page.check("#grid-controls input[name=stable]")
    stable = columns(page)
    assert stable and all(c["stable"] for c in stable)
    assert len(stable) < page.locator("table.grid thead th").count() - 1
    assert_clean(page)


def test_first_column_stays_in_view(page: Page, corpus_site: Served) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, corpus_site.url + "grids/g/caching/")
    wrap = page.locator(".grid-wrap")
    box = wrap.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]
    corner = page.locator("table.grid thead th").first
    package_head = page.locator("table.grid thead th").nth(1)
    row_head = page.locator("table.grid tbody th").nth(5)
    before = package_head.bounding_box()
    # The first column is narrow enough that the first package's figures show beside it.
    assert before["x"] + 100 < PHONE["width"]
    wrap.evaluate("w => { w.scrollLeft = 600; }")
    page.wait_for_timeout(50)
    assert wrap.evaluate("w => w.scrollLeft") == 600
    after = package_head.bounding_box()
    assert after["x"] < before["x"] - 500
    assert abs(corner.bounding_box()["x"] - box["x"] - 1) < 2
    assert abs(row_head.bounding_box()["x"] - box["x"] - 1) < 2
    # And what is stuck paints over the cells scrolled beneath it.
    x, y = box["x"] + 20, corner.bounding_box()["y"] + 5
    assert page.evaluate(f"document.elementFromPoint({x}, {y}).closest('th') !== null")
    assert_clean(page)
