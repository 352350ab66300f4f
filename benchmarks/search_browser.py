"""Measure search at scale in Chromium: keystroke → first result, and bytes fetched.

Builds a generated corpus (default 5,000 packages, `tests/browser/corpus.py`), serves
it on loopback, and in headless Chromium (Debian's, via Playwright):

- cold: open the home page, press `/`, type one letter at once (or after a 300 ms
  pause, as a person would): time from that keystroke to the first suggestion painted,
  with the index fetched (it is requested when the box gets focus) and parsed on the way;
- warm: keep typing `django-rest` letter by letter: time per keystroke to the update;
- bytes: everything the page fetched up to the first result, raw and gzip-compressed
  (GitHub Pages compresses text; the local server does not, so gzip -6 is applied here);
- page weights: package page HTML + CSS before compression.

Budget (issue 5): first result within 100 ms of a keystroke, at most 300 KB compressed
fetched before it. Run: `PYTHONPATH=. python benchmarks/search_browser.py [--packages N]`.
Numbers vary with the machine; nothing here is asserted.
"""

from __future__ import annotations

import argparse
import gzip
import statistics
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from generator.build import build
from generator.serve import make_server
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--packages", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="djp-search-bench-"))
    write_corpus(root / "content", packages=args.packages, grids=max(4, args.packages // 125))
    server = make_server(root / "out", port=0, quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    build(root / "content", TEMPLATES, root / "out", Overrides(site_url=url))
    threading.Thread(target=server.serve_forever, daemon=True).start()

    cold: dict[int, list[float]] = {0: [], 300: []}
    warm: list[float] = []
    fetched: dict[str, None] = {}
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
            fetched = dict.fromkeys(paths)
            context.close()
        browser.close()
    server.shutdown()

    out = root / "out"
    sizes = []
    for path in fetched:
        file = out / path.lstrip("/")
        file = file / "index.html" if file.is_dir() else file
        if file.is_file() and file.suffix in (".html", ".css", ".js", ".json"):
            data = file.read_bytes()
            sizes.append((path, len(data), len(gzip.compress(data, 6))))
    print(f"corpus: {args.packages} packages, built at {out}")
    for pause, times in cold.items():
        print(
            f"first keystroke {pause} ms after focus, ms: {[round(x, 1) for x in times]} "
            f"(median {statistics.median(times):.1f}, max {max(times):.1f})"
        )
    print(f"warm per keystroke, ms: median {statistics.median(warm):.1f}, max {max(warm):.1f}")
    print("fetched before the first result (raw / gzip -6 bytes):")
    for path, raw, packed in sizes:
        print(f"  {path:32} {raw:>9,} {packed:>8,}")
    print(f"  {'total':32} {sum(s[1] for s in sizes):>9,} {sum(s[2] for s in sizes):>8,}")
    page_html = (out / "packages/p/djangorestframework/index.html").stat().st_size
    css = (out / "static/style.css").stat().st_size
    print(f"package page: {page_html:,} B HTML + {css:,} B CSS = {page_html + css:,} B")


if __name__ == "__main__":
    main()
