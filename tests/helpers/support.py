"""Test helpers: content trees written from dicts, builds through the real CLI."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner, Result

from generator.cli import main
from generator.serve import make_server

REPO = Path(__file__).resolve().parents[2]
CONTENT = REPO / "content"
TEMPLATES = REPO / "templates"

SITE = {
    "site_url": "https://example.org/",
    "title": "Test Packages",
    "repository": "example/packages",
}
CATEGORIES = {
    "apps": {"id": 1, "title": "App", "title_plural": "Apps", "created": "2020-01-01"},
    "frameworks": {
        "id": 2,
        "title": "Framework",
        "title_plural": "Frameworks",
        "created": "2020-01-01",
    },
}


ENRICHED = {
    "last_fetched": "2026-06-01T00:00:00Z",
    "modified": "2026-05-20T08:00:00.123456Z",
    "repo": {
        "stars": 1000,
        "forks": 50,
        "description": "Caching for the ORM.",
        "last_commit": "2025-10-15T12:00:00Z",
        "archived": False,
        "license": "BSD",
        "commits_over_52": list(range(52)),
        "participants": ["ann", "bob", "cy"],
    },
    "pypi": {
        "version": "1.2.0",
        "released": "2026-01-01T00:00:00Z",
        "license": "MIT",
        "requires_python": "<3",
        "classifiers": ["Framework :: Django :: 4.2", "Framework :: Django :: 5.0"],
        "yanked": False,
        "documentation_url": "https://docs.example.org/",
    },
}
"""One package's machine-written facts in the enricher's shape, for API and page tests."""


def package(ident: int, **extra: Any) -> dict[str, Any]:
    """A valid package record; keyword arguments replace or add fields."""
    record = {
        "id": ident,
        "title": f"Package {ident}",
        "category": "apps",
        "repo_url": f"https://github.com/example/package-{ident}",
        "created": f"2021-01-{ident % 28 + 1:02d}T10:00:00Z",
    }
    record.update(extra)
    return record


def write_tree(root: Path, files: dict[str, Any]) -> Path:
    """Write `files` (relative path → dict for YAML/JSON, or str as-is) under `root`."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        elif rel.endswith(".json"):
            path.write_text(json.dumps(data), encoding="utf-8")
        else:
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return root


def content_files(
    packages: dict[str, dict[str, Any]],
    grids: dict[str, Any] | None = None,
    enriched: dict[int, Any] | None = None,
    site: dict | None = None,
) -> dict[str, Any]:
    """A whole content tree as a dict: site, categories, the given records."""
    files: dict[str, Any] = {"site.yaml": site or SITE}
    files.update({f"categories/{slug}.yaml": c for slug, c in CATEGORIES.items()})
    files.update({f"packages/{slug}.yaml": p for slug, p in packages.items()})
    files.update({f"grids/{slug}.yaml": g for slug, g in (grids or {}).items()})
    files.update({f"enriched/{i}.json": e for i, e in (enriched or {}).items()})
    return files


def run_cli(*args: str, input: str | None = None) -> Result:
    """Run `djp ARGS` in-process through click, the way a user's shell would (`input`:
    what they would type at its prompts)."""
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def build_site(content: Path, out: Path, base_url: str = "https://example.org/") -> Result:
    result = run_cli(
        "build",
        "--content",
        str(content),
        "--templates",
        str(TEMPLATES),
        "--out",
        str(out),
        "--base-url",
        base_url,
        "--cache",
        str(out.parent / ".cache"),
    )
    assert result.exit_code == 0, result.output
    return result


def copy_content(tmp_path: Path) -> Path:
    """A private copy of the shipped content, safe to edit."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT, target)
    return target


@contextmanager
def served(
    out: Path, prefix: str = "/", build: Callable[[str], object] | None = None
) -> Iterator[str]:
    """Serve `out` with `djp serve` on a free loopback port; yields the site URL.

    The port is bound first, so `build(site_url)` (run before serving) can write a site
    whose absolute links name the very server the test talks to."""
    server = make_server(out, port=0, prefix=prefix, quiet=True)
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}{prefix}"
    if build is not None:
        build(url)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
