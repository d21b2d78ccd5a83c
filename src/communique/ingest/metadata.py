"""Document metadata found in the text itself: datelines, titles, publishers from URLs."""

from __future__ import annotations

import re
from functools import lru_cache
from urllib.parse import urlparse

from communique.data import load_data
from communique.dates import find_dates

__all__ = ["dateline_date", "publisher_from_url", "guess_title"]

# "JAKARTA, 26 August 2020 -", "SEOUL, July 1 (Yonhap) --", "Washington, D.C. - May 12, 2022:"
_DATELINE = re.compile(
    r"""^\s*
        (?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)   # the city, usually in capitals
        (?:,\s*[A-Z][A-Za-z.' ]{1,25})?        # an optional state or country
        \s*[,–—-]\s*
        (?P<rest>.{0,60})""",
    re.VERBOSE,
)


def dateline_date(text: str) -> str | None:
    """The date of a dateline at the very start of a document, when it has a year."""
    head = text[:200]
    m = _DATELINE.match(head)
    if not m:
        return None
    for mention in find_dates(m.group("rest")):
        if mention.start > 5:
            break
        if mention.value and mention.kind == "absolute":
            return mention.value
    return None


@lru_cache(maxsize=1)
def _publishers() -> dict[str, str]:
    return {k.lower(): v for k, v in load_data("publishers.yaml").items()}


def publisher_from_url(url: str | None) -> str | None:
    """The publisher behind a URL's site, from ``data/publishers.yaml`` or the bare host."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    if not host:
        return None
    host = host.removeprefix("www.")
    table = _publishers()
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in table:
            return table[candidate]
    return host


def guess_title(text: str) -> str | None:
    """A plain-text document's title: its first line when short and not a sentence."""
    first = text.split("\n", 1)[0].strip()
    if 3 <= len(first) <= 160 and not first.endswith((".", ",", ";", ":")):
        return first
    return None
