"""CSV for spreadsheets: the one writer of every CSV the assistant produces.

A French Excel opens these files without an import step: ``;`` separator by
default (with decimal commas), UTF-8 with a BOM (accents read right), whole
numbers without ``.0`` (``2007``, not ``2007.0``).  A text cell a spreadsheet
would take for a formula (``=HYPERLINK(…)``, ``+cmd|…``, ``-2+3+cmd``,
``@SUM(…)``) is prefixed with an apostrophe.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable
from typing import Any

DEFAULT_DELIMITER = ";"
"""Separator of every CSV written: what a French Excel expects."""

DELIMITERS = {",": ",", ";": ";", "tab": "\t", "\\t": "\t", "\t": "\t"}
"""Accepted values of ``--delimiter`` and the character they stand for."""

BOM = "\ufeff"
"""Written first, so that Excel reads UTF-8."""

_FORMULA_START = "=+-@\t\r"
"""A cell starting with one of these is evaluated by spreadsheets."""

_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")


def delimiter_char(name: str) -> str:
    """The separator for a ``--delimiter`` value; ValueError for an unknown one."""
    try:
        return DELIMITERS[name]
    except KeyError:
        raise ValueError(f"séparateur CSV inconnu « {name} » (attendu , ; ou tab)") from None


def decimal_mark(delimiter: str) -> str:
    """``,`` with ``;`` (French spreadsheets), else ``.``."""
    return "," if delimiter == ";" else "."


def safe_text(value: Any) -> str:
    """A text cell that no spreadsheet evaluates as a formula (a plain signed number stays as is)."""
    text = "" if value is None else str(value)
    if text and text[0] in _FORMULA_START and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def number_text(value: float | int | None, decimal: str = ",") -> str:
    """A number cell: ``2007`` (never ``2007.0``), ``59,26`` with a decimal comma; '' for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            return ""
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(round(value, 6)).replace(".", decimal)
    return str(value)


def cell(value: Any, decimal: str = ",") -> str:
    """Any value as a safe cell: numbers by :func:`number_text`, lists joined with `` | ``, text by :func:`safe_text`."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return number_text(value, decimal)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return safe_text(" | ".join(" ".join(str(v).split()) for v in value))
    return safe_text(value)


def write_csv(header: Iterable[str], rows: Iterable[Iterable[str]], delimiter: str = DEFAULT_DELIMITER) -> str:
    """The CSV text, BOM first, CRLF line ends; `rows` hold cells already made safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow(list(row))
    return BOM + buffer.getvalue()
