"""Output helpers shared by the commands: JSON, CSV, Rich tables, one-line errors."""

from __future__ import annotations

import csv
import io
import json
import sys
from typing import Any, NoReturn

import typer

__all__ = ["emit_json", "emit_csv", "emit_rows", "fail", "console", "err_console"]


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def emit_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        if isinstance(value, list) and all(isinstance(v, dict) and "name" in v for v in value):
            return "; ".join(str(v["name"]) for v in value)
        if isinstance(value, list) and all(not isinstance(v, (list, dict)) for v in value):
            return "; ".join(str(v) for v in value)
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def emit_csv(rows: list[dict[str, Any]], columns: list[str] | None = None) -> None:
    """Rows as CSV with a header; nested values flattened (names joined, the rest as JSON)."""
    columns = columns or (list(rows[0].keys()) if rows else [])
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row.get(c)) for c in columns])
    sys.stdout.write(out.getvalue())


def emit_rows(rows: list[dict[str, Any]], as_json: bool, as_csv: bool, columns: list[str] | None = None) -> bool:
    """Print the rows as JSON or CSV when one was asked for; returns True when it printed."""
    if as_json:
        emit_json(rows)
        return True
    if as_csv:
        emit_csv(rows, columns)
        return True
    return False


def fail(message: str) -> NoReturn:
    """One red line on stderr, exit status 1."""
    from rich.markup import escape

    err_console().print(f"[bold red]error:[/] {escape(message)}")
    raise typer.Exit(1)
