"""From a question to an :class:`Answer`: understand, retrieve, rank facts (or
sentences), compute when asked, cite, flag conflicts — or abstain."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Literal

from assistant.analysis.analyzer import analyze
from assistant.lang import lexicon
from assistant.models import Answer, Citation, Fact, Section
from assistant.qa import compute
from assistant.qa.compose import (
    MAX_ANSWER,
    abstention,
    citation_for,
    clip_around,
    computed_conflict,
    computed_sentence,
    conflict_of,
    display_value,
    english_date,
    fact_citation,
    missing_operands,
    path_words,
    with_quote,
)
from assistant.qa.confidence import answer_features, probability
from assistant.qa.conversation import Conversation
from assistant.qa.features import contradicted
from assistant.qa.headings import code_title, title_code
from assistant.qa.question import Intent, states_negation, understand
from assistant.qa.rank import ScoredFact, rank_facts, rank_sentences
from assistant.qa.retrieve import Candidate, Query, build_query, candidates, retrieve, sentence_context
from assistant.qa.weights import Decision, WeightsModel, model
from assistant.qa.years import YEAR_RE, fact_year

NUMERIC_KINDS = frozenset({"count", "money", "percent", "duration", "date", "number"})


def _threshold(decision: Decision) -> float:
    """The lowest score answered rather than abstained on (weights.json)."""
    return model().threshold(decision)


def _confidence(decision: Decision, score: float) -> float:
    """The confidence shown with an answer of `score` (see WeightsModel.confidence)."""
    return round(model().confidence(score), 2)


def _p_correct(ranker: Literal["fact", "sentence"], ranked: list, keys: list) -> float | None:
    """P(correct) of the best of `ranked` (weights.json ``abstention``; None when not fitted)."""
    fitted = model().abstention.get(ranker)
    if fitted is None or not ranked:
        return None
    return probability(fitted.weights, fitted.bias, answer_features(ranked, keys))


def _abstains(ranker: Literal["fact", "sentence"], p: float | None) -> bool:
    """True when the best candidate's P(correct) is under the fitted level."""
    fitted = model().abstention.get(ranker)
    return fitted is not None and p is not None and p < fitted.level


def fact_keys(ranked: list[ScoredFact]) -> list:
    """What each ranked fact says (equal keys: the same answer)."""
    return [(round(s.fact.value, 6), s.fact.unit) for s in ranked]


def sentence_keys(ranked) -> list:
    """What each ranked sentence says (equal keys: the same passage)."""
    return [(r.candidate.section.document, r.candidate.start) for r in ranked]


def answer_question(engine, question: str, conversation: Conversation | None = None) -> Answer:
    """Answer `question` with the index behind `engine`."""
    intent = understand_for(engine, question)
    follow_up_of = None
    if conversation is not None and conversation.last is not None and conversation.is_follow_up(question):
        follow_up_of = conversation.last.question
        intent = conversation.merge(intent)
    answer = _answer(engine, intent)
    answer.follow_up_of = follow_up_of
    if conversation is not None:
        conversation.add(question, intent)
    return answer


@dataclass
class Gathered:
    """What the index holds for a question: its terms, sections, sentences and facts."""

    query: Query
    sections: list[tuple[Section, float]]
    """Retrieved sections with their BM25 scores, best first."""
    section_scores: dict[int, float]
    """Section id → score relative to the best one."""
    missing: dict[str, float]
    """Per retrieved document, the question's proper names it never mentions."""
    cands: list[Candidate]
    """Every sentence of the retrieved sections."""
    facts: list[Fact]
    """Facts of the retrieved sections (for questions asking for a figure)."""
    context: dict[int, list[tuple[int, frozenset[str]]]]
    """Per section, its sentences' ends and tokens (what the sentence before a figure says)."""
    section_years: dict[int, frozenset[int]] = field(default_factory=dict)
    """Per section, the years stated under its heading (all its passages) and in its headings."""

    def rank(self, intent: Intent, weights: WeightsModel | None = None) -> list[ScoredFact]:
        """The facts ranked for (a reading of) the question."""
        return rank_facts(
            self.facts, intent, self.query, self.section_scores, self.missing, self.context, weights, self.section_years
        )


SECTIONS_READ = 8
"""Best sections whose sentences and facts are ranked for a question."""


