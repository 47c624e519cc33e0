"""Hostile files never flood memory: peak RSS of reading one stays bounded, whatever the archive headers say.

Each case reads one generated file with ``read_document`` in a child process
and checks the child's peak resident memory (its own ``VmHWM``; ``ru_maxrss`` would
also count the parent's pages at fork time)
against a bound a few times the file's text — generous for a shared machine,
yet below what reading the whole XML tree (python-docx, ElementTree) or
splitting a huge line into words used to cost.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="peak memory read from /proc (Linux)")

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="word/document.xml"/></Relationships>'
)
_ODT_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)

_PROBE = """
import resource, sys
from pathlib import Path
from assistant.ingest import IngestError, read_document, split_sections
path = Path(sys.argv[1])
try:
    doc = read_document(path, path.name, max_bytes=200 * 1024 * 1024)
    split_sections(doc)
    print("lu", len(doc.text))
except IngestError as exc:
    print("refusé", exc)
# The peak of this process's own memory: VmHWM is per address space, whereas ru_maxrss also counts
# the parent's pages at fork time (a large pytest process would hide the child's own peak).
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("pic", int(hwm.split()[1]))
"""


def _peak_mb(path: Path) -> tuple[float, str]:
    """Read `path` in a child process; that child's own peak RSS (MB, its VmHWM) and what it printed."""
    result = subprocess.run([sys.executable, "-c", _PROBE, str(path)], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, (result.stdout + result.stderr)[-2000:]
    said, _, peak = result.stdout.strip().rpartition("\npic ")
    return int(peak) / 1024, said.strip()


def _markup_heavy_docx(path: Path, paragraphs: int) -> None:
    """A .docx whose document.xml is tens of MB of formatting around almost no text (ratio under the bomb check)."""
    paragraph = (
        '<w:p w:rsidR="{0:08X}" w:rsidRDefault="{1:08X}"><w:pPr><w:pStyle w:val="Normal"/><w:spacing w:after="120"/></w:pPr>'
        '<w:r w:rsidRPr="{2:08X}"><w:rPr><w:b/><w:i/><w:sz w:val="24"/><w:lang w:val="fr-FR"/></w:rPr>'
        '<w:t xml:space="preserve"> </w:t></w:r></w:p>'
    )
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode())
            member.write(b"<w:p><w:r><w:t>Le programme a financ\xc3\xa9 12 projets.</w:t></w:r></w:p>")
            for start in range(0, paragraphs, 1000):  # revision ids vary as in a real document
                member.write(
                    "".join(
                        paragraph.format(i * 7919, i * 104729, i * 15485863 % 2**32) for i in range(start, start + 1000)
                    ).encode()
                )
            member.write(b"</w:body></w:document>")


def _markup_heavy_odt(path: Path, paragraphs: int) -> None:
    """An .odt whose content.xml is tens of MB of spans around almost no text."""
    paragraph = '<text:p text:style-name="P{0}"><text:span text:style-name="T{1}"> </text:span><text:s text:c="2"/></text:p>'
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        with archive.open("content.xml", "w") as member:
            member.write(f'<?xml version="1.0"?><office:document-content {_ODT_NS}><office:body><office:text>'.encode())
            member.write("<text:p>Le programme a financé 12 projets.</text:p>".encode())
            for start in range(0, paragraphs, 1000):
                member.write(
                    "".join(paragraph.format(i * 7919 % 99991, i * 104729 % 65521) for i in range(start, start + 1000)).encode()
                )
            member.write(b"</office:text></office:body></office:document-content>")


def _lying_docx(path: Path, megabytes: int) -> None:
    """A .docx whose document.xml inflates to `megabytes` MB while its headers declare 1 MB."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w") as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>'.encode())
            chunk = b"a" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
            member.write(b"</w:t></w:r></w:p></w:body></w:document>")
    data = bytearray(path.read_bytes())
    name = b"word/document.xml"
    for signature, size_at, name_len_at, header in ((b"PK\x03\x04", 22, 26, 30), (b"PK\x01\x02", 24, 28, 46)):
        pos = data.find(signature)
        while pos >= 0:
            length = struct.unpack_from("<H", data, pos + name_len_at)[0]
            if bytes(data[pos + header : pos + header + length]) == name:
                struct.pack_into("<I", data, pos + size_at, 1024 * 1024)
            pos = data.find(signature, pos + 4)
    path.write_bytes(data)


def test_markup_heavy_docx_is_parsed_incrementally(tmp_path: Path) -> None:
    path = tmp_path / "balisage.docx"
    _markup_heavy_docx(path, 300_000)  # ~60 MB of XML: ~1 GB as a whole tree
    with zipfile.ZipFile(path) as archive:
        assert archive.getinfo("word/document.xml").file_size > 50 * 1024 * 1024
    peak, said = _peak_mb(path)
    assert said.startswith("lu"), said
    assert peak < 300, f"{peak:.0f} MB"


def test_markup_heavy_odt_is_parsed_incrementally(tmp_path: Path) -> None:
    path = tmp_path / "balisage.odt"
    _markup_heavy_odt(path, 500_000)  # ~55 MB of XML
    peak, said = _peak_mb(path)
    assert said.startswith("lu"), said
    assert peak < 300, f"{peak:.0f} MB"


def test_docx_whose_header_lies_is_stopped_early(tmp_path: Path) -> None:
    path = tmp_path / "menteur.docx"
    _lying_docx(path, 300)
    peak, said = _peak_mb(path)
    assert said.startswith("refusé"), said
    assert "\n" not in said
    assert peak < 200, f"{peak:.0f} MB"


def test_one_line_text_file_is_read_in_bounded_memory(tmp_path: Path) -> None:
    path = tmp_path / "une-ligne.txt"
    sentence = "Le programme régional a financé 35 projets de rénovation pour 12 500 euros en 2014 "
    path.write_text(sentence * (20_000_000 // len(sentence)), encoding="utf-8")  # 20 MB, no newline
    peak, said = _peak_mb(path)
    assert said.startswith("lu"), said
    assert peak < 350, f"{peak:.0f} MB"
