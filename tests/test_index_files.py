"""Which files of a folder `assistant index` reads: office lock files are not documents."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def run(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ASSISTANT_INDEX_DIR"}
    return subprocess.run([sys.executable, "-m", "assistant", *args], capture_output=True, text=True, env=env, timeout=600)


def test_office_lock_files_are_skipped(tmp_path: Path) -> None:
    folder = tmp_path / "arrets"
    folder.mkdir()
    (folder / "arret.txt").write_text("ARRÊT\n\nLa Cour a statué sur 3 comptes.\n", encoding="utf-8")
    # what Word writes beside an open document: the user's name, 162 bytes, not a zip
    (folder / "~$arret.docx").write_bytes(b"\x18Dupont, Marie" + b"\x00" * 148)
    index_dir = tmp_path / "index"
    result = run("index", str(folder), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 0, result.stdout + result.stderr
    status = json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)
    assert status["documents"] == 1 and status["failures"] == []