def gather(engine, intent: Intent) -> Gathered | None:
    """Retrieve what may answer `intent` (None when the question has no term the index knows)."""
    query = build_query(engine, intent)
    if not query.terms or not any(query.weights.values()):
        return None
    sections = retrieve(engine, intent, query, k=SECTIONS_READ)
    if not sections:
        return None
    top = sections[0][1]
    section_scores = {s.id: score / top for s, score in sections}
    missing = _missing_names(engine, intent, {s.document for s, _ in sections}, query.corrections)
    facts = engine.facts(section_ids=list(section_scores)) if intent.kind in NUMERIC_KINDS else []
    cands = candidates(sections, query)
    years = _section_years(engine, [s for s, _ in sections]) if intent.years else {}
    return Gathered(query, sections, section_scores, missing, cands, facts, sentence_context(cands), years)


def _section_years(engine, sections: list[Section]) -> dict[int, frozenset[int]]:
    """Per section, the years its heading's passages (a long section is cut into several), its
    headings, its document's title and file name state."""
    out: dict[int, frozenset[int]] = {}
    whole: dict[str, frozenset[int]] = {}  # per document, the years all its sections state (read once)
    for section in sections:
        document = engine.document_cached(section.document)
        texts = [" ".join(section.heading_path), document.title if document else "", path_words(section.document)]
        parts = engine.sections_of_cached(section.document)
        texts += [s.text for s in parts if s.heading_path == section.heading_path]
        years = frozenset(int(y) for text in texts for y in YEAR_RE.findall(text))
        if not years:
            if section.document not in whole:
                whole[section.document] = frozenset(int(y) for s in parts for y in YEAR_RE.findall(s.text))
            years = whole[section.document]
        out[section.id] = years
    return out


MIN_KEYWORDS = 2
"""Words a bare keyword query needs to be read as a question (one word, "aide", asks nothing)."""


def asks_something(intent: Intent, query: Query) -> bool:
    """True when the input is a question about something: it has a word the index knows (digits
    and symbols alone, "=1+1", ask nothing), and a question form or at least MIN_KEYWORDS words."""
    words = [t for t in query.terms if not t[0].isdigit() and query.weights.get(t, 0.0) > 0]
    if not words:
        return False
    questioning = intent.kind != "text" or intent.definition or "?" in intent.question
    return questioning or len(words) >= MIN_KEYWORDS


def _answer(engine, intent: Intent) -> Answer:
    got = gather(engine, intent)
    if got is None or not asks_something(intent, got.query):
        return abstention(intent, [])
    query, sections, missing = got.query, got.sections, got.missing
    passages = [_passage(engine, s) for s, _ in sections[:3]]
    if intent.kind == "count" and intent.unit_hint and not _corpus_knows(engine, query, intent.unit_hint):
        # "combien de girafes ?" over a corpus that never mentions a giraffe
        return abstention(intent, passages)
    cands = got.cands
    ranked: list[ScoredFact] = []
    if intent.kind in NUMERIC_KINDS:
        ranked = got.rank(intent)
        answer = _numeric(engine, intent, ranked, got.rank)
        if answer is not None:
            return answer
        if intent.kind not in ("date", "count"):
            return abstention(intent, passages)
    if intent.kind == "count":
        # no figure read: a count may still be stated in words ("des dizaines de refuges"), never by
        # a sentence that states the contrary of what is counted (« ont accepté » for « ont refusé »,
        # or for « n'ont pas accepté »)
        # a sentence whose figures the facts ranker weighed (and found wanting) is no answer either
        weighed: dict[str, list[int]] = {}
        for s in ranked:
            weighed.setdefault(s.fact.document, []).append(s.fact.start)
        for starts in weighed.values():
            starts.sort()
        cands = [
            c
            for c in cands
            if not _holds_any(weighed.get(c.section.document, []), c.start, c.end)
            and _counts(c.text, intent, query)
            and not _states_contrary(intent, c)
        ]
    titled = code_title(engine, intent, sections) or title_code(engine, intent, query, sections)
    if titled is not None:
        return titled
    sentence_answer = _sentence(engine, intent, query, cands, missing, got.section_years)
    if sentence_answer is not None and intent.kind == "date":
        # the sentence that best answers "quand…" gives its date, when it states one
        return _dated(engine, intent, ranked, sentence_answer.citations[0]) or abstention(intent, passages)
    return sentence_answer or abstention(intent, passages)


