"""Noise lines of scraped reports: navigation, counters, share buttons.

Noise is detected by general properties of a line, never by a list of the
strings seen in the samples:

* a page strip: only integers and ellipses, with an ellipsis or a run of
  consecutive numbers (``1 ... 32 33 34 ... 76``); an anchor id (``#67561``);
* a counter label: a lower-case word glued to a figure (``page1/26``,
  ``tarix05.01.2022``) or to a capitalised word (``typeDocumentos``), a
  download size next to a word (``télécharger 1.36 Mb.``);
* words that are not French: letters outside the French repertoire (ə ı ş,
  Cyrillic, CJK, ü or ö after a consonant…) with no French function word on
  the line; when such words end a French line, only that tail is noise;
* a table of contents: lines ending with a leader and a page number
  (``Contexte . . . . 5``), and the page-numbered or wrapped entries among
  them (``Introduction 5``);
* a breadcrumb (short segments joined by `` // `` `` › `` or two `` > ``);
* short lines of web furniture (cookies, newsletter, plan du site…);
* lines recurring across documents (``repeated_lines``, from
  :func:`repeated_line_keys`) that sit at an edge of the document or next to
  other noise, unless they look like a heading;
* a short line squeezed between two noise lines; a line repeated on both
  sides of a noise block (the page title a scraper printed twice).

Noise stays in the text: :func:`find_noise` returns character spans of whole
lines (with their newline), or of a line's tail, and sections skip them.
Prose, headings and table cells (``197 083 €``, ``64%``, ``|``, ``(4)``,
``réalisé``) are never noise by themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import NamedTuple

FUNCTION_WORDS = frozenset(
    "le la les l un une des de du d au aux à et ou en dans par pour sur avec sans sous entre vers chez "
    "que qui dont où ne pas plus ce cet cette ces se sa son ses leur leurs il elle ils elles on nous vous "
    "est sont a ont été être c qu s n j m y mais donc car comme si aussi très tout tous toute toutes".split()
)
"""French function words: their presence tells a French line."""

DANGLING_WORDS = frozenset(
    "le la les l un une des de du d au aux à et ou en dans par pour sur avec sans sous entre vers chez "
    "que qui dont ce cet cette ces sa son ses leur leurs mais car comme si".split()
)
"""Words a heading or a finished line cannot end with (the line was cut)."""

SECTION_TITLE_WORDS = frozenset(
    "sommaire introduction conclusion conclusions préambule preambule avant-propos synthèse résumé annexe "
    "annexes bibliographie glossaire remerciements contexte objectifs méthodologie recommandations".split()
)
"""Generic section titles that may recur across reports and are never noise."""

_FRENCH_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâæçéèêîôœùûÀÂÆÇÉÈÊÎÔŒÙÛµμºª")
"""Letters French writes anywhere in a word (plus unit and ordinal signs)."""

_DIAERESIS = frozenset("ëïüÿËÏÜŸ")
"""Letters French writes only after a vowel (Noël, naïf, Saül, L'Haÿ)."""

_VOWELS = frozenset("aeiouéèêAEIOUÉÈÊ")
"""Vowels that may precede a diaeresis letter in French."""

WORD_RE = re.compile(r"[^\W\d_]+")
"""A run of letters (apostrophes and hyphens split words)."""

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
"""A line with its newline (CRLF, CR or LF)."""

_BULLETS = "•·▪●◦‣○■□►▸–—-*>\uf0a7\uf0b7\uf0d8"
"""Characters that start list items."""

_SENTENCE_END = ".!?…"
"""Characters that end a sentence."""

_GLUED_COUNTER_RE = re.compile(r"^[^\W\d_]{3,}\d")
"""A word glued to a figure: ``page1/26``."""

_GLUED_CAMEL_RE = re.compile(r"^[a-zà-ÿ]{3,}[A-ZÀ-Þ][a-zà-ÿ]")
"""A lower-case label glued to a capitalised word: ``typeDocumentos``."""

_SIZE_RE = re.compile(r"(?<!\d)\d+(?:[.,]\d+)?\s?(?:[KMGT]i?[BbOo]|[kK][bBoO]|octets|bytes)\b\.?")
"""A download size: ``0,72 Mb.``, ``1.36 Mo``."""

_ELLIPSIS_RE = re.compile(r"^(?:\.{2,}|…)$")
"""An ellipsis token of a page strip."""

_BREADCRUMB_SEP_RE = re.compile(r"\s(?://|›|>|»|→)\s")
"""Separators of breadcrumb segments."""

_FURNITURE_RE = re.compile(
    r"\b(?:cookies?|newsletters?|javascript|vous êtes ici|fil d['’]ariane|plan du site|mentions légales|"
    r"retour en haut)\b",
    re.IGNORECASE,
)
"""Web furniture found on short lines."""

_NUMBERED_RE = re.compile(
    r"^(?:\d{1,3}(?:[.\-]\d{1,3})+[.)\-–—:]?\s|\d{1,3}\s?[.)\-–—:]\s|\(\d{1,3}\)\s|[IVX]{1,5}\s*[.)\-–—]|[A-Z]\s*[.)]\s|"
    r"(?:action|article|axe|mesure|volet|chapitre|titre|partie|section|annexe)s?\s+(?:n\s?°\s?)?\d)",
    re.IGNORECASE,
)
"""A line that starts like a numbered heading (protects recurring headings)."""

EDGE_LINES = 3
"""Lines at each end of a document where a recurring line is a running header or footer."""


class Line(NamedTuple):
    """A line of a text: [start, end) is its content, [start, stop) adds the newline."""

    start: int
    end: int
    stop: int


def iter_lines(text: str) -> Iterator[Line]:
    """Yield every line of `text` with its offsets (CRLF, CR and LF all end a line)."""
    for match in _LINE_RE.finditer(text):
        if match.start() == match.end():
            continue
        content = match.group().rstrip("\r\n")
        yield Line(match.start(), match.start() + len(content), match.end())


def line_key(line: str) -> str:
    """Normalise a line for comparison across documents ('' when it has no letters).

    NFC, case-folded, apostrophes unified, list bullets, surrounding
    punctuation and repeated spaces removed.
    """
    key = unicodedata.normalize("NFC", line).replace("’", "'").casefold()
    key = key.strip().lstrip(_BULLETS + " \t").strip(" \t:|;,.")
    key = " ".join(key.split())
    return key if any(char.isalpha() for char in key) else ""


def repeated_line_keys(texts: Iterable[str], min_docs: int = 3) -> frozenset[str]:
    """Keys (:func:`line_key`) of short non-prose lines found in at least `min_docs` texts.

    Figures, prose lines, numbered headings and generic section titles are
    never counted.  Near-duplicate versions of one report share many lines:
    choose `min_docs` above the number of versions a corpus may hold.
    """
    counts: Counter[str] = Counter()
    for text in texts:
        keys = set()
        for line in iter_lines(text):
            content = text[line.start : line.end].strip()
            if _is_recurrence_candidate(content):
                keys.add(line_key(content))
        keys.discard("")
        counts.update(keys)
    return frozenset(key for key, count in counts.items() if count >= min_docs)


def find_noise(text: str, repeated_lines: frozenset[str] = frozenset()) -> list[tuple[int, int]]:
    """Character spans of `text` that are noise, sorted and merged.

    Each span covers whole lines with their newline, or the tail of a line
    (from the first foreign word to the newline).  Blank lines between two
    noise lines join the span.
    """
    lines = list(iter_lines(text))
    contents = [text[line.start : line.end].strip() for line in lines]
    cut: dict[int, int] = {}  # line index -> offset where noise starts (line.start for whole lines)
    for index, (line, content) in enumerate(zip(lines, contents)):
        if not content:
            continue
        if is_noise_line(content):
            cut[index] = line.start
        else:
            tail = noise_tail(content)
            if tail is not None:
                raw = text[line.start : line.end]
                cut[index] = line.start + len(raw) - len(raw.lstrip()) + tail
    filled = [index for index, content in enumerate(contents) if content]
    _mark_contents_lines(contents, filled, cut, lines)
    _mark_repeated(contents, filled, cut, lines, repeated_lines)
    _mark_duplicates_around_noise(contents, filled, cut, lines)
    _mark_squeezed(contents, filled, cut, lines)
    return _spans(lines, contents, cut)


_MARKUP_COMMENT_RE = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
"""An HTML comment in a Markdown file (never rendered; an unclosed one runs to the end)."""


def markup_comments(text: str) -> list[tuple[int, int]]:
    """Character spans of the HTML comments (``<!-- … -->``) of a Markdown text."""
    return [match.span() for match in _MARKUP_COMMENT_RE.finditer(text)]


def merge_spans(*groups: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The union of span lists, sorted, overlapping or touching spans merged."""
    merged: list[tuple[int, int]] = []
    for start, end in sorted(span for group in groups for span in group):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


LONG_LINE_CHARS = 10_000
"""A line longer than this is judged by its first (foreign words) or last (share buttons) this many
characters: no list of every word of a huge one-line file is ever built (memory stays linear and small)."""


_LEADER_RE = re.compile(r"(?:(?:\s?\.){4,}|…{2,}|(?:\s?…)+\s?\.*|_{4,}|(?:\s?·){4,})\s*(?:p\.\s*)?\d{1,4}$")
"""A table-of-contents entry: a dotted (or ellipsis, underscore) leader before a page number."""

MAX_CONTENTS_CHARS = 300
"""Longest table-of-contents line."""

_ENDS_WITH_PAGE_RE = re.compile(r"^\D.{1,150}?\s(?:p\.\s*)?\d{1,4}$")
"""A short line ending with a page number (``Introduction 5``)."""


def is_contents_line(content: str) -> bool:
    """True for a table-of-contents line with a leader: ``Contexte . . . . . 5``, ``Annexes …… 41``.

    Only a line of at most :data:`MAX_CONTENTS_CHARS` can be one (the search is never run on a huge line).
    """
    return len(content) <= MAX_CONTENTS_CHARS and bool(_LEADER_RE.search(content))


def _mark_contents_lines(contents: list[str], filled: list[int], cut: dict[int, int], lines: list[Line]) -> None:
    """Mark table-of-contents lines: leader lines, and the page-numbered lines and wrapped entries among them."""
    toc = {index for index in filled if is_contents_line(contents[index])}
    if len(toc) < 2:
        return
    for position, index in enumerate(filled):
        if index in toc:
            continue
        before = filled[position - 1] if position > 0 else None
        after = filled[position + 1] if position + 1 < len(filled) else None
        near_toc = before in toc or after in toc
        if near_toc and _ENDS_WITH_PAGE_RE.match(contents[index]) and not _is_protected(contents[index]):
            toc.add(index)
        elif before in toc and after in toc and len(contents[index]) <= 120:
            toc.add(index)  # an entry wrapped on two lines
    for index in toc:
        cut[index] = lines[index].start


def is_noise_line(content: str) -> bool:
    """True when a stripped line is noise by itself (no context needed)."""
    if len(content) > LONG_LINE_CHARS:
        return _is_foreign_line(content[:LONG_LINE_CHARS])
    tokens = content.split()
    if not tokens:
        return False
    return (
        _is_page_strip(tokens)
        or _is_anchor_id(tokens)
        or _is_counter_label(tokens)
        or _is_foreign_line(content)
        or _is_breadcrumb(content)
        or _is_furniture(content)
    )


def noise_tail(content: str) -> int | None:
    """Offset in a French line where trailing foreign words start (a share button), else None."""
    window = max(0, len(content) - LONG_LINE_CHARS)
    words = list(WORD_RE.finditer(content, window))
    run = 0
    foreign_letters = 0
    while run < len(words) and _foreign_letters(words[len(words) - 1 - run].group()):
        foreign_letters += _foreign_letters(words[len(words) - 1 - run].group())
        run += 1
    if run < 2 or foreign_letters < 2 or (run == len(words) and not window):
        return None
    head_end = words[len(words) - run].start()
    if not any(match.group().casefold() in FUNCTION_WORDS for match in WORD_RE.finditer(content, 0, head_end)):
        return None
    return words[len(words) - run].start()


def is_figure_line(content: str) -> bool:
    """True for a figure or a table sign: digits, signs, and at most a short unit (``197 083 €``, ``(4)``, ``|``)."""
    letters = sum(1 for char in content if char.isalpha())
    return bool(content.strip()) and letters <= 3 and not (letters and not any(char.isdigit() for char in content))


def is_prose_line(content: str) -> bool:
    """True for a line of running text: six words or more, long or ending like a sentence."""
    words = WORD_RE.findall(content)
    return len(words) >= 6 and (len(content) >= 80 or content.rstrip()[-1:] in _SENTENCE_END + ":")


def is_bullet_line(content: str) -> bool:
    """True for a list item starting with a bullet or a dash."""
    return bool(content) and content[0] in _BULLETS


def ends_dangling(content: str) -> bool:
    """True when the last word of a line is a word a finished line cannot end with."""
    tokens = content.split()
    if not tokens or any(char.isdigit() for char in tokens[-1]) or content.rstrip()[-1] in _SENTENCE_END:
        return False
    words = WORD_RE.findall(tokens[-1])
    return bool(words) and words[-1].casefold() in DANGLING_WORDS


def french_function_words(content: str) -> int:
    """Number of French function words in a line."""
    return sum(1 for word in WORD_RE.findall(content) if word.casefold() in FUNCTION_WORDS)


def _is_recurrence_candidate(content: str) -> bool:
    """True for lines worth counting across documents: short, worded, neither prose nor heading."""
    words = WORD_RE.findall(content)
    return (
        1 <= len(words) <= 10
        and len(content) <= 80
        and sum(len(word) for word in words) >= 3
        and not is_figure_line(content)
        and not is_prose_line(content)
        and not _is_protected(content)
    )


def _is_protected(content: str) -> bool:
    """True for lines a recurrence must not turn into noise: numbered headings, generic section titles."""
    return bool(_NUMBERED_RE.match(content)) or line_key(content) in SECTION_TITLE_WORDS


def _is_page_strip(tokens: list[str]) -> bool:
    """``1 ... 32 33 34 ... 76``: integers and ellipses, with an ellipsis or three consecutive numbers."""
    numbers: list[int] = []
    ellipsis = False
    for token in tokens:
        if token.isdigit() and len(token) <= 4:
            numbers.append(int(token))
        elif _ELLIPSIS_RE.match(token):
            ellipsis = True
        else:
            return False
    if len(numbers) < 4:
        return False
    consecutive = any(b == a + 1 and c == b + 1 for a, b, c in zip(numbers, numbers[1:], numbers[2:]))
    return ellipsis or consecutive


def _is_anchor_id(tokens: list[str]) -> bool:
    """``#67561``: a lone hash followed by digits."""
    return len(tokens) == 1 and len(tokens[0]) >= 4 and tokens[0][0] == "#" and tokens[0][1:].isdigit()


def _is_counter_label(tokens: list[str]) -> bool:
    """A short line made of a label glued to a figure or a word, or a download size with a label."""
    if len(tokens) <= 5 and any(
        _GLUED_COUNTER_RE.match(token) and token[: _first_digit(token)].islower() for token in (tokens[0], tokens[-1])
    ):
        return True
    if len(tokens) <= 3 and _GLUED_CAMEL_RE.match(tokens[0]):
        return True
    line = " ".join(tokens)
    size = _SIZE_RE.search(line)
    if len(tokens) <= 6 and size:
        rest = line[: size.start()] + line[size.end() :]
        return any(len(word) >= 3 for word in WORD_RE.findall(rest))
    return False


def _first_digit(token: str) -> int:
    """Index of the first digit in `token` (len when none)."""
    return next((index for index, char in enumerate(token) if char.isdigit()), len(token))


def _is_foreign_line(content: str) -> bool:
    """True when the words of a line are not French: foreign letters, no French function word."""
    words = [word for word in WORD_RE.findall(content) if len(word) >= 2]
    if not words or french_function_words(content):
        return False
    foreign = [word for word in words if _foreign_letters(word)]
    letters = sum(_foreign_letters(word) for word in foreign)
    non_latin = any(not _is_latin(char) for word in foreign for char in word)
    if letters < 2 or 2 * len(foreign) < len(words):
        return False
    return len(foreign) >= 2 or non_latin or any(char.isdigit() for char in content)


def _is_breadcrumb(content: str) -> bool:
    """``Accueil > Rapports > 2006``, ``Vous êtes ici : Le Conseil // Le budget``: short segments and separators."""
    if len(content) > 150:
        return False
    separators = _BREADCRUMB_SEP_RE.findall(content)
    if "«" in content:
        separators = [sep for sep in separators if "»" not in sep]
    if not separators:
        return False
    strong = any(("//" in sep or "›" in sep or "→" in sep) for sep in separators)
    if len(separators) < 2 and not strong:
        return False
    segments = _BREADCRUMB_SEP_RE.split(content)
    return all(len(WORD_RE.findall(segment)) <= 6 and segment.rstrip()[-1:] not in _SENTENCE_END for segment in segments)


def _is_furniture(content: str) -> bool:
    """A short line about web furniture (cookies, newsletter, plan du site…)."""
    return 2 <= len(content.split()) <= 8 and content[-1] != "." and bool(_FURNITURE_RE.search(content))


def _foreign_letters(word: str) -> int:
    """Number of letters of `word` that French does not write there."""
    count = 0
    previous = ""
    for char in word:
        if char.isalpha() and char not in _FRENCH_LETTERS:
            if char not in _DIAERESIS or previous not in _VOWELS:
                count += 1
        previous = char
    return count


@lru_cache(maxsize=2048)
def _is_latin(char: str) -> bool:
    """True for a letter of the Latin script."""
    return char.isascii() or unicodedata.name(char, "").startswith("LATIN")


def _neighbours(filled: list[int], position: int) -> tuple[int | None, int | None]:
    """Indexes of the non-blank lines before and after filled[position]."""
    before = filled[position - 1] if position > 0 else None
    after = filled[position + 1] if position + 1 < len(filled) else None
    return before, after


def _whole(index: int | None, cut: dict[int, int], lines: list[Line]) -> bool:
    """True when line `index` is entirely noise."""
    return index is not None and cut.get(index) == lines[index].start


def _mark_repeated(
    contents: list[str], filled: list[int], cut: dict[int, int], lines: list[Line], repeated: frozenset[str]
) -> None:
    """Mark recurring lines at a document edge or next to other noise or recurring lines."""
    if not repeated:
        return
    recurring = {
        index
        for index in filled
        if index not in cut and line_key(contents[index]) in repeated and not _is_protected(contents[index])
    }
    positions = {index: position for position, index in enumerate(filled)}
    recurring -= {index for index in recurring if _leads_prose(contents, filled, positions[index])}
    worded = [index for index in filled if not contents[index].isdigit()]
    for position, index in enumerate(worded):
        if index not in recurring:
            continue
        before, after = _neighbours(worded, position)
        at_edge = position < EDGE_LINES or position >= len(worded) - EDGE_LINES
        near = any(other is not None and (other in recurring or _whole(other, cut, lines)) for other in (before, after))
        if at_edge or near:
            cut[index] = lines[index].start


def _leads_prose(contents: list[str], filled: list[int], position: int) -> bool:
    """True when the short capitalised line filled[position] introduces a prose line (a heading, not furniture)."""
    content = contents[filled[position]]
    if position + 1 >= len(filled) or ends_dangling(content) or not content[0].isupper():
        return False
    following = contents[filled[position + 1]]
    return is_prose_line(following) and not following[0].islower()


def _mark_duplicates_around_noise(contents: list[str], filled: list[int], cut: dict[int, int], lines: list[Line]) -> None:
    """Mark the short line before a noise block when the same line follows the block (a title printed twice)."""
    for position, index in enumerate(filled):
        if not _whole(index, cut, lines) or position == 0 or _whole(filled[position - 1], cut, lines):
            continue
        end = position
        while end < len(filled) and _whole(filled[end], cut, lines):
            end += 1
        before = filled[position - 1]
        if end < len(filled) and before not in cut and not is_prose_line(contents[before]):
            key = line_key(contents[before])
            if key and key == line_key(contents[filled[end]]):
                cut[before] = lines[before].start


def _mark_squeezed(contents: list[str], filled: list[int], cut: dict[int, int], lines: list[Line]) -> None:
    """Mark short lines that sit between two noise lines (a counter inside a navigation block)."""
    for _ in range(2):
        for position, index in enumerate(filled):
            if index in cut:
                continue
            content = contents[index]
            before, after = _neighbours(filled, position)
            if (
                len(content) <= 40
                and len(content.split()) <= 4
                and not _NUMBERED_RE.match(content)
                and _whole(before, cut, lines)
                and _whole(after, cut, lines)
            ):
                cut[index] = lines[index].start


def _spans(lines: list[Line], contents: list[str], cut: dict[int, int]) -> list[tuple[int, int]]:
    """Turn marked lines into merged spans; blank lines between noise lines join them."""
    spans: list[tuple[int, int]] = []
    pending_blank: tuple[int, int] | None = None
    for index, line in enumerate(lines):
        if index in cut:
            start = cut[index]
            if pending_blank and spans and spans[-1][1] == pending_blank[0] and start == line.start:
                spans[-1] = (spans[-1][0], pending_blank[1])
            if spans and spans[-1][1] == start:
                spans[-1] = (spans[-1][0], line.stop)
            else:
                spans.append((start, line.stop))
            pending_blank = None
        elif not contents[index]:
            if pending_blank and pending_blank[1] == line.start:
                pending_blank = (pending_blank[0], line.stop)
            else:
                pending_blank = (line.start, line.stop)
        else:
            pending_blank = None
    return spans
