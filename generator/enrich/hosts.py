"""Which forge hosts a repository, and the project's path there (pure functions).

`github.com` → `github`; `gitlab.com` or any host whose name starts with `gitlab.` →
`gitlab`; `codeberg.org` and the hosts listed in `FORGEJO_HOSTS` (comma-separated) →
`forgejo`; `bitbucket.org` → `bitbucket`. A record's `repo_host` overrides the guess
(for a self-hosted GitLab or Forgejo under another name). Anything else (a home page)
has no host and is not enriched from a forge.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

KNOWN = {
    "github.com": "github",
    "gitlab.com": "gitlab",
    "codeberg.org": "forgejo",
    "bitbucket.org": "bitbucket",
}


def guess_host(netloc: str, forgejo_hosts: frozenset[str] = frozenset()) -> str | None:
    """The forge kind for a host name, or None."""
    name = netloc.lower().removeprefix("www.")
    if name in KNOWN:
        return KNOWN[name]
    if name in forgejo_hosts:
        return "forgejo"
    if name.startswith("gitlab."):
        return "gitlab"
    return None


def forgejo_hosts_from_env() -> frozenset[str]:
    raw = os.environ.get("FORGEJO_HOSTS", "")
    return frozenset(h.strip().lower() for h in raw.split(",") if h.strip())


def locate_repo(
    repo_url: str, repo_host: str | None = None, forgejo_hosts: frozenset[str] = frozenset()
) -> tuple[str, str, str] | None:
    """(host kind, web origin, project path) of a repository URL, or None.

    The path is `owner/name` (GitLab: the full group path). Extra path parts such as
    `/-/tree/main` or `/src/branch/main` and a `.git` suffix are dropped.
    """
    parts = urlsplit(repo_url.strip())
    kind = repo_host or guess_host(parts.netloc, forgejo_hosts)
    if kind is None:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if kind == "gitlab" and "-" in segments:
        segments = segments[: segments.index("-")]
    elif kind != "gitlab":
        segments = segments[:2]
    if len(segments) < 2:
        return None
    segments[-1] = segments[-1].removesuffix(".git")
    origin = f"{parts.scheme or 'https'}://{parts.netloc.lower().removeprefix('www.')}"
    return kind, origin, "/".join(segments)
