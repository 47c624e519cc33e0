"""Nothing lost: a killed indexer, a reader beside a writer, an index of another format version.

* ``kill -9`` of ``assistant index`` in the middle of a run (its worker
  processes with it) leaves an index that opens, answers from what was
  committed, holds no half-written document, and is completed by the next
  run;
* an :class:`~assistant.qa.engine.Assistant` reading while another process
  indexes sees consistent states (no document without its sections, counts
  that only grow) and picks up the new documents without being reopened;
* an index whose format version differs is refused by every command with a
  one-line instruction naming ``assistant index --rebuild`` (exit 2).
"""

from __future__ import annotations

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from formats_fixtures import SENTENCES

from assistant.presentation import count
from assistant.qa.engine import Assistant

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = 300
"""Reports in the big folder: about 4 s of indexing (without facts) on a 2-core machine."""


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a subprocess."""
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=_env(), timeout=120
    )


def _env() -> dict[str, str]:
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return env


def start_index(folder: Path, index_dir: Path) -> subprocess.Popen:
    """`assistant index FOLDER` in the background, in its own process group (so that its workers die with it)."""
    return subprocess.Popen(
        [sys.executable, "-m", "assistant", "index", str(folder), "--index-dir", str(index_dir), "--no-facts", "--quiet"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env=_env(),
        start_new_session=True,
    )


def write_reports(folder: Path, count: int, word: str, seed: int) -> None:
    """`count` French reports of ~8 KB, each with six numbered sections; every one holds `word` (and is named after it)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    for number in range(count):
        parts = [f"Rapport {number:03d} du programme {word}", ""]
        for section in range(1, 7):
            parts.append(f"{section}. Section {section} du rapport {number:03d}")
            parts.append(" ".join(rng.choice(SENTENCES) for _ in range(8)))
            parts.append("")
        (folder / f"{word}-{number:03d}.txt").write_text("\n".join(parts), encoding="utf-8")


def committed(index_dir: Path) -> int:
    """Documents committed so far (0 while the database does not exist yet)."""
    path = index_dir / "index.sqlite"
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is not there yet


@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("big") / "rapports"
    write_reports(folder, DOCUMENTS, "mirabelle", seed=1)
    return folder


def test_kill_9_mid_run_loses_nothing_committed(big_folder: Path, tmp_path: Path) -> None:
    index_dir = tmp_path / "index"
    process = start_index(big_folder, index_dir)
    deadline = time.monotonic() + 60
    try:
        while committed(index_dir) < 10:
            assert process.poll() is None, "the indexer ended before it could be killed: " + process.communicate()[1]
            assert time.monotonic() < deadline, "no document committed within 60 s"
            time.sleep(0.02)
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # the indexer and its worker processes, like a power cut
        process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    with sqlite3.connect(index_dir / "index.sqlite") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        kept = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        orphans = conn.execute(
            "SELECT COUNT(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM sections s WHERE s.doc_id = d.id)"
        ).fetchone()[0]
        paths = {row[0] for row in conn.execute("SELECT path FROM documents")}
    assert 10 <= kept < DOCUMENTS, f"{kept} documents committed: the run was not killed mid-way"
    assert orphans == 0, "a document was committed without its sections"

    status = run("status", "--json", "--index-dir", str(index_dir))
    assert status.returncode == 0, status.stderr
    assert json.loads(status.stdout)["documents"] == kept

    search = run("search", "programme mirabelle", "-k", "5", "--json", "--index-dir", str(index_dir))
    assert search.returncode == 0, search.stderr
    hits = json.loads(search.stdout)
    assert hits and {hit["document"] for hit in hits} <= paths

    again = run("index", str(big_folder), "--index-dir", str(index_dir), "--no-facts")
    assert again.returncode == 0, again.stdout + again.stderr
    assert count(DOCUMENTS - kept, "ajouté") in again.stdout and count(kept, "inchangé") in again.stdout
    assert json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)["documents"] == DOCUMENTS


