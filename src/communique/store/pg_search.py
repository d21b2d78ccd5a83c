"""Full-text search on PostgreSQL made to behave like the SQLite index (FTS5, ``unicode61``).

- Text is indexed as FTS5 tokenises it: runs of letters and digits, diacritics folded, everything
  else a separator. ``index_text`` replaces each other character by one space (and each accented
  letter by its base letter), so the indexed string has the length of the original and every offset
  PostgreSQL reports into it is an offset into the original.
- Words are stemmed by the ``communique`` text search configuration: the Snowball English stemmer
  without a stop-word list (FTS5 with ``porter`` drops no words either).
- The query layer writes FTS5 expressions (``"asean rok" AND ("summit" OR "dialogue")``);
  ``to_tsquery_text`` turns that subset into a ``to_tsquery`` string.
- Paragraphs are ranked by the BM25 that FTS5 computes (``search_passages``), from each paragraph's
  number of words (``passages.tokens``) and each phrase's number of matching paragraphs, so that a
  search returns the same passages in the same order, with the same scores, on both backends.
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from typing import Any

from communique.errors import QueryError

__all__ = ["CONFIG", "index_text", "to_tsquery_text", "parse_match", "marks_to_text", "search_passages", "headlines"]

CONFIG = "communique"
START_MARK, STOP_MARK = "\x02", "\x03"
_HEADLINE = f'HighlightAll=true, StartSel="{START_MARK}", StopSel="{STOP_MARK}"'

_SEPARATOR = re.compile(r"[\W_]", re.UNICODE)  # one character at a time: lengths stay the same
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """An accented letter's base letter ('é' -> 'e'); any other character as it is."""
    decomposed = unicodedata.normalize("NFKD", ch)
    if len(decomposed) > 1 and decomposed[0].isalnum() and all(unicodedata.combining(c) for c in decomposed[1:]):
        return decomposed[0]
    return ch


def index_text(text: str) -> str:
    """``text`` as the index sees it: same length, separators as spaces, diacritics folded."""
    text = _SEPARATOR.sub(" ", text)
    return _NON_ASCII.sub(lambda m: _fold(m.group()), text) if not text.isascii() else text


# -- FTS5 expressions -> tsquery -----------------------------------------------------------------
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"(?:[^"]|"")*")|(?P<column>\b(?:text|title)\s*:)|(?P<op>\bAND\b|\bOR\b|\bNOT\b)'
                    r'|(?P<paren>[()])|(?P<bare>[^\s()":]+))')
_WEIGHT = {"text": "A", "title": "B"}  # a column filter (``text : ...``) is a weight in the tsvector


