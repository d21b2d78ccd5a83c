"""Commands over extracted facts: meetings, events, commitments, figures, people, entities, timeline,
extract (registered on the app when imported)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import typer

from communique.cli.app import CsvOption, DbOption, JsonOption, _open, app
from communique.cli.render import console, emit_json, emit_rows, fail


def _listing(rows: list[dict[str, Any]], as_json: bool, as_csv: bool, columns: list[str]) -> bool:
    """Print JSON or CSV when asked; returns True when it printed."""
    flat = [_flat(r) for r in rows] if as_csv and not as_json else rows
    return emit_rows(flat, as_json, as_csv, columns + ["source"])


def _flat(r: dict[str, Any]) -> dict[str, Any]:
    out = dict(r)
    for key in ("participants", "co_chairs"):
        if isinstance(r.get(key), list):
            out[key] = "; ".join(p["name"] if isinstance(p, dict) else str(p) for p in r[key])
    if r.get("sources"):
        s = r["sources"][0]
        out["source"] = f"{s['document']} [{s['start']}:{s['end']}]"
    return out


def _table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.markup import escape
    from rich.table import Table

    table = Table(*columns, title=title, title_justify="left", show_lines=False)
    for row in rows:
        table.add_row(*[escape("" if v is None else str(v)) for v in row])
    console().print(table)


PartnershipOption = typer.Option(None, "--partnership", "-P",
                                 help="Only what involves these parties, e.g. 'ASEAN-ROK', 'ROK-U.S.' (see 'partnerships').")


def _query(fn: str, db: str, *args: Any, partnership: Optional[str] = None, wider: bool = False, **kwargs: Any) -> Any:
    """One library call; with ``partnership`` its records are scoped to the partnership."""
    from communique.errors import CommuniqueError
    from communique.query import facts
    from communique.query.partnership import scope_of, scope_records

    store = _open(db)
    try:
        rows = getattr(facts, fn)(store, *args, **kwargs)
        if partnership:
            rows = scope_records(fn, rows, scope_of(store, partnership), wider=wider)
        return rows
    except CommuniqueError as exc:
        fail(str(exc))


@app.command()
def meetings(
    db: str = DbOption,
    mechanism: Optional[str] = typer.Option(None, "--mechanism", "-m", help="Only this mechanism, e.g. 'ASEAN-ROK Dialogue'."),
    partnership: Optional[str] = PartnershipOption,
    wider: bool = typer.Option(False, "--wider", help="With --partnership: also meetings of more parties (trilateral...)."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Meetings merged across documents: mechanism, ordinal, date, venue, format, status, participants, co-chairs.

    Example:  communique meetings --mechanism "ASEAN-ROK Summit" --json
    """
    rows = _query("meetings", db, mechanism, partnership=partnership, wider=wider)
    cols = ["mechanism", "ordinal", "date", "city", "country", "format", "status", "participants", "co_chairs"]
    if _listing(rows, as_json, as_csv, ["id"] + cols + ["date_inferred", "planned"]):
        return
    _table(f"{len(rows)} meetings", ["date", "mechanism", "#", "venue", "format", "status", "participants", "co-chairs", "sources"], [
        [(r["date"] + ("*" if r["date_inferred"] else "") if r["date"] else ""),
         r["mechanism"], r["ordinal"],
         ", ".join(x for x in (r["city"], r["country"]) if x), r["format"],
         r.get("status") or ("planned" if r.get("planned") else "held"),
         "; ".join(p["name"] if isinstance(p, dict) else str(p) for p in r.get("participants", [])[:4]),
         "; ".join(c["name"] for c in r["co_chairs"]), len(r["sources"])]
        for r in rows
    ])
    console().print("[dim]* date inferred · status: held, planned, postponed or cancelled[/]")


