"""Commitments: the clauses of declarations, joint statements and plans of action.

Only documents of an operative kind (``ingest.kind.OPERATIVE_KINDS``: joint statements,
declarations, communiques, chairman's statements, plans of action) have commitments; the clauses of
executive orders, proclamations, press briefings and remarks are none. Four layouts are read: numbered clauses under numbered headings ("1. Advancing ...", "1.1 Build
..."), numbered paragraphs ("3 REAFFIRMING ...", "12. We agree ..."), and bullets under section
headings after "WE HEREBY DECLARE". Paragraphs before the operative marker, or opening with a
preambular participle ("RECOGNIZING", "NOTING"), are kept apart as preambular. A statement with
none of these layouts is read by paragraph: each paragraph that commits its parties (a committing
word of ``data/commitments.yaml``: commit, will, agree, intend, decide ...) is a commitment, under the
heading above it.
"""

from __future__ import annotations

import re
from functools import lru_cache

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.ingest.kind import OPERATIVE_KINDS
from communique.keywords import matches_at
from communique.model import Document, Fact

__all__ = ["extract_commitments"]

_CLAUSE = re.compile(r"(?P<num>\d{1,2}\.\d{1,2}(?:\.\d{1,2})?)\.?\s+(?P<body>\S.*)", re.S)
_NUMBERED = re.compile(r"(?P<num>\d{1,3})(?:\.|\))?\s+(?P<body>\S.*)", re.S)
_NUMBERED_CAPS = re.compile(r"\d{1,3}\.?\s+(?:[A-Z]{4,}\s)+")  # "3 REAFFIRMING the ..."
_CLOSING = re.compile(r"(?:ADOPTED|Adopted|DONE|Done|ISSUED|Issued|SIGNED|Signed)\s+(?:at|in|on)\b")
_END_PUNCT = re.compile(r"[.;:,]\s*$")


@lru_cache(maxsize=1)
def _vocab() -> tuple[re.Pattern[str], re.Pattern[str]]:
    spec = load_data("events.yaml")
    preamble = re.compile(
        r"(?:" + "|".join(re.escape(w) for w in sorted(spec["preambular"], key=len, reverse=True)) + r")\b", re.I)
    operative = re.compile(
        r"(?<![\w])(?:" + "|".join(re.escape(w) for w in sorted(spec["operative_markers"], key=len, reverse=True)) + r")\b",
        re.I)
    return preamble, operative


@lru_cache(maxsize=1)
def _committing() -> re.Pattern[str]:
    spec = load_data("commitments.yaml")
    words = [re.escape(w) for w in sorted(spec["committing"], key=len, reverse=True)] + list(spec.get("committing_patterns", []))
    return re.compile(r"(?<![\w-])(?:" + "|".join(words) + r")(?![\w-])", re.I)


# a paragraph that opens on what happened before ("Last year, Quad partners launched ...", "Since
# 2021, the Summit ... has brought together", "To date, the partners have pledged") recounts
_BACKGROUND = re.compile(r"""(?:\d{1,3}\.\s*)?(?:
    (?:Last|This\s+past|Earlier\s+this|Over\s+the\s+(?:past|last))\s+(?:year|month|week|decade|\w+\s+(?:years|months))
    |Since\s+(?:(?:19|20)\d\d|then|its|the)\b|In\s+(?:19|20)\d\d\b|In\s+recent\s+years|(?:For|Over)\s+(?:decades|years)
    |(?:Previously|Historically|To\s+date|So\s+far)\b
    # the lead of a statement that reports its meeting: "Today, National Security Advisor Sullivan met
    # ...", "President Biden is honored to welcome President Widodo"
    |(?:Today|On\s+\w+\s+\d{1,2}(?:,\s+\d{4})?),?\s+[^.;]{0,160}?\b(?:met|hosted|welcomed|spoke|held)\b
    |[^.;]{0,80}?\bis\s+(?:honou?red|pleased|delighted)\s+to\s+(?:welcome|host)\b
    # "We the Leaders of the Group of Seven (G7) met today with Ukrainian President ... to reaffirm"
    |(?:We|The)\b[^.;]{0,120}?\bmet\s+(?:today|virtually|this\s+week|on\s+\w+\s+\d{1,2})\b)""", re.X | re.I)
_SENTENCE_END = re.compile(r"[.!?][”\"’]?\s+(?=[A-Z“\"])")


def _background(paragraph: str, committing: re.Pattern[str]) -> bool:
    """A paragraph that opens by recounting the past, with no committing word after its first
    sentence but words of the past ("Since then, the Quad has pledged $20 million")."""
    if not _BACKGROUND.match(paragraph.lstrip()):
        return False
    first_end = _SENTENCE_END.search(paragraph)
    later = committing.finditer(paragraph, first_end.end()) if first_end else iter(())
    return not any(not w.group().lower().endswith("ed") or w.group().lower() in ("committed", "determined")
                   for w in later)


