"""Bad inputs get a one-line reason; the rest of the folder is ingested."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from pathlib import Path

import pytest

from communique.ingest.decode import DecodeFailure, decode_bytes
from tests.conftest import corpus_dir, run_cli


def _pdf(pages: list[str]) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    c.setTitle("Joint Statement of the Test Summit")
    for text in pages:
        y = 800
        for line in text.split("\n"):
            c.drawString(60, y, line)
            y -= 16
        c.showPage()
    c.save()
    return buf.getvalue()


@pytest.fixture()
def messy_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "messy"
    folder.mkdir()
    good = (corpus_dir() / "004_931a6d2c2293319e.txt").read_bytes()
    (folder / "good.txt").write_bytes(good)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    pdf = _pdf(["SEOUL, 3 March 2021 - The two sides met.", "Second page of the statement."])
    (folder / "statement.pdf").write_bytes(pdf)
    (folder / "truncated.pdf").write_bytes(pdf[: len(pdf) // 3])
    (folder / "latin1.txt").write_bytes("The caf\xe9 meeting in Hu\xe9 welcomed the d\xe9l\xe9gation.".encode("cp1252"))
    (folder / "broken.txt").write_bytes(b"Invalid bytes \x81\x8d\x90 in no known encoding \xff\xfe\xfd")
    (folder / "utf16.txt").write_bytes("Hà Nội hosted the 13th ASEAN-ROK Summit on 29 October 2010.".encode("utf-16"))
    (folder / "bom.txt").write_bytes("\ufeffThe ASEAN-Korea Centre opened in Seoul in March 2009.".encode("utf-8"))
    with open(folder / "huge.txt", "wb") as handle:
        line = b"ASEAN and the ROK held a dialogue on cooperation and trade. " * 16 + b"\n"
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(line * 64)
    (folder / "nav.html").write_text(
        "<html><head><title>Menu</title></head><body><nav><ul><li><a href='/'>Home</a></li>"
        "<li><a href='/a'>About</a></li></ul></nav></body></html>", encoding="utf-8")
    (folder / "article.html").write_text(
        "<html><head><title>ASEAN-ROK Foreign Ministers meet</title><meta property='article:published_time' "
        "content='2021-08-04'><link rel='canonical' href='https://www.mofa.go.kr/eng/view.do?seq=1'></head>"
        "<body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>ASEAN-ROK Foreign Ministers meet</h1>"
        + "".join(f"<p>Paragraph {i}: the Foreign Ministers of ASEAN and the Republic of Korea reviewed cooperation "
                  f"on health, trade and the environment, and welcomed new projects.</p>" for i in range(6))
        + "</article><footer>Copyright</footer></body></html>", encoding="utf-8")
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")  # unreadable: points nowhere
    locked = folder / "locked"
    locked.mkdir()
    (locked / "secret.txt").write_text("A readable text in a locked folder.", encoding="utf-8")
    return folder


def test_bad_inputs_each_get_a_reason(messy_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    report = json.loads(run_cli("build", str(messy_folder), "--db", str(db), "--json").stdout)
    reasons = {e["path"]: e["reason"] for e in report["errors"]}
    assert reasons["empty.txt"] == "empty file"
    assert "binary" in reasons["binary.txt"]
    assert "PDF" in reasons["truncated.pdf"]
    assert "not valid UTF-8" in reasons["broken.txt"]
    assert "25 MB limit" in reasons["huge.txt"]
    assert "no main text" in reasons["nav.html"]
    assert "cannot read" in reasons["dangling.txt"]
    stored = {d["path"]: d for d in json.loads(run_cli("documents", "--db", str(db), "--json").stdout)}
    assert set(stored) == {"good.txt", "statement.pdf", "latin1.txt", "utf16.txt", "bom.txt", "article.html",
                           "locked/secret.txt"}
    # errors are kept and listed by `communique errors`
    listed = json.loads(run_cli("errors", "--db", str(db), "--json").stdout)
    assert {e["path"] for e in listed} == set(reasons)
    con = sqlite3.connect(db)
    enc = dict(con.execute("SELECT path, encoding FROM documents"))
    assert enc["latin1.txt"] == "windows-1252" and enc["utf16.txt"] == "utf-16 with BOM"
    assert enc["bom.txt"] == "utf-8 with BOM"
    text = dict(con.execute("SELECT path, text FROM documents"))
    assert text["latin1.txt"] == "The café meeting in Hué welcomed the délégation."
    assert text["utf16.txt"].startswith("Hà Nội hosted") and not text["bom.txt"].startswith("\ufeff")


def test_pdf_pages_and_offsets(messy_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    run_cli("build", str(messy_folder / "statement.pdf"), "--db", str(db), "-q")
    data = json.loads(run_cli("show", "statement.pdf", "--db", str(db), "--json").stdout)
    assert data["title"] == "Joint Statement of the Test Summit"
    assert data["pages"] == [[1, 0], [2, data["text"].index("Second page")]]
    assert data["text"].startswith("SEOUL, 3 March 2021 - The two sides met.")


def test_html_main_text_and_metadata(messy_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    run_cli("build", str(messy_folder / "article.html"), "--db", str(db), "-q")
    data = json.loads(run_cli("show", "article.html", "--db", str(db), "--json").stdout)
    assert data["title"] == "ASEAN-ROK Foreign Ministers meet"
    assert data["date"] == "2021-08-04"
    assert data["url"] == "https://www.mofa.go.kr/eng/view.do?seq=1"
    assert data["publisher"] == "Ministry of Foreign Affairs, Republic of Korea"
    assert "Paragraph 5: the Foreign Ministers" in data["text"]
    assert "Copyright" not in data["text"] and "News" not in data["text"].split("\n")


def test_on_error_raise_stops_with_one_line(messy_folder: Path, tmp_path: Path) -> None:
    proc = run_cli("build", str(messy_folder), "--db", str(tmp_path / "kb.db"), "--on-error", "raise", "-q", check=False)
    assert proc.returncode == 1
    lines = [line for line in proc.stderr.strip().split("\n") if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ")


def test_on_error_skip_records_nothing(messy_folder: Path, tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    report = json.loads(run_cli("build", str(messy_folder), "--db", str(db), "--on-error", "skip", "--json").stdout)
    assert len(report["errors"]) == 7
    assert json.loads(run_cli("errors", "--db", str(db), "--json").stdout) == []


@pytest.mark.parametrize(
    "data,text,encoding",
    [
        ("Viet Nam".encode("utf-8"), "Viet Nam", "utf-8"),
        ("\ufeffViet Nam".encode("utf-8"), "Viet Nam", "utf-8 with BOM"),
        ("Việt Nam".encode("utf-16-le"), "Việt Nam", "utf-16-le"),
        ("Việt Nam".encode("utf-16"), "Việt Nam", "utf-16 with BOM"),
        ("Caf\u00e9 \u2019s".encode("cp1252"), "Caf\u00e9 \u2019s", "windows-1252"),
    ],
)
def test_decode(data: bytes, text: str, encoding: str) -> None:
    assert decode_bytes(data) == (text, encoding)


def test_decode_refuses_binary() -> None:
    with pytest.raises(DecodeFailure):
        decode_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
