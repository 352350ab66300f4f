"""Fixtures for the browser tests: a built site served on loopback, and Chromium.

Debian's Chromium is driven by Playwright (its own browser download cannot work here).
Every page a test opens records console errors, failed requests and any request that
leaves the loopback server; `visit` fails the test on any of them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from generator.build import build
from generator.settings import Overrides
from tests.helpers.corpus import ANCHORS, Corpus, write_corpus
from tests.helpers.support import served

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "templates"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_executable() -> str:
    """The Chromium to drive: `$CHROMIUM` if set, else the first on PATH (Debian's
    `chromium`; GitHub's Ubuntu runners link theirs as `chromium` and `chromium-browser`).
    """
    found = os.environ.get("CHROMIUM") or next(
        filter(None, map(shutil.which, ("chromium", "chromium-browser", "google-chrome"))), None
    )
    if not found:
        pytest.fail("no Chromium: install Debian's `chromium` or set CHROMIUM to its path")
    return found


DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}


@dataclass
class Served:
    """A built site and the URL it is served at."""

    url: str
    out: Path
    content: Path
    corpus: Corpus | None = None


@dataclass
class Visit:
    """What went wrong while a page was open."""

    errors: list[str] = field(default_factory=list)
    offsite: list[str] = field(default_factory=list)
    status: int = 0
    """HTTP status of the last page loaded with `open_page`."""


def serve(content: Path, out: Path) -> Iterator[Served]:
    site = partial(build, content, TEMPLATES, out)
    with served(out, "/", lambda url: site(Overrides(site_url=url))) as url:
        yield Served(url, out, content)


@pytest.fixture(scope="session")
def corpus_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The generated corpus (120 enriched packages, the anchors first; 8 grids, the
    first `caching`), built and served."""
    root = tmp_path_factory.mktemp("corpus")
    corpus = write_corpus(root / "content", 120, seed=5, anchors=ANCHORS)
    for site in serve(root / "content", root / "out"):
        site.corpus = corpus
        yield site


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """The shipped content/, built and served."""
    yield from serve(ROOT / "content", tmp_path_factory.mktemp("shipped") / "out")


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh desktop-sized page whose problems are collected in `page.visit`."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    visit = Visit()

    def console(message) -> None:
        if message.type == "error":
            visit.errors.append(f"{message.text} [{message.location.get('url')}]")

    tab.on("console", console)
    tab.on("pageerror", lambda e: visit.errors.append(str(e)))
    # A request cut short by the next navigation (ERR_ABORTED) is not a failure.
    tab.on(
        "requestfailed",
        lambda r: (
            "ERR_ABORTED" not in (r.failure or "")
            and visit.errors.append(f"failed: {r.url} ({r.failure})")
        ),
    )

    def only_loopback(route, request) -> None:
        if request.url.startswith(("http://127.0.0.1:", "data:")):
            route.continue_()
        else:
            visit.offsite.append(request.url)
            route.abort()

    tab.route("**/*", only_loopback)
    tab.visit = visit  # type: ignore[attr-defined]
    yield tab
    context.close()


def open_page(page: Page, url: str) -> Page:
    """Load `url` and wait until scripts and their data fetches are done."""
    response = page.goto(url, wait_until="networkidle")
    assert response is not None
    page.visit.status = response.status  # type: ignore[attr-defined]
    return page


def assert_clean(page: Page) -> None:
    visit: Visit = page.visit  # type: ignore[attr-defined]
    # The 404 page arrives with status 404, which Chromium logs: the page working as
    # intended, not an error in it.
    own_404 = f"status of 404 (Not Found) [{page.url}]"
    errors = [e for e in visit.errors if not (visit.status == 404 and e.endswith(own_404))]
    assert not errors, f"{page.url}: console errors {errors}"
    assert not visit.offsite, f"{page.url}: requests off-site {visit.offsite}"


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the current page, as readable lines."""
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` at the repository root")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in result
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    return target
