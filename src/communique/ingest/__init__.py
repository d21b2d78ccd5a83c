"""Ingest: files on disk -> ``Document`` (clean text, metadata, passages).

Public verbs: ``walk`` finds the files a build covers; ``load_document`` reads one of them.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from communique.dates import date_from_metadata
from communique.errors import IngestError
from communique.ingest.formats import READERS, FormatFailure
from communique.ingest.kind import document_kind
from communique.ingest.metadata import dateline_date, guess_title, publisher_from_url
from communique.ingest.passages import split_passages
from communique.model import Document

__all__ = ["SourceFile", "walk", "load_document", "read_manifest", "MAX_FILE_BYTES", "SUPPORTED_SUFFIXES"]

MAX_FILE_BYTES = 25 * 1024 * 1024  # larger files are skipped: no diplomatic document is that long
SUPPORTED_SUFFIXES = frozenset(READERS)
MANIFEST_NAME = "SOURCES.json"


@dataclass(frozen=True, slots=True)
class SourceFile:
    """A file found by ``walk``: where it is, and its name relative to the build root."""

    path: str  # absolute path
    relpath: str  # relative to the folder given to the build (POSIX separators)
    root: str  # that folder


def walk(paths: list[str | Path]) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Find every supported file under the given files and folders.

    Returns:
        ``(files, problems)``: files sorted by relative path; ``problems`` lists
        ``(path, reason)`` for inputs that cannot be read (missing, unreadable folders).
    """
    files: list[SourceFile] = []
    problems: list[tuple[str, str]] = []
    seen: set[str] = set()
    for given in paths:
        p = Path(given)
        if not p.exists():
            problems.append((str(given), "no such file or folder"))
            continue
        if not p.is_dir():  # a file, or something that is not one (a FIFO): reading it says which
            ap = str(p.resolve())
            if ap not in seen and p.name != MANIFEST_NAME:
                seen.add(ap)
                files.append(SourceFile(ap, p.name, str(p.resolve().parent)))
            continue
        root = p.resolve()

        def on_error(err: OSError) -> None:
            problems.append((str(err.filename), f"cannot read folder ({err.strerror})"))

        for dirpath, dirnames, filenames in os.walk(root, onerror=on_error):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                if name.startswith(".") or Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
                    continue
                ap = os.path.join(dirpath, name)
                if ap in seen:
                    continue
                seen.add(ap)
                files.append(SourceFile(ap, Path(ap).relative_to(root).as_posix(), str(root)))
    return files, problems


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a folder" if stat.S_ISDIR(mode) else "special"


def read_manifest(folder: str | Path) -> dict[str, dict[str, Any]]:
    """Optional ``SOURCES.json`` in a folder: a list of ``{"file", "title", "publisher", "url",
    "published"}`` records giving attribution for files that carry none themselves."""
    path = Path(folder) / MANIFEST_NAME
    if not path.is_file():
        return {}
    try:
        records = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(records, list):
        return {}
    return {str(r["file"]): r for r in records if isinstance(r, dict) and r.get("file")}


def _text_hash(text: str) -> str:
    normalised = " ".join(text.casefold().split())  # runs of whitespace fold to one space
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()[:16]


def load_document(
    source: SourceFile,
    manifest: dict[str, dict[str, Any]] | None = None,
    max_bytes: int = MAX_FILE_BYTES,
) -> Document:
    """Read, decode, clean and split one file.

    Raises:
        IngestError: the file is unreadable, too large, empty, binary or malformed.
    """
    suffix = Path(source.path).suffix.lower()
    if suffix not in READERS:
        raise IngestError(source.relpath, f"unsupported file type '{suffix}'")
    fmt, reader = READERS[suffix]
    try:
        # opened without blocking, then checked: a FIFO put in place after the walk must not hang the read
        fd = os.open(source.path, os.O_RDONLY | os.O_NONBLOCK)
        with open(fd, "rb", closefd=True) as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise IngestError(source.relpath, f"not a regular file ({_kind(st.st_mode)})")
            size = st.st_size
            if size > max_bytes:
                raise IngestError(source.relpath, f"larger than the {max_bytes // (1024 * 1024)} MB limit ({size / 1048576:.1f} MB)")
            data = handle.read(max_bytes + 1)
    except PermissionError:
        raise IngestError(source.relpath, "permission denied") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise IngestError(source.relpath, "cannot read (a symbolic link loop)") from None
        raise IngestError(source.relpath, f"cannot read ({exc.strerror})") from None
    if not data.strip():
        raise IngestError(source.relpath, "empty file")
    try:
        parsed = reader(data)
    except FormatFailure as exc:
        raise IngestError(source.relpath, str(exc)) from None
    text = parsed.text
    if not text.strip():
        raise IngestError(source.relpath, "no text left after cleaning")
    if fmt in ("md", "html") and parsed.title and not text.startswith(parsed.title):
        text = f"{parsed.title}\n\n{text}"  # the headline is part of what the document says
    attribution = (manifest or {}).get(source.relpath) or (manifest or {}).get(Path(source.relpath).name) or {}
    url = parsed.url or attribution.get("url")
    title = parsed.title or attribution.get("title") or guess_title(text) or Path(source.relpath).stem
    date, date_source = parsed.date, "metadata" if parsed.date else None
    if attribution.get("published") and not date:
        date, date_source = date_from_metadata(attribution["published"]), "manifest"
    if not date:
        date = dateline_date(text)
        date_source = "dateline" if date else None
    publisher = parsed.publisher or attribution.get("publisher")
    if not publisher or (" " not in publisher and "." in publisher):  # a bare host name: look it up
        publisher = publisher_from_url(url) or publisher
    return Document(
        id=hashlib.sha256(data).hexdigest()[:16],
        path=source.relpath,
        text=text,
        text_hash=_text_hash(text),
        format=fmt,
        encoding=parsed.encoding,
        size=len(data),
        title=title,
        publisher=publisher,
        date=date,
        date_source=date_source,
        url=url,
        kind=document_kind(title, text, attribution.get("kind")),
        tags=parsed.tags,
        pages=parsed.pages,
        passages=split_passages(text),
    )
