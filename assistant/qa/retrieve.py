"""From an intent to candidate passages: query terms (with typo tolerance),
best sections by BM25+, and their sentences scored against the question."""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from assistant.analysis.analyzer import analyze, inflection_root, token_set
from assistant.analysis.sentences import split_sentences
from assistant.lang import lexicon
from assistant.models import Section
from assistant.qa.question import Intent

SYNONYM_WEIGHT = 0.8
"""A synonym of a question word counts for this share of the word."""


def _read_synonyms(text: str, into: dict[str, set[str]]) -> None:
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        stems = set()
        for word in line.split("|"):
            tokens = analyze(word.strip())
            if len(tokens) == 1:
                stems.add(tokens[0])
        for stem_ in stems:
            into.setdefault(stem_, set()).update(stems - {stem_})


@lru_cache(maxsize=8)
def synonyms(extra: Path | None = None) -> dict[str, frozenset[str]]:
    """Stem → stems of its synonyms, from the package data (and an optional user file)."""
    groups: dict[str, set[str]] = {}
    _read_synonyms(resources.files("assistant.data").joinpath("synonyms_fr.tsv").read_text(encoding="utf-8"), groups)
    if extra is not None and extra.is_file():
        _read_synonyms(extra.read_text(encoding="utf-8"), groups)
    return {k: frozenset(v) for k, v in groups.items()}


GUESS_WEIGHT = 0.5
"""A question word read as the nearest corpus word counts for this share of
that word's weight: the guess may be wrong ("sanction" read as "station" when
the corpus never says "sanction"). An inflection found by its stem counts fully."""


@dataclass
class Query:
    """The analysed question terms and their weights."""

    terms: list[str]
    """Content stems of the question (scaffolding removed), typo-corrected."""
    weights: dict[str, float]
    """idf of each term in the index (0 for unknown terms)."""
    corrections: dict[str, str] = field(default_factory=dict)
    """Misspelt term → the corpus term it was read as."""
    alternatives: dict[str, frozenset[str]] = field(default_factory=dict)
    """Term → stems of its synonyms (assistant/data/synonyms_fr.tsv)."""
    unknown: frozenset[str] = frozenset()
    """Terms the index never saw (their weight stands for what the corpus does not say)."""
    spelled: dict[str, tuple[frozenset[str], ...]] = field(default_factory=dict)
    """Acronym term → the stems of each of its expansions (assistant/lang/fr/acronyms.tsv): a passage
    holding every stem of one (« Fonds européen pour le développement régional ») names the acronym (« FEDER »)."""

    @property
    def total(self) -> float:
        """Sum of the weights (the most a passage can cover)."""
        return sum(self.weights.values()) or 1.0

    def match(self, term: str, tokens: set[str] | frozenset[str]) -> float:
        """1 when `term` is among `tokens`, 0.8 when a synonym is, else 0."""
        if term in tokens or any(stems <= tokens for stems in self.spelled.get(term, ())):
            return 1.0
        alternatives = self.alternatives.get(term)
        return SYNONYM_WEIGHT if alternatives and alternatives & tokens else 0.0

    def coverage(self, tokens: set[str] | frozenset[str]) -> float:
        """Share of the question's weight found among `tokens` (0–1)."""
        return sum(w * self.match(t, tokens) for t, w in self.weights.items()) / self.total

    def term_of(self, token: str, present: frozenset[str] = frozenset()) -> str | None:
        """The question term a passage token stands for (itself or a synonym); a word of an acronym's
        expansion stands for the acronym when the passage's tokens `present` hold the whole expansion."""
        if token in self.weights:
            return token
        for term, alternatives in self.alternatives.items():
            if token in alternatives:
                return term
        for term, expansions in self.spelled.items():
            if any(token in stems and stems <= present for stems in expansions):
                return term
        return None


@dataclass
class Candidate:
    """A sentence of a retrieved section, with how well it matches."""

    section: Section
    start: int
    end: int
    text: str
    tokens: frozenset[str]
    coverage: float
    section_score: float
    rank: int
    before: frozenset[str] = frozenset()
    """Analysed tokens of the sentence just before, in the same section (what "il", "elle" refer to)."""


