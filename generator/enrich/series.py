"""The 52-week commit series, kept up to date from commit dates alone (pure functions).

`commits_over_52` holds commits per week, oldest first, the last item being the current
week. Weeks start on Monday 00:00 UTC. A series is stored with the Monday of its last
week (`series_week`); on a later night it is shifted left by the weeks that passed and
the commits newer than the last one counted are added. So after the first night the
series costs no request of its own: the dates come with the repository query.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from ..enriched import format_datetime, parse_datetime

WEEKS = 52


def week_of(moment: datetime) -> date:
    """The Monday (UTC) of the week holding `moment`."""
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


def series_start(now: datetime) -> datetime:
    """The first instant the series covers: Monday 00:00 UTC, 51 weeks before this week."""
    first = week_of(now) - timedelta(weeks=WEEKS - 1)
    return datetime(first.year, first.month, first.day, tzinfo=UTC)


def shift(series: Iterable[int], from_week: date, to_week: date) -> list[int]:
    """Move a series ending in `from_week` to end in `to_week`, new weeks being 0."""
    values = list(series)[-WEEKS:]
    values = [0] * (WEEKS - len(values)) + values
    weeks = (to_week - from_week).days // 7
    if weeks <= 0:
        return values
    if weeks >= WEEKS:
        return [0] * WEEKS
    return values[weeks:] + [0] * weeks


def add_commits(series: list[int], week: date, dates: Iterable[datetime]) -> list[int]:
    """Count commit `dates` into a series ending in `week`; dates outside it are ignored."""
    values = list(series)
    for moment in dates:
        back = (week - week_of(moment)).days // 7
        if 0 <= back < WEEKS:
            values[WEEKS - 1 - back] += 1
    return values


def _resume_after(previous: dict[str, Any], extra: dict[str, Any], now: datetime):
    """The instant after the last commit counted, if the stored series can be extended."""
    through, week = extra.get("series_through"), extra.get("series_week")
    if not (through and week and len(previous.get("commits_over_52") or []) == WEEKS):
        return None
    after = parse_datetime(through) + timedelta(seconds=1)
    return after if after > series_start(now) else None


def history_since(previous: dict[str, Any], extra: dict[str, Any], now: datetime) -> str:
    """Where this night's commit history starts: after the last commit counted, or a year."""
    return format_datetime(_resume_after(previous, extra, now) or series_start(now)) or ""


def updated_series(
    previous: dict[str, Any], extra: dict[str, Any], dates: list[datetime], now: datetime
) -> dict[str, Any]:
    """`commits_over_52` and its anchors after counting the new commit `dates` (those
    dated after `now` wait until they are past: counted now, they would move the anchor
    past commits still to come)."""
    dates = [d for d in dates if d <= now]
    week = week_of(now)
    base, newest = [0] * WEEKS, ""
    if _resume_after(previous, extra, now):
        anchor = datetime.fromisoformat(extra["series_week"]).date()
        base, newest = shift(previous["commits_over_52"], anchor, week), extra["series_through"]
    newest = max([format_datetime(d) or "" for d in dates] + [newest])
    return {
        "commits_over_52": add_commits(base, week, dates),
        "series_week": week.isoformat(),
        "series_through": newest or None,
    }


def newest(dates: Iterable[datetime | None], now: datetime) -> datetime | None:
    """The latest of `dates`, but never after `now`: a committer's clock can be years
    ahead, and a fetched date in the future is no fact the site can show."""
    found = [d for d in dates if d is not None]
    return min(max(found), now) if found else None
