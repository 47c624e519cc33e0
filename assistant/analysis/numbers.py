"""The French number parser: every figure of a text, typed and normalised.

:func:`find_figures` reads the figures of French reports, in digits or in words:

- amounts: ``98 541,50 €`` (space, no-break U+00A0 and narrow no-break U+202F
  thousands separators, comma decimals), ``358 234,87€``, ``1,2 milliard d'euros``,
  ``12,7 Md€``, ``2,5 M€``, ``15 k€``, ``1.188 milliard`` (a dot decimal before a
  scale word), ``90.4 euros``; francs stay francs (``96 MF`` → unit ``FRF``);
  a scale word without a currency (``12,7 milliards``) is kind ``other`` unless an
  earlier amount of the same sentence names the currency (``12,3 milliards de
  francs, dont 6,3 milliards pour l'Etat``);
- percents (``59,26 %`` → 59.26), ratios (``17 sur 27``, ``un projet sur deux``,
  ``deux tiers``), counts, number words (``dix-sept``, ``vingt et un``, read with
  text2num), approximate counts (``une dizaine`` → 10, approximate), ordinals
  (``1er``, ``troisième`` → kind ``rank``);
- dates (``janvier 2007``, ``fin 2006``, ``6 février 2007``, ``2007-2013``,
  ``31/03/2000``) whose value is the year, with ``date_text`` in ISO form;
- durations (``12 jours``, ``4 mois``, ``2 ans``), staff counts (``1,5 équivalent
  temps plein`` → count in ``ETP``) and ranges (``entre 10 et 15``, ``de 10 à 20``);
- the words around a figure that bound it: ``environ``/``près de`` (approximate),
  ``plus de``/``au moins`` (minimum), ``moins de``/``jusqu'à`` (maximum).

Numbers that are not figures are skipped: codes (``7.2.2``, ``action 7.3``,
``n°7.7``, ``article 4``, ``4-6-2``), phone numbers, page counters (``2/17``,
pagination lines), list numbering (``1)``, ``1.`` at a line start), column or
note numbers (``(4)``), times of day, identifiers glued to letters (``MP3``).
:func:`find_codes` returns the programme/action codes for the scope of facts.

Everything here is pure and regex-based: no spaCy (the fact extractor in
``assistant.facts`` refines counts with the parse).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache

from assistant.models import FactKind

__all__ = ["Code", "Figure", "find_codes", "find_figures", "parse_number"]

_SP = "[ \u00a0\u202f\u2009]"
"""One space of any of the three widths found between a number and its unit."""

_APOS = "['’]"

# Fast scans --------------------------------------------------------------------
#
# Python's regex engine skips ahead in C only when a pattern starts with a
# character it must consume (a literal or a character class); a pattern that
# starts with a lookbehind, an optional group or a case-insensitive letter is
# tried at every one of a report's 100,000 positions, a Python-speed call each
# (a sixth of the whole indexing CPU went on the full-text passes below).  So
# the patterns scanned over whole documents start with the class of their first
# character, and what the slow form checked first is checked just after it, the
# same way: ``(?<![\w])\d+`` becomes ``\d(?<!\w\d)\d*`` (a digit not after a
# word character), and a case-insensitive word list becomes :func:`_led` (each
# word's first letter consumed by a case-sensitive class, then re-read by a
# case-insensitive lookbehind).  The matches, spans and groups are the same.

_LEAD_WIDE = "\u0080-\U0010ffff"
"""Every non-ASCII character: in a lead class, a safe superset of whatever a case-insensitive letter matches
beyond its two ASCII cases (``ſ`` for s, the Kelvin sign for k, accented capitals)."""


def _split_lead(word: str) -> tuple[str, str]:
    """(first character, or ``\\d``; the rest) of a regex fragment that starts with a letter or ``\\d``."""
    if word.startswith("\\d"):
        return "\\d", word[2:]
    assert word[0].isalpha(), word
    return word[0], word[1:]


def _lead_class(words: list[str]) -> str:
    """The character class of the first characters of `words` (regex fragments, see :func:`_led`), both cases."""
    leads = set()
    for word in words:
        first, _rest = _split_lead(word)
        if first == "\\d" or first.isascii():
            leads.add(first if first == "\\d" else first.lower() + first.upper())
    return f"[{''.join(sorted(leads))}{_LEAD_WIDE}]"


def _tails(words: list[str]) -> str:
    """``(?<=w1[0])w1[1:]|…``: `words` after their first character, each re-reading it (case-insensitively
    inside ``(?i:…)``)."""
    return "|".join(f"(?<={first}){rest}" for first, rest in map(_split_lead, words))


def _led(words: list[str], behind: str = "") -> str:
    """A pattern for ``(?<!behind)(?i:w1|w2|…)`` (`words`: regex fragments without a top-level ``|``, each
    starting with a letter or ``\\d``) that starts with a character class, so that the engine skips in C
    to its candidates."""
    check = f"(?<!{behind}.)" if behind else ""  # the first character is consumed: look one further back
    return f"{_lead_class(words)}{check}(?i:{_tails(words)})"


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure found in a text, with its span and normalised value."""

    start: int
    """Start offset of the figure in the text."""
    end: int
    """End offset (exclusive) of the figure in the text."""
    raw: str
    """The figure exactly as written (``text[start:end]``)."""
    value: float
    """Normalised value: euros for money, percent points, the year for a date."""
    kind: FactKind
    """count, money, percent, duration, date, ratio, rank or other."""
    unit: str | None = None
    """EUR, FRF, %, jour, mois, an, ETP… ; None for a bare count (its noun comes from the parse)."""
    denominator: float | None = None
    """For ratios: the whole (``17 sur 27`` → 27)."""
    range_high: float | None = None
    """For ranges: the upper bound; ``value`` holds the lower one."""
    date_text: str | None = None
    """For dates: ISO text (``2007``, ``2007-01``, ``2007-02-06``, ``2007/2013``)."""
    approx: bool = False
    """Marked approximate (environ, près de, une dizaine…)."""
    minimum: bool = False
    """Marked as a lower bound (plus de, au moins…)."""
    maximum: bool = False
    """Marked as an upper bound (moins de, au plus, jusqu'à…)."""
    words: bool = False
    """Written in words (``dix-sept``) rather than digits."""
    scaled: bool = False
    """Carries a scale word (million, milliard, Md, k…)."""
    bare: bool = False
    """No unit of its own: the counted noun, if any, follows in the text."""


@dataclass(frozen=True, slots=True)
class Code:
    """A programme/action/article code found in a text (not a figure)."""

    start: int
    """Start offset of the code number."""
    end: int
    """End offset of the code number."""
    code: str
    """The code as written (``7.2.2``), or keyword and number for a plain integer (``axe 5``)."""
    keyword: str
    """The keyword before it, lower-cased (``action``, ``article``…), '' when none."""


# ---------------------------------------------------------------------------
# parse_number


_GROUPED_RE = re.compile(r"[+\-−]?\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?")
_DOT_GROUPED_RE = re.compile(r"[+\-−]?\d{1,3}(?:\.\d{3})+(?:,\d+)?")
_PLAIN_RE = re.compile(r"[+\-−]?\d+(?:[.,]\d+)?")


def parse_number(token: str) -> float | None:
    """A French-formatted number as a float, or None when `token` is not one.

    ``98 541,50`` (any of the three space widths) → 98541.5; ``12,7`` → 12.7;
    ``1.234.567`` or ``1.234,5`` (dot thousands) → 1234567.0, 1234.5;
    ``90.4`` (a dot decimal) → 90.4; a sign is kept. Codes such as ``7.2.2``,
    words and empty strings give None. A lone ``1.234`` reads as a thousand
    (French writes decimals with a comma): callers with a scale word after it
    (``1.188 milliard``) handle that case themselves.
    """
    if not isinstance(token, str):
        return None
    s = token.strip()
    if not s or len(s) > 64:
        return None
    if _GROUPED_RE.fullmatch(s):
        s = re.sub(r"[ \u00a0\u202f\u2009]", "", s)
    elif _DOT_GROUPED_RE.fullmatch(s) and not (s.count(".") == 1 and "," not in s and len(s.split(".")[1]) != 3):
        s = s.replace(".", "")
    elif not _PLAIN_RE.fullmatch(s):
        return None
    s = s.replace("−", "-").replace(",", ".")
    try:
        value = float(s)
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


