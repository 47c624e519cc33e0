"""HTML (a saved web page) → text with Markdown headings and pipe tables.

Parsed with the standard library's :class:`html.parser.HTMLParser`: it is a
real tokenizer (tags, attributes, comments, CDATA, character references),
tolerant of the broken markup saved pages carry, streaming and free of
dependencies; the tree-building of lxml or BeautifulSoup would add a package
and nothing this extraction uses.

* charset: a byte-order mark, else ``<meta charset>`` or ``<meta
  http-equiv="Content-Type" content="…; charset=…">`` in the first 4 KB,
  else the detection of :func:`~assistant.ingest.decode.decode_bytes`
  (UTF-8, Windows-1252, Latin-1); entities (``&eacute;``, ``&#8217;``) are
  decoded by the parser;
* ``<title>`` and ``h1``–``h6`` become ``#``×level headings (the title is
  left out when the first ``h1`` says the same);
* ``table`` becomes ``| cell | cell |`` rows (``colspan`` keeps columns
  aligned); a layout table (one column, long cells, or headings inside) is
  read as body text;
* ``li`` items start with ``- ``; ``br`` is a newline; block elements end a
  line; white space is collapsed outside ``pre``;
* footnote references (a ``#`` link in ``sup``, ``role="doc-noteref"``,
  ``class="footnote-ref"``) are left out: their number would stick to the
  word or figure they annotate; the notes themselves stay paragraphs of their
  own;
* dropped: ``script``, ``style``, ``noscript``, ``template``, ``svg``,
  ``nav``, ``aside``, ``form``, ``button``, ``select``, ``iframe``,
  elements with ``hidden``, ``aria-hidden="true"`` or a navigation role, and
  the page's ``header`` and ``footer`` (those inside an ``article``,
  ``main`` or ``section`` are the article's own and kept).
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from html.parser import HTMLParser

from assistant.ingest.decode import decode_bytes
from assistant.ingest.docx import pipe_row
from assistant.ingest.errors import IngestError

DROPPED = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "svg",
        "math",
        "nav",
        "aside",
        "form",
        "button",
        "select",
        "textarea",
        "iframe",
        "object",
        "embed",
        "canvas",
        "audio",
        "video",
        "map",
        "dialog",
    }
)
"""Elements dropped with their whole content."""

HEAD_ELEMENTS = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
"""Elements of ``head``: any other start tag closes an unclosed ``head``."""

PAGE_FURNITURE = frozenset({"header", "footer"})
"""Dropped unless inside an article, main or section element."""

CONTENT_CONTAINERS = frozenset({"article", "main", "section"})
"""Elements whose own header and footer are content."""

DROPPED_ROLES = frozenset({"navigation", "banner", "contentinfo", "search", "complementary", "menu", "menubar"})
"""ARIA roles of site furniture."""

BLOCKS = frozenset(
    {
        "p",
        "div",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "blockquote",
        "pre",
        "section",
        "article",
        "main",
        "body",
        "header",
        "footer",
        "address",
        "figure",
        "figcaption",
        "caption",
        "hr",
        "table",
        "tr",
        "center",
        "details",
        "summary",
        "fieldset",
        "legend",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
    }
)
"""Elements that end the current line."""

VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"})
"""Elements without an end tag."""

MAX_CELL_CHARS = 300
"""A table with a longer cell is a layout table (read as body text)."""

_CHARSET_RE = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:\-]+)""", re.IGNORECASE)
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]+")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def extract_html(data: bytes):
    """Extract a saved web page (see the module docstring)."""
    from assistant.ingest.reader import Extracted

    raw, encoding = decode_html(data)
    parser = _Extractor()
    try:
        parser.feed(_escape_unterminated(raw))
        parser.close()
    except (AssertionError, ValueError) as exc:  # html.parser's rare hard failures
        raise IngestError(f"fichier HTML illisible : balisage mal formé ({exc})") from exc
    text = _CONTROL_RE.sub("", parser.result())
    return Extracted(text=unicodedata.normalize("NFC", text), format="html", encoding=encoding)


def _escape_unterminated(raw: str) -> str:
    """`raw` with every ``<`` after the last ``>`` written ``&lt;``.

    No tag, comment or declaration can end after the last ``>``, so these are
    text; left as ``<``, html.parser rescans the rest of the page from each of
    them when it is closed (quadratic: ``<a`` × 500k never finishes).
    """
    last = raw.rfind(">")
    tail = raw[last + 1 :]
    if "<" not in tail:
        return raw
    return raw[: last + 1] + tail.replace("&", "&amp;").replace("<", "&lt;")


