"""Records are written in pull requests: whatever a file holds, `djp validate` and `djp
build` answer with `file:line:col: what is wrong, what would be right` in bounded time
and memory, never a traceback, and never quote a file it was not meant to read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.helpers.support import TEMPLATES, content_files, package, run_cli, write_tree

GOOD = {"django-a": package(1), "django-b": package(2)}
X = "packages/django-x.yaml"


def record(**fields: str) -> str:
    """A package record as YAML text, with fields written exactly as given."""
    base = {
        "id": "3",
        "title": "X",
        "category": "apps",
        "repo_url": "https://github.com/example/x",
        "created": "2024-01-01",
    }
    return "".join(f"{key}: {value}\n" for key, value in (base | fields).items())


LAUGHS = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"{b}: &{b} [{', '.join(['*' + a] * 9)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)

# (name, file → text, file, line, column, words the message must contain)
HOSTILE = [
    ("billion laughs", {X: LAUGHS}, X, 2, 8, ["aliases repeat more than", "write the values out"]),
    ("recursive alias", {X: "a: &a [*a]\n"}, X, 1, 8, ["nested deeper than"]),
    ("deep nesting", {X: "a: " + "[" * 3000 + "]" * 3000 + "\n"}, X, 1, None, ["nest"]),
    ("too big", {X: record(description="'" + "x" * 300_000 + "'")}, X, 1, 1, ["256 KiB"]),
    ("!!binary", {X: record(title="!!binary aGVsbG8=")}, X, 2, 8, ['tag "!!binary"']),
    ("!!set", {X: record(title="!!set {a, b}")}, X, 2, 8, ['tag "!!set"', "not allowed"]),
    ("!!timestamp", {X: record(created="!!timestamp 2024-01-01")}, X, 5, 10, ["!!timestamp"]),
    ("local tag", {X: record(title="!shout X")}, X, 2, 8, ['tag "!shout"']),
    ("python tag", {X: record(title="!!python/name:os.system ''")}, X, 2, 8, ["not allowed"]),
    ("duplicate key", {X: record() + "id: 7\n"}, X, 6, 1, ['duplicate key "id"', "keep one"]),
    ("integer key", {X: record() + "1: one\n"}, X, 6, 1, ['key "1" is not a string', "quote"]),
    ("boolean key", {X: record() + "yes: one\n"}, X, 6, 1, ["is not a string"]),
    ("null key", {X: record() + "~: one\n"}, X, 6, 1, ["is not a string"]),
    ("list key", {X: record() + "? [a]\n: one\n"}, X, 6, 3, ["is not a string"]),
    ("merge key", {X: "b: &b {title: X}\n<<: *b\n"}, X, 2, 1, ["merge keys"]),
    ("NaN", {X: record(id=".nan")}, X, 1, 5, ["not a finite number"]),
    ("infinity", {X: record(id="-.inf")}, X, 1, 5, ["not a finite number"]),
    ("id 1.0", {X: record(id="3.0")}, X, 1, 5, ["id must be integer", "not float 3.0"]),
    ("Feb 30", {X: record(created="2026-02-30")}, X, 5, 10, ["not a real date", "2026-02-30"]),
    ("year 0", {X: record(created="0000-01-01")}, X, 5, 10, ["not a real date"]),
    ("month 13", {X: record(created="2026-13-01")}, X, 5, 10, ["not a real date"]),
    (
        "past year 9999 in UTC",
        {X: record(created="'9999-12-31T23:00-05:00'")},
        X,
        5,
        10,
        ["not a real date", "UTC"],
    ),
    ("Arabic digits", {X: record(created="'٢٠٢٤-01-01'")}, X, 5, 10, ["created is not valid"]),
    (
        "deprecated_since Feb 30",
        {X: record(deprecated_since="2026-02-30")},
        X,
        6,
        19,
        ["deprecated_since is not a real date"],
    ),
    ("newline in pypi_name", {X: record(pypi_name='"foo\\n"')}, X, 6, 12, ['"foo\\n"']),
    ("newline in repo_url", {X: record(repo_url='"https://x.org/a\\n"')}, X, 4, 11, ["repo_url"]),
    ("newline in a slug", {X: record(category='"apps\\n"')}, X, 3, 11, ["category is not"]),
    (
        "newline in site_url",
        {"site.yaml": 'site_url: "https://example.org/\\n"\ntitle: T\nrepository: a/b\n'},
        "site.yaml",
        1,
        11,
        ["site_url is not valid"],
    ),
    (
        "newline in a file name",
        {"packages/django-x\n.yaml": record()},
        "packages/django-x\\n.yaml",
        1,
        1,
        ["not a valid slug"],
    ),
    (".yml", {"packages/django-x.yml": record()}, "packages/django-x.yml", 1, 1, [".yaml"]),
    (".YAML", {"packages/django-x.YAML": record()}, "packages/django-x.YAML", 1, 1, [".yaml"]),
    ("not UTF-8", {X: b"title: \xff\xfe\n"}, X, 1, 1, ["not UTF-8", "byte 7"]),
    (
        "control characters quoted escaped",
        {X: record(title='"\\e[31m\\x85evil\\u2028"', id="'3'")},
        X,
        1,
        5,
        ["id must be integer"],
    ),
    (
        "long value quoted short",
        {X: record(repo_url="'javascript:" + "a" * 400 + "'")},
        X,
        4,
        11,
        ["repo_url is not valid", "…"],
    ),
]


def special(root: Path, kind: str) -> str:
    """A symlink or special file where a record belongs; returns its path in content."""
    target = root / "packages" / "django-x.yaml"
    if kind == "folder":
        target.mkdir()
    elif kind == "fifo":
        os.mkfifo(target)
    else:
        os.symlink({"passwd": "/etc/passwd", "zero": "/dev/zero", "loop": target}[kind], target)
    return "packages/django-x.yaml"


SPECIAL = {
    "folder": "is a folder, not a file",
    "fifo": "is not a plain file",
    "passwd": "is a symbolic link",
    "zero": "is a symbolic link",
    "loop": "is a symbolic link",
}


def problems_of(content: Path) -> list[str]:
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    return result.output.splitlines()


@pytest.mark.parametrize(
    ("name", "files", "file", "line", "column", "words"), HOSTILE, ids=[h[0] for h in HOSTILE]
)
def test_hostile_record_is_a_located_problem(
    tmp_path: Path, name, files, file, line, column, words
):
    content = write_tree(tmp_path / "content", content_files(GOOD))
    for rel, text in files.items():
        path = content / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
    lines = [x for x in problems_of(content) if x.startswith(file + ":")]
    assert lines, (name, lines)
    location, message = lines[0].split(": ", 1)
    assert location.split(":")[1:3][: 1 if column is None else 2] == [
        str(line),
        *([] if column is None else [str(column)]),
    ], lines
    for word in words:
        assert word in message, (word, message)
    assert all(x.isprintable() for x in lines)  # no raw control character reaches a log
    assert all(len(x) < 400 for x in lines), lines  # excerpts are short


@pytest.mark.parametrize("kind", sorted(SPECIAL))
def test_symlinks_and_special_files_are_refused_unread(tmp_path: Path, kind: str) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    file = special(content, kind)
    output = problems_of(content)
    assert f"{file}:1:1: " + SPECIAL[kind] in "\n".join(output), output
    assert not any("root:" in x or "/etc" in x or "/dev" in x for x in output), output


def test_build_fails_the_same_way_and_keeps_nothing_half(tmp_path: Path) -> None:
    """`djp build` reports the same problems (no traceback) and writes nothing."""
    content = write_tree(tmp_path / "content", content_files(GOOD))
    (content / "packages" / "django-y.yaml").write_text(LAUGHS)
    special(content, "zero")
    result = run_cli(
        "build", "--content", str(content), "--templates", str(TEMPLATES),
        "--out", str(tmp_path / "build"), "--cache", str(tmp_path / ".cache"),
    )  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "is a symbolic link" in result.output and "aliases repeat" in result.output
    assert not (tmp_path / "build").exists()
