"""Writing answers: the short sentence in the question's language, the value
and unit, and citations quoting the documents verbatim."""

from __future__ import annotations

import re
from collections.abc import Callable

from assistant.models import Answer, Citation, Conflict, Fact, Section
from assistant.qa.question import Intent

MAX_ANSWER = 400
"""An answer longer than this is a passage, not an answer."""

ELLIPSIS = 3
"""Room kept for each '…' of a cut: it stands for three characters ('...')
wherever text is normalised (NFKD), and must not push an answer past MAX_ANSWER."""

NOT_FOUND = {
    "fr": "Je n'ai pas trouvé de réponse dans les rapports indexés.",
    "en": "I did not find an answer in the indexed reports.",
}

_EN_UNITS = {
    "jour": "days",
    "mois": "months",
    "an": "years",
    "heure": "hours",
    "semaine": "weeks",
    "EUR": "EUR",
    "FRF": "FRF",
    "%": "%",
    "ETP": "FTE",
}
_EN_MONTHS = {
    "janvier": "January",
    "février": "February",
    "fevrier": "February",
    "mars": "March",
    "avril": "April",
    "mai": "May",
    "juin": "June",
    "juillet": "July",
    "août": "August",
    "aout": "August",
    "septembre": "September",
    "octobre": "October",
    "novembre": "November",
    "décembre": "December",
    "decembre": "December",
}


def french_number(value: float, decimals: int | None = None, money: bool = False) -> str:
    """12 → '12'; 71.2 → '71,2'; 98541.5 → '98 541,5' (money: '98 541,50');
    42400000 → '42 400 000' (no-break spaces)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (2 if abs(value) < 1e6 else 1)
    text = f"{value:,.{decimals}f}"
    if decimals and not money:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\u202f").replace(".", ",")


def english_number(value: float, money: bool = False) -> str:
    """12 → '12'; 98541.5 → '98,541.5' (money: '98,541.50')."""
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.2f}"
    return text if money else text.rstrip("0").rstrip(".")


def display_value(value: float, unit: str | None, lang: str) -> str:
    """A value with its unit, for the answer sentence."""
    money = unit == "EUR"
    number = french_number(value, money=money) if lang == "fr" else english_number(value, money=money)
    if unit is None:
        return number
    if unit == "EUR":
        return f"{number} €" if lang == "fr" else f"€{number}"
    if unit == "%":
        return f"{number} %" if lang == "fr" else f"{number}%"
    if lang == "en" and unit in _EN_UNITS:
        return f"{number} {_EN_UNITS[unit]}"
    # a counted noun stays French (the quote is French), in the plural
    plural = unit if value <= 1 or unit.endswith(("s", "x")) else unit + "s"
    return f"{number} {plural}"


def english_date(raw: str) -> str:
    """'juillet 2006' → 'July 2006' (other words kept)."""
    words = raw.split()
    return " ".join(_EN_MONTHS.get(w.lower(), w) for w in words)


def clip(text: str, limit: int) -> str:
    """`text` on one line, at most `limit` characters (cut at a word, with '…')."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - ELLIPSIS].rsplit(" ", 1)[0]
    return cut + "…"


def clip_around(text: str, limit: int, weight: Callable[[str], float]) -> str:
    """`text` on one line, at most `limit` characters: the run of whole words that
    carries the most `weight` (the question's words), with '…' where it was cut.

    A long sentence is shown where it speaks of what was asked, not merely from
    its start: its start is kept when that loses nothing, otherwise the run is
    centred on the words that carry the weight (the answer stands beside them).
    """
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    words = list(re.finditer(r"\S+", text))
    weights = [weight(m.group()) for m in words]
    runs: list[tuple[float, int, int]] = []
    for i, first in enumerate(words):
        room = limit - (0 if i == 0 else ELLIPSIS)
        j = i
        while j < len(words) and words[j].end() - first.start() <= room - (0 if j == len(words) - 1 else ELLIPSIS):
            j += 1
        if j > i:
            runs.append((sum(weights[i:j]), i, j))
        if j == len(words):
            break
    best = max(total for total, _, _ in runs)
    tied = [(i, j) for total, i, j in runs if total >= best - 1e-9]

    def off_centre(run: tuple[int, int]) -> float:
        i, j = run
        hits = [k for k in range(i, j) if weights[k] > 0]
        if not hits:
            return 0.0
        middle = (words[i].start() + words[j - 1].end()) / 2
        focus = (words[hits[0]].start() + words[hits[-1]].end()) / 2
        return abs(middle - focus)

    i, j = tied[0] if tied[0][0] == 0 else min(tied, key=off_centre)
    out = text[words[i].start() : words[j - 1].end()]
    return ("…" if i > 0 else "") + out + ("…" if j < len(words) else "")


