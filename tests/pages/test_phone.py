"""At 390 px: no page wider than the screen, and a list row's score and version in view
without scrolling sideways (rows stack as cards)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.helpers.browser import Served, assert_clean, axe_violations, open_page, screenshot

PHONE = {"width": 390, "height": 844}
PAGES = {
    "home": "",
    "packages": "packages/",
    "category": "categories/apps/",
    "package": "packages/p/djangorestframework/",
    "grids": "grids/",
    "grid": "grids/g/caching/",
    "search": "search/?q=cache",
    "readiness": "readiness/",
    "readiness-release": "readiness/django/5.0/",
    "api": "api/",
    "not-found": "no/such/page/",
}


@pytest.mark.parametrize("name", PAGES)
def test_no_page_is_wider_than_a_phone(page: Page, corpus_site: Served, name: str) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, corpus_site.url + PAGES[name])
    for details in page.locator("main details").all():  # the badge snippets, opened
        details.evaluate("d => { d.open = true; }")
    width, inner = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
    screenshot(page, f"phone-390-{name}")
    assert width <= inner, f"{name} is {width} px wide on a {inner} px screen"
    assert_clean(page)
    assert axe_violations(page) == []


def test_list_rows_show_score_and_version(page: Page, corpus_site: Served) -> None:
    page.set_viewport_size(PHONE)
    open_page(page, corpus_site.url + "packages/?sort=score")
    row = page.locator("table.list tbody tr").first
    for label in ("Score", "Version", "Stars"):
        cell = row.locator(f'td[data-label="{label}"]')
        box = cell.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
        assert cell.is_visible()
    screenshot(page, "phone-390-list-cards")
    assert_clean(page)
