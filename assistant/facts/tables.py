"""Facts from tables, detected by their structure in extracted text.

The shapes read:

- **cell tables**: cells separated by lines holding only ``|`` (one cell per line
  or several lines per cell), or one cell per line between blank lines, with a
  header row whose cells are numbered ``(1)`` … ``(n)``: the next cells come in
  rows of n; each numeric cell gives a fact whose subject is
  ``"<column header> — <row label>"`` and whose sentence is the whole row as it
  stands in the text. A ``|`` table without numbered headers pairs each numeric
  cell with the row label before it;
- **Markdown-like rows** (``a | b | c`` on one line: the HTML, DOCX and ODT
  tables) are read the same way, the first row being the header — a header of
  years (``| en € | 2013 | 2014 |``) included, the year going to the fact's
  scope; an ungrouped code before the row label (``| 7364 | Prélèvements … |``)
  is part of the label, not an amount;
- **tab-separated rows** (PDF tables, whose cells the layout reader
  :mod:`assistant.ingest.pdf_layout` separates by tabs, and pasted
  spreadsheets): each numeric cell of a row with a row label gives a fact whose
  subject is ``"<column header> — <row label>"`` and whose sentence is the row.
  The header is the last tab-separated row without figures above it: two such
  rows one after the other (a block label line between them aside) are one
  header set on two lines, the second matched from the right; a shorter one
  further down renames the last columns only. Its cells are matched to the
  row's cells, or to its numeric cells counted from the right;
- in both, a bare figure under a header or caption naming a money unit
  (``en millions €``, ``en €``, ``En milliers`` / ``d'Euros`` on two lines:
  the words of ``assistant/data/column_units.tsv``) becomes that amount in
  euros, unless the header names a rate (``Euros par habitant``);
- **indicator blocks**: a line ``label : target`` followed by a line holding only
  the achieved value: two facts with the label as subject, the target
  (``objectif``) and the achieved value (``réalisé``);
- **label / value pairs**: a short line without figures followed by a line
  holding only one figure (``Frais de personnel`` / ``64%``);
- **chart data labels**: a category on a few short lines (the first in upper
  case, the next carrying it on) followed by a line of its figures only, with
  dashes and at most one short unit word (``Éducation nationale`` /
  ``1 085 258 ETPT – 53,8%``): each figure gets the category as subject.

Figures read here are returned as consumed, so that the prose extractor does
not read them again; header cells are skipped altogether.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

from assistant.analysis.numbers import Figure, scope_codes
from assistant.facts.prose import Draft
from assistant.models import FactKind

_COLNUM_RE = re.compile(r"\(\s*(\d{1,2})\s*\)\s*$")
_LIST_ITEM_RE = re.compile(r"^\s*(?:\d{1,2}[.)]|[•▪◦‣*])\s")
_CODE_LEAD_RE = re.compile(r"^(\d+(?:[.\-]\d+)*)(?:\s+[–—-]\s*|-\s+)")

_HEADER_CUES = [
    (re.compile(r"\btota(?:l|le|ux|les)\b", re.IGNORECASE), "total"),
    (re.compile(r"\bmoyen(?:ne)?s?\b", re.IGNORECASE), "moyenne"),
    (re.compile(r"\b(?:prévue?s?|prévisionnel(?:le)?s?|objectifs?|cibles?|visée?s?)\b", re.IGNORECASE), "objectif"),
    (re.compile(r"\b(?:réalisée?s?|atteinte?s?|effecti(?:f|ve|fs|ves)|réel(?:le)?s?|constatée?s?)\b", re.IGNORECASE), "réalisé"),
    (re.compile(r"\b(?:initial(?:e|es)?|initiaux|initialement)\b", re.IGNORECASE), "initial"),
    (re.compile(r"\b(?:révisée?s?|ramenée?s?\s+à|portée?s?\s+à)\b", re.IGNORECASE), "révisé"),
]
"""Cue words of a column header or an indicator line, and the qualifier each gives."""


@dataclass
class Pending:
    """A draft whose subject lemma (and counted unit) comes from parsing a label."""

    draft: Draft
    """The draft to complete."""
    label: str
    """The label whose head noun gives the lemma."""
    set_unit: bool
    """Also set the draft's unit to the lemma (a count without a unit)."""


@dataclass
class TableResult:
    """What the table reader found in one document."""

    drafts: list[Draft] = field(default_factory=list)
    """One draft per numeric cell, indicator value or labelled value."""
    pending: list[Pending] = field(default_factory=list)
    """Drafts whose subject lemma needs the parse of a label."""
    consumed: list[tuple[int, int]] = field(default_factory=list)
    """Spans the prose extractor must skip (header cells and numeric cells)."""
    consumed_figures: set[int] = field(default_factory=set)
    """Start offsets of the figures read here."""


