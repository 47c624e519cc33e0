"""Hostile names, reports and question files never forge output, reach a terminal raw, or crash a question.

CLI subprocess tests on one generated corpus holding a report with terminal
escapes (OSC 52 clipboard write, OSC 0 window title, ANSI colours), a file
whose name holds a newline and a forged report line, and a file whose name
holds a backtick and an HTML tag.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.terminal import safe_line, safe_text

ROOT = Path(__file__).resolve().parents[1]

ESCAPES = "\x1b]52;c;aGFjaw==\x07\x1b]0;titre piégé\x07\x1b[31mrouge\x1b[0m"
FORGED_NAME = "vide\n  échec : bon.txt — faux message.txt"
HTML_NAME = "rapport`<img src=x onerror=alert(1)>`.txt"
FILLER = "Le comité de suivi s'est réuni deux fois dans l'année pour examiner l'avancement du programme. " * 30


def run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300
    )


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("hostile-output")
    folder = base / "rapports"
    folder.mkdir()
    (folder / "pomelo.txt").write_text(
        f"Bilan pomelo\n\nLe programme pomelo a financé 12 projets de rénovation {ESCAPES} en 2014.\n\n{FILLER}\n",
        encoding="utf-8",
    )
    (folder / FORGED_NAME).write_bytes(b"")
    (folder / HTML_NAME).write_text("Le dispositif kumquat a accompagné 27 communes rurales.\n", encoding="utf-8")
    index = base / "index"
    result = run("index", str(folder), "--index-dir", str(index), "--quiet")
    return {"base": base, "folder": folder, "index": str(index), "result": result}


def test_a_newline_in_a_name_cannot_forge_a_report_line(corpus) -> None:
    result = corpus["result"]
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert not any(line.startswith("  échec : bon.txt") for line in lines), result.stdout
    assert f"  échec : {safe_line(FORGED_NAME)} — fichier vide" in lines
    status = run("status", "--index-dir", corpus["index"])
    assert not any(
        line.startswith("  échec : bon.txt") or line.startswith("  échec : bon.txt") for line in status.stdout.splitlines()
    )
    assert "\x1b" not in status.stdout


@pytest.mark.parametrize("command", ["ask", "search"])
def test_terminal_escapes_in_a_report_are_printed_escaped(corpus, command: str) -> None:
    query = "Combien de projets le programme pomelo a-t-il financés ?" if command == "ask" else "pomelo rénovation"
    result = run(command, query, "--index-dir", corpus["index"])
    assert result.returncode == 0, result.stderr
    assert "pomelo" in result.stdout
    assert "\x1b" not in result.stdout and "\x07" not in result.stdout
    assert "\\e]52;c;aGFjaw==\\x07" in result.stdout  # shown, escaped


def test_safe_text_and_safe_line() -> None:
    assert safe_text("a\x1b[31mb\x07\tc\nd\u202ee") == "a\\e[31mb\\x07\tc\nd\\u202ee"
    assert safe_line("a\nb\tc\x9bd") == "a\\nb\\tc\\x9bd"
    assert safe_line("Évaluation 2014 – synthèse") == "Évaluation 2014 – synthèse"


def test_batch_output_must_be_a_regular_file(corpus, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("Combien de projets le programme pomelo a-t-il financés ?\n", encoding="utf-8")
    fifo = tmp_path / "tube.md"
    os.mkfifo(fifo)
    result = run("batch", str(questions), "-o", str(fifo), "--force", "--index-dir", corpus["index"])
    assert result.returncode == 2
    assert "n'est pas un fichier ordinaire" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_long_question_abstains_and_ask_exits_2(corpus) -> None:
    result = run("ask", "combien " * 4000, "--index-dir", corpus["index"])
    assert result.returncode == 2
    assert "Question trop longue" in result.stderr and "Traceback" not in result.stderr


def test_long_question_in_the_facade(corpus) -> None:
    from assistant.qa.engine import Assistant

    engine = Assistant(corpus["index"])
    answer = engine.ask("combien de plus que " * 2000)
    assert answer.abstained and answer.answer == (
        "Question trop longue (40\u202f000 caractères, limite 1\u202f000) : posez une question plus courte."
    )


@pytest.mark.parametrize(
    "question",
    [
        "Combien de projets pour " + "7" * 900 + " euros ?",
        "Combien de projets en ２０１４ pour ٣٣٣ communes et " + "٣" * 900 + " ?",
    ],
)
def test_questions_with_huge_or_foreign_digits_are_answered(corpus, question: str) -> None:
    result = run("ask", question, "--json", "--index-dir", corpus["index"])
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["question"] == question


def test_huge_number_in_question_analysis() -> None:
    from assistant.qa.question import understand

    understand("Combien de projets pour " + "7" * 5000 + " euros ?")  # raised ValueError (int digits limit)


def test_nested_json_and_open_quote_lose_one_line_only(corpus, tmp_path: Path) -> None:
    jsonl = tmp_path / "q.jsonl"
    jsonl.write_text(
        '{"id": "a", "question": "Combien de projets le programme pomelo a-t-il financés ?"}\n'
        + "[" * 100_000
        + '\n{"id": "b", "question": "Combien de communes le dispositif kumquat a-t-il accompagnées ?"}\n',
        encoding="utf-8",
    )
    out = tmp_path / "r.jsonl"
    result = run("batch", str(jsonl), "-o", str(out), "--index-dir", corpus["index"])
    assert result.returncode == 1, result.stderr
    assert f"{jsonl}:2: ligne ignorée — JSON trop imbriqué" in result.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["a", "b"]

    csv_file = tmp_path / "q.csv"
    csv_file.write_text(
        'id,question\na,"Combien de projets le programme pomelo a-t-il financés ?\n'
        "b,Combien de communes le dispositif kumquat a-t-il accompagnées ?\n",
        encoding="utf-8",
    )
    out = tmp_path / "r2.jsonl"
    result = run("batch", str(csv_file), "-o", str(out), "--index-dir", corpus["index"])
    assert result.returncode == 1, result.stderr
    assert f"{csv_file}:2: ligne ignorée — guillemet non fermé" in result.stderr
    assert [json.loads(line)["id"] for line in out.read_text(encoding="utf-8").splitlines()] == ["b"]


def test_packs_escape_names_and_show_relative_paths(corpus, tmp_path: Path) -> None:
    questions = tmp_path / "q.txt"
    questions.write_text("Combien de communes le dispositif kumquat a-t-il accompagnées ?\n", encoding="utf-8")
    md = tmp_path / "dossier.md"
    html = tmp_path / "dossier.html"
    for out in (md, html):
        result = run("batch", str(questions), "-o", str(out), "--index-dir", corpus["index"], cwd=corpus["base"])
        assert result.returncode == 0, result.stderr
    markdown = md.read_text(encoding="utf-8")
    assert HTML_NAME in markdown  # the answer cites it
    fenced = f"``{HTML_NAME}``"
    raw_tags = len(re.findall(r"(?<!\\)<img", markdown))  # an unescaped tag: only inside the code span
    assert raw_tags == markdown.count(fenced) >= 1, markdown
    page = html.read_text(encoding="utf-8")
    assert "<img" not in page and "&lt;img" in page
    assert "- **Corpus** : `rapports`" in markdown and "- **Index** : `index`" in markdown
    for text in (markdown, page):
        assert str(corpus["base"]) not in text and str(tmp_path) not in text
    absolute = tmp_path / "absolu.md"
    result = run("batch", str(questions), "-o", str(absolute), "--paths", "absolute", "--index-dir", corpus["index"])
    assert result.returncode == 0, result.stderr
    assert str(corpus["folder"]) in absolute.read_text(encoding="utf-8")
