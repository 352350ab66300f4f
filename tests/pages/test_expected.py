"""The whole built site against a reviewed, committed expectation (Pelican's way).

`tests/fixtures/expected-site/content/` is built with the real CLI and every file is
compared with `tests/fixtures/expected-site/output/` byte for byte. After an intended
change to the output: `bash tools/regenerate-expected`, review the diff, commit it.
"""

from __future__ import annotations

import difflib
import json
from pathlib import Path

import pytest

from tests.helpers.support import REPO, build_site

EXPECTED = REPO / "tests" / "fixtures" / "expected-site"
COPIES = ("static", "schemas")
"""Folders the build copies from the repository verbatim; not part of the expectation."""


def tree(root: Path) -> dict[str, bytes]:
    files = (p for p in root.rglob("*") if p.is_file())
    found = {p.relative_to(root).as_posix(): p.read_bytes() for p in files}
    return {rel: data for rel, data in found.items() if rel.split("/")[0] not in COPIES}


def readable(name: str, data: bytes) -> list[str]:
    """The file's lines; a JSON document indented first (most are one long line)."""
    text = data.decode(errors="replace")
    if name.endswith(".json"):
        text = json.dumps(json.loads(text), indent=1, ensure_ascii=False)
    return text.splitlines()


def first_difference(name: str, want: bytes, got: bytes, lines: int = 40) -> str:
    """A unified diff of one file, cut to `lines` lines."""
    diff = difflib.unified_diff(
        readable(name, want),
        readable(name, got),
        f"expected/{name}",
        f"built/{name}",
        lineterm="",
    )
    return "\n".join(list(diff)[:lines])


def test_build_matches_the_reviewed_output(tmp_path: Path) -> None:
    build_site(EXPECTED / "content", tmp_path / "out", base_url="https://example.org/djp/")
    want, got = tree(EXPECTED / "output"), tree(tmp_path / "out")
    missing, extra = sorted(want.keys() - got.keys()), sorted(got.keys() - want.keys())
    changed = sorted(n for n in want.keys() & got.keys() if want[n] != got[n])
    if missing or extra or changed:
        report = [f"missing: {missing}", f"not expected: {extra}", f"changed: {changed}"]
        if changed:
            report.append(first_difference(changed[0], want[changed[0]], got[changed[0]]))
        report.append("if the change is meant: bash tools/regenerate-expected, review, commit")
        pytest.fail("\n".join(report), pytrace=False)
