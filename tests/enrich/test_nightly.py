"""`djp nightly summary` and `commit-message`: what the nightly workflow writes."""

from __future__ import annotations

import json
from pathlib import Path

from generator.nightly import LISTED, changed_ids, commit_message
from tests.helpers.records import write_sample_tree
from tests.helpers.support import run_cli


def test_summary_renders_any_report_as_markdown(tmp_path: Path) -> None:
    report = tmp_path / "enrich-report.json"
    report.write_text(
        json.dumps(
            {
                "packages": 3,
                "failed": {"http_500": 1},
                "gone": ["a|b"],
                "hosts": {"github": {"requests": 5}},
                "moved": {},
            }
        )
    )
    result = run_cli("nightly", "summary", str(report))
    assert result.exit_code == 0
    assert result.output == (
        "## Nightly enrichment\n\n| | |\n|---|---|\n| `packages` | 3 |\n\n"
        "### `failed`\n\n| | |\n|---|---|\n| `http_500` | 1 |\n\n"
        "### `gone`\n\n- `a|b`\n\n"
        '### `hosts`\n\n| | |\n|---|---|\n| `github` | `{"requests": 5}` |\n'
    )


def test_summary_without_a_report_says_so(tmp_path: Path) -> None:
    result = run_cli("nightly", "summary", str(tmp_path / "none.json"))
    assert result.exit_code == 0
    assert "The enricher wrote no report." in result.output


def test_commit_message_names_packages_by_slug(tmp_path: Path) -> None:
    content = write_sample_tree(tmp_path / "content")
    name_status = (
        "M\tcontent/enriched/1.json\nD\tcontent/enriched/9.json\n"
        "M\tcontent/enriched/_state.json\nM\tcontent/site.yaml\n"
    )
    result = run_cli("nightly", "commit-message", "--content", str(content), input=name_status)
    assert result.exit_code == 0
    assert result.output == (
        "Nightly enrichment: 1 updated, 1 removed\n\nUpdated: django-alpha\nRemoved: #9\n"
    )


def test_long_lists_are_cut() -> None:
    ids = list(range(1, LISTED + 6))
    changes = changed_ids("".join(f"M\tcontent/enriched/{i}.json\n" for i in ids))
    message = commit_message(changes, {}, None)
    assert message.startswith(f"Nightly enrichment: {len(ids)} updated\n")
    assert message.rstrip().endswith(f"#{LISTED} and 5 more")


def test_take_copies_package_files_all_or_none(tmp_path: Path) -> None:
    """What the read-only fetch job uploaded is hostile until checked: only small
    `<id>.json` JSON objects, regular files, are taken, and one bad file takes none."""
    content, fetched = tmp_path / "content", tmp_path / "fetched"
    fetched.mkdir()
    (fetched / "1.json").write_text('{"repo": null}\n')
    (fetched / "22.json").write_text('{"pypi": null}\n')
    result = run_cli("nightly", "take", str(fetched), "--content", str(content))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (content / "enriched").iterdir()) == ["1.json", "22.json"]
    hostile = {
        "01.json": "{}",
        "١.json": "{}",
        "_state.json": "{}",
        "3.json": '{"stars": NaN}',
        "4.json": "[]",
        "5.json": "{" + " " * (1024 * 1024) + "}",
        "x\n::error::y.json": "{}",
    }
    for name, text in hostile.items():
        (fetched / name).write_text(text)
    (fetched / "6.json").symlink_to("/etc/passwd")
    (fetched / "7.json").mkdir()
    (fetched / "1.json").write_text('{"repo": {"stars": 5}}\n')
    result = run_cli("nightly", "take", str(fetched), "--content", str(content))
    assert result.exit_code == 1
    refused = [line for line in result.output.splitlines() if "refused:" in line]
    assert len(refused) == len(hostile) + 2
    assert "refused: x\\n::error::y.json: not a package file name" in result.output
    assert json.loads((content / "enriched" / "1.json").read_text()) == {"repo": None}
