"""The benchmark's corpus is deterministic and valid, and its one command runs end to end.

Timings are never asserted (the machine is shared and noisy); what is checked is what
the table reports about files written, which does not depend on the machine.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from tests.helpers.corpus import write_corpus
from tests.helpers.support import REPO


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_corpus_is_the_same_for_the_same_seed(tmp_path: Path) -> None:
    write_corpus(tmp_path / "a", 40, seed=1)
    write_corpus(tmp_path / "b", 40, seed=1)
    write_corpus(tmp_path / "c", 40, seed=2)
    assert files(tmp_path / "a") == files(tmp_path / "b")
    assert files(tmp_path / "a") != files(tmp_path / "c")


def test_corpus_has_the_sizes_the_issue_asks_for(tmp_path: Path) -> None:
    write_corpus(tmp_path, 300)
    assert len(list((tmp_path / "packages").glob("*.yaml"))) == 300
    assert len(list((tmp_path / "enriched").glob("*.json"))) == 300
    assert len(list((tmp_path / "grids").glob("*.yaml"))) == round(300 * 370 / 5300)
    assert len(list((tmp_path / "categories").glob("*.yaml"))) == 4


def test_benchmark_command_prints_a_table(tmp_path: Path) -> None:
    argv = [sys.executable, "-m", "benchmarks.build_bench", "--sizes", "60", "--runs", "1"]
    argv += ["--workdir", str(tmp_path), "--serial", "--after-delete"]
    result = subprocess.run(argv, cwd=REPO, capture_output=True, text=True, check=True)
    rows = {
        line.split("|")[1].strip(): [cell.strip() for cell in line.split("|")[2:-1]]
        for line in result.stdout.splitlines()
        if line.startswith("| ") and "scenario" not in line and "---" not in line
    }
    assert list(rows) == [
        "full build, --jobs 1",
        "full build from nothing",
        "rebuild, nothing changed",
        "rebuild, one enrichment changed",
        "rebuild, one template changed",
        "full build, previous output just deleted",
    ]
    files_written = {name: int(cells[4].replace(",", "")) for name, cells in rows.items()}
    assert files_written["rebuild, nothing changed"] == 0
    assert files_written["full build from nothing"] > 60 * 3  # page, API by id and by slug
    assert 0 < files_written["rebuild, one enrichment changed"] < 60
    assert files_written["rebuild, one template changed"] == 60
    full = files_written["full build from nothing"]
    assert files_written["full build, --jobs 1"] == full
    assert files_written["full build, previous output just deleted"] == full
    # Outputs are deleted once every measurement is taken; the corpus is kept.
    assert not list(tmp_path.glob("outputs-*"))
    assert (tmp_path / "content-60" / ".complete").exists()


def test_tests_never_import_benchmarks() -> None:
    """Benchmarks and tests share one corpus generator, tests/helpers/corpus.py; tests run
    the benchmarks' commands rather than importing them."""
    offenders = []
    for path in sorted((REPO / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [
                f"{path.relative_to(REPO)}: {n}" for n in names if n.split(".")[0] == "benchmarks"
            ]
    assert offenders == []
