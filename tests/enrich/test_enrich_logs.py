"""Upstream text printed into the Actions log or the job summary stays text: no
workflow command, no image, link or HTML can come out of a forge's answer."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import markdown

from generator.nightly import commit_message
from tests.helpers.fakes import Repo, make_commits
from tests.helpers.support import run_cli

COMMAND = "\n::error title=x::pwned\r::warning::too"
MARKUP = "![i](http://evil.example/t.png)<img src=x onerror=alert(1)>[a](javascript:alert(1))"


def no_command_lines(text: str) -> bool:
    return not any(line.lstrip().startswith(("::", "##[")) for line in text.splitlines())


def test_a_hostile_repository_path_stays_on_its_log_line(hosts, content):
    now = datetime.now(UTC)
    commits = make_commits(now, [1] * 52, ["a"])
    hosts.gitlab.forest.add(Repo("me/app", renamed_to=f"me/app{COMMAND}", commits=commits))
    content.package(1, "app", "https://gitlab.com/me/app")
    result = run_cli("enrich", "--content", str(content.root))
    assert result.exit_code == 0, result.output
    # The parsers refuse a path with control characters (bad_answer) before anything
    # could print it; either way no line of the log is a workflow command.
    assert "failed: bad_answer 1" in result.output
    assert no_command_lines(result.output)


def test_the_job_summary_shows_upstream_markup_as_text(tmp_path: Path):
    report = tmp_path / "enrich-report.json"
    hostile = {
        "packages": 1,
        "note": MARKUP + COMMAND,
        "moved": {"app": f"https://gitlab.com/{MARKUP}|x`y``z"},
        "gone": [f"<script>alert(1)</script>{COMMAND}"],
        "hosts": {MARKUP: {"stopped": MARKUP}},
    }
    report.write_text(json.dumps(hostile))
    result = run_cli("nightly", "summary", str(report))
    assert result.exit_code == 0
    assert no_command_lines(result.output)
    html = markdown.markdown(result.output, extensions=["tables"])
    for live in ("<img", "<script", "<a ", "href="):
        assert live not in html, html
    assert "evil.example/t.png" in html and "&lt;script&gt;" in html
    assert html.count("<td>") == 4 * 2  # four rows; no cell split by a `|` in a value


def test_the_commit_message_keeps_report_text_on_one_line():
    message = commit_message({"A": [], "M": [1], "D": []}, {1: "app"}, {"note": COMMAND})
    assert no_command_lines(message)
    assert "note \\n::error title=x::pwned" in message
