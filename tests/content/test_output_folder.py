"""`djp build --out DIR` only ever empties a folder it made: a clone, the records, the
templates or a folder of someone's files is refused with nothing deleted."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.support import CONTENT, TEMPLATES, build_site, run_cli

MARKER = ".djp-build"


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes (symlinks by target), to prove nothing moved."""
    found = {}
    for folder, _, files in os.walk(root):
        for name in files:
            path = Path(folder, name)
            found[str(path.relative_to(root))] = (
                os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            )
    return found


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A copy of a repository tree: records, templates, a .git folder, uncommitted work."""
    root = tmp_path / "clone"
    shutil.copytree(CONTENT, root / "content")
    shutil.copytree(TEMPLATES, root / "templates")
    (root / ".git").mkdir()
    (root / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (root / "notes.txt").write_text("uncommitted work\n")
    return root


def build_in(root: Path, out: str, *, content: str = "content", templates: str = "templates"):
    cwd = os.getcwd()
    os.chdir(root)
    try:
        return run_cli(
            "build", "--content", content, "--templates", templates, "--out", out,
            "--cache", str(root.parent / "cache"),
        )  # fmt: skip
    finally:
        os.chdir(cwd)


def with_ssh(root: Path) -> str:
    (root / "home" / ".ssh").mkdir(parents=True)
    (root / "home" / ".ssh" / "id_ed25519").write_text("PRIVATE KEY\n")
    return "home"


def with_git(root: Path) -> str:
    (root / "other" / ".git").mkdir(parents=True)
    return "other"


def with_files(root: Path) -> str:
    (root / "mine").mkdir()
    (root / "mine" / "thesis.tex").write_text("three years of work\n")
    return "mine"


# (name, prepare(root) -> the --out given, words the message must contain)
REFUSED = [
    ("repository root", lambda root: ".", ["content/", "folder of its own"]),
    ("repository root, absolute", lambda root: str(root), ["content/"]),
    ("records", lambda root: "content", ["content/"]),
    ("inside the records", lambda root: "content/build", ["content/"]),
    ("templates", lambda root: "templates", ["templates/"]),
    ("a home folder with .ssh", with_ssh, ["did not make", "'.ssh'", MARKER]),
    ("another repository", with_git, [".git"]),
    ("a folder of someone's files", with_files, ["did not make", "'thesis.tex'"]),
]


@pytest.mark.parametrize(("name", "prepare", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refuses_a_folder_it_did_not_make(repo: Path, name, prepare, words) -> None:
    out = prepare(repo)
    before = snapshot(repo)
    result = build_in(repo, out)
    assert result.exit_code == 1, result.output
    assert "build refused" in result.output and "nothing was deleted" in result.output
    for word in words:
        assert word in result.output, (word, result.output)
    assert "Traceback" not in result.output
    assert snapshot(repo) == before


def test_builds_into_a_new_an_empty_or_its_own_folder(repo: Path) -> None:
    assert build_in(repo, "build").exit_code == 0
    assert (repo / "build" / MARKER).is_file()
    (repo / "build" / "stray.html").write_text("left by hand\n")
    result = build_in(repo, "build")  # its own folder: cleaned of what it does not make
    assert result.exit_code == 0, result.output
    assert not (repo / "build" / "stray.html").exists() and (repo / "build" / MARKER).is_file()
    (repo / "empty").mkdir()
    assert build_in(repo, "empty").exit_code == 0
    assert (repo / "empty" / MARKER).is_file() and (repo / "empty" / "index.html").is_file()
    assert (repo / "notes.txt").read_text() == "uncommitted work\n"


def test_a_users_staging_named_folder_beside_the_output_is_kept(tmp_path: Path) -> None:
    """The staging folder is the tool's own name, marked; a user's `.build.staging` (the
    name the build once used) is never touched, and a look-alike without the marker is
    refused rather than removed."""
    mine = tmp_path / ".build.staging"
    mine.mkdir()
    (mine / "keep.txt").write_text("mine\n")
    build_site(CONTENT, tmp_path / "build")
    assert (mine / "keep.txt").read_text() == "mine\n"
    lookalike = tmp_path / f".build{MARKER}-staging"
    lookalike.mkdir()
    (lookalike / "keep.txt").write_text("mine too\n")
    (tmp_path / "build" / "stray.html").write_text("x")  # so the build is not skipped
    result = run_cli(
        "build", "--content", str(CONTENT), "--templates", str(TEMPLATES),
        "--out", str(tmp_path / "build"), "--cache", str(tmp_path / ".cache"),
    )  # fmt: skip
    assert result.exit_code == 1 and "not a staging folder" in result.output, result.output
    assert (lookalike / "keep.txt").read_text() == "mine too\n"
    assert (tmp_path / "build" / "stray.html").exists()


def test_setuptools_builds_outside_the_site_folder(tmp_path: Path) -> None:
    """`pip install .` runs setuptools' build and bdist commands in the project folder;
    their `lib/` and `bdist.*/` must not land in `build/`, the folder the site goes to.
    Run offline, as pip's backend runs them, in a copy of the project."""
    repo = Path(__file__).resolve().parents[2]
    project = tmp_path / "project"
    shutil.copytree(repo / "generator", project / "generator")
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(repo / name, project / name)
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "from setuptools import setup; setup()",
            "-q",
            "build",
            "bdist_dumb",
        ],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert not (project / "build").exists()
    assert (project / ".setuptools-build" / "lib" / "generator" / "cli.py").is_file()
