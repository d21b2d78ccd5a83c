"""Who held a role when: "Who was ROK Foreign Minister in 2020?" from the resolved people records.

``people_in_role`` reads the roles of every person (title, state or organisation, status, first
and last dates the documents show) and returns those that fit, each with its sources. A role
"fits" a date when the date falls between its first and last attested dates, at the precision of
the date asked ("2020" fits a role seen from 2019-05 to 2020-02).
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from communique.extract.gazetteer import gazetteer
from communique.store import Store

__all__ = ["people_in_role", "roles_matching"]

_STOP = frozenset({"of", "the", "for", "and"})
# the same office in other words ("Foreign Minister" / "Minister of Foreign Affairs")
_TITLE_FORMS = (
    (re.compile(r"\bminister (?:of|for) foreign affairs\b"), "foreign minister"),
    (re.compile(r"\bsecretary of state\b"), "secretary of state"),
    (re.compile(r"\bsecretary[- ]general\b"), "secretary general"),
    (re.compile(r"\bdirector[- ]general\b"), "director general"),
)


def _fold(text: str | None) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[^\w]+", " ", text).strip()
    for pattern, form in _TITLE_FORMS:
        text = pattern.sub(form, text)
    return text


def _title_fits(asked: str, held: str | None) -> bool:
    """Every word of the asked title is in the held one, and both agree on 'deputy', 'vice' ..."""
    a, h = _fold(asked).split(), _fold(held).split()
    if not a or not h:
        return False
    rank = {"deputy", "vice", "assistant", "under", "former", "acting", "first", "second"}
    return all(w in h for w in a if w not in _STOP) and (set(h) & rank) <= (set(a) & rank)


def _state(name: str | None) -> str | None:
    """The canonical state name for any of its aliases ('ROK' -> 'Republic of Korea')."""
    if not name:
        return None
    g = gazetteer()
    return g.alias_state.get(name) or g.alias_state.get(name.strip()) or name


def _date_fits(date: str | None, first: str | None, last: str | None) -> bool:
    if not date:
        return True
    if not first and not last:
        return False
    n = len(date)
    lo, hi = str(first or last)[:n], str(last or first)[:n]
    return lo <= date <= hi


def roles_matching(records: list[dict[str, Any]], title: str, country: str | None = None,
                   date: str | None = None) -> list[dict[str, Any]]:
    """The roles of ``records`` (resolved people) that fit title, state or organisation, and date."""
    want_state = _state(country)
    out = []
    for person in records:
        for role in person.get("roles") or []:
            if role.get("status") == "former" or not _title_fits(title, role.get("title")):
                continue
            if want_state:
                held = _state(role.get("country") or person.get("country"))
                org = _fold(role.get("organisation"))
                if held != want_state and _fold(country) not in org.split() and _fold(country) != org:
                    continue
            if not _date_fits(date, role.get("first"), role.get("last")):
                continue
            out.append({"name": person["name"], "person": person["id"], "title": role["title"],
                        "country": role.get("country") or person.get("country"),
                        "organisation": role.get("organisation"), "status": role.get("status"),
                        "first": role.get("first"), "last": role.get("last"),
                        "mentions": role.get("mentions", 1), "sources": role.get("sources") or []})
    # one row per person: the roles of one person that fit ("President", "President of Ukraine") join
    merged: dict[str, dict[str, Any]] = {}
    for row in out:
        held = merged.get(row["person"])
        if held is None:
            merged[row["person"]] = row
            continue
        held["first"] = min(filter(None, (held["first"], row["first"])), default=None)
        held["last"] = max(filter(None, (held["last"], row["last"])), default=None)
        held["mentions"] += row["mentions"]
        held["country"] = held["country"] or row["country"]
        held["sources"] = (held["sources"] + row["sources"])[:10]
    rows = sorted(merged.values(), key=lambda r: (-int(r["mentions"] or 0), str(r["first"] or "")))
    return rows


def people_in_role(store: Store, title: str, country: str | None = None, date: str | None = None) -> list[dict[str, Any]]:
    """Who held ``title`` (of ``country``, a state or organisation in any spelling) at ``date``.

    Args:
        store: an open knowledge base.
        title: the office, e.g. "Foreign Minister" (also matches "Minister of Foreign Affairs").
        country: a state or organisation, e.g. "ROK", "Republic of Korea", "NATO"; None for any.
        date: an ISO date at any precision ("2020", "2020-08", "2020-08-26"); None for any time.
    Returns:
        matching roles, most attested first: name, person id, title, country, organisation, status,
        first and last attested dates, mention count and sources. Empty when none fits.
    """
    return roles_matching(store.records("people"), title, country, date)
