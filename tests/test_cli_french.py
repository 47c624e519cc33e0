"""The command line for a French user (issue 15): help and errors in French, plurals,
a progress line that fits the terminal, CSV a French Excel opens as is."""

from __future__ import annotations

import csv
import io
import os
import pty
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.presentation import confidence_cue, count, progress_line

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    full_env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=full_env, timeout=600
    )


ENGLISH = re.compile(r"usage:|error:|show this help|positional arguments|the following arguments|invalid choice|expected one")


@pytest.mark.parametrize("args", [["--help"], ["index", "--help"], ["batch", "--help"], ["facts", "--help"]])
def test_help_is_in_french(args: list[str]) -> None:
    result = run(*args)
    assert result.returncode == 0
    assert "utilisation : assistant" in result.stdout and "afficher cette aide" in result.stdout
    assert not ENGLISH.search(result.stdout), result.stdout


@pytest.mark.parametrize(
    "args, expected",
    [
        (["ask"], "arguments obligatoires manquants : QUESTION"),
        (["facts", "--kind", "nimporte"], "choix invalide"),
        (["search", "x", "-k", "beaucoup"], "entier attendu"),
        (["index", "x", "--max-file-mb", "gros"], "nombre de Mo attendu"),
        (["commande-inconnue"], "choix invalide"),
        (["ask", "q", "--inconnu"], "arguments non reconnus : --inconnu"),
    ],
)
def test_usage_errors_are_one_french_line_with_exit_2(args: list[str], expected: str) -> None:
    result = run(*args)
    assert result.returncode == 2
    last = result.stderr.strip().splitlines()[-1]
    assert "erreur :" in last and expected in last and "--help" in last, result.stderr
    assert not ENGLISH.search(result.stderr), result.stderr
    assert "Traceback" not in result.stderr


