"""Commands for building and reading the knowledge base."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, Optional

import typer

from communique.cli.render import console, emit_json, emit_rows, err_console, fail

app = typer.Typer(
    name="communique",
    help=(
        "Turn diplomatic documents into a cited knowledge base of a partnership.\n\n"
        "\b\n"
        "Start with:  communique build              (the bundled ASEAN-ROK sample)\n"
        "        or:  communique build FOLDER --db my.db\n"
        "Then:        communique search \"Special Summit\"\n"
        "             communique meetings\n"
        "             communique ask \"Where was the 26th ASEAN-ROK Dialogue held?\""
    ),
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,  # plain help: Rich's help formatter alone doubles start-up (0.11 s -> 0.29 s)
)

DB_DEFAULT = os.environ.get("COMMUNIQUE_DB", "communique.db")
DbOption = typer.Option(DB_DEFAULT, "--db", help="Knowledge base: a SQLite file, or postgresql://USER@HOST/DB (env COMMUNIQUE_DB).", show_default=True)
JsonOption = typer.Option(False, "--json", help="Print JSON instead of a table.")
CsvOption = typer.Option(False, "--csv", help="Print CSV (for spreadsheets).")


def _open(db: str) -> Any:
    from communique.errors import CommuniqueError
    from communique.store import open_store

    try:
        return open_store(db)
    except CommuniqueError as exc:
        fail(str(exc))


@app.command()
def build(
    paths: list[Path] = typer.Argument(None, help="Files and folders to ingest (default: the bundled sample)."),
    db: str = DbOption,
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", min=1, help="Worker processes (default: all cores)."),
    rebuild: bool = typer.Option(False, "--rebuild", help="Empty the knowledge base first."),
    on_error: str = typer.Option("record", "--on-error", help="skip | record | raise: what a bad file does."),
    max_mb: float = typer.Option(25.0, "--max-size", help="Refuse files larger than this many MB."),
    wait: float = typer.Option(0.0, "--wait", help="Seconds to wait if another build holds the knowledge base."),
    quiet: bool = typer.Option(False, "--quiet", "-q", help="No progress bar."),
    executor: str = typer.Option("local", "--executor", help="local (processes here) or dask://HOST:PORT (a Dask cluster whose workers see the same paths)."),
    as_json: bool = JsonOption,
) -> None:
    """Ingest documents (.txt .md .html .pdf) into the knowledge base; incremental.

    Examples:

    \b
      communique build                            # the bundled ASEAN-ROK sample
      communique build ../shared/corpus/wh-briefings --db wh.db --jobs 2
      communique build docs/ --db kb.db --rebuild --on-error skip
      communique build /shared/archive --db postgresql://user@dbhost/kb --executor dask://scheduler:8786
    """
    from communique.build import build as run_build
    from communique.data import SAMPLE_DIR
    from communique.errors import CommuniqueError

    if on_error not in ("skip", "record", "raise"):
        fail(f"--on-error must be skip, record or raise, not {on_error!r}")
    targets = list(paths) if paths else [SAMPLE_DIR]
    show_bar = not quiet and not as_json
    progress_view = _BuildProgress(enabled=show_bar)
    try:
        with progress_view:
            report = run_build(
                targets, db, jobs=jobs, rebuild=rebuild, on_error=on_error,  # type: ignore[arg-type]
                max_bytes=int(max_mb * 1024 * 1024), wait=wait, progress=progress_view, executor=executor,
            )
    except KeyboardInterrupt:
        err_console().print("[yellow]interrupted:[/] the knowledge base keeps every document stored so far; run the same command to resume")
        raise typer.Exit(130)
    except CommuniqueError as exc:
        fail(str(exc))
    if as_json:
        emit_json(report.as_dict())
        return
    _print_build_summary(report)


class _BuildProgress:
    """A Rich progress bar fed by the library's progress callback."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.progress: Any = None
        self.task: Any = None

    def __enter__(self) -> "_BuildProgress":
        if self.enabled:
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self.progress = Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TaskProgressColumn(),
                TextColumn("{task.fields[rate]} docs/s"), TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                console=err_console(), transient=False,
            )
            self.progress.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.progress is not None:
            self.progress.__exit__(*exc)

    def __call__(self, event: str, info: dict[str, Any]) -> None:
        if self.progress is None:
            return
        if event == "start":
            self.task = self.progress.add_task("ingesting", total=info["total"], rate="0")
        elif event == "advance" and self.task is not None:
            self.progress.advance(self.task, info.get("n", 1))
            task = self.progress.tasks[0]
            if task.elapsed:
                self.progress.update(self.task, rate=f"{task.completed / task.elapsed:,.0f}")
        elif event == "phase":
            self.progress.console.print(f"[dim]{info['name']}…[/]")


