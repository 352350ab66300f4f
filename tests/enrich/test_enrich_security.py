"""Tokens stay home: every test has the API a token is configured for (a fake forge) and
a second loopback origin (`elsewhere`) that must never see a token, or any request."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest

from generator.enrich import Endpoints, Options, run_enrichment
from tests.helpers.fakes import FakeServer, Repo, Request, Response, fixture, make_commits
from tests.helpers.support import run_cli

NOW = datetime.now(UTC)
BUSY = [5] * 52
"""260 commits: more than one page on every forge, so pagination links are followed."""


@pytest.fixture
def elsewhere():
    """Another origin, answering anything with a plausible body; it records who called."""
    server = FakeServer(lambda request: Response(200, {"values": [], "info": {}}))
    yield server
    server.close()


@pytest.fixture
def tokens(monkeypatch):
    for name in ("GITLAB_TOKEN", "FORGEJO_TOKEN", "BITBUCKET_TOKEN"):
        monkeypatch.setenv(name, f"secret-{name}")


def rewrite(server: FakeServer, change) -> None:
    """Let `change(request, response)` edit every answer of a fake server."""
    answer = server.handler

    def handler(request: Request) -> Response:
        response = answer(request)
        change(request, response)
        return response

    server.handler = handler


def test_a_record_cannot_name_where_a_token_goes(hosts, content, elsewhere, tokens, monkeypatch):
    """`repo_host` on a host no maintainer configured: no request, an `unconfigured_host`
    failure; the configured instance still gets its own token."""
    monkeypatch.delenv("FORGEJO_API_URL")
    hosts.gitlab.forest.add(Repo("group/app", commits=make_commits(NOW, [1] * 52, ["a"])))
    content.package(1, "home", "https://gitlab.com/group/app")
    content.package(2, "forgejo-pr", f"{elsewhere.url}/me/app", repo_host="forgejo")
    content.package(3, "gitlab-pr", f"{elsewhere.url}/me/other", repo_host="gitlab")
    summary = content.run()
    assert elsewhere.requests == []
    assert summary.failed == {"unconfigured_host": 2}
    assert summary.fetched == 1 and content.enriched(1)["repo"]["stars"] == 10
    sent = {r.headers.get("Authorization") for r in hosts.gitlab.server.requests}
    assert sent == {"Bearer secret-GITLAB_TOKEN"}
    state = content.state()["packages"]["2"]["repo"]
    assert "FORGEJO_HOSTS" in state["error_message"]


def test_a_self_hosted_instance_gets_its_own_token_only(hosts, content, tokens, monkeypatch):
    monkeypatch.setenv("GITLAB_HOSTS", "git.example.org")
    monkeypatch.setenv("GITLAB_API_URL_GIT_EXAMPLE_ORG", hosts.gitlab.url)
    monkeypatch.setenv("GITLAB_TOKEN_GIT_EXAMPLE_ORG", "own-token")
    monkeypatch.setenv("GITLAB_API_URL", "http://127.0.0.1:9/api/v4")  # gitlab.com: unused
    hosts.gitlab.forest.add(Repo("me/app", commits=make_commits(NOW, [1] * 52, ["a"])))
    content.package(1, "app", "https://git.example.org/me/app")
    assert not content.run().failed
    sent = {r.headers.get("Authorization") for r in hosts.gitlab.server.requests}
    assert sent == {"Bearer own-token"}


@pytest.mark.parametrize("kind", ["gitlab", "forgejo"])
def test_a_link_header_to_another_origin_is_not_followed(hosts, content, elsewhere, tokens, kind):
    fake = getattr(hosts, kind)
    fake.forest.add(Repo("me/app", commits=make_commits(NOW, BUSY, ["a"])))
    url = {"gitlab": "https://gitlab.com/me/app", "forgejo": "https://codeberg.org/me/app"}

    def elsewhere_next(request: Request, response: Response) -> None:
        if "Link" in response.headers:
            response.headers["Link"] = response.headers["Link"].replace(
                fake.server.url, elsewhere.url
            )

    rewrite(fake.server, elsewhere_next)
    content.package(1, "app", url[kind])
    summary = content.run()
    assert elsewhere.requests == []
    assert summary.failed == {"foreign_origin": 1}
    assert "not followed" in content.state()["packages"]["1"]["repo"]["error_message"]


def test_a_body_next_to_another_origin_is_not_followed(hosts, content, elsewhere, tokens):
    hosts.bitbucket.forest.add(Repo("team/app", commits=make_commits(NOW, BUSY, ["a"])))

    def elsewhere_next(request: Request, response: Response) -> None:
        if isinstance(response.body, dict) and "next" in response.body:
            response.body["next"] = response.body["next"].replace(
                hosts.bitbucket.server.url, elsewhere.url
            )

    rewrite(hosts.bitbucket.server, elsewhere_next)
    content.package(1, "app", "https://bitbucket.org/team/app")
    assert content.run().failed == {"foreign_origin": 1}
    assert elsewhere.requests == []


def test_a_redirect_to_another_origin_is_not_followed(hosts, content, elsewhere, tokens):
    hosts.gitlab.forest.add(Repo("me/app", commits=make_commits(NOW, [1] * 52, ["a"])))

    def away(request: Request, response: Response) -> None:
        if request.path.endswith("/contributors"):
            response.status, response.body = 302, None
            response.headers["Location"] = f"{elsewhere.url}/steal"

    rewrite(hosts.gitlab.server, away)
    content.package(1, "app", "https://gitlab.com/me/app")
    assert content.run().failed == {"foreign_redirect": 1}
    assert elsewhere.requests == []


def test_a_redirect_loop_fails_only_its_package(hosts, content):
    hosts.pypi.add("good", fixture("pypi/wagtail.json"))

    def loop(request: Request, response: Response) -> None:
        if "/loop/" in request.path:
            response.status, response.body = 301, None
            response.headers["Location"] = request.path

    rewrite(hosts.pypi.server, loop)
    content.package(1, "loop", "https://example.org/loop", pypi_name="loop")
    content.package(2, "good", "https://example.org/good", pypi_name="good")
    summary = content.run()
    assert summary.failed == {"redirect_loop": 1}
    assert content.enriched(2)["pypi"]["version"] == "2.16.1"
    assert hosts.pypi.server.count("/loop/") == 6  # the request and five redirects


def test_endpoints_and_transport_are_injected(content, monkeypatch, tmp_path: Path):
    """A run given its endpoints reads nothing from the environment, and its transport
    can be httpx's MockTransport."""
    monkeypatch.setenv("PYPI_URL", "http://127.0.0.1:9")
    monkeypatch.setenv("GITHUB_TOKEN", "never-sent")
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.url.path == "/pypi/wagtail/json":
            return httpx.Response(200, json=fixture("pypi/wagtail.json"))
        return httpx.Response(404, json={"message": "Not Found"})

    endpoints = Endpoints.from_environ({"PYPI_URL": "https://pypi.test"})
    content.package(1, "wagtail", "https://github.com/wagtail/wagtail", pypi_name="wagtail")
    options = Options(content.root, retries=0)
    run = run_enrichment(options, endpoints=endpoints, transport=httpx.MockTransport(answer))
    summary = asyncio.run(run)
    assert content.enriched(1)["pypi"]["version"] == "2.16.1"
    assert summary.failed == {"not_found": 1}  # github.com REST, anonymous
    assert {str(r.url.host) for r in seen} == {"pypi.test", "api.github.com"}
    assert not any("Authorization" in r.headers for r in seen)


def test_a_bad_endpoint_variable_is_a_clear_error(content, monkeypatch):
    monkeypatch.setenv("GITLAB_API_URL", "file:///etc/passwd")
    result = run_cli("enrich", "--content", str(content.root))
    assert result.exit_code == 1
    assert "GITLAB_API_URL='file:///etc/passwd': must be an http:// or https:// URL" in (
        result.output
    )
    monkeypatch.setenv("GITLAB_API_URL", "https://gitlab.com/api/v4")
    monkeypatch.setenv("FORGEJO_HOSTS", "codeberg.org/evil")
    result = run_cli("enrich", "--content", str(content.root))
    assert "FORGEJO_HOSTS: 'codeberg.org/evil' is not a host name" in result.output
