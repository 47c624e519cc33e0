"""`assistant batch`, run for real over a small index: every input format ×
every output format, bad lines, exit codes, atomic and protected output,
follow-ups, parallel runs.

The answers come from the real engine; the tests check the structure of the
outputs, never whether an answer is right (that is the QA evaluations' job).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.batch import BatchError, read_questions, run_batch, write_atomic
from assistant.batch_formats import render_csv
from assistant.cli import main
from assistant.presentation import count

ROOT = Path(__file__).resolve().parents[1]

CONTRACT = {"id", "question", "answer", "value", "unit", "kind", "abstained", "confidence", "citations", "conflicts"}
CITATION = {"document", "title", "section", "page", "start", "end", "quote"}
KINDS = {"count", "money", "percent", "duration", "date", "ratio", "entity", "text"}

REPORTS = {
    "rapport-numerique.txt": (
        "RAPPORT ANNUEL DU PROGRAMME NUMÉRIQUE RÉGIONAL 2008\n\n"
        "1. Présentation du programme\n\n"
        "Le programme numérique régional a été lancé en 2005 par le conseil régional de Bourgogne-Nord. "
        "Il soutient les collectivités rurales dans leurs projets d'équipement.\n\n"
        "2. Bilan financier\n\n"
        "Le coût total du programme s'élève à 4 250 000 € pour la période 2005-2008. "
        "La contribution du FEDER atteint 1 700 000 €, soit 40 % des dépenses éligibles.\n\n"
        "2.1 Action 3.1 – équipement des écoles\n\n"
        "L'action 3.1 a financé 27 projets d'équipement des écoles pour un montant de 850 000 €. "
        "Au total, 17 projets sur 27 ont été achevés dans le délai prévu de 18 mois.\n\n"
        "2.2 Action 3.2 – formation des agents\n\n"
        "L'action 3.2 a permis de former 340 agents territoriaux en 2007 et 410 agents en 2008. "
        "La durée moyenne d'une formation était de 3 jours.\n\n"
        "3. Perspectives\n\n"
        "Le conseil régional prévoit de poursuivre le programme jusqu'en 2013 avec un objectif de 60 projets.\n"
    ),
    "evaluation-transports.txt": (
        "ÉVALUATION DU PLAN DE DÉPLACEMENTS URBAINS\n\n"
        "1. Contexte\n\n"
        "Le plan de déplacements urbains de la métropole de Valrose a été adopté le 12 mars 2004. "
        "L'évaluation a été confiée au cabinet Mobilis Conseil.\n\n"
        "2. Fréquentation\n\n"
        "La fréquentation du réseau de tramway a progressé de 23 % entre 2004 et 2009. "
        "Le réseau compte 42 stations et 3 lignes.\n\n"
        "3. Coûts\n\n"
        "Le coût de la ligne B a atteint 312 millions d'euros, contre 280 millions d'euros prévus initialement. "
        "Le coût moyen par kilomètre est de 24 millions d'euros.\n\n"
        "4. Sécurité\n\n"
        "Le nombre d'accidents impliquant un tramway est passé de 58 en 2005 à 31 en 2009.\n"
    ),
    "controle-subventions.txt": (
        "RAPPORT DE CONTRÔLE DES SUBVENTIONS AUX ASSOCIATIONS\n\n"
        "1. Périmètre du contrôle\n\n"
        "Le contrôle a porté sur 64 associations subventionnées en 2010 et 2011. "
        "Le montant total des subventions contrôlées représente 2,3 millions d'euros.\n\n"
        "2. Constats\n\n"
        "Parmi les associations contrôlées, 9 ne produisaient pas de compte rendu financier. "
        "Les dépenses non justifiées s'élèvent à 127 000 €, soit 5,5 % du montant contrôlé.\n\n"
        "3. Recommandations\n\n"
        "La mission recommande de réduire le délai d'instruction des dossiers à 45 jours "
        "et de publier la liste des bénéficiaires chaque année.\n"
    ),
}

QUESTIONS = [
    "Quel est le coût total du programme numérique régional ?",
    "Combien de projets l'action 3.1 a-t-elle financés ?",
    "+ Et combien ont été achevés ?",
    "Quel pourcentage des dépenses éligibles représente la contribution du FEDER ?",
    "Combien d'agents ont été formés en 2007 ?",
    "+ Et en 2008 ?",
    "Quand le plan de déplacements urbains a-t-il été adopté ?",
    "Qui a réalisé l'évaluation du plan de déplacements urbains ?",
    "Quelle est la couleur préférée du directeur du zoo de Vincennes ?",
    "Combien d'associations ont été contrôlées ?",
]
"""Ten questions, two of them follow-ups (`+`)."""

FORMATS = ["jsonl", "md", "csv", "html"]


# -- fixtures ------------------------------------------------------------------------


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    """A real index of three small fictitious reports, built once."""
    from assistant.qa.engine import Assistant

    corpus = tmp_path_factory.mktemp("batch-corpus")
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    index = tmp_path_factory.mktemp("batch-index") / "index"
    engine = Assistant(index)
    report = engine.index([corpus])
    assert not report.failed, report.failed
    engine.close()
    return index


def write_inputs(folder: Path) -> dict[str, Path]:
    """The same questions as .txt, .csv (UTF-8, `,`) and .jsonl, with extra fields in csv/jsonl."""
    txt = folder / "questions.txt"
    txt.write_text("# questions d'audit\n\n" + "\n".join(QUESTIONS) + "\n", encoding="utf-8")
    csv_path = folder / "questions.csv"
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(["id", "question", "service"])
    for n, q in enumerate(QUESTIONS, start=1):
        writer.writerow([f"q{n:02d}", q, "DGFIP" if n % 2 else "Cour des comptes"])
    csv_path.write_text(buf.getvalue(), encoding="utf-8")
    jsonl = folder / "questions.jsonl"
    jsonl.write_text(
        "".join(
            json.dumps({"id": f"j{n}", "question": q, "priorite": n % 3}, ensure_ascii=False) + "\n"
            for n, q in enumerate(QUESTIONS, 1)
        ),
        encoding="utf-8",
    )
    return {"txt": txt, "csv": csv_path, "jsonl": jsonl}


EXPECTED_IDS = {
    "txt": [str(n) for n in range(3, 3 + len(QUESTIONS))],  # two header lines, then one question per line
    "csv": [f"q{n:02d}" for n in range(1, len(QUESTIONS) + 1)],
    "jsonl": [f"j{n}" for n in range(1, len(QUESTIONS) + 1)],
}


def batch(index_dir: Path, *args: str) -> int:
    """`assistant batch ARGS --index-dir INDEX` in this process."""
    return main(["batch", *args, "--index-dir", str(index_dir)])


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a subprocess (stderr is not a terminal)."""
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_INDEX_DIR"}
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=900
    )


