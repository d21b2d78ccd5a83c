"""Extract: pure functions ``Document -> list[Fact]``, one module per fact kind.

``EXTRACTORS`` lists them in the order they run; ``extract_all`` analyses the document once and
runs them all. Every fact's span lies inside ``doc.text``.
"""

from __future__ import annotations

from collections.abc import Callable

from communique.extract.analysis import Analysis
from communique.extract.commitments import extract_commitments
from communique.extract.encounters import extract_encounters
from communique.extract.entities import extract_mentions
from communique.extract.events import extract_events
from communique.extract.figures import extract_figures
from communique.extract.meetings import extract_meetings
from communique.extract.people import extract_people
from communique.model import Document, Fact

__all__ = ["EXTRACTORS", "extract_all", "Analysis", "warm"]

Extractor = Callable[[Document, Analysis], list[Fact]]

EXTRACTORS: tuple[Extractor, ...] = (
    extract_meetings,
    extract_encounters,
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


def warm() -> None:
    """Build every automaton and grammar now (about 0.2 s). A parent process that calls this before
    it forks its workers builds them once, and the workers share them instead of each building its own."""
    from communique.dates import _calendar
    from communique.extract.leaders import leader_grammar as _encounter_grammar
    from communique.extract.commitments import _vocab
    from communique.extract.events import _vocabulary
    from communique.extract.figures import _patterns
    from communique.extract.gazetteer import gazetteer
    from communique.extract.mechanisms import _grammar
    from communique.extract.people import _title_name_pattern
    from communique.ingest.clean import _rules
    from communique.ingest.metadata import _publishers
    from communique.keywords import _automaton

    for build in (_calendar, _encounter_grammar, _vocab, _vocabulary, _patterns, gazetteer, _grammar, _title_name_pattern, _rules,
                  _publishers, _automaton):
        build()