@dataclass
class _Cell:
    start: int
    end: int
    text: str


def _norm(s: str) -> str:
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"\s+", " ", s).strip()


def _header_name(cell: _Cell) -> str:
    return _header_name_of(cell.text)


@lru_cache(maxsize=4096)
def _header_name_of(text: str) -> str:
    """A column header's name (cached: every cell of its column asks)."""
    return _norm(_COLNUM_RE.sub("", text))


def _row_label(text: str) -> str:
    t = _norm(text)
    m = _CODE_LEAD_RE.match(t)
    if m:
        t = m.group(1) + " " + t[m.end() :]
    return t


def _header_qualifiers(text: str) -> set[str]:
    return set(_header_qualifiers_of(text))


@lru_cache(maxsize=4096)
def _header_qualifiers_of(text: str) -> frozenset[str]:
    """The qualifiers a header's cues give (cached: every cell of its column asks)."""
    return frozenset(q for rx, q in _HEADER_CUES if rx.search(text))


def _row_qualifiers(label: str) -> set[str]:
    """``total`` for a totals row (``TOTAL DES PRODUITS DE FONCTIONNEMENT``, ``Total pour le budget général (A)``):
    the other cues name what a column holds, not a row."""
    return _header_qualifiers(label) & {"total"}


def _figs_in(figures: list[Figure], start: int, end: int) -> list[Figure]:
    """The figures inside [start, end) (`figures` sorted by start: a binary search, not a scan)."""
    lo = bisect.bisect_left(figures, start, key=_start_of)
    hi = bisect.bisect_left(figures, end, lo, key=_start_of)
    return [f for f in figures[lo:hi] if f.end <= end]


def _start_of(f: Figure) -> int:
    return f.start


def _numeric_cell(cell: _Cell, figures: list[Figure]) -> Figure | None:
    """The one figure of a cell that holds nothing else (``197 083 €``, ``64%``, ``(32,5)``)."""
    figs = _figs_in(figures, cell.start, cell.end)
    if len(figs) != 1:
        return None
    f = figs[0]
    rest = cell.text[: f.start - cell.start] + cell.text[f.end - cell.start :]
    rest = re.sub(r"(?i)\b(?:plus|moins)\s+d[e']|\benviron\b|\bprès\s+de\b|\bau\s+(?:moins|plus)\b", "", rest)
    if re.search(r"[^\W\d_]", rest):
        return None
    return f


def _lines(text: str) -> list[tuple[int, int]]:
    """Non-blank lines as (start, end) spans, stripped."""
    out = []
    for m in re.finditer(r"[^\n]+", text):
        s, e = m.start(), m.end()
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def find_tables(text: str, figures: list[Figure]) -> TableResult:
    """Read the tables, indicator blocks and labelled values of `text` (see the module docstring)."""
    res = TableResult()
    if not text or not figures:
        return res
    figures = sorted(figures, key=_start_of)
    lines = _lines(text)
    used_lines: set[int] = set()
    # pipe tables, one cell per line(s)
    seps = [i for i, (s, e) in enumerate(lines) if text[s:e] == "|"]
    groups: list[list[int]] = []
    for i in seps:
        if groups and i - groups[-1][-1] <= 6:
            groups[-1].append(i)
        else:
            groups.append([i])
    for g in groups:
        if len(g) < 3:
            continue
        cells: list[_Cell] = []
        first = g[0]
        lead = 1
        if first >= 2 and _COLNUM_RE.fullmatch(text[lines[first - 1][0] : lines[first - 1][1]]):
            lead = 2
        lead_lines = list(range(max(0, first - lead), first))
        if lead_lines:
            cells.append(
                _Cell(lines[lead_lines[0]][0], lines[lead_lines[-1]][1], text[lines[lead_lines[0]][0] : lines[lead_lines[-1]][1]])
            )
        for a, b in zip(g, g[1:]):
            inner = list(range(a + 1, b))
            if inner:
                s, e = lines[inner[0]][0], lines[inner[-1]][1]
                cells.append(_Cell(s, e, text[s:e]))
            else:
                s = lines[a][1]
                cells.append(_Cell(s, s, ""))
        used_lines.update(range(max(0, first - lead), g[-1] + 1))
        _read_cells(text, cells, figures, res, pipe=True)
    # markdown-like rows: a | b | c
    md_rows = [i for i, (s, e) in enumerate(lines) if i not in used_lines and text[s:e].count("|") >= 2 and text[s:e] != "|"]
    runs: list[list[int]] = []
    for i in md_rows:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        if len(run) < 2:
            continue
        rows = []
        for i in run:
            s, e = lines[i]
            if re.fullmatch(r"[\s|:\-+]+", text[s:e]):
                continue
            rows.append((s, e, _split_cells(text, s, e, "|", keep_empty=True)))
        used_lines.update(run)
        above = lines[run[0] - 1] if run[0] > 0 else None
        caption = text[above[0] : above[1]] if above is not None and "|" not in text[above[0] : above[1]] else ""
        _read_markdown(text, rows, figures, res, caption_scale=caption_money_scale(caption))
    # tab-separated rows
    _read_tab_rows(text, lines, used_lines, figures, res)
    # one cell per line with numbered headers
    line_cells: list[_Cell | None] = []
    index_of_cell: list[int] = []
    for i, (s, e) in enumerate(lines):
        if i in used_lines:
            line_cells.append(None)
            index_of_cell.append(i)
            continue
        t = text[s:e]
        last = line_cells[-1] if line_cells else None
        if _COLNUM_RE.fullmatch(t) and last is not None and not _COLNUM_RE.search(last.text):
            line_cells[-1] = _Cell(last.start, e, text[last.start : e])
            continue
        line_cells.append(_Cell(s, e, t))
        index_of_cell.append(i)
    # only the stretches of cells between used lines
    chunk: list[_Cell] = []
    for c in line_cells + [None]:
        if c is None:
            if chunk and not _read_cells(text, chunk, figures, res, pipe=False):
                _read_periodic(chunk, figures, res)
            chunk = []
        else:
            chunk.append(c)
    # indicator blocks and labelled values
    _read_pairs(text, lines, used_lines, figures, res)
    _read_chart_labels(text, lines, used_lines, figures, res)
    return res


