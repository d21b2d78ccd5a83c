"""Entity mentions: where each known state, organisation, institution, fund, policy or document is
named. At most a few mentions per entity and document are kept: enough to cite, not a concordance.
"""

from __future__ import annotations

from communique.extract.analysis import Analysis
from communique.model import Document, Fact

__all__ = ["extract_mentions", "MENTIONS_PER_DOCUMENT"]

MENTIONS_PER_DOCUMENT = 3
_KINDS = frozenset({"state", "organisation", "institution", "fund", "policy", "document", "programme", "mechanism", "place"})


def extract_mentions(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    analysis = analysis or Analysis(doc)
    counts: dict[str, int] = {}
    facts: list[Fact] = []
    for ent in analysis.entities:
        if ent.kind not in _KINDS:
            continue
        n = counts.get(ent.name, 0)
        counts[ent.name] = n + 1
        if n < MENTIONS_PER_DOCUMENT:
            facts.append(Fact("mention", {"name": ent.name, "kind": ent.kind}, ent.start, ent.end, "entities.gazetteer"))
    for name, n in counts.items():  # the count of all mentions rides on the first one
        for fact in facts:
            if fact.value["name"] == name:
                fact.value["count"] = n
                break
    return facts