# ---------------------------------------------------------------------------
# vocabularies

_MONTHS = {
    "janvier": 1,
    "janv": 1,
    "février": 2,
    "fevrier": 2,
    "févr": 2,
    "fév": 2,
    "fevr": 2,
    "mars": 3,
    "avril": 4,
    "avr": 4,
    "mai": 5,
    "juin": 6,
    "juillet": 7,
    "juil": 7,
    "août": 8,
    "aout": 8,
    "septembre": 9,
    "sept": 9,
    "octobre": 10,
    "oct": 10,
    "novembre": 11,
    "nov": 11,
    "décembre": 12,
    "decembre": 12,
    "déc": 12,
    "dec": 12,
}
_MONTH_WORDS = (
    r"janvier|f[ée]vrier|mars|avril|mai|juin|juillet|ao[uû]t|septembre|octobre|novembre|d[ée]cembre"
    r"|janv\.|f[ée]vr?\.|avr\.|juil\.|sept\.|oct\.|nov\.|d[ée]c\."
).split("|")
_MONTH_RE = f"(?:{'|'.join(_MONTH_WORDS)})"
_MONTH_LED = _led(_MONTH_WORDS, behind=r"\w")
"""A month at the start of a word (case-insensitive), as the lead of a full-text scan (:func:`_led`)."""
_YEAR = r"(?:1[0-9]{3}|20[0-9]{2}|2100)"
_PERIOD_LED = _led("fin|début|debut|mi|courant|milieu|printemps|été|automne|hiver".split("|"), behind=r"\w")
"""A part of a year (``fin``, ``mi``, ``printemps``) starting a word, before a year: ``fin 2006``."""

_NUMBER_WORDS = (
    "zéro|zero|une|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|"
    "quinze|seize|vingts|vingt|trente|quarante|cinquante|soixante|cents|cent|mille|millions|million|"
    "milliards|milliard"
)
_NW = rf"(?:{_NUMBER_WORDS})"
_WORDS_RE = re.compile(
    _led(_NUMBER_WORDS.split("|"), behind=r"[\w\-’']") + rf"(?i:(?:(?:-et-|{_SP}+et{_SP}+|-|{_SP}+){_NW})*(?![\w\-]))"
)
"""Number words (``vingt et un``) not inside a word."""

# "une dizaine" and the like: text2num reads the number word of the stem.
_APPROX_NOUNS = {
    "dizaine": "dix",
    "douzaine": "douze",
    "quinzaine": "quinze",
    "vingtaine": "vingt",
    "trentaine": "trente",
    "quarantaine": "quarante",
    "cinquantaine": "cinquante",
    "soixantaine": "soixante",
    "centaine": "cent",
    "millier": "mille",
}
_APPROX_RE = re.compile(
    # not led by its first character (see "Fast scans"): nearly every letter leads it, it was no faster
    rf"(?<![\w])(?:(?P<det>une|la|un)|(?P<mult>\d+|{_NW})){_SP}+(?:(?:petite|bonne){_SP}+)?"
    r"(?P<noun>dizaine|douzaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|"
    rf"centaine|millier)s?(?=\s+(?:de|d{_APOS}|des)\b|\s*$|\s*[,.;)])",
    re.IGNORECASE,
)
_FRACTION_NUMERATORS = ["un", "une", "deux", "trois", f"les{_SP}+deux", f"les{_SP}+trois"]
_FRACTION_RE = re.compile(
    # (?<![\w\-])(?:la moitié|(?:un|une|…)[ -]+(?:tiers|quarts?)) led by its first character (see "Fast
    # scans"); the numerator is text[m.start() : m.end("num_tail")] when "half" did not match
    _lead_class(["la", *_FRACTION_NUMERATORS])
    + rf"(?<![\w\-].)(?i:(?:(?P<half>{_tails(['la' + _SP + '+moitié'])})|(?P<num_tail>{_tails(_FRACTION_NUMERATORS)})"
    rf"[{_SP[1:-1]}\-]+(?P<den>tiers|quarts?))(?![\w\-]))",
)
_ORDINAL_WORD_RE = re.compile(
    r"(?<![\w\-])(?P<w>premi(?:er|ère|ers|ères)|seconde?s?|(?:[^\W\d_]+-(?:et-)?)*[^\W\d_]+ièmes?)(?![\w\-])", re.IGNORECASE
)
_ORDINAL_FIXED_RE = re.compile(r"\s+(?:ministre|secrétaire|dame|lieu|plan|abord|secours|degré|ordre)\b", re.IGNORECASE)
"""Fixed expressions in which an ordinal word names no rank (premier ministre, en premier lieu…)."""

# Currencies, scales and units ------------------------------------------------

_CURRENCY_WORDS = [
    (rf"francs?{_SP}+suisses|CHF", "CHF"),
    (rf"francs?{_SP}+CFA|FCFA", "XOF"),
    (r"euros?|€|EUR(?![A-Za-z])", "EUR"),
    (r"francs?|FF(?![A-Za-z])", "FRF"),
    (r"dollars?|US\$|\$|USD(?![A-Za-z])", "USD"),
    (rf"livres?{_SP}+sterling|£|GBP(?![A-Za-z])", "GBP"),
    (r"yens?|¥|JPY(?![A-Za-z])", "JPY"),
]
_CURRENCY_RE = "|".join(f"(?P<c{i}>{p})" for i, (p, _u) in enumerate(_CURRENCY_WORDS))

# compact forms: 12,7 Md€, 2,5 M€, 15 k€, 96 MF, 14,64 MEuros
_COMPACT_RE = re.compile(
    r"(?P<scale>Mds?|Mrds?|Md|M|[kK])"
    + rf"{_SP}?"
    + rf"(?:(?P<eur>€|EUR(?![A-Za-z])|[Ee]uros?|d{_APOS}{_SP}?(?:€|euros?))|(?P<frf>F(?:F)?(?![A-Za-z])))"
)
_SCALE_WORD_RE = re.compile(r"(?P<scale>milliards?|millions?|milliers?|mille)(?![\w])", re.IGNORECASE)
_CURRENCY_AFTER_RE = re.compile(rf"{_SP}*(?:d{_APOS}{_SP}*|de{_SP}+)?(?:{_CURRENCY_RE})(?![\w])", re.IGNORECASE)
_PREFIX_CURRENCIES = {"€": "EUR", "EUR": "EUR", "US$": "USD", "$": "USD", "USD": "USD", "£": "GBP", "GBP": "GBP"}
"""Currencies that may stand before their amount → unit."""
_CURRENCY_BEFORE_RE = re.compile(rf"(?<![\w€$£])(?P<cur>€|US\$|\$|£|EUR|USD|GBP){_SP}?$")
"""A currency written before its amount (« €15.000 », « EUR 12 000 »); the amount follows at once."""
_COMMA_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
"""« 50,000 »: thousands grouped by commas (after a currency written first)."""
_DURATIONS = [
    (r"jours?", "jour"),
    (r"semaines?", "semaine"),
    (r"mois", "mois"),
    (r"ans|an", "an"),
    (r"années?", "an"),
    (r"heures?", "heure"),
    (r"minutes?", "minute"),
    (r"secondes?", "seconde"),
    (r"trimestres?", "trimestre"),
    (r"semestres?", "semestre"),
    (r"décennies?", "décennie"),
    (r"siècles?", "siècle"),
    (rf"ETP|EQTP|équivalents?{_SP}+temps{_SP}+pleins?|équivalents?-temps-pleins?", "ETP"),
]
_DURATION_RE = re.compile(
    rf"{_SP}?(?:" + "|".join(f"(?P<d{i}>{p})" for i, (p, _u) in enumerate(_DURATIONS)) + r")(?![\w])",
    re.IGNORECASE,
)


