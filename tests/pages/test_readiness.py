"""Readiness pages in a real browser: the counts shown match the corpus data."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import Page

from tests.helpers.browser import Served, assert_clean, open_page
from tests.helpers.corpus import DJANGO


def django_counts(site: Served, release: str) -> tuple[int, int, int]:
    """(declare, don't, unknown) for a Django release, from the enrichment files."""
    counts = [0, 0, 0]
    for ident in range(1, len(site.corpus.slugs) + 1):
        facts = site.content / "enriched" / f"{ident}.json"
        pypi = json.loads(facts.read_text())["pypi"] if facts.is_file() else None
        named = [c for c in (pypi or {}).get("classifiers", []) if "Django :: " in c]
        if not named:
            counts[2] += 1
        else:
            counts[0 if f"Framework :: Django :: {release}" in named else 1] += 1
    return tuple(counts)


@pytest.mark.parametrize("release", ["3.2", "5.0", "5.2"])
def test_release_page_counts_match_the_data(page: Page, corpus_site: Served, release) -> None:
    supported, unsupported, unknown = django_counts(corpus_site, release)
    open_page(page, corpus_site.url + f"readiness/django/{release}/")
    counts = page.locator("#ready-counts strong").all_inner_texts()
    assert counts == [str(supported), str(unsupported), str(unknown)]
    listed = page.locator("#h-yes + ol.ready li")
    assert listed.count() == min(supported, 100)
    stars = [int(re.sub(r"\D", "", t)) for t in listed.locator(".muted").all_inner_texts()]
    assert stars == sorted(stars, reverse=True)
    assert_clean(page)


def test_index_lists_every_release_found(page: Page, corpus_site: Served) -> None:
    open_page(page, corpus_site.url + "readiness/")
    rows = page.locator("#h-django ~ .scroll tbody tr")
    found = [t.removeprefix("Django ") for t in rows.locator("th").all_inner_texts()]
    assert sorted(found, key=lambda v: tuple(map(int, v.split(".")))) == list(DJANGO)
    total = len(corpus_site.corpus.slugs)
    for i, release in enumerate(found):
        cells = rows.nth(i).locator("td").all_inner_texts()
        assert tuple(int(c) for c in cells) == django_counts(corpus_site, release)
        assert sum(int(c) for c in cells) == total
    python = page.locator("#h-python ~ .scroll tbody th").all_inner_texts()
    assert "Python 3.12" in python
    page.locator("#h-python ~ .scroll tbody th a", has_text="Python 3.12").click()
    page.wait_for_url(re.compile(r"/readiness/python/3\.12/$"))
    assert page.locator("h1").inner_text() == "Python 3.12 readiness"
    assert_clean(page)
