"""Full-text search on PostgreSQL made to behave like the SQLite index (FTS5, ``unicode61``).

- Text is indexed as FTS5 tokenises it: runs of letters and digits, diacritics folded, everything
  else a separator. ``index_text`` replaces each other character by one space (and each accented
  letter by its base letter), so the indexed string has the length of the original and every offset
  PostgreSQL reports into it is an offset into the original.
- Words are stemmed by the ``communique`` text search configuration: the Snowball English stemmer
  without a stop-word list (FTS5 with ``porter`` drops no words either).
- The query layer writes FTS5 expressions (``"asean rok" AND ("summit" OR "dialogue")``);
  ``to_tsquery_text`` turns that subset into a ``to_tsquery`` string.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from communique.errors import QueryError

__all__ = ["CONFIG", "index_text", "to_tsquery_text", "parse_match", "START_MARK", "STOP_MARK", "marks_to_text"]

CONFIG = "communique"
START_MARK, STOP_MARK = "\x02", "\x03"

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
_TOKEN = re.compile(r'\s*(?:(?P<phrase>"(?:[^"]|"")*")|(?P<op>\bAND\b|\bOR\b|\bNOT\b)|(?P<paren>[()])|(?P<bare>[^\s()"]+))')


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
        elif m.group("op"):
            out.append(("op", m.group("op")))
        elif m.group("paren"):
            out.append(("paren", m.group("paren")))
        else:
            out.append(("phrase", m.group("bare")))
    return out


def _phrase(words: str) -> str | None:
    terms = index_text(words).lower().split()
    if not terms:
        return None
    return "(" + " <-> ".join(f"'{t}'" for t in terms) + ")"


class _Parser:
    """or := and (OR and)* ; and := unary ((AND | NOT)? unary)* ; unary := phrase | ( or )."""

    def __init__(self, tokens: list[tuple[str, str]]) -> None:
        self.tokens = tokens
        self.at = 0
        self.phrases: list[str] = []  # every phrase of the expression, as a tsquery: BM25 scores each

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
        if token == ("paren", "("):
            inner = self.parse_or()
            if self.peek() != ("paren", ")"):
                raise QueryError("unbalanced parentheses in the search expression")
            self.take()
            return inner
        if token[0] != "phrase":
            raise QueryError(f"unexpected {token[1]!r} in the search expression")
        phrase = _phrase(token[1])
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
