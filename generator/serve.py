"""`djp serve`: serve a built site on localhost the way GitHub Pages does.

`index.html`, else `index.json`, is a folder's index; `.json` is served as
`application/json` with `Access-Control-Allow-Origin: *`; query strings are ignored;
a missing file gets `404.html` with status 404; a folder without a trailing slash is
redirected to it. A site built for a path prefix is served under that prefix.

It is a preview, yet it listens on a port: a symlink is served only when it stays
inside the site, a path longer than `MAX_PATH` gets 414, a connection idle for
`TIMEOUT` seconds is closed, and up to `BACKLOG` connections may wait to be accepted.
"""

from __future__ import annotations

import mimetypes
import posixpath
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

MAX_PATH = 2048
"""Longest URL path answered (GitHub Pages refuses longer ones too)."""
TIMEOUT = 30
"""Seconds a connection may wait for its request before it is closed."""
BACKLOG = 128
"""Connections waiting to be accepted (Python's default, 5, drops a burst of them)."""
TYPES = {
    ".json": "application/json",
    ".xml": "application/xml",
    ".svg": "image/svg+xml",
    ".js": "text/javascript",
    ".css": "text/css",
    ".html": "text/html; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


def _inside(root: Path, path: Path) -> bool:
    """`path` exists and, symlinks followed, is `root` or under it (`root` is resolved)."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):  # missing, a loop, too long
        return False
    return real == root or root in real.parents


def resolve(root: Path, url_path: str) -> tuple[Path | None, bool]:
    """The file a URL path names (or None), and whether it is a folder missing its `/`.
    Nothing outside `root` (resolved) is ever named, through `..` or a symlink."""
    path = posixpath.normpath(unquote(url_path))
    parts = [p for p in path.split("/") if p and p not in (".", "..")]
    target = root.joinpath(*parts)
    if not _inside(root, target):
        return None, False
    if target.is_dir():
        for index in ("index.html", "index.json"):
            if _inside(root, target / index) and (target / index).is_file():
                return target / index, not url_path.endswith("/")
        return None, False
    return (target, False) if target.is_file() else (None, False)


def make_handler(
    root: Path, prefix: str = "/", timeout: float = TIMEOUT
) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = "djp-serve"

        def setup(self) -> None:
            self.timeout = timeout  # per connection: a silent client is dropped
            super().setup()

        def do_HEAD(self) -> None:
            self.respond(body=False)

        def do_GET(self) -> None:
            self.respond(body=True)

        def __getattr__(self, name: str) -> Any:
            """Any other method (`do_POST`, ...) gets 405, as on GitHub Pages."""
            if name.startswith("do_"):
                return self.refuse
            raise AttributeError(name)

        def refuse(self) -> None:
            self.send_response(HTTPStatus.METHOD_NOT_ALLOWED)
            self.send_header("Allow", "GET, HEAD")
            self.send_header("Content-Length", "0")
            self.end_headers()

        def respond(self, body: bool) -> None:
            url_path = urlsplit(self.path).path
            if len(url_path) > MAX_PATH:
                self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
                return
            inside = url_path.startswith(prefix) or url_path + "/" == prefix
            file, needs_slash = (
                resolve(root, url_path[len(prefix) - 1 :]) if inside else (None, False)
            )
            if needs_slash:
                self.send_response(HTTPStatus.MOVED_PERMANENTLY)
                self.send_header("Location", url_path + "/")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            status = HTTPStatus.OK
            if file is None:
                status, file = HTTPStatus.NOT_FOUND, root / "404.html"
            data = file.read_bytes() if _inside(root, file) and file.is_file() else b"Not found\n"
            kind = TYPES.get(file.suffix) or mimetypes.guess_type(file.name)[0]
            self.send_response(status)
            self.send_header("Content-Type", kind or "application/octet-stream")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            if body:
                self.wfile.write(data)

        def log_message(self, format: str, *args: object) -> None:
            if not getattr(self.server, "quiet", False):
                super().log_message(format, *args)

    return Handler


class _Server(ThreadingHTTPServer):
    request_queue_size = BACKLOG


def make_server(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    prefix: str = "/",
    quiet: bool = False,
    timeout: float = TIMEOUT,
) -> ThreadingHTTPServer:
    """A server for `root` mounted at `prefix` (the site URL's path, as on GitHub Pages
    project sites); port 0 picks a free port (see `server.server_address`)."""
    prefix = "/" + prefix.strip("/") + "/" if prefix.strip("/") else "/"
    server = _Server((host, port), make_handler(root.resolve(), prefix, timeout))
    server.quiet = quiet  # type: ignore[attr-defined]
    server.daemon_threads = True
    return server
