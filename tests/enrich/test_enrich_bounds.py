"""Bounded: no answer can hold more than a few MiB, outlive the request deadline or the
time limit, or make the run sleep for days. A hostile PyPI (raw HTTP on loopback,
writing whatever it likes) beside the fake GitHub, whose package must still succeed."""

from __future__ import annotations

import asyncio
import json
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable
from datetime import UTC, datetime
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from generator.enrich import Options, run_enrichment
from tests.helpers.fakes import Repo, make_commits

PROJECT = json.dumps({"info": {"version": "1.0"}, "urls": []}).encode()
MiB = 1024 * 1024

Write = Callable[[BaseHTTPRequestHandler], None]


class Hostile:
    """A loopback server whose `write` answers every request byte by byte as told."""

    def __init__(self, write: Write) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                hostile.requests += 1
                try:
                    write(self)
                except OSError:  # the client hung up: what the tests want
                    self.close_connection = True

        class Server(ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request: object, client_address: object) -> None:
                pass

        hostile = self
        self.requests = 0
        self.httpd = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def head(h: BaseHTTPRequestHandler, status: int = 200, **headers: str) -> None:
    h.send_response(status)
    h.send_header("Content-Type", "application/json")
    for key, value in headers.items():
        h.send_header(key.replace("_", "-"), value)
    h.end_headers()


@cache
def gzip_bomb() -> bytes:
    """128 MiB of zeros in about 0.6 MB of gzip."""
    pack = zlib.compressobj(1, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(MiB)
    return b"".join(pack.compress(zeros) for _ in range(128)) + pack.flush()


def bomb(h: BaseHTTPRequestHandler) -> None:
    data = gzip_bomb()
    head(h, Content_Encoding="gzip", Content_Length=str(len(data)))
    h.wfile.write(data)


def endless(h: BaseHTTPRequestHandler) -> None:
    """A chunked JSON list that never closes (the server gives up after 64 MiB)."""
    head(h, Transfer_Encoding="chunked")
    chunk = b"0," * 32768
    for _ in range(64 * MiB // len(chunk)):
        h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
    h.wfile.write(b"0\r\n\r\n")


def not_gzip(h: BaseHTTPRequestHandler) -> None:
    head(h, Content_Encoding="gzip", Content_Length=str(len(PROJECT)))
    h.wfile.write(PROJECT)


def trickle(h: BaseHTTPRequestHandler) -> None:
    """A valid answer, one byte every 0.1 s (each read is quick; the whole is not)."""
    head(h, Content_Length=str(len(PROJECT)))
    for byte in PROJECT:
        h.wfile.write(bytes([byte]))
        h.wfile.flush()
        time.sleep(0.1)


@pytest.fixture
def pypi_says(hosts, content, monkeypatch):
    """Point PyPI at a hostile server; package 1 is on PyPI there, 2 on the fake GitHub."""
    started: list[Hostile] = []

    def start(write: Write) -> Hostile:
        server = Hostile(write)
        started.append(server)
        monkeypatch.setenv("PYPI_URL", server.url)
        now = datetime.now(UTC)
        hosts.github.forest.add(Repo("me/app", commits=make_commits(now, [1] * 52, ["a"])))
        content.package(1, "hostile", "https://example.org/hostile", pypi_name="hostile")
        content.package(2, "app", "https://github.com/me/app")
        return server

    yield start
    for server in started:
        server.close()


def assert_github_package_fine(content) -> None:
    assert content.enriched(2)["repo"]["stars"] == 10


@pytest.mark.parametrize("write", [bomb, endless], ids=["gzip-bomb", "endless-chunked"])
def test_a_huge_body_fails_its_package_in_little_memory(pypi_says, content, write):
    pypi_says(write)
    tracemalloc.start()
    try:
        summary = content.run(retries=0)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert summary.failed == {"too_large": 1}
    assert peak < 48 * MiB, f"peak {peak / MiB:.0f} MiB"
    assert_github_package_fine(content)


def test_gzip_announced_over_plain_bytes_fails_only_its_package(pypi_says, content):
    pypi_says(not_gzip)
    summary = content.run()
    assert summary.failed == {"bad_encoding": 1}
    assert_github_package_fine(content)


def test_a_trickling_body_cannot_outlive_the_request_timeout(pypi_says, content):
    pypi_says(trickle)
    summary = content.run(retries=0, timeout=1.0)
    assert summary.failed == {"timeout": 1}
    assert_github_package_fine(content)


def test_a_trickling_body_cannot_outlive_the_time_limit(pypi_says, content):
    """The GitHub package is fetched first (it is quick); the time limit cuts PyPI's."""
    pypi_says(trickle)
    summary = content.run(retries=0, timeout=60.0, time_limit=2.0)
    assert summary.usage["pypi"].stopped == "time limit"
    assert not summary.failed


@pytest.mark.parametrize(
    "headers",
    [
        {"Retry_After": "999999"},
        {"RateLimit_Remaining": "0", "RateLimit_Reset": str(int(time.time()) + 999999)},
    ],
    ids=["retry-after", "ratelimit-reset"],
)
def test_a_wait_of_days_gives_the_host_up_for_the_run(pypi_says, content, headers):
    def refuse(h: BaseHTTPRequestHandler) -> None:
        head(h, 429, Content_Length="0", **headers)

    server = pypi_says(refuse)
    run = run_enrichment(Options(content.root, retries=2, backoff=0.01))
    summary = asyncio.run(asyncio.wait_for(run, 120))  # a guard: the bug slept 11 days
    assert "more than --max-wait" in summary.usage["pypi"].stopped
    assert summary.usage["pypi"].waited == 0
    assert summary.skipped == 1 and server.requests == 1
    assert_github_package_fine(content)


def test_nan_in_an_answer_is_not_json(pypi_says, content):
    """Python's json reads `NaN`; the enricher must not, or it writes invalid JSON."""
    body = b'{"info": {"version": "1.0"}, "urls": [], "stars": NaN, "x": -Infinity}'

    def nan(h: BaseHTTPRequestHandler) -> None:
        head(h, Content_Length=str(len(body)))
        h.wfile.write(body)

    pypi_says(nan)
    summary = content.run(retries=0)
    assert summary.failed == {"bad_json": 1}
    assert_github_package_fine(content)
