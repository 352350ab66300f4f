"""Which configured forge instance serves a record's repository, and the project's path.

Pure: the instances come from `Endpoints` (the environment, named by maintainers). A
record only points at a URL; when that URL's host is no configured instance, the
package is not enriched from a forge. With `repo_host` set (the record insists it is a
forge) that is reported as `unconfigured_host`, so a maintainer can add the instance;
a `repo_host` that contradicts the configured kind is `host_mismatch`. Neither sends a
request anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from ..repos import retired
from .client import FetchError
from .endpoints import Endpoints, Instance, web_host


@dataclass(frozen=True)
class Repository:
    """One package's repository: the instance serving it and the project path there."""

    instance: Instance
    path: str
    """`owner/name` (GitLab: the full group path), without `.git` or `/-/tree/…`."""

    @property
    def kind(self) -> str:
        return self.instance.kind


def project_path(kind: str, repo_url: str) -> str | None:
    """The project path in a repository URL of a forge of `kind`, or None."""
    segments = [s for s in urlsplit(repo_url.strip()).path.split("/") if s]
    if kind == "gitlab" and "-" in segments:
        segments = segments[: segments.index("-")]
    elif kind != "gitlab":
        segments = segments[:2]
    if len(segments) < 2:
        return None
    segments[-1] = segments[-1].removesuffix(".git")
    return "/".join(segments)


def locate_repo(
    repo_url: str, repo_host: str | None, endpoints: Endpoints
) -> Repository | FetchError | None:
    """The repository, a refusal to fetch it (as the error to record), or None (no forge)."""
    if retired(repo_url, repo_host):  # closed host, or `repo_host: none` (repos.retired)
        return None
    instance = endpoints.instance(repo_url)
    if instance is None:
        if repo_host is None:
            return None
        host = web_host(repo_url) or repo_url[:100]
        variable = f"{repo_host.upper()}_HOSTS"
        return FetchError(
            "unconfigured_host",
            f"{host} is no configured {repo_host} instance (a maintainer lists it in {variable})",
        )
    if repo_host is not None and repo_host != instance.kind:
        return FetchError(
            "host_mismatch",
            f"{instance.host} is a {instance.kind} instance, the record says {repo_host}",
        )
    path = project_path(instance.kind, repo_url)
    return Repository(instance, path) if path else None
