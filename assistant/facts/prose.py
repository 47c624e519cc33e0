"""Facts from running text: the figure, the noun phrase it quantifies, its qualifiers.

The text is cut into sentences with a few regexes (:func:`split_sentences`); only
the sentences holding a figure are parsed with spaCy (batched by the caller).
For each figure of a parsed sentence, :func:`facts_from_sentence` finds:

- the counted noun (``27 projets`` → unit ``projet``), from the parse;
- the subject: the noun phrase the figure describes, by these rules in order —
  the label before a colon (``Le nombre de dossiers … est faible : 27 projets``),
  the quantity noun a parenthetical figure elaborates (``le nombre d'organismes …
  (17 sur 27)``), the counted noun's phrase (``les 27 projets sélectionnés``), the
  subject of a copula (``La durée … est de 12 jours``), the noun or clause subject
  that governs the figure (``Le décalage de 4 mois``), the noun after ``de`` (``80 %
  des projets``);
- the qualifiers, each attached to the figure it governs: bounds and approximations
  written next to the figure, revisions (``ramené à 35`` → révisé, and the figure
  before the verb → initial), and cue words (moyenne, total, objectif, réalisé,
  initial) attached to the figure whose subject holds them, or else the nearest
  figure in the dependency tree.
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from assistant.analysis.numbers import Code, Figure, scope_codes, scope_codes_of
from assistant.facts.nlp import lemma

if TYPE_CHECKING:  # pragma: no cover
    from spacy.tokens import Doc, Token

QUALIFIER_ORDER = ["moyenne", "total", "objectif", "réalisé", "initial", "révisé", "approximatif", "minimum", "maximum"]

MEASURE_LEMMAS = frozenset(
    "€ euro eur franc frf % pourcent pour-cent jour mois an année semaine heure minute seconde trimestre "
    "semestre décennie siècle fois point etp équivalent million milliard millier mille dizaine centaine "
    "douzaine vingtaine quinzaine trentaine".split()
)
"""Nouns that measure a figure rather than name what is counted."""

LOCUTION_LEMMAS = frozenset(
    "lieu cours cadre titre suite moment issue terme hauteur raison niveau part ordre faveur sein "
    "occasion hauteur égard regard détriment lors partir fur mesure".split()
)
"""Nouns of prepositional locutions (au lieu de, dans le cadre de, à hauteur de…): never a subject."""

QUANTITY_LEMMAS = frozenset(
    "nombre total part taux proportion pourcentage montant coût somme budget effectif durée moyenne "
    "volume enveloppe dotation chiffre quantité niveau".split()
)
"""Nouns that name a quantity: a figure in parentheses after them states it."""

_REVISION_RE = re.compile(
    r"\b(?:ramen|port|rédui|redui|relev|abaiss|rehauss|révis|revis|revu)\w*\s+(?:à|a)\s+(?:(?:plus|moins)\s+de\s+|environ\s+)?$",
    re.IGNORECASE,
)


@dataclass
class Draft:
    """A fact before it is tied to its document's sections."""

    figure: Figure
    """The figure (offsets into the document text)."""
    sentence_start: int
    """Start of the sentence (or table row) in the document text."""
    sentence_end: int
    """End (exclusive) of the sentence (or table row)."""
    subject: str = ""
    """The noun phrase the figure describes."""
    subject_lemma: str = ""
    """Lemma of the subject's head noun."""
    unit: str | None = None
    """The unit: the figure's own, or the counted noun's lemma."""
    kind: str = "count"
    """The kind, possibly refined from the figure's."""
    qualifiers: set[str] = field(default_factory=set)
    """Qualifiers attached to this figure."""
    scope: list[str] = field(default_factory=list)
    """Codes and years named by the sentence."""
    source: str = "prose"
    """prose, table or indicator."""


# ---------------------------------------------------------------------------
# sentences


# ---------------------------------------------------------------------------
# parse helpers


