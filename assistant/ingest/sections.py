"""Headings, sections and passages of a plain-text or Markdown document.

A section is the text under one heading path, cut at noise (sections never
hold noise) and split into passages of about ``passage_chars`` at sentence
ends.  The heading line opens the first passage of its section (BM25 then
matches the words of the heading); later passages carry the heading path
only.  A heading with no text of its own before the next heading is merged
into the next section (``III. … / A. … / 1. …`` become one passage whose path
is the three of them); one followed only by noise is dropped.

Headings in plain text:

* numbered: ``7.2.2 – …``, ``2.3 Stratégie``, ``3. Les résultats``, ``1)``,
  ``4-6-2 : …``, Roman ``I – …``, letters ``A. …``, ``b) …``, ``(1) …``;
* prefixed: ``Action n°7.7 : …``, ``7 Action n°7.7 : …``, ``action 7.3 – …``,
  ``Article 4``, ``Chapitre 2``, ``Titre II``…;
* upper-case lines (``LISTE DES PROJETS``);
* short capitalised title lines, without final punctuation, followed by prose.

Numbered and prefixed headings nest by kind and depth (Titre > Chapitre >
I > A > 1 > 1.1 > 1.1.1 > a) > (1)); a heading of the same or a shallower
rank closes the deeper ones.  Upper-case and title lines are *weak*: they
nest under the numbered path, a title nests under an upper-case line, and a
weak heading that already has text of its own is closed by the next heading
(after the ``LISTE DES PROJETS`` table, ``action 7.3 – …`` is its sibling).
A weak heading directly followed by a numbered one stays its parent.
Markdown files use ``#`` and setext headings only, nested by level; so do
the DOCX, ODT and HTML extractions, which write the document's own headings as
``#`` lines (:data:`MARKDOWN_HEADING_FORMATS`) — unless the document has none,
in which case its text is read like plain text.

False headings avoided: table cells (a line between pipe lines, or after a
figure cell and not followed by prose), list items, lines ending with
``, ; .`` or ``:`` (numbered multi-level and prefixed headings may end with
``.`` or ``:``), lines over 120 characters, figures, lines ending with an
article or a preposition (a sentence cut by the page).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Literal, NamedTuple

from assistant.ingest.noise import (
    WORD_RE,
    ends_dangling,
    is_bullet_line,
    is_figure_line,
    is_prose_line,
    iter_lines,
)
from assistant.models import Document, Section

HeadingKind = Literal["markdown", "numbered", "upper", "title"]
"""How a heading was recognised."""

MARKDOWN_HEADING_FORMATS = frozenset({"docx", "odt", "html", "pdf"})
"""Formats whose extracted text marks the document's headings with ``#`` lines."""

MIXED_HEADING_FORMATS = frozenset({"pdf"})
"""Formats whose ``#`` headings come from typography: numbered and upper-case lines in the body font are headings too."""

MAX_HEADING_CHARS = 120
"""Longer lines are sentences, not headings."""

MAX_TITLE_CHARS = 120
"""Length of a document title."""

_KEYWORD_RANKS = {
    "livre": 5,
    "partie": 8,
    "titre": 10,
    "annexe": 10,
    "chapitre": 15,
    "section": 25,
    "sous-section": 28,
}
"""Ranks of prefixed headings whose keyword tells the level; other keywords rank by their number's depth."""

_KEYWORD_RE = re.compile(
    r"^(?:\d{1,3}\s+)?(?P<kw>action|article|axe|mesure|sous-mesure|volet|chapitre|titre|partie|livre|"
    r"sous-section|section|annexe|fiche|objectif|priorité|orientation|programme|phase|étape|thème|dispositif)s?"
    r"\s+(?:n\s?°\s?|no\.?\s?)?(?P<num>\d{1,3}(?:[.\-]\d{1,3})*(?!\d)|[IVXLC]{1,6}\b|[A-Z]\b)(?P<rest>.*)$",
    re.IGNORECASE,
)
"""A heading introduced by a keyword and a number: ``action 7.3 – …``, ``Titre II``."""

_DECIMAL_RE = re.compile(r"^(?P<num>\d{1,3}(?:[.\-]\d{1,3})*)(?!\d)(?P<sep>\s*[.)]?\s*(?:[–—\-:]\s*)?)(?P<title>\S.*)$")
"""``7.2.2 – …``, ``2.3 Stratégie``, ``3. …``, ``1) …``, ``2-1- …``."""

