"""The span invariant: every passage is exactly the slice of the text its offsets name."""

from __future__ import annotations

import re
import sqlite3

from hypothesis import given, settings
from hypothesis import strategies as st

from communique.ingest.clean import clean_lines
from communique.ingest.passages import split_passages

_TEXT = st.text(alphabet=st.sampled_from(list("abc XYZ.!?\n\n  Mr. U.S. 12,\"’()-")), max_size=400)


@given(_TEXT)
@settings(max_examples=300, deadline=None)
def test_passages_slice_exactly(raw: str) -> None:
    text = clean_lines(raw)
    passages = split_passages(text)
    for p in passages:
        piece = text[p.start : p.end]
        assert piece and piece == piece.strip()
        assert "\n" not in piece
    paragraphs = [p for p in passages if p.kind == "paragraph"]
    assert [text[p.start : p.end] for p in paragraphs] == [line for line in text.split("\n") if line]
    # sentences tile their paragraph: concatenated with the spaces between them, they give it back
    for para in paragraphs:
        sentences = [p for p in passages if p.kind == "sentence" and p.paragraph == para.seq]
        assert sentences and sentences[0].start == para.start and sentences[-1].end == para.end


def test_sentence_split_respects_abbreviations() -> None:
    text = "Mr. Moon met the U.S. delegation in Washington, D.C. on Monday. They agreed. Next steps follow."
    sentences = [text[p.start : p.end] for p in split_passages(text) if p.kind == "sentence"]
    assert sentences == [
        "Mr. Moon met the U.S. delegation in Washington, D.C. on Monday.",
        "They agreed.",
        "Next steps follow.",
    ]


def test_stored_passages_match_text(seeds_db) -> None:
    """Paragraph rows slice their document's text; the index reads the same text back (through the
    paragraph_text view) and finds each paragraph by its own words; sentence counts are kept."""
    db = sqlite3.connect(seeds_db)
    rows = db.execute(
        'SELECT d.text, p.id, p.start, p."end", p.kind, f.text FROM passages p JOIN documents d ON d.id = p.document_id '
        "LEFT JOIN passages_fts f ON f.rowid = p.id"
    ).fetchall()
    assert len(rows) > 100
    for text, rowid, start, end, kind, indexed in rows:
        assert kind == "paragraph"
        assert 0 <= start < end <= len(text)
        assert indexed == text[start:end]
        words = re.findall(r"[A-Za-z]{4,}", indexed)
        if words:
            hits = {r[0] for r in db.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", (f'"{words[-1]}"',))}
            assert rowid in hits
    for text, stored in db.execute("SELECT text, sentences FROM documents"):
        assert stored == sum(1 for p in split_passages(text) if p.kind == "sentence") > 0


@given(st.text(alphabet=st.sampled_from(list("aBß İ\n\t\u00a0\u2028\x0b.")), max_size=60), st.booleans())
@settings(max_examples=400, deadline=None)
def test_text_hash_folds_whitespace_and_case(raw: str, cleaned: bool) -> None:
    """Duplicates are found by a hash of the text with its case folded and each run of whitespace
    folded to one space: texts that differ only there are one document."""
    import hashlib

    from communique.ingest import _text_hash

    text = clean_lines(raw) if cleaned else raw
    expected = hashlib.sha256(" ".join(text.casefold().split()).encode("utf-8")).hexdigest()[:16]
    assert _text_hash(text) == expected
    assert _text_hash(text.upper().replace(" ", "\n")) == _text_hash(text.replace(" ", "  "))
