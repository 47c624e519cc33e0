"""Read one file into a :class:`Document`.

Each supported suffix maps to an extractor ``bytes → Extracted`` (text,
encoding, pages, offset map).  Plain text and Markdown are here; PDF, DOCX,
ODT and HTML extractors register themselves in :data:`EXTRACTORS` the same
way (their ``pages`` hold the start offset of each page).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.ingest.decode import decode_bytes
from assistant.ingest.errors import IngestError
from assistant.ingest.noise import find_noise
from assistant.ingest.sections import guess_title
from assistant.models import Document, DocumentFormat


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


EXTRACTORS: dict[str, Extractor] = {
    ".txt": extract_plain_text,
    ".md": extract_markdown,
    ".markdown": extract_markdown,
}
"""Extractor of each supported suffix (lower case, with the dot)."""

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(EXTRACTORS)
"""Suffixes `read_document` accepts (a snapshot; extractors added later register in EXTRACTORS)."""


def read_document(path: Path, rel: str, repeated_lines: frozenset[str] = frozenset()) -> Document:
    """Read `path` into a Document whose `path` is `rel` (POSIX separators).

    `repeated_lines` holds the line keys that recur across the corpus
    (:func:`assistant.ingest.noise.repeated_line_keys`); they help mark noise.
    Raises :class:`IngestError` for an unsupported suffix, an unreadable,
    empty or binary file.
    """
    suffix = path.suffix.lower()
    extractor = EXTRACTORS.get(suffix)
    if extractor is None:
        raise IngestError(f"format non pris en charge : {suffix or 'fichier sans extension'}")
    try:
        stat = path.stat()
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"lecture impossible : {exc.strerror or type(exc).__name__}") from exc
    if not data:
        raise IngestError("fichier vide")
    extracted = extractor(data)
    if not extracted.text.strip():
        raise IngestError("fichier vide (aucun texte)")
    noise = find_noise(extracted.text, repeated_lines)
    title = guess_title(extracted.text, noise, markdown=extracted.format == "md") or path.stem
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