def _holds_any(starts: list[int], start: int, end: int) -> bool:
    """True when one of the sorted offsets `starts` lies in [start, end)."""
    i = bisect_left(starts, start)
    return i < len(starts) and starts[i] < end


def _states_contrary(intent: Intent, c: Candidate) -> bool:
    """True when the sentence states the contrary of what the question asks: another predicate of a
    contrasted group (:func:`~assistant.qa.features.contradicted`), or no negation where the question
    asks about those who did not (the figure features ``contrast_mismatch`` and ``negation_unmatched``)."""
    if intent.negated and not states_negation(c.text):
        return True
    return contradicted(intent.french, c.text, " ".join(c.section.heading_path))


def understand_for(engine, question: str) -> Intent:
    """The question's intent, with the index's own glossary when it has one."""
    extra = engine.index_dir / "glossary_en_fr.tsv"
    return understand(question, extra if extra.is_file() else None, engine._bm25().idf)


_VAGUE_QUANTITY = re.compile(
    r"\b(?:dizaines|douzaines|centaines|milliers|millions|milliards|plusieurs|quelques|nombreux|nombreuses)\b", re.IGNORECASE
)
"""Quantities stated without a figure ("des dizaines de refuges"); figures come from the number parser."""


def _counts(text: str, intent: Intent, query: Query) -> bool:
    """True when `text` states a quantity of what the question counts (of anything when it names nothing)."""
    from assistant.analysis.numbers import find_figures

    counted = [query.corrections.get(t, t) for t in analyze(intent.unit_hint or "")]
    starts = [f.start for f in find_figures(text) if f.kind != "date"]
    starts += [m.start() for m in _VAGUE_QUANTITY.finditer(text)]
    for start in sorted(starts):
        # the counted noun comes within a few words of the quantity: "des dizaines de refuges"
        after = set(analyze(" ".join(text[start:].split()[:5])))
        if all(query.match(t, after) for t in counted):
            return True
    return False


def _dated(engine, intent: Intent, ranked: list[ScoredFact], cited: Citation) -> Answer | None:
    """The best-ranked date stated in the passage `cited`, as a date answer (None if it states none)."""
    inside = [s for s in ranked if s.fact.document == cited.document and cited.start <= s.fact.start < cited.end]
    return _lookup(engine, intent, inside, threshold=float("-inf")) if inside else None


def _passage(engine, section) -> Citation:
    """A section worth reading, quoted verbatim up to about 500 characters (whole sentences)."""
    from assistant.analysis.sentences import split_sentences

    end = section.end
    for _s, e in split_sentences(section.text):
        end = section.start + e
        if e >= 500:
            break
    return citation_for(engine, section.document, section.start, end, section)


# --- figures -------------------------------------------------------------------


def _corpus_knows(engine, query: Query, noun: str) -> bool:
    """True when the corpus uses `noun` (or a synonym of it) somewhere."""
    bm25 = engine._bm25()
    for term in analyze(noun):
        term = query.corrections.get(term, term)  # a misspelt noun read as a corpus word
        if bm25.idf(term) > 0 or any(bm25.idf(alt) > 0 for alt in query.alternatives.get(term, ())):
            return True
    return False


KNOWN_NAME_MISSING = 2.0
"""What a name the corpus holds elsewhere, but not the document, counts for (an unknown name counts 1):
« le PDR Guadeloupe » asked of the Rhône-Alpes programme, when the corpus has a Guadeloupe report."""


