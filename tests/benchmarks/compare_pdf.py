"""Compare pypdf and pypdfium2 on generated French report PDFs: speed and text quality.

Run: ``.venv/bin/python tests/benchmarks/compare_pdf.py [--sections 60] [--repeat 5]``
(needs the test extra for fpdf2, and pypdf, which the package does not
depend on: ``.venv/bin/pip install pypdf``; without it only pypdfium2 is
measured).

The PDFs are made by :func:`tests.formats_fixtures.build_pdf`: justified
text with words hyphenated at line ends (soft hyphens), a running header and a
``Page n / N`` footer, numbered headings and a table, in DejaVu Sans (œ, €, ’).
The generator returns the blocks a perfect extraction holds, in order.

Measured for each library, on its raw output and after the project's cleaning
(:func:`assistant.ingest.pdf.assemble_pages`, the same for both):

* time to open the file and extract every page (best of ``--repeat`` runs);
* word accuracy: difflib similarity of the word sequence with the expected
  one (running header/footer count as errors in the raw output);
* broken words: occurrences of expected words (6 letters or more) missing
  from the output (a word left cut by a line-end hyphen, or mangled);
* double spaces and foreign characters (U+FFFD, U+FFFE, control characters);
* accented words: share of the expected accented words found whole;
* order: headings found in increasing order of position.
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import sys
import tempfile
import time
from collections import Counter
from difflib import SequenceMatcher
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

from formats_fixtures import RUNNING_HEADER, build_pdf  # noqa: E402

from assistant.ingest.pdf import assemble_pages  # noqa: E402

WORD_RE = re.compile(r"[^\W_]+")


def pypdf_pages(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pypdf_layout_pages(data: bytes) -> list[str]:
    import pypdf

    return [page.extract_text(extraction_mode="layout") for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def pdfium_pages(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(data)
    try:
        out = []
        for page in document:
            textpage = page.get_textpage()
            out.append(textpage.get_text_range())
            textpage.close()
            page.close()
        return out
    finally:
        document.close()


LIBRARIES = {
    "pypdf (plain)": pypdf_pages,
    "pypdf (layout)": pypdf_layout_pages,
    "pypdfium2": pdfium_pages,
}
try:
    import pypdf  # noqa: F401 - only the benchmark uses it
except ImportError:
    print("pypdf is not installed (.venv/bin/pip install pypdf): measuring pypdfium2 alone", file=sys.stderr)
    LIBRARIES = {"pypdfium2": pdfium_pages}


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def quality(text: str, expected_blocks: list[str], headings: list[str]) -> dict[str, float]:
    expected_words = words(" ".join(expected_blocks))
    got = words(text)
    accuracy = SequenceMatcher(None, expected_words, got, autojunk=False).ratio()
    got_count = Counter(got)
    expected_count = Counter(expected_words)
    broken = sum(max(0, n - got_count[w]) for w, n in expected_count.items() if len(w) >= 6)
    accented = {w: n for w, n in expected_count.items() if re.search(r"[àâçéèêëîïôûùœÀÂÇÉÈÊÎÔŒ]", w)}
    accents = sum(min(n, got_count[w]) for w, n in accented.items()) / max(1, sum(accented.values()))
    positions = [text.find(h) for h in headings]
    in_order = sum(1 for a, b in zip(positions, positions[1:]) if 0 <= a < b)
    return {
        "accuracy": accuracy,
        "broken": broken,
        "double_spaces": text.count("  "),
        "odd_chars": len(re.findall(r"[\ufffd\ufffe\x00-\x08\x0b\x0c\x0e-\x1f]", text)),
        "accents": accents,
        "order": in_order / max(1, len(headings) - 1),
        "header_left": text.count(RUNNING_HEADER),
    }


def measure(path: Path, expected, repeat: int) -> list[dict]:
    data = path.read_bytes()
    rows = []
    for name, extract in LIBRARIES.items():
        times = []
        pages = []
        for _ in range(repeat):
            started = time.perf_counter()
            pages = extract(data)
            times.append(time.perf_counter() - started)
        raw = "\n".join(pages)
        cleaned, _starts = assemble_pages(pages)
        clean_started = time.perf_counter()
        assemble_pages(pages)
        clean_time = time.perf_counter() - clean_started
        rows.append(
            {
                "library": name,
                "pages": len(pages),
                "seconds": min(times),
                "median": statistics.median(times),
                "clean_seconds": clean_time,
                "raw": quality(raw, expected.blocks, expected.headings),
                "clean": quality(cleaned, expected.blocks, expected.headings),
            }
        )
    return rows


def report(title: str, rows: list[dict]) -> None:
    print(f"\n{title}")
    print(
        f"{'library':<16} {'pages':>5} {'ms/page':>8} {'total ms':>9} | "
        f"{'words raw':>9} {'words clean':>11} {'broken raw':>10} {'broken clean':>12} "
        f"{'2sp raw':>7} {'2sp clean':>9} {'odd':>4} {'accents':>7} {'order':>5} {'hdr left':>8}"
    )
    for row in rows:
        raw, clean = row["raw"], row["clean"]
        print(
            f"{row['library']:<16} {row['pages']:>5} {1000 * row['seconds'] / row['pages']:>8.2f} "
            f"{1000 * row['seconds']:>9.1f} | {raw['accuracy']:>9.4f} {clean['accuracy']:>11.4f} "
            f"{raw['broken']:>10} {clean['broken']:>12} {raw['double_spaces']:>7} {clean['double_spaces']:>9} "
            f"{raw['odd_chars']:>4} {clean['accents']:>7.3f} {clean['order']:>5.2f} {clean['header_left']:>8}"
        )


def robustness(path: Path) -> None:
    """How each library meets a truncated and a password-protected PDF, and a two-column page."""
    from formats_fixtures import DEJAVU, SENTENCES
    from fpdf import FPDF

    data = path.read_bytes()
    locked = path.with_name("locked.pdf")
    build_pdf(locked, sections=2, password="secret")
    columns = path.with_name("columns.pdf")
    pdf = FPDF()
    pdf.add_font("dejavu", fname=str(DEJAVU))
    pdf.add_page()
    pdf.set_font("dejavu", size=10)
    with pdf.text_columns(ncols=2, text_align="J") as cols:
        for i in range(6):
            cols.write(f"[P{i}] " + " ".join(SENTENCES[i : i + 4]) + "\n\n")
    pdf.output(str(columns))
    cases = {
        "truncated at 1/2": data[: len(data) // 2],
        "last 200 bytes cut": data[:-200],
        "password (RC4)": locked.read_bytes(),
    }
    print("\nrobustness")
    for name, extract in LIBRARIES.items():
        if "layout" in name:
            continue
        outcomes = []
        for case, payload in cases.items():
            try:
                pages = extract(payload)
                outcomes.append(f"{case}: opened, {len(pages)} pages")
            except Exception as exc:  # noqa: BLE001 - reporting what each library raises
                outcomes.append(f"{case}: {type(exc).__name__}")
        markers = re.findall(r"\[P\d\]", "\n".join(extract(columns.read_bytes())))
        outcomes.append("two columns: " + ("in order" if markers == [f"[P{i}]" for i in range(6)] else f"{markers}"))
        print(f"{name:<16} " + "; ".join(outcomes))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sections", type=int, default=60, help="numbered sections of the large PDF (≈ 2 per page)")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.pdf"
        large = Path(tmp) / "large.pdf"
        expected_small = build_pdf(small, sections=5)
        expected_large = build_pdf(large, sections=args.sections, seed=11)
        report(
            f"small report ({expected_small.pages} pages, {small.stat().st_size // 1024} KB)",
            measure(small, expected_small, args.repeat),
        )
        robustness(small)
        report(
            f"large report ({expected_large.pages} pages, {large.stat().st_size // 1024} KB)",
            measure(large, expected_large, args.repeat),
        )
    print(
        "\nwords = difflib similarity of the word sequence with the expected text; broken = occurrences of expected words"
        " (≥ 6 letters) missing whole; 2sp = double spaces; odd = U+FFFD/U+FFFE/control characters in the raw text;"
        " accents = occurrences of expected accented words found whole (clean); order = headings in order (clean);"
        " hdr left = running headers left (clean)."
    )


if __name__ == "__main__":
    main()
