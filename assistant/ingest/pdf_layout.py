"""A PDF page's lines from the positions of its characters (PDFium char boxes).

PDFium returns a page's text in content-stream order, one line per text line
it recognised.  That order is the reading order for most reports, but two
things only the positions tell:

* **columns of a table**: the cells of a row come out separated by one space
  (``Défense 66 475 476 236 66 475``); a horizontal gap wider than
  :data:`CELL_GAP` times the font height between two characters of a line
  (:data:`WRITTEN_GAP` when the gap holds a space of the text itself: a
  justified line stretches its spaces; between two cells PDFium usually
  infers one) marks a cell boundary, written as :data:`CELL_SEPARATOR` (a
  tab in the document text);
* **a scrambled layer**: some generators (positioned layouts, forms) write
  the text boxes in an order unrelated to the page — values first, their
  labels a hundred lines later.  A page is judged scrambled when, going
  through its lines (or its cells) in stream order, more than
  :data:`SCRAMBLED_SHARE` of the steps between lines (cells) that share a
  column (their extents overlap) move *up* the page (normal text only moves
  up when it changes column).
  Such a page is rebuilt from positions: pieces grouped into rows by their
  vertical position, each row read left to right.

* **headers, footers and titles written out of place**: lines written last
  that stand above every other line (a title the generator wrote at the
  end) go to the top, lines written first that stand below every other (a
  footer) go to the bottom (:func:`edges_in_place`).

Rotated pages (``/Rotate 90``, text running up the sheet) are read in the
direction their characters advance.  Nothing here reads or writes the text
itself: characters come out as PDFium gives them, only line breaks and cell
separators are placed.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

CELL_SEPARATOR = "\x1f"
"""What separates two cells of a table row in a layout's text (:mod:`assistant.ingest.pdf` writes it as a tab)."""

CELL_GAP = 1.5
"""A horizontal gap wider than this many font heights separates two cells."""

WRITTEN_GAP = 3.0
"""The same, when the gap holds a space of the text itself: a justified line stretches its spaces, rarely this far."""

SCRAMBLED_SHARE = 0.2
"""Share of upward same-column steps above which a page's text order is rebuilt from positions."""

BOLD_WEIGHT = 600
"""PDFium font weight from which a character is bold."""

SCRAMBLED_MIN_STEPS = 3
"""Fewer upward steps never make a page scrambled (a footer printed first, a side note)."""


@dataclass
class Piece:
    """A run of characters on one line without a cell gap, with its box in reading coordinates."""

    text: str = ""
    """The characters, as PDFium gives them (generated spaces included)."""
    left: float = 0.0
    """Start of the run along the reading direction."""
    right: float = 0.0
    """End of the run along the reading direction."""
    bottom: float = 0.0
    """Lowest point of the run (larger is higher on the page)."""
    top: float = 0.0
    """Highest point of the run."""
    styles: Counter[tuple[float, bool]] = field(default_factory=Counter)
    """Characters of each font style (size rounded to half a point, bold) in the run."""

    @property
    def height(self) -> float:
        """The run's font height (at least 1 point)."""
        return max(self.top - self.bottom, 1.0)

    @property
    def middle(self) -> float:
        """Vertical centre of the run."""
        return (self.top + self.bottom) / 2


@dataclass
class PageLayout:
    """The lines of one page, each a list of pieces (cells)."""

    lines: list[list[Piece]] = field(default_factory=list)
    """Lines in reading order; the pieces of a line are its cells, left to right."""
    reordered: bool = False
    """True when the stream order was judged scrambled and the lines were rebuilt from positions."""

    def line_texts(self) -> list[str]:
        """One string per line, cells separated by :data:`CELL_SEPARATOR`."""
        return [CELL_SEPARATOR.join(p.text.replace("\t", " ").strip() for p in line if p.text.strip()) for line in self.lines]

    def line_styles(self) -> list[Counter[tuple[float, bool]]]:
        """The characters of each font style in each line (aligned with :meth:`line_texts`)."""
        out = []
        for line in self.lines:
            styles: Counter[tuple[float, bool]] = Counter()
            for piece in line:
                styles.update(piece.styles)
            out.append(styles)
        return out

    def text(self) -> str:
        """The page text: one line per line, cells separated by :data:`CELL_SEPARATOR`."""
        return "\n".join(self.line_texts())


