"""Reading the operation of a computed question: from its wording to a typed :class:`Operation`
(what is computed, its operands as sub-questions, the figures the question states).

The cues are data (``assistant/lang/fr/operation_cues.tsv``, ``share_cues.tsv``,
``deduction_cues.tsv``, ``average_cues.tsv``, ``condition_cues.tsv``, ``ratio_definitions.tsv``,
``sum_cues.txt``, ``item_fillers.txt``, ``item_tail_words.txt``, ``total_words.txt``, ``hypothesis_words.txt``,
``estimate_cues.txt``), in French and English; nothing here
depends on a particular report.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field

from assistant.analysis.analyzer import APOSTROPHES, fold
from assistant.analysis.numbers import Figure
from assistant.lang import lexicon, read_list, read_table

OperationKind = Literal["sum", "difference", "ratio", "share", "average", "growth", "times", "complement", "portion"]
"""What a computed answer computes (a portion: a percent of a whole, whole × % ÷ 100; times: how
many times one figure is another, a ÷ b)."""


class Operation(BaseModel):
    """A computation a question asks for, as far as its wording tells."""

    kind: OperationKind = Field(description="What is computed.")
    operands: list[str] = Field(
        default_factory=list,
        description="Each operand's own words as the question writes them, in the order of the formula (whole first for a deduction, part first for a share).",
    )
    words: list[str] = Field(
        default_factory=list, description="Each operand's own words in French terms (translated when the question is English)."
    )
    scope: str = Field(default="", description="The rest of the question, within which every operand is asked.")
    percent: bool = Field(
        default=False, description="True when the result is a percent (a share, a growth rate, a difference in points)."
    )
    condition: tuple[Literal["below", "above"], float] | None = Field(
        default=None, description="For a sum over table rows: the bound the rows' ranges stand under or over ('moins de 1 000')."
    )
    stated: list[float] = Field(default_factory=list, description="Figures the question itself states and the computation uses.")
    items: list[str] = Field(default_factory=list, description="For sums and differences: the items named and joined by et/and.")
    group: tuple[int, str] | None = Field(
        default=None, description="For sums over a group the question counts ('des trois axes'): how many, and the noun."
    )
    ratio_parts: tuple[str, str] | None = Field(
        default=None, description="For ratios: folded text of the numerator and of the denominator."
    )
    ordered: bool = Field(
        default=False,
        description="For times: the first item ÷ the second, in the order named (« le rapport entre la dette et les recettes »).",
    )
    of_whole: str = Field(
        default="",
        description="For a sum asked as a share of a whole (« quelle part du coût total A et B financent-ils ensemble ? »): the whole's words.",
    )

    def in_parts(self) -> bool:
        """True when the result is computed from parts the question names or implies (its operands,
        the figures it states, table rows within a bound, a percent of a count) — compute.by_operands."""
        return bool(self.operands or self.stated or self.condition or self.kind == "portion")

    def sub_question(self, i: int) -> str:
        """Operand `i` asked as a figure question of its own: the question's scope, then the operand's
        words (the scope's first word stays the question's first word, never read as a name)."""
        return f"{self.scope} {self.operands[i]}".strip()


@dataclass(frozen=True)
class Cues:
    """The operation cues of assistant/lang/fr/, compiled."""

    detect: dict[str, tuple[re.Pattern[str], ...]]
    """Kind (ratio, growth, points, difference, sum, sum_strong, times, named_ratio) → patterns that ask for it."""
    deduction: tuple[re.Pattern[str], ...]
    """A whole less named parts: group ``parts``."""
    share: tuple[re.Pattern[str], ...]
    """A part of a whole: groups ``whole`` and ``part``."""
    share_whole: tuple[re.Pattern[str], ...]
    """The whole of a share whose part is several items: group ``whole``."""
    average: tuple[re.Pattern[str], ...]
    """An average per counted thing: group ``per``."""
    total_word: str
    """The word put before a whole ('total')."""
    condition: tuple[tuple[Literal["below", "above"], re.Pattern[str]], ...]
    """A bound on the rows of a table: side and pattern (group ``n``)."""
    hypothesis: str
    """Words opening a figure the question states as given, as a regex alternation."""
    estimate: str
    """Words of a count asked as an estimate, as a regex alternation."""
    whole: re.Pattern[str]
    """Words that ask for a whole (assistant/lang/fr/whole_words.txt), matched in the folded question."""


@lru_cache(maxsize=1)
def cues() -> Cues:
    """The operation cues (loaded once)."""
    detect: dict[str, list[re.Pattern[str]]] = {}
    for kind, pattern in read_table("operation_cues"):
        detect.setdefault(kind, []).append(re.compile(pattern))
    return Cues(
        detect={k: tuple(v) for k, v in detect.items()},
        deduction=tuple(re.compile(row[0]) for row in read_table("deduction_cues")),
        share=tuple(re.compile(row[0]) for row in read_table("share_cues")),
        share_whole=tuple(re.compile(row[0]) for row in read_table("share_whole_cues")),
        average=tuple(re.compile(row[0]) for row in read_table("average_cues")),
        total_word=read_list("total_words")[0],
        condition=tuple((_side(side), re.compile(p)) for side, p in read_table("condition_cues")),
        hypothesis="|".join(re.escape(w) for w in sorted(read_list("hypothesis_words"), key=len, reverse=True)),
        estimate="|".join(read_list("estimate_cues")),
        whole=_words_pattern(read_list("whole_words")),
    )


def _words_pattern(words: Sequence[str]) -> re.Pattern[str]:
    """Whole words, or word beginnings for those ending in "*"."""
    parts = [re.escape(w[:-1]) + r"\w*" if w.endswith("*") else re.escape(w) for w in words]
    return re.compile(rf"\b(?:{'|'.join(parts)})\b")


def _side(side: str) -> Literal["below", "above"]:
    if side not in ("below", "above"):
        raise ValueError(f"condition_cues.tsv: unknown side {side!r}")
    return "below" if side == "below" else "above"


def _condition(f: str) -> tuple[Literal["below", "above"], float] | None:
    """The bound a question puts on what it counts ("moins de 1 000 habitants" → below 1000)."""
    for side, pattern in cues().condition:
        m = pattern.search(f)
        if m:
            digits = re.sub(r"[^\d]", "", m.group("n"))
            if digits:
                return side, float(digits)
    return None


@lru_cache(maxsize=1)
def rate_names() -> tuple[str, ...]:
    """Folded names of the rates whose terms are known (assistant/lang/fr/ratio_definitions.tsv)."""
    return tuple(fold(row[0]) for row in read_table("ratio_definitions"))


def _asks(kind: str, *texts: str) -> bool:
    return any(p.search(t) for p in cues().detect.get(kind, ()) for t in texts if t)


_PARTS_SPLIT = re.compile(r"\s*(?:,|\bni\b|\bet\b|\bnor\b|\bor\b|\band\b)\s+(?:par |de |du |des |by |from )?")
_LEADING = re.compile(r"^(?:par|de|du|des|by|from)\s+")


class Folded:
    """A question folded character by character, so that a span found in the folded text is
    cut from the question as written (its capitals and accents kept)."""

    def __init__(self, text: str) -> None:
        self.text = text
        pieces = [fold(c) for c in text]
        self.folded = "".join(pieces)
        self._where = [i for i, p in enumerate(pieces) for _ in p] + [len(text)]

    def original(self, start: int, end: int) -> str:
        """The question's own text for the folded span [start, end)."""
        return self.text[self._where[start] : self._where[end]].strip(" ,;?")


