"""Files from outside the indexed folder: links that leave it are refused, unreadable folders are reported."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.retrieval import indexer
from assistant.retrieval.indexer import LINK_OUTSIDE, collect

ROOT = Path(__file__).resolve().parents[1]
SUFFIXES = frozenset({".txt", ".md"})


def run(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=300
    )


@pytest.fixture()
def linked(tmp_path: Path) -> Path:
    """A folder with a good report, a link to a secret file outside it, and a link to a file inside it."""
    secret = tmp_path / "ailleurs" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Le mot de passe zanzibar ouvre le coffre de 42 lingots.\n", encoding="utf-8")
    folder = tmp_path / "rapports"
    folder.mkdir()
    (folder / "bon.txt").write_text("Le dispositif citron a accompagné 12 communes.\n", encoding="utf-8")
    (folder / "fuite.txt").symlink_to(secret)
    (folder / "alias.txt").symlink_to(folder / "bon.txt")
    return folder


def test_walk_refuses_links_leaving_the_folder(linked: Path) -> None:
    files, _folders = collect([linked], SUFFIXES)
    by_name = {f.rel: f.refused for f in files}
    assert by_name == {"alias.txt": "", "bon.txt": "", "fuite.txt": LINK_OUTSIDE}
    files, _folders = collect([linked], SUFFIXES, follow_links=True)
    assert all(not f.refused for f in files)


def test_index_reports_the_outside_link_and_never_reads_it(linked: Path, tmp_path: Path) -> None:
    index = str(tmp_path / "index")
    result = run("index", str(linked), "--index-dir", index, "--quiet", "--no-facts")
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"échec : fuite.txt — {LINK_OUTSIDE}" in result.stdout
    assert "2 ajoutés" in result.stdout
    search = run("search", "zanzibar", "--index-dir", index)
    assert "zanzibar" not in search.stdout
    assert "Aucune section" in search.stdout
    followed = run("index", str(linked), "--index-dir", index, "--quiet", "--no-facts", "--follow-links")
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert "zanzibar" in run("search", "zanzibar", "--index-dir", index).stdout
    # Indexed once with the option, refused again without it: the secret leaves the index.
    again = run("index", str(linked), "--index-dir", index, "--quiet", "--no-facts")
    assert "retiré : fuite.txt" in again.stdout
    assert "zanzibar" not in run("search", "zanzibar", "--index-dir", index).stdout


def test_unreadable_sub_folder_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Root reads chmod-000 folders, so the refusal of the OS is simulated where os.walk meets it: os.scandir."""
    folder = tmp_path / "rapports"
    (folder / "privé").mkdir(parents=True)
    (folder / "privé" / "caché.txt").write_text("Texte.\n", encoding="utf-8")
    (folder / "bon.txt").write_text("Texte.\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path=None):
        if str(path).endswith("privé"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(indexer.os, "scandir", scandir)
    files, _folders = collect([folder], SUFFIXES)
    by_name = {f.rel: f.refused for f in files}
    assert by_name["bon.txt"] == ""
    assert by_name["privé/"].startswith("dossier illisible (permission refusée)")
    assert "privé/caché.txt" not in by_name


def test_documents_under_an_unreadable_folder_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from assistant.retrieval.indexer import run_index
    from assistant.retrieval.store import Store

    folder = tmp_path / "rapports"
    (folder / "privé").mkdir(parents=True)
    (folder / "privé" / "caché.txt").write_text("Le dispositif pamplemousse aide 7 communes.\n", encoding="utf-8")
    (folder / "bon.txt").write_text("Le dispositif citron a accompagné 12 communes.\n", encoding="utf-8")
    store = Store(tmp_path / "index", create=True)
    first = run_index(store, [folder], with_facts=False, workers=1)
    assert sorted(first.added) == ["bon.txt", "privé/caché.txt"]
    real_scandir = os.scandir

    def scandir(path=None):
        if str(path).endswith("privé"):
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(indexer.os, "scandir", scandir)
    second = run_index(store, [folder], with_facts=False, workers=1)
    assert second.removed == []
    assert [f.path for f in second.failed] == ["privé/"]
    assert "privé/caché.txt" in {doc.path for doc in store.known_documents().values()}
