"""Helpers shared by the resolvers: loading facts with their documents, sources, ids, dates."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from communique.store import Store

__all__ = ["FactRow", "load_facts", "source", "record_id", "date_compatible", "more_precise", "record_rows", "write_rows"]


@dataclass(slots=True)
class FactRow:
    id: str
    document_id: str
    path: str
    title: str | None
    doc_date: str | None
    kind: str
    value: dict[str, Any]
    start: int
    end: int
    quote: str


def load_facts(store: Store, kind: str) -> list[FactRow]:
    return [
        FactRow(r["id"], r["document_id"], r["path"], r["title"], r["doc_date"], r["kind"], json.loads(r["value"]),
                r["start"], r["end"], r["quote"])
        for r in store.iter_facts(kind)
    ]


def source(fact: FactRow, start: int | None = None, end: int | None = None, quote: str | None = None) -> dict[str, Any]:
    """A citation: the document path, its title and the exact quoted span."""
    return {
        "document": fact.path, "title": fact.title, "date": fact.doc_date,
        "start": fact.start if start is None else start, "end": fact.end if end is None else end,
        "quote": fact.quote if quote is None else quote,
    }


# One encoder each, made once: building an encoder per call costs more than encoding a short record.
_ID_ENCODER = json.JSONEncoder(sort_keys=True, default=str)
_RECORD_ENCODER = json.JSONEncoder(ensure_ascii=False)


def record_id(*parts: Any) -> str:
    return hashlib.sha256(_ID_ENCODER.encode(parts).encode()).hexdigest()[:12]


def _first(date: str | None) -> str:
    return str(date or "").split("/")[0]


def date_compatible(a: str | None, b: str | None) -> bool:
    """Dates that can describe the same day: one is a prefix of the other ('2019' and '2019-11-26')."""
    if not a or not b:
        return True
    x, y = _first(a), _first(b)
    return x.startswith(y) or y.startswith(x)


def more_precise(a: str | None, b: str | None) -> str | None:
    if not a:
        return b
    if not b:
        return a
    return a if len(_first(a)) >= len(_first(b)) else b


def record_rows(records: list[dict[str, Any]], key_field: str) -> list[tuple[str, int, Any, Any, str]]:
    """The rows of a resolved table: (id, seq, key, date, record JSON)."""
    return [(r["id"], i, r.get(key_field), r.get("date"), _RECORD_ENCODER.encode(r)) for i, r in enumerate(records)]


def write_rows(store: Store, table: str, rows: list[tuple[str, int, Any, Any, str]]) -> int:
    return store.replace_records(table, rows)