@lru_cache(maxsize=1)
def _time_adjective_re() -> re.Pattern[str]:
    """An adjective between a figure and its unit of time (« 6 prochaines années »; assistant/lang/fr/time_adjectives.txt)."""
    from assistant.lang import read_list

    words = sorted(read_list("time_adjectives"), key=len, reverse=True)
    return re.compile(rf"{_SP}?(?:{'|'.join(map(re.escape, words))})(?=[ \u00a0\u202f\u2009])", re.IGNORECASE)


_PERCENT_RE = re.compile(rf"{_SP}?(?:%|pour{_SP}?cent(?![\w])|p\.{_SP}?100(?!\d))|{_SP}?points?{_SP}+de{_SP}+pourcentage")
_MEASURE_RE = re.compile(
    rf"{_SP}?(?P<u>km²|km2|m²|m2|m³|m3|km/h|kg/ha|t/ha|km|kg|mg|ha|hectares?|tonnes?|kWh|MWh|GWh|TWh|kW|MW|GW|"
    r"°C|°F|Mo|Go|To|Ko|Mb|Gb|Kb|Mbit/s|Gbit/s|mm|cm|m|litres?|hl|l)(?![\w/'’])"
)
"""A unit after a figure (not a letter eliding the next word: "en 1960 l'usine")."""
_UNIT_NORMAL = {
    "hectare": "ha",
    "hectares": "ha",
    "tonne": "t",
    "tonnes": "t",
    "litre": "l",
    "litres": "l",
    "km2": "km²",
    "m2": "m²",
    "m3": "m³",
}

_APPROX_BEFORE = re.compile(
    rf"(?:environ|près{_SP}+d{_APOS}|près{_SP}+de|presque|quasi(?:ment)?|à{_SP}+peu{_SP}+près|"
    rf"autour{_SP}+d{_APOS}|autour{_SP}+de|de{_SP}+l{_APOS}ordre{_SP}+d{_APOS}|de{_SP}+l{_APOS}ordre{_SP}+de|"
    rf"quelque|approximativement|env\.|plus{_SP}+ou{_SP}+moins|~|≈)\s*$",
    re.IGNORECASE,
)
_MIN_BEFORE = re.compile(
    rf"(?:(?<!au )plus{_SP}+d{_APOS}|(?<!au )plus{_SP}+de|au{_SP}+moins|au{_SP}+minimum|minimum|"
    rf"pas{_SP}+moins{_SP}+d{_APOS}|pas{_SP}+moins{_SP}+de|supérieure?s?{_SP}+à|au[\-{_SP[1:-1]}]delà{_SP}+d{_APOS}|"
    rf"au[\-{_SP[1:-1]}]delà{_SP}+de|>|≥)\s*$",
    re.IGNORECASE,
)
_MAX_BEFORE = re.compile(
    rf"(?:(?<!pas )moins{_SP}+d{_APOS}|(?<!pas )moins{_SP}+de|au{_SP}+plus|au{_SP}+maximum|maximum|"
    rf"jusqu{_APOS}{_SP}?à|jusqu{_APOS}{_SP}?au|inférieure?s?{_SP}+à|pas{_SP}+plus{_SP}+d{_APOS}|pas{_SP}+plus{_SP}+de|"
    r"<|≤)\s*$",
    re.IGNORECASE,
)
_ANY_BEFORE = re.compile("|".join(f"(?:{p.pattern})" for p in (_APPROX_BEFORE, _MIN_BEFORE, _MAX_BEFORE)), re.IGNORECASE)
"""Matches where one of the three does (a search finds a position where one of them matches)."""
_QUAL_AFTER = re.compile(
    rf"^{_SP}*(?:,{_SP}*)?(?P<q>environ|au{_SP}+moins|au{_SP}+minimum|au{_SP}+plus|au{_SP}+maximum|minimum|maximum)(?![\w])",
    re.IGNORECASE,
)

_CODE_KEYWORDS = (
    r"actions?|mesures?|sous-mesures?|axes?|articles?|art\.|annexes?|chapitres?|sections?|volets?|objectifs?|"
    r"priorités?|pages?|p\.|pp\.|alinéas?|paragraphes?|§|titres?|livres?|tomes?|parties?|fiches?|lots?|tranches?|"
    r"phases?|étapes?|versions?|décrets?|lois?|règlements?|arrêtés?|circulaires?|délibérations?|programmes?|"
    r"dispositifs?|points?|numéros?|n°|no\.?|nº|N°|#"
)
_KEYWORD_BEFORE = re.compile(rf"(?<![\w])(?P<kw>{_CODE_KEYWORDS}){_SP}*(?:(?:n°|no\.?|nº){_SP}*)?$", re.IGNORECASE)
_SCOPE_KEYWORDS = frozenset(
    {
        "action",
        "actions",
        "mesure",
        "mesures",
        "sous-mesure",
        "sous-mesures",
        "axe",
        "axes",
        "volet",
        "volets",
        "objectif",
        "objectifs",
        "priorité",
        "priorités",
        "programme",
        "programmes",
        "dispositif",
        "dispositifs",
        "",
    }
)
"""Keywords whose code belongs in the scope of a fact (programme/action codes)."""

_FUNCTION_WORDS = frozenset(
    "et ou à au aux de des du d la le les l en un une sur par pour dans avec sans sous vers chez entre contre "
    "puis mais donc car ni que qui dont où se ce ces cet cette son sa ses leur leurs soit dès depuis après avant "
    "alors ainsi aussi plus moins très pas ne n y il elle ils elles on nous vous est sont était étaient a ont "
    "avait avaient fut sera seront été".split()
)

_BLOCK_PATTERNS = [
    # URLs and e-mail addresses; an address starts where its token does, so that a long token
    # without "@" is scanned once, not once per character (linear time)
    re.compile(r"(?:https?://|www\.)\S+|(?<![^\s@])[^\s@]+@[^\s@]+\.\w+"),
    # (the digit-led patterns start with the class of their first character: see "Fast scans")
    re.compile(r"[+0](?<![\d\w][+0])(?:(?<=\+)33\s?|(?<=0))[1-9](?:[\s.\-]?\d{2}){4}(?!\d)"),  # phone numbers
    re.compile(r"\d(?<![\d\w]\d)(?:\d?\s?h\s?\d{2}(?!\d)|\d?:\d{2}(?::\d{2})?(?!\d))"),  # times of day
    # pagination ("1 2 3 … 12"), not a number grouped by thousands alone on its line ("4 566 291")
    re.compile(
        r"(?m)^[^\S\n]*(?!\d{1,3}(?:[^\S\n]\d{3})+[^\S\n]*$)(?:\d{1,3}(?:[^\S\n]+|[^\S\n]*(?:\.\.\.|…)[^\S\n]*)){2,}\d{1,3}[^\S\n]*$"
    ),
    re.compile(r"(?m)^[^\S\n]*(?:(?:\d{1,2}|[a-zA-Z]|[IVXLC]+)[.)][^\S\n]+)+"),  # list numbering at a line start
    re.compile(r"(?m)^[^\S\n]*\(\d{1,2}\)[^\S\n]"),  # (1) at a line start
    re.compile(r"\(\s*\d{1,2}\s*\)"),  # column or note numbers: (4)
    re.compile(r"\d(?<!\d\d)\d*\s*\(\s*\*\s*\)"),  # footnote calls: 12 ( * ) (from a run's first digit: linear)
    re.compile(r"\d(?<![\w\d/.]\d)\d{0,3}\s*/\s*\d{1,4}(?![\d/.])"),  # page counters 2/17, fractions n/m
    re.compile(r"#\d+"),
]

_ADDRESS_MARKS = ("://", "www.", "@")
"""One of these stands in every URL or e-mail address the first of :data:`_BLOCK_PATTERNS` matches."""


