"""Hostile input: every bad file is reported by name with a one-line reason, the good ones are indexed.

The CLI tests run ``python -m assistant index FOLDER`` for real on a folder
mixing good reports with broken, huge, locked, looping and disguised files,
and check the exit code (1), each failure's line in the summary and in
``assistant status``, the absence of any traceback, and that the good files
answer searches.
"""

from __future__ import annotations

import json
import os
import random
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from formats_fixtures import SENTENCES, build_docx, build_html, build_pdf

from assistant.ingest import IngestError, read_document
from assistant.ingest.limits import DEFAULT_MAX_BYTES, MAX_UNZIPPED_BYTES

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` in a subprocess."""
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=ROOT, env=env, timeout=120
    )


def zip_bomb(path: Path, megabytes: int = 300) -> None:
    """A .docx-looking archive whose document.xml inflates to `megabytes` of zeros (~1000:1)."""
    chunk = b"0" * (1024 * 1024)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        )
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            for _ in range(megabytes):
                member.write(chunk)


def huge_sparse_file(path: Path, size: int) -> None:
    """A text file of `size` bytes that takes no disk space (a sparse file)."""
    with open(path, "wb") as stream:
        stream.write(b"Rapport interminable.\n")
        stream.truncate(size)


GOOD_NAMES = {
    "rapport final (copie).txt": "Le programme orange a financé 35 projets de rénovation.\n",
    "été 2014 – synthèse.txt": "Synthèse estivale\n\nLe dispositif citron a accompagné 12 communes.\n",
    'l\'avis "citoyen" n°3.md': "# Avis citoyen\n\nLe panel framboise recommande de simplifier les démarches.\n",
}
"""Good files whose names hold spaces, accents, quotes — each with a word found nowhere else."""


@pytest.fixture(scope="module")
def hostile_folder(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A folder of good and hostile files; returns it with the expected reason (a fragment) of each bad file."""
    folder = tmp_path_factory.mktemp("hostile") / "rapports"
    folder.mkdir()
    for name, text in GOOD_NAMES.items():
        (folder / name).write_text(text, encoding="utf-8")
    build_pdf(folder / "bon rapport.pdf", sections=2)
    build_docx(folder / "évaluation.docx")
    build_html(folder / "page sauvegardée.html")
    rng = random.Random(42)
    reasons: dict[str, str] = {}

    def bad(name: str, data: bytes, reason: str) -> None:
        (folder / name).write_bytes(data)
        reasons[name] = reason

    bad("vide.txt", b"", "fichier vide")
    bad("aleatoire.txt", bytes(rng.randrange(256) for _ in range(4096)), "contenu binaire")
    bad("nul.txt", "Rapport d’activité\x00\x00\x00 2014\n".encode(), "octets nuls")
    pdf = folder / "bon rapport.pdf"
    bad("tronqué.pdf", pdf.read_bytes()[: pdf.stat().st_size // 2], "PDF tronqué")
    build_pdf(folder / "protégé.pdf", sections=2, password="secret")
    reasons["protégé.pdf"] = "mot de passe"
    bad("pas un zip.docx", "Ceci est un texte renommé en .docx\n".encode(), "n'est pas une archive ZIP")
    bad("ancien.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "Office 97-2003")
    zip_bomb(folder / "bombe.docx")
    reasons["bombe.docx"] = "bombe de décompression"
    huge_sparse_file(folder / "énorme.txt", 200 * 1024 * 1024)
    reasons["énorme.txt"] = "fichier trop volumineux : 200 Mo, limite 50 Mo"
    os.symlink("boucle.txt", folder / "boucle.txt")
    reasons["boucle.txt"] = "boucle de liens symboliques"
    os.symlink("..", folder / "sous-dossier-boucle")  # a folder loop: not followed
    os.mkfifo(folder / "tube.txt")
    reasons["tube.txt"] = "pas un fichier ordinaire"
    return folder, reasons


@pytest.fixture(scope="module")
def indexed(hostile_folder, tmp_path_factory):
    folder, reasons = hostile_folder
    index_dir = tmp_path_factory.mktemp("hostile-index") / "index"
    result = run("index", str(folder), "--index-dir", str(index_dir), "--no-facts")
    return folder, reasons, index_dir, result


def test_index_reports_each_bad_file_with_one_line(indexed) -> None:
    _folder, reasons, _index_dir, result = indexed
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert f"{len(GOOD_NAMES) + 3} ajoutés" in lines[0]
    assert f"{len(reasons)} en échec" in lines[0]
    failures = {
        line.split(" — ", 1)[0].removeprefix("  échec : "): line.split(" — ", 1)[1]
        for line in lines
        if line.startswith("  échec : ")
    }
    assert set(failures) == set(reasons)
    for name, fragment in reasons.items():
        assert fragment in failures[name], (name, failures[name])


def test_status_lists_the_failures(indexed) -> None:
    _folder, reasons, index_dir, _result = indexed
    status = json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)
    assert {f["path"]: f["reason"] for f in status["failures"]}.keys() == reasons.keys()
    assert status["documents"] == len(GOOD_NAMES) + 3
    text = run("status", "--index-dir", str(index_dir)).stdout
    for name, fragment in reasons.items():
        line = next(line for line in text.splitlines() if line.startswith(f"  {name} — "))
        assert fragment in line


@pytest.mark.parametrize(
    ("query", "document"),
    [
        ("programme orange rénovation", "rapport final (copie).txt"),
        ("dispositif citron communes", "été 2014 – synthèse.txt"),
        ("panel framboise démarches", 'l\'avis "citoyen" n°3.md'),
        ("durée moyenne missions aide conseil", None),
    ],
)
def test_good_files_are_searchable(indexed, query: str, document: str | None) -> None:
    _folder, _reasons, index_dir, _result = indexed
    result = run("search", query, "--json", "-k", "10", "--index-dir", str(index_dir))
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    if document is not None:
        assert hits[0]["document"] == document
    else:  # the sentence stands in the good PDF, DOCX and HTML reports
        assert {"bon rapport.pdf", "évaluation.docx", "page sauvegardée.html"} <= {h["document"] for h in hits}


def test_folder_symlink_loop_is_not_followed(indexed) -> None:
    _folder, _reasons, index_dir, _result = indexed
    status = json.loads(run("status", "--json", "--index-dir", str(index_dir)).stdout)
    paths = [f["path"] for f in status["failures"]]
    assert not [p for p in paths if p.startswith("sous-dossier-boucle/")]
    assert status["documents"] == len(GOOD_NAMES) + 3


def test_second_run_reports_the_failures_again_and_nothing_else(indexed) -> None:
    folder, reasons, index_dir, _result = indexed
    result = run("index", str(folder), "--index-dir", str(index_dir), "--no-facts")
    assert result.returncode == 1
    assert "0 ajouté," in result.stdout and f"{len(GOOD_NAMES) + 3} inchangés" in result.stdout
    assert f"{len(reasons)} en échec" in result.stdout


# --- permissions ---------------------------------------------------------------------


def _drop_file_capabilities() -> None:
    """In the child, before exec: drop CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH from the bounding set.

    Root keeps its uid (it can still run the interpreter under /root) but
    file permission bits now apply to it, as to any user.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP) refused")


def run_unprivileged(*args: str) -> subprocess.CompletedProcess:
    """`python -m assistant ARGS` with file permissions enforced (as root: without the DAC capabilities)."""
    env = {**os.environ}
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=120,
        preexec_fn=_drop_file_capabilities if os.geteuid() == 0 else None,
    )


def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    """A file the user may not read: reported, the rest indexed.

    Root reads every file, so as root the indexer runs without the
    capabilities that bypass permission bits (the test is skipped where they
    cannot be dropped).
    """
    folder = tmp_path / "rapports"
    folder.mkdir()
    (folder / "lisible.txt").write_text("Le programme pamplemousse a financé 8 projets.\n", encoding="utf-8")
    secret = folder / "secret.txt"
    secret.write_text("Texte confidentiel.\n", encoding="utf-8")
    os.chmod(secret, 0)
    index_dir = tmp_path / "index"
    try:
        result = run_unprivileged("index", str(folder), "--index-dir", str(index_dir), "--no-facts")
    except subprocess.SubprocessError as exc:
        pytest.skip(f"running as root, where file permissions do not apply, and the capabilities cannot be dropped ({exc})")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "  échec : secret.txt — lecture impossible : permission refusée" in result.stdout.splitlines()
    hits = json.loads(run_unprivileged("search", "pamplemousse", "--json", "--index-dir", str(index_dir)).stdout)
    assert hits[0]["document"] == "lisible.txt"
    status = json.loads(run_unprivileged("status", "--json", "--index-dir", str(index_dir)).stdout)
    assert status["failures"] == [{"path": "secret.txt", "reason": "lecture impossible : permission refusée"}]


# --- read_document, in process ---------------------------------------------------------


def test_size_limit_is_a_parameter(tmp_path: Path) -> None:
    path = tmp_path / "moyen.txt"
    path.write_text("Le rapport détaille 12 actions.\n" * 40_000, encoding="utf-8")  # ~1,3 MB
    assert read_document(path, path.name).size == path.stat().st_size
    with pytest.raises(IngestError, match=r"fichier trop volumineux : 1,3 Mo, limite 1,0 Mo \(option --max-file-mb\)"):
        read_document(path, path.name, max_bytes=1024 * 1024)
    assert DEFAULT_MAX_BYTES == 50 * 1024 * 1024


def test_zip_bomb_is_refused_before_inflating(tmp_path: Path) -> None:
    import resource
    import time

    path = tmp_path / "bombe.docx"
    zip_bomb(path, megabytes=512)
    assert path.stat().st_size < 2 * 1024 * 1024
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    with pytest.raises(IngestError, match="bombe de décompression"):
        read_document(path, path.name)
    assert time.perf_counter() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 100 * 1024  # KB: nothing was inflated


def test_many_small_members_exceeding_the_total_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "gonflé.odt"
    member = b"<p>" + b"a" * (1024 * 1024) + b"</p>"  # 1 MB each, under the per-member ratio floor
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", compress_type=zipfile.ZIP_STORED)
        for number in range(MAX_UNZIPPED_BYTES // len(member) + 2):
            archive.writestr(f"Pictures/p{number}.xml", member)
    with pytest.raises(IngestError, match="une fois décompressée"):
        read_document(path, path.name)


@pytest.mark.parametrize(
    ("name", "payload", "reason"),
    [
        ("xml.odt", None, "entités XML"),
        ("classeur.odt", "application/vnd.oasis.opendocument.spreadsheet", "n'est pas un texte OpenDocument"),
        ("sans-document.docx", "docx-empty", "docx"),
        ("casse.html", b"<html><body><p>R\xe9sultats d\xe9finitifs \x00\x00\x00", "octets nuls"),
    ],
)
def test_broken_office_and_html_files(tmp_path: Path, name: str, payload, reason: str) -> None:
    path = tmp_path / name
    if name == "xml.odt":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
            archive.writestr(
                "content.xml",
                '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;">]><x>&b;</x>',
            )
    elif name.endswith(".odt"):
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("mimetype", payload)
            archive.writestr("content.xml", "<x/>")
    elif payload == "docx-empty":
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("readme.txt", "pas un document Word")
    else:
        path.write_bytes(payload)
    with pytest.raises(IngestError) as caught:
        read_document(path, name)
    message = str(caught.value)
    assert reason in message and "\n" not in message and "Traceback" not in message


def test_random_bytes_in_every_format_give_one_line(tmp_path: Path) -> None:
    rng = random.Random(3)
    for suffix in (".txt", ".md", ".pdf", ".docx", ".odt", ".html"):
        for size in (1, 17, 2048):
            data = bytes(rng.randrange(256) for _ in range(size))
            path = tmp_path / f"bruit{suffix}"
            path.write_bytes(data)
            try:
                read_document(path, path.name)
            except IngestError as exc:
                assert "\n" not in str(exc) and str(exc)


def test_fifo_does_not_block(tmp_path: Path) -> None:
    path = tmp_path / "tube.txt"
    os.mkfifo(path)
    assert stat.S_ISFIFO(os.stat(path).st_mode)
    with pytest.raises(IngestError, match="pas un fichier ordinaire"):
        read_document(path, path.name)


def test_sentences_fixture_is_french() -> None:
    assert all("’" in s or "é" in s for s in SENTENCES[:3])
