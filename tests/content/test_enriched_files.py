"""Enrichment files (`content/enriched/<id>.json`) can be edited in a pull request like
records: each is read bounded and checked against `enriched.schema.json`, and every
problem is `file:line:col: what is wrong, what would be right`, never a traceback."""

from __future__ import annotations

import copy
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from generator.validate import check_enrichment
from tests.helpers.support import ENRICHED, content_files, package, run_cli, write_tree

GOOD = {"django-a": package(1), "django-b": package(2)}


def edited(path: str, value: Any) -> str:
    """ENRICHED with the value at a dotted path replaced, as the JSON a file would hold."""
    data = copy.deepcopy(ENRICHED)
    *parents, last = path.split(".")
    target = data
    for step in parents:
        target = target[step]
    target[last] = value
    return json.dumps(data, indent=2)


ONE = "enriched/1.json"
# (name, file name → text, file, words the message must contain, line or None)
HOSTILE = [
    ("not JSON", {"1.json": "{oops"}, ONE, ["not JSON"], 1),
    ("a list", {"1.json": "[]"}, ONE, ["must be a JSON object", "not list"], 1),
    ("null", {"1.json": "null"}, ONE, ["must be a JSON object", "not null"], 1),
    ("a string", {"1.json": '"root:x:0:0"'}, ONE, ["not string"], 1),
    ("not UTF-8", {"1.json": b'{"repo": "\xff"}'}, ONE, ["not UTF-8"], 1),
    ("duplicate key", {"1.json": '{"repo": null, "repo": {}}'}, ONE, ['duplicate key "repo"'], 1),
    ("NaN", {"1.json": '{\n"repo": {"stars": NaN}}'}, ONE, ["NaN is not a JSON number"], 2),
    ("Infinity", {"1.json": '{"repo": {"forks": -Infinity}}'}, ONE, ["-Infinity is not"], 1),
    ("stars a string", {"1.json": edited("repo.stars", "12")}, ONE, ["repo.stars must be"], 5),
    ("stars null", {"1.json": edited("repo.stars", None)}, ONE, ["repo.stars must be"], 5),
    ("stars a list", {"1.json": edited("repo.stars", [1])}, ONE, ["repo.stars must be"], 5),
    ("stars 1.5", {"1.json": edited("repo.stars", 1.5)}, ONE, ["not float"], 5),
    ("stars 3.0", {"1.json": edited("repo.stars", 3.0)}, ONE, ["integer, not float"], 5),
    ("stars negative", {"1.json": edited("repo.stars", -1)}, ONE, ["repo.stars"], 5),
    ("stars huge", {"1.json": edited("repo.stars", 10**30)}, ONE, ["repo.stars"], 5),
    ("forks true", {"1.json": edited("repo.forks", True)}, ONE, ["repo.forks must be"], 6),
    ("commits strings", {"1.json": edited("repo.commits_over_52", ["1"])}, ONE, ["must be"], None),
    ("commits nulls", {"1.json": edited("repo.commits_over_52", [None])}, ONE, ["null"], None),
    ("commits object", {"1.json": edited("repo.commits_over_52", {"a": 1})}, ONE, ["array"], 11),
    (
        "commits 53 weeks",
        {"1.json": edited("repo.commits_over_52", [1] * 53)},
        ONE,
        ["53 items"],
        11,
    ),
    ("participants ints", {"1.json": edited("repo.participants", [1])}, ONE, ["string"], None),
    ("description int", {"1.json": edited("repo.description", 5)}, ONE, ["must be string"], 7),
    ("description 30 MB", {"1.json": edited("repo.description", "x" * 600_000)}, ONE, ["5000"], 7),
    ("moved_to int", {"1.json": edited("repo.moved_to", 7)}, ONE, ["repo.moved_to"], None),
    ("moved_to 3000 chars", {"1.json": edited("repo.moved_to", "h" * 3000)}, ONE, ["2000"], None),
    ("docs url a list", {"1.json": edited("pypi.documentation_url", ["x"])}, ONE, ["pypi"], None),
    ("classifiers ints", {"1.json": edited("pypi.classifiers", [4])}, ONE, ["string"], None),
    ("unknown repo key", {"1.json": edited("repo.colour", "red")}, ONE, ["unknown key"], None),
    ("year 9999", {"1.json": edited("last_fetched", "9999-12-31")}, ONE, ["not between"], 2),
    ("future", {"1.json": edited("pypi.released", "2099-01-01T00:00:00Z")}, ONE, ["now"], None),
    ("Feb 30", {"1.json": edited("repo.last_commit", "2026-02-30")}, ONE, ["not a real"], 8),
    ("year 1", {"1.json": edited("modified", "0001-01-01T00:00:00Z")}, ONE, ["not between"], 3),
    ("series_through 9999", {"1.json": edited("series_through", "9999-01-01")}, ONE, [], None),
    ("series_week Feb 30", {"1.json": edited("series_week", "2026-02-30")}, ONE, [], None),
    ("too big", {"1.json": " " * (1024 * 1024 + 1) + "{}"}, ONE, ["larger than 1024 KiB"], 1),
    ("deep", {"1.json": '{"x": ' + "[" * 100 + "]" * 100 + "}"}, ONE, ["nested deeper"], 1),
    ("Arabic digit name", {"١.json": edited("repo.stars", 1)}, "enriched/١.json", ["<id>"], 1),
    ("leading zero", {"01.json": edited("repo.stars", 1)}, "enriched/01.json", ["<id>"], 1),
    ("upper case", {"1.JSON": edited("repo.stars", 1)}, "enriched/1.JSON", ["<id>"], 1),
    ("a name", {"one.json": edited("repo.stars", 1)}, "enriched/one.json", ["<id>"], 1),
]


