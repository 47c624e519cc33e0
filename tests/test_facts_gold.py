"""The hand-made gold list of every figure of ``prai/v2-p025.txt`` (issue 3's "done when").

The gold file (``tests/gold/v2-p025.facts.jsonl``) states each figure of the page
by its raw text and a short context (≤ 8 words of its sentence), with its value,
unit, kind and qualifiers. The page itself is read from ``../shared`` at run time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.facts import extract_facts
from assistant.models import Document, Fact, Section

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
GOLD = Path(__file__).parent / "gold" / "v2-p025.facts.jsonl"

pytestmark = pytest.mark.skipif(
    not (SHARED / "corpus" / "prai" / "v2-p025.txt").is_file(),
    reason=f"the shared corpus is not at {SHARED} (the gold page is read from ../shared/corpus/prai)",
)


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2019", "'").replace("\u00a0", " ").replace("\u202f", " ")).strip()


def load(rel: str) -> tuple[Document, list[Section]]:
    path = SHARED / "corpus" / rel
    try:
        from assistant.ingest import read_document, split_sections

        doc = read_document(path, rel)
        return doc, split_sections(doc)
    except ImportError:  # before the ingestion lands: the raw text, one section
        text = path.read_text(encoding="utf-8")
        doc = Document(path=rel, title=rel, format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text=text)
        return doc, [Section(document=rel, ordinal=0, heading="", text=text, start=0, end=len(text))]


@pytest.fixture(scope="session")
def nlp():
    from assistant.facts.nlp import get_nlp

    return get_nlp()


@pytest.fixture(scope="module")
def page_facts(nlp) -> list[Fact]:
    return extract_facts(*load("prai/v2-p025.txt"))


def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def identifies(entry: dict, fact: Fact) -> bool:
    return _norm(fact.raw) == _norm(entry["raw"]) and _norm(entry["context"]) in _norm(fact.sentence)


def correct(entry: dict, fact: Fact) -> bool:
    return (
        fact.kind == entry["kind"]
        and fact.unit == entry["unit"]
        and abs(fact.value - entry["value"]) <= 1e-6 * max(1.0, abs(entry["value"]))
        and sorted(fact.qualifiers) == sorted(entry["qualifiers"])
        and fact.denominator == entry.get("denominator", fact.denominator)
        and fact.date_text == entry.get("date_text", fact.date_text)
    )


def test_gold_file_states_figures_not_prose() -> None:
    entries = gold()
    assert len(entries) >= 20
    for e in entries:
        assert len(e["context"].split()) <= 8, e


def test_precision_and_recall(page_facts: list[Fact]) -> None:
    entries = gold()
    right = [e for e in entries if any(identifies(e, f) and correct(e, f) for f in page_facts)]
    good = [f for f in page_facts if any(identifies(e, f) and correct(e, f) for e in entries)]
    recall = len(right) / len(entries)
    precision = len(good) / max(len(page_facts), 1)
    missed = [(e["raw"], e["context"]) for e in entries if e not in right]
    wrong = [(f.raw, f.kind, f.unit, f.qualifiers, f.sentence[:60]) for f in page_facts if f not in good]
    assert recall >= 0.95, f"recall {recall:.2f}; missed or wrong: {missed}"
    assert precision >= 0.95, f"precision {precision:.2f}; not in gold or wrong: {wrong}"


def test_both_contradictory_statements_are_facts(nlp, page_facts: list[Fact]) -> None:
    ratio = [f for f in page_facts if f.raw == "17 sur 27"]
    assert ratio and ratio[0].kind == "ratio" and (ratio[0].value, ratio[0].denominator) == (17, 27)
    assert "organismes" in ratio[0].subject
    facts26 = extract_facts(*load("prai/v2-p026.txt"))
    rate = [f for f in facts26 if f.raw == "59,26 %"]
    assert rate and rate[0].kind == "percent" and rate[0].value == pytest.approx(59.26)
    assert rate[0].qualifiers == ["réalisé"]
    assert "projets passant en phase opérationnelle" in rate[0].subject
    target = [f for f in facts26 if f.raw == "60%"]
    assert target and target[0].qualifiers == ["objectif", "minimum"]
    assert target[0].subject == rate[0].subject