def _missing_names(engine, intent: Intent, documents: set[str], corrections: dict[str, str] | None = None) -> dict[str, float]:
    """Per retrieved document, how many of the question's proper names it never mentions (a name
    said only by the document's folder counts half; one that other documents of the corpus hold counts
    KNOWN_NAME_MISSING: the document speaks of another place or body than the one asked). An item a
    sum or a comparison names that the corpus holds is not required of every document: each is the
    subject of its own report; one the corpus never states counts as any unknown name.

    A misspelt name is looked for as the corpus word it was read as
    (`corrections`, from the query): the typo is the question's, not the document's.
    """
    corrections = corrections or {}
    missing = dict.fromkeys(documents, 0.0)
    named = {doc: set(analyze(path_words(doc.rsplit("/", 1)[-1]))) for doc in documents}
    folder = {doc: set(analyze(path_words(doc.rsplit("/", 1)[0]))) if "/" in doc else set() for doc in documents}
    items = {t for item in intent.items for t in analyze(item)}
    for name in intent.names:
        terms = [corrections.get(t, t) for t in analyze(name)]
        if not terms:
            continue
        item = set(terms) <= items
        holding = _holding(engine, terms)
        for expansion in lexicon().acronym_stems(name):
            # « le PO » of a report that says « programme opérationnel » (assistant/lang/fr/acronyms.tsv)
            holding |= _holding(engine, sorted(expansion))
        for doc in documents:
            # a document names its subject in its file name (its pages' running headers are dropped);
            # its folder's name is weaker evidence (a folder may hold reports on other subjects)
            if doc in holding or set(terms) <= named[doc] or (item and holding):
                # an item of a sum or a comparison (« de Lorraine et d'Alsace ») the corpus holds is the
                # subject of its own report: the others need not name it
                continue
            missing[doc] += 0.5 if set(terms) <= folder[doc] else (KNOWN_NAME_MISSING if holding else 1)
    return missing


def _holding(engine, terms: list[str]) -> set[str]:
    """The documents that hold every one of `terms`."""
    return set.intersection(*(engine.store.documents_with_term(t) for t in terms)) if terms else set()


def _numeric(engine, intent: Intent, ranked: list[ScoredFact], rank) -> Answer | None:
    """A figure read or computed from the facts; `ranked` are they ranked for `intent`,
    `rank(other_intent)` ranks them for another reading of the question."""
    op = intent.computation
    if op is not None and op.in_parts():
        answer = _by_operands(engine, intent, ranked)
        if answer is not None:
            return answer
    if intent.operation == "growth":
        stated_high = bool(ranked) and ranked[0].score >= _threshold("fact") + compute.STATED_MARGIN
        if not stated_high or not compute.states_growth(intent, ranked[0].fact):
            comp = compute.growth(intent, rank(intent.model_copy(update={"kind": "number", "qualifiers": []})))
            if comp and comp.score >= _threshold("computed"):
                return _computed(engine, intent, comp)
        return _lookup(engine, intent, ranked)
    if intent.operation == "times":
        # a multiple the report states (« 3,5 fois plus ») answers, unless the two figures compared rank better
        multiple = next((r for r in ranked[: compute.STATED_POOL] if compute.states_times(r.fact)), None)
        neutral = intent.model_copy(update={"kind": "number", "qualifiers": []})  # the two figures compared, of any kind
        comp = compute.times(intent, rank(neutral))
        if comp and comp.score >= _threshold("computed") and (multiple is None or comp.score > multiple.score):
            return _computed(engine, intent, comp)
        # a figure that is no multiple (« 300 M€ ») never answers « combien de fois »
        return _lookup(engine, intent, [multiple] + [r for r in ranked if r is not multiple]) if multiple else None
    if intent.operation == "ratio":
        if ranked and ranked[0].score >= _threshold("fact") + 0.1 and compute.states_rate(intent, ranked[0].fact):
            return _lookup(engine, intent, ranked)
        money = rank(intent.model_copy(update={"kind": "money"}))
        comp = compute.ratio(intent, money)
        if comp and comp.score >= _threshold("computed"):
            return _computed(engine, intent, comp)
        return _lookup(engine, intent, ranked)
    if intent.operation in ("difference", "sum"):
        if intent.operation == "difference":
            # Both operands are wanted: the target and the achieved value alike.
            neutral = intent.model_copy(
                update={
                    "qualifiers": [q for q in intent.qualifiers if q in ("moyenne", "total")],
                    # "de combien … ont-ils augmenté ?" names no unit: the operands may be amounts
                    "kind": compute.operand_kind(intent),
                }
            )
            comp = (compute.named_difference(intent, rank(neutral)) if intent.items else None) or compute.difference(
                intent, rank(neutral)
            )
        else:
            comp, missing = compute.named_sum(intent, ranked) if intent.items else (None, [])
            comp = comp or compute.column_sum(intent, ranked) or compute.total(intent, ranked)
            if missing and intent.computation is not None and intent.computation.of_whole:
                # no percent stated for the items: their amounts added up, as a share of the whole named
                shared = _share_of_sum(engine, intent, rank)
                if shared is not None and shared.score >= _threshold("computed"):
                    return _computed(engine, intent, shared)
            if missing and (comp is None or comp.score < _threshold("computed")):
                # an item without a figure: the total as the report states it, else say which item
                # is missing — never a partial sum
                stated = _lookup(engine, intent, ranked)
                return stated or missing_operands(intent, missing, [fact_citation(engine, s.fact) for s in ranked[:2]])
        if comp and comp.score >= _threshold("computed"):
            return _stated_or_computed(engine, intent, comp, ranked)
        return _lookup(engine, intent, ranked)
    # those who did not, out of a stated whole, are computed from the figure of those who did
    asks_complement = intent.kind == "count" and intent.negated and bool(intent.numbers)
    comp = compute.complement(intent, rank(intent.model_copy(update={"negated": False}))) if asks_complement else None
    if comp and comp.score >= _threshold("computed"):
        return _computed(engine, intent, comp)
    shares: list[ScoredFact] = []
    if ranked and ranked[0].fact.denominator and intent.kind != "percent":
        # "17 sur 27" may be stated elsewhere as a share of the same whole (59,26 %)
        shares = rank(intent.model_copy(update={"kind": "percent"}))
    return _lookup(engine, intent, ranked, shares)


