"""Resolve: merge facts across documents into the records users see."""

from __future__ import annotations

from communique.store.db import Store

__all__ = ["resolve_all"]


def resolve_all(store: Store) -> dict[str, int]:
    """Rebuild every resolved table from the stored facts; returns counts per table."""
    return {}
