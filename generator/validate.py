"""Validate stage: check every record, report every problem, build the catalogue.

Each file is checked against its JSON Schema (the same schemas editors use through the
YAML language server and the site publishes under `/schemas/`), then the records are
checked against each other (ids, slugs, references). Every
problem names the file, line and column, what is wrong and what would be right; all
problems of all files are collected in one run.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import ValidationError

from .enriched import parse_datetime, parse_enrichment
from .model import (
    Catalogue,
    Category,
    Enrichment,
    Feature,
    Grid,
    InvalidContent,
    Package,
    Problem,
)
from .records import ENRICHED_NAME, SITE_FILE, Source, Sources, excerpt, locate, read_site
from .settings import Overrides, Settings, normalise_site_url, settings_from

SLUG_RE = re.compile(r"[-a-zA-Z0-9_]+")
"""Django's slug rule, which djangopackages.org's slugs follow (`django_cron`,
`django-maintenance-mode-`); always used with `fullmatch`. `djp new` proposes only the
strict lower-case hyphenated form (`new.slugify`)."""
RESERVED_SLUGS = frozenset({"page"})
SCHEMA_DIR = Path(__file__).parent / "schemas"
SCHEMA_OF_KIND = {"categories": "category", "grids": "grid", "packages": "package"}


@cache
def schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one kind of record, as shipped in `generator/schemas/`."""
    text = (SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def whole_string(pattern: str) -> re.Pattern[str]:
    """A schema pattern as ECMA-262 reads it: a final `$` is the very end of the string
    (Python's `$` also matches before a trailing newline, so `"foo\\n"` would pass)."""
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Any:
    if validator.is_type(instance, "string") and not whole_string(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _integer(_checker: Any, instance: Any) -> bool:
    """Only a written integer: JSON Schema would take `1.0`, which is not an id."""
    return isinstance(instance, int) and not isinstance(instance, bool)


RecordValidator = validators.extend(
    Draft202012Validator,
    validators={"pattern": _pattern},
    type_checker=Draft202012Validator.TYPE_CHECKER.redefine("integer", _integer),
)
"""Draft 2020-12 with whole-string patterns and integers that are written as integers."""


@cache
def _validator(name: str) -> Any:
    return RecordValidator(schema(name))


def _has_float(data: Any) -> bool:
    stack = [data]
    while stack:
        value = stack.pop()
        if isinstance(value, float):
            return True
        if isinstance(value, dict):
            stack.extend(value.values())
        elif isinstance(value, list):
            stack.extend(value)
    return False


@cache
def _fast_validator(name: str) -> jsonschema_rs.Draft202012Validator:
    return jsonschema_rs.Draft202012Validator(schema(name))


def fits_schema(data: Any, name: str) -> bool:
    """The compiled (Rust) validator's verdict, about 20× faster than jsonschema's.

    Only a yes is trusted: any doubt (a no, or data it cannot read, such as YAML's
    non-string keys) sends the file through jsonschema, whose errors are the ones
    reported. A document with a float goes there too: the Rust validator, as JSON
    Schema says, counts `1.0` as an integer.
    """
    if _has_float(data):
        return False
    try:
        return _fast_validator(name).is_valid(data)
    except ValueError:
        return False


def _describe(value: Any) -> str:
    if isinstance(value, str):
        return excerpt(value)
    return excerpt(json.dumps(value, ensure_ascii=False), quote=False)


def _message(error: ValidationError) -> tuple[str, str | None]:
    """A sentence for a schema error, and the unknown key to point at (else its value)."""
    where = ".".join(str(p) for p in error.absolute_path) or "the file"
    hint = error.schema.get("description", "") if isinstance(error.schema, dict) else ""
    kind = error.validator
    if kind == "anyOf" and error.context:  # e.g. a date or null: say what the date lacks
        picks = [e for e in error.context if e.validator != "type"] or error.context
        return _message(picks[0])
    if kind == "additionalProperties":
        allowed = sorted(error.schema.get("properties", {}))
        extra = sorted(set(error.instance) - set(allowed))
        known = f"; known keys: {', '.join(allowed)}" if allowed else ""
        return f"unknown key {', '.join(repr(k) for k in extra)} in {where}{known}", extra[0]
    if kind == "required":
        missing = error.message.split(" is a required")[0]
        return f"missing key {missing} in {where}", None
    if kind == "type":
        want = error.validator_value
        want = " or ".join(want) if isinstance(want, list) else want
        got = type(error.instance).__name__.replace("str", "string").replace("NoneType", "null")
        return f"{where} must be {want}, not {got} {_describe(error.instance)}", None
    if kind == "pattern":
        return f"{where} is not valid: {_describe(error.instance)}; expected {hint}", None
    if kind in {"minLength", "maxLength"}:
        size, bound = len(error.instance), error.validator_value
        side = "at least" if kind == "minLength" else "at most"
        return f"{where} is {size} characters long; {side} {bound} are allowed", None
    if kind in {"minItems", "maxItems"}:
        size, bound = len(error.instance), error.validator_value
        side = "at least" if kind == "minItems" else "at most"
        return f"{where} holds {size} items; {side} {bound} are allowed", None
    what = excerpt(error.message, 150, quote=False)  # it quotes the value, maybe long
    return f"{where}: {what}" + (f"; expected {hint}" if hint else ""), None


@cache
def _datetime_keys(name: str) -> tuple[tuple[str, ...], ...]:
    """The top-level keys a kind's schema declares as dates, as paths."""
    properties = schema(name).get("properties", {})
    return tuple((k,) for k, v in properties.items() if v.get("$ref") == "#/$defs/datetime")


ENRICHED_DATES = (
    ("last_fetched",),
    ("modified",),
    ("series_week",),
    ("series_through",),
    ("repo", "last_commit"),
    ("pypi", "released"),
)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)
CLOCK_SLACK = timedelta(days=1)
"""How far ahead of the clock a fetched date may be (clocks of runners drift)."""


def check_dates(
    source: Source, paths: Iterable[tuple[str, ...]], latest: datetime | None = None
) -> list[Problem]:
    """Dates that fit the pattern but are no real instant (`2026-02-30`, year 0, or a
    time zone that takes it past year 9999), or, with `latest`, lie outside 1970 to
    `latest`."""
    problems = []
    for path in paths:
        text: Any = source.data
        for step in path:
            text = text.get(step) if isinstance(text, dict) else None
        if not isinstance(text, str):
            continue
        where = ".".join(path)
        try:
            value = parse_datetime(text)
        except ValueError as exc:
            why = f"{where} is not a real date: {excerpt(text)} ({exc}); expected e.g. 2024-05-01"
        else:
            if latest is None or EARLIEST <= value <= latest:
                continue
            why = f"{where} {excerpt(text)} is not between 1970 and now; fetched dates are past"
        line, column = locate(source, path)
        problems.append(Problem(source.path, line, column, why))
    return problems


def check_schema(source: Source, name: str) -> list[Problem]:
    """Problems of one parsed file against the JSON Schema of its kind, then its dates."""
    if fits_schema(source.data, name):
        return check_dates(source, _datetime_keys(name))
    problems = []
    for error in _validator(name).iter_errors(source.data):
        message, key = _message(error)
        path = tuple(error.absolute_path) + ((key,) if key is not None else ())
        line, column = locate(source, path, key=key is not None)
        problems.append(Problem(source.path, line, column, message))
    return problems


class _Checker:
    """Collects problems while turning checked documents into model objects."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, source: Source, path: tuple[str | int, ...], message: str, key=False) -> None:
        line, column = locate(source, path, key=key) if path else (1, 1)
        self.problems.append(Problem(source.path, line, column, message))

    def well_formed(self, sources: tuple[Source, ...], name: str) -> list[Source]:
        """Sources that parse and fit their schema; the rest become problems."""
        good = []
        for source in sources:
            if source.error:
                self.problems.append(Problem(source.path, source.line, source.column, source.error))
                continue
            if source.data is None:
                self.problems.append(Problem(source.path, 1, 1, "the file is empty"))
                continue
            found = check_schema(source, name)
            self.problems.extend(found)
            if not found:
                good.append(source)
        return good

    def slugs(self, sources: list[Source], kind: str) -> None:
        folded: dict[str, Source] = {}
        for source in sources:
            slug = source.stem
            if not SLUG_RE.fullmatch(slug):
                self.add(
                    source,
                    (),
                    f"file name {slug!r} is not a valid slug; use letters, digits, "
                    "hyphens and underscores, e.g. django-foo.yaml",
                )
            elif slug.lower() in folded:
                self.add(
                    source,
                    (),
                    f"slug {slug!r} differs only in case from {folded[slug.lower()].path}; "
                    "the two pages would be one on a case-insensitive disk; rename one",
                )
            elif slug.isdigit() or slug in RESERVED_SLUGS:
                self.add(
                    source,
                    (),
                    f"slug {slug!r} is reserved: it would collide with the "
                    f"API's /{kind}/<id>/ or /page/<n>/ URLs; choose another file name",
                )
            folded.setdefault(slug.lower(), source)

    def unique_ids(self, sources: list[Source], kind: str) -> None:
        seen: dict[int, Source] = {}
        for source in sources:
            ident = source.data["id"]
            if ident in seen:
                self.add(
                    source,
                    ("id",),
                    f"duplicate id {ident}: {seen[ident].path} has it "
                    f"already; ids of {kind} are unique and never reused",
                )
            else:
                seen[ident] = source


def _category(source: Source) -> Category:
    d = source.data
    created = parse_datetime(d["created"])
    return Category(
        id=d["id"],
        slug=source.stem,
        title=d["title"],
        title_plural=d["title_plural"],
        description=d.get("description", ""),
        show_pypi=d.get("show_pypi", True),
        created=created,
        modified=parse_datetime(d["modified"]) if "modified" in d else created,
    )


def _cell_text(value: str | bool | float) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _grid(source: Source) -> Grid:
    d = source.data
    created = parse_datetime(d["created"])
    return Grid(
        id=d["id"],
        slug=source.stem,
        title=d["title"],
        description=d.get("description", ""),
        is_locked=d.get("is_locked", False),
        header=d.get("header", False),
        created=created,
        modified=parse_datetime(d["modified"]) if "modified" in d else created,
        features=tuple(
            Feature(f["title"], f.get("description", "")) for f in d.get("features", [])
        ),
        members=tuple(d["packages"]),
        cells={
            slug: {t: _cell_text(v) for t, v in row.items()}
            for slug, row in d.get("cells", {}).items()
        },
    )


def _package(source: Source) -> Package:
    d = source.data
    return Package(
        id=d["id"],
        slug=source.stem,
        title=d["title"],
        category=d["category"],
        repo_url=d["repo_url"],
        created=parse_datetime(d["created"]),
        pypi_name=d.get("pypi_name"),
        documentation_url=d.get("documentation_url"),
        description=d.get("description"),
        deprecated_since=parse_datetime(d["deprecated_since"]) if "deprecated_since" in d else None,
        replaced_by=d.get("replaced_by"),
        repo_host=d.get("repo_host"),
        old_slugs=tuple(d.get("old_slugs", ())),
        aliases=tuple(d.get("aliases", ())),
    )


def _settings(c: _Checker, source: Source | None, overrides: Overrides) -> Settings | None:
    """site.yaml's settings with `overrides` applied (the command line checks its own), or
    None with the file's problems, located, in `c`."""
    if source is None:
        c.problems.append(Problem(SITE_FILE, 1, 1, f"missing site settings file {SITE_FILE}"))
        return None
    good = c.well_formed((source,), "site")
    if not good:
        return None
    try:
        normalise_site_url(source.data["site_url"])
    except ValueError as exc:
        c.add(source, ("site_url",), str(exc))
        return None
    return settings_from(source.data, overrides)


def site_settings(content: Path) -> Settings:
    """The settings of `content/site.yaml` alone, for commands that read no other record;
    `InvalidContent` with the file's problems, located, when it is missing or wrong."""
    c = _Checker()
    settings = _settings(c, read_site(content), Overrides())
    if settings is None:
        raise InvalidContent(c.problems)
    return settings


def _cross_check(c: _Checker, cats: list[Source], grids: list[Source], pkgs: list[Source]) -> None:
    """Checks between records: references, old slugs, grid membership. Two records may
    name one repository, as djangopackages.org's do (`repos.repository_owners`)."""
    category_slugs = sorted(s.stem for s in cats)
    package_slugs = {s.stem for s in pkgs}
    for source in pkgs:
        d = source.data
        if d["category"] not in category_slugs:
            c.add(
                source,
                ("category",),
                f"unknown category {d['category']!r}; known: {', '.join(category_slugs)}",
            )
        target = d.get("replaced_by")
        if target == source.stem:
            c.add(source, ("replaced_by",), "a package cannot be replaced by itself")
        elif target is not None and target not in package_slugs:
            c.add(
                source,
                ("replaced_by",),
                f"replaced_by names unknown package {target!r}; "
                "use the slug (file name without .yaml) of a package in content/packages/",
            )
    _check_old_slugs(c, pkgs)
    for source in grids:
        d = source.data
        members = d["packages"]
        seen: set[str] = set()
        for i, slug in enumerate(members):
            if slug not in package_slugs:
                c.add(
                    source,
                    ("packages", i),
                    f"unknown package {slug!r}; grid members are "
                    "slugs of files in content/packages/",
                )
            if slug in seen:
                c.add(source, ("packages", i), f"package {slug!r} is listed twice")
            seen.add(slug)
        titles = [f["title"] for f in d.get("features", [])]
        for slug, row in d.get("cells", {}).items():
            if slug not in seen:
                c.add(
                    source,
                    ("cells", slug),
                    f"cell for {slug!r}, which is not a member of "
                    "this grid; add it to `packages` or remove its cells",
                    key=True,
                )
            for title in row:
                if title not in titles:
                    known = ", ".join(repr(t) for t in titles) or "none"
                    c.add(
                        source,
                        ("cells", slug, title),
                        f"unknown feature {title!r}; features of this grid: {known}",
                        key=True,
                    )


def _check_old_slugs(c: _Checker, pkgs: list[Source]) -> None:
    """Old slugs (kept for redirects) name no current package and no other old slug."""
    current = {s.stem for s in pkgs}
    claimed: dict[str, Source] = {}
    for source in pkgs:
        for i, old in enumerate(source.data.get("old_slugs", [])):
            if old in current:
                whose = "this package's own slug" if old == source.stem else "a current slug"
                c.add(
                    source,
                    ("old_slugs", i),
                    f"old slug {old!r} is {whose} (packages/{old}.yaml); an old slug "
                    "must be free, or its redirect would replace a package page",
                )
            elif old in claimed:
                where = "this list" if claimed[old] is source else claimed[old].path
                c.add(
                    source,
                    ("old_slugs", i),
                    f"old slug {old!r} is listed twice (also in {where}); keep it "
                    "in one place: the package the old URL should lead to",
                )
            elif not SLUG_RE.fullmatch(old):
                c.add(source, ("old_slugs", i), f"old slug {old!r} is not a slug; remove it")
            elif old.isdigit() or old in RESERVED_SLUGS:
                c.add(source, ("old_slugs", i), f"old slug {old!r} is reserved; remove it")
            else:
                claimed[old] = source


def _check_id_marks(c: _Checker, ids: Source | None, good: dict[str, list[Source]]) -> None:
    """No id above ids.yaml's highest-ever mark, so that marks only ever cover used ids."""
    if ids is None:
        return
    marks = c.well_formed((ids,), "ids")
    if not marks:
        return
    for kind, mark in marks[0].data.items():
        for source in good[kind]:
            if source.data["id"] > mark:
                c.add(
                    source,
                    ("id",),
                    f"id {source.data['id']} is above the highest id ever given to {kind} "
                    f"({mark} in ids.yaml); use `djp new`, or set `{kind}: "
                    f"{source.data['id']}` in ids.yaml",
                )


def check_enrichment(
    data: Any, path: str = "enriched document", text: str = "", now: datetime | None = None
) -> list[Problem]:
    """Problems of one package's facts document (`content/enriched/<id>.json`): its
    schema (types, ranges, lengths), real dates none later than `now` (the clock) allows.

    The enricher calls this before writing a file, the build after reading one. `text`,
    the file's JSON, lets problems point at their line; without it they are at 1:1.
    """
    source = Source(path, text, data)
    if not isinstance(data, dict):
        kind = "null" if data is None else type(data).__name__.replace("str", "string")
        return [Problem(path, 1, 1, f"must be a JSON object of facts, not {kind}")]
    found = check_schema(source, "enriched")
    latest = (now or datetime.now(UTC)) + CLOCK_SLACK
    return found or check_dates(source, ENRICHED_DATES, latest)


def _enrichment(c: _Checker, sources: tuple[Source, ...], now: datetime) -> dict[int, Enrichment]:
    """Facts by package id, from the files that are sound; the rest become problems."""
    found = {}
    for source in sources:
        name = source.path.rsplit("/", 1)[-1]
        if source.error:
            c.problems.append(Problem(source.path, source.line, source.column, source.error))
        elif not ENRICHED_NAME.fullmatch(name):
            c.add(
                source,
                (),
                f"file name {excerpt(name)} is not <id>.json; name it by the package's id in "
                "ASCII digits without leading zeros, e.g. 12.json",
            )
        elif problems := check_enrichment(source.data, source.path, source.text, now):
            c.problems.extend(problems)
        else:
            found[int(name.removesuffix(".json"))] = parse_enrichment(source.data)
    return found


def validate(
    sources: Sources, overrides: Overrides = Overrides(), now: datetime | None = None
) -> tuple[Catalogue | None, list[Problem]]:
    """Check every source; return the catalogue (or None) and every problem found. The
    catalogue's settings are site.yaml's with `overrides` (the command line's) applied.

    `now` (default: the clock) bounds the dates in enrichment files, so that one edited
    file cannot move the time scores count from; the output never depends on it."""
    c = _Checker()
    settings = _settings(c, sources.site, overrides)
    good = {
        kind: c.well_formed(sources.records[kind], name) for kind, name in SCHEMA_OF_KIND.items()
    }
    for kind, found in good.items():
        c.slugs(found, kind)
        c.unique_ids(found, kind)
    _cross_check(c, good["categories"], good["grids"], good["packages"])
    _check_id_marks(c, sources.ids, good)
    enrichment = _enrichment(c, sources.enriched_files, now or datetime.now(UTC))
    broken = any(s.error or s.data is None for kind in sources.records.values() for s in kind)
    if c.problems or settings is None or broken:
        return None, sorted(c.problems)
    catalogue = Catalogue(
        settings=settings,
        categories=tuple(sorted((_category(s) for s in good["categories"]), key=lambda x: x.id)),
        grids=tuple(sorted((_grid(s) for s in good["grids"]), key=lambda x: x.id)),
        packages=tuple(sorted((_package(s) for s in good["packages"]), key=lambda x: x.id)),
        enrichment=enrichment,
    )
    return catalogue, []
