"""A fake djangopackages.org API v4 on loopback, serving the captured package documents.

Lists are paginated as Django REST framework's LimitOffsetPagination writes them
(absolute `next` links with `?limit=&offset=`, 20 a page). djangopackages.org's grid and
category documents were not captured, so they are made from what the package documents
link to: four categories as the site has them, and a grid per grid link naming its
members. Links inside the documents stay as captured (djangopackages.org's), which is
what an import of the real site reads.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from tests.helpers.fakes import FakeServer, Request, Response

CAPTURED = Path(__file__).parent.parent / "fixtures" / "djangopackages"
ORIGIN = "https://djangopackages.org/api/v4"
CATEGORIES = [
    (1, "App", "apps", "Apps"),
    (2, "Framework", "frameworks", "Frameworks"),
    (3, "Project", "projects", "Projects"),
    (4, "Other", "other", "Other"),
]


def captured() -> list[dict[str, Any]]:
    """The captured package documents, by id."""
    docs = [json.loads(p.read_text(encoding="utf-8")) for p in CAPTURED.glob("*.json")]
    return sorted(docs, key=lambda d: d["id"])


def grids_of(packages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A grid document for every grid the packages link to."""
    members: dict[int, list[str]] = defaultdict(list)
    for doc in packages:
        for link in doc.get("grids", []):
            members[int(link.split("/grids/")[1].split("/")[0])].append(
                f"{ORIGIN}/packages/{doc['id']}/?format=api"
            )
    return [
        {
            "id": ident,
            "title": f"Grid {ident}",
            "slug": f"grid-{ident}",
            "description": f"Packages compared in grid {ident}.",
            "is_locked": ident % 5 == 0,
            "packages": links,
            "header": ident % 7 == 0,
            "created": "2012-03-04T10:11:12.131415-05:00",
            "modified": "2025-06-07T08:09:10.111213-04:00",
        }
        for ident, links in sorted(members.items())
    ]


def categories() -> list[dict[str, Any]]:
    return [
        {
            "id": ident,
            "title": title,
            "slug": slug,
            "description": f"{plural} for Django.",
            "title_plural": plural,
            "show_pypi": True,
            "created": "2010-08-14T13:45:12.471011-04:00",
            "modified": "2022-01-02T03:04:05.060708-05:00",
        }
        for ident, title, slug, plural in CATEGORIES
    ]


class FakeDjangoPackages:
    """`/api/v4/` root and its three paginated lists over one real HTTP server.

    `fail_from`: answer 500 to every request from the n-th on (a site going down in the
    middle of an import); `served` lists each URL answered 200."""

    def __init__(self, packages: list[dict[str, Any]] | None = None, latency: float = 0.0) -> None:
        packages = captured() if packages is None else packages
        self.lists = {"packages": packages, "grids": grids_of(packages), "categories": categories()}
        self.fail_from: int | None = None
        self.served: list[str] = []
        self.server = FakeServer(self.handle, latency)
        self.url = self.server.url + "/api/v4/"

    def close(self) -> None:
        self.server.close()

    def handle(self, request: Request) -> Response:
        if self.fail_from is not None and len(self.server.requests) >= self.fail_from:
            return Response(500, {"detail": "server error"})
        kind = request.path.removeprefix("/api/v4/").strip("/")
        if kind == "":
            body: Any = {k: f"{self.url}{k}/" for k in ("packages", "grids", "categories")}
        elif kind in self.lists:
            body = self.page(
                kind, int(request.query.get("limit", 20)), int(request.query.get("offset", 0))
            )
        else:
            return Response(404, {"detail": "Not found."})
        self.served.append(
            request.path + "?" + "&".join(f"{k}={v}" for k, v in sorted(request.query.items()))
        )
        return Response(200, body)

    def page(self, kind: str, limit: int, offset: int) -> dict[str, Any]:
        """One page as LimitOffsetPagination writes it, newest first as the site lists."""
        items = sorted(self.lists[kind], key=lambda d: -d["id"])
        link = f"{self.url}{kind}/?limit={limit}&offset={{}}"
        return {
            "count": len(items),
            "next": link.format(offset + limit) if offset + limit < len(items) else None,
            "previous": link.format(max(0, offset - limit)) if offset else None,
            "results": items[offset : offset + limit],
        }
