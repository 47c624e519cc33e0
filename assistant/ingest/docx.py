"""DOCX → text with Markdown headings and pipe tables (lxml, incrementally).

The archive is checked before any part is read
(:func:`~assistant.ingest.limits.open_zip`: declared sizes, ratio, members),
so a zip bomb is refused without being inflated.

The body is walked in document order (paragraphs, tables, content controls):

* a paragraph is a heading when it, or its style or one of the styles it is
  based on, has an outline level (``w:outlineLvl``), or when its style is
  named ``Heading n`` / ``Titre n`` (level n) or ``Title`` / ``Titre``
  (level 1); it is written ``#``×level + its text;
* list paragraphs (numbering or a ``List…`` style) start with ``- ``;
* a table becomes ``| cell | cell |`` rows, header first (merged cells
  leave the cells they cover empty, so columns stay aligned); a one-column
  table (a text box drawn as a table) is read as body text;
* footnote and endnote references are left out of the sentence they sit
  in (their number would stick to the word or figure before them); the notes
  themselves follow the body, one paragraph each, under a ``Notes`` heading
  (:func:`note_texts`);
* tables of contents (``TOC n`` styles), deleted revisions, field codes,
  drawings, page headers and footers and comments are left out.

Blocks are separated by blank lines, table rows by single newlines.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from typing import Any

from assistant.ingest.errors import IngestError
from assistant.ingest.limits import open_member, open_zip, read_member

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
"""The WordprocessingML namespace, in lxml's Clark notation."""

_SKIPPED = {
    W + "drawing",
    W + "pict",
    W + "object",
    W + "delText",
    W + "instrText",
    W + "footnoteReference",
    W + "endnoteReference",
    W + "commentReference",
    W + "del",
    W + "moveFrom",
    "{http://schemas.openxmlformats.org/markup-compatibility/2006}AlternateContent",
}
"""Elements whose text is not part of the body text."""

_HEADING_NAME_RE = re.compile(r"^(?:heading|titre|título|überschrift)\s*(\d)$", re.IGNORECASE)
_TITLE_NAMES = frozenset({"title", "titre"})


MAX_STYLES_BYTES = 16 * 1024 * 1024
"""Most bytes of the styles part (a real one is well under 1 MB); it is parsed whole."""

_REL_OFFICE_DOCUMENT = "/officeDocument"
_REL_STYLES = "/styles"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"


def extract_docx(data: bytes):
    """Extract a .docx file (see the module docstring).

    The body (``word/document.xml``) is parsed incrementally: each top-level
    block (paragraph, table, content control) is read then dropped, and the
    bytes inflated are counted as they come, so memory stays a few times the
    text whatever the archive's headers declare.
    """
    from assistant.ingest.reader import Extracted

    archive = open_zip(data, ".docx")
    with archive:
        names = set(archive.namelist())
        main = _main_part(archive, names)
        styles = _Styles(_styles_root(archive, names, main))
        blocks: list[str] = []
        with open_member(archive, main, ".docx") as stream:
            for block in _body_blocks(stream):
                _walk([block], styles, blocks)
        notes = note_texts(archive, names)
    if notes and blocks:
        headed = any(block.startswith("# ") for block in blocks)
        blocks.append(("# " if headed else "") + NOTES_HEADING)
        blocks.extend(notes)
    text = "\n\n".join(blocks) + "\n" if blocks else ""
    return Extracted(text=_nfc(text), format="docx")


def _xml_parser():
    from lxml import etree

    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _parse_small(data: bytes, name: str):
    """A small XML part (relationships, styles) as an element; IngestError when it is not XML or declares a DTD."""
    from lxml import etree

    if b"<!DOCTYPE" in data[:4096] or b"<!ENTITY" in data:
        raise IngestError(f"archive .docx refusée : {name} déclare des entités XML")
    try:
        return etree.fromstring(data, _xml_parser())
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"archive .docx illisible : {name} n'est pas du XML ({exc})") from exc


def _relationship(archive, names: set[str], rels_name: str, kind_suffix: str) -> str | None:
    """The target of the first relationship of type `kind_suffix` in a .rels part, or None."""
    if rels_name not in names:
        return None
    root = _parse_small(read_member(archive, rels_name, ".docx", MAX_STYLES_BYTES), rels_name)
    for rel in root.iter(_RELS):
        if (rel.get("Type") or "").endswith(kind_suffix) and rel.get("TargetMode") != "External":
            return rel.get("Target") or None
    return None


