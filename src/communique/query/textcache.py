"""A bounded, thread-safe mapping of document texts: least recently used first out.

A server answers questions over thousands of documents; keeping every text it ever read makes its
memory grow with the number of distinct questions. This keeps at most ``max_chars`` characters.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

__all__ = ["TextCache", "DEFAULT_MAX_CHARS"]

DEFAULT_MAX_CHARS = 32_000_000  # about 32-130 MB of str, whatever the questions


class TextCache:
    """``path -> text`` with a bound on the characters held (dict-like: ``in``, ``[]``, ``get``)."""

    def __init__(self, max_chars: int = DEFAULT_MAX_CHARS) -> None:
        self.max_chars = max_chars
        self.chars = 0
        self._items: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._items

    def get(self, key: str, default: str | None = None) -> str | None:
        with self._lock:
            value = self._items.get(key)
            if value is None:
                return default
            self._items.move_to_end(key)
            return value

    def __getitem__(self, key: str) -> str:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __setitem__(self, key: str, value: str) -> None:
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self.chars -= len(old)
            self._items[key] = value
            self.chars += len(value)
            while self.chars > self.max_chars and len(self._items) > 1:
                _, evicted = self._items.popitem(last=False)
                self.chars -= len(evicted)

    def __len__(self) -> int:
        return len(self._items)