def _consume(res: TableResult, f: Figure) -> None:
    res.consumed_figures.add(f.start)
    res.consumed.append((f.start, f.end))


def _add_fact(
    res: TableResult,
    f: Figure,
    span: tuple[int, int],
    subject: str,
    qualifiers: set[str],
    scope: list[str],
    lemma_of: str,
    count_lemma: bool = False,
) -> None:
    """A table fact of figure `f` quoting ``span`` (its row), with its subject, the qualifiers its
    labels give (the figure's own flags added), its scope; `lemma_of` is the text whose lemmas are
    read later (:class:`Pending`; `count_lemma`: a bare count counts what it names); `f` is consumed."""
    d = Draft(f, span[0], span[1], unit=f.unit, kind=f.kind, source="table")
    d.subject = subject
    d.qualifiers = qualifiers | _flag_qualifiers(f)
    d.scope = scope
    res.drafts.append(d)
    res.pending.append(Pending(d, lemma_of, count_lemma))
    _consume(res, f)


def _numbered_header(cells: list[_Cell], at: int) -> int:
    """Number of columns of a header starting at cells[at] numbered (1)…(n), else 0."""
    n = 0
    while at + n < len(cells):
        m = _COLNUM_RE.search(cells[at + n].text)
        if not m or int(m.group(1)) != n + 1 or not _header_name(cells[at + n]):
            break
        n += 1
    return n if n >= 2 else 0


def _read_cells(text: str, cells: list[_Cell], figures: list[Figure], res: TableResult, *, pipe: bool) -> bool:
    """Read a table of cells with a numbered header (or a ``|`` table); True when a header was found."""
    i = 0
    header_found = False
    while i < len(cells):
        n = _numbered_header(cells, i)
        if not n:
            i += 1
            continue
        header_found = True
        header = cells[i : i + n]
        for h in header:
            res.consumed.append((h.start, h.end))
            for in_header in _figs_in(figures, h.start, h.end):
                res.consumed_figures.add(in_header.start)
        j = i + n
        while j + n <= len(cells):
            row = cells[j : j + n]
            nums = [_numeric_cell(c, figures) for c in row]
            if not any(nums) or any(
                _LIST_ITEM_RE.match(c.text) or len(c.text) > 400 or c.text.rstrip().endswith("?") for c in row
            ):
                break
            label_cell = next((c for c, f in zip(row, nums) if f is None and c.text.strip()), None)
            label = _row_label(label_cell.text) if label_cell else ""
            row_start = min(c.start for c in row if c.end > c.start)
            row_end = max(c.end for c in row)
            for h, _c, f in zip(header, row, nums):
                if f is None:
                    continue
                name = _header_name(h)
                f = _with_label_unit(f, label, name)
                _add_fact(
                    res,
                    f,
                    (row_start, row_end),
                    f"{name} — {label}" if label else name,
                    _header_qualifiers(name) | _row_qualifiers(label),
                    scope_codes(label) if label else [],
                    name,
                )
            j += n
        i = j
    if pipe and not header_found:
        # a | table without numbered headers: each numeric cell with the row label before it
        label_of_row: _Cell | None = None
        for c in cells:
            cell_figure = _numeric_cell(c, figures)
            if cell_figure is None:
                if c.text.strip() and re.search(r"[^\W\d_]{3,}", c.text) and not re.fullmatch(r"[\d.\-]+", c.text.strip()):
                    label_of_row = c
                continue
            if label_of_row is None:
                continue
            name = _row_label(label_of_row.text)
            _add_fact(res, cell_figure, (label_of_row.start, c.end), name, _header_qualifiers(name), scope_codes(name), name)
    return header_found


