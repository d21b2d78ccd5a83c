"""The knowledge base: one ``Store`` interface, two backends (a SQLite file, or PostgreSQL)."""

from communique.store.base import PreparedRows, Store, StoredDocument, is_postgres_url, open_store

__all__ = ["Store", "StoredDocument", "PreparedRows", "open_store", "is_postgres_url"]
