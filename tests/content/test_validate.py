"""Bad input: every problem in every file reported at once, with file, line, column,
what is wrong and what would be right — and a failed build leaves the output alone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.support import (
    CONTENT,
    SITE,
    TEMPLATES,
    build_site,
    content_files,
    package,
    run_cli,
    write_tree,
)

GOOD = {"django-a": package(1), "django-b": package(2)}

# (files to add or replace, file, line, column, words the message must contain)
BAD_RECORDS = [
    (
        {"packages/django-x.yaml": "id: 3\ntitle: [unclosed\n"},
        "packages/django-x.yaml",
        3,
        1,
        ["malformed YAML"],
    ),
    (
        {"packages/django-x.yaml": package(3, colour="blue")},
        "packages/django-x.yaml",
        6,
        1,
        ["unknown key 'colour'", "known keys:", "repo_url"],
    ),
    (
        {"packages/django-x.yaml": {k: v for k, v in package(3).items() if k != "title"}},
        "packages/django-x.yaml",
        1,
        1,
        ["missing key 'title'"],
    ),
    (
        {"packages/django-x.yaml": {**package(3), "id": "3"}},
        "packages/django-x.yaml",
        1,
        5,
        ["id must be integer", "not string"],
    ),
    (
        {"packages/django-x.yaml": package(2)},
        "packages/django-x.yaml",
        1,
        5,
        ["duplicate id 2", "packages/django-b.yaml"],
    ),
    (
        {"packages/django.x.yaml": package(3)},
        "packages/django.x.yaml",
        1,
        1,
        ["not a valid slug", "underscores"],
    ),
    (
        {"packages/Django-A.yaml": package(3)},
        "packages/django-a.yaml",
        1,
        1,
        ["differs only in case", "packages/Django-A.yaml"],
    ),
    ({"packages/1234.yaml": package(3)}, "packages/1234.yaml", 1, 1, ["reserved"]),
    ({"packages/page.yaml": package(3)}, "packages/page.yaml", 1, 1, ["reserved"]),
    (
        {"packages/django-x.yaml": package(3, category="app")},
        "packages/django-x.yaml",
        3,
        11,
        ["unknown category 'app'", "known: apps, frameworks"],
    ),
    (
        {"packages/django-x.yaml": package(3, repo_url="javascript:alert(1)")},
        "packages/django-x.yaml",
        4,
        11,
        ["repo_url is not valid", "http"],
    ),
    (
        {"packages/django-x.yaml": package(3, documentation_url="ftp://example.org/")},
        "packages/django-x.yaml",
        6,
        20,
        ["documentation_url is not valid", "http"],
    ),
    (
        {"packages/django-x.yaml": package(3, created="last tuesday")},
        "packages/django-x.yaml",
        5,
        10,
        ["created is not valid", "ISO 8601"],
    ),
    (
        {"packages/django-x.yaml": package(3, replaced_by="django-nope")},
        "packages/django-x.yaml",
        6,
        14,
        ["unknown package 'django-nope'"],
    ),
    (
        {
            "grids/g.yaml": {
                "id": 1,
                "title": "G",
                "created": "2020-01-01",
                "packages": ["django-a", "django-zzz"],
            }
        },
        "grids/g.yaml",
        6,
        3,
        ["unknown package 'django-zzz'"],
    ),
    (
        {
            "grids/g.yaml": {
                "id": 1,
                "title": "G",
                "created": "2020-01-01",
                "packages": ["django-a"],
                "features": [{"title": "Async"}],
                "cells": {"django-b": {"Async": "yes"}},
            }
        },
        "grids/g.yaml",
        9,
        3,
        ["not a member", "django-b"],
    ),
    (
        {
            "grids/g.yaml": {
                "id": 1,
                "title": "G",
                "created": "2020-01-01",
                "packages": ["django-a"],
                "features": [{"title": "Async"}],
                "cells": {"django-a": {"Sync": "yes"}},
            }
        },
        "grids/g.yaml",
        10,
        5,
        ["unknown feature 'Sync'", "'Async'"],
    ),
    (
        {
            "categories/apps.yaml": {
                "id": 2,
                "title": "App",
                "title_plural": "Apps",
                "created": "2020-01-01",
            }
        },
        "categories/frameworks.yaml",
        1,
        5,
        ["duplicate id 2"],
    ),
    (
        {"site.yaml": {**SITE, "site_url": "javascript:void(0)"}},
        "site.yaml",
        1,
        11,
        ["site_url is not valid"],
    ),
    ({"packages/..yaml": package(3)}, "packages/..yaml", 1, 1, ["not a valid slug"]),
    (
        {"packages/django-x.yaml": "!!python/object/apply:os.system ['touch /tmp/pwned']\n"},
        "packages/django-x.yaml",
        1,
        1,
        ["tag", "!!python/object/apply:os.system", "not allowed"],
    ),
]


@pytest.mark.parametrize(
    ("change", "file", "line", "column", "words"),
    BAD_RECORDS,
    ids=[f"{i}-{b[1]}" for i, b in enumerate(BAD_RECORDS)],
)
def test_bad_record_message(tmp_path: Path, change, file, line, column, words) -> None:
    content = write_tree(tmp_path / "content", {**content_files(GOOD), **change})
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if x.startswith(file + ":")]
    assert lines, result.output
    location, message = lines[0].split(": ", 1)
    assert location == f"{file}:{line}:{column}", result.output
    for word in words:
        assert word in message, (word, message)


def test_every_problem_of_every_file_in_one_run(tmp_path: Path) -> None:
    """Twelve bad files in one tree: each one's own problem is reported, at its place,
    in the same run (not just some problem per file: they share ids, which adds more)."""
    files = content_files(GOOD)
    expected = []
    for change, file, line, column, words in BAD_RECORDS[:12]:
        renamed = {rel: rel.replace("django-x", f"django-x{len(files)}") for rel in change}
        files.update({renamed[rel]: data for rel, data in change.items()})
        expected.append((renamed.get(file, file), line, column, words))
    content = write_tree(tmp_path / "content", files)
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    printed = result.output.splitlines()
    for file, line, column, words in expected:
        here = [x for x in printed if x.startswith(f"{file}:{line}:{column}: ")]
        assert any(all(word in x for word in words) for x in here), (file, result.output)


def test_github_annotations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write_tree(
        tmp_path / "content", content_files({**GOOD, "django-c": package(3, category="app")})
    )
    monkeypatch.chdir(tmp_path)  # as in a workflow: run from the repository's root
    result = run_cli("validate", "--content", "content", "--format", "github")
    assert result.exit_code == 1
    assert (
        "::error file=content/packages/django-c.yaml,line=3,col=11::unknown category 'app'; "
        "known: apps, frameworks"
    ) in result.output


def test_valid_content_passes(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 0 and "content is valid" in result.output


def test_shipped_content_is_valid() -> None:
    result = run_cli("validate", "--content", str(CONTENT))
    assert result.exit_code == 0, result.output


def test_failed_build_leaves_previous_output(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    out = tmp_path / "build"
    build_site(content, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    write_tree(
        content,
        {
            "packages/django-b.yaml": package(2, title="Renamed"),
            "packages/django-c.yaml": package(3, category="nope"),
        },
    )
    result = run_cli(
        "build",
        "--content",
        str(content),
        "--out",
        str(out),
        "--templates",
        str(TEMPLATES),
    )
    assert result.exit_code == 1
    assert "unknown category 'nope'" in result.output and "left as it was" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not (tmp_path / ".build.staging").exists()


def test_template_error_leaves_previous_output(tmp_path: Path) -> None:
    content = write_tree(tmp_path / "content", content_files(GOOD))
    out = tmp_path / "build"
    build_site(content, out)
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    (templates / "package.html").write_text(
        "{% extends 'base.html' %}{% block main %}{{ p.nope.deeper }}{% endblock %}"
    )
    result = run_cli(
        "build", "--content", str(content), "--out", str(out), "--templates", str(templates)
    )
    assert result.exit_code == 1
    assert "template error" in result.output and "nope" in result.output
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
