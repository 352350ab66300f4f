"""CONTRIBUTING.md, the pull-request template and the issue form say what the code does."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import click
import pytest
import yaml
from click.testing import CliRunner

from generator.cli import main
from tests.helpers.support import REPO

GUIDE = (REPO / "CONTRIBUTING.md").read_text(encoding="utf-8")
CLI_DOCS = (REPO / "docs/cli.md").read_text(encoding="utf-8")


def commands(
    group: click.Group = main, parents: tuple[str, ...] = ()
) -> list[tuple[str, click.Command]]:
    """Every `djp` command that runs (groups' subcommands, not the groups), by full name."""
    ctx = click.Context(group, info_name="djp")
    found = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += commands(command, (*parents, name))
        else:
            found.append((" ".join((*parents, name)), command))
    return found


def cli_section(name: str) -> str:
    """The text of docs/cli.md under `## `djp NAME``, up to the next section."""
    heading = f"## `djp {name}`\n"
    assert heading in CLI_DOCS, f"docs/cli.md has no section for djp {name}"
    return CLI_DOCS.split(heading, 1)[1].split("\n## ", 1)[0]


@pytest.mark.parametrize("name, command", commands(), ids=[n for n, _ in commands()])
def test_every_flag_of_every_command_is_documented(name: str, command: click.Command) -> None:
    """Datasette's test_docs way: an option added without a line in docs/cli.md fails."""
    section = cli_section(name)
    flags = [
        flag
        for param in command.params
        if isinstance(param, click.Option)
        for flag in (*param.opts, *param.secondary_opts)
    ]
    missing = [f for f in flags if not re.search(rf"`{re.escape(f)}[ `]", section)]
    assert missing == [], f"djp {name}: {missing} not documented in docs/cli.md"


def test_the_readme_points_at_the_command_reference() -> None:
    assert "(docs/cli.md)" in (REPO / "README.md").read_text(encoding="utf-8")


def test_every_djp_command_in_the_guide_exists() -> None:
    named = set(re.findall(r"`?\$? ?djp ([a-z-]+)", GUIDE))
    assert {"new", "validate", "build", "serve", "check-links"} <= named
    missing = named - set(
        main.list_commands(main.make_context("djp", ["--help"], resilient_parsing=True))
    )
    assert not missing, missing


def test_the_worked_example_prints_what_the_guide_shows(tmp_path: Path, monkeypatch) -> None:
    shutil.copytree(REPO / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    command = (
        "djp new https://github.com/example/django-example --category apps "
        "--pypi-name django-example"
    )
    shown = GUIDE.split(f"$ {command}\n", 1)[1].splitlines()[0]
    result = CliRunner().invoke(main, command.split()[1:])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [shown]
    record = (tmp_path / "content/packages/django-example.yaml").read_text(encoding="utf-8")
    shown_record = GUIDE.split("```yaml\n# yaml-language-server", 1)[1].split("```", 1)[0]
    created = re.compile(r"created: '[^']+'")
    assert created.sub("", record) == created.sub("", "# yaml-language-server" + shown_record)


def test_issue_form_is_well_formed() -> None:
    form = yaml.safe_load(
        (REPO / ".github/ISSUE_TEMPLATE/suggest-a-package.yml").read_text(encoding="utf-8")
    )
    assert {"name", "description", "body"} <= set(form)
    ids = [item["id"] for item in form["body"] if item["type"] != "markdown"]
    assert len(ids) == len(set(ids))
    kinds = {"markdown", "input", "textarea", "dropdown", "checkboxes"}
    assert {item["type"] for item in form["body"]} <= kinds
    required = {i["id"] for i in form["body"] if i.get("validations", {}).get("required")}
    assert {"repository", "category"} <= required


def test_pull_request_template_points_at_the_tools() -> None:
    text = (REPO / ".github/pull_request_template.md").read_text(encoding="utf-8")
    for word in ("djp validate", "djp new", "ids.yaml", "old_slugs", "content/enriched/"):
        assert word in text