# -- checks of each output format ----------------------------------------------------


def check_jsonl(text: str, ids: list[str], questions: list[str]) -> list[dict]:
    rows = [json.loads(line) for line in text.splitlines()]
    assert [r["id"] for r in rows] == ids
    for row, _question in zip(rows, questions):
        assert CONTRACT <= set(row), set(row)
        assert row["question"]
        assert row["kind"] in KINDS
        assert isinstance(row["abstained"], bool)
        assert 0.0 <= row["confidence"] <= 1.0
        assert row["value"] is None or isinstance(row["value"], (int, float))
        assert len(row["answer"]) <= 400
        for c in row["citations"]:
            assert CITATION <= set(c)
            assert isinstance(c["start"], int) and isinstance(c["end"], int)
        if row["abstained"]:
            assert row["value"] is None
    return rows


def check_markdown(text: str, ids: list[str], questions: list[str]) -> None:
    assert text.startswith("# Dossier de réponses")
    assert "- **Corpus** :" in text and "- **Index** :" in text
    assert f"- **Questions** : {len(ids)} — " in text
    assert "## Synthèse" in text and "| id | question | réponse | confiance | source |" in text
    headings = re.findall(r"^### (.+?) · ", text, flags=re.M)
    assert headings == ids
    table_rows = [line for line in text.split("## Réponses")[0].splitlines() if line.startswith("| ") and "---" not in line]
    assert len(table_rows) == len(ids) + 1


