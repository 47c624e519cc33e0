"""Markdown audit pack: header, summary table, one section per question.

Flags an auditor looks for: **à vérifier** (an answer with confidence below
0.5), **sans réponse** (abstention: the passages to read are listed),
**conflit** (other figures in the corpus for the same subject, each with its
source) and **échec** (answering raised).  Quotes are blockquotes, with the
figure in bold; text from the reports is escaped so it reads verbatim.
"""

from __future__ import annotations

import re

from assistant.batch_formats.common import (
    Item,
    PackInfo,
    Stats,
    answer_spans,
    extra_text,
    figure_spans,
    fmt_confidence,
    fmt_number,
    fmt_value,
    index_date,
    one_line,
    shorten,
    source_label,
    split_spans,
)
from assistant.presentation import count, plural

_SPECIAL = re.compile(r"([\\`*_\[\]<>|#&])")
_LINE_START = re.compile(r"^(\s*)(\d+)([.)])|^(\s*)([-+=])")


def _escape(text: str) -> str:
    """Markdown specials escaped, whitespace squashed (edges kept)."""
    return _SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _line_start(text: str) -> str:
    """A leading `12.` or `-` escaped so that it is not read as a list."""
    return _LINE_START.sub(lambda m: f"{m[1]}{m[2]}\\{m[3]}" if m[2] else f"{m[4]}\\{m[5]}", text, count=1)


def code(text: str) -> str:
    """A code span holding `text` verbatim (a file name): the fence is longer than any backtick run inside,
    so that a backtick in the name cannot close it and let raw HTML through."""
    text = one_line(text)
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text[:1] == "`" or text[-1:] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}" if text else "—"


def md(text: str) -> str:
    """Inline text escaped for Markdown (one line)."""
    return _line_start(_escape(one_line(text)))


def _highlighted(text: str, spans: list[tuple[int, int]]) -> str:
    """A quote on one line, escaped, with the spans in bold."""
    text = one_line(text)
    runs = split_spans(text, spans)
    return _line_start("".join(f"**{_escape(piece)}**" if on and piece.strip() else _escape(piece) for piece, on in runs))


def stats_sentence(stats: Stats) -> str:
    checks = f" (dont {stats.low_confidence} à vérifier)" if stats.low_confidence else ""
    return (
        f"{stats.total} — {count(stats.answered, 'répondue')}{checks}, {stats.abstained} sans réponse, "
        f"{stats.conflicts} avec {plural('conflit', stats.conflicts)}, {stats.failed} en échec"
    )


def _header(items: list[Item], info: PackInfo) -> list[str]:
    stats = Stats.of(items)
    roots = ", ".join(code(r) for r in info.roots) or "(inconnu)"
    out = [
        f"# Dossier de réponses — {md(info.source)}",
        "",
        f"- **Corpus** : {roots}",
        f"- **Index** : {code(info.index_dir)} — {info.documents} documents, mis à jour le {index_date(info)}",
        f"- **Questions** : {stats_sentence(stats)}",
    ]
    if info.skipped:
        lines = "; ".join(f"l. {n} ({md(reason)})" for n, reason in info.skipped)
        out.append(f"- **Lignes ignorées** : {len(info.skipped)} — {lines}")
    out.append("")
    return out


def _summary(items: list[Item]) -> list[str]:
    out = ["## Synthèse", "", "| id | question | réponse | confiance | source |", "| --- | --- | --- | ---: | --- |"]
    for item in items:
        a = item.answer
        tags = " ".join(f"**[{f}]**" for f in item.flags)
        answer = md(shorten(a.answer))
        source = md(source_label(a.citations[0])) if a.citations and not item.failed else "—"
        out.append(
            f"| {md(item.question.id)} | {md(shorten(item.question.text))} | {(tags + ' ' if tags else '')}{answer} "
            f"| {fmt_confidence(a.confidence, item)} | {source} |"
        )
    out.append("")
    return out


def _section(item: Item) -> list[str]:
    q, a = item.question, item.answer
    out = [f"### {md(q.id)} · {md(q.text)}", ""]
    where = f"Ligne {q.line}"
    if q.follow_up:
        where += f" · suite de la question {md(item.parent)}" if item.parent else " · suite (aucune question précédente)"
    out += [f"*{where}*", ""]
    if item.failed:
        out += [f"**Échec** — la question n'a pas pu être traitée : {md(item.error or '')}", ""]
    elif item.abstained:
        out += ["**Sans réponse** — les rapports indexés ne répondent pas à cette question.", ""]
    elif item.low_confidence:
        out += [f"**À vérifier** — confiance {fmt_confidence(a.confidence)}.", ""]
    if item.has_conflicts:
        out += [
            f"**Conflit** — le corpus donne {count(len(a.conflicts), 'autre', 'chiffre')} pour le même sujet (voir plus bas).",
            "",
        ]
    if not item.failed:
        out += [f"**Réponse :** {md(a.answer)}", ""]
        facts = []
        if a.value is not None:
            facts.append(f"valeur : **{md(fmt_value(a))}**")
        facts.append(f"type : {a.kind}")
        facts.append(f"confiance : {fmt_confidence(a.confidence)}")
        if a.computed:
            facts.append("valeur calculée à partir des sources citées")
        out += ["- " + " · ".join(facts), ""]
    if a.citations and not item.failed:
        out += ["**Passages à lire**" if item.abstained else "**Sources**", ""]
        for n, c in enumerate(a.citations, start=1):
            parts = [code(c.document)]
            if c.title:
                parts.append(f"*{md(c.title)}*")
            if c.section:
                parts.append(md(c.section))
            if c.page:
                parts.append(f"p. {c.page}")
            parts.append(f"car. {c.start}–{c.end}")
            spans = answer_spans(a, one_line(c.quote)) if n == 1 and not item.abstained else []
            out += [f"{n}. " + " — ".join(parts), "", f"   > {_highlighted(c.quote, spans)}", ""]
    if item.has_conflicts:
        out += ["**Chiffres contradictoires**", ""]
        for conflict in a.conflicts:
            value = fmt_number(conflict.value, year=a.kind == "date")
            spans = figure_spans(one_line(conflict.quote), conflict.value, a.unit, a.kind)
            out += [
                f"- **{md(value)}** — {code(conflict.document)} (car. {conflict.start}–{conflict.end})",
                "",
                f"  > {_highlighted(conflict.quote, spans)}",
                "",
            ]
    if q.extra:
        fields = " ; ".join(f"{md(k)} = {md(extra_text(v))}" for k, v in q.extra.items())
        out += [f"*Champs du fichier de questions* : {fields}", ""]
    return out


def render_markdown(items: list[Item], info: PackInfo) -> str:
    """The audit pack as Markdown."""
    out = _header(items, info) + _summary(items) + ["## Réponses", ""]
    for item in items:
        out += _section(item)
    return "\n".join(out).rstrip("\n") + "\n"
