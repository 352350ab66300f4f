"""Untrusted text made safe: Markdown rendered then sanitised, links checked.

Python-Markdown passes raw `<script>` and `javascript:` links straight through, so its
output always goes through nh3 (the Ammonia sanitiser) with an allow-list of tags and
only http(s) and mailto links. Everything else reaches templates as plain text and is
escaped by Jinja2's autoescape.
"""

from __future__ import annotations

from functools import cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "p",
    "br",
    "code",
    "pre",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}


def http_url(url: str | None) -> str | None:
    """`url` if it is an absolute http(s) URL, else None (no `javascript:`, no data:)."""
    if not url:
        return None
    lowered = url.strip().lower()
    return url.strip() if lowered.startswith(("http://", "https://")) else None


# One converter, reset before each use: building a Markdown instance costs more than
# converting a short description with it.
_MARKDOWN = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")


@cache
def render_markdown(text: str) -> Markup:
    """Markdown from a record as sanitised HTML; raw HTML in it is neutralised.

    Cached by text: a package's description appears on its page and in every grid
    that lists it, and grid cells repeat the same few words.
    """
    html = _MARKDOWN.reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow noopener ugc",
        strip_comments=True,
    )
    return Markup(clean)
