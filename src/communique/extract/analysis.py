"""What every extractor needs to know about one document, computed once.

``Analysis`` holds the document's sentences, paragraphs, dates, gazetteer mentions, mechanism
mentions and year-led table rows, with fast lookups by offset.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Sequence, TypeVar

from communique.dates import DateMention, find_dates
from communique.extract.gazetteer import EntityMention, gazetteer
from communique.extract.mechanisms import MechanismMention, find_mechanisms
from communique.keywords import scan
from communique.model import Document

__all__ = ["Analysis", "Row"]

T = TypeVar("T", DateMention, EntityMention, MechanismMention)

_ROW_YEAR = re.compile(r"((?:19|20)\d\d)\s+(?=\S)")  # used with match(): anchored at pos


@dataclass(frozen=True, slots=True)
class Row:
    """A line of a year-led table ("2016 18th ASEAN-ROK Summit in Vientiane")."""

    start: int  # start of the line
    end: int
    year: int
    body_start: int  # where the text after the year begins
    continued: bool  # a line without its own year, under the previous year


class Analysis:
    """Offsets-indexed views of one document."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._starts: dict[int, list[int]] = {}
        text = doc.text
        self.text = text
        self.sentences = [(p.start, p.end) for p in doc.passages if p.kind == "sentence"]
        self.paragraphs = [(p.start, p.end) for p in doc.passages if p.kind == "paragraph"]
        self._sentence_starts = [s for s, _ in self.sentences]
        self._paragraph_starts = [s for s, _ in self.paragraphs]
        self.hits = scan(text)
        self.dates = find_dates(text, reference=doc.date, starts=self.hits.date)
        self.entities = gazetteer().find(text)
        self.mechanisms = find_mechanisms(text, hints=self.hits.meeting)
        self.rows = self._table_rows()
        self._row_starts = [r.start for r in self.rows]

    @property
    def folded(self) -> str:
        """The text lower-cased as ``re.IGNORECASE`` compares it (same offsets), made once."""
        folded = self.__dict__.get("_folded")
        if folded is None:
            from communique.extract.prefilter import fold_like_re

            folded = self.__dict__["_folded"] = fold_like_re(self.text)
        return folded

    # -- lookups -------------------------------------------------------------------------------
    def within(self, items: Sequence[T], start: int, end: int) -> list[T]:
        """Items (sorted by start) lying wholly inside ``[start, end)``."""
        key = id(items)
        starts = self._starts.get(key)
        if starts is None or len(starts) != len(items):
            starts = self._starts[key] = [i.start for i in items]
        lo = bisect_left(starts, start)
        hi = bisect_right(starts, end)
        return [i for i in items[lo:hi] if i.end <= end]

    def sentence_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._sentence_starts, offset) - 1
        if i >= 0 and self.sentences[i][0] <= offset < self.sentences[i][1] + 1:
            return self.sentences[i]
        return self.paragraph_at(offset)

    def paragraph_at(self, offset: int) -> tuple[int, int]:
        i = bisect_right(self._paragraph_starts, offset) - 1
        if i >= 0:
            return self.paragraphs[i]
        return (0, len(self.text))

    def paragraph_index(self, offset: int) -> int:
        return bisect_right(self._paragraph_starts, offset) - 1

    def row_at(self, offset: int) -> Row | None:
        i = bisect_right(self._row_starts, offset) - 1
        if i >= 0 and self.rows[i].start <= offset < self.rows[i].end:
            return self.rows[i]
        return None

    # -- tables -------------------------------------------------------------------------------
    def _table_rows(self) -> list[Row]:
        """Year-led rows: runs of lines in one block where at least two lines open with a year.

        A line without a year inside such a run (and short, not prose) continues the row above.
        """
        rows: list[Row] = []
        text = self.text
        for block_start, block in _blocks(text):
            if block.startswith(("19", "20")) + block.count("\n19") + block.count("\n20") < 2:
                continue  # fewer than two lines open with a year
            lines: list[tuple[int, int]] = []
            pos = block_start
            for line in block.split("\n"):
                lines.append((pos, pos + len(line)))
                pos += len(line) + 1
            led = [_ROW_YEAR.match(text, s, e) for s, e in lines]
            if sum(1 for m in led if m) < 2:
                continue
            year: int | None = None
            for (s, e), m in zip(lines, led):
                if m:
                    year = int(m.group(1))
                    rows.append(Row(s, e, year, m.end(), False))
                elif year is not None and e - s < 160 and not text[s:e].rstrip().endswith("."):
                    rows.append(Row(s, e, year, s, True))
                else:
                    year = None
        return rows


def _blocks(text: str) -> list[tuple[int, str]]:
    out = []
    pos = 0
    for block in text.split("\n\n"):
        out.append((pos, block))
        pos += len(block) + 2
    return out