def _scope(q: Folded, spans: list[tuple[int, int]]) -> str:
    """The question without the given folded spans (what every operand is asked within)."""
    keep, at = [], 0
    for s, e in sorted(spans):
        keep.append(q.original(at, s))
        at = e
    keep.append(q.original(at, len(q.folded)))
    return " ".join(k for k in keep if k)


def _split_parts(text: str) -> list[str]:
    return [p for p in (_LEADING.sub("", x.strip()) for x in _PARTS_SPLIT.split(text)) if p]


def _deduction(q: Folded) -> Operation | None:
    """A whole less named parts: operands = [the whole (a total), each part]."""
    for pattern in cues().deduction:
        m = pattern.search(q.folded)
        if not m:
            continue
        s, e = m.span("parts")
        parts = _split_parts(q.original(s, e))
        if parts:
            whole, parts = _whole_named_after(parts)
            return Operation(kind="difference", operands=[whole, *parts], scope=_scope(q, [m.span()]))
    return None


_PART_OF_WHOLE = re.compile(r"^(?P<part>.+?)\s+(?:du|de la|de l'|des|d')\s*(?P<whole>.+)$")
"""A part of a named whole: "la part FEDER du coût total du projet"."""


def _whole_named_after(parts: list[str]) -> tuple[str, list[str]]:
    """(the whole, the parts) of a deduction: the last part's complement when it names a whole
    ("une fois déduite la part FEDER du coût total" → "coût total", ["la part FEDER"]), else
    "total" and the parts as read."""
    m = _PART_OF_WHOLE.match(parts[-1].translate(APOSTROPHES))
    if m and cues().whole.search(fold(m.group("whole"))):
        # "la part FEDER" is the FEDER's figure: the part keeps its name (:func:`_clean_item`)
        return m.group("whole"), [*parts[:-1], _clean_item(m.group("part")) or m.group("part")]
    return cues().total_word, parts


