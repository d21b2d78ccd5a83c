"""The English function words extraction uses are spaCy's list, read from a data file so that an
extraction process does not import spaCy for it."""

from __future__ import annotations

import subprocess
import sys

from communique.extract.people import _stop_words


def test_stop_words_are_spacys_list() -> None:
    from spacy.lang.en.stop_words import STOP_WORDS

    assert _stop_words() == frozenset(STOP_WORDS)


def test_extraction_imports_no_spacy() -> None:
    # a headline with a function word the body never writes asks for the stop words
    code = (
        "import sys\n"
        "from communique.extract import extract_all\n"
        "from communique.ingest import load_document, walk\n"
        "from communique.data import SAMPLE_DIR\n"
        "from communique.extract.people import _stop_words\n"
        "files, _ = walk([SAMPLE_DIR])\n"
        "for f in files: extract_all(load_document(f))\n"
        "assert 'before' in _stop_words()\n"
        "print('spacy' in sys.modules, 'numpy' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "False"]