def _reader_beside_writer(big_folder: Path, tmp_path: Path, search_while_writing: bool) -> None:
    index_dir = tmp_path / "index"
    first = tmp_path / "premiers"
    write_reports(first, 12, "quetsche", seed=2)
    assert run("index", str(first), "--index-dir", str(index_dir), "--no-facts").returncode == 0

    reader = Assistant(index_dir)
    assert reader.status().documents == 12
    assert reader.search("mirabelle") == []

    process = start_index(big_folder, index_dir)
    seen: list[int] = []
    try:
        while process.poll() is None:
            status = reader.status()
            infos = reader.documents()
            assert all(info.sections > 0 for info in infos), "a document visible without its sections"
            assert status.sections >= status.documents
            seen.append(status.documents)
            if search_while_writing:
                for hit in reader.search("mirabelle", k=3):
                    document = reader.document(hit.section.document)
                    assert document is not None
                    assert document.text[hit.section.start : hit.section.end] == hit.section.text
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    assert process.returncode == 0, process.communicate()[1]
    assert seen == sorted(seen), "the document count went backwards"
    assert any(12 < count < 12 + DOCUMENTS for count in seen), f"no intermediate state observed: {sorted(set(seen))}"

    assert reader.status().documents == 12 + DOCUMENTS  # the same reader, not reopened
    hits = reader.search("mirabelle", k=2 * DOCUMENTS)
    assert len({hit.section.document for hit in hits}) == DOCUMENTS
    reader.close()


def test_reader_sees_a_consistent_index_while_another_process_writes(big_folder: Path, tmp_path: Path) -> None:
    _reader_beside_writer(big_folder, tmp_path, search_while_writing=False)


def test_search_while_another_process_writes(big_folder: Path, tmp_path: Path) -> None:
    _reader_beside_writer(big_folder, tmp_path, search_while_writing=True)


@pytest.fixture
def old_index(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "rapports"
    write_reports(folder, 2, "reine-claude", seed=3)
    index_dir = tmp_path / "index"
    assert run("index", str(folder), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    with sqlite3.connect(index_dir / "index.sqlite") as conn:
        conn.execute("UPDATE meta SET value='999' WHERE key='version'")
    return folder, index_dir


@pytest.mark.parametrize(
    "command",
    [["status"], ["status", "--json"], ["search", "programme"], ["facts"], ["index", "FOLDER"]],
)
def test_other_format_version_gives_a_one_line_instruction(old_index, command: list[str]) -> None:
    folder, index_dir = old_index
    args = [str(folder) if part == "FOLDER" else part for part in command]
    result = run(*args, "--index-dir", str(index_dir))
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "assistant index --rebuild" in lines[0] and "999" in lines[0]
    assert "Traceback" not in result.stderr


def test_rebuild_replaces_an_index_of_another_format_version(old_index) -> None:
    folder, index_dir = old_index
    result = run("index", "--rebuild", str(folder), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 0, result.stderr
    assert json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)["documents"] == 2


def test_a_document_whose_figures_cannot_be_extracted_is_indexed_and_reported(tmp_path, monkeypatch, capsys):
    """Fault injection: fact extraction raises on one document. That document is
    still searchable, the others keep their facts, and the run says so (exit 1)."""
    import assistant.facts as facts_module
    from assistant import cli

    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "bon.txt").write_text("Le programme a financé 42 projets en 2020.\n", encoding="utf-8")
    (folder / "casse.txt").write_text("Le budget atteint 1 200 000 € en 2021.\n", encoding="utf-8")
    real_many = facts_module.extract_facts_many

    def many(items):
        if any(doc.path == "casse.txt" for doc, _ in items):
            raise RuntimeError("batch refused")
        return real_many(items)

    def one(doc, sections):
        if doc.path == "casse.txt":
            raise ValueError("analyse impossible")
        return real_many([(doc, sections)])[0]

    monkeypatch.setattr(facts_module, "extract_facts_many", many)
    monkeypatch.setattr(facts_module, "extract_facts", one)
    index_dir = tmp_path / "index"
    code = cli.main(["index", str(folder), "--index-dir", str(index_dir)])
    out = capsys.readouterr().out
    assert code == 1
    assert "indexé sans ses chiffres : casse.txt — chiffres non extraits (ValueError: analyse impossible)" in out
    engine = Assistant(index_dir)
    assert {d.path for d in engine.documents()} == {"bon.txt", "casse.txt"}
    assert engine.search("budget")[0].section.document == "casse.txt"
    assert [f.value for f in engine.facts(document="bon.txt") if f.kind == "count"] == [42]
    assert engine.facts(document="casse.txt") == []