_ROMAN_RE = re.compile(r"^(?P<num>[IVXLC]{1,6})(?P<sep>\s*[.)–—\-:]\s*)(?P<title>\S.*)$")
"""``I – …``, ``III. …``."""

_VALID_ROMAN_RE = re.compile(r"^C{0,3}(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
"""A well-formed Roman numeral below 400."""

_UPPER_LETTER_RE = re.compile(r"^(?P<num>[A-LN-Z])(?P<sep>\s*[.)]\s+|\s+[–—\-]\s+)(?P<title>\S.*)$")
"""``A. …``, ``B) …`` (M. is Monsieur)."""

_LOWER_LETTER_RE = re.compile(r"^(?P<num>[a-z])(?P<sep>\)\s*|\.\s+|\s+[–—\-]\s+)(?P<title>\S.*)$")
"""``a) …``, ``b. …``."""

_PAREN_RE = re.compile(r"^\((?P<num>\d{1,2}|[a-z]|[ivx]{1,4})\)\s*(?P<title>\S.*)$")
"""``(1) …``, ``(a) …``."""

_MARKDOWN_RE = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.*?)\s*#*\s*$")
"""An ATX Markdown heading."""

_FENCE_RE = re.compile(r"^(?:```|~~~)")
"""A Markdown code fence (headings inside are code)."""

_SENTENCE_BOUNDARY_RE = re.compile(r"[.!?…][»\"”’)\]]*\s+(?=[«\"“(\[]?\s?[A-ZÀ-ÖØ-Þ0-9•\-–])")
"""A sentence end followed by a capital, a figure or a list sign."""

_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle mlles dr pr me st ste cf art p pp n no vol chap fig éd ed env av apr ex hab resp tél "
    "coll dir op cit ibid vs sq al c.-à-d j.-c".split()
)
"""Words whose final dot does not end a sentence (M. Dupont, cf. art. 10)."""

_TERMINAL = '.!?…:;»)"'
"""Characters that close a line of prose."""

_SENTENCE_INSIDE_RE = re.compile(r"\.\s|,\s+[a-zà-ÿ].*\s.*\s")
"""A dot inside a line (M. Dupont…) or a comma followed by a clause: a sentence, not a title."""

_LABEL_VALUE_RE = re.compile(r"\s:\s*[-+]?\(?\d")
"""A label followed by a colon and a figure."""


@dataclass(frozen=True)
class Heading:
    """A recognised heading: its text, its rank (lower is outer) and its kind."""

    text: str
    rank: int
    kind: HeadingKind

    @property
    def weak(self) -> bool:
        """Upper-case and title lines have no level of their own."""
        return self.kind in ("upper", "title")


class _Piece(NamedTuple):
    """A non-blank, noise-free stretch of a line, trimmed of spaces."""

    start: int
    end: int
    text: str
    region: int


@dataclass
class _Open:
    """A heading on the stack, and whether text stood under it yet."""

    heading: Heading
    has_body: bool = False


@dataclass
class _Block:
    """A run of pieces under one heading path, within one noise-free region."""

    path: list[str]
    start: int
    end: int
    region: int
    body: bool = False
    weak: bool = False
    """The block opens with a weak heading (upper-case or title line)."""


def split_sections(doc: Document, passage_chars: int = 1500) -> list[Section]:
    """Cut `doc` into sections under heading paths, then into passages of about `passage_chars`.

    Every section's text is exactly ``doc.text[start:end]``, holds no noise,
    and neither starts nor ends with whitespace.
    """
    blocks = _merge_heading_only(_blocks(doc))
    sections: list[Section] = []
    for block in blocks:
        for start, end in split_passages(doc.text, block.start, block.end, passage_chars):
            sections.append(
                Section(
                    document=doc.path,
                    ordinal=len(sections),
                    heading=block.path[-1] if block.path else "",
                    heading_path=list(block.path),
                    text=doc.text[start:end],
                    start=start,
                    end=end,
                    page=doc.page_at(start),
                )
            )
    return sections


