"""The briefing pack as Markdown, HTML or DOCX: every sentence followed by its numbered sources,
the sources listed at the end with their exact quotes and offsets."""

from __future__ import annotations

import io
from html import escape
from typing import Any

from communique.query.brief import Brief, Line

__all__ = ["render", "html_fragment", "FORMATS", "References"]

FORMATS = ("md", "html", "docx", "json")


class References:
    """Numbers each distinct source (document and span) once, in order of first citation."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._index: dict[tuple[str, int, int], int] = {}

    def numbers(self, line: Line) -> list[int]:
        out = []
        for s in line.sources:
            key = (s["document"], int(s["start"]), int(s["end"]))
            if key not in self._index:
                self.items.append(s)
                self._index[key] = len(self.items)
            if self._index[key] not in out:
                out.append(self._index[key])
        return out


def _label(line: Line) -> str:
    return f"{line.label} — " if line.label else ""


def _md(brief: Brief) -> str:
    refs = References()
    out = [f"# {brief.title}", ""]
    for section in brief.sections:
        out += [f"## {section.heading}", ""]
        if not section.lines:
            out += [f"_{section.empty}_", ""]
        for line in section.lines:
            out.append(f"- {('**' + line.label + '** — ') if line.label else ''}{line.text} " + "".join(f"[{n}]" for n in refs.numbers(line)))
            for child in line.children:
                out.append(f"  - *{child.label}* — {child.text} " + "".join(f"[{n}]" for n in refs.numbers(child)))
        out.append("")
    out += ["## Sources", ""]
    for n, s in enumerate(refs.items, 1):
        quote = " ".join(s["quote"].split())
        out.append(f"{n}. {s.get('title') or s['document']} ({s.get('date') or 'undated'}), `{s['document']}` [{s['start']}:{s['end']}]: “{quote}”")
    return "\n".join(out) + "\n"


def html_fragment(brief: Brief, link: Any = None) -> str:
    refs = References()
    parts = [f"<article class=\"brief\"><h1>{escape(brief.title)}</h1>"]

    def cites(line: Line) -> str:
        return "".join(f"<sup><a href=\"#src-{n}\" class=\"cite\">[{n}]</a></sup>" for n in refs.numbers(line))

    for section in brief.sections:
        parts.append(f"<section id=\"{section.key}\"><h2>{escape(section.heading)}</h2>")
        if not section.lines:
            parts.append(f"<p class=\"muted\"><em>{escape(section.empty)}</em></p>")
        else:
            parts.append("<ul>")
            for line in section.lines:
                label = f"<span class=\"tag\">{escape(line.label)}</span> " if line.label else ""
                parts.append(f"<li class=\"line\">{label}<span class=\"sentence\">{escape(line.text)}</span>{cites(line)}")
                if line.children:
                    parts.append("<ul>")
                    for child in line.children:
                        clabel = f"<span class=\"tag\">{escape(child.label)}</span> " if child.label else ""
                        parts.append(f"<li class=\"line\">{clabel}<span class=\"sentence\">{escape(child.text)}</span>{cites(child)}</li>")
                    parts.append("</ul>")
                parts.append("</li>")
            parts.append("</ul>")
        parts.append("</section>")
    parts.append("<section id=\"sources\"><h2>Sources</h2><ol class=\"sources\">")
    for n, s in enumerate(refs.items, 1):
        href = link(s) if link else None
        name = escape(s.get("title") or s["document"])
        name = f"<a href=\"{escape(href)}\">{name}</a>" if href else name
        parts.append(f"<li id=\"src-{n}\">{name} ({escape(str(s.get('date') or 'undated'))}), <code>{escape(s['document'])}</code> "
                     f"[{s['start']}:{s['end']}]: <q>{escape(' '.join(s['quote'].split()))}</q></li>")
    parts.append("</ol></section></article>")
    return "".join(parts)


def _html_page(brief: Brief) -> str:
    return ("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + escape(brief.title) + "</title>"
            "<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
            ".tag{font-size:.8em;background:#eef;border-radius:3px;padding:0 .3em}.muted{color:#666}q{font-style:italic}</style>"
            "</head><body>" + html_fragment(brief) + "</body></html>\n")


def _docx(brief: Brief) -> bytes:
    from docx import Document

    refs = References()
    doc = Document()
    doc.add_heading(brief.title, level=0)

    def add(line: Line, style: str) -> None:
        para = doc.add_paragraph(style=style)
        if line.label:
            para.add_run(line.label + " — ").bold = True
        para.add_run(line.text + " ")
        para.add_run("".join(f"[{n}]" for n in refs.numbers(line))).font.superscript = True

    for section in brief.sections:
        doc.add_heading(section.heading, level=1)
        if not section.lines:
            doc.add_paragraph(section.empty).runs[0].italic = True
        for line in section.lines:
            add(line, "List Bullet")
            for child in line.children:
                add(child, "List Bullet 2")
    doc.add_heading("Sources", level=1)
    for n, s in enumerate(refs.items, 1):
        doc.add_paragraph(f"[{n}] {s.get('title') or s['document']} ({s.get('date') or 'undated'}), {s['document']} "
                          f"[{s['start']}:{s['end']}]: “{' '.join(s['quote'].split())}”")
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def render(brief: Brief, fmt: str) -> str | bytes:
    """The brief as ``md``, ``html`` (a whole page), ``docx`` (bytes) or ``json``."""
    if fmt == "md":
        return _md(brief)
    if fmt == "html":
        return _html_page(brief)
    if fmt == "docx":
        return _docx(brief)
    if fmt == "json":
        import json

        return json.dumps(brief.as_dict(), ensure_ascii=False, indent=2) + "\n"
    from communique.errors import QueryError

    raise QueryError(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
