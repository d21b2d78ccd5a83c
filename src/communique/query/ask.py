"""Answer a question in a phrase, with the exact source passage cited.

Two sources of candidates: the resolved records (meetings: co-chairs, venue, date, format; milestones;
figures; people's roles; where an institution is), each cited by its own source sentences, and the
reader (``communique.query.reader``): BM25 retrieval, spans of every answer-like kind in the best
sentences, ranked by a learned scorer. A record that answers the question exactly is taken; otherwise
the reader's best span above its calibrated threshold; otherwise no answer.
"""

from __future__ import annotations

import re
from typing import Any, Iterable

from communique.dates import find_dates
from communique.errors import QueryError
from communique.extract.gazetteer import gazetteer
from communique.extract.mechanisms import find_mechanisms, format_phrases
from communique.ingest.passages import sentence_spans
from communique.query.answer import NO_SUPPORT, Answer, from_candidate
from communique.query.matching import (
    GENERIC,
    date_answer,
    has_phrases,
    human_date,
    names_all,
    ordinal,
    retrieve,
    stem,
)
from communique.query.question import Question, analyse
from communique.query.reader import Reader
from communique.query.search import MAX_QUERY_CHARS
from communique.query.textcache import TextCache
from communique.store import Store

__all__ = ["Asker", "Answer", "ask", "check_question", "human_date", "date_answer"]

# a sentence that holds this share of the question's (IDF-weighted) words is full support
COVERAGE_FULL = 0.5
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")


