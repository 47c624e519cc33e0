"""Answers as plain text for the terminal (`assistant ask`)."""

from __future__ import annotations

from assistant.models import Answer
from assistant.presentation import confidence_cue


def human_size(size: float) -> str:
    """A size on disk the French way: `812 o`, `2,1 Mo`."""
    for unit in ("o", "Ko", "Mo", "Go"):
        if size < 1024 or unit == "Go":
            return f"{size:.0f} {unit}" if unit == "o" else f"{size:.1f} {unit}".replace(".", ",")
        size /= 1024
    return f"{size:.1f} Go"


def confidence_label(answer: Answer) -> str:
    """The confidence as the chat and the packs show it (`élevée ●●● (91 %)`), or « pas trouvé »."""
    if answer.abstained:
        return "pas trouvé" if answer.lang == "fr" else "not found"
    return confidence_cue(answer.confidence, answer.lang)


def citation_line(number: int, c) -> str:
    """'[1] document · section · p. 3'."""
    parts = [c.document]
    if c.section:
        parts.append(c.section)
    if c.page:
        parts.append(f"p. {c.page}")
    return f"[{number}] " + " · ".join(parts)


def answer_to_text(answer: Answer) -> str:
    """The answer, its confidence, conflicts and numbered citations with quotes."""
    fr = answer.lang == "fr"
    lines = [answer.answer, ""]
    lines.append(("confiance : " if fr else "confidence: ") + confidence_label(answer))
    if answer.computed:
        lines.append("valeur calculée à partir des faits cités" if fr else "value computed from the cited facts")
    if answer.follow_up_of:
        lines.append(("suite de : " if fr else "follow-up of: ") + answer.follow_up_of)
    if answer.conflicts:
        lines.append("")
        lines.append("⚠ chiffres contradictoires dans le corpus :" if fr else "⚠ conflicting figures in the corpus:")
        for c in answer.conflicts:
            quote = " ".join(c.quote.split())
            lines.append(f"  - {c.value:g} — {c.document} : « {quote[:200]} »")
    if answer.citations:
        lines.append("")
        lines.append(
            ("Passages à lire :" if fr else "Passages worth reading:")
            if answer.abstained
            else ("Sources :" if fr else "Sources:")
        )
        for i, cited in enumerate(answer.citations, start=1):
            lines.append(citation_line(i, cited))
            quote = " ".join(cited.quote.split())
            lines.append(f"    « {quote[:500]}{'…' if len(quote) > 500 else ''} »")
    return "\n".join(lines).rstrip() + "\n"
