"""Figures: amounts with their measure, currency, year or period, qualifier and parties.

"The ROK-ASEAN bilateral trade grew from US$38.7 billion in 2003 to US$149 billion in 2017" gives
two trade figures; "From 1990 to 2009 the ROK contributed US$42 million" one contribution over a
period; "expect bilateral trade to reach 200 billion USD by 2020" a target.
"""

from __future__ import annotations

import re
from functools import lru_cache

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.model import Document, Fact

__all__ = ["extract_figures"]


@lru_cache(maxsize=1)
def _patterns() -> tuple[re.Pattern[str], dict, list[tuple[str, re.Pattern[str]]], list[tuple[str, re.Pattern[str]]]]:
    spec = load_data("figures.yaml")
    prefix_symbols = sorted([a for aliases in spec["currencies"].values() for a in aliases if not a[0].isalpha()] +
                            ["US$", "USD", "KRW", "EUR", "JPY", "U.S.$"], key=len, reverse=True)
    suffix_words = sorted([a for aliases in spec["currencies"].values() for a in aliases if a[0].isalpha()],
                          key=len, reverse=True)
    scales = "|".join(sorted(spec["scales"], key=len, reverse=True))
    amount = rf"""
        (?P<prefix>{'|'.join(re.escape(p) for p in prefix_symbols)})?\s?
        (?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)
        (?:\s?(?P<scale>{scales})\b)?
        (?:\s(?P<suffix>{'|'.join(re.escape(w) for w in suffix_words)})\b)?
    """
    regex = re.compile(rf"(?<![\w.$]){amount}", re.VERBOSE | re.IGNORECASE)
    measures = [(k, re.compile(rf"\b(?:{'|'.join(v)})\b", re.I)) for k, v in spec["measures"].items()]
    qualifiers = [(k, re.compile(rf"\b(?:{'|'.join(re.escape(x) for x in v)})\s*$", re.I)) for k, v in spec["qualifiers"].items()]
    return regex, spec, measures, qualifiers


_MONEY_WORD = re.compile(r"\b(?:billion|million|trillion|USD|KRW|won|dollars)\b", re.I)
_MONEY_CONTEXT = re.compile(r"\b(?:trade|invest|contribut|fund|assist|pledg|aid|grant|export|import)", re.I)
_YEAR_AFTER = re.compile(r"^\s*(?:in|as of|by|for|during)\s+(?:the\s+year\s+)?(?:FY\s?)?((?:19|20)\d\d)\b")
_PERIOD = re.compile(r"\b(?:from|between)\s+((?:19|20)\d\d)\s+(?:to|and|-|–)\s+((?:19|20)\d\d)\b|\bsince\s+((?:19|20)\d\d)\b", re.I)


def _currency(spec: dict, token: str | None) -> str | None:
    if not token:
        return None
    for code, aliases in spec["currencies"].items():
        if token in aliases or token.upper() == code or token.lower() in [a.lower() for a in aliases]:
            return code
    return None


def extract_figures(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    analysis = analysis or Analysis(doc)
    regex, spec, measures, qualifiers = _patterns()
    text = analysis.text
    facts: list[Fact] = []
    hints = sorted({analysis.sentence_at(start) for start, _ in analysis.hits.money})
    for s_start, s_end in hints:
        sentence = text[s_start:s_end]
        amounts = [m for m in regex.finditer(text, s_start, s_end) if m.group("scale") or m.group("prefix") or m.group("suffix")]
        for index, m in enumerate(amounts):
            currency = _currency(spec, m.group("prefix")) or _currency(spec, m.group("suffix"))
            scale = (m.group("scale") or "").lower()
            if currency is None and not scale:
                continue  # a bare number: a year, a count, an ordinal
            if currency is None and scale and not _MONEY_CONTEXT.search(sentence):
                continue  # "one billion people": not money
            number = float(m.group("number").replace(",", ""))
            value = number * spec["scales"].get(scale, 1)
            start, end = m.start(), m.end()
            before = text[max(s_start, start - 60) : start]
            qualifier = next((k for k, q in qualifiers if q.search(before)), None)
            after = text[end : s_end]
            year = None
            period = None
            ya = _YEAR_AFTER.match(after)
            if ya:
                year = ya.group(1)
                if re.match(r"^\s*by\b", after):
                    qualifier = qualifier or "target"
            # a period belongs to the amounts of its own clause: between the neighbouring amounts
            lo = amounts[index - 1].end() if index > 0 else s_start
            hi = amounts[index + 1].start() if index + 1 < len(amounts) else s_end
            pm = _PERIOD.search(text, lo, hi)
            if year is None and pm:
                period = f"{pm.group(1)}/{pm.group(2)}" if pm.group(1) else f"{pm.group(3)}/"
            window = text[max(s_start, start - 120) : min(s_end, end + 60)]
            measure = next((k for k, p in measures if p.search(window)), "amount")
            if re.search(r"\b(?:expect|target|aim|goal|reach)\w*\b", window, re.I) and (qualifier is None or qualifier == "target"):
                if re.search(r"\bto reach\b|\btarget|\bgoal", window, re.I):
                    qualifier = "target"
            parties = []
            for ent in analysis.within(analysis.entities, s_start, s_end):
                if ent.kind in ("state", "organisation") and ent.name not in parties:
                    parties.append(ent.name)
            facts.append(Fact("figure", {
                "measure": measure, "value": value, "number": number, "scale": scale or None,
                "unit": currency, "year": year, "period": period, "qualifier": qualifier,
                "parties": parties, "surface": text[start:end].strip(),
            }, start, end, "figures.amount"))
    return facts
