"""A date written without its year takes the document's year, unless that puts it most of a year from
the document: in a January briefing "December 23rd" is last December; in a December call "the week of
January 10th", said of what will take place, is next January (``communique.dates``)."""

from __future__ import annotations

from communique.dates import find_dates
from tests.conftest import WH, needs_wh

COVID_JANUARY = ("press-briefings/2022-01/2022-01-05-press-briefing-by-white-house-covid-19-response-team-and-"
                 "public-health-officials-77.md")
PUTIN_CALL = ("press-briefings/2021-12/2021-12-29-background-press-call-by-a-senior-administration-official-on-"
              "president-bidens-upcoming-call-with-president-putin-of-the-russian-federation.md")


def _yearless(rel: str, date: str) -> dict[str, str]:
    """Each year-less date's first mention -> its value."""
    text = (WH / rel).read_text(encoding="utf-8")
    out: dict[str, str] = {}
    for d in find_dates(text, date):
        if d.kind == "yearless":
            out.setdefault(text[d.start : d.end], d.value)
    return out


@needs_wh
def test_a_december_day_in_a_january_briefing_is_last_december() -> None:
    assert _yearless(COVID_JANUARY, "2022-01-05")["December 23rd"] == "2021-12-23"


@needs_wh
def test_a_january_day_ahead_in_a_december_call_is_next_january() -> None:
    assert _yearless(PUTIN_CALL, "2021-12-29")["January 10th"] == "2022-01-10"  # "will take place the week of"


def test_a_past_january_day_in_december_and_a_deadline_keep_the_documents_year() -> None:
    assert find_dates("the attack of January 6 was a disgrace", "2021-12-20")[0].value == "2021-01-06"
    assert find_dates("applications are open through December 31", "2022-01-10")[0].value == "2022-12-31"
    assert find_dates("On March 3 he met them.", "2021-06-01")[0].value == "2021-03-03"
