"""The grid page as a chooser reads it, in a real browser at 1280 and 390 px: no nested
scroll box, features in view, descriptions in full on demand, the top-N cap explained
with its ties, state in the address, a filter, and archived packages marked."""

from __future__ import annotations

import re

import pytest
import yaml
from playwright.sync_api import Page, expect

from tests.helpers.browser import (
    DESKTOP,
    Served,
    assert_clean,
    axe_violations,
    open_page,
    screenshot,
)

WIDTHS = {"desktop": DESKTOP, "phone": {"width": 390, "height": 844}}


def shown(page: Page) -> list[str]:
    return page.locator("table.grid thead th:not(:first-child)").evaluate_all(
        "ths => ths.filter(th => !th.hidden).map(th => th.dataset.name)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_features_in_view_without_a_nested_scroller(
    page: Page, corpus_site: Served, width: str
) -> None:
    page.set_viewport_size(WIDTHS[width])
    open_page(page, corpus_site.url + "grids/g/caching/")
    wrap = page.locator(".grid-wrap")
    # The table scrolls sideways only; the page itself scrolls down.
    assert wrap.evaluate("w => getComputedStyle(w).overflowY") != "auto"
    assert wrap.evaluate("w => w.scrollHeight <= w.clientHeight + 1")
    feature = page.locator("table.grid tr.feature").first
    box = feature.bounding_box()
    # On the first screen, or starting at its very edge on a phone (the grid's own
    # description and key facts come first).
    fold = WIDTHS[width]["height"] * 1.1
    assert box is not None and box["y"] < fold, "first feature below the fold"
    # The first package's figures show beside the sticky first column.
    score = page.locator("table.grid tbody tr", has_text="Score").first.locator("td").first
    right = score.evaluate(
        "td => { const r = document.createRange(); r.selectNodeContents(td); "
        "return r.getBoundingClientRect().right; }"
    )
    assert right <= WIDTHS[width]["width"], f"the first score ends at {right} px"
    screenshot(page, f"grid-choosing-{width}")
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    assert_clean(page)
    assert axe_violations(page) == []


def test_feature_descriptions_are_shown(page: Page, corpus_site: Served) -> None:
    grid = yaml.safe_load((corpus_site.content / "grids/caching.yaml").read_text())
    described = [f["description"] for f in grid["features"] if f.get("description")]
    open_page(page, corpus_site.url + "grids/g/caching/")
    notes = page.locator("table.grid tr.feature th .feature-note")
    texts = notes.all_inner_texts()  # long ones cut, with "more" to open them
    assert described and len(texts) == len(described)
    assert all(t.startswith(d[:40]) for t, d in zip(texts, described, strict=True))
    assert_clean(page)


def test_long_descriptions_open_in_full(page: Page, shipped_site: Served) -> None:
    open_page(page, shipped_site.url + "grids/g/configuration/?all=1")
    column = page.locator("table.grid thead th", has_text="dynaconf")
    index = column.evaluate("th => th.cellIndex")
    cell = page.locator("table.grid tbody tr").first.locator("td").nth(index - 1)
    expect(cell.locator(".short")).to_be_visible()
    assert cell.locator(".short").inner_text().endswith("…")
    expect(cell.locator(".full")).to_be_hidden()
    cell.locator("summary").click()
    expect(cell.locator(".full")).to_contain_text("the twelve-factor app")
    expect(cell.locator(".short")).to_be_hidden()
    assert_clean(page)
    assert axe_violations(page) == []


def test_top_cap_explained_with_ties_and_state_in_the_url(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "grids/g/caching/")
    total = page.locator("table.grid thead th").count() - 1
    scores = sorted(
        (
            int(s)
            for s in page.locator("table.grid thead th[data-score]").evaluate_all(
                "ths => ths.map(th => th.dataset.score)"
            )
        ),
        reverse=True,
    )
    expected = len([s for s in scores if s >= scores[9]])
    status = page.locator("#grid-status")
    expect(status).to_contain_text(f"Showing the {expected} highest-scoring of {total} packages")
    assert "below 0" not in status.inner_text()
    assert len(shown(page)) == expected
    page.select_option("#grid-controls select[name=sort]", "name")
    page.check("#grid-controls input[name=all]")
    page.wait_for_url(re.compile(r"\?sort=name&all=1$"))
    page.reload(wait_until="networkidle")
    expect(page.locator("#grid-controls select[name=sort]")).to_have_value("name")
    expect(page.locator("#grid-controls input[name=all]")).to_be_checked()
    names = shown(page)
    assert len(names) == total and names == sorted(names)
    assert_clean(page)


def test_filter_box_finds_any_package(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "grids/g/caching/")
    last = page.locator("table.grid thead th[data-name]").evaluate_all(
        "ths => ths.map(th => th.dataset.name)"
    )[-1]  # the lowest score: outside the top ten
    page.fill("#grid-controls input[name=filter]", last)
    page.wait_for_url(re.compile(r"filter="))
    assert last in shown(page)
    expect(page.locator("#grid-status")).to_contain_text(f"match “{last}”")
    assert_clean(page)


def test_archived_marked_in_column_headers(page: Page, corpus_site: Served) -> None:
    import json

    open_page(page, corpus_site.url + "grids/g/caching/?all=1")
    grid = yaml.safe_load((corpus_site.content / "grids/caching.yaml").read_text())
    archived = []
    for slug in grid["packages"]:
        record = yaml.safe_load((corpus_site.content / "packages" / f"{slug}.yaml").read_text())
        facts = corpus_site.content / "enriched" / f"{record['id']}.json"
        if facts.is_file() and json.loads(facts.read_text())["repo"].get("archived"):
            archived.append(slug)
    marked = page.locator("table.grid thead th", has=page.locator(".tag", has_text="archived"))
    hrefs = marked.locator("a").evaluate_all("as => as.map(a => a.pathname.split('/')[3])")
    assert sorted(hrefs) == sorted(archived)
