"""Package lists in a real browser: sort and filter in place, state in the URL."""

from __future__ import annotations

import json
import re

from playwright.sync_api import Page, expect

from tests.helpers.browser import Served, assert_clean, open_page


def enriched(site: Served) -> dict[str, dict]:
    """slug → enrichment document, read straight from the corpus files."""
    import yaml

    out = {}
    for record in sorted((site.content / "packages").glob("*.yaml")):
        data = yaml.safe_load(record.read_text())
        facts = site.content / "enriched" / f"{data['id']}.json"
        doc = json.loads(facts.read_text()) if facts.is_file() else {}
        out[record.stem] = {**data, **doc}
    return out


def hidden_by_default(doc: dict) -> bool:
    return bool((doc.get("repo") or {}).get("archived") or doc.get("deprecated_since"))


def shown_slugs(page: Page) -> list[str]:
    hrefs = page.locator("table.list tbody th a").evaluate_all("as => as.map(a => a.pathname)")
    return [h.rstrip("/").rsplit("/", 1)[-1] for h in hrefs]


def stars(doc: dict) -> int:
    return (doc.get("repo") or {}).get("stars", 0)


def test_sort_by_stars_keeps_state_in_the_url(page: Page, corpus_site: Served) -> None:
    docs = enriched(corpus_site)
    open_page(page, corpus_site.url + "packages/")
    page.select_option("#list-controls select[name=sort]", "stars")
    page.wait_for_url(re.compile(r"\?sort=stars$"))
    slugs = shown_slugs(page)
    assert len(slugs) == 50
    visible = [s for s in docs if not hidden_by_default(docs[s])]
    expected = sorted(visible, key=lambda s: (-stars(docs[s]), docs[s]["title"].lower()))
    assert [stars(docs[s]) for s in slugs] == [stars(docs[s]) for s in expected[:50]]
    assert slugs[0] == expected[0]
    # The address alone restores the list, and the next page continues the order.
    page.click("nav.pager a[rel=next]")
    page.wait_for_url(re.compile(r"\?sort=stars&page=2$"))
    page.reload(wait_until="networkidle")
    expect(page.locator("#list-controls select[name=sort]")).to_have_value("stars")
    assert [stars(docs[s]) for s in shown_slugs(page)] == [stars(docs[s]) for s in expected[50:100]]
    assert_clean(page)


def test_filter_by_django_release_and_show_archived(page: Page, corpus_site: Served) -> None:
    docs = enriched(corpus_site)
    declared = {
        s
        for s, d in docs.items()
        if "Framework :: Django :: 5.1" in ((d.get("pypi") or {}).get("classifiers") or [])
    }
    open_page(page, corpus_site.url + "packages/?django=5.1&sort=score")
    expect(page.locator("#list-controls select[name=django]")).to_have_value("5.1")
    shown = set(shown_slugs(page))
    assert shown == {s for s in declared if not hidden_by_default(docs[s])}
    assert page.locator("#list-status").inner_text().startswith(f"{len(shown)} packages")
    page.check("#list-controls input[name=all]")
    page.wait_for_url(re.compile(r"all=1"))
    assert set(shown_slugs(page)) == declared
    assert page.locator("table.list tbody .tag").count() > 0
    assert_clean(page)


def test_category_page_filters_by_python_release(page: Page, corpus_site: Served) -> None:
    docs = enriched(corpus_site)
    open_page(page, corpus_site.url + "categories/frameworks/")
    page.select_option("#list-controls select[name=python]", "3.12")
    page.select_option("#list-controls select[name=sort]", "commit")
    page.wait_for_url(re.compile(r"\?sort=commit&python=3\.12$"))
    slugs = shown_slugs(page)
    assert slugs
    assert all(docs[s]["category"] == "frameworks" for s in slugs)
    commits = [(docs[s].get("repo") or {}).get("last_commit") or "" for s in slugs]
    assert commits == sorted(commits, reverse=True)
    for slug in slugs:
        pypi = docs[slug].get("pypi") or {}
        named = any(c.endswith(":: 3.12") for c in pypi.get("classifiers", []))
        floor = re.fullmatch(r">=3\.(\d+)", pypi.get("requires_python") or "")
        assert named or (floor and int(floor[1]) <= 12), (slug, pypi)
    assert_clean(page)
