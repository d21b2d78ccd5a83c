"""The briefing pack through the real CLI: Markdown, HTML and DOCX, every sentence cited exactly."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from tests.conftest import run_cli

ARGS = ("brief", "--partnership", "ASEAN-ROK", "--mechanism", "ASEAN-ROK Dialogue")


def _texts(db: Path) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT path, text FROM documents"))


def _sources(md: str) -> dict[int, tuple[str, int, int, str]]:
    out = {}
    for m in re.finditer(r"^(\d+)\. .*?`([^`]+)` \[(\d+):(\d+)\]: “(.*)”$", md, re.M):
        out[int(m.group(1))] = (m.group(2), int(m.group(3)), int(m.group(4)), m.group(5))
    return out


def test_markdown_brief_cites_every_sentence(seeds_db) -> None:
    md = run_cli(*ARGS, "--db", str(seeds_db)).stdout
    assert "The 26th ASEAN-ROK Dialogue was held on 2022-07-01." in md
    body, _, refs = md.partition("## Sources")
    sources = _sources("## Sources" + refs)
    texts = _texts(seeds_db)
    lines = [line for line in body.splitlines() if line.lstrip().startswith("- ")]
    assert len(lines) > 10
    for line in lines:
        numbers = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert numbers, f"uncited: {line}"
        for n in numbers:
            path, start, end, quote = sources[n]
            assert " ".join(texts[path][start:end].split()) == quote
    assert "Seoul" in md and "Yeo Seung-bae" in md  # venue and co-chair of the 26th, each from its source


def test_commitments_carry_follow_ups_and_status(seeds_db) -> None:
    md = run_cli(*ARGS, "--db", str(seeds_db)).stdout
    fund = next(line for line in md.splitlines() if "ASEAN-ROK Cooperation Fund (AKCF)" in line)
    assert fund.startswith("- **reaffirmed**")
    follow = md.splitlines()[md.splitlines().index(fund) + 1]
    assert "24th ASEAN-ROK Dialogue" in follow and "reaffirms it" in follow


def test_html_brief_every_line_has_a_citation(seeds_db, tmp_path: Path) -> None:
    out = tmp_path / "brief.html"
    run_cli(*ARGS, "--db", str(seeds_db), "--format", "html", "--output", str(out))
    html = out.read_text(encoding="utf-8")
    items = re.findall(r'<li class="line">(.*?)(?=<li class="line">|</ul>)', html, re.S)
    assert items and all('class="cite"' in item for item in items)
    assert "26th ASEAN-ROK Dialogue" in html and "<script" not in html


def test_docx_brief_reads_back(seeds_db, tmp_path: Path) -> None:
    import docx

    out = tmp_path / "brief.docx"
    run_cli(*ARGS, "--db", str(seeds_db), "--format", "docx", "--output", str(out))
    document = docx.Document(str(out))
    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "Briefing: ASEAN-ROK — ASEAN-ROK Dialogue"
    assert any("The 26th ASEAN-ROK Dialogue was held on 2022-07-01." in p for p in paragraphs)
    bullets = [p for p in document.paragraphs if p.style.name.startswith("List Bullet")]
    assert bullets and all(re.search(r"\[\d+\]", p.text) for p in bullets)
    assert "Sources" in paragraphs


def test_brief_refuses_bad_requests(seeds_db) -> None:
    proc = run_cli("brief", "--partnership", "ASEAN", "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "fewer than two parties" in proc.stderr
    proc = run_cli(*ARGS, "--db", str(seeds_db), "--format", "docx", check=False)
    assert proc.returncode == 1 and "--output" in proc.stderr
    proc = run_cli(*ARGS, "--db", str(seeds_db), "--since", "July", check=False)
    assert proc.returncode == 1 and "--since" in proc.stderr
