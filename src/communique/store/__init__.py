"""The SQLite knowledge base: one file, opened through ``Store``."""

from communique.store.db import Store, StoredDocument, open_store

__all__ = ["Store", "StoredDocument", "open_store"]