def check_csv(data: bytes, ids: list[str], delimiter: str = ";") -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf"), "CSV must start with a UTF-8 BOM"
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    expected = [
        "id",
        "question",
        "follows",
        "answer",
        "value",
        "unit",
        "kind",
        "confidence",
        "abstained",
        "document",
        "section",
        "page",
        "quote",
        "conflicts",
    ]
    assert list(rows[0].keys())[: len(expected)] == expected
    assert [r["id"] for r in rows] == ids
    for r in rows:
        assert r["abstained"] in ("true", "false")
        assert r["conflicts"].isdigit()
    return rows


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.stack: list[str] = []
        self.void = {"meta", "br", "hr", "img", "link", "input"}

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag not in self.void:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes <{self.stack[-1] if self.stack else None}>"
        self.stack.pop()


def check_html(text: str, ids: list[str]) -> None:
    assert text.startswith("<!DOCTYPE html>")
    parser = _Collector()
    parser.feed(text)
    parser.close()
    assert parser.stack == [], "unclosed tags"
    for tag, attrs in parser.tags:
        assert tag not in ("script", "link", "img", "iframe"), tag
        for name in ("src", "href"):
            value = attrs.get(name) or ""
            assert not re.match(r"(https?:)?//", value), value
            if name == "href" and value:
                assert value.startswith("#"), value
    assert "http://" not in text and "https://" not in text
    assert sum(1 for tag, attrs in parser.tags if tag == "article") == len(ids)
    assert sum(1 for tag, _ in parser.tags if tag == "style") == 1


# -- every input format × every output format ------------------------------------------


@pytest.mark.parametrize("out_fmt", FORMATS)
@pytest.mark.parametrize("in_fmt", ["txt", "csv", "jsonl"])
def test_input_by_output(index_dir, tmp_path, capsys, in_fmt, out_fmt):
    inputs = write_inputs(tmp_path)
    out = tmp_path / f"pack.{out_fmt}"
    code = batch(index_dir, str(inputs[in_fmt]), "-o", str(out))
    err = capsys.readouterr().err
    ids = EXPECTED_IDS[in_fmt]
    assert code == 0, err
    summary = err.strip().splitlines()[-1]
    assert re.match(
        rf"{len(ids)} questions : \d+ répondues?, \d+ sans réponse, \d+ avec conflits?, 0 en échec — écrit dans {re.escape(str(out))}",
        summary,
    )
    assert "\r" not in err, "no progress bar when stderr is not a terminal"
    assert not list(tmp_path.glob(".*.tmp")), "temporary file left behind"
    stripped = [q.lstrip("+ ") for q in QUESTIONS]
    if out_fmt == "jsonl":
        rows = check_jsonl(out.read_text(encoding="utf-8"), ids, stripped)
        if in_fmt == "csv":
            assert rows[0]["extra"] == {"service": "DGFIP"}
        elif in_fmt == "jsonl":
            assert rows[1]["extra"] == {"priorite": 2}
        else:
            assert "extra" not in rows[0]
    elif out_fmt == "md":
        text = out.read_text(encoding="utf-8")
        check_markdown(text, ids, stripped)
        if in_fmt == "csv":
            assert "*Champs du fichier de questions* : service = Cour des comptes" in text
    elif out_fmt == "csv":
        rows = check_csv(out.read_bytes(), ids)
        if in_fmt == "csv":
            assert [r["service"] for r in rows][:2] == ["DGFIP", "Cour des comptes"]
        if in_fmt == "jsonl":
            assert rows[0]["priorite"] == "1"
    else:
        check_html(out.read_text(encoding="utf-8"), ids)


def test_default_output_is_jsonl_on_stdout(index_dir, tmp_path, capsys):
    inputs = write_inputs(tmp_path)
    code = batch(index_dir, str(inputs["txt"]))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    check_jsonl(captured.out, EXPECTED_IDS["txt"], QUESTIONS)
    assert "écrit dans la sortie standard" in captured.err


