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


def test_lazy_literals_answer_as_eager_ones() -> None:
    from communique.extract.events import _PRESENT_PIECES, _trigger_literals
    from communique.extract.prefilter import Literals, fold_like_re

    texts = _texts()
    sets = [_PRESENT_PIECES, *_trigger_literals(), frozenset({"aid", "trade"}), frozenset()]
    asked = found = 0
    for text in texts:
        folded = fold_like_re(text)
        for literals in sets:
            eager, lazy = Literals(folded, literals), Literals(folded, literals, lazy=True)
            # sentence-like windows, windows cut inside words, empty and reversed ones, and past the end
            step = max(1, len(text) // 40)
            for a in range(-5, len(text) + 5, step):
                for b in (a - 3, a, a + 7, a + 150, a + step):
                    asked += 1
                    answer = eager.within(a, b)
                    found += answer
                    assert lazy.within(a, b) == answer, (literals, a, b)
    assert asked > 10000 and 0.01 * asked < found < 0.9 * asked  # both answers occur often


def _scan_one_rule_at_a_time(text: str) -> tuple:
    """The keyword scan written plainly (the specification of ``keywords.scan``): every hit of every
    word tested rule by rule, every run of digits tested one by one."""
    from communique.keywords import _GROUPS, _automaton, lower_same_length

    def is_word(ch: str) -> bool:
        return ch.isalnum() or ch == "_"

    low = lower_same_length(text)
    found: dict[int, list[tuple[int, int]]] = {g: [] for g in range(len(_GROUPS))}
    for last, (length, _left, _right, rules) in _automaton().iter(low):
        first = last - length + 1
        before = low[first - 1] if first > 0 else " "
        after = low[last + 1] if last + 1 < len(text) else " "
        for group, left, right in rules:
            if left and (is_word(before) or (before == "-" and left == 2)):
                continue
            if right and is_word(after):
                continue
            found[group].append((first, last + 1))
    dates = [a for a, _ in found[0]]
    for m in re.finditer(r"\d+", text):
        at = m.start()
        before = text[at - 1] if at else " "
        if before == "(":
            dates.append(at)
            if at < 2 or not (is_word(text[at - 2]) or text[at - 2] == "-"):
                dates.append(at - 1)
        elif not (is_word(before) or before == "-"):
            dates.append(at)
    return (sorted(set(dates)), sorted(found[1]), sorted(found[2]), sorted({a for a, _ in found[3]}),
            sorted({a for a, _ in found[4]}), sorted({a for a, _ in found[5]}))


_KEYWORDY = st.lists(st.sampled_from(["May", "may", "(2011)", "x(12", "-12", "((3", "a(4", "١٢", "today", "EAS", "areas",
                                      "$", "won", "wonder", "President", "Vice-President", "one", "someone", "_9",
                                      "İstanbul", "ß", " ", "\n", "-", "(", "hereby agree", "half a", "²"]),
                     max_size=30).map("".join)


@given(_KEYWORDY)
@settings(max_examples=500, deadline=None)
def test_keyword_scan_is_the_plain_scan(text: str) -> None:
    from communique.keywords import scan

    hits = scan(text)
    assert (hits.date, hits.meeting, hits.money, hits.title, hits.operative, hits.number) == _scan_one_rule_at_a_time(text)


def test_keyword_scan_is_the_plain_scan_on_real_documents() -> None:
    from communique.keywords import scan

    for text in _texts():
        hits = scan(text)
        assert (hits.date, hits.meeting, hits.money, hits.title, hits.operative, hits.number) == \
            _scan_one_rule_at_a_time(text)


def _unwrap_line_by_line(lines: list[str]) -> list[str]:
    """``clean.unwrap_block`` without its fast path for plain wrapped lines (the specification)."""
    if len(lines) < 2:
        return lines
    out = [lines[0]]
    closed = False
    for line in lines[1:]:
        first = line[:1]
        if first in clean._EMPHASIS_FIRST and clean._EMPHASIS_ONLY.match(line):
            out[-1] = out[-1].lstrip("*_") if out[-1][:1] in "*_" else f"{out[-1]}{line}"
            closed = True
            continue
        wrapped_dash = first in clean._DASH_FIRST and clean._DASH_CONTINUES.match(line) and not out[-1].endswith((":", ";", "."))
        if closed or (clean._listed(line) and not wrapped_dash):
            out.append(line)
        else:
            out[-1] = f"{out[-1]} {line}"
        closed = False
    return out


_LINES = st.lists(st.sampled_from(["Text wraps", "here.", "• item", "- item", "– will work", "— and", "***", "__",
                                   "1. First", "٣. three", "²· sup", "о bullet", "*bold*", "_", "**Head", "(a) x",
                                   "“Quote”", "$5", "ends:"]), min_size=1, max_size=12)


@given(_LINES)
@settings(max_examples=500, deadline=None)
def test_unwrap_fast_path_is_the_line_by_line_unwrap(lines: list[str]) -> None:
    assert clean.unwrap_block(list(lines)) == _unwrap_line_by_line(list(lines))
    for line in lines:
        assert clean._has_markup(line) == bool(re.search(r"[*_\[\]\\<#!&`]|data:", line))


def _cue_words() -> list[str]:
    spec = load_data("figures.yaml")
    return [*spec["target_cues"], *spec["actual_cues"]]


@given(st.lists(st.one_of(st.sampled_from(_cue_words()), st.sampled_from(["İ", "ı", "K", "ſ", "’", "'", " ", "-", "x",
                                                                            "\n", "WILL", "Has", "_", "9"])),
                max_size=25).map("".join), st.integers(0, 30), st.integers(0, 30))
@settings(max_examples=500, deadline=None)
def test_cue_matches_are_the_cue_pattern_s(text: str, lo: int, extra: int) -> None:
    from communique.extract.figures import _cue_matches, _patterns

    p = _patterns()
    hi = min(len(text), lo + extra + 5)
    assert [m.span() for m in _cue_matches(p, text, lo, hi)] == [m.span() for m in p["cues"].finditer(text, lo, hi)]


def test_cue_matches_on_real_documents() -> None:
    from communique.extract.figures import _cue_matches, _patterns

    p = _patterns()
    found = 0
    for text in _texts():
        for lo in range(0, len(text), 997):
            hi = min(len(text), lo + 300)
            fast = [m.span() for m in _cue_matches(p, text, lo, hi)]
            assert fast == [m.span() for m in p["cues"].finditer(text, lo, hi)]
            found += len(fast)
    assert found > 100
