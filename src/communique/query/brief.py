"""The briefing pack: what happened since the last meeting of a mechanism, and what is due.

``make_brief`` gathers, for one partnership (and optionally one mechanism of it):

- the last meeting held: date, venue, format, co-chairs, participants, documents adopted;
- the commitments of the partnership's documents made there and earlier, each with its follow-ups
  and status (``communique.resolve.followups``);
- the meetings and milestones since a date (the last meeting, or ``since``) and meetings ahead;
- the latest figures of each measure with their trend;
- the people attested in the partnership's roles, latest first;
- the documents published since.

Every statement is a ``Line``: a sentence made only of values read from records, and the sources
that state them (each widened to its whole sentence). A value no source states is left out rather
than said. Rendering (Markdown, HTML, DOCX) is ``communique.query.brief_render``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from communique.errors import QueryError
from communique.ingest.passages import sentence_spans
from communique.query.partnership import Partnership, parse_partnership, scope_of, scope_meetings, scope_records
from communique.store import Store

__all__ = ["Line", "Section", "Brief", "make_brief", "MAX_COMMITMENTS"]

MAX_COMMITMENTS = 60
MAX_ITEMS = 40


@dataclass(slots=True)
class Line:
    text: str
    sources: list[dict[str, Any]]  # each {"document", "title", "date", "start", "end", "quote"}
    label: str | None = None  # a short tag shown before the sentence (a status, a date)
    children: list["Line"] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "label": self.label, "sources": self.sources,
                "children": [c.as_dict() for c in self.children]}


@dataclass(slots=True)
class Section:
    key: str
    heading: str
    lines: list[Line] = field(default_factory=list)
    empty: str = ""  # what the section says when it has no line (about the knowledge base, not the world)

    def as_dict(self) -> dict[str, Any]:
        return {"key": self.key, "heading": self.heading, "empty": self.empty, "lines": [x.as_dict() for x in self.lines]}


@dataclass(slots=True)
class Brief:
    partnership: Partnership
    mechanism: str | None
    since: str | None
    title: str
    sections: list[Section]

    def as_dict(self) -> dict[str, Any]:
        return {"partnership": self.partnership.as_dict(), "mechanism": self.mechanism, "since": self.since,
                "title": self.title, "sections": [s.as_dict() for s in self.sections]}

    def lines(self) -> list[Line]:
        out: list[Line] = []
        for s in self.sections:
            for line in s.lines:
                out.append(line)
                out.extend(line.children)
        return out


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9+]+", " ", text.lower().replace("’", "'")).strip()


def _ordinal(n: int | None) -> str:
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


class _Citer:
    """Widens a source span to its sentence and picks, among a record's sources, one that states a value."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._texts: dict[str, str] = {}

    def text(self, path: str) -> str:
        if path not in self._texts:
            self._texts[path] = self.store.text_at(path) or ""
        return self._texts[path]

    def sentence(self, src: dict[str, Any]) -> dict[str, Any]:
        text = self.text(src["document"])
        start, end = int(src["start"]), int(src["end"])
        row = self.store.paragraph_at(src["document"], start, end)
        if row:
            spans = [(a, b) for a, b in sentence_spans(text, row[0], row[1]) if a <= start < b or a < end <= b]
            if spans:
                start, end = min(start, spans[0][0]), max(end, spans[-1][1])
        return {"document": src["document"], "title": src.get("title"), "date": src.get("date"),
                "start": start, "end": end, "quote": text[start:end]}

    def stating(self, sources: list[dict[str, Any]], *values: str | None) -> list[dict[str, Any]]:
        """The first source whose sentence holds every value (case-insensitive); [] when none does."""
        wanted = [v.lower() for v in values if v]
        for src in sources:
            widened = self.sentence(src)
            quote = widened["quote"].lower()
            if all(v in quote for v in wanted):
                return [widened]
        return []


