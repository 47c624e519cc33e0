"""Names in a passage: the person, body or place an entity question asks for.

spaCy's French NER proposes names; names already in the question, and
generic capitalised words, are left out.  Without a usable entity, a run of
capitalised words or an acronym in brackets is taken.
"""

from __future__ import annotations

import re

from assistant.analysis.analyzer import APOSTROPHES, analyze
from assistant.qa.question import Intent
from assistant.qa.retrieve import Query

_LABELS = {
    "person": ("PER",),
    "organisation": ("ORG", "MISC", "PER"),
    "place": ("LOC",),
    "any": ("PER", "ORG", "MISC", "LOC"),
}
_CAPITALISED = re.compile(r"(?:[A-ZÀ-Ý][\w'’&.-]+(?:\s+(?:de|du|des|d'|d’|et|la|le|&)?\s*[A-ZÀ-Ý][\w'’&.-]+)*)")


def pick_entity(sentence: str, intent: Intent, query: Query, fallback: bool = True) -> str | None:
    """The name in `sentence` that answers the question, or None.

    Without a named entity of the wanted sort, a run of capitalised words is
    taken only when `fallback` is true.
    """
    from assistant.facts.nlp import get_nlp  # spaCy: loaded once, ~3 s

    nlp = get_nlp()
    doc = nlp(sentence.translate(APOSTROPHES))
    asked = set(query.terms) | set(analyze(intent.question))
    labels = _LABELS[intent.entity_type]
    names: list[str] = []
    for ent in doc.ents:
        if ent.label_ not in labels:
            continue
        if len(ent) == 1 and ent[0].pos_ == "NOUN" and not any(t.is_alpha for t in doc[: ent.start]):
            continue  # a capitalised common noun opening a line ("Vérification des coûts …") is no name
        text = sentence[ent.start_char : ent.end_char].strip(" ,;:()«»\"'’")
        tokens = set(analyze(text))
        if not tokens or tokens <= asked:
            continue
        names.append(text)
    if not names and fallback:
        for m in _CAPITALISED.finditer(sentence):
            if m.start() == 0:
                continue  # the sentence's first word is capitalised anyway
            text = m.group().strip(" ,;:()«»\"'’.")
            tokens = set(analyze(text))
            if tokens and not tokens <= asked and len(text) > 2:
                names.append(text)
    if not names:
        return None
    if len(names) > 1 and _asks_plural(intent):
        return " et ".join(dict.fromkeys(names[:4])) if intent.lang == "fr" else " and ".join(dict.fromkeys(names[:4]))
    return names[0]


def _asks_plural(intent: Intent) -> bool:
    q = intent.question.lower()
    return bool(re.search(r"\b(quels|quelles|lesquels|lesquelles|which \w+s\b|who were|qui sont)", q))
