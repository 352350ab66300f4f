"""Shape checks for upstream answers: every value a parser reads goes through one of these.

A forge or PyPI can answer anything: an object where a list belongs, a count that is
`NaN` or negative, a date that is no date, a 30 MB description. The parsers in
`github.py`, `gitlab.py`, `forgejo.py`, `bitbucket.py` and `pypi.py` read each field
through these helpers, so a value of the wrong shape raises `BadAnswer` (kind
`bad_answer`, a `FetchError`): it fails only its package, which keeps its last good
data. A value that passes fits `enriched.schema.json`: counts are whole numbers from
0 to 10⁹, dates real instants from 1970, URLs http(s), a description at most
`DESCRIPTION` (2,000) characters (longer ones are clipped), names at most `NAME` (100)
characters, lists of contributors at most `PARTICIPANTS` (100) long.

A missing field (`None`) reads as empty (0, "", [], None), as before: the hosts omit
what a repository does not have.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from ..enriched import parse_datetime
from ..validate import EARLIEST
from .client import FetchError

MAX_COUNT = 10**9
DESCRIPTION = 2000
"""Characters of a repository description kept (the rest is clipped)."""
NAME = 100
"""Characters of a contributor's login or name kept."""
LABEL = 200
"""Most characters of a licence, version or classifier: a longer one is no real value."""
URL = 500
PARTICIPANTS = 100
_PATH = re.compile(r"[A-Za-z0-9_.][A-Za-z0-9_.-]*(/[A-Za-z0-9_.][A-Za-z0-9_.-]*)+")
_URL = re.compile(r"https?://[^\s/?#]+[^\s]*")


class BadAnswer(FetchError):
    """An answer whose shape is not the host's: this package fails, the run goes on.
    (`kind` is `bad_answer`, or `empty` for a PyPI project answered without info.)"""

    def __init__(self, where: str, expected: str, value: Any, kind: str = "bad_answer") -> None:
        super().__init__(kind, f"{where}: expected {expected}, got {describe(value)}")


def describe(value: Any) -> str:
    """A short name for a wrong value, safe to log (no upstream text beyond 40 chars)."""
    kind = {dict: "an object", list: "a list", str: "a string", bool: "a boolean"}
    name = "null" if value is None else kind.get(type(value), type(value).__name__)
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return f"{name} {ascii(value)[:40]}"
    return name


def obj(value: Any, where: str, *, optional: bool = False) -> dict[str, Any]:
    """A JSON object; with `optional`, null reads as {}."""
    if optional and value is None:
        return {}
    if not isinstance(value, dict):
        raise BadAnswer(where, "an object", value)
    return value


def array(value: Any, where: str, *, optional: bool = True) -> list[Any]:
    """A JSON list; null reads as [] unless not `optional`."""
    if optional and value is None:
        return []
    if not isinstance(value, list):
        raise BadAnswer(where, "a list", value)
    return value


def objects(value: Any, where: str) -> list[dict[str, Any]]:
    """A list of objects (null reads as [])."""
    return [obj(item, f"{where}[{i}]") for i, item in enumerate(array(value, where))]


def count(value: Any, where: str) -> int:
    """A whole number from 0 to 10⁹ (null reads as 0)."""
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
        raise BadAnswer(where, f"a whole number from 0 to {MAX_COUNT}", value)
    return value


def flag(value: Any, where: str) -> bool:
    """A boolean (null reads as false)."""
    if value is None:
        return False
    if not isinstance(value, bool):
        raise BadAnswer(where, "true or false", value)
    return value


def text(value: Any, where: str, limit: int = DESCRIPTION) -> str:
    """A string clipped to `limit` characters (null reads as "")."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise BadAnswer(where, "a string", value)
    return value[:limit]


def label(value: Any, where: str, limit: int = LABEL) -> str | None:
    """A short string (empty or null reads as None); a longer one is a bad answer."""
    found = text(value, where, limit + 1).strip()
    if len(found) > limit:
        raise BadAnswer(where, f"at most {limit} characters", value)
    return found or None


def path(value: Any, where: str) -> str | None:
    """A repository path such as `owner/name` (GitLab: `group/sub/name`), or None."""
    if value is None:
        return None
    if not (isinstance(value, str) and len(value) <= LABEL and _PATH.fullmatch(value)):
        raise BadAnswer(where, "a repository path like owner/name", value)
    return value


def url(value: Any, where: str) -> str | None:
    """An http(s) URL without spaces, or None for anything else that is a string."""
    found = text(value, where, URL + 1).strip()
    return found if len(found) <= URL and _URL.fullmatch(found) else None


def moment(value: Any, where: str) -> datetime:
    """An ISO 8601 date-time from 1970 on, as an aware UTC datetime."""
    if not isinstance(value, str) or len(value) > 64:
        raise BadAnswer(where, "an ISO 8601 date-time", value)
    try:
        found = parse_datetime(value)
    except (ValueError, OverflowError):
        raise BadAnswer(where, "an ISO 8601 date-time", value) from None
    if found < EARLIEST:
        raise BadAnswer(where, "a date-time from 1970 on", value)
    return found


def optional_moment(value: Any, where: str) -> datetime | None:
    """`moment`, with null read as None."""
    return None if value is None else moment(value, where)


def names(values: list[Any], where: str) -> list[str]:
    """Distinct non-empty names (logins) in order, each clipped, at most `PARTICIPANTS`."""
    found: list[str] = []
    for i, value in enumerate(values):
        name = text(value, f"{where}[{i}]", NAME).strip()
        if name and name not in found:
            found.append(name)
    return found[:PARTICIPANTS]


def repository(data: Any, path_key: str, stars_key: str) -> dict[str, Any]:
    """The facts every forge's repository answer holds, under the host's key names
    (`path` is where the repository is now, or None)."""
    data = obj(data, "repository")
    return {
        "path": path(data.get(path_key), path_key),
        "stars": count(data.get(stars_key), stars_key),
        "forks": count(data.get("forks_count"), "forks_count"),
        "description": text(data.get("description"), "description"),
        "archived": flag(data.get("archived"), "archived"),
    }


def github_commit(commit: dict[str, Any]) -> tuple[datetime, str]:
    """(committer date, author) of a commit as GitHub's REST API (and Forgejo) lists it:
    the author's login, else the name in the commit."""
    account = obj(commit.get("author"), "author", optional=True)
    inner = obj(commit.get("commit"), "commit")
    committer = obj(inner.get("committer"), "commit.committer")
    author = text(account.get("login"), "author.login", NAME) or text(
        obj(inner.get("author"), "commit.author", optional=True).get("name"), "commit.author.name"
    )
    return moment(committer.get("date"), "commit.committer.date"), author[:NAME]
