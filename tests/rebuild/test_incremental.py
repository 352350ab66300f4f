"""Incremental builds write exactly what a clean build writes, and nothing more.

A generated corpus gets a seeded series of random edits (package records, enrichment,
grids, templates, static files, settings, packages added and removed, a broken file
and its fix); after each one the build into a long-lived output folder, with its cache,
is compared byte for byte with a clean build into a new folder with a new cache.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.helpers.corpus import dump_yaml, enrichment, package_record, write_corpus
from tests.helpers.support import REPO, TEMPLATES, run_cli

Tree = dict[str, tuple[bytes, int]]


def djp_build(content: Path, templates: Path, out: Path, cache: Path, *extra: str) -> str:
    """Run `djp build` and return what it printed; fail the test if it failed."""
    args = ["build", "--content", str(content), "--templates", str(templates)]
    args += ["--out", str(out), "--cache", str(cache), *extra]
    result = run_cli(*args)
    assert result.exit_code == 0, result.output
    return result.output


def tree(out: Path) -> Tree:
    """Every file under `out`: bytes and modification time."""
    return {
        p.relative_to(out).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(out.rglob("*"))
        if p.is_file()
    }


def tree_bytes(out: Path) -> dict[str, bytes]:
    return {path: data for path, (data, _) in tree(out).items()}


def written_count(output: str) -> int:
    """The `N written` of the CLI's summary line (0 when it says up to date)."""
    if "is up to date" in output:
        return 0
    return int(output.split(": ", 1)[1].split(" written", 1)[0])


@pytest.fixture
def site(tmp_path: Path) -> tuple[Path, Path]:
    """A 60-package corpus and a copy of the shipped templates, both free to edit."""
    content, templates = tmp_path / "content", tmp_path / "templates"
    write_corpus(content, 60, seed=6)
    shutil.copytree(TEMPLATES, templates)
    return content, templates


def _load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _save(path: Path, doc: dict, schema: str) -> None:
    path.write_text(dump_yaml(doc, schema), encoding="utf-8")


def edit_record(rng: random.Random, content: Path, templates: Path) -> str:
    path = rng.choice(sorted((content / "packages").glob("*.yaml")))
    doc = _load(path)
    doc["title"] = doc["title"] + " Plus"
    doc["description"] = f"Edited *{rng.randint(0, 999)}*: [docs](https://example.org/)."
    _save(path, doc, "package")
    return f"record {path.name}"


def edit_enrichment(rng: random.Random, content: Path, templates: Path) -> str:
    path = rng.choice(sorted((content / "enriched").glob("*.json")))
    doc = json.loads(path.read_text(encoding="utf-8"))
    doc["repo"]["stars"] += rng.randint(1, 500)
    doc["repo"]["commits_over_52"][-1] += 1
    path.write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
    return f"enrichment {path.name}"


def edit_grid(rng: random.Random, content: Path, templates: Path) -> str:
    path = rng.choice(sorted((content / "grids").glob("*.yaml")))
    doc = _load(path)
    doc["features"].append({"title": f"Feature {rng.randint(0, 999)}"})
    member = rng.choice(doc["packages"])
    doc.setdefault("cells", {}).setdefault(member, {})[doc["features"][-1]["title"]] = "yes"
    _save(path, doc, "grid")
    return f"grid {path.name}"


TEMPLATE_EDITS = {
    "base.html": "</main>",
    "package.html": "</article>",
    "grid.html": "</table>",
    "_macros.html": "</table>",
}


def edit_template(rng: random.Random, content: Path, templates: Path) -> str:
    name = rng.choice([*TEMPLATE_EDITS, "static/style.css"])
    path = templates / name
    text = path.read_text(encoding="utf-8")
    mark = f"<!-- edit {rng.randint(0, 999)} -->"
    if name in TEMPLATE_EDITS:
        text = text.replace(TEMPLATE_EDITS[name], mark + TEMPLATE_EDITS[name], 1)
    else:
        text += f"\n/* {mark} */\n"
    path.write_text(text, encoding="utf-8")
    return f"template {name}"