def _print_build_summary(report: Any) -> None:
    from rich.markup import escape

    out = console()
    rate = report.added / report.seconds if report.seconds else 0
    out.print(
        f"[bold green]built[/] {escape(report.db)}: {report.added} added, {report.replaced} replaced, "
        f"{report.unchanged} unchanged, {len(report.duplicates)} duplicates, {len(report.errors)} skipped "
        f"— {report.documents} documents in the knowledge base ({report.seconds:.1f} s, {rate:,.0f} docs/s, "
        f"{report.jobs} jobs)"
    )
    if report.resolved:
        out.print("resolved: " + ", ".join(f"{v} {k}" for k, v in report.resolved.items()))
    _capped_table(out, "Duplicates (stored once)", ("duplicate file", "same text as"), report.duplicates, 20, "")
    _capped_table(out, "Skipped", ("skipped file", "reason"), report.errors, 30,
                  f": see 'communique errors --db {escape(report.db)}'")


def _capped_table(out: Any, title: str, header: tuple[str, str], rows: list[tuple[str, str]], cap: int, more: str) -> None:
    from rich.markup import escape
    from rich.table import Table

    if not rows:
        return
    table = Table(*header, title=title, title_justify="left")
    for a, b in rows[:cap]:
        table.add_row(escape(a), escape(b))
    out.print(table)
    if len(rows) > cap:
        out.print(f"… and {len(rows) - cap} more{more}")


