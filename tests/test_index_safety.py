"""Nothing lost, never a traceback: the index's data safety (issues 15 and 17).

* a document's identity is its file: two folders holding the same relative
  names both stay indexed, and only files that vanished from the folder being
  re-indexed are dropped; citations keep the path relative to the folder;
* a document removed by the user stays out of later runs over its folder
  until it is indexed again by name;
* a failed run creates nothing; an unusable ``--index-dir``, a full disk, a
  damaged or foreign database each give one French line and an exit code;
* a read-only index can be queried; a file name that is not UTF-8 is indexed
  and shown escaped.

CLI tests run the real command in a subprocess unless a fault must be
injected into the writing path (disk full): those call ``cli.main``.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from assistant import cli
from assistant.qa.engine import Assistant
from assistant.retrieval.store import DB_NAME, Store

ROOT = Path(__file__).resolve().parents[1]

REPORT_A = """RAPPORT ANNUEL DU FONDS DE SOUTIEN AUX COMMUNES

1. Financement
Le budget du fonds de soutien atteint 1 200 000 € en 2021.

2. Bénéficiaires
Au total, 37 communes ont reçu une aide du fonds de soutien en 2021.
"""

REPORT_B = """RAPPORT ANNUEL DU PROGRAMME DE RÉNOVATION DES ÉCOLES

1. Financement
Le budget du programme de rénovation atteint 3 400 000 € en 2022.

2. Bénéficiaires
Au total, 12 écoles ont été rénovées par le programme en 2022.
"""

NOTE = """NOTE DE SYNTHÈSE SUR LES ÉQUIPEMENTS SPORTIFS

1. Constat
Le département compte 88 équipements sportifs couverts.
"""


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a subprocess."""
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd or ROOT, env=env, timeout=300
    )


def one_french_line(result: subprocess.CompletedProcess | str) -> str:
    """The single line of an error on stderr (no traceback)."""
    text = result if isinstance(result, str) else result.stderr
    assert "Traceback" not in text, text
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def folder(base: Path, name: str, files: dict[str, str]) -> Path:
    out = base / name
    for rel, text in files.items():
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        (out / rel).write_text(text, encoding="utf-8")
    return out


