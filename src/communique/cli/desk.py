"""The partnership desk's commands: partnerships, brief (registered on the app when imported)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from communique.cli.app import DbOption, JsonOption, _open, app
from communique.cli.render import console, emit_json, fail


@app.command()
def partnerships(db: str = DbOption, as_json: bool = JsonOption) -> None:
    """The partnerships the knowledge base holds (parties that meet in a mechanism), with counts.

    Example:  communique partnerships --db wh.db --json
    """
    from rich.markup import escape
    from rich.table import Table

    from communique.errors import CommuniqueError
    from communique.query.partnership import partnerships as list_partnerships

    store = _open(db)
    try:
        rows = list_partnerships(store)
    except CommuniqueError as exc:
        fail(str(exc))
    if as_json:
        emit_json(rows)
        return
    table = Table("partnership", "meetings", "documents", "commitments", "events", "figures",
                  title=f"{len(rows)} partnerships", title_justify="left")
    for r in rows:
        table.add_row(escape(r["name"]), *(f"{r[k]:,}" for k in ("meetings", "documents", "commitments", "events", "figures")))
    console().print(table)
    console().print("[dim]any other set of parties works too: --partnership 'ROK-U.S.'[/]")


@app.command()
def brief(
    partnership: str = typer.Option(..., "--partnership", "-P", help="The parties, e.g. 'ASEAN-ROK' or 'ASEAN-U.S.'."),
    db: str = DbOption,
    mechanism: Optional[str] = typer.Option(None, "--mechanism", "-m", help="One mechanism of it, e.g. 'ASEAN-ROK Dialogue'."),
    since: Optional[str] = typer.Option(None, "--since", help="What happened from this date (default: the last meeting)."),
    fmt: str = typer.Option("md", "--format", "-f", help="md, html, docx or json."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write to this file (docx needs one)."),
) -> None:
    """A briefing pack for the next meeting: the last meeting, commitments with their follow-ups and
    status, meetings and milestones since, figures, people, new documents; every sentence cited.

    Examples:

    \b
      communique brief --partnership ASEAN-ROK --mechanism "ASEAN-ROK Dialogue"
      communique brief -P ASEAN-U.S. --db wh.db --format docx --output brief.docx
    """
    import sys

    from communique.errors import CommuniqueError
    from communique.query.brief import make_brief
    from communique.query.brief_render import FORMATS, render

    if fmt not in FORMATS:
        fail(f"--format must be one of {', '.join(FORMATS)}, not {fmt!r}")
    if fmt == "docx" and output is None:
        fail("--format docx writes a file: give --output FILE.docx")
    store = _open(db)
    try:
        content = render(make_brief(store, partnership, mechanism, since), fmt)
    except CommuniqueError as exc:
        fail(str(exc))
    if output is None:
        sys.stdout.write(content if isinstance(content, str) else content.decode())
        return
    try:
        tmp = output.with_name(output.name + ".part")
        tmp.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        tmp.replace(output)  # whole or nothing: no half-written brief
    except OSError as exc:
        fail(f"{output}: cannot write ({exc.strerror or exc})")
    console().print(f"wrote {output}")