@app.command()
def search(
    query: str = typer.Argument(..., help="Words to find (all of them; any of them when none match all)."),
    db: str = DbOption,
    limit: int = typer.Option(10, "--limit", "-n", min=1, max=200, help="Passages per page."),
    page: int = typer.Option(1, "--page", min=1, max=200, help="Page of results."),
    since: Optional[str] = typer.Option(None, "--since", help="Documents dated from this year, month or day."),
    until: Optional[str] = typer.Option(None, "--until", help="Documents dated up to this year, month or day."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only documents of this kind (joint_statement, readout...)."),
    publisher: Optional[str] = typer.Option(None, "--publisher", help="Only documents whose publisher's name holds these words."),
    sort: str = typer.Option("relevance", "--sort", help="relevance, date (newest first) or oldest."),
    partnership: Optional[str] = typer.Option(None, "--partnership", "-P", help="Only documents of this partnership, e.g. 'ASEAN-U.S.'."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """Full-text search: BM25-ranked passages with their exact offsets, near-duplicates folded.

    Examples:

    \b
      communique search "Special Summit Washington" --db wh.db --json
      communique search "maritime" --db wh.db --kind joint_statement --since 2021 --sort date --page 2
    """
    from rich.markup import escape

    from communique.errors import CommuniqueError
    from communique.query.search import search_page

    store = _open(db)
    try:
        scope = None
        if partnership:
            from communique.query.partnership import scope_of

            scope = scope_of(store, partnership).document_ids
        result = search_page(store, query, limit=limit, offset=(page - 1) * limit, since=since, until=until, kind=kind,
                             publisher=publisher, scope=scope, sort=sort)
    except CommuniqueError as exc:
        fail(str(exc))
    hits = result.hits
    rows = [h.as_dict() for h in hits]
    if emit_rows(rows, as_json, as_csv, ["document", "title", "date", "kind", "start", "end", "score", "quote"]):
        return
    out = console()
    if not hits:
        out.print(f"no passage matches {escape(query)!r}" + (" with these filters" if result.total else ""))
        return
    from rich.text import Text

    pages = -(-result.found // limit)
    out.print(f"[dim]{result.found:,} results ({result.total:,} passages match"
              + (", ranked over the latest 8,000" if result.bounded else "") + f") · page {page} of {pages}[/]\n")
    for rank, hit in enumerate(hits, (page - 1) * limit + 1):
        folded = f" · {hit.folded} near-duplicate(s) folded" if hit.folded else ""
        out.print(f"[bold]{rank}. {escape(hit.title or hit.document)}[/] [dim]{hit.date or ''} · {hit.kind} · "
                  f"{escape(hit.document)} \\[{hit.start}:{hit.end}]{folded}[/]")
        text = Text("   " + hit.quote)
        for s, e in hit.highlights:
            text.stylize("bold yellow", 3 + s - hit.start, 3 + e - hit.start)
        out.print(text)
        out.print()


@app.command()
def documents(
    db: str = DbOption,
    limit: Optional[int] = typer.Option(None, "--limit", "-n", min=1, help="At most this many."),
    kind: Optional[str] = typer.Option(None, "--kind", help="Only documents of this kind (joint_statement, readout, fact_sheet, ...)."),
    partnership: Optional[str] = typer.Option(None, "--partnership", "-P", help="Only documents of this partnership, e.g. 'ROK-U.S.'."),
    as_json: bool = JsonOption,
    as_csv: bool = CsvOption,
) -> None:
    """List the documents in the knowledge base, with their kind.

    Example: communique documents --kind joint_statement --json"""
    from rich.markup import escape
    from rich.table import Table

    from communique.errors import CommuniqueError

    store = _open(db)
    rows = store.documents(limit=None if partnership else limit, kind=kind)
    if partnership:
        from communique.query.partnership import scope_of

        try:
            paths = scope_of(store, partnership).paths
        except CommuniqueError as exc:
            fail(str(exc))
        rows = [r for r in rows if r["path"] in paths][:limit]
    if emit_rows(rows, as_json, as_csv):
        return
    table = Table("path", "title", "kind", "date", "publisher", "chars", title=f"{len(rows)} documents", title_justify="left")
    for r in rows:
        table.add_row(escape(r["path"]), escape(r["title"] or ""), r["kind"], r["date"] or "", escape(r["publisher"] or ""),
                      f"{r['chars']:,}")
    console().print(table)


@app.command()
def show(
    document: str = typer.Argument(..., help="Document path (as in 'documents'), id, or a unique prefix."),
    db: str = DbOption,
    span: Optional[str] = typer.Option(None, "--span", help="START:END to highlight, e.g. 120:245."),
    as_json: bool = JsonOption,
) -> None:
    """Show a document's clean text and metadata, a span highlighted.

    Example:  communique show 004_931a6d2c2293319e.txt --span 0:120
    """
    from rich.markup import escape

    store = _open(db)
    doc = store.document(document)
    if doc is None:
        fail(f"no document {document!r} in {db}: see 'communique documents --db {db}'")
    start = end = None
    if span:
        try:
            start_s, end_s = span.split(":", 1)
            start, end = int(start_s), int(end_s)
        except ValueError:
            fail(f"--span must be START:END with two whole numbers, not {span!r}")
        if not (0 <= start <= end <= len(doc.text)):
            fail(f"--span {span} is outside the document (0:{len(doc.text)})")
    if as_json:
        data = doc.summary() | {"date_source": doc.date_source, "tags": doc.tags, "text": doc.text, "pages": doc.pages}
        if start is not None:
            data["span"] = {"start": start, "end": end, "quote": doc.text[start:end]}
        emit_json(data)
        return
    out = console()
    out.print(f"[bold]{escape(doc.title or doc.path)}[/]")
    out.print(f"[dim]{escape(doc.path)} · {doc.date or 'undated'} · {escape(doc.publisher or '')} · {escape(doc.url or '')}[/]\n")
    if start is None:
        out.print(escape(doc.text))
    else:
        out.print(escape(doc.text[:start]) + "[reverse bold yellow]" + escape(doc.text[start:end]) + "[/]" + escape(doc.text[end:]))


@app.command()
def stats(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """Counts of documents, passages and facts in the knowledge base."""
    from rich.table import Table

    store = _open(db)
    data = store.stats()
    if as_json:
        emit_json(data)
        return
    table = Table("what", "count", title=f"{db}", title_justify="left")
    for key, value in data.items():
        if isinstance(value, int):
            table.add_row(key.replace("_", " "), f"{value:,}")
        elif value:
            table.add_row(key.replace("_", " "), str(value))
    console().print(table)


@app.command()
def errors(db: str = DbOption, as_json: bool = JsonOption, as_csv: bool = CsvOption) -> None:
    """Files the builds could not ingest, each with its reason."""
    from rich.markup import escape
    from rich.table import Table

    store = _open(db)
    rows = store.errors()
    if emit_rows(rows, as_json, as_csv):
        return
    if not rows:
        console().print("no errors recorded")
        return
    table = Table("file", "reason", title=f"{len(rows)} files not ingested", title_justify="left")
    for r in rows:
        table.add_row(escape(r["path"]), escape(r["reason"] or ""))
    console().print(table)


def main() -> None:
    from communique.cli import desk, facts  # noqa: F401  registers the fact and partnership-desk commands

    app()


@app.command()
def serve(
    db: str = DbOption,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to bind (default: this machine only)."),
    port: int = typer.Option(8000, "--port", "-p", min=1, max=65535, help="Port to listen on."),
    ask_workers: Optional[int] = typer.Option(None, "--ask-workers", min=1, max=32,
                                              help="Processes answering questions (default 1: one per spare core)."),
    ask_seconds: Optional[float] = typer.Option(None, "--ask-seconds", min=0.1, max=600,
                                                help="Time limit of one question, in seconds (default 10)."),
) -> None:
    """Serve the knowledge base as a web application (read-only) with a JSON API under /api.

    Questions (/ask, /api/ask) are answered in separate worker processes, so pages and searches never
    wait behind them; a question that waits or runs too long gets a one-line 503 or 504.

    Example:  communique serve --db wh.db --port 8000 --ask-workers 2   then open http://127.0.0.1:8000
    """
    from communique.errors import CommuniqueError

    try:
        import uvicorn

        from communique.web import create_app

        options = {k: v for k, v in (("ask_workers", ask_workers), ("ask_seconds", ask_seconds)) if v is not None}
        web_app = create_app(db, **options)
    except CommuniqueError as exc:
        fail(str(exc))
    console().print(f"[bold green]Communique[/] serving {db} at [link]http://{host}:{port}[/link]  (Ctrl-C to stop)")
    # SIGTERM or Ctrl-C: requests in flight get a few seconds (each is bounded anyway), then the process ends
    uvicorn.run(web_app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    web_app.state.catalog.close()  # the answering processes end with the server (done already after a clean stop)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)  # threads still finishing must not hold the exit
