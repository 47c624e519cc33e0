"""How figures, confidence, citations and conflicts read on screen (French).

Pure functions over the core models: no Textual here, so the Markdown export,
the clipboard text and the widgets all say the same thing.
"""

from __future__ import annotations

import re

from assistant.models import Answer, Citation, Conflict
from assistant.presentation import (  # noqa: F401 (re-exported: the widgets' one vocabulary)
    NBSP,
    clip_end,
    confidence_level,
    confidence_text,
    count,
    fit_widths,
    format_number,
    plural,
)

KIND_LABELS: dict[str, str] = {
    "count": "nombre",
    "money": "montant",
    "percent": "pourcentage",
    "duration": "durée",
    "date": "date",
    "ratio": "ratio",
    "rank": "rang",
    "other": "autre",
    "entity": "entité",
    "text": "texte",
}
"""French names of fact and answer kinds."""


def _compact_euros(value: float) -> str:
    for threshold, suffix in ((1e9, "Md€"), (1e6, "M€")):
        if abs(value) >= threshold:
            return f"{format_number(round(value / threshold, 3))} {suffix}"
    return ""


def format_figure(value: float | int | None, unit: str | None, kind: str | None = None) -> str:
    """The figure with its unit, exact: `17 projets`, `12 700 000 000 € (12,7 Md€)`, `59,26 %`."""
    if value is None:
        return ""
    if kind == "date":
        return str(int(value)) if float(value).is_integer() else format_number(value)
    if unit == "EUR":
        whole = float(value).is_integer()
        text = f"{format_number(value) if whole else format_number(float(value), 2, fixed=True)} €"
        compact = _compact_euros(value)
        return f"{text} ({compact})" if compact else text
    if unit == "FRF":
        return f"{format_number(value)} F"
    if unit == "%":
        return f"{format_number(value)} %"
    if unit:
        return f"{format_number(value)} {plural(unit, value)}"
    return format_number(value)


def citation_where(citation: Citation) -> str:
    """`document · section · p. 3` (the page only where the format has pages)."""
    parts = [citation.document, citation.section or "(début du document)"]
    if citation.page is not None:
        parts.append(f"p. {citation.page}")
    return " · ".join(parts)


def citation_label(number: int, citation: Citation) -> str:
    """`[1] document · section · page`."""
    return f"[{number}] {citation_where(citation)}"


def one_line(text: str, limit: int | None = None) -> str:
    """Whitespace collapsed, optionally cut at `limit` characters with an ellipsis."""
    flat = " ".join(text.split())
    if limit is not None and len(flat) > limit:
        return flat[: limit - 1].rstrip() + "…"
    return flat