def _share(q: Folded) -> Operation | None:
    """A part of a whole: operands = [the part, the whole], each asked within the rest of the question."""
    for pattern in cues().share:
        m = pattern.search(q.folded)
        if m:
            part, whole = q.original(*m.span("part")), q.original(*m.span("whole"))
            if _JOINED.search(fold(part)):
                # « le crédit d'impôt et les prêts dans l'aide » : a part of several items is read as stated
                return None
            return Operation(kind="share", operands=[part, whole], scope=_scope(q, [m.span()]))
    return None


def _share_whole(q: Folded) -> str:
    """The whole a share question names: the ``whole`` group of the share cues, else of
    share_whole_cues.tsv; '' when it names none."""
    for pattern in (*cues().share, *cues().share_whole):
        m = pattern.search(q.folded)
        if m:
            return q.original(*m.span("whole"))
    return ""


_JOINED = re.compile(r"\b(?:et|and)\s+(?:les?|la|l'|the|des|du|de)\b")
"""Two items joined in a share's part (« le crédit d'impôt et les prêts »), not a part's own words."""


def _average(q: Folded) -> Operation | None:
    """A total ÷ a count: operands = [the total, what is counted]."""
    for pattern in cues().average:
        m = pattern.search(q.folded)
        if m:
            per = q.original(*m.span("per"))
            # "moyen [de la prime] par", "[coût] moyen d'un": the groups "what" and "noun" stay in the scope
            kept = sorted(m.span(g) for g in ("noun", "what") if g in pattern.groupindex and m.group(g))
            cut, at = [], m.start()
            for start, end in kept:
                cut.append((at, start))
                at = end
            cut.append((at, m.end()))
            return Operation(kind="average", operands=[cues().total_word, per], scope=_scope(q, cut))
    return None


@lru_cache(maxsize=1)
def _year_adjectives() -> frozenset[str]:
    """Words that make an average one per year (assistant/lang/fr/year_adjectives.txt)."""
    return frozenset(fold(w) for w in read_list("year_adjectives"))