def _lines_finditer(
    pattern: re.Pattern[str], text: str, marks: tuple[str, ...], find_in: str | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)``, tried only on the lines that hold one of `marks`.

    Valid for a pattern whose every match holds one of `marks` and no newline, and looks neither
    behind its start nor past its end except through lookbehinds (which see before ``pos``) and
    ``\\S``/``\\w`` runs a newline stops: the first of :data:`_BLOCK_PATTERNS` (URLs, e-mail
    addresses), which otherwise tries every position of a report.  For a case-insensitive pattern,
    `marks` (lower case) are looked for in `find_in`, :func:`_lowered` of `text`; the full scan when
    its offsets would not agree with the text's.
    """
    find_in = text if find_in is None else find_in
    if len(find_in) != len(text):
        yield from pattern.finditer(text)
        return
    lines: set[int] = set()
    for mark in marks:
        at = find_in.find(mark)
        while at >= 0:
            lines.add(text.rfind("\n", 0, at) + 1)
            end = text.find("\n", at)
            at = find_in.find(mark, end) if end >= 0 else -1
    for start in sorted(lines):
        end = text.find("\n", start)
        yield from pattern.finditer(text, start, len(text) if end < 0 else end)


_FOLD_FIXES = (("ı", "i"), ("ſ", "s"), ("\u0307", ""))
"""After ``str.lower``: the characters a case-insensitive pattern matches with ``i`` and ``s`` that lower-case
to something else (``ı``, ``ſ``; ``İ`` lower-cases to ``i`` and a combining dot)."""


def _lowered(text: str) -> str:
    """`text` lower-cased so that a word a case-insensitive pattern matches is a plain substring of it.

    Among ASCII letters and ``è`` only ``i`` and ``s`` match other characters than their two cases
    (``İ ı`` and ``ſ``); they are mapped here.  Offsets agree with `text` when the lengths are equal.
    """
    low = text.lower()
    for old, new in _FOLD_FIXES:
        if old in low:
            low = low.replace(old, new)
    return low


_SENTENCE_BREAK_RE = re.compile(r"[.!?;](?:\s|$)|\n")


# ---------------------------------------------------------------------------
# helpers


@lru_cache(maxsize=4096)
def _words_value(phrase: str) -> float | None:
    """text2num on a French number-word phrase, or None."""
    from text_to_num import text2num  # pure Python, light

    try:
        return float(text2num(phrase.lower().replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " "), "fr"))
    except (ValueError, IndexError, KeyError, TypeError):
        return None


@lru_cache(maxsize=1024)
def _ordinal_value(word: str) -> int | None:
    """Rank of an ordinal word (premier → 1, troisième → 3), via text2num's alpha2digit."""
    w = word.lower()
    if w.startswith("premi"):
        return 1
    if w.startswith("second"):
        return 2
    from text_to_num import alpha2digit

    try:
        out = alpha2digit(w, "fr")
    except (ValueError, IndexError, KeyError, TypeError):
        return None
    m = re.fullmatch(r"(\d+)(?:ème|e|èmes|es)", out.strip())
    if m:
        return int(m.group(1))
    # alpha2digit leaves some alone (deuxième): read the cardinal stem with text2num
    stem = re.sub(r"ièmes?$", "", w)
    if stem == w:
        return None
    stem = re.sub(r"cinqu$", "cinq", re.sub(r"neuv$", "neuf", stem))
    for cand in (stem, stem + "e"):
        v = _words_value(cand.replace("-", " "))
        if v is not None and v == int(v) and v > 0:
            return int(v)
    return None


class _Taken:
    """Spans already read, so that a later pass does not read them twice."""

    def __init__(self, size: int) -> None:
        self.marks = bytearray(size + 1)

    def free(self, start: int, end: int) -> bool:
        return not any(self.marks[start:end])

    def take(self, start: int, end: int) -> None:
        self.marks[start:end] = b"\x01" * (end - start)


def _line_start(text: str, pos: int) -> bool:
    """True when only spaces stand between the previous newline and `pos`."""
    i = pos - 1
    while i >= 0 and text[i] in " \t\u00a0\u202f\u2009":
        i -= 1
    return i < 0 or text[i] == "\n"


def _next_word(text: str, pos: int) -> str:
    m = re.match(r"[ \u00a0\u202f\u2009]*([^\W\d_][\w\-’']*)", text[pos : pos + 60])
    return m.group(1) if m else ""


def _year_ok(y: float) -> bool:
    return 1000 <= y <= 2100 and y == int(y)


# ---------------------------------------------------------------------------
# units after a number


@dataclass(slots=True)
class _Unit:
    end: int
    kind: FactKind
    unit: str | None
    mult: float = 1.0
    scaled: bool = False


def _unit_at(text: str, pos: int, *, allow_scale: bool = True) -> _Unit | None:
    """The unit written right after a number ending at `pos`, if any."""
    seg = text[pos : pos + 80]
    # compact money (12,7 Md€, 96 MF, 15 k€)
    m = re.match(rf"{_SP}?", seg)
    off = m.end() if m else 0
    if allow_scale:
        m = _COMPACT_RE.match(seg, off)
        if m and not re.match(r"[\w]", seg[m.end() : m.end() + 1] or " "):
            sc = m.group("scale")
            mult = 1e9 if sc.lower().startswith(("md", "mrd")) else 1e6 if sc == "M" else 1e3
            unit = "EUR" if m.group("eur") else "FRF"
            return _Unit(pos + m.end(), "money", unit, mult, True)
        m = _SCALE_WORD_RE.match(seg, off)
        if m and off <= 1:
            word = m.group("scale").lower()
            mult = 1e9 if word.startswith("milliard") else 1e6 if word.startswith("million") else 1e3
            end = m.end()
            c = _CURRENCY_AFTER_RE.match(seg, end)
            if c:
                return _Unit(pos + c.end(), "money", _currency_of(c), mult, True)
            return _Unit(pos + end, "other", None, mult, True)
    m = re.match(rf"{_SP}?(?:{_CURRENCY_RE})(?![\w])", seg, re.IGNORECASE)
    if m and not (m.group(0).strip().lower() == "f"):
        return _Unit(pos + m.end(), "money", _currency_of(m), 1.0)
    m = _PERCENT_RE.match(seg)
    if m:
        unit = "point" if "point" in m.group(0) else "%"
        return _Unit(pos + m.end(), "percent", unit)
    m = _DURATION_RE.match(seg)
    adjective = None if m else _time_adjective_re().match(seg)
    if adjective:
        # « les 6 prochaines années »: a length of time, the adjective between
        m = _DURATION_RE.match(seg, adjective.end())
        if m and m.group(f"d{len(_DURATIONS) - 1}"):
            m = None  # « 3 premiers ETP » counts staff, read as before
    if m:
        for i, (_p, u) in enumerate(_DURATIONS):
            if m.group(f"d{i}"):
                # A full-time equivalent counts staff, not time.
                return _Unit(pos + m.end(), "count" if u == "ETP" else "duration", u)
    m = _MEASURE_RE.match(seg)
    if m:
        u = m.group("u")
        return _Unit(pos + m.end(), "other", _UNIT_NORMAL.get(u.lower(), u))
    return None


def _currency_of(m: re.Match[str]) -> str:
    for i, (_p, unit) in enumerate(_CURRENCY_WORDS):
        if m.group(f"c{i}"):
            return unit
    return "EUR"


# ---------------------------------------------------------------------------
# the passes


_DIGITS_RE = re.compile(r"\d(?:(?P<grp>\d{0,2}(?:[ \u00a0\u202f\u2009]\d{3})+(?:,\d+)?(?![\d]))|\d*(?:[.,]\d+)*)")
"""A run of digits: grouped by thousands (group "grp") or plain, with its decimals (led by a digit: "Fast scans")."""
_ORD_SUFFIX_RE = re.compile(r"(?:ères|ère|ers|er|re|èmes|ème|emes|eme|ès|è|ndes|nde|nds|nd|es|e)(?![\w])")
_BC_RE = re.compile(rf"{_SP}*(?:av\.|avant){_SP}*J\.?{_SP}?-?{_SP}?C\.?|{_SP}*(?:av\.|avant){_SP}+notre{_SP}+ère", re.IGNORECASE)
_AD_RE = re.compile(rf"{_SP}*(?:apr\.|après){_SP}*J\.?{_SP}?-?{_SP}?C\.?", re.IGNORECASE)


