"""Question understanding: language, expected answer kind, operation,
qualifiers, scope and the French search terms.

Everything here is read from the wording of the question with general rules
of French (and English) interrogatives; nothing depends on a particular
corpus.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Literal, cast, get_args

from pydantic import BaseModel, Field

from assistant.analysis.analyzer import APOSTROPHES, analyze, fold, inflection_root
from assistant.lang import lexicon, read_list, read_table
from assistant.qa.operations import Operation as Computation
from assistant.qa.operations import read_operation
from assistant.qa.years import YEAR_RE

ExpectedKind = Literal["count", "money", "percent", "duration", "date", "number", "entity", "text"]
"""What the question asks for (``number``: a figure of any kind — a ratio, a threshold, a level)."""

Operation = Literal["lookup", "difference", "sum", "ratio", "share", "average", "growth", "times"]
"""Whether the answer is read or computed, and how."""

WantedQualifier = Literal["moyenne", "total", "objectif", "réalisé", "initial", "révisé"]
"""Qualifiers a question can ask for."""

EntityType = Literal["person", "organisation", "place", "any"]
"""The sort of name an entity question asks for."""


class Intent(BaseModel):
    """What a question asks, as far as the wording tells."""

    question: str = Field(description="The question as asked.")
    lang: Literal["fr", "en"] = Field(description="Language of the question.")
    french: str = Field(description="The question in French terms (translated through the glossary when English).")
    kind: ExpectedKind = Field(description="Expected kind of answer.")
    operation: Operation = Field(default="lookup", description="Read a figure, or compute one from several.")
    qualifiers: list[WantedQualifier] = Field(default_factory=list, description="Qualifiers the question asks for.")
    unit_hint: str | None = Field(default=None, description="Folded noun counted or measured ('projet', 'jour'), if named.")
    years: list[int] = Field(default_factory=list, description="Years named by the question.")
    codes: list[str] = Field(default_factory=list, description="Programme/action codes named by the question ('7.4').")
    numbers: list[float] = Field(default_factory=list, description="Other figures stated in the question (not years or codes).")
    names: list[str] = Field(
        default_factory=list,
        description="Proper names of the question (capitalised words that are not its first word nor glossary words).",
    )
    trend: Literal["up", "down"] | None = Field(
        default=None, description="The variation the question asks about: a rise or a fall."
    )
    entity_type: EntityType = Field(default="any", description="For entity questions: the sort of name wanted.")
    ratio_parts: tuple[str, str] | None = Field(
        default=None, description="For ratios: French text of the numerator and of the denominator."
    )
    items: list[str] = Field(
        default_factory=list,
        description="For sums and differences: the items the question names, joined by et/and ('Pôle emploi', 'État').",
    )
    negated: bool = Field(
        default=False, description="True when the question asks about those who did not ('n'ont pas', 'did not')."
    )
    focus: str | None = Field(
        default=None, description="The noun a 'quel(le) est le NOUN …' question asks about ('salaire'), folded."
    )
    group: tuple[int, str] | None = Field(
        default=None, description="For sums over a group the question counts ('des trois axes'): how many, and the noun (folded)."
    )
    computation: Computation | None = Field(
        default=None, description="The computation asked for, its operands as sub-questions (assistant.qa.operations)."
    )
    follow_up: bool = Field(default=False, description="True when the question continues the previous one.")
    typos: dict[str, str] = Field(
        default_factory=dict, description="Misspelt words of the question → the word each was read as (folded)."
    )
    definition: bool = Field(default=False, description="True for 'qui est X ?', 'qu'est-ce qu'un X ?', 'what is X?'.")
    asks_end: bool = Field(
        default=False, description="For dates: True when the question asks when something ended or someone died."
    )
    asks_life: bool = Field(default=False, description="For dates: True when the question asks about a birth or a death.")


# --- language -----------------------------------------------------------------

_EN_WORDS = frozenset(
    "what which who whom whose when where why how many much was were is are did does do the of in on at by "
    "for with from to and or an a this that these those has have had been their its it average total".split()
)
_FR_WORDS = frozenset(
    "quel quelle quels quelles qui que quoi quand où comment combien pourquoi le la les des du de un une "
    "est était sont ont a été dans pour par sur avec au aux et ou en ce cette ces leur".split()
)


def detect_language(question: str) -> Literal["fr", "en"]:
    """'en' when English function words outnumber French ones."""
    words = re.findall(r"[a-zà-ÿ]+", question.lower().translate(APOSTROPHES))
    en = sum(w in _EN_WORDS for w in words)
    fr = sum(w in _FR_WORDS for w in words)
    if any(ch in question for ch in "éèêàùçôîœ"):
        fr += 1
    return "en" if en > fr else "fr"


# --- glossary ------------------------------------------------------------------


def _read_glossary(text: str, into: dict[str, list[str]]) -> None:
    for line in text.splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        english, french = line.split("\t", 1)
        # questions are read with their hyphens as spaces: "self-financing" is looked up as "self financing"
        key = " ".join(english.strip().lower().replace("-", " ").split())
        into[key] = [f.strip() for f in french.split("|") if f.strip()]


@lru_cache(maxsize=8)
def glossary(extra: Path | None = None) -> dict[str, list[str]]:
    """English phrase → French terms, from the package data (and an optional user file)."""
    entries: dict[str, list[str]] = {}
    _read_glossary(resources.files("assistant.data").joinpath("glossary_en_fr.tsv").read_text(encoding="utf-8"), entries)
    if extra is not None and extra.is_file():
        _read_glossary(extra.read_text(encoding="utf-8"), entries)
    return entries


@lru_cache(maxsize=1)
def english_stop_words() -> frozenset[str]:
    """English function words left out of a question's French search text (assistant/lang/en/stop_words.txt)."""
    return frozenset(read_list("stop_words", "en"))


