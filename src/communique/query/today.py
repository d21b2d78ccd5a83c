"""A relative date ("today") is read in its document: the document's date answers it, so the
document, not the one sentence, must be about what the question names.

"Today, with Prime Minister Trudeau visiting Washington D.C., I am pleased to announce that our
countries have reached agreement in principle ..." names neither state of "when did the U.S. and
Canada reach an agreement"; the statement it opens names Canada six times. The reader's hard names
constraint (``k_names_miss``: a state, body or person the question names is in neither the sentence
nor its title) would drop its "Today"; ``document_names`` lets such a date through when the
document names every missing one at least ``MENTIONS`` times.
"""

from __future__ import annotations

from typing import Any, Callable

from communique.query.matching import GENERIC
from communique.query.question import Question

__all__ = ["MENTIONS", "document_names"]

MENTIONS = 2  # a document that names a state this often is about it (one mention is in passing)
_APOSTROPHE = str.maketrans({"’": "'", "‘": "'"})
_NOT_REQUIRED = frozenset({"seat", "title", "place"})  # as constraints.k_names_miss: places never required


def document_names(q: Question, candidate: Any, features: dict[str, float], text_of: Callable[[str], str]) -> bool:
    """Whether a relative date whose sentence misses a name the question gives (and nothing else that
    excludes it) stands in a document that names each of those ``MENTIONS`` times or more."""
    from communique.extract.gazetteer import gazetteer
    from communique.query.constraints import HARD

    if "DATE_REL" not in candidate.labels or any(features.get(k) for k in HARD if k != "k_names_miss"):
        return False
    s = candidate.sentence
    g = gazetteer()
    local = (s.text + "\n" + (s.title or "")).translate(_APOSTROPHE)
    document = None
    for e in q.entities:
        if e.name in GENERIC or e.kind in _NOT_REQUIRED:
            continue
        aliases = [a.translate(_APOSTROPHE) for a in g.entity_aliases.get(e.name, [e.surface]) + [e.surface] if a]
        if any(a in local for a in aliases):
            continue
        if document is None:
            document = (text_of(s.document) or "").translate(_APOSTROPHE)
        if sum(document.count(a) for a in dict.fromkeys(aliases)) < MENTIONS:
            return False
    return True
