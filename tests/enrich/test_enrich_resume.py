"""Killing a run at any moment leaves whole files; the next run picks up where it stopped."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from generator.enrich import store
from generator.enrich.runner import CHUNK
from tests.helpers.fakes import Repo, fixture, make_commits

ROOT = Path(__file__).resolve().parents[2]


def test_write_is_atomic_and_skips_unchanged(tmp_path, monkeypatch):
    path = tmp_path / "1.json"
    assert store.write_json(path, {"b": 1, "a": [1, 2]})
    assert path.read_text() == '{\n  "a": [\n    1,\n    2\n  ],\n  "b": 1\n}\n'
    mtime = path.stat().st_mtime_ns
    assert not store.write_json(path, {"a": [1, 2], "b": 1})
    assert path.stat().st_mtime_ns == mtime

    def crash(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        store.write_json(path, {"a": "new"})
    assert json.loads(path.read_text()) == {"a": [1, 2], "b": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["1.json"]


def test_killed_run_leaves_whole_files_and_the_next_run_finishes(hosts, content):
    """Killed once the first chunk is saved, while the second is held by PyPI: no clock,
    the run tells when (its progress line), so a loaded machine cannot change the test."""
    now = datetime.now(UTC)
    count = 150
    for i in range(1, count + 1):
        hosts.github.forest.add(Repo(f"o/r{i}", commits=make_commits(now, [0] * 51 + [1], ["x"])))
        hosts.pypi.add(f"p{i}", fixture("pypi/wagtail.json"))
        content.package(i, f"p{i}", f"https://github.com/o/r{i}", pypi_name=f"p{i}")
    hosts.pypi.server.hold(lambda r: int(r.path.split("/")[2][1:]) > CHUNK)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = [sys.executable, "-m", "generator", "enrich", "--content", str(content.root)]
    folder = content.root / "enriched"
    process = subprocess.Popen(
        [*args, "--concurrency", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        for line in process.stderr:
            if line.startswith(f"enrich: {CHUNK}/{count}".encode()):
                break
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
        process.stderr.close()
    written = list(folder.glob("[0-9]*.json"))
    assert len(written) == CHUNK
    for path in written:
        assert json.loads(path.read_text())["repo"]["stars"] == 10
    hosts.pypi.server.hold(lambda r: False)
    hosts.github.server.requests.clear()
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=True)
    assert len(list(folder.glob("[0-9]*.json"))) == count, result.stdout
    assert json.loads((folder / "_state.json").read_text())["last_run"]
