"""JSONL: one answer per line, exactly the contract of ANSWER_FORMAT.md.

Each line is ``Answer.model_dump()`` with ``id`` set to the question's id.
Two keys may follow, outside the contract (the scorer ignores unknown keys):

- ``extra``: the other fields or columns of the input line, when it had any
  (``{"service": "DGFIP"}``), so a gold file can be answered and scored as is;
- ``error``: the one-line error when answering that question raised; the
  line is then an abstention with ``confidence`` 0.
"""

from __future__ import annotations

import json

from assistant.batch_formats.common import Item


def item_record(item: Item) -> dict:
    """The JSON object of one answered question."""
    record = item.answer.model_dump(mode="json")
    if item.question.extra:
        record["extra"] = item.question.extra
    if item.error is not None:
        record["error"] = item.error
    return record


def render_jsonl(items: list[Item]) -> str:
    """One JSON object per line, in input order."""
    return "".join(json.dumps(item_record(i), ensure_ascii=False) + "\n" for i in items)
