"""A client of djangopackages.org pointed at this site: a change of base URL and nothing
else. It does what a published Django assistant tool does (packages and grids through
v3, search through v4), over plain httpx against `djp serve` on loopback, and reads every
answer through models written from the v3 and v4 specs, not from our code."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import httpx
import pytest
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, TypeAdapter

from tests.helpers.api import CONTENT, served_build

COMMA_INTS = r"^([0-9]+(,[0-9]+)*)?$"


class Spec(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class V3Object(Spec):
    """The keys every v3 object starts with."""

    absolute_url: str
    created: AwareDatetime
    modified: AwareDatetime
    slug: str
    title: str


class V3Package(V3Object):
    category: str
    commit_list: str = Field(pattern=COMMA_INTS)
    commits_over_52: str = Field(pattern=COMMA_INTS)
    created_by: None
    documentation_url: str | None
    grids: list[str]
    last_fetched: AwareDatetime | None
    last_modified_by: None
    participants: str
    pypi_url: str
    pypi_version: str | None
    repo_description: str
    repo_forks: int
    repo_url: str
    repo_watchers: int
    resource_uri: str
    usage_count: int


class V3Grid(V3Object):
    description: str
    is_locked: bool
    resource_uri: str
    header: bool
    packages: list[str]


class V3Category(V3Object):
    description: str
    resource_uri: str
    show_pypi: bool
    title_plural: str


class V3Meta(Spec):
    limit: int
    next: str | None
    offset: int
    previous: str | None
    total_count: int


class V3PackageList(Spec):
    meta: V3Meta
    category: None
    objects: list[V3Package]


class V3GridList(Spec):
    meta: V3Meta
    objects: list[V3Grid]


class V3GridPackages(Spec):
    meta: V3Meta
    grid: V3Grid
    objects: list[V3Package]


class V4SearchDocument(Spec):
    title: str
    slug: str
    description: str
    category: str
    absolute_url: str
    item_type: Literal["package", "grid"]
    weight: int = Field(ge=0, le=100)
    repo_watchers: int
    repo_forks: int
    score: int
    participants: str
    last_committed: AwareDatetime | None
    last_released: AwareDatetime | None
    created: AwareDatetime
    modified: AwareDatetime


SEARCH = TypeAdapter(list[V4SearchDocument])


class DjangoPackagesClient:
    """The consumer: a base URL, v3 for packages and grids, v4 for search."""

    def __init__(self, http: httpx.Client, base_url: str):
        self.http = http
        self.base_url = base_url

    def get(self, url_or_path: str) -> bytes:
        response = self.http.get(httpx.URL(self.base_url).join(url_or_path))
        response.raise_for_status()
        assert response.headers["content-type"] == "application/json"
        assert response.headers["access-control-allow-origin"] == "*"
        return response.content

    def package(self, slug: str) -> V3Package:
        return V3Package.model_validate_json(self.get(f"api/v3/packages/{slug}/"))

    def grid(self, slug: str) -> V3Grid:
        return V3Grid.model_validate_json(self.get(f"api/v3/grids/{slug}/"))

    def grid_packages(self, slug: str) -> V3GridPackages:
        return V3GridPackages.model_validate_json(self.get(f"api/v3/grids/{slug}/packages/"))

    def pages(self, path: str, model: type[V3PackageList] | type[V3GridList]) -> Iterator:
        """Every object of a list, following `meta.next` (a path on this site)."""
        link: str | None = path
        while link:
            page = model.model_validate_json(self.get(link))
            yield from page.objects
            link = page.meta.next

    def search(self, q: str) -> list[V4SearchDocument]:
        """The dynamic API filtered on the server; here the whole list comes back."""
        everything = SEARCH.validate_json(self.get(f"api/v4/search/?q={q}"))
        q = q.lower()
        return [d for d in everything if q in d.title.lower() or q in d.description.lower()]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DjangoPackagesClient]:
    with served_build(tmp_path_factory.mktemp("consumer")) as site_url, httpx.Client() as http:
        yield DjangoPackagesClient(http, site_url)


def test_every_package_through_v3(client: DjangoPackagesClient) -> None:
    listed = list(client.pages("api/v3/packages/", V3PackageList))
    shipped = sorted(p.stem for p in (CONTENT / "packages").glob("*.yaml"))
    assert sorted(p.slug for p in listed) == shipped
    for summary in listed:
        package = client.package(summary.slug)
        assert package == summary
        assert client.get(package.resource_uri) == client.get(f"api/v3/packages/{package.slug}/")
        assert V3Category.model_validate_json(client.get(package.category)).title
        assert [
            client.grid(g.rstrip("/").rsplit("/", 1)[1]).resource_uri for g in package.grids
        ] == package.grids
    assert client.package("django-hijack").participants == "codingjoe,philippeowagner"


def test_every_grid_through_v3_with_its_packages(client: DjangoPackagesClient) -> None:
    listed = list(client.pages("api/v3/grids/", V3GridList))
    assert sorted(g.slug for g in listed) == sorted(
        p.stem for p in (CONTENT / "grids").glob("*.yaml")
    )
    for summary in listed:
        grid = client.grid(summary.slug)
        members = client.grid_packages(grid.slug)
        assert members.grid == grid
        assert [p.resource_uri for p in members.objects] == grid.packages
        for package in members.objects:
            assert grid.resource_uri in package.grids
            assert client.package(package.slug) == package


def test_search_through_v4_returns_everything_for_the_client_to_filter(
    client: DjangoPackagesClient,
) -> None:
    everything = SEARCH.validate_json(client.get("api/v4/search/"))
    assert SEARCH.validate_json(client.get("api/v4/search/?q=anything")) == everything
    assert [d.weight for d in everything] == sorted((d.weight for d in everything), reverse=True)
    hits = client.search("admin")
    assert hits and {"package", "grid"} <= {d.item_type for d in hits}
    for hit in hits:
        page = client.http.get(httpx.URL(client.base_url).join(hit.absolute_url))
        assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
        if hit.item_type == "package":
            assert client.package(hit.slug).title == hit.title
        else:
            assert client.grid(hit.slug).title == hit.title


def test_a_missing_slug_is_a_404_not_a_document(client: DjangoPackagesClient) -> None:
    with pytest.raises(httpx.HTTPStatusError) as caught:
        client.package("no-such-package")
    assert caught.value.response.status_code == 404
