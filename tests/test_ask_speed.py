"""What the question answerer's warm-up costs: bounded, and without decoding whole large tables.

The figures and people tables are the largest records of a knowledge base (49 and 15 MB of JSON on
the whole wh corpus: 2.5 s of the warm-up when they were decoded whole). ``Asker.warm`` indexes them
from a few values per record and reads whole records by id when a question needs them; these tests
fail when a change brings the whole-table reads back, or when the warm-up of a fresh process grows
far past its budget (5 s on 2 cores; measured in CPU seconds, which a shared machine hardly moves).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from communique.query.ask import Asker
from communique.query.question import analyse
from communique.store import open_store
from tests.conftest import ROOT

# CPU seconds of imports + Asker.warm() in a fresh process: about 2.5 s on the 2-core development
# machine (spaCy's import and load are most of it); the bound leaves CI machines twice that and more
WARM_CPU_BOUND_S = 6.0


class _Counting:
    """A store whose whole-table reads are counted (every other verb passes through)."""

    def __init__(self, store: Any) -> None:
        self._store = store
        self.whole: list[str] = []

    def records(self, table: str, key: str | None = None) -> list[dict[str, Any]]:
        if key is None:
            self.whole.append(table)
        return self._store.records(table, key)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


def test_warm_up_reads_no_whole_figures_or_people(wh_asean_db: Path) -> None:
    with open_store(wh_asean_db) as store:
        counting = _Counting(store)
        asker = Asker(counting).warm()  # type: ignore[arg-type]
        assert "figures" not in counting.whole and "people" not in counting.whole, counting.whole
        # the index holds every figure of the table, where its first source states it
        figures = store.records("figures")
        index = asker._figures_by_document()
        assert figures and sum(len(v) for v in index.values()) == len(figures)
        first = figures[0]["sources"][0]
        assert (first["start"], figures[0]["id"]) in index[first["document"]]
        # a person's role is answered from the one record read by id, as from the whole table
        person = next(p for p in store.records("people") if p["title"] and p["sources"])
        answer = asker._from_people(analyse(f"Who is {person['name']}?"))
        assert answer is not None and answer.facts[0]["name"] == person["name"], answer
        assert "people" not in counting.whole and set(asker._records["__by_id:people"]) >= {person["id"]}


def test_a_fresh_process_warms_up_within_its_budget(wh_asean_db: Path) -> None:
    script = (
        "import json, sys, time\n"
        "c = time.process_time(); w = time.perf_counter()\n"
        "from communique.store import open_store\n"
        "from communique.query.ask import Asker\n"
        "asker = Asker(open_store(sys.argv[1])).warm()\n"
        "print(json.dumps({'cpu': time.process_time() - c, 'wall': time.perf_counter() - w,\n"
        "                  'spacy': 'spacy' in sys.modules, 'figures': '__figures_by_document' in asker._records}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(wh_asean_db)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120, check=True)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["spacy"] and result["figures"], result  # warm() did load what the first question needs
    assert result["cpu"] <= WARM_CPU_BOUND_S, f"warm-up took {result['cpu']:.2f} s of CPU (bound {WARM_CPU_BOUND_S} s)"


def test_features_read_each_sentence_as_its_own(seeds_db: Path) -> None:
    """The ranker's features find a sentence's question-word tokens once and keep the last sentence's:
    candidates of several sentences featurised in any order get the vectors of a fresh computation."""
    from communique.query import rank
    from communique.query.candidates import candidates
    from communique.query.rank import features, sentence_features
    from communique.query.reader import Reader

    with open_store(seeds_db) as store:
        reader = Reader(store)
        q = analyse("When did Viet Nam join ASEAN?")
        rq = reader.question(q)
        found = reader.retriever.retrieve(q.text, q.words, [], keep=4)
        docs = reader.parser.parse([s.text for s in found])
        cands = candidates(found, docs)
        assert len({id(c.sentence) for c in cands}) >= 2
        doc_of = {id(s): d for s, d in zip(found, docs)}
        shared = {id(s): sentence_features(doc_of[id(s)], rq) for s in found}

        def vector(c: Any, fresh: bool) -> dict[str, float]:
            doc = doc_of[id(c.sentence)]
            if fresh:  # the reference: nothing kept from an earlier call
                rank._LAST_HITS = (None, [])
            stems, matched = sentence_features(doc, rq) if fresh else shared[id(c.sentence)]
            return features(rq, c, doc, stems, matched, 1.0, 0.0, 0)

        expected = [vector(c, fresh=True) for c in cands]
        interleaved = sorted(range(len(cands)), key=lambda i: (i % 3, -i))  # hop between the sentences
        got = {i: vector(cands[i], fresh=False) for i in interleaved}
        assert all(got[i] == expected[i] for i in range(len(cands)))
        assert sum(1 for v in expected if "c_dist" in v) >= len(expected) // 2  # question words outside most spans


def test_a_batch_in_two_workers_answers_as_one_process(seeds_db: Path, tmp_path: Path) -> None:
    """``ask --questions FILE --jobs 2``: the same answer lines, in the same order, as one process
    (the workers fork from the warmed process, each with its own connection)."""
    from tests.conftest import run_cli

    questions = ROOT / "tests" / "questions" / "seeds.jsonl"
    path = tmp_path / "questions.jsonl"
    path.write_text(questions.read_text(encoding="utf-8") + '{"id": "empty", "q": "  "}\n', encoding="utf-8")
    one = run_cli("ask", "--db", str(seeds_db), "--json", "--questions", str(path)).stdout.splitlines()
    two = run_cli("ask", "--db", str(seeds_db), "--json", "--questions", str(path), "--jobs", "2").stdout.splitlines()
    assert len(one) == sum(1 for line in path.read_text().splitlines() if line.strip()) and two == one
    assert json.loads(two[-1])["message"] == "the question is empty"
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "q": "Who co-chaired the 24th ASEAN-ROK Dialogue?"}\nnot json\n', encoding="utf-8")
    failed = run_cli("ask", "--db", str(seeds_db), "--json", "--questions", str(bad), "--jobs", "2", check=False)
    assert failed.returncode == 1 and "bad.jsonl:2" in failed.stderr and failed.stdout == ""


def test_the_fast_attribute_ruler_annotates_as_spacys() -> None:
    """The reader's parses set parts of speech and morphology by ``FastAttributeRuler`` (each token's
    patterns found once per distinct tag, word and dependency): the same annotations, token by token,
    as spaCy's own ruler, on the seed documents' sentences and on the ruler's multi-token patterns
    ("gon na", "let 's", "there is"), the second time from its memo too."""
    from communique.ingest.passages import sentence_spans
    from communique.language import pipeline
    from communique.language.ruler import FastAttributeRuler
    from tests.conftest import SEEDS

    texts = []
    for path in sorted(SEEDS.rglob("*"))[:5]:
        if path.is_file() and path.suffix in (".md", ".txt", ".html"):
            body = path.read_text(encoding="utf-8", errors="replace")[:20_000]
            texts += [body[a:b] for a, b in sentence_spans(body, 0, len(body))][:80]
    texts += ["Y'all gon na see: let's go, there is no way, I ain't got ta do it, c'm on.", "", "  \n "]
    assert len(texts) > 100
    nlp = pipeline(exclude=("lemmatizer",))
    ruler = nlp.get_pipe("attribute_ruler")
    fast = FastAttributeRuler(ruler)
    assert fast.usable

    def parsed(component: Any) -> list[list[tuple[Any, ...]]]:
        docs = [nlp.make_doc(t) for t in texts]
        for name, proc in nlp.pipeline:
            docs = [(component if name == "attribute_ruler" else proc)(d) for d in docs]
        return [[(t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_type_) for t in d] for d in docs]

    expected = parsed(ruler)
    assert parsed(fast) == expected and parsed(fast) == expected
    gonna = dict((t[3], t[1]) for t in expected[-3])
    assert "go" in gonna and "be" in gonna  # the multi-token patterns did fire ("gon" -> go, "ai" -> be)