def _block_pass(text: str, taken: _Taken, codes: list[Code]) -> None:
    """Mark the spans that hold numbers which are not figures; collect codes."""
    for m in _lines_finditer(_BLOCK_PATTERNS[0], text, _ADDRESS_MARKS):
        taken.take(m.start(), m.end())
    for pattern in _BLOCK_PATTERNS[1:]:
        for m in pattern.finditer(text):
            taken.take(m.start(), m.end())
    # dotted and hyphenated codes: 7.2.2, 10.5.3, 4-6-2, 2-1-, n°7.7, article 31-2
    for m in re.finditer(
        r"\d(?:(?<![\w.,]\d)\d*(?:\.\d+){2,}(?![\d]|\.\d)|(?<![\w\-]\d)\d*(?:-\d+){2,}-?(?![\d])|(?<![\w\-]\d)\d*-\d+-(?![\d]))",
        text,
    ):
        if re.fullmatch(r"\d{1,2}\.\d{1,2}\.\d{4}|\d{1,3}(?:\.\d{3})+", m.group()):
            continue  # a date or dot thousands, read later
        if taken.free(m.start(), m.end()):
            codes.append(Code(m.start(), m.end(), m.group().rstrip("-"), _keyword_before(text, m.start()) or ""))
            taken.take(m.start(), m.end())
    # keyword + number: action 7.3, article 4, axe 5, objectifs 1 et 2, N° 337
    for m in re.finditer(r"\d(?<!\w\d)\d*(?:[.\-]\d+)*(?![\d])", text):
        if not taken.free(m.start(), m.end()):
            continue
        kw = _keyword_before(text, m.start())
        if kw is None:
            continue
        raw = m.group()
        if re.fullmatch(_YEAR, raw) and kw not in (
            "n°",
            "no",
            "no.",
            "nº",
            "#",
            "page",
            "pages",
            "p.",
            "pp.",
            "article",
            "articles",
            "art.",
        ):
            continue  # programme 2007, loi de 2005: a year
        if kw in ("point", "points") and not re.fullmatch(r"\d+(?:[.\-]\d+)*", raw):
            continue
        nxt = _next_word(text, m.end())
        if (
            kw in ("objectif", "objectifs", "point", "points", "phase", "phases", "étape", "étapes", "titre", "titres")
            and nxt
            and nxt.lower() not in _FUNCTION_WORDS
            and nxt[0].islower()
        ):
            continue  # "objectif 25 projets" would be a target, not a code
        codes.append(Code(m.start(), m.end(), raw if ("." in raw or "-" in raw) else f"{kw} {raw}".strip(), kw))
        taken.take(m.start(), m.end())
        # a list of codes after one keyword: objectifs 1 et 2, articles 4, 5 et 6
        pos = m.end()
        while True:
            nm = re.match(rf"{_SP}*(?:,|et|ou|à){_SP}*(\d+(?:[.\-]\d+)*)(?![\d\w])", text[pos : pos + 40])
            if not nm:
                break
            s, e = pos + nm.start(1), pos + nm.end(1)
            nxt = _next_word(text, e)
            if (
                (nxt and nxt[0].islower() and nxt.lower() not in _FUNCTION_WORDS)
                or _unit_at(text, e) is not None
                or not taken.free(s, e)
            ):
                break
            raw2 = nm.group(1)
            codes.append(Code(s, e, raw2 if ("." in raw2 or "-" in raw2) else f"{kw} {raw2}".strip(), kw))
            taken.take(s, e)
            pos = e
    # numbered headings at a line start: "2.3 Stratégie", "7 Action n°7.7", "1-4 Gestion durable"
    for m in re.finditer(r"(?m)^[^\S\n]*(\d{1,3}(?:[.\-]\d{1,3})*)[.\-]?[^\S\n]+(?=[A-ZÀ-ÖØ-Ý«\"])", text):
        s, e = m.start(1), m.end(1)
        raw = m.group(1)
        if re.fullmatch(_YEAR, raw) or not taken.free(s, e) or _unit_at(text, e) is not None:
            continue
        codes.append(Code(s, e, raw, ""))
        taken.take(s, e)


def _keyword_before(text: str, pos: int) -> str | None:
    m = _KEYWORD_BEFORE.search(text[max(0, pos - 30) : pos])
    if not m:
        return None
    return m.group("kw").lower()


def _date_pass(text: str, taken: _Taken, out: list[Figure]) -> None:
    """Dates: full, month-year, period-year, numeric, year ranges, BC years."""
    flags = re.IGNORECASE

    def emit(s: int, e: int, value: float, date_text: str, high: float | None = None) -> None:
        if taken.free(s, e):
            out.append(Figure(s, e, text[s:e], value, "date", None, range_high=high, date_text=date_text))
            taken.take(s, e)

    # day month year (le 1er janvier 2006, 31 décembre 2021)
    for m in re.finditer(
        rf"(?P<d>[\dpP{_LEAD_WIDE}](?<!\w.)(?:(?<=\d)\d?|(?i:(?<=p)remier)))"
        rf"(?i:{_SP}?(?:er|re)?{_SP}*(?P<m>{_MONTH_RE}){_SP}*(?P<y>{_YEAR})(?!\d))",
        text,
    ):
        d = 1 if m.group("d").lower() == "premier" else int(m.group("d"))
        mo = _MONTHS.get(_lowered(m.group("m")).rstrip("."))  # « ſeptembre », « janvıer » too
        if mo is not None and 1 <= d <= 31:
            y = int(m.group("y"))
            emit(m.start(), m.end(), float(y), f"{y:04d}-{mo:02d}-{d:02d}")
    # numeric dates 31/03/2000, 05.01.2022, 2007-02-06
    for m in re.finditer(r"(\d(?<![\w.,/]\d)\d?)([./])(\d{1,2})\2(\d{4})(?![\d.,/])", text):
        d, mo, y = int(m.group(1)), int(m.group(3)), int(m.group(4))
        if 1 <= d <= 31 and 1 <= mo <= 12 and _year_ok(y):
            emit(m.start(), m.end(), float(y), f"{y:04d}-{mo:02d}-{d:02d}")
    for m in re.finditer(r"(\d(?<![\w.,/\-]\d)\d{3})-(\d{2})-(\d{2})(?![\d\-])", text):
        y, mo, d = int(m.group(1)), int(m.group(2)), int(m.group(3))
        if 1 <= d <= 31 and 1 <= mo <= 12 and _year_ok(y):
            emit(m.start(), m.end(), float(y), f"{y:04d}-{mo:02d}-{d:02d}")
    # day month without a year: consumed, not a figure (le 13 décembre)
    for m in re.finditer(rf"(\d(?<!\w\d)\d?){_SP}?(?:er|re)?{_SP}+(?:{_MONTH_RE})(?![\w])(?!{_SP}*\d)", text, flags):
        if 1 <= int(m.group(1)) <= 31 and taken.free(m.start(), m.end()):
            taken.take(m.start(), m.end())
    # month year (janvier 2007)
    for m in re.finditer(rf"(?P<m>{_MONTH_LED})(?i:{_SP}*(?P<y>{_YEAR})(?!\d))", text):
        mo = _MONTHS.get(_lowered(m.group("m")).rstrip("."))  # « ſeptembre », « janvıer » too
        if mo is None:
            continue
        y = int(m.group("y"))
        emit(m.start(), m.end(), float(y), f"{y:04d}-{mo:02d}")
    # year ranges: 2007-2013, entre 2007 et 2008, de 2002 à 2006
    for m in re.finditer(
        rf"(?<![\w.,\-])(?:(?P<entre>entre){_SP}+)?(?P<a>{_YEAR}){_SP}*(?:[-–—/]|(?<=\d){_SP}+(?:et|à|au){_SP}+)"
        rf"{_SP}*(?P<b>{_YEAR})(?![\d\w])",
        text,
        flags,
    ):
        a, b = int(m.group("a")), int(m.group("b"))
        joined_by_word = not re.search(r"[-–—/]", text[m.end("a") : m.start("b")])
        if joined_by_word and not m.group("entre"):
            before = text[max(0, m.start() - 12) : m.start()].lower()
            if not re.search(r"(?:\bde|\bdu|\bdepuis|\bdes|\bd['’])\s*$", before):
                continue
        if a < b:
            emit(m.start(), m.end(), float(a), f"{a:04d}/{b:04d}", float(b))
    # period + year: fin 2006, début 2008, mi-2007
    for m in re.finditer(
        rf"(?P<p>{_PERIOD_LED})(?i:{_SP}*-?{_SP}*(?P<y>{_YEAR})(?![\d\w]))",
        text,
    ):
        y = int(m.group("y"))
        emit(m.start(), m.end(), float(y), f"{y:04d}")
    # BC years: 221 av. J.-C. ; ranges de 221 à 206 av. J.-C.
    for m in re.finditer(r"(\d(?<![\w.,]\d)\d{0,3})(?:\s*(?:à|-|et)\s*(\d{1,4}))?(?=\s*(?:av\.|avant)\s)", text):
        tail = _BC_RE.match(text, m.end())
        if not tail:
            continue
        a = int(m.group(1))
        upper = int(m.group(2)) if m.group(2) else None
        if upper is not None and upper < a:
            emit(m.start(), m.end(), float(-a), f"-{a:04d}/-{upper:04d}", float(-upper))
        elif upper is None:
            emit(m.start(), m.end(), float(-a), f"-{a:04d}")


