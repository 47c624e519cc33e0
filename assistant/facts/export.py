"""The facts table as text: aligned columns, CSV or JSON Lines."""

from __future__ import annotations

import io
import json

from assistant.models import Fact
from assistant.presentation import clip_end, count, fit_widths
from assistant.spreadsheet import DEFAULT_DELIMITER, cell, decimal_mark, write_csv

JSONL_FIELDS = (
    "value",
    "unit",
    "kind",
    "raw",
    "subject",
    "subject_lemma",
    "qualifiers",
    "denominator",
    "range_high",
    "date_text",
    "scope",
    "document",
    "section",
    "page",
    "sentence",
    "sentence_start",
    "sentence_end",
    "start",
    "end",
    "source",
)
"""Fields of a fact in `assistant facts --format jsonl` (and CSV columns)."""


def format_value(value: float) -> str:
    """A figure without a useless '.0': 17.0 → '17', 98541.5 → '98541.5'."""
    value = float(value)
    if value.is_integer():
        return str(int(value))
    return repr(round(value, 6))


def facts_to_jsonl(facts: list[Fact]) -> str:
    """One JSON object per fact."""
    lines = []
    for fact in facts:
        data = fact.model_dump()
        lines.append(json.dumps({k: data[k] for k in JSONL_FIELDS}, ensure_ascii=False))
    return "".join(line + "\n" for line in lines)


def facts_to_csv(facts: list[Fact], delimiter: str = DEFAULT_DELIMITER, fields: tuple[str, ...] = JSONL_FIELDS) -> str:
    """Spreadsheet-ready CSV (BOM, ``;`` by default, lists joined with ' | ', formula-looking cells neutralised)."""
    decimal = decimal_mark(delimiter)
    rows = []
    for fact in facts:
        data = fact.model_dump()
        rows.append([cell(data[k], decimal) for k in fields])
    return write_csv(fields, rows, delimiter)


def _clip(text: str, width: int) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1] + "…"


TABLE_COLUMNS: list[tuple[str, int, int]] = [
    ("valeur", 6, 0),
    ("unité", 5, 0),
    ("type", 4, 0),
    ("qualif.", 7, 0),
    ("sujet", 16, 3),
    ("document", 12, 2),
    ("phrase", 16, 5),
]
"""(header, minimum width, weight) of `assistant facts`: subject, document and sentence share the width left."""


def facts_to_table(facts: list[Fact], width: int = 160) -> str:
    """Aligned columns in `width` characters: value, unit, kind, qualifiers, subject, document, sentence."""
    if not facts:
        return "Aucun fait ne correspond.\n"
    header = tuple(h for h, _, _ in TABLE_COLUMNS)
    fixed = [(format_value(f.value), f.unit or "", f.kind, ",".join(f.qualifiers)) for f in facts]
    columns = [
        (h, max(minimum, len(h), *(len(r[i]) for r in fixed)) if i < 4 else minimum, weight)
        for i, (h, minimum, weight) in enumerate(TABLE_COLUMNS)
    ]
    wanted = {
        "sujet": max(len(" ".join(f.subject.split())) for f in facts),
        "document": max(len(f.document) for f in facts),
        "phrase": max(len(" ".join(f.sentence.split())) for f in facts),
    }
    w = fit_widths(width, columns, wanted=wanted)
    rows = [
        (*cells, _clip(f.subject, w["sujet"]), clip_end(f.document, w["document"]), _clip(f.sentence, w["phrase"]))
        for cells, f in zip(fixed, facts)
    ]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    out = io.StringIO()
    out.write("  ".join(h.ljust(w) for h, w in zip(header, widths)).rstrip() + "\n")
    for row in rows:
        out.write("  ".join(c.rjust(w) if i == 0 else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths))).rstrip() + "\n")
    out.write(f"({count(len(facts), 'fait')})\n")
    return out.getvalue()
