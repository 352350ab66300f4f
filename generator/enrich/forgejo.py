"""Forgejo and Gitea (codeberg.org and the hosts in `FORGEJO_HOSTS`), REST API v1.

Environment (read in `endpoints.py`): `FORGEJO_API_URL`, `FORGEJO_TOKEN` (codeberg.org,
sent as `Authorization: token …`); self-hosted instances in `FORGEJO_HOSTS`, each with
its own `FORGEJO_API_URL_<HOST>` (default `https://<host>/api/v1`) and
`FORGEJO_TOKEN_<HOST>`. Limits: Codeberg asks for moderate use
and answers 429 with `Retry-After` when pressed; pages hold at most 50 items.
Endpoints: `GET /repos/:owner/:repo`, `/repos/:owner/:repo/commits?since=` (paged by
`Link`). Forgejo has no contributors endpoint: commit authors are ranked instead.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from . import answers
from .forge import ForgeAPI


class Forgejo(ForgeAPI):
    def default_api(self, origin: str) -> str:
        return f"{origin}/api/v1"

    def headers(self, token: str | None) -> dict[str, str]:
        return {"Authorization": f"token {token}"} if token else {}

    def repo_url(self, base: str, location: str) -> str:
        return f"{base}/repos/{location}"

    def parse_repo(self, data: Any) -> dict[str, Any]:
        facts = answers.repository(data, "full_name", "stars_count")
        licences = answers.array(data.get("licenses"), "licenses")
        facts["license"] = answers.label(licences[0], "licenses[0]") if licences else None
        return facts

    def commits_url(self, base: str, location: str, since: str | None) -> str:
        url = f"{base}/repos/{location}/commits?stat=false&verification=false&files=false"
        return f"{url}&limit=50&since={quote(since)}" if since else f"{url}&limit=1"