@lru_cache(maxsize=1)
def irregular_forms() -> dict[str, str]:
    """English irregular past forms → their base ("spent" → "spend"; assistant/lang/en/irregular_verbs.tsv)."""
    return {row[0].lower(): row[1].lower() for row in read_table("irregular_verbs", "en") if len(row) >= 2}


@lru_cache(maxsize=1)
def number_bounds() -> dict[tuple[str, ...], str]:
    """English words bounding a following number → their French ("under" → "moins de";
    assistant/lang/en/number_bounds.tsv)."""
    return {tuple(row[0].lower().split()): row[1] for row in read_table("number_bounds", "en") if len(row) >= 2}


_VOWELS = frozenset("aeiou")


def english_bases(word: str) -> list[str]:
    """Base forms an inflected English word may come from, most likely first (the word itself excluded).

    Possessive 's, plurals (-s, -es, -ies), past forms (-ed, -ied, doubled
    consonants: "planned"), -ing forms and comparatives (-er, -est): "authorities" → "authority",
    "financed" → "finance", "funding" → "fund", "commune's" → "commune", "larger" → "large".
    """
    bases: list[str] = []
    if word.endswith("'s"):
        word = word[:-2]
        bases.append(word)
    elif word.endswith("'"):  # "authorities'"
        word = word[:-1]
        bases.append(word)

    def add(base: str) -> None:
        if len(base) >= 2 and base not in bases and base != word:
            bases.append(base)

    irregular = irregular_forms().get(word)
    if irregular:
        add(irregular)  # "spent" → "spend", "rose" → "rise"
    if len(word) > 3 and word.endswith("ies"):
        add(word[:-3] + "y")
    if len(word) > 3 and word.endswith("es") and word[-3] in "sxhz":
        add(word[:-2])
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        add(word[:-1])
    for suffix in ("ed", "ing", "er", "est"):  # and comparatives: "larger" → "large", "higher" → "high"
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            stem = word[: -len(suffix)]
            if suffix == "ed" and stem.endswith("i"):
                add(stem[:-1] + "y")  # "applied" → "apply"
            add(stem)
            add(stem + "e")  # "financed" → "finance", "managing" → "manage"
            if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in _VOWELS:
                add(stem[:-1])  # "planned" → "plan"
    # derivations, tried last: an adverb from its adjective ("favourably" → "favourable",
    # "successfully" → "successful"), a noun in -ment from its verb ("settlements" → "settle")
    if len(word) > 6 and word.endswith(("ably", "ibly")):
        add(word[:-1] + "e")
    elif len(word) > 5 and word.endswith("ly"):
        add(word[:-2])
    for noun in [word, *bases]:
        if len(noun) > 7 and noun.endswith("ment"):
            add(noun[:-4])
    return bases


def _lookup(words: list[str], entries: dict[str, list[str]]) -> list[str] | None:
    """French terms of the English phrase `words`, trying the base forms of its last word (and of a single word)."""
    phrase = " ".join(words)
    if phrase in entries:
        return entries[phrase]
    head = " ".join(words[:-1])
    for base in english_bases(words[-1]):
        key = f"{head} {base}" if head else base
        if key in entries:
            return entries[key]
    if len(words) > 1:
        # "authorities' accounts": an inflected first word of a phrase
        for base in english_bases(words[0]):
            key = " ".join([base, *words[1:]])
            if key in entries:
                return entries[key]
    return None


@lru_cache(maxsize=1)
def cognate_endings() -> tuple[tuple[str, str], ...]:
    """English → French endings of cognates, longest English ending first (assistant/lang/fr/cognate_endings.tsv)."""
    rules = [(row[0].lower(), row[1]) for row in read_table("cognate_endings") if len(row) >= 2]
    return tuple(sorted(rules, key=lambda rule: -len(rule[0])))


def cognate(word: str) -> str | None:
    """The French cognate an English word the glossary lacks likely has ("capacity" → "capacité"), or None.

    Only lower-case words of 5 letters or more: names and short words are no cognates.
    """
    if len(word) < 5 or not word.isalpha() or not word.islower():
        return None
    for english, french in cognate_endings():
        if word.endswith(english) and len(word) - len(english) >= 3:
            return word[: -len(english)] + french
    return None


MIN_ENGLISH_TYPO_LENGTH = 6
"""Shorter English words are not respelled: too many real words lie one letter apart."""


@lru_cache(maxsize=8)
def _english_words(extra: Path | None = None) -> frozenset[str]:
    """The English words the reader knows: those of the glossary's entries, the function words, the irregular forms."""
    words = {w for key in glossary(extra) for w in key.split()}
    return frozenset(words | english_stop_words() | set(irregular_forms()))


