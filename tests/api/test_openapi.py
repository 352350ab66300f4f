"""The OpenAPI 3.1 document: valid, true of every JSON file the build publishes, and
true of `djp serve` when schemathesis drives it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openapi_schema_validator import OAS31Validator, oas31_format_checker
from openapi_spec_validator import validate as validate_spec

from tests.helpers.api import build_in_process, documents, enriched_content, served_build

SITE_URL = "https://example.org/djp/"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("openapi")
    return documents(build_in_process(enriched_content(folder), folder / "build", SITE_URL))


def schema_errors(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """Validation errors of `instance`, plus keys written out of the schema's order."""
    root = {**schema, "components": spec["components"]}
    validator = OAS31Validator(root, format_checker=oas31_format_checker)
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(instance)]
    return errors + order_errors(spec, schema, instance)


def order_errors(spec: dict[str, Any], schema: dict[str, Any], instance: Any) -> list[str]:
    """Clients of the dynamic API rely on key order: objects list keys as schemas do."""
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    if isinstance(instance, dict) and "properties" in schema:
        errors = [] if list(instance) == list(schema["properties"]) else [f"order {list(instance)}"]
        for key, sub in schema["properties"].items():
            errors += order_errors(spec, sub, instance.get(key))
        return errors
    if isinstance(instance, list) and "items" in schema:
        return [e for item in instance for e in order_errors(spec, schema["items"], item)]
    return []


def operation_for(spec: dict[str, Any], url_path: str) -> dict[str, Any]:
    """The one GET operation whose path template (and parameter schemas) match."""
    found = []
    for template, item in spec["paths"].items():
        pattern = re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>[^/]+)", re.escape(template))
        match = re.fullmatch(pattern, url_path)
        if not match:
            continue
        op = item["get"]
        params = {p["name"]: p["schema"] for p in op.get("parameters", []) if p["in"] == "path"}
        values = {k: int(v) if v.isdigit() else v for k, v in match.groupdict().items()}
        if all(not schema_errors(spec, params[k], v) for k, v in values.items()):
            found.append(op)
    assert len(found) == 1, (url_path, [op["operationId"] for op in found])
    return found[0]


def test_document_is_valid_openapi_3_1(built: dict[str, Any]) -> None:
    spec = built["api/openapi.json"]
    validate_spec(spec)
    assert spec["openapi"] == "3.1.0"
    assert spec["servers"] == [{"url": "https://example.org/djp"}]
    for path in ("/api/v4/packages/{lookup}/", "/api/v3/packages/{slug}/",
                 "/api/v4/packages/page/{page}/", "/api/v3/packages/page/{page}/",
                 "/api/v3/grids/{slug}/packages/", "/api/v4/search/",
                 "/api/badges/{slug}/{badge}.json", "/api/v4/packages.json"):  # fmt: skip
        assert path in spec["paths"], path
    lookup = spec["paths"]["/api/v4/packages/{lookup}/"]["get"]["parameters"][0]["schema"]
    assert {s["$ref"].rsplit("/", 1)[1] for s in lookup["anyOf"]} == {"PackageId", "PackageSlug"}
    query = spec["paths"]["/api/v4/search/"]["get"]["parameters"][0]
    assert query["name"] == "q" and "Ignored" in query["description"]


def test_every_published_json_document_matches_the_schema_of_its_path(
    built: dict[str, Any],
) -> None:
    spec = built["api/openapi.json"]
    checked = 0
    for path, document in sorted(built.items()):
        if not path.startswith("api/"):
            continue
        op = operation_for(spec, "/" + path)
        schema = op["responses"]["200"]["content"]["application/json"]["schema"]
        assert schema_errors(spec, schema, document) == [], path
        checked += 1
    print(f"schema walk: {checked} documents validated")
    # Every item of the shipped content is in there, by each lookup form, in both versions.
    assert checked > 4 * len(built["api/v4/packages.json"]) + 3 * len(built["api/v4/grids.json"])


@pytest.mark.parametrize(
    ("path", "change"),
    [
        ("api/v3/packages/django-hijack/index.json", lambda d: d.pop("usage_count")),
        ("api/v3/packages/django-hijack/index.json", lambda d: d.update(grids=["/api/v3/x/"])),
        ("api/v4/packages/1/index.json", lambda d: d.update(extra=1)),
        ("api/v4/packages/1/index.json", lambda d: d.update(category="/api/v4/categories/1/")),
        ("api/v4/packages/1/index.json", lambda d: d.update(created="2026-01-01T00:00:00+01:00")),
        ("api/v4/grids/1/index.json", lambda d: d.update(title=d.pop("title"))),
        ("api/badges/django-hijack/stars.json", lambda d: d.update(schemaVersion=2)),
    ],
)
def test_the_walk_catches_a_drifted_document(built: dict[str, Any], path: str, change) -> None:
    """Missing, extra or reordered keys, wrong links and offsets all fail the walk."""
    spec = built["api/openapi.json"]
    document = json.loads(json.dumps(built[path]))
    change(document)
    op = operation_for(spec, "/" + path)
    assert schema_errors(spec, op["responses"]["200"]["content"]["application/json"]["schema"],
                         document)  # fmt: skip


def schemathesis(site_url: str, workdir: Path, *options: str) -> subprocess.CompletedProcess[str]:
    """The schemathesis CLI against the served document, bounded and reproducible; it
    keeps its crash cache in `workdir`, not in the checkout."""
    command = [sys.executable, "-m", "schemathesis.cli", "run", f"{site_url}api/openapi.json",
               "--max-examples", "5", "--seed", "1", "--workers", "2", "--no-color",
               "--generation-database", "none", *options]  # fmt: skip
    return subprocess.run(
        command, capture_output=True, text=True, check=False, timeout=600, cwd=workdir
    )


def cases_run(output: str) -> int:
    found = re.search(r"Test cases:\s*\n\s*(\d+) generated", output)
    assert found, output
    return int(found.group(1))


def test_schemathesis_finds_nothing_against_djp_serve(tmp_path: Path) -> None:
    with served_build(tmp_path) as site_url:
        result = schemathesis(site_url, tmp_path)
    assert result.returncode == 0, result.stdout[-6000:]
    print(f"schemathesis: {cases_run(result.stdout)} cases run, no failures")
    assert cases_run(result.stdout) > 100


def test_schemathesis_fails_on_a_document_that_breaks_its_schema(tmp_path: Path) -> None:
    with served_build(tmp_path) as site_url:
        for file in (tmp_path / "build" / "api/v3/categories").glob("*/index.json"):
            doc = json.loads(file.read_bytes())
            doc["resource_uri"] = "https://elsewhere.example/" + doc["slug"]
            file.write_text(json.dumps(doc))
        result = schemathesis(site_url, tmp_path, "--include-operation-id", "v3Category")
    assert result.returncode != 0
    assert "resource_uri" in result.stdout
