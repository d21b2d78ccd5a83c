"""Readers and cleaning on hostile input, in-process: bounded passages, encodings, markup, links."""

from __future__ import annotations

import os

import pytest

from communique.ingest.clean import clean_lines
from communique.ingest.decode import DecodeFailure, decode_bytes
from communique.ingest.formats import read_html
from communique.ingest.passages import MAX_PARAGRAPH_CHARS, split_passages
from communique.web.security import document_href, safe_url
from tests.hostile.conftest import KOREAN, NESTED_PARAGRAPH


def test_a_21_million_character_line_becomes_bounded_paragraphs() -> None:
    text = "ASEAN and the ROK held a dialogue on cooperation and trade. " * 350_000
    text = text.strip()
    passages = split_passages(text)
    paragraphs = [p for p in passages if p.kind == "paragraph"]
    assert len(paragraphs) > 4000 and max(p.end - p.start for p in paragraphs) <= MAX_PARAGRAPH_CHARS
    for p in passages:
        assert text[p.start : p.end] == text[p.start : p.end].strip() != ""
    for para in paragraphs[:50]:
        inside = [s for s in passages if s.kind == "sentence" and s.paragraph == para.seq]
        assert inside and inside[0].start == para.start and inside[-1].end == para.end


def test_a_line_without_sentences_or_spaces_is_cut_too() -> None:
    text = "x" * 12_000 + " " + "word " * 3000
    paragraphs = [p for p in split_passages(text.strip()) if p.kind == "paragraph"]
    assert max(p.end - p.start for p in paragraphs) <= MAX_PARAGRAPH_CHARS
    assert [(p.start, p.end) for p in paragraphs[:2]] == [(0, 5000), (5000, 10_000)] and paragraphs[2].start == 10_000
    assert paragraphs[-1].end == len(text.strip())


def test_short_lines_are_unchanged() -> None:
    text = "First paragraph. Two sentences.\nSecond one."
    assert [(p.kind, p.start, p.end) for p in split_passages(text)] == [
        ("paragraph", 0, 31), ("sentence", 0, 16), ("sentence", 17, 31), ("paragraph", 32, 43), ("sentence", 32, 43)]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_korean_utf16_without_bom(encoding: str) -> None:
    text, found = decode_bytes((KOREAN * 3).encode(encoding))
    assert found == encoding and text == KOREAN * 3


def test_utf16_guess_does_not_take_other_text() -> None:
    assert decode_bytes("Caf\xe9 au lait in Hu\xe9, 2019.".encode("cp1252"))[1] == "windows-1252"
    assert decode_bytes("서울에서 회의가 열렸다.".encode("utf-8"))[1] == "utf-8"
    for _ in range(5):
        with pytest.raises(DecodeFailure):
            decode_bytes(os.urandom(4096))


@pytest.mark.parametrize("depth", [300, 3000, 20000])
def test_deeply_nested_html_keeps_its_paragraph(depth: int) -> None:
    page = ("<html><head><title>Deep</title></head><body>" + "<div>" * depth + f"<p>{NESTED_PARAGRAPH}</p>"
            + "</div>" * depth + "</body></html>")
    assert NESTED_PARAGRAPH in read_html(page.encode()).text


def test_markdown_images_and_inline_tags() -> None:
    raw = ('We met.<br>Then we <b>agreed</b> on the 10<sup>th</sup> plan to support<br/>the pillars.\n\n'
           '<a href="x"><img src="https://x/y.jpg" data-x="' + "a" * 500 + '"/></a> After the image.\n\n'
           "![c](data:image/png;base64,iVBORw0KGgo=) and data:image/gif;base64,R0lGOD+/= end.")
    clean = clean_lines(raw, markdown=True)
    assert clean == "We met. Then we agreed on the 10th plan to support the pillars.\n\nAfter the image.\n\nand end."


@pytest.mark.parametrize("url,ok", [
    ("https://www.mofa.go.kr/eng/view.do?seq=1", True), ("http://asean.org/", True), ("mailto:press@asean.org", True),
    ("javascript:alert(1)", False), (" JavaScript:alert(1)", False), ("java\nscript:alert(1)", False),
    ("data:text/html;base64,PHNjcmlwdD4=", False), ("vbscript:msgbox", False), ("//evil.example/x", False),
    ("/documents/a.txt", False), (None, False), (42, False)])
def test_only_safe_schemes_become_links(url: object, ok: bool) -> None:
    assert (safe_url(url) is not None) == ok


def test_document_links_are_percent_encoded() -> None:
    assert document_href("sub/new\nline #1?.md") == "/documents/sub/new%0Aline%20%231%3F.md"
