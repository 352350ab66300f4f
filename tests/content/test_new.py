"""`djp new`: records written offline, next id after the high-water mark, duplicates refused."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml

from tests.helpers.records import record, write_sample_tree
from tests.helpers.support import run_cli


@pytest.fixture
def content(tmp_path: Path) -> Path:
    return write_sample_tree(tmp_path / "content")


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_repository_url_gives_normalised_record_with_next_id(content: Path) -> None:
    result = run_cli(
        "new",
        "http://GitHub.com/Example/django-gamma.git/",
        "--content",
        str(content),
        "--category",
        "apps",
        "--pypi-name",
        "django-gamma",
    )
    assert result.exit_code == 0, result.output
    path = content / "packages" / "django-gamma.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../generator/schemas/package.schema.json\n"
    )
    today = datetime.now(UTC).date().isoformat()
    assert load(path) == {
        "id": 8,  # ids.yaml says 7 ids were given, though only 1 and 2 are left
        "title": "django-gamma",
        "category": "apps",
        "repo_url": "https://github.com/Example/django-gamma",
        "pypi_name": "django-gamma",
        "created": f"{today}T00:00:00Z",
    }
    assert load(content / "ids.yaml") == {"packages": 8, "grids": 1, "categories": 1}
    assert "wrote" in result.output and "id 8" in result.output
    assert run_cli("validate", "--content", str(content)).exit_code == 0


def test_pypi_name_asks_for_category_and_repository(content: Path) -> None:
    result = run_cli(
        "new",
        "Django_Delta",
        "--content",
        str(content),
        input="nope\napps\nhttps://gitlab.com/someone/delta/\n",
    )
    assert result.exit_code == 0, result.output
    assert "Category (apps)" in result.output
    assert "Error: 'nope' is not" in result.output  # asked again after a wrong answer
    data = load(content / "packages" / "django-delta.yaml")
    assert (data["pypi_name"], data["repo_url"], data["title"], data["id"]) == (
        "Django_Delta",
        "https://gitlab.com/someone/delta",
        "Django_Delta",
        8,
    )


def test_without_a_terminal_a_missing_answer_is_a_clear_error(content: Path) -> None:
    result = run_cli("new", "django-epsilon", "--content", str(content), "--category", "apps")
    assert result.exit_code == 1
    assert "Error: repository url (https://…) is needed; give it as an option" in result.output
    assert not (content / "packages" / "django-epsilon.yaml").exists()


def test_deleted_package_id_is_never_given_again(content: Path) -> None:
    args = ("--content", str(content), "--category", "apps")
    assert run_cli("new", "https://github.com/a/first", *args).exit_code == 0
    (content / "packages" / "first.yaml").unlink()
    assert run_cli("new", "https://github.com/a/second", *args).exit_code == 0
    assert load(content / "packages" / "second.yaml")["id"] == 9


def test_missing_ids_file_starts_from_the_ids_in_use(tmp_path: Path) -> None:
    content = write_sample_tree(tmp_path / "content", {"ids.yaml": None})
    result = run_cli(
        "new", "https://github.com/a/b", "--content", str(content), "--category", "apps"
    )
    assert result.exit_code == 0, result.output
    assert load(content / "packages" / "b.yaml")["id"] == 3
    assert load(content / "ids.yaml") == {"packages": 3, "grids": 1, "categories": 1}


@pytest.mark.parametrize(
    ("argument", "extra", "why"),
    [
        # Same repository, written differently, under another slug.
        (
            "https://www.GITHUB.com/example/django-alpha.git/",
            ("--slug", "alpha-again"),
            "packages/django-alpha.yaml has the same repository "
            "https://github.com/example/django-alpha",
        ),
        # Same PyPI name after PEP 503 normalisation.
        (
            "Django.Alpha",
            ("--repo-url", "https://github.com/fork/alpha"),
            "packages/django-alpha.yaml has the same PyPI name Django.Alpha",
        ),
        # A record whose repo_url is its PyPI page counts as that PyPI name.
        (
            "https://pypi.org/project/beta-tools/",
            ("--repo-url", "https://github.com/b/tools"),
            "packages/beta.yaml has the same PyPI name beta-tools",
        ),
        # Another package, same slug.
        (
            "https://github.com/other/beta",
            (),
            "slug 'beta' is taken by",
        ),
    ],
)
def test_package_already_in_catalogue_is_refused(
    content: Path, argument: str, extra: tuple[str, ...], why: str
) -> None:
    before = sorted(p.name for p in (content / "packages").iterdir())
    ids_before = (content / "ids.yaml").read_text(encoding="utf-8")
    result = run_cli("new", argument, "--content", str(content), "--category", "apps", *extra)
    assert result.exit_code == 1
    assert "is already in the catalogue" in result.output
    assert why in result.output
    assert sorted(p.name for p in (content / "packages").iterdir()) == before
    assert (content / "ids.yaml").read_text(encoding="utf-8") == ids_before


def test_old_slug_of_a_renamed_package_is_taken(content: Path) -> None:
    (content / "packages" / "beta.yaml").write_text(
        record(
            "package",
            """\
            id: 2
            title: Beta
            category: apps
            repo_url: https://github.com/b/beta
            old_slugs: [gamma]
            created: '2024-01-02T00:00:00Z'
            """,
        )
    )
    result = run_cli(
        "new", "https://github.com/c/gamma", "--content", str(content), "--category", "apps"
    )
    assert result.exit_code == 1
    assert "slug 'gamma' is taken by" in result.output and "beta.yaml" in result.output


@pytest.mark.parametrize(
    ("argument", "message"),
    [
        ("ftp://example.org/x", "'ftp://example.org/x' is not an http(s) URL"),
        ("https://user:pw@github.com/a/b", "holds a user name or password"),
        ("not a name!", "is neither a PyPI name"),
        ("https://github.com/", "cannot tell the project's name"),
    ],
)
def test_bad_argument_is_explained(content: Path, argument: str, message: str) -> None:
    result = run_cli("new", argument, "--content", str(content), "--category", "apps")
    assert result.exit_code == 1
    assert message in result.output


def test_unknown_category_lists_the_known_ones(content: Path) -> None:
    result = run_cli("new", "https://github.com/a/b", "--content", str(content), "--category", "x")
    assert result.exit_code == 1
    assert "unknown category 'x'; known: apps" in result.output


def test_validate_rejects_an_id_above_the_mark(content: Path) -> None:
    (content / "packages" / "zeta.yaml").write_text(
        record(
            "package",
            """\
            id: 12
            title: Zeta
            category: apps
            repo_url: https://github.com/z/zeta
            created: '2024-01-02T00:00:00Z'
            """,
        )
    )
    result = run_cli("validate", "--content", str(content))
    assert result.exit_code == 1
    assert (
        "packages/zeta.yaml:2:5: id 12 is above the highest id ever given to packages "
        "(7 in ids.yaml); use `djp new`, or set `packages: 12` in ids.yaml"
    ) in result.output