def guess_title(doc_text: str, noise: list[tuple[int, int]], markdown: bool = False) -> str:
    """A title for a document: its first line when that reads as a title, else its first heading, else its first line.

    Noise lines are skipped; the result is cut to 120 characters ('' for a text without content).
    """
    pieces = _pieces(doc_text, noise)
    if not pieces:
        return ""
    # A first line longer than this is no title: only its start is cleaned (a one-line file of 50 MB
    # would otherwise be split into words whole, for the fallback title's 120 characters).
    scan = 16 * MAX_TITLE_CHARS
    raw = pieces[0].text[:scan]
    first = _clean(_MARKDOWN_RE.sub(r"\g<title>", raw) if markdown else raw)
    if len(pieces[0].text) <= scan and _reads_as_title(first):
        return _cut(first)
    for index, _piece in enumerate(pieces):
        heading = _classify(pieces, index, markdown, hard_wrapped=False)
        if heading is not None:
            return _cut(heading.text)
    return _cut(first)


def uses_markdown_headings(doc_format: str, text: str) -> bool:
    """True when the headings of a text in `doc_format` are its Markdown ``#`` lines.

    Markdown always; DOCX, ODT and HTML when their extraction wrote at least one
    ``#`` heading (a document without heading styles is read like plain text).
    """
    if doc_format == "md":
        return True
    return doc_format in MARKDOWN_HEADING_FORMATS and re.search(r"(?m)^#{1,6} \S", text) is not None


def detect_heading(content: str, previous: str | None = None, following: str | None = None) -> Heading | None:
    """Recognise a plain-text heading from its line and its non-blank neighbours (None at a region edge)."""
    content = content.strip()
    if "\t" in content:
        cells = content.split("\t")
        if any(is_figure_line(cell) for cell in cells[1:]):
            return None  # a table row
        content = " ".join(cells)  # a number set apart from its title (``1.2.2    Organiser …``)
    if not content or len(content) > MAX_HEADING_CHARS or "|" in content or is_bullet_line(content):
        return None
    if _is_table_cell(previous, following):
        return None
    heading = _numbered(content)
    if heading is None:
        heading = _upper(content, following)
    if heading is None:
        heading = _title(content, previous, following)
    return heading


def split_passages(text: str, start: int, end: int, size: int) -> list[tuple[int, int]]:
    """Cut text[start:end] into trimmed spans of about `size` characters at paragraph or sentence ends."""
    start, end = _trim(text, start, end)
    passages: list[tuple[int, int]] = []
    while start < end:
        cut = _choose_cut(text, start, end, size)
        if cut is None:
            passages.append((start, end))
            break
        piece = _trim(text, start, cut)
        if piece[0] < piece[1]:
            passages.append(piece)
        start, end = _trim(text, cut, end)
    return passages


def _blocks(doc: Document) -> list[_Block]:
    """Group the pieces of `doc` into blocks under heading paths."""
    markdown = uses_markdown_headings(doc.format, doc.text)
    mixed = markdown and doc.format in MIXED_HEADING_FORMATS
    pieces = _pieces(doc.text, doc.noise)
    hard_wrapped = _is_hard_wrapped(pieces)
    stack: list[_Open] = []
    blocks: list[_Block] = []
    current: _Block | None = None
    in_fence = False
    for index, piece in enumerate(pieces):
        fence = markdown and bool(_FENCE_RE.match(piece.text))
        heading = None if (in_fence or fence) else _classify(pieces, index, markdown, hard_wrapped, mixed)
        in_fence = in_fence != fence
        if heading is not None:
            _push(stack, heading)
            current = _Block([entry.heading.text for entry in stack], piece.start, piece.end, piece.region, weak=heading.weak)
            blocks.append(current)
            continue
        if current is None or current.region != piece.region:
            current = _Block([entry.heading.text for entry in stack], piece.start, piece.end, piece.region)
            blocks.append(current)
        current.end = piece.end
        current.body = True
        if stack:
            stack[-1].has_body = True
    return blocks