def _tokens_in(doc: Doc, start: int, end: int, starts: list[int] | None = None) -> list[Token]:
    """The tokens overlapping [start, end); `starts` (each token's offset, in order) makes it a binary search."""
    if starts is None:
        return [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    lo = max(0, bisect.bisect_right(starts, start) - 1)
    hi = bisect.bisect_left(starts, end)
    return [t for t in doc[lo:hi] if t.idx < end and t.idx + len(t.text) > start]


def _following(doc: Doc, starts: list[int], pos: int, n: int = 3) -> list[Token]:
    """The first `n` tokens of `doc` starting at or after offset `pos` (`starts`: each token's offset)."""
    lo = bisect.bisect_left(starts, pos)
    return [doc[i] for i in range(lo, min(lo + n, len(doc)))]


def _top(tokens: list[Token]) -> Token:
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            if t.like_num or t.pos_ in ("NUM", "NOUN", "SYM", "PROPN"):
                return t
    for t in tokens:
        if t.head.i not in ids:
            return t
    return tokens[0]


def _distance(a: Token, b: Token) -> int:
    """Number of edges between two tokens of one sentence in the dependency tree."""
    if a.i == b.i:
        return 0
    seen = {a.i: 0}
    queue = deque([a])
    while queue:
        t = queue.popleft()
        d = seen[t.i]
        neighbours = list(t.children)
        if t.head.i != t.i:
            neighbours.append(t.head)
        for n in neighbours:
            if n.i not in seen:
                if n.i == b.i:
                    return d + 1
                seen[n.i] = d + 1
                queue.append(n)
    return 99


_NP_DEPS = frozenset(
    {
        "amod",
        "nmod",
        "case",
        "det",
        "flat",
        "flat:name",
        "fixed",
        "compound",
        "conj",
        "cc",
        "acl",
        "advmod",
        "obl",
        "obl:arg",
        "obl:mod",
        "obj",
        "mark",
        "aux",
        "aux:tense",
        "aux:pass",
        "appos",
        "nummod",
        "dep",
    }
)


def noun_phrase(head: Token, blocked: set[int]) -> tuple[list[Token], Token]:
    """The tokens of the noun phrase headed by `head` (without its determiner), and its head.

    Dependents holding a figure (`blocked` token ids), relative clauses and
    anything past a comma, colon or parenthesis are left out; ``nombre de X``
    gives the phrase of X.
    """
    if lemma(head) == "nombre":
        for c in head.children:
            if c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") and c.i > head.i and c.i not in blocked:
                head = c
                break
    keep: set[int] = {head.i}

    def add(tok: Token, depth: int) -> None:
        for c in tok.children:
            if c.i in blocked or c.dep_ not in _NP_DEPS or c.pos_ == "PUNCT":
                continue
            if tok.i == head.i and c.dep_ in ("det", "case") and c.i < head.i:
                continue
            if tok.i == head.i and c.dep_ in ("obj", "aux", "aux:tense", "aux:pass", "mark"):
                continue
            if c.dep_ in ("conj",) and c.pos_ in ("NOUN", "PROPN") and tok.i == head.i:
                continue
            if any(d.i in blocked for d in c.subtree):
                continue
            keep.add(c.i)
            if depth < 6:
                add(c, depth + 1)

    add(head, 0)
    ids = sorted(keep)
    # contiguous span around the head, not crossing punctuation or figures
    doc = head.doc
    left = head.i
    while left - 1 >= 0 and (left - 1) in keep and doc[left - 1].pos_ != "PUNCT":
        left -= 1
    right = head.i
    while right + 1 < len(doc) and (right + 1) in keep and doc[right + 1].text not in ",;:()[]«»":
        right += 1
    toks = [doc[i] for i in range(left, right + 1) if i in ids]
    while toks and toks[0].pos_ in ("DET", "ADP") and toks[0].i != head.i:
        toks = toks[1:]
    while (
        toks
        and (toks[-1].pos_ in ("ADP", "CCONJ", "DET", "PUNCT", "SCONJ", "AUX") or toks[-1].dep_ in ("cc", "case", "det", "mark"))
        and toks[-1].i != head.i
    ):
        toks = toks[:-1]
    if len(toks) > 14:
        toks = [t for t in toks if t.i <= max(head.i, toks[0].i + 13)]
    return toks, head


def _text_of(tokens: list[Token], doc_text: str, base: int) -> str:
    if not tokens:
        return ""
    s = tokens[0].idx
    e = tokens[-1].idx + len(tokens[-1].text)
    raw = doc_text[base + s : base + e]
    raw = raw.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", raw).strip(" -–—")


def in_lexicon(tok: Token, lexicon: frozenset[str]) -> bool:
    """Whether a token's word (or its singular) is in `lexicon`: a cheap lemma test, no lemmatizer call."""
    low = tok.lower_
    return (
        low in lexicon or (low[-1:] in ("s", "x") and low[:-1] in lexicon) or (low.endswith("aux") and low[:-3] + "al" in lexicon)
    )


def lemma_of(tok: Token) -> str:
    """A noun's lemma, lower-cased: spaCy's for a noun, else the word without its plural -s.

    spaCy's lemma is kept only when it is a French singular of the word (the
    word itself, without its -s/-x, or -aux → -al/-ail): its lookup table holds
    a few foreign forms ("parties" → "party").
    """
    word = tok.text.lower()
    singular = word[:-1] if len(word) > 3 and word.endswith(("s", "x")) and not word.endswith("ss") else word
    if tok.pos_ in ("NOUN", "PROPN"):
        found = lemma(tok)
        if found in (word, singular) or (word.endswith("aux") and found in (word[:-3] + "al", word[:-3] + "ail")):
            return found
        if not word.isalpha() or found[:1] != word[:1]:
            return found  # elided or odd forms: spaCy knows best
        return singular
    return singular


# ---------------------------------------------------------------------------
# the facts of one sentence


@dataclass
class _Item:
    fig: Figure
    toks: list[Token]
    anchor: Token
    top: Token
    noun: Token | None = None
    draft: Draft | None = None
    subject_ids: set[int] = field(default_factory=set)
    label_ids: set[int] = field(default_factory=set)
    subject_from: str = ""
    ghost: bool = False

    @property
    def fact(self) -> Draft:
        """The draft, once the units step has made it."""
        assert self.draft is not None, "the draft is made before subjects and qualifiers"
        return self.draft


def facts_from_sentence(
    doc: Doc,
    text: str,
    s_start: int,
    s_end: int,
    figures: list[Figure],
    ghosts: list[Figure] | None = None,
    codes: list[Code] | None = None,
) -> list[Draft]:
    """Facts of the figures of one parsed sentence ``text[s_start:s_end]`` (`doc` is its parse).

    `ghosts` are figures of the sentence already read elsewhere (a table or an
    indicator block): they take part in the attachment of qualifiers, so that a
    cue word next to them is not given to another figure, but yield no fact.
    `codes` are the codes of the sentence when the caller scanned the whole
    document already (else the sentence is scanned for them).
    """
    ghost_starts = {g.start for g in ghosts or []}
    figures = sorted(list(figures) + list(ghosts or []), key=lambda f: f.start)
    items: list[_Item] = []
    fig_token_ids: set[int] = set()
    token_starts = [t.idx for t in doc]
    for f in figures:
        toks = _tokens_in(doc, f.start - s_start, f.end - s_start, token_starts)
        if not toks:
            continue
        anchor = next((t for t in toks if t.like_num or t.pos_ == "NUM"), toks[0])
        item = _Item(f, toks, anchor, _top(toks), ghost=f.start in ghost_starts)
        items.append(item)
        fig_token_ids.update(t.i for t in toks)
    sentence = text[s_start:s_end]
    kept: list[_Item] = []
    for it in items:
        f = it.fig
        rel_end = f.end - s_start
        # the counted noun
        if f.bare or f.kind in ("count", "ratio", "other") and f.unit is None:
            it.noun = _counted_noun(doc, it, rel_end, fig_token_ids, token_starts)
        # number words that are not numbers here (un bâtiment neuf); "un", "une" are
        # read only where the grammar makes them a count ("un seul", "dont un pétrolier")
        if f.words and f.kind == "count" and not f.approx and not f.scaled and f.raw.lower() not in ("un", "une"):
            a = it.anchor
            if not (a.pos_ == "NUM" or a.dep_ == "nummod" or "Card" in a.morph.get("NumType", [])):
                continue
        # a number naming a thing, not counting it: agenda 21, Boeing 747
        if f.kind == "count" and not f.approx and it.noun is None and f.unit is None and f.range_high is None:
            a = it.anchor
            if a.i > 0:
                prev = doc[a.i - 1]
                gap = sentence[prev.idx + len(prev.text) : a.idx]
                if prev.pos_ in ("NOUN", "PROPN") and gap == " " and prev.i not in fig_token_ids and not prev.text.isupper():
                    continue
        kept.append(it)
    items = kept
    # unit and kind
    last_unit: str | None = None
    for it in items:
        f = it.fig
        d = Draft(f, s_start, s_end, unit=f.unit, kind=f.kind)
        if it.noun is not None:
            noun_lemma = lemma_of(it.noun)
            if noun_lemma not in MEASURE_LEMMAS or f.kind in ("count", "other"):
                d.unit = d.unit or noun_lemma
                if f.kind == "other" and noun_lemma not in MEASURE_LEMMAS:
                    d.kind = "count"
        elif f.kind == "count" and f.unit is None and last_unit and not f.words:
            d.unit = last_unit  # elliptic: "L'objectif de 50 projets a été ramené à 35"
        if f.kind == "count" and d.unit:
            last_unit = d.unit
        if f.kind == "ratio" and it.noun is None:
            inner = [t for t in it.toks if t.pos_ == "NOUN" and lemma(t) not in ("sur", "total", "ensemble")]
            if inner:
                d.unit = lemma_of(inner[0])
        it.draft = d
    # subjects
    for it in items:
        _subject(doc, text, s_start, it, items, fig_token_ids, token_starts)
    # qualifiers
    for it in items:
        q = it.fact.qualifiers
        if it.fig.approx:
            q.add("approximatif")
        if it.fig.minimum:
            q.add("minimum")
        if it.fig.maximum:
            q.add("maximum")
    _revisions(text, s_start, items)
    _cue_qualifiers(doc, items)
    return _scoped(items, figures, sentence, codes)


def _scoped(items: list[_Item], figures: list[Figure], sentence: str, codes: list[Code] | None) -> list[Draft]:
    """The drafts of `items` (ghosts left out), each given the codes and years the sentence names."""
    code_names = scope_codes_of(codes) if codes is not None else scope_codes(sentence)
    years = [str(int(f.value)) for f in figures if f.kind == "date" and f.value == int(f.value) and f.value > 0]
    years += [str(int(f.range_high)) for f in figures if f.kind == "date" and f.range_high and f.range_high > 0]
    scope = list(dict.fromkeys(code_names + years))
    out = []
    for it in items:
        if it.ghost:
            continue
        it.fact.scope = list(scope)
        out.append(it.fact)
    return out


UNPARSED_KINDS = frozenset({"date", "rank"})
"""Kinds of figure whose fact needs no parse: a date or a rank (``premier``, ``3e``) is its value,
its sentence and its scope. A third of the parsed text of CRC reports was sentences whose only
figures are years; the evaluation sets answer the same without their subjects."""


def needs_parse(figures: list[Figure]) -> bool:
    """Whether the facts of a sentence holding `figures` need its parse: not when all are dates or ranks.

    Their subjects and cue words are then not read (:func:`dated_facts`).
    """
    return any(f.kind not in UNPARSED_KINDS for f in figures)


def dated_facts(
    text: str,
    s_start: int,
    s_end: int,
    figures: list[Figure],
    ghosts: list[Figure] | None = None,
    codes: list[Code] | None = None,
) -> list[Draft]:
    """Facts of a sentence whose figures are all dates or ranks, without a parse (see :func:`needs_parse`).

    Same as :func:`facts_from_sentence` but for what needs the parse (subject,
    cue-word qualifiers): the bounds and approximations written next to each
    date, the revision verbs before it, the codes and years of the sentence.
    """
    ghost_starts = {g.start for g in ghosts or []}
    figures = sorted(list(figures) + list(ghosts or []), key=lambda f: f.start)
    items = []
    for f in figures:
        d = Draft(f, s_start, s_end, unit=f.unit, kind=f.kind)
        if f.approx:
            d.qualifiers.add("approximatif")
        if f.minimum:
            d.qualifiers.add("minimum")
        if f.maximum:
            d.qualifiers.add("maximum")
        items.append(_Item(f, [], None, None, draft=d, ghost=f.start in ghost_starts))  # type: ignore[arg-type]
    _revisions(text, s_start, items)
    return _scoped(items, figures, text[s_start:s_end], codes)


def _counted_noun(doc: Doc, it: _Item, rel_end: int, fig_ids: set[int], starts: list[int]) -> Token | None:
    f = it.fig
    after = _following(doc, starts, rel_end)
    if not after:
        return None
    nxt = after[0]
    of_form = bool(re.search(r"[^\W\d_]$", f.raw)) and f.kind in ("count", "other", "ratio")
    if of_form and nxt.lower_ in ("de", "d'", "des", "du") and len(after) > 1:
        cand = after[1]
        if cand.pos_ == "DET" and len(after) > 2:
            cand = after[2]
        if cand.pos_ in ("NOUN",) and cand.i not in fig_ids:
            return cand
        return None
    # an adjective may stand before the noun: "3 autres projets", "deux grands axes"
    if (
        nxt.pos_ == "ADJ"
        and len(after) > 1
        and after[1].pos_ == "NOUN"
        and nxt.lower_
        in (
            "autres",
            "nouveaux",
            "nouvelles",
            "grands",
            "grandes",
            "petits",
            "petites",
            "premiers",
            "premières",
            "derniers",
            "dernières",
        )
    ):
        nxt = after[1]
    nummod_of_next = it.anchor.dep_ == "nummod" and it.anchor.head.i == nxt.i
    if (
        nxt.i in fig_ids
        or not nxt.text[:1].islower()
        or (nxt.pos_ != "NOUN" and not (nummod_of_next and nxt.pos_ in ("VERB", "ADJ", "PROPN")))
    ):
        return None
    if not nxt.text.replace("-", "").replace("'", "").isalpha():
        return None
    linked = it.anchor.head.i == nxt.i or nxt.head.i == it.anchor.i or nxt.head.i in {t.i for t in it.toks}
    adjacent = nxt.idx - rel_end <= 1
    if linked or adjacent:
        return nxt
    return None


def _colon_label(doc: Doc, sentence: str, it: _Item, starts: list[int]) -> list[Token] | None:
    """Tokens of the label before a colon that the figure directly follows."""
    fs = it.fig.start - it.fact.sentence_start
    before = sentence[:fs]
    m = re.search(
        r":\s*(?:(?:plus|moins)\s+d[e']\s*|environ\s+|près\s+de\s+|au\s+moins\s+|au\s+plus\s+|soit\s+)?[+\-]?\s*$", before
    )
    if not m:
        return None
    colon = m.start()
    prev_colon = before.rfind(":", 0, colon)
    ls = prev_colon + 1 if prev_colon >= 0 else 0
    return [t for t in doc[bisect.bisect_left(starts, ls) : bisect.bisect_left(starts, colon)] if t.pos_ != "PUNCT"]


def _subject(doc: Doc, text: str, base: int, it: _Item, items: list[_Item], fig_ids: set[int], starts: list[int]) -> None:
    d = it.fact
    sentence = text[base : d.sentence_end]
    blocked = set(fig_ids)

    def use(head: Token, how: str) -> None:
        toks, h = noun_phrase(head, blocked)
        if not toks:
            return
        d.subject = _text_of(toks, text, base)
        d.subject_lemma = lemma_of(h)
        it.subject_ids = {t.i for t in toks}
        it.subject_from = how

    # 0. an amount of something: "12,3 milliards de francs d'engagements financiers"
    if it.fig.kind == "money":
        after = _following(doc, starts, it.fig.end - base)
        if len(after) > 1 and after[0].lower_ in ("de", "d'") and after[1].pos_ == "NOUN" and after[1].i not in fig_ids:
            use(after[1], "counted")
            if d.subject:
                return
    # 1. a label before a colon
    label = _colon_label(doc, sentence, it, starts)
    if label:
        it.label_ids = {t.i for t in label}
        ids = {t.i for t in label}
        root = next((t for t in label if t.head.i not in ids or t.head.i == t.i), label[0])
        subj = next((c for c in root.children if c.dep_.startswith("nsubj") and c.i in ids and c.pos_ in ("NOUN", "PROPN")), None)
        if subj is None and root.pos_ not in ("NOUN", "PROPN"):
            subj = next((t for t in label if t.pos_ in ("NOUN", "PROPN")), None)
        if subj is not None and root.pos_ == "VERB" and not any(c.dep_ in ("cop",) for c in root.children):
            obj = next((c for c in root.children if c.dep_ == "obj" and c.pos_ in ("NOUN", "PROPN") and c.i in ids), None)
            subj = obj or subj
        head = subj or root
        clause = any(t.pos_ in ("VERB", "AUX") and "Fin" in t.morph.get("VerbForm", []) for t in label)
        quantity = in_lexicon(head, QUANTITY_LEMMAS)
        counted = it.noun is not None and not in_lexicon(it.noun, MEASURE_LEMMAS)
        if head.pos_ in ("NOUN", "PROPN", "ADJ", "VERB") and (quantity or not counted or not clause):
            use(head, "colon")
            if d.subject:
                return
    f = it.fig
    in_parens = sentence[: f.start - base].rfind("(") > sentence[: f.start - base].rfind(")")
    # 2. a figure in parentheses states the quantity named just before
    if in_parens and it.noun is None:
        prev_items = [o for o in items if o.fig.end <= f.start and o.draft and o.draft.subject]
        paren_at = base + sentence[: f.start - base].rfind("(")
        if prev_items and prev_items[-1].fig.end >= paren_at - 3 and f.kind == prev_items[-1].fig.kind:
            p = prev_items[-1]
            d.subject, d.subject_lemma, it.subject_from = p.fact.subject, p.fact.subject_lemma, "apposition"
            return
        rel = f.start - base
        quants = [t for t in doc[: bisect.bisect_left(starts, rel)] if t.pos_ == "NOUN" and in_lexicon(t, QUANTITY_LEMMAS)]
        if quants:
            use(quants[-1], "quantity")
            if d.subject:
                return
    # 3. the counted noun's phrase
    if it.noun is not None and not in_lexicon(it.noun, MEASURE_LEMMAS):
        use(it.noun, "counted")
        if d.subject:
            return
    top = it.noun if it.noun is not None else it.top
    # 4. the subject of a copula
    for t in (top, top.head):
        if any(c.dep_ == "cop" for c in t.children):
            subj = next((c for c in t.children if c.dep_.startswith("nsubj") and c.pos_ in ("NOUN", "PROPN")), None)
            if subj is not None and subj.i not in fig_ids:
                use(subj, "copula")
                if d.subject:
                    return
    # 5. the governing noun, or the subject of the governing verb
    cur = top
    for _ in range(8):
        h = cur.head
        if h.i == cur.i:
            break
        if h.i in fig_ids:
            cur = h
            continue
        if (
            h.pos_ in ("NOUN", "PROPN")
            and in_lexicon(h, LOCUTION_LEMMAS)
            and not any(c.dep_ == "amod" and c.lower_ not in ("tel", "telle", "même") for c in h.children)
        ):
            cur = h
            continue
        if (
            h.pos_ in ("NOUN", "PROPN")
            and not in_lexicon(h, MEASURE_LEMMAS)
            and cur.dep_ in ("nmod", "nummod", "appos", "amod", "acl", "obl:mod", "dep", "obl:arg")
        ):
            use(h, "governor")
            if d.subject:
                return
        if h.pos_ in ("VERB", "AUX", "ADJ"):
            if cur.dep_.startswith("nsubj"):
                break
            subj = next(
                (c for c in h.children if c.dep_.startswith("nsubj") and c.pos_ in ("NOUN", "PROPN") and c.i not in fig_ids), None
            )
            if subj is not None:
                use(subj, "clause")
                if d.subject:
                    return
            if h.dep_ in ("acl", "acl:relcl") and h.head.pos_ in ("NOUN", "PROPN") and h.head.i not in fig_ids:
                use(h.head, "governor")
                if d.subject:
                    return
        cur = h
    # 6. the noun after "de": 80 % des projets
    for c in top.children:
        if c.dep_ == "nmod" and c.pos_ in ("NOUN", "PROPN") and c.i > top.i and c.i not in fig_ids:
            use(c, "of")
            if d.subject:
                return
    # 7. a figure listed after another one with a colon label: "Épargne : 211,8 M€ contre 230,7 M€ en 2014"
    for o in reversed([o for o in items if o.fig.end <= f.start]):
        if o.subject_from == "colon" and o.fig.kind == f.kind and o.draft is not None:
            d.subject, d.subject_lemma, it.subject_from = o.draft.subject, o.draft.subject_lemma, "list"
            return
    # 8. the first noun of the sentence
    for t in doc:
        if t.pos_ in ("NOUN", "PROPN") and t.i not in fig_ids and not in_lexicon(t, MEASURE_LEMMAS):
            use(t, "first")
            if d.subject:
                return


def _revisions(text: str, base: int, items: list[_Item]) -> None:
    """``ramené à 35``: the figure after the verb is revised, the one before it initial."""
    for i, it in enumerate(items):
        before = text[max(base, it.fig.start - 40) : it.fig.start]
        if not _REVISION_RE.search(before):
            continue
        it.fact.qualifiers.add("révisé")
        prev = [
            o
            for o in items[:i]
            if o.fig.kind not in ("date", "rank")
            and o.fig.kind == it.fig.kind
            or (o.fig.kind in ("count", "other") and it.fig.kind in ("count", "other"))
        ]
        prev = [o for o in prev if o.fig.kind != "date"]
        if prev:
            prev[-1].fact.qualifiers.add("initial")
            it.fact.qualifiers.discard("initial")


_CUE_MAX_DISTANCE = 3


_CUE_PREFIXES = (
    "moyen",
    "total",
    "tota",
    "objectif",
    "cible",
    "prév",
    "prev",
    "vis",
    "escompt",
    "réalis",
    "realis",
    "atteint",
    "constat",
    "effecti",
    "réel",
    "initial",
    "révis",
    "revis",
    "revu",
)


def _cue_of(tok: Token) -> str | None:
    low = tok.lower_
    if not low.startswith(_CUE_PREFIXES):
        return None
    lem = lemma(tok)
    pos = tok.pos_
    part = "Part" in tok.morph.get("VerbForm", [])
    if (lem == "moyen" and pos == "ADJ") or (low in ("moyenne", "moyen") and pos in ("NOUN", "ADJ")):
        return "moyenne"
    if lem == "total" or low in ("total", "totale", "totaux", "totales"):
        return "total"
    if lem in ("objectif", "cible", "prévisionnel", "escompter") or low in ("objectif", "objectifs", "cible", "cibles"):
        nxt = tok.nbor(1) if tok.i + 1 < len(tok.doc) else None
        if nxt is not None and (nxt.like_num or nxt.text in ("«", '"', "n°")):
            return None  # "l'objectif 2", "l'objectif « convergence »": a name
        return "objectif"
    if lem in ("prévoir", "viser") and (part or pos == "ADJ"):
        return "objectif"
    if (lem in ("réaliser", "atteindre", "constater") and (part or pos == "ADJ")) or (
        lem in ("effectif", "réel") and pos == "ADJ"
    ):
        return "réalisé"
    if lem in ("initial", "initialement") or low in ("initialement", "initial", "initiale", "initiaux", "initiales"):
        return "initial"
    if lem in ("réviser", "revoir") and (part or pos == "ADJ"):
        return "révisé"
    return None


_CUE_KINDS: dict[str, tuple[str, ...]] = {
    "moyenne": ("count", "money", "percent", "duration", "other", "ratio"),
    "total": ("count", "money", "percent", "duration", "other"),
    "objectif": ("count", "money", "percent", "duration", "other", "ratio", "date"),
    "réalisé": ("count", "money", "percent", "duration", "other", "ratio", "date"),
    "initial": ("count", "money", "percent", "duration", "other", "ratio", "date"),
    "révisé": ("count", "money", "percent", "duration", "other", "ratio", "date"),
}


def _of_part(it: _Item) -> set[int]:
    """Tokens of what a percent or ratio is taken of (``de la moyenne`` in ``57 % de la moyenne``)."""
    if it.fig.kind not in ("percent", "ratio"):
        return set()
    out: set[int] = set()
    for c in it.top.children:
        if c.dep_ == "nmod" and c.i > it.top.i:
            out.update(t.i for t in c.subtree)
    return out


def _linked(tok: Token, it: _Item) -> bool:
    """The cue and the figure are joined by one dependency edge."""
    ends = [it.anchor, it.top] + ([it.noun] if it.noun is not None else [])
    return any(tok.head.i == e.i or e.head.i == tok.i for e in ends)


def _cue_qualifiers(doc: Doc, items: list[_Item]) -> None:
    """Attach each cue word to the figure it governs.

    In order: the figures whose subject (or colon label) holds the cue, the
    figures joined to it by one dependency edge, the figures inside the phrase
    the cue modifies, the figures nearest in the tree (at most 3 edges). A cue
    noun (objectif, moyenne, total) never qualifies a date it does not govern.
    """
    if not items:
        return
    fig_ids = {t.i for it in items for t in it.toks}
    picked: dict[int, tuple[str, list[_Item]]] = {}
    for tok in doc:
        if tok.i in fig_ids:
            continue
        cue = _cue_of(tok)
        if cue is None:
            continue
        cands = [it for it in items if it.fig.kind in _CUE_KINDS[cue]]
        if cue == "moyenne":
            cands = [it for it in cands if not (it.noun is not None and tok.head.i == it.noun.i)]
        # not the counted noun itself (trois objectifs), nor inside what a percent is taken of (4 % du montant total)
        cands = [it for it in cands if not (it.noun is not None and it.noun.i == tok.i) and tok.i not in _of_part(it)]
        if not cands:
            continue
        nominal = tok.pos_ in ("NOUN", "PROPN")
        dated = [it for it in cands if it.fig.kind == "date"]
        undated = [it for it in cands if it.fig.kind != "date"]
        chosen = [it for it in undated if tok.i in it.subject_ids and it.subject_from not in ("first", "of", "list")]
        chosen = chosen or [it for it in undated if tok.i in it.label_ids]
        chosen += [it for it in cands if _linked(tok, it) and it not in chosen]
        if not chosen and tok.pos_ == "ADJ":
            phrase = {t.i for t in tok.head.subtree}
            inside = [it for it in (undated if nominal else cands) if it.anchor.i in phrase]
            if inside:
                best = min(_distance(tok, it.anchor) for it in inside)
                chosen = [it for it in inside if _distance(tok, it.anchor) == best]
        if not chosen:
            pool = (
                undated
                if (nominal or cue in ("moyenne", "total"))
                else cands + [it for it in dated if it.anchor.i < tok.i and it not in cands]
            )
            pool = [it for it in pool if it.fig.kind != "date" or it.anchor.i < tok.i]
            if not pool:
                pool = [] if nominal else dated
            dist = [
                (
                    min(
                        _distance(tok, it.anchor), _distance(tok, it.top), _distance(tok, it.noun) if it.noun is not None else 99
                    ),
                    it,
                )
                for it in pool
            ]
            best = min((d for d, _ in dist), default=99)
            chosen = [it for d, it in dist if d == best] if best <= _CUE_MAX_DISTANCE else []
        picked[tok.i] = (cue, chosen)
    # an adverb on a cue word goes where that word went: "initialement prévu"
    for i, (cue, _chosen) in list(picked.items()):
        head = doc[i].head
        if head.i != i and head.i in picked and doc[i].pos_ == "ADV":
            picked[i] = (cue, picked[head.i][1])
    for cue, chosen in picked.values():
        for it in chosen:
            it.fact.qualifiers.add(cue)
    # a revised objective is an objective
    for it in items:
        if "révisé" in it.fact.qualifiers and any(
            "objectif" in o.fact.qualifiers and "initial" in o.fact.qualifiers and o.fig.kind == it.fig.kind for o in items
        ):
            it.fact.qualifiers.add("objectif")


def ordered(qualifiers: set[str]) -> list[Any]:
    """Qualifiers in their canonical order."""
    return [q for q in QUALIFIER_ORDER if q in qualifiers]