def page_layout(textpage: Any, raw: Any) -> PageLayout | None:
    """The layout of a PDFium text page (``raw`` is ``pypdfium2.raw``); None when positions are unusable."""
    text = textpage.get_text_range()
    count = textpage.count_chars()
    if len(text) != count or count == 0:
        return None
    handle = textpage.raw
    generated = [bool(raw.FPDFText_IsGenerated(handle, i)) for i in range(count)]
    boxes = _char_boxes(textpage, raw, count)
    styles = _char_styles(textpage, raw, text, generated)
    transform = _reading_transform(text, boxes, generated)
    lines = _stream_lines(text, boxes, generated, styles, transform)
    layout = PageLayout(lines)
    if is_scrambled(lines):
        layout.lines = rows_by_position([p for line in lines for p in line])
        layout.reordered = True
    else:
        layout.lines = edges_in_place(lines)
    return layout


EDGE_MOVES = 3
"""At most this many lines written at one end of the stream are moved to the page edge they stand at."""


def edges_in_place(lines: list[list[Piece]]) -> list[list[Piece]]:
    """Lines written last but standing above every other line (a title or header the generator wrote
    at the end) moved to the top, and lines written first but standing below every other (a footer)
    moved to the bottom, in their top-to-bottom order."""
    lines = [line for line in lines if any(p.text.strip() for p in line)]
    if len(lines) < 4:
        return lines
    boxes = [_extent(line) for line in lines]
    tail = 0
    while tail < EDGE_MOVES and tail + 2 < len(lines):
        candidate = boxes[len(lines) - 1 - tail]
        if candidate.bottom <= max(b.top for b in boxes[: len(lines) - 1 - tail]):
            break
        tail += 1
    head = 0
    while head < EDGE_MOVES and head + 2 < len(lines) - tail:
        candidate = boxes[head]
        if candidate.top >= min(b.bottom for b in boxes[head + 1 : len(lines) - tail]):
            break
        head += 1
    if not head and not tail:
        return lines
    order = list(range(len(lines)))
    top = sorted(order[len(lines) - tail :], key=lambda i: -boxes[i].middle)
    bottom = sorted(order[:head], key=lambda i: -boxes[i].middle)
    middle = order[head : len(lines) - tail]
    return [lines[i] for i in top + middle + bottom]


def _char_styles(textpage: Any, raw: Any, text: str, generated: list[bool]) -> list[tuple[float, bool] | None]:
    """(size rounded to half a point, bold) of each glyph, None for spaces and generated characters.

    The size is the font size times the scale of the character's text matrix:
    the font size alone is 1.0 for text set at size 1 and scaled by its matrix.
    """
    handle = textpage.raw
    font_size, font_weight = raw.FPDFText_GetFontSize, raw.FPDFText_GetFontWeight
    get_matrix = getattr(raw, "FPDFText_GetMatrix", None)
    matrix = raw.FS_MATRIX() if get_matrix is not None and hasattr(raw, "FS_MATRIX") else None
    out: list[tuple[float, bool] | None] = []
    for i, ch in enumerate(text):
        if generated[i] or ch.isspace():
            out.append(None)
            continue
        size = font_size(handle, i)
        if matrix is not None and get_matrix is not None and get_matrix(handle, i, matrix):
            size *= abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        out.append((round(size * 2) / 2, font_weight(handle, i) >= BOLD_WEIGHT))
    return out


def _char_boxes(textpage: Any, raw: Any, count: int) -> list[tuple[float, float, float, float]]:
    """The loose box (left, bottom, right, top) of each character, one PDFium call each (one reused struct)."""
    rect_type = getattr(raw, "FS_RECTF", None)
    if rect_type is None:  # a stand-in for PDFium (tests)
        return [textpage.get_charbox(i, loose=True) for i in range(count)]
    rect = rect_type()
    loose_box = raw.FPDFText_GetLooseCharBox
    handle = textpage.raw
    out = []
    for i in range(count):
        if loose_box(handle, i, rect):
            out.append((rect.left, rect.bottom, rect.right, rect.top))
        else:
            out.append((0.0, 0.0, 0.0, 0.0))
    return out


def _reading_transform(text: str, boxes: list[tuple[float, float, float, float]], generated: list[bool]):
    """A function (l, b, r, t) → (left, bottom, right, top) in the direction the characters advance."""
    dx = dy = 0.0
    previous = None
    for ch, box, gen in zip(text, boxes, generated):
        if ch in "\r\n":
            previous = None
            continue
        if gen or box[2] <= box[0]:
            continue
        centre = ((box[0] + box[2]) / 2, (box[1] + box[3]) / 2)
        if previous is not None:
            dx += centre[0] - previous[0]
            dy += centre[1] - previous[1]
        previous = centre
    if abs(dy) > 2 * abs(dx):
        if dy > 0:  # text runs up the sheet: the page is shown turned a quarter clockwise
            return lambda b: (b[1], -b[2], b[3], -b[0])
        return lambda b: (-b[3], b[0], -b[1], b[2])
    if dx < 0 and abs(dx) > 2 * abs(dy):
        return lambda b: (-b[2], -b[3], -b[0], -b[1])
    return lambda b: (b[0], b[1], b[2], b[3])


