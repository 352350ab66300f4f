"""The road not taken, measured: Pagefind on a built site, cold, in Chromium.

Given a site built by `benchmarks/search_browser.py` (its output folder), index the
package and grid pages with the Pagefind binary from the `pagefind_bin` wheel (not a
project dependency: `pip install pagefind_bin` first), then for a few queries time
import + init + search + the first 8 results' data, and add up the bytes fetched
(Pagefind's index and fragments are stored compressed; other files are gzipped here).
Run: `PYTHONPATH=. python benchmarks/search_pagefind.py /tmp/djp-search-bench-…/out`.
"""

from __future__ import annotations

import gzip
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pagefind_bin
from playwright.sync_api import sync_playwright

from generator.serve import make_server
from tests.helpers.browser import CHROMIUM_ARGS, chromium_executable

QUERIES = ("d", "cache", "rest framework", "debug toolbr")
SEARCH = """async (q) => {
  const t0 = performance.now();
  const pf = await import('/pagefind/pagefind.js');
  await pf.init();
  const r = await pf.search(q);
  const data = await Promise.all(r.results.slice(0, 8).map((x) => x.data()));
  return [performance.now() - t0, r.results.length, data.map((d) => d.meta.title)[0]];
}"""


def compressed_size(file: Path) -> int:
    raw = file.read_bytes()
    return len(raw) if file.suffix.startswith(".pf_") else len(gzip.compress(raw, 6))


def main(out: Path) -> None:
    binary = Path(pagefind_bin.__file__).parent / "pagefind"
    glob = "{packages/p,grids/g}/**/*.html"
    subprocess.run([binary, "--site", out, "--glob", glob], check=True, capture_output=True)
    server = make_server(out, port=0, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)
        for query in QUERIES:
            context = browser.new_context()
            page = context.new_page()
            page.goto(url + "search/", wait_until="networkidle")
            paths: list[str] = []
            page.on("request", lambda r, paths=paths: paths.append(urlsplit(r.url).path))
            ms, count, first = page.evaluate(SEARCH, query)
            fetched = sum(compressed_size(out / path.lstrip("/")) for path in paths)
            print(
                f"{query!r:16} {ms:6.0f} ms  {count:5} results  first {first!r:28} "
                f"{len(paths)} requests  {fetched:,} B compressed"
            )
            context.close()
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]))
