"""Every shipped record names and fits its JSON Schema; the site publishes the schemas;
`djp validate --format github` annotates the right file, line and column."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from generator.records import RecordLoader
from tests.helpers.support import CONTENT, REPO, build_site, run_cli

SCHEMAS = REPO / "generator" / "schemas"
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")
KIND_SCHEMA = {"packages": "package", "grids": "grid", "categories": "category"}


def shipped_files() -> list[tuple[Path, str]]:
    """(file, schema name) for every YAML file under content/."""
    files = [(CONTENT / "site.yaml", "site"), (CONTENT / "ids.yaml", "ids")]
    for kind, name in KIND_SCHEMA.items():
        files += [(p, name) for p in sorted((CONTENT / kind).glob("*.yaml"))]
    return files


def test_every_yaml_file_under_content_is_covered() -> None:
    covered = {p for p, _ in shipped_files()}
    assert set(CONTENT.rglob("*.yaml")) == covered
    assert len(covered) > 200


def test_schemas_are_valid_draft_2020_12() -> None:
    names = sorted(p.name for p in SCHEMAS.glob("*.schema.json"))
    assert names == [
        f"{n}.schema.json" for n in ("category", "enriched", "grid", "ids", "package", "site")
    ]
    for path in SCHEMAS.glob("*.schema.json"):
        Draft202012Validator.check_schema(json.loads(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(("path", "name"), shipped_files(), ids=lambda v: getattr(v, "name", v))
def test_shipped_file_references_and_fits_its_schema(path: Path, name: str) -> None:
    text = path.read_text(encoding="utf-8")
    match = MODELINE.match(text.splitlines()[0])
    assert match, f"{path}: first line must be the yaml-language-server $schema comment"
    schema_path = (path.parent / match.group(1)).resolve()
    assert schema_path == SCHEMAS / f"{name}.schema.json"
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    # Parsed as editors and our loader see it: timestamps stay strings.
    errors = list(Draft202012Validator(schema).iter_errors(yaml.load(text, Loader=RecordLoader)))
    assert errors == [], [e.message for e in errors]


def test_build_publishes_the_schemas(tmp_path: Path) -> None:
    out = tmp_path / "build"
    build_site(CONTENT, out)
    for schema in SCHEMAS.glob("*.schema.json"):
        assert (out / "schemas" / schema.name).read_bytes() == schema.read_bytes()


@pytest.fixture
def broken_content(tmp_path: Path) -> Path:
    """A copy of the shipped content with three mistakes a contributor might make."""
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    black = content / "packages" / "black.yaml"
    text = black.read_text(encoding="utf-8")
    text = text.replace("category: other", "category: other\nstars: 5", 1)
    black.write_text(text.replace("repo_url: https://", "repo_url: ftp://", 1), encoding="utf-8")
    site = content / "site.yaml"
    site.write_text(site.read_text(encoding="utf-8").replace("title: Django", "titel: Django"))
    return content


def test_validator_reports_problems_in_a_broken_copy(broken_content: Path) -> None:
    result = run_cli("validate", "--content", str(broken_content))
    assert result.exit_code == 1
    # Four in the changed files; the grid listing black reports it too (black did not load).
    assert result.output.splitlines()[-1] == "5 problem(s)"
    black = (broken_content / "packages" / "black.yaml").read_text().splitlines()
    stars = next(i for i, line in enumerate(black, 1) if line.startswith("stars:"))
    repo = next(i for i, line in enumerate(black, 1) if line.startswith("repo_url:"))
    assert f"packages/black.yaml:{stars}:1: unknown key 'stars' in the file; known keys:" in (
        result.output
    )
    assert f"packages/black.yaml:{repo}:11: repo_url is not valid: " in result.output
    assert "site.yaml:" in result.output and "unknown key 'titel'" in result.output
    assert "missing key 'title' in the file" in result.output
    # jsonschema alone, without our validator, agrees the copy is wrong.
    schema = json.loads((SCHEMAS / "package.schema.json").read_text())
    data = yaml.load((broken_content / "packages" / "black.yaml").read_text(), Loader=RecordLoader)
    assert len(list(Draft202012Validator(schema).iter_errors(data))) == 2


def test_github_format_annotates_repository_paths(broken_content: Path) -> None:
    result = run_cli("validate", "--content", str(broken_content), "--format", "github")
    assert result.exit_code == 1
    annotations = [line for line in result.output.splitlines() if line.startswith("::")]
    assert len(annotations) == 5
    pattern = re.compile(r"^::error file=([^,]+),line=(\d+),col=(\d+)::(.+)$")
    for line in annotations:
        match = pattern.match(line)
        assert match, line
        file = Path(match.group(1).replace("%3A", ":").replace("%2C", ","))
        assert file.is_file(), "the file property must be a path from the checkout root"
    black = next(a for a in annotations if "stars" in a)
    assert black.startswith(f"::error file={broken_content.as_posix()}/packages/black.yaml,line=")


def test_github_annotation_escapes_data_and_properties() -> None:
    from generator.cli import github_annotation
    from generator.model import Problem

    problem = Problem("packages/a,b:c.yaml", 3, 7, "50% wrong\nsecond line")
    assert github_annotation(problem, Path("content")) == (
        "::error file=content/packages/a%2Cb%3Ac.yaml,line=3,col=7::50%25 wrong%0Asecond line"
    )


def test_github_format_with_default_content_folder(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(CONTENT, tmp_path / "content")
    (tmp_path / "content" / "packages" / "black.yaml").write_text("id: [", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    result = run_cli("validate", "--format", "github")
    assert result.exit_code == 1
    assert re.search(
        r"^::error file=content/packages/black\.yaml,line=\d+,col=\d+::malformed YAML: ",
        result.output,
        re.MULTILINE,
    )
