"""Search in a real browser: the header box suggests as you type, the keyboard drives
it, and `/search/?q=` is a linkable results page."""

from __future__ import annotations

import gzip
import re

import pytest
from playwright.sync_api import Page, expect

from tests.helpers.browser import Served, assert_clean, open_page


def suggestions(page: Page) -> list[str]:
    page.wait_for_selector("#q-suggest:not([hidden]) li")
    return page.locator("#q-suggest li a:not(.tag)").all_inner_texts()


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("rest framework", "Django REST framework"),
        ("djangorestframework", "Django REST framework"),
        ("django-filter", "django-filter"),
        ("filter", "django-filter"),
        ("debug tool", "django-debug-toolbar"),  # prefix while typing
        ("debug toolbr", "django-debug-toolbar"),  # a typo
        ("djnago-allauth", "django-allauth"),  # a typo in the prefix
        ("cachalot", "django-cachalot"),
        ("wagtial", "Wagtail"),
    ],
)
def test_typing_shows_the_right_package_first(
    page: Page, corpus_site: Served, typed: str, first: str
) -> None:
    open_page(page, corpus_site.url)
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type(typed)
    assert suggestions(page)[0] == first
    assert_clean(page)


def test_arrows_move_and_enter_opens(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "grids/")
    page.keyboard.press("/")
    page.keyboard.type("cache")
    names = suggestions(page)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#q-suggest a").nth(1)).to_be_focused()
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(packages/p|grids/g)/"))
    assert page.locator("main h1").inner_text() == names[1]
    assert_clean(page)


def test_enter_in_the_box_opens_the_linkable_results_page(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "packages/")
    page.fill("#q", "redis")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?q=redis$"))
    page.wait_for_selector("#search-results li")
    assert page.locator("#search-results li a").first.inner_text() == "django-redis"


def rank_of(title: str, query: str) -> int:
    """0 for a title match, else 1 (a slug, description or near-miss match)."""
    return 0 if any(w.startswith(query) for w in re.split(r"[^a-z0-9]+", title.lower())) else 1


def test_search_url_works_on_load(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "search/?q=cache")
    expect(page.locator("#q")).to_have_value("cache")
    results = page.locator("#search-results li > a").all_inner_texts()
    assert results, "no results for ?q=cache"
    status = page.locator("#search-status").inner_text()
    assert re.match(rf"(Top )?{len(results)} results? for", status), status  # capped at 50
    # Title matches first, then the rest (slug, description, near misses).
    ranks = [rank_of(t, "cache") for t in results]
    assert ranks == sorted(ranks)
    assert ranks[0] == 0 and 1 in ranks
    # Typing on the results page updates the results and the address.
    page.fill("#q", "allauth")
    page.wait_for_url(re.compile(r"\?q=allauth$"))
    expect(page.locator("#search-results li > a").first).to_have_text("django-allauth")
    assert_clean(page)


def test_search_index_is_small(corpus_site: Served) -> None:
    """The index is fetched before the first result: 300 KB compressed at 5,000
    packages is the budget, so this corpus gets its share of it."""
    data = (corpus_site.out / "search/index.json").read_bytes()
    assert len(gzip.compress(data)) < 300_000 * len(corpus_site.corpus.slugs) / 5000
