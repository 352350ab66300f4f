"""A small content tree written from a dict, shared by the contributor-tool tests.

Imported by tests/content/ and tests/enrich/test_nightly.py.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.helpers import support


def record(kind: str, body: str) -> str:
    """A record file: the schema line editors read, then the YAML body."""
    schema = f"# yaml-language-server: $schema=../../generator/schemas/{kind}.schema.json\n"
    return schema + textwrap.dedent(body)


TREE = {
    "site.yaml": """\
        # yaml-language-server: $schema=../generator/schemas/site.schema.json
        site_url: https://example.org/djp/
        title: Test Packages
        repository: example/djp
        """,
    "ids.yaml": """\
        # yaml-language-server: $schema=../generator/schemas/ids.schema.json
        packages: 7
        grids: 1
        categories: 1
        """,
    "categories/apps.yaml": record(
        "category",
        """\
        id: 1
        title: App
        title_plural: Apps
        created: '2024-01-01T00:00:00Z'
        """,
    ),
    "packages/django-alpha.yaml": record(
        "package",
        """\
        id: 1
        title: Alpha
        category: apps
        repo_url: https://github.com/example/django-alpha
        pypi_name: django-alpha
        created: '2024-01-01T00:00:00Z'
        """,
    ),
    "packages/beta.yaml": record(
        "package",
        """\
        id: 2
        title: Beta
        category: apps
        repo_url: https://pypi.org/project/Beta.Tools/
        created: '2024-01-02T00:00:00Z'
        """,
    ),
    "grids/things.yaml": record(
        "grid",
        """\
        id: 1
        title: Things
        created: '2024-01-01T00:00:00Z'
        features:
        - title: Async
        packages:
        - django-alpha
        - beta
        cells:
          django-alpha:
            Async: yes
        """,
    ),
}


def write_sample_tree(root: Path, files: dict[str, str | None] | None = None) -> Path:
    """Write TREE (updated by `files`; None deletes an entry) under `root`; return root."""
    merged = {**TREE, **(files or {})}
    return support.write_tree(
        root, {rel: textwrap.dedent(text) for rel, text in merged.items() if text is not None}
    )