@app.command()
def events(
    db: str = DbOption,
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="relationship, agreement, document, institution, initiative, appointment, membership, policy, other."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Milestones other than meetings, with their kind and sources."""
    rows = _query("events", db, kind, partnership=partnership)
    if _listing(rows, as_json, as_csv, ["id", "date", "kind", "label", "entities"]):
        return
    _table(f"{len(rows)} events", ["date", "kind", "milestone", "sources"],
           [[r["date"], r["kind"], r["label"][:110], len(r["sources"])] for r in rows])


@app.command()
def commitments(
    db: str = DbOption,
    document: Optional[str] = typer.Option(None, "--document", "-d", help="Only clauses of this document (path or title words)."),
    part: str = typer.Option("operative", "--part", help="operative (default), preamble or all."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Clauses of declarations and joint statements, with the later passages that follow them up
    (reaffirm, implement, progress, extend, supersede) and each clause's status."""
    if part not in ("operative", "preamble", "all"):
        fail("--part must be operative, preamble or all")
    rows = _query("commitments", db, document, part, partnership=partnership)
    if _listing([r | {"status_text": (r.get("status") or {}).get("status")} for r in rows] if as_csv else rows, as_json, as_csv,
                ["id", "document", "document_date", "number", "section", "text", "operative", "status_text"]):
        return
    _table(f"{len(rows)} commitments", ["document", "#", "section", "clause", "follow-ups", "status"], [
        [(r["document_title"] or r["document"])[:40], r["number"] or r["position"], (r["section"] or "")[:40],
         r["text"][:90], len(r["follow_ups"]), (r.get("status") or {}).get("status", "")] for r in rows
    ])


@app.command()
def figures(
    db: str = DbOption,
    measure: Optional[str] = typer.Option(None, "--measure", help="trade, investment, contribution, assistance, fund, target, amount."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Amounts (trade, contributions, assistance...) with their year or period."""
    rows = _query("figures", db, measure, partnership=partnership)
    if _listing(rows, as_json, as_csv, ["id", "measure", "value", "unit", "year", "period", "qualifier", "target",
                                         "claimant", "measured", "surface", "parties"]):
        return
    _table(f"{len(rows)} figures", ["measure", "amount", "what", "year", "target", "claimant", "sources"], [
        [r["measure"], r["surface"], r.get("measured") or "", r["year"] or r["period"],
         "target" if r.get("target") else "actual", r.get("claimant") or "",
         f"{r['sources'][0]['document']}" + (f" (+{len(r['sources']) - 1})" if len(r["sources"]) > 1 else "")]
        for r in rows
    ])


@app.command()
def people(
    db: str = DbOption,
    name: Optional[str] = typer.Option(None, "--name", help="Only people whose name contains this."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """People with their titles, countries and the dates their roles are attested."""
    rows = _query("people", db, name, partnership=partnership)
    if _listing(rows, as_json, as_csv, ["id", "name", "title", "country", "first_date", "date"]):
        return
    _table(f"{len(rows)} people", ["name", "title", "country", "attested", "documents"], [
        [r["name"], (r["title"] or "")[:70], r["country"],
         f"{r.get('first_date') or ''} – {r['date'] or ''}" if r.get("first_date") != r["date"] else r["date"],
         len(r.get("documents") or {s["document"] for s in r["sources"]})] for r in rows
    ])


@app.command()
def entities(
    db: str = DbOption,
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="state, organisation, institution, fund, policy, document, programme, mechanism, place."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Canonical entities with their aliases and how often they are named."""
    rows = _query("entities", db, kind, partnership=partnership)
    if _listing(rows, as_json, as_csv, ["id", "name", "kind", "aliases", "mentions", "documents"]):
        return
    _table(f"{len(rows)} entities", ["name", "kind", "mentions", "documents", "events", "meetings"], [
        [r["name"], r["kind"], r["mentions"], r["documents"], len(r["events"]), len(r["meetings"])] for r in rows
    ])


@app.command()
def entity(
    name: str = typer.Argument(..., help="Canonical name or alias, e.g. 'ASEAN-Korea Centre' or 'AKCF'."),
    db: str = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """One entity: aliases, the facts that involve it, and where it is named."""
    from rich.markup import escape

    record = _query("entity", db, name)
    if record is None:
        fail(f"no entity named {name!r}: see 'communique entities --db {db}'")
    if as_json:
        emit_json(record)
        return
    out = console()
    out.print(f"[bold]{escape(record['name'])}[/] ({record['kind']}) — {record['mentions']} mentions in {record['documents']} documents")
    if record["aliases"]:
        out.print("aliases: " + escape(", ".join(record["aliases"])))
    if record.get("location"):
        loc = record["location"]
        out.print(f"located in {escape(loc['city'])}, {escape(loc['country'])}  [dim]({escape(loc['source']['document'])})[/]")
    for e in record["events"][:20]:
        out.print(f"  {e['date']}  [cyan]{e['kind']}[/]  {escape(e['label'][:100])}")
    for m in record["meetings"][:20]:
        out.print(f"  {m['date']}  [green]meeting[/]  {m['ordinal'] or ''} {escape(m['mechanism'])}")
    for s in record["sources"][:5]:
        out.print(f"  [dim]{escape(s['document'])} [{s['start']}:{s['end']}][/] {escape(s['quote'][:80])}")


@app.command()
def timeline(
    db: str = DbOption,
    kind: Optional[str] = typer.Option(None, "--kind", "-k", help="meeting, or an event kind."),
    since: Optional[str] = typer.Option(None, "--since", help="From this year or date."),
    until: Optional[str] = typer.Option(None, "--until", help="Up to this year or date."),
    newest_first: bool = typer.Option(False, "--newest-first", help="Latest first."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Meetings (with their status and participants) and milestones in date order.

    Example:  communique timeline --since 2019 --kind relationship --newest-first
    """
    from rich.markup import escape

    rows = _query("timeline", db, kind, since, until, newest_first, partnership=partnership)
    if _listing(rows, as_json, as_csv, ["date", "kind", "label", "id"]):
        return
    out = console()
    year = None
    colours = {"meeting": "green", "relationship": "magenta", "agreement": "yellow", "document": "cyan",
               "institution": "blue", "membership": "red"}
    for item in rows:
        y = str(item["date"])[:4]
        if y != year:
            out.print(f"\n[bold]{y}[/]")
            year = y
        colour = colours.get(item["kind"], "white")
        s = item["sources"][0]
        out.print(f"  {str(item['date']):<23} [{colour}]{item['kind']:<12}[/] {escape(item['label'][:100])} "
                  f"[dim]({escape(s['document'])})[/]")


@app.command()
def extract(
    file: Path = typer.Argument(..., exists=False, help="One document (.txt .md .html .pdf)."),
    as_json: bool = JsonOption,
) -> None:
    """All facts of one file, without a knowledge base (for checking extraction)."""
    from communique.errors import IngestError
    from communique.extract import extract_all
    from communique.ingest import SourceFile, load_document, read_manifest

    if not file.is_file():
        fail(f"{file}: no such file")
    source = SourceFile(str(file.resolve()), file.name, str(file.resolve().parent))
    try:
        doc = load_document(source, read_manifest(file.resolve().parent))
    except IngestError as exc:
        fail(str(exc))
    facts = extract_all(doc)
    rows = [{"kind": f.kind, "value": f.value, "start": f.start, "end": f.end, "quote": doc.text[f.start : f.end],
             "extractor": f.extractor} for f in facts]
    data = {"document": doc.path, "title": doc.title, "date": doc.date, "facts": rows}
    if as_json:
        emit_json(data)
        return
    _table(f"{len(rows)} facts in {doc.path}", ["kind", "quote", "value"],
           [[r["kind"], r["quote"][:60], str({k: v for k, v in r["value"].items() if v not in (None, [], False)})[:120]] for r in rows])


def _batch_line(asker: Any, questions: Path, number: int, line: str, scope: set[str] | None) -> dict[str, Any]:
    import json

    from communique.query.batch import answer_line

    try:
        item = json.loads(line)
        item["q"]
    except (ValueError, KeyError, TypeError) as exc:
        fail(f"{questions}:{number}: not a {{\"id\", \"q\"}} JSON line ({exc})")
    return answer_line(asker, item, scope)


@app.command()
def ask(
    question: Optional[str] = typer.Argument(None, help="A question, e.g. 'Who co-chaired the 24th ASEAN-ROK Dialogue?'"),
    db: str = DbOption,
    questions: Optional[Path] = typer.Option(None, "--questions", help="A JSONL file of {\"id\", \"q\"}: one answer line each."),
    jobs: int = typer.Option(1, "--jobs", "-j", min=1, help="With --questions: worker processes answering (default 1)."),
    partnership: Optional[str] = PartnershipOption,
    as_json: bool = JsonOption,
) -> None:
    """Answer a question in a phrase, citing the exact source passage.

    Examples:

    \b
      communique ask "Who co-chaired the 24th ASEAN-ROK Dialogue?"
      communique ask --db seeds.db --json --questions questions.jsonl
      communique ask --db wh.db --json --questions questions.jsonl --jobs 2
    """
    import json
    import sys

    from rich.markup import escape
    from rich.text import Text

    from communique.errors import CommuniqueError
    from communique.query.ask import Asker

    store = _open(db)
    asker = Asker(store)
    scope: set[str] | None = None
    if partnership:
        from communique.query.partnership import scope_of

        try:
            scope = scope_of(store, partnership).document_ids
        except CommuniqueError as exc:
            fail(str(exc))
    if questions is not None:
        if not questions.is_file():
            fail(f"{questions}: no such file")
        from communique.query.batch import answer_all

        asker.warm()
        lines = [(n, line) for n, line in enumerate(questions.read_text(encoding="utf-8").splitlines(), 1) if line.strip()]
        if jobs > 1:  # every line read first: the workers answer them in order
            items = []
            for number, line in lines:
                try:
                    item = json.loads(line)
                    item["q"]
                except (ValueError, KeyError, TypeError) as exc:
                    fail(f"{questions}:{number}: not a {{\"id\", \"q\"}} JSON line ({exc})")
                items.append(item)
            results = answer_all(asker, items, scope, jobs, reopen=lambda: _open(db))
        else:
            results = (_batch_line(asker, questions, number, line, scope) for number, line in lines)
        for result in results:
            sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
            sys.stdout.flush()  # each answer as soon as it is found: a reader of the pipe sees progress
        return
    if not question:
        fail("give a QUESTION, or --questions FILE")
    try:
        answer = asker.ask(question, scope=scope)
    except CommuniqueError as exc:
        fail(str(exc))
    if as_json:
        emit_json(answer.as_dict())
        return
    out = console()
    if answer.answer is None:
        out.print(f"[yellow]No answer:[/] {escape(answer.message or '')}")
        return
    out.print(f"[bold green]{escape(answer.answer)}[/]")
    for c in answer.citations:
        out.print(f"\n[bold]{escape(c['title'] or c['document'])}[/] [dim]{c.get('date') or ''} · {escape(c['document'])} \\[{c['start']}:{c['end']}][/]")
        quote = Text("  “" + c["quote"] + "”")
        at = c["quote"].lower().find(answer.answer.lower())
        if at >= 0:
            quote.stylize("bold yellow", 3 + at, 3 + at + len(answer.answer))
        out.print(quote)