def _per_year(op: Operation, years: list[int]) -> Operation:
    """An average « par an » over the period the question names (« entre 2016 et 2020 »): the total
    ÷ the number of years, both ends counted (stated = [5]), not ÷ a count of years to be found."""
    per = fold(op.operands[1]) if len(op.operands) == 2 else ""
    yearly = lexicon().duration_units.get(per) == "an" or per in _year_adjectives()
    if not yearly or len(set(years)) < 2:
        return op
    return op.model_copy(update={"operands": op.operands[:1], "stated": [float(max(years) - min(years) + 1)]})


_LINK = re.compile(r"\b(?:represent\w*|correspond\w*|constitu\w*|soit|make up|makes up|account for|accounts for|are|is)\b")
"""The verb between a figure the question states and its share of a whole ("165 M€ représentent 55 %")."""


_OF_WHOLE = re.compile(r"\b(?:sur|pour|par rapport a|rapportee? a|out of|of|for|against)\b")
"""Words between a part and the whole it is a share of ("300 000 € sur un coût total de 1,2 M€")."""
_SPAN = re.compile(r"\b(?:entre|between|de \S+ a|from \S+ to)\b")
"""A span of amounts ("entre 10 000 € et 50 000 €"): two bounds, not a part and its whole."""


def _stated_figures(question: str, lang: str) -> list[Figure]:
    """The figures the question itself states, read by the same number parser as the reports (so
    "165 M€", "1,2 million d'euros" and "300 000 €" come in euros; an English "€300,000" has its
    thousands grouped by a comma); years and dates left out."""
    from assistant.analysis.numbers import find_figures

    if lang == "en":
        question = re.sub(r"(?<=\d),(?=\d{3}\b)", " ", question)  # same length: offsets kept
    return [g for g in find_figures(question) if g.kind not in ("date",)]


_STATED_PERCENT = re.compile(r"(?P<p>\d+(?:[.,]\d+)?)\s*(?:%|pour ?cent|percent)\s+(?:de |du |des |d'|of )(?P<whole>[^,?;]+)")
"""A percent of a whole the question states ("Sachant que le FEDER finance 40 % du budget total, …")."""


def _stated_portion(q: Folded) -> Operation | None:
    """A percent of a whole the question states: operands = [the whole], stated = [the percent]."""
    m = _STATED_PERCENT.search(q.folded)
    if not m or not re.search(rf"\b(?:{cues().hypothesis})\b", q.folded[: m.start()]):
        return None
    whole = q.original(*m.span("whole"))
    return Operation(
        kind="portion", operands=[whole], stated=[float(m.group("p").replace(",", "."))], scope=_scope(q, [m.span()])
    )


def _stated_share(question: str, lang: str, asks_percent: bool) -> Operation | None:
    """A computation from the figures the question states: the whole of which it states a part and
    its share ("Sachant que 165 M€ représentent 55 % du budget, quel est le budget total ?": part ÷
    share × 100, kind ratio), or the share of two amounts it states ("l'apport de 300 000 € sur un
    coût total de 1,2 M€": smaller ÷ larger × 100, kind share)."""
    figures = _stated_figures(question, lang)
    amounts = [g for g in figures if g.kind in ("money", "count", "number", "other")]
    percents = [g for g in figures if g.kind == "percent"]
    if len(amounts) == 1 and len(percents) == 1 and percents[0].value:
        a, p = amounts[0], percents[0]
        if a.end <= p.start and _LINK.search(fold(question[a.end : p.start])):
            return Operation(kind="ratio", stated=[a.value, p.value])
    if asks_percent and not percents and len(amounts) == 2 and amounts[0].unit == amounts[1].unit:
        between = fold(question[amounts[0].end : amounts[1].start])
        before = fold(question[: amounts[0].start])
        # "300 000 € sur un coût total de 1,2 M€", never a span "entre 10 000 € et 50 000 €"
        if _OF_WHOLE.search(between) and not _SPAN.search(before + " " + between):
            low, high = sorted(g.value for g in amounts)
            if 0 < low < high:
                return Operation(kind="share", stated=[low, high])
    return None


