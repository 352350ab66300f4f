"""Render stage, JSON: the OpenAPI 3.1 document for everything under `/api/`.

Written from the same site the API is rendered from, at build time, so it cannot drift
from the files: path parameters list the ids, slugs and page numbers that exist, link
fields carry the site URL in their patterns, and every object schema lists its keys in
the order the documents write them (tests walk the build against it).
"""

from __future__ import annotations

import re
from typing import Any

from .. import urls
from ..derive import Site
from .api_v4 import PAGE_SIZE, Outputs, dump_json
from .badges import BADGES

Schema = dict[str, Any]

STR: Schema = {"type": "string"}
INT: Schema = {"type": "integer"}
BOOL: Schema = {"type": "boolean"}
DATETIME: Schema = {
    "type": "string",
    "format": "date-time",
    "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?Z$",
}
SLUG = r"[-a-zA-Z0-9_]+"  # Django's slug rule, as validate.SLUG_RE
V4_KINDS = {"packages": "V4Package", "grids": "V4Grid", "categories": "V4Category"}


def nullable(schema: Schema) -> Schema:
    return {**schema, "type": [schema["type"], "null"]}


def array(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def ref(name: str) -> Schema:
    return {"$ref": f"#/components/schemas/{name}"}


def obj(summary: str, /, **properties: Schema) -> Schema:
    """A closed object: every key required, in this order, and no others."""
    return {
        "type": "object",
        "description": summary,
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def link(root: str, tail: str) -> Schema:
    """A link string: `root` (site URL or path prefix) then a path matching `tail`."""
    return {"type": "string", "pattern": f"^{re.escape(root)}{tail}$"}


def route_link(root: str, *templates: str) -> Schema:
    """A link string to a path of one of the `urls` templates (`{slug}`, `{id}` as
    patterns)."""
    placeholders = {"slug": SLUG, "id": "[0-9]+"}
    regexes = (
        "".join(placeholders[part] if i % 2 else re.escape(part) for i, part in enumerate(parts))
        for parts in (re.split(r"\{(\w+)\}", t) for t in templates)
    )
    alternatives = list(regexes)
    return link(root, alternatives[0] if len(alternatives) == 1 else f"({'|'.join(alternatives)})")


def v3_head(base: str, page: str) -> dict[str, Schema]:
    """The keys every v3 object starts with: its HTML page (a `urls` template), dates, slug
    and title."""
    return {
        "absolute_url": route_link(base, page),
        "created": DATETIME,
        "modified": DATETIME,
        "slug": STR,
        "title": STR,
    }


def schemas(site: Site) -> dict[str, Schema]:
    """Every document's schema, v4 then v3, by component name."""
    site_url, base = site.settings.site_url, site.settings.base_path
    v4, v3 = urls.url(site_url, urls.API_V4), urls.url(base, urls.API_V3)
    kinds = ("packages", "grids", "categories")
    v4_link = {kind: route_link(site_url, urls.api_v4(kind, "{id}")) for kind in kinds}
    v3_link = {kind: route_link(base, urls.api_v3(kind, "{slug}")) for kind in kinds}
    v4_page = nullable(link(v4, "[a-z]+/(page/[0-9]+/)?"))
    v3_page = nullable(link(v3, "[a-z]+/(page/[0-9]+/)?"))
    v3_meta = obj(
        "Paging facts; `next` and `previous` are paths, never `?offset=`.",
        limit=INT,
        next=v3_page,
        offset=INT,
        previous=v3_page,
        total_count=INT,
    )
    return {
        "V4Root": obj(
            "Links to the v4 lists.",
            packages=link(v4, "packages/"),
            search=link(v4, "search/"),
            grids=link(v4, "grids/"),
            categories=link(v4, "categories/"),
        ),
        "V4Package": obj(
            "A package: the v4 keys of the dynamic API in its order, then richer facts.",
            category=v4_link["categories"],
            grids=array(v4_link["grids"]),
            id=INT,
            title=STR,
            slug=STR,
            last_updated=nullable(DATETIME),
            last_fetched=nullable(DATETIME),
            repo_url=STR,
            pypi_version=nullable(STR),
            created=DATETIME,
            modified=DATETIME,
            repo_forks=INT,
            repo_description=STR,
            pypi_url=STR,
            documentation_url=nullable(STR),
            repo_watchers={**INT, "description": "Repository stars."},
            commits_over_52={**array(INT), "maxItems": 52},
            participants=array(STR),
            score=INT,
            weight={**INT, "minimum": 0, "maximum": 100},
            description={**STR, "description": "Markdown written by people."},
            repo_archived=BOOL,
            repo_moved_to=nullable(STR),
            repo_gone=BOOL,
            license=nullable(STR),
            pypi_name=STR,
            pypi_released=nullable(DATETIME),
            pypi_yanked=BOOL,
            requires_python=nullable(STR),
            supports_python3=nullable(BOOL),
            django_versions=array(STR),
            python_versions=array(STR),
            development_status=nullable(STR),
            deprecated_since=nullable(DATETIME),
            replaced_by=nullable(v4_link["packages"]),
        ),
        "V4Grid": obj(
            "A grid: the v4 keys, then its comparison table.",
            id=INT,
            title=STR,
            slug=STR,
            description=STR,
            is_locked=BOOL,
            packages=array(v4_link["packages"]),
            header=BOOL,
            created=DATETIME,
            modified=DATETIME,
            features=array(obj("A row of the comparison table.", title=STR, description=STR)),
            cells={
                "type": "object",
                "description": "Package slug → feature title → cell text (Markdown).",
                "additionalProperties": {"type": "object", "additionalProperties": STR},
            },
        ),
        "V4Category": obj(
            "A category.",
            id=INT,
            title=STR,
            slug=STR,
            description=STR,
            title_plural=STR,
            show_pypi=BOOL,
            created=DATETIME,
            modified=DATETIME,
        ),
        "V4SearchDocument": obj(
            "One package or grid as the search lists it.",
            title=STR,
            slug=STR,
            description=STR,
            category=STR,
            absolute_url=route_link(base, urls.PACKAGE, urls.GRID),
            item_type={"type": "string", "enum": ["package", "grid"]},
            weight={**INT, "minimum": 0, "maximum": 100},
            repo_watchers=INT,
            repo_forks=INT,
            score=INT,
            participants={**STR, "description": "Comma-separated logins."},
            last_committed=nullable(DATETIME),
            last_released=nullable(DATETIME),
            created=DATETIME,
            modified=DATETIME,
        ),
        **{
            f"V4{kind.title()}Page": obj(
                f"A page of {kind}, {PAGE_SIZE} a page, newest first.",
                count=INT,
                next=v4_page,
                previous=v4_page,
                results={**array(ref(item)), "maxItems": PAGE_SIZE},
            )
            for kind, item in V4_KINDS.items()
        },
        "V3Root": obj(
            "Links to the v3 lists (`users` needs a login upstream and is not published).",
            categories=link(v3, "categories/"),
            grids=link(v3, "grids/"),
            packages=link(v3, "packages/"),
            users=link(v3, "users/"),
        ),
        "V3Package": obj(
            "A package as API v3 writes it: paths, not URLs; lists as comma strings.",
            **v3_head(base, urls.PACKAGE),
            category=v3_link["categories"],
            commit_list={**STR, "pattern": r"^([0-9]+(,[0-9]+)*)?$"},
            commits_over_52={**STR, "pattern": r"^([0-9]+(,[0-9]+)*)?$"},
            created_by={"type": "null"},
            documentation_url=nullable(STR),
            grids=array(v3_link["grids"]),
            last_fetched=nullable(DATETIME),
            last_modified_by={"type": "null"},
            participants={**STR, "description": "Comma-separated logins."},
            pypi_url=STR,
            pypi_version=nullable(STR),
            repo_description=STR,
            repo_forks=INT,
            repo_url=STR,
            repo_watchers=INT,
            resource_uri=v3_link["packages"],
            usage_count=INT,
        ),
        "V3Grid": obj(
            "A grid as API v3 writes it.",
            **v3_head(base, urls.GRID),
            description=STR,
            is_locked=BOOL,
            resource_uri=v3_link["grids"],
            header=BOOL,
            packages=array(v3_link["packages"]),
        ),
        "V3Category": obj(
            "A category as API v3 writes it.",
            **v3_head(base, urls.CATEGORY),
            description=STR,
            resource_uri=v3_link["categories"],
            show_pypi=BOOL,
            title_plural=STR,
        ),
        "V3Meta": v3_meta,
        "V3PackageList": obj(
            "A page of packages (never filtered by category here).",
            meta=ref("V3Meta"),
            category={"type": "null"},
            objects={**array(ref("V3Package")), "maxItems": PAGE_SIZE},
        ),
        "V3GridList": obj(
            "A page of grids.",
            meta=ref("V3Meta"),
            objects={**array(ref("V3Grid")), "maxItems": PAGE_SIZE},
        ),
        "V3CategoryList": obj(
            "A page of categories.",
            meta=ref("V3Meta"),
            objects={**array(ref("V3Category")), "maxItems": PAGE_SIZE},
        ),
        "V3GridPackages": obj(
            "A grid and all its packages, in one document.",
            meta=ref("V3Meta"),
            grid=ref("V3Grid"),
            objects=array(ref("V3Package")),
        ),
        "Badge": obj(
            "A shields.io endpoint badge.",
            schemaVersion={"type": "integer", "const": 1},
            label=STR,
            message=STR,
            color=STR,
        ),
    }


NOT_FOUND = {
    "description": "No such document: the host's 404 page.",
    "content": {"text/html": {"schema": STR}},
}


def path_parameter(name: str, schema: Schema, description: str) -> Schema:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": schema,
        "description": description,
    }


def lookups(site: Site) -> dict[str, Schema]:
    """The ids and slugs that exist, as schemas: any other value is a 404."""
    ids = {
        "Package": [v.package.id for v in site.packages],
        "Grid": [g.grid.id for g in site.grids],
        "Category": sorted(c.id for c in site.categories),
    }
    slugs = {
        "Package": sorted(v.slug for v in site.packages),
        "Grid": sorted(g.grid.slug for g in site.grids),
        "Category": sorted(c.slug for c in site.categories),
    }
    out = {f"{kind}Id": {"type": "integer", "enum": ids[kind]} for kind in ids}
    out.update({f"{kind}Slug": {"type": "string", "enum": slugs[kind]} for kind in slugs})
    return out


def operations(site: Site) -> list[tuple[str, str, str, str, list[Schema]]]:
    """(path, operationId, summary, response schema, parameters) for every document."""
    counts = {"packages": len(site.packages), "grids": len(site.grids)}
    counts["categories"] = len(site.categories)
    lookup_v4 = {
        kind: path_parameter(
            "lookup",
            {"anyOf": [ref(f"{item[2:]}Id"), ref(f"{item[2:]}Slug")]}
            if kind != "categories"
            else ref("CategoryId"),
            "The numeric id (canonical)" + (" or the slug." if kind != "categories" else "."),
        )
        for kind, item in V4_KINDS.items()
    }
    slug_v3 = {
        kind: path_parameter("slug", ref(f"{item[2:]}Slug"), "The slug.")
        for kind, item in V4_KINDS.items()
    }
    query = {
        "name": "q",
        "in": "query",
        "required": False,
        "schema": STR,
        "description": "Ignored: a static host cannot search. The whole list comes back, "
        "highest weight first; keep the documents whose title or description match.",
    }
    ops: list[tuple[str, str, str, str, list[Schema]]] = [
        ("/" + urls.API_V4, "v4Root", "API v4 root", "V4Root", []),
        ("/" + urls.api_v4("search"), "v4Search", "Every search document, highest weight first",
         "V4Search", [query]),
        ("/" + urls.API_V3, "v3Root", "API v3 root", "V3Root", []),
        ("/" + urls.OPENAPI, "openapi", "This document", "OpenApi", []),
        ("/" + urls.badge("{slug}", "{badge}"), "badge", "A shields.io endpoint badge", "Badge",
         [path_parameter("slug", ref("PackageSlug"), "The package's slug."),
          path_parameter("badge", {"type": "string", "enum": list(BADGES)},
                         "Which fact the badge shows.")]),
    ]  # fmt: skip
    for kind, item in V4_KINDS.items():
        pages = path_parameter(
            "page",
            {"type": "integer", "minimum": 1, "maximum": max(1, -(-counts[kind] // PAGE_SIZE))},
            "Page number, from 1; page 1 is the list's own URL.",
        )
        name = kind.title()
        v3_list = "V3PackageList" if kind == "packages" else f"V3{item[2:]}List"
        v4_pages, v3_pages = (
            "/" + urls.page_of(root, "{page}") for root in (urls.api_v4(kind), urls.api_v3(kind))
        )
        ops += [
            ("/" + urls.api_v4(kind), f"v4{name}", f"{name}, page 1", f"V4{name}Page", []),
            (v4_pages, f"v4{name}Page", f"{name}, page n",
             f"V4{name}Page", [pages]),
            ("/" + urls.api_v4(kind, "{lookup}"), f"v4{item[2:]}", f"One of the {kind}", item,
             [lookup_v4[kind]]),
            ("/" + urls.api_bulk(kind), f"v4{name}Bulk", f"Every one of the {kind}, by id",
             f"V4{name}Bulk", []),
            ("/" + urls.api_v3(kind), f"v3{name}", f"{name}, page 1", v3_list, []),
            (v3_pages, f"v3{name}Page", f"{name}, page n", v3_list,
             [pages]),
            ("/" + urls.api_v3(kind, "{slug}"), f"v3{item[2:]}", f"One of the {kind}",
             f"V3{item[2:]}", [slug_v3[kind]]),
        ]  # fmt: skip
    ops.append(
        ("/" + urls.V3_GRID_PACKAGES, "v3GridPackages", "A grid with its packages",
         "V3GridPackages", [slug_v3["grids"]])
    )  # fmt: skip
    return ops


def openapi_document(site: Site) -> dict[str, Any]:
    """The OpenAPI 3.1 document. Every folder URL also answers as `<folder>index.json`."""
    components = schemas(site) | lookups(site)
    components["V4Search"] = array(ref("V4SearchDocument"))
    components["OpenApi"] = {"type": "object", "required": ["openapi", "paths"]}
    for kind, item in V4_KINDS.items():
        components[f"V4{kind.title()}Bulk"] = array(ref(item))
    paths: dict[str, Any] = {}
    for path, op_id, summary, schema, parameters in operations(site):
        forms = [(path, op_id)]
        if path.endswith("/"):
            forms.append((f"{path}index.json", f"{op_id}File"))
        for url, ident in forms:
            operation: dict[str, Any] = {"operationId": ident, "summary": summary}
            if parameters:
                operation["parameters"] = parameters
            operation["responses"] = {
                "200": {
                    "description": summary,
                    "content": {"application/json": {"schema": ref(schema)}},
                },
                "404": NOT_FOUND,
            }
            paths[url] = {"get": operation}
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{site.settings.title} API",
            "version": "4",
            "description": DESCRIPTION,
        },
        "servers": [{"url": site.settings.site_url.rstrip("/")}],
        "paths": dict(sorted(paths.items())),
        "components": {"schemas": components},
    }


DESCRIPTION = (
    "Static JSON files, rebuilt from the catalogue in git: every folder URL holds "
    "`index.json` (both URLs work). Query strings are ignored, so lists are paged by path "
    f"(`page/2/`, {PAGE_SIZE} a page, newest first) and search is the whole weight-ordered "
    "list at `/api/v4/search/`, filtered by the client. API v4 links are absolute URLs; "
    "API v3 links are paths on this site, and v3 looks objects up by slug only. "
    "Bulk files (`/api/v4/packages.json`, ...) hold every object of a kind."
)


def render_openapi(site: Site) -> Outputs:
    return {urls.OPENAPI: dump_json(openapi_document(site))}
