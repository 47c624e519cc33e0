"""Attack tally: run the hostile-input attack classes of issue 17 on generated fixtures, print JSON.

    .venv/bin/python tests/benchmarks/attack_run.py [--quick]

Each attack is run for real (the CLI in a subprocess, or one reader in a child
process that reports its own peak RSS, ``VmHWM``) and counts as *survived*
when the promise holds: bounded time, bounded memory, the file reported by
name with one French line, nothing raw on the terminal, no line lost but the
bad one.  The output is one JSON object: for each class, ``tried``,
``survived`` and the attacks that failed with what was seen.  ``--quick``
uses smaller fixtures (a few minutes less).
"""

from __future__ import annotations

import argparse
import base64
import errno
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))  # this tree's package, also when the script is copied beside another checkout

from test_hostile_memory import _lying_docx, _markup_heavy_docx, _markup_heavy_odt  # noqa: E402

SECONDS_PER_FILE = 30.0
"""A pass over one hostile file must end within this (it used to run for minutes)."""

READ_RSS_MB = 250
"""Peak RSS of reading one hostile file (read and sectioned): a few times the 50 MB a file may have."""


def cli(*args: str, cwd: Path = ROOT, timeout: float = 600) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}  # this tree's package, whatever the working folder
    env.pop("ASSISTANT_INDEX_DIR", None)
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout
    )


def child_peak(code: str, *args: str, timeout: float = 600) -> tuple[int, float, float, str]:
    """Run Python `code` in a child: (exit code, its own peak RSS in MB, seconds, output)."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        try:
            child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
        _pid, status, usage = os.wait4(child.pid, 0) if child.returncode is None else (0, 0, None)
        if usage is None:  # already reaped by wait(): fall back on the children's maximum
            import resource

            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            code_ = child.returncode
        else:
            peak = usage.ru_maxrss / 1024
            code_ = os.waitstatus_to_exitcode(status)
        out.seek(0)
        return code_, peak, time.perf_counter() - started, out.read()[-500:]


_PIPELINE = """
import sys
from pathlib import Path
from assistant.analysis.analyzer import analyze
from assistant.analysis.numbers import find_figures_and_codes
from assistant.ingest import IngestError, read_document, split_sections
path = Path(sys.argv[1])
try:
    doc = read_document(path, path.name, max_bytes=200 * 1024 * 1024)
    for s in split_sections(doc):
        analyze(s.text)
    find_figures_and_codes(doc.text)
    print("lu", len(doc.text))
except IngestError as exc:
    print("refusé", exc)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("pic", int(hwm.split()[1]))
"""


_READ = """
import sys
from pathlib import Path
from assistant.ingest import IngestError, read_document, split_sections
path = Path(sys.argv[1])
try:
    doc = read_document(path, path.name, max_bytes=200 * 1024 * 1024)
    split_sections(doc)
    print("lu", len(doc.text))
except IngestError as exc:
    print("refusé", exc)