MAX_COLUMNS = 9
"""Most columns of a one-cell-per-line table read without numbered headers."""
MAX_CELL = 80
"""Longest cell (characters) of such a table: longer lines are prose."""


_WORD = re.compile(r"[^\W\d_]{3,}")


def _text_cell(cell: _Cell) -> bool:
    """A short cell with a word in it, that may be a header or a row label ("10 000 à 14 999 habitants")."""
    t = cell.text.strip()
    return 0 < len(t) <= MAX_CELL and bool(_WORD.search(t)) and not t.endswith((".", ":", ";"))


def _value_cell(cell: _Cell, number: Figure | None) -> bool:
    """A cell of digits and no word ("4 566 291", "64,46", "12 %", "3,2 M€"; also "511, 8", a figure
    mistyped in the source, which keeps the row a row but gives no fact)."""
    return (number is not None or bool(re.search(r"\d", cell.text))) and not _WORD.search(cell.text)


def _rows_at(cells: list[_Cell], nums: list[Figure | None], at: int, n: int) -> int:
    """How many rows of n cells (a text label, then n − 1 numbers) follow from cells[at]."""
    rows = 0
    while at + (rows + 1) * n <= len(cells):
        row = range(at + rows * n, at + (rows + 1) * n)
        if not _text_cell(cells[row[0]]) or not all(_value_cell(cells[k], nums[k]) for k in row[1:]):
            break
        rows += 1
    return rows


def _header_cell(cell: _Cell, number: Figure | None) -> bool:
    """A cell that may head a column: a text cell that is no value, or a year (« 2014 », « Exercice 2014 »)."""
    return (_text_cell(cell) and not _value_cell(cell, number)) or bool(_header_years(cell.text))


def _read_periodic(cells: list[_Cell], figures: list[Figure], res: TableResult) -> None:
    """One cell per line without numbered headers: the header cells, then rows of a text label and
    n − 1 numbers (a scraped HTML table flattened to lines). At least two rows, the best-fitting n.
    The header has n cells, or n − 1 when the flattening dropped the empty corner cell; its cells
    are words or years alone (« 2014 », « 2015 », « À compter de 2018 »). A caption or corner cell
    naming a money unit (« (en millions d'euros) ») scales the bare figures to euros."""
    nums = [_numeric_cell(c, figures) for c in cells]
    i = 0
    while i < len(cells):
        best_n, best_h, best_rows = 0, 0, 0
        for n in range(2, MAX_COLUMNS + 1):
            for h in (n, n - 1):
                if h < 2 or i < h or not all(_header_cell(cells[k], nums[k]) for k in range(i - h, i)):
                    continue
                rows = _rows_at(cells, nums, i, n)
                if rows >= 2 and rows * (n - 1) > best_rows * max(1, best_n - 1):
                    best_n, best_h, best_rows = n, h, rows
        if not best_n:
            i += 1
            continue
        n, h = best_n, best_h
        header = cells[i - h : i]
        columns = header[1:] if h == n else header
        above = [cells[i - h - 1].text] if i - h - 1 >= 0 else []
        scale = next((s for s in (caption_money_scale(t) for t in [*above, header[0].text]) if s is not None), None)
        for c, num in zip(header, nums[i - h : i]):
            res.consumed.append((c.start, c.end))
            if num is not None:
                res.consumed_figures.add(num.start)
        for r in range(best_rows):
            first = i + r * n
            row = cells[first : first + n]
            label = _row_label(row[0].text)
            for col, f in zip(columns, nums[first + 1 : first + n]):
                if f is None:
                    continue
                name = _header_name(col)
                f = _scaled(_with_label_unit(f, label, name), name, scale)
                # "Nombre de communes": a count without a unit counts what its header names
                _add_fact(
                    res,
                    f,
                    (row[0].start, row[-1].end),
                    f"{name} — {label}",
                    _header_qualifiers(name) | _row_qualifiers(label),
                    scope_codes(label),
                    name,
                    count_lemma=f.kind == "count" and f.unit is None,
                )
            # the row label's own figures ("10 000 à 14 999 habitants") name the row, they are no facts
            for f in _figs_in(figures, row[0].start, row[0].end):
                res.consumed_figures.add(f.start)
            res.consumed.append((row[0].start, row[0].end))
        i += best_rows * n


