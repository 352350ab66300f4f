"""The GitHub Actions workflows: actionlint finds nothing, the security rules hold, and
every `djp` command they run parses with the real CLI.

No GitHub runner is reachable from here, so this is how the workflows are checked: lint
(actionlint with shellcheck, from PyPI wheels), rules read from the parsed YAML, and the
commit step of the nightly workflow run for real against a scratch git repository.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from generator.cli import main
from tests.helpers.support import REPO

WORKFLOWS = sorted((REPO / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(r"^[\w.-]+/[\w./-]+@[0-9a-f]{40}$")


def load(path: Path) -> dict[str, Any]:
    # PyYAML reads the key `on` as True (YAML 1.1); put it back.
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for job in workflow["jobs"].values() for s in job.get("steps", [])]


def actionlint() -> str:
    found = shutil.which("actionlint")
    assert found, "actionlint is missing: pip install -e '.[test]' brings it"
    return found


def test_there_are_the_three_workflows() -> None:
    assert [p.name for p in WORKFLOWS] == ["ci.yml", "nightly.yml", "pages.yml"]


def test_actionlint_finds_nothing() -> None:
    assert shutil.which("shellcheck"), "shellcheck is missing: run: scripts would go unchecked"
    result = subprocess.run(
        [actionlint(), "-no-color", *map(str, WORKFLOWS)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_would_catch_a_mistake(tmp_path: Path) -> None:
    """The lint test can fail: a typo and an injectable expression are both found."""
    bad = (REPO / ".github/workflows/ci.yml").read_text(encoding="utf-8")
    bad = bad.replace("runs-on: ubuntu-latest", "runs-on: ubuntu-latest\n    timeout-minute: 5")
    bad = bad.replace(
        "run: djp build --out build", 'run: echo "${{ github.event.pull_request.title }}"'
    )
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    (tmp_path / ".github" / "workflows" / "ci.yml").write_text(bad, encoding="utf-8")
    result = subprocess.run(
        [actionlint(), "-no-color", ".github/workflows/ci.yml"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert 'unexpected key "timeout-minute"' in result.stdout
    assert '"github.event.pull_request.title" is potentially untrusted' in result.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_security_rules(path: Path) -> None:
    workflow = load(path)
    triggers = workflow["on"] if isinstance(workflow["on"], dict) else {workflow["on"]: None}
    assert "pull_request_target" not in triggers
    assert workflow.get("permissions") == {}, "default to no permissions; grant per job"
    for name, job in workflow["jobs"].items():
        assert "permissions" in job, f"job {name} must say which permissions it needs"
        assert "write-all" not in str(job["permissions"])
        for step in job.get("steps", []):
            uses = step.get("uses", "")
            assert not uses or uses.startswith("./") or PINNED.match(uses), (
                f"{path.name}: {uses} is not pinned to a full commit SHA"
            )
            # Expressions are expanded before the shell sees them: pass values via env.
            assert "${{" not in step.get("run", ""), f"{path.name}: ${{{{ }}}} in a run: script"
        if job.get("uses"):
            assert job["uses"].startswith("./"), "reusable workflows from this repository only"
    if "pull_request" in triggers:
        text = path.read_text(encoding="utf-8")
        assert "secrets." not in text and "github.token" not in text
        for step in steps(workflow):
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_pages_deploy_is_set_up_as_github_requires() -> None:
    pages = load(REPO / ".github/workflows/pages.yml")
    assert set(pages["on"]) == {"push", "workflow_dispatch", "workflow_call"}
    assert pages["on"]["push"] == {"branches": ["main"]}
    deploy = pages["jobs"]["deploy"]
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["concurrency"]["group"] == "pages"
    assert deploy["environment"]["name"] == "github-pages"
    uses = [s.get("uses", "").split("@")[0] for s in steps(pages)]
    assert uses.index("actions/configure-pages") < uses.index("actions/upload-pages-artifact")
    assert "actions/deploy-pages" in uses
    build = next(s for s in steps(pages) if s.get("name") == "Build")
    assert build["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert '--base-url "$BASE_URL/"' in build["run"]


def test_nightly_fetches_read_only_and_commits_in_a_separate_job() -> None:
    """The job parsing hostile answers holds no write token; the one that pushes takes
    only the fetched package files, through `djp nightly take`."""
    nightly = load(REPO / ".github/workflows/nightly.yml")
    assert set(nightly["on"]) == {"schedule", "workflow_dispatch"}
    enrich, commit = nightly["jobs"]["enrich"], nightly["jobs"]["commit"]
    assert enrich["permissions"] == {"contents": "read"}
    checkout = next(s for s in enrich["steps"] if "checkout" in s.get("uses", ""))
    assert checkout["with"]["persist-credentials"] is False
    runs = " ".join(s.get("run", "") for s in enrich["steps"])
    assert "djp enrich --budget" in runs and "--time-limit" in runs
    assert "--report enrich-report.json" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert "git " not in runs
    uploads = {
        s["with"]["name"]: s for s in enrich["steps"] if "upload-artifact" in s.get("uses", "")
    }
    assert uploads["enrich-report"]["with"]["path"] == "enrich-report.json"
    assert uploads["enrich-report"]["if"] == "always()"
    assert uploads["enriched"]["with"]["path"].split() == [
        "content/enriched/*.json",
        "!content/enriched/_state.json",
    ]
    assert commit["needs"] == "enrich"
    assert commit["permissions"] == {"contents": "write"}
    downloads = [s for s in commit["steps"] if "download-artifact" in s.get("uses", "")]
    assert {s["with"]["name"] for s in downloads} == {"enriched", "enrich-report"}
    names = [s.get("name") for s in commit["steps"]]
    assert names.index("Take the fetched files") < names.index("Commit enriched data")
    take = next(s for s in commit["steps"] if s.get("name") == "Take the fetched files")
    assert take["run"] == 'djp nightly take "$RUNNER_TEMP/enriched"'
    assert "djp enrich" not in " ".join(s.get("run", "") for s in commit["steps"])
    publish = nightly["jobs"]["publish"]
    assert publish["needs"] == "commit"
    assert publish["uses"] == "./.github/workflows/pages.yml"
    assert publish["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}


def djp_commands() -> list[tuple[str, list[str]]]:
    """(workflow file, argv) of every `djp …` line of every run: script."""
    found = []
    for path in WORKFLOWS:
        for step in steps(load(path)):
            script = step.get("run", "").replace("\\\n", " ")
            for line in script.splitlines():
                for part in re.split(r"\|", line):
                    words = shlex.split(part.split(">")[0])
                    if words[:1] == ["djp"]:
                        found.append((path.name, words[1:]))
    return found


@pytest.mark.parametrize(
    "where, argv", djp_commands(), ids=lambda v: " ".join(v) if isinstance(v, list) else v
)
def test_workflow_djp_commands_parse(
    where: str, argv: list[str], tmp_path: Path, monkeypatch
) -> None:
    """Each command the workflows run exists, with these options, in this checkout."""
    (tmp_path / "build").mkdir()
    monkeypatch.chdir(tmp_path)
    group_ctx = main.make_context("djp", [argv[0], "--help"], resilient_parsing=True)
    command: click.Command | None = main.get_command(group_ctx, argv[0])
    if command is None and argv[0] == "enrich":
        pytest.skip("djp enrich comes with the enrichment branch")
    assert command is not None, f"{where}: djp {argv[0]} is not a command"

    def sample(var: re.Match[str]) -> str:
        """A value of the kind the variable holds ($BASE_URL a URL, the rest a number)."""
        return "https://example.org" if "URL" in var.group(1) else "1"

    args = [re.sub(r"\$\{?(\w+)\}?", sample, a) for a in argv[1:]]
    while isinstance(command, click.Group):
        ctx = command.make_context(argv[0], list(args), resilient_parsing=True)
        command, args = command.get_command(ctx, args[0]), args[1:]
        assert command is not None, f"{where}: djp {' '.join(argv)}"
    command.make_context(argv[0], args)  # raises on an unknown option or a bad value


def test_nightly_commit_step_commits_only_enriched_files(tmp_path: Path) -> None:
    """The workflow's own script, run in a scratch clone: message, paths, no empty commit."""
    nightly = load(REPO / ".github/workflows/nightly.yml")
    script = next(s["run"] for s in steps(nightly) if s.get("name") == "Commit enriched data")
    remote, work = tmp_path / "remote.git", tmp_path / "work"
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "init.defaultBranch=main",
    ]
    subprocess.run([*git, "init", "--quiet", "--bare", str(remote)], check=True)
    shutil.copytree(REPO / "content", work / "content", ignore=shutil.ignore_patterns("enriched"))
    (work / "content" / "enriched").mkdir()
    (work / "content" / "enriched" / "1.json").write_text("{}\n")
    for args in (["init", "--quiet"], ["add", "."], ["commit", "--quiet", "-m", "base"]):
        subprocess.run([*git, *args], cwd=work, check=True)
    subprocess.run([*git, "push", "--quiet", str(remote), "HEAD:main"], cwd=work, check=True)
    subprocess.run([*git, "remote", "add", "origin", str(remote)], cwd=work, check=True)

    shim = tmp_path / "bin"
    shim.mkdir()
    (shim / "djp").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n')
    (shim / "djp").chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{shim}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(REPO),
        "RUNNER_TEMP": str(tmp_path),
        "GITHUB_REF_NAME": "main",
        "REPORT": str(work / "enrich-report.json"),
    }

    def run_step() -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            ["bash", "-e", "-o", "pipefail", "-c", script],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done

    ids = {}
    for path in (work / "content" / "packages").glob("*.yaml"):
        ids[yaml.safe_load(path.read_text())["id"]] = path.stem
    # Nothing changed but the bookkeeping file: no commit.
    (work / "content" / "enriched" / "_state.json").write_text('{"etags": 1}\n')
    assert "nothing to commit" in run_step().stdout
    # A changed and a new fact file, a stray file elsewhere: only content/enriched/ goes in.
    (work / "content" / "enriched" / "1.json").write_text('{"repo": {"stars": 5}}\n')
    (work / "content" / "enriched" / "2.json").write_text("{}\n")
    (work / "content" / "site.yaml").write_text("changed by enrich? never committed\n")
    (work / "enrich-report.json").write_text('{"packages": 2, "fetched": 2}\n')
    # Someone merged a pull request while the enricher ran: the bot's commit goes on top.
    other = tmp_path / "other"
    subprocess.run([*git, "clone", "--quiet", str(remote), str(other)], check=True)
    (other / "content" / "grids" / "new.txt").write_text("merged meanwhile\n")
    for args in (["add", "."], ["commit", "--quiet", "-m", "merged"], ["push", "--quiet"]):
        subprocess.run([*git, *args], cwd=other, check=True)
    run_step()
    parents = subprocess.run(
        ["git", "log", "--format=%s", "main"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines()
    assert parents == ["Nightly enrichment: 1 updated, 1 first fetched", "merged", "base"]
    log = subprocess.run(
        ["git", "log", "-1", "--format=%an%n%B", "--name-only", "main"],
        cwd=remote,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert log.splitlines() == [
        "github-actions[bot]",
        "Nightly enrichment: 1 updated, 1 first fetched",
        "",
        f"Updated: {ids[1]}",
        f"First fetched: {ids[2]}",
        "",
        "Run: packages 2, fetched 2",
        "",
        "",
        "content/enriched/1.json",
        "content/enriched/2.json",
    ]


def test_ci_runs_the_same_script_as_every_machine() -> None:
    """GitHub's CI runs `.ci/run` itself, so the browser tests run there too."""
    runs = [s.get("run", "") for s in steps(load(REPO / ".github/workflows/ci.yml"))]
    assert "bash .ci/run" in runs
    assert not any("pytest" in run for run in runs), "tests run only through .ci/run"


def test_every_install_uses_the_pinned_versions() -> None:
    """Every `pip install` in CI and the workflows passes constraints.txt, and that file
    pins every dependency pyproject.toml names (test extras included), so a new release
    upstream changes nothing until constraints.txt is regenerated on purpose."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    scripts = [(REPO / ".ci/run").read_text(encoding="utf-8")]
    scripts += [s.get("run", "") for path in WORKFLOWS for s in steps(load(path))]
    installs = [line for script in scripts for line in script.splitlines() if "pip install" in line]
    assert installs
    assert all("-c constraints.txt" in line for line in installs), installs
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["test"]]
    pins = {}
    for line in (REPO / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[canonicalize_name(name)] = version
    for text in wanted:
        requirement = Requirement(text)
        version = pins.get(canonicalize_name(requirement.name))
        assert version, f"{requirement.name} is not pinned in constraints.txt"
        assert requirement.specifier.contains(version), f"{requirement.name}=={version}"


def scratch_repo(path: Path) -> list[str]:
    """A git repository with content/ committed; the git command to use in it."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    shutil.copytree(REPO / "content", path / "content", ignore=shutil.ignore_patterns("enriched"))
    (path / "content" / "enriched").mkdir()
    (path / "content" / "enriched" / "1.json").write_text("{}\n")
    for args in (["init", "--quiet"], ["add", "."], ["commit", "--quiet", "-m", "base"]):
        subprocess.run([*git, *args], cwd=path, check=True)
    return git


def test_ci_fails_a_pull_request_that_edits_enriched_files(tmp_path: Path) -> None:
    """The step run for real on a scratch history: base, then the pull request's commit
    (HEAD^1 is the base, as in the merge commit a pull_request checkout gives)."""
    ci = load(REPO / ".github/workflows/ci.yml")
    step = next(
        s for s in steps(ci) if s.get("name") == "content/enriched/ is left to the nightly job"
    )
    assert step["if"] == "github.event_name == 'pull_request'"
    checkout = next(s for s in steps(ci) if "checkout" in s.get("uses", ""))
    assert checkout["with"]["fetch-depth"] == 2
    git = scratch_repo(tmp_path)

    def pull_request(path: str) -> subprocess.CompletedProcess[str]:
        (tmp_path / path).write_text('{"repo": {"stars": 99999}}\n')
        subprocess.run([*git, "add", "."], cwd=tmp_path, check=True)
        subprocess.run([*git, "commit", "--quiet", "-m", "pr"], cwd=tmp_path, check=True)
        return subprocess.run(
            ["bash", "-e", "-c", step["run"]], cwd=tmp_path, capture_output=True, text=True
        )

    fine = pull_request("content/grids/new.yaml")
    assert fine.returncode == 0 and "untouched" in fine.stdout
    edited = pull_request("content/enriched/1.json")
    assert edited.returncode == 1
    assert "::error title=content/enriched/ is machine-written::" in edited.stdout
    assert "edited: content/enriched/1.json" in edited.stdout.splitlines()
