"""Extract: pure functions ``Document -> list[Fact]``, one module per fact kind.

``EXTRACTORS`` lists them in the order they run; ``extract_all`` runs them all on one document.
"""

from __future__ import annotations

from collections.abc import Callable

from communique.model import Document, Fact

__all__ = ["EXTRACTORS", "extract_all"]

Extractor = Callable[[Document], list[Fact]]


def _extractors() -> tuple[Extractor, ...]:
    return ()


EXTRACTORS: tuple[Extractor, ...] = _extractors()


def extract_all(doc: Document) -> list[Fact]:
    """All facts of one document, every fact's span inside ``doc.text``."""
    facts: list[Fact] = []
    for extractor in EXTRACTORS:
        facts.extend(extractor(doc))
    return facts
