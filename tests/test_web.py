"""The web application as a real server process: pages, API twins, errors, escaping, load."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path
from typing import Iterator

import pytest

from tests.conftest import run_cli
from tests.web_server import Server, load

PAGES = ["/", "/timeline", "/meetings", "/commitments", "/figures", "/people", "/entities", "/documents",
         "/search?q=Culture+House", "/ask?q=Who+co-chaired+the+24th+ASEAN-ROK+Dialogue%3F", "/docs"]


@pytest.fixture(scope="module")
def server(seeds_db: Path) -> Iterator[Server]:
    s = Server(seeds_db)
    yield s
    s.stop()


@pytest.mark.parametrize("path", PAGES)
def test_pages_render(server: Server, path: str) -> None:
    status, ctype, body = server.get(path)
    assert status == 200 and ctype.startswith("text/html")
    assert "<main>" in body and "Traceback" not in body


def test_pages_show_real_content(server: Server) -> None:
    assert "26th ASEAN-ROK Dialogue" in server.get("/")[2]
    assert "Emaleen Abd Rahman Teo" in server.get("/meetings")[2]
    assert "Build a People-centered Community" in server.get("/commitments")[2]
    assert "<svg" in server.get("/figures")[2]  # the trade chart
    assert "Yeo Seung-bae" in server.get("/people")[2]
    body = server.get("/ask?q=Who+co-chaired+the+24th+ASEAN-ROK+Dialogue%3F")[2]
    assert "Emaleen Abd Rahman Teo and Kim Gunn" in body and "co-chaired the 24th ASEAN-ROK Dialogue" in body


def test_api_twins_match_the_cli(server: Server, seeds_db: Path) -> None:
    status, data = server.json("/api/meetings?limit=500")
    assert status == 200
    assert data["items"] == json.loads(run_cli("meetings", "--db", str(seeds_db), "--json").stdout)
    status, answer = server.json("/api/ask?q=" + urllib.parse.quote("When did Viet Nam join ASEAN?"))
    assert "1995-07-28" in answer["answer"] and answer["citations"]  # "28 July 1995 (1995-07-28)"
    status, meeting = server.json(f"/api/meetings/{data['items'][-1]['id']}")
    assert status == 200 and meeting == data["items"][-1]


def test_viewer_highlights_the_cited_span(server: Server) -> None:
    status, doc = server.json("/api/documents/004_931a6d2c2293319e.txt?start=0&end=23")
    assert doc["span"]["quote"] == "JAKARTA, 26 August 2020"
    body = server.get("/documents/004_931a6d2c2293319e.txt?start=0&end=23")[2]
    assert '<mark id="cited">JAKARTA, 26 August 2020</mark>' in body


def test_errors_are_a_json_envelope(server: Server) -> None:
    status, data = server.json("/api/meetings/nothing-here")
    assert status == 404 and data == {"error": {"status": 404, "message": "no meeting 'nothing-here'"}}
    status, data = server.json("/api/meetings?limit=100000")
    assert status == 422 and data["error"]["status"] == 422 and "limit" in data["error"]["message"]
    status, data = server.json("/api/search?q=" + "x" * 600)
    assert status == 422
    status, data = server.json("/api/documents/004_931a6d2c2293319e.txt?start=10&end=99999")
    assert status == 400 and "outside the document" in data["error"]["message"]
    status, _, body = server.get("/meetings/nothing-here")
    assert status == 404 and "Error 404" in body


def test_openapi_is_served_locally(server: Server) -> None:
    status, spec = server.json("/openapi.json")
    assert status == 200 and "/api/meetings" in spec["paths"]
    body = server.get("/docs")[2]
    assert "/api/ask" in body and "cdn" not in body.lower() and "https://" not in body


def test_hostile_html_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "hostile"
    folder.mkdir()
    (folder / "evil.txt").write_text(
        "SEOUL, 3 March 2021 - The 7th ASEAN-ROK Dialogue was held in Seoul on 3 March 2021.\n"
        "<script>alert('pwned')</script> <img src=x onerror=alert(1)> co-operation continues.\n", encoding="utf-8")
    db = tmp_path / "hostile.db"
    run_cli("build", str(folder), "--db", str(db), "-q")
    s = Server(db)
    try:
        for path in ["/documents/evil.txt", "/search?q=script+alert", "/timeline", "/meetings",
                     "/search?q=" + urllib.parse.quote("<script>alert(2)</script>"),
                     "/ask?q=" + urllib.parse.quote("<img src=x onerror=alert(3)>?")]:
            status, _, body = s.get(path)
            assert status == 200, path
            assert "<script>alert" not in body and "<img src=x" not in body, path
        assert "&lt;script&gt;alert" in s.get("/documents/evil.txt")[2]
    finally:
        s.stop()


def test_load(server: Server) -> None:
    """2,000 requests, 20 at a time, over pages and the API: no errors; prints throughput and p99."""
    paths = PAGES[:-1] + ["/api/overview", "/api/meetings", "/api/timeline", "/api/search?q=Busan",
                          "/api/ask?q=" + urllib.parse.quote("Where was the 26th ASEAN-ROK Dialogue held?")]
    result = load(server, paths)
    print(f"\nload: {result}")
    assert result["errors"] == 0 and result["p99_ms"] < 2000


def test_meeting_pages_show_status_participants_and_field_sentences(server: Server) -> None:
    status, data = server.json("/api/meetings?limit=500")
    dialogue = next(m for m in data["items"] if m["mechanism"] == "ASEAN-ROK Dialogue" and m["ordinal"] == 26)
    body = server.get(f"/meetings/{dialogue['id']}")[2]
    assert "Which sentence gave each field" in body and "co_chairs" in body and "Status" in body
    listing = server.get("/meetings")[2]
    assert "<th>Status</th><th>Participants</th>" in listing and ">held<" in listing
    status, newest = server.json("/api/timeline?newest_first=true&limit=500")
    years = [str(i["date"])[:4] for i in newest["items"]]
    assert status == 200 and years == sorted(years, reverse=True)