def problems_of(content: Path) -> list[str]:
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


@pytest.mark.parametrize(
    ("name", "files", "file", "words", "line"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_enrichment_is_a_located_problem(tmp_path: Path, name, files, file, words, line):
    content = write_tree(tmp_path / "content", content_files(GOOD))
    (content / "enriched").mkdir()
    for rel, text in files.items():
        data = text if isinstance(text, bytes) else text.encode()
        (content / "enriched" / rel).write_bytes(data)
    lines = [x for x in problems_of(content) if x.startswith(file + ":")]
    assert lines, name
    location, message = lines[0].split(": ", 1)
    if line is not None:
        assert location.split(":")[1] == str(line), lines
    for word in words:
        assert word in message, (word, message)
    assert all(len(x) < 400 and x.isprintable() for x in lines), lines


@pytest.mark.parametrize("kind", ["symlink", "folder"])
def test_enrichment_symlink_or_folder_refused_unread(tmp_path: Path, kind: str) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    (content / "enriched").mkdir()
    target = content / "enriched" / "1.json"
    if kind == "symlink":
        os.symlink("/etc/passwd", target)
    else:
        target.mkdir()
    output = "\n".join(problems_of(content))
    assert f"{ONE}:1:1: is a " + ("symbolic link" if kind == "symlink" else "folder") in output
    assert "root" not in output and "/etc" not in output


def test_shipped_shape_is_valid_and_bookkeeping_is_skipped(tmp_path: Path) -> None:
    content = write_tree(
        tmp_path / "content",
        content_files(GOOD, enriched={1: ENRICHED}) | {"enriched/_state.json": "not json"},
    )
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 0, result.output


def test_check_enrichment_for_the_enricher() -> None:
    """What the enricher calls before it writes: no text needed, problems named."""
    now = datetime(2026, 6, 2, tzinfo=UTC)
    assert check_enrichment(ENRICHED, now=now) == []
    bad = json.loads(edited("repo.stars", "many"))
    assert [p.message for p in check_enrichment(bad, now=now)] == [
        'repo.stars must be integer, not string "many"'
    ]
    later = json.loads(edited("last_fetched", "2026-06-04T00:00:00Z"))
    assert "not between 1970 and now" in check_enrichment(later, now=now)[0].message