@pytest.mark.parametrize("fmt", ["md", "csv", "html"])
def test_format_option_wins_over_stdout(index_dir, tmp_path, capsys, fmt):
    inputs = write_inputs(tmp_path)
    code = batch(index_dir, str(inputs["jsonl"]), "--format", fmt, "--quiet")
    out = capsys.readouterr().out
    assert code == 0
    if fmt == "md":
        check_markdown(out, EXPECTED_IDS["jsonl"], QUESTIONS)
    elif fmt == "csv":
        check_csv(out.encode("utf-8"), EXPECTED_IDS["jsonl"])
    else:
        check_html(out, EXPECTED_IDS["jsonl"])


# -- CSV inputs ------------------------------------------------------------------------


def test_cp1252_semicolon_csv(index_dir, tmp_path, capsys):
    text = (
        "id;question;commentaire\r\n"
        "c1;Quel est le coût de la ligne B ?;à vérifier avec l’ordonnateur\r\n"
        "c2;Combien d'accidents en 2009 ?;« priorité » haute\r\n"
        "c3;Quel montant des dépenses non justifiées, en euros ?;\r\n"
    )
    path = tmp_path / "questions-excel.csv"
    path.write_bytes(text.encode("cp1252"))
    qf = read_questions(path)
    assert qf.encoding == "cp1252" and qf.delimiter == ";"
    assert [q.text for q in qf.questions][0] == "Quel est le coût de la ligne B ?"
    out = tmp_path / "out.csv"
    code = batch(index_dir, str(path), "-o", str(out), "--delimiter", ";")
    assert code == 0, capsys.readouterr().err
    rows = check_csv(out.read_bytes(), ["c1", "c2", "c3"], delimiter=";")
    assert rows[0]["question"] == "Quel est le coût de la ligne B ?"
    assert rows[0]["commentaire"] == "à vérifier avec l’ordonnateur"
    assert rows[1]["commentaire"] == "« priorité » haute"
    for r in rows:
        assert "." not in r["confidence"], "decimal comma with ';'"


def test_csv_utf8_bom_single_column_and_quoted_commas(tmp_path):
    path = tmp_path / "q.csv"
    path.write_bytes(b'\xef\xbb\xbfQuestion\r\nCombien de projets, au total ?\r\n"Quel taux, ""moyen"" ?"\r\n')
    qf = read_questions(path)
    assert [q.text for q in qf.questions] == ["Combien de projets, au total ?", 'Quel taux, "moyen" ?']
    assert [q.id for q in qf.questions] == ["2", "3"]
    assert not qf.bad_lines


def test_csv_question_last_column_keeps_unquoted_separators(tmp_path):
    path = tmp_path / "q.csv"
    path.write_text("id;question\na;Combien ; vraiment ?\n", encoding="utf-8")
    qf = read_questions(path)
    assert [q.text for q in qf.questions] == ["Combien ; vraiment ?"]


