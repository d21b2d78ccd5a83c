"""The reader's layers, each on real text: question analysis, retrieval, candidates, ranking, answers;
and the SQuAD subset against its floors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED, run_cli

SQUAD = SHARED / "eval" / "squad"
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text())
needs_squad = pytest.mark.skipif(not (SQUAD / "docs").is_dir(), reason="../shared/eval/squad is not present")


@pytest.fixture(scope="session")
def squad_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (SQUAD / "docs").is_dir():
        pytest.skip("../shared/eval/squad is not present")
    db = tmp_path_factory.mktemp("squad") / "squad.db"
    run_cli("build", str(SQUAD / "docs"), "--db", str(db), "-q")
    return db


def _reader(db: Path):  # noqa: ANN202
    from communique.query.reader import Reader
    from communique.store import open_store

    return Reader(open_store(db))


def test_expected_answer_types_from_wh_word_and_head_noun() -> None:
    from communique.query.question import reader_type

    assert reader_type("Which river flows through Basel?")[0] == "place"
    assert reader_type("The Rhine flows into which sea?") == ("place", "which", "sea")
    assert reader_type("In what year did the Normans conquer England?")[0] == "date"
    assert reader_type("How many ASEAN member states are there?")[0] == "count"
    assert reader_type("How much did the United States commit in Africa?")[0] == "money"
    assert reader_type("Who co-chaired the 24th ASEAN-ROK Dialogue?")[0] == "person"
    assert reader_type("Which countries founded ASEAN?")[0] == "list"
    assert reader_type("What initiative did Harris launch?")[0] == "named"
    # the first wh-word asks; one opening a clause later does not
    assert reader_type("What year was Temujin, who became Genghis Khan, born?")[0] == "date"
    assert reader_type("What collection moved to the museum when the new gallery opened?")[0] == "entity"
    assert reader_type("How many helicopters did the United States offer when Biden hosted Duda?")[0] == "count"


@needs_squad
def test_retrieval_finds_the_sentence_of_a_question_it_was_never_shown(squad_db: Path) -> None:
    from communique.query.question import analyse

    reader = _reader(squad_db)
    questions = [json.loads(line) for line in (SQUAD / "questions.jsonl").read_text().splitlines()][::97][:40]
    hits = 0
    for item in questions:
        q = analyse(item["q"])
        found = reader.retriever.retrieve(q.text, q.words, [], keep=6)
        text = " ".join(s.text for s in found).lower()
        hits += any(a.lower() in text for a in item["answers"])
        for s in found:  # every sentence is an exact span of its document
            assert s.end > s.start and s.text.strip()
    assert hits / len(questions) >= 0.6, hits


@needs_squad
def test_retrieval_keeps_to_its_scope(squad_db: Path) -> None:
    from communique.query.question import analyse
    from communique.store import open_store

    store = open_store(squad_db)
    ids = store.document_ids_by_path()
    one = {v for k, v in ids.items() if "Rhine" in k}
    assert one
    reader = _reader(squad_db)
    q = analyse("What is the name of the fund?")
    found = reader.retriever.retrieve(q.text, q.words + ["river"], [], scope=one)
    assert found and all(s.document_id in one for s in found)
    assert reader.retriever.retrieve(q.text, q.words, [], scope=set()) == []


def test_candidates_are_exact_spans_of_every_kind(seeds_db: Path) -> None:
    from communique.query.candidates import candidates
    from communique.query.question import analyse

    reader = _reader(seeds_db)
    q = analyse("When did Viet Nam join ASEAN?")
    found = reader.retriever.retrieve(q.text, q.words, [], keep=4)
    cands = candidates(found, reader.parser.parse([s.text for s in found]))
    assert cands
    for c in cands:
        assert c.sentence.text[c.start : c.end] == c.text
    labels = {lab for c in cands for lab in c.labels}
    assert {"DATE", "NP"} <= labels and any(lab.startswith("ENT:") for lab in labels)
    assert any(c.text == "28 July 1995" and "DATE" in c.labels for c in cands)


def _sentence_of(document: str, words: str):  # noqa: ANN202
    """The sentence of a SQuAD article that holds ``words``, as the retriever would give it."""
    from communique.ingest.passages import sentence_spans
    from communique.query.retrieve import Sentence

    text = (SQUAD / "docs" / document).read_text(encoding="utf-8")
    at = text.index(words)
    a, b = next((a, b) for a, b in sentence_spans(text, 0, len(text)) if a <= at < b)
    return Sentence(document, "", None, None, a, b, text[a:b], 0)


@needs_squad
def test_candidates_include_phrases_verb_phrases_and_bare_quantities() -> None:
    """Answers that are not noun chunks: a prepositional phrase, what a verb does, a quantity
    without its "about", a coordination without its "both"."""
    from communique.query.candidates import Parser, candidates

    cases = [("18_Ctenophora.txt", "by clapping their lobes", "by clapping their lobes", "PP"),
             ("16_European_Union_law.txt", "altered the existing treaties", "altered the existing treaties", "VP"),
             ("18_Ctenophora.txt", "as far back as the early Cambrian, about 515", "515 million years", "TRIM")]
    parser = Parser()
    for document, words, span, label in cases:
        sentence = _sentence_of(document, words)
        cands = candidates([sentence], parser.parse([sentence.text]))
        for c in cands:
            assert sentence.text[c.start : c.end] == c.text
        assert any(c.text == span and label in c.labels for c in cands), (span, [c.text for c in cands])


@needs_squad
def test_a_candidate_holds_no_half_of_a_bracketed_note() -> None:
    """Wikipedia's "[citation needed]" glued to a word: no candidate opens or closes the bracket
    ("1978,[citation" is "1978"); a bracket a span holds whole stays ("Z[i]")."""
    from communique.query.candidates import Parser, candidates

    sentence = _sentence_of("19_Fresno,_California.txt", "opened nearby in 1978,[citation needed]")
    cands = candidates([sentence], Parser().parse([sentence.text]))
    assert any(c.text == "1978" for c in cands)
    assert not any(c.text.count("[") != c.text.count("]") for c in cands), [c.text for c in cands if "[" in c.text]


@needs_squad
def test_the_answer_is_the_span_the_likeliest_spans_agree_on() -> None:
    """Minimum-risk choice among the boundaries of one phrase: "Vendobionta of the preceding Ediacaran
    period", a little likelier than "the preceding Ediacaran period", loses to it, since "Ediacaran"
    votes for the shorter span more; a span far likelier than the rest stays; a span without the
    best's words or with more of the question's words is no choice."""
    from communique.query.candidates import Parser, candidates
    from communique.query.reader import Scored, _words, consensus, word_f1

    assert word_f1(_words("the Ediacaran period"), _words("Ediacaran period")) == 1.0
    sentence = _sentence_of("18_Ctenophora.txt", "preceding Ediacaran period")
    by_text = {c.text: c for c in candidates([sentence], Parser().parse([sentence.text]))}
    long, phrase, word, other = (by_text[t] for t in ("Vendobionta of the preceding Ediacaran period",
                                                      "the preceding Ediacaran period", "Ediacaran", "Stromatoveris"))

    def scored(pairs):  # noqa: ANN001, ANN202
        return [Scored(c, p, p, 0.0) for c, p in pairs]

    spans = scored([(long, 0.30), (phrase, 0.28), (word, 0.22), (other, 0.20)])
    assert consensus(spans, spans[0]).candidate is phrase
    spans = scored([(long, 0.70), (phrase, 0.10), (word, 0.10), (other, 0.10)])
    assert consensus(spans, spans[0]).candidate is long
    # a span of other words is no boundary of the best: "Stromatoveris" never replaces it
    spans = scored([(other, 0.70), (long, 0.15), (phrase, 0.10), (word, 0.05)])
    assert consensus(spans, spans[2]).candidate is not spans[0].candidate
    # the longer span wins on the votes, unless it repeats more of the question's words
    spans = scored([(long, 0.30), (phrase, 0.28), (word, 0.22), (by_text["Vendobionta"], 0.20)])
    assert consensus(spans, spans[1]).candidate is long
    assert consensus(spans, spans[1], question="Which period did Vendobionta live in?").candidate is phrase


def test_a_year_question_answers_the_year_of_a_longer_date() -> None:
    """"What year ...?" of "January 1966": the year alone (whole words of the quote, no ISO value
    needed); a decade, a range or a span without one year stays as it is."""
    from communique.query.answer import year_of

    for text, span in (("in January 1966 the crew", "January 1966"), ("closed 25 February 2010, a", "25 February 2010"),
                       ("on March 21, 1966.", "March 21, 1966")):
        a = text.index(span)
        y = year_of(text, a, a + len(span))
        assert text[y[0] : y[1]] == span[-4:]
    for text in ("the 1960s", "from 1945 to 1970", "the 2019-20 season", "last year"):
        assert year_of(text, 0, len(text)) == (0, len(text))


@needs_squad
def test_an_answer_is_whole_words_of_its_quote() -> None:
    """A span the source glues a mark to: a clause mark (em dash, ellipsis) bounds the quote, any
    other mark (quotation marks, a degree sign, an en dash in a compound) joins the answer; the quote
    then holds the answer as the SQuAD scorer reads words (ASCII punctuation only is dropped)."""
    from communique.query.support import fit_span, holds

    cases = [("23_Newcastle_upon_Tyne.txt", "the Design Event festival", "the Design Event festival",
              "In October, there is the Design Event festival"),
             ("17_Amazon_rainforest.txt", "as far south as 45", "45°", None),
             ("31_Private_school.txt", "The Knowledge School", "“The Knowledge School”", None)]
    for document, words, answer, quote in cases:
        sentence = _sentence_of(document, words)
        text = sentence.text
        at = text.index(words) + len(words) - len(answer.strip("“”°"))
        span = (at, at + len(answer.strip("“”°")))
        assert not holds(text, text[span[0] : span[1]])  # the scorer's words do not hold the bare span
        a, b, qa, qb = fit_span(text, *span)
        assert text[a:b] == answer and holds(text[qa:qb], text[a:b])
        assert text[qa:qb] == (quote or text)
    # a bracketed editorial note glued to the span ends the quote: "1978,[citation needed]" is no
    # "1978citation" to the scorer, the quote up to "1978," holds the year
    sentence = _sentence_of("19_Fresno,_California.txt", "opened nearby in 1978")
    text = sentence.text
    at = text.index("opened nearby in 1978") + len("opened nearby in ")
    assert text[at + 4 : at + 6] == ",[" and not holds(text, "1978")
    a, b, qa, qb = fit_span(text, at, at + 4)
    assert (a, b, qa) == (at, at + 4, 0) and text[qb - 5 : qb] == "1978," and holds(text[qa:qb], "1978")
    # a span already of whole words keeps its quote
    sentence = _sentence_of("17_Amazon_rainforest.txt", "as far south as 45")
    at = sentence.text.index("Mya")
    assert fit_span(sentence.text, at, at + 3) == (at, at + 3, 0, len(sentence.text))


def test_a_date_answer_is_the_source_surface_with_its_value_beside_it() -> None:
    """"March 29, 1883" answers as the source writes it (ISO in ``value``); the ISO value follows only
    a surface that does not state the date by itself ("today" of a dated readout), or writes the day
    first or a month without its day (the seed scorer reads only the year of "28 July 1995" and
    "November 1989")."""
    from communique.query.answer import needs_value

    assert not needs_value("March 29, 1883", None)
    assert not needs_value("1995", None)
    assert not needs_value("between 1945 and 1970", None)
    assert needs_value("28 July 1995", None)
    assert needs_value("October 1973", None)
    assert needs_value("today", "2023-11-15")
    assert needs_value("July 1", "2023-11-15")


def test_ranker_prefers_a_span_of_the_expected_type(seeds_db: Path) -> None:
    from communique.query.question import analyse

    reader = _reader(seeds_db)
    _, scored = reader.read(analyse("On what date did Viet Nam join ASEAN?"))
    assert scored and "DATE" in scored[0].candidate.labels  # type fit: a date, not a name or a number
    assert abs(sum(s.probability for s in scored) - 1.0) < 1e-6


def test_reader_answers_cite_a_quote_holding_the_answer(seeds_db: Path) -> None:
    texts = dict(__import__("sqlite3").connect(seeds_db).execute("SELECT path, text FROM documents"))
    for question in ("Who was the first Korean President to visit all 10 ASEAN countries?",
                     "When was the ASEAN-Korea Centre established?"):
        out = json.loads(run_cli("ask", question, "--db", str(seeds_db), "--json").stdout)
        if out["answer"] is None:
            continue
        cite = out["citations"][0]
        assert out["surface"] in cite["quote"]
        assert texts[cite["document"]][out["start"] : out["end"]] == out["surface"]
        assert "value" in out and "score" in out


def test_binary_and_letterless_questions_fail_clearly(seeds_db: Path) -> None:
    proc = run_cli("ask", "\x01\x02 what?", "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "not text" in proc.stderr
    proc = run_cli("ask", "12345 ???", "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "not text" in proc.stderr


def test_a_question_with_no_support_gets_null(seeds_db: Path) -> None:
    out = json.loads(run_cli("ask", "What is the boiling point of liquid nitrogen on Saturn?", "--db",
                             str(seeds_db), "--json").stdout)
    assert out["answer"] is None and out["citations"] == [] and out["message"]


@needs_squad
def test_squad_subset_meets_its_floors(squad_db: Path, tmp_path: Path) -> None:
    """300 SQuAD questions (the first of the file: articles 13-14) through the real batch CLI."""
    report = tmp_path / "squad.json"
    proc = subprocess.run([sys.executable, str(SQUAD / "score_squad.py"), "--cli", f"{sys.executable} -m communique",
                           "--db", str(squad_db), "--limit", "300", "--report", str(report)],
                          capture_output=True, text=True, timeout=1800)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    scores = json.loads(report.read_text())["metrics"]
    low = {k: (scores.get(k), v) for k, v in FLOORS["squad_300"].items() if scores.get(k, 0) < v}
    assert not low, f"below the floor (score, floor): {low}"