def _read_markdown(
    text: str,
    rows: list[tuple[int, int, list[_Cell]]],
    figures: list[Figure],
    res: TableResult,
    caption_scale: float | None = None,
) -> None:
    if len(rows) < 2:
        return
    header = rows[0][2]
    header_figures = [_numeric_cell(c, figures) for c in header]
    if any(f is not None and f.kind != "date" for f in header_figures):
        header = []
    else:  # column labels, years included (``| en € | 2009 | 2010 |``)
        for c, f in zip(header, header_figures):
            res.consumed.append((c.start, c.end))
            if f is not None:
                res.consumed_figures.add(f.start)
    body = 1 if header else 0
    if header and len(rows) > 2 and _second_header_row(rows[1][2], figures):
        # a header on two rows (``| | 2013 | 2013 | 2014 |`` / ``| | BP | CA | BP |``): one name per column
        second = rows[1][2]
        for c in second:
            res.consumed.append((c.start, c.end))
            for f in _figs_in(figures, c.start, c.end):
                res.consumed_figures.add(f.start)
        top: list[_Cell | None] = list(header)
        for k in range(1, len(top)):
            left, cell = top[k - 1], top[k]
            if cell is not None and left is not None and not cell.text.strip() and left.text.strip():
                top[k] = left  # a name spanning several columns (colspan) names each of them
        header = [_joined_header(top[k] if k < len(top) else None, c) for k, c in enumerate(second)]
        body = 2
    table_scale = column_money_scale(header[0].text) if header else None
    if table_scale is None:
        table_scale = caption_scale
    for rs, re_, cells in rows[body:]:
        nums = [_numeric_cell(c, figures) for c in cells]
        label_cell = next((c for c, f in zip(cells, nums) if f is None and c.text.strip()), None)
        label = _row_label(label_cell.text) if label_cell else ""
        codes = _code_cells(cells, nums, label_cell)
        for k in codes:
            code = nums[k]
            assert code is not None
            res.consumed_figures.add(code.start)
            res.consumed.append((code.start, code.end))
            nums[k] = None
        if codes and label:
            label = " ".join(cells[k].text.strip() for k in codes) + " " + label
        for k, (_c, f) in enumerate(zip(cells, nums)):
            if f is None:
                continue
            name = _header_name(header[k]) if k < len(header) else ""
            f = _scaled(_with_label_unit(f, label, name), name, table_scale)
            _add_fact(
                res,
                f,
                (rs, re_),
                f"{name} — {label}" if name and label else (name or label),
                _header_qualifiers(name) | _row_qualifiers(label),
                (scope_codes(label) if label else []) + _header_years(name),
                label if _header_years(name) else (name or label),
                count_lemma=f.kind == "count" and f.unit is None and not name,
            )


def _second_header_row(cells: list[_Cell], figures: list[Figure]) -> bool:
    """True for a row under a table's header that names columns too: no figure but years, and words or
    years in at least two cells after the first (``| | BP | CA | BP | CA |``; not a block label row
    ``| Charges de gestion | | |`` nor a row of dashes)."""
    if any(f.kind != "date" for c in cells for f in _figs_in(figures, c.start, c.end)):
        return False
    named = [c for c in cells[1:] if re.search(r"[^\W\d_]{2,}|(?:19|20)\d\d", c.text)]
    return len(named) >= 2


def _joined_header(top: _Cell | None, bottom: _Cell) -> _Cell:
    """One column's name from a header on two rows: the top row's name, then the bottom row's."""
    upper = _header_name(top) if top is not None else ""
    lower = _header_name(bottom)
    if not upper or upper == lower:
        return bottom
    if not lower:
        return _Cell(top.start, top.end, upper) if top is not None else bottom
    return _Cell(bottom.start, bottom.end, f"{upper} {lower}")


_GROUPED_RE = re.compile(r"\d[ \u00a0\u202f]\d{3}")
"""A number written with thousands grouped (``136 366``)."""


def _code_cells(cells: list[_Cell], nums: list[Figure | None], label_cell: _Cell | None) -> list[int]:
    """Cells before the row label holding a code, not an amount: an integer of 4+ digits written ungrouped
    (``7364``) in a row that groups the thousands of its amounts (``136 366``)."""
    if label_cell is None or not any(f is not None and _GROUPED_RE.search(f.raw) for f in nums):
        return []
    out = []
    for k, (c, f) in enumerate(zip(cells, nums)):
        if c is label_cell:
            break
        if f is not None and re.fullmatch(r"\d{4,}", f.raw) and f.kind != "date":
            out.append(k)
    return out


def _header_years(name: str) -> list[str]:
    """The year a column header names (``2014``, ``Exercice 2014``), as a scope entry."""
    return list(_header_years_of(name))


@lru_cache(maxsize=4096)
def _header_years_of(name: str) -> tuple[str, ...]:
    """:func:`_header_years`, cached (every cell of a column asks twice)."""
    return tuple(_read_header_years(name))


