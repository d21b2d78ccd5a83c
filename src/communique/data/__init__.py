"""Data files shipped with Communique: gazetteers, boilerplate patterns, the sample corpus."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent
SAMPLE_DIR = DATA_DIR / "sample"

try:  # the C loader is ~10x faster where libyaml is present
    _Loader: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the wheel
    _Loader = yaml.SafeLoader


@lru_cache(maxsize=None)
def load_data(name: str) -> Any:
    """Load ``data/NAME`` (YAML) once per process."""
    with open(DATA_DIR / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_Loader)


def yaml_loader() -> Any:
    return _Loader