def ratio_parts(f: str) -> tuple[str, str] | None:
    """(numerator text, denominator text) of a ratio question; a question that opens on the
    denominator ("Rapporté au coût total, quel taux … représente l'apport …") is read the other way."""
    m = re.search(r"(.*)\b(?:rapportee?s? (?:a|aux|au)|divisee? par|sur le total de|par rapport (?:a|aux|au))\b(.*)", f)
    if not m:
        return None
    before, after = m.group(1), m.group(2)
    if not re.search(r"[^\W\d_]{3,}", before) and "," in after:
        head, _, rest = after.partition(",")
        return rest, head
    return before, after


_GROUP = re.compile(r"(?=\b(?:des|les|aux|the|all)\s+(\d{1,2}|[a-z]+)\s+([^\W\d_][\w-]{2,}))")
"""A determiner, a number and a noun; a lookahead, so that "des crédits des trois axes" is read at
every determiner (a match at the first one would swallow the second)."""


def read_group(f: str, en: str) -> tuple[int, str] | None:
    """'des trois axes' → (3, 'axes'): a group of items the question counts, to be added up."""
    for text in (f, en):
        for m in _GROUP.finditer(text or ""):
            word = m.group(1)
            n = int(word) if word.isdigit() else lexicon().number_words.get(word)
            if n and 2 <= n <= 20:
                return n, m.group(2)
    return None


_CONJUNCT = re.compile(
    r"((?:[\w’'-]+\s+){0,1}[\w’'-]+)\s+(?:et|and)\s+(?:de\s+|du\s+|des\s+|d'|of\s+)?(?:l'|la\s+|le\s+|les\s+|the\s+)?"
    r"([\w’'-]+(?:\s+[\w’'-]+){0,1})",
    re.IGNORECASE,
)
"""Two items joined by et/and: up to two words on each side."""

_LISTED = re.compile(r"((?:[\w’'-]+\s+){0,1}[\w’'-]+)\s*,\s*$")
"""An item listed before the next one and a comma ("Lille, Douai et Arras"): up to two words."""

MAX_ITEMS = 8
"""Most items read from a list a question names."""


def _listed_before(prefix: str) -> list[str]:
    """The items listed, each followed by a comma, right before the two joined by et/and
    ("… de personnel, de fonctionnement et d'investissement" → ["de personnel"]); a piece holding a
    figure ("En 2020, …") ends the list."""
    items: list[str] = []
    while len(items) < MAX_ITEMS - 2:
        m = _LISTED.search(prefix)
        if not m or re.search(r"\d", m.group(1)):
            break
        items.insert(0, m.group(1))
        prefix = prefix[: m.start()]
    return items


def _name_only(words: list[str]) -> list[str]:
    """An item that holds a name keeps the name and what follows it ("reçu Lille" → "Lille",
    "Pôle emploi" kept whole): the lower-case words before its first capitalised one left out."""
    first = next((k for k, w in enumerate(words) if w[:1].isupper()), None)
    return words[first:] if first else words


@lru_cache(maxsize=1)
def _item_edges() -> tuple[frozenset[str], frozenset[str]]:
    """Folded words an item never begins with (determiners, fillers) and never ends with (those and
    trailing prepositions, assistant/lang/fr/item_tail_words.txt), read once."""
    fillers = frozenset(fold(w) for w in read_list("determiners") + read_list("item_fillers"))
    return fillers, fillers | {fold(w) for w in read_list("item_tail_words")}


_INVERTED = re.compile(r"(?i)\w-(?:t-)?(?:ils?|elles?|on)\b")
"""A verb inverted with its subject pronoun (« ont-ils », « a-t-elle »): the question's verb, after its items."""