def _read_header_years(name: str) -> list[str]:
    m = re.fullmatch(r"(?:[^\W\d_][\w.'’ ]{0,30}\s)?((?:19|20)\d\d)", name.strip())
    if m:
        return [m.group(1)]
    # a header on two rows: ``2014 CA``, ``2013 Débits`` (one year, a short column name after it)
    m = re.fullmatch(r"((?:19|20)\d\d)\s[^\W\d_][\w.'’ ]{0,30}", name.strip())
    return [m.group(1)] if m else []


def _scaled(f: Figure, header: str, table_scale: float | None) -> Figure:
    """A bare count under a header (or in a table) naming a money unit, as that amount in euros."""
    scale = column_money_scale(header) if header else None
    if scale is None and not (header and re.search(r"[^\W\d_]{2,}", header) and not _header_years(header)):
        scale = table_scale
    if scale is None or f.kind not in ("count", "other") or f.unit is not None or f.scaled:
        return f
    return dataclasses.replace(f, value=f.value * scale, kind="money", unit="EUR", scaled=scale != 1)


_NAMED_UNIT_RE = re.compile(r"(?:\ben\s+|\(\s*(?:en\s+)?)(%|[^\W\d_]+)(?=\s*\)|[\s,;]|$)", re.IGNORECASE)
"""A unit a row label or column header names: ``… en années``, ``(en jours)``, ``Taux (%)``, ``en %``."""

_PERCENT_WORDS = frozenset({"%", "pourcentage", "pourcentages", "percent"})
"""Words of a label that make its bare figures percentages."""


def _label_unit(text: str) -> tuple[FactKind, str] | None:
    """(kind, unit) a row label or column header gives its bare figures: a duration or a percentage; None otherwise."""
    from assistant.analysis.analyzer import fold
    from assistant.lang import lexicon

    durations = lexicon().duration_units
    for m in _NAMED_UNIT_RE.finditer(text):
        word = fold(m.group(1))
        if word in _PERCENT_WORDS:
            return "percent", "%"
        if word in durations:
            return "duration", durations[word]
    return None


def _with_label_unit(f: Figure, *names: str) -> Figure:
    """A bare figure of a cell as the duration or percentage its row label or column header names
    (``Capacité de désendettement en années`` | ``4,9`` → 4,9 years); other figures unchanged."""
    if f.unit is not None or f.kind not in ("count", "other") or f.scaled:
        return f
    for name in names:
        found = _label_unit(name) if name else None
        if found is not None:
            kind, unit = found
            return dataclasses.replace(f, kind=kind, unit=unit)
    return f


def _flag_qualifiers(f: Figure) -> set[str]:
    q = set()
    if f.approx:
        q.add("approximatif")
    if f.minimum:
        q.add("minimum")
    if f.maximum:
        q.add("maximum")
    return q


_INDICATOR_RE = re.compile(r"^(?P<label>[^:]{3,200}?)\s*:\s*(?P<rest>.+)$")


def _read_pairs(text: str, lines: list[tuple[int, int]], used: set[int], figures: list[Figure], res: TableResult) -> None:
    for i in range(1, len(lines)):
        if i in used or (i - 1) in used:
            continue
        vs, ve = lines[i]
        value = _numeric_cell(_Cell(vs, ve, text[vs:ve]), figures)
        if value is None or value.start in res.consumed_figures or value.kind in ("date", "rank"):
            continue
        ps, pe = lines[i - 1]
        prev = text[ps:pe]
        if text[pe:vs].count("\n") > 4:
            continue
        prev_figs = [f for f in _figs_in(figures, ps, pe) if f.start not in res.consumed_figures]
        m = _INDICATOR_RE.match(prev)
        if m and prev_figs:
            rest_start = ps + m.start("rest")
            target = next((f for f in prev_figs if f.start >= rest_start), None)
            if target is None or target.kind != value.kind or target.start - rest_start > 30:
                continue
            label = _norm(m.group("label"))
            tail = prev[target.end - ps :]
            t = Draft(target, ps, pe, unit=target.unit, kind=target.kind, source="indicator")
            t.subject = label
            t.qualifiers = {"objectif"} | (_header_qualifiers(tail) - {"objectif", "réalisé"}) | _flag_qualifiers(target)
            t.scope = scope_codes(prev)
            a = Draft(value, ps, ve, unit=value.unit, kind=value.kind, source="indicator")
            a.subject = label
            a.qualifiers = {"réalisé"} | _flag_qualifiers(value)
            a.scope = scope_codes(prev)
            for d, f in ((t, target), (a, value)):
                res.drafts.append(d)
                res.pending.append(Pending(d, label, f.kind == "count" and f.unit is None))
                _consume(res, f)
            continue
        if prev_figs or len(prev) > 120 or prev.rstrip()[-1:] in ".?!:;|" or _numeric_cell(_Cell(ps, pe, prev), figures):
            continue
        if not re.search(r"[^\W\d_]{2,}", prev) or _LIST_ITEM_RE.match(prev):
            continue
        label = _norm(prev)
        _add_fact(
            res,
            value,
            (ps, ve),
            label,
            _header_qualifiers(label),
            scope_codes(prev),
            label,
            count_lemma=value.kind == "count" and value.unit is None,
        )