hwm = next(line for line in open("/proc/self/status") if line.startswith("VmHWM:"))
print("pic", int(hwm.split()[1]))
"""


def _spawn_peak(path: Path, timeout: float, code: str = _PIPELINE) -> tuple[int, float, float, str]:
    """Run `code` on `path` in a child (default: the pipeline short of spaCy); its own peak RSS via wait4."""
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as out:
        child = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=out, stderr=subprocess.STDOUT, cwd=ROOT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                child.kill()
                pid, status, usage = os.wait4(child.pid, 0)
                out.seek(0)
                return -9, usage.ru_maxrss / 1024, time.perf_counter() - started, "tué : délai dépassé"
            time.sleep(0.05)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        said, _, peak = out.read().strip().rpartition("\npic ")
        own = int(peak) / 1024 if peak.isdigit() else usage.ru_maxrss / 1024  # VmHWM: this child's own peak
        return child.returncode, own, time.perf_counter() - started, said[-300:]


class Tally:
    def __init__(self) -> None:
        self.classes: dict[str, dict] = {}

    def attack(self, klass: str, name: str, check: Callable[[], tuple[bool, str]]) -> None:
        entry = self.classes.setdefault(klass, {"tried": 0, "survived": 0, "failed": []})
        entry["tried"] += 1
        try:
            ok, seen = check()
        except Exception as exc:  # an attack that crashes the harness counts as a failure
            ok, seen = False, f"{type(exc).__name__}: {exc}"[:300]
        if ok:
            entry["survived"] += 1
        else:
            entry["failed"].append({"attack": name, "seen": seen})
        print(f"[{klass}] {name}: {'ok' if ok else 'ÉCHEC'} — {seen}", file=sys.stderr, flush=True)


def slow_text_fixtures(scale: int) -> dict[str, str]:
    rng = random.Random(17)
    b64 = base64.b64encode(rng.randbytes(750_000 // scale)).decode()
    return {
        "image-base64.md": "# Rapport\n\nLe programme a financé 12 projets.\n\n![plan](data:image/png;base64," + b64 + ")\n",
        "jeton-sans-espace.txt": "Voir la note 12 : " + "x" * (400_000 // scale) + "@\n",
        "cent-mille-chiffres.txt": "Le total atteint " + "7" * (100_000 // scale) + " euros.\n",
        "appels-de-note.txt": "Total " + "1" * (100_000 // scale) + " ( " * 2000 + "\n",
        "commentaire-ouvert.html": "<p>Le programme a financé 12 projets.</p><!--" + b64,
        "attribut-ouvert.html": '<p>Le programme a financé 12 projets.</p><a href="' + b64,
        "deluge-exclamations.html": "<p>Le programme a financé 12 projets.</p>" + "<!" * (500_000 // scale),
        "deluge-chevrons.html": "<p>Le programme a financé 12 projets.</p>" + "<" * (1_000_000 // scale),
        "deluge-liens.html": "<p>Le programme a financé 12 projets.</p>" + "<a" * (500_000 // scale),
        "divs-imbriques.html": "<div>" * (100_000 // scale) + "<p>Le programme a financé 12 projets.</p>",
        "div-span-non-fermes.html": "<div><span>" * (100_000 // scale) + "<p>Le programme a financé 12 projets.</p>",
    }


def run_text(tally: Tally, work: Path, scale: int) -> None:
    folder = work / "texte"
    folder.mkdir()
    for name, text in slow_text_fixtures(scale).items():
        path = folder / name
        path.write_text(text, encoding="utf-8")

        def check(path: Path = path) -> tuple[bool, str]:
            code, peak, seconds, said = _spawn_peak(path, SECONDS_PER_FILE * 2)
            ok = code == 0 and seconds < SECONDS_PER_FILE and said.startswith(("lu", "refusé"))
            return ok, f"{seconds:.1f} s, {peak:.0f} Mo, {said.strip()[:80]}"

        tally.attack("texte super-linéaire", name, check)


def run_budget(tally: Tally, work: Path) -> None:
    folder = work / "budget"
    folder.mkdir()
    sentence = "Le programme régional a financé 35 projets de rénovation pour 12 500 euros en 2014. "
    (folder / "a-enorme.txt").write_text(sentence * 70_000, encoding="utf-8")
    (folder / "b-petit.txt").write_text("Le dispositif citron a accompagné 12 communes.\n", encoding="utf-8")
    for workers in ("1", "2"):
        if workers == "2":
            for i in range(24):
                (folder / f"c-{i:02d}.txt").write_text(f"Le dispositif kiwi aide {i + 2} communes.\n", encoding="utf-8")

        def check(workers: str = workers) -> tuple[bool, str]:
            os.environ["ASSISTANT_INDEX_WORKERS"] = workers
            try:
                r = cli(
                    "index",
                    str(folder),
                    "--index-dir",
                    str(work / f"idx-budget-{workers}"),
                    "--quiet",
                    "--no-facts",
                    "--max-file-seconds",
                    "1",
                )
            finally:
                os.environ.pop("ASSISTANT_INDEX_WORKERS", None)
            ok = r.returncode == 1 and "échec : a-enorme.txt — fichier trop complexe à analyser" in r.stdout
            return ok, r.stdout.strip().splitlines()[0][:120] if r.stdout.strip() else r.stderr[-200:]

        tally.attack("budget par fichier", f"fichier de 6 Mo, budget 1 s, {workers} processus", check)


def run_memory(tally: Tally, work: Path, scale: int) -> None:
    folder = work / "memoire"
    folder.mkdir()
    cases: list[tuple[str, Callable[[Path], None], str]] = [
        ("balisage.docx", lambda p: _markup_heavy_docx(p, 300_000 // scale), "lu"),
        ("balisage.odt", lambda p: _markup_heavy_odt(p, 500_000 // scale), "lu"),
        ("entete-menteur.docx", lambda p: _lying_docx(p, 1000 // scale), "refusé"),
        ("ratio-43.docx", lambda p: _ratio_docx(p, 3_900_000 // scale), ""),
        ("une-ligne-50-Mo.txt", lambda p: _one_line(p, 50_000_000 // scale), "lu"),
    ]
    for name, build, expected in cases:
        path = folder / name
        build(path)

        def check(path: Path = path, expected: str = expected) -> tuple[bool, str]:
            code, peak, seconds, said = _spawn_peak(path, 300, _READ)
            ok = code == 0 and peak < READ_RSS_MB and said.startswith(expected)
            return ok, f"{peak:.0f} Mo en pointe, {seconds:.1f} s, {said.strip()[:90]}"

        tally.attack("mémoire", name, check)
    # The whole index run of the one-line file (store rows included), for the record.
    one_line = folder / "une-ligne-50-Mo.txt"
    sub = work / "une-ligne"
    sub.mkdir()
    os.link(one_line, sub / one_line.name)

    def index_check() -> tuple[bool, str]:
        code = (
            "import sys; from assistant.cli import main; rc = main(['index', sys.argv[1], '--index-dir', sys.argv[2], "
            "'--quiet', '--no-facts']); "
            "hwm = next(x for x in open('/proc/self/status') if x.startswith('VmHWM:')); "
            "print('pic', int(hwm.split()[1])); sys.exit(rc)"
        )
        rc, peak, seconds, said = child_peak(code, str(sub), str(work / "idx-une-ligne"))
        own = said.strip().rpartition("pic ")[2]
        peak = int(own) / 1024 if own.isdigit() else peak
        return rc == 0 and peak < 4 * READ_RSS_MB, f"index complet : {peak:.0f} Mo en pointe, {seconds:.1f} s"

    tally.attack("mémoire", "index complet d'une ligne de 50 Mo (--no-facts)", index_check)


def _ratio_docx(path: Path, paragraphs: int) -> None:
    """A .docx whose document.xml inflates ~40× to ~250 MB (under the ratio check, over the part cap)."""
    import zipfile

    from test_hostile_memory import _CONTENT_TYPES, _RELS, W

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            member.write(f'<?xml version="1.0"?><w:document xmlns:w="{W}"><w:body>'.encode())
            for start in range(0, paragraphs, 10_000):
                member.write(
                    "".join(
                        f"<w:p><w:r><w:t>Le paragraphe {i} du rapport.</w:t></w:r></w:p>" for i in range(start, start + 10_000)
                    ).encode()
                )
            member.write(b"</w:body></w:document>")


def _one_line(path: Path, size: int) -> None:
    sentence = "Le programme régional a financé 35 projets de rénovation pour 12 500 euros en 2014 "
    path.write_text(sentence * (size // len(sentence)), encoding="utf-8")


def run_links(tally: Tally, work: Path) -> None:
    from assistant.retrieval import indexer

    secret = work / "ailleurs" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("Le mot de passe zanzibar ouvre le coffre.\n", encoding="utf-8")
    folder = work / "liens"
    folder.mkdir()
    (folder / "bon.txt").write_text("Le dispositif citron a accompagné 12 communes.\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to("/etc/passwd")
    (folder / "secret.txt").symlink_to(secret)
    (folder / "boucle.txt").symlink_to(folder / "boucle.txt")
    index = str(work / "idx-liens")

    def outside() -> tuple[bool, str]:
        r = cli("index", str(folder), "--index-dir", index, "--quiet", "--no-facts")
        leaked = cli("search", "zanzibar root", "--index-dir", index).stdout
        ok = (
            "échec : passwd.txt — lien symbolique" in r.stdout
            and "échec : secret.txt — lien symbolique" in r.stdout
            and "zanzibar" not in leaked
            and "root:" not in leaked
        )
        return ok, " | ".join(line.strip() for line in r.stdout.splitlines()[1:])[:200]

    tally.attack("fichiers hors du dossier", "liens vers /etc/passwd et vers un fichier voisin", outside)

    def loop() -> tuple[bool, str]:
        r = cli("index", str(folder), "--index-dir", index, "--quiet", "--no-facts")
        return "boucle.txt — " in r.stdout, next((x for x in r.stdout.splitlines() if "boucle" in x), "")[:120]

    tally.attack("fichiers hors du dossier", "lien qui boucle", loop)

    def unreadable() -> tuple[bool, str]:
        (folder / "privé").mkdir(exist_ok=True)
        (folder / "privé" / "caché.txt").write_text("Texte.\n", encoding="utf-8")
        real = os.scandir

        def scandir(path=None):  # root reads chmod-000 folders: simulate the refusal where os.walk meets it
            if str(path).endswith("privé"):
                raise PermissionError(errno.EACCES, "Permission denied", str(path))
            return real(path)

        indexer.os.scandir = scandir  # type: ignore[assignment]
        try:
            files, _ = indexer.collect([folder], frozenset({".txt"}))
        finally:
            indexer.os.scandir = real  # type: ignore[assignment]
        reasons = {f.rel: f.refused for f in files}
        return reasons.get("privé/", "").startswith("dossier illisible"), reasons.get("privé/", "(non signalé)")

    tally.attack("fichiers hors du dossier", "sous-dossier illisible", unreadable)


def run_names(tally: Tally, work: Path) -> dict[str, str]:
    folder = work / "noms"
    folder.mkdir()
    filler = "Le comité de suivi s'est réuni deux fois dans l'année pour examiner le programme. " * 30
    escapes = "\x1b]52;c;aGFjaw==\x07\x1b]0;titre piégé\x07\x1b[31mrouge\x1b[0m"
    (folder / "pomelo.txt").write_text(
        f"Bilan pomelo\n\nLe programme pomelo a financé 12 projets de rénovation {escapes} en 2014.\n\n{filler}\n",
        encoding="utf-8",
    )
    (folder / "vide\n  échec : bon.txt — faux message.txt").write_bytes(b"")
    (folder / "rapport`<img src=x onerror=alert(1)>`.txt").write_text(
        "Le dispositif kumquat a accompagné 27 communes rurales.\n", encoding="utf-8"
    )
    (folder / "titre\x1b]0;piégé\x07.txt").write_bytes(b"")
    index = str(work / "idx-noms")
    first = cli("index", str(folder), "--index-dir", index, "--quiet")

    def forged() -> tuple[bool, str]:
        lines = first.stdout.splitlines()
        ok = not any(line.startswith("  échec : bon.txt") for line in lines) and "\x1b" not in first.stdout
        return ok, " | ".join(lines[1:])[:200]

    tally.attack("noms, chemins et octets", "nom avec retour à la ligne et échappements", forged)
    for command, query in (("ask", "Combien de projets le programme pomelo a-t-il financés ?"), ("search", "pomelo rénovation")):

        def raw(command: str = command, query: str = query) -> tuple[bool, str]:
            r = cli(command, query, "--index-dir", index)
            return r.returncode == 0 and "\x1b" not in r.stdout and "\x07" not in r.stdout, repr(r.stdout[:100])

        tally.attack("noms, chemins et octets", f"{command} : échappements de terminal du rapport", raw)

    def device() -> tuple[bool, str]:
        q = work / "q.txt"
        q.write_text("Combien de projets le programme pomelo a-t-il financés ?\n", encoding="utf-8")
        target = work / "tube.md"
        os.mkfifo(target)  # a FIFO stands for /dev/null: never replace a real device in a test
        r = cli("batch", str(q), "-o", str(target), "--force", "--index-dir", index)
        import stat

        return r.returncode == 2 and stat.S_ISFIFO(os.lstat(target).st_mode), r.stderr.strip()[:150]

    tally.attack("noms, chemins et octets", "batch -o vers un tube/périphérique --force", device)
    return {"index": index, "folder": str(folder)}


def run_questions(tally: Tally, work: Path, index: str) -> None:
    from assistant.qa.question import understand

    def analysed(question: str) -> Callable[[], tuple[bool, str]]:
        def check() -> tuple[bool, str]:
            started = time.perf_counter()
            understand(question)
            seconds = time.perf_counter() - started
            return seconds < 5, f"{seconds:.2f} s"

        return check

    tally.attack("questions", "nombre de 5 000 chiffres (analyse)", analysed("Combien pour " + "7" * 5000 + " euros ?"))
    tally.attack("questions", "chiffres pleine chasse et arabes", analysed("Combien en ２０１４ et " + "٣" * 5000 + " ?"))

    def capped() -> tuple[bool, str]:
        started = time.perf_counter()
        r = cli("ask", "combien " * 4000, "--index-dir", index)
        seconds = time.perf_counter() - started
        ok = r.returncode == 2 and "Question trop longue" in r.stderr and seconds < 30
        return ok, f"{seconds:.1f} s, {r.stderr.strip()[:100]}"

    tally.attack("questions", "ask « combien » × 4 000 (32 Ko)", capped)

    def capped_in_batch() -> tuple[bool, str]:
        f = work / "longue.txt"  # 160 KB: too long for one command-line argument, fine in a question file
        f.write_text(
            "combien " * 20_000 + "\nCombien de communes le dispositif kumquat a-t-il accompagnées ?\n", encoding="utf-8"
        )
        out = work / "longue-out.jsonl"
        started = time.perf_counter()
        r = cli("batch", str(f), "-o", str(out), "--index-dir", index)
        seconds = time.perf_counter() - started
        answers = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()] if out.exists() else []
        ok = (
            r.returncode == 0
            and len(answers) == 2
            and answers[0]["abstained"]
            and "Question trop longue" in answers[0]["answer"]
            and seconds < 60
        )
        return ok, f"{seconds:.1f} s, {answers[0]['answer'][:70] if answers else r.stderr[-100:]}"

    tally.attack("questions", "batch « combien » × 20 000 (160 Ko)", capped_in_batch)

    def nested() -> tuple[bool, str]:
        f = work / "imbrique.jsonl"
        f.write_text(
            '{"question": "Combien de projets pomelo ?"}\n' + "[" * 100_000 + '\n{"question": "Combien de communes kumquat ?"}\n',
            encoding="utf-8",
        )
        out = work / "imbrique-out.jsonl"
        r = cli("batch", str(f), "-o", str(out), "--index-dir", index)
        answered = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
        return (
            r.returncode == 1 and answered == 2 and ":2: ligne ignorée" in r.stderr,
            f"{answered} réponses, exit {r.returncode}",
        )

    tally.attack("questions", "JSONL de 100 000 « [ » imbriqués", nested)

    def quote() -> tuple[bool, str]:
        f = work / "guillemet.csv"
        f.write_text('id,question\na,"Combien de projets pomelo ?\nb,Combien de communes kumquat ?\n', encoding="utf-8")
        out = work / "guillemet-out.jsonl"
        r = cli("batch", str(f), "-o", str(out), "--index-dir", index)
        answered = len(out.read_text(encoding="utf-8").splitlines()) if out.exists() else 0
        return (
            r.returncode == 1 and answered == 1 and ":2: ligne ignorée" in r.stderr,
            f"{answered} réponse(s), exit {r.returncode}",
        )

    tally.attack("questions", "CSV à guillemet non fermé", quote)
    for value in ("-1", "nan"):

        def limit(value: str = value) -> tuple[bool, str]:
            r = cli("index", str(work / "q.txt"), "--index-dir", str(work / "idx-x"), "--max-file-mb", value)
            return r.returncode == 2 and "positif attendu" in r.stderr, r.stderr.strip().splitlines()[-1][:120]

        tally.attack("questions", f"--max-file-mb {value}", limit)


def run_outputs(tally: Tally, work: Path, index: str) -> None:
    q = work / "kumquat.txt"
    q.write_text("Combien de communes le dispositif kumquat a-t-il accompagnées ?\n", encoding="utf-8")
    for fmt in ("md", "html"):

        def pack(fmt: str = fmt) -> tuple[bool, str]:
            out = work / f"dossier.{fmt}"
            r = cli("batch", str(q), "-o", str(out), "--index-dir", index, cwd=work)
            text = out.read_text(encoding="utf-8") if out.exists() else ""
            if fmt == "md":
                raw_tags = len(re.findall(r"(?<!\\)<img", text))
                ok = raw_tags == text.count("``rapport`<img src=x onerror=alert(1)>`.txt``") and "kumquat" in text
            else:
                ok = "<img" not in text and "kumquat" in text
            ok = ok and r.returncode == 0 and str(work) not in text
            return ok, f"exit {r.returncode}, chemins relatifs : {str(work) not in text}"

        tally.attack("sorties", f"nom piégé et chemins dans le dossier {fmt}", pack)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller fixtures")
    args = parser.parse_args()
    scale = 4 if args.quick else 1
    tally = Tally()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="attaques-") as tmp:
        work = Path(tmp)
        run_text(tally, work, scale)
        run_budget(tally, work)
        run_memory(tally, work, scale)
        run_links(tally, work)
        names = run_names(tally, work)
        run_questions(tally, work, names["index"])
        run_outputs(tally, work, names["index"])
    total = {
        "tried": sum(c["tried"] for c in tally.classes.values()),
        "survived": sum(c["survived"] for c in tally.classes.values()),
    }
    print(
        json.dumps(
            {"classes": tally.classes, "total": total, "seconds": round(time.perf_counter() - started)},
            ensure_ascii=False,
            indent=2,
        )
    )
    return 0 if total["tried"] == total["survived"] else 1


if __name__ == "__main__":
    sys.exit(main())
