"""Ingestion: files → :class:`~assistant.models.Document` (text, noise, offsets) → sections.

Formats: .txt, .md/.markdown, .pdf (pypdfium2), .docx (python-docx), .odt,
.html/.htm — see :mod:`assistant.ingest.reader`.  Light to import: no spaCy,
no Textual, and no format library until a file of that format is read.
"""

from assistant.ingest.decode import DecodedText, decode_bytes, to_original
from assistant.ingest.errors import IngestError
from assistant.ingest.limits import DEFAULT_MAX_BYTES, MB
from assistant.ingest.noise import find_noise, line_key, repeated_line_keys
from assistant.ingest.reader import EXTRACTORS, SUPPORTED_SUFFIXES, read_document
from assistant.ingest.sections import guess_title, split_sections

__all__ = [
    "DEFAULT_MAX_BYTES",
    "EXTRACTORS",
    "MB",
    "SUPPORTED_SUFFIXES",
    "DecodedText",
    "IngestError",
    "decode_bytes",
    "find_noise",
    "guess_title",
    "line_key",
    "read_document",
    "repeated_line_keys",
    "split_sections",
    "to_original",
]