def _sub_question(engine, text: str, kind: str) -> Intent:
    """`text` read as a plain figure question of `kind`: an operand's own sub-question."""
    sub = understand_for(engine, text)
    return sub.model_copy(update={"kind": kind, "operation": "lookup", "computation": None, "items": [], "group": None})


def _share_of_sum(engine, intent: Intent, rank) -> compute.Computation | None:
    """The items' amounts added up (compute.named_sum) as a percent of the whole the question names
    (« quelle part du coût total le FEDER et la Région financent-ils ensemble ? »), the whole found as
    a sub-question in the items' document."""
    op = intent.computation
    if op is None or not op.of_whole:
        return None
    amounts = intent.model_copy(update={"kind": "money", "qualifiers": []})
    parts, missing = compute.named_sum(amounts, rank(amounts))
    if parts is None or missing:
        return None
    sub = _sub_question(engine, op.of_whole, "money")
    got = gather(engine, sub)
    wholes = got.rank(sub) if got is not None else []
    return compute.share_of(parts, wholes)


def _by_operands(engine, intent: Intent, ranked: list[ScoredFact]) -> Answer | None:
    """A computation whose operands are found as sub-questions (compute.by_operands): the figure
    the report states for the result when it ranks well (a different computed value flagged), else
    the computed one; an operand not found is named. None: read the question as stated."""

    def find(text: str, kind: str, own: str) -> list[ScoredFact]:
        sub = _sub_question(engine, text, kind)
        got = gather(engine, sub)
        if got is None or not compute.known_operand(own, intent.lang, lambda w: _corpus_knows(engine, got.query, w)):
            return []
        return got.rank(sub)

    comp, missing = compute.by_operands(intent, find, ranked)
    if comp is None or comp.score < _threshold("computed"):
        stated = _lookup(engine, intent, ranked, threshold=_threshold("fact") + compute.STATED_MARGIN)
        if missing and (stated is None or not compute.states_result(intent, ranked[0].fact)):
            return missing_operands(intent, missing, [fact_citation(engine, s.fact) for s in ranked[:2]])
        return stated if stated is not None and compute.states_result(intent, ranked[0].fact) else None
    return _stated_or_computed(engine, intent, comp, ranked)


def _stated_or_computed(engine, intent: Intent, comp: compute.Computation, ranked: list[ScoredFact]) -> Answer:
    """The figure the report states for the result when one ranks well (compute.states_result), a
    different computed value flagged as a conflict; else the computed answer."""
    result = next((s for s in ranked[: compute.STATED_POOL] if compute.states_result(intent, s.fact, comp)), None)
    if result is not None:
        reordered = [result] + [s for s in ranked if s is not result]
        stated = _lookup(engine, intent, reordered, threshold=_threshold("fact") + compute.STATED_MARGIN)
        if stated is not None:
            if stated.value is not None and abs(float(stated.value) - comp.value) > max(0.005 * abs(comp.value), 0.01):
                stated.conflicts.append(computed_conflict(comp.operands, comp.value))
            return stated
    return _computed(engine, intent, comp)


