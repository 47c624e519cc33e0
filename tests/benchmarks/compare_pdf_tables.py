"""Compare PDF table reading on the shared long reports: the layout reader against pdfplumber.

Run: ``.venv/bin/python tests/benchmarks/compare_pdf_tables.py`` (needs
``../shared/long``; pdfplumber, which the package does not depend on, is
measured only when installed: ``.venv/bin/pip install pdfplumber``).

For every question of ``long/questions.jsonl`` marked ``"table": true`` on a
PDF, the cell the gold evidence quotes (its value; for a computed question the
operand the evidence quotes) and the first word of its row label are looked
for on the gold page:

* **ours**: a table fact (:mod:`assistant.facts.tables` over the text of
  :mod:`assistant.ingest.pdf`) on that page whose raw figure is the cell and
  whose subject names the row label;
* **pdfplumber tables**: a row of ``page.extract_tables()`` holding the cell
  and the label;
* **pdfplumber layout text**: a line of ``page.extract_text(layout=True)``
  split at runs of two spaces, holding the cell and the label.

Prints one line per question and a JSON summary (rows found by each, seconds).
"""

from __future__ import annotations

import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LONG = ROOT.parent / "shared" / "long"


def _norm(text: str) -> str:
    return re.sub(r"[\s\u202f\u00a0\u2009]+", "", text).casefold().lstrip("-")


def _cell(gold: dict) -> str:
    """The digits of the cell the evidence quotes."""
    if gold.get("computed"):
        return _norm(re.findall(r"\d+(?:[ \u202f]\d{3})*", gold["evidence"])[-1])
    value = abs(gold["expect"]["value"])
    return _norm(f"{int(value):,}".replace(",", " ") if float(value).is_integer() else str(value).replace(".", ","))


def _row_found(rows: list[list[str]], cell: str, label: str) -> bool:
    return any(any(_norm(c) == cell for c in row) and any(label in c.casefold() for c in row) for row in rows)


def main() -> int:
    if not LONG.exists():
        print(f"../shared/long absent ({LONG}): nothing to compare", file=sys.stderr)
        return 2
    from assistant.facts import extract_facts
    from assistant.ingest import read_document, split_sections

    gold = [json.loads(line) for line in (LONG / "questions.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = [g for g in gold if g.get("table") and g.get("document", "").endswith(".pdf")]
    names = sorted({g["document"] for g in gold})
    started = time.perf_counter()
    ours = {}
    for name in names:
        doc = read_document(LONG / "corpus" / name, name)
        ours[name] = extract_facts(doc, split_sections(doc))
    seconds_ours = time.perf_counter() - started
    try:
        import pdfplumber  # type: ignore[import-not-found]
    except ImportError:
        pdfplumber = None
    tables: dict[str, list[list[list[str]]]] = {}
    layout: dict[str, list[list[list[str]]]] = {}
    seconds_plumber = None
    if pdfplumber is not None:
        started = time.perf_counter()
        for name in names:
            with pdfplumber.open(LONG / "corpus" / name) as pdf:
                tables[name] = [[[c or "" for c in row] for t in page.extract_tables() for row in t] for page in pdf.pages]
                layout[name] = [
                    [re.split(r"\s{2,}", line.strip()) for line in (page.extract_text(layout=True) or "").splitlines()]
                    for page in pdf.pages
                ]
        seconds_plumber = round(time.perf_counter() - started, 2)
    found = {"ours": 0, "pdfplumber_tables": 0, "pdfplumber_layout_text": 0}
    for g in gold:
        name, page = g["document"], g["page"]
        cell = _cell(g)
        label = re.findall(r"[^\W\d_]{4,}", g["evidence"])[0].casefold()
        got = {
            "ours": any(
                f.page == page and f.source == "table" and _norm(f.raw) == cell and label in f.subject.casefold()
                for f in ours[name]
            )
        }
        if pdfplumber is not None:
            got["pdfplumber_tables"] = _row_found(tables[name][page - 1], cell, label)
            got["pdfplumber_layout_text"] = _row_found(layout[name][page - 1], cell, label)
        for key, ok in got.items():
            found[key] += ok
        print(g["id"], name, " ".join(f"{k}={'yes' if v else 'no'}" for k, v in got.items()), "|", g["evidence"][:60])
    summary = {"questions": len(gold), **found, "seconds_ours": round(seconds_ours, 2), "seconds_pdfplumber": seconds_plumber}
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