def decode_html(data: bytes) -> tuple[str, str]:
    """The page's characters and its encoding: BOM, else meta charset, else detection."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(name), name
            except UnicodeDecodeError as exc:
                raise IngestError(f"page HTML illisible : marque {name} en tête mais octets invalides") from exc
    match = _CHARSET_RE.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = ""
        if name in ("latin-1", "iso8859-1"):
            name = "cp1252"  # as browsers do: ISO-8859-1 pages are read as Windows-1252
        if name and b"\x00" not in data:
            try:
                return data.decode(name), name
            except UnicodeDecodeError:
                pass  # the declaration lies: detect instead
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding


class _Cell:
    def __init__(self, header: bool, span: int) -> None:
        self.parts: list[str] = []
        self.header = header
        self.span = span
        self.heading = False


class _Table:
    def __init__(self) -> None:
        self.rows: list[list[_Cell]] = []
        self.cell: _Cell | None = None


_NOTE_REF_CLASS_RE = re.compile(r"(?:^|[\s_-])(?:footnote|endnote|note)-?ref", re.IGNORECASE)
"""Classes that mark a link to a note (``footnote-ref``, ``noteref``)."""


def _is_note_reference(attributes: dict[str, str], parent: str) -> bool:
    """True for a link to a footnote: ``<sup><a href="#fn15">15</a></sup>``, ``role="doc-noteref"``, ``class="footnote-ref"``.

    Its number is not a figure of the sentence it sits in (``de 2009 à 2012<sup>15</sup>``
    would read as 201215): the reference is left out and the note's own text
    stays where the page puts it, a paragraph of its own.
    """
    if attributes.get("role", "").lower() == "doc-noteref" or "noteref" in attributes.get("epub:type", "").lower():
        return True
    if _NOTE_REF_CLASS_RE.search(attributes.get("class", "")):
        return True
    return parent == "sup" and attributes.get("href", "").startswith("#")


class _Extractor(HTMLParser):
    """Collects lines of text, headings and tables from the parser's events."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.stack: list[str] = []
        self.open: Counter[str] = Counter()  # how many of each tag `stack` holds (no scan of the stack per tag)
        self.containers = 0  # how many CONTENT_CONTAINERS `stack` holds
        self.drop_depth = 0  # 1 inside a dropped element
        self.drop_at = 0  # stack depth of the dropped element
        self.pre = 0
        self.heading: int | None = None
        self.in_title = False
        self.title: list[str] = []
        self.title_text = ""
        self.first_h1: str | None = None
        self.tables: list[_Table] = []
        self.list_item = False

    # -- events ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = tag.lower()
        if self.open["head"] and tag not in HEAD_ELEMENTS:
            while self.stack:  # <body> content after an unclosed <head>
                if self._pop() == "head":
                    break
        if self.drop_depth:
            if tag not in VOID:
                self._push(tag)
            return
        if tag == "title":
            self._push(tag)
            self.in_title = True
            return
        attributes = {name.lower(): (value or "") for name, value in attrs}
        if self._dropped(tag, attributes):
            if tag not in VOID:
                self._push(tag)
                self.drop_at = len(self.stack)
                self.drop_depth = 1
            return
        if tag in VOID:
            if tag == "br":
                self._text("\n", raw=True)
            elif tag == "hr":
                self._break()
            return
        self._push(tag)
        if tag == "pre":
            self._break()
            self.pre += 1
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._break()
            self.heading = int(tag[1])
            if self.tables and self.tables[-1].cell is not None:
                self.tables[-1].cell.heading = True
        elif tag == "table":
            self._break()
            self.tables.append(_Table())
        elif tag == "tr" and self.tables:
            self.tables[-1].rows.append([])
            self.tables[-1].cell = None
        elif tag in ("td", "th") and self.tables:
            table = self.tables[-1]
            if not table.rows:
                table.rows.append([])
            span = attributes.get("colspan", "1").strip()
            cell = _Cell(tag == "th", min(int(span), 64) if span.isdigit() and int(span) > 0 else 1)
            table.rows[-1].append(cell)
            table.cell = cell
        elif tag in BLOCKS:
            self._break()
            if tag == "li":
                self.list_item = True

    def handle_endtag(self, tag: str) -> None:
        tag = tag.lower()
        if tag in VOID or not self.open[tag]:
            return  # a stray end tag
        while self.stack:
            open_tag = self._pop()
            self._close(open_tag)
            if open_tag == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.in_title:
            self.title.append(data)
        elif not self.drop_depth and not self.open["head"]:
            self._text(data)

    # -- helpers --------------------------------------------------------------

    def _push(self, tag: str) -> None:
        self.stack.append(tag)
        self.open[tag] += 1
        if tag in CONTENT_CONTAINERS:
            self.containers += 1

    def _pop(self) -> str:
        tag = self.stack.pop()
        self.open[tag] -= 1
        if tag in CONTENT_CONTAINERS:
            self.containers -= 1
        return tag

    def _dropped(self, tag: str, attributes: dict[str, str]) -> bool:
        if tag in DROPPED:
            return True
        if tag == "a" and _is_note_reference(attributes, self.stack[-1] if self.stack else ""):
            return True
        if "hidden" in attributes or attributes.get("aria-hidden", "").lower() == "true":
            return True
        if attributes.get("role", "").lower() in DROPPED_ROLES:
            return True
        return tag in PAGE_FURNITURE and not self.containers

    def _close(self, tag: str) -> None:
        if self.drop_depth:
            if len(self.stack) + 1 == self.drop_at:
                self.drop_depth = 0
            return
        if tag == "title":
            self.in_title = False
            if not self.title_text:
                self.title_text = " ".join("".join(self.title).split())
            self.title = []
            return
        if tag == "pre":
            self._break()
            self.pre = max(0, self.pre - 1)
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._break()
            self.heading = None
        elif tag in ("td", "th") and self.tables:
            self.tables[-1].cell = None
        elif tag == "table" and self.tables:
            self._flush_table(self.tables.pop())
        elif tag in BLOCKS:
            self._break()

    def _text(self, data: str, raw: bool = False) -> None:
        table = self.tables[-1] if self.tables else None
        if table is not None and table.cell is not None:
            table.cell.parts.append(" " if raw else data)
            return
        if table is not None and not raw and not data.strip():
            return  # white space between rows and cells
        self.current.append(data if (raw or self.pre) else _SPACE_RE.sub(" ", data))

    def _break(self) -> None:
        """End the current line (a heading line gets its ``#`` marks)."""
        text = "".join(self.current)
        self.current = []
        if self.tables and self.tables[-1].cell is not None:
            self.list_item = False
            return
        if self.pre:
            lines = text.split("\n")
        else:
            lines = [" ".join(part.split()) for part in text.split("\n")]
        lines = [line.rstrip() for line in lines if line.strip()]
        if not lines:
            return
        if self.heading is not None:
            heading = " ".join(" ".join(lines).split())
            if self.heading == 1 and self.first_h1 is None:
                self.first_h1 = heading
            self.lines.append("")
            self.lines.append("#" * self.heading + " " + heading)
            self.lines.append("")
            return
        for index, line in enumerate(lines):
            if re.match(r"#{1,6}(\s|$)", line):
                line = "\\" + line
            if index == 0 and self.list_item:
                line = "- " + line
            self.lines.append(line)
        self.list_item = False

    def _flush_table(self, table: _Table) -> None:
        rows = []
        layout = False
        for row in table.rows:
            cells: list[str] = []
            for cell in row:
                text = " ".join("".join(cell.parts).split()).replace("|", "/")
                if len(text) > MAX_CELL_CHARS or cell.heading:
                    layout = True
                cells.append(text)
                cells.extend([""] * (cell.span - 1))
            if any(cells):
                rows.append(cells)
        if not rows:
            return
        width = max(len(cells) for cells in rows)
        target = self.tables[-1].cell if self.tables and self.tables[-1].cell is not None else None
        if target is not None:  # a table inside a cell: its text joins the cell
            target.parts.append(" " + " ".join(cell for cells in rows for cell in cells if cell) + " ")
            return
        self.lines.append("")
        if layout or width == 1:
            for cells in rows:
                self.lines.extend(cell for cell in cells if cell)
        else:
            self.lines.extend(pipe_row(cells + [""] * (width - len(cells))) for cells in rows)
        self.lines.append("")

    def result(self) -> str:
        """The extracted text: title heading (unless the first h1 repeats it), lines, blank lines collapsed."""
        self._break()
        for table in reversed(self.tables):  # unclosed tables
            self.tables.pop()
            self._flush_table(table)
        lines = list(self.lines)
        if self.title_text and (self.first_h1 is None or self.first_h1.casefold() != self.title_text.casefold()):
            lines = ["# " + self.title_text, ""] + lines
        out: list[str] = []
        for line in lines:
            if not line and (not out or not out[-1]):
                continue
            out.append(line)
        while out and not out[-1]:
            out.pop()
        return "\n".join(out) + "\n" if out else ""
