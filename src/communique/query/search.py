"""Full-text search over paragraphs (SQLite FTS5, BM25), with exact source offsets."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass
from typing import Any

from communique.errors import QueryError
from communique.store.db import Store

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
        expression = fts_query(terms, mode)
        # ranked ids first, from the index alone; then text and highlights only for the passages kept,
        # one by one (a paragraph's text is read from its document: reading it for every match, or
        # highlighting every match, is work that grows with the corpus)
        ranked = store.db.execute(
            """SELECT rowid, bm25(passages_fts, 1.0, 1.0) AS score FROM passages_fts
               WHERE passages_fts MATCH ? ORDER BY score LIMIT ?""",
            (expression, limit * (4 if per_document else 1)),
        ).fetchall()
        passages = _passages(store, [r[0] for r in ranked])
        taken: dict[str, int] = {}
        rows = []
        for rowid, score in ranked:
            row = passages.get(rowid)
            if row is None or (per_document and taken.get(row["document_id"], 0) >= per_document):
                continue
            marked = store.db.execute(
                "SELECT highlight(passages_fts, 0, char(2), char(3)) FROM passages_fts WHERE passages_fts MATCH ? AND rowid = ?",
                (expression, rowid),
            ).fetchone()
            if marked is None or (per_document and "\x02" not in marked[0]):
                continue  # matched on the title alone: the passage itself says nothing of it
            taken[row["document_id"]] = taken.get(row["document_id"], 0) + 1
            rows.append(row | {"score": score, "marked": marked[0]})
            if len(rows) == limit:
                break
        if rows or len(terms) == 1:
            break
    return [
        SearchHit(
            document=r["path"], document_id=r["document_id"], title=r["title"], date=r["date"],
            start=r["start"], end=r["end"], quote=r["quote"],
            snippet=r["marked"].replace("\x02", "[[").replace("\x03", "]]"),
            highlights=_marked_offsets(r["marked"], r["start"]), score=round(-r["score"], 4),
        )
        for r in rows
    ]


def _passages(store: Store, ids: list[int]) -> dict[int, dict[str, Any]]:
    """Paragraphs by id, with their document and quote."""
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {
        r["id"]: dict(r)
        for r in store.db.execute(
            f"""SELECT p.id, p.document_id, p.start, p."end", d.path, d.title, d.date,
                       substr(d.text, p.start + 1, p."end" - p.start) AS quote
                FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.id IN ({marks})""",
            ids,
        )
    }


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