def _fraction_pass(text: str, taken: _Taken, out: list[Figure], low: str | None = None) -> None:
    """Approximate counts (une dizaine) and fractions (deux tiers, la moitié)."""
    low = _lowered(text) if low is None else low
    # every match names one of the nouns: a text without any is not scanned (the pattern tries every position)
    approx = _APPROX_RE.finditer(text) if any(noun in low for noun in _APPROX_NOUNS) else iter(())
    for m in approx:
        if not taken.free(m.start(), m.end()):
            continue
        noun = _APPROX_NOUNS.get(_lowered(m.group("noun")))  # « dızaıne » too
        base = _words_value(noun) if noun is not None else None
        if base is None:
            continue
        if m.group("mult"):
            mult = parse_number(m.group("mult")) if m.group("mult")[0].isdigit() else _words_value(m.group("mult"))
            if mult is None:
                continue
        else:
            mult = 1.0
        out.append(Figure(m.start(), m.end(), m.group(), mult * base, "count", approx=True, words=True, bare=True))
        taken.take(m.start(), m.end())
    for m in _FRACTION_RE.finditer(text):
        if not taken.free(m.start(), m.end()):
            continue
        if m.group("half"):
            num, den = 1.0, 2.0
        else:
            n = text[m.start() : m.end("num_tail")].lower().split()[-1]
            num = _words_value(n) or 1.0
            den = 3.0 if _lowered(m.group("den")) == "tiers" else 4.0  # « tıers » too
        out.append(Figure(m.start(), m.end(), m.group(), num, "ratio", denominator=den, words=True, bare=True))
        taken.take(m.start(), m.end())


@dataclass(slots=True)
class _Num:
    """A number token read in the digit or word pass, before its unit."""

    start: int
    end: int
    value: float
    words: bool
    integer: bool


def _read_digits(text: str, m: re.Match[str]) -> _Num | None | str:
    """A digit token as a number; 'code' when it is a code; None when unreadable."""
    s, e = m.start(), m.end()
    raw = m.group()
    if m.group("grp"):
        v = parse_number(raw)
        return _Num(s, e, v, False, "," not in raw) if v is not None else None
    if raw.count(",") > 1:
        return None
    if "." in raw:
        dots = raw.count(".")
        if "," in raw:
            v = parse_number(raw)
            return _Num(s, e, v, False, False) if v is not None else None
        if dots >= 2:
            if re.fullmatch(r"\d{1,3}(?:\.\d{3})+", raw):
                return _Num(s, e, float(raw.replace(".", "")), False, True)
            return "code"
        whole, frac = raw.split(".")
        unit = _unit_at(text, e)
        if len(frac) == 3 and _CURRENCY_BEFORE_RE.search(text[max(0, s - 5) : s]):
            return _Num(s, e, float(whole + frac), False, True)  # €15.000: dot thousands after a currency
        if _keyword_before(text, s) is not None:
            return "code"
        if unit is not None:
            if len(frac) == 3 and not unit.scaled:
                return _Num(s, e, float(whole + frac), False, True)  # 3.020 communes
            return _Num(s, e, float(raw), False, False)  # 1.188 milliard, 90.4 euros
        nxt = _next_word(text, e)
        if len(frac) == 3 and nxt and nxt[0].islower() and nxt.lower() not in _FUNCTION_WORDS:
            return _Num(s, e, float(whole + frac), False, True)
        if nxt and nxt[0].islower() and nxt.lower() not in _FUNCTION_WORDS and not _line_start(text, s):
            return _Num(s, e, float(raw), False, False)
        return "code"
    v = parse_number(raw)
    return _Num(s, e, v, False, "," not in raw) if v is not None else None


def _read_words(text: str, m: re.Match[str]) -> tuple[_Num, int] | None:
    """The longest prefix of a number-word match that text2num reads."""
    parts = list(re.finditer(r"[^\s\-]+", m.group()))
    for k in range(len(parts), 0, -1):
        end = m.start() + parts[k - 1].end()
        phrase = text[m.start() : end]
        words = [p.group().lower() for p in parts[:k]]
        if words[-1] == "et":
            continue
        v = _words_value(phrase.replace("-", " ") if "-et-" not in phrase.lower() else phrase)
        if v is None:
            v = _words_value(phrase)
        if v is not None:
            return _Num(m.start(), end, v, True, True), end
    return None


def _number_pass(text: str, taken: _Taken, out: list[Figure], codes: list[Code]) -> None:
    """Digits and number words: units, ordinals, signs, ranges and ratios."""
    tokens: list[tuple[int, re.Match[str], bool]] = []
    for m in _DIGITS_RE.finditer(text):
        tokens.append((m.start(), m, False))
    for m in _WORDS_RE.finditer(text):
        tokens.append((m.start(), m, True))
    tokens.sort(key=lambda t: t[0])
    for _s, m, is_words in tokens:
        s, e = m.start(), m.end()
        if not taken.free(s, e):
            continue
        if is_words:
            got = _read_words(text, m)
            if got is None:
                continue
            num, e = got
        else:
            # glued to a word on the left (MP3, n+2, COVID-19) or on the right (3G)
            prev = text[s - 1] if s > 0 else " "
            prev2 = text[s - 2] if s > 1 else " "
            if prev.isalnum() or prev == "_" or (prev in "-+/" and prev2.isalpha()):
                continue
            read = _read_digits(text, m)
            if read == "code":
                codes.append(Code(s, e, m.group(), _keyword_before(text, s) or ""))
                taken.take(s, e)
                continue
            if read is None or isinstance(read, str):
                continue
            num = read
            e = num.end
            after = text[e : e + 1]
            if after.isalpha():
                ordm = _ORD_SUFFIX_RE.match(text, e)
                unit_glued = _unit_at(text, e)
                if ordm and num.integer and num.value < 10000:
                    fe = ordm.end()
                    out.append(Figure(s, fe, text[s:fe], num.value, "rank"))
                    taken.take(s, fe)
                    continue
                if unit_glued is None:
                    if re.fullmatch(_YEAR, m.group()) and after.isupper():
                        pass  # "Décembre 2007Introduction": a year glued by extraction
                    else:
                        continue
            elif text[e : e + 3] == " er" and num.value == 1:
                out.append(Figure(s, e + 3, text[s : e + 3], 1.0, "rank"))
                taken.take(s, e + 3)
                continue
        fig = _figure_from(text, num, taken)
        if fig is None:
            continue
        out.append(fig)
        taken.take(fig.start, fig.end)