def _lookup(
    engine, intent: Intent, ranked: list[ScoredFact], shares: list[ScoredFact] | None = None, threshold: float | None = None
) -> Answer | None:
    # A date question is better answered by the best-placed date than by a sentence without one.
    decision: Decision = "date" if intent.kind == "date" else "fact"
    p: float | None = None
    if threshold is None:
        threshold = _threshold(decision)
        if ranked and ranked[0].score >= threshold:
            p = _p_correct("fact", ranked, fact_keys(ranked))
            if _abstains("fact", p):
                return None
    if not ranked or ranked[0].score < threshold:
        return None
    best = ranked[0]
    fact = best.fact
    value: float | int = int(fact.value) if float(fact.value).is_integer() else fact.value
    unit = fact.unit
    if fact.kind == "date":
        shown = fact.raw if intent.lang == "fr" else f"{english_date(fact.raw)} ({fact.raw})"
        lead = shown
        if intent.asks_end and fact.range_high:
            # "Marlowe (1564-1593)", "la saison 1954-1955": an end is the upper year
            value = int(fact.range_high) if float(fact.range_high).is_integer() else fact.range_high
            lead = f"{value} ({fact.raw})"
    else:
        shown = display_value(fact.value, unit, intent.lang)
        if fact.denominator:
            of = int(fact.denominator) if float(fact.denominator).is_integer() else fact.denominator
            shown += f" sur {of}" if intent.lang == "fr" else f" out of {of}"
        subject = fact.subject.strip()
        # "46 communes (communes)" says nothing more than "46 communes"
        redundant = not subject or set(analyze(subject)) <= set(analyze(shown))
        lead = shown if redundant else f"{shown} ({subject})"
    kind = fact.kind if fact.kind in ("count", "money", "percent", "duration", "date", "ratio") else "count"
    citations = [fact_citation(engine, fact)]
    for other in ranked[1:]:
        if len(citations) >= 3:
            break
        if other.score >= 0.8 * best.score and other.fact.sentence_start != fact.sentence_start:
            c = fact_citation(engine, other.fact)
            if all(c.start != x.start or c.document != x.document for x in citations):
                citations.append(c)
    return Answer(
        question=intent.question,
        answer=with_quote(lead, fact.sentence, intent.lang),
        value=value,
        unit=unit,
        kind=kind,
        abstained=False,
        confidence=round(p, 2) if p is not None else _confidence(decision, best.score),
        citations=citations,
        conflicts=_conflicts(best, ranked) + _share_conflicts(best, shares or []),
        lang=intent.lang,
    )


def _share_conflicts(best: ScoredFact, shares: list[ScoredFact]):
    """A ratio (17 sur 27) against shares of the same question stated elsewhere (59,26 %)."""
    fact = best.fact
    if not fact.denominator:
        return []
    mine = 100.0 * fact.value / fact.denominator
    out = []
    for other in shares[:5]:
        o = other.fact
        if other.score < 0.7 * best.score or o.kind != "percent" or set(o.qualifiers) & {"objectif"}:
            continue
        if abs(mine - o.value) > max(0.005 * abs(mine), 0.01):
            out.append(conflict_of(o))
    return out[:3]


def _conflicts(best: ScoredFact, ranked: list[ScoredFact]):
    """Other statements of the same subject and scope with another figure."""
    fact = best.fact
    subject = set(analyze(fact.subject))
    out = []
    seen = set()
    for other in ranked[1:12]:
        o = other.fact
        if other.score < 0.75 * best.score or o.id == fact.id:
            continue
        if o.kind == "date" or fact.kind == "date":
            continue
        if o.document == fact.document and o.sentence_start == fact.sentence_start:
            continue  # figures of one sentence are its parts, not a contradiction
        mine_year, their_year = fact_year(fact), fact_year(o)
        if mine_year and their_year and mine_year != their_year:
            continue  # another year, not another figure for the same thing
        theirs = set(analyze(o.subject))
        if not subject or not theirs or len(subject & theirs) / len(subject | theirs) < 0.5:
            continue
        if set(o.qualifiers) & {"objectif", "initial", "révisé"} != set(fact.qualifiers) & {"objectif", "initial", "révisé"}:
            continue
        mine = fact.value
        their = o.value
        if fact.kind != o.kind:
            # 17 sur 27 vs 59,26 % (of the same whole): compare as percents
            if fact.denominator and o.kind == "percent":
                mine = 100.0 * fact.value / fact.denominator
            elif o.denominator and fact.kind == "percent":
                their = 100.0 * o.value / o.denominator
            else:
                continue
        elif fact.unit != o.unit:
            continue
        if abs(mine - their) <= max(0.005 * abs(mine), 0.01):
            continue
        key = (o.document, o.sentence_start, o.value)
        if key not in seen:
            seen.add(key)
            out.append(conflict_of(o))
    return out[:5]


