"""`djp import` against a fake djangopackages.org on loopback, then `djp build`: the
captured documents must come back from our API, with faults and a kill on the way."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from generator.enriched import parse_datetime
from generator.importer.mapping import pypi_name
from tests.helpers.djangopackages import FakeDjangoPackages, captured
from tests.helpers.support import build_site, run_cli

SITE = "https://example.org/dp/"


@pytest.fixture
def fake() -> Iterator[FakeDjangoPackages]:
    server = FakeDjangoPackages()
    yield server
    server.close()


def import_into(fake: FakeDjangoPackages, content: Path) -> Any:
    return run_cli("import", fake.url, "--content", str(content), "--backoff", "0.01")


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    """Every file under `root` with its bytes and modification time."""
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def same_instant(a: str | None, b: str | None) -> bool:
    return (a is None and b is None) or (
        a is not None and b is not None and parse_datetime(a) == parse_datetime(b)
    )


def differences(source: dict[str, Any], ours: dict[str, Any]) -> list[str]:
    """The v4 keys on which our document says something else than djangopackages.org's,
    with links compared by the id they name, datetimes by instant, and the PyPI link by
    the project it names ("" and null documentation links both mean none)."""
    found = []
    for key, theirs in source.items():
        if key.startswith("_"):
            continue
        mine = ours[key]
        if key == "category":
            same = theirs.split("?")[0].removeprefix(
                "https://djangopackages.org/"
            ) == mine.removeprefix(SITE)
        elif key == "grids":
            same = sorted(int(g.split("/grids/")[1].split("/")[0]) for g in theirs) == sorted(
                int(g.rstrip("/").rsplit("/", 1)[1]) for g in mine
            )
        elif key in ("last_updated", "last_fetched", "created", "modified"):
            same = same_instant(theirs, mine)
        elif key == "pypi_url":
            same = pypi_name(theirs) == (pypi_name(mine) if mine else None)
        elif key == "documentation_url":
            same = (theirs or None) == mine
        else:
            same = theirs == mine
        if not same:
            found.append(f"{key}: {theirs!r} became {mine!r}")
    return found


def test_import_then_build_gives_back_every_captured_document(
    fake: FakeDjangoPackages, tmp_path: Path
) -> None:
    """Into an empty folder, through a 503 and a 429: every package document comes back
    from our /api/v4/packages/<id>/ and at its old slug, equal key by key."""
    fake.server.fault("/api/v4/packages/", "503")
    fake.server.fault("/api/v4/grids/", "429")
    content, out = tmp_path / "content", tmp_path / "out"
    result = import_into(fake, content)
    assert result.exit_code == 0, result.output
    assert "272 packages" in result.output
    assert run_cli("validate", "--content", str(content)).exit_code == 0
    built = build_site(content, out, SITE)
    assert built.exit_code == 0, built.output
    docs = captured()
    mismatched = {}
    for source in docs:
        ours = json.loads((out / f"api/v4/packages/{source['id']}/index.json").read_text())
        by_slug = json.loads((out / f"api/v4/packages/{source['slug']}/index.json").read_text())
        assert by_slug == ours
        assert (out / f"packages/p/{source['slug']}/index.html").is_file()
        if problems := differences(source, ours):
            mismatched[source["slug"]] = problems
    print(f"{len(docs) - len(mismatched)} of {len(docs)} documents round-trip")
    assert mismatched == {}
    user_agents = {r.headers.get("User-Agent", "") for r in fake.server.requests}
    assert all(ua.startswith("djangopackages-static-import") for ua in user_agents)


def test_a_second_import_of_the_same_source_changes_no_file(
    fake: FakeDjangoPackages, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    assert import_into(fake, content).exit_code == 0
    before = tree(content)
    again = import_into(fake, content)
    assert again.exit_code == 0, again.output
    assert "wrote nothing" in again.output
    assert tree(content) == before


def test_a_killed_import_continues_where_it_stopped(
    fake: FakeDjangoPackages, tmp_path: Path
) -> None:
    """The site goes down after 8 requests: the run fails saying so and writes no record;
    the next run asks only for the pages the first one did not read."""
    content = tmp_path / "content"
    fake.fail_from = 8
    failed = import_into(fake, content)
    assert failed.exit_code == 1
    assert "run again to continue" in failed.output
    assert not (content / "packages").exists()
    read_before = list(fake.served)
    fake.fail_from = None
    resumed = import_into(fake, content)
    assert resumed.exit_code == 0, resumed.output
    assert not set(read_before) & set(fake.served[len(read_before) :]), "a page was read twice"
    assert len(list((content / "packages").glob("*.yaml"))) == 272
    assert not (content / ".import/cache").exists()


def test_an_edit_made_here_is_kept_and_a_clash_is_skipped(
    fake: FakeDjangoPackages, tmp_path: Path
) -> None:
    content = tmp_path / "content"
    assert import_into(fake, content).exit_code == 0
    edited = content / "packages/django_cron.yaml"
    edited.write_text(edited.read_text() + "description: Written here.\n")
    squatter = next(d for d in fake.lists["packages"] if d["slug"] != "django_cron")
    fake.lists["packages"].append(
        {**squatter, "id": 99999, "repo_url": "https://github.com/x/other"}
    )
    result = import_into(fake, content)
    assert result.exit_code == 0, result.output
    assert f"kept (edited here since the last import): packages/{edited.name}" in result.output
    assert f"skipped packages/{squatter['slug']}.yaml: slug" in result.output
    assert edited.read_text().endswith("description: Written here.\n")
    assert not (content / "enriched/99999.json").exists()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("http://pypi.python.org/pypi/django-cron", "django-cron"),
        ("https://pypi.python.org/pypi/django_cron/0.5.1", "django_cron"),
        ("https://pypi.org/project/Django-Foo/", "Django-Foo"),
        ("http://pypi.org/simple/foo", "foo"),
        (
            "https://pypi.org/project/http://pypi.python.org/pypi/django-lifecycle",
            "django-lifecycle",
        ),
        (
            "http://pypi.python.org/pypi/https://pypi.org/project/django-signal-notifier/",
            "django-signal-notifier",
        ),
        ("", None),
        (None, None),
        ("https://example.org/pypi/foo", None),
    ],
)
def test_every_form_of_pypi_url_names_its_project(url: str | None, name: str | None) -> None:
    assert pypi_name(url) == name
