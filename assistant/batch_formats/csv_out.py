"""CSV for spreadsheets: one row per question, UTF-8 with BOM.

Columns: id, question, follows (the id of the question a ``+`` follow-up
continues), answer, value, unit, kind, confidence, abstained, document,
section, page, quote (the first citation's), conflicts (how many), error,
then the carried-through columns of the input file (renamed ``input_NAME``
when NAME is one of ours).

Cells are written by :mod:`assistant.spreadsheet`, the one CSV writer: ``;``
by default with decimal commas (what a French Excel expects), ``,`` with
decimal points, formula-looking text neutralised.
"""

from __future__ import annotations

from typing import Any

from assistant.batch_formats.common import Item, extra_text, one_line
from assistant.spreadsheet import DEFAULT_DELIMITER, decimal_mark, number_text, safe_text, write_csv

COLUMNS = [
    "id",
    "question",
    "follows",
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


def carried_columns(items: list[Item]) -> list[tuple[str, str]]:
    """(input name, output header) of the carried-through columns, in first-seen order."""
    seen: list[str] = []
    for item in items:
        for name in item.question.extra:
            if name not in seen:
                seen.append(name)
    return [(name, f"input_{name}" if name in COLUMNS else name) for name in seen]


def _carried(value: Any, decimal: str) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value, decimal)
    return safe_text(one_line(extra_text(value)))


def render_csv(items: list[Item], delimiter: str = DEFAULT_DELIMITER) -> str:
    """The CSV text, BOM first."""
    decimal = decimal_mark(delimiter)
    carried = carried_columns(items)
    rows = []
    for item in items:
        a, q = item.answer, item.question
        first = a.citations[0] if a.citations and not item.failed else None
        row = [
            safe_text(q.id),
            safe_text(q.text),
            safe_text(item.parent or "") if q.follow_up else "",
            safe_text(one_line(a.answer)),
            number_text(a.value, decimal),
            safe_text(a.unit or ""),
            a.kind,
            number_text(round(a.confidence, 4), decimal),
            "true" if a.abstained else "false",
            safe_text(first.document) if first else "",
            safe_text(first.section) if first else "",
            str(first.page) if first and first.page else "",
            safe_text(one_line(first.quote)) if first else "",
            str(len(a.conflicts)),
            safe_text(item.error or ""),
        ]
        row += [_carried(q.extra.get(name), decimal) for name, _ in carried]
        rows.append(row)
    return write_csv(COLUMNS + [header for _, header in carried], rows, delimiter)
