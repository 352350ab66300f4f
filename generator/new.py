"""`djp new`: start a package record from a PyPI name or a repository URL, offline.

Nothing is fetched (the nightly enricher does that), so what the argument does not say
is asked for: a PyPI name gives `pypi_name` but not the repository, which comes from
`--repo-url` or a prompt; a repository URL gives `repo_url`, and `--pypi-name` is
optional. The category comes from `--category` or a prompt listing the categories.

Ids are never reused, so the next id cannot be "largest id in the folder + 1": once the
newest package is deleted that would hand its id out again, and API clients that kept
`/api/v4/packages/<id>/` would silently get another package. `content/ids.yaml` keeps
the highest id ever given per kind of record; `djp new` takes the one after it and
raises the mark, and `djp validate` rejects a record whose id is above the mark (so a
hand-written record must raise it too). Two pull requests adding a package both edit
the same line of ids.yaml, so git makes the second one take a fresh id.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click
import yaml

from .options import content_option
from .records import IDS_FILE, Sources, parse_yaml, read_sources
from .repos import normalise_repo_url
from .validate import RESERVED_SLUGS, SLUG_RE, check_schema

PYPI_NAME_RE = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$")
PYPI_PROJECT_RE = re.compile(r"^https?://pypi\.org/project/([^/]+)/?$", re.IGNORECASE)
SCHEMA_COMMENT = "# yaml-language-server: $schema=../../generator/schemas/package.schema.json\n"
IDS_HEADER = (
    "# yaml-language-server: $schema=../generator/schemas/ids.schema.json\n"
    "# The highest id ever given to each kind of record. Ids are never reused, even after\n"
    "# a record is deleted; `djp new` takes the next one and raises the mark.\n"
)


class NewPackageError(click.ClickException):
    """Why a record cannot be made; the CLI prints it and exits with status 1."""


@dataclass(frozen=True)
class Target:
    """What the command-line argument says about the new package."""

    slug: str
    title: str
    repo_url: str | None = None
    pypi_name: str | None = None


def pep503(name: str) -> str:
    """A PyPI name as PyPI compares names: case-folded, runs of `-_.` as one `-`."""
    return re.sub(r"[-_.]+", "-", name).lower()


def slugify(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def normalise_url(url: str) -> str:
    """An http(s) URL as records store it: https, lower-case host, no trailing / or .git."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise NewPackageError(
            f"{url!r} is not an http(s) URL; expected e.g. https://github.com/owner/name"
        )
    if parts.username or parts.password:
        raise NewPackageError(f"{url!r} holds a user name or password; leave them out")
    path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
    return f"https://{parts.netloc.lower()}{path}"


def parse_target(argument: str) -> Target:
    """Slug, title and what is known of the package from a PyPI name or repository URL."""
    text = argument.strip()
    if pypi := PYPI_PROJECT_RE.fullmatch(text):
        text = pypi.group(1)
    elif "://" in text:
        url = normalise_url(text)
        name = url.rsplit("/", 1)[-1] if urlsplit(url).path.strip("/") else ""
        if not slugify(name):
            raise NewPackageError(f"cannot tell the project's name from {argument!r}; pass --slug")
        return Target(slug=slugify(name), title=name, repo_url=url)
    if not PYPI_NAME_RE.fullmatch(text):
        raise NewPackageError(
            f"{argument!r} is neither a PyPI name (letters, digits, . _ -) nor an http(s) "
            "repository URL"
        )
    return Target(slug=slugify(text), title=text, pypi_name=text)


def find_duplicate(sources: Sources, slug: str, repo_url: str, pypi_name: str | None) -> str | None:
    """Why the catalogue already has this package (naming the file), or None.

    Same repository (after `normalise_repo_url`) or same PyPI name (after PEP 503, also
    when a record's repo_url is its PyPI page) first; then a slug that is taken.
    """
    repo = normalise_repo_url(repo_url)
    wanted = pep503(pypi_name) if pypi_name else None
    packages = [
        ((sources.root / s.path).as_posix(), s.stem, s.data) for s in sources.records["packages"]
    ]
    records = [(where, stem, d) for where, stem, d in packages if isinstance(d, dict)]
    for where, _, data in records:
        url = data.get("repo_url")
        if isinstance(url, str) and normalise_repo_url(url) == repo:
            return f"{where} has the same repository {url}"
        names = [data.get("pypi_name")]
        if isinstance(url, str) and (page := PYPI_PROJECT_RE.fullmatch(url)):
            names.append(page.group(1))
        if wanted and any(isinstance(n, str) and pep503(n) == wanted for n in names):
            return f"{where} has the same PyPI name {pypi_name}"
    for where, stem, data in packages:
        if stem == slug or slug in ((data or {}).get("old_slugs") or []):
            return f"slug {slug!r} is taken by {where}; choose another with --slug"
    return None


