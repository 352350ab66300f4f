"""`djp check-links`: every internal link of a built site leads to a file in it.

Reads the output folder as GitHub Pages would serve it under the site URL: a link is
internal when it is relative, starts with the site's path, or is an absolute URL under
the site URL; it must name a file, or a folder with an index, as `djp serve` resolves
it (`serve.resolve`). HTML
pages are parsed for `href`, `src` and meta-refresh targets; in JSON, XML (sitemap,
feeds) and text files every string under the site URL counts, so the API's links are
checked too. External links are not fetched (there is no network in CI's tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import click

from .model import InvalidContent
from .options import base_url_option, content_option
from .serve import resolve
from .validate import site_settings

LINK_ATTRIBUTES = {"href", "src", "action", "poster"}
REFRESH_RE = re.compile(r"^\s*\d+\s*;\s*url\s*=\s*(.+?)\s*$", re.IGNORECASE)
TEXT_SUFFIXES = {".xml", ".txt"}


@dataclass(frozen=True, order=True)
class BrokenLink:
    """A link in `file` (relative to the site root), at `line`, to a missing path."""

    file: str
    line: int
    url: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.url}: {self.reason}"


class _LinkParser(HTMLParser):
    """Collects (line, URL) for every link-bearing attribute of an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        line = self.getpos()[0]
        values = dict(attrs)
        for name, value in attrs:
            if name in LINK_ATTRIBUTES and value is not None:
                self.links.append((line, value))
        refresh = (values.get("http-equiv") or "").lower() == "refresh"
        if tag == "meta" and refresh and (match := REFRESH_RE.match(values.get("content") or "")):
            self.links.append((line, match.group(1).strip("'\"")))


def html_links(text: str) -> list[tuple[int, str]]:
    parser = _LinkParser()
    parser.feed(text)
    parser.close()
    return parser.links


def data_links(text: str, site_url: str) -> list[tuple[int, str]]:
    """URLs under the site URL in JSON, XML or plain text, with their line."""
    pattern = re.compile(re.escape(site_url) + r"[^\s\"'<>]*")
    return [
        (n, m.group(0).rstrip(".,)"))
        for n, line in enumerate(text.splitlines(), start=1)
        for m in pattern.finditer(line)
    ]


def site_path(url: str, page: str, site_url: str) -> str | None:
    """The URL path (from the site root, still %-encoded) a link leads to; None if external.

    A site-absolute path outside the site's path prefix comes back starting with `../`:
    GitHub Pages would answer it from another site, or with a 404.
    """
    parts = urlsplit(url)
    if parts.scheme or url.startswith("//"):
        return urlsplit(url[len(site_url) :]).path if url.startswith(site_url) else None
    if not parts.path:
        return None  # `#fragment` or `?query` on the same page
    base = urlsplit(site_url).path
    absolute = urljoin(base + page, parts.path)
    if not absolute.startswith(base):
        return "../" + absolute.lstrip("/")
    return absolute[len(base) :]


def check_links(root: Path, site_url: str) -> tuple[int, list[BrokenLink]]:
    """(number of internal links checked, the broken ones) for a built site; `site_url`
    ends in `/`, as `Settings.site_url` does."""
    checked = 0
    broken: list[BrokenLink] = []
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        rel = file.relative_to(root).as_posix()
        if file.suffix == ".html":
            links = html_links(file.read_text(encoding="utf-8"))
        elif file.suffix == ".json" or file.suffix in TEXT_SUFFIXES:
            links = data_links(file.read_text(encoding="utf-8"), site_url)
        else:
            continue
        for line, url in links:
            target = site_path(url, rel, site_url)
            if target is None:
                continue
            checked += 1
            outside = target.startswith("../")
            if outside or resolve(root, "/" + target)[0] is None:
                reason = "outside the site" if outside else "no such page"
                broken.append(BrokenLink(rel, line, url, f"{reason} ({target or '/'})"))
    return checked, sorted(broken)


@click.command(name="check-links")
@click.argument(
    "out",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    default=Path("build"),
)
@base_url_option("Site URL the site was built for (default: content/site.yaml's).")
@content_option("Where site.yaml is, when --base-url is not given.")
def check_links_command(out: Path, base_url: str | None, content: Path) -> None:
    """Check every internal link (HTML, API JSON, sitemap, feeds) of a built site."""
    if base_url is None:
        try:
            base_url = site_settings(content).site_url
        except InvalidContent as exc:
            for problem in exc.problems:
                click.echo(f"{content}/{problem}", err=True)
            raise SystemExit(1) from None
    checked, broken = check_links(out, base_url)
    for link in broken:
        click.echo(str(link), err=True)
    if broken:
        click.echo(f"{len(broken)} broken link(s) of {checked} checked in {out}/", err=True)
        raise SystemExit(1)
    click.echo(f"{checked} internal links checked in {out}/: none broken")