def _last_meeting(meetings: list[dict[str, Any]], until: str | None) -> dict[str, Any] | None:
    held = [m for m in meetings if m.get("date") and not m.get("planned") and (not until or str(m["date"]) <= until)]
    return max(held, key=lambda m: (str(m["date"]).split("/")[0], m.get("ordinal") or 0), default=None)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _date_needles(date: str) -> list[tuple[str, ...]]:
    """Ways a sentence states a date, most precise first: (month, day), (year, month), (year,)."""
    parts = date.split("/")[0].split("-")
    out: list[tuple[str, ...]] = []
    if len(parts) >= 2:
        month = _MONTHS[int(parts[1]) - 1]
        if len(parts) == 3:
            out.append((month, str(int(parts[2]))))
        out.append((parts[0], month))
    out.append((parts[0],))
    return out


def _meeting_lines(c: _Citer, m: dict[str, Any]) -> list[Line]:
    name = f"{_ordinal(m.get('ordinal'))}{m['mechanism']}"
    sources = m.get("sources") or []
    lines = []
    date = str(m["date"])
    cite = next((found for needles in _date_needles(date) if (found := c.stating(sources, *needles))), [])
    if cite:
        lines.append(Line(f"The {name} was held on {date}.", cite, label="last meeting"))
    else:  # no source sentence states the day: say only what the record's first source says
        lines.append(Line(f"The {name} is the latest meeting of the mechanism the knowledge base holds ({date}).",
                          [c.sentence(sources[0])], label="last meeting"))
    venue = ", ".join(x for x in (m.get("city"), m.get("country") if m.get("country") != m.get("city") else None) if x)
    if venue:
        cite = c.stating(sources, m.get("city") or m.get("country"))
        if cite:
            lines.append(Line(f"It met in {venue}.", cite))
    if m.get("format"):
        cite = c.stating(sources, m["format"].split()[0])
        if cite:
            lines.append(Line(f"It met in {m['format']} format.", cite))
    chairs = m.get("co_chairs") or []
    if chairs:
        names = [x["name"] for x in chairs]
        cite = c.stating(sources, *names) or [c.stating(sources, n)[0] for n in names if c.stating(sources, n)]
        if cite:
            described = [f"{x['name']} ({x['title']})" if x.get("title") else x["name"] for x in chairs]
            lines.append(Line("It was co-chaired by " + " and ".join(described) + ".", cite))
    for p in m.get("participants") or []:
        who = p.get("name") if isinstance(p, dict) else str(p)
        cite = c.stating(sources, who)
        if who and cite:
            lines.append(Line(f"{who} took part.", cite))
    for d in m.get("documents_adopted") or []:
        title = d.get("title") if isinstance(d, dict) else str(d)
        cite = c.stating(sources, title)
        if title and cite:
            lines.append(Line(f"It adopted the {title}.", cite))
    return lines


def _commitment_lines(c: _Citer, commitments: list[dict[str, Any]], until: str | None) -> list[Line]:
    chosen = [x for x in commitments if x.get("operative", True) and (not until or str(x.get("document_date") or "") <= until)]
    chosen.sort(key=lambda x: (bool(x.get("follow_ups")), str(x.get("document_date") or "")), reverse=True)
    lines = []
    for x in sorted(chosen[:MAX_COMMITMENTS], key=lambda x: (str(x.get("document_date") or ""), x["document"], x.get("position") or 0)):
        src = (x.get("sources") or [None])[0]
        if not src:
            continue
        text = x["text"] if len(x["text"]) <= 320 else x["text"][:317].rsplit(" ", 1)[0] + "…"
        status = (x.get("status") or {}).get("status", "no follow-up")
        line = Line(f"{x.get('document_title') or x['document']} ({x.get('document_date') or 'undated'}): “{text}”",
                    [src], label=status)
        for f in x.get("follow_ups") or []:
            cite = {k: f[k] for k in ("document", "title", "date", "start", "end", "quote")}
            verb = {"implement": "implements it", "progress": "reports progress on it", "extend": "extends it",
                    "reaffirm": "reaffirms it", "supersede": "supersedes it"}[f["type"]]
            line.children.append(Line(f"{f.get('title') or f['document']} ({f.get('date')}) {verb}: “{f['quote']}”",
                                      [cite], label=f["type"]))
        lines.append(line)
    return lines


