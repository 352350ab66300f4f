"""Every `djp enrich` flag and every environment variable the enricher reads is in the
README, and the environment is read in one place (Datasette's test_docs, for us)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pytest

from generator.enrich.command import enrich
from generator.enrich.endpoints import Endpoints, env_key
from tests.helpers.support import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
SELF_HOSTED = {"GITLAB_HOSTS": "git.example.org", "FORGEJO_HOSTS": "forge.example.org"}


class Recording(Mapping[str, str]):
    """An environment that notes every name looked up."""

    def __init__(self, values: dict[str, str]) -> None:
        self.values, self.read = values, set()

    def __getitem__(self, name: str) -> str:
        self.read.add(name)
        return self.values[name]

    def get(self, name: str, default=None):  # type: ignore[override]
        self.read.add(name)
        return self.values.get(name, default)

    def __iter__(self) -> Iterator[str]:
        return iter(self.values)

    def __len__(self) -> int:
        return len(self.values)


def variables() -> list[str]:
    environ = Recording(dict(SELF_HOSTED))
    Endpoints.from_environ(environ)
    suffixes = {env_key(host) for host in SELF_HOSTED.values()}
    return sorted({re.sub("|".join(suffixes), "<HOST>", name) for name in environ.read})


def test_the_recording_sees_the_per_host_names() -> None:
    assert "GITLAB_TOKEN_<HOST>" in variables() and "PYPI_URL" in variables()


@pytest.mark.parametrize("name", variables())
def test_every_environment_variable_is_documented(name: str) -> None:
    assert f"`{name}`" in README, f"README does not document {name}"


@pytest.mark.parametrize(
    "flag", [opt for p in enrich.params for opt in p.opts if opt.startswith("--")]
)
def test_every_flag_is_documented(flag: str) -> None:
    assert f"`{flag}" in README, f"README does not document djp enrich {flag}"


def test_the_environment_is_read_in_one_place() -> None:
    readers = [
        path.relative_to(REPO).as_posix()
        for path in sorted((REPO / "generator").rglob("*.py"))
        if re.search(r"os\.environ|getenv\(", path.read_text(encoding="utf-8"))
    ]
    assert readers == ["generator/enrich/endpoints.py"]
