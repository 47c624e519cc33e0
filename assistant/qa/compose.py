"""Writing answers: the short sentence in the question's language, the value
and unit, and citations quoting the documents verbatim."""

from __future__ import annotations

from assistant.models import Answer, Citation, Conflict, Fact, Section
from assistant.qa.question import Intent

MAX_ANSWER = 400
"""An answer longer than this is a passage, not an answer."""

NOT_FOUND = {
    "fr": "Je n'ai pas trouvé de réponse dans les rapports indexés.",
    "en": "I did not find an answer in the indexed reports.",
}

_EN_UNITS = {
    "jour": "days", "mois": "months", "an": "years", "heure": "hours", "semaine": "weeks", "EUR": "EUR", "FRF": "FRF",
    "%": "%", "ETP": "FTE",
}
_EN_MONTHS = {
    "janvier": "January", "février": "February", "fevrier": "February", "mars": "March", "avril": "April", "mai": "May",
    "juin": "June", "juillet": "July", "août": "August", "aout": "August", "septembre": "September",
    "octobre": "October", "novembre": "November", "décembre": "December", "decembre": "December",
}


def french_number(value: float, decimals: int | None = None) -> str:
    """12 → '12'; 98541.5 → '98 541,5'; 42400000 → '42 400 000' (no-break spaces)."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else (2 if abs(value) < 1e6 else 1)
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\u202f").replace(".", ",")


def english_number(value: float, money: bool = False) -> str:
    """12 → '12'; 98541.5 → '98,541.5' (money: '98,541.50')."""
    if float(value).is_integer():
        return f"{int(value):,}"
    text = f"{value:,.2f}"
    return text if money else text.rstrip("0").rstrip(".")


def display_value(value: float, unit: str | None, lang: str) -> str:
    """A value with its unit, for the answer sentence."""
    number = french_number(value) if lang == "fr" else english_number(value, money=unit == "EUR")
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
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


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


def with_quote(lead: str, quote: str, lang: str) -> str:
    """'lead — « quote »' within MAX_ANSWER characters."""
    lead = clip(lead, 200)
    room = MAX_ANSWER - len(lead) - 5
    if room < 40:
        return lead
    return f"{lead} — « {clip(quote, room)} »"


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
