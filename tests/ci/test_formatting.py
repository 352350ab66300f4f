"""The stylesheet is kept in prettier's form, so a review reads one rule a line instead of
a minified blob, and a minified or hand-mangled edit fails here rather than in review.

prettier comes from package.json (pinned in package-lock.json, installed by `.ci/run`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tests.helpers.support import REPO

STYLESHEET = REPO / "templates" / "static" / "style.css"
PRETTIER = REPO / "node_modules" / ".bin" / "prettier"


def prettier_check(path: Path) -> subprocess.CompletedProcess[str]:
    if not PRETTIER.exists():
        pytest.fail("prettier is missing: `npm ci` (run by .ci/run) installs it")
    node = shutil.which("node")
    assert node, "Node.js is needed for prettier"
    return subprocess.run(
        [str(PRETTIER), "--check", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
    )


def test_the_stylesheet_is_in_prettier_form() -> None:
    result = prettier_check(STYLESHEET)
    assert result.returncode == 0, result.stdout + result.stderr
    longest = max(len(line) for line in STYLESHEET.read_text(encoding="utf-8").splitlines())
    assert longest <= 120


def test_a_minified_stylesheet_would_fail(tmp_path: Path) -> None:
    minified = tmp_path / "style.css"
    minified.write_text(":root{--bg:#fff;--fg:#000}\nbody{margin:0;color:var(--fg)}\n", "utf-8")
    assert prettier_check(minified).returncode != 0
