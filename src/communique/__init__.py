"""Communique: a cited knowledge base of a partnership between states or blocs.

The pipeline: ingest (files -> Document) -> extract (Document -> facts with spans) -> resolve
(merge across documents) -> store (SQLite) -> query (CLI, web). The public verbs are listed here.
"""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["build", "open_store", "load_document", "search", "CommuniqueError", "__version__"]


def __getattr__(name: str):  # lazy: keep `import communique` cheap for the CLI
    if name == "build":
        from communique.build import build

        return build
    if name == "open_store":
        from communique.store import open_store

        return open_store
    if name == "load_document":
        from communique.ingest import load_document

        return load_document
    if name == "search":
        from communique.query.search import search

        return search
    if name == "CommuniqueError":
        from communique.errors import CommuniqueError

        return CommuniqueError
    raise AttributeError(name)
