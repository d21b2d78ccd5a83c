"""Format readers: raw bytes of one file -> clean text and the metadata the format carries.

Each reader returns a ``Parsed`` record; ``ingest.load`` turns it into a ``Document``.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from communique.data import yaml_loader
from communique.dates import date_from_metadata
from communique.ingest.clean import clean_lines, normalise_spaces
from communique.ingest.decode import DecodeFailure, decode_bytes

__all__ = ["Parsed", "read_text", "read_markdown", "read_html", "read_pdf", "READERS", "FormatFailure"]


class FormatFailure(ValueError):
    """The file's content cannot be read as its format."""


@dataclass
class Parsed:
    text: str
    encoding: str
    title: str | None = None
    date: str | None = None
    url: str | None = None
    publisher: str | None = None
    tags: list[str] = field(default_factory=list)
    pages: list[tuple[int, int]] = field(default_factory=list)


def _decode(data: bytes) -> tuple[str, str]:
    try:
        return decode_bytes(data)
    except DecodeFailure as exc:
        raise FormatFailure(str(exc)) from None


def read_text(data: bytes) -> Parsed:
    text, encoding = _decode(data)
    return Parsed(clean_lines(text), encoding)


_FRONT_MATTER = re.compile(r"\A\s*---[ \t]*\n(.*?)\n---[ \t]*(?:\n|\Z)", re.DOTALL)


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    return [v.strip() for v in str(value).split(",") if v.strip()]


def read_markdown(data: bytes) -> Parsed:
    text, encoding = _decode(data)
    meta: dict[str, Any] = {}
    match = _FRONT_MATTER.match(text)
    if match:
        try:
            loaded = yaml.load(match.group(1), Loader=yaml_loader())
        except yaml.YAMLError as exc:
            raise FormatFailure(f"invalid YAML front matter ({exc.__class__.__name__})") from None
        if isinstance(loaded, dict):
            meta = loaded
        text = text[match.end() :]
    title = meta.get("title")
    return Parsed(
        clean_lines(text, markdown=True),
        encoding,
        title=normalise_spaces(str(title)) if title else None,
        date=date_from_metadata(meta.get("date") or meta.get("published_time") or meta.get("published")),
        url=meta.get("source_url") or meta.get("url") or meta.get("link"),
        publisher=meta.get("publisher") or meta.get("source") or meta.get("author"),
        tags=_as_list(meta.get("tags")),
    )


def read_html(data: bytes) -> Parsed:
    import trafilatura  # heavy: imported only when an HTML file is met

    from communique.ingest.html_tree import shallow_tree, too_deep

    text, encoding = _decode(data)
    result = None
    deep = too_deep(text)  # libxml2 would drop what lies deeper than 256 levels: read a shallow tree
    for recall in (False, True):  # precise first; a short page may need the recall mode
        result = trafilatura.bare_extraction(
            shallow_tree(text) if deep else text, with_metadata=True, include_comments=False,
            include_tables=True, favor_recall=recall,
        )
        if result is not None and getattr(result, "text", None):
            break
    body = getattr(result, "text", None) if result is not None else None
    clean = clean_lines(body or "")
    if not _has_prose(clean):
        raise FormatFailure("no main text found in the HTML (navigation or scripts only)")
    return Parsed(
        clean,
        encoding,
        title=getattr(result, "title", None),
        date=date_from_metadata(getattr(result, "date", None)),
        url=getattr(result, "url", None),
        publisher=getattr(result, "sitename", None),
        tags=_as_list(getattr(result, "tags", None)),
    )


def _has_prose(text: str) -> bool:
    """Real content has a line of six words or more; menus and link lists do not."""
    return any(len(line.split()) >= 6 for line in text.split("\n"))


def read_pdf(data: bytes) -> Parsed:
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf logs what it repairs ("EOF marker not found"); a failure reaches the user as the file's
    # one-line reason instead, and the library prints nothing
    logging.getLogger("pypdf").setLevel(logging.CRITICAL)

    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise FormatFailure("not a PDF file (no %PDF header)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        pages_text = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, AssertionError) as exc:
        raise FormatFailure(f"unreadable or truncated PDF ({exc.__class__.__name__}: {str(exc)[:80]})") from None
    parts: list[str] = []
    pages: list[tuple[int, int]] = []
    offset = 0
    for number, page_text in enumerate(pages_text, start=1):
        clean = clean_lines(page_text)
        if not clean:
            continue
        if parts:
            offset += 2  # the blank line joining pages
        pages.append((number, offset))
        parts.append(clean)
        offset += len(clean)
    if not parts:
        raise FormatFailure("the PDF has no extractable text (scanned, empty or truncated)")
    title = str(info.title) if info is not None and info.title else None
    date = None
    if info is not None and info.get("/CreationDate"):
        raw = str(info.get("/CreationDate")).removeprefix("D:")
        date = date_from_metadata(f"{raw[:4]}-{raw[4:6]}-{raw[6:8]}") if raw[:8].isdigit() else None
    return Parsed("\n\n".join(parts), "pdf", title=title, date=date, pages=pages)


READERS = {
    ".txt": ("txt", read_text),
    ".text": ("txt", read_text),
    ".md": ("md", read_markdown),
    ".markdown": ("md", read_markdown),
    ".html": ("html", read_html),
    ".htm": ("html", read_html),
    ".pdf": ("pdf", read_pdf),
}
