"""The build's prefilters skip work, never facts: the literals read off a pattern are in its every
match, and extraction with the prefilters gives the same facts as without them on real documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from communique.extract import extract_all
from communique.extract import prefilter
from communique.extract.events import _not_milestone, _present_marker, _vocabulary
from communique.extract.figures import _patterns
from communique.extract.prefilter import Literals, fold_like_re, required_literals
from communique.ingest import load_document, read_manifest, walk
from tests.conftest import WH, corpus_dir, needs_wh


def _documents(folder: Path, step: int) -> list:
    files, _ = walk([folder])
    manifest = read_manifest(folder)
    docs = []
    for source in files[::step]:
        try:
            docs.append(load_document(source, manifest))
        except Exception:  # a file the build refuses has no facts to compare
            continue
    return docs


@pytest.fixture(scope="module")
def real_documents() -> list:
    docs = _documents(corpus_dir(), 1)
    if WH.is_dir():
        docs += _documents(WH, 97)  # about 150 documents of every kind, spread over the years
    return docs


def test_required_literals_of_simple_patterns() -> None:
    assert required_literals(re.compile(r"\blaunch(?:ed|es)?\b")) == {"launch"}
    assert required_literals(re.compile(r"(?:signed|adopted) the \w+")) == {"signed", "adopted"}  # the longer words
    assert required_literals(re.compile(r"(?:\w+ )?member(?:ship)? of ASEAN", re.I)) == {" of asean"}
    assert required_literals(re.compile(r"MOU|Agreement", re.I)) == {"mou", "agreement"}
    assert required_literals(re.compile(r"\d+(?:troops)?")) is None  # a match may hold no literal
    assert required_literals(re.compile(r"a|\w+")) is None  # one alternative without a literal
    # a literal holding another adds nothing
    assert required_literals(re.compile(r"announc(?:e|ing)|announced")) == {"announc"}


def test_folding_agrees_with_re_ignorecase() -> None:
    # dotless i, long s and the dotted capital I match their ASCII letters under IGNORECASE
    text = "Kılıçdaroğlu ſigned İstanbul ΣΟΦΙΑΣ"
    folded = fold_like_re(text)
    assert len(folded) == len(text)
    for word in ("kili", "signed", "istanbul", "σοφιας", "σοφιασ"):
        m = re.search(word, text, re.I)
        assert m is not None
        literal = fold_like_re(word)
        assert Literals(folded, frozenset({literal})).within(m.start(), m.end()), word


def _patterns_under_test() -> list[re.Pattern[str]]:
    kinds, planned = _vocabulary()
    return [kinds, planned, _not_milestone(), _present_marker()] + [p for _, p in _patterns()["measures"]]


def test_every_match_holds_a_literal(real_documents) -> None:
    """On real sentences: wherever a vocabulary pattern matches, one of its literals lies in the match."""
    checked = 0
    for pattern in _patterns_under_test():
        literals = required_literals(pattern)
        assert literals, pattern.pattern[:80]
        for doc in real_documents:
            text = doc.text
            base = fold_like_re(text) if pattern.flags & re.I else text
            found = Literals(base, literals)
            for m in pattern.finditer(text):
                if m.end() > m.start():
                    assert found.within(m.start(), m.end()), (doc.path, m.group(0))
                    checked += 1
    assert checked > 500  # the documents exercise the vocabularies


def _facts(docs) -> list[str]:
    return [json.dumps([(f.kind, f.value, f.start, f.end, f.extractor) for f in extract_all(d)], sort_keys=True,
                       default=str) for d in docs]


def test_extraction_same_with_and_without_prefilters(real_documents, monkeypatch) -> None:
    with_prefilters = _facts(real_documents)
    assert sum(len(json.loads(f)) for f in with_prefilters) > 1000
    monkeypatch.setattr(prefilter.Literals, "within", lambda self, start, end: True)  # every pattern everywhere
    without = _facts(real_documents)
    assert [d.path for d, a, b in zip(real_documents, with_prefilters, without) if a != b] == []


@needs_wh
def test_prefilter_is_not_vacuous(real_documents) -> None:
    """Most sentences hold no milestone word: the prefilter does skip work."""
    literals = required_literals(_vocabulary()[0])
    skipped = total = 0
    for doc in real_documents:
        found = Literals(fold_like_re(doc.text), literals)
        for p in doc.passages:
            if p.kind == "sentence":
                total += 1
                skipped += not found.within(p.start, p.end)
    assert skipped > 0.3 * total


def test_folding_translates_only_texts_with_special_characters(real_documents) -> None:
    # the fast path (no character the table changes: the text is only lower-cased) and the slow one
    # both give what translating every character through the table gives
    def reference(text: str) -> str:
        low = text.lower()
        if len(low) != len(text):
            return "".join(chr(prefilter._lower(ord(ch))) for ch in text)
        return low if low.isascii() else low.translate(prefilter._CANON_TABLE)

    special = "".join(chr(c) for c in prefilter._CANON_TABLE)
    texts = [d.text for d in real_documents] + [f"Iſ ıt {special} – “ok” ΣΟΦΙΑΣ", special, "ascii only"]
    assert sum(not t.isascii() for t in texts) > 10  # curly quotes and dashes: the fast path is tried
    for text in texts:
        assert fold_like_re(text) == reference(text)


def test_cleaning_first_character_tests_never_skip_a_list_line(real_documents) -> None:
    # a line the bullet, number, emphasis or dash pattern matches always passes its first-character test
    from communique.ingest import clean

    lines = [line for d in real_documents for line in d.text.split("\n")]
    lines += ["• item", "- item", "– will work", "— and", "*** ", "__", "1. First", "٣. Arabic-Indic three",
              "²· superscript", "о Cyrillic bullet", "12.\tTab", "*bold*", "_"]
    for line in lines:
        listed = bool(clean._BULLET.match(line) or clean._NUMBERED.match(line))
        assert clean._listed(line) == listed, line
        if clean._EMPHASIS_ONLY.match(line):
            assert line[:1] in clean._EMPHASIS_FIRST
        if clean._DASH_CONTINUES.match(line):
            assert line[:1] in clean._DASH_FIRST
        if clean._GLUED_HEADING.match(line):
            assert "A" <= line[:1] <= "Z"
    assert sum(clean._listed(line) for line in lines) > 5
