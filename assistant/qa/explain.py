"""Why an answer is what it is: the question's reading and the best candidates
with each feature's value and weight (``assistant explain "QUESTION"``).

It runs the same steps as answering (:func:`assistant.qa.answerer.gather`,
:mod:`assistant.qa.rank`) and prints them; nothing here decides anything.
"""

from __future__ import annotations

from assistant.qa.answerer import NUMERIC_KINDS, gather, understand_for
from assistant.qa.rank import ScoredFact, ScoredSentence, rank_sentences
from assistant.qa.weights import model


def _contributions(parts: dict[str, float], weights: dict[str, float], gate: float = 1.0) -> str:
    """The features that move the score, as 'name=value×weight', largest effect first."""
    rows = [(name, value, weights.get(name, 0.0)) for name, value in parts.items() if name != "gate"]
    rows = [r for r in rows if r[1] and r[2]]
    rows.sort(key=lambda r: -abs(r[1] * r[2]))
    return " ".join(f"{name}={value:.2f}×{weight:+.2f}" for name, value, weight in rows)


def explain(engine, question: str, top: int = 8) -> str:
    """A readable trace of how `question` is answered from the index behind `engine`."""
    weights = model()
    intent = understand_for(engine, question)
    lines = [f"Question : {question}"]
    reading = intent.model_dump(exclude={"question", "french"}, exclude_defaults=True)
    lines.append("Lecture : " + ", ".join(f"{k}={v}" for k, v in reading.items()))
    if intent.lang == "en":
        lines.append(f"En français : {intent.french}")
    got = gather(engine, intent)
    if got is None:
        lines.append("Aucun terme de la question n'est dans l'index : abstention.")
        return "\n".join(lines)
    lines.append("Termes : " + ", ".join(f"{t} ({w:.2f})" for t, w in got.query.weights.items()))
    if got.query.corrections:
        lines.append("Corrections : " + ", ".join(f"{a} → {b}" for a, b in got.query.corrections.items()))
    lines.append("Sections :")
    for section, score in got.sections:
        lines.append(f"  {score:6.2f}  {section.document} § {' › '.join(section.heading_path)[:70]}")
    if intent.kind in NUMERIC_KINDS:
        ranked: list[ScoredFact] = got.rank(intent)
        threshold = weights.threshold("date" if intent.kind == "date" else "fact")
        lines.append(f"Chiffres (seuil de réponse {threshold:.2f}) :")
        for s in ranked[:top]:
            f = s.fact
            p = weights.probability("date" if intent.kind == "date" else "fact", s.score)
            shown = f" (P {p:.2f})" if p is not None else ""
            lines.append(f"  {s.score:.3f}{shown}  {f.raw} [{f.kind}, {f.unit}] {f.document} — « {f.sentence[:110]} »")
            lines.append(f"      gate={s.parts['gate']:.2f} {_contributions(s.parts, weights.rankers['fact'].weights)}")
    sentences: list[ScoredSentence] = rank_sentences(got.cands, intent, got.query, got.missing, section_years=got.section_years)
    lines.append(f"Phrases (seuil de réponse {weights.threshold('sentence'):.2f}) :")
    for row in sentences[: max(3, top // 2)]:
        c = row.candidate
        lines.append(f"  {row.score:.3f}  {c.section.document} — « {c.text[:110]} »")
        lines.append(f"      {_contributions(row.parts, weights.rankers['sentence'].weights)}")
    answer = engine.ask(question)
    lines.append(f"Réponse : {answer.answer} (confiance {answer.confidence:.2f})")
    return "\n".join(lines)
