"""Every page type in a real browser: no console errors, no off-site requests, no
serious accessibility violations (axe-core), screenshots at desktop and phone widths."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page

from tests.helpers.browser import (
    PHONE,
    SCREENSHOTS,
    Served,
    assert_clean,
    axe_violations,
    open_page,
    screenshot,
)

CORPUS_PAGES = {
    "home": "",
    "packages": "packages/",
    "packages-page-2": "packages/page/2/",
    "package": "packages/p/djangorestframework/",
    "category": "categories/apps/",
    "grids": "grids/",
    "grid": "grids/g/caching/",
    "search": "search/?q=cache",
    "readiness": "readiness/",
    "readiness-release": "readiness/django/5.0/",
    "not-found": "no/such/page/",
}
SHIPPED_PAGES = {
    "home": "",
    "packages": "packages/",
    "package": "packages/p/django-cachalot/",
    "category": "categories/apps/",
    "grid": "grids/g/caching/",
    "search": "search/?q=admin",
    "readiness": "readiness/",
}


@pytest.mark.parametrize("name", CORPUS_PAGES)
def test_page_type_is_clean_and_accessible(page: Page, corpus_site: Served, name: str) -> None:
    open_page(page, corpus_site.url + CORPUS_PAGES[name])
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("main h1").count() == 1
    assert page.locator('form[role="search"] input[name="q"]').count() == 1
    assert page.locator('meta[property="og:title"]').count() == 1
    assert_clean(page)
    assert axe_violations(page) == []
    print(f"screenshots: {SCREENSHOTS}")
    screenshot(page, f"{name}-desktop")
    page.set_viewport_size(PHONE)
    page.wait_for_timeout(50)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{name} scrolls sideways at 360 px ({width} px wide)"
    screenshot(page, f"{name}-phone")
    assert axe_violations(page) == []


@pytest.mark.parametrize("name", SHIPPED_PAGES)
def test_shipped_page_type_is_clean(page: Page, shipped_site: Served, name: str) -> None:
    open_page(page, shipped_site.url + SHIPPED_PAGES[name])
    assert_clean(page)
    assert axe_violations(page) == []


def test_pages_work_without_javascript(browser: Browser, corpus_site: Served) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(corpus_site.url + "packages/")
    assert tab.locator("table.list tbody tr").count() == 50
    assert tab.locator("#list-controls").is_hidden()
    tab.click("nav.pager a[rel=next]")
    assert tab.url.endswith("/packages/page/2/")
    assert tab.locator("table.list tbody tr").count() == 50
    tab.goto(corpus_site.url + "grids/g/caching/")
    columns = tab.locator("table.grid thead th").count() - 1
    assert columns == len(tab.locator("table.grid thead th:visible").all()) - 1 > 10
    tab.goto(corpus_site.url + "readiness/django/5.0/")
    assert tab.locator("ol.ready li").count() > 0
    context.close()


def test_package_page_weight(corpus_site: Served) -> None:
    """A package page and the stylesheet together stay under 30 KB before compression."""
    html = (corpus_site.out / "packages/p/djangorestframework/index.html").stat().st_size
    css = (corpus_site.out / "static/style.css").stat().st_size
    print(f"package page {html} B + style.css {css} B")
    assert html + css < 30_000