@lru_cache(maxsize=1)
def _french_words() -> frozenset[str]:
    """Folded words of the glossary's French side (of the package glossary)."""
    return frozenset(w for values in glossary(None).values() for v in values for w in re.findall(r"[^\W\d_]+", fold(v)))


def _respell_english(word: str, known: frozenset[str]) -> str | None:
    """The known English word a misspelt one stands for, one edit away ("expenditre" → "expenditure"),
    or None: only lower-case words of 6 letters or more that the glossary knows in no form."""
    if len(word) < MIN_ENGLISH_TYPO_LENGTH or not word.isalpha() or word in known or fold(word) in _french_words():
        return None  # a French term cited in an English question ("dotation de base") is no typo
    if any(base in known for base in english_bases(word)):
        return None
    # an inflection of the word itself ("factor" → "factors") is no respelling: the word is right, only unknown
    near = sorted(
        c for c in edits1(word) if (c in known or any(b in known for b in english_bases(c))) and word not in english_bases(c)
    )
    return near[0] if near else None


def correct_english_typos(text: str, extra_glossary: Path | None = None) -> tuple[str, dict[str, str]]:
    """`text` with its misspelt lower-case English words respelled (:func:`_respell_english`), and the corrections."""
    known = _english_words(extra_glossary)
    corrections: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        fixed = _respell_english(word, known) if word[:1].islower() else None
        if fixed is None:
            return word
        corrections[word] = fixed
        return fixed

    return re.sub(r"(?<![\w'])[^\W\d_]+(?![\w'])", fix, text), corrections


def translate(question: str, extra_glossary: Path | None = None) -> str:
    """English question → French search text (unknown words kept: names, numbers).

    The longest glossary phrase wins at each word; inflected forms meet their
    base entry (:func:`english_bases`).
    """
    entries = glossary(extra_glossary)
    # a French decimal ("1 234,5", from french_numerals) stays one word
    words = re.findall(r"\d+,\d+|[\w'’.]+", question.translate(APOSTROPHES).replace("-", " "))
    longest = max((len(k.split()) for k in entries), default=1)
    out: list[str] = []
    i = 0
    lower = [w.lower().strip(".-") for w in words]
    stop = english_stop_words()
    bounds = number_bounds()
    while i < len(words):
        bound = next(
            (
                (size, bounds[tuple(lower[i : i + size])])
                for size in (2, 1)
                if tuple(lower[i : i + size]) in bounds
                and i + size < len(words)
                and words[i + size][:1].isdigit()
                and not YEAR_RE.fullmatch(words[i + size].rstrip(".,"))  # "over 2017-2019" is a period
            ),
            None,
        )
        if bound is not None:
            # "under 26", "over 45": a bound on the figure that follows, as a report writes it
            out.append(bound[1])
            i += bound[0]
            continue
        for size in range(min(longest, len(words) - i), 0, -1):
            found = _lookup(lower[i : i + size], entries)
            if found is not None:
                out.extend(found)
                i += size
                break
        else:
            word = words[i].strip(".-'")
            if word.lower().endswith("'s"):
                word = word[:-2]
            if word and word.lower() not in stop:
                out.append(word)
                guess = cognate(word)
                if guess:
                    out.append(guess)
            i += 1
    return " ".join(out)


# --- expected kind, operation, qualifiers ---------------------------------------------

_KIND_NOUNS = lexicon().kind_nouns
"""Kind → folded nouns that ask for it after « quel(le) » (assistant/lang/fr/kind_nouns.tsv)."""
_MONEY_NOUNS = _KIND_NOUNS["money"]
_PERCENT_NOUNS = _KIND_NOUNS["percent"]
_DURATION_NOUNS = _KIND_NOUNS["duration"]
_DATE_NOUNS = _KIND_NOUNS["date"]
_COUNT_NOUNS = _KIND_NOUNS["count"]
_ENTITY_NOUNS = _KIND_NOUNS["entity"]
_NUMBER_NOUNS = _KIND_NOUNS["number"]
_DURATION_UNITS = lexicon().duration_units
"""A word naming a length of time → its unit (assistant/lang/fr/duration_units.tsv)."""


_MONEY_WORDS = (
    r"\b(montant|cout|budget|somme|enveloppe|dotation|depenses?|recettes?|contribution|subvention|epargne|dette|"
    r"endettement|credits?|investissements?|euros?|financement|tresorerie)\b"
)


def _has(text: str, *patterns: str) -> bool:
    return any(re.search(p, text) for p in patterns)


