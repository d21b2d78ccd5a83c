"""Paragraphs and sentences of a clean text, as offsets into it."""

from __future__ import annotations

import re

from communique.model import Passage

__all__ = ["split_passages", "sentence_spans", "MAX_PARAGRAPH_CHARS"]

# Words whose trailing period does not end a sentence.
_ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof gen col lt sgt capt adm gov sen rep amb st no nos vol fig art sec dept
    jan feb mar apr jun jul aug sep sept oct nov dec inc ltd co corp jr sr vs etc e.g i.e approx
    u.s u.k u.n d.c p.m a.m h.e""".split()
)
# A sentence ends at . ! ? (optionally closed by quotes or brackets) followed by space and a
# capital, digit or opening quote.
_DOTTED = re.compile(r"(?:[a-z]\.)+[a-z]")  # initialisms: u.s, d.c, u.k
_OTHER_SPACE = re.compile(r"[^\S ]")  # whitespace other than a plain space
_BOUNDARY = re.compile(r"""[.!?][\"'”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])""")


def sentence_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence boundaries inside ``text[start:end]`` as absolute ``(start, end)`` pairs."""
    spans: list[tuple[int, int]] = []
    cursor = start
    for m in _BOUNDARY.finditer(text, start, end):
        dot = m.start()
        word_start = max(cursor, text.rfind(" ", cursor, dot) + 1)
        if _OTHER_SPACE.search(text, word_start, dot):  # a tab or an odd space: walk back to it
            word_start = dot
            while word_start > cursor and not text[word_start - 1].isspace():
                word_start -= 1
        word = text[word_start:dot].lower().lstrip("(\"“").split("-")[-1]
        if word.rstrip(".") in _ABBREVIATIONS or (len(word) == 1 and word.isalpha()) or _DOTTED.fullmatch(word):
            continue  # "Mr. Moon", "ASEAN-U.S. Summit", "J. Smith"
        stop = m.end()
        while stop > dot and text[stop - 1].isspace():
            stop -= 1
        if stop - cursor <= 1:
            continue  # a lone mark is no sentence: keep it with what follows
        spans.append((cursor, stop))
        cursor = m.end()
    if end - cursor > 0:
        spans.append((cursor, end))
    return spans


MAX_PARAGRAPH_CHARS = 5000  # a longer line is stored as several paragraphs: bounded work per search hit


def _bounded(spans: list[tuple[int, int]], text: str, limit: int) -> list[tuple[int, int]]:
    """Cut spans longer than ``limit`` at the last white space before it (or at ``limit`` itself)."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while end - start > limit:
            cut = text.rfind(" ", start + limit // 2, start + limit)
            cut = cut if cut > start else start + limit
            piece_end = cut
            while piece_end > start and text[piece_end - 1].isspace():
                piece_end -= 1
            out.append((start, piece_end if piece_end > start else cut))
            start = cut
            while start < end and text[start].isspace():
                start += 1
        if end > start:
            out.append((start, end))
    return out


def _pieces(sentences: list[tuple[int, int]], limit: int) -> list[list[tuple[int, int]]]:
    """Group consecutive sentences (each at most ``limit`` long) into paragraphs of at most ``limit``."""
    groups: list[list[tuple[int, int]]] = []
    for span in sentences:
        if groups and span[1] - groups[-1][0][0] <= limit:
            groups[-1].append(span)
        else:
            groups.append([span])
    return groups


def split_passages(text: str, max_paragraph: int = MAX_PARAGRAPH_CHARS) -> list[Passage]:
    """Every non-empty line of the clean text is a paragraph; each is split into sentences.

    A line longer than ``max_paragraph`` characters becomes several paragraphs, cut between
    sentences (or, for a sentence that long, at white space), so no passage is unbounded.
    """
    passages: list[Passage] = []
    paragraph_seq = 0
    sentence_seq = 0
    pos = 0
    length = len(text)
    while pos < length:
        nl = text.find("\n", pos)
        line_end = length if nl < 0 else nl
        if line_end > pos:
            sentences = sentence_spans(text, pos, line_end)
            if line_end - pos > max_paragraph:
                groups = _pieces(_bounded(sentences, text, max_paragraph), max_paragraph)
            else:
                groups = [sentences]
            for group in groups:
                start = group[0][0] if group is not sentences else pos
                end = group[-1][1] if group is not sentences else line_end
                passages.append(Passage("paragraph", paragraph_seq, start, end, paragraph_seq))
                for s_start, s_end in group:
                    passages.append(Passage("sentence", sentence_seq, s_start, s_end, paragraph_seq))
                    sentence_seq += 1
                paragraph_seq += 1
        pos = line_end + 1
    return passages
