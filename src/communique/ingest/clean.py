"""Cleaning: strip page furniture and markup, keep paragraph structure.

The output is the text every offset refers to: blocks separated by a blank line, the lines of a
block (table rows, list items, paragraphs of a flattened page) separated by a newline. Each
non-empty line is a paragraph passage.
"""

from __future__ import annotations

import html
import re
from functools import lru_cache

from communique.data import load_data

__all__ = ["clean_lines", "normalise_spaces", "unwrap_block", "strip_markdown_inline"]

# Characters that carry no text: zero-width spaces and joiners, soft hyphen, byte-order mark.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_INVISIBLE_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad]")
_ODD_SPACE = "\t\u00a0\u2002-\u200a\u202f\u205f\u3000"
# Every run of spaces and odd spaces becomes one plain space, in two passes the regex engine runs
# fast (a one-pass pattern of alternatives is four times slower): each odd space to a plain one, then
# runs of two or more plain ones to one (a lone plain space, the common case, is not matched at all).
_ODD_SPACES = re.compile(rf"[{_ODD_SPACE}]")
_PLAIN_RUN = re.compile("  +")
_BULLET = re.compile(r"^(?:[•●○◦▪■□◆◇‣∙·*+\-–—о]\s+)")  # list bullets, incl. Cyrillic "о" used as one
_NUMBERED = re.compile(r"^\d{1,2}\.\s+")
# The first characters these line patterns can open with: a line opening otherwise is not tried (a
# block of a long document has hundreds of lines, each tried against four patterns).
_BULLET_FIRST = frozenset("•●○◦▪■□◆◇‣∙·*+-–—о")
_EMPHASIS_FIRST = frozenset("*_")
_DASH_FIRST = frozenset("–—")
_MARKED_FIRST = _BULLET_FIRST | _EMPHASIS_FIRST | _DASH_FIRST


def _listed(line: str) -> bool:
    """The line opens with a bullet or a number ("1. "): what ``_BULLET`` or ``_NUMBERED`` match."""
    first = line[:1]
    return bool((first in _BULLET_FIRST and _BULLET.match(line)) or (first.isdigit() and _NUMBERED.match(line)))


class _Boilerplate:
    """Compiled boilerplate rules from ``data/boilerplate.yaml``."""

    def __init__(self) -> None:
        rules = load_data("boilerplate.yaml")
        self.exact = {line.casefold() for line in rules["exact_lines"]}
        self.pattern = re.compile(
            "|".join(f"(?:{p})" for p in rules["line_patterns"]), re.IGNORECASE
        )
        self.menu_openers = {w.casefold() for w in rules["menu_openers"]}
        # the longest line that can be an opener: "12. • HOME" (spaces are single by then)
        self.menu_opener_chars = max(map(len, self.menu_openers), default=0) + 12
        glue = "|".join(re.escape(w) for w in rules["trailing_glue"])
        self.trailing_glue = re.compile(rf"(?<=[.!?\"”’)])(?:{glue})$")
        self.glue_words = tuple(rules["trailing_glue"])

    def is_boilerplate(self, line: str) -> bool:
        folded = line.casefold().strip(" |")
        return folded in self.exact or bool(self.pattern.fullmatch(folded))


@lru_cache(maxsize=1)
def _rules() -> _Boilerplate:
    return _Boilerplate()


def _fold_spaces(text: str) -> str:
    """Every run of spaces and odd spaces (tabs, no-break spaces...) as one ASCII space."""
    return _PLAIN_RUN.sub(" ", _ODD_SPACES.sub(" ", text))


def normalise_spaces(line: str) -> str:
    """Fold exotic spaces to one ASCII space and drop invisible characters."""
    if _INVISIBLE_RE.search(line):  # rare: ``translate`` looks up every character in Python
        line = line.translate(_INVISIBLE)
    return _fold_spaces(line).strip()


_EMPHASIS_ONLY = re.compile(r"^[*_]+$")  # the closing marks of a bold heading, alone on their line
_DASH_CONTINUES = re.compile(r"^[–—]\s+[a-z]")  # "– will work to ...": a wrapped dash, not a bullet


def unwrap_block(lines: list[str]) -> list[str]:
    """Join hard-wrapped lines of one block into paragraphs; list items start new ones.

    A line of emphasis marks alone ("***" closing "***Heading") ends the paragraph above it, so a
    bold heading stays its own line; a dash before a lower-case word inside a sentence is the
    sentence's own dash, wrapped to the start of a line, not a bullet."""
    if len(lines) < 2:
        return lines
    out = [lines[0]]
    closed = False
    for line in lines[1:]:
        first = line[:1]
        if not closed and first not in _MARKED_FIRST and not first.isdigit():
            out[-1] = f"{out[-1]} {line}"  # the common case, no bullet, number, dash or emphasis: wrapped
            continue
        if first in _EMPHASIS_FIRST and _EMPHASIS_ONLY.match(line):
            out[-1] = out[-1].lstrip("*_") if out[-1][:1] in "*_" else f"{out[-1]}{line}"
            closed = True
            continue
        wrapped_dash = first in _DASH_FIRST and _DASH_CONTINUES.match(line) and not out[-1].endswith((":", ";", "."))
        if closed or (_listed(line) and not wrapped_dash):
            out.append(line)
        else:
            out[-1] = f"{out[-1]} {line}"
        closed = False
    return out


