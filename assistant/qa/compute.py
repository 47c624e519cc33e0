"""Computed answers: differences, sums and ratios over facts, every operand kept
so that each can be cited."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from assistant.analysis.analyzer import APOSTROPHES, analyze, fold
from assistant.lang import lexicon, read_list, read_table
from assistant.models import Fact
from assistant.qa.features import table_row_label
from assistant.qa.operations import Operation
from assistant.qa.question import Intent, states_negation
from assistant.qa.rank import ScoredFact
from assistant.qa.years import YEAR_RE, fact_year

RATIO_DEFINITIONS: dict[str, tuple[str, str]] = {fold(name): (num, den) for name, num, den in read_table("ratio_definitions")}
"""Ratios of public-finance reports that the wording names without their terms:
name (folded) → (numerator words, denominator words), from assistant/lang/fr/ratio_definitions.tsv."""


MIN_OPERAND_SCORE = 0.15
"""An operand must match the question at least this well on its own."""

APPROXIMATE_PENALTY = 0.05
"""Less for a pair per approximate operand ("une dizaine", "près de 300")."""


@dataclass
class Computation:
    """A computed value and the facts it was computed from."""

    value: float
    """The result."""
    unit: str | None
    """Unit of the result."""
    kind: str
    """Kind of the result (count, money, percent…)."""
    operands: list[Fact]
    """The facts used, in the order of the formula."""
    formula: str
    """How it was computed, for the answer text ('35 − 27')."""
    score: float
    """How well the operands match the question."""


def _fmt(v: float) -> str:
    """An operand as a reader writes it: thousands grouped by a narrow space, a decimal comma
    ("4 200 000", "14,5")."""
    sign, v = ("-" if v < 0 else ""), abs(v)
    whole, _, decimals = f"{v:.6f}".rstrip("0").partition(".")
    return sign + f"{int(whole):,}".replace(",", "\u202f") + ("," + decimals if decimals else "")


def operand_year(fact: Fact) -> int | None:
    """The year of an operand: a table cell's is the year its column (or row) header names
    ("2009 — Recettes"), else the year its sentence or headings give it."""
    if fact.source == "table" and " — " in fact.subject:
        found = {int(y) for y in YEAR_RE.findall(fact.subject)}
        if len(found) == 1:
            return found.pop()
    return fact_year(fact)


def operand_kind(intent: Intent) -> str:
    """The kind of a difference's operands: a count asked without a counted noun ("de combien … ont-ils
    augmenté ?") may be a difference of amounts, so any figure."""
    return "number" if intent.kind == "count" and not intent.unit_hint else intent.kind


def _same_family(a: Fact, b: Fact) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in ("money", "percent", "duration"):
        return a.unit == b.unit or a.kind == "money"
    # counts of different things (operations, auditors) are not comparable
    return a.unit is None or b.unit is None or a.unit == b.unit


def _subject_overlap(a: Fact, b: Fact) -> float:
    """Jaccard overlap of two facts' subjects (analysed words), 0–1."""
    ta, tb = set(analyze(a.subject)), set(analyze(b.subject))
    if not ta or not tb:
        return 0.0
    return len(ta & tb) / len(ta | tb)


HEADER_BONUS = 0.15
"""More for a difference of table cells per operand whose column header the question names."""


def _header_named(fact: Fact, asked: set[str]) -> bool:
    """True when `fact` is a table cell whose column header has a word of the question (`asked`)."""
    if fact.source != "table" or " — " not in fact.subject:
        return False
    header = fact.subject.split(" — ", 1)[0]
    return bool(_terms(header) & asked)


