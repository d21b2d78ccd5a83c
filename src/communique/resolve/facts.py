"""Commitments (one record per clause) and figures (one record per figure across documents)."""

from __future__ import annotations

import re
from collections import defaultdict
from functools import lru_cache
from typing import Any

from communique.resolve.common import load_facts, record_id, source
from communique.store import Store

__all__ = ["resolve_commitments", "resolve_figures"]

_STOP = frozenset("the and of for to in on with a an by through including its their our".split())


def resolve_commitments(store: Store, follow_up_limit: int = 5) -> list[dict[str, Any]]:
    """Every clause, with later documents that name the same institutions, funds or programmes.

    A clause's id is a hash of its document's text identity (title and date) and of the clause's
    own text, so it survives a rebuild, an edit elsewhere in the document and a renamed file."""
    facts = load_facts(store, "commitment")
    mentions = _named_mentions(store)
    occurrence: dict[tuple[str, str, str], int] = defaultdict(int)
    records = []
    for f in facts:
        v = f.value
        record = {
            "document": f.path, "document_title": v.get("document_title") or f.title, "document_date": f.doc_date,
            "number": v.get("number"), "position": v.get("position"), "section": v.get("section"),
            "text": v["text"], "operative": v.get("operative", True), "sources": [source(f)], "follow_ups": [],
        }
        clause_end = f.end
        names = [m for m in mentions.get(f.document_id, []) if f.start <= m[1] < clause_end]
        seen_docs = set()
        for name, _, _ in names:
            for other in mentions.get(("by-name", name), []):
                doc_id, start, end, path, title, date, quote = other
                if doc_id == f.document_id or (f.doc_date and date and str(date) < str(f.doc_date)):
                    continue
                if (doc_id, start) in seen_docs or len(record["follow_ups"]) >= follow_up_limit:
                    continue
                seen_docs.add((doc_id, start))
                record["follow_ups"].append({"entity": name, "document": path, "title": title, "date": date,
                                             "start": start, "end": end, "quote": quote})
        identity = (_fold(record["document_title"]), str(f.doc_date or ""), _fold(v["text"]))
        occurrence[identity] += 1  # the same clause twice in one document: its first, second ...
        record["id"] = record_id("commitment", *identity, occurrence[identity])
        records.append(record)
    records.sort(key=lambda r: (str(r["document_date"] or ""), r["document"], r["position"] or 0, r["number"] or ""))
    return records


@lru_cache(maxsize=1 << 16)  # measures and titles repeat across thousands of facts
def _fold(text: str | None) -> str:
    """Text as identity: case and runs of spaces and punctuation do not count."""
    return re.sub(r"\W+", " ", text or "").strip().lower()


def _named_mentions(store: Store) -> dict[Any, list[Any]]:
    """Mentions of specific named things (not states or places) by document and by name."""
    index: dict[Any, list[Any]] = defaultdict(list)
    rows = store.named_mentions(("institution", "fund", "programme", "policy", "document"))
    for r in rows:
        index[r["document_id"]].append((r["name"], r["start"], r["end"]))
        # cite the sentence around a follow-up mention, not the bare name
        index[("by-name", r["name"])].append((r["document_id"], r["start"], r["end"], r["path"], r["title"], r["date"], r["quote"]))
    return index


def resolve_figures(store: Store) -> list[dict[str, Any]]:
    """One record per figure: the same amount of the same thing, year, claimant and status reported
    by several documents is one record with all its sources; each source quotes the sentence."""
    records: dict[tuple[Any, ...], dict[str, Any]] = {}
    cited: dict[tuple[Any, ...], set[tuple[str, int]]] = {}  # each record's (document, start) already cited
    for f in load_facts(store, "figure"):
        v = dict(f.value)
        start, end = v.pop("sentence", None) or (f.start, f.end)
        quote = v.pop("quote", None) or f.quote
        cite = source(f, start, end, quote) | {"amount": {"start": f.start, "end": f.end, "surface": v.get("surface")}}
        key = (v.get("unit"), round(float(v["value"]), 2), v.get("year"), v.get("period"), v.get("claimant"),
               _fold(v.get("measured")) or v.get("measure"), bool(v.get("target")))
        record = records.get(key)
        at = (cite["document"], cite["start"])
        if record is None:
            v["sources"] = [cite]
            v["id"] = record_id("figure", *key)
            v["date"] = v.get("year") or (v.get("period") or "").split("/")[0] or None
            records[key] = v
            cited[key] = {at}
        elif at not in cited[key]:
            record["sources"].append(cite)
            cited[key].add(at)
    out = list(records.values())
    out.sort(key=lambda r: (r["measure"], str(r.get("date") or ""), r["value"]))
    return out