def _expected_kind(f: str, en: str) -> tuple[ExpectedKind, EntityType]:
    """Kind of answer from the folded French question `f` and the lower-cased English `en` (or '')."""
    # "how many times higher": a multiple, whatever else the question names ("long-term debt")
    if _has(f, r"\bcombien de fois (plus|moins)\b") or _has(
        en, r"how many times (higher|lower|more|less|greater|larger|smaller)"
    ):
        return "number", "any"
    # durations
    if _has(
        f,
        r"combien de temps",
        r"quelle (etait |est |a ete )?(la )?duree",
        r"en combien (de |d')(jours|mois|semaines|annees|ans|heures)",
        r"pendant combien",
        r"duree",
        r"delai",
        r"combien (de |d')(jours|mois|semaines|annees|ans|heures)\b",
    ) or _has(
        en,
        r"how long",
        r"how many (days|months|weeks|years|hours)",
        r"\bin (days|months|weeks|years|hours)\b",
        r"duration",
        r"\blength\b",
    ):
        return "duration", "any"
    # dates
    if _has(
        f,
        r"^quand\b",
        r"\bquand\b",
        r"en quelle annee",
        r"quelle annee",
        r"a quelle date",
        r"quelle date",
        r"depuis quand",
        r"a partir de quand",
        r"en quel mois",
        r"quel mois",
        r"quel jour",
        r"jusqu'a quand",
        r"de quand date",
    ) or _has(
        en, r"^when\b", r"\bwhen\b", r"which year", r"what year", r"what date", r"in which month", r"since when", r"what month"
    ):
        return "date", "any"
    # percents
    if _has(
        f,
        r"quel(le)? (est |etait |a ete )?(le |la )?(pourcentage|taux|part|proportion)",
        r"quel pourcentage",
        r"en pourcentage",
        r"en %",
        r"combien de %",
        r"\bpour ?cent\b",
        r"quelle part",
        r"quelle proportion",
        r"quel taux",
    ) or _has(
        en,
        r"what (percentage|share|proportion|rate|percent)",
        r"by what percentage",
        r"how much percent",
        r"what part of",
        r"\bin %",
    ):
        return "percent", "any"
    # "by how much did the number of jobseekers rise": a count, as « de combien le nombre … »
    if _has(en, r"\bhow much\b.*\bnumber of\b", r"\bnumber of\b.*\bhow much\b") and not _has(en, r"\b(euros?|money)\b"):
        return "count", "any"
    # money
    if _has(
        f,
        r"combien d'euros",
        r"quel(le)? (est |etait |a ete )?(le |la |l')?(montant|cout|budget|somme|enveloppe|dotation|prix)",
        r"combien (coute|a coute|coutait|a rapporte|rapporte)",
        # "combien la région a-t-elle versé", not "combien de projets ont été financés" (a count of projects)
        r"combien (?!de |d'|des )(?:\S+ )*?(verse|apporte|finance|investi|depense|alloue|attribue|coute)",
        r"en euros",
        r"\beuros\b",
        r"combien de (francs|millions|milliards)",
    ) or _has(
        en,
        r"how much (money|did|was|were|does|is)",
        r"what (amount|sum|budget|cost|price)",
        r"in euros",
        r"how many euros",
        r"how much",
    ):
        return "money", "any"
    # "de combien X a-t-il reculé": the measured noun tells
    if _has(f, r"\bde combien\b") and _has(f, _MONEY_WORDS):
        return "money", "any"
    # "à combien s'élève …", "combien de fois", "how many times": a figure of whatever the subject measures
    if (_has(f, r"\ba combien\b") or _has(en, r"\bwhat (is|was|were|are) the total\b")) and _has(f, _MONEY_WORDS):
        return "money", "any"
    if _has(f, r"\ba combien\b", r"\bcombien de fois\b") or _has(
        en,
        r"how many times",
        r"\bwhat ratio\b",
        r"\bto what (ratio|level)\b",
        r"\bwhat (is|was|were|are) the total\b",
        r"^\s*(?:\S+ ){0,6}?what (figure|value)\b",  # « quel chiffre », « quelle valeur »
    ):
        return "number", "any"
    # counts
    if _has(f, r"\bcombien\b", r"quel (est |etait )?le nombre", r"nombre de") or _has(en, r"how many", r"number of"):
        return "count", "any"
    # entities
    if _has(
        f, r"^qui\b", r"\bqui (est|etait|a |avait|sont|etaient|dirige|preside)", r"par qui", r"a qui", r"avec qui", r"de qui"
    ) or _has(en, r"^who\b", r"\bwho\b", r"\bwhom\b"):
        return "entity", "person"
    # "où en était le taux …" asks how far a measure stood, not for a place
    where_stood = _has(f, r"\bou en (est|etait|sont|etaient|etait-on|est-on)\b")
    if not where_stood and (
        _has(
            f,
            r"^ou\b",
            r"\bou (se |est|etait|a |sont|ont)",
            r"dans quelle (ville|region|commune|pays)",
            r"quel (pays|lieu|endroit)",
        )
        or _has(en, r"^where\b", r"in which (city|town|country|region)")
    ):
        return "entity", "place"
    m = re.search(r"\b(quel|quelle|quels|quelles|lequel|laquelle)\s+(\w[\w-]*)", f)
    if m:
        noun = m.group(2)
        if any(noun.startswith(n) for n in _MONEY_NOUNS):
            return "money", "any"
        if any(noun.startswith(n) for n in _PERCENT_NOUNS):
            return "percent", "any"
        if any(noun.startswith(n) for n in _DURATION_NOUNS):
            return "duration", "any"
        if any(noun.startswith(n) for n in _DATE_NOUNS):
            return "date", "any"
        if any(noun.startswith(n) for n in _COUNT_NOUNS):
            return "count", "any"  # "quelle quantité de …"
        if any(noun.startswith(n) for n in _NUMBER_NOUNS):
            return "number", "any"  # "quel seuil", "quel est le rapport"
        if any(noun.startswith(n) for n in _ENTITY_NOUNS):
            return "entity", "organisation"
        if noun in ("est", "etait", "sont", "etaient", "a", "ont", "fut"):
            rest = f[m.end() :]
            head = re.match(r"\s+(le |la |l'|les |un |une |son |sa |ses |leur |leurs )?(\w[\w-]*)", rest)
            if head:
                noun2 = head.group(2)
                if any(noun2.startswith(n) for n in _MONEY_NOUNS):
                    return "money", "any"
                if any(noun2.startswith(n) for n in _PERCENT_NOUNS):
                    return "percent", "any"
                if any(noun2.startswith(n) for n in _DURATION_NOUNS):
                    return "duration", "any"
                if any(noun2.startswith(n) for n in _DATE_NOUNS):
                    return "date", "any"
                if any(noun2.startswith(n) for n in _COUNT_NOUNS):
                    return "count", "any"
                if any(noun2.startswith(n) for n in _NUMBER_NOUNS):
                    return "number", "any"
                if any(noun2.startswith(n) for n in _ENTITY_NOUNS):
                    return "entity", "organisation"
    head_kind = _english_head_kind(f, en)
    if head_kind is not None:
        return head_kind, "any"
    if _has(
        en,
        r"^which\b",
        r"\bwhich (company|firm|consultancy|agency|body|organisation|organization|subcontractor|provider|minister|president|person|consultant|contractor|bank|city|town|country)",
        r"what (company|firm|consultancy|agency|body|organisation|organization)",
    ):
        return "entity", "organisation"
    if _has(f, r"\bqu'est-ce qui\b", r"\bquel(le)?s? \w+ (a|ont) (ete )?(retenu|choisi|designe|selectionne|nomme)"):
        return "entity", "organisation"
    # No interrogative told: the measured noun anywhere in a "what/quel" question does.
    if where_stood or _has(f, r"\b(quel|quelle|quels|quelles)\b") or _has(en, r"^what\b", r"\bwhat\b"):
        if _has(f, r"\b(proportion|pourcentage|taux|quote-part)\b", r"\bpart (de|des|du)\b"):
            return "percent", "any"
        if _has(
            f,
            r"\b(montant|cout|budget|somme|enveloppe|dotation|depenses?|recettes?|contribution|subvention|epargne|dette|endettement)\b",
        ):
            return "money", "any"
        if _has(f, r"\b(duree|delai)\b"):
            return "duration", "any"
        if _has(f, r"\bnombre\b"):
            return "count", "any"
    return "text", "any"


