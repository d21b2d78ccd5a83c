"""The partnership desk in a real browser (Debian chromium, Playwright): the switcher, the brief page,
the search filters. Screenshots go to artifacts/screenshots/ for a person to look at."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHOTS, needs_chromium

pytestmark = needs_chromium


def test_switcher_scopes_every_page(browser_page) -> None:
    page, server = browser_page
    page.goto(server.base + "/meetings")
    everything = page.locator("#meetings-table tbody tr").count()
    assert "ASEAN Plus Three" in page.inner_text("#meetings-table")
    page.select_option("#partnership-switcher select", "ASEAN-ROK")  # submits on change
    page.wait_for_selector("#scope-note")
    assert page.url.endswith("/meetings")
    rows = page.locator("#meetings-table tbody tr")
    assert 0 < rows.count() < everything
    assert "ASEAN Plus Three" not in page.inner_text("#meetings-table")
    page.screenshot(path=str(SHOTS / "partnership-meetings.png"), full_page=True)
    page.goto(server.base + "/")  # the cookie keeps the scope on the next page
    assert "ASEAN-ROK" in page.inner_text("#scope-note")
    page.click("#scope-note a")  # show all
    page.wait_for_load_state()
    assert page.locator("#scope-note").count() == 0


def test_brief_page_cites_every_line(browser_page) -> None:
    page, server = browser_page
    page.goto(server.base + "/brief")
    page.fill("#brief-form input[name=partnership]", "ASEAN-ROK")
    page.click("#brief-form button")
    page.wait_for_selector("article.brief")
    page.select_option("#brief-form select[name=mechanism]", "ASEAN-ROK Dialogue")
    page.click("#brief-form button")
    page.wait_for_selector("article.brief")
    assert "The 26th ASEAN-ROK Dialogue was held on 2022-07-01." in page.inner_text("#last_meeting")
    lines = page.locator("article.brief li.line")
    assert lines.count() > 10
    for i in range(lines.count()):
        assert lines.nth(i).locator("a.cite").count() >= 1
    page.screenshot(path=str(SHOTS / "brief.png"), full_page=True)
    page.click("#last_meeting a.cite >> nth=0")
    assert re.search(r"#src-\d+$", page.url)
    page.click("#sources li:target a")  # the source opens the document at the cited sentence
    page.wait_for_selector("mark#cited")
    assert "26th ASEAN-ROK Dialogue" in page.inner_text("mark#cited")
    with page.expect_download() as download:
        page.goto(server.base + "/brief?partnership=ASEAN-ROK&mechanism=ASEAN-ROK+Dialogue")
        page.click("text=docx")
    assert download.value.suggested_filename.endswith(".docx")


def test_search_filters_in_the_browser(browser_page) -> None:
    page, server = browser_page
    page.goto(server.base + "/partnership?name=")  # no scope
    page.goto(server.base + "/search?q=ASEAN")
    total = int(re.match(r"([\d,]+) result", page.inner_text("#result-count")).group(1).replace(",", ""))
    page.select_option("#search-filters select[name=kind]", "joint_statement")
    page.click("#search-filters button")
    page.wait_for_selector("#result-count")
    filtered = int(re.match(r"([\d,]+) result", page.inner_text("#result-count")).group(1).replace(",", ""))
    assert 0 < filtered < total
    assert all("joint statement" in t for t in page.locator("ol.hits li .muted").all_inner_texts())
    assert page.locator("ol.hits mark").count() > 0
    page.select_option("#search-filters select[name=sort]", "date")
    page.click("#search-filters button")
    page.wait_for_selector("#result-count")
    assert "kind=joint_statement" in page.url and "sort=date" in page.url
    page.screenshot(path=str(SHOTS / "search-filters.png"), full_page=True)