_PROSE_AFTER = re.compile(r"[ \t\u00a0]+[a-zàâçéèêëîïôûùüÿœ]")
"""A number followed by a lower-case word: prose goes on after it."""


def _sign_before(text: str, s: int, measured: bool) -> tuple[int, float]:
    """(new start, sign) for a + or - written before a number at `s` (`measured`: a % or an amount)."""
    i = s - 1
    if i >= 0 and text[i] in " \u00a0\u202f\u2009":
        i -= 1
        spaced = True
    else:
        spaced = False
    if i < 0 or text[i] not in "+-−":
        return s, 1.0
    before = text[i - 1] if i > 0 else "\n"
    if before.isalnum():
        return s, 1.0
    if spaced and before not in " \n(:;,\t":
        return s, 1.0
    if spaced and before == " " and i > 1 and text[i - 2] not in ",:;(" and not measured:
        return s, 1.0  # "a - 2" in prose: a dash
    return i, (-1.0 if text[i] in "-−" else 1.0)


_DONT_BEFORE = re.compile(rf"\bdont{_SP}+$", re.IGNORECASE)
_SHARE_AFTER = re.compile(
    rf"{_SP}+(?:partie|part|majorité|minorité|moitié|fraction|proportion|grande?|bonne|large|certaine?|bon|petite?|nombre|quantité|total)(?![\w])",
    re.IGNORECASE,
)
"""After "dont un(e)": words that make it a share, not one thing ("dont une partie", "dont un grand nombre")."""


def _figure_from(text: str, num: _Num, taken: _Taken) -> Figure | None:
    """Turn a number token into a figure: unit, ratio, range, sign, date."""
    s, e, value = num.start, num.end, num.value
    raw_num = text[s:e]
    words = num.words
    if words and raw_num.lower() in ("un", "une"):
        # the indefinite article: only a figure in "un projet sur deux" or "un seul"
        r = _ratio_after(text, num, taken)
        if r is not None:
            return r
        if re.match(rf"{_SP}+seule?s?(?![\w])", text[e : e + 10], re.IGNORECASE):
            return Figure(s, e, raw_num, 1.0, "count", words=True, bare=True)
        if _DONT_BEFORE.search(text[max(0, s - 10) : s]) and not _SHARE_AFTER.match(text, e):
            # a part of a whole just counted: "40 navires, dont un pétrolier"
            return Figure(s, e, raw_num, 1.0, "count", words=True, bare=True)
        return None
    if words and raw_num.lower() in ("million", "millions", "milliard", "milliards", "cents"):
        return None  # "des millions de" : no figure without a number before the scale word
    if words and raw_num.lower() in ("cent", "cents") and re.search(r"pour\s*$", text[max(0, s - 6) : s], re.IGNORECASE):
        return None
    # ordinal words handled elsewhere; unit after the number
    unit = _unit_at(text, e, allow_scale=not (words and re.search(r"(?:million|milliard)s?$", raw_num, re.IGNORECASE)))
    scaled = False
    kind: FactKind
    if words and re.search(r"(?:million|milliard|mille)s?$", raw_num, re.IGNORECASE) and unit is None:
        # "trois millions d'euros": the scale is inside the words; a currency may follow
        c = _CURRENCY_AFTER_RE.match(text, e)
        if c:
            unit = _Unit(c.end(), "money", _currency_of(c), 1.0, True)
        elif re.search(r"(?:million|milliard)s?$", raw_num, re.IGNORECASE):
            unit = _Unit(e, "other", None, 1.0, True)
    if unit is not None:
        kind, u, end, scaled = unit.kind, unit.unit, unit.end, unit.scaled
        value = value * unit.mult
    else:
        kind, u, end = ("count" if num.integer else "other"), None, e
    prefix = (
        _CURRENCY_BEFORE_RE.search(text[max(0, s - 5) : s]) if not words and kind in ("count", "other") and u is None else None
    )
    if prefix:
        # « €15.000 », « $3 million », « EUR 12 000 »: the currency written first (English style, where
        # « €50,000 » groups thousands with a comma)
        if _COMMA_THOUSANDS.fullmatch(raw_num):
            value = float(raw_num.replace(",", "")) * (unit.mult if unit is not None else 1.0)
        kind, u = "money", _PREFIX_CURRENCIES[prefix.group("cur")]
        figure_start = s - len(prefix.group(0))
        return Figure(figure_start, end, text[figure_start:end], value, kind, u, scaled=scaled)
    # a BC year
    if unit is None and num.integer and not words:
        bc = _BC_RE.match(text, e)
        if bc:
            return Figure(s, e, raw_num, -value, "date", None, date_text=f"-{int(value):04d}")
    # ratio: 17 sur 27
    if unit is None:
        r = _ratio_after(text, num, taken)
        if r is not None:
            return r
    # range: entre 10 et 15 ; de 10 à 20 ; 10-15
    rng = _range_after(text, num, unit, taken)
    if rng is not None:
        return rng
    # sign
    start = s
    if kind in ("percent", "money") or (unit is None and not words):
        ns, sign = _sign_before(text, s, kind in ("percent", "money"))
        # "- 409 ont donné lieu …" / "-409 ont …" opening a line: a list bullet before a count, not a sign
        bullet = kind not in ("percent", "money") and (ns == 0 or text[ns - 1] == "\n") and bool(_PROSE_AFTER.match(text, e))
        if (sign < 0 or ns < s) and not bullet:
            if kind in ("percent", "money") or text[ns + 1 : ns + 2].isdigit():
                start, value = ns, value * sign
    # bare year → date
    if kind == "count" and not words and _year_ok(value) and re.fullmatch(r"\d{4}", raw_num):
        nxt = _next_word(text, e)
        before = text[max(0, s - 8) : s].lower()
        plural_noun = bool(nxt) and nxt[0].islower() and nxt.lower() not in _FUNCTION_WORDS and nxt.lower()[-1] in "sx"
        counted = plural_noun or re.search(r"(?:\bles|\bdes|\bces|\baux|\bses|\bleurs)\s+$", before)
        if not counted:
            return Figure(start, end, text[start:end], value, "date", None, date_text=raw_num)
    bare = unit is None or (kind == "other" and u is None)
    return Figure(start, end, text[start:end], value, kind, u, words=words, scaled=scaled, bare=bare)


def _ratio_after(text: str, num: _Num, taken: _Taken) -> Figure | None:
    """``17 sur 27``, ``336 sur un total de 3020``, ``un projet sur deux``, ``12 de ses 33 matchs``."""
    m = re.match(
        rf"(?:{_SP}+(?P<noun>[^\W\d_][\w\-’']*(?:{_SP}+[^\W\d_][\w\-’']*)?))?{_SP}+(?P<conn>sur|des|de{_SP}+(?:ses|leurs)|d{_APOS}entre{_SP}+les){_SP}+"
        rf"(?:(?:un{_SP}+total{_SP}+de|un{_SP}+ensemble{_SP}+de|les|des){_SP}+)?"
        rf"(?P<den>\d{{1,3}}(?:[ \u00a0\u202f\u2009]\d{{3}})+(?!\d)|\d+(?:,\d+)?|{_NW}(?:(?:-et-|-|{_SP}+et{_SP}+|{_SP}+){_NW})*)(?![\w\-])",
        text[num.end : num.end + 120],
        re.IGNORECASE,
    )
    if not m:
        return None
    noun = m.group("noun") or ""
    if m.group("conn").lower() != "sur":
        # partitive "19 des 33 rencontres": only digits, and a noun after the whole
        if noun or num.words or not re.match(rf"{_SP}+[^\W\d_]", text[num.end + m.end() : num.end + m.end() + 3]):
            return None
    if noun and (noun.split()[0].lower() in _FUNCTION_WORDS or any(w.lower() in ("sur",) for w in noun.split())):
        return None
    den_raw = m.group("den")
    den = parse_number(den_raw) if den_raw[0].isdigit() else _words_value(den_raw.replace("-", " "))
    if den is None or den == 0 or num.value > den:
        return None
    end = num.end + m.end()
    if _unit_at(text, end) is not None:
        return None
    if not taken.free(num.end, end):
        return None
    return Figure(num.start, end, text[num.start : end], num.value, "ratio", denominator=den, words=num.words, bare=True)