_EN_WHAT_IS = re.compile(
    r"^\s*(?:what|which) (?:is|was|were|are|has been|had been|will be|would be) (?:the |its |their |his |her )?"
)
"""An English « quel est le … » ("what was the …"): the noun that follows tells the kind."""


@lru_cache(maxsize=1)
def _head_qualifiers() -> frozenset[str]:
    """Folded qualifiers a translated head may begin with ("average salary" → "moyen moyenne salaire";
    assistant/lang/fr/head_qualifiers.txt)."""
    return frozenset(read_list("head_qualifiers"))


def _english_head_kind(f: str, en: str) -> ExpectedKind | None:
    """For "what was the NOUN …": the kind its French noun asks for (kind_nouns.tsv), as after « quel est le »."""
    if not _EN_WHAT_IS.match(en):
        return None
    skip = _head_qualifiers()
    noun = next((w for w in re.findall(r"[\w%][\w-]*", f) if w not in skip), None)
    if noun is None:
        return None
    for kind in ("money", "percent", "duration", "date", "count", "number"):
        if any(noun.startswith(n) for n in _KIND_NOUNS[kind]):
            return cast(ExpectedKind, kind)
    return None


def _qualifiers(f: str, en: str) -> list[WantedQualifier]:
    wanted: list[WantedQualifier] = []
    text = f + " " + en
    if _has(text, r"\bmoyen(ne)?s?\b", r"\baverage\b", r"\bmean\b", r"en moyenne"):
        wanted.append("moyenne")
    if _has(text, r"\bau total\b", r"\ben tout\b", r"\btotale?s?\b", r"\boverall\b", r"\bin total\b"):
        wanted.append("total")
    if _has(
        text,
        r"\bobjectif",
        r"\bcible\b",
        r"\bprevue?s?\b",
        r"\bvisee?s?\b",
        r"\btarget",
        r"\bgoal",
        r"\bplanned\b",
        r"\bexpected\b",
        r"\bfixee?s?\b",
        r"\bescompte",
    ):
        wanted.append("objectif")
    if _has(
        text,
        r"\brealise",
        r"\batteinte?s?\b",
        r"\beffecti(f|ve|vement)",
        r"\breellement\b",
        r"\bachieved\b",
        r"\bactual(ly)?\b",
        r"\bfinalement\b",
        r"\bin the end\b",
        r"\bfinally\b",
        r"\bresultat",
    ):
        wanted.append("réalisé")
    if _has(
        text,
        r"\binitia(l|le|lement|ux)\b",
        r"\bau depart\b",
        r"\binitially\b",
        r"\boriginal(ly)?\b",
        r"\bat first\b",
        r"\bbefore\b.*\b(made up|revised|reduced)",
    ):
        wanted.append("initial")
    if _has(
        text, r"\brevise", r"\bramene", r"\bporte a\b", r"\brevised\b", r"\breduced to\b", r"\braised to\b", r"\bnouvel objectif"
    ):
        wanted.append("révisé")
    return wanted