def difference(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """|a − b| for the best pair: target vs achieved, two years asked, or two figures of one sentence."""
    if not ranked:
        return None
    floor = max(0.5 * ranked[0].score, MIN_OPERAND_SCORE)
    pool = [s for s in ranked[:12] if s.score >= floor and s.fact.kind != "date"]
    best: Computation | None = None
    asked = _terms(intent.french)

    def consider(a: ScoredFact, b: ScoredFact, bonus: float) -> None:
        nonlocal best
        if a.fact.id == b.fact.id or a.fact.value == b.fact.value or not _same_family(a.fact, b.fact):
            return
        hi, lo = (a, b) if a.fact.value >= b.fact.value else (b, a)
        score = (a.score + b.score) / 2 + bonus + 0.15 * _subject_overlap(a.fact, b.fact)
        # two cells of one row: the columns the question names ("entre le montant engagé et le montant payé")
        score += HEADER_BONUS * sum(_header_named(s.fact, asked) for s in (a, b))
        # "une dizaine de projets" is an estimate: an exact figure makes the better operand
        score -= APPROXIMATE_PENALTY * sum("approximatif" in s.fact.qualifiers for s in (a, b))
        if best is None or score > best.score:
            best = Computation(
                value=round(hi.fact.value - lo.fact.value, 6),
                unit=hi.fact.unit,
                kind=hi.fact.kind,
                operands=[hi.fact, lo.fact],
                formula=f"{_fmt(hi.fact.value)} − {_fmt(lo.fact.value)}",
                score=score,
            )

    for i, a in enumerate(pool):
        for b in pool[i + 1 :]:
            qa, qb = set(a.fact.qualifiers), set(b.fact.qualifiers)
            target_pair = bool((qa & {"objectif", "révisé"}) and not (qb & {"objectif"})) or bool(
                (qb & {"objectif", "révisé"}) and not (qa & {"objectif"})
            )
            same_place = (
                a.fact.sentence_start == b.fact.sentence_start or abs(a.fact.sentence_start - b.fact.sentence_start) < 400
            )
            if intent.years and len(intent.years) >= 2:
                ya, yb = operand_year(a.fact), operand_year(b.fact)
                related = a.fact.sentence_start == b.fact.sentence_start or _subject_overlap(a.fact, b.fact) >= 0.3
                if ya in intent.years and yb in intent.years and ya != yb:
                    # two years of one thing, not two things of two years
                    consider(a, b, 0.15 if related else -0.1)
                elif a.fact.sentence_start == b.fact.sentence_start and (ya in intent.years) != (yb in intent.years):
                    # "3,9 M€ contre 4,6 M€ en 2021": the figure without its own year is the other one
                    consider(a, b, 0.1)
                continue
            if "objectif" in intent.qualifiers or "révisé" in intent.qualifiers:
                if target_pair and same_place:
                    consider(a, b, 0.15)
                continue
            if same_place:
                consider(a, b, 0.1 if target_pair else 0.0)
    return best


_YEAR_SPAN = re.compile(
    r"\b(?:de|entre|from|between|over)\s+(?P<lo>(?:19|20)\d\d)\s+(?:a|à|et|to|and)\s+(?P<hi>(?:19|20)\d\d)\b"
    r"|\b(?P<lo2>(?:19|20)\d\d)\s*[-–]\s*(?P<hi2>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
"""Two years a question puts as the bounds of a span ("de 2019 à 2021", "between 2019 and 2021", "2017-2019")."""

MAX_SPAN_YEARS = 12
"""Longest span of years whose every year is summed."""


def summed_years(intent: Intent) -> tuple[list[int], bool]:
    """The years a sum adds up, and whether they are a span: every year from the first to the last
    when the question puts its two years as bounds ("au total de 2019 à 2021"), else the years it names."""
    m = _YEAR_SPAN.search(intent.question)
    if m and len(intent.years) == 2:
        lo, hi = int(m.group("lo") or m.group("lo2")), int(m.group("hi") or m.group("hi2"))
        if sorted(intent.years) == [lo, hi] and 0 < hi - lo < MAX_SPAN_YEARS:
            return list(range(lo, hi + 1)), True
    return list(intent.years), False


def total(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """Sum of the figures of one kind stated together (for the years asked, when named)."""
    if not ranked:
        return None
    for lead in ranked[:5]:
        if lead.fact.kind == "date":
            continue
        same = [
            s
            for s in ranked
            if s.fact.sentence_start == lead.fact.sentence_start
            and s.fact.document == lead.fact.document
            and _same_family(s.fact, lead.fact)
            and not (set(s.fact.qualifiers) & {"objectif"})
        ]
        years, span = summed_years(intent)
        if years:
            by_year = {}
            for s in same:
                y = operand_year(s.fact)
                if y in years and y not in by_year:
                    by_year[y] = s
            # every year of a span ("de 2019 à 2021": 2019, 2020 and 2021), else at least two named
            same = list(by_year.values()) if len(by_year) >= (len(years) if span else 2) else []
        uniq: dict[int, ScoredFact] = {}
        for s in same:
            uniq.setdefault(s.fact.start, s)
        items = sorted(uniq.values(), key=lambda s: s.fact.start)
        if len(items) >= 2:
            value = sum(s.fact.value for s in items)
            return Computation(
                value=round(value, 6),
                unit=lead.fact.unit,
                kind=lead.fact.kind,
                operands=[s.fact for s in items],
                formula=" + ".join(_fmt(s.fact.value) for s in items),
                score=sum(s.score for s in items) / len(items) + 0.1,
            )
    return None


_FIGURE_SPAN = re.compile(r"\d[\d \u00a0\u202f\u2009]*(?:[.,]\d+)?")
"""A figure in a sentence, roughly (bounds the words that belong to a figure)."""


NEAR_ITEM = 6
"""Most words between a figure and the item it is read for, when a closer-ranked one exists."""
NAMED_BONUS = 0.15
"""More for a sum whose every operand stands by the item it was asked for."""
_TAG = re.compile(r"<[^<>\n]{0,20}>")


def _stretch(fact: Fact) -> tuple[str, str]:
    """The figure's own stretch of its sentence, before and after it: as far as the figures on
    either side (a word belongs to the figure of its own stretch), markup tags left out."""
    sentence = fact.sentence
    at, end = fact.start - fact.sentence_start, fact.end - fact.sentence_start
    spans = [(m.start(), m.end()) for m in _FIGURE_SPAN.finditer(sentence)]
    left = max((e for s, e in spans if e <= at), default=0)
    right = min((s for s, e in spans if s >= end), default=len(sentence))
    return _TAG.sub(" ", sentence[left:at]), _TAG.sub(" ", sentence[end:right])


Side = Literal["both", "before", "after"]
"""Where an item's words are looked for around its figure: either side, only before, only after."""


def _item_distance(fact: Fact, heads: set[str], side: Side = "both") -> int | None:
    """Words between the fact's figure and the item's words (the farthest of them, each at its
    nearest), within the figure's stretch (:func:`_stretch`) on `side`; None when some word of the
    item is not there. A table cell stands by its row's label: an item all of whose words label
    the row (« l'axe 1 » for « | Axe 1 Recherche | 1 200 | 1 450 | ») is at distance 0."""
    label = table_row_label(fact)
    if label is not None and heads <= set(analyze(label)):
        return 0
    left, right = _stretch(fact)
    before = re.findall(r"[\w’'-]+", left) if side != "after" else []
    after = re.findall(r"[\w’'-]+", right) if side != "before" else []
    nearest: dict[str, int] = {}
    for distance, word in [(len(before) - i - 1, w) for i, w in enumerate(before)] + list(enumerate(after)):
        for t in set(analyze(word)) & heads:
            nearest[t] = min(nearest.get(t, distance), distance)
    return max(nearest.values()) if len(nearest) == len(heads) else None


def _pick_items(
    items: list[str], heads: list[list[str]], pool: list[ScoredFact], across: bool
) -> tuple[list[ScoredFact], list[str], bool]:
    """For each item, the best-ranked figure standing by its words (within NEAR_ITEM words if one
    does), all of one document unless `across`; the items without one; and whether every figure
    chosen stands within NEAR_ITEM words of its item (each operand pinned by its own words).

    A list the report writes one way ("1,2 M€ aux écoles, 0,8 M€ aux routes" or "l'État 9 %") is
    read that way for every item: the items looked for after their figures, else before them, else
    on either side."""
    best: tuple[list[ScoredFact], list[str], bool] | None = None
    for side in ("after", "before", "both"):
        picked = _pick_items_on(items, heads, pool, across, side)
        if not picked[1]:
            return picked
        best = best or picked
    return best if best is not None else ([], list(items), False)


def _pick_items_on(
    items: list[str], heads: list[list[str]], pool: list[ScoredFact], across: bool, side: Side
) -> tuple[list[ScoredFact], list[str], bool]:
    """:func:`_pick_items` with every item's words looked for on one `side` of its figure."""
    chosen: list[ScoredFact] = []
    missing: list[str] = []
    pinned = True
    for k, (item, words) in enumerate(zip(items, heads)):
        # all the item's words; else the one next to « et » ("agriculture and construction companies");
        # else any one of them (an English word the glossary gives two French words for)
        adjacent = words[-1] if k < len(heads) - 1 else words[0]
        found = []
        for tried in ({*words}, {adjacent}, *({w} for w in words if w != adjacent)):
            for s in pool:
                if any(s is c for c in chosen):
                    continue
                if chosen and (
                    (not across and s.fact.document != chosen[0].fact.document) or not _same_family(s.fact, chosen[0].fact)
                ):
                    continue
                d = _item_distance(s.fact, tried, side)
                if d is not None:
                    found.append((d > NEAR_ITEM, -s.score, d, s))
            if found or len(set(words)) == 1:
                break
        if not found:
            missing.append(item)
            continue
        far, _, _, pick = min(found, key=lambda f: f[:3])
        pinned = pinned and not far
        chosen.append(pick)
    return chosen, missing, pinned


def place_score(ranked: list[ScoredFact], fact: Fact) -> float:
    """How well the place of `fact` answers the question: the best score, for the whole question
    (`ranked`), of a figure of the same document (0 when none is ranked)."""
    return max((s.score for s in ranked if s.fact.document == fact.document), default=0.0)


def one_sentence(facts: list[Fact]) -> bool:
    """True when all `facts` are figures of one sentence (or one table row) of one document."""
    return len({(f.document, f.sentence_start) for f in facts}) == 1


def pinned_score(ranked: list[ScoredFact], operands: list[Fact], score: float) -> float:
    """The score of a computation whose every operand stands by its own words (the question names
    each one): at least as credible as the place they are read from (:func:`place_score`), more when
    they are stated in one sentence; `score` when that is higher."""
    if not operands or len({f.document for f in operands}) != 1:
        return score
    return max(score, place_score(ranked, operands[0]) + (TOGETHER_BONUS if one_sentence(operands) else 0.0))


def _pick_named(intent: Intent, ranked: list[ScoredFact]) -> tuple[list[ScoredFact], list[str], bool] | None:
    """The figures of the items the question names (:func:`_pick_items` over the 30 best non-date
    figures, in one document, else across documents when the items are all names), the items
    without one, and whether each is pinned by its words; None when an item has no word of its own."""
    heads = [analyze(item) for item in intent.items]
    if len(heads) < 2 or any(not h or all(t[0].isdigit() for t in h) for h in heads):
        return None
    pool = [s for s in ranked[:30] if s.fact.kind != "date"]
    chosen, missing, pinned = _pick_items(intent.items, heads, pool, across=False)
    if missing and all(item[:1].isupper() for item in intent.items):
        # items that are names ("la Lorraine et l'Alsace") may each be the subject of its own report
        chosen, missing, pinned = _pick_items(intent.items, heads, pool, across=True)
    return chosen, missing, pinned


def _named_score(ranked: list[ScoredFact], chosen: list[ScoredFact], pinned: bool) -> float:
    """The score of a computation over the named items `chosen`: their mean score plus NAMED_BONUS,
    raised to :func:`pinned_score` when every one is pinned by its own words."""
    score = sum(s.score for s in chosen) / len(chosen) + NAMED_BONUS
    return pinned_score(ranked, [s.fact for s in chosen], score) if pinned else score


def named_sum(intent: Intent, ranked: list[ScoredFact]) -> tuple[Computation | None, list[str]]:
    """The sum of the items the question names ("Pôle emploi et l'État réunis"): for each item, the
    best-ranked figure standing by all its words (within NEAR_ITEM words if one does). Returns the
    computation (None when an item has no figure) and the items without one."""
    picked = _pick_named(intent, ranked)
    if picked is None:
        return None, []
    chosen, missing, pinned = picked
    if missing or len(chosen) < 2:
        return None, missing
    facts = [s.fact for s in chosen]
    return (
        Computation(
            value=round(sum(f.value for f in facts), 6),
            unit=facts[0].unit,
            kind=facts[0].kind,
            operands=facts,
            formula=" + ".join(_fmt(f.value) for f in facts),
            score=_named_score(ranked, chosen, pinned),
        ),
        [],
    )


def named_difference(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """The difference of the two items the question names ("l'écart entre le budget de Lorraine et
    celui d'Alsace"): each the best-ranked figure standing by its words, the larger first."""
    picked = _pick_named(intent, ranked) if len(intent.items) == 2 else None
    if picked is None:
        return None
    chosen, missing, pinned = picked
    if missing or len(chosen) != 2 or chosen[0].fact.value == chosen[1].fact.value:
        return None
    hi, lo = sorted(chosen, key=lambda s: -s.fact.value)
    return Computation(
        value=round(hi.fact.value - lo.fact.value, 6),
        unit=hi.fact.unit,
        kind=hi.fact.kind,
        operands=[hi.fact, lo.fact],
        formula=f"{_fmt(hi.fact.value)} − {_fmt(lo.fact.value)}",
        score=_named_score(ranked, chosen, pinned),
    )


def _terms(text: str) -> set[str]:
    return set(analyze(text))


def column_sum(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """The sum over a table column of the rows a question counts ("la contribution totale des trois
    axes"): the best-ranked column whose rows labelled by the group's noun number exactly as many."""
    if intent.group is None:
        return None
    n, noun = intent.group
    stems = set(analyze(noun))
    columns: dict[tuple[str, str], list[ScoredFact]] = {}
    for s in ranked[:60]:
        f = s.fact
        if f.source != "table" or " — " not in f.subject or f.kind == "date":
            continue
        header, label = f.subject.split(" — ", 1)
        if not stems & set(analyze(label)):
            continue
        rows = columns.setdefault((f.document, header), [])
        if all(r.fact.subject != f.subject for r in rows):
            rows.append(s)
    best: Computation | None = None
    for rows in columns.values():
        if len(rows) != n or not all(_same_family(r.fact, rows[0].fact) for r in rows):
            continue
        rows = sorted(rows, key=lambda r: r.fact.start)
        score = sum(r.score for r in rows) / n + 0.1
        if best is None or score > best.score:
            best = Computation(
                value=round(sum(r.fact.value for r in rows), 6),
                unit=rows[0].fact.unit,
                kind=rows[0].fact.kind,
                operands=[r.fact for r in rows],
                formula=" + ".join(_fmt(r.fact.value) for r in rows),
                score=score,
            )
    return best


def complement(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """Those who did not, out of a whole the question states: "combien des 967 contributeurs n'ont
    pas précisé …" answered from "798 contributeurs sur 967" as 967 − 798. Only a figure stated as
    a part of that whole counts, and only from a sentence that is not itself negated."""
    if not intent.negated or not intent.numbers:
        return None
    for s in ranked[:8]:
        f = s.fact
        if f.denominator is None or not any(abs(f.denominator - n) < 1e-9 for n in intent.numbers):
            continue
        if states_negation(f.sentence) or f.value > f.denominator:
            continue
        whole = f.denominator
        return Computation(
            value=round(whole - f.value, 6),
            unit=f.unit,
            kind="count",
            operands=[f],
            formula=f"{_fmt(whole)} − {_fmt(f.value)}",
            score=s.score,
        )
    return None


def _stretch_terms(fact: Fact) -> set[str]:
    """Analysed words of the figure's own stretch of its sentence."""
    left, right = _stretch(fact)
    return set(analyze(left + " " + right))


def ratio(intent: Intent, money_facts: list[ScoredFact]) -> Computation | None:
    """numerator ÷ denominator × 100, the two amounts chosen by the words of the question: the
    denominator's words stand by its figure ("sur un coût total de 1 211 420 €") or in its subject."""
    folded = fold(intent.french)
    parts = intent.ratio_parts
    num_words = den_words = ""
    for name, (num, den) in RATIO_DEFINITIONS.items():
        if name in folded:
            num_words, den_words = num, den
    if parts:
        num_words = num_words + " " + parts[0] if not num_words else num_words
        den_words = den_words + " " + parts[1] if not den_words else den_words
    if not num_words or not den_words:
        return None
    num_terms, den_terms = _terms(num_words), _terms(den_words)
    best: Computation | None = None
    pool = money_facts[:15]
    words = {id(s): _stretch_terms(s.fact) | _terms(s.fact.subject + " " + s.fact.section) for s in pool}
    for a in pool:
        na = len(words[id(a)] & num_terms)
        if not na:
            continue
        for b in pool:
            if b.fact.id == a.fact.id or not b.fact.value or b.fact.unit != a.fact.unit:
                continue
            nb = len(words[id(b)] & den_terms)
            if not nb or a.fact.value > b.fact.value or b.fact.document != a.fact.document:
                continue
            together = a.fact.sentence_start == b.fact.sentence_start
            score = (a.score + b.score) / 2 + 0.05 * (na + nb) + (0.15 if together else 0.0)
            if best is None or score > best.score:
                best = Computation(
                    value=round(100.0 * a.fact.value / b.fact.value, 2),
                    unit="%",
                    kind="percent",
                    operands=[a.fact, b.fact],
                    formula=f"{_fmt(a.fact.value)} ÷ {_fmt(b.fact.value)} × 100",
                    score=score,
                )
    return best


# --- operands found as sub-questions ---------------------------------------------------------

Find = Callable[[str, str, str], list[ScoredFact]]
"""find(sub-question, kind, the operand's own words): the facts ranked for the sub-question read as
a figure question of that kind (the answerer's own machinery: retrieval, features, weights); none
when the corpus does not know the operand's words (:func:`known_operand`)."""

OPERAND_POOL = 20
"""Best-ranked facts of each sub-question tried as its operand."""
OPERAND_REACH = 60
"""How far down a sub-question's ranking a figure standing by every one of the operand's own words is still tried."""
TOGETHER_BONUS = 0.1
"""More for operands stated in one sentence or one table row."""
_COMPUTABLE = ("money", "count", "number", "duration", "ratio", "other")
"""Kinds of facts a share, a deduction or an average is computed from (not dates nor percents)."""


def _named(op: Operation, i: int) -> bool:
    """True when operand `i` is named by words of its own; the whole of a deduction or an average is
    the question's own scope, found by it."""
    return i > 0 or op.kind in ("share", "portion")


def _words_by(fact: Fact, heads: set[str]) -> int:
    """How many of an operand's words stand in the figure's own stretch of its sentence (:func:`_stretch`)."""
    return len(_stretch_terms(fact) & heads)


def _asked(intent: Intent, op: Operation, i: int) -> str:
    """Operand `i`'s sub-question; in a follow-up ("Et en 2014 ?"), in the follow-up's years and codes."""
    text = op.sub_question(i)
    if intent.follow_up and (intent.years or intent.codes):
        for year in set(YEAR_RE.findall(text)) - {str(y) for y in intent.years}:
            text = text.replace(year, " ")
        text = " ".join([text, *(str(y) for y in intent.years), *intent.codes])
    return text


def _operands(find: Find, intent: Intent, i: int, kind: str) -> list[tuple[int, ScoredFact]]:
    """The facts that may stand for operand `i`, each with how many of the operand's own words stand
    by its figure (:func:`_words_by`): the best-ranked of its sub-question that match it at least
    MIN_OPERAND_SCORE, those by the most words first."""
    op = intent.computation
    if op is None:
        return []
    own = _own_words(op, i)
    heads = _heads(own)
    named = _named(op, i)
    ranked = [s for s in find(_asked(intent, op, i), kind, own if named else "") if s.fact.kind in _COMPUTABLE]
    pool = [(_words_by(s.fact, heads), s) for s in ranked[:OPERAND_POOL]]
    # further down, a figure still stands for the operand when every one of its own words stands by it
    pool += [(n, s) for s in ranked[OPERAND_POOL:OPERAND_REACH] if heads and (n := _words_by(s.fact, heads)) == len(heads)]
    # a figure below the floor still stands for an operand named by words of its own when all of them stand by it
    pool = [(n, s) for n, s in pool if s.score >= MIN_OPERAND_SCORE or (named and heads and n == len(heads))]
    # of two figures by the operand's words (« dont 30 M€ de FEDER et 20 M€ de la Région »), the one
    # they follow as its complement (« 30 M€ de FEDER ») first
    return sorted(pool, key=lambda ns: (-ns[0], -_complement_of(ns[1].fact, heads), -ns[1].score))


@lru_cache(maxsize=1)
def _complement() -> re.Pattern[str]:
    """The words right after a figure that make its complement (« 30 M€ de FEDER », "€30m of ERDF"),
    opened by a word of assistant/lang/fr/complement_links.txt; on folded text."""
    links = "|".join(re.escape(w) for w in sorted(read_list("complement_links"), key=len, reverse=True))
    return re.compile(rf"^\s*\)?\s*(?:{links})(?:(?<=')|\s+)(?P<words>(?:[\w'-]+\s*){{1,4}})")


def _complement_of(fact: Fact, heads: set[str]) -> int:
    """How many of an operand's words stand as the figure's complement, right after it (:func:`_complement`)."""
    _, right = _stretch(fact)
    m = _complement().match(fold(right).translate(APOSTROPHES))
    return len(set(analyze(m.group("words"))) & heads) if m and heads else 0


def _own_words(op: Operation, i: int) -> str:
    """Operand `i`'s own words (in French terms)."""
    return op.words[i] if i < len(op.words) else op.operands[i]


def _heads(words: str) -> set[str]:
    """The analysed words of an operand's own words, figures left out."""
    return {t for t in analyze(words) if not t[0].isdigit()}


def operands_pinned(op: Operation, comp: Computation) -> bool:
    """True when every operand the question names by words of its own (:func:`_named`) is a figure
    standing by all those words, the computation's operands in the formula's order."""
    named = [i for i in range(min(len(op.operands), len(comp.operands))) if _named(op, i)]
    return bool(named) and all(
        (heads := _heads(_own_words(op, i))) and _words_by(comp.operands[i], heads) == len(heads) for i in named
    )


def known_operand(words: str, lang: str, knows: Callable[[str], bool]) -> bool:
    """True when the corpus may hold an operand named by `words` (`knows(word)`: the index has the
    word): every word of a French operand; at least one of an English one (its words the glossary
    does not translate stay English). Nouns of a figure's role (« la contribution de l'État »,
    assistant/lang/fr/role_nouns.txt) need not be known: a report may state « l'État 8,1 M€ »."""
    roles = lexicon().role_stems
    terms = [w for w in re.findall(r"[^\W\d_][\w'-]*", words) if analyze(w) and not set(analyze(w)) <= roles]
    if not terms:
        return True
    known = [knows(w) for w in terms]
    return all(known) if lang == "fr" else any(known)


def _whole_kind(intent: Intent) -> str:
    """The kind of the whole of a deduction or an average: the question's when it names one
    (money, a count of a named noun), else any figure."""
    kind = operand_kind(intent)
    return kind if kind in _COMPUTABLE else "number"


def _unfound(op: Operation, found: list[list[tuple[int, ScoredFact]]]) -> list[str]:
    """The operands with no figure: none ranked for their sub-question, or — for an operand named by
    words of its own ("la prime des zèbres") — none standing by any of those words."""
    out = []
    for i, options in enumerate(found):
        if not options or (_named(op, i) and all(n == 0 for n, _ in options)):
            out.append(op.operands[i])
    return out


def _better(key: tuple[int, float], best: tuple[int, float] | None) -> bool:
    """A combination of operands beats another by the operand words standing by its figures, then by score."""
    return best is None or key > best


def share(intent: Intent, find: Find) -> tuple[Computation | None, list[str]]:
    """A part ÷ its whole × 100, each found as a sub-question (the part and the whole of one
    document and comparable, the part smaller), or the operands not found."""
    op = intent.computation
    if op is None or len(op.operands) != 2:
        return None, []
    parts, wholes = _operands(find, intent, 0, "number"), _operands(find, intent, 1, "number")
    missing = _unfound(op, [parts, wholes])
    if missing:
        return None, missing

    def fits(a: Fact, b: Fact) -> bool:
        return a.document == b.document and _same_family(a, b) and 0 < a.value < b.value

    def make(a: Fact, b: Fact, score: float) -> Computation:
        return Computation(
            value=round(100.0 * a.value / b.value, 2),
            unit="%",
            kind="percent",
            operands=[a, b],
            formula=f"{_fmt(a.value)} ÷ {_fmt(b.value)} × 100",
            score=score,
        )

    return _best_pair(parts, wholes, fits, make), []


def _best_pair(
    firsts: list[tuple[int, ScoredFact]],
    seconds: list[tuple[int, ScoredFact]],
    fits: Callable[[Fact, Fact], bool],
    make: Callable[[Fact, Fact, float], Computation],
) -> Computation | None:
    """The computation `make(a, b, score)` of the best pair of two operands' options (each with how
    many of the operand's words stand by its figure) that `fits(a, b)` (two distinct facts):
    by the operand words standing by the figures, then by their mean score, more when stated in one
    sentence (:func:`_better`)."""
    best: Computation | None = None
    best_key: tuple[int, float] | None = None
    for n1, x in firsts:
        for n2, y in seconds:
            a, b = x.fact, y.fact
            if a.id == b.id or not fits(a, b):
                continue
            score = (x.score + y.score) / 2 + (TOGETHER_BONUS if a.sentence_start == b.sentence_start else 0.0)
            if _better((n1 + n2, score), best_key):
                best_key = (n1 + n2, score)
                best = make(a, b, score)
    return best


def deduction(intent: Intent, find: Find) -> tuple[Computation | None, list[str]]:
    """A whole less the parts the question names ("ni par le FEDER ni par l'État"): the whole and
    each part found as sub-questions within one document, the parts together smaller than the whole."""
    op = intent.computation
    if op is None or len(op.operands) < 2:
        return None, []
    wholes = _operands(find, intent, 0, _whole_kind(intent))
    found = [_operands(find, intent, i, "number") for i in range(1, len(op.operands))]
    missing = _unfound(op, [wholes, *found])
    if missing:
        return None, missing
    best: Computation | None = None
    best_key: tuple[int, float] | None = None
    for nw, w in wholes:
        chosen: list[tuple[int, ScoredFact]] = []
        for options in found:
            pick = next(
                (
                    (n, s)
                    for n, s in options
                    if s.fact.document == w.fact.document
                    and _same_family(s.fact, w.fact)
                    and s.fact.value < w.fact.value
                    and all(s.fact.id != c.fact.id and s.fact.value != c.fact.value for c in [w, *(c for _, c in chosen)])
                ),
                None,
            )
            if pick is None:
                break
            chosen.append(pick)
        facts = [c.fact for _, c in chosen]
        if len(chosen) != len(found) or sum(f.value for f in facts) >= w.fact.value:
            continue
        score = (w.score + sum(c.score for _, c in chosen)) / (1 + len(chosen))
        key = (nw + sum(n for n, _ in chosen), score)
        if _better(key, best_key):
            best_key = key
            best = Computation(
                value=round(w.fact.value - sum(f.value for f in facts), 6),
                unit=w.fact.unit,
                kind=w.fact.kind,
                operands=[w.fact, *facts],
                formula=" − ".join(_fmt(f.value) for f in [w.fact, *facts]),
                score=score,
            )
    return best, []


def average(intent: Intent, find: Find) -> tuple[Computation | None, list[str]]:
    """A total ÷ the number of what it is shared among ("montant moyen par bénéficiaire"), the
    two found as sub-questions within one document."""
    op = intent.computation
    if op is None or len(op.operands) + len(op.stated) != 2:
        return None, []
    kind = _whole_kind(intent)
    # a total is no average: the report's own average is the result, never an operand
    totals = [(n, s) for n, s in _operands(find, intent, 0, kind) if "moyenne" not in s.fact.qualifiers]
    if op.stated:
        # « en moyenne par an entre 2016 et 2020 »: the total ÷ the years of the period the question
        # names, a total stated for that very period (its sentence or headings name both ends)
        missing = _unfound(op, [totals])
        if missing or not totals:
            return None, missing
        ends = {min(intent.years), max(intent.years)} if intent.years else set()
        over = [(n, s) for n, s in totals if ends <= _years_stated(s.fact)]
        if not over:
            return None, []
        _, t = over[0]
        years = op.stated[0]
        value = round(t.fact.value / years, 2)
        span = f" ({min(intent.years)}–{max(intent.years)})" if intent.years else ""
        formula = f"{_fmt(t.fact.value)} ÷ {_fmt(years)}{span}"
        return Computation(value=value, unit=t.fact.unit, kind=t.fact.kind, operands=[t.fact], formula=formula, score=t.score), []
    counts = [(n, s) for n, s in _operands(find, intent, 1, "count") if s.fact.kind == "count" and s.fact.value >= 1]
    missing = _unfound(op, [totals, counts])
    if missing:
        return None, missing

    def fits(a: Fact, b: Fact) -> bool:
        return a.document == b.document and not (a.kind == "count" and a.unit == b.unit)

    def make(a: Fact, b: Fact, score: float) -> Computation:
        return Computation(
            value=round(a.value / b.value, 2),
            unit=a.unit,
            kind=a.kind,
            operands=[a, b],
            formula=f"{_fmt(a.value)} ÷ {_fmt(b.value)}",
            score=score,
        )

    return _best_pair(totals, counts, fits, make), []


def _years_stated(fact: Fact) -> set[int]:
    """The years a fact's sentence and headings state."""
    return {int(y) for y in YEAR_RE.findall(" ".join([fact.sentence, *fact.scope]))}


def portion(intent: Intent, find: Find) -> tuple[Computation | None, list[str]]:
    """A percent the question states of a whole found as a sub-question ("Sachant que le FEDER
    finance 40 % du budget total, quel montant apporte-t-il ?"): whole × % ÷ 100."""
    op = intent.computation
    if op is None or len(op.operands) != 1 or len(op.stated) != 1:
        return None, []
    wholes = _operands(find, intent, 0, _whole_kind(intent))
    missing = _unfound(op, [wholes])
    if missing or not wholes:
        return None, missing
    _, w = wholes[0]
    pct = op.stated[0]
    return (
        Computation(
            value=round(w.fact.value * pct / 100.0, 2),
            unit=w.fact.unit,
            kind=w.fact.kind,
            operands=[w.fact],
            formula=f"{_fmt(w.fact.value)} × {_fmt(pct)} ÷ 100",
            score=w.score,
        ),
        [],
    )


_PARTITIVE = re.compile(
    r"^\s*(?:%|pour ?cent|percent)?\s*(?:" + "|".join(re.escape(w) for w in read_list("partitive_words")) + r")\b",
    re.IGNORECASE,
)
"""Words right after a percent that make it a percent of the count just stated ("60 % d'entre elles")."""


def percent_of_count(intent: Intent, find: Find) -> Computation | None:
    """A count asked as an estimate, as the report states it in parts: the percent of the count
    stated just before it ("409 ont donné lieu à une instruction et pour 60 % d'entre elles ont
    conduit à un règlement amiable" → 409 × 60 ÷ 100)."""
    percents = [s for s in find(intent.question, "percent", "")[:OPERAND_POOL] if s.fact.kind == "percent"]
    counts = [s for s in find(intent.question, "count", "") if s.fact.kind == "count"]
    for p in percents:
        f = p.fact
        if not _PARTITIVE.match(fold(f.sentence[f.end - f.sentence_start :])):
            continue
        before = [c for c in counts if c.fact.document == f.document and c.fact.sentence_start == f.sentence_start]
        before = [c for c in before if c.fact.end <= f.start]
        if not before:
            continue
        whole = max(before, key=lambda c: c.fact.end)
        # the percent's own words make it a percent of that count: as credible as its place
        score = max((p.score + whole.score) / 2, place_score(counts, f)) + TOGETHER_BONUS
        return Computation(
            value=round(whole.fact.value * f.value / 100.0, 2),
            unit=whole.fact.unit,
            kind="count",
            operands=[whole.fact, f],
            formula=f"{_fmt(whole.fact.value)} × {_fmt(f.value)} ÷ 100",
            score=score,
        )
    return None


def stated_share(intent: Intent) -> Computation | None:
    """The share of two amounts the question states ("l'apport de 300 000 € sur un coût total de
    1,2 M€"): smaller ÷ larger × 100."""
    op = intent.computation
    if op is None or len(op.stated) != 2 or not op.stated[1]:
        return None
    part, whole = op.stated
    return Computation(
        value=round(100.0 * part / whole, 2),
        unit="%",
        kind="percent",
        operands=[],
        formula=f"{_fmt(part)} ÷ {_fmt(whole)} × 100",
        score=1.0,
    )


def stated_whole(intent: Intent) -> Computation | None:
    """The whole of which the question states a part and its share ("Sachant que 165 M€
    représentent 55 %…"): part ÷ share × 100, from the question's own figures."""
    op = intent.computation
    if op is None or len(op.stated) != 2 or not op.stated[1]:
        return None
    part, pct = op.stated
    money = bool(re.search(r"€|\beur|\beuros?\b", intent.question, re.IGNORECASE))
    return Computation(
        value=round(part / pct * 100.0, 2),
        unit="EUR" if money else None,
        kind="money" if money else "count",
        operands=[],
        formula=f"{_fmt(part)} ÷ {_fmt(pct)} × 100",
        score=1.0,
    )


def growth(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """The change in percent between the two years asked: (later − earlier) ÷ earlier × 100, the
    pair chosen as for a difference."""
    pair = difference(intent, ranked)
    if pair is None or len(intent.years) < 2:
        return None
    a, b = pair.operands
    ya, yb = operand_year(a), operand_year(b)
    if ya is None or yb is None or ya == yb:
        return None
    earlier, later = (a, b) if ya < yb else (b, a)
    if not earlier.value:
        return None
    return Computation(
        value=round(100.0 * (later.value - earlier.value) / earlier.value, 2),
        unit="%",
        kind="percent",
        operands=[earlier, later],
        formula=f"({_fmt(later.value)} − {_fmt(earlier.value)}) ÷ {_fmt(earlier.value)} × 100",
        score=pair.score,
    )


def times(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """How many times one figure is another: the later ÷ the earlier of two years asked (« multiplié
    par combien entre 2010 et 2020 »), else the larger ÷ the smaller of the two items named or of the
    pair a difference would take (« combien de fois … plus élevée que … »)."""
    op = intent.computation
    if op is not None and op.ordered:
        # « le rapport entre la dette et les recettes »: the first item over the second, as named
        picked = _pick_named(intent, ranked)
        if picked is None or picked[1] or len(picked[0]) != 2 or not picked[0][1].fact.value:
            return None
        first, second = picked[0]
        return Computation(
            value=round(first.fact.value / second.fact.value, 2),
            unit=None,
            kind="ratio",
            operands=[first.fact, second.fact],
            formula=f"{_fmt(first.fact.value)} ÷ {_fmt(second.fact.value)}",
            score=_named_score(ranked, picked[0], picked[2]),
        )
    pair = (named_difference(intent, ranked) if intent.items else None) or difference(intent, ranked)
    if pair is None:
        return None
    a, b = pair.operands
    ya, yb = operand_year(a), operand_year(b)
    if len(intent.years) >= 2 and ya is not None and yb is not None and ya != yb:
        top, base = (b, a) if ya < yb else (a, b)
    else:
        top, base = (a, b) if a.value >= b.value else (b, a)
    if not base.value:
        return None
    return Computation(
        value=round(top.value / base.value, 2),
        unit=None,
        kind="ratio",
        operands=[top, base],
        formula=f"{_fmt(top.value)} ÷ {_fmt(base.value)}",
        score=pair.score,
    )


def share_of(parts: Computation, wholes: list[ScoredFact]) -> Computation | None:
    """The sum `parts` as a percent of the best-ranked whole of its first operand's document that
    is larger than it and none of its operands: (a + b) ÷ whole × 100."""
    first = parts.operands[0]
    ids = {f.id for f in parts.operands}
    whole = next(
        (
            w
            for w in wholes[:OPERAND_POOL]
            if w.fact.document == first.document
            and w.fact.id not in ids
            and w.fact.value > parts.value
            and _same_family(w.fact, first)
            and w.score >= MIN_OPERAND_SCORE
        ),
        None,
    )
    if whole is None:
        return None
    return Computation(
        value=round(100.0 * parts.value / whole.fact.value, 2),
        unit="%",
        kind="percent",
        operands=[*parts.operands, whole.fact],
        formula=f"({parts.formula}) ÷ {_fmt(whole.fact.value)} × 100",
        score=(parts.score + whole.score) / 2,
    )


@lru_cache(maxsize=1)
def _multiple_cues() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(after, before) patterns of a stated multiple (assistant/lang/fr/multiple_cues.tsv), on folded text."""
    sides: dict[str, list[str]] = {"after": [], "before": []}
    for side, words in read_table("multiple_cues"):
        sides[side].append(re.escape(words))
    return re.compile(rf"^\s*(?:{'|'.join(sides['after'])})\b"), re.compile(rf"\b(?:{'|'.join(sides['before'])})\s*$")


def states_times(fact: Fact) -> bool:
    """True when `fact` is a multiple as the report states it (« 3,4 fois plus », « multiplié par 2,5 »)."""
    after_re, before_re = _multiple_cues()
    after = fold(fact.sentence[fact.end - fact.sentence_start :][:12])
    before = fold(fact.sentence[: fact.start - fact.sentence_start][-16:])
    return bool(after_re.match(after) or before_re.search(before))


STATED_POOL = 5
"""Best-ranked figures of the question looked at for the result the report states."""
STATED_MARGIN = 0.1
"""How much above the answering threshold a figure of the question's own kind must rank to be
read as the result the report states (answered as stated, a different computed value flagged)."""


_RANGE = re.compile(
    r"^\D*?(?P<lo>\d[\d \u00a0\u202f]*)\s*(?:à|a|-|–|to)\s*(?P<hi>\d[\d \u00a0\u202f]*)\D*$"
    r"|^\D*?(?P<under>moins de|less than|under|<)\s*(?P<u>\d[\d \u00a0\u202f]*)\D*$"
    r"|^\D*?(?:(?P<over>plus de|more than|over|>|≥)\s*(?P<o>\d[\d \u00a0\u202f]*)|(?P<o2>\d[\d \u00a0\u202f]*)\s*(?:[^\W\d_]+\s+)?(?:et plus|ou plus|and more|and over|\+))\D*$",
    re.IGNORECASE,
)
"""A table row labelled by a range: "500 à 999 habitants", "moins de 500", "10 000 et plus"."""


def _range(label: str) -> tuple[float, float] | None:
    """The range a row label names (lower, upper bound), None when it names none."""
    m = _RANGE.match(label.strip())
    if not m:
        return None

    def num(text: str) -> float:
        return float(re.sub(r"\D", "", text))

    if m.group("lo") is not None:
        return num(m.group("lo")), num(m.group("hi"))
    if m.group("u") is not None:
        return float("-inf"), num(m.group("u")) - 1e-9
    return num(m.group("o") or m.group("o2")), float("inf")


MIN_RANGE_ROWS = 3
"""Rows labelled by ranges a column needs to be read as a table of ranges."""


def rows_within(intent: Intent, ranked: list[ScoredFact]) -> Computation | None:
    """The sum of a table column over the rows whose ranges stand wholly under (or over) the bound
    the question puts ("combien de communes de moins de 1 000 habitants" from the rows "0 à 499" and
    "500 à 999"): the column of the best-ranked such cell, at least two rows."""
    op = intent.computation
    if op is None or op.condition is None:
        return None
    side, bound = op.condition
    for lead in ranked[:5]:
        f = lead.fact
        if f.source != "table" or " — " not in f.subject or _range(f.subject.split(" — ", 1)[1]) is None:
            continue
        header = f.subject.split(" — ", 1)[0]
        column: dict[str, ScoredFact] = {}
        for s in ranked:
            g = s.fact
            if g.document == f.document and g.source == "table" and g.subject.split(" — ", 1)[0] == header:
                column.setdefault(g.subject, s)
        ranges = {subject: _range(subject.split(" — ", 1)[1]) for subject in column if " — " in subject}
        if sum(r is not None for r in ranges.values()) < MIN_RANGE_ROWS:
            continue
        rows = [
            column[subject]
            for subject, r in ranges.items()
            if r is not None and (r[1] < bound if side == "below" else r[0] >= bound)
        ]
        if len(rows) < 2 or not all(_same_family(r.fact, f) for r in rows):
            return None
        rows.sort(key=lambda r: r.fact.start)
        return Computation(
            value=round(sum(r.fact.value for r in rows), 6),
            unit=f.unit,
            kind=f.kind,
            operands=[r.fact for r in rows],
            formula=" + ".join(_fmt(r.fact.value) for r in rows),
            score=lead.score + TOGETHER_BONUS,
        )
    return None


def by_operands(intent: Intent, find: Find, ranked: list[ScoredFact]) -> tuple[Computation | None, list[str]]:
    """The computation of an operation whose operands the question names (a share, a deduction, an
    average, a whole from stated figures, table rows within a bound); and the operands not found."""
    op = intent.computation
    if op is None:
        return None, []
    if op.condition is not None:
        return rows_within(intent, ranked), []
    if op.kind == "portion":
        return portion(intent, find) if op.operands else (percent_of_count(intent, find), [])
    if op.stated and op.kind != "average":
        return (stated_share(intent) if op.kind == "share" else stated_whole(intent)), []
    if op.kind == "share":
        comp, missing = share(intent, find)
    elif op.kind == "difference" and op.operands:
        comp, missing = deduction(intent, find)
    elif op.kind == "average":
        comp, missing = average(intent, find)
    else:
        return None, []
    if comp is not None and operands_pinned(op, comp):
        comp.score = pinned_score(ranked, comp.operands, comp.score)
    return comp, missing


def states_result(intent: Intent, fact: Fact, comp: Computation | None = None) -> bool:
    """True when `fact` may be the result the report states for the computation asked: a share
    stated as a percent, an average stated as one, a sum stated as a total — never one of the
    operands, and in the document of the first operand."""
    op = intent.computation
    if op is None:
        return False
    if comp is not None and (
        not comp.operands or fact.document != comp.operands[0].document or any(fact.id == o.id for o in comp.operands)
    ):
        return False
    if op.kind == "share":
        return fact.kind == "percent"
    if op.kind == "average":
        return "moyenne" in fact.qualifiers
    if op.kind == "sum" and op.condition is None:
        return ("total" in fact.qualifiers or _total_row(fact)) and names_items(intent.items, fact)
    return False


def names_items(items: list[str], fact: Fact) -> bool:
    """True when the sentence of `fact` names every item of a sum the question names (a total stated
    for "l'agriculture et la construction", not the whole of which they are parts); True without items."""
    words = _terms(fact.sentence + " " + fact.subject)
    return all(_heads(item) <= words for item in items if _heads(item))


def _total_row(fact: Fact) -> bool:
    """True for a table cell of a row labelled as a total ("Aide régionale — Total")."""
    if fact.source != "table" or " — " not in fact.subject:
        return False
    label = fold(fact.subject.split(" — ", 1)[1]).split()
    return bool(label) and label[0] in {fold(w) for w in read_list("total_words")}


def states_rate(intent: Intent, fact: Fact) -> bool:
    """True when `fact` may be the rate the question names as stated by the report: a rate of
    ratio_definitions.tsv ("taux de programmation") only by a figure whose words name it."""
    folded = fold(intent.french)
    names = [name for name in RATIO_DEFINITIONS if name in folded]
    if not names:
        return True
    own = _terms(names[0].split()[-1])
    return bool(own & (_stretch_terms(fact) | _terms(fact.subject)))


def states_growth(intent: Intent, fact: Fact) -> bool:
    """True when `fact` may be the growth rate the question asks as stated by the report: a percent
    with a word of change before it ("en hausse de 6 %"; of the question's direction when it names one)."""
    from assistant.qa.features import trend_before

    if fact.kind != "percent":
        return False
    return any(trend_before(fact, t) for t in ([intent.trend] if intent.trend else ["up", "down"]))
