"""Fit the weights of weights.json on the shared `tune` questions, with
cross-validation by document, and print held-out scores.

    python -m assistant.qa.fit [--shared ../shared] [--work DIR] [--write | --write-abstention]

For each tune question (``questions/dev.jsonl``, the ``tune`` split of
``reports/questions.jsonl``, ``long/``, PIAF dev numeric and text), the pipeline gathers
its candidates exactly as when answering (:func:`assistant.qa.answerer.gather`)
and computes their features.  A candidate is *right* when it holds the gold
value (facts) or text (sentences), its sentence contains the gold evidence and
it stands in the gold document.  Each ranker is a conditional logit (softmax
over one question's candidates, L2-regularised, NumPy gradient descent): the
right candidate against the others of the same question.  Folds group the
questions by document, so no document is both trained and tested on.  The
held-out top candidates' scores are then Platt-calibrated into P(correct)
(unanswerable questions count as wrong), and the answering level is chosen on the
held-out folds: the most questions right with at most one in ten of the
unanswerable ones answered.  With ``--write`` the result replaces
``assistant/qa/weights.json``.

A second model, P(correct) of the best candidate from its answer signals
(:mod:`assistant.qa.confidence`: score, lead on the runner-up, coverage, missing
names, year fit…), is fitted by logistic regression on the same folds; its
abstention levels are chosen on the held-out folds under the same one-in-ten
constraint (``abstention_*`` in the printed report).  ``--write-abstention``
writes only that model into ``weights.json``, the rankers left as they are.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np

from assistant.qa.features import FACT_FEATURES, SENTENCE_FEATURES
from assistant.qa.gold import TUNE_SETS, doc_ok, load_gold, norm, value_ok, work_engine
from assistant.qa.weights import WEIGHTS_VERSION, Calibration, Decision, Ranker, WeightsModel, model

MAX_CANDIDATES = 40
"""Candidates kept per question (the best under the current weights)."""
FOLDS = 5
MAX_FALSE_ANSWERS = 0.10
"""At most this share of the unanswerable questions may be answered."""


@dataclass
class Sample:
    """One question's candidates, as a feature matrix and labels."""

    group: str
    """The gold document's folder: questions of one document share a fold."""
    set_name: str
    ranker: str
    """'fact' or 'sentence'."""
    x: np.ndarray
    """Candidates × features (each row already multiplied by the kind gate)."""
    y: np.ndarray
    """1 for a right candidate."""
    answerable: bool
    answer_x: dict[str, float] = field(default_factory=dict)
    """Signals of the best candidate under the weights in use (:mod:`assistant.qa.confidence`)."""
    answered: bool = False
    """True when the best candidate passes the score threshold in use."""


def _samples(engine, gold: list[dict], set_name: str) -> list[Sample]:
    from assistant.qa.answerer import NUMERIC_KINDS, fact_keys, gather, sentence_keys, understand_for
    from assistant.qa.confidence import answer_features
    from assistant.qa.weights import model as current_model

    weights = current_model()

    fact_names = list(FACT_FEATURES)
    sentence_names = list(SENTENCE_FEATURES)
    out = []
    for g in gold:
        intent = understand_for(engine, g["question"])
        got = gather(engine, intent)
        expect = g["expect"]
        evidence = norm(g.get("evidence") or "")
        doc = g.get("document") or ""
        group = set_name + ":" + doc.split("/")[0]
        answerable = not expect.get("abstain")
        if got is None:
            continue
        if intent.kind in NUMERIC_KINDS:
            ranked = got.rank(intent)[:MAX_CANDIDATES]
            if not ranked:
                continue
            x = np.array([[s.parts["gate"] * s.parts[n] for n in fact_names] for s in ranked])
            y = np.zeros(len(ranked))
            if "value" in expect:
                money = intent.kind == "money"
                for i, s in enumerate(ranked):
                    f = s.fact
                    if (
                        value_ok(f.value, float(expect["value"]), money or f.unit == "EUR")
                        and evidence in norm(f.sentence)
                        and doc_ok(f.document, doc)
                    ):
                        y[i] = 1
            threshold = weights.threshold("date" if intent.kind == "date" else "fact")
            out.append(
                Sample(
                    group,
                    set_name,
                    "fact",
                    x,
                    y,
                    answerable,
                    answer_features(ranked, fact_keys(ranked)),
                    ranked[0].score >= threshold,
                )
            )
        else:
            from assistant.qa.rank import rank_sentences

            sranked = rank_sentences(got.cands, intent, got.query, got.missing, section_years=got.section_years)[:MAX_CANDIDATES]
            if not sranked:
                continue
            x = np.array([[row.parts[n] for n in sentence_names] for row in sranked])
            y = np.zeros(len(sranked))
            texts = [norm(t) for t in expect.get("any_text", [])]
            for i, row in enumerate(sranked):
                sentence = norm(row.candidate.text)
                if (
                    texts
                    and evidence in sentence
                    and any(t in sentence for t in texts)
                    and doc_ok(row.candidate.section.document, doc)
                ):
                    y[i] = 1
            out.append(
                Sample(
                    group,
                    set_name,
                    "sentence",
                    x,
                    y,
                    answerable,
                    answer_features(sranked, sentence_keys(sranked)),
                    sranked[0].score >= weights.threshold("sentence"),
                )
            )
    return out


