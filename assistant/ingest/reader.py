"""Read one file into a :class:`Document`.

Each supported suffix maps to an extractor ``bytes → Extracted`` (text,
encoding, pages, offset map).  Plain text and Markdown are here; PDF
(:mod:`~assistant.ingest.pdf`), DOCX (:mod:`~assistant.ingest.docx`), ODT
(:mod:`~assistant.ingest.odt`) and HTML (:mod:`~assistant.ingest.html`) are
imported on first use, so importing the package loads none of their
libraries.  A PDF's ``pages`` hold the start offset of each page.

DOCX, ODT and HTML extractors write their headings as Markdown ``#`` lines
(one ``#`` per level) and their tables as ``| cell | cell |`` rows, so that
:func:`~assistant.ingest.sections.split_sections` and the facts table reader
handle them as they handle Markdown.

Hostile files never escape as anything but :class:`IngestError` with a
one-line French reason: files larger than ``max_bytes`` are refused before
being read (:data:`~assistant.ingest.limits.DEFAULT_MAX_BYTES`, 50 MB), as are
files that are not regular files (a FIFO would block the run); read errors
(permissions, symbolic-link loops) get a French reason; an unexpected error
inside an extractor is reported as an unreadable file of that format.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import stat as stat_module
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.decode import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_MAX_BYTES, check_size
from assistant.ingest.noise import find_noise, markup_comments, merge_spans
from assistant.ingest.sections import guess_title, uses_markdown_headings
from assistant.models import Document, DocumentFormat

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    """What an extractor gets out of a file's bytes."""

    text: str
    """The text, NFC-normalised."""
    format: DocumentFormat
    """The format the text was extracted from."""
    encoding: str = ""
    """Character encoding for text formats, '' for binary ones."""
    pages: list[int] = field(default_factory=list)
    """Start offset of each page in `text`; empty when the format has no pages."""
    offset_map: list[tuple[int, int]] = field(default_factory=list)
    """Breakpoints (text offset, original offset) where normalisation changed lengths."""


Extractor = Callable[[bytes], Extracted]
"""Turns a file's bytes into text; raises IngestError when it cannot."""


def extract_plain_text(data: bytes) -> Extracted:
    """Decode a .txt file."""
    decoded = decode_bytes(data)
    return Extracted(decoded.text, "txt", decoded.encoding, offset_map=decoded.offset_map)


def extract_markdown(data: bytes) -> Extracted:
    """Decode a .md file (the Markdown stays as written: offsets point into the source)."""
    decoded = decode_bytes(data)
    return Extracted(decoded.text, "md", decoded.encoding, offset_map=decoded.offset_map)


def extract_pdf(data: bytes) -> Extracted:
    """Extract a .pdf file's text page by page (:mod:`assistant.ingest.pdf`)."""
    from assistant.ingest.pdf import extract_pdf as extract

    return extract(data)


def extract_docx(data: bytes) -> Extracted:
    """Extract a .docx file's text, headings and tables (:mod:`assistant.ingest.docx`)."""
    from assistant.ingest.docx import extract_docx as extract

    return extract(data)


def extract_odt(data: bytes) -> Extracted:
    """Extract an .odt file's text, headings and tables (:mod:`assistant.ingest.odt`)."""
    from assistant.ingest.odt import extract_odt as extract

    return extract(data)


def extract_html(data: bytes) -> Extracted:
    """Extract a saved web page's text, headings and tables (:mod:`assistant.ingest.html`)."""
    from assistant.ingest.html import extract_html as extract

    return extract(data)


EXTRACTORS: dict[str, Extractor] = {
    ".txt": extract_plain_text,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
    ".pdf": extract_pdf,
    ".docx": extract_docx,
    ".odt": extract_odt,
    ".html": extract_html,
    ".htm": extract_html,
}
"""Extractor of each supported suffix (lower case, with the dot)."""

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(EXTRACTORS)
"""Suffixes `read_document` accepts (a snapshot; extractors added later register in EXTRACTORS)."""