def _since_lines(c: _Citer, items: list[dict[str, Any]], since: str | None) -> list[Line]:
    lines = []
    for item in items:
        if not _on_or_after(item["date"], since):
            continue
        src = (item.get("sources") or [None])[0]
        if src is None:
            continue
        if not item.get("planned") and src.get("date") and str(item["date"])[:4] > str(src["date"])[:4]:
            continue  # a document cannot report as done what comes after it: a misread date
        if "<" in item["label"] and ">" in item["label"]:
            continue  # markup read as a sentence: nothing a reader can use
        planned = " (ahead)" if item.get("planned") else ""
        label = item["label"] if item["kind"] == "meeting" else item["label"]
        lines.append(Line(f"{item['date']}{planned}: {label}" + ("" if label.endswith(".") else "."), [c.sentence(src)],
                          label=item["kind"]))
    return lines[-MAX_ITEMS:]


def _figure_when(f: dict[str, Any]) -> str:
    return str(f.get("year") or f.get("period") or f.get("date") or "")


def _stated(f: dict[str, Any]) -> str:
    """The amount as its source qualifies it: "over $14.7 billion", "200 billion USD (target)"."""
    q = f.get("qualifier")
    if not q:
        return f["surface"]
    return f"{f['surface']} (target)" if q == "target" else f"{q} {f['surface']}"


def _figure_lines(c: _Citer, figures: list[dict[str, Any]]) -> list[Line]:
    """The latest figure of each measure; the trend only against an earlier stated (not target) figure."""
    by_measure: dict[str, list[dict[str, Any]]] = {}
    for f in figures:
        if f.get("date") and f["measure"] != "amount" and f.get("value"):
            by_measure.setdefault(f["measure"], []).append(f)
    lines = []
    for measure, items in sorted(by_measure.items()):
        items.sort(key=lambda f: (_figure_when(f).split("/")[-1], f["value"]))
        stated = [f for f in items if f.get("qualifier") != "target"]
        targets = [f for f in items if f.get("qualifier") == "target"]
        latest = (stated or targets)[-1]
        text = f"{measure.capitalize()}: {_stated(latest)} ({_figure_when(latest)})"
        sources = [c.sentence(latest["sources"][0])]
        earlier = [f for f in stated if _figure_when(f).split("/")[-1][:4] < _figure_when(latest).split("/")[0][:4]
                   and f.get("unit") == latest.get("unit") and not f.get("qualifier")]
        if earlier and not latest.get("qualifier") and not latest.get("period"):
            prev = earlier[-1]
            trend = "up" if latest["value"] > prev["value"] else "down" if latest["value"] < prev["value"] else "unchanged"
            text += f", {trend} from {prev['surface']} ({_figure_when(prev)})"
            sources.append(c.sentence(prev["sources"][0]))
        ahead = [f for f in targets if f is not latest and _figure_when(f) >= _figure_when(latest)]
        if stated and ahead:
            text += f"; target {ahead[-1]['surface']} ({_figure_when(ahead[-1])})"
            sources.append(c.sentence(ahead[-1]["sources"][0]))
        lines.append(Line(text + ".", sources, label=measure))
    return lines


def _on_or_after(date: Any, since: str | None) -> bool:
    """A date at any precision on or after ``since`` ("2022-07" is on or after "2022-07-01")."""
    d = str(date or "").split("/")[-1]
    return not since or (bool(d) and d >= since[: len(d)])


def _role_sentence(c: _Citer, path: str, name: str, title: str) -> list[dict[str, Any]]:
    """The first sentence of ``path`` that names the person and the title; [] when none does."""
    text = c.text(path)
    at = text.find(name)
    while at >= 0:
        widened = c.sentence({"document": path, "start": at, "end": at + len(name)})
        if title.lower() in widened["quote"].lower():
            return [widened]
        at = text.find(name, at + len(name))
    return []