def build_query(engine, intent: Intent) -> Query:
    """Content terms of the question, with idf weights and typo correction."""
    raw = [t for t in analyze(intent.french) if t not in lexicon().question_stems]
    bm25 = engine._bm25()
    terms: list[str] = []
    corrections: dict[str, str] = {}
    guessed: set[str] = set()
    for t in raw:
        if t in terms:
            continue
        # Only French words are corrected: an English word left untranslated is no typo.
        if intent.lang == "fr" and bm25.idf(t) == 0.0 and not t[0].isdigit() and len(t) >= 4:
            fixed = _stem_variant(engine, t)
            if not fixed and t not in known_french_stems():
                # a word of the report vocabulary (« seuil ») the corpus does not use is no typo of one it uses (« seul »)
                fixed = _closest_term(engine, t)
                if fixed:
                    guessed.add(fixed)
            if fixed:
                corrections[t] = fixed
                t = fixed
        terms.append(t)
    weights = {}
    unknown = set()
    unseen = math.log(bm25.size + 1) if bm25.size else 1.0
    name_terms = {t for name in intent.names for t in analyze(name)}
    for t in terms:
        idf = bm25.idf(t)
        if idf == 0.0 and (t in name_terms or (intent.lang == "fr" and not t[0].isdigit())):
            # A word the corpus never uses still counts against every passage:
            # a question about "Lyon" is not answered by a corpus without Lyon.
            # (Half weight for common words: a verb may just be phrased otherwise.)
            idf = unseen if t in name_terms else 0.5 * unseen
            unknown.add(t)
        if t in lexicon().weak_stems:
            idf *= 0.5
        if t in guessed:
            idf *= GUESS_WEIGHT
        weights[t] = idf
    extra = engine.index_dir / "synonyms_fr.tsv"
    table = synonyms(extra if extra.is_file() else None)
    alternatives = {t: table[t] for t in terms if t in table}
    return Query(
        terms=terms,
        weights=weights,
        corrections=corrections,
        alternatives=alternatives,
        unknown=frozenset(unknown),
        spelled=_spelled(intent, terms),
    )


def _spelled(intent: Intent, terms: list[str]) -> dict[str, tuple[frozenset[str], ...]]:
    """Acronym term of the question → the stems of each expansion (assistant/lang/fr/acronyms.tsv)."""
    out: dict[str, tuple[frozenset[str], ...]] = {}
    for name in intent.names:
        stems = analyze(name)
        expansions = lexicon().acronym_stems(name)
        if len(stems) == 1 and stems[0] in terms and expansions:
            out[stems[0]] = expansions
    return out


@lru_cache(maxsize=1)
def known_french_stems() -> frozenset[str]:
    """Stems of the French words of the English glossary (assistant/data/glossary_en_fr.tsv): the
    vocabulary of public reports, spelt right."""
    from assistant.qa.question import glossary

    return frozenset(t for terms in glossary().values() for french in terms for t in analyze(french))


def _stem_variant(engine, term: str) -> str | None:
    """The corpus stem `term` is an inflection of, if any ("servent" → "serv"): a corpus stem that
    begins the unknown one, shorter by at most three letters (:func:`inflection_root`)."""
    return inflection_root(term, _vocabulary_set(engine).__contains__, 3)


def _vocabulary_set(engine) -> frozenset[str]:
    return _vocab_set_cached(engine, _vocab_key(engine))


@lru_cache(maxsize=4)
def _vocab_set_cached(engine, key) -> frozenset[str]:
    return frozenset(t for bucket in _vocab_cached(engine, key).values() for t in bucket)


def _closest_term(engine, term: str) -> str | None:
    vocab = _vocabulary(engine)
    pool = vocab.get((term[0], len(term)), []) + vocab.get((term[0], len(term) - 1), []) + vocab.get((term[0], len(term) + 1), [])
    pool += vocab.get((term[0], len(term) - 2), []) + vocab.get((term[0], len(term) + 2), [])
    match = difflib.get_close_matches(term, pool, n=1, cutoff=0.8)
    return match[0] if match else None


def _vocab_key(engine) -> tuple:
    """What the cached vocabulary depends on: the store and its last update."""
    store = engine.store
    return (id(store), store.meta("updated_at"))


def _vocabulary(engine) -> dict[tuple[str, int], list[str]]:
    return _vocab_cached(engine, _vocab_key(engine))


@lru_cache(maxsize=4)
def _vocab_cached(engine, key) -> dict[tuple[str, int], list[str]]:
    buckets: dict[tuple[str, int], list[str]] = {}
    for term in engine.store.vocabulary(words_only=True):
        buckets.setdefault((term[0], len(term)), []).append(term)
    return buckets


