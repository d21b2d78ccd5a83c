"""Full-text search over paragraphs (SQLite FTS5, BM25), with exact source offsets."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from communique.errors import QueryError
from communique.store import Store

__all__ = ["SearchHit", "search", "fts_query", "MAX_QUERY_CHARS", "MAX_RESULTS"]

MAX_QUERY_CHARS = 500
MAX_RESULTS = 200
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
# Words too common to narrow a search; dropped from AND queries (kept if nothing else is left).
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have in is it its of on or that the this to was were will with".split()
)


@dataclass(frozen=True, slots=True)
class SearchHit:
    document: str  # path relative to the build folder
    document_id: str
    title: str | None
    date: str | None
    start: int
    end: int
    quote: str  # exactly documents.text[start:end]
    snippet: str  # the passage with matches wrapped in [[ ]]
    highlights: list[tuple[int, int]]  # absolute offsets of the matched words
    score: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, without FTS syntax."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(query)]


def fts_query(terms: list[str], mode: str = "and") -> str:
    """An FTS5 MATCH expression: each word quoted, joined with AND (implicit) or OR."""
    words = [t for t in terms if t not in _STOPWORDS] or terms
    quoted = ['"' + t.replace('"', '""') + '"' for t in words]
    return (" OR " if mode == "or" else " ").join(quoted)


def search(store: Store, query: str, limit: int = 10, per_document: int = 2) -> list[SearchHit]:
    """BM25-ranked paragraphs matching every word of ``query`` (any word when none match all).

    The title counts like the text, so a document named for the query ranks first; at most
    ``per_document`` passages of one document are returned, so that results show many documents.

    Raises:
        QueryError: the query is empty or too long, or the limit out of range.
    """
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= limit <= MAX_RESULTS:
        raise QueryError(f"limit must be between 1 and {MAX_RESULTS}")
    terms = query_terms(query)
    if not terms:
        raise QueryError("the query has no words to search for")
    rows: list[dict[str, Any]] = []
    for mode in ("and", "or"):
        rows = store.search_passages(fts_query(terms, mode), limit * (4 if per_document else 1), highlight=True)
        if per_document:
            taken: dict[str, int] = {}
            kept = []
            for r in rows:
                if "\x02" not in r["marked"]:
                    continue  # matched on the title alone: the passage itself says nothing of it
                taken[r["document_id"]] = taken.get(r["document_id"], 0) + 1
                if taken[r["document_id"]] <= per_document:
                    kept.append(r)
            rows = kept[:limit]
        if rows or len(terms) == 1:
            break
    return [
        SearchHit(
            document=r["path"], document_id=r["document_id"], title=r["title"], date=r["date"],
            start=r["start"], end=r["end"], quote=r["text"],
            snippet=r["marked"].replace("\x02", "[[").replace("\x03", "]]"),
            highlights=_marked_offsets(r["marked"], r["start"]), score=round(r["score"], 4),
        )
        for r in rows
    ]


def _marked_offsets(marked: str, base: int) -> list[tuple[int, int]]:
    """Offsets (into the document) of the spans FTS5 wrapped in \\x02 ... \\x03."""
    out: list[tuple[int, int]] = []
    plain = 0
    open_at = None
    for ch in marked:
        if ch == "\x02":
            open_at = plain
        elif ch == "\x03" and open_at is not None:
            out.append((base + open_at, base + plain))
            open_at = None
        else:
            plain += 1
    return out
