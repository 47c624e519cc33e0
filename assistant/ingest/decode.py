"""Bytes of a text file → NFC text, its encoding, and an offset map.

Detection is deterministic (no statistics package): a byte-order mark wins;
NUL bytes mean binary; a strict UTF-8 decode that succeeds means UTF-8;
otherwise the file is single-byte and the bytes 0x80–0x9F decide between
Windows-1252 (they are printable there: ’ œ € …) and Latin-1 (no such byte).
Old DOS (cp850) and Mac (mac_roman) files, whose accents fall in that range
and read as nonsense in cp1252 (``d‚cision``), are recognised by scoring the
candidate decodings on French letters inside words.  Nothing is ever decoded
with ``errors="replace"``: undecodable or binary content raises
:class:`IngestError`.

``data.decode(result.encoding)`` gives back the text before NFC, the "original
decoded text" that :func:`to_original` maps offsets into (the UTF-8 BOM is
not part of it).  Newlines are kept as they are (CRLF stays CRLF) so that
offsets stay exact.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.ingest.errors import IngestError

_C1_UNDEFINED_IN_CP1252 = frozenset(b"\x81\x8d\x8f\x90\x9d")
"""Bytes that Windows-1252 leaves undefined."""

_NOT_C1 = bytes(range(0x80)) + bytes(range(0xA0, 0x100))
"""Every byte outside 0x80–0x9F (deleted to keep only that range)."""

_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
"""Control characters that do not belong in text (tab, newlines, form feed are fine)."""

_BINARY_RE = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
"""C0 controls: frequent in binary data, rare in text (C1 ones come from double-encoded apostrophes)."""

_FRENCH_IN_WORD_RE = re.compile(r"[A-Za-z][àâçéèêëîïôùûüœ]|[àâçéèêëîïôùûüœ][a-z]")
"""A French accented letter beside an ASCII letter (evidence of a right decoding)."""

_SUSPICIOUS_IN_WORD_RE = re.compile(r"(?<=[^\W\d_])[‚ƒ„†‡ˆ‰Š‹ŽŸšž›™“”–—…ÇÈÊËÌÍÎÏÒÓÔÕÚÛÙ¡¢£¤¥¦§¨©ª«¬®¯°±²³´µ¶·¸¹º»¼½¾¿](?=[a-z])")
"""A punctuation sign or capital glued between lower-case letters: the mark of a wrong 8-bit decoding."""

_SINGLE_BYTE_CANDIDATES = ("cp1252", "latin-1", "cp850", "mac_roman")
"""8-bit encodings tried when the 0x80–0x9F bytes do not read well in cp1252."""


@dataclass(frozen=True)
class DecodedText:
    """The decoded, NFC-normalised text of a file."""

    text: str
    """The text, NFC-normalised (BOM stripped, newlines untouched)."""
    encoding: str
    """Python codec name that decodes the bytes: 'utf-8', 'utf-8-sig', 'utf-16', 'cp1252', 'latin-1', 'iso8859-15', 'cp850', 'mac_roman'."""
    offset_map: list[tuple[int, int]] = field(default_factory=list)
    """Breakpoints (text offset, original offset) after each place where NFC changed lengths; empty when none."""


def decode_bytes(data: bytes) -> DecodedText:
    """Detect the encoding of `data`, decode it strictly and NFC-normalise it.

    Raises :class:`IngestError` for binary content (NUL bytes, many control
    characters) or bytes that no supported encoding decodes.
    """
    if not data:
        return DecodedText(text="", encoding="utf-8")
    encoding, raw = _decode(data)
    _reject_binary(raw)
    text, offset_map = nfc_with_map(raw)
    return DecodedText(text=text, encoding=encoding, offset_map=offset_map)


def to_original(offset: int, offset_map: list[tuple[int, int]]) -> int:
    """Map an offset of the NFC text to the offset in the original decoded text.

    `offset_map` holds breakpoints ``(text offset, original offset)``: from a
    breakpoint on both texts advance together, and the result never passes
    the next breakpoint's original offset (a composed character stands for
    several original ones).  An empty map is the identity.
    """
    if not offset_map:
        return offset
    index = bisect_right(offset_map, (offset, float("inf"))) - 1
    base_text, base_original = offset_map[index] if index >= 0 else (0, 0)
    result = base_original + (offset - base_text)
    if index + 1 < len(offset_map):
        result = min(result, offset_map[index + 1][1])
    return result


def nfc_with_map(raw: str) -> tuple[str, list[tuple[int, int]]]:
    """NFC-normalise `raw`; return the text and the breakpoints where lengths changed.

    Only the stretches holding non-ASCII characters are examined; each is cut
    into segments that NFC cannot merge across, and every segment whose length
    changes adds a breakpoint at its end.
    """
    if raw.isascii() or unicodedata.is_normalized("NFC", raw):
        return raw, []
    parts: list[str] = []
    offset_map: list[tuple[int, int]] = []
    done = 0
    shift = 0  # len(text so far) - len(original so far)
    for run in re.finditer(r"[^\x00-\x7f]+", raw):
        region_start = max(run.start() - 1, done)  # the ASCII letter before may carry the first accent
        parts.append(raw[done:region_start])
        for seg_start, seg_end in _segments(raw, region_start, run.end()):
            segment = raw[seg_start:seg_end]
            normal = unicodedata.normalize("NFC", segment)
            parts.append(normal)
            if len(normal) != len(segment):
                shift += len(normal) - len(segment)
                offset_map.append((seg_end + shift, seg_end))
        done = run.end()
    parts.append(raw[done:])
    return "".join(parts), offset_map


def _segments(raw: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut raw[start:end] before every character NFC cannot merge with what precedes it."""
    cuts = [start]
    for index in range(start + 1, end):
        if _is_boundary(raw[index]):
            cuts.append(index)
    cuts.append(end)
    return list(zip(cuts, cuts[1:]))


