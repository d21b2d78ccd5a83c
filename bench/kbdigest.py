"""Digest of what a build produced, to check that a faster build stores the same knowledge base.

    python bench/kbdigest.py KB.db > before.json      # counts and hashes per table
    python bench/kbdigest.py KB.db --against before.json   # differences, table by table

Every table's rows are hashed in a stable order, leaving out what differs between two builds of the
same files by design (build times, absolute roots and paths, auto-increment ids).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys

# (table, columns that identify what was built, the order)
TABLES = {
    "documents": ("id, path, title, publisher, date, date_source, url, tags, format, encoding, size, "
                  "text_hash, pages, text, sentences, kind", "id"),
    "files": ("relpath, size, status, document_id, reason", "relpath"),
    "passages": ("document_id, kind, seq, paragraph, start, \"end\"", "document_id, kind, seq"),
    "facts": ("id, document_id, kind, value, start, \"end\", quote, extractor", "id"),
    **{t: ("id, seq, key, date, record", "seq, id")
       for t in ("meetings", "events", "commitments", "figures", "people", "entities")},
}


def rows(db: sqlite3.Connection, table: str) -> list[str]:
    cols, order = TABLES[table]
    return [json.dumps(r, ensure_ascii=False) for r in db.execute(f"SELECT {cols} FROM {table} ORDER BY {order}")]


def digest(path: str) -> dict[str, dict]:
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    out = {}
    for table in TABLES:
        r = rows(db, table)
        out[table] = {"rows": len(r), "sha1": hashlib.sha1("\n".join(r).encode()).hexdigest()}
    kinds = db.execute("SELECT kind, COUNT(*) FROM facts GROUP BY kind ORDER BY kind").fetchall()
    out["facts_by_kind"] = dict(kinds)
    return out


def main(argv: list[str]) -> int:
    now = digest(argv[1])
    if len(argv) > 3 and argv[2] == "--against":
        before = json.load(open(argv[3]))
        same = True
        for table, figures in now.items():
            if before.get(table) != figures:
                same = False
                print(f"{table}: before {before.get(table)} now {figures}")
        print("same" if same else "DIFFERENT")
        return 0 if same else 1
    print(json.dumps(now, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