def _tokens(match: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    pos = 0
    while pos < len(match):
        if match[pos:].strip() == "":
            break
        m = _TOKEN.match(match, pos)
        if m is None:
            raise QueryError(f"cannot read the search expression near {match[pos:pos + 20]!r}")
        pos = m.end()
        if m.group("phrase"):
            out.append(("phrase", m.group("phrase")[1:-1].replace('""', '"')))
        elif m.group("column"):
            out.append(("column", m.group("column").rstrip(": \t")))
        elif m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("paren"):
            out.append(("paren", m.group("paren")))
        else:
            out.append(("phrase", m.group("bare")))
    return out


def _phrase(words: str, weight: str = "") -> str | None:
    terms = index_text(words).lower().split()
    if not terms:
        return None
    return "(" + " <-> ".join(f"'{t}'" + (f":{weight}" if weight else "") for t in terms) + ")"


class _Parser:
    """or := and (OR and)* ; and := unary ((AND | NOT)? unary)* ; unary := phrase | ( or )."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.phrases: list[str] = []  # every phrase of the expression, as a tsquery: BM25 scores each
        self.weight = ""  # inside a column filter: the weight its phrases must have

    def peek(self) -> tuple[str, str] | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def take(self) -> tuple[str, str]:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def parse_or(self) -> str | None:
        parts = [self.parse_and()]
        while self.peek() == ("op", "OR"):
            self.take()
            parts.append(self.parse_and())
        kept = [p for p in parts if p]
        return None if not kept else kept[0] if len(kept) == 1 else "(" + " | ".join(kept) + ")"

    def parse_and(self) -> str | None:
        parts: list[str] = []
        negated: list[str] = []
        first = self.parse_unary()
        if first:
            parts.append(first)
        while (token := self.peek()) is not None and token not in (("op", "OR"), ("paren", ")")):
            negate = False
            if token[0] == "op":
                self.take()
                negate = token[1] == "NOT"
            operand = self.parse_unary()
            if operand:
                (negated if negate else parts).append(operand)
        if not parts:
            return None  # FTS5 matches nothing for an empty phrase; NOT alone is not a query either
        return "(" + " & ".join(parts + [f"!{n}" for n in negated]) + ")"

    def parse_unary(self) -> str | None:
        token = self.take() if self.peek() is not None else None
        if token is None:
            raise QueryError("the search expression ends too early")
        if token[0] == "column":
            outer, self.weight = self.weight, _WEIGHT[token[1]]
            try:
                return self.parse_unary()
            finally:
                self.weight = outer
        if token == ("paren", "("):
            inner = self.parse_or()
            if self.peek() != ("paren", ")"):
                raise QueryError("unbalanced parentheses in the search expression")
            self.take()
            return inner
        if token[0] != "phrase":
            raise QueryError(f"unexpected {token[1]!r} in the search expression")
        phrase = _phrase(token[1], self.weight)
        if phrase:
            self.phrases.append(phrase)
        return phrase


def parse_match(match: str) -> tuple[str | None, list[str]]:
    """The ``to_tsquery`` text of an FTS5 expression (None when it can match nothing) and its phrases.

    Raises:
        QueryError: the expression is not of the subset the query layer writes.
    """
    parser = _Parser(_tokens(match))
    out = parser.parse_or()
    if parser.peek() is not None:
        raise QueryError("unbalanced parentheses in the search expression")
    return out, parser.phrases


def to_tsquery_text(match: str) -> str | None:
    """The ``to_tsquery`` text of an FTS5 expression, or None when it can match nothing."""
    return parse_match(match)[0]


def marks_to_text(original: str, headline: str) -> str:
    """Put the marks that ``ts_headline`` set in the indexed text into the original text.

    The indexed text has the original's length, so the characters between the marks map one to one."""
    out: list[str] = []
    plain = 0
    for ch in headline:
        if ch in (START_MARK, STOP_MARK):
            out.append(ch)
        else:
            out.append(original[plain] if plain < len(original) else "")
            plain += 1
    return "".join(out)


# -- BM25 as FTS5 computes it ------------------------------------------------------------------
def search_passages(  # the PostgresStore verb of that name
    store: Any, match: str, limit: int, *, title_weight: float = 1.0, highlight: bool = False,
    after: str | None = None, except_path: str | None = None, since_id: int = 0, ids_only: bool = False,
) -> list[dict[str, Any]]:
    """Ranked by BM25 as FTS5 ranks (k1 = 1.2, b = 0.75, IDF floored at 1e-6), each phrase of the
    expression a term; a phrase's frequency in a paragraph is that of its rarest word there (in the
    paragraph's own words only, for a phrase under ``text :``). ``ids_only``: rows of id and score."""
    query, phrases = parse_match(match)
    if query is None:
        return []
    rows_total, avg_tokens, stats = _phrase_stats(store, phrases)
    lexemes = [(i, lexeme) for i, (words, _) in enumerate(stats) for lexeme in words]
    weights = [0.0 if ":A" in phrase else title_weight for phrase in phrases]
    documents = after is not None or except_path is not None
    cand = ("""SELECT p.id, p.tokens, p.tsv FROM passages p JOIN documents d ON d.id = p.document_id, q
               WHERE p.tsv @@ q.q AND p.id >= %(since)s AND (%(after)s::text IS NULL OR d.date > %(after)s)
                 AND (%(except)s::text IS NULL OR d.path != %(except)s)""" if documents else
            "SELECT p.id, p.tokens, p.tsv FROM passages p, q WHERE p.tsv @@ q.q AND p.id >= %(since)s")
    last = ("SELECT r.id, r.score FROM ranked r ORDER BY r.score DESC, r.id" if ids_only else
            """SELECT p.id, p.document_id, p.start, p."end", d.path, d.title, d.date,
                   substr(d.text, p.start + 1, p."end" - p.start) AS text, r.score
            FROM ranked r JOIN passages p ON p.id = r.id JOIN documents d ON d.id = p.document_id
            ORDER BY r.score DESC, r.id""")
    rows = store.db.execute(
        f"""WITH q AS (SELECT to_tsquery('{CONFIG}', %(query)s) AS q),
            cand AS ({cand}),
            terms AS (SELECT * FROM unnest(%(phrase)s::int[], %(lexeme)s::text[]) AS t(phrase, lexeme)),
            phrases AS (SELECT * FROM unnest(%(pid)s::int[], %(size)s::int[], %(idf)s::float8[], %(tw)s::float8[])
                        AS ph(phrase, size, idf, tw)),
            freq AS (SELECT c.id, c.tokens, t.phrase, min(
                         (SELECT count(*) FILTER (WHERE w = 'A') + ph.tw * count(*) FILTER (WHERE w = 'B')
                          FROM unnest(u.weights) w)) AS f, count(*) AS present
                     FROM cand c CROSS JOIN LATERAL unnest(c.tsv) u JOIN terms t ON t.lexeme = u.lexeme
                     JOIN phrases ph ON ph.phrase = t.phrase
                     GROUP BY c.id, c.tokens, t.phrase),
            scored AS (SELECT f.id, SUM(ph.idf * f.f * 2.2 / (f.f + 1.2 * (0.25 + 0.75 * f.tokens / %(avg)s)))
                              AS score
                       FROM freq f JOIN phrases ph ON ph.phrase = f.phrase AND f.present = ph.size
                       GROUP BY f.id),
            ranked AS (SELECT c.id, COALESCE(s.score, 0) AS score FROM cand c LEFT JOIN scored s ON s.id = c.id
                       ORDER BY score DESC, c.id LIMIT %(limit)s)
            {last}""",
        {"query": query, "phrase": [i for i, _ in lexemes], "lexeme": [x for _, x in lexemes],
         "pid": list(range(len(stats))), "size": [len(words) for words, _ in stats],
         "idf": [_idf(rows_total, df) for _, df in stats], "tw": weights,
         "avg": avg_tokens or 1.0, "limit": limit, "since": since_id, "after": after, "except": except_path},
    ).fetchall()
    if highlight and rows and not ids_only:
        for r, marked in zip(rows, headlines(store, query, [r["text"] for r in rows])):
            r["marked"] = marked
    for r in rows:
        r["score"] = float(r["score"])
    return rows


def headlines(store: Any, query: str, texts: list[str]) -> list[str]:
    """Each text with the words of a tsquery between the marks, as FTS5's ``highlight`` marks them."""
    query = query.replace(":A", "").replace(":B", "")  # a column's weight: the text is of that column
    marked = store.db.execute(
        f"""SELECT ts_headline('{CONFIG}', t, to_tsquery('{CONFIG}', %s), %s) AS h
            FROM unnest(%s::text[]) WITH ORDINALITY AS u(t, i) ORDER BY i""",
        (query, _HEADLINE, [index_text(t) for t in texts]),
    ).fetchall()
    return [marks_to_text(t, m["h"]) for t, m in zip(texts, marked)]


def _phrase_stats(store: Any, phrases: list[str]) -> tuple[int, float, list[tuple[list[str], int]]]:
    """Paragraphs in all, their mean length in words, and each phrase's lexemes and paragraph count."""
    stamp = store.stamp()
    if "stamp" not in store._bm25 or store._bm25["stamp"] != stamp:  # a build's store has no stamp yet: None
        row = store.db.execute("SELECT COUNT(*) AS n, COALESCE(AVG(tokens), 0) AS avg FROM passages").fetchone()
        store._bm25 = {"stamp": stamp, "rows": row["n"], "avg": float(row["avg"]), "phrases": {}}
    known = store._bm25["phrases"]
    for phrase in set(phrases) - set(known):
        words = " ".join(re.findall(r"'([^']*)'", phrase))
        row = store.db.execute(
            f"""SELECT (SELECT array_agg(lexeme) FROM unnest(to_tsvector('{CONFIG}', %s))) AS lexemes,
                       (SELECT COUNT(*) FROM passages WHERE tsv @@ to_tsquery('{CONFIG}', %s)) AS df""",
            (words, phrase),
        ).fetchone()
        known[phrase] = (row["lexemes"] or [], row["df"])
    store._end_read()
    return store._bm25["rows"], store._bm25["avg"], [known[p] for p in phrases]


def _idf(rows: int, df: int) -> float:
    idf = math.log((rows - df + 0.5) / (df + 0.5))
    return idf if idf > 0 else 1e-6
