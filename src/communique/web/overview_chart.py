"""The overview's meetings-and-milestones chart, readable at any corpus size.

A year bar per year for the last ``RECENT_YEARS`` years up to the latest document, a decade bar
before that; a date later than the latest document is a misread (a number taken for a year) or
a plan, and is left out, so a corpus of 14,000 documents gives a few dozen bars, not one per year
from 1800 to 2093.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

__all__ = ["period_counts", "RECENT_YEARS"]

RECENT_YEARS = 20


def period_counts(dates: list[Any], latest_year: str | None) -> list[dict[str, Any]]:
    """[{"label", "since", "until", "count"}] in time order, for the dates given (any precision)."""
    years = []
    for d in dates:
        head = str(d or "")[:4]
        if head.isdigit():
            years.append(int(head))
    if not years:
        return []
    last = int(latest_year) if latest_year and latest_year.isdigit() else max(years)
    years = [y for y in years if y <= last]
    if not years:
        return []
    first_recent = last - RECENT_YEARS + 1
    counts: Counter[tuple[int, int]] = Counter()
    for y in years:
        if y >= first_recent:
            counts[(y, y)] += 1
        else:
            decade = y - y % 10
            counts[(decade, min(decade + 9, first_recent - 1))] += 1
    out = []
    for (since, until), n in sorted(counts.items()):
        label = str(since) if since == until else f"{since}s"
        out.append({"label": label, "year": label, "since": str(since), "until": str(until), "count": n})
    return out