TEMPERATURE = 10.0
"""Softmax temperature of the fit: scores live in about 0–1, so a 0.1 lead is a likelihood ratio of e."""
L2_GRID = (0.1, 0.3, 1.0, 3.0)
"""Strengths of the pull towards the prior weights, tried by nested cross-validation."""


def fit_logit(samples: list[Sample], prior: np.ndarray, l2: float, steps: int = 400, lr: float = 0.02) -> np.ndarray:
    """Weights of a conditional logit: softmax over each question's candidates (the right ones as
    targets), L2-regularised towards `prior` (the weights in use), by Adam."""
    usable = [s for s in samples if s.y.any() and len(s.y) > 1]
    w = prior.astype(float).copy()
    if not usable:
        return w
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for t in range(1, steps + 1):
        grad = l2 * (w - prior)
        for s in usable:
            z = TEMPERATURE * (s.x @ w)
            z -= z.max()
            p = np.exp(z)
            p /= p.sum()
            grad += TEMPERATURE * (s.x.T @ (p - s.y / s.y.sum())) / len(usable)
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def fit_platt(scores: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """(a, b) of P = sigmoid(a × score + b), by Newton's method on the log-loss."""
    a, b = 1.0, 0.0
    x = np.stack([scores, np.ones_like(scores)], axis=1)
    for _ in range(100):
        p = 1 / (1 + np.exp(-(x @ np.array([a, b]))))
        g = x.T @ (p - labels)
        h = x.T @ (x * (p * (1 - p))[:, None]) + 1e-6 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def _fold_of(group: str) -> int:
    return zlib.crc32(group.encode()) % FOLDS


def _top_right(s: Sample, w: np.ndarray) -> tuple[float, bool]:
    scores = s.x @ w
    i = int(np.argmax(scores))
    return float(scores[i]), bool(s.y[i])


def cross_validate(samples: list[Sample], ranker: str, hand: np.ndarray, l2: float) -> dict:
    """Held-out top-1 of the fitted and of the prior weights, and held-out (score, right, answerable, set) rows."""
    mine = [s for s in samples if s.ranker == ranker]
    held: list[tuple[float, bool, bool, str]] = []
    hand_right = fitted_right = reachable = 0
    for k in range(FOLDS):
        train = [s for s in mine if _fold_of(s.group) != k]
        test = [s for s in mine if _fold_of(s.group) == k]
        w = fit_logit(train, hand, l2)
        for s in test:
            score, right = _top_right(s, w)
            held.append((score, right, s.answerable, s.set_name))
            if s.y.any():
                reachable += 1
                fitted_right += right
                hand_right += _top_right(s, hand)[1]
    return {"held": held, "reachable": reachable, "fitted_top1": fitted_right, "hand_top1": hand_right, "questions": len(mine)}


def _answer_level(held: list, max_false: float) -> tuple[float, float, int]:
    """The P(correct) level with the best held-out accuracy, averaged over the sets (each set
    counts alike, so that a set rich in unanswerable questions weighs as much as one without),
    with at most `max_false` of the unanswerable questions answered: (level, mean accuracy, false answers)."""
    best: tuple[float, float, int] = (0.5, -1.0, 0)
    unanswerable = sum(1 for (h, _) in held if not h[2]) or 1
    sets = sorted({h[3] for (h, _) in held})
    for at in np.linspace(0.05, 0.95, 91):
        right = dict.fromkeys(sets, 0)
        count = dict.fromkeys(sets, 0)
        false = 0
        for (score, ok, answerable, set_name), cal in held:
            answer = cal.probability(score) >= at
            right[set_name] += (answer and ok) if answerable else (not answer)
            count[set_name] += 1
            false += answer and not answerable
        accuracy = sum(right[k] / count[k] for k in sets) / len(sets)
        if false / unanswerable <= max_false and accuracy > best[1]:
            best = (round(float(at), 3), round(float(accuracy), 4), int(false))
    return best


ABSTENTION_L2 = 1.0
"""Pull of the abstention model's weights towards 0 (on standardised signals)."""
LEVELS = tuple(round(float(x), 2) for x in np.linspace(0.0, 0.9, 19))
"""P(correct) levels tried for abstaining."""


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = ABSTENTION_L2) -> tuple[np.ndarray, float]:
    """(weights, bias) of an L2-regularised logistic regression, by Newton's method; the
    signals are standardised inside and the weights returned on their own scale."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std[std == 0] = 1.0
    z = np.hstack([(x - mean) / std, np.ones((len(x), 1))])
    w = np.zeros(z.shape[1])
    penalty = l2 * np.eye(z.shape[1])
    penalty[-1, -1] = 1e-6
    for _ in range(50):
        p = 1 / (1 + np.exp(-np.clip(z @ w, -50, 50)))
        g = z.T @ (p - y) + penalty @ w
        h = z.T @ (z * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(h, g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    weights = w[:-1] / std
    bias = float(w[-1] - (mean / std) @ w[:-1])
    return weights, bias


def _abstention_rows(samples: list[Sample], ranker: str, names: list[str]):
    mine = [s for s in samples if s.ranker == ranker]
    x = np.array([[s.answer_x.get(n, 0.0) for n in names] for s in mine]).reshape(len(mine), len(names))
    y = np.array([float(s.answerable and bool(s.y[0])) for s in mine])
    return mine, x, y


def _end_to_end(rows: list[tuple[Sample, float]], levels: dict[str, float]) -> tuple[float, int, int]:
    """(mean accuracy over the sets, false answers, unanswerable) when answering at `levels`."""
    right: dict[str, int] = {}
    count: dict[str, int] = {}
    false = unanswerable = 0
    for s, p in rows:
        answer = s.answered and p >= levels[s.ranker]
        ok = (answer and bool(s.y[0])) if s.answerable else not answer
        right[s.set_name] = right.get(s.set_name, 0) + ok
        count[s.set_name] = count.get(s.set_name, 0) + 1
        if not s.answerable:
            unanswerable += 1
            false += answer
    accuracy = sum(right[k] / count[k] for k in count) / max(1, len(count))
    return accuracy, false, unanswerable


def fit_abstention(samples: list[Sample], max_false: float = MAX_FALSE_ANSWERS) -> tuple[dict, dict]:
    """Per ranker the P(correct) model of its best candidate, fitted on all samples, with the
    levels chosen on held-out folds (by document): the best mean accuracy with at most
    `max_false` of the unanswerable questions answered.  Returns (models, report)."""
    from assistant.qa.confidence import ANSWER_FEATURES

    names = list(ANSWER_FEATURES)
    held: list[tuple[Sample, float]] = []
    models: dict = {}
    for ranker in ("fact", "sentence"):
        mine, x, y = _abstention_rows(samples, ranker, names)
        if not mine:
            continue
        folds = np.array([_fold_of(s.group) for s in mine])
        for k in range(FOLDS):
            train, test = folds != k, folds == k
            if not test.any() or len(set(y[train])) < 2:
                held += [(mine[i], 1.0) for i in np.flatnonzero(test)]
                continue
            w, b = fit_logistic(x[train], y[train])
            p = 1 / (1 + np.exp(-np.clip(x[test] @ w + b, -50, 50)))
            held += [(mine[i], float(pi)) for i, pi in zip(np.flatnonzero(test), p)]
        w, b = fit_logistic(x, y)
        models[ranker] = {"weights": {n: round(float(v), 4) for n, v in zip(names, w)}, "bias": round(b, 4)}
    base_accuracy, base_false, unanswerable = _end_to_end(held, {"fact": 0.0, "sentence": 0.0})
    best = (-1.0, 0, {"fact": 0.0, "sentence": 0.0})
    for fact_level in LEVELS:
        for sentence_level in LEVELS:
            levels = {"fact": fact_level, "sentence": sentence_level}
            accuracy, false, _ = _end_to_end(held, levels)
            if false <= max_false * max(1, unanswerable) and accuracy > best[0] + 1e-9:
                best = (accuracy, false, levels)
    for ranker, level in best[2].items():
        if ranker in models:
            models[ranker]["level"] = level
    report = {
        "abstention_heldout_unanswerable": unanswerable,
        "abstention_heldout_accuracy_threshold_only": round(base_accuracy, 4),
        "abstention_heldout_false_answers_threshold_only": base_false,
        "abstention_heldout_accuracy": round(best[0], 4),
        "abstention_heldout_false_answers": best[1],
        "abstention_level_fact": best[2]["fact"],
        "abstention_level_sentence": best[2]["sentence"],
    }
    return models, report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m assistant.qa.fit", description=__doc__.split("\n\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2].parent / "shared")
    parser.add_argument("--work", type=Path, default=None, help="folder for the indexes (default: a temporary one)")
    parser.add_argument("--write", action="store_true", help="write the fitted model to assistant/qa/weights.json")
    parser.add_argument(
        "--write-abstention",
        action="store_true",
        help="write only the fitted P(correct) models and their levels into weights.json (the rankers left as they are)",
    )
    parser.add_argument(
        "--level",
        choices=["constrained", "free"],
        default="constrained",
        help="answer level: at most 1 in 10 unanswerable questions answered (default), or the most questions right",
    )
    args = parser.parse_args(argv)
    from assistant.qa import semantic
    from assistant.qa.engine import Assistant

    if not (args.shared / "questions" / "dev.jsonl").is_file():
        print(f"fit : les questions partagées sont introuvables dans {args.shared}", file=sys.stderr)
        return 2
    work = args.work or Path(tempfile.mkdtemp(prefix="assistant-fit-"))
    samples: list[Sample] = []
    engines: dict[str, Assistant] = {}
    for name, (_gold_rel, corpus_rel, _split) in TUNE_SETS.items():
        work_engine(engines, work, args.shared, corpus_rel)
        gold = load_gold(args.shared, name)
        with semantic.active(semantic.scorer_for(engines[corpus_rel].index_dir, unweighted=True)):
            got = _samples(engines[corpus_rel], gold, name)
        print(f"# {name}: {len(gold)} questions, {len(got)} with candidates", file=sys.stderr)
        samples += got

    current = model()
    rankers: dict = {}
    calibration: dict[Decision, Calibration] = {}
    report: dict[str, float | int | str] = {}
    answer_held: list = []
    pairs: tuple[tuple[Literal["fact", "sentence"], list[str]], ...] = (
        ("fact", list(FACT_FEATURES)),
        ("sentence", list(SENTENCE_FEATURES)),
    )
    for ranker, names in pairs:
        hand = np.array([current.rankers[ranker].weights.get(n, 0.0) for n in names])
        trials = {l2: cross_validate(samples, ranker, hand, l2) for l2 in L2_GRID}
        l2 = max(L2_GRID, key=lambda k: (trials[k]["fitted_top1"], k))
        cv = trials[l2]
        mine = [s for s in samples if s.ranker == ranker]
        w = fit_logit(mine, hand, l2)
        report[f"{ranker}_l2"] = l2
        for k, t in trials.items():
            report[f"{ranker}_heldout_top1_l2_{k}"] = round(t["fitted_top1"] / max(1, t["reachable"]), 4)
        rankers[ranker] = Ranker(weights={n: round(float(x), 4) for n, x in zip(names, w)})
        scores = np.array([h[0] for h in cv["held"]])
        labels = np.array([float(h[1] and h[2]) for h in cv["held"]])
        a, b = fit_platt(scores, labels)
        calibration[ranker] = Calibration(a=round(a, 4), b=round(b, 4))
        if ranker == "fact":
            # dates keep their margin below figures (a date question is better answered by the best-placed date)
            shift = current.threshold("fact") - current.threshold("date")
            calibration["date"] = Calibration(a=round(a, 4), b=round(b + a * shift, 4))
        answer_held += [(h, calibration[ranker]) for h in cv["held"]]
        report[f"{ranker}_questions"] = cv["questions"]
        report[f"{ranker}_reachable"] = cv["reachable"]
        report[f"{ranker}_heldout_top1_fitted"] = round(cv["fitted_top1"] / max(1, cv["reachable"]), 4)
        report[f"{ranker}_heldout_top1_hand"] = round(cv["hand_top1"] / max(1, cv["reachable"]), 4)
        for set_name in TUNE_SETS:
            rows = [s for s in mine if s.set_name == set_name and s.y.any()]
            if rows:
                report[f"{ranker}_insample_top1_{set_name}"] = round(sum(_top_right(s, w)[1] for s in rows) / len(rows), 4)
    # one answering level for both rankers, on their own calibrations
    answer_at, right, false = _answer_level(answer_held, MAX_FALSE_ANSWERS)
    free_at, free_right, free_false = _answer_level(answer_held, 1.0)
    unanswerable = sum(1 for (h, _) in answer_held if not h[2])
    report["heldout_questions"] = len(answer_held)
    report["heldout_unanswerable"] = unanswerable
    report["answer_at_constrained"] = answer_at
    report["answer_at_constrained_right"] = right
    report["answer_at_constrained_false_answers"] = false
    report["answer_at_free"] = free_at
    report["answer_at_free_right"] = free_right
    report["answer_at_free_false_answers"] = free_false
    if args.level == "free":
        answer_at = free_at
    fitted = WeightsModel(
        version=WEIGHTS_VERSION,
        source="python -m assistant.qa.fit: conditional logit per ranker on the shared tune questions "
        f"({', '.join(TUNE_SETS)}), {FOLDS}-fold cross-validation by document, Platt calibration on held-out folds",
        rankers=rankers,
        calibration=calibration,
        thresholds={
            decision: (
                round(calibration[decision].score_at(answer_at), 4) if decision in calibration else current.threshold(decision)
            )
            for decision in ("fact", "date", "computed", "sentence")
        },
        fit=report,
    )
    abstention, abstention_report = fit_abstention(samples)
    report.update(abstention_report)
    print(json.dumps(report, indent=2))
    if args.write_abstention:
        from assistant.qa.weights import Abstention

        kept = current.model_copy(update={"abstention": {r: Abstention(**m) for r, m in abstention.items() if "level" in m}})
        kept.fit.update(abstention_report)
        target = Path(__file__).with_name("weights.json")
        target.write_text(json.dumps(kept.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"# abstention written to {target}", file=sys.stderr)
        return 0
    gains = [float(report[f"{r}_heldout_top1_fitted"]) > float(report[f"{r}_heldout_top1_hand"]) for r in ("fact", "sentence")]
    if args.write and not any(gains):
        print("# the fitted weights do not beat those in use held out: weights.json left as it is", file=sys.stderr)
    elif args.write:
        target = Path(__file__).with_name("weights.json")
        target.write_text(json.dumps(fitted.model_dump(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"# written {target}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