class Asker:
    """Answers questions over one knowledge base; loads the resolved records once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._records: dict[str, list[dict[str, Any]]] = {}
        self._texts = TextCache()  # bounded: a server asked many questions must not keep every text
        self._reader: Reader | None = None

    # -- data ----------------------------------------------------------------------------------
    def records(self, table: str) -> list[dict[str, Any]]:
        """Resolved records of one table, read once per Asker."""
        if table not in self._records:
            self._records[table] = self.store.records(table)
        return self._records[table]

    def warm(self) -> "Asker":
        """Load every table and index now (batch mode, servers): later questions are millisecond work."""
        self._event_index()
        self._figures_by_document()
        self._from_people(analyse("Who is nobody?"))
        self.reader.read(analyse("What is the question of the warm-up?"))  # loads spaCy and the ranker
        return self

    meetings = property(lambda self: self.records("meetings"))
    events = property(lambda self: self.records("events"))
    figures = property(lambda self: self.records("figures"))
    people = property(lambda self: self.records("people"))

    def text(self, path: str) -> str:
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = self.store.text_at(path) or ""
        return text

    def paragraph_text(self, src: dict[str, Any]) -> str:
        """The paragraph around a span: the context a figure is read in."""
        row = self.store.paragraph_at(src["document"], src["start"], src["end"])
        text = self.text(src["document"])
        return text[row[0] : row[1]] if row else text[src["start"] : src["end"]]

    def sentence_citation(self, src: dict[str, Any]) -> dict[str, Any]:
        """Widen a citation to the sentence (or table row) that holds its span."""
        row = self.store.paragraph_at(src["document"], src["start"], src["end"])
        text = self.text(src["document"])
        start, end = src["start"], src["end"]
        if row:
            sentence = next(((a, b) for a, b in sentence_spans(text, row[0], row[1]) if a <= start and end <= b), None)
            if sentence:
                start, end = sentence
        return {"document": src["document"], "title": src.get("title"), "date": src.get("date"),
                "start": start, "end": end, "quote": text[start:end]}

    # -- answering -----------------------------------------------------------------------------
    def ask(self, question: str, scope: Iterable[str] | None = None) -> Answer:
        """Answer one question; ``scope`` (document ids) restricts the evidence to those documents.

        Raises:
            QueryError: the question is empty, too long or not text.
        """
        check_question(question)
        q = analyse(question)
        allowed = None if scope is None else set(scope)
        for method in (self._from_meetings, self._from_meeting_documents, self._from_entity_location,
                       self._from_people, self._from_figures, self._from_events):
            answer = method(q)
            if answer is not None and answer.answer and self._in_scope(answer, allowed):
                answer.source = "facts"
                return answer
        answer = self._from_reader(q, allowed)
        if answer is not None:
            return answer
        return Answer(question, None, q.answer_type, confidence=0.0, message=NO_SUPPORT)

    def _in_scope(self, answer: Answer, allowed: set[str] | None) -> bool:
        if allowed is None:
            return True
        if "__paths" not in self._records:
            self._records["__paths"] = self.store.document_ids_by_path()  # type: ignore[assignment]
        ids: dict[str, str] = self._records["__paths"]  # type: ignore[assignment]
        return any(ids.get(c["document"]) in allowed for c in answer.citations)

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(self.store)
        return self._reader

    @staticmethod
    def _agrees(q: Question, sentence: str) -> bool:
        if not names_all(q, sentence) or (q.years and not any(y in sentence for y in q.years)):
            return False
        m = q.mechanism
        if m is not None and m.ordinal:
            return any(x.name == m.name and x.ordinal == m.ordinal for x in find_mechanisms(sentence))
        return True

    def _from_reader(self, q: Question, allowed: set[str] | None) -> Answer | None:
        rq, scored = self.reader.read(q, allowed)
        if not scored:
            return None
        # the question's constraints: each specific entity it names (by any alias), the year it gives and
        # the meeting it numbers must be stated in the sentence an answer comes from
        scored = [s for s in scored if self._agrees(q, s.candidate.sentence.text) and _type_fits(rq.kind, s.candidate.labels,
                                                                                         s.candidate.text)]
        if not scored:
            return None
        if q.answer_type == "meeting":  # "at which meeting": only a meeting of a mechanism is of the type
            scored = [s for s in scored if "MECH" in s.candidate.labels]
            if not scored:
                return None
        best = scored[0]
        if rq.kind == "list":  # the whole list the best item stands in, when its sentence has one
            lists = [s for s in scored if "LIST" in s.candidate.labels and s.candidate.sentence is best.candidate.sentence
                     and s.candidate.start <= best.candidate.start and best.candidate.end <= s.candidate.end]
            if lists:
                best = min(lists, key=lambda s: s.candidate.end - s.candidate.start)
        confidence = best.support * min(1.0, best.candidate.sentence.coverage / COVERAGE_FULL)
        if confidence < self.reader.ranker.threshold:
            return None
        return from_candidate(q.text, rq, best, confidence)

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
            if t in ("meeting", "entity") and (wanted_format or places or q.years) and len(chosen) >= 1:
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
            return self._cite(q, f"{label} was held {said.get(r['format'], r['format'])}", r, list(format_phrases().get(r["format"], [])))
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
        if q.answer_type != "place" or q.mechanism is not None or not re.match(r"\s*(?:where|in which|what city)", q.text, re.I):
            return None
        if "__entities" not in self._records:
            self._records["__entities"] = {e["name"]: e for e in self.records("entities")}  # type: ignore[assignment]
        index: dict[str, Any] = self._records["__entities"]  # type: ignore[assignment]
        for mention in q.entities:
            record = index.get(mention.name)
            if record and record.get("location") and record["kind"] in ("institution", "organisation"):
                loc = record["location"]
                cit = self.sentence_citation(loc["source"])
                return Answer(q.text, loc["city"], "place", [cit], [{"entity": record["name"], "location": loc}], 0.85)
        return None

    def _known_names(self) -> set[str]:
        if "__names" not in self._records:
            self._records["__names"] = {p["name"] for p in self.people}  # type: ignore[assignment]
        return self._records["__names"]  # type: ignore[return-value]

    # people ------------------------------------------------------------------------------------
    def _from_people(self, q: Question) -> Answer | None:
        if q.answer_type != "person_role":
            return None
        low = q.text.lower()
        if "__people" not in self._records:
            self._records["__people"] = [(p["name"].lower(), p) for p in self.people]  # type: ignore[misc]
        # the longest known name the question contains, else the words after "who is"
        match = sorted((p for name, p in self._records["__people"] if name in low), key=lambda p: -len(p["name"]))  # type: ignore[misc]
        if not match:
            name = re.sub(r"^\s*who\s+(?:is|was)\s+", "", q.text, flags=re.I).rstrip(" ?.").lower()
            match = [p for p in self.people if name and name in p["name"].lower()]
        if not match or not match[0]["title"]:
            return None
        p = match[0]
        text = p["title"] + (f" ({p['country']})" if p["country"] and p["country"] not in p["title"] else "")
        return self._cite(q, text, p, [p["name"].split()[0]])

    # figures -------------------------------------------------------------------------------------
    def _figures_by_document(self) -> dict[str, list[dict[str, Any]]]:
        if "__figures_by_document" not in self._records:
            index: dict[str, list[dict[str, Any]]] = {}
            for f in self.figures:
                index.setdefault(f["sources"][0]["document"], []).append(f)
            self._records["__figures_by_document"] = index  # type: ignore[assignment]
        return self._records["__figures_by_document"]  # type: ignore[return-value]

    def _from_figures(self, q: Question) -> Answer | None:
        """Amounts stated in the paragraphs that best match the question."""
        if q.answer_type != "number":
            return None
        words = set(map(stem, q.words))
        by_document = self._figures_by_document()
        best, best_score = None, 0.0
        for para in self._retrieve(q):
            figures = [f for f in by_document.get(para["path"], [])
                       if para["start"] <= f["sources"][0]["start"] < para["end"]]
            if not figures:
                continue
            context = para["text"]
            if not has_phrases(q, context) or not names_all(q, context):
                continue
            s_words = set(map(stem, re.findall(r"[A-Za-z][\w-]+", context)))
            base = len(words & s_words) / max(1, len(words))
            for f in figures:
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
        paragraphs = retrieve(self.store, q, limit if scope is None else limit * 5)
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


def ask(store: Store, question: str, scope: Iterable[str] | None = None) -> Answer:
    """Answer one question (see ``Asker`` to answer many with shared caches)."""
    return Asker(store).ask(question, scope)


_NUMERIC = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b", re.I)


def _type_fits(kind: str, labels: set[str], text: str) -> bool:
    """A date question takes a date, an amount question a number: other spans are not of the type."""
    if kind == "date":
        return bool(labels & {"DATE", "ENT:DATE"})
    if kind in ("count", "money", "percent"):
        return bool(_NUMERIC.search(text))
    return True


def check_question(question: str) -> None:
    """Raise QueryError for a question that is empty, too long or not text."""
    if not question.strip():
        raise QueryError("the question is empty")
    if len(question) > MAX_QUERY_CHARS:
        raise QueryError(f"question longer than {MAX_QUERY_CHARS} characters")
    if _CONTROL.search(question) or not re.search(r"[^\W\d_]", question):
        raise QueryError("the question is not text: it holds control characters or no letters")