_CODE_RE = re.compile(r"(?<![\d.,])(\d{1,2}(?:\.\d{1,2}){1,3})(?!\d|[.,]\d|\s*%)")
"""A programme or action code ("7.4", "1.2.2"); a figure followed by % ("40.5 %") is no code."""


_SPLIT_COUNT = re.compile(
    r"\bcombien\b.*?-(?:t-)?(?:il|elle|ils|elles|on)\s+(?:\w+\s+)?(?:de\s+|d')(?!(?:la|le|les|l')\b)(\w[\w-]*)"
)
"""The counted noun after the inverted verb ("combien la ville compte-t-elle d'habitants ?", "combien y a-t-il de lignes ?")."""


def _english_counted(rest: str, extra_glossary: Path | None) -> str | None:
    """The French noun "how many [adjectives] NOUN" counts, folded ("how many metropolitan communes have" →
    "communes"): the first plural of the words before a function word (else the first word), read through
    the glossary; None when the glossary does not translate it (an English word is no French unit)."""
    words: list[str] = []
    for word in re.findall(r"[a-z][a-z-]*", rest)[:4]:
        if word in english_stop_words() or word in irregular_forms() or (len(word) > 4 and word.endswith("ed")):
            break  # the verb: "how many people gave / received …"
        words.append(word)
    if not words:
        return None
    noun = next((w for w in words if w.endswith("s") and not w.endswith("ss")), words[-1])
    entries = glossary(extra_glossary)
    found = _lookup([noun.replace("-", " ")], entries) or _lookup(noun.split("-"), entries)
    if not found:
        return None
    head = re.findall(r"[^\W\d_][\w-]*", fold(found[0]))
    return head[0] if head else None


def _unit_hint(f: str, en: str, extra_glossary: Path | None = None) -> str | None:
    m = re.search(r"combien\s+(?:de\s+|d')(\w[\w-]*)", f) or _SPLIT_COUNT.search(f)
    if m and m.group(1) not in ("temps", "fois") and not m.group(1).startswith("euro"):
        word = m.group(1)
        return _DURATION_UNITS.get(word, word)
    if m and m.group(1) == "fois":
        return "fois"
    m = re.search(r"\bhow many ([a-z-]+)", en)
    if m:
        word = m.group(1)
        if word in _DURATION_UNITS:
            return _DURATION_UNITS[word]
        return _english_counted(en[m.start(1) :], extra_glossary)
    m = re.search(r"\ben (jours|mois|semaines|annees|ans|heures)\b", f) or re.search(
        r"\bin (days|months|weeks|years|hours)\b", en
    )
    if m:
        return _DURATION_UNITS.get(m.group(1))
    return None


_DECADE_RE = re.compile(r"\bann[ée]es\s+([2-9]0)\b", re.IGNORECASE)
"""A decade named by two digits ("dans les années 30"): the one written "années 1930"."""


def _numbers(text: str, years: list[int], codes: list[str]) -> list[float]:
    from assistant.analysis.numbers import parse_number

    out = []
    decades = {m.start(1) for m in _DECADE_RE.finditer(text)}
    for m in re.finditer(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?|\d+(?:[.,]\d+)?)(?![\w.,]\d)", text):
        raw = m.group()
        if raw in codes or (raw.isdecimal() and len(raw) <= 4 and int(raw) in years) or m.start() in decades:
            continue
        value = parse_number(raw)
        if value is not None:
            out.append(value)
    return out


def _trend(f: str, en: str) -> Literal["up", "down"] | None:
    """A rise or a fall asked about ("a-t-il augmenté", "did … fall")."""
    if _has(f, r"\b(baiss|diminu|recul|chut|redui|perd|perte)") or _has(
        en, r"\b(fall|fell|decreas|declin|drop|reduc|shrank|lower)"
    ):
        return "down"
    if _has(f, r"\b(augment|hausse|progress|croiss|accru|accroi|gagn)") or _has(
        en, r"\b(rise|rose|increas|grew|grow|gain|higher)"
    ):
        return "up"
    return None


BIRTH_WORDS = lexicon().birth_words
"""Folded French words of a birth (as a regex alternation, from assistant/lang/fr/birth_words.txt)."""
DEATH_WORDS = lexicon().death_words
"""Folded French words of a death, violent ones included (assistant/lang/fr/death_words.txt)."""


