"""Render stage, feeds and crawler files: the Atom feed of the latest packages,
`sitemap.xml` and `robots.txt`."""

from __future__ import annotations

import re
from collections.abc import Iterable
from xml.sax.saxutils import escape as _escape

from .. import urls
from ..derive import Site
from ..enriched import format_datetime

FEED_SIZE = 20
Outputs = dict[str, bytes]
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters XML 1.0 forbids anywhere (controls, surrogates, U+FFFE, U+FFFF)."""


def escape(text: str) -> str:
    """Text for XML content or a double-quoted attribute: forbidden characters dropped,
    `&`, `<`, `>` and `"` escaped."""
    return _escape(NOT_XML.sub("", text), {'"': "&quot;"})


def render_atom(site: Site) -> bytes:
    """The newest packages (by `created`, then id), newest first."""
    url = site.settings.site_url
    latest = sorted(site.packages, key=lambda v: (v.package.created, v.package.id), reverse=True)[
        :FEED_SIZE
    ]
    updated = format_datetime(latest[0].package.created if latest else site.as_of)
    entries = []
    for v in latest:
        link = urls.url(url, v.path)
        summary = v.package.description or v.repo.description or v.package.title
        entries.append(
            "<entry>"
            f"<title>{escape(v.package.title)}</title>"
            f'<link rel="alternate" type="text/html" href="{escape(link)}"/>'
            f"<id>{escape(link)}</id>"
            f"<published>{format_datetime(v.package.created)}</published>"
            f"<updated>{format_datetime(v.modified)}</updated>"
            f'<category term="{escape(v.category.slug)}" label="{escape(v.category.title)}"/>'
            f"<summary>{escape(summary)}</summary>"
            "</entry>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom">'
        f"<title>{escape(site.settings.title)}: latest packages</title>"
        f'<link rel="self" type="application/atom+xml" href="{escape(urls.url(url, urls.FEED))}"/>'
        f'<link rel="alternate" type="text/html" href="{escape(url)}"/>'
        f"<id>{escape(urls.url(url, urls.FEED))}</id>"
        f"<updated>{updated}</updated>"
        f"<author><name>{escape(site.settings.title)}</name></author>"
        + "".join(entries)
        + "</feed>\n"
    ).encode()


def render_sitemap(site_url: str, pages: Iterable[str]) -> bytes:
    """Every HTML page (paths ending in `index.html`), sorted."""
    locs = sorted(
        urls.url(site_url, urls.served_path(p)) for p in pages if p.endswith("index.html")
    )
    body = "".join(f"<url><loc>{escape(loc)}</loc></url>\n" for loc in locs)
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    ).encode()


def render_robots(site_url: str) -> bytes:
    return f"User-agent: *\nAllow: /\nSitemap: {urls.url(site_url, urls.SITEMAP)}\n".encode()
