"""CSV for spreadsheets: one row per question, UTF-8 with BOM.

Columns: id, question, answer, value, unit, kind, confidence, abstained,
document, section, page, quote (the first citation's), conflicts (how many),
error, then the carried-through columns of the input file (renamed
``input_NAME`` when NAME is one of ours).

The BOM makes Excel read accents right.  With ``--delimiter ';'`` (what a
French Excel expects) numbers are written with a decimal comma (``59,26``);
with ``,`` with a decimal point.  A text cell that a spreadsheet would take
for a formula (starting with ``=``, ``+``, ``-``, ``@``) is prefixed with
``'``.
"""

from __future__ import annotations

import csv
import io
import re

from assistant.batch_formats.common import Item, extra_text, one_line

COLUMNS = [
    "id",
    "question",
    "answer",
    "value",
    "unit",
    "kind",
    "confidence",
    "abstained",
    "document",
    "section",
    "page",
    "quote",
    "conflicts",
    "error",
]
"""Our columns, in order."""

_NUMBER = re.compile(r"[-+]?\d+([.,]\d+)?")


def _number(value: float | int | None, decimal: str) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace(".", decimal) if isinstance(value, float) else str(value)


def _text(value: str) -> str:
    """A text cell, safe from formula evaluation."""
    if value and value[0] in "=+-@\t\r" and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def carried_columns(items: list[Item]) -> list[tuple[str, str]]:
    """(input name, output header) of the carried-through columns, in first-seen order."""
    seen: list[str] = []
    for item in items:
        for name in item.question.extra:
            if name not in seen:
                seen.append(name)
    return [(name, f"input_{name}" if name in COLUMNS else name) for name in seen]


def render_csv(items: list[Item], delimiter: str = ",") -> str:
    """The CSV text, BOM first."""
    decimal = "," if delimiter == ";" else "."
    carried = carried_columns(items)
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(COLUMNS + [header for _, header in carried])
    for item in items:
        a, q = item.answer, item.question
        first = a.citations[0] if a.citations and not item.failed else None
        row = [
            _text(q.id),
            _text(q.text),
            _text(one_line(a.answer)),
            _number(a.value, decimal),
            _text(a.unit or ""),
            a.kind,
            _number(round(a.confidence, 4), decimal),
            "true" if a.abstained else "false",
            _text(first.document) if first else "",
            _text(first.section) if first else "",
            str(first.page) if first and first.page else "",
            _text(one_line(first.quote)) if first else "",
            str(len(a.conflicts)),
            _text(item.error or ""),
        ]
        row += [_text(one_line(extra_text(q.extra.get(name)))) for name, _ in carried]
        writer.writerow(row)
    return "\ufeff" + buf.getvalue()
