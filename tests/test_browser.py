"""A real browser (Debian chromium, driven by Playwright): every page, a question, a citation click.

Screenshots of each page are saved under artifacts/screenshots/ for a person to look at.
"""

from __future__ import annotations

import pytest

from tests.conftest import SHOTS, needs_chromium

pytestmark = needs_chromium


@pytest.mark.parametrize("name,path,expect", [
    ("overview", "/", "The partnership at a glance"),
    ("timeline", "/timeline", "Timeline"),
    ("meetings", "/meetings", "Emaleen Abd Rahman Teo; Kim Gunn"),
    ("commitments", "/commitments", "Advancing ASEAN-ROK Strategic Partnership"),
    ("figures", "/figures", "trade"),
    ("people", "/people", "Kim Gunn"),
    ("entities", "/entities", "ASEAN-Korea Centre"),
    ("documents", "/documents", "Outcome of the 26th ASEAN-ROK Dialogue"),
    ("search", "/search?q=Culture+House", "ASEAN Culture House"),
])
def test_page_in_browser(browser_page, name: str, path: str, expect: str) -> None:
    page, server = browser_page
    page.goto(server.base + path)
    assert expect in page.inner_text("main")
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_ask_then_follow_the_citation(browser_page) -> None:
    page, server = browser_page
    page.goto(server.base + "/")
    page.fill("header input[name=q][type=text]", "Who co-chaired the 24th ASEAN-ROK Dialogue?")
    page.press("header input[name=q][type=text]", "Enter")
    page.wait_for_selector(".answer-text")
    assert page.inner_text(".answer-text") == "Emaleen Abd Rahman Teo and Kim Gunn"
    page.screenshot(path=str(SHOTS / "ask.png"), full_page=True)
    page.click("ul.sources a.cite >> nth=0")
    page.wait_for_selector("mark#cited")
    assert "co-chaired the 24th ASEAN-ROK Dialogue" in page.inner_text("mark#cited")
    assert page.evaluate("() => { const r = document.getElementById('cited').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; }")
    page.screenshot(path=str(SHOTS / "viewer.png"))


def test_meetings_table_sorts_and_filters(browser_page) -> None:
    page, server = browser_page
    page.goto(server.base + "/meetings")
    page.fill("input[data-filter]", "Dialogue")
    visible = page.locator("#meetings-table tbody tr:not([hidden])")
    assert visible.count() == 2
    page.fill("input[data-filter]", "")
    page.click("#meetings-table th >> nth=2")  # sort by ordinal
    assert "sorted-asc" in (page.get_attribute("#meetings-table th >> nth=2", "class") or "")
