"""Hostile document text: every pass over it runs in linear time, and a file over its time budget is reported.

Each fixture is generated here and is one of the shapes that made a pass
quadratic (a long token without spaces, a run of digits, unclosed HTML
constructs, deeply nested or unclosed tags).  The whole pipeline short of
spaCy — reading, noise, sections, analysis, figures and codes — runs under a
time bound checked by :func:`~assistant.retrieval.budget.time_budget` itself,
so a regression fails fast instead of hanging the test run.
"""

from __future__ import annotations

import base64
import os
import random
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.analysis.analyzer import analyze
from assistant.analysis.numbers import find_figures_and_codes
from assistant.ingest import read_document, split_sections
from assistant.retrieval.budget import BudgetExceeded, budget_message, time_budget

ROOT = Path(__file__).resolve().parents[1]

BOUND_SECONDS = 8.0
"""Generous on a shared machine; each fixture took 10 s to several minutes before the fix, ~1 s after."""

_RNG = random.Random(17)


def _base64(n: int) -> str:
    return base64.b64encode(_RNG.randbytes(n)).decode()


HOSTILE = {
    "image.md": "# Rapport\n\nLe programme a financé 12 projets.\n\n![plan](data:image/png;base64," + _base64(300_000) + ")\n",
    "jeton.txt": "Voir la note 12 : " + "x" * 200_000 + "@\n",
    "chiffres.txt": "Le total atteint " + "7" * 100_000 + " euros.\n",
    "appels.txt": "Total " + "1" * 60_000 + " ( " * 2_000 + "\n",
    "commentaire.html": "<p>Le programme a financé 12 projets.</p><!--" + _base64(300_000),
    "attribut.html": '<p>Le programme a financé 12 projets.</p><a href="' + _base64(300_000),
    "exclamations.html": "<p>Le programme a financé 12 projets.</p>" + "<!" * 150_000,
    "chevrons.html": "<p>Le programme a financé 12 projets.</p>" + "<" * 300_000,
    "liens.html": "<p>Le programme a financé 12 projets.</p>" + "<a" * 150_000,
    "imbrique.html": "<div>" * 60_000 + "<p>Le programme a financé 12 projets.</p>",
    "non-fermes.html": "<div><span>" * 40_000 + "<p>Le programme a financé 12 projets.</p>",
}
"""Generated hostile files: name → content."""


def _pipeline(path: Path) -> int:
    doc = read_document(path, path.name)
    sections = split_sections(doc)
    for section in sections:
        analyze(section.text)
    figures, _codes = find_figures_and_codes(doc.text)
    return len(figures)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_is_processed_in_linear_time(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(HOSTILE[name], encoding="utf-8")
    started = time.perf_counter()
    try:
        with time_budget(BOUND_SECONDS):
            _pipeline(path)
    except BudgetExceeded:
        pytest.fail(f"{name}: still running after {BOUND_SECONDS} s (a super-linear pass)")
    assert time.perf_counter() - started < BOUND_SECONDS


def test_html_text_survives_the_hostile_tail(tmp_path: Path) -> None:
    """Escaping the '<' that can start no tag keeps the page's text (and the flood as text)."""
    path = tmp_path / "liens.html"
    path.write_text(HOSTILE["liens.html"], encoding="utf-8")
    doc = read_document(path, path.name)
    assert "Le programme a financé 12 projets." in doc.text
    assert "<a<a" in doc.text


def test_nested_html_keeps_head_and_furniture_rules(tmp_path: Path) -> None:
    """The counters that replace the stack scans still drop an unclosed head and the page's own footer."""
    page = (
        "<html><head><title>Bilan</title><meta charset='utf-8'>"
        "<body><footer>Mentions légales</footer><main>" + "<div>" * 500 + "<p>Texte du bilan.</p>"
        "<footer>Note de l'article</footer></main></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    text = read_document(path, path.name).text
    assert "Texte du bilan." in text
    assert "Note de l'article" in text
    assert "Mentions légales" not in text


# --- the time budget ---------------------------------------------------------------


def _spin(seconds: float) -> None:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        pass


def test_time_budget_stops_the_main_thread() -> None:
    started = time.perf_counter()
    with pytest.raises(BudgetExceeded):
        with time_budget(0.3):
            _spin(20)
    assert time.perf_counter() - started < 5


def test_time_budget_stops_another_thread() -> None:
    """The TUI indexes in a background thread: the budget must stop it there too."""
    outcome: list[str] = []

    def work() -> None:
        try:
            with time_budget(0.3):
                _spin(20)
            outcome.append("finished")
        except BudgetExceeded:
            outcome.append("stopped")

    thread = threading.Thread(target=work)
    started = time.perf_counter()
    thread.start()
    thread.join(15)
    assert outcome == ["stopped"]
    assert time.perf_counter() - started < 5


def test_time_budget_leaves_a_quick_block_alone() -> None:
    with time_budget(5):
        total = sum(range(1000))
    time.sleep(0.05)
    assert total == 499500


def _run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=300
    )


_SENTENCE = "Le programme régional a financé 35 projets de rénovation pour 12 500 euros en 2014. "


@pytest.mark.parametrize("workers", ["1", "2"])
def test_index_reports_a_file_over_its_budget_and_goes_on(tmp_path: Path, workers: str) -> None:
    """In-process (few files) and in worker processes (20+ files, over 1 MB): the slow file is reported by name."""
    corpus = tmp_path / "rapports"
    corpus.mkdir()
    (corpus / "a-enorme.txt").write_text(_SENTENCE * 70_000, encoding="utf-8")  # ~6 MB: several seconds
    small = 1 if workers == "1" else 24
    for i in range(small):
        (corpus / f"b-petit-{i:02d}.txt").write_text(f"Le dispositif citron a accompagné {i + 3} communes.\n", encoding="utf-8")
    result = _run(
        "index",
        str(corpus),
        "--index-dir",
        str(tmp_path / "index"),
        "--no-facts",
        "--quiet",
        "--max-file-seconds",
        "1",
        env={"ASSISTANT_INDEX_WORKERS": workers},
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"échec : a-enorme.txt — {budget_message(1)}" in result.stdout
    assert re.search(rf"\b{small} ajoutés?,", result.stdout), result.stdout
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("value", ["-1", "0", "nan", "inf", "abc"])
@pytest.mark.parametrize("option", ["--max-file-mb", "--max-file-seconds"])
def test_limits_must_be_positive_numbers(tmp_path: Path, option: str, value: str) -> None:
    (tmp_path / "r.txt").write_text("Le dispositif citron a accompagné 12 communes.\n", encoding="utf-8")
    result = _run("index", str(tmp_path / "r.txt"), "--index-dir", str(tmp_path / "index"), option, value)
    assert result.returncode == 2
    assert f"attendu, reçu « {value} »" in result.stderr
    assert not (tmp_path / "index").exists()
