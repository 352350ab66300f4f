"""The browser fixtures (Chromium, a page, the served corpus and shipped sites)."""

from tests.helpers.browser import browser, corpus_site, page, shipped_site

__all__ = ["browser", "corpus_site", "page", "shipped_site"]