_TAB_CAPTION_GAP = 3
"""Lines without tabs after which a tab table's header and caption no longer apply."""


@lru_cache(maxsize=1)
def _unit_words() -> dict[str, float]:
    """Word → multiplier in euros, from ``assistant/data/column_units.tsv``."""
    out: dict[str, float] = {}
    data = resources.files("assistant.data").joinpath("column_units.tsv").read_text(encoding="utf-8")
    for line in data.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, multiplier = line.split("\t")[:2]
        out[word.strip().casefold()] = float(multiplier)
    return out


@lru_cache(maxsize=4096)
def column_money_scale(header: str) -> float | None:
    """The euros one bare figure stands for under `header` (``en millions €`` → 1e6); None when it names no money unit.

    A header of a rate (``Euros par habitant``, ``€/hab.``) names no amount: None.
    """
    lower = _norm(header).casefold()
    if re.search(r"\bpar\b|/", lower):
        return None
    words = _unit_words()
    found = [w for w in re.findall(r"[^\W\d_]+€|€|[^\W\d_]+", lower) if w in words]
    if not any("€" in w or words[w] == 1 for w in found):
        return None
    scale = 1.0
    for w in found:
        scale = max(scale, words[w])
    return scale


_CAPTION_UNIT_RE = re.compile(r"(?:\(\s*en\s+[^()]{1,30}\)|^\s*\(?en\s+[^()]{1,30}\)?)\s*[.:]?\s*$", re.IGNORECASE)
"""A table caption's unit: ``Tableau n° 17 : Subvention à l'office (en €)``, ``En milliers d'euros``."""


def caption_money_scale(caption: str) -> float | None:
    """The euros one bare figure stands for in the table under `caption`, when the caption ends by
    naming a money unit (``… (en €)``, ``(en milliers d'euros)``, a line ``En M€``); None otherwise
    (``Les projets supérieurs à 50 000 €`` names an amount, not the table's unit)."""
    m = _CAPTION_UNIT_RE.search(caption) if caption and len(caption) <= 200 else None
    return column_money_scale(m.group()) if m else None


def _split_cells(text: str, start: int, end: int, separator: str, keep_empty: bool = False) -> list[_Cell]:
    """The cells of the line ``text[start:end]`` cut at `separator`, stripped of spaces, with their offsets
    (blank cells kept only with `keep_empty`: a pipe table's columns are positional)."""
    cells = []
    for m in re.finditer(f"[^{re.escape(separator)}]+", text[start:end]):
        cs, ce = start + m.start(), start + m.end()
        while cs < ce and text[cs].isspace():
            cs += 1
        while ce > cs and text[ce - 1].isspace():
            ce -= 1
        if keep_empty or ce > cs:
            cells.append(_Cell(cs, ce, text[cs:ce]))
    return cells


def _header_for(header: list[_Cell], cells: list[_Cell], numeric: list[int], k: int) -> str:
    """The header of the cell cells[k] (one of the row's numeric cells), or ''."""
    if len(header) == len(cells):
        return _header_name(header[k])
    if len(header) == len(numeric) or (len(header) < len(numeric) and len(header) > 0):
        from_right = len(numeric) - numeric.index(k)
        if from_right <= len(header):
            return _header_name(header[-from_right])
    return ""


