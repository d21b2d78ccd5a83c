"""The kind of a document: joint statement, declaration, readout, fact sheet, remarks, proclamation...

The kind decides what some extractors read: a readout reports held meetings, the numbered clauses of
a joint statement are commitments, the clauses of an executive order or proclamation are neither.
It comes from the document's title, then from the opening of its text, through the patterns of
``data/document_kinds.yaml`` (general publishing vocabulary, no document in particular); a
manifest's own ``kind`` wins when it names a known kind.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from communique.data import load_data

__all__ = ["document_kind", "DOCUMENT_KINDS", "OPERATIVE_KINDS"]

OPERATIVE_KINDS = frozenset({"joint_statement", "declaration", "communique", "chairman_statement",
                             "plan_of_action"})


@lru_cache(maxsize=1)
def _rules() -> tuple[list[tuple[str, re.Pattern[str] | None, re.Pattern[str] | None]], dict[str, str]]:
    table: dict[str, Any] = load_data("document_kinds.yaml")
    rules = []
    for entry in table["kinds"]:
        title = "|".join(f"(?:{p})" for p in entry.get("title") or [])
        opening = "|".join(f"(?:{p})" for p in entry.get("opening") or [])
        rules.append((entry["kind"], re.compile(title, re.I) if title else None,
                      re.compile(opening, re.I | re.M) if opening else None))
    aliases = {str(k).lower(): v for k, v in (table.get("aliases") or {}).items()}
    return rules, aliases


def _known() -> frozenset[str]:
    return frozenset(kind for kind, _, _ in _rules()[0]) | {"other"}


DOCUMENT_KINDS = ("joint_statement", "declaration", "communique", "chairman_statement", "plan_of_action",
                  "readout", "fact_sheet", "remarks", "press_briefing", "interview", "statement",
                  "press_release", "news", "overview", "proclamation", "executive_order", "memorandum",
                  "notice", "message", "letter", "legislation", "nomination", "delegation", "other")


def document_kind(title: str | None, text: str, declared: str | None = None) -> str:
    """The kind of a document from its declared kind, its title, or the opening of its text.

    Args:
        title: the document's title (its headline), if any.
        text: the clean text; only its first 1,500 characters are read.
        declared: a kind given by the source's metadata (``SOURCES.json``), in any spelling.
    Returns:
        one of ``DOCUMENT_KINDS``.
    """
    rules, aliases = _rules()
    if declared:
        kind = aliases.get(declared.strip().lower(), declared.strip().lower().replace(" ", "_"))
        if kind in _known():
            return kind
    heading = (title or "").strip()
    for kind, title_pattern, _ in rules:
        if title_pattern is not None and heading and title_pattern.search(heading):
            return kind
    opening = text[:1500]
    for kind, _, opening_pattern in rules:
        if opening_pattern is not None and opening_pattern.search(opening):
            return kind
    return "other"
