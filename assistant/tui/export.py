"""The conversation as Markdown, with every answer's citations.  No Textual here."""

from __future__ import annotations

import time
from pathlib import Path

from assistant.tui.formatting import (
    answer_headline,
    citation_where,
    computed_text,
    confidence_text,
    conflict_line,
    conflict_title,
    one_line,
)
from assistant.tui.session import Exchange


def _escape(text: str) -> str:
    """Neutralise Markdown emphasis characters in running text."""
    for ch in ("\\", "*", "_", "`"):
        text = text.replace(ch, "\\" + ch)
    return text


def conversation_to_markdown(exchanges: list[Exchange], *, index_dir: str = "", now: float | None = None) -> str:
    """Markdown of the exchanges: questions, answers, cues and numbered citations."""
    stamp = time.strftime("%Y-%m-%d %H:%M", time.localtime(now if now is not None else time.time()))
    lines = ["# Conversation — assistant de rapports", ""]
    meta = f"Exportée le {stamp}"
    if index_dir:
        meta += f" · index : `{index_dir}`"
    lines += [meta, ""]
    for n, exchange in enumerate(exchanges, start=1):
        lines.append(f"## {n}. {_escape(one_line(exchange.question))}")
        lines.append("")
        answer = exchange.answer
        if answer is None:
            reason = exchange.error or "pas de réponse"
            lines += [f"*Sans réponse : {_escape(one_line(reason))}*", ""]
            continue
        if answer.follow_up_of:
            lines += [f"*Suite de : « {_escape(one_line(answer.follow_up_of))} »*", ""]
        if answer.abstained:
            lines += [f"**Pas trouvé.** {_escape(answer.answer)}", ""]
        else:
            headline = answer_headline(answer)
            sentence = _escape(answer.answer)
            lines += [f"**{headline}** — {sentence}" if headline else sentence, ""]
            lines.append(f"{confidence_text(answer.confidence)}  ")
            if answer.computed:
                lines.append(f"{computed_text(answer)}  ")
            lines.append("")
            if answer.conflicts:
                lines.append(f"> {conflict_title(answer)}")
                for conflict in answer.conflicts:
                    lines.append(f"> - {_escape(conflict_line(conflict, answer))}")
                lines.append("")
        if answer.citations:
            lines += ["Passages à lire :" if answer.abstained else "Sources :", ""]
            for k, citation in enumerate(answer.citations, start=1):
                where = _escape(citation_where(citation))
                lines.append(f"- **[{k}]** {where} (caractères {citation.start}–{citation.end})")
                lines.append(f"  > « {_escape(one_line(citation.quote))} »")
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_path(folder: Path, now: float | None = None, *, prefix: str = "conversation", suffix: str = ".md") -> Path:
    """A new file name in `folder`: conversation-YYYYMMDD-HHMMSS.md (never overwrites)."""
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now if now is not None else time.time()))
    path = folder / f"{prefix}-{stamp}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{prefix}-{stamp}-{n}{suffix}"
        n += 1
    return path


def write_export(exchanges: list[Exchange], folder: Path, *, index_dir: str = "") -> Path:
    """Write the Markdown export into a new file of `folder` and return its absolute path."""
    return write_export_to(exchanges, export_path(folder), index_dir=index_dir)


def write_export_to(exchanges: list[Exchange], path: Path, *, index_dir: str = "") -> Path:
    """Write the Markdown export to `path` (its folder created) and return its absolute path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(conversation_to_markdown(exchanges, index_dir=index_dir), encoding="utf-8")
    return path.resolve()
