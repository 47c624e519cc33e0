"""Score the English questions (as the assistant detects them) of the evaluation sets on their own.

    .venv/bin/python scripts/eval_english.py reports-tune reports-check dev long
    .venv/bin/python scripts/eval_english.py reports-tune --show-fails   # tune sets only
    .venv/bin/python scripts/eval_english.py reports-tune reports-check --unaccented

``--unaccented`` scores the French questions instead, typed without accents
(folded), to see whether folding holds in retrieval and ranking; ``--typos``
the French questions with one letter dropped from their longest word (of 7
letters or more); ``--en-typos`` the English questions so; ``--french`` the
French questions as written.  Failing
questions are shown for tune sets only (never reports-check).
"""

from __future__ import annotations

import json
import re
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from evaluation import SETS, SHARED, answer_file, build_index, gold_questions, score  # noqa: E402

from assistant.qa.question import detect_language  # noqa: E402


def _unaccent(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _typo(text: str) -> str:
    """`text` with the middle letter of its longest word (7 letters or more) dropped."""
    words = sorted(re.findall(r"[^\W\d_]{7,}", text), key=len, reverse=True)
    if not words:
        return text
    word = words[0]
    return text.replace(word, word[: len(word) // 2] + word[len(word) // 2 + 1 :], 1)


def main(argv: list[str]) -> int:
    names = [a for a in argv if not a.startswith("--")] or ["reports-tune", "reports-check"]
    unaccented = "--unaccented" in argv
    typos = "--typos" in argv
    en_typos = "--en-typos" in argv
    french = unaccented or typos or "--french" in argv
    with tempfile.TemporaryDirectory() as tmp:
        engines = {}
        for name in names:
            show = "--show-fails" in argv and not name.endswith("-check")
            _, corpus_rel, _ = SETS[name]
            corpus = SHARED / corpus_rel
            gold = gold_questions(name)
            if french:
                gold = [g for g in gold if detect_language(g["question"]) == "fr"]
                if unaccented:
                    gold = [dict(g, question=_unaccent(g["question"])) for g in gold]
                if typos:
                    gold = [dict(g, question=_typo(g["question"])) for g in gold]
            else:
                gold = [g for g in gold if detect_language(g["question"]) == "en"]
                if en_typos:
                    gold = [dict(g, question=_typo(g["question"])) for g in gold]
            if not gold:
                continue
            if corpus_rel not in engines:
                t = time.perf_counter()
                engines[corpus_rel] = build_index(corpus, Path(tmp) / corpus_rel.replace("/", "-"))
                print(f"# indexed {corpus_rel} in {time.perf_counter() - t:.1f} s", file=sys.stderr)
            out = Path(tmp) / f"{name}.jsonl"
            answer_file(engines[corpus_rel], gold, out)
            summary, fails = score(gold, out, corpus, show)
            tag = "typos-fr" if typos else "unaccented-fr" if unaccented else "fr" if french else "typos-en" if en_typos else "en"
            print(
                name,
                tag,
                json.dumps(
                    {k: summary[k] for k in ("questions", "cited_correctly", "cited_accuracy", "answered_when_should_abstain")}
                ),
                flush=True,
            )
            if show and fails:
                print(fails, flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