def _main_part(archive, names: set[str]) -> str:
    """The name of the main document part (``word/document.xml`` in practice), as the package's relationships say."""
    target = _relationship(archive, names, "_rels/.rels", _REL_OFFICE_DOCUMENT)
    name = posixpath.normpath(target.lstrip("/")) if target else "word/document.xml"
    if name not in names:
        raise IngestError("ce fichier .docx n'est pas un document Word (paquet OPC incomplet)")
    return name


def _styles_root(archive, names: set[str], main: str):
    """The root element of the styles part, or None when the document has none."""
    folder, base = posixpath.split(main)
    target = _relationship(archive, names, posixpath.join(folder, "_rels", base + ".rels"), _REL_STYLES)
    name = posixpath.normpath(posixpath.join(folder, target)) if target else posixpath.join(folder, "styles.xml")
    if name not in names:
        return None
    return _parse_small(read_member(archive, name, ".docx", MAX_STYLES_BYTES), name)


def _body_blocks(stream) -> Iterator:
    """Yield each top-level block of a ``w:document``'s body as it is parsed, then free it."""
    from lxml import etree

    context = etree.iterparse(
        stream, events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False, remove_comments=True
    )
    depth = 0
    body = None
    try:
        for event, element in context:
            if event == "start":
                depth += 1
                if depth == 1:
                    if element.getroottree().docinfo.internalDTD is not None:
                        raise IngestError("archive .docx refusée : le document déclare des entités XML")
                    if element.tag != W + "document":
                        local = str(element.tag).rsplit("}", 1)[-1]
                        raise IngestError(f"ce fichier .docx n'est pas un document Word (contenu : {local[:40]})")
                elif depth == 2 and element.tag == W + "body":
                    body = element
                continue
            if depth == 3 and body is not None and element.getparent() is body:
                yield element
                element.clear()
                while element.getprevious() is not None:
                    del body[0]
            depth -= 1
    except etree.XMLSyntaxError as exc:
        raise IngestError(f"archive .docx illisible : document mal formé ({' '.join(str(exc).split())[:120]})") from exc


NOTES_HEADING = "Notes"
"""The heading the footnotes and endnotes are written under, after the body."""

_NOTE_PARTS = ("word/footnotes.xml", "word/endnotes.xml")
_SEPARATOR_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


def note_texts(archive, names: set[str]) -> list[str]:
    """The text of each footnote, then each endnote, in order (one paragraph each; separators left out).

    Parsed like the styles part (bounded size, no DTD or entities); notes that
    cannot be read are left out, the body is still worth indexing.
    """
    out: list[str] = []
    for name in _NOTE_PARTS:
        if name not in names:
            continue
        try:
            root = _parse_small(read_member(archive, name, ".docx", MAX_STYLES_BYTES), name)
        except IngestError:
            continue
        for note in list(root.iter(W + "footnote")) + list(root.iter(W + "endnote")):
            if note.get(W + "type") in _SEPARATOR_TYPES:
                continue
            paragraphs = []
            for paragraph in note.iter(W + "p"):
                text = "".join(t.text or "" for t in paragraph.iter(W + "t"))
                if text.strip():
                    paragraphs.append(" ".join(text.split()))
            if paragraphs:
                out.append(" ".join(paragraphs))
    return out


def _nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


class _Styles:
    """Heading level and kind of each paragraph style, following ``w:basedOn``."""

    def __init__(self, root) -> None:
        self.by_id: dict[str, Any] = {}
        self._levels: dict[str, int | None] = {}
        if root is None:
            return
        for style in root.iterfind(W + "style"):
            style_id = style.get(W + "styleId")
            if style_id:
                self.by_id[style_id] = style

    def _name(self, style) -> str:
        name = style.find(W + "name")
        return (name.get(W + "val") or "").strip().casefold() if name is not None else ""

    def name(self, style_id: str | None) -> str:
        """The (case-folded) name of a style id, '' when unknown."""
        style = self.by_id.get(style_id or "")
        return self._name(style) if style is not None else ""

    def level(self, style_id: str | None) -> int | None:
        """Heading level (1–9) of a paragraph style, or None."""
        if not style_id:
            return None
        if style_id not in self._levels:
            self._levels[style_id] = None  # guards basedOn cycles
            self._levels[style_id] = self._compute(style_id, 0)
        return self._levels[style_id]

    def _compute(self, style_id: str, depth: int) -> int | None:
        style = self.by_id.get(style_id)
        if style is None or depth > 10:
            return None
        outline = style.find(f"{W}pPr/{W}outlineLvl")
        if outline is not None:
            return _outline(outline)
        name = self._name(style)
        match = _HEADING_NAME_RE.match(name)
        if match:
            return int(match.group(1)) or None
        if name in _TITLE_NAMES:
            return 1
        based = style.find(W + "basedOn")
        parent = based.get(W + "val") if based is not None else None
        if parent and parent != style_id:
            return self._compute(parent, depth + 1)
        return None