def path_words(path: str) -> str:
    """The words of a document's path ("fiche_financiere_valbrune_2023.pdf" → "fiche financiere valbrune 2023 pdf")."""
    return re.sub(r"[_\-/.]+", " ", path)


def citation_for(engine, document: str, start: int, end: int, section: Section | None = None) -> Citation:
    """A citation of document[start:end], with the heading path of the section holding it."""
    doc = engine.document_cached(document)
    quote = doc.text[start:end] if doc else ""
    heading = ""
    page = None
    if section is None and doc is not None:
        for s in engine.sections_of_cached(document):
            if s.start <= start < s.end:
                section = s
                break
    if section is not None:
        heading = " › ".join(section.heading_path)
        page = section.page
    if doc is not None and doc.pages:
        page = doc.page_at(start)
    return Citation(
        document=document,
        title=doc.title if doc else "",
        section=heading,
        page=page,
        start=start,
        end=end,
        quote=quote,
    )


def fact_citation(engine, fact: Fact) -> Citation:
    """The citation of a fact: its sentence (or table row)."""
    return citation_for(engine, fact.document, fact.sentence_start, fact.sentence_end)


def conflict_of(fact: Fact, value: float | None = None) -> Conflict:
    """A fact stated elsewhere that contradicts the answer."""
    return Conflict(
        value=fact.value if value is None else value,
        quote=fact.sentence,
        document=fact.document,
        start=fact.sentence_start,
        end=fact.sentence_end,
    )


def with_quote(lead: str, quote: str, lang: str, weight: Callable[[str], float] | None = None) -> str:
    """'lead — « quote »' within MAX_ANSWER characters (a long quote cut around
    the words `weight` favours, else at its end)."""
    lead = clip(lead, 200)
    room = MAX_ANSWER - len(lead) - len(" — «  »")
    if room < 40:
        return lead
    shown = clip_around(quote, room, weight) if weight else clip(quote, room)
    return f"{lead} — « {shown} »"


MISSING_OPERAND = {
    "fr": "Je n'ai pas trouvé de chiffre pour : {items} ; le calcul demandé n'est donc pas fait.",
    "en": "I found no figure for: {items}; so the computation asked for is not done.",
}
"""What a computed answer says when one of its operands is not in the corpus."""


def missing_operands(intent: Intent, items: list[str], passages: list[Citation]) -> Answer:
    """An abstention naming the operands of a computation that the corpus does not state."""
    answer = abstention(intent, passages)
    answer.answer = MISSING_OPERAND[intent.lang].format(items=", ".join(items))
    return answer


def abstention(intent: Intent, passages: list[Citation]) -> Answer:
    """The honest 'not found', with passages worth reading."""
    return Answer(
        question=intent.question,
        answer=NOT_FOUND[intent.lang],
        value=None,
        unit=None,
        kind="text",
        abstained=True,
        confidence=0.0,
        citations=passages[:3],
        lang=intent.lang,
    )


COMPUTED = {
    "fr": "{result} — calculé : {formula} = {result} ; d'après {operands}.",
    "en": "{result} — computed: {formula} = {result}; from {operands}.",
}
"""The sentence of a computed answer: the result, how it was computed, the operands it was computed from."""
STATED_OPERANDS = {"fr": "les chiffres de la question", "en": "the figures of the question"}
"""What a computation from the question's own figures was computed from."""


def computed_sentence(value: float, unit: str | None, formula: str, operands: list[Fact], lang: str) -> str:
    """'29 % — calculé : 20 + 9 = 29 % ; d'après 20 % (Région), 9 % (Agence).' within MAX_ANSWER."""
    shown = display_value(value, unit, lang)
    named = ", ".join(display_value(f.value, f.unit, lang) + (f" ({clip(f.subject, 50)})" if f.subject else "") for f in operands)
    if lang == "en":
        # the formula's figures are written the French way (compute._fmt): "14,5", "4 200 000"
        formula = formula.replace(",", ".").replace("\u202f", ",")
    text = COMPUTED[lang].format(result=shown, formula=formula, operands=named or STATED_OPERANDS[lang])
    return clip(text, MAX_ANSWER)


def computed_conflict(operands: list[Fact], value: float) -> Conflict:
    """A value computed from the report's own figures that differs from the figure it states."""
    first = operands[0]
    return Conflict(
        value=value, quote=first.sentence, document=first.document, start=first.sentence_start, end=first.sentence_end
    )
