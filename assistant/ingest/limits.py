"""Limits that keep a hostile or broken file from costing memory, time or the run.

* :data:`DEFAULT_MAX_BYTES`: files larger than this are refused before being
  read (``read_document(..., max_bytes=...)``; ``assistant index
  --max-file-mb``).  A report of 50 MB is already a very large PDF; a text
  file that size is a dump, not a report.
* Office documents (.docx, .odt) are ZIP archives: :func:`open_zip` checks the
  sizes the archive *declares* before anything is decompressed — the total
  uncompressed size, the number of members and each member's compression
  ratio — so a zip bomb is refused, not inflated.  ``zipfile`` never returns
  more than a member's declared size (it stops there and checks the CRC), so
  the declared sizes bound what is actually read; :func:`read_member` caps
  each read again, and :func:`open_member` streams a member with a running
  count of the bytes really inflated (headers can lie), so an XML part is
  parsed incrementally and never held whole.
* :data:`MAX_PDF_PAGES`: PDFs with more pages are refused.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from typing import IO

from assistant.ingest.errors import IngestError

MB = 1024 * 1024
"""One megabyte (MiB), the unit of ``--max-file-mb``."""

DEFAULT_MAX_BYTES = 50 * MB
"""Largest file `read_document` accepts by default (50 MB, as ``assistant index --max-file-mb``'s default)."""

MAX_UNZIPPED_BYTES = 256 * MB
"""Largest total uncompressed size an Office archive may declare."""

MAX_ZIP_MEMBERS = 10_000
"""Most members an Office archive may hold."""

MAX_ZIP_RATIO = 100
"""Highest compression ratio of a member larger than :data:`RATIO_FLOOR_BYTES` (XML compresses 5–20×; bombs 1000×)."""

RATIO_FLOOR_BYTES = 2 * MB
"""Members smaller than this are never refused for their ratio (a tiny file of spaces compresses well)."""

MAX_MEMBER_BYTES = 128 * MB
"""Most bytes read from one member (content.xml, styles.xml)."""

MAX_PDF_PAGES = 20_000
"""Most pages of a PDF."""


def megabytes(size: int) -> str:
    """A size in MB for a message (``12,5 Mo``)."""
    value = size / MB
    text = f"{value:.0f}" if value >= 10 else f"{value:.1f}"
    return text.replace(".", ",") + " Mo"


def check_size(size: int, max_bytes: int) -> None:
    """Raise IngestError when `size` exceeds `max_bytes`."""
    if size > max_bytes:
        raise IngestError(f"fichier trop volumineux : {megabytes(size)}, limite {megabytes(max_bytes)} (option --max-file-mb)")


def open_zip(data: bytes, kind: str) -> zipfile.ZipFile:
    """Open the ZIP archive of an Office document after checking its declared sizes.

    `kind` names the format in messages (``.docx``, ``.odt``).  Raises
    IngestError for bytes that are not a ZIP archive and for archives that
    would inflate beyond the limits above.
    """
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise IngestError(
            f"ce fichier {kind} est un document Office 97-2003 ou protégé par mot de passe : "
            f"enregistrez-le au format {kind} sans mot de passe"
        )
    if not data.startswith(b"PK"):
        raise IngestError(f"ce fichier {kind} n'est pas une archive ZIP : fichier corrompu ou mal nommé")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise IngestError(f"archive {kind} illisible : fichier tronqué ou corrompu ({exc})") from exc
    members = archive.infolist()
    if len(members) > MAX_ZIP_MEMBERS:
        raise IngestError(f"archive {kind} refusée : {len(members)} fichiers internes (limite {MAX_ZIP_MEMBERS})")
    total = 0
    for member in members:
        total += member.file_size
        if member.file_size > RATIO_FLOOR_BYTES and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1):
            ratio = member.file_size // max(member.compress_size, 1)
            raise IngestError(
                f"archive {kind} refusée : {member.filename} se décompresse {ratio} fois "
                f"(limite {MAX_ZIP_RATIO}), une bombe de décompression"
            )
    if total > MAX_UNZIPPED_BYTES:
        raise IngestError(
            f"archive {kind} refusée : {megabytes(total)} une fois décompressée (limite {megabytes(MAX_UNZIPPED_BYTES)})"
        )
    return archive


def read_member(archive: zipfile.ZipFile, name: str, kind: str, limit: int = MAX_MEMBER_BYTES) -> bytes:
    """Read one member of a checked archive, at most `limit` bytes; IngestError when absent, broken or too large."""
    try:
        with archive.open(name) as stream:
            data = stream.read(limit + 1)
    except KeyError as exc:
        raise IngestError(f"archive {kind} incomplète : {name} absent") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise IngestError(f"archive {kind} illisible : {name} corrompu ({exc})") from exc
    if len(data) > limit:
        raise IngestError(f"archive {kind} refusée : {name} dépasse {megabytes(limit)} décompressé")
    return data


class _CountingReader(io.RawIOBase):
    """A read-only stream over a ZIP member that refuses to inflate more than `limit` bytes."""

    def __init__(self, stream: IO[bytes], name: str, kind: str, limit: int) -> None:
        self._stream = stream
        self._name = name
        self._kind = kind
        self._limit = limit
        self.count = 0
        """Bytes inflated so far (counted, not taken from the archive's headers)."""

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        chunk_size = 1024 * 1024 if size is None or size < 0 else min(size, 1024 * 1024)
        try:
            chunk = self._stream.read(chunk_size)
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise IngestError(f"archive {self._kind} illisible : {self._name} corrompu ({exc})") from exc
        self.count += len(chunk)
        if self.count > self._limit:
            raise IngestError(f"archive {self._kind} refusée : {self._name} dépasse {megabytes(self._limit)} décompressé")
        return chunk

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def]
        chunk = self.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)

    def close(self) -> None:
        self._stream.close()
        super().close()


def open_member(archive: zipfile.ZipFile, name: str, kind: str, limit: int = MAX_MEMBER_BYTES) -> _CountingReader:
    """A stream of one member of a checked archive that raises IngestError past `limit` inflated bytes."""
    try:
        declared = archive.getinfo(name).file_size
        stream = archive.open(name)
    except KeyError as exc:
        raise IngestError(f"archive {kind} incomplète : {name} absent") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError) as exc:
        raise IngestError(f"archive {kind} illisible : {name} corrompu ({exc})") from exc
    if declared > limit:  # said too big: refused at once (said small but bigger: stopped by the count)
        stream.close()
        raise IngestError(f"archive {kind} refusée : {name} dépasse {megabytes(limit)} décompressé")
    return _CountingReader(stream, name, kind, limit)
