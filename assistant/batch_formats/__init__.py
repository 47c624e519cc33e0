"""Question files in, audit packs out: the readers and writers of `assistant batch`.

- :mod:`.readers` reads ``.txt``, ``.csv`` and ``.jsonl`` question files into
  :class:`Question` rows, reporting bad lines instead of failing;
- :mod:`.common` holds what the writers share (the answered :class:`Item`,
  the pack's :class:`PackInfo`, counts, French number formatting, and where a
  figure stands in a quote);
- :mod:`.jsonl`, :mod:`.markdown`, :mod:`.csv_out`, :mod:`.html_out` render a
  list of items to text.

Nothing here imports spaCy or the engine: the writers work on plain
:class:`~assistant.models.Answer` objects.
"""

from __future__ import annotations

from assistant.batch_formats.common import Item, PackInfo, Question, Stats
from assistant.batch_formats.csv_out import render_csv
from assistant.batch_formats.html_out import render_html
from assistant.batch_formats.jsonl import render_jsonl
from assistant.batch_formats.markdown import render_markdown

FORMATS = ("jsonl", "md", "csv", "html")
"""Output formats, as given to ``--format``."""

EXTENSIONS = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".html": "html",
    ".htm": "html",
}
"""Output format implied by the extension of ``-o``."""

__all__ = [
    "EXTENSIONS",
    "FORMATS",
    "Item",
    "PackInfo",
    "Question",
    "Stats",
    "render_csv",
    "render_html",
    "render_jsonl",
    "render_markdown",
]