def _looks_wrapped(lines: list[str]) -> bool:
    """A block of three or more lines of similar, moderate length is hard-wrapped prose."""
    if len(lines) < 3:
        return False
    body = lines[:-1]
    moderate = sum(1 for line in body if 40 <= len(line) <= 100)
    return moderate >= 0.8 * len(body)


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\((?:[^()\s]|\([^()]*\))*(?:\s+\"[^\"]*\")?\)")
_MD_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)|(?<=\S)(\*\*|__)|\*\*|(?<![\w*])\*(?=\S)|(?<=\S)\*(?![\w*])")
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
# A tag that breaks a line or stands for an object (an image, a rule, a cell) parts the words on
# either side; an inline mark (<sup>, <span>, <a>) does not: "10<sup>th</sup>" is "10th".
_HTML_BLOCK_TAG = re.compile(
    r"</?(?:br|p|div|li|ul|ol|tr|td|th|table|thead|tbody|h[1-6]|hr|img|figure|figcaption|picture|source|"
    r"iframe|video|audio|embed|object|section|article|header|footer|blockquote|dd|dt|dl)\b[^<>]{0,4000}>",
    re.IGNORECASE,
)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,4000}>")
_DATA_URI = re.compile(r"data:[a-z]+/[\w.+-]+(?:;[\w=-]+)*,[\w+/=%-]*", re.IGNORECASE)  # inline images


def strip_markdown_inline(line: str) -> str:
    """Remove Markdown images, link targets, emphasis marks, escapes and stray HTML tags."""
    # each rewrite only where its marker is present: most lines hold one kind of markup at most
    if line.startswith("#"):
        line = _MD_HEADING.sub("", line)
    if "](" in line:
        line = _MD_IMAGE.sub("", line) if "![" in line else line
        line = _MD_LINK.sub(r"\1", line)
    if "data:" in line:
        line = _DATA_URI.sub("", line)
    if "<" in line:
        line = _HTML_TAG.sub("", _HTML_BLOCK_TAG.sub(" ", line))
    if "*" in line or "_" in line:
        line = _MD_EMPHASIS.sub("", line)
    if "\\" in line:
        line = _MD_ESCAPE.sub(r"\1", line)
    return html.unescape(line)


# a line without these has no Markdown or HTML to strip ("data:" opens an inline image); a class
# alone is searched far faster than a class or a word
_MARKUP_CHARS = re.compile(r"[*_\[\]\\<#!&`]")


def _has_markup(line: str) -> bool:
    return _MARKUP_CHARS.search(line) is not None or "data:" in line


_HAS_WORD = re.compile(r"[^\W_]")
_GLUED_HEADING = re.compile(r"^([A-Z][A-Z &'-]{3,}[A-Z])(?=[A-Z][a-z])")


def _split_glued_heading(line: str) -> list[str]:
    """'ABOUT ASEANThe Association...' -> ['ABOUT ASEAN', 'The Association...']."""
    match = _GLUED_HEADING.match(line) if "A" <= line[:1] <= "Z" else None
    if match and len(line) > match.end() + 20:
        return [match.group(1), line[match.end() :]]
    return [line]


def _drop_menu_runs(lines: list[str]) -> list[str]:
    """Drop a numbered or bulleted run of short lines that opens with 'HOME' (a breadcrumb)."""
    rules = _rules()
    if all(len(line) > rules.menu_opener_chars for line in lines):
        return lines  # no line is short enough to be an opener, even with its bullet or number
    out: list[str] = []
    i = 0
    while i < len(lines):
        listed = _NUMBERED.match(lines[i]) or _BULLET.match(lines[i])
        if listed and _NUMBERED.sub("", _BULLET.sub("", lines[i])).casefold() in rules.menu_openers:
            j = i + 1
            while j < len(lines) and (_NUMBERED.match(lines[j]) or _BULLET.match(lines[j])) and len(lines[j]) < 60:
                j += 1
            i = j
            continue
        out.append(lines[i])
        i += 1
    return out


def clean_lines(raw: str, *, markdown: bool = False) -> str:
    """Clean a document body into blocks of paragraph lines.

    Args:
        raw: the decoded text (a Markdown body when ``markdown`` is true).
        markdown: join wrapped lines of each block and strip Markdown markup.
    Returns:
        The clean text: blocks separated by ``"\\n\\n"``, lines by ``"\\n"``.
    """
    rules = _rules()
    raw = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    blocks: list[list[str]] = []
    current: list[str] = []
    if _INVISIBLE_RE.search(raw):
        raw = _INVISIBLE_RE.sub("", raw)
    raw = _fold_spaces(raw)
    for line in raw.split("\n"):
        line = line.strip()
        if not line:
            if current:
                blocks.append(current)
                current = []
            continue
        current.append(line)
    if current:
        blocks.append(current)

    out_blocks: list[str] = []
    for block in blocks:
        if markdown or _looks_wrapped(block):
            block = unwrap_block(block)
        lines: list[str] = []
        for line in _drop_menu_runs(block):
            if markdown and _has_markup(line):
                line = normalise_spaces(strip_markdown_inline(line))
            if line.endswith(rules.glue_words):
                line = rules.trailing_glue.sub("", line).strip()
            if line[:1] in _BULLET_FIRST and _BULLET.match(line):
                line = _BULLET.sub("", line)
            if not line or rules.is_boilerplate(line) or not _HAS_WORD.search(line):
                continue
            parts = _split_glued_heading(line)
            if len(parts) == 1:
                lines.append(line)  # checked just above
                continue
            lines.extend(part for part in parts if part and not rules.is_boilerplate(part))
        if lines:
            out_blocks.append("\n".join(lines))
    return "\n\n".join(out_blocks)