def test_csv_without_question_column_is_a_usage_error(index_dir, tmp_path, capsys):
    path = tmp_path / "q.csv"
    path.write_text("id,texte\n1,Combien ?\n", encoding="utf-8")
    assert batch(index_dir, str(path)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "question" in err and str(path) in err


def test_utf16_txt_is_read(tmp_path):
    path = tmp_path / "q.txt"
    path.write_bytes("Quel coût ?\nCombien d’agents ?\n".encode("utf-16"))
    assert [q.text for q in read_questions(path).questions] == ["Quel coût ?", "Combien d’agents ?"]


# -- bad lines, empty and missing files ----------------------------------------------------


def test_bad_lines_are_reported_and_skipped(index_dir, tmp_path, capsys):
    path = tmp_path / "bad.jsonl"
    lines = [
        json.dumps({"id": "a", "question": "Combien de stations compte le réseau ?"}),
        '{"id": "b", "question": "Combien de lignes ?"',  # broken JSON
        json.dumps({"id": "c", "texte": "pas de champ question"}),
        json.dumps({"id": "d", "question": "   "}),
        "",
        json.dumps({"id": "e", "question": "Combien d'associations ont été contrôlées ?"}),
    ]
    path.write_bytes(
        ("\n".join(lines[:5]) + "\n").encode() + b'{"id": "x", "question": "caf\xe9 ?"}\n' + (lines[5] + "\n").encode()
    )
    out = tmp_path / "bad.md"
    code = batch(index_dir, str(path), "-o", str(out))
    err = capsys.readouterr().err
    assert code == 1
    for line in (2, 3, 4, 6):
        assert f"{path}:{line}: ligne ignorée — " in err
    assert "JSON invalide" in err and "octets illisibles" in err
    assert f"{path}:1:" not in err and f"{path}:7:" not in err
    text = out.read_text(encoding="utf-8")
    check_markdown(text, ["a", "e"], [])
    assert "- **Lignes ignorées** : 4 — l. 2" in text
    assert "4 lignes ignorées" in err.strip().splitlines()[-1]


def test_bad_lines_in_txt_and_csv(index_dir, tmp_path, capsys):
    txt = tmp_path / "bad.txt"
    txt.write_bytes(
        "Quel est le coût total du programme ?\n+\nCombien d'agents formés en 2008 ?\n".encode()
        + b"\x81\x8d\x90\n"
        + "Quelle fréquentation ?\n".encode()
    )
    out = tmp_path / "bad-txt.jsonl"
    assert batch(index_dir, str(txt), "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert f"{txt}:2: ligne ignorée — « + » sans question" in err
    assert f"{txt}:4: ligne ignorée — octets illisibles" in err
    check_jsonl(out.read_text(encoding="utf-8"), ["1", "3", "5"], [])

    csv_path = tmp_path / "bad.csv"
    csv_path.write_text(
        "id,question,note\nq1,Combien de stations ?,x\nq2,,y\n\nq3,Combien de lignes de tramway ?,z\n", encoding="utf-8"
    )
    out = tmp_path / "bad-csv.csv"
    assert batch(index_dir, str(csv_path), "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert f"{csv_path}:3: ligne ignorée — pas de question" in err
    check_csv(out.read_bytes(), ["q1", "q3"])


@pytest.mark.parametrize("content", [b"", b"\n\n  \n", b"\xef\xbb\xbf"])
@pytest.mark.parametrize("suffix", [".txt", ".csv", ".jsonl"])
def test_empty_file_is_a_usage_error(index_dir, tmp_path, capsys, content, suffix):
    path = tmp_path / f"vide{suffix}"
    path.write_bytes(content)
    out = tmp_path / "out.jsonl"
    assert batch(index_dir, str(path), "-o", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and str(path) in err and "vide" in err
    assert not out.exists()


def test_only_comments_is_a_usage_error(index_dir, tmp_path, capsys):
    path = tmp_path / "comments.txt"
    path.write_text("# rien\n# toujours rien\n", encoding="utf-8")
    assert batch(index_dir, str(path)) == 2
    assert str(path) in capsys.readouterr().err


def test_missing_file_is_a_usage_error_from_the_real_command(index_dir, tmp_path):
    missing = tmp_path / "absent.txt"
    result = run("batch", str(missing), "--index-dir", str(index_dir))
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and str(missing) in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("name", "extra", "needle"),
    [
        ("questions.xlsx", [], "format de fichier de questions inconnu"),
        ("questions.txt", ["-o", "pack.pdf"], "format de sortie"),
        ("questions.txt", ["-o", "nowhere/pack.md"], "dossier de sortie introuvable"),
        ("questions.jsonl", ["-o", "questions.jsonl", "--force"], "écraserait le fichier de questions"),
        ("questions.txt", ["--jobs", "0"], "--jobs"),
    ],
)
def test_usage_errors(index_dir, tmp_path, capsys, monkeypatch, name, extra, needle):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).write_text("Combien de stations ?\n", encoding="utf-8")
    assert batch(index_dir, name, *extra) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and needle in err
    assert (tmp_path / name).read_text(encoding="utf-8") == "Combien de stations ?\n"


# -- output protection and atomicity ---------------------------------------------------------


def test_existing_output_needs_force(index_dir, tmp_path, capsys):
    inputs = write_inputs(tmp_path)
    out = tmp_path / "pack.html"
    out.write_text("ancien dossier", encoding="utf-8")
    assert batch(index_dir, str(inputs["txt"]), "-o", str(out)) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--force" in err and str(out) in err
    assert out.read_text(encoding="utf-8") == "ancien dossier"
    assert batch(index_dir, str(inputs["txt"]), "-o", str(out), "--force") == 0
    check_html(out.read_text(encoding="utf-8"), EXPECTED_IDS["txt"])
    assert not list(tmp_path.glob(".*.tmp"))


def test_write_atomic_leaves_no_temp_file_when_replace_fails(tmp_path, monkeypatch):
    out = tmp_path / "pack.md"
    out.write_text("ancien", encoding="utf-8")

    def boom(src, dst):
        raise OSError("disque plein")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        write_atomic(out, b"nouveau", force=True)
    assert out.read_text(encoding="utf-8") == "ancien"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pack.md"]


def test_write_atomic_keeps_readable_permissions(tmp_path):
    out = tmp_path / "pack.md"
    write_atomic(out, b"x", force=False)
    assert out.stat().st_mode & 0o044, "not only readable by the owner (mkstemp's 0600)"
    with pytest.raises(BatchError):
        write_atomic(out, b"y", force=False)
    assert out.read_bytes() == b"x"


# -- follow-ups, failures, exit codes ----------------------------------------------------------


def test_follow_up_marker(index_dir, tmp_path, capsys):
    path = tmp_path / "suite.txt"
    path.write_text(
        "+ Et en 2008 ?\n"
        "Combien d'agents territoriaux ont été formés en 2007 ?\n"
        "+ Et en 2008 ?\n"
        "+   Et la durée moyenne d'une formation ?\n",
        encoding="utf-8",
    )
    qf = read_questions(path)
    assert [q.follow_up for q in qf.questions] == [True, False, True, True]
    assert [q.text for q in qf.questions] == [
        "Et en 2008 ?",
        "Combien d'agents territoriaux ont été formés en 2007 ?",
        "Et en 2008 ?",
        "Et la durée moyenne d'une formation ?",
    ]
    out = tmp_path / "suite.md"
    assert batch(index_dir, str(path), "-o", str(out)) == 0
    err = capsys.readouterr().err
    assert "ligne 1 : « + » sans question précédente" in err
    text = out.read_text(encoding="utf-8")
    assert "*Ligne 3 · suite de la question 2*" in text
    assert "*Ligne 4 · suite de la question 3*" in text
    assert "*Ligne 1 · suite (aucune question précédente)*" in text
    html_out = tmp_path / "suite.html"
    assert batch(index_dir, str(path), "-o", str(html_out)) == 0
    assert 'suite de la question <a href="#q-2">2</a>' in html_out.read_text(encoding="utf-8")


class _FailingOn:
    """The real engine, except that one question raises (to test the run going on)."""

    def __init__(self, engine, marker: str) -> None:
        self._engine = engine
        self._marker = marker

    def __getattr__(self, name):
        return getattr(self._engine, name)

    def ask(self, question, conversation=None):
        if self._marker in question:
            raise RuntimeError("panne simulée\nsur deux lignes")
        return self._engine.ask(question, conversation)


def test_a_question_that_raises_fails_alone(index_dir, tmp_path, capsys):
    from assistant.qa.engine import Assistant

    path = tmp_path / "q.txt"
    path.write_text(
        "Combien de stations compte le réseau ?\nQuestion PANNE ?\nCombien d'associations ont été contrôlées ?\n",
        encoding="utf-8",
    )
    out = tmp_path / "q.jsonl"
    code = run_batch(_FailingOn(Assistant(index_dir), "PANNE"), path, output=out, quiet=True)
    err = capsys.readouterr().err
    assert code == 1
    assert f"{path}:2: échec de la question 2 — RuntimeError: panne simulée sur deux lignes" in err
    assert ", 1 en échec — écrit dans" in err
    rows = check_jsonl(out.read_text(encoding="utf-8"), ["1", "2", "3"], [])
    assert rows[1]["abstained"] is True and rows[1]["error"].startswith("RuntimeError")
    assert "error" not in rows[0] and "error" not in rows[2]
    md = tmp_path / "q.md"
    run_batch(_FailingOn(Assistant(index_dir), "PANNE"), path, output=md, quiet=True)
    assert "**[échec]**" in md.read_text(encoding="utf-8")


def test_fail_on_abstain(index_dir, tmp_path, capsys):
    inputs = write_inputs(tmp_path)
    out = tmp_path / "a.jsonl"
    code = batch(index_dir, str(inputs["txt"]), "-o", str(out), "--fail-on-abstain")
    capsys.readouterr()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert code == (1 if any(r["abstained"] for r in rows) else 0)
    out2 = tmp_path / "b.jsonl"
    assert batch(index_dir, str(inputs["txt"]), "-o", str(out2)) == 0


def test_markdown_and_html_flags_match_the_answers(index_dir, tmp_path, capsys):
    inputs = write_inputs(tmp_path)
    outs = {fmt: tmp_path / f"p.{fmt}" for fmt in ("jsonl", "md", "html")}
    for out in outs.values():
        assert batch(index_dir, str(inputs["csv"]), "-o", str(out)) == 0
    capsys.readouterr()
    rows = [json.loads(line) for line in outs["jsonl"].read_text(encoding="utf-8").splitlines()]
    md = outs["md"].read_text(encoding="utf-8")
    html = outs["html"].read_text(encoding="utf-8")
    answered = [r for r in rows if not r["abstained"]]
    abstained = [r for r in rows if r["abstained"]]
    low = [r for r in answered if r["confidence"] < 0.5]
    conflicts = [r for r in rows if r["conflicts"]]
    # HTML badges stand in the summary table and in the question's article.
    assert md.count("**[sans réponse]**") == len(abstained) == html.count('<span class="badge none">') // 2
    assert md.count("**[à vérifier]**") == len(low) == html.count('<span class="badge warn">') // 2
    assert md.count("**[conflit]**") == len(conflicts)
    assert f"- **Questions** : {len(rows)} — {count(len(answered), 'répondue')}" in md
    for r in answered:
        if r["citations"]:
            c = r["citations"][0]
            assert f"1. `{c['document']}`" in md
            if c["page"]:
                assert f"p. {c['page']}" in md
    assert html.count("<blockquote") == sum(len(r["citations"]) + len(r["conflicts"]) for r in rows)
    assert html.count('<blockquote class="first">') == len([r for r in answered if r["citations"]])


def test_html_escapes_everything(index_dir, tmp_path, capsys):
    path = tmp_path / "q.jsonl"
    path.write_text(
        json.dumps(
            {
                "id": "<b>x</b>",
                "question": 'Combien de stations <script>alert(1)</script> & "lignes" ?',
                "note": "<img src=x onerror=alert(1)>",
            }
        )
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "q.html"
    assert batch(index_dir, str(path), "-o", str(out)) == 0
    html = out.read_text(encoding="utf-8")
    check_html(html, ["<b>x</b>"])
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


# -- determinism and parallel runs ---------------------------------------------------------------


def test_same_input_same_output(index_dir, tmp_path, capsys):
    inputs = write_inputs(tmp_path)
    for fmt in ("md", "html", "csv", "jsonl"):
        a, b = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        assert batch(index_dir, str(inputs["csv"]), "-o", str(a)) == 0
        assert batch(index_dir, str(inputs["csv"]), "-o", str(b)) == 0
        assert a.read_bytes() == b.read_bytes(), fmt
    capsys.readouterr()


def test_jobs_2_gives_the_same_output_as_jobs_1(index_dir, tmp_path, capsys):
    # More conversations than workers, with follow-ups spread around.
    many = tmp_path / "many.txt"
    many.write_text("\n".join(QUESTIONS * 3) + "\n", encoding="utf-8")
    ids = [str(n) for n in range(1, 3 * len(QUESTIONS) + 1)]
    # --jobs 1 in this process, --jobs 2 from the real command (worker processes).
    one_md = tmp_path / "one.md"
    assert batch(index_dir, str(many), "-o", str(one_md), "--jobs", "1") == 0
    assert batch(index_dir, str(many), "--jobs", "1") == 0
    one_jsonl = capsys.readouterr().out
    two_md = tmp_path / "two.md"
    result = run("batch", str(many), "-o", str(two_md), "--jobs", "2", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert "0 en échec" in result.stderr.strip().splitlines()[-1]
    assert two_md.read_bytes() == one_md.read_bytes()
    result = run("batch", str(many), "--jobs", "2", "--quiet", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout == one_jsonl
    check_jsonl(result.stdout, ids, [])


def test_progress_bar_only_on_a_terminal(index_dir, tmp_path):
    import pty

    questions = [q for q in QUESTIONS if not q.startswith("Qui")]  # spaCy's load would only slow this test
    source = tmp_path / "bar.txt"
    source.write_text("\n".join(questions) + "\n", encoding="utf-8")
    n = len(questions)
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_INDEX_DIR"}
    seen = {}
    for quiet in (False, True):
        master, slave = pty.openpty()
        args = [
            sys.executable,
            "-m",
            "assistant",
            "batch",
            str(source),
            "-o",
            str(tmp_path / f"p{quiet}.md"),
            "--index-dir",
            str(index_dir),
        ]
        proc = subprocess.Popen(args + (["--quiet"] if quiet else []), stdout=subprocess.DEVNULL, stderr=slave, cwd=ROOT, env=env)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 4096)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        assert proc.wait(timeout=600) == 0
        seen[quiet] = b"".join(chunks).decode("utf-8", "replace")
    bar = re.compile(rf"\r\[[#.]+\] \d+/{n} questions · [\d,]+ q/s · reste \d+:\d\d")
    assert bar.search(seen[False]), seen[False]
    assert f"{n}/{n} questions" in seen[False]
    assert not bar.search(seen[True]) and "q/s ·" not in seen[True]
    for text in seen.values():
        assert f"{n} questions : " in text.strip().splitlines()[-1]


# -- CSV for a French Excel (issue 15) ---------------------------------------------------------


def test_csv_pack_opens_in_a_french_excel_and_says_which_question_a_follow_up_continues(index_dir, tmp_path, capsys):
    path = tmp_path / "suite.txt"
    path.write_text(
        "Combien d'agents territoriaux ont été formés en 2007 ?\n+ Et en 2008 ?\n"
        "Quand le plan de déplacements urbains a-t-il été adopté ?\n",
        encoding="utf-8",
    )
    out = tmp_path / "suite.csv"
    assert batch(index_dir, str(path), "-o", str(out)) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    header = data.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("id;question;follows;answer;"), header
    rows = check_csv(data, ["1", "2", "3"])
    assert [r["follows"] for r in rows] == ["", "1", ""]
    year = rows[2]
    assert year["kind"] == "date" and year["value"] and "." not in year["value"] and "," not in year["value"]
    comma = tmp_path / "suite-comma.csv"
    assert batch(index_dir, str(path), "-o", str(comma), "--delimiter", ",") == 0
    assert comma.read_bytes().decode("utf-8-sig").startswith("id,question,follows,")


def test_csv_carried_numbers_are_written_whole(tmp_path):
    from assistant.batch_formats.common import Item, Question
    from assistant.models import Answer

    answer = Answer(question="q", answer="Je n'ai pas trouvé.", abstained=True, kind="text", confidence=0.0, lang="fr")
    item = Item(Question(line=1, id="a", text="q", extra={"annee": 2007.0, "taux": 12.5, "note": "=1+1"}), answer)
    text = render_csv([item])
    row = text.lstrip("\ufeff").splitlines()[1].split(";")
    assert row[-3:] == ["2007", "12,5", "'=1+1"]
