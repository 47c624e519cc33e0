"""Language data: the word lists the question reader and the ranking features use.

Each list is a data file under ``assistant/lang/fr/`` (one entry a line, ``#``
for comments), loaded once into one frozen :class:`Lexicon`.  Code never
spells these words: it asks ``lexicon()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from assistant.analysis.analyzer import analyze, fold, stem


def read_list(name: str, lang: str = "fr") -> tuple[str, ...]:
    """The entries of the data file `lang/NAME.txt`, in order, comments and blank lines left out."""
    text = resources.files("assistant.lang").joinpath(lang, f"{name}.txt").read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


def read_table(name: str, lang: str = "fr") -> tuple[tuple[str, ...], ...]:
    """The rows of the tab-separated data file `lang/NAME.tsv`, comments and blank lines left out."""
    text = resources.files("assistant.lang").joinpath(lang, f"{name}.tsv").read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


def _alternation(words: tuple[str, ...]) -> str:
    """A regex alternation of the folded `words`, longest first."""
    return "|".join(re.escape(w) for w in sorted({fold(w) for w in words}, key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """The language data of the answering core, read from ``assistant/lang/fr/``."""

    trend_stems: dict[str, frozenset[str]]
    """'up' / 'down' → stems of the words put before a rise / a fall."""
    birth_words: str
    """Folded words of a birth, as a regex alternation."""
    death_words: str
    """Folded words of a death, as a regex alternation."""
    life_word_before: re.Pattern[str]
    """A word of a birth or a death just before a date (on folded text)."""
    definition: re.Pattern[str]
    """A copular predicate ("est un", "désigne la"): a definition."""
    question_stems: frozenset[str]
    """Stems of the question's scaffolding (combien, quel, est…): not search terms."""
    weak_stems: frozenset[str]
    """Stems of words naming a measure in general (nombre, montant): half-weight search terms."""
    kind_nouns: dict[str, tuple[str, ...]]
    """Answer kind → folded nouns asking for it after « quel(le) » (a noun counts for its first kind)."""
    duration_units: dict[str, str]
    """Folded word naming a length of time (French or English) → its unit (jour, mois, an…)."""
    sum_cues: re.Pattern[str]
    """Words asking for the sum of the items a question names (on folded text)."""
    number_words: dict[str, int]
    """Numbers written in words that count a group in a question ("trois", "two")."""
    group_nouns: frozenset[str]
    """Folded nouns naming the parts of a whole ("groupes", "volets"): adding them up needs no word of total."""
    role_stems: frozenset[str]
    """Stems of nouns naming a figure's role in a financing (contribution, apport): an operand's words a report may leave out."""
    acronyms: dict[str, tuple[str, ...]]
    """Upper-case acronym (« PO ») → what it stands for (« programme opérationnel »), from acronyms.tsv."""
    acronym_expansions: dict[str, tuple[frozenset[str], ...]]
    """Upper-case acronym → the analysed words of each thing it stands for (read once)."""

    def acronym_stems(self, name: str) -> tuple[frozenset[str], ...]:
        """The analysed words of each expansion of `name` if it is a known acronym (« FEDER »), else ()."""
        return self.acronym_expansions.get(fold(name).upper(), ())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The French lexicon (loaded once)."""
    birth = _alternation(read_list("birth_words"))
    death = _alternation(read_list("death_words"))
    copulas = "|".join(re.escape(w) for w in read_list("copulas"))
    determiners = "|".join(re.escape(w) for w in read_list("determiners"))
    acronyms = _acronyms()
    return Lexicon(
        trend_stems={
            "up": frozenset(stem(fold(w)) for w in read_list("trend_up")),
            "down": frozenset(stem(fold(w)) for w in read_list("trend_down")),
        },
        birth_words=birth,
        death_words=death,
        life_word_before=re.compile(rf"\b(?:{birth}|{death})\s+(?:le\s+|en\s+|vers\s+|a\s+)?$"),
        definition=re.compile(rf"\b(?:{copulas})\s+(?:{determiners})\b", re.IGNORECASE),
        question_stems=frozenset(stem(fold(w)) for w in read_list("question_words")),
        weak_stems=frozenset(stem(fold(w)) for w in read_list("weak_words")),
        kind_nouns=_kind_nouns(),
        duration_units={word: unit for word, unit in read_table("duration_units")},
        sum_cues=re.compile(rf"\b(?:{_alternation(read_list('sum_cues'))})\b"),
        number_words={word: int(value) for word, value in read_table("number_words")},
        group_nouns=frozenset(fold(w) for w in read_list("group_nouns")),
        role_stems=frozenset(t for w in read_list("role_nouns") for t in analyze(w)),
        acronyms=acronyms,
        acronym_expansions={k: tuple(frozenset(analyze(e)) for e in v) for k, v in acronyms.items()},
    )


KINDS = ("money", "percent", "duration", "date", "count", "entity", "number")
"""The kinds kind_nouns.tsv may name."""


def _acronyms() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for acronym, expansion in read_table("acronyms"):
        out.setdefault(fold(acronym).upper(), []).append(expansion)
    return {k: tuple(v) for k, v in out.items()}


def _kind_nouns() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {k: [] for k in KINDS}
    seen: set[str] = set()
    for kind, noun in read_table("kind_nouns"):
        if kind not in out:
            raise ValueError(f"kind_nouns.tsv: unknown kind {kind!r}")
        if noun not in seen:
            seen.add(noun)
            out[kind].append(noun)
    return {k: tuple(v) for k, v in out.items()}
