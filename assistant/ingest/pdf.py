"""PDF → text, page by page (pypdfium2), cleaned of layout artefacts.

The library was chosen by a measured comparison with pypdf on generated French
reports (``tests/benchmarks/compare_pdf.py``): PDFium extracts the same words
in the same order about ten times faster, marks the hyphens it sees at line
ends, and opens every standard encryption without an extra package.

Cleaning (:func:`assemble_pages`), in order:

1. characters: CRLF → LF, typographic ligatures (ﬁ, ﬂ…) spelled out, soft
   hyphens and control characters removed, NFC;
2. spaces: runs of spaces and tabs (justified text) collapsed, lines trimmed;
3. running headers and footers: a line among the first or last
   :data:`EDGE_LINES` lines of a page whose text, digits aside, recurs at an
   edge of several pages (see :func:`running_keys`) is dropped, with lone page
   numbers (``Page 3 / 12``, ``- 3 -`` on the first or last line, the page's
   own number anywhere among those edge lines);
4. hyphenation: a word cut at a line end (``dévelop-`` / ``pement``) is
   re-joined on the first line, also across pages; the hyphen stays when the
   document writes that compound with a hyphen elsewhere, when the second part
   is capitalised (``Rhône-Alpes``) or when the first part is a prefix French
   joins with a hyphen (``sous-``, ``non-``, ``mi-``…).

Dropping is safe: the extracted text is what every offset points into, and
citations quote it.  ``Extracted.pages`` holds the start offset of each page;
pages are joined with one newline, in reading order (the content-stream order
PDFium returns).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

from assistant.ingest.errors import IngestError
from assistant.ingest.limits import MAX_PDF_PAGES
from assistant.ingest.pdf_headings import Style, mark_headings
from assistant.ingest.pdf_layout import CELL_SEPARATOR, page_layout

EDGE_LINES = 3
"""Lines at the top and at the bottom of a page where running headers and footers are looked for."""

HYPHEN_PREFIXES = frozenset("sous non demi mi semi vice ex quasi après avant arrière au c'est c’est peut grand grande".split())
"""First parts French joins with a hyphen: ``sous-``/``préfecture`` keeps its hyphen."""

HYPHEN_SUFFIXES = frozenset("être là ci delà dessus dessous même mêmes dire il elle ils elles on t".split())
"""Second parts that follow a hyphen: ``peut-``/``être``, ``celle-``/``ci``."""

_LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
"""Typographic ligatures some PDFs encode as one character."""

_HYPHEN_BREAK = "\ufffe"
"""What PDFium puts where a line ended with a hyphen it judged a word break (it then joins the lines)."""

_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1e\x7f\u00ad\ufeff\uffff]")
"""Characters that never belong in extracted text (PDFium's 0x02 hyphen marks included)."""

_SPACES_RE = re.compile(r"[ \t\u2007\u2008\u2009]+")
"""Runs of spaces and tabs (justified text)."""

_CELL_RE = re.compile(rf" ?{CELL_SEPARATOR}[ {CELL_SEPARATOR}]*")
"""A cell boundary found by the layout (:mod:`assistant.ingest.pdf_layout`), written as one tab."""

_THIN_GROUP_RE = re.compile(r"(?<=\d)[\u2007\u2008\u2009](?=\d{3})")
"""A thin or figure space between digit groups (``99\u2009836``): written as the narrow no-break space French uses."""

_PAGE_NUMBER_RE = re.compile(
    r"^(?:[-–—]\s*)?(?:(?:page|p\.)\s*)?\d{1,4}(?:\s*(?:/|sur|of)\s*\d{1,4})?(?:\s*[-–—])?$", re.IGNORECASE
)
"""A lone page number: ``12``, ``- 12 -``, ``Page 3 / 12``, ``p. 4``, ``3 sur 12``."""

_WORD = r"[^\W\d_]+"
_CUT_RE = re.compile(rf"(?P<left>{_WORD})-$")
"""A line ending with a word fragment and a hyphen."""

_NEXT_RE = re.compile(rf"^(?P<right>{_WORD})(?P<tail>[^\s]*)\s?")
"""The word (and its glued punctuation) that starts the next line."""

_DASHES_RE = re.compile(r"[\u2010-\u2015-]")
"""Hyphens and dashes, one for another in running headers (``Programme – 2024`` / ``Programme - 2024``)."""

_pdfium_lock = threading.Lock()
"""PDFium is not thread-safe: one extraction at a time per process."""


@dataclass
class _Line:
    page: int
    text: str


def extract_pdf(data: bytes):
    """Extract the text of a PDF, page by page, cleaned (see the module docstring)."""
    from assistant.ingest.reader import Extracted

    pages = pdf_page_texts(data)
    text, starts = assemble_pages(pages)
    if not text.strip():
        raise IngestError(
            "PDF sans texte extractible (document scanné ? la reconnaissance de caractères n'est pas prise en charge)"
        )
    return Extracted(text=text, format="pdf", encoding="", pages=starts)


def pdf_page_texts(data: bytes) -> list[str]:
    """The raw text of each page, as PDFium extracts it; IngestError for a broken, truncated or locked PDF."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_raw

    if b"%PDF-" not in data[:1024]:
        raise IngestError("ce fichier .pdf n'est pas un PDF (en-tête %PDF absent)")
    with _pdfium_lock:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == 3 and b"%%EOF" not in data[-4096:]:
                raise IngestError("PDF tronqué : la fin du fichier manque (copie ou téléchargement incomplet)") from exc
            raise IngestError(_pdfium_reason(exc)) from exc
        try:
            count = len(document)
            if count > MAX_PDF_PAGES:
                raise IngestError(f"PDF refusé : {count} pages (limite {MAX_PDF_PAGES})")
            pages: list[tuple[list[str], list[Counter[Style]]]] = []
            for index in range(count):
                try:
                    page = document[index]
                    textpage = page.get_textpage()
                    layout = page_layout(textpage, pdfium_raw)
                    if layout is not None:
                        pages.append((layout.line_texts(), layout.line_styles()))
                    else:
                        pages.append(([textpage.get_text_range()], [Counter()]))
                    textpage.close()
                    page.close()
                except pdfium.PdfiumError as exc:
                    raise IngestError(f"PDF illisible : page {index + 1} corrompue ({exc})") from exc
            return mark_headings(pages)
        finally:
            document.close()


def _pdfium_reason(exc: Exception) -> str:
    """A French one-line reason for a PDFium loading error."""
    code = getattr(exc, "err_code", None)
    reasons: dict[object, str] = {
        2: "PDF illisible : fichier introuvable ou inaccessible",
        3: "PDF illisible : fichier tronqué ou corrompu",
        4: "PDF protégé par un mot de passe : enregistrez-en une copie sans mot de passe pour l'indexer",
        5: "PDF protégé par un système de sécurité non pris en charge",
        6: "PDF illisible : page introuvable ou corrompue",
    }
    return reasons.get(code, f"PDF illisible ({exc})") if isinstance(code, int) else f"PDF illisible ({exc})"


def assemble_pages(raw_pages: list[str]) -> tuple[str, list[int]]:
    """Clean the raw page texts and join them; return the text and the start offset of each page."""
    pages = [_clean_lines(raw) for raw in raw_pages]
    pages = drop_running_lines(pages)
    lines = [_Line(number, line) for number, page in enumerate(pages) for line in page]
    lines = join_hyphenated(lines)
    texts: list[list[str]] = [[] for _ in raw_pages]
    for line in lines:
        texts[line.page].append(line.text)
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for page_lines in texts:
        starts.append(offset)
        if not page_lines:
            continue
        chunk = "\n".join(page_lines) + "\n"
        parts.append(chunk)
        offset += len(chunk)
    text = "".join(parts)
    return text, starts


def _clean_lines(raw: str) -> list[str]:
    """Normalise characters and spaces of one page; keep non-blank lines."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace(_HYPHEN_BREAK, "-\n").replace("\x02", "-\n")
    text = re.sub(r"\u00ad\n", "-\n", text)
    for ligature, letters in _LIGATURES.items():
        text = text.replace(ligature, letters)
    text = _CONTROL_RE.sub("", text)
    text = _THIN_GROUP_RE.sub("\u202f", text)
    text = unicodedata.normalize("NFC", text)
    lines = []
    for line in text.split("\n"):
        line = _SPACES_RE.sub(" ", line).strip(" " + CELL_SEPARATOR)
        line = _CELL_RE.sub("\t", line)
        if line:
            lines.append(line)
    return lines


def edge_key(line: str) -> str:
    """A line's identity as a running header or footer: case-folded, heading marks dropped, digits, dashes and spaces normalised."""
    return re.sub(r"\d+", "#", " ".join(_DASHES_RE.sub("-", line.lstrip("#")).casefold().split()))


def running_keys(pages: list[list[str]]) -> set[str]:
    """Keys of the lines that recur at a page edge: on at least 2 pages, and on a third of them when there are more than 6."""
    if len(pages) < 2:
        return set()
    counts: Counter[str] = Counter()
    for lines in pages:
        counts.update({edge_key(line) for line in _edges(lines)})
    needed = max(2, -(-len(pages) // 3)) if len(pages) > 6 else 2
    return {key for key, count in counts.items() if count >= needed}


def drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Remove running headers, footers and page numbers from the edges of each page.

    A running line the first page already carries, the same on every page
    (``CHAMPAGNAC - Cantal  Exercice 2023`` atop each page of an account
    sheet), names the document: it is kept once, on the first page after the
    page's first line (a cover's title stays the document's title), and
    dropped from the others.  One whose figures change from page to page (a
    page counter) is dropped everywhere.
    """
    keys = running_keys(pages)
    first_page = set(_first_page_headers(pages, keys))
    cleaned = []
    for number, lines in enumerate(pages, start=1):
        top = min(EDGE_LINES, len(lines))
        bottom = max(top, len(lines) - EDGE_LINES)
        kept = []
        named: list[str] = []  # the first page's running lines kept
        for index, line in enumerate(lines):
            at_edge = index < top or index >= bottom
            if at_edge and (_is_page_number(line, index, len(lines)) or _is_own_number(line, number)):
                continue
            if at_edge and edge_key(line) in keys:
                if number == 1 and edge_key(line) in first_page:
                    first_page.discard(edge_key(line))
                    named.append(line)
                continue
            kept.append(line)
        cleaned.append(_with_named_lines(kept, named))
    return cleaned


def _with_named_lines(lines: list[str], named: list[str]) -> list[str]:
    """The first page's lines with its kept running lines after its first line (a cover's title stays
    the document's title), or before it when that line's sentence goes on in the next line."""
    if not named:
        return lines
    first = lines[0] if lines else ""
    goes_on = len(lines) > 1 and (lines[1][:1].islower() or first.rstrip().endswith((",", "-")))
    if not lines or goes_on:
        return named + lines
    return lines[:1] + named + lines[1:]


def _first_page_headers(pages: list[list[str]], keys: set[str]) -> list[str]:
    """Keys of the running lines at the first page's edges whose text (figures included) is the same wherever they recur."""
    if not pages or not keys:
        return []
    texts: dict[str, set[str]] = {}
    for lines in pages:
        for line in _edges(lines):
            key = edge_key(line)
            if key in keys:
                texts.setdefault(key, set()).add(_same_text(line))
    return [edge_key(line) for line in _edges(pages[0]) if len(texts.get(edge_key(line), ())) == 1]


def _same_text(line: str) -> str:
    """A line's text as compared between pages: heading marks, dashes, spaces and case normalised, figures kept."""
    return " ".join(_DASHES_RE.sub("-", line.lstrip("#")).casefold().split())


def _edges(lines: list[str]) -> list[str]:
    """The first and last EDGE_LINES lines of a page (each once)."""
    if len(lines) <= 2 * EDGE_LINES:
        return lines
    return lines[:EDGE_LINES] + lines[-EDGE_LINES:]


def _is_page_number(line: str, index: int, count: int) -> bool:
    """True for a lone page number on the first or last line of a page."""
    return (index == 0 or index == count - 1) and bool(_PAGE_NUMBER_RE.match(line))


def _is_own_number(line: str, page_number: int) -> bool:
    """True for a line holding only the page's own number (``3``, ``- 3 -``, ``Page 3``)."""
    digits = re.sub(r"\D", "", line)
    return bool(_PAGE_NUMBER_RE.match(line)) and digits == str(page_number)


def join_hyphenated(lines: list[_Line]) -> list[_Line]:
    """Re-join words cut by a hyphen at a line end (see the module docstring for when the hyphen stays)."""
    vocabulary, compounds = _vocabulary(lines)
    out: list[_Line] = []
    index = 0
    lines = [_Line(line.page, line.text) for line in lines]
    while index < len(lines):
        line = lines[index]
        following = lines[index + 1] if index + 1 < len(lines) else None
        cut = _CUT_RE.search(line.text)
        if cut and following is not None:
            start = _NEXT_RE.match(following.text)
            if start:
                left, right = cut.group("left"), start.group("right")
                hyphen = "-" if _keeps_hyphen(left, right, vocabulary, compounds, line.text[: cut.start()]) else ""
                line.text = line.text[: cut.end("left")] + hyphen + right + start.group("tail")
                following.text = following.text[start.end() :].strip()
                out.append(line)
                if not following.text:
                    index += 1  # the next line held only the end of the word
                index += 1
                continue
        out.append(line)
        index += 1
    return out


def _vocabulary(lines: list[_Line]) -> tuple[set[str], set[str]]:
    """Words and hyphenated compounds written whole, in a line, somewhere in the document (case-folded)."""
    words: set[str] = set()
    compounds: set[str] = set()
    for line in lines:
        text = line.text[:-1] if line.text.endswith("-") else line.text
        lower = text.casefold()
        compounds.update(re.findall(rf"{_WORD}(?:-{_WORD})+", lower))
        words.update(re.findall(_WORD, lower))
    return words, compounds


def _keeps_hyphen(left: str, right: str, vocabulary: set[str], compounds: set[str], before: str) -> bool:
    """True when ``left-`` / ``right`` is a hyphenated compound rather than a word cut by the layout."""
    joined = (left + right).casefold()
    compound = f"{left}-{right}".casefold()
    if compound in compounds:
        return True
    if right[0].isupper():
        return True
    if joined in vocabulary and len(joined) > 3:
        return False
    first = left.casefold()
    if before.endswith(("'", "’")):
        first = before.split()[-1].casefold() + first  # c'est-/à-dire
    if first in HYPHEN_PREFIXES or right.casefold() in HYPHEN_SUFFIXES:
        return True
    return False
