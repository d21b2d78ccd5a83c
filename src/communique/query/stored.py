"""Stored facts as the reader's candidates: the resolved records (meetings: co-chairs, venue, date,
format; documents adopted; where an institution is; people's roles; figures; milestones) that fit a
question, each as an answer with the source sentences that state it.

``FactFinder.fact_answers`` returns every record answer that fits (not the first): the reader turns
each into a candidate span of its cited sentence, marked as a stored fact, and one ranking decides
between them and the spans the reader found itself (``communique.query.ask``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.dates import find_dates
from communique.extract.gazetteer import gazetteer
from communique.extract.mechanisms import format_phrases
from communique.query.answer import Answer
from communique.query.matching import GENERIC, date_answer, has_phrases, human_date, names_all, ordinal, retrieve, stem
from communique.query.question import Question

__all__ = ["FactFinder"]

RECORD_CACHE = 20_000  # whole records read by id and kept by one Asker (figures, people)


class FactFinder:
    """Mixin of ``Asker``: reads ``self.records``, ``self.store`` and ``self.sentence_citation``."""

    def fact_answers(self, q: Question) -> list[tuple[str, Answer]]:
        """(kind, answer) of every stored record that answers the question."""
        out = []
        for kind, method in (("meeting", self._from_meetings), ("meeting", self._from_meeting_documents),
                             ("entity", self._from_entity_location), ("person", self._from_people),
                             ("figure", self._from_figures), ("event", self._from_events)):
            answer = method(q)
            if answer is not None and answer.answer and answer.citations:
                answer.source = "facts"
                out.append((kind, answer))
        return out

    meetings = property(lambda self: self.records("meetings"))
    events = property(lambda self: self.records("events"))
    figures = property(lambda self: self.records("figures"))
    people = property(lambda self: self.records("people"))

    # meetings ---------------------------------------------------------------------------------
    def _matching_meetings(self, q: Question) -> list[dict[str, Any]]:
        m = q.mechanism
        if m is None:
            return []
        found = [r for r in self.meetings if r["mechanism"] == m.name]
        if m.ordinal is not None:
            found = [r for r in found if r["ordinal"] == m.ordinal]
        if q.years and m.ordinal is None:
            found = [r for r in found if r["date"] and str(r["date"])[:4] in q.years]
        return found

    def _from_meetings(self, q: Question) -> Answer | None:
        found = self._matching_meetings(q)
        if not found:
            return None
        t = q.answer_type
        if q.mechanism is not None and q.mechanism.ordinal is None and t in ("meeting", "entity", "date", "place"):
            # "Which ASEAN-ROK Summit was held by video conference / in Busan / in 2016?"
            wanted_format = next((fmt for fmt, phrases in format_phrases().items()
                                  if any(p in q.text.lower() for p in phrases)), None)
            places = {e.name for e in q.entities if e.kind in ("place", "state") and e.name not in GENERIC}
            chosen = [r for r in found if (wanted_format is None or r["format"] == wanted_format)
                      and (not places or places & {r["city"], r["country"]})]
            if t == "meeting" and (wanted_format or places or q.years) and len(chosen) >= 1:
                r = chosen[0]
                label = f"{ordinal(r['ordinal'])}{r['mechanism']}".strip()
                extra = ", ".join(x for x in (human_date(r["date"]), r["format"] if wanted_format else None) if x)
                return self._cite(q, f"{label} ({extra})" if extra else label, r, [label.split()[0], r.get("city") or ""])
            if len(found) != 1:
                return None
        r = found[0]
        label = f"{ordinal(r['ordinal'])}{r['mechanism']}".strip()
        if t == "person" or (re.search(r"\bchair", q.text, re.I) and r["co_chairs"]):
            if not r["co_chairs"]:
                return None
            names = [c["name"] for c in r["co_chairs"]]
            text = " and ".join(names) if len(names) < 3 else ", ".join(names[:-1]) + " and " + names[-1]
            return self._cite(q, text, r, names)
        if t == "place":
            if not (r["city"] or r["country"]):
                return None
            country = gazetteer().country_of_place(r["city"]) if r["city"] else None
            country = country or r["country"]  # a city's own country beats a conflicting merged value
            text = r["city"] if r["city"] and (r["city"] == country or not country) else ", ".join(x for x in (r["city"], country) if x)
            return self._cite(q, text, r, [r["city"] or r["country"]])
        if t == "date":
            if not r["date"]:
                return None
            return self._cite(q, date_answer(r["date"]), r, [], want_date=r["date"])
        if t == "format":
            if not r["format"]:
                return None
            said = {"virtual": "virtually (by videoconference)", "in-person": "in person", "hybrid": "in a hybrid format"}
            phrases = list(format_phrases().get(r["format"], []))
            answer = self._cite(q, f"{label} was held {said.get(r['format'], r['format'])}", r, phrases)
            cit = answer.citations[0] if answer.citations else None
            at = min(((cit["quote"].lower().find(p), p) for p in phrases if cit and p in cit["quote"].lower()), default=None)
            if cit and at:  # the words that say how it was held are the answer's span
                answer.start, answer.end = cit["start"] + at[0], cit["start"] + at[0] + len(at[1])
            return answer
        return None

    def _from_meeting_documents(self, q: Question) -> Answer | None:
        """'At which meeting was the Joint Declaration on ... adopted?' from meetings' documents."""
        if q.answer_type not in ("meeting", "entity") or not q.phrases:
            return None
        for r in self.meetings:
            for doc in r.get("documents_adopted", []):
                if has_phrases(q, doc):
                    label = f"{ordinal(r['ordinal'])}{r['mechanism']}".strip()
                    extra = human_date(r["date"])
                    return self._cite(q, f"{label} ({extra})" if extra else label, r, [doc[:20]])
        return None

    def _cite(self, q: Question, text: str, record: dict[str, Any], needles: list[str],
              want_date: str | None = None) -> Answer:
        """Cite the source sentences of a record that contain the answer's words (or its date)."""
        citations: list[dict[str, Any]] = []
        for src in record["sources"]:
            cit = self.sentence_citation(src)
            low = cit["quote"].lower()
            if want_date:
                stated = {str(d.value) for d in find_dates(cit["quote"], reference=src.get("date")) if d.value}
                if not any(str(want_date).startswith(v) or v.startswith(str(want_date)) for v in stated if len(v) >= 7 or v == want_date):
                    continue
            if not needles or any(n and n.lower() in low for n in needles):
                if all(c["quote"] != cit["quote"] for c in citations):
                    citations.append(cit)
        if not citations and record["sources"]:
            citations.append(self.sentence_citation(record["sources"][0]))
        fact = {k: v for k, v in record.items() if k not in ("sources",)}
        answer = Answer(q.text, text, q.answer_type, citations[:3], [fact], 0.9)
        if want_date and citations:
            # the answer stays ISO first (the scorer's form); the date as the source writes it
            # ("February 7, 2016") is the span start/end points to, in ``surface``
            cit = citations[0]
            for d in find_dates(cit["quote"], reference=cit.get("date")):
                if d.value and (str(d.value) == str(want_date) or str(d.value).startswith(str(want_date))):
                    answer.surface = cit["quote"][d.start : d.end]
                    answer.start, answer.end = cit["start"] + d.start, cit["start"] + d.end
                    break
            answer.value = str(want_date)
        else:
            low = citations[0]["quote"].lower() if citations else ""
            at = low.find(text.lower())
            answer.value = text
            if at >= 0:
                answer.start, answer.end = citations[0]["start"] + at, citations[0]["start"] + at + len(text)
        return answer

    # entities ----------------------------------------------------------------------------------
    def _from_entity_location(self, q: Question) -> Answer | None:
        """'Where is the ASEAN Culture House?': the place an institution is stated to be in."""
        if q.answer_type != "place" or q.mechanism is not None or not _ASKS_SEAT.match(q.text):
            return None
        if "__entities" not in self._records:
            self._records["__entities"] = {e["name"]: e for e in self.records("entities")}  # type: ignore[assignment]
        index: dict[str, Any] = self._records["__entities"]  # type: ignore[assignment]
        for mention in q.entities:
            record = index.get(mention.name)
            if _in_longer_name(q.text, mention.start, mention.end):
                continue  # "the European Union Drugs Agency" is not the European Union
            if record and record.get("location") and record["kind"] in ("institution", "organisation"):
                loc = record["location"]
                cit = self.sentence_citation(loc["source"])
                return Answer(q.text, loc["city"], "place", [cit], [{"entity": record["name"], "location": loc}], 0.85)
        return None

    def _people_names(self) -> list[tuple[str, str, str]]:
        """(lower-case name, name, record id) of every person, in the table's order: read once, names
        only (whole records are 15 MB of JSON on the wh knowledge base; one is read when asked for)."""
        if "__people" not in self._records:
            self._records["__people"] = [(r["name"].lower(), r["name"], r["id"])  # type: ignore[assignment]
                                         for r in self.store.record_fields("people", {"name": ("name",)}) if r["name"]]
        return self._records["__people"]  # type: ignore[return-value]

    def _record_by_id(self, table: str, record_id: str) -> dict[str, Any] | None:
        return self._records_by_id(table, [record_id]).get(record_id)

    def _records_by_id(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """Whole records by id, each read once per Asker (at most ``RECORD_CACHE`` kept)."""
        cache: dict[str, dict[str, Any]] = self._records.setdefault("__by_id:" + table, {})  # type: ignore[arg-type,assignment]
        known = {i: r for i in dict.fromkeys(ids) if (r := cache.get(i)) is not None}  # kept if another thread clears
        missing = [i for i in dict.fromkeys(ids) if i not in known]
        if missing:
            fetched = self.store.records_by_id(table, missing)
            if len(cache) + len(fetched) > RECORD_CACHE:
                cache.clear()
            cache.update(fetched)
            known.update(fetched)
        return known

    # people ------------------------------------------------------------------------------------
    def _from_people(self, q: Question) -> Answer | None:
        if q.answer_type != "person_role":
            return None
        low = q.text.lower()
        names = self._people_names()
        # the longest known name the question contains, else the words after "who is"
        match = sorted((n for n in names if n[0] in low), key=lambda n: -len(n[1]))
        if not match:
            name = re.sub(r"^\s*who\s+(?:is|was)\s+", "", q.text, flags=re.I).rstrip(" ?.").lower()
            match = [n for n in names if name and name in n[0]]
        if not match:
            return None
        p = self._record_by_id("people", match[0][2])
        if p is None or not p["title"]:
            return None
        text = p["title"] + (f" ({p['country']})" if p["country"] and p["country"] not in p["title"] else "")
        answer = self._cite(q, text, p, [p["name"].split()[0]])
        # the span: the title where a citation writes it nearest the person's name
        best = None
        for cit in answer.citations:
            low, name = cit["quote"].lower(), p["name"].lower()
            at_name = low.find(name)
            for m in re.finditer(re.escape(p["title"].lower()), low):
                gap = abs(m.start() - at_name) if at_name >= 0 else 10_000
                if best is None or gap < best[0]:
                    best = (gap, cit, m.start(), m.end())
        if best is not None:
            _, cit, a, b = best
            answer.citations.remove(cit)
            answer.citations.insert(0, cit)
            answer.start, answer.end = cit["start"] + a, cit["start"] + b
        return answer

    # figures -------------------------------------------------------------------------------------
    def _figures_by_document(self) -> dict[str, list[tuple[int, str]]]:
        """By document: the (start, id) of each figure its first source states there, in the table's
        order (whole records are 49 MB of JSON on the wh knowledge base: read only where retrieved)."""
        if "__figures_by_document" not in self._records:
            index: dict[str, list[tuple[int, str]]] = {}
            for r in self.store.record_fields("figures", {"document": ("sources", 0, "document"),
                                                          "start": ("sources", 0, "start")}):
                if r["document"] is not None and r["start"] is not None:
                    index.setdefault(r["document"], []).append((int(r["start"]), r["id"]))
            self._records["__figures_by_document"] = index  # type: ignore[assignment]
        return self._records["__figures_by_document"]  # type: ignore[return-value]

    def _from_figures(self, q: Question) -> Answer | None:
        """Amounts stated in the paragraphs that best match the question."""
        if q.answer_type != "number":
            return None
        words = set(map(stem, q.words))
        asked = _measures_named(q.text)
        by_document = self._figures_by_document()
        best, best_score = None, 0.0
        for para in self._retrieve(q):
            ids = [i for start, i in by_document.get(para["path"], []) if para["start"] <= start < para["end"]]
            if not ids:
                continue
            context = para["text"]
            if not has_phrases(q, context) or not names_all(q, context):
                continue
            records = self._records_by_id("figures", ids)
            figures = [records[i] for i in ids if i in records]
            s_words = set(map(stem, re.findall(r"[A-Za-z][\w-]+", context)))
            base = len(words & s_words) / max(1, len(words))
            for f in figures:
                if asked and not _measures_of(f) & asked:
                    continue  # "the value of goods trade": not an amount of finance or of aid
                score = base
                when = {str(f.get("year") or "")} | set(str(f.get("period") or "").split("/"))
                if q.years:
                    if not set(q.years) & when:
                        continue
                    score += 0.5
                if f["measure"][:5] in " ".join(q.words):
                    score += 0.3
                if score > best_score:
                    best, best_score = (f, para), score
        if best is None or best_score < 0.6:
            return None
        f, para = best
        src = f["sources"][0]
        sentence = next(((a, b, t) for a, b, t in para["sentences"] if a <= src["start"] and src["end"] <= b),
                        (para["start"], para["end"], para["text"]))
        cit = {"document": para["path"], "title": para["title"], "date": para["date"], "start": sentence[0],
               "end": sentence[1], "quote": sentence[2]}
        return Answer(q.text, f["surface"], "number", [cit], [{k: v for k, v in f.items() if k != "sources"}],
                      min(0.95, best_score / 2))

    def _retrieve(self, q: Question, limit: int = 40) -> list[dict[str, Any]]:
        """Paragraphs for the question (cached for the question being answered)."""
        scope = getattr(self, "_scope", None)
        cached = self._records.get("__retrieved")
        if cached and cached[0] == (q.text, id(scope)):  # type: ignore[index]
            return cached[1]  # type: ignore[index,return-value]
        paragraphs = retrieve(self.store, q, limit if scope is None else limit * 5, rare=self.reader.retriever.rare)
        if scope is not None:
            paragraphs = [p for p in paragraphs if p["document_id"] in scope][:limit]
        self._records["__retrieved"] = [(q.text, id(scope)), paragraphs]  # type: ignore[assignment]
        return paragraphs

    # events --------------------------------------------------------------------------------------
    def _event_index(self) -> list[tuple[dict[str, Any], set[str], set[str]]]:
        """Past events with their entity sets and label stems, computed once."""
        if "__events" not in self._records:
            self._records["__events"] = [  # type: ignore[assignment]
                (e, set(e.get("entities", [])), set(map(stem, re.findall(r"[A-Za-z][\w-]+", e["label"]))))
                for e in self.events if not e.get("planned")
            ]
        return self._records["__events"]  # type: ignore[return-value]

    def _from_events(self, q: Question) -> Answer | None:
        if q.answer_type not in ("date",):
            return None
        subject = {e.name for e in q.entities if e.name not in GENERIC}
        actors = {e.name for e in q.entities if e.kind == "state"}  # the partners too: they are who acted
        words = set(map(stem, q.words))
        best, best_score = None, 0.0
        for e, ents, label_words in self._event_index():
            if subject - ents or actors - ents:
                continue  # every state and named thing the question names: another state's signing is no answer
            if q.steps and e["kind"] not in q.steps:
                continue  # "when was X launched": a plan adopted in its name is another step
            if not words & label_words and not subject:
                continue
            if q.phrases and not has_phrases(q, e["label"]):
                continue
            overlap = len(words & label_words) / max(1, len(words))
            score = overlap + (0.6 if subject & ents else 0) + (0.6 if q.phrases else 0)
            score += 0.3 if e["kind"] in q.steps else 0
            score += 0.02 * len(str(e["date"]).split("/")[0])  # a precise date is the better answer
            if score > best_score:
                best, best_score = e, score
        if best is None or best_score < 0.9:
            return None
        # a milestone whose words barely touch the question is a guess
        label_words = set(map(stem, re.findall(r"[A-Za-z][\w-]+", best["label"])))
        if not subject and not q.phrases and len(words & label_words) < max(2, len(words) // 2):
            return None
        return self._cite(q, date_answer(best["date"]), best, [], want_date=best["date"])


@lru_cache(maxsize=1)
def _measure_patterns() -> dict[str, re.Pattern[str]]:
    """The kinds of amount a figure measures (``figures.yaml``), each with its words; "target"
    says what is aimed at, not what is counted, and is no kind here."""
    spec = load_data("figures.yaml")["measures"]
    return {m: re.compile(r"\b(?:" + "|".join(words) + r")\b", re.I) for m, words in spec.items() if m != "target"}


def _measures_named(text: str) -> set[str]:
    """The kinds of amount a question asks about ("the value of bilateral goods trade": trade)."""
    return {m for m, p in _measure_patterns().items() if p.search(text)}


def _measures_of(figure: dict[str, Any]) -> set[str]:
    """A figure's kinds: its measure, and those its measured words name ("catalytic finance")."""
    return {figure.get("measure") or ""} | _measures_named(str(figure.get("measured") or ""))


# a question about where a body is ("Where is the ASEAN Culture House?", "In which city is the fund
# headquartered?"), not where something happened ("In which village did the explosion take place?")
_ASKS_SEAT = re.compile(r"\s*(?:where|in which|in what|what|which)\b[^?]*?\b(?:is|are|was|were)\b"
                        r"(?:[^?]*\b(?:headquartered|based|located|situated|seated|housed)\b"
                        r"|\s+(?:the\s+)?(?-i:[A-Z])(?![^?]*\b(?:held|hold|took|take|happened|occurred)\b)[^?]*\?\s*$)", re.I)


# a capitalised word that continues a name ("Drugs Agency" after "European Union"), not a clause's next word
_NAME_GOES_ON = re.compile(r"^[ \t]+(?!(?:In|On|At|By|And|Or|The|For|Of)\b)[A-Z][a-z]")


def _in_longer_name(text: str, start: int, end: int) -> bool:
    """The gazetteer's name at ``text[start:end]`` is part of a longer name: a capitalised word follows
    it ("the European Union Drugs Agency", "the Korea Foundation")."""
    return _NAME_GOES_ON.match(text[end:]) is not None
