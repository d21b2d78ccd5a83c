"""Full-text search restricted to some documents, by the rowid ranges of their paragraphs.

A paragraph's rowid in ``passages_fts`` is its ``passages.id``, and a build writes the paragraphs of
one document under consecutive ids. A search in a set of documents (those dated in the month a
question names: a few hundred of 14,000) can therefore test each match's rowid against a few ranges
instead of joining every match of the whole index to ``passages`` to read its document (about 40 ms
a question on the whole wh-briefings corpus; the ranges: about 18 ms). The ranges are read once per
connection and read again after any write to the knowledge base; a document whose paragraphs are not
consecutive (a knowledge base written otherwise) leaves the search to the join.
"""

from __future__ import annotations

import sqlite3
from typing import Any, Iterable

__all__ = ["PassageRanges", "MAX_BLOCKS"]

MAX_BLOCKS = 64  # more rowid ranges than this: the join (an OR of hundreds of ranges tests slower)


class PassageRanges:
    """The first and last paragraph id of each document of one connection's knowledge base."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db
        self._ranges: dict[str, tuple[int, int] | None] = {}
        self._version: tuple[int, int] | None = None

    def _current(self) -> dict[str, tuple[int, int] | None]:
        version = (int(self.db.execute("PRAGMA data_version").fetchone()[0]), self.db.total_changes)
        if version != self._version:
            ranges: dict[str, tuple[int, int] | None] = {}
            for document, first, last, count in self.db.execute(
                    "SELECT document_id, min(id), max(id), count(*) FROM passages GROUP BY document_id"):
                ranges[document] = (first, last) if last - first + 1 == count else None
            self._ranges, self._version = ranges, version
        return self._ranges

    def blocks(self, ids: Iterable[str]) -> list[tuple[int, int]] | None:
        """The rowid ranges holding exactly the paragraphs of these documents, neighbours merged;
        None where one document's paragraphs are not consecutive or the ranges are too many."""
        ranges = self._current()
        spans = []
        for document in set(ids):
            if document not in ranges:
                continue  # no paragraphs (or no such document): nothing of it can match
            span = ranges[document]
            if span is None:
                return None
            spans.append(span)
        merged: list[list[int]] = []
        for first, last in sorted(spans):
            if merged and first == merged[-1][1] + 1:
                merged[-1][1] = last
            else:
                merged.append([first, last])
        return [(a, b) for a, b in merged] if len(merged) <= MAX_BLOCKS else None

    def where(self, blocks: list[tuple[int, int]]) -> tuple[str, list[Any]]:
        """The SQL condition on ``rowid`` that the blocks make, and its arguments."""
        return " OR ".join("rowid BETWEEN ? AND ?" for _ in blocks), [x for block in blocks for x in block]
