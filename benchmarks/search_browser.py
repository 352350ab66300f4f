"""Measure search and page weight at scale in Chromium.

Builds the benchmark corpus (`tests/helpers/corpus.py`, default 5,300 packages with
realistic field sizes and 370 grids), serves it on loopback, and in headless Chromium
(Debian's, via Playwright):

- cold: open the home page, press `/`, type one letter at once (or after a 300 ms
  pause, as a person would): time from that keystroke to the first suggestion painted,
  with the index fetched (it is requested when the box gets focus) and parsed on the way;
- warm: keep typing `django-rest` letter by letter: time per keystroke to the update;
- page weight per page type: every byte a page fetches from opening until it has been
  idle for 3 s (raw, and gzip -6 as GitHub Pages would send text), against `BUDGET`;
- throttled (CDP network emulation, 1.6 Mbps down, 150 ms round trip, the "slow 4G" of
  Lighthouse; text is served gzip-compressed, as GitHub Pages serves it): on the
  home page, time from navigation to the first suggestion when `d` is typed as soon as
  the page has loaded; on the package list, time until the controls are usable and
  until `?sort=stars` shows its first row.

Run: `PYTHONPATH=. python benchmarks/search_browser.py [--packages N]`. Exits 1 when a
page type is over its budget; timings are printed, never asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import sys
import tempfile
import threading
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, sync_playwright

from generator.build import build
from generator.serve import TYPES, make_handler, resolve
from generator.settings import Overrides
from tests.helpers.browser import CHROMIUM_ARGS, TEMPLATES, chromium_executable
from tests.helpers.corpus import write_corpus

# In the page: stamp each keydown, and the frame after the suggestion list changes.
PROBE = """
window.__marks = [];
document.addEventListener('keydown', () => window.__marks.push(['key', performance.now()]), true);
new MutationObserver(() => requestAnimationFrame(() =>
  window.__marks.push(['shown', performance.now()]))
).observe(document.querySelector('form.search'), {childList: true, subtree: true});
"""
SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_600_000 / 8,
    "uploadThroughput": 750_000 / 8,
}
BUDGET = {
    "home": 60_000,
    "packages": 60_000,
    "category": 60_000,
    "package": 60_000,
    "grid": 150_000,
    "grids": 120_000,
    "search": 450_000,  # the one page that uses the index: names, facts and descriptions
    "readiness": 60_000,
    "api": 60_000,
}
"""Bytes (gzip -6) a page of each type may fetch before it is idle, search not used."""


def gzip_server(root: Path) -> ThreadingHTTPServer:
    """The built site on a free loopback port, text sent gzip-compressed when the client
    accepts it, as GitHub Pages sends it (`djp serve` sends bytes as they are)."""
    plain = make_handler(root)

    class Handler(plain):  # type: ignore[misc, valid-type]
        def do_GET(self) -> None:
            file, _ = resolve(root, urlsplit(self.path).path)
            if file is None or "gzip" not in self.headers.get("Accept-Encoding", ""):
                return plain.do_GET(self)
            data = gzip.compress(file.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", TYPES.get(file.suffix, "application/octet-stream"))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    return server


def latencies(marks: list[list]) -> list[float]:
    """For each keystroke, ms until the first render after it (before the next key)."""
    out, pending = [], None
    for kind, t in marks:
        if kind == "key":
            pending = t
        elif pending is not None:
            out.append(t - pending)
            pending = None
    return out


def page_paths(out: Path) -> dict[str, str]:
    """One URL path per page type, found in the built site."""
    package = min(p.name for p in (out / "packages/p").iterdir())
    grid = min(p.name for p in (out / "grids/g").iterdir())
    category = min(p.name for p in (out / "categories").iterdir())
    return {
        "home": "",
        "packages": "packages/",
        "category": f"categories/{category}/",
        "package": f"packages/p/{package}/",
        "grid": f"grids/g/{grid}/",
        "grids": "grids/",
        "search": "search/?q=cache",
        "readiness": "readiness/",
        "api": "api/",
    }


def sizes(out: Path, paths: list[str]) -> list[tuple[str, int, int]]:
    """(path, raw bytes, gzip -6 bytes) of each fetched file of the site."""
    found = []
    for path in dict.fromkeys(paths):
        file = out / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        if file.is_file():
            data = file.read_bytes()
            found.append((path, len(data), len(gzip.compress(data, 6))))
    return found


def weigh(browser: Browser, url: str, out: Path, path: str) -> list[tuple[str, int, int]]:
    """What one page fetches until idle for 3 s, search untouched."""
    context = browser.new_context()
    page = context.new_page()
    fetched: list[str] = []
    page.on("request", lambda r: fetched.append(urlsplit(r.url).path))
    page.goto(url + path, wait_until="networkidle")
    page.wait_for_timeout(3000)
    page.wait_for_load_state("networkidle")
    context.close()
    return sizes(out, fetched)


def throttled(browser: Browser) -> tuple[Page, object]:
    context = browser.new_context()
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    return page, context


def throttled_search(browser: Browser, url: str) -> tuple[float, float]:
    """(ms from navigation, ms from the keystroke) to the first suggestion, typing `d` as
    soon as the home page has loaded."""
    page, context = throttled(browser)
    page.goto(url, wait_until="load")
    page.evaluate(PROBE)
    page.keyboard.press("/")
    page.keyboard.type("d")
    page.wait_for_selector("#q-suggest:not([hidden]) li", timeout=120_000)
    page.wait_for_timeout(50)
    marks = page.evaluate("window.__marks")
    key = next(t for kind, t in marks if kind == "key")
    shown = next(t for kind, t in marks if kind == "shown" and t > key)
    context.close()
    return shown, shown - key


def throttled_list(browser: Browser, url: str) -> tuple[float, float]:
    """(ms to controls usable, ms to the first row of `?sort=stars`) on the package list."""
    page, context = throttled(browser)
    page.goto(url + "packages/?sort=stars", wait_until="commit")
    page.wait_for_selector("#list-controls:not([hidden])", timeout=120_000)
    usable = page.evaluate("performance.now()")
    page.wait_for_function(
        "document.querySelector('#list-status')?.textContent.includes('package')",
        timeout=120_000,
    )
    sorted_at = page.evaluate("performance.now()")
    context.close()
    return usable, sorted_at


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=5300)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="djp-search-bench-"))
    write_corpus(root / "content", args.packages)
    out = root / "out"
    server = gzip_server(out)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(root / "content", TEMPLATES, out, Overrides(site_url=url))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    cold: dict[int, list[float]] = {0: [], 300: []}
    warm: list[float] = []
    fetched: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for pause in [pause for pause in cold for _ in range(args.runs)]:
            context = browser.new_context()
            page = context.new_page()
            paths: list[str] = []
            page.on("request", lambda r, paths=paths: paths.append(urlsplit(r.url).path))
            page.goto(url, wait_until="load")
            page.evaluate(PROBE)
            page.keyboard.press("/")
            page.wait_for_timeout(pause)
            page.evaluate("window.__marks = []")
            page.keyboard.type("d")
            page.wait_for_selector("#q-suggest:not([hidden]) li")
            page.wait_for_timeout(100)
            cold[pause].append(latencies(page.evaluate("window.__marks"))[0])
            page.evaluate("window.__marks = []")
            for letter in "jango-rest":
                page.keyboard.type(letter)
                page.wait_for_timeout(60)
            warm.extend(latencies(page.evaluate("window.__marks")))
            fetched = paths
            context.close()
        weights = {name: weigh(browser, url, out, path) for name, path in page_paths(out).items()}
        search_slow = [throttled_search(browser, url) for _ in range(min(args.runs, 3))]
        list_slow = [throttled_list(browser, url) for _ in range(min(args.runs, 3))]
        browser.close()
    server.shutdown()

    print(f"corpus: {args.packages} packages, built at {out}")
    for pause, times in cold.items():
        print(
            f"first keystroke {pause} ms after focus, ms: {[round(x, 1) for x in times]} "
            f"(median {statistics.median(times):.1f}, max {max(times):.1f})"
        )
    print(f"warm per keystroke, ms: median {statistics.median(warm):.1f}, max {max(warm):.1f}")
    print("fetched before the first result (raw / gzip -6 bytes):")
    for path, raw, packed in sizes(out, fetched):
        print(f"  {path:40} {raw:>9,} {packed:>8,}")
    print("page weight until idle, search untouched (raw / gzip -6 bytes, budget):")
    over = []
    for name, files in weights.items():
        raw, packed = sum(f[1] for f in files), sum(f[2] for f in files)
        verdict = "ok" if packed <= BUDGET[name] else "OVER"
        if verdict == "OVER":
            over.append(name)
        detail = ", ".join(f"{Path(f[0]).name or f[0]} {f[1]:,}" for f in files)
        print(f"  {name:10} {raw:>9,} {packed:>8,} / {BUDGET[name]:>7,} {verdict:4}  ({detail})")
    print("throttled to 1.6 Mbps / 150 ms (gzip):")
    nav = statistics.median(s[0] for s in search_slow)
    key = statistics.median(s[1] for s in search_slow)
    print(
        f"  home, `d` typed at load: first suggestion {nav:,.0f} ms after navigation, "
        f"{key:,.0f} ms after the keystroke"
    )
    usable = statistics.median(s[0] for s in list_slow)
    first = statistics.median(s[1] for s in list_slow)
    print(f"  packages/?sort=stars: controls usable {usable:,.0f} ms, sorted rows {first:,.0f} ms")
    if over:
        print(f"over budget: {', '.join(over)}")
        sys.exit(1)


if __name__ == "__main__":
    main()