def _people_lines(c: _Citer, people: list[dict[str, Any]], scope_paths: set[str]) -> list[Line]:
    rows = []
    for p in people:
        roles = [r for r in p.get("roles") or [] if r.get("document") in scope_paths and r.get("title")]
        if not roles:
            continue
        role = max(roles, key=lambda r: str(r.get("date") or ""))
        cite = _role_sentence(c, role["document"], p["name"], role["title"])
        if cite:
            rows.append((str(role.get("date") or ""), Line(f"{p['name']}: {role['title']} ({role.get('date') or 'undated'}).",
                                                           cite, label=role.get("country"))))
    rows.sort(key=lambda r: r[0], reverse=True)
    return [line for _, line in rows[:MAX_ITEMS]]


def _document_lines(c: _Citer, store: Store, paths: set[str], since: str | None) -> list[Line]:
    rows = [r for r in store.documents() if r["path"] in paths and r.get("date") and _on_or_after(r["date"], since)]
    rows.sort(key=lambda r: str(r["date"]), reverse=True)
    lines = []
    seen: set[tuple[str, str]] = set()
    for r in rows:
        if len(lines) >= MAX_ITEMS:
            break
        if (r.get("title") or r["path"], str(r["date"])) in seen:
            continue  # the same document published twice
        seen.add((r.get("title") or r["path"], str(r["date"])))
        text = c.text(r["path"])
        title = r.get("title") or r["path"]
        at = text.find(title)
        start, end = (at, at + len(title)) if at >= 0 else (0, min(len(text), len(title), 200))
        lines.append(Line(f"{r['date']}: {title} ({r['kind'].replace('_', ' ')}).",
                          [{"document": r["path"], "title": r.get("title"), "date": r["date"], "start": start, "end": end,
                            "quote": text[start:end]}], label=r["kind"]))
    return lines


def make_brief(store: Store, partnership: str, mechanism: str | None = None, since: str | None = None) -> Brief:
    """The briefing pack of ``partnership`` (and ``mechanism``), see the module docstring.

    Raises:
        QueryError: an unknown partnership or a malformed date.
    """
    from communique.query.facts import timeline_of

    if since and not re.fullmatch(r"\d{4}(?:-\d{2}(?:-\d{2})?)?", since):
        raise QueryError(f"--since must be a year, month or day (2022, 2022-07, 2022-07-01), not {since!r}")
    p = parse_partnership(partnership)
    scope = scope_of(store, p)
    c = _Citer(store)
    meetings = scope_meetings(store.records("meetings"), p)
    if mechanism:
        want = set(_fold(mechanism).split())
        meetings = [m for m in meetings if want <= set(_fold(m["mechanism"]).split())]
    last = _last_meeting(meetings, None)
    start = since or (str(last["date"]).split("/")[0] if last else None)
    title = f"Briefing: {p.name}" + (f" — {mechanism}" if mechanism else "")
    sections = [Section("last_meeting", "Last meeting", _meeting_lines(c, last) if last else [],
                        f"The knowledge base holds no meeting of {mechanism or p.name}.")]
    commitments = scope_records("commitments", store.records("commitments"), scope)
    sections.append(Section("commitments", "Commitments and their follow-up",
                            _commitment_lines(c, commitments, str(last["date"]).split("/")[-1] if last else None),
                            "The knowledge base holds no commitment of the partnership's documents."))
    events = scope_records("events", store.records("events"), scope)
    items = timeline_of(scope_meetings(store.records("meetings"), p), events)
    if last:
        items = [i for i in items if i["id"] != last["id"]]
    sections.append(Section("since", f"Meetings and milestones since {start}" if start else "Meetings and milestones",
                            _since_lines(c, items, start), "The knowledge base holds none."))
    sections.append(Section("figures", "Latest figures", _figure_lines(c, scope_records("figures", store.records("figures"), scope)),
                            "The knowledge base holds no figure of the partnership."))
    sections.append(Section("people", "People in the partnership's roles",
                            _people_lines(c, scope_records("people", store.records("people"), scope), scope.paths),
                            "The knowledge base holds no role of the partnership."))
    sections.append(Section("documents", f"Documents since {start}" if start else "Documents",
                            _document_lines(c, store, scope.paths, start), "The knowledge base holds none."))
    return Brief(p, mechanism, start, title, sections)