def _clean_item(part: str) -> str:
    """An item's own words: sum cues, leading fillers and determiners, trailing prepositions
    (assistant/lang/fr/item_tail_words.txt) left out; an elided "d'" cut."""
    sum_cues = lexicon().sum_cues
    fillers, tails = _item_edges()
    words = [w for w in part.split() if not sum_cues.fullmatch(fold(w))]
    inverted = next((k for k, w in enumerate(words) if _INVERTED.search(w)), None)
    if inverted is not None:
        words = words[:inverted]  # « l'État ont-ils financé » → « l'État »: the verb is no part of the item
    while words and fold(words[0]) in fillers:
        words = words[1:]
    while words and fold(words[-1]) in tails:
        words = words[:-1]
    if words and re.match(r"(?i)[dl]'\w", words[0]):
        words[0] = words[0][2:]  # "d'Alsace", "l'État"
    return " ".join(_name_only(words))


_EN_AUXILIARY = re.compile(r"(?i)\b(?:do|does|did)\b")
"""An English auxiliary before a question's items: its main verb follows them ("do A and B fund")."""


def read_items(question: str, lang: str, translate: Callable[[str], str]) -> list[str]:
    """The items a sum question names ("… financée Pôle emploi et l'État réunis" → Pôle emploi, État;
    "Lille, Douai et Arras" → the three); `translate` puts an English item in French terms."""
    text = question.translate(APOSTROPHES)
    m = _CONJUNCT.search(text)
    if not m:
        return []
    right = m.group(2)
    if not _clean_item(right):
        # « et celle de l'État »: a pronoun standing for the noun named before, the item after it
        right = " ".join(re.findall(r"[\w’'-]+", text[m.start(2) :])[:3])
    parts = [*_listed_before(text[: m.start(1)]), m.group(1), right]
    if lang == "en":
        if _EN_AUXILIARY.search(text[: m.start(1)]) and len(right.split()) > 1:
            # "do the ERDF and the Region fund together": the question's verb ends the last item
            parts[-1] = right.rsplit(None, 1)[0]
        parts = [translate(p) for p in parts]
    items = [_clean_item(p) for p in parts]
    return [i for i in items if i.strip()]


def read_operation(
    question: str,
    lang: str,
    f: str,
    en: str,
    kind: str,
    years: list[int],
    translate: Callable[[str], str],
    negated_whole: bool = False,
    names: Sequence[str] = (),
) -> Operation | None:
    """The computation `question` asks for (None for a figure to read as stated).

    `f` is the folded French question (the glossary's translation of an English one), `en` the
    folded English one ('' for French), `kind` the kind of answer it expects; `translate` puts
    English words in French terms; `negated_whole`: the question asks about those who did not, out
    of a whole it states ("combien des 967 contributeurs n'ont pas …"); `names`: the question's
    proper names (question._names)."""
    op = _read(question, lang, f, en, kind, years, translate, names)
    if op is None and negated_whole and kind == "count":
        return Operation(kind="complement")
    if op is not None and op.operands:
        words = list(op.operands)
        if op.kind == "average":
            words[0] = op.scope  # what is shared is what the question is about, seldom called a total
        elif op.kind == "difference":
            words[0] = f"{op.operands[0]} {op.scope}"
        op.words = [translate(w) if lang == "en" else w for w in words]
    if op is not None and op.of_whole and lang == "en":
        op.of_whole = translate(op.of_whole)
    return op


_COMPARED = re.compile(r"\b(?:que|qu'|than)\b", re.IGNORECASE)
"""The word before the second term of a comparison (« … reçu que celui d'Alsace », "… than the Alsace programme")."""


def _pair_compared(question: str, lang: str, translate: Callable[[str], str], names: Sequence[str]) -> list[str]:
    """The two amounts a difference or a multiple compares: the items after « entre » / "between"
    (« l'écart entre le budget de Lorraine et celui d'Alsace »), else the one name on each side of
    « que » / "than" (« combien de plus la Lorraine a-t-elle reçu que l'Alsace ? »); [] otherwise."""
    text = question.translate(APOSTROPHES)
    between = re.search(r"\b(?:entre|between)\b(.+)", text)
    if between:
        pair = read_items(between.group(1), lang, translate)
        return pair if len(pair) == 2 else []
    matches = list(_COMPARED.finditer(text))
    if not matches:
        return []
    at = matches[-1].start()  # the last « que » / "than" of the question
    left = [n for n in names if 0 <= text.find(n) < at]
    right = [n for n in names if text.find(n, at) > at]
    return [left[0], right[0]] if len(left) == 1 and len(right) == 1 else []