@lru_cache(maxsize=4096)
def _is_boundary(char: str) -> bool:
    """True when NFC never combines `char` with the character before it."""
    if char.isascii():
        return True
    first = unicodedata.normalize("NFD", char)[0]
    seconds = _composing_starters()
    return unicodedata.combining(char) == 0 and unicodedata.combining(first) == 0 and char not in seconds and first not in seconds


@lru_cache(maxsize=1)
def _composing_starters() -> frozenset[str]:
    """Characters of combining class 0 that NFC can compose onto a preceding character."""
    found = {chr(cp) for cp in range(0x1161, 0x1176)} | {chr(cp) for cp in range(0x11A8, 0x11C3)}
    for cp in range(0x30000):
        decomposition = unicodedata.decomposition(chr(cp))
        if decomposition and not decomposition.startswith("<"):
            pieces = decomposition.split()
            if len(pieces) == 2:
                second = chr(int(pieces[1], 16))
                if unicodedata.combining(second) == 0:
                    found.add(second)
    return frozenset(found)


def _decode(data: bytes) -> tuple[str, str]:
    """Return (encoding, decoded text before NFC) for non-empty `data`."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return "utf-8-sig", data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise IngestError("texte invalide : marque UTF-8 en tête mais octets non UTF-8") from exc
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return "utf-16", data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError("texte invalide : marque UTF-16 en tête mais octets non UTF-16") from exc
    if b"\x00" in data:
        raise IngestError("contenu binaire (octets nuls) : ce n'est pas un fichier texte")
    try:
        return "utf-8", data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    encoding = _single_byte_encoding(data)
    return encoding, data.decode(encoding)


def _single_byte_encoding(data: bytes) -> str:
    """Choose the 8-bit encoding of `data` (not valid UTF-8, no NUL)."""
    c1 = set(data.translate(None, _NOT_C1))
    if not c1:
        if re.search(rb"[\xbc\xbd][A-Za-z]|[\xa4][ \d]|[\d ][\xa4]", data):
            return "iso8859-15"  # ¼/½ glued to letters (Œ/œ) or ¤ beside figures (€): Latin-9
        return "latin-1"
    if not c1 & _C1_UNDEFINED_IN_CP1252:
        text = data.decode("cp1252")
        if not _SUSPICIOUS_IN_WORD_RE.search(text):
            return "cp1252"
    return max(_SINGLE_BYTE_CANDIDATES, key=lambda name: _plausibility(data, name))


def _plausibility(data: bytes, encoding: str) -> float:
    """Score a decoding of `data`: French letters inside words count for, glued signs and controls against."""
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return float("-inf")
    good = len(_FRENCH_IN_WORD_RE.findall(text))
    bad = len(_SUSPICIOUS_IN_WORD_RE.findall(text))
    controls = len(_CONTROL_RE.findall(text))
    return good - 3 * bad - 5 * controls - _SINGLE_BYTE_CANDIDATES.index(encoding) * 0.1


def _reject_binary(text: str) -> None:
    """Raise IngestError when `text` holds too many control characters to be prose."""
    controls = len(_BINARY_RE.findall(text))
    if controls > max(2, len(text) // 200):
        raise IngestError("contenu binaire : trop de caractères de contrôle pour un fichier texte")
