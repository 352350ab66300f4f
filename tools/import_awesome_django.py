"""Convert the Awesome Django list into package, grid and category records.

Source: tools/data/awesome-django.md, the "Awesome Django" list by Will Vincent and Jeff
Triplett, CC0 1.0 (tools/data/awesome-django.LICENSE). Re-run with

    python tools/import_awesome_django.py [--content content]

It reads the sections "Third-Party Packages", "Python Packages" and "Projects" and writes
one record per distinct link (a package listed in two sections gets one record and
belongs to both grids), one grid per (sub)section with two or more packages, and the four
categories. Only facts the list states are written: the name, the link, the one-line
description and the section. Grids get no features or cells, since the list compares
nothing. Existing records keep their ids; new ones get the next id after the highest
ever given (content/ids.yaml), which is raised to match.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import yaml

from generator.new import id_marks, ids_text
from generator.records import IDS_FILE, read_sources
from generator.validate import normalise_repo_url

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "data" / "awesome-django.md"
SECTIONS = ("Third-Party Packages", "Python Packages", "Projects")
IMPORTED = "2026-11-27T00:00:00Z"
"""The day the list was imported: the `created` of every record this script adds."""

CATEGORIES = {
    "apps": (1, "App", "Apps", "Small components used to build projects: reusable apps.", True),
    "frameworks": (
        2,
        "Framework",
        "Frameworks",
        "Large efforts that combine many Python modules or apps.",
        True,
    ),
    "projects": (
        3,
        "Project",
        "Projects",
        "Complete sites and starter projects built with Django.",
        False,
    ),
    "other": (4, "Other", "Other", "Python packages that work well with Django.", True),
}
ITEM_RE = re.compile(r"^- \[(?P<name>[^\]]+)\]\((?P<url>[^)\s]+)\)(?:\s+-\s+(?P<text>.*))?$")
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../generator/schemas/{}.schema.json\n"


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def category_of(section: str, subsection: str | None) -> str:
    if subsection == "Full-stack frameworks":
        return "frameworks"
    if section == "Projects":
        return "projects"
    if section == "Python Packages":
        return "other"
    return "apps"


def parse(markdown: str) -> list[tuple[str, str, list[dict[str, str]]]]:
    """(grid title, grid description, items) for each (sub)section of SECTIONS."""
    groups: list[tuple[str, str, list[dict[str, str]]]] = []
    section = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
            if section in SECTIONS:
                groups.append((section, "", []))
            continue
        if section not in SECTIONS:
            continue
        if line.startswith("### "):
            groups.append((line[4:].strip(), "", []))
        elif line.startswith("_") and line.endswith("_") and not groups[-1][2]:
            title, _, items = groups[-1]
            groups[-1] = (title, line.strip("_"), items)
        elif match := ITEM_RE.match(line.strip()):
            item = match.groupdict()
            item["category"] = category_of(section, groups[-1][0])
            groups[-1][2].append(item)
    return groups


def dump(path: Path, schema: str, data: dict) -> None:
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=88)
    path.write_text(SCHEMA_COMMENT.format(schema) + text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=HERE.parent / "content")
    content: Path = parser.parse_args().content
    for kind in ("packages", "grids", "categories"):
        (content / kind).mkdir(parents=True, exist_ok=True)

    for slug, (ident, title, plural, description, show_pypi) in CATEGORIES.items():
        dump(
            content / "categories" / f"{slug}.yaml",
            "category",
            {
                "id": ident,
                "title": title,
                "title_plural": plural,
                "description": description,
                "show_pypi": show_pypi,
                "created": IMPORTED,
            },
        )

    existing = {}
    for path in (content / "packages").glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        existing[data["repo_url"]] = (path.stem, data["id"])
    next_id = id_marks(read_sources(content)).get("packages", 0) + 1

    existing = {normalise_repo_url(url): v for url, v in existing.items()}
    by_url: dict[str, str] = {}
    grids = []
    for title, description, items in parse(SOURCE.read_text(encoding="utf-8")):
        members = []
        for item in items:
            url = normalise_repo_url(item["url"])
            if url not in by_url:
                slug, ident = existing.get(url, (slugify(item["name"]), None))
                while slug in by_url.values() and ident is None:
                    slug += "-2"
                if ident is None:
                    ident, next_id = next_id, next_id + 1
                record = {
                    "id": ident,
                    "title": item["name"],
                    "category": item["category"],
                    "repo_url": item["url"],
                }
                if pypi := re.match(r"https://pypi\.org/project/([^/]+)/?$", item["url"]):
                    record["pypi_name"] = pypi.group(1)
                if item["text"]:
                    record["description"] = item["text"].strip()
                record["created"] = IMPORTED
                dump(content / "packages" / f"{slug}.yaml", "package", record)
                by_url[url] = slug
            if by_url[url] not in members:
                members.append(by_url[url])
        if len(members) >= 2:
            grids.append((title, description, members))

    for ident, (title, description, members) in enumerate(grids, start=1):
        dump(
            content / "grids" / f"{slugify(title)}.yaml",
            "grid",
            {
                "id": ident,
                "title": title,
                "description": description or f"Packages listed under “{title}” in Awesome Django.",
                "is_locked": False,
                "header": len(members) >= 10,
                "created": IMPORTED,
                "packages": members,
            },
        )
    (content / IDS_FILE).write_text(ids_text(id_marks(read_sources(content))), encoding="utf-8")
    print(f"{len(by_url)} packages, {len(grids)} grids, {len(CATEGORIES)} categories")


if __name__ == "__main__":
    main()
