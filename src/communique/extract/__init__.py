"""Extract: pure functions ``Document -> list[Fact]``, one module per fact kind.

``EXTRACTORS`` lists them in the order they run; ``extract_all`` analyses the document once and
runs them all. Every fact's span lies inside ``doc.text``.
"""

from __future__ import annotations

from collections.abc import Callable

from communique.extract.analysis import Analysis
from communique.extract.commitments import extract_commitments
from communique.extract.entities import extract_mentions
from communique.extract.events import extract_events
from communique.extract.figures import extract_figures
from communique.extract.meetings import extract_meetings
from communique.extract.people import extract_people
from communique.model import Document, Fact

__all__ = ["EXTRACTORS", "extract_all", "Analysis"]

Extractor = Callable[[Document, Analysis], list[Fact]]

EXTRACTORS: tuple[Extractor, ...] = (
    extract_meetings,
    extract_events,
    extract_commitments,
    extract_figures,
    extract_people,
    extract_mentions,
)


def extract_all(doc: Document) -> list[Fact]:
    """All facts of one document."""
    analysis = Analysis(doc)
    facts: list[Fact] = []
    for extractor in EXTRACTORS:
        facts.extend(extractor(doc, analysis))
    return facts