def _asks_end(f: str, en: str) -> bool:
    """A question about an end ("quand est-il mort", "jusqu'à quand", "when did … end")."""
    return _has(
        # "mort" only as a verb: "la marche de la mort", "la peine de mort" name no end
        f,
        r"\b(deced|meurt|mourut|deces)",
        r"\b(est|sont|etait|fut|il|elle)\s+morte?s?\b",
        r"\bjusqu'(a|en) quand\b",
        r"\b(termin|achev|finit|finissent|prend fin|pris fin)",
        r"\b(s'arrete|s'est arrete|cess|disparai|disparu|ferme)",
    ) or _has(en, r"\b(die|died|death|end|ended|until when|finish|close|closed)\b")


def _asks_life(f: str, en: str) -> bool:
    """A question about a birth or a death ("quand est-il né", "année de naissance", "when did … die")."""
    return _has(
        # "né" alone would be the negation "ne": it must follow a verb or end the question
        f,
        r"\b(est|sont|etait|fut|il|elle|ils|elles)\s+nee?s?\b",
        r"\bnee?s?\s*(\?|$)",
        r"\b(naissance|naquit|nait)\b",
        rf"\b({DEATH_WORDS})\b",
    ) or _has(en, r"\b(born|birth|die|died|death)\b")


_ELIDED_NAME = re.compile(r"[dlDL]'[A-ZÀ-Ý]")
"""An elided article or preposition glued to a name (« d'Alsace », « l'État »)."""


def _names(question: str, lang: str) -> list[str]:
    """Capitalised words past the first one: places, bodies, people the question is about."""
    words = re.findall(r"[\w][\w'’-]*", question.translate(APOSTROPHES))
    entries = glossary(None)
    known = {w for key in entries for w in key.split()}
    names = []
    for i, word in enumerate(words):
        if i > 0 and _ELIDED_NAME.match(word):
            word = word[2:]  # « celui d'Alsace », « l'État »: the name after the elided article
        if i == 0 or not word[0].isupper() or word.isdigit():
            continue
        if lang == "en":
            word = re.sub(r"'s?$", "", word)  # "the Region's", "the Regions'": the name, not its possessive
        if lang == "en" and word.lower() in known:
            continue
        if len(word) < 2:
            continue
        names.append(word)
    return names


NEGATION = re.compile(r"\b(?:ne|n')\s*(?:\S+\s+){0,3}?(?:pas|jamais|aucun|aucune|point)\b")
"""A negated verb, on folded French text (« n'ont pas précisé »)."""
_NEGATION = NEGATION


def states_negation(text: str) -> bool:
    """True when `text` (a report's sentence or clause, any case, any apostrophe: « n’ont pas ») holds a negated verb."""
    return bool(NEGATION.search(fold(text).translate(APOSTROPHES)))


_NEGATION_EN = re.compile(r"\b(?:not|never|n't|no longer)\b")


_FOCUS = re.compile(
    r"^\s*(?:quel|quelle|quels|quelles)\s+(?:est|etait|sont|etaient|a ete|ont ete|fut)\s+(?:le |la |les |l')?([^\W\d_][\w-]{2,})"
)


def _focus(f: str) -> str | None:
    """The noun 'quel est le NOUN …' asks about, on the folded question (None when the form differs)."""
    m = _FOCUS.search(f)
    return m.group(1) if m else None


def _negated(f: str, en: str) -> bool:
    """True for a question about those who did not ("combien n'ont pas précisé …", "did not reply")."""
    return bool(_NEGATION.search(f) or (en and _NEGATION_EN.search(en)))


# --- typos ---------------------------------------------------------------------------

Vocabulary = Callable[[str], float]
"""A stem's idf in the index (0 when the index never uses it)."""

MIN_SCAFFOLD_TYPO_LENGTH = 6
"""Shorter words are not respelled into a question word or a kind noun (« comien » → « combien »)."""
INFLECTION_CUT = 4
"""A word whose first letters (all but up to this many) are an index stem is an inflection the stemmer
left whole (« comptent », « figurent »), not a typo."""
_ALPHABET = "abcdefghijklmnopqrstuvwxyz"