def _read_tab_rows(text: str, lines: list[tuple[int, int]], used: set[int], figures: list[Figure], res: TableResult) -> None:
    """Facts of tab-separated rows (see the module docstring)."""
    header: list[_Cell] = []
    header_line = -2  # the line the header ends on
    caption_scale: float | None = None
    without_tab = 0
    caption = ""  # the short line without figures just read (a caption set on two lines: "En milliers" / "d'Euros")
    for i, (s, e) in enumerate(lines):
        if i in used:
            continue
        line = text[s:e]
        if "\t" not in line:
            without_tab += 1
            if without_tab > _TAB_CAPTION_GAP:
                header, caption_scale = [], None
            if len(line) <= 80 and not _figs_in(figures, s, e):
                if header_line == i - 1:
                    header_line = i  # a label set between the two lines of a header stays out of it
                scale = column_money_scale(f"{caption} {line}") if caption else None
                if scale is None:
                    scale = column_money_scale(line)
                if scale is not None:
                    caption_scale, without_tab = scale, 0
                caption = line
            else:
                caption = ""
            continue
        without_tab = 0
        caption = ""
        cells = _split_cells(text, s, e, "\t")
        nums = [_numeric_cell(c, figures) for c in cells]
        years = [f for f in nums if f is not None and f.kind == "date"]
        if years and len(years) == sum(f is not None for f in nums) and len(years) >= len(cells) - 1:
            header = cells  # a header of years (``en milliers d'euros  2021  2022``)
            for f in years:
                res.consumed_figures.add(f.start)
            scale = column_money_scale(cells[0].text) if len(years) < len(cells) else None
            caption_scale = scale if scale is not None else caption_scale
            continue
        if not any(nums):
            if all(len(c.text) <= 80 and re.search(r"[^\W\d_]", c.text) for c in cells):
                if header_line == i - 1 and len(cells) <= len(header):
                    # a header set on two lines ("Axe | Montant | Taux de" / "programmé | réalisation"):
                    # cell by cell, the shorter line matched from the right (its first cells are empty)
                    top = header[len(header) - len(cells) :]
                    joined = [_Cell(h.start, c.end, f"{_norm(h.text)} {_norm(c.text)}") for h, c in zip(top, cells)]
                    cells = header[: len(header) - len(cells)] + joined
                elif len(cells) < len(header):
                    # a partial header further down (a block label, "en % des produits"): it renames
                    # the last columns, the first keep their names
                    cells = header[: len(header) - len(cells)] + cells
                header, header_line = cells, i
            continue
        labels = [c for c, f in zip(cells, nums) if f is None and re.search(r"[^\W\d_]{2,}", c.text)]
        if not labels:
            continue
        used.add(i)
        label = _row_label(labels[0].text)
        numeric = [k for k, f in enumerate(nums) if f is not None]
        for k in numeric:
            found = nums[k]
            assert found is not None
            f = found
            if f.kind in ("date", "rank"):
                continue
            name = _header_for(header, cells, numeric, k)
            f = _scaled(_with_label_unit(f, label, name), name, caption_scale)
            _add_fact(
                res,
                f,
                (s, e),
                f"{name} — {label}" if name else label,
                _header_qualifiers(name) | _row_qualifiers(label),
                scope_codes(label) + _header_years(name),
                label,
            )


CHART_LABEL_LINES = 4
"""Most lines of a chart label set above its figures (``Transition écologique,`` / ``biodiversité et`` …)."""

CHART_LABEL_CHARS = 60
"""Longest line of such a label: longer lines are prose."""

_CHART_REST_RE = re.compile(r"[\s–—\-/()%]*(?:[^\W\d_]{1,6}\.?)?[\s–—\-/()%]*")
"""What a chart's value line holds besides its figures: dashes, brackets and at most one short unit word (``ETPT``)."""


def _read_chart_labels(text: str, lines: list[tuple[int, int]], used: set[int], figures: list[Figure], res: TableResult) -> None:
    """A chart's data label: a few short lines naming a category, then a line of its figures only
    (``Éducation nationale`` / ``1 085 258 ETPT – 53,8%``): each figure gets the label as subject."""
    for i in range(1, len(lines)):
        if i in used:
            continue
        vs, ve = lines[i]
        figs = [f for f in _figs_in(figures, vs, ve) if f.start not in res.consumed_figures]
        if len(figs) < 2 or len(_figs_in(figures, vs, ve)) != len(figs) or any(f.kind in ("date", "rank") for f in figs):
            continue
        rest, at = [], vs
        for f in figs:
            rest.append(text[at : f.start])
            at = f.end
        rest.append(text[at:ve])
        if not _CHART_REST_RE.fullmatch("".join(rest)):
            continue
        label_lines = _chart_label(text, lines, used, figures, i)
        if not label_lines:
            continue
        ls = lines[label_lines[0]][0]
        label = _norm(" ".join(text[a:b] for a, b in (lines[k] for k in label_lines)))
        for f in figs:
            _add_fact(res, f, (ls, ve), label, _header_qualifiers(label), scope_codes(label), label)


def _chart_label(text: str, lines: list[tuple[int, int]], used: set[int], figures: list[Figure], at: int) -> list[int]:
    """The lines of the label above the value line `at` (its first line in upper case, the next ones
    carrying it on in lower case), or [] when the line above is no label."""
    out: list[int] = []
    k = at - 1
    while k >= 0 and len(out) < CHART_LABEL_LINES and k not in used:
        s, e = lines[k]
        line = text[s:e]
        if (
            len(line) > CHART_LABEL_CHARS
            or _figs_in(figures, s, e)
            or "\t" in line
            or line.startswith("#")
            or line.rstrip()[-1:] in ".;:?!"
            or _LIST_ITEM_RE.match(line)
            or not re.search(r"[^\W\d_]{2,}", line)
        ):
            break
        out.insert(0, k)
        if line[:1].isupper():
            return out
        k -= 1
    return []