def _computed(engine, intent: Intent, comp: compute.Computation) -> Answer:
    value: float | int = int(comp.value) if float(comp.value).is_integer() else comp.value
    text = computed_sentence(comp.value, comp.unit, comp.formula, comp.operands, intent.lang)
    citations: list[Citation] = []
    for f in comp.operands:
        c = fact_citation(engine, f)
        if all(c.start != x.start or c.document != x.document for x in citations):
            citations.append(c)
    return Answer(
        question=intent.question,
        answer=text,
        value=value,
        unit=comp.unit,
        kind=comp.kind if comp.kind in ("count", "money", "percent", "duration", "ratio") else "count",
        abstained=False,
        confidence=_confidence("computed", comp.score),
        citations=citations,
        computed=True,
        lang=intent.lang,
    )


# --- names and sentences -----------------------------------------------------------


UNNAMED_CONFIDENCE = 0.45
"""Most confidence for a "qui ?" answered by a sentence that names no one ("à vérifier")."""


def _sentence(
    engine,
    intent: Intent,
    query: Query,
    cands: list[Candidate],
    missing: dict[str, float],
    section_years: dict[int, frozenset[int]] | None = None,
) -> Answer | None:
    if not cands:
        return None
    ranked = rank_sentences(cands, intent, query, missing, section_years=section_years)
    scored = [(r.score, i, r.candidate) for i, r in enumerate(ranked)]
    best_score, _, best = scored[0]
    if best_score < _threshold("sentence"):
        return None
    p = _p_correct("sentence", ranked, sentence_keys(ranked))
    if _abstains("sentence", p):
        return None
    if intent.kind == "entity":
        from assistant.qa.entities import pick_entity

        close = [(score, c) for score, _, c in scored[:5] if score >= best_score - 0.15]
        # A named entity of the wanted sort first, in any close sentence; then any capitalised name.
        for fallback in (False, True):
            for score, c in close:
                name = pick_entity(c.text, intent, query, fallback=fallback)
                if name:
                    return _text_answer(engine, intent, query, c, score, lead=name, kind="entity", others=scored, p=p)
        if intent.entity_type == "person":
            # "qui gère le refuge ?": people are often named by a common noun ("les gardiens");
            # but no name was found, so the sentence is offered to be checked, never as sure
            answer = _text_answer(engine, intent, query, best, best_score, lead=None, kind="text", others=scored, p=p)
            answer.confidence = min(answer.confidence, UNNAMED_CONFIDENCE)
            return answer
        # a body or place was asked for and no close passage names one: say so
        return None
    return _text_answer(engine, intent, query, best, best_score, lead=None, kind="text", others=scored, p=p)


def _question_weight(query: Query):
    """Weight of a word of a passage: the idf of the question term it stands for (0 if none)."""

    def weight(word: str) -> float:
        total = 0.0
        for token in analyze(word):
            term = query.term_of(token)
            if term is not None:
                total += query.weights.get(term, 0.0)
        return total

    return weight


def _text_answer(
    engine,
    intent: Intent,
    query: Query,
    c: Candidate,
    score: float,
    lead: str | None,
    kind: str,
    others=(),
    p: float | None = None,
) -> Answer:
    citations = [citation_for(engine, c.section.document, c.start, c.end, c.section)]
    # Passages nearly as close to the question support the answer too (at most three citations).
    for other_score, _, other in others:
        if len(citations) >= 3 or other_score < score - 0.1:
            break
        if other is not c and len(other.text) >= 25:
            citations.append(citation_for(engine, other.section.document, other.start, other.end, other.section))
    weight = _question_weight(query)
    text = with_quote(lead, c.text, intent.lang, weight) if lead else clip_around(c.text, MAX_ANSWER, weight)
    return Answer(
        question=intent.question,
        answer=text,
        value=None,
        unit=None,
        kind=kind,
        abstained=False,
        confidence=round(p, 2) if p is not None else _confidence("sentence", score),
        citations=citations,
        lang=intent.lang,
    )