def test_index_summary_agrees_in_number(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.txt").write_text("NOTE\n\nLe dispositif compte 12 bénéficiaires.\n", encoding="utf-8")
    result = run("index", str(corpus), "--index-dir", str(tmp_path / "idx"), "--no-facts")
    assert result.returncode == 0, result.stderr
    assert "1 ajouté," in result.stdout and "0 inchangé," in result.stdout and "0 retiré," in result.stdout
    assert "0 fait écrit" in result.stdout
    assert count(3, "fait", "écrit") == "3 faits écrits" and count(1, "ajouté") == "1 ajouté"


# -- progress --------------------------------------------------------------------------


@pytest.mark.parametrize("width", [80, 100, 160])
def test_progress_line_fits_the_terminal(width: int) -> None:
    long_name = "dossier/" * 12 + "rapport-annuel-d-execution-du-programme-operationnel.pdf"
    for done, total, words, seconds in [
        (0, 384, 0, 0.2),
        (0, 384, 0, 12.0),
        (17, 384, 123_456, 14.5),
        (384, 384, 9_876_543, 240),
    ]:
        line = progress_line(done, total, words, seconds, long_name, width)
        assert len(line) < width, line
        assert "\n" not in line and f"{done}/{total} fichiers" in line
    assert "mots/s" in progress_line(17, 384, 123_456, 14.5, long_name, width)
    assert progress_line(0, 0, 0, 0.1, width=width).startswith("Indexation")


def test_index_progress_is_one_line_on_a_terminal_from_the_first_second(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for n in range(30):
        (corpus / f"rapport-avec-un-nom-assez-long-pour-deborder-{n:03d}.txt").write_text(
            f"RAPPORT {n}\n\n1. Bilan\n\nLe programme a financé {n + 3} projets pour 1 200 000 €.\n", encoding="utf-8"
        )
    master, slave = pty.openpty()
    env = {**os.environ, "COLUMNS": "80", "LINES": "24"}
    env.pop("ASSISTANT_INDEX_DIR", None)
    started = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-m", "assistant", "index", str(corpus), "--index-dir", str(tmp_path / "idx"), "--no-facts"],
        stdout=subprocess.PIPE,
        stderr=slave,
        cwd=ROOT,
        env=env,
    )
    os.close(slave)
    chunks: list[tuple[float, bytes]] = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append((time.monotonic() - started, data))
    proc.wait(timeout=600)
    os.close(master)
    assert proc.returncode == 0
    err = b"".join(data for _t, data in chunks).decode("utf-8", "replace")
    frames = [re.sub(r"\x1b\[K", "", f) for f in err.replace("\r\n", "\n").split("\r") if f.strip()]
    assert frames, err
    assert err.count("\n") <= 1, f"the progress printed several lines: {err!r}"
    assert all(len(f.rstrip("\n")) < 80 for f in frames), [f for f in frames if len(f) >= 80]
    assert "30/30 fichiers" in frames[-1] and "mots" in frames[-1]
    # Something shows before the first file is done (the interpreter's start-up aside).
    assert chunks[0][0] < 10 and ("Indexation" in frames[0] or "0/30" in frames[0])


# -- facts CSV -------------------------------------------------------------------------

HOSTILE = (
    "RAPPORT D'EXÉCUTION 2007\n\n"
    "1. Bilan\n\n"
    "Le programme a été adopté en 2007 et a financé 17 projets.\n\n"
    '=HYPERLINK("http://exemple.invalid","12 projets financés")\n\n'
    "+cmd|' /C calc'!A0 a coûté 450 000 €.\n\n"
    "-2+3+cmd compte 15 communes.\n\n"
    "@SUM(1+1) représente 40 % des crédits.\n"
)


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("hostile")
    (corpus / "=HYPERLINK(x).txt").write_text(HOSTILE, encoding="utf-8")
    (corpus / "bilan.txt").write_text(
        "BILAN DU PROGRAMME DE FORMATION\n\n1. Réalisations\n\n"
        "Le programme régional de formation a financé 48 projets innovants en 2009.\n",
        encoding="utf-8",
    )
    index_dir = tmp_path_factory.mktemp("hostile-idx") / "index"
    result = run("index", str(corpus), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stdout + result.stderr
    return index_dir


def test_facts_csv_opens_in_a_french_excel_and_neutralises_formulas(hostile_index: Path) -> None:
    result = run("facts", "--format", "csv", "--document", "HYPERLINK", "--index-dir", str(hostile_index))
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows and list(rows[0])[:3] == ["value", "unit", "kind"]
    for row in rows:
        for name, cell in row.items():
            if cell and cell[0] in "=+-@" and not re.fullmatch(r"[-+]?\d+(?:[.,]\d+)?", cell):
                pytest.fail(f"{name} = {cell!r} would be evaluated by a spreadsheet")
    assert all(r["document"] == "'=HYPERLINK(x).txt" for r in rows)
    years = [r for r in rows if r["kind"] == "date"]
    assert years and all(r["value"] == "2007" for r in years), years
    assert any(r["sentence"].startswith("'=HYPERLINK") or r["sentence"].startswith("'+cmd") for r in rows)
    comma = run("facts", "--format", "csv", "--delimiter", ",", "--index-dir", str(hostile_index))
    assert comma.stdout.lstrip("\ufeff").startswith("value,unit,kind,")


def test_confidence_reads_the_same_in_cli_and_chat() -> None:
    from assistant.tui.formatting import confidence_text

    assert confidence_cue(0.91) == "élevée ●●● (91 %)" and confidence_cue(0.6) == "moyenne ●●○ (60 %)"
    assert confidence_text(0.3) == "Confiance : faible ●○○ (30 %)"
    assert confidence_cue(0.91, "en") == "high ●●● (91 %)"


CUE = re.compile(r"(?:élevée|moyenne|faible) [●○]{3} \(\d+ %\)")


def test_ask_and_packs_show_confidence_like_the_chat() -> None:
    from assistant.batch import render
    from assistant.batch_formats import Item, PackInfo, Question
    from assistant.models import Answer, Citation
    from assistant.qa.render import answer_to_text
    from assistant.tui.formatting import confidence_text

    quote = "Le programme a financé 48 projets innovants."
    answer = Answer(
        question="Combien de projets ?",
        answer="48 projets",
        value=48,
        unit="projet",
        kind="count",
        confidence=0.91,
        citations=[Citation(document="bilan.txt", section="1. Bilan", start=0, end=len(quote), quote=quote)],
    )
    chat = confidence_text(0.91).removeprefix("Confiance : ")
    assert CUE.fullmatch(chat)
    line = next(line for line in answer_to_text(answer).splitlines() if line.startswith("confiance : "))
    assert line == f"confiance : {chat}"
    item = Item(Question(line=1, id="q1", text=answer.question), answer)
    for fmt in ("md", "html"):
        text = render([item], PackInfo(source="q.txt"), fmt)
        assert chat in text, fmt
        assert "0,91" not in text, fmt


def test_facts_table_uses_the_terminal_width(hostile_index: Path) -> None:
    import json

    facts = [
        json.loads(line) for line in run("facts", "--format", "jsonl", "--index-dir", str(hostile_index)).stdout.splitlines()
    ]
    wide = run("facts", "--index-dir", str(hostile_index), env={"COLUMNS": "200"}).stdout
    for fact in facts:
        assert " ".join(fact["subject"].split()) in wide, fact["subject"]
    assert max(len(line) for line in wide.splitlines()) < 200
    narrow = run("facts", "--index-dir", str(hostile_index), env={"COLUMNS": "120"}).stdout
    assert max(len(line) for line in narrow.splitlines()) < 120


def test_batch_summary_and_pack_agree_in_number() -> None:
    from assistant.batch import _summary
    from assistant.batch_formats import Stats
    from assistant.batch_formats.markdown import stats_sentence

    one = Stats(total=1, answered=1, abstained=0, conflicts=1, failed=0, low_confidence=0)
    line = _summary(one, 1, "x.md", 1.0)
    assert line.startswith("1 question : 1 répondue, 0 sans réponse, 1 avec conflit, 0 en échec, 1 ligne ignorée"), line
    many = Stats(total=3, answered=2, abstained=1, conflicts=2, failed=0, low_confidence=0)
    assert "2 répondues" in stats_sentence(many) and "2 avec conflits" in stats_sentence(many)
