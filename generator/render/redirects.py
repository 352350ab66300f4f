"""Render stage, renames: old package URLs keep working after a slug changes.

For each slug in a record's `old_slugs`, the old page (`urls.package(old)`) becomes a
small redirect page (meta refresh, canonical link and a plain link, so it works without
JavaScript and search engines move their index to the new URL), and the old API URL
(`api/v4/packages/<old>/`) gets a copy of the package's current document: JSON clients
cannot follow an HTML redirect, and GitHub Pages cannot send HTTP ones.
"""

from __future__ import annotations

from html import escape

from .. import urls
from ..derive import Site
from .api_v4 import ApiUrls, dump_json, package_document

Outputs = dict[str, bytes]


def redirect_page(target: str, title: str) -> bytes:
    """An HTML page that sends people and crawlers to `target` (an absolute URL)."""
    url = escape(target, quote=True)
    name = escape(title)
    return (
        "<!doctype html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{name} has moved</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{url}">\n'
        '<meta name="robots" content="noindex">\n'
        "</head>\n<body>\n"
        f'<p>{name} has moved to <a href="{url}">{url}</a>.</p>\n'
        "</body>\n</html>\n"
    ).encode()


def render_redirects(site: Site) -> Outputs:
    """Redirect pages and API copies for every old slug, from the data (the copy is the
    package's v4 document, made as `api_v4` makes it)."""
    out: Outputs = {}
    api = ApiUrls(site.settings.site_url)
    for view in (v for v in site.packages if v.package.old_slugs):
        current = urls.url(site.settings.site_url, view.path)
        document = dump_json(package_document(view, api))
        for old in view.package.old_slugs:
            out[urls.page_file(urls.package(old))] = redirect_page(current, view.package.title)
            out[urls.document_file(urls.api_v4("packages", old))] = document
    return out
