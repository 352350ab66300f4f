"""GitLab (gitlab.com and self-hosted), REST API v4.

Environment (read in `endpoints.py`): `GITLAB_API_URL`, `GITLAB_TOKEN` (gitlab.com,
a Bearer token); self-hosted instances in `GITLAB_HOSTS`, each with its own
`GITLAB_API_URL_<HOST>` (default `https://<host>/api/v4`) and `GITLAB_TOKEN_<HOST>`.
Limits: gitlab.com allows unauthenticated API use from one IP at a few hundred
requests a minute; answers carry `RateLimit-Remaining`/`-Reset`,
which the client reads. Endpoints: `GET /projects/:path` (`?license=true`),
`/repository/commits?since=` (paged by `Link`), `/repository/contributors`
(names, most commits first: GitLab lists no usernames there).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import quote

from . import answers
from .forge import ForgeAPI, quoted


class GitLab(ForgeAPI):
    def default_api(self, origin: str) -> str:
        return f"{origin}/api/v4"

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/projects/{quoted(location)}?license=true"

    def parse_repo(self, data: Any) -> dict[str, Any]:
        facts = answers.repository(data, "path_with_namespace", "star_count")
        licence = answers.obj(data.get("license"), "license", optional=True)
        nickname = answers.label(licence.get("nickname"), "license.nickname")
        facts["license"] = nickname or answers.label(licence.get("key"), "license.key")
        return facts

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        url = f"{base}/projects/{quoted(location)}/repository/commits"
        return f"{url}?per_page=100&since={quote(since)}" if since else f"{url}?per_page=1"

    def commits(self, data: Any) -> list[tuple[datetime, str]]:
        return [
            (
                answers.moment(c.get("committed_date"), "committed_date"),
                answers.text(c.get("author_name"), "author_name", answers.NAME),
            )
            for c in answers.objects(data, "commits")
        ]

    def contributors_url(self, base: str, location: str) -> str:
        project = f"{base}/projects/{quoted(location)}"
        return f"{project}/repository/contributors?order_by=commits&sort=desc&per_page=100"

    def contributors(self, data: Any) -> list[str]:
        return answers.names([c.get("name") for c in answers.objects(data, "contributors")], "name")