def _stream_lines(text: str, boxes, generated: list[bool], styles, transform) -> list[list[Piece]]:
    """PDFium's lines, in stream order, each cut into pieces at cell gaps.

    The hot loop of PDF reading (one pass per character): the open piece is
    kept in local variables and made a :class:`Piece` when it closes.
    """
    lines: list[list[Piece]] = []
    current: list[Piece] = []
    chars: list[str] = []  # the open piece's characters ([] when none is open)
    piece_styles: list[tuple[float, bool]] = []
    p_left = p_right = p_bottom = p_top = 0.0
    written_space = False  # a space of the text itself (not one PDFium inferred) since the last glyph
    gap_limit = CELL_GAP

    def close() -> None:
        current.append(Piece("".join(chars), p_left, p_right, p_bottom, p_top, Counter(piece_styles)))
        chars.clear()
        piece_styles.clear()

    for ch, box, gen, style in zip(text, boxes, generated, styles):
        if ch == "\r" or ch == "\n":
            if chars:
                close()
            if current:
                lines.append(current)
                current = []
            continue
        left, bottom, right, top = transform(box)
        if gen or right <= left or top <= bottom or ch.isspace():
            if chars:
                chars.append(ch)
            if not gen and ch.isspace():
                written_space = True
            continue
        if chars:
            height = p_top - p_bottom
            if height < 1.0:
                height = 1.0
            if left < p_left - height or abs((top + bottom - p_top - p_bottom) / 2) > height:
                close()  # back to the left or onto another line: PDFium joined two lines
                lines.append(current)
                current = []
            elif left - p_right > (WRITTEN_GAP if written_space else gap_limit) * height:
                close()  # a gap between two text runs: the next cell of a row
        written_space = False
        if not chars:
            p_left, p_right, p_bottom, p_top = left, right, bottom, top
        else:
            if right > p_right:
                p_right = right
            if bottom < p_bottom:
                p_bottom = bottom
            if top > p_top:
                p_top = top
        chars.append(ch)
        if style is not None:
            piece_styles.append(style)
    if chars:
        close()
    if current:
        lines.append(current)
    return lines


def is_scrambled(lines: list[list[Piece]]) -> bool:
    """True when the stream order of the lines often goes back up within a column (see the module docstring)."""
    line_boxes = [_extent(line) for line in lines if any(p.text.strip() for p in line)]
    cells = [p for line in lines for p in line if p.text.strip()]
    return _goes_up(line_boxes) or _goes_up(cells)


def _goes_up(boxes: list[Piece]) -> bool:
    """True when many steps between successive boxes sharing a column move up the page."""
    same_column = upward = 0
    for a, b in zip(boxes, boxes[1:]):
        if min(a.right, b.right) - max(a.left, b.left) <= 0:
            continue  # a change of column (or a cell to the right)
        same_column += 1
        if b.middle > a.middle + a.height / 2:
            upward += 1
    return upward >= SCRAMBLED_MIN_STEPS and upward > SCRAMBLED_SHARE * same_column


def _extent(line: list[Piece]) -> Piece:
    """A line's box: from its first cell's start to its last cell's end."""
    return Piece(
        "".join(p.text for p in line),
        min(p.left for p in line),
        max(p.right for p in line),
        min(p.bottom for p in line),
        max(p.top for p in line),
    )


def rows_by_position(pieces: list[Piece]) -> list[list[Piece]]:
    """Pieces grouped into rows (top to bottom) by vertical overlap, each row left to right; close pieces merged."""
    rows: list[list[Piece]] = []
    for piece in sorted((p for p in pieces if p.text.strip()), key=lambda p: -p.middle):
        if rows:
            row = rows[-1]
            reference = row[0]
            if abs(piece.middle - reference.middle) <= min(piece.height, reference.height) / 2:
                row.append(piece)
                continue
        rows.append([piece])
    out = []
    for row in rows:
        row.sort(key=lambda p: p.left)
        merged: list[Piece] = []
        for piece in row:
            last = merged[-1] if merged else None
            if last is not None and piece.left - last.right <= CELL_GAP * min(last.height, piece.height):
                joiner = "" if last.text.endswith(" ") else " "
                last.text = last.text.rstrip() + joiner + piece.text.strip()
                last.right = max(last.right, piece.right)
                last.styles.update(piece.styles)
                continue
            merged.append(Piece(piece.text.strip(), piece.left, piece.right, piece.bottom, piece.top, Counter(piece.styles)))
        out.append(merged)
    return out
