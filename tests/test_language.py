"""The local language models load without a network and behave as language models do."""

from __future__ import annotations

import numpy as np

from communique.language import encoder, pipeline


def test_encoder_ranks_a_paraphrase_above_unrelated_text() -> None:
    question = "Who co-chaired the 24th ASEAN-ROK Dialogue?"
    texts = [
        "The weather in the capital was mild for the season.",
        "The 24th ASEAN-Republic of Korea Dialogue was co-chaired by the two foreign vice ministers.",
        "Oxygen is the third most abundant element in the universe by mass.",
    ]
    vectors = encoder().encode([question, *texts])
    assert vectors.shape == (4, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)
    similarities = vectors[1:] @ vectors[0]
    assert int(np.argmax(similarities)) == 1
    assert similarities[1] > 0.5 > similarities[0]


def test_the_encoder_function_survives_loading_its_module() -> None:
    """Loading the encoder imports its module; the package's ``encoder`` must stay the function."""
    import communique.language as language

    first = language.encoder()
    assert callable(language.encoder) and language.encoder() is first


def test_encoder_is_independent_of_batch_composition() -> None:
    text = "Leaders adopted a joint statement on the comprehensive strategic partnership."
    alone = encoder().encode([text])[0]
    padded = encoder().encode([text, text + " " + "It was a long meeting with many words in it. " * 8])[0]
    assert float(alone @ padded) > 0.9999


def test_pipeline_finds_people_and_places() -> None:
    doc = pipeline()("President Joseph R. Biden met Chancellor Olaf Scholz in Berlin on June 4, 2024.")
    labels = {(ent.text, ent.label_) for ent in doc.ents}
    assert ("Olaf Scholz", "PERSON") in labels
    assert ("Berlin", "GPE") in labels


def test_pipeline_loads_without_spacys_command_line() -> None:
    """The pipeline is loaded without importing spaCy's command line (typer, weasel: a third of the
    import), and spaCy's command-line modules still import when asked for."""
    import subprocess
    import sys

    code = ("import sys; from communique.language import pipeline; nlp = pipeline(('lemmatizer',));"
            "assert 'weasel' not in sys.modules, 'spacy.cli was imported';"
            "assert 'lemmatizer' not in nlp.pipe_names;"
            "doc = nlp('President Joseph R. Biden met Chancellor Olaf Scholz in Berlin on June 4, 2024.');"
            "assert ('Olaf Scholz', 'PERSON') in {(e.text, e.label_) for e in doc.ents}, 'no entities';"
            "import spacy.cli.download as d; assert callable(d.download);"
            "import spacy; assert callable(spacy.info); print('ok')")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stdout.strip() == "ok", out.stderr[-2000:]