def _merge_heading_only(blocks: list[_Block]) -> list[_Block]:
    """Fold a block holding only its heading into the next block of its region; drop it otherwise.

    When the next heading is not under it but a sibling or higher (a list of
    sub-item titles: ``1.1.2.0 …``, ``1.1.2.1 …``, then ``1.1.3 …``), a
    numbered or Markdown heading line goes to the end of the block before it
    instead, the parent section a reader finds it in (a weak heading still
    opens the next section).
    """
    kept: list[_Block] = []
    for index, block in enumerate(blocks):
        if block.body:
            kept.append(block)
            continue
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        previous = kept[-1] if kept else None
        child_follows = following is not None and following.path[: len(block.path)] == block.path
        if (
            not child_follows
            and not block.weak
            and previous is not None
            and previous.region == block.region
            and previous.end <= block.start
            and block.path[:-1] == previous.path[: len(block.path) - 1]
        ):
            previous.end = block.end
            continue
        if following is not None and following.region == block.region:
            following.start = block.start
    return kept


def _push(stack: list[_Open], heading: Heading) -> None:
    """Close the headings `heading` ends, then open it.

    A weak heading with text of its own is always closed.  A numbered
    heading closes numbered ones of the same or a deeper rank, and a weak
    heading without text (a container) unless a numbered heading under it is
    itself closed.  An upper-case line closes weak headings; a title line
    closes title lines.
    """
    strong = heading.kind in ("markdown", "numbered")
    while stack:
        top = stack[-1].heading
        if top.weak and stack[-1].has_body:
            stack.pop()
        elif strong and not top.weak and top.rank >= heading.rank:
            stack.pop()
        elif strong and top.weak and _closes_below(stack, heading):
            stack.pop()
        elif heading.kind == "upper" and top.weak:
            stack.pop()
        elif heading.kind == "title" and top.kind == "title":
            stack.pop()
        else:
            break
    stack.append(_Open(heading))


def _closes_below(stack: list[_Open], heading: Heading) -> bool:
    """True when `heading` closes the nearest numbered heading under the top of the stack."""
    below = next((entry.heading for entry in reversed(stack[:-1]) if not entry.heading.weak), None)
    return below is not None and below.rank >= heading.rank


def _pieces(text: str, noise: list[tuple[int, int]]) -> list[_Piece]:
    """Non-blank, noise-free, trimmed stretches of lines; `region` grows at every noise span crossed."""
    spans = sorted(noise)
    starts = [span[0] for span in spans]
    pieces: list[_Piece] = []
    for line in iter_lines(text):
        for start, end in _subtract(line.start, line.end, spans, starts):
            start, end = _trim(text, start, end)
            if start < end:
                region = bisect_left(starts, start)  # noise spans starting before this piece
                pieces.append(_Piece(start, end, text[start:end], region))
    return pieces


def _subtract(start: int, end: int, spans: list[tuple[int, int]], starts: list[int]) -> list[tuple[int, int]]:
    """Parts of [start, end) outside the sorted noise `spans`."""
    parts: list[tuple[int, int]] = []
    index = max(bisect_left(starts, start) - 1, 0)
    position = start
    while index < len(spans) and spans[index][0] < end:
        span_start, span_end = spans[index]
        if span_end > position:
            if span_start > position:
                parts.append((position, span_start))
            position = max(position, span_end)
        index += 1
    if position < end:
        parts.append((position, end))
    return parts


def _classify(pieces: list[_Piece], index: int, markdown: bool, hard_wrapped: bool, mixed: bool = False) -> Heading | None:
    """The heading pieces[index] is, given its neighbours in the same region.

    `mixed`: Markdown headings, and also numbered and upper-case plain-text ones
    (:data:`MIXED_HEADING_FORMATS`).
    """
    piece = pieces[index]
    previous = pieces[index - 1].text if index > 0 and pieces[index - 1].region == piece.region else None
    following = pieces[index + 1].text if index + 1 < len(pieces) and pieces[index + 1].region == piece.region else None
    if markdown:
        heading = _markdown(piece.text, following)
        if heading is not None or not mixed:
            return heading
        heading = detect_heading(piece.text, previous, following)
        return heading if heading is not None and heading.kind in ("numbered", "upper") else None
    heading = detect_heading(piece.text, previous, following)
    if heading is not None and heading.kind == "title" and hard_wrapped:
        return None
    return heading


