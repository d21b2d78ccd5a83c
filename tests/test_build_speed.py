"""The build's fast paths give what the slow forms they replace give: the same text from cleaning, the
same word tests, the same grouping meetings, on generated strings and on real documents."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from communique.extract.grouping_meetings import _may_match, _pattern
from communique.extract.people import _lower_word_in
from communique.data import load_data
from communique.ingest import clean
from tests.conftest import WH, corpus_dir, needs_wh

_ODD = "\t\u00a0\u2002-\u200a\u202f\u205f\u3000"
# the one-pass pattern the two passes of ``clean._fold_spaces`` replace (the specification)
_ONE_PASS = re.compile(rf"  +(?:[{_ODD}][ {_ODD}]*)?|[{_ODD}][ {_ODD}]*| [{_ODD}][ {_ODD}]*")
_SPACEY = st.text(alphabet=st.sampled_from(list("ab. \t\u00a0\u2009\u3000\u202f\n\u200b\u00ad")), max_size=200)


@given(_SPACEY)
@settings(max_examples=500, deadline=None)
def test_fold_spaces_is_the_one_pass_pattern(text: str) -> None:
    assert clean._fold_spaces(text) == _ONE_PASS.sub(" ", text)
    assert clean.normalise_spaces(text) == _ONE_PASS.sub(" ", text.translate(clean._INVISIBLE)).strip()


def _wh_files(step: int) -> list[Path]:
    return sorted(WH.rglob("*.md"))[::step] if WH.is_dir() else []


@needs_wh
def test_fold_spaces_on_real_documents() -> None:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in _wh_files(211)]
    assert sum(1 for t in texts if "\u00a0" in t) > 10  # the odd spaces are there to fold
    for text in texts:
        assert clean._fold_spaces(text) == _ONE_PASS.sub(" ", text)


_WORDY = st.text(alphabet=st.sampled_from(list("abAB-_ .é1")), max_size=60)


@given(st.sampled_from(["ab", "a-b", "é1", "ba", "a.b", "a\\-b"]), _WORDY)
@settings(max_examples=500, deadline=None)
def test_lower_word_in_is_the_whole_word_pattern(word: str, text: str) -> None:
    assert _lower_word_in(word, text) == (re.search(rf"(?<![\w-]){word}(?![\w-])", text) is not None)


def _texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(corpus_dir().iterdir()) if p.suffix == ".txt"]
    return texts + [p.read_text(encoding="utf-8", errors="replace") for p in _wh_files(37)]


@pytest.mark.parametrize("extra", ["", "\n\nPresident Biden met with G7 leaders on June 12, 2021.",
                                   "\n\nJoint Readout of Quad Leaders’ Video Call", "\n\nNATO Heads of State met."])
def test_grouping_prefilter_never_skips_a_match(extra: str) -> None:
    groupings = load_data("mechanisms.yaml")["groupings"]
    skipped = 0
    for text in _texts():
        text += extra
        if not _may_match(text, groupings):
            skipped += 1
            assert _pattern().search(text) is None
    if extra == "" and WH.is_dir():
        assert skipped > 0.8 * len(_texts())  # nearly every document holds no grouping's leaders
