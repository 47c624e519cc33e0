"""Headings of a PDF from its fonts: lines set larger or bolder than the body text.

A PDF says nothing of its structure, but its typography does: the body text
is the font style (size, bold) holding most characters, and a heading is a
short line set entirely in a larger size, or in bold when the body is not.
Each such style is a heading level, the largest first (at most
:data:`MAX_LEVELS`); the styles used only on the first page (the cover) and
the largest style set on a single line are the document's title — joined on
one line, not a heading above every section (the PDF may even write it after
the first chapter).  Headings are written as Markdown ``#`` lines, as the
DOCX, ODT and HTML extractors write theirs, so that
:func:`~assistant.ingest.sections.split_sections` nests them; numbered
headings set in the body font are still recognised there by their numbers.

A heading set on several lines is joined into one line.  Not headings,
whatever their font: lines over :data:`MAX_HEADING_CHARS`,
lines ending like a sentence (``. , ; :``), lines opening with a parenthesis
(a caption: ``(art. 147 de la loi de finances)``), table rows with figures, lines
that start with a figure other than a section number (``383 personnes ont
répondu`` set in bold is a highlighted finding), mixed-style lines (a bold
lead-in followed by prose).  When a style is not rare enough to be a heading
(over :data:`MAX_HEADING_SHARE` of the lines), it marks nothing.
"""

from __future__ import annotations

import re
from collections import Counter

from assistant.ingest.pdf_layout import CELL_SEPARATOR

MAX_LEVELS = 4
"""Heading levels told apart by font style."""

MAX_HEADING_CHARS = 120
"""Longer lines are never headings."""

MAX_HEADING_SHARE = 0.15
"""A style on more than this share of the lines is body text (emphasis), not a heading level."""

UNIFORM_SHARE = 0.9
"""Share of a line's characters that must be in one style for the line to have that style."""

LARGER = 1.12
"""A heading font is at least this many times the body size, unless it is bold and the body is not."""

_SECTION_NUMBER_RE = re.compile(r"^(?:\d{1,3}(?:[.\-]\d{1,3})*|[IVXLC]{1,6}|[A-Z])\s*[.)–—\-:]?\s+[^\W\d_]")
"""A line that starts with a section number followed by its title (``1.2 Titre``, ``II – Titre``, ``3. Titre``)."""

_CELL_FIGURE_RE = re.compile(r"\d")

Style = tuple[float, bool]
"""Font size (half points) and bold."""


def line_style(styles: Counter[Style]) -> Style | None:
    """The style of a line whose characters are nearly all in one style, else None."""
    total = sum(styles.values())
    if not total:
        return None
    style, count = styles.most_common(1)[0]
    return style if count >= UNIFORM_SHARE * total else None


def heading_levels(pages: list[tuple[list[str], list[Counter[Style]]]]) -> dict[Style, int]:
    """Style → heading level (1 = largest) for the styles of a document that mark headings; 0 for its title's."""
    chars: Counter[Style] = Counter()
    line_counts: Counter[Style] = Counter()
    on_pages: dict[Style, set[int]] = {}
    lines = 0
    for number, (texts, styles) in enumerate(pages):
        previous: Style | None = None
        for text, counter in zip(texts, styles):
            chars.update(counter)
            lines += 1
            style = line_style(counter)
            if style is not None and style != previous and _may_be_heading(text):
                line_counts[style] += 1  # a heading set on two lines counts once
                on_pages.setdefault(style, set()).add(number)
            previous = style
    if not chars:
        return {}
    body, body_chars = chars.most_common(1)[0]
    if body_chars < 0.4 * sum(chars.values()):
        return {}  # no dominant body style: typography tells nothing
    body_size, body_bold = body
    candidates = [
        style
        for style, count in line_counts.items()
        if style != body
        and count <= MAX_HEADING_SHARE * lines
        and (style[0] >= LARGER * body_size or (style[1] and not body_bold and style[0] >= body_size - 0.5))
    ]
    candidates.sort(key=lambda s: (-s[0], not s[1]))
    levels: dict[Style, int] = {}
    if len(pages) > 1:
        # the cover: types used on the first page only are the title's, level 0 (one line each, no mark)
        for style in [c for c in candidates if on_pages.get(c) == {0}]:
            levels[style] = 0
            candidates.remove(style)
    if len(candidates) > 1 and line_counts[candidates[0]] == 1:
        levels[candidates.pop(0)] = 0  # the title (the largest type, once): not a heading over every section
    levels.update({style: level for level, style in enumerate(candidates[:MAX_LEVELS], start=1)})
    return levels


def mark_headings(pages: list[tuple[list[str], list[Counter[Style]]]]) -> list[str]:
    """The page texts with each heading line prefixed by ``#`` marks of its level."""
    levels = heading_levels(pages)
    out = []
    for texts, styles in pages:
        lines: list[str] = []
        previous: Style | None = None  # style of the heading the last line holds
        for text, counter in zip(texts, styles):
            style = line_style(counter)
            level = levels.get(style) if style is not None else None
            if level is None or not text.strip():
                lines.append(text)
                previous = None
                continue
            words = text.replace(CELL_SEPARATOR, " ").strip()
            if style == previous and _continues(words) and len(lines[-1]) + len(words) <= 2 * MAX_HEADING_CHARS:
                lines[-1] = lines[-1] + " " + words  # a heading set on two lines
                continue
            if _may_be_heading(text):
                lines.append(("#" * level + " " if level else "") + words)  # level 0: the title, one line, no mark
                previous = style
            else:
                lines.append(text)
                previous = None
        out.append("\n".join(lines))
    return out


def _continues(words: str) -> bool:
    """True for a line that can carry on the heading above it (words, not a number or a list item)."""
    return (
        sum(c.isalpha() for c in words) >= 3
        and not words[0].isdigit()
        and not words.startswith(("-", "—", "–", "•", "*"))
        and words[-1] not in ".,;:"
    )


def _may_be_heading(text: str) -> bool:
    """True for a line that could be a heading whatever its font (see the module docstring)."""
    line = text.strip()
    if not 2 < len(line) <= MAX_HEADING_CHARS or line[-1] in ".,;:" or sum(c.isalpha() for c in line) < 3:
        return False
    cells = line.split(CELL_SEPARATOR)
    if any(_CELL_FIGURE_RE.search(cell) and not re.search(r"[^\W\d_]{2,}", cell) for cell in cells[1:]):
        return False  # a table row
    if line[0].isdigit() and not _SECTION_NUMBER_RE.match(line.replace(CELL_SEPARATOR, " ")):
        return False
    if line[0].islower():
        return False  # the end of a line above (a heading wrapped in another type, a sentence)
    return not line.startswith(("#", "-", "—", "–", "•", "*", "("))