def edits1(word: str) -> set[str]:
    """Every string one edit from `word` (a letter dropped, doubled, swapped, replaced or added)."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = {a + b[1:] for a, b in splits if b}
    transposes = {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}
    replaces = {a + c + b[1:] for a, b in splits if b for c in _ALPHABET}
    inserts = {a + c + b for a, b in splits for c in _ALPHABET}
    return (deletes | transposes | replaces | inserts) - {word}


@lru_cache(maxsize=1)
def _scaffold_words() -> frozenset[str]:
    """Folded question words and kind nouns (assistant/lang/fr/question_words.txt, kind_nouns.tsv)."""
    words = set(read_list("question_words"))
    for nouns in _KIND_NOUNS.values():
        words.update(n for n in nouns if " " not in n)
    return frozenset(fold(w) for w in words)


def _inflects_known(word: str, idf: Vocabulary) -> bool:
    """Whether `word` (folded) is an index stem plus an ending of up to INFLECTION_CUT letters."""
    return inflection_root(word, lambda root: idf(root) > 0, INFLECTION_CUT) is not None


def respell(word: str, idf: Vocabulary) -> str | None:
    """The question word or kind noun a misspelt French word stands for, one edit away, or None
    (« comien » → « combien », « pourcentge » → « pourcentage »: the form of the question depends
    on it).  Only words of 6 letters or more that the index does not know, even as an inflection.
    Folded, lower-case.  (Search words are corrected against the index by retrieve.build_query.)
    """
    w = fold(word.lower())
    scaffold = _scaffold_words()
    if len(w) < MIN_SCAFFOLD_TYPO_LENGTH or not w.isalpha() or w in scaffold:
        return None
    stems = analyze(w)
    if not stems:
        return None  # a stop word
    if any(idf(s) > 0 for s in stems) or _inflects_known(w, idf) or any(w.startswith(n) for n in scaffold):
        return None  # a word the index knows, an inflection of one (« comptent »), a kind noun's inflection
    named = sorted(c for c in edits1(w) if c in scaffold)
    return named[0] if named else None


def correct_typos(text: str, idf: Vocabulary) -> tuple[str, dict[str, str]]:
    """`text` with its misspelt words respelled (:func:`respell`), and the corrections made.

    Names (capitalised words past the first) and words with digits are left as typed.
    """
    corrections: dict[str, str] = {}

    def fix(m: re.Match[str]) -> str:
        word = m.group()
        if m.start() > 0 and word[0].isupper():
            return word
        fixed = respell(word, idf)
        if fixed is None:
            return word
        corrections[word] = fixed
        return fixed

    return re.sub(r"(?<!\w)[^\W\d_]+(?!\w)", fix, text), corrections


_EN_GROUPED = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+)(?:\.(\d+))?(?![\d,]|\.\d)")
"""A number written the English way, its thousands grouped by commas ("200,000", "1,234.5")."""


def french_numerals(text: str) -> str:
    """`text` with its English comma-grouped numbers written the French way ("200,000" → "200 000",
    "1,234.5" → "1 234,5"): read as French, "200,000" would be two hundred."""

    def french(m: re.Match[str]) -> str:
        whole = m.group(1).replace(",", " ")
        return f"{whole},{m.group(2)}" if m.group(2) else whole

    return _EN_GROUPED.sub(french, text)


def understand(question: str, extra_glossary: Path | None = None, idf: Vocabulary | None = None) -> Intent:
    """Read a question into an :class:`Intent`; with the index's `idf`, a French question's misspelt
    words are read as the words they stand for (:func:`correct_typos`)."""
    lang = detect_language(question)
    normal = question.translate(APOSTROPHES)
    typos: dict[str, str] = {}
    if lang == "en":
        normal, typos = correct_english_typos(normal, extra_glossary)
    elif idf is not None:
        normal, typos = correct_typos(normal, idf)
    # English numbers grouped by commas ("200,000") are read the English way for the figures stated
    french = translate(french_numerals(normal), extra_glossary) if lang == "en" else normal
    f = fold(normal if lang == "fr" else french)
    en = fold(normal) if lang == "en" else ""
    kind, entity_type = _expected_kind(f, en)
    years = sorted({int(y) for y in YEAR_RE.findall(normal)} | {1900 + int(d) for d in _DECADE_RE.findall(normal)})
    codes = [c for c in _CODE_RE.findall(normal) if not YEAR_RE.fullmatch(c)]
    numbers = _numbers(french_numerals(normal) if lang == "en" else normal, years, codes)
    negated = _negated(f, en)
    names = _names(normal, lang)
    computation = read_operation(
        normal, lang, f, en, kind, years, lambda text: translate(text, extra_glossary), negated and bool(numbers), names
    )
    operation: Operation = "lookup"
    if computation is not None and computation.condition is None and computation.kind in get_args(Operation):
        # a complement, a portion, a sum over rows within a bound: a figure read unless their operands answer
        operation = cast(Operation, computation.kind)
    if operation in ("ratio", "share", "growth") or (computation is not None and computation.percent):
        kind = "percent"
    elif computation is not None and (computation.group or computation.kind == "average") and kind == "text":
        kind = "number"  # "l'aide totale des trois axes", "l'aide moyenne d'un bénéficiaire": a sum, an average is a figure
    # "qui est Maria Kirilenko ?", "qu'est-ce qu'un terminator ?", "what is ERDF?" — not "qui est le président ?"
    definition = bool(
        re.match(r"\s*(?i:qui|who) (?i:est|était|etait|is|was) [A-ZÀ-Ý]", normal)
        or _has(f, r"^qu'est[- ]ce qu", r"^c'est quoi")
        or _has(en, r"^what (is|was|are) (an? )?[\w-]+\??$")
    )
    if definition and kind == "entity":
        kind = "text"  # "qui est X ?" asks what X is, not for another name
    return Intent(
        question=question,
        lang=lang,
        french=french,
        kind=kind,
        operation=operation,
        qualifiers=_qualifiers(f, en),
        unit_hint=_unit_hint(f, en, extra_glossary),
        years=years,
        codes=codes,
        numbers=numbers,
        names=names,
        trend=_trend(f, en),
        definition=definition,
        asks_end=kind == "date" and _asks_end(f, en),
        asks_life=kind == "date" and _asks_life(f, en),
        entity_type=entity_type,
        ratio_parts=computation.ratio_parts if computation else None,
        items=computation.items if computation else [],
        negated=negated,
        focus=_focus(f),
        group=computation.group if computation else None,
        computation=computation,
        typos=typos,
    )
