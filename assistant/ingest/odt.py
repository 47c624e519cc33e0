"""ODT (OpenDocument text) → text with Markdown headings and pipe tables.

Read with the standard library (``zipfile`` and ``xml.etree``), the way
odfpy reads it but without its object model: ``content.xml`` holds the body,
``styles.xml`` the named styles.  The archive is checked first
(:func:`~assistant.ingest.limits.open_zip`: declared sizes, ratio, members)
content.xml is parsed incrementally (one block at a time, inflated bytes
counted as they come), styles.xml with a cap; a part declaring a DOCTYPE (the only
place XML entities can be declared) is refused, so entity expansion cannot
happen.

* ``text:h`` is a heading of its ``text:outline-level``; a ``text:p`` whose
  style (or a parent style) has a default outline level, or is named
  ``Heading n`` / ``Titre n`` / ``Title``, is one too; headings are written
  ``#``×level + text;
* list items start with ``- ``;
* ``table:table`` becomes ``| cell | cell |`` rows (repeated columns
  expanded, covered cells left empty, trailing empty cells dropped); a
  one-column table is read as body text;
* spaces (``text:s``) and tabs are collapsed to one space as in the other
  formats, ``text:line-break`` gives a newline; notes, annotations, frames (images, text boxes), tables of
  contents and indexes are left out.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from typing import Any

from assistant.ingest.docx import pipe_row
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import open_member, open_zip, read_member

OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
STYLE = "{urn:oasis:names:tc:opendocument:xmlns:style:1.0}"

TEXT_MIMETYPES = frozenset(
    {
        "application/vnd.oasis.opendocument.text",
        "application/vnd.oasis.opendocument.text-template",
        "application/vnd.oasis.opendocument.text-master",
    }
)
"""Mimetypes of OpenDocument text files."""

MAX_REPEAT = 64
"""Most times a repeated table cell or row is written out."""

_SKIPPED_BLOCKS = {
    TEXT + "table-of-content",
    TEXT + "alphabetical-index",
    TEXT + "illustration-index",
    TEXT + "object-index",
    TEXT + "user-index",
    TEXT + "table-index",
    TEXT + "bibliography",
    TEXT + "sequence-decls",
    TEXT + "variable-decls",
    TEXT + "user-field-decls",
    TEXT + "tracked-changes",
    OFFICE + "forms",
    TEXT + "soft-page-break",
}
"""Body elements that hold no report text (generated indexes, declarations)."""

_SKIPPED_INLINE = {
    TEXT + "note",
    OFFICE + "annotation",
    OFFICE + "annotation-end",
    TEXT + "bookmark-ref",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}frame",
    "{urn:oasis:names:tc:opendocument:xmlns:drawing:1.0}a",
    TEXT + "soft-page-break",
    TEXT + "change",
}
"""Inline elements whose text is not part of the paragraph."""

_HEADING_NAME_RE = re.compile(r"^(?:heading|titre)(?:_20_|\s+)(\d)$", re.IGNORECASE)


def extract_odt(data: bytes):
    """Extract an .odt file (see the module docstring)."""
    from assistant.ingest.reader import Extracted

    archive = open_zip(data, ".odt")
    with archive:
        names = set(archive.namelist())
        if "mimetype" in names:
            mimetype = read_member(archive, "mimetype", ".odt", limit=200).decode("ascii", "replace").strip()
            if mimetype not in TEXT_MIMETYPES:
                raise IngestError(f"ce fichier .odt n'est pas un texte OpenDocument (type {mimetype or 'inconnu'})")
        if "content.xml" not in names:
            raise IngestError("ce fichier .odt n'est pas un document OpenDocument (content.xml absent)")
        styles_root = (
            _parse(read_member(archive, "styles.xml", ".odt", MAX_STYLES_BYTES), "styles.xml") if "styles.xml" in names else None
        )
        styles = _Styles(styles_root)
        blocks: list[str] = []
        with open_member(archive, "content.xml", ".odt") as stream:
            found = False
            for block in _body_blocks(stream, styles):
                found = True
                if block is not None:
                    _walk([block], styles, blocks, listed=False)
        if not found:
            raise IngestError("ce fichier .odt ne contient pas de texte (office:text absent)")
    text = "\n\n".join(blocks) + "\n" if blocks else ""
    return Extracted(text=unicodedata.normalize("NFC", text), format="odt")


MAX_STYLES_BYTES = 16 * 1024 * 1024
"""Most bytes of styles.xml (parsed whole; a real one is well under 1 MB)."""


def _body_blocks(stream, styles: _Styles) -> Iterator[Any]:
    """Yield each block of content.xml's ``office:text`` as it is parsed, then free it.

    The automatic styles (before the body) are added to `styles` as they end.
    ``None`` is yielded once when ``office:text`` starts, so that an empty text
    is told from a missing one.  Memory holds one block at a time.
    """
    from lxml import etree

    context = etree.iterparse(
        stream,
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        remove_comments=True,
        remove_pis=True,
    )
    path: list[str] = []
    try:
        for event, element in context:
            if event == "start":
                if not path and element.getroottree().docinfo.internalDTD is not None:
                    raise IngestError("fichier .odt refusé : content.xml déclare des entités XML (DOCTYPE)")
                path.append(element.tag)
                if path[1:] == [OFFICE + "body", OFFICE + "text"]:
                    yield None
                continue
            path.pop()
            if len(path) == 1 and element.tag == OFFICE + "automatic-styles":
                styles.add(element)
            elif len(path) == 3 and path[1:] == [OFFICE + "body", OFFICE + "text"]:
                yield element
                element.clear()
                parent = element.getparent()
                while element.getprevious() is not None:
                    del parent[0]
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"fichier .odt illisible : content.xml mal formé ({' '.join(str(exc).split())[:120]})") from exc


def _parse(data: bytes, name: str) -> ET.Element:
    """Parse an XML part, refusing DOCTYPE declarations (entities)."""
    if re.search(rb"<!DOCTYPE", data[:65536], re.IGNORECASE) or b"<!ENTITY" in data:
        raise IngestError(f"fichier .odt refusé : {name} déclare des entités XML (DOCTYPE)")
    try:
        return ET.fromstring(data)
    except ET.ParseError as exc:
        raise IngestError(f"fichier .odt illisible : {name} mal formé ({exc})") from exc


class _Styles:
    """Heading level of each paragraph style (automatic styles of content.xml, named styles of styles.xml)."""

    def __init__(self, styles_root: ET.Element | None) -> None:
        self.by_name: dict[str, Any] = {}
        self._levels: dict[str, int | None] = {}
        if styles_root is not None:
            self.add(styles_root)

    def add(self, root: Any) -> None:
        """Add the paragraph styles under `root` (the automatic styles of content.xml override named ones)."""
        for style in root.iter(STYLE + "style"):
            name = style.get(STYLE + "name")
            if name and style.get(STYLE + "family", "paragraph") == "paragraph":
                self.by_name[name] = style
        self._levels.clear()

    def level(self, name: str | None) -> int | None:
        """Heading level of a paragraph style, or None."""
        if not name:
            return None
        if name not in self._levels:
            self._levels[name] = None  # guards parent cycles
            self._levels[name] = self._compute(name, 0)
        return self._levels[name]

    def _compute(self, name: str, depth: int) -> int | None:
        style = self.by_name.get(name)
        candidates = [name] + ([style.get(STYLE + "display-name", "")] if style is not None else [])
        for candidate in candidates:
            match = _HEADING_NAME_RE.match(candidate)
            if match:
                return int(match.group(1)) or None
            if candidate.casefold() in ("title", "titre"):
                return 1
        if style is None or depth > 10:
            return None
        outline = style.get(STYLE + "default-outline-level")
        if outline and outline.isdigit() and int(outline) > 0:
            return int(outline)
        parent = style.get(STYLE + "parent-style-name")
        return self._compute(parent, depth + 1) if parent and parent != name else None


def inline_text(element: ET.Element) -> str:
    """The text of a paragraph or heading with its spans, links and spaces; notes and frames left out."""
    parts: list[str] = []
    _inline(element, parts)
    return "".join(parts)


def _inline(element: ET.Element, parts: list[str]) -> None:
    if element.text:
        parts.append(element.text)
    for child in element:
        tag = child.tag
        if tag == TEXT + "s":
            count = child.get(TEXT + "c", "1")
            parts.append(" " * (min(int(count), 100) if count.isdigit() else 1))
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "line-break":
            parts.append("\n")
        elif tag not in _SKIPPED_INLINE:
            _inline(child, parts)
        if child.tail:
            parts.append(child.tail)


def _walk(container: Iterable[Any], styles: _Styles, blocks: list[str], listed: bool) -> None:
    """Append the blocks of a body, section, list or cell to `blocks`."""
    for child in container:
        tag = child.tag
        if tag in _SKIPPED_BLOCKS:
            continue
        if tag in (TEXT + "h", TEXT + "p"):
            block = _paragraph_block(child, styles, listed)
            if block:
                blocks.append(block)
        elif tag == TEXT + "list":
            _walk(child, styles, blocks, listed=True)
        elif tag in (TEXT + "list-item", TEXT + "list-header"):
            _walk(child, styles, blocks, listed=listed)
        elif tag == TABLE + "table":
            _table(child, styles, blocks)
        elif tag in (TEXT + "section", TEXT + "index-body"):
            _walk(child, styles, blocks, listed=listed)


def _paragraph_block(element: ET.Element, styles: _Styles, listed: bool) -> str:
    text = inline_text(element)
    if not text.strip():
        return ""
    level = None
    if element.tag == TEXT + "h":
        raw = element.get(TEXT + "outline-level", "1")
        level = int(raw) if raw.isdigit() and int(raw) > 0 else 1
    else:
        level = styles.level(element.get(TEXT + "style-name"))
    if level is not None:
        return "#" * min(level, 6) + " " + " ".join(text.split())
    lines = [" ".join(line.replace("\t", " ").split()) if line.strip() else "" for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    if re.match(r"#{1,6}(\s|$)", body):
        body = "\\" + body
    return "- " + body if listed else body


def _cell_text(cell: ET.Element) -> str:
    parts = [inline_text(p) for p in cell.iter() if p.tag in (TEXT + "p", TEXT + "h")]
    return " ".join(" ".join(part.split()) for part in parts if part.strip()).replace("|", "/")


def _rows(table: ET.Element):
    """The table:table-row elements of a table, through header rows, row groups and row sets."""
    for child in table:
        if child.tag == TABLE + "table-row":
            yield child
        elif child.tag in (TABLE + "table-header-rows", TABLE + "table-rows", TABLE + "table-row-group"):
            yield from _rows(child)


def _table(table: ET.Element, styles: _Styles, blocks: list[str]) -> None:
    rows: list[list[str]] = []
    for row in _rows(table):
        cells: list[str] = []
        for cell in row:
            if cell.tag not in (TABLE + "table-cell", TABLE + "covered-table-cell"):
                continue
            repeat = cell.get(TABLE + "number-columns-repeated", "1")
            count = min(int(repeat), MAX_REPEAT) if repeat.isdigit() else 1
            value = _cell_text(cell) if cell.tag == TABLE + "table-cell" else ""
            cells.extend([value] * count)
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        repeat = row.get(TABLE + "number-rows-repeated", "1")
        rows.extend([cells] * (min(int(repeat), MAX_REPEAT) if repeat.isdigit() else 1))
    if not rows:
        return
    if max(len(cells) for cells in rows) == 1:
        for row in _rows(table):
            for cell in row:
                if cell.tag == TABLE + "table-cell":
                    _walk(cell, styles, blocks, listed=False)
        return
    width = max(len(cells) for cells in rows)
    blocks.append("\n".join(pipe_row(cells + [""] * (width - len(cells))) for cells in rows))
