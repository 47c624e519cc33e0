"""How often the assistant answers questions the corpus cannot answer, on variants of the gold
questions made unanswerable: more abstention questions than the few each set holds.

    .venv/bin/python scripts/eval_unanswerable.py reports-tune reports-check long dev
    .venv/bin/python scripts/eval_unanswerable.py reports-tune --show   # tune sets only

Two variants of every answerable, non-computed gold question:

- ``years``: each year it names shifted by YEAR_SHIFT, kept only when its gold document states
  none of the new years (« en 2018 » → « en 2031 »);
- ``names``: its first proper name that its gold document states replaced by a proper name of
  another gold question of the set, one its gold document never states (« le PDR Rhône-Alpes »
  → « le PDR Guadeloupe », when the corpus holds a Guadeloupe report);
- ``counted``: for a count question, the thing it counts replaced by the thing another count
  question of the set counts, one its gold document never names (« combien de projets » →
  « combien de logements »).

Either way the gold document no longer answers; an answer is counted false unless the corpus
states the new years or name together with the question's other words elsewhere, which the
script does not try to rule out (the rate is an upper bound). Prints one JSON line per set and
variant; ``--show`` lists the answered variants (tune sets only, never reports-check).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from evaluation import SETS, SHARED, build_index, gold_questions  # noqa: E402

from assistant.analysis.analyzer import fold  # noqa: E402
from assistant.qa.question import understand  # noqa: E402

YEAR_SHIFT = 13
"""Years added to each year of a question (past the periods the reports cover)."""
_YEAR = re.compile(r"\b(?:19[5-9]\d|20[0-3]\d)\b")


def _document_text(corpus: Path, gold: dict) -> str:
    path = corpus / (gold.get("document") or "")
    if not gold.get("document") or not path.is_file():
        return ""
    return fold(path.read_text(encoding="utf-8", errors="replace"))


def year_variant(question: str, document: str) -> str | None:
    """`question` with its years shifted, or None when it names none or the document states a new one."""
    years = _YEAR.findall(question)
    if not years or any(str(int(y) + YEAR_SHIFT) in document for y in years):
        return None
    return _YEAR.sub(lambda m: str(int(m.group()) + YEAR_SHIFT), question)


def name_variant(question: str, document: str, others: list[str]) -> str | None:
    """`question` with its first name its document states replaced by one of `others` it never states."""
    own = [n for n in understand(question).names if len(n) > 2 and fold(n) in document]
    if not own:
        return None
    for other in others:
        if fold(other) not in document and other not in question:
            return question.replace(own[0], other, 1)
    return None


def counted_variant(question: str, document: str, counted: str | None, others: list[str]) -> str | None:
    """`question` with the noun it counts replaced by one of `others` its document never states."""
    if not counted or counted not in question:
        return None
    for other in others:
        if other != counted and fold(other) not in document and fold(other.rstrip("s")) not in document:
            return question.replace(counted, other, 1)
    return None


def variants(name: str) -> dict[str, list[tuple[str, str]]]:
    """Variant kind → (gold id, unanswerable question) of the set's answerable questions."""
    corpus = SHARED / SETS[name][1]
    gold = [g for g in gold_questions(name) if not g["expect"].get("abstain") and not g.get("computed")]
    names_of = {str(g["id"]): [n for n in understand(g["question"]).names if len(n) > 2 and n[0].isupper()] for g in gold}
    counted_of = {str(g["id"]): understand(g["question"]).unit_hint for g in gold if g.get("lang") == "fr"}
    out: dict[str, list[tuple[str, str]]] = {"years": [], "names": [], "counted": []}
    for g in gold:
        document = _document_text(corpus, g)
        if not document:
            continue
        shifted = year_variant(g["question"], document)
        if shifted:
            out["years"].append((str(g["id"]), shifted))
        others = [n for h in gold if h.get("document") != g.get("document") for n in names_of[str(h["id"])]]
        swapped = name_variant(g["question"], document, others)
        if swapped:
            out["names"].append((str(g["id"]), swapped))
        nouns = [n for h in gold if h.get("document") != g.get("document") and (n := counted_of.get(str(h["id"])))]
        recounted = counted_variant(g["question"], document, counted_of.get(str(g["id"])), nouns)
        if recounted:
            out["counted"].append((str(g["id"]), recounted))
    return out


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")] or ["reports-tune", "reports-check", "long", "dev"]
    show = "--show" in argv
    with tempfile.TemporaryDirectory() as tmp:
        engines: dict[str, object] = {}
        for name in names:
            corpus_rel = SETS[name][1]
            if corpus_rel not in engines:
                engines[corpus_rel] = build_index(SHARED / corpus_rel, Path(tmp) / corpus_rel.replace("/", "-"))
            engine = engines[corpus_rel]
            for kind, questions in variants(name).items():
                answered = []
                for gid, question in questions:
                    answer = engine.ask(question)  # type: ignore[attr-defined]
                    if not answer.abstained:
                        answered.append((gid, question, answer.answer[:100], round(answer.confidence, 2)))
                rate = round(len(answered) / len(questions), 3) if questions else 0.0
                print(
                    json.dumps(
                        {"set": name, "variant": kind, "questions": len(questions), "answered": len(answered), "rate": rate}
                    )
                )
                if show and name != "reports-check":
                    for row in answered:
                        print("   ", *row, sep="\t")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
