"""Deeply nested HTML: a tree that keeps every paragraph, however deep the wrappers go.

libxml2 (under lxml and trafilatura) stops parsing at 256 levels of nesting (2,048 with its
"huge" option) and silently drops what lies deeper, so a page wrapped in a thousand ``<div>``
elements loses its real text. Pages that nest that deep are hostile or broken; for them only,
runs of empty wrapper tags are collapsed before parsing and any element still too deep is
unwrapped (its content moves up to its parent), giving a shallow tree trafilatura can read.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["too_deep", "shallow_tree", "MAX_DEPTH"]

MAX_DEPTH = 128  # no real page nests deeper; libxml2 gives up at 256
# Generic wrapper elements: unwrapping them changes no meaning.
_WRAPPERS = "div|span|section|font|center|main|article|aside|header|footer|table|tbody|tr|td|ul|ol|li|b|i|em|strong|blockquote"
# 32 or more wrapper tags in a row with nothing but white space between them: one is enough.
_OPEN_RUN = re.compile(rf"(?:<(?:{_WRAPPERS})\b[^<>]{{0,500}}>\s*){{32,}}", re.IGNORECASE)
_CLOSE_RUN = re.compile(rf"(?:</(?:{_WRAPPERS})\s*>\s*){{32,}}", re.IGNORECASE)
_DEPTH_ERROR = "Excessive depth"


def too_deep(text: str) -> bool:
    """Whether libxml2's default parser would stop at the page's nesting depth."""
    import lxml.html

    parser = lxml.html.HTMLParser()
    try:
        lxml.html.fromstring(text, parser=parser)
    except (ValueError, TypeError, lxml.etree.ParserError):
        return False
    return any(_DEPTH_ERROR in str(entry) for entry in parser.error_log)


def shallow_tree(text: str) -> Any:
    """Parse a deeply nested page into a tree no deeper than ``MAX_DEPTH``."""
    import lxml.html

    text = _CLOSE_RUN.sub("</div>", _OPEN_RUN.sub("<div>", text))
    parser = lxml.html.HTMLParser(huge_tree=True, remove_comments=True, remove_pis=True)
    tree = lxml.html.fromstring(text, parser=parser)
    deep = []
    depth = 0
    for event, element in lxml.etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH and isinstance(element.tag, str):
                deep.append(element)
        else:
            depth -= 1
    for element in reversed(deep):  # innermost first: each moves its content up one level
        if element.getparent() is not None:
            element.drop_tag()
    return tree
