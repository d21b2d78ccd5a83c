"""The data behind every page; each page's JSON twin under /api returns exactly this."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from communique.errors import CommuniqueError, QueryError
from communique.query.facts import EVENT_KINDS, timeline_of
from communique.query.search import search
from communique.web.catalog import SEARCH_SECONDS, Catalog

__all__ = ["View", "NotFound", "MAX_LIMIT"]

MAX_LIMIT = 500
MAX_PATH_CHARS = 4096  # longer than any path a file system allows
MAX_VIEW_CHARS = 400_000  # the viewer's window on a document (real documents are shorter)


class NotFound(CommuniqueError):
    status = 404


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9+]+", " ", text.lower()).strip()


def _page(items: list[Any], limit: int, offset: int) -> dict[str, Any]:
    if not 1 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 1 and {MAX_LIMIT}")
    if offset < 0:
        raise QueryError("offset must not be negative")
    return {"total": len(items), "limit": limit, "offset": offset, "items": items[offset : offset + limit]}


class View:
    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog

    def overview(self) -> dict[str, Any]:
        return self.catalog.cached("overview", self._overview)

    def _overview(self) -> dict[str, Any]:
        meetings = self.catalog.records("meetings")
        events = self.catalog.records("events")
        dated = [m for m in meetings if m.get("date")]
        latest = sorted(dated, key=lambda m: str(m["date"]), reverse=True)[:8]
        milestones = [e for e in events if e["kind"] == "relationship"][:12]
        stats = self.catalog.counts()
        from communique.web.overview_chart import period_counts

        latest_year = str(stats.get("latest_date") or "")[:4] or None
        return {"stats": {k: v for k, v in stats.items() if isinstance(v, int)},
                "earliest": stats.get("earliest_date"), "latest_document": stats.get("latest_date"),
                "latest_meetings": latest, "milestones": milestones,
                "per_year": period_counts([m["date"] for m in dated] + [e["date"] for e in events if not e.get("planned")],
                                          latest_year)}

    def timeline(self, kind: str | None = None, since: str | None = None, until: str | None = None,
                 limit: int = 200, offset: int = 0, newest_first: bool = False) -> dict[str, Any]:
        if kind and kind not in EVENT_KINDS + ("meeting",):
            raise QueryError(f"unknown kind {kind!r}")
        key = f"timeline:{kind}:{since}:{until}:{newest_first}"
        items = self.catalog.cached(key, lambda: timeline_of(self.catalog.records("meetings"), self.catalog.records("events"),
                                                             kind, since, until, newest_first))
        return _page(items, limit, offset) | {"kinds": ("meeting",) + EVENT_KINDS}

    def meetings(self, mechanism: str | None = None, year: str | None = None, sort: str = "date",
                 limit: int = 200, offset: int = 0) -> dict[str, Any]:
        items = self.catalog.records("meetings")
        if mechanism:
            want = set(_fold(mechanism).split())
            items = [m for m in items if want <= set(_fold(m["mechanism"]).split())]
        if year:
            items = [m for m in items if str(m.get("date") or "").startswith(year)]
        if sort not in ("date", "mechanism", "ordinal", "city", "country", "format"):
            raise QueryError(f"cannot sort meetings by {sort!r}")
        items = sorted(items, key=lambda m: (str(m.get(sort) if m.get(sort) is not None else "~").zfill(4) if sort == "ordinal" else str(m.get(sort) or "~")))
        mechanisms = sorted({m["mechanism"] for m in self.catalog.records("meetings")})
        return _page(items, limit, offset) | {"mechanisms": mechanisms}

    def meeting(self, meeting_id: str) -> dict[str, Any]:
        for m in self.catalog.records("meetings"):
            if m["id"] == meeting_id:
                return m
        raise NotFound(f"no meeting {meeting_id!r}")

    def events(self, kind: str | None = None, limit: int = 200, offset: int = 0) -> dict[str, Any]:
        items = [e for e in self.catalog.records("events") if not kind or e["kind"] == kind]
        return _page(items, limit, offset)

    def commitments(self, document: str | None = None, part: str = "operative", limit: int = 20,
                    offset: int = 0) -> dict[str, Any]:
        items, docs = self.catalog.cached(f"commitments:{document}:{part}", lambda: self._declarations(document, part))
        return {"total": len(items), "documents": docs[offset : offset + limit], "document_count": len(docs),
                "limit": limit, "offset": offset}

    def _declarations(self, document: str | None, part: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        items = self.catalog.records("commitments")
        if part != "all":
            items = [c for c in items if c.get("operative", True) == (part == "operative")]
        if document:
            items = [c for c in items if c["document"] == document]
        groups: dict[str, dict[str, Any]] = {}
        for c in items:
            g = groups.setdefault(c["document"], {"document": c["document"], "title": c["document_title"],
                                                  "date": c["document_date"], "sections": []})
            if not g["sections"] or g["sections"][-1]["heading"] != c["section"]:
                g["sections"].append({"heading": c["section"], "commitments": []})
            g["sections"][-1]["commitments"].append(c)
        docs = sorted(groups.values(), key=lambda g: str(g["date"] or ""), reverse=True)
        return items, docs

    def figures(self, measure: str | None = None, limit: int = 200, offset: int = 0) -> dict[str, Any]:
        items, charts = self.catalog.cached(f"figures:{measure}", lambda: self._figure_charts(measure))
        return _page(items, limit, offset) | {"charts": charts, "measures": self.catalog.cached(
            "measures", lambda: sorted({f["measure"] for f in self.catalog.records("figures")}))}

    def _figure_charts(self, measure: str | None) -> tuple[list[dict[str, Any]], dict[str, str]]:
        from communique.web.charts import figure_chart

        items = [f for f in self.catalog.records("figures") if not measure or f["measure"] == measure]
        charts = {}
        by_measure: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for f in items:
            # a chart plots one measure of one claimant in one currency, actual amounts only
            if f.get("year") and f["measure"] != "amount" and f.get("claimant") and not f.get("target") \
                    and f.get("unit") not in (None, "percent") and f.get("counted") is None and f["value"] >= 1e6:
                name = f"{f['measure']} ({f['claimant']}, {f['unit']})"
                by_measure[name].append({"year": f["year"], "value": f["value"], "unit": f["unit"]})
        for name, points in by_measure.items():
            if len({p["year"] for p in points}) < 2:
                continue  # one year is no series
            best: dict[str, dict[str, Any]] = {}
            for p in points:  # one bar per year: the largest figure stated for it
                if p["year"] not in best or p["value"] > best[p["year"]]["value"]:
                    best[p["year"]] = p
            charts[name] = figure_chart(list(best.values())[-24:])
        return items, charts

    def people(self, name: str | None = None, limit: int = 200, offset: int = 0) -> dict[str, Any]:
        items = self.catalog.records("people")
        if name:
            items = [p for p in items if _fold(name) in _fold(p["name"])]
        return _page(items, limit, offset)

    def entities(self, kind: str | None = None, limit: int = 200, offset: int = 0) -> dict[str, Any]:
        items = [e for e in self.catalog.records("entities") if not kind or e["kind"] == kind]
        kinds = sorted({e["kind"] for e in self.catalog.records("entities")})
        return _page(items, limit, offset) | {"kinds": kinds}

    def entity(self, name: str) -> dict[str, Any]:
        want = _fold(name)
        for e in self.catalog.records("entities"):
            if _fold(e["name"]) == want or any(_fold(a) == want for a in e.get("aliases", [])):
                return e
        raise NotFound(f"no entity named {name!r}")

    def search(self, q: str, limit: int = 20) -> dict[str, Any]:
        if not q.strip():
            return {"query": q, "hits": []}
        store = self.catalog.store
        with store.time_limit(SEARCH_SECONDS, "the search"):
            hits = search(store, q, limit=min(limit, 200))
        self.catalog.remember_search_state(store)
        return {"query": q, "hits": [h.as_dict() for h in hits]}

    def ask(self, q: str) -> dict[str, Any]:
        if not q.strip():
            return {"question": q, "answer": None, "citations": []}
        scope = self.catalog.scope()
        return self.catalog.ask(q, scope=scope.document_ids if scope else None)

    async def ask_async(self, q: str) -> dict[str, Any]:
        """``ask`` awaited in the event loop (the answer is worked out in the ask pool's processes)."""
        if not q.strip():
            return {"question": q, "answer": None, "citations": []}
        scope = self.catalog.scope()
        return await self.catalog.ask_async(q, scope=scope.document_ids if scope else None)

    def documents(self, limit: int = 200, offset: int = 0) -> dict[str, Any]:
        return _page(self.catalog.documents(), limit, offset)

    def document(self, path: str, start: int | None = None, end: int | None = None) -> dict[str, Any]:
        if len(path) > MAX_PATH_CHARS:
            raise NotFound(f"no document {path[:80]!r}...")
        doc = self.catalog.store.document(path)
        if doc is None:
            raise NotFound(f"no document {path!r}")
        data = doc.summary() | {"date_source": doc.date_source, "tags": doc.tags, "pages": doc.pages}
        if start is not None and end is not None:
            if not 0 <= start <= end <= len(doc.text):
                raise QueryError(f"span {start}:{end} is outside the document (0:{len(doc.text)})")
            data["span"] = {"start": start, "end": end, "quote": doc.text[start:end]}
        # a very long document is shown as a window around the cited span: bounded work per page
        a = 0 if start is None or len(doc.text) <= MAX_VIEW_CHARS else max(0, start - MAX_VIEW_CHARS // 2)
        b = min(len(doc.text), a + MAX_VIEW_CHARS)
        if start is not None and end is not None and end > b:  # a span longer than the window: shown whole
            b = end
        return data | {"text": doc.text[a:b], "text_start": a, "text_end": b}