_FORMAT_NAMES = {".txt": "texte", ".md": "Markdown", ".markdown": "Markdown", ".htm": "HTML", ".html": "HTML"}

_ERRNO_REASONS = {
    errno.EACCES: "permission refusée",
    errno.EPERM: "permission refusée",
    errno.ENOENT: "fichier introuvable (supprimé, ou lien symbolique cassé)",
    errno.ELOOP: "boucle de liens symboliques",
    errno.EISDIR: "c'est un dossier",
    errno.ENAMETOOLONG: "nom de fichier trop long",
    errno.EIO: "erreur d'entrée-sortie du disque",
}
"""French reasons for the read errors a user can meet."""


def read_document(
    path: Path,
    rel: str,
    repeated_lines: frozenset[str] = frozenset(),
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """Read `path` into a Document whose `path` is `rel` (POSIX separators).

    `repeated_lines` holds the line keys that recur across the corpus
    (:func:`assistant.ingest.noise.repeated_line_keys`); they help mark noise.
    Files larger than `max_bytes` are refused without being read.
    Raises :class:`IngestError` (a one-line French reason) for an unsupported
    suffix, an unreadable, oversized, empty, binary or broken file.
    """
    suffix = path.suffix.lower()
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        raise IngestError(f"format non pris en charge : {suffix or 'fichier sans extension'}")
    data, stat = _read_bounded(path, max_bytes)
    if not data:
        raise IngestError("fichier vide")
    try:
        extracted = extractor(data)
    except IngestError:
        raise
    except (MemoryError, RecursionError) as exc:
        raise IngestError(f"fichier {_format_name(suffix)} trop complexe pour être lu ({type(exc).__name__})") from exc
    except Exception as exc:  # a library choking on a malformed file: one line, never a traceback
        _log.debug("extractor of %s failed", rel, exc_info=True)
        detail = " ".join(str(exc).split())[:160]
        raise IngestError(
            f"fichier {_format_name(suffix)} illisible : corrompu ou mal formé ({type(exc).__name__}{': ' + detail if detail else ''})"
        ) from exc
    if not extracted.text.strip():
        raise IngestError("fichier vide (aucun texte)")
    noise = find_noise(extracted.text, repeated_lines)
    if extracted.format == "md":  # comments are not rendered: neither title nor text
        noise = merge_spans(noise, markup_comments(extracted.text))
    markdown = uses_markdown_headings(extracted.format, extracted.text)
    title = guess_title(extracted.text, noise, markdown=markdown) or path.stem
    return Document(
        path=rel.replace("\\", "/"),
        title=title,
        format=extracted.format,
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        mtime=stat.st_mtime,
        encoding=extracted.encoding,
        text=extracted.text,
        noise=noise,
        pages=extracted.pages,
        offset_map=extracted.offset_map,
    )


def os_error_reason(exc: OSError) -> str:
    """A French reason for a read error (permission, loop, missing file…)."""
    return _ERRNO_REASONS.get(exc.errno or 0) or exc.strerror or type(exc).__name__


def _format_name(suffix: str) -> str:
    return _FORMAT_NAMES.get(suffix, suffix.lstrip(".").upper())


def _read_bounded(path: Path, max_bytes: int) -> tuple[bytes, os.stat_result]:
    """The bytes of a regular file of at most `max_bytes`, and its stat; IngestError otherwise."""
    try:
        stat = path.stat()
        if not stat_module.S_ISREG(stat.st_mode):
            raise IngestError("pas un fichier ordinaire (tube, périphérique ou socket) : ignoré")
        check_size(stat.st_size, max_bytes)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)  # never block on a file swapped for a FIFO
        with open(os.open(path, flags), "rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as exc:
        raise IngestError(f"lecture impossible : {os_error_reason(exc)}") from exc
    check_size(len(data), max_bytes)
    return data, stat