def _outline(element) -> int | None:
    """Level of a ``w:outlineLvl`` (0 → 1; 9 means body text)."""
    try:
        value = int(element.get(W + "val"))
    except (TypeError, ValueError):
        return None
    return value + 1 if 0 <= value <= 8 else None


def _walk(container, styles: _Styles, blocks: list[str]) -> None:
    """Append the blocks of a body (or table cell, or content control) to `blocks`."""
    for child in container:
        tag = child.tag
        if tag == W + "p":
            block = _paragraph_block(child, styles)
            if block:
                blocks.append(block)
        elif tag == W + "tbl":
            _table(child, styles, blocks)
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                _walk(content, styles, blocks)
        elif tag in (W + "customXml", W + "ins", W + "moveTo"):
            _walk(child, styles, blocks)


def paragraph_text(paragraph) -> str:
    """The visible text of a ``w:p`` element: runs, hyperlinks, insertions; tabs and breaks kept."""
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element, parts: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIPPED:
            continue
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag == W + "tab":
            parts.append("\t")
        elif tag in (W + "br", W + "cr"):
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
        elif tag in (W + "sym", W + "pPr", W + "rPr"):
            continue
        else:
            _collect(child, parts)


def _paragraph_block(paragraph, styles: _Styles) -> str:
    """A paragraph as a text block: a ``#`` heading line, a ``- `` list item, or its text."""
    text = paragraph_text(paragraph)
    if not text.strip():
        return ""
    props = paragraph.find(W + "pPr")
    style_id = None
    level = None
    listed = False
    if props is not None:
        style = props.find(W + "pStyle")
        style_id = style.get(W + "val") if style is not None else None
        outline = props.find(W + "outlineLvl")
        if outline is not None:
            level = _outline(outline)
        listed = props.find(W + "numPr") is not None
    name = styles.name(style_id)
    if name.startswith(("toc ", "table of contents", "tdm ")):
        return ""  # a generated table of contents: navigation, not content
    if level is None:
        level = styles.level(style_id)
    if level is not None:
        return "#" * min(level, 6) + " " + " ".join(text.split())
    lines = [" ".join(line.replace("\t", " ").split()) for line in text.split("\n")]
    body = "\n".join(line for line in lines if line)
    if re.match(r"#{1,6}(\s|$)", body):
        body = "\\" + body  # a paragraph that starts with '#' is not a heading
    if listed or "list" in name or "liste" in name:
        return "- " + body
    return body


def _cell_text(cell) -> str:
    """The text of a table cell on one line (nested tables included), pipes replaced."""
    parts: list[str] = []
    _cell_parts(cell, parts)
    return " ".join(" ".join(part.split()) for part in parts if part.strip()).replace("|", "/")


def _cell_parts(container, parts: list[str]) -> None:
    for child in container:
        if child.tag == W + "p":
            parts.append(paragraph_text(child))
        elif child.tag in (W + "tbl", W + "tr", W + "tc", W + "sdt", W + "sdtContent", W + "customXml"):
            _cell_parts(child, parts)


def _table(table, styles: _Styles, blocks: list[str]) -> None:
    """Append a table as pipe rows (or its content, for a one-column table)."""
    rows: list[list[str]] = []
    for row in table.iterfind(W + "tr"):
        cells: list[str] = []
        for cell in row.iterfind(W + "tc"):
            props = cell.find(W + "tcPr")
            span = 1
            merged = False
            if props is not None:
                grid = props.find(W + "gridSpan")
                if grid is not None:
                    try:
                        span = max(1, min(int(grid.get(W + "val")), 64))
                    except (TypeError, ValueError):
                        span = 1
                vmerge = props.find(W + "vMerge")
                merged = vmerge is not None and vmerge.get(W + "val") in (None, "continue")
            cells.append("" if merged else _cell_text(cell))
            cells.extend([""] * (span - 1))
        if any(cells):
            rows.append(cells)
    if not rows:
        return
    if max(len(cells) for cells in rows) == 1:
        for row in table.iterfind(W + "tr"):
            for cell in row.iterfind(W + "tc"):
                _walk(cell, styles, blocks)
        return
    blocks.append("\n".join(pipe_row(cells) for cells in rows))


def pipe_row(cells: list[str]) -> str:
    """A table row as ``| a | b | c |`` (empty cells keep their place)."""
    return "| " + " | ".join(cell.strip() for cell in cells) + " |"