def edit_settings(rng: random.Random, content: Path, templates: Path) -> str:
    doc = _load(content / "site.yaml")
    doc["title"] = f"Django Packages {rng.randint(0, 999)}"
    (content / "site.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return "settings title"


def add_package(rng: random.Random, content: Path, templates: Path) -> str:
    ident = max(int(p.stem) for p in (content / "enriched").glob("*.json")) + 1
    slug = f"django-added-{ident}"
    record = package_record(rng, ident, slug)
    _save(content / "packages" / f"{slug}.yaml", record, "package")
    facts = enrichment(rng, record)
    (content / "enriched" / f"{ident}.json").write_text(json.dumps(facts) + "\n", "utf-8")
    grid = rng.choice(sorted((content / "grids").glob("*.yaml")))
    doc = _load(grid)
    doc["packages"].append(slug)
    _save(grid, doc, "grid")
    return f"added {slug} to {grid.name}"


def remove_package(rng: random.Random, content: Path, templates: Path) -> str:
    path = rng.choice(sorted((content / "packages").glob("*.yaml")))
    doc = _load(path)
    for grid in sorted((content / "grids").glob("*.yaml")):
        g = _load(grid)
        if path.stem in g["packages"]:
            g["packages"].remove(path.stem)
            g.get("cells", {}).pop(path.stem, None)
            _save(grid, g, "grid")
    path.unlink()
    (content / "enriched" / f"{doc['id']}.json").unlink(missing_ok=True)
    return f"removed {path.stem}"


EDITS: list[Callable[[random.Random, Path, Path], str]] = [
    edit_record,
    edit_enrichment,
    edit_grid,
    edit_template,
    edit_settings,
    add_package,
    remove_package,
]


def test_incremental_build_equals_clean_build_after_random_edits(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    rng = random.Random(2026)
    steps = [*EDITS, *rng.choices(EDITS, k=5)]
    rng.shuffle(steps)
    djp_build(content, templates, out, cache)
    for n, edit in enumerate(steps):
        what = edit(rng, content, templates)
        extra = ("--base-url", "https://example.com/sub/") if n % 4 == 3 else ()
        before = tree(out)
        printed = djp_build(content, templates, out, cache, *extra)
        after = tree(out)
        clean = tmp_path / f"clean-{n}"
        djp_build(content, templates, clean, tmp_path / f"clean-cache-{n}", *extra)
        expected = {path: data for path, (data, _) in tree(clean).items()}
        assert expected != {path: data for path, (data, _) in before.items()}, f"{what}: no-op"
        assert {path: data for path, (data, _) in after.items()} == expected, what
        changed = [p for p, (data, _) in after.items() if before.get(p, (None,))[0] != data]
        assert written_count(printed) == len(changed), what
        kept = [p for p in after if p not in changed and p in before]
        assert all(after[p][1] == before[p][1] for p in kept), f"{what}: mtime changed"


def test_no_change_rebuild_writes_nothing(site: tuple[Path, Path], tmp_path: Path) -> None:
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    djp_build(content, templates, out, cache)
    before = tree(out)
    assert "is up to date" in djp_build(content, templates, out, cache)
    assert tree(out) == before
    # Without the cache's shortcut the full build runs, and still writes nothing.
    printed = djp_build(content, templates, out, tmp_path / "new-cache")
    assert written_count(printed) == 0 and "0 removed" in printed
    assert tree(out) == before


def test_skipped_build_loads_no_renderer(site: tuple[Path, Path], tmp_path: Path) -> None:
    """A skipped build's time is its check, not loading Jinja2, Markdown and the
    validators: in a fresh interpreter, none of them is imported."""
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    djp_build(content, templates, out, cache)
    args = ["build", "--content", str(content), "--templates", str(templates)]
    args += ["--out", str(out), "--cache", str(cache)]
    script = (
        "import sys\n"
        "from generator.cli import main\n"
        f"main({args!r}, standalone_mode=False)\n"
        "heavy = ('generator.render', 'generator.validate', 'markdown', 'jsonschema', 'httpx')\n"
        "print(sorted(name for name in heavy if name in sys.modules))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert run.stdout.splitlines() == [
        f"{out}/ is up to date: inputs unchanged since the last build",
        "[]",
    ]


@pytest.mark.parametrize(
    "state",
    [
        "{",
        "[]",
        '{"stamps": null}',
        '{"stamps": 3}',
        '{"stamps": {"index.html": 5}}',
        '{"format": 1}',
        '{"fingerprint": ["not", "a", "digest"]}',
    ],
)
def test_unreadable_build_state_means_build(
    site: tuple[Path, Path], tmp_path: Path, state: str
) -> None:
    """A state this version did not write (truncated, another format, wrong shapes in an
    otherwise right state) means a build, never a crash or a skip."""
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    djp_build(content, templates, out, cache)
    (state_file,) = cache.glob("build-state-*.json")
    if state.startswith('{"'):
        state = json.dumps(json.loads(state_file.read_text(encoding="utf-8")) | json.loads(state))
    state_file.write_text(state, encoding="utf-8")
    printed = djp_build(content, templates, out, cache)
    assert "is up to date" not in printed and written_count(printed) == 0


def test_rebuild_after_a_change_removes_what_is_no_longer_produced(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    """The files to remove come from the last build's state when the output is untouched,
    and from a walk of the output otherwise: both remove the same files."""
    content, templates = site
    outs = {name: tmp_path / f"build-{name}" for name in ("state", "walk")}
    for name, out in outs.items():
        djp_build(content, templates, out, tmp_path / f"cache-{name}")
    slug = remove_package(random.Random(1), content, templates).removeprefix("removed ")
    shutil.rmtree(tmp_path / "cache-walk")  # no state: the output is walked
    for name, out in outs.items():
        printed = djp_build(content, templates, out, tmp_path / f"cache-{name}")
        assert " 0 removed" not in printed, printed
        assert not (out / "packages" / "p" / slug).exists()
    assert tree_bytes(outs["state"]) == tree_bytes(outs["walk"])


@pytest.mark.parametrize("tamper", ["delete", "modify", "add"])
def test_rebuild_repairs_output_changed_by_hand(
    site: tuple[Path, Path], tmp_path: Path, tamper: str
) -> None:
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    djp_build(content, templates, out, cache)
    expected = {path: data for path, (data, _) in tree(out).items()}
    page = out / "packages" / "index.html"
    if tamper == "delete":
        page.unlink()
    elif tamper == "modify":
        page.write_bytes(page.read_bytes().replace(b"Packages", b"Pakages"))
    else:
        (out / "packages" / "stray.html").write_text("left over")
    printed = djp_build(content, templates, out, cache)
    assert "is up to date" not in printed
    assert {path: data for path, (data, _) in tree(out).items()} == expected


def test_failed_build_keeps_output_and_next_good_build_is_skipped(
    site: tuple[Path, Path], tmp_path: Path
) -> None:
    content, templates = site
    out, cache = tmp_path / "build", tmp_path / "cache"
    djp_build(content, templates, out, cache)
    before = tree(out)
    record = sorted((content / "packages").glob("*.yaml"))[0]
    good = record.read_text(encoding="utf-8")
    record.write_text(good + "title: [unclosed\n", encoding="utf-8")
    args = ["build", "--content", str(content), "--templates", str(templates)]
    result = run_cli(*args, "--out", str(out), "--cache", str(cache))
    assert result.exit_code == 1
    assert tree(out) == before
    record.write_text(good, encoding="utf-8")
    assert "is up to date" in djp_build(content, templates, out, cache)


def test_parallel_rendering_gives_the_same_bytes(tmp_path: Path) -> None:
    """Enough packages that `--jobs 2` forks workers (see `parallel.MIN_ITEMS_PER_JOB`)."""
    content = tmp_path / "content"
    write_corpus(content, 450, seed=3)
    one, two = tmp_path / "one", tmp_path / "two"
    djp_build(content, TEMPLATES, one, tmp_path / "c1", "--jobs", "1")
    djp_build(content, TEMPLATES, two, tmp_path / "c2", "--jobs", "2")
    assert {p: d for p, (d, _) in tree(one).items()} == {p: d for p, (d, _) in tree(two).items()}
