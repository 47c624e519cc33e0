"""Fuzz: random bytes and French-like text through every reader, the sectioner, the number parser and the question analyser.

Each example runs under a hard time bound (:func:`~assistant.retrieval.budget.time_budget`,
which interrupts a hang instead of waiting for it) and a Hypothesis deadline;
a reader may refuse its input only with a one-line :class:`IngestError`.  A
few dozen examples per target keep the whole file to seconds.
"""

from __future__ import annotations

import tempfile
from datetime import timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from assistant.analysis.numbers import find_figures_and_codes, parse_number
from assistant.ingest import EXTRACTORS, IngestError, read_document, split_sections
from assistant.retrieval.budget import BudgetExceeded, time_budget

HARD_BOUND = 10.0
"""Seconds one example may take before it counts as a hang."""

FUZZ = settings(
    max_examples=30,
    deadline=timedelta(seconds=5),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

_FRENCH = "abcdeéèêfghiîjklmnoôpqrstuùvwxyzàçœ’'AÉÈBCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789０１２٣"
_MARKS = ' \u00a0\u202f\t\n\n.,;:!?%€$()[]{}<>/\\|#*-_+=@&"«»–—…`~^'
_TOKENS = [
    "combien",
    "de plus que",
    "millions d'euros",
    "Md€",
    "<!--",
    "<a",
    "<div>",
    "</div>",
    "<!",
    "data:image/png;base64,",
    "# ",
    "1.2.3",
    "( * )",
    "n°",
    "article",
    "| ",
    "\x1b[31m",
]
french_like = st.lists(
    st.one_of(st.text(_FRENCH + _DIGITS + _MARKS, min_size=1, max_size=30), st.sampled_from(_TOKENS)), max_size=80
).map("".join)
"""French-looking text with digits of several scripts, markup fragments and cue words."""


def _bounded(function, *args):
    try:
        with time_budget(HARD_BOUND):
            return function(*args)
    except BudgetExceeded:
        pytest.fail(f"{getattr(function, '__name__', function)} still running after {HARD_BOUND} s")


def _read(suffix: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            doc = read_document(path, path.name)
        except IngestError as exc:
            message = str(exc)
            assert message and "\n" not in message
            return
        sections = split_sections(doc)
        for section in sections:
            assert doc.text[section.start : section.end] == section.text


@pytest.mark.parametrize("suffix", sorted(EXTRACTORS))
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_through_every_reader(suffix: str, data: bytes) -> None:
    _bounded(_read, suffix, data)


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html"])
@FUZZ
@given(text=french_like)
def test_french_like_text_through_readers_and_sectioner(suffix: str, text: str) -> None:
    _bounded(_read, suffix, text.encode("utf-8"))


@FUZZ
@given(text=french_like)
def test_number_parser(text: str) -> None:
    figures, _codes = _bounded(find_figures_and_codes, text)
    for figure in figures:
        assert 0 <= figure.start <= figure.end <= len(text)
    for token in text.split():
        value = _bounded(parse_number, token)
        assert value is None or value == value  # never NaN


@FUZZ
@given(text=st.one_of(french_like, st.text(max_size=300)))
def test_question_analyser(text: str) -> None:
    from assistant.qa.question import understand

    _bounded(understand, text)
