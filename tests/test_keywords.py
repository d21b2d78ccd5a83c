"""The keyword pass is a shortcut: each grammar tried only near its trigger words must find exactly
what the same grammar finds when it scans every character."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from communique.dates import find_dates
from communique.extract.commitments import _vocab
from communique.extract.mechanisms import find_mechanisms
from communique.extract.people import _title_matches, _title_name_pattern
from communique.ingest import load_document, walk
from communique.keywords import lower_same_length, matches_at, scan

_MONEY = re.compile(r"\$|\b(?:billion|million|trillion|USD|KRW|won|dollars)\b", re.I)

FRAGMENTS = [
    "May", "may", "MAY", "Jan.", "january", "Sept", "12", "2019", "(2011)", "x(12", "2016-2020", "1970", "3rd",
    "today", "This year", "next month", "last", "this", "tonight", "26th", "Twenty", "Special", "ASEAN-ROK",
    "ASEAN", "U.S.", "Summit", "summit", "Dialogue", "Meeting", "EAS", "areas", "subcommittee", "on COVID-19",
    "$", "US$1.5", "billion", "Million", "won", "wonder", "USD", "President", "Vice President", "Prime Minister",
    "Moon Jae-in", "Joe Biden", "hereby agree to", "HEREBY", "do hereby", "İstanbul", "ß", "_", "-", "Relations",
]
SEPARATORS = [" ", " ", " ", "-", "\n", ", ", ".", "(", ") ", "", "—", "\u00a0"]

texts = st.lists(st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS)), max_size=40).map(
    lambda parts: "".join(f + s for f, s in parts)
)


def _same_as_full_scans(text: str, reference: str | None = "2022-05-12") -> None:
    hits = scan(text)
    assert find_dates(text, reference, starts=hits.date) == find_dates(text, reference)
    assert find_mechanisms(text, hints=hits.meeting) == find_mechanisms(text)
    assert [a for a, _ in hits.money] == [m.start() for m in _MONEY.finditer(text)]
    analysis = SimpleNamespace(text=text, hits=hits)
    assert [m.span() for m in _title_matches(analysis)] == [m.span() for m in _title_name_pattern().finditer(text)]
    _, operative = _vocab()
    full = [m.span() for m in operative.finditer(text)]
    assert [m.span() for m in matches_at(operative, text, hits.operative)] == full


@settings(max_examples=300, deadline=None)
@given(texts)
def test_keyword_guided_grammars_equal_full_scans(text: str) -> None:
    _same_as_full_scans(text)


def test_keyword_guided_grammars_equal_full_scans_on_real_documents(wh_asean_dir: Path) -> None:
    files, _ = walk([wh_asean_dir])
    assert len(files) > 100
    for source in files[::3]:
        doc = load_document(source)
        _same_as_full_scans(doc.text, doc.date)


def test_lower_case_keeps_offsets() -> None:
    text = "İstanbul and ASEAN"
    low = lower_same_length(text)
    assert len(low) == len(text) and low.endswith("and asean")
    assert scan("The İstanbul Summit on 12 May 2022").date == [23, 26, 30]  # "12", "May", "2022"
