"""The server over the hostile knowledge base: no script from a document, no 500, no hang."""

from __future__ import annotations

import json
import signal
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.web_server import Server

PAGES = ["/", "/timeline", "/meetings", "/documents", "/search?q=dialogue", "/ask?q=Where+did+the+ASEAN-ROK+Dialogue+meet%3F",
         "/api/overview", "/api/search?q=dialogue", "/no-such-page", "/api/no-such-thing"]


@pytest.fixture(scope="module")
def server(hostile_build: tuple[Path, dict]):
    s = Server(hostile_build[0])
    yield s
    s.stop()


def _request(server: Server, path: str, method: str = "GET") -> tuple[int, dict[str, str], bytes]:
    req = urllib.request.Request(server.base + path, method=method)
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read()


@pytest.mark.parametrize("path", PAGES)
def test_every_response_has_a_content_security_policy(server: Server, path: str) -> None:
    status, headers, _ = _request(server, path)
    assert status in (200, 404)
    csp = headers.get("content-security-policy", "")
    assert "default-src 'self'" in csp and "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert headers.get("x-content-type-options") == "nosniff"


@pytest.mark.parametrize("path", ["/", "/documents", "/api/overview", "/search?q=dialogue"])
def test_head_is_answered(server: Server, path: str) -> None:
    status, headers, body = _request(server, path, "HEAD")
    assert status == 200 and body == b"" and headers.get("content-type")


def test_a_javascript_source_url_is_no_link(server: Server) -> None:
    status, page = server.get("/documents/javascript-url.md")[0], server.get("/documents/javascript-url.md")[2]
    assert status == 200 and "A statement with a hostile source" in page
    assert 'href="javascript:' not in page.lower() and "javascript:alert" in page  # shown as text, not linked


def test_long_paths_are_refused_not_crashed(server: Server) -> None:
    for path in ("/documents/" + "a" * 50_000, "/api/documents/" + "b" * 50_000, "/meetings/" + "c" * 5_000,
                 "/api/entities/" + "d" * 5_000, "/documents/" + "%25_" * 3000):
        status, _, body = _request(server, path)
        assert status in (404, 414, 422), (path[:30], status, body[:200])


def test_odd_file_names_have_working_citation_links(server: Server) -> None:
    _, listing = server.json("/api/documents")
    paths = [d["path"] for d in listing["items"]]
    odd = [p for p in paths if p.startswith("sub/")]
    assert any("\n" in p for p in odd) and any("#" in p for p in odd) and len(odd) == 4
    page = server.get("/documents")[2]
    for p in odd:
        href = "/documents/" + urllib.parse.quote(p, safe="/")
        assert f'href="{href}"' in page.replace("&#34;", '"')
        status, doc = server.json("/api/documents/" + urllib.parse.quote(p, safe="/"))
        assert status == 200 and doc["path"] == p
    status, hits = server.json("/api/search?q=Hanoi+Joint+Committee")
    assert status == 200 and hits["hits"][0]["document"] == "sub/new\nline.md"
    search_page = server.get("/search?q=Hanoi+Joint+Committee")[2]
    assert "/documents/sub/new%0Aline.md?start=" in search_page


def test_searches_over_repetitive_text_are_bounded(server: Server) -> None:
    started = time.perf_counter()
    for q in ("dialogue", "ASEAN ROK trade", "cooperation OR dialogue"):
        status, body = server.json("/api/search?q=" + urllib.parse.quote(q))
        assert status == 200 and body["hits"]
    assert time.perf_counter() - started < 15


def test_sigterm_stops_the_server_while_it_works(hostile_build: tuple[Path, dict]) -> None:
    s = Server(hostile_build[0])
    busy = [threading.Thread(target=s.get, args=(f"/api/search?q=dialogue+cooperation+{i}",), daemon=True)
            for i in range(8)]
    for t in busy:
        t.start()
    time.sleep(0.2)
    started = time.perf_counter()
    s.proc.send_signal(signal.SIGTERM)
    s.proc.wait(timeout=20)
    assert time.perf_counter() - started < 15


def test_api_errors_stay_an_envelope(server: Server) -> None:
    status, body = server.json("/api/documents/" + "z" * 5000)
    assert status in (404, 422) and set(body) == {"error"}
    status, body = server.json("/api/search?q=" + "w" * 600)
    assert status == 422 and json.dumps(body).startswith('{"error"')


def test_a_long_document_is_shown_as_a_window_around_the_span(server: Server) -> None:
    status, doc = server.json("/api/documents/repetitive.txt?start=1000000&end=1000050")
    assert status == 200 and doc["chars"] > 2_000_000
    assert len(doc["text"]) <= 400_000 and doc["text_start"] <= 1_000_000 <= doc["text_end"]
    at = doc["span"]["start"] - doc["text_start"]
    assert doc["text"][at : at + 50] == doc["span"]["quote"]
    status, page, body = server.get("/documents/repetitive.txt?start=1000000&end=1000050")
    assert status == 200 and len(body) < 1_000_000 and '<mark id="cited">' in body
