"""The command line, run for real: exit codes, summaries, JSON output."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a subprocess."""
    full_env = {**os.environ, **(env or {})}
    full_env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=full_env, timeout=600
    )


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory) -> Path:
    """A copy of the bundled corpus plus a Windows-1252 report."""
    folder = tmp_path_factory.mktemp("corpus")
    shutil.copytree(ROOT / "corpus", folder, dirs_exist_ok=True)
    text = (
        "RAPPORT DE CONTRÔLE 2021\n\n"
        "1. Contexte\n\n"
        "Le contrôle a porté sur 18 dossiers d’investissement, pour un coût total de 1 250 000 €.\n\n"
        "2. Résultats\n\n"
        "Les dépenses inéligibles s’élèvent à 45 000 €, soit 3,6 % du montant contrôlé ; l’œuvre continue.\n"
    )
    (folder / "controle-cp1252.txt").write_bytes(text.encode("cp1252"))
    return folder


@pytest.fixture(scope="module")
def indexed(small_corpus, tmp_path_factory) -> tuple[Path, Path]:
    index_dir = tmp_path_factory.mktemp("idx") / "index"
    result = run("index", str(small_corpus), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    return small_corpus, index_dir


def test_index_prints_a_summary(indexed):
    corpus, index_dir = indexed
    status = json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)
    files = [p for p in corpus.rglob("*") if p.suffix in (".txt", ".md")]
    assert status["documents"] == len(files)
    assert status["sections"] >= status["documents"]
    assert status["version"] >= 1 and status["size_bytes"] > 0


def test_second_run_reports_everything_unchanged(indexed):
    corpus, index_dir = indexed
    result = run("index", str(corpus), "--index-dir", str(index_dir))
    assert result.returncode == 0
    assert "0 ajouté, 0 mis à jour" in result.stdout
    assert "0 retiré, 0 en échec" in result.stdout


def test_changed_file_is_reindexed_alone_and_vanished_file_removed(small_corpus, tmp_path):
    corpus = tmp_path / "c"
    shutil.copytree(small_corpus, corpus)
    index_dir = tmp_path / "idx"
    assert run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    target = corpus / "controle-cp1252.txt"
    target.write_bytes(target.read_bytes() + "3. Suite\n\nUn nouveau contrôle est prévu en 2024.\n".encode("cp1252"))
    (corpus / "prai" / "v2-p025.txt").unlink()
    result = run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 0, result.stderr
    assert "0 ajouté, 1 mis à jour" in result.stdout
    assert "1 retiré," in result.stdout and "retiré : prai/v2-p025.txt" in result.stdout


def test_search_json_and_cp1252_text(indexed):
    _, index_dir = indexed
    result = run("search", "dépenses inéligibles contrôle", "--json", "-k", "3", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits and hits[0]["document"] == "controle-cp1252.txt"
    assert set(hits[0]) >= {"document", "section", "start", "end", "score", "text"}
    assert "s’élèvent à 45 000 €" in hits[0]["text"] or "inéligibles" in hits[0]["text"]


def test_missing_index_is_a_one_line_hint(tmp_path):
    result = run("search", "budget", "--index-dir", str(tmp_path / "nothing"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "assistant index" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    result = run("index", str(tmp_path / "absent"), "--index-dir", str(tmp_path / "idx"))
    assert result.returncode == 2
    assert "absent" in result.stderr and "Traceback" not in result.stderr


def test_failed_file_is_reported_and_others_indexed(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "ok.txt").write_text("BUDGET\n\nLe budget est de 12 M€ en 2020.\n", encoding="utf-8")
    (corpus / "vide.txt").write_bytes(b"")
    (corpus / "binaire.txt").write_bytes(bytes(range(256)) * 4)
    result = run("index", str(corpus), "--index-dir", str(tmp_path / "idx"), "--no-facts")
    assert result.returncode == 1
    assert "1 ajouté," in result.stdout and "2 en échec" in result.stdout
    assert "vide.txt" in result.stdout and "binaire.txt" in result.stdout
    status = run("status", "--index-dir", str(tmp_path / "idx"))
    assert "vide.txt" in status.stdout


@pytest.mark.skipif(
    not (SHARED / "corpus").is_dir(), reason="../shared/corpus is absent (a fresh clone without the shared samples)"
)
def test_shared_corpus_search_finds_the_commissioning_page(tmp_path):
    index_dir = tmp_path / "idx"
    assert run("index", str(SHARED / "corpus"), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    result = run("search", "durée moyenne des missions d'aide au conseil", "--json", "--index-dir", str(index_dir))
    hits = json.loads(result.stdout)
    assert "prai/v2-p025.txt" in [h["document"] for h in hits[:3]]
    again = run("index", str(SHARED / "corpus"), "--index-dir", str(index_dir), "--no-facts")
    assert "0 ajouté, 0 mis à jour" in again.stdout and "0 retiré," in again.stdout


def test_explain_shows_the_reading_candidates_and_features(indexed):
    _, index_dir = indexed
    result = run("explain", "Combien de communes compte la communauté ?", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "kind=count" in out
    assert "Chiffres (seuil de réponse" in out
    assert "coverage=" in out  # each candidate shows its features with their weights
    assert out.rstrip().splitlines()[-1].startswith("Réponse :")


@pytest.mark.parametrize("command", [("search", "FEDER"), ("facts",)])
def test_a_reader_closing_the_pipe_early_is_not_an_error(indexed, command):
    """`assistant search … | head -1`: no traceback, exit 0, the first line printed."""
    _corpus, index_dir = indexed
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_INDEX_DIR"}
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant", *command, "--index-dir", str(index_dir)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=ROOT,
        env=env,
        bufsize=0,
    )
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.read(1)  # wait for output, then go away like `head -c1`
    process.stdout.close()
    stderr = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, stderr
    assert first and "Traceback" not in stderr