# a committing word inside a relative clause describes the thing welcomed, not what the parties do:
# "The leaders welcomed the establishment of Combined Task Force 153, which will enhance ..."
_RELATIVE = re.compile(r"\b(?:which|that|who)\s+(?:also\s+|further\s+|thereby\s+)?$", re.I)


def _commits(paragraph: str, committing: re.Pattern[str]) -> bool:
    """The paragraph commits its parties: a committing word outside a relative clause, and it is
    more than a lead-in to a list ("Key terms of the Agreement ... will include:")."""
    if paragraph.rstrip().endswith(":") and len(paragraph) < 240:
        return False
    return any(not _RELATIVE.search(paragraph, max(0, m.start() - 30), m.start())
               for m in committing.finditer(paragraph))


def _fragment(line: str, committing: re.Pattern[str]) -> bool:
    """A piece of a wrapped list line, not a clause: it opens in the middle of a phrase ("2030 Agenda
    for Sustainable Development and the ...") and commits to nothing."""
    first = line.lstrip(" *-•")[:1]
    return not first.isalpha() and first not in "“\"(" and not committing.search(line)


def _is_heading(line: str) -> bool:
    words = line.split()
    return 1 <= len(words) <= 16 and len(line) <= 140 and not _END_PUNCT.search(line) and line[:1].isupper()


def extract_commitments(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    if doc.kind not in OPERATIVE_KINDS:
        return []
    analysis = analysis or Analysis(doc)
    text = analysis.text
    preamble_re, operative_re = _vocab()
    committing = _committing()
    lines = analysis.paragraphs
    clause_lines = sum(1 for s, e in lines if _CLAUSE.match(text, s, e))
    marker_at = None
    for m in matches_at(operative_re, text, analysis.hits.operative):  # tried only where a marker starts
        s, e = analysis.paragraph_at(m.start())
        if e - s < 400:
            marker_at = (s, e, m)
            break
    numbered_paragraphs = sum(1 for s, e in lines if _NUMBERED_CAPS.match(text, s, e))
    by_paragraph = marker_at is None and clause_lines < 3 and numbered_paragraphs < 5
    title = (doc.title or doc.path).strip()
    facts: list[Fact] = []
    section: str | None = None
    position = 0
    operative_started = marker_at is None  # no marker: judge each paragraph by its first words
    for index, (s, e) in enumerate(lines):
        line = text[s:e]
        if _CLOSING.match(line):
            break  # "ADOPTED in Phnom Penh ... on the Twelfth day": the signature block
        if by_paragraph:
            if index == 0 and line.strip() == title:
                continue  # the headline is no section
            if _is_heading(line.lstrip("# ")):
                section = line.lstrip("# ").strip()
            elif len(line) > 40 and _commits(line, committing) and not _background(line, committing):
                position += 1
                facts.append(_fact(doc, title, analysis, s, e, None, section, position, True, "commitments.paragraph"))
            continue
        if marker_at is not None and not operative_started:
            if s >= marker_at[0]:
                operative_started = True
                # text after the marker on the same line ("Hereby agree to:") is not a clause
                rest = text[marker_at[2].end() : e].strip(" :;,")
                if len(rest) < 40:
                    continue
            else:
                if index > 0 and len(line) > 40:
                    m = _NUMBERED.match(text, s, e)
                    number, body = (m.group("num"), m.start("body")) if m else (None, s)
                    facts.append(_fact(doc, title, analysis, body, e, number, None, None, False, "commitments.preamble",
                                       span_start=s))
                continue
        m = _CLAUSE.match(text, s, e)
        if m:
            position += 1
            body_start = m.start("body")
            facts.append(_fact(doc, title, analysis, body_start, e, m.group("num").rstrip("."), section, position,
                               True, "commitments.numbered_clause", span_start=s))
            continue
        m = _NUMBERED.match(text, s, e)
        next_is_clause = index + 1 < len(lines) and _CLAUSE.match(text, *lines[index + 1])
        if m and next_is_clause and _is_heading(m.group("body")):
            section = m.group("body").strip()
            continue
        if m and len(line) > 40:
            body = m.group("body")
            operative = not preamble_re.match(body) or bool(operative_re.match(body))
            position += 1
            facts.append(_fact(doc, title, analysis, m.start("body"), e, m.group("num"), section, position,
                               operative, "commitments.numbered_paragraph", span_start=s))
            continue
        if _is_heading(line):
            section = line.strip()
            continue
        if len(line) > 40 and marker_at is not None and not _background(line, committing) and not _fragment(line, committing):
            position += 1
            operative = not preamble_re.match(line) or line.lstrip().lower().startswith("we ")
            facts.append(_fact(doc, title, analysis, s, e, None, section, position, operative, "commitments.paragraph"))
    return facts


def _fact(doc: Document, title: str, analysis: Analysis, start: int, end: int, number: str | None,
          section: str | None, position: int | None, operative: bool, extractor: str, span_start: int | None = None) -> Fact:
    return Fact(
        "commitment",
        {"number": number, "position": position, "section": section, "text": analysis.text[start:end],
         "operative": operative, "document_title": title, "document_date": doc.date},
        span_start if span_start is not None else start, end, extractor,
    )