def retrieve(engine, intent: Intent, query: Query, k: int = 8) -> list[tuple[Section, float]]:
    """The k best sections for the query, with BM25+ scores (years and codes count too)."""
    tokens = list(query.terms)
    for alternatives in query.alternatives.values():
        tokens.extend(sorted(alternatives))
    tokens += [str(y) for y in intent.years] + list(intent.codes)
    ranked = engine._bm25().top(tokens, k=k)
    sections = engine.store.sections_by_id([sid for sid, _ in ranked])
    return [(sections[sid], score) for sid, score in ranked if sid in sections]


def candidates(sections: list[tuple[Section, float]], query: Query) -> list[Candidate]:
    """Every sentence of the retrieved sections with its coverage of the question."""
    out: list[Candidate] = []
    top = sections[0][1] if sections else 1.0
    for rank, (section, score) in enumerate(sections):
        offset = section.start
        before: frozenset[str] = frozenset()
        for s, e in split_sentences(section.text):
            text = section.text[s:e]
            tokens = frozenset(analyze(text))
            out.append(
                Candidate(
                    section=section,
                    start=offset + s,
                    end=offset + e,
                    text=text,
                    tokens=tokens,
                    coverage=query.coverage(tokens),
                    section_score=score / top if top else 0.0,
                    rank=rank,
                    before=before,
                )
            )
            before = tokens
    return out


def sentence_context(cands: list[Candidate]) -> dict[int, list[tuple[int, frozenset[str]]]]:
    """Per section id, the end offset and analysed tokens of each of its sentences, in order
    (read from the candidates, which hold every sentence of the retrieved sections).

    What a sentence is about is often named in the one before it ("Le système X …
    Les responsables affirment que le système collecte 4 500 …"): see :func:`before`.
    """
    out: dict[int, list[tuple[int, frozenset[str]]]] = {}
    for c in cands:
        out.setdefault(c.section.id, []).append((c.end, c.tokens))
    return out


def before(context: dict[int, list[tuple[int, frozenset[str]]]], section_id: int, start: int) -> frozenset[str]:
    """Tokens of the sentence ending just before offset `start` in its section (empty if none)."""
    previous: frozenset[str] = frozenset()
    for end, tokens in context.get(section_id, ()):
        if end > start:
            break
        previous = tokens
    return previous


CLAUSE_STEP = 1.0
"""Extra distance, in words, for each clause boundary between a question word
and the figure (a word ending in , ; : ( ) or "ou", "et"): a figure belongs to
the words of its own clause ("… le Parti communiste (38 listes) ou le Parti
socialiste (26 listes)")."""
_CLAUSE_END = re.compile(r"[,;:()]$|^[()]")


def proximity(text: str, query: Query, at: int | None = None) -> float:
    """How tightly the question's terms gather in `text`, 0–1.

    With `at` (a character offset, the figure's), each question term counts
    once, weighted by its idf and by exp(−d/16), d being the number of words
    between the term and the figure plus CLAUSE_STEP per clause boundary
    crossed; without it, the share of the question's weight found in the
    densest window of 12 words.
    """
    words = list(re.finditer(r"\S+", text))
    hits: list[tuple[int, str]] = []
    figure_word = 0
    present = token_set(text) if query.spelled else frozenset()
    for index, m in enumerate(words):
        if at is not None and m.start() <= at:
            figure_word = index
        for token in analyze(m.group()):
            t = query.term_of(token, present)
            if t is not None:
                hits.append((index, t))
    if not hits:
        return 0.0
    if at is not None:
        # a clause boundary between a word and the figure puts them one word further apart
        crossed = [0]
        for m in words:
            crossed.append(crossed[-1] + bool(_CLAUSE_END.search(m.group()) or m.group().lower() in ("ou", "et")))
        best: dict[str, float] = {}
        for index, t in hits:
            lo, hi = sorted((index, figure_word))
            distance = hi - lo + CLAUSE_STEP * (crossed[hi] - crossed[lo])
            closeness = math.exp(-distance / 16.0)
            best[t] = max(best.get(t, 0.0), closeness)
        return min(1.0, sum(query.weights[t] * w for t, w in best.items()) / query.total)
    window = 12
    top = 0.0
    for index, _ in hits:
        inside = {t for i, t in hits if index <= i < index + window}
        top = max(top, sum(query.weights[t] for t in inside))
    return min(1.0, top / query.total)
