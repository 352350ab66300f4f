"""Where the enricher may send requests, and with which credentials: read once.

`Endpoints.from_environ` is the only code that reads the enrichment's environment. A
token is bound to the API origin it was configured for (`Instance.api`); `HostClient`
refuses any other origin, so a pagination link, a body `next` or a redirect pointing
elsewhere never carries it. Forge instances are named by maintainers in the
environment, never by a record: a record's `repo_url` on a host that no instance
serves is not enriched from a forge (no request at all), even with `repo_host` set.

Environment (every variable optional):

- `GITHUB_TOKEN`, `GITHUB_API_URL` (default `https://api.github.com`),
  `GITHUB_GRAPHQL_URL` (default `https://api.github.com/graphql`): github.com;
- `GITLAB_TOKEN`, `GITLAB_API_URL` (default `https://gitlab.com/api/v4`): gitlab.com;
- `FORGEJO_TOKEN`, `FORGEJO_API_URL` (default `https://codeberg.org/api/v1`):
  codeberg.org;
- `BITBUCKET_TOKEN`, `BITBUCKET_API_URL` (default `https://api.bitbucket.org/2.0`):
  bitbucket.org;
- `PYPI_URL` (default `https://pypi.org`);
- `GITLAB_HOSTS`, `FORGEJO_HOSTS`: comma-separated host names of self-hosted GitLab
  and Forgejo/Gitea instances; each has its own `GITLAB_API_URL_<HOST>` /
  `FORGEJO_API_URL_<HOST>` (default `https://<host>/api/v4` / `/api/v1`) and
  `GITLAB_TOKEN_<HOST>` / `FORGEJO_TOKEN_<HOST>` (`<HOST>` upper-cased, every
  character but letters and digits as `_`: `GITLAB_TOKEN_GITLAB_GNOME_ORG`).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from urllib.parse import urlsplit

from .bitbucket import Bitbucket
from .forge import ForgeAPI
from .forgejo import Forgejo
from .github import DEFAULT_GRAPHQL, GitHubREST
from .gitlab import GitLab

FORGES: Mapping[str, ForgeAPI] = MappingProxyType(
    {"github": GitHubREST(), "gitlab": GitLab(), "forgejo": Forgejo(), "bitbucket": Bitbucket()}
)
"""The one forge registry: kind (a record's `repo_host`) → URLs and answer shapes."""
PUBLIC = (
    ("github", "github.com"),
    ("gitlab", "gitlab.com"),
    ("forgejo", "codeberg.org"),
    ("bitbucket", "bitbucket.org"),
)
"""The public instance of each kind, configured by the unsuffixed variables."""
SELF_HOSTED = ("gitlab", "forgejo")
"""Kinds that can be installed elsewhere (named in `<KIND>_HOSTS`)."""
DEFAULT_PYPI = "https://pypi.org"


class EndpointError(ValueError):
    """A variable of the environment is not what it must be (said with its name)."""


@dataclass(frozen=True)
class Instance:
    """One forge installation the enricher may ask, as a maintainer configured it."""

    kind: str
    """`github`, `gitlab`, `forgejo` or `bitbucket`: the key of its `FORGES` entry."""
    host: str
    """Host name of its repository URLs (`gitlab.com`), the key records are matched by."""
    api: str
    """API base URL, without a trailing `/`; its origin is the only one `token` goes to."""
    token: str | None = field(default=None, repr=False)
    """Credentials for `api` alone, or None to ask anonymously."""

    @property
    def web(self) -> str:
        """Origin of the repository pages (`moved_to` URLs are built on it)."""
        return f"https://{self.host}"


@dataclass(frozen=True)
class Endpoints:
    """Every API the enricher talks to, built once (`from_environ`) and passed in."""

    instances: Mapping[str, Instance]
    """Forge instances by host name (lower case, no `www.`)."""
    github_graphql: str = DEFAULT_GRAPHQL
    """GitHub's GraphQL URL; used only with a GitHub token, which goes there too."""
    pypi: str = DEFAULT_PYPI
    """PyPI's base URL (`/pypi/<name>/json` below it); never sent a token."""

    @property
    def github(self) -> Instance:
        """The github.com instance (always configured; its token may be None)."""
        return self.instances["github.com"]

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Endpoints:
        """Read the variables of the module docstring; `EndpointError` names a bad one."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            return (env.get(name) or "").strip() or None

        def url(name: str, default: str) -> str:
            value = (get(name) or default).rstrip("/")
            if not is_http_url(value):
                raise EndpointError(f"{name}={value!r}: must be an http:// or https:// URL")
            return value

        found: dict[str, Instance] = {}
        for kind, host in PUBLIC:
            prefix = kind.upper()
            default = FORGES[kind].default_api(f"https://{host}")
            found[host] = Instance(
                kind, host, url(f"{prefix}_API_URL", default), get(f"{prefix}_TOKEN")
            )
        for kind in SELF_HOSTED:
            prefix = kind.upper()
            for host in host_list(get(f"{prefix}_HOSTS") or "", f"{prefix}_HOSTS"):
                if host in found:
                    raise EndpointError(
                        f"{prefix}_HOSTS: {host} is already a {found[host].kind} host"
                    )
                key = env_key(host)
                default = FORGES[kind].default_api(f"https://{host}")
                api = url(f"{prefix}_API_URL_{key}", default)
                found[host] = Instance(kind, host, api, get(f"{prefix}_TOKEN_{key}"))
        return cls(
            MappingProxyType(found),
            url("GITHUB_GRAPHQL_URL", DEFAULT_GRAPHQL),
            url("PYPI_URL", DEFAULT_PYPI),
        )

    def instance(self, repo_url: str) -> Instance | None:
        """The configured instance serving a repository URL, or None."""
        return self.instances.get(web_host(repo_url))


def web_host(url: str) -> str:
    """A URL's host (and a non-default port) in lower case, without `www.`."""
    parts = urlsplit(url.strip())
    try:
        host, port = (parts.hostname or ""), parts.port
    except ValueError:
        return ""
    host = host.removeprefix("www.")
    return f"{host}:{port}" if port and port not in (80, 443) else host


def is_http_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.hostname)


def env_key(host: str) -> str:
    """The `<HOST>` suffix of a per-host variable: `gitlab.gnome.org` → `GITLAB_GNOME_ORG`."""
    return "".join(c if c.isascii() and c.isalnum() else "_" for c in host.upper())


def host_list(raw: str, name: str) -> list[str]:
    """Host names of a comma-separated variable, checked to be host names."""
    hosts = [h.strip().lower().removeprefix("www.") for h in raw.split(",") if h.strip()]
    for host in hosts:
        if web_host(f"https://{host}/") != host:
            raise EndpointError(f"{name}: {host!r} is not a host name (write gitlab.example.org)")
    return hosts