def _markdown(content: str, following: str | None) -> Heading | None:
    """An ATX (``## …``) or setext (line underlined with ``===`` or ``---``) heading."""
    match = _MARKDOWN_RE.match(content)
    if match and match.group("title"):
        level = len(match.group("hashes"))
        return Heading(_clean(match.group("title")), level * 10, "markdown")
    if following and not is_bullet_line(content) and "|" not in content and len(content) <= MAX_HEADING_CHARS:
        underline = following.strip()
        if len(underline) >= 3 and set(underline) in ({"="}, {"-"}):
            return Heading(_clean(content), 10 if underline[0] == "=" else 20, "markdown")
    return None


def _numbered(content: str) -> Heading | None:
    """A numbered or prefixed heading, or None."""
    keyword = _KEYWORD_RE.match(content)
    if keyword and _keyword_rest_ok(keyword.group("num"), keyword.group("rest")):
        depth = _depth(keyword.group("num"))
        rank = _KEYWORD_RANKS.get(keyword.group("kw").lower(), 35 + 5 * depth)
        if _ending_ok(content, lenient=True):
            return Heading(_clean(content), rank, "numbered")
        return None
    for pattern, rank_of in (
        (_DECIMAL_RE, lambda num: 35 + 5 * _depth(num)),
        (_ROMAN_RE, lambda num: 20),
        (_UPPER_LETTER_RE, lambda num: 30),
        (_LOWER_LETTER_RE, lambda num: 70),
        (_PAREN_RE, lambda num: 75),
    ):
        match = pattern.match(content)
        if match is None:
            continue
        num = match.group("num")
        title = match.group("title")
        if pattern is _ROMAN_RE and (not _VALID_ROMAN_RE.match(num) or num in ("C", "L")):
            continue
        if pattern is _DECIMAL_RE and _depth(num) == 1 and not re.search(r"[.)–—\-:]", match.group("sep")):
            return None  # "2 comités de pilotage": a count, not a heading
        if not _title_start_ok(title) or is_figure_line(title):
            return None
        lenient = pattern is _DECIMAL_RE and _depth(num) > 1
        return Heading(_clean(content), rank_of(num), "numbered") if _ending_ok(content, lenient) else None
    return None


def _upper(content: str, following: str | None) -> Heading | None:
    """An upper-case line (``LISTE DES PROJETS``), or None."""
    letters = [char for char in content if char.isalpha()]
    if len(letters) < 5 or sum(char.isupper() for char in letters) < 0.9 * len(letters):
        return None
    words = WORD_RE.findall(content)
    if len(words) < 2 and len(letters) < 7:
        return None
    if not _ending_ok(content, lenient=False) or is_figure_line(content):
        return None
    if following is not None and is_figure_line(following):
        return None  # a table label followed by its figure
    return Heading(_clean(content), 100, "upper")


def _title(content: str, previous: str | None, following: str | None) -> Heading | None:
    """A short capitalised line followed by prose (or by a numbered heading), or None."""
    if following is None or len(content) > 100 or not content[0].isupper():
        return None
    words = WORD_RE.findall(content)
    if not 1 <= len(words) <= 14 or content[-1] in ".;,:!?…" or ends_dangling(content) or is_figure_line(content):
        return None
    if content.isupper() or _SENTENCE_INSIDE_RE.search(content):
        return None  # an acronym (upper-case lines have their own rule), or a sentence
    if previous is not None and _open_prose(previous):
        return None  # the line continues a paragraph
    if _LABEL_VALUE_RE.search(content):
        return None  # "Fonctionnement : 729,7 M€" is a figure with its label
    leads_prose = is_prose_line(following) and not following[0].islower() and len(following) > len(content)
    if not leads_prose and (_numbered(following) is None or any(char.isdigit() or char == ":" for char in content)):
        return None
    return Heading(_clean(content), 110, "title")


def _open_prose(line: str) -> bool:
    """True for a long line of prose that stops mid-sentence (the next line continues it)."""
    return len(line) >= 60 and line.rstrip()[-1] not in _TERMINAL and _numbered(line) is None and _upper(line, None) is None


def _reads_as_title(line: str) -> bool:
    """True when a first line reads as a document title: short, worded, not a sentence nor a figure."""
    return (
        3 <= len(line) <= MAX_TITLE_CHARS
        and len(WORD_RE.findall(line)) <= 20
        and sum(char.isalpha() for char in line) >= 3
        and line[-1] not in ".;,:"
        and not ends_dangling(line)
        and not is_figure_line(line)
        and not is_bullet_line(line)
    )


