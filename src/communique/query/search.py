"""Full-text search over paragraphs (SQLite FTS5, BM25), with exact source offsets.

The work of one search is bounded whatever the words: passages are ranked by FTS5's own ``rank``
with a ``LIMIT`` (``CANDIDATES``, more when filters are set), and a word that matches more than
``WIDE_MATCH`` passages is ranked over the most recently added ``WIDE_MATCH`` of them (a rowid range
FTS5 reads directly) rather than over every paragraph of the corpus. The exact number of matching
passages is still counted (a cheap doclist scan). Filters (dates, document kind, publisher, a set
of documents such as a partnership's) apply to the candidates; near-duplicate passages (the same
paragraph reposted in several documents) are folded into the first, which keeps their number.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import asdict, dataclass, field
from typing import Any

from communique.errors import QueryError
from communique.query.textcache import TextCache
from communique.store import Store

__all__ = ["SearchHit", "SearchResults", "search", "search_page", "fts_query", "query_terms", "MAX_QUERY_CHARS",
           "MAX_RESULTS", "SORTS"]

MAX_QUERY_CHARS = 500
MAX_RESULTS = 200
MAX_OFFSET = 1000
MAX_FOLDED = 1200  # results a search can page through
FOLD_WINDOW = 120  # near-duplicates are folded among this many results at least (4 pages ahead of the one shown)
CANDIDATES = 400  # ranked passages a page is cut from
FILTERED_CANDIDATES = 2000  # with filters, more: most candidates may be filtered out
WIDE_MATCH = 8_000  # a query matching more passages is ranked over the latest this many
SNIPPET_CHARS = 320
TEXT_CACHE_CHARS = 16_000_000  # document texts a store keeps for its searches (about 1,800 wh documents)
SORTS = ("relevance", "date", "oldest")
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
    snippet: str  # the passage (long ones: a window around the first match) with matches wrapped in [[ ]]
    highlights: list[tuple[int, int]]  # absolute offsets of the matched words
    score: float
    kind: str | None = None  # the document's kind
    publisher: str | None = None
    folded: int = 0  # near-duplicate passages of other documents folded into this one

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class SearchResults:
    query: str
    total: int  # passages matching the words (before filters)
    found: int  # distinct results among the ranked candidates, after filters and folding
    offset: int
    limit: int
    sort: str
    hits: list[SearchHit] = field(default_factory=list)
    bounded: bool = False  # ranked over the latest WIDE_MATCH matches only
    mode: str = "and"  # and: every word; or: any word

    def as_dict(self) -> dict[str, Any]:
        return {"query": self.query, "total": self.total, "found": self.found, "offset": self.offset,
                "limit": self.limit, "sort": self.sort, "bounded": self.bounded, "mode": self.mode,
                "pages": -(-self.found // self.limit) if self.limit else 0,
                "hits": [h.as_dict() for h in self.hits]}


def query_terms(query: str) -> list[str]:
    """The words of a query, lower-cased, without FTS syntax."""
    return [w.lower().replace("’", "'") for w in _WORD.findall(query)]


def fts_query(terms: list[str], mode: str = "and") -> str:
    """An FTS5 MATCH expression: each word quoted, joined with AND (implicit) or OR."""
    words = [t for t in terms if t not in _STOPWORDS] or terms
    quoted = ['"' + t.replace('"', '""') + '"' for t in words]
    return (" OR " if mode == "or" else " ").join(quoted)


def search(store: Store, query: str, limit: int = 10, per_document: int = 2, **filters: Any) -> list[SearchHit]:
    """The hits of the first page of ``search_page`` (same arguments)."""
    return search_page(store, query, limit=limit, per_document=per_document, **filters).hits


def _check(query: str, limit: int, offset: int, sort: str) -> list[str]:
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"query longer than {MAX_QUERY_CHARS} characters")
    if not 1 <= limit <= MAX_RESULTS:
        raise QueryError(f"limit must be between 1 and {MAX_RESULTS}")
    if not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}")
    if sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
    terms = query_terms(query)
    if not terms:
        raise QueryError("the query has no words to search for")
    return terms


def _documents_meta(store: Store) -> dict[str, tuple[str | None, str, str | None, str, str | None]]:
    """document id -> (date, kind, publisher, path, title), read once per store."""
    meta = getattr(store, "_search_meta", None)
    if meta is None:
        meta = {r["id"]: (r["date"], r["kind"] or "other", r["publisher"], r["path"], r["title"])
                for r in store.document_catalog()}
        store._search_meta = meta  # type: ignore[attr-defined]
    return meta


def _passage_documents(store: Store) -> tuple[list[int], list[str]]:
    """Each document's first paragraph id, in order, and the document: a paragraph's document is
    found by bisection (a document's paragraphs have consecutive ids), without a query per hit."""
    cached = getattr(store, "_search_ranges", None)
    if cached is None:
        rows = store.passage_ranges()
        cached = ([r[0] for r in rows], [r[1] for r in rows])
        store._search_ranges = cached  # type: ignore[attr-defined]
    return cached


def _ranked(store: Store, match: str, cap: int, by_relevance: bool = True) -> tuple[int, bool, list[tuple[int, float]]]:
    """(matching passages, bounded?, [(rowid, score)] best first). Sorted by date, no score is
    needed: the latest ``WIDE_MATCH`` matching passages are read straight from the index."""
    total = store.count_matches(match)
    if total == 0:
        return 0, False, []
    if not by_relevance:
        rows = store.latest_matches(match, WIDE_MATCH)
        return total, total > WIDE_MATCH, [(r, 0.0) for r in rows]
    floor = 0
    if total > WIDE_MATCH:
        row = store.latest_matches(match, 1, WIDE_MATCH - 1)
        floor = row[0] if row else 0
    rows = store.rank_matches(match, cap, floor)
    return total, floor > 0, rows


def _fold_key(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()[:240]


def search_page(store: Store, query: str, limit: int = 10, offset: int = 0, per_document: int = 2, *,
                since: str | None = None, until: str | None = None, kind: str | None = None,
                publisher: str | None = None, scope: set[str] | None = None, sort: str = "relevance") -> SearchResults:
    """BM25-ranked paragraphs matching every word of ``query`` (any word when none match all).

    Args:
        since, until: document dates (a year, month or day prefix, inclusive).
        kind: document kind (``communique.ingest.kind``); publisher: words of the publisher's name.
        scope: document ids to keep (a partnership's); sort: relevance, date (newest first) or oldest.
        per_document: at most this many passages of one document (0: no cap).

    Raises:
        QueryError: the query is empty or too long, or the limit, offset or sort out of range.
    """
    terms = _check(query, limit, offset, sort)
    filtered = any(x for x in (since, until, kind, publisher)) or scope is not None
    cap = FILTERED_CANDIDATES if filtered or sort != "relevance" else CANDIDATES
    meta = _documents_meta(store)
    want_publisher = publisher.lower() if publisher else None
    results = SearchResults(query, 0, 0, offset, limit, sort)
    kept: list[dict[str, Any]] = []
    for mode in ("and", "or"):
        # the passage's own text must hold a word: a title alone says nothing in the passage
        words = fts_query(terms, mode)
        match = f"text : ({words})" if " " not in words else f"({words}) AND text : ({fts_query(terms, 'or')})"
        total, bounded, ranked = _ranked(store, match, cap, sort == "relevance")
        results.total, results.bounded, results.mode = total, bounded, mode
        kept = _filter_and_fold(store, ranked, meta, per_document, since, until, kind, want_publisher, scope, sort,
                                offset + limit)
        if kept or len(terms) == 1:
            break
    results.found = len(kept)
    page = [h for h in kept[offset : offset + limit] if h["start"] is not None]
    texts = _texts(store, [h["document_id"] for h in page])
    quotes = {h["rowid"]: texts[h["document_id"]][h["start"] : h["end"]] for h in page if h["document_id"] in texts}
    marked = _highlighted(store, match, [h["rowid"] for h in page],
                          {h["rowid"]: (quotes[h["rowid"]], meta[h["document_id"]][4]) for h in page if h["rowid"] in quotes})
    for h in page:
        text = marked.get(h["rowid"])
        if text is None:
            continue
        quote = quotes.get(h["rowid"]) or store.text_slice(h["document_id"], h["start"], h["end"])
        date, doc_kind, pub, path, title = meta[h["document_id"]]
        results.hits.append(SearchHit(
            document=path, document_id=h["document_id"], title=title, date=date, start=h["start"], end=h["end"],
            quote=quote, snippet=_snippet(text), highlights=_marked_offsets(text, h["start"]),
            score=round(h["score"], 4), kind=doc_kind, publisher=pub, folded=h["folded"]))
    return results


def _filter_and_fold(store: Store, ranked: list[tuple[int, float]], meta: dict[str, Any], per_document: int,
                     since: str | None, until: str | None, kind: str | None, publisher: str | None,
                     scope: set[str] | None, sort: str, want: int) -> list[dict[str, Any]]:
    """Candidates that pass the filters, in the asked order (``MAX_FOLDED`` at most), near-duplicates
    folded among the first ``FOLD_WINDOW`` (or four times the page's end): only their text is read."""
    if not ranked:
        return []
    starts, doc_ids = _passage_documents(store)
    passing: list[dict[str, Any]] = []
    for rowid, score in ranked:
        at = bisect.bisect_right(starts, rowid) - 1
        if at < 0:
            continue
        doc_id = doc_ids[at]
        date, doc_kind, pub, _, _ = meta.get(doc_id, (None, "other", None, "", None))
        d = str(date or "")
        if (since and d[: len(since)] < since) or (until and (not d or d[: len(until)] > until)):
            continue
        if (kind and doc_kind != kind) or (publisher and publisher not in (pub or "").lower()):
            continue
        if scope is not None and doc_id not in scope:
            continue
        passing.append({"rowid": rowid, "document_id": doc_id, "start": None, "end": None, "score": score,
                        "date": date, "folded": 0})
    if sort != "relevance":
        passing.sort(key=lambda h: (str(h["date"] or ""), h["score"]), reverse=(sort == "date"))
    passing = passing[:MAX_FOLDED]
    # the text is read only as far as the page needs (with a margin): beyond it, results are counted unfolded
    window = passing[: max(FOLD_WINDOW, 4 * want)]
    spans = store.passage_spans([h["rowid"] for h in window])
    texts = _texts(store, [h["document_id"] for h in window])
    heads = {}
    for hit in window:
        hit["start"], hit["end"] = spans.get(hit["rowid"], (None, None))
        text = texts.get(hit["document_id"])
        if hit["start"] is not None and text is not None:
            heads[hit["rowid"]] = text[hit["start"] : min(hit["end"], hit["start"] + 240)]
    kept: list[dict[str, Any]] = []
    taken: dict[str, int] = {}
    seen: dict[str, dict[str, Any]] = {}
    for at, hit in enumerate(passing):
        doc_id = hit["document_id"]
        key = _fold_key(heads[hit["rowid"]]) if hit["rowid"] in heads else f"#{hit['rowid']}"
        if key in seen and seen[key]["document_id"] != doc_id:
            seen[key]["folded"] += 1
            continue
        taken[doc_id] = taken.get(doc_id, 0) + 1
        if per_document and taken[doc_id] > per_document:
            continue
        seen.setdefault(key, hit)
        kept.append(hit)
    return kept


def _highlighted(store: Store, match: str, rowids: list[int],
                 texts: dict[int, tuple[str, str | None]] | None = None) -> dict[int, str]:
    """The passages' text with matches wrapped in \\x02 ... \\x03, for one page of rows only (``texts``:
    their text and title, where known). A passage that matched on its title alone (its text says
    nothing of the words) is left out."""
    return {rowid: text for rowid, text in store.highlight_passages(match, rowids, texts).items()
            if text and "\x02" in text}


def _texts(store: Store, document_ids: list[str]) -> dict[str, str]:
    """The documents' texts, from the store's bounded cache (``TEXT_CACHE_CHARS``) or read in one query.
    The passages a search shows and folds come from a few documents that the next searches show too:
    a paragraph cut out of its document in SQL reads the whole document each time."""
    cache = getattr(store, "_search_texts", None)
    if cache is None:
        cache = store._search_texts = TextCache(TEXT_CACHE_CHARS)  # type: ignore[attr-defined]
    out: dict[str, str] = {}
    missing = []
    for doc_id in dict.fromkeys(document_ids):
        text = cache.get(doc_id)
        if text is None:
            missing.append(doc_id)
        else:
            out[doc_id] = text
    if missing:
        for doc_id, text in store.document_texts(missing).items():
            cache[doc_id] = text
            out[doc_id] = text
    return out


def _snippet(marked: str) -> str:
    """The passage with [[ ]] around matches; a long passage cut to a window around its first match."""
    if len(marked) > SNIPPET_CHARS:
        first = marked.find("\x02")
        start = max(0, first - SNIPPET_CHARS // 3)
        space = marked.rfind(" ", 0, start) if start else -1
        start = space + 1 if space > 0 and start - space < 40 else start
        end = min(len(marked), start + SNIPPET_CHARS)
        if "\x02" in marked[start:end] and marked.rfind("\x02", start, end) > marked.rfind("\x03", start, end):
            end = marked.find("\x03", end) + 1 or len(marked)  # do not cut a highlighted word
        cut = marked.rfind(" ", start, end) if end < len(marked) else end
        end = cut if cut > start + SNIPPET_CHARS // 2 else end
        marked = ("… " if start else "") + marked[start:end] + (" …" if end < len(marked) else "")
    return marked.replace("\x02", "[[").replace("\x03", "]]")


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