def status(index_dir: Path) -> dict:
    result = run("status", "--json", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def documents(index_dir: Path) -> list[str]:
    engine = Assistant(index_dir)
    try:
        return [d.path for d in engine.documents()]
    finally:
        engine.close()


# -- a document's identity includes its folder ------------------------------------------------


def test_second_folder_with_the_same_names_keeps_the_first(tmp_path: Path) -> None:
    a = folder(tmp_path, "ville-a", {"rapport.txt": REPORT_A, "annexes/note.txt": NOTE})
    b = folder(tmp_path, "ville-b", {"rapport.txt": REPORT_B, "annexes/note.txt": NOTE})
    index_dir = tmp_path / "idx"
    assert run("index", str(a), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    second = run("index", str(b), "--index-dir", str(index_dir), "--no-facts")
    assert second.returncode == 0, second.stderr
    assert "0 mis à jour" in second.stdout and "0 retiré" in second.stdout
    st = status(index_dir)
    assert st["documents"] == 4
    assert sorted(st["roots"]) == sorted([str(a.resolve()), str(b.resolve())])
    names = documents(index_dir)
    # The first folder's names are kept as they were; the second's are told apart by the folder's name.
    assert {"rapport.txt", "annexes/note.txt"} <= set(names)
    assert {"ville-b/rapport.txt", "ville-b/annexes/note.txt"} <= set(names)
    for answer, doc in (("1 200 000", "rapport.txt"), ("3 400 000", "ville-b/rapport.txt")):
        found = run("search", f"budget {answer}", "--json", "-k", "1", "--index-dir", str(index_dir))
        assert json.loads(found.stdout)[0]["document"] == doc


def test_one_run_over_two_folders_holding_the_same_name_indexes_both(tmp_path: Path) -> None:
    x = folder(tmp_path, "x", {"rapport.txt": REPORT_A})
    y = folder(tmp_path, "y", {"rapport.txt": REPORT_B})
    index_dir = tmp_path / "idx"
    result = run("index", str(x), str(y), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 0, result.stderr
    names = documents(index_dir)
    assert len(names) == 2 and all(n == "rapport.txt" or n.endswith("/rapport.txt") for n in names)
    ask = run("ask", "Combien d'écoles ont été rénovées en 2022 ?", "--json", "--index-dir", str(index_dir))
    citations = json.loads(ask.stdout)["citations"]
    assert citations and citations[0]["document"] == "y/rapport.txt"


def test_reindexing_a_folder_drops_only_its_vanished_files(tmp_path: Path) -> None:
    a = folder(tmp_path, "a", {"rapport.txt": REPORT_A, "note.txt": NOTE})
    b = folder(tmp_path, "b", {"rapport.txt": REPORT_B, "note.txt": NOTE})
    index_dir = tmp_path / "idx"
    for f in (a, b):
        assert run("index", str(f), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    (a / "note.txt").unlink()
    result = run("index", str(a), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 0, result.stderr
    assert "retiré : note.txt" in result.stdout
    assert sorted(documents(index_dir)) == ["b/note.txt", "b/rapport.txt", "rapport.txt"]


def test_renamed_folder_replaces_its_documents_instead_of_doubling_them(tmp_path: Path) -> None:
    old = folder(tmp_path, "rapports-2021", {"rapport.txt": REPORT_A, "sub/note.txt": NOTE})
    other = folder(tmp_path, "autres", {"ecoles.txt": REPORT_B})
    index_dir = tmp_path / "idx"
    for f in (old, other):
        assert run("index", str(f), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    new = old.rename(tmp_path / "rapports")
    assert run("index", str(new), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    assert sorted(documents(index_dir)) == ["ecoles.txt", "rapport.txt", "sub/note.txt"]
    assert sorted(status(index_dir)["roots"]) == sorted([str(new.resolve()), str(other.resolve())])


def test_one_folder_cites_the_path_relative_to_it(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"region/part01.txt": REPORT_B})
    index_dir = tmp_path / "idx"
    assert run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    ask = run("ask", "Combien d'écoles ont été rénovées en 2022 ?", "--json", "--index-dir", str(index_dir))
    assert json.loads(ask.stdout)["citations"][0]["document"] == "region/part01.txt"


# -- a removed document stays removed ---------------------------------------------------------


def test_removed_document_stays_out_until_added_by_name(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A, "note.txt": NOTE})
    engine = Assistant(tmp_path / "idx")
    engine.index([corpus], with_facts=False)
    assert engine.remove("note.txt")
    again = engine.index([corpus], with_facts=False)
    assert again.excluded == ["note.txt"] and not again.added and not again.removed
    assert [d.path for d in engine.documents()] == ["rapport.txt"]
    cli_run = run("index", str(corpus), "--index-dir", str(tmp_path / "idx"), "--no-facts")
    assert cli_run.returncode == 0 and "note.txt" in cli_run.stdout  # the summary says it was left out
    assert status(tmp_path / "idx")["excluded"] == ["note.txt"]
    assert [d.path for d in engine.documents()] == ["rapport.txt"]
    # Added again by name: back in, and later runs over the folder keep it.
    assert engine.index([corpus / "note.txt"], with_facts=False).added == ["note.txt"]
    assert not engine.index([corpus], with_facts=False).excluded
    assert sorted(d.path for d in engine.documents()) == ["note.txt", "rapport.txt"]
    engine.close()


# -- a failed run creates nothing; unusable index directories ---------------------------------


def test_missing_path_creates_no_index(tmp_path: Path) -> None:
    result = run("index", str(tmp_path / "does-not-exist"), cwd=tmp_path)
    assert result.returncode == 2
    assert "does-not-exist" in one_french_line(result) and "introuvable" in result.stderr
    assert not (tmp_path / "index").exists()
    ask = run("ask", "Quel est le budget ?", cwd=tmp_path)
    assert ask.returncode == 2 and "pas d'index" in one_french_line(ask)


def test_asking_an_empty_index_says_there_is_no_document(tmp_path: Path) -> None:
    empty = tmp_path / "vide"
    empty.mkdir()
    index_dir = tmp_path / "idx"
    assert run("index", str(empty), "--index-dir", str(index_dir)).returncode == 0
    for command in (["ask", "Quel est le budget ?"], ["search", "budget"]):
        result = run(*command, "--index-dir", str(index_dir))
        assert result.returncode == 2, result.stdout
        assert "aucun document" in one_french_line(result) and str(index_dir) in result.stderr
    assert run("status", "--index-dir", str(index_dir)).returncode == 0


def test_rebuild_with_a_missing_path_keeps_the_index(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    index_dir = tmp_path / "idx"
    assert run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts").returncode == 0
    result = run("index", str(tmp_path / "typo"), "--rebuild", "--index-dir", str(index_dir))
    assert result.returncode == 2 and "typo" in one_french_line(result)
    assert documents(index_dir) == ["rapport.txt"]


def test_index_dir_under_a_file_is_one_line(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    blocker = tmp_path / "un-fichier"
    blocker.write_text("pas un dossier", encoding="utf-8")
    for index_dir in (blocker, blocker / "idx"):
        result = run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts")
        assert result.returncode == 2
        assert str(blocker) in one_french_line(result) and "--index-dir" in result.stderr
    assert blocker.read_text(encoding="utf-8") == "pas un dossier"


NOBODY = 65534


def _as_nobody(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """`assistant ARGS` as an unprivileged user (root ignores file permissions)."""
    # The interpreter's standard library may sit where that user cannot read
    # (/root/...): everything is imported, and spaCy's model loaded, first.
    code = (
        "import os, sys, pkgutil, importlib, argparse, json, sqlite3, csv, io, errno\n"
        "import assistant\n"
        "for m in pkgutil.walk_packages(assistant.__path__, 'assistant.'):\n"
        "    if not m.name.startswith(('assistant.tui', 'assistant.__main__')):\n"
        "        importlib.import_module(m.name)\n"
        "from assistant.facts.nlp import get_nlp\n"
        "get_nlp()\n"
        f"os.setgroups([]); os.setgid({NOBODY}); os.setuid({NOBODY})\n"
        "from assistant.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    env = {**os.environ, "HOME": str(cwd)}
    env.pop("ASSISTANT_INDEX_DIR", None)
    cmd = [sys.executable, "-c", code, *args] if os.geteuid() == 0 else [sys.executable, "-m", "assistant", *args]
    return subprocess.run(cmd, capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture
def open_dir() -> Path:
    """A folder outside pytest's private tmp (which an unprivileged user cannot traverse)."""
    if os.geteuid() == 0 and not hasattr(os, "setuid"):
        pytest.skip("running as root without os.setuid: file permissions cannot be tested")
    path = Path(tempfile.mkdtemp(prefix="assistant-ro-"))
    path.chmod(0o755)
    yield path
    for p in [path, *path.rglob("*")]:
        if p.is_dir():
            p.chmod(0o755)
    shutil.rmtree(path, ignore_errors=True)


def test_index_dir_without_write_permission_is_one_line(open_dir: Path) -> None:
    corpus = folder(open_dir, "corpus", {"rapport.txt": REPORT_A})
    locked = open_dir / "verrouille"
    locked.mkdir()
    locked.chmod(0o555)
    result = _as_nobody("index", str(corpus), "--index-dir", str(locked / "idx"), "--no-facts", cwd=open_dir)
    assert result.returncode == 2, result.stderr
    assert str(locked / "idx") in one_french_line(result) and "--index-dir" in result.stderr
    assert not (locked / "idx").exists()


def test_read_only_index_can_be_queried(open_dir: Path) -> None:
    corpus = folder(open_dir, "corpus", {"rapport.txt": REPORT_A, "ecoles.txt": REPORT_B})
    index_dir = open_dir / "idx"
    Assistant(index_dir).index([corpus])
    assert not (index_dir / (DB_NAME + "-wal")).exists() or (index_dir / (DB_NAME + "-wal")).stat().st_size == 0
    for name in ("-wal", "-shm"):
        (index_dir / (DB_NAME + name)).unlink(missing_ok=True)
    (index_dir / DB_NAME).chmod(0o444)
    index_dir.chmod(0o555)  # the -shm file of WAL cannot be created
    before = sorted(p.name for p in index_dir.iterdir())
    ask = _as_nobody("ask", "Combien d'écoles ont été rénovées en 2022 ?", "--json", "--index-dir", str(index_dir), cwd=open_dir)
    assert ask.returncode == 0, ask.stderr
    assert json.loads(ask.stdout)["value"] == 12
    for command in (["status"], ["search", "budget"], ["facts", "--kind", "money"]):
        result = _as_nobody(*command, "--index-dir", str(index_dir), cwd=open_dir)
        assert result.returncode == 0, (command, result.stderr)
    assert sorted(p.name for p in index_dir.iterdir()) == before


def test_indexing_into_a_read_only_index_file_is_one_line(open_dir: Path) -> None:
    corpus = folder(open_dir, "corpus", {"rapport.txt": REPORT_A})
    index_dir = open_dir / "idx"
    Assistant(index_dir).index([corpus], with_facts=False)
    (corpus / "autre.txt").write_text(REPORT_B, encoding="utf-8")
    index_dir.chmod(0o777)
    (index_dir / DB_NAME).chmod(0o444)
    result = _as_nobody("index", str(corpus), "--index-dir", str(index_dir), "--no-facts", cwd=open_dir)
    assert result.returncode == 2, result.stderr
    assert str(index_dir / DB_NAME) in one_french_line(result) and "lecture seule" in result.stderr
    assert documents(index_dir) == ["rapport.txt"]


def test_readers_open_the_database_read_only(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    engine = Assistant(tmp_path / "idx")
    engine.index([corpus], with_facts=False)
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only|query_only"):
        engine.store.conn.execute("DELETE FROM documents")
    assert engine.status().documents == 1
    engine.close()


# -- disk full ---------------------------------------------------------------------------------


def test_disk_full_during_index_is_one_line_and_keeps_the_index(tmp_path: Path, monkeypatch, capsys) -> None:
    first = folder(tmp_path, "first", {"rapport.txt": REPORT_A})
    big = folder(tmp_path, "big", {f"r{i:02d}.txt": REPORT_B + f"\n3. Annexe {i}\n" + NOTE * 40 for i in range(12)})
    index_dir = tmp_path / "idx"
    assert cli.main(["index", str(first), "--index-dir", str(index_dir), "--no-facts", "--quiet"]) == 0
    capsys.readouterr()

    bulk = Store.bulk

    def tiny_disk(self):
        pages = self.conn.execute("PRAGMA page_count").fetchone()[0]
        self.conn.execute(f"PRAGMA max_page_count={pages + 3}")  # a real SQLITE_FULL a few pages on
        return bulk(self)

    monkeypatch.setattr(Store, "bulk", tiny_disk)
    code = cli.main(["index", str(big), "--index-dir", str(index_dir), "--no-facts", "--quiet"])
    err = capsys.readouterr().err
    assert code == 1
    line = one_french_line(err)
    assert "disque plein" in line and str(index_dir) in line
    monkeypatch.undo()
    conn = sqlite3.connect(index_dir / DB_NAME)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    conn.close()
    assert "rapport.txt" in documents(index_dir)


def test_disk_full_during_batch_output_is_one_line(tmp_path: Path, monkeypatch, capsys) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    index_dir = tmp_path / "idx"
    assert cli.main(["index", str(corpus), "--index-dir", str(index_dir), "--no-facts", "--quiet"]) == 0
    questions = tmp_path / "questions.txt"
    questions.write_text("Quel est le budget du fonds de soutien ?\n", encoding="utf-8")
    out = tmp_path / "out" / "pack.md"
    out.parent.mkdir()
    capsys.readouterr()

    def no_space(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", no_space)
    code = cli.main(["batch", str(questions), "-o", str(out), "--quiet", "--index-dir", str(index_dir)])
    err = capsys.readouterr().err
    assert code in (1, 2)
    line = one_french_line(err)
    assert "disque plein" in line and str(out) in line
    assert list(out.parent.iterdir()) == []  # no pack, no temporary file left


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full to write to a full device")
def test_standard_output_on_a_full_disk_is_one_line(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    index_dir = tmp_path / "idx"
    assert run("index", str(corpus), "--index-dir", str(index_dir)).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_INDEX_DIR"}
    for command in (["facts", "--format", "csv"], ["ask", "Quel est le budget du fonds de soutien ?"]):
        with open("/dev/full", "w") as full:
            result = subprocess.run(
                [sys.executable, "-m", "assistant", *command, "--index-dir", str(index_dir)],
                stdout=full,
                stderr=subprocess.PIPE,
                text=True,
                cwd=ROOT,
                env=env,
                timeout=300,
            )
        assert result.returncode == 1, result.stderr
        assert "disque plein" in one_french_line(result)


# -- damaged and foreign databases -------------------------------------------------------------


@pytest.fixture
def built(tmp_path: Path) -> tuple[Path, Path]:
    corpus = folder(tmp_path, "corpus", {f"rapport-{i}.txt": REPORT_A + NOTE * 30 for i in range(3)} | {"b.txt": REPORT_B})
    index_dir = tmp_path / "idx"
    result = run("index", str(corpus), "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    return corpus, index_dir


def _corrupt_pages(db: Path) -> None:
    """Overwrite the root pages of the sections, postings and facts tables (the
    header, the schema, the meta and documents tables stay intact: the index
    opens and its documents look unchanged)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        r[0]
        for r in conn.execute("SELECT rootpage FROM sqlite_master WHERE tbl_name IN ('sections', 'postings', 'facts')")
        if r[0]
    ]
    conn.close()
    data = bytearray(db.read_bytes())
    for number in roots:
        offset = (number - 1) * page
        data[offset : offset + page] = bytes([0xA5]) * page
    db.write_bytes(bytes(data))


def test_corrupted_pages_ask_for_a_rebuild(built: tuple[Path, Path]) -> None:
    corpus, index_dir = built
    _corrupt_pages(index_dir / DB_NAME)
    for command in (["ask", "Quel est le budget du fonds de soutien ?"], ["search", "budget"], ["facts"], ["status"]):
        result = run(*command, "--index-dir", str(index_dir))
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "--rebuild" in one_french_line(result), command
    index = run("index", str(corpus), "--index-dir", str(index_dir))
    assert index.returncode == 2 and "--rebuild" in one_french_line(index)
    assert "inchangé" not in index.stdout
    rebuilt = run("index", str(corpus), "--rebuild", "--index-dir", str(index_dir))
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert status(index_dir)["documents"] == 4


def test_scattered_damage_in_the_schema_asks_for_a_rebuild(built: tuple[Path, Path]) -> None:
    """Bytes overwritten across the file, the schema page included: SQLite hands back
    text that is not UTF-8; the user still gets one French line, not a traceback."""
    corpus, index_dir = built
    db = index_dir / DB_NAME
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = bytearray(db.read_bytes())
    for offset in range(200, len(data), 997):
        data[offset] = 0xAB
    db.write_bytes(bytes(data))
    for command in (["ask", "Quel est le budget du fonds de soutien ?"], ["search", "budget"], ["status"]):
        result = run(*command, "--index-dir", str(index_dir))
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert "--rebuild" in one_french_line(result), command
    rebuilt = run("index", str(corpus), "--rebuild", "--index-dir", str(index_dir))
    assert rebuilt.returncode == 0, rebuilt.stderr


def test_dropped_table_asks_for_a_rebuild(built: tuple[Path, Path]) -> None:
    _corpus, index_dir = built
    conn = sqlite3.connect(index_dir / DB_NAME)
    conn.execute("DROP TABLE facts")
    conn.commit()
    conn.close()
    for command in (["facts"], ["status"], ["ask", "Quel est le budget du fonds de soutien ?"]):
        result = run(*command, "--index-dir", str(index_dir))
        assert result.returncode == 2, (command, result.stderr)
        assert "--rebuild" in one_french_line(result) and "facts" in result.stderr


def test_foreign_database_is_refused_and_left_untouched(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    index_dir = tmp_path / "idx"
    index_dir.mkdir()
    foreign = index_dir / DB_NAME
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE clients (nom TEXT, solde REAL)")
    conn.execute("INSERT INTO clients VALUES ('Dupont', 12.5)")
    conn.commit()
    conn.close()
    digest = hashlib.sha256(foreign.read_bytes()).hexdigest()
    for extra in ([], ["--rebuild"]):
        result = run("index", str(corpus), *extra, "--index-dir", str(index_dir), "--no-facts")
        assert result.returncode == 2, result.stderr
        assert "pas un index de l'assistant" in one_french_line(result) and str(foreign) in result.stderr
    assert hashlib.sha256(foreign.read_bytes()).hexdigest() == digest
    assert sorted(p.name for p in index_dir.iterdir()) == [DB_NAME]
    assert run("status", "--index-dir", str(index_dir)).returncode == 2


# -- file names that are not UTF-8 -------------------------------------------------------------


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS file systems refuse names that are not UTF-8")
def test_file_name_not_in_utf8_is_indexed_and_shown_escaped(tmp_path: Path) -> None:
    corpus = folder(tmp_path, "corpus", {"rapport.txt": REPORT_A})
    with open(os.path.join(os.fsencode(corpus), b"caf\xe9-\xff.txt"), "wb") as handle:
        handle.write(REPORT_B.encode("utf-8"))
    index_dir = tmp_path / "idx"
    for _ in range(2):  # the second run must not crash on what the first wrote
        result = run("index", str(corpus), "--index-dir", str(index_dir), "--no-facts")
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert sorted(documents(index_dir)) == ["caf\\xe9-\\xff.txt", "rapport.txt"]
    found = run("search", "écoles rénovées", "--json", "-k", "1", "--index-dir", str(index_dir))
    assert json.loads(found.stdout)[0]["document"] == "caf\\xe9-\\xff.txt"
