"""The 52-week commit chart, drawn as inline SVG at build time (no script, no request)."""

from __future__ import annotations

from functools import cache

from markupsafe import Markup, escape

BAR, GAP, HEIGHT = 3, 1, 32


@cache
def commit_chart(series: tuple[int, ...]) -> Markup:
    """Bars for each week, oldest on the left, scaled to the busiest week.

    Cached: a package's chart is drawn on its page and in every grid that lists it.
    """
    weeks = list(series) or [0] * 52
    top = max(weeks) or 1
    total = sum(weeks)
    width = len(weeks) * (BAR + GAP) - GAP
    bars = []
    for i, count in enumerate(weeks):
        h = max(round(count / top * HEIGHT), 1 if count else 0)
        if h:
            bars.append(
                f'<rect x="{i * (BAR + GAP)}" y="{HEIGHT - h}" width="{BAR}" '
                f'height="{h}"><title>{count}</title></rect>'
            )
    label = escape(
        f"{total} commits in the last {len(weeks)} weeks" if series else "No commit data yet"
    )
    return Markup(
        f'<svg class="chart" role="img" aria-label="{label}" viewBox="0 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f'<line x1="0" y1="{HEIGHT - 0.5}" x2="{width}" y2="{HEIGHT - 0.5}" class="axis"/>'
        f"{''.join(bars)}</svg>"
    )
