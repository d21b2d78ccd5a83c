"""The wording of a later sentence that follows a commitment up: its type (the main verb's, through
spaCy's parser where the sentence was parsed), and whether it tells history again; the data of
``data/followups.yaml`` they read. Used by ``communique.resolve.followups``."""

from __future__ import annotations

import re
from typing import Any

from communique.data import load_data

__all__ = ["follow_up_type", "told_before"]

_LEADING_REAFFIRM = re.compile(r"\A\W*(?:\d+\W+)?(?:FURTHER\s+|Further\s+)?(?:REAFFIRM|REITERAT|RECALL|Reaffirm|Reiterat|Recall)\w*\b")
_LEADING_OPERATIVE = re.compile(r"\A\W*(?:\d+\W+)?(?:[A-Z]{3,}\s+)+(?:the|a|an|our|their|to|and|its)\b")  # "FURTHER PROMOTE the ..."


def _config() -> dict[str, Any]:
    cfg = load_data("followups.yaml")
    if "_types" not in cfg:
        cfg["_types"] = [(name, re.compile(r"\b(?:" + "|".join(pats) + r")", re.IGNORECASE))
                         for name, pats in cfg["types"].items()]
        cfg["_generic"] = {_stem(w) for w in cfg["generic_words"]}
        cfg["_generic_caps"] = set(cfg["generic_capitalised"])
        cfg["_heads"] = set(cfg["object_heads"])
        cfg["_regions"] = set(cfg["region_words"])
        cfg["_history"] = re.compile(r"(?:" + "|".join(cfg["history_markers"]) + r")", re.IGNORECASE)
        cfg["_operative_implement"] = re.compile(r"\A\W*(?:\d+\W+)?(?:HEREBY\s+)?(?:" + "|".join(cfg["operative_implement"]) + r")\b")
    return cfg


def _stem(word: str) -> str:
    w = word.lower().strip("-")
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def follow_up_type(sentence: str, parsed: Any = None) -> str | None:
    """The follow-up type a sentence's wording says (supersede, implement, progress, extend, reaffirm).

    With ``parsed`` (the sentence through spaCy's parser), a verb that only qualifies a noun says no
    type: "the TIST work programme, which we launched in May, has advanced our cooperation" is
    progress (its main verb), not an implementation ("launched" is in a relative clause)."""
    cfg = _config()
    if cfg["_operative_implement"].match(sentence):
        return "implement"  # a later declaration's own operative clause: "ESTABLISH the ..."
    if _LEADING_REAFFIRM.match(sentence) or _LEADING_OPERATIVE.match(sentence):
        return "reaffirm"  # "REAFFIRMING the goals ... adopted in 2022", "FURTHER PROMOTE ...": the sentence's own verb decides
    best: tuple[int, int, str] | None = None  # (depth in the parse, order of the type, type)
    for order, (name, pattern) in enumerate(cfg["_types"]):
        for m in pattern.finditer(sentence):
            if parsed is None:
                return name
            depth = _depth(parsed, m.start())
            if depth is not None and (best is None or (depth, order) < best[:2]):
                best = (depth, order, name)
    return best[2] if best else None


_QUALIFYING = ("relcl", "acl", "amod")  # a relative clause, a participle after its noun, an adjective


def _depth(parsed: Any, at: int) -> int | None:
    """How far the word at character ``at`` is from the sentence's main verb (0: it is the main verb;
    the type of the word nearest the main verb is the sentence's), or None for a verb that only
    qualifies a noun (its path to the root passes a relative clause or a participle after a noun)."""
    token = next((t for t in parsed if t.idx <= at < t.idx + len(t.text)), None)
    if token is None:
        return 99
    qualifying = _QUALIFYING if token.pos_ in ("VERB", "AUX") else _QUALIFYING[:2]  # a noun: "the Partnership,
    depth = 0  # which supports the implementation of MPAC" says no progress on MPAC either
    while token.head.i != token.i:
        if token.dep_ in qualifying:
            return None
        token = token.head
        depth += 1
    return depth


def _parsed(sentences: set[str]) -> dict[str, Any]:
    """The kept links' sentences through spaCy's parser (a few hundred on the whole wh corpus)."""
    if not sentences:
        return {}
    from communique.language import pipeline

    nlp = pipeline(exclude=("ner", "lemmatizer"))
    texts = sorted(sentences)
    return dict(zip(texts, nlp.pipe(texts, batch_size=64)))


_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                 "eight": 8, "nine": 9, "ten": 10}


def told_before(sentence: str, date: Any, since_year: int) -> bool:
    """Whether a sentence dates what it tells to the commitment's year or before: "a year and a half
    ago" or "last year" counted back from the later document's date, or "on Day One" (``history_markers``)."""
    year = int(str(date or "0")[:4] or 0)
    for m in _config()["_history"].finditer(sentence):
        words = m.group().lower().split()
        if words[0] == "last":
            back = 1
        elif words[-1] == "ago":
            back = int(words[0]) if words[0].isdigit() else _NUMBER_WORDS.get(words[0], 1)
            back = back * 10 if "decade" in m.group().lower() else back
        else:
            return True  # "on Day One": the start of an administration, told again
        if not year or not since_year or year - back <= since_year:
            return True
    return False