def _range_after(text: str, num: _Num, unit: _Unit | None, taken: _Taken) -> Figure | None:
    """A range whose lower bound is `num`: entre A et B, de A à B, A à B, A-B."""
    if unit is not None and unit.kind != "other":
        return None
    if unit is not None and unit.unit is not None:
        return None
    e = unit.end if unit is not None else num.end
    before = text[max(0, num.start - 10) : num.start]
    entre = re.search(rf"entre{_SP}+$", before, re.IGNORECASE)
    conj = r"et" if entre else r"à|-|–"
    m = re.match(
        rf"{_SP}*(?:{conj}){_SP}*(?P<b>\d{{1,3}}(?:[ \u00a0\u202f\u2009]\d{{3}})+(?:,\d+)?(?!\d)|\d+(?:,\d+)?(?![\d.,]\d)|{_NW}(?:(?:-et-|-|{_SP}+et{_SP}+|{_SP}+){_NW})*(?![\w\-]))",
        text[e : e + 80],
        re.IGNORECASE,
    )
    if not m:
        return None
    if m.group(0).strip()[0] in "-–" and (num.words or " " in m.group(0)):
        return None
    braw = m.group("b")
    if braw[0].isdigit():
        bval = parse_number(braw)
    else:
        bval = _words_value(braw.replace("-", " "))
    if bval is None:
        return None
    bend = e + m.end()
    bunit = _unit_at(text, bend)
    if bunit is not None:
        bval *= bunit.mult
    mult = bunit.mult if bunit is not None else (unit.mult if unit is not None else 1.0)
    aval = num.value * (unit.mult if unit is not None else mult)
    if not aval < bval:
        return None
    end = bunit.end if bunit is not None else bend
    if not taken.free(num.start, end):
        return None
    start = num.start - len(entre.group()) if entre else num.start
    kind: FactKind = bunit.kind if bunit is not None else ("count" if num.integer else "other")
    u = bunit.unit if bunit is not None else None
    scaled = bool(bunit and bunit.scaled)
    return Figure(start, end, text[start:end], aval, kind, u, range_high=bval, words=num.words, scaled=scaled, bare=u is None)


_ORDINAL_MARKS = ("premi", "second", "ième")
"""One of these stands in every match of :data:`_ORDINAL_WORD_RE` (lower case), and a match holds no newline."""


def _ordinal_word_pass(text: str, taken: _Taken, out: list[Figure], low: str | None = None) -> None:
    low = _lowered(text) if low is None else low
    for m in _lines_finditer(_ORDINAL_WORD_RE, text, _ORDINAL_MARKS, low):
        if not taken.free(m.start(), m.end()):
            continue
        w = m.group("w")
        if _ORDINAL_FIXED_RE.match(text, m.end()):
            continue
        low = w.lower()
        if low.startswith("second"):
            if low in ("seconde", "secondes"):
                before = text[max(0, m.start() - 4) : m.start()].lower()
                if not re.search(r"\bla\s$", before) or not re.match(r"\s+[a-zà-ÿ]{3,}", text[m.end() : m.end() + 20]):
                    continue
            elif low == "seconds":
                continue
        if re.search(rf"(?:{_NW}){_SP}+$", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE) and re.match(
            rf"{_SP}+(?:de|des|du|d{_APOS})(?![\w])", text[m.end() : m.end() + 6], re.IGNORECASE
        ):
            continue  # "un dixième des crédits": a fraction
        v = _ordinal_value(w)
        if v is None:
            continue
        out.append(Figure(m.start(), m.end(), w, float(v), "rank", words=True))
        taken.take(m.start(), m.end())


def _flags(text: str, fig: Figure) -> Figure:
    """Approximate / minimum / maximum from the words around the figure."""
    before = text[max(0, fig.start - 40) : fig.start]
    line_cut = max(before.rfind("\n"), before.rfind("."), before.rfind(";"))
    if line_cut >= 0:
        before = before[line_cut + 1 :]
    if _ANY_BEFORE.search(before) is None:  # none of the three (most figures): one search instead of three
        approx, minimum, maximum = fig.approx, fig.minimum, fig.maximum
    else:
        approx = fig.approx or bool(_APPROX_BEFORE.search(before))
        minimum = fig.minimum or bool(_MIN_BEFORE.search(before))
        maximum = fig.maximum or (bool(_MAX_BEFORE.search(before)) and not minimum)
    m = _QUAL_AFTER.match(text[fig.end : fig.end + 30])
    if m:
        q = m.group("q").lower()
        if q == "environ":
            approx = True
        elif "moins" in q or "minimum" in q:
            minimum = True
        else:
            maximum = True
    if (approx, minimum, maximum) == (fig.approx, fig.minimum, fig.maximum):
        return fig
    return replace(fig, approx=approx, minimum=minimum, maximum=maximum)


def _elliptic_currency(text: str, figs: list[Figure]) -> list[Figure]:
    """A scaled amount without currency takes the currency of an earlier amount of its sentence."""
    out: list[Figure] = []
    last_money: Figure | None = None
    for f in figs:
        if last_money is not None and _SENTENCE_BREAK_RE.search(text, last_money.end, f.start) is not None:
            last_money = None
        if f.kind == "money":
            last_money = f
        elif f.kind == "other" and f.scaled and f.unit is None and last_money is not None:
            f = replace(f, kind="money", unit=last_money.unit, bare=False)
        out.append(f)
    return out


# ---------------------------------------------------------------------------
# public API


def find_figures(text: str) -> list[Figure]:
    """Every figure of `text`, in order of position (see the module docstring)."""
    if not text:
        return []
    figures, _codes = _scan(text)
    return figures


def find_codes(text: str) -> list[Code]:
    """Programme/action/article codes of `text` (``7.2.2``, ``action 7.3``, ``axe 5``), in order."""
    if not text:
        return []
    _figures, codes = _scan(text)
    return codes


def find_figures_and_codes(text: str) -> tuple[list[Figure], list[Code]]:
    """Figures and codes of `text` from one scan (for a whole document)."""
    if not text:
        return [], []
    return _scan(text)


def scope_codes(text: str) -> list[str]:
    """The codes of `text` that belong in the scope of a fact (programme/action codes), deduplicated."""
    return scope_codes_of(find_codes(text))


def scope_codes_of(codes: list[Code]) -> list[str]:
    """The programme/action codes among `codes`, deduplicated, in order."""
    seen: list[str] = []
    for c in codes:
        if not c.keyword and not re.search(r"[.\-]", c.code):
            continue  # a bare heading number ("7 Action …") names no programme code
        if c.keyword in _SCOPE_KEYWORDS and c.code not in seen:
            seen.append(c.code)
    return seen


def _scan_uncached(text: str) -> tuple[list[Figure], list[Code]]:
    taken = _Taken(len(text))
    figures: list[Figure] = []
    codes: list[Code] = []
    _block_pass(text, taken, codes)
    _date_pass(text, taken, figures)
    low = _lowered(text)
    _fraction_pass(text, taken, figures, low)
    _number_pass(text, taken, figures, codes)
    _ordinal_word_pass(text, taken, figures, low)
    figures.sort(key=lambda f: f.start)
    figures = [_flags(text, f) for f in figures]
    figures = _elliptic_currency(text, figures)
    codes.sort(key=lambda c: c.start)
    return figures, codes


@lru_cache(maxsize=256)
def _scan_cached(text: str) -> tuple[tuple[Figure, ...], tuple[Code, ...]]:
    figures, codes = _scan_uncached(text)
    return tuple(figures), tuple(codes)


def _scan(text: str) -> tuple[list[Figure], list[Code]]:
    """Figures and codes of `text`; short texts (headings, labels) are cached, long ones are not."""
    if len(text) > 20000:
        return _scan_uncached(text)
    f, c = _scan_cached(text)
    return list(f), list(c)
