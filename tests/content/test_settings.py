"""Site settings are read once: site.yaml, then the command line's overrides, with the
site URL normalised to exactly one trailing `/` and a bad one refused where it is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers.support import (
    SITE,
    TEMPLATES,
    build_site,
    content_files,
    package,
    run_cli,
    write_tree,
)


def content(tmp_path: Path, **site: str) -> Path:
    return write_tree(
        tmp_path / "content", content_files({"one": package(1)}, site={**SITE, **site})
    )


def api_root(out: Path) -> dict:
    return json.loads((out / "api/v4/index.json").read_text(encoding="utf-8"))


def build(content: Path, out: Path, *flags: str):
    return run_cli(
        "build", "--content", str(content), "--templates", str(TEMPLATES), "--out", str(out),
        "--cache", str(out.parent / ".cache"), *flags,
    )  # fmt: skip


@pytest.mark.parametrize(
    "given",
    ["https://example.org/prefix", "https://example.org/prefix/", "https://example.org/prefix//"],
)
def test_a_base_url_gets_exactly_one_trailing_slash(tmp_path: Path, given: str) -> None:
    out = tmp_path / "flag"
    build_site(content(tmp_path), out, base_url=given)
    assert api_root(out)["packages"] == "https://example.org/prefix/api/v4/packages/"
    file_out = tmp_path / "file"
    result = build(content(tmp_path / "f", site_url=given), file_out)
    assert result.exit_code == 0, result.output
    assert api_root(file_out)["packages"] == "https://example.org/prefix/api/v4/packages/"
    page = (file_out / "packages/p/one/index.html").read_text(encoding="utf-8")
    assert 'href="/prefix/static/style.css"' in page


def test_the_command_line_wins_over_site_yaml(tmp_path: Path) -> None:
    source = content(tmp_path, site_url="https://file.example/", title="From the file")
    out = tmp_path / "out"
    assert build(source, out).exit_code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>From the file" in home and api_root(out)["packages"].startswith(
        "https://file.example/"
    )
    result = build(source, out, "--base-url", "https://flag.example/x", "--title", "From the flag")
    assert result.exit_code == 0, result.output
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "<title>From the flag" in home and "From the file" not in home
    assert api_root(out)["packages"] == "https://flag.example/x/api/v4/packages/"


@pytest.mark.parametrize("bad", ["ftp://example.org/", "example.org/site/", "https:///nohost/"])
def test_a_bad_base_url_flag_is_refused_by_name(tmp_path: Path, bad: str) -> None:
    out = tmp_path / "out"
    result = build(content(tmp_path), out, "--base-url", bad)
    assert result.exit_code == 2
    assert "Invalid value for '--base-url'" in result.output
    assert "is not an absolute http(s) URL" in result.output and "Traceback" not in result.output
    assert not out.exists()
    links = run_cli("check-links", str(tmp_path), "--base-url", bad)
    assert links.exit_code == 2 and "Invalid value for '--base-url'" in links.output


def test_a_bad_site_url_in_site_yaml_is_a_located_error(tmp_path: Path) -> None:
    source = content(tmp_path, site_url="https://example.org/?preview=1")
    out = tmp_path / "out"
    result = build(source, out)
    assert result.exit_code == 1
    assert (
        "site.yaml:1:11: 'https://example.org/?preview=1' has a query or fragment" in result.output
    )
    assert not (out / "index.html").exists()
    links = run_cli("check-links", str(tmp_path), "--content", str(source))
    assert links.exit_code == 1
    assert f"{source}/site.yaml:1:11: 'https://example.org/?preview=1' has a query" in links.output