def snippet(text: str, limit: int, focus: tuple[int, int] | None = None) -> str:
    """`text` on one line in at most `limit` characters, cut around `focus` (the figure) so that it stays whole.

    `focus` is a span of the flattened text (``one_line(text)``).  Without it,
    or when the text fits, this is :func:`one_line` with `limit`.
    """
    flat = one_line(text)
    if len(flat) <= limit or focus is None:
        return one_line(flat, limit)
    start, end = focus
    if end - start + 2 >= limit:
        return flat[start:end]
    room = limit - (end - start) - 2  # two ellipses at most
    before = min(start, room // 3)  # a little context before, the rest after
    after = room - before
    if end + after > len(flat):
        after = len(flat) - end
        before = min(start, room - after)
    left, right = start - before, end + after
    # Cut at word boundaries when there is one close by.
    space = flat.find(" ", left, start)
    if left > 0 and 0 <= space < start:
        left = space + 1
    space = flat.rfind(" ", end, right)
    if right < len(flat) and space > end:
        right = space
    return ("…" if left > 0 else "") + flat[left:right].strip() + ("…" if right < len(flat) else "")


def figure_focus(answer: Answer, quote: str) -> tuple[int, int] | None:
    """Where the answer's figure (or answer text) stands in the flattened quote, if it does."""
    from assistant.batch_formats.common import answer_spans

    spans = answer_spans(answer, one_line(quote))
    return spans[0] if spans else None


def computed_text(answer: Answer) -> str:
    """`Calculé à partir de [1], [2] et [3]` for computed answers, else ''."""
    if not answer.computed:
        return ""
    refs = [f"[{n}]" for n in range(1, len(answer.citations) + 1)]
    if not refs:
        return "Calculé à partir de plusieurs chiffres du corpus"
    listed = refs[0] if len(refs) == 1 else ", ".join(refs[:-1]) + " et " + refs[-1]
    return f"Calculé à partir de {listed}"


def conflict_line(conflict: Conflict, answer: Answer) -> str:
    """`18 projets — doc.txt : « … »`."""
    from assistant.batch_formats.common import figure_spans

    figure = format_figure(conflict.value, answer.unit, answer.kind)
    quote = one_line(conflict.quote)
    spans = figure_spans(quote, conflict.value, answer.unit, answer.kind)
    return f"{figure} — {conflict.document} : « {snippet(quote, 240, spans[0] if spans else None)} »"


def conflict_title(answer: Answer) -> str:
    """The warning heading when the corpus holds contradicting figures."""
    n = len(answer.conflicts)
    other = "un autre chiffre" if n == 1 else f"{n} autres chiffres"
    return f"⚠ Attention : chiffres divergents — le corpus donne aussi {other} :"


def answer_headline(answer: Answer) -> str:
    """The figure shown prominently ('' for text answers and abstentions)."""
    if answer.abstained:
        return ""
    return format_figure(answer.value, answer.unit, answer.kind)


def answer_to_text(question: str, answer: Answer) -> str:
    """The answer with its citations as plain text (the clipboard copy)."""
    lines = [f"Q : {question}"]
    if answer.abstained:
        lines.append(f"R : Pas trouvé — {answer.answer}")
    else:
        headline = answer_headline(answer)
        lines.append(f"R : {headline} — {answer.answer}" if headline else f"R : {answer.answer}")
        lines.append(confidence_text(answer.confidence))
        if answer.computed:
            lines.append(computed_text(answer))
        if answer.conflicts:
            lines.append(conflict_title(answer))
            lines.extend(f"  - {conflict_line(c, answer)}" for c in answer.conflicts)
    if answer.citations:
        lines.append("Passages à lire :" if answer.abstained else "Sources :")
        for n, citation in enumerate(answer.citations, start=1):
            lines.append(f"{citation_label(n, citation)}")
            lines.append(f"    « {one_line(citation.quote)} »")
    return "\n".join(lines)


_USER_ERRORS = {"UsageError", "IndexUnavailable", "IndexMissing", "IndexVersionMismatch", "IngestError"}

_CHAT_HINTS = {
    "IndexMissing": "indexez un dossier de rapports : F4 puis « a »",
    "IndexVersionMismatch": "réindexez : F4 puis « r », ou « Indexer un dossier » dans la palette (Ctrl+P)",
    "IndexUnavailable": "indexez à nouveau : « Indexer un dossier » dans la palette (Ctrl+P)",
}
"""What to do, in the chat's own terms, after an index error (the core's message names shell commands)."""

_SHELL = re.compile(r"(?:\bassistant\s+(?:index|ask|search|status|facts|batch|chat)\b|--[a-z])")


def error_reason(exc: BaseException) -> str:
    """One line for a notification: the core's own message for errors a user can cause, never a shell command."""
    text = " ".join(str(exc).split()) or type(exc).__name__
    names = [cls.__name__ for cls in type(exc).__mro__]
    user = next((name for name in names if name in _USER_ERRORS), None)
    if user is None:
        return f"{type(exc).__name__} : {text}"
    parts = [part for part in text.split(" — ") if not _SHELL.search(part)]
    kept = " — ".join(parts) if parts else user
    hint = next((_CHAT_HINTS[name] for name in names if name in _CHAT_HINTS), None)
    if hint and len(parts) < len(text.split(" — ")):
        kept += f" — {hint}"
    return kept