def _read(
    question: str,
    lang: str,
    f: str,
    en: str,
    kind: str,
    years: list[int],
    translate: Callable[[str], str],
    names: Sequence[str] = (),
) -> Operation | None:
    q = Folded(question.translate(APOSTROPHES))
    asks_percent = kind == "percent"
    stated = _stated_share(question, lang, asks_percent)
    if stated is not None and (stated.kind == "share" or re.search(r"\b(total|ensemble|entier|whole|overall|globa)", q.folded)):
        return stated
    if _asks("ratio", f, en) or (asks_percent and any(name in f for name in rate_names())):
        # "taux de programmation (en %)": read as stated when the report states it, else computed
        return Operation(kind="ratio", ratio_parts=ratio_parts(f))
    sum_cued = bool(lexicon().sum_cues.search(f + " " + en))
    # a whole named ("total") asks for a sum of the items, unless a percent is asked: a share of that total
    whole = not asks_percent and bool(cues().whole.search(f + " " + en))
    named = read_items(question, lang, translate) if sum_cued or whole else []
    if _asks("points", f, en):
        return Operation(kind="difference", percent=True)  # "de combien de points": two percents apart
    if asks_percent and len(years) >= 2 and _asks("growth", f, en):
        return Operation(kind="growth")
    named_ratio = _asks("named_ratio", f, en)  # « le rapport entre A et B »: A ÷ B, whatever kind was read
    if (not asks_percent or named_ratio) and (named_ratio or _asks("times", f, en)):
        # « combien de fois … entre 2010 et 2020 », "how many times higher … than …": a ÷ b
        pair = _pair_compared(question, lang, translate, names) if len(years) < 2 else []
        return Operation(kind="times", items=pair, ordered=named_ratio and len(pair) == 2)
    if not asks_percent:
        deduction = _deduction(q)
        if deduction is not None:
            return deduction
        if _asks("difference", f, en):
            # "l'écart entre le budget de Lorraine et celui d'Alsace": two named amounts, not two years
            pair = _pair_compared(question, lang, translate, names) if len(years) < 2 else []
            return Operation(kind="difference", items=pair)
    if _asks("sum", f, en) and (len(years) >= 2 or _asks("sum_strong", f + " " + en)):
        return Operation(kind="sum", items=named, group=read_group(f, en))
    group = read_group(f, en)
    if group and kind in ("count", "money", "number", "text") and (group[1] in lexicon().group_nouns or sum_cued or whole):
        # "la contribution totale des trois axes", "combien de personnes comptent les deux groupes ?"
        return Operation(kind="sum", items=named, group=group)
    if len(named) >= 2:
        # « quelle part du coût total le FEDER et la Région financent-ils ensemble ? »: the items' sum,
        # then its share of the whole when the report states no percent for them
        return Operation(kind="sum", items=named, group=group, of_whole=_share_whole(q) if asks_percent else "")
    share = _share(q)
    if share is not None:
        return share
    if kind in ("money", "count", "number"):
        portion = _stated_portion(q)
        if portion is not None:
            return portion
    if kind == "count" and re.search(rf"\b(?:{cues().estimate})\b", q.folded):
        return Operation(kind="portion")  # a percent of a count the report states (compute.stated_portion)
    if not asks_percent:
        average = _average(q)
        if average is not None:
            return _per_year(average, years)
    condition = _condition(q.folded) if kind in ("count", "money", "number") else None
    if condition is not None:
        # read as stated unless a table's rows answer it in parts (compute.rows_within)
        return Operation(kind="sum", condition=condition)
    return None
