"""Search in a real browser: the header box suggests as you type, the keyboard drives
it, and `/search/?q=` is a linkable results page."""

from __future__ import annotations

import gzip
import json
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

PHONE_390 = {"width": 390, "height": 844}


def suggestions(page: Page) -> list[str]:
    page.wait_for_selector("#q-suggest:not([hidden]) li")
    return page.locator("#q-suggest li a .name").all_inner_texts()


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


@pytest.mark.parametrize("width", [DESKTOP, PHONE_390])
def test_the_box_is_a_combobox_driven_by_arrows(
    page: Page, corpus_site: Served, width: dict
) -> None:
    page.set_viewport_size(width)
    open_page(page, corpus_site.url + "grids/")
    box = page.locator("#q")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "false"
    page.keyboard.press("/")
    page.keyboard.type("cache")
    names = suggestions(page)
    expect(box).to_have_attribute("aria-expanded", "true")
    listbox = page.locator("#" + box.get_attribute("aria-controls"))
    assert listbox.get_attribute("role") == "listbox"
    assert box.get_attribute("aria-activedescendant") in (None, "")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    expect(box).to_be_focused()  # focus stays in the box; the active option moves
    active = box.get_attribute("aria-activedescendant")
    option = page.locator(f"#{active}")
    assert option.get_attribute("role") == "option"
    assert option.get_attribute("aria-selected") == "true"
    assert option.inner_text().startswith(names[1])
    screenshot(page, f"combobox-{width['width']}")
    assert axe_violations(page) == []
    page.keyboard.press("ArrowUp")
    page.keyboard.press("ArrowUp")
    expect(box).not_to_have_attribute("aria-activedescendant", re.compile("."))
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/(packages/p|grids/g)/"))
    assert page.locator("main h1").inner_text() == names[1]
    assert_clean(page)


def test_escape_closes_the_suggestions(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url)
    page.keyboard.press("/")
    page.keyboard.type("redis")
    suggestions(page)
    page.keyboard.press("Escape")
    expect(page.locator("#q-suggest")).to_be_hidden()
    expect(page.locator("#q")).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#q")).to_have_value("redis")


def test_search_page_without_javascript(browser, corpus_site: Served) -> None:
    """Without scripts the page says one thing: search needs JavaScript, and here is
    how to browse instead (no "type in the box above" beside it)."""
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    tab.goto(corpus_site.url + "search/?q=cache")
    text = tab.locator("main").inner_text()
    assert "needs JavaScript" in text
    assert "Type" not in text
    assert tab.get_by_role("link", name=re.compile(r"all \d+ packages")).count() == 1
    context.close()


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
    found = re.match(r"(\d+) results? for", status)
    assert found and len(results) == min(int(found.group(1)), 50), status  # 50 a page
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


def corpus_docs(site: Served) -> dict[str, dict]:
    """slug → record merged with its enrichment, read from the corpus files."""
    out = {}
    for record in sorted((site.content / "packages").glob("*.yaml")):
        data = yaml.safe_load(record.read_text())
        facts = site.content / "enriched" / f"{data['id']}.json"
        out[record.stem] = {**data, **(json.loads(facts.read_text()) if facts.is_file() else {})}
    return out


def test_each_suggestion_shows_the_facts_that_decide(page: Page, corpus_site: Served) -> None:
    docs = corpus_docs(corpus_site)
    archived = next(s for s, d in docs.items() if (d.get("repo") or {}).get("archived"))
    doc = docs[archived]
    open_page(page, corpus_site.url)
    page.keyboard.press("/")
    page.keyboard.type(doc["title"])
    suggestions(page)
    item = page.locator("#q-suggest li", has=page.locator(f'a[href$="/p/{archived}/"]'))
    expect(item.locator(".tag")).to_have_text("archived")
    facts = item.locator(".facts").inner_text()
    assert facts.startswith("App · ")
    assert f"{doc['repo']['stars']:,} star" in facts
    assert "last commit " in facts
    version = (doc.get("pypi") or {}).get("version")
    assert (f"v{version}" if version else "no release on PyPI") in facts
    screenshot(page, "suggest-desktop")
    assert_clean(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize("width", [DESKTOP, PHONE_390])
def test_all_results_page_by_page(page: Page, corpus_site: Served, width: dict) -> None:
    page.set_viewport_size(width)
    total = len(corpus_site.corpus.slugs)  # every package says "django"; no grid does
    open_page(page, corpus_site.url)
    page.fill("#q", "django")
    last = page.locator("#q-suggest li.all a")
    expect(last).to_have_text(f"All {total} results for “django” →")
    last.click()
    page.wait_for_url(re.compile(r"/search/\?q=django$"))
    expect(page.locator("#search-status")).to_have_text(f"{total} results for “django”, 1–50 shown")
    assert page.locator("#search-results > li").count() == 50
    seen = page.locator("#search-results > li > a").all_inner_texts()
    page.click("#search-results + nav.pager a[rel=next]")
    page.wait_for_url(re.compile(r"\?q=django&page=2$"))
    expect(page.locator("#search-status")).to_contain_text("51–100 shown")
    seen += page.locator("#search-results > li > a").all_inner_texts()
    page.reload(wait_until="networkidle")
    page.click("#search-results + nav.pager a[rel=next]")
    expect(page.locator("#search-status")).to_contain_text(f"101–{total} shown")
    seen += page.locator("#search-results > li > a").all_inner_texts()
    assert len(seen) == total
    screenshot(page, f"search-page-3-{width['width']}")
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width["width"]
    assert_clean(page)
    assert axe_violations(page) == []


@pytest.mark.parametrize(
    ("typed", "first"),
    [
        ("DRF", "django-rest-framework"),  # an alias, matched like a title
        ("unisender", "django-anymail"),  # a word past the description's 120th character
        ("complementing", "django-robots"),
    ],
)
def test_shipped_aliases_and_whole_descriptions(
    page: Page, shipped_site: Served, typed: str, first: str
) -> None:
    open_page(page, shipped_site.url)
    page.keyboard.press("/")
    page.keyboard.type(typed)
    expect(page.locator("#q-suggest li a .name").first).to_have_text(first)
    assert_clean(page)


def test_typos_rank_below_real_matches(page: Page, shipped_site: Served) -> None:
    """Typing auth lists packages about auth (title, slug or description) before near
    misses such as autocomplete."""
    open_page(page, shipped_site.url + "search/?q=auth")
    page.wait_for_selector("#search-results li")
    titles = page.locator("#search-results > li > a").all_inner_texts()
    snippets = page.locator("#search-results > li").all_inner_texts()
    exact = [bool(re.search(r"auth", text, re.I)) for text in snippets]
    assert exact[0] and exact == sorted(exact, reverse=True), list(zip(titles, exact, strict=True))
    assert "django-autocomplete-light" not in titles[:3]


def test_snippets_are_text_not_markdown(page: Page, shipped_site: Served) -> None:
    open_page(page, shipped_site.url + "search/?q=content+security+policy")
    item = page.locator("#search-results > li", has=page.get_by_role("link", name="django-csp"))
    expect(item.locator(".snippet")).to_have_text("Adds Content-Security-Policy headers to Django.")
    expect(item.locator(".facts")).to_contain_text("stars not fetched yet")
    assert "](" not in page.locator("#search-results").inner_text()
    assert_clean(page)