def record_text(target: Target, ident: int, category: str, today: date) -> str:
    """The YAML of the new record, headed by the schema line editors use."""
    record: dict[str, object] = {
        "id": ident,
        "title": target.title,
        "category": category,
        "repo_url": target.repo_url,
    }
    if target.pypi_name:
        record["pypi_name"] = target.pypi_name
    record["created"] = f"{today.isoformat()}T00:00:00Z"
    return SCHEMA_COMMENT + yaml.safe_dump(record, sort_keys=False, allow_unicode=True)


def record_problems(rel: str, text: str) -> list[str]:
    """What `djp validate` would say of the new record on its own (schema, dates, slug):
    a record is written only when this is empty."""
    source = parse_yaml(rel, text)
    if source.error:
        return [f"{rel}:{source.line}:{source.column}: {source.error}"]
    found = [str(p) for p in check_schema(source, "package")]
    if not SLUG_RE.fullmatch(source.stem) or source.stem.isdigit() or source.stem in RESERVED_SLUGS:
        found.append(f"{rel}: {source.stem!r} is not a usable slug; choose another with --slug")
    return found


def ids_text(marks: dict[str, int]) -> str:
    """content/ids.yaml for the given marks, kinds in a fixed order."""
    order = ("packages", "grids", "categories")
    body = "".join(f"{kind}: {marks[kind]}\n" for kind in order if kind in marks)
    return IDS_HEADER + body


def id_marks(sources: Sources) -> dict[str, int]:
    """Highest id ever given per kind: ids.yaml's marks, raised to any id in use."""
    data = sources.ids.data if sources.ids and isinstance(sources.ids.data, dict) else {}
    marks = {k: v for k, v in data.items() if isinstance(v, int)}
    for kind, found in sources.records.items():
        ids = [s.data["id"] for s in found if isinstance(s.data, dict) and "id" in s.data]
        marks[kind] = max([marks.get(kind, 0), *[i for i in ids if isinstance(i, int)]])
    return marks


def _ask(what: str, **kwargs) -> str:
    try:
        return click.prompt(what, **kwargs)
    except click.Abort:
        raise NewPackageError(f"{what.lower()} is needed; give it as an option") from None


@click.command(name="new")
@click.argument("name_or_url")
@content_option("Folder of records.", exists=True)
@click.option("--category", help="Category slug (asked for when missing).")
@click.option("--repo-url", help="Repository URL, when NAME_OR_URL is a PyPI name (else asked).")
@click.option("--pypi-name", help="PyPI name, when NAME_OR_URL is a repository URL.")
@click.option("--slug", help="File name without .yaml; default: from the name.")
@click.option("--title", help="Name shown on the site; default: the project's name.")
def new_command(
    name_or_url: str,
    content: Path,
    category: str | None,
    repo_url: str | None,
    pypi_name: str | None,
    slug: str | None,
    title: str | None,
) -> None:
    """Write content/packages/<slug>.yaml for a PyPI name or a repository URL."""
    target = parse_target(name_or_url)
    sources = read_sources(content)
    categories = sorted(s.stem for s in sources.records["categories"])
    if category is None:
        category = _ask("Category", type=click.Choice(categories))
    elif category not in categories:
        raise NewPackageError(f"unknown category {category!r}; known: {', '.join(categories)}")
    if target.repo_url is None:
        repo_url = repo_url or _ask("Repository URL (https://…)")
    if pypi_name and not PYPI_NAME_RE.fullmatch(pypi_name):
        raise NewPackageError(f"{pypi_name!r} is not a PyPI name (letters, digits, . _ -)")
    target = Target(
        slug=slugify(slug) if slug else target.slug,
        title=title or target.title,
        repo_url=target.repo_url or normalise_url(repo_url or ""),
        pypi_name=target.pypi_name or pypi_name,
    )
    if duplicate := find_duplicate(sources, target.slug, target.repo_url, target.pypi_name):
        raise NewPackageError(f"{target.title} is already in the catalogue: {duplicate}")
    marks = id_marks(sources)
    ident = marks.get("packages", 0) + 1
    path = content / "packages" / f"{target.slug}.yaml"
    text = record_text(target, ident, category, datetime.now(UTC).date())
    if problems := record_problems(f"packages/{target.slug}.yaml", text):
        raise NewPackageError(
            "nothing written; the record would not be valid:\n" + "\n".join(problems)
        )
    path.write_text(text, encoding="utf-8")
    (content / IDS_FILE).write_text(ids_text(marks | {"packages": ident}), encoding="utf-8")
    click.echo(f"wrote {path} (id {ident}); add it to a grid in content/grids/ if one fits")
