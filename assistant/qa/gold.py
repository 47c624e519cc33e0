"""The shared tune sets and the shared scorer's tests, for the tools that read them
(:mod:`assistant.qa.fit`, :mod:`assistant.qa.diagnose`)."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

TUNE_SETS: dict[str, tuple[str, str, str | None]] = {
    "dev": ("questions/dev.jsonl", "corpus", None),
    "reports-tune": ("reports/questions.jsonl", "reports/corpus", "tune"),
    "long": ("long/questions.jsonl", "long/corpus", None),
    "piaf-numeric": ("piaf/numeric.jsonl", "piaf/corpus", None),
    "piaf-text": ("piaf/text.jsonl", "piaf/corpus", None),
}
"""Name → (gold file, corpus, split kept) of the sets whose failures may be read and
weights fitted on (relative to shared/)."""


def load_gold(shared: Path, name: str) -> list[dict]:
    """The gold questions of tune set `name` (its split only)."""
    gold_rel, _corpus, split = TUNE_SETS[name]
    lines = (shared / gold_rel).read_text(encoding="utf-8").splitlines()
    gold = [json.loads(line) for line in lines if line.strip()]
    return [g for g in gold if g.get("split") == split] if split else gold


def norm(text: str) -> str:
    """The shared scorer's normalisation (accents, quotes, dashes, spaces, case)."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"[«»\"“”]", " ", text)
    text = re.sub(r"[\u2010-\u2015-]", "-", text)
    return re.sub(r"\s+", " ", text).strip().lower()


def value_ok(got: float | None, want: float, money: bool) -> bool:
    """The scorer's value test: within 0.5 % (an amount also at k, M or Md scale)."""
    if got is None:
        return False
    scales = (1, 1e3, 1e6, 1e9) if money else (1,)
    return any(abs(got / s - want) <= max(0.005 * abs(want), 0.01) for s in scales)


def doc_ok(got: str, want: str) -> bool:
    """True when `got` is the gold document (or any, when gold names none)."""
    want = (want or "").strip("/")
    return not want or got == want or got.endswith("/" + want)


def work_engine(engines: dict, work: Path, shared: Path, corpus_rel: str):
    """The assistant over the shared corpus `corpus_rel`, indexed once into `work` (kept in `engines`)."""
    from assistant.qa.engine import Assistant

    if corpus_rel not in engines:
        engine = Assistant(work / corpus_rel.replace("/", "-"))
        if not engine.exists():
            engine.index([shared / corpus_rel])
        engines[corpus_rel] = engine
    return engines[corpus_rel]