def _is_table_cell(previous: str | None, following: str | None) -> bool:
    """True when a line sits after a figure or pipe cell and before neither prose nor a numbered heading."""
    if previous is None or not is_figure_line(previous):
        return False
    return not (following and (is_prose_line(following) or _numbered(following) is not None))


def _keyword_rest_ok(num: str, rest: str) -> bool:
    """True when what follows ``Action 7.3`` makes a heading: nothing, a separator, a capital, or a glued word."""
    if not num.isdigit() and not num[0].isdigit() and not num.isupper():
        return False
    if not rest or re.match(r"^\s*[.)–—\-:]", rest) or re.match(r"^\s+[«\"A-ZÀ-ÖØ-Þ]", rest):
        return True
    return num[0].isdigit() and bool(re.match(r"^[a-zà-ÿ]", rest))


def _title_start_ok(title: str) -> bool:
    """True when a numbered heading's title starts with a capital (or a quote and a capital)."""
    first = next((char for char in title if char.isalpha()), "")
    return bool(first) and first.isupper() and (title[0].isalpha() or title[0] in "«\"“'")


def _ending_ok(content: str, lenient: bool) -> bool:
    """True when the line's end fits a heading (`lenient` allows a final ``.`` or ``:`` on short lines)."""
    last = content.rstrip()[-1]
    if last in ",;" or ends_dangling(content):
        return False
    if last in ".:":
        return lenient and len(WORD_RE.findall(content)) <= 14
    return True


def _depth(num: str) -> int:
    """Levels of a heading number: 7 → 1, 7.2.2 → 3, 4-6-2 → 3, II → 1."""
    return len([part for part in re.split(r"[.\-]", num) if part])


def _is_hard_wrapped(pieces: list[_Piece]) -> bool:
    """True when most long lines stop mid-sentence: a text wrapped at a fixed width (no title lines then)."""
    long_lines = [piece.text for piece in pieces if len(piece.text) >= 40]
    if len(long_lines) < 5 or max(len(line) for line in long_lines) > 100:
        return False
    open_lines = sum(1 for line in long_lines if line[-1] not in _TERMINAL)
    return open_lines >= 0.6 * len(long_lines)


def _choose_cut(text: str, start: int, end: int, size: int) -> int | None:
    """Where to end the passage starting at `start`: a newline, else a sentence end, else a space; None when the rest fits."""
    if end - start <= size + size // 4:
        return None
    low, high = start + size // 2, start + size
    newline = max(text.rfind("\n", low, high), text.rfind("\r", low, high))
    if newline > start:
        return newline
    ends = [match.end() for match in _SENTENCE_BOUNDARY_RE.finditer(text, low, high) if _is_sentence_end(text, match.start())]
    if ends:
        return ends[-1]
    for match in _SENTENCE_BOUNDARY_RE.finditer(text, high, min(end, start + 2 * size)):
        if _is_sentence_end(text, match.start()):
            return match.end()
    newline = text.find("\n", high, min(end, start + 2 * size))
    if newline > 0:
        return newline
    space = text.rfind(" ", low, high)
    return space if space > start else high


def _is_sentence_end(text: str, dot: int) -> bool:
    """True unless the mark at `dot` is the dot of an abbreviation or an initial (M. Dupont, cf., p. 12)."""
    if text[dot] != ".":
        return True
    word = re.search(r"([^\s(«\"]+)$", text[max(0, dot - 12) : dot])
    if word is None:
        return True
    token = word.group(1).casefold()
    return not (len(token) == 1 and token.isalpha()) and token not in _ABBREVIATIONS


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Move `start` and `end` inwards past white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _clean(text: str) -> str:
    """Collapse white space of a heading."""
    return " ".join(text.split())


def _cut(text: str) -> str:
    """Cut a title to MAX_TITLE_CHARS at a word boundary when possible."""
    if len(text) <= MAX_TITLE_CHARS:
        return text
    cut = text.rfind(" ", 0, MAX_TITLE_CHARS)
    return text[: cut if cut > MAX_TITLE_CHARS // 2 else MAX_TITLE_CHARS].rstrip()
