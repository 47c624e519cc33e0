"""The French analyser: one function for indexing and for queries.

Rules, in order:

1. apostrophes ’ ‘ ` ´ ʼ are normalised to ' ;
2. numbers are kept whole and normalised: ``98 541,50`` (space, no-break or
   narrow no-break thousands separators, comma decimals) → ``98541.5``;
   codes such as ``7.2.2`` stay as they are; ``%`` is a token of its own and
   ``€`` reads as ``euros``;
3. words are lower-cased and split on hyphens; the 13 French elisions
   (l' d' qu' n' s' j' c' m' t' jusqu' lorsqu' puisqu' quoiqu') are removed;
4. accents are folded (é → e, œ → oe …);
5. French stop words (``assistant/data/stopwords_fr.txt``) are dropped;
6. words are stemmed with the Snowball French stemmer (PyStemmer), after
   folding (and after dropping a final plural -s), so that a question typed
   without accents meets the same stems; the folded endings of the Snowball
   suffixes that carry an accent (-ée, -ière, -ité, -èrent) get it back first.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from importlib import resources

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'", "\u02bc": "'"})
"""Apostrophe variants, mapped to the ASCII apostrophe (same length)."""


def replace_chars(text: str, table: dict[int, str]) -> str:
    """``text.translate(table)`` for a table of a few characters, each replaced by ``str.replace``.

    ``str.translate`` looks every character of the text up in the table (0.2 s for the 3 million
    characters of 29 reports); a search for each of a few characters runs at memory speed.  The same
    text when no replacement holds a character of the table (:func:`chained`), as for every table here.
    """
    for code, new in table.items():
        old = chr(code)
        if old in text:
            text = text.replace(old, new)
    return text


def chained(table: dict[int, str]) -> bool:
    """Whether some replacement of `table` holds a character it replaces (then :func:`replace_chars` ≠ ``translate``)."""
    return any(chr(code) in new for new in table.values() if new for code in table)


ELISIONS = frozenset({"l", "d", "qu", "n", "s", "j", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "quoiqu"})
"""The 13 French elided articles and particles."""

_SEP = "[ \u00a0\u202f\u2009]"
TOKEN_RE = re.compile(
    r"(?P<code>\d+(?:\.\d+){2,})"  # programme codes: 7.2.2
    rf"|(?P<grouped>\d{{1,3}}(?:{_SEP}\d{{3}})+(?:,\d+)?)(?![\d])"  # 98 541,50
    r"|(?P<number>\d+(?:[.,]\d+)?)"  # 12 ; 59,26 ; 90.4
    r"|(?P<word>[^\W\d_]+(?:'[^\W\d_]+)*)"  # words, with their elisions
    r"|(?P<percent>%)"
    r"|(?P<euro>€)"
)

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


def fold(text: str) -> str:
    """Lower-case and strip accents: 'Élus œuvre' → 'elus oeuvre'."""
    text = text.translate(_LIGATURES).lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@lru_cache(maxsize=200_000)
def fold_word(word: str) -> str:
    """:func:`fold` of one word, remembered: a report repeats its words, and folding each
    occurrence anew cost about a third of the analysis of a text."""
    return fold(word)


def normalize_number(raw: str) -> str:
    """'98 541,50' → '98541.5'; '12,70' → '12.7'; '007' → '7'; codes unchanged."""
    digits = re.sub(r"[ \u00a0\u202f\u2009]", "", raw).replace(",", ".")
    if digits.count(".") > 1:
        return digits
    if "." in digits:
        whole, frac = digits.split(".")
        frac = frac.rstrip("0")
        whole = whole.lstrip("0") or "0"
        return f"{whole}.{frac}" if frac else whole
    return digits.lstrip("0") or "0"


@lru_cache(maxsize=1)
def stop_words() -> frozenset[str]:
    """French stop words, folded (loaded once from the package data)."""
    text = resources.files("assistant.data").joinpath("stopwords_fr.txt").read_text(encoding="utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer  # PyStemmer: C extension, imports in ~1 ms

    return Stemmer.Stemmer("french")


ACCENTED_ENDINGS = (("iere", "ière"), ("erent", "èrent"), ("ee", "ée"), ("ite", "ité"))
"""Folded endings given back their accent before stemming (the Snowball suffixes that carry one)."""


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Snowball French stem of a folded word (a final plural -s dropped first,
    so that 'euros'/'euro' and 'elus'/'elu' meet)."""
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for folded, accented in ACCENTED_ENDINGS:
        if word.endswith(folded) and len(word) > len(folded) + 2:
            # Snowball knows "-ée", "-ière", "-ité", "-èrent", not their folded forms:
            # without the accent "installée" would not meet "installé"
            word = word[: -len(folded)] + accented
            break
    return fold(_stemmer().stemWord(word))


