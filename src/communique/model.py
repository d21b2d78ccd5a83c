"""The data model: documents, passages and the facts extracted from them.

Every fact points back into ``Document.text`` with a half-open ``Span``; the invariant
``document.text[span.start:span.end] == quote`` holds for every stored fact and passage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

__all__ = ["Span", "Passage", "Document", "Fact"]


@dataclass(frozen=True, slots=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's clean text."""

    start: int
    end: int

    def quote(self, text: str) -> str:
        return text[self.start : self.end]


class Passage(NamedTuple):
    """A paragraph or sentence of a document, located by its offsets (a tuple: cheap to make)."""

    kind: str  # "paragraph" | "sentence"
    seq: int
    start: int
    end: int
    paragraph: int  # sequence number of the enclosing paragraph (itself for a paragraph)


@dataclass(slots=True)
class Document:
    """One ingested file: clean text plus metadata.

    ``id`` is a hash of the raw bytes; ``text_hash`` a hash of the normalised text, used to
    recognise the same document saved twice.
    """

    id: str
    path: str  # relative to the folder the build started from
    text: str
    text_hash: str
    format: str  # txt | md | html | pdf
    encoding: str
    size: int
    title: str | None = None
    publisher: str | None = None
    date: str | None = None  # ISO 8601 at the precision stated
    date_source: str | None = None  # where the date came from: metadata, dateline, ...
    url: str | None = None
    kind: str = "other"  # joint_statement | declaration | readout | fact_sheet | ... (ingest.kind)
    tags: list[str] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)  # PDF: (page number, start offset)
    passages: list[Passage] = field(default_factory=list)

    def metadata(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "publisher": self.publisher,
            "date": self.date,
            "date_source": self.date_source,
            "url": self.url,
            "kind": self.kind,
            "tags": self.tags,
        }


@dataclass(slots=True)
class Fact:
    """One extracted fact with its evidence.

    ``kind`` is the fact kind (meeting, event, commitment, figure, role, mention);
    ``value`` the normalised record, a JSON-able dict; ``start``/``end`` the evidence span.
    """

    kind: str
    value: dict[str, Any]
    start: int
    end: int
    extractor: str