def _word_parts(raw: str) -> list[str]:
    """The folded words of one word match of :data:`TOKEN_RE`, its elided article left out (« l'État » → ``etat``)."""
    parts = raw.split("'")
    if len(parts) > 1 and fold_word(parts[0]) in ELISIONS:
        parts = parts[1:]
    return [fold_word(p) for p in parts if p]


def _other_token(kind: str | None, raw: str) -> str:
    """The token of a match of :data:`TOKEN_RE` that is not a word: a normalised number, a code, ``%`` or ``euros``."""
    if kind in ("grouped", "number"):
        return normalize_number(raw)
    if kind == "code":
        return raw
    return "%" if kind == "percent" else "euros"


MIN_ROOT = 4
"""Fewest letters a stem keeps when :func:`inflection_root` cuts an ending off a word."""


def inflection_root(term: str, known: Callable[[str], bool], most_cut: int) -> str | None:
    """The known stem `term` is an inflection of: `term` less an ending of up to `most_cut` letters
    (the shortest cut first, at least :data:`MIN_ROOT` letters left) that `known` accepts, or None.
    The stemmer leaves some verb endings on (« servent » → ``serv``, « comptent »)."""
    for cut in range(1, most_cut + 1):
        root = term[:-cut]
        if len(root) < MIN_ROOT:
            break
        if known(root):
            return root
    return None


def word_tokens(text: str) -> list[str]:
    """Folded words and normalised numbers, before stop words and stemming."""
    out: list[str] = []
    for match in TOKEN_RE.finditer(replace_chars(text, APOSTROPHES)):
        if match.lastgroup == "word":
            out.extend(_word_parts(match.group()))
        else:
            out.append(_other_token(match.lastgroup, match.group()))
    return out


def _index_token(token: str, stops: frozenset[str]) -> str | None:
    """What :func:`analyze` keeps of one token of :func:`word_tokens`: itself (a number, ``%``), its stem, or None."""
    if token[0].isdigit() or token == "%":
        return token
    if token not in stops and not (len(token) == 1 and token.isalpha()):
        return stem(token)
    return None


WORD_CACHE_SIZE = 200_000
"""Distinct words whose analysis :func:`analyze` remembers (a report repeats its words)."""

_WORDS: dict[str, tuple[str, ...]] = {}
"""A word as matched (elisions included, apostrophes plain) → its index tokens."""


def _analyse_word(raw: str) -> tuple[str, ...]:
    """The index tokens of one word match of :data:`TOKEN_RE` (as :func:`word_tokens` then :func:`analyze` make them)."""
    stops = stop_words()
    kept = (_index_token(p, stops) for p in _word_parts(raw))
    out = tuple(t for t in kept if t is not None)
    if len(_WORDS) < WORD_CACHE_SIZE:
        _WORDS[raw] = out
    return out


def analyze(text: str) -> list[str]:
    """The index/query tokens of `text`: the whole French analysis chain.

    The same tokens as :func:`word_tokens` filtered and stemmed one by one, with each distinct word's
    analysis remembered (:data:`_WORDS`): most of a report's words are words it wrote before.
    """
    tokens: list[str] = []
    words = _WORDS
    stops = stop_words()
    for match in TOKEN_RE.finditer(replace_chars(text, APOSTROPHES)):
        raw = match.group()
        if match.lastgroup == "word":
            found = words.get(raw)
            tokens.extend(found if found is not None else _analyse_word(raw))
            continue
        kept = _index_token(_other_token(match.lastgroup, raw), stops)
        if kept is not None:
            tokens.append(kept)
    return tokens


@lru_cache(maxsize=20_000)
def token_set(text: str) -> frozenset[str]:
    """The analysed tokens of `text` (cached: a sentence holds several figures,
    and the same facts come back question after question)."""
    return frozenset(analyze(text))


def analyze_reference(text: str) -> list[str]:
    """:func:`analyze` step by step, without its memory of words (the specification its tests compare it with)."""
    stops = stop_words()
    tokens: list[str] = []
    for token in word_tokens(text):
        kept = _index_token(token, stops)
        if kept is not None:
            tokens.append(kept)
    return tokens
