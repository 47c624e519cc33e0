"""Incremental indexing: files → documents → sections + facts → the store.

A run walks the given files and folders, skips documents whose content is
already indexed (same size and mtime, or same SHA-256), re-indexes changed
ones, drops documents that vanished from the folders being indexed (never
another folder's: a document's identity is its file), keeps out the files the
user removed (until they are indexed again by name), and records every file
that fails with a one-line reason.  Each document is committed in its
own transaction, so an interrupted run loses nothing already committed and
the next run completes it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from threading import Event, Thread

from assistant.analysis.analyzer import analyze
from assistant.config import Settings
from assistant.models import Document, IndexProgress, IndexReport, Section
from assistant.retrieval.budget import BudgetExceeded, budget_message, time_budget
from assistant.retrieval.store import KnownDocument, Store, document_rows, safe_text

ProgressCallback = Callable[[IndexProgress], None]
"""Called after each file with the run's progress."""


class UsageError(Exception):
    """The user asked for something impossible (e.g. a path that does not exist)."""


@dataclass(frozen=True)
class SourceFile:
    """A file to index and the name it gets in the index."""

    path: Path
    """Absolute path of the file."""
    rel: str
    """Path relative to the indexed folder (POSIX): the name it is cited by, unless another folder holds the same."""
    root: str
    """The folder (absolute) the file was found under, or the file itself when given by name."""
    from_folder: bool
    """True when found by walking a folder (so it can vanish from it)."""
    refused: str = ""
    """Why the walk refused this entry without reading it (a link leaving the folder, an unreadable
    folder — then `rel` ends with '/'); '' for a file to read."""

    @property
    def source(self) -> str:
        """The document's identity in the index: the file's absolute path (undecodable bytes escaped)."""
        return safe_text(str(self.path))


LINK_OUTSIDE = "lien symbolique vers un fichier hors du dossier indexé : ignoré (option --follow-links pour le suivre)"
"""The reason given for a symbolic link that leaves the indexed folder."""


def _walk(folder: Path, suffixes: frozenset[str], follow_links: bool = False) -> Iterator[tuple[Path, str]]:
    """Files under `folder` with a supported suffix, sorted, hidden entries skipped, each with a refusal reason.

    Office lock files are skipped too (``~$rapport.docx``: the 162 bytes Word
    or LibreOffice writes beside a document while it is open hold only a user
    name, never a report).

    The reason is '' for a file to read.  Symbolic links to folders are not
    followed (no loops); a link to a file outside `folder` is refused (it
    would put any file of the machine in the index) unless `follow_links`;
    an unreadable folder is yielded with its reason (a trailing '/'), not
    skipped silently.
    """
    from assistant.ingest.reader import os_error_reason

    errors: list[OSError] = []
    root = os.path.realpath(folder)

    def unreadable() -> Iterator[tuple[Path, str]]:
        while errors:
            exc = errors.pop(0)
            where = Path(exc.filename) if exc.filename else folder
            yield where, f"dossier illisible ({os_error_reason(exc)}) : ses fichiers ne sont pas indexés"

    for dirpath, dirnames, filenames in os.walk(folder, onerror=errors.append):
        yield from unreadable()
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith((".", "~$")):
                continue
            if Path(name).suffix.lower() in suffixes:
                path = Path(dirpath) / name
                reason = ""
                if not follow_links and path.is_symlink():
                    target = os.path.realpath(path)
                    if os.path.commonpath([root, target]) != root:
                        reason = LINK_OUTSIDE
                yield path, reason
    yield from unreadable()


def check_paths(paths: list[Path]) -> None:
    """Raise :class:`UsageError` for the first path that does not exist (before anything is created)."""
    for given in paths:
        if not given.exists():
            raise UsageError(f"{safe_text(str(given))} : fichier ou dossier introuvable — vérifiez le chemin")


def collect(paths: list[Path], suffixes: frozenset[str], follow_links: bool = False) -> tuple[list[SourceFile], list[str]]:
    """The files to index under `paths` (each file once), and the folders walked (absolute)."""
    check_paths(paths)
    files: list[SourceFile] = []
    folders: list[str] = []
    for given in paths:
        absolute = given.resolve()
        if absolute.is_dir():
            folders.append(safe_text(str(absolute)))
            for found, refused in _walk(absolute, suffixes, follow_links):
                rel = found.relative_to(absolute).as_posix() if found != absolute else "."
                if refused and refused != LINK_OUTSIDE:  # a folder
                    rel = rel.rstrip("/") + "/"
                files.append(SourceFile(found, rel, str(absolute), True, refused))
        else:
            files.append(SourceFile(absolute, absolute.name, str(absolute), False))
    seen: set[str] = set()
    unique: list[SourceFile] = []
    for source in files:
        if source.source not in seen:
            seen.add(source.source)
            unique.append(source)
    return unique, folders


def _prepare(source: SourceFile, settings: Settings) -> tuple[Document, list[Section], list[list[str]]]:
    """Read one file into its document, sections and analysed tokens."""
    from assistant.ingest import MB, read_document, split_sections

    doc = read_document(source.path, source.rel, max_bytes=int(settings.max_file_mb * MB))
    sections = split_sections(doc, passage_chars=settings.passage_chars)
    heading_tokens = {}
    tokens = []
    for s in sections:
        key = tuple(s.heading_path)
        if key not in heading_tokens:
            heading_tokens[key] = analyze(" ".join(s.heading_path))
        body = analyze(s.text)
        # The heading path is searchable from every passage under it, once.
        extra = [t for t in heading_tokens[key] if t not in body]
        tokens.append(body + extra)
    return doc, sections, tokens


# --- one chunk of files: the unit of work of a worker process --------------------

# A chunk's result, one entry per file, in order:
#   ("failed", reason)                          the file could not be read
#   ("same", mtime)                             same content as indexed, new mtime
#   ("ok", rows, sections, facts, problem)      DocumentRows to write, its counts, and why
#                                               its facts could not be extracted (or None)
ChunkResult = list[tuple]


def _read_file(source: SourceFile, known_sha: str | None, settings: Settings) -> tuple:
    """One file read, split and analysed: its entry of a :data:`ChunkResult` before the facts.

    ``("ok", doc, sections, tokens, [], None)``, or ``("failed", reason)``, or
    ``("same", mtime)`` when its content is the one indexed (`known_sha`).
    Pure: runs in the writing process as well as in a worker.
    """
    from assistant.ingest import IngestError

    budget = settings.max_file_seconds
    if source.refused:
        return ("failed", source.refused)
    try:
        with time_budget(budget):
            doc, sections, tokens = _prepare(source, settings)
    except BudgetExceeded:
        return ("failed", budget_message(budget))
    except IngestError as exc:
        return ("failed", str(exc))
    except Exception as exc:  # a bug or an exotic file: never lose the run
        return ("failed", f"lecture impossible ({type(exc).__name__}: {exc})"[:300])
    if known_sha is not None and known_sha == doc.sha256:
        return ("same", doc.mtime)
    return ("ok", doc, sections, tokens, [], None)


def _prepare_chunk(
    chunk: list[tuple[SourceFile, str | None]], settings: Settings, with_facts: bool, read: list[tuple] | None = None
) -> ChunkResult:
    """Read, split, analyse and extract the facts of a chunk of files.

    `chunk` holds each file with the SHA-256 it is indexed with (None when
    new); `read` the entries of its first files already read by
    :func:`_read_file` (by the writing process while the workers start), the
    others are read here.  Pure: touches no database, so it runs in a worker
    process as well as in-process.  The facts of a chunk are extracted in one
    batched call.
    """
    budget = settings.max_file_seconds
    out: ChunkResult = list(read or [])
    for source, known_sha in chunk[len(out) :]:
        out.append(_read_file(source, known_sha, settings))
    prepared = [i for i, entry in enumerate(out) if entry[0] == "ok"]
    if with_facts and prepared:
        from assistant.facts import extract_facts, extract_facts_many
        from assistant.facts.nlp import get_nlp

        get_nlp()  # loading the model (seconds, once per process) is no file's time
        items = [(out[i][1], out[i][2]) for i in prepared]
        problems: list[str | None] = [None] * len(items)
        try:
            with time_budget(budget * len(items)):
                facts_per_doc = extract_facts_many(items)
        except (Exception, BudgetExceeded):
            # One bad document must not cost the others their facts.
            facts_per_doc = []
            for k, (doc, sections) in enumerate(items):
                try:
                    with time_budget(budget):
                        facts_per_doc.append(extract_facts(doc, sections))
                except BudgetExceeded:
                    out[prepared[k]] = ("failed", budget_message(budget))
                    facts_per_doc.append([])
                except Exception as exc:
                    # Reported in the IndexReport, not printed: a worker's stderr is the terminal (the TUI).
                    problems[k] = f"chiffres non extraits ({type(exc).__name__}: {exc})"[:300]
                    facts_per_doc.append([])
        for i, facts, problem in zip(prepared, facts_per_doc, problems):
            if out[i][0] == "ok":
                out[i] = out[i][:4] + (facts, problem)
    # The SQL rows are built here, so that the writing process only inserts.
    prepared = [i for i in prepared if out[i][0] == "ok"]
    for i in prepared:
        _, doc, sections, tokens, facts, problem = out[i]
        out[i] = ("ok", document_rows(doc, sections, tokens, facts), len(sections), len(facts), problem)
    return out


PARALLEL_MIN_FILES = 2
PARALLEL_MIN_BYTES = 1_000_000
"""Below this many files, or this many bytes, to (re)index, everything runs
in-process: starting the worker processes (their forkserver imports spaCy and
loads the model once, ~3 s, as an in-process run does) would cost more than it
saves (1 MB ≈ 150k words ≈ 12 s of work for one core). Five long reports of
300 kB each are shared between the workers; a single file is read in-process."""

WORKERS_ENV = "ASSISTANT_INDEX_WORKERS"
"""Environment variable: number of worker processes (1 = in-process)."""


def default_workers() -> int:
    """Worker processes for indexing: $ASSISTANT_INDEX_WORKERS, else the usable CPUs (at most 8)."""
    env = os.environ.get(WORKERS_ENV, "").strip()
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, 8))


CHUNK_BYTES = 200_000
"""A chunk of files (the unit of work of a worker process) closes once it holds this many bytes:
the work is split by size, not by file count, so that two workers get even shares
(29 CRC reports sorted by name put their 8 largest files, half the bytes, in the first
chunk of 8 files); a file larger than this is a chunk on its own."""


def _chunks(
    todo: list[tuple[SourceFile, bool]], known: dict[str, KnownDocument], size: int
) -> list[list[tuple[SourceFile, str | None]]]:
    """`todo` in order, cut into chunks of at most `size` files and about :data:`CHUNK_BYTES` bytes.

    The chunks do not depend on the number of workers: an in-process run and a
    parallel one prepare the same chunks, so they write the same index.
    """
    chunks: list[list[tuple[SourceFile, str | None]]] = []
    current: list[tuple[SourceFile, str | None]] = []
    held = 0
    for source, existed in todo:
        current.append((source, known[source.source].sha256 if existed else None))
        held += _size(source)
        if len(current) >= size or held >= CHUNK_BYTES:
            chunks.append(current)
            current, held = [], 0
    if current:
        chunks.append(current)
    return chunks


def _size(source: SourceFile) -> int:
    """The file's size in bytes (0 when it cannot be read: its failure is reported later)."""
    if source.refused:
        return 0
    try:
        return source.path.stat().st_size
    except OSError:
        return 0


def _start_helper_processes() -> None:
    """Start multiprocessing's resource tracker with a real standard error.

    The tracker is started on the first worker process and is handed
    ``sys.stderr.fileno()``; under the chat, Textual replaces ``sys.stderr``
    by an object whose ``fileno()`` is −1, and starting it fails with
    "bad value(s) in fds_to_keep".  Started once here with a real stream (the
    null device when standard error is captured, so that its messages never
    paint over the chat), later worker processes reuse it.
    """
    import sys
    from multiprocessing import resource_tracker

    try:
        usable = sys.stderr is not None and sys.stderr.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    captured = sys.stderr
    with open(os.devnull, "w") as null:
        sys.stderr = null
        try:
            resource_tracker.ensure_running()
        finally:
            sys.stderr = captured


THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "BLIS_NUM_THREADS")
"""Thread pools of the numerical libraries spaCy loads: one thread each in a worker process."""


def _worker_init() -> None:
    """Run first in each worker process: one BLAS thread (the workers already use every core).

    Set before the worker imports numpy (spaCy is loaded by the first chunk), so
    the libraries read it; a value the user set is kept.
    """
    for name in THREAD_VARIABLES:
        os.environ.setdefault(name, "1")


PRELOAD_MODULE = "assistant.retrieval._preload"
"""Imported by the forkserver before it forks the workers: spaCy is loaded once per run, not once per worker."""


def _mp_context(with_facts: bool):
    """`forkserver` (spaCy loaded once in the server when facts are wanted, the workers forked from it), else `spawn`.

    The forkserver is one per process: when another pool started it first (a
    batch run in the same process), its preload stands and each worker loads
    spaCy itself.
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    if with_facts:
        context.set_forkserver_preload([PRELOAD_MODULE])  # not __main__: a script without a main guard would run again
    return context


def _worker_ready() -> int:
    """A no-op task: its result tells the writing process that a worker process is up (spaCy loaded)."""
    return os.getpid()


def _read_while_starting(chunks, settings: Settings, started: Event, cancel: Event | None) -> dict[int, list[tuple]]:
    """Read the first files of `chunks` here until `started` is set: what the idle core does meanwhile.

    The forkserver loads spaCy (seconds of one core) before it forks the first
    worker; meanwhile this process reads, splits and analyses the first files
    (:func:`_read_file`, the same work a worker would do with them), one file
    at a time so that the workers wait for at most one file once they are up.
    Returns each chunk's entries read so far (a prefix of its files).
    """
    read: dict[int, list[tuple]] = {}
    for n, chunk in enumerate(chunks):
        for source, known_sha in chunk:
            if started.is_set() or (cancel is not None and cancel.is_set()):
                return read
            read.setdefault(n, []).append(_read_file(source, known_sha, settings))
    return read


def _results_in_order(chunks, settings: Settings, with_facts: bool, workers: int, cancel: Event | None):
    """Yield each chunk's result in chunk order.

    With `workers` > 1 the chunks are prepared by a pool of worker processes
    (spawn/forkserver: no fork of a threaded parent), at most a few chunks
    ahead of the writer; results are still consumed in order, so the index
    written is the same as in-process.  While the first worker starts (the
    forkserver loads spaCy), this process reads the first files
    (:func:`_read_while_starting`) and hands them to the workers read.  If the
    pool breaks (a worker killed), the remaining chunks are prepared in-process.
    """
    if workers <= 1 or len(chunks) <= 1:
        for chunk in chunks:
            if cancel is not None and cancel.is_set():
                return
            yield _prepare_chunk(chunk, settings, with_facts)
        return

    from concurrent.futures import Future, ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    context = _mp_context(with_facts)
    ahead = workers * 4  # chunks are small (CHUNK_BYTES): a long one must not leave a worker idle
    _start_helper_processes()
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_worker_init)
    started = Event()

    def start_first_worker() -> None:
        try:  # blocks until the forkserver has loaded spaCy and forked the first worker
            pool.submit(_worker_ready).result()
        except Exception:  # noqa: BLE001 - a broken pool is found again by the first real task
            pass
        finally:
            started.set()

    starter = Thread(target=start_first_worker, name="index-workers-start", daemon=True)
    starter.start()
    pending: dict[int, Future[ChunkResult]] = {}
    next_submit = 0
    broken = False
    try:
        if cancel is not None and cancel.is_set():
            return
        read = _read_while_starting(chunks[: ahead + 1], settings, started, cancel)  # the window the writer keeps
        started.wait()
        for i, chunk in enumerate(chunks):
            # As before the files were read here: a cancel from the start on stops after the first chunk.
            if i and cancel is not None and cancel.is_set():
                return
            while not broken and next_submit < len(chunks) and next_submit <= i + ahead:
                try:
                    pending[next_submit] = pool.submit(
                        _prepare_chunk, chunks[next_submit], settings, with_facts, read.pop(next_submit, None)
                    )
                except (BrokenProcessPool, RuntimeError):
                    broken = True
                    break
                next_submit += 1
            future = pending.pop(i, None)
            result = None
            if future is not None:
                try:
                    result = future.result()
                except BrokenProcessPool:
                    broken = True
                except Exception:
                    result = None  # e.g. a result that cannot be pickled: redo it here
            if result is None:
                result = _prepare_chunk(chunk, settings, with_facts, read.pop(i, None))
            yield result
    finally:
        for future in pending.values():
            future.cancel()
        # On cancel, return at once: the chunks being prepared finish in the
        # background and are dropped; otherwise nothing is left to wait for.
        pool.shutdown(wait=not (cancel is not None and cancel.is_set()), cancel_futures=True)


def run_index(
    store: Store,
    paths: list[Path],
    *,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
    cancel: Event | None = None,
    with_facts: bool = True,
    batch: int = 8,
    workers: int | None = None,
) -> IndexReport:
    """Index `paths` into `store`; see the module docstring.

    Files are prepared (read, split, analysed, facts extracted) in chunks of
    `batch` files, by `workers` processes (default :func:`default_workers`;
    in-process below :data:`PARALLEL_MIN_FILES` files); this process writes
    every document to SQLite, one transaction each, in file order.
    """
    from assistant.ingest import SUPPORTED_SUFFIXES

    settings = settings or Settings()
    started = time.perf_counter()
    files, folders = collect(paths, frozenset(SUPPORTED_SUFFIXES), settings.follow_links)
    report = IndexReport()
    known = store.known_documents()
    excluded = store.excluded()

    todo: list[tuple[SourceFile, bool]] = []
    for source in files:
        if source.source in excluded:
            if source.from_folder:  # removed by the user: stays out until added by name
                report.excluded.append(excluded[source.source])
                continue
            store.include(source.source)
        previous = known.get(source.source)
        if source.refused and previous is not None:
            # A link indexed by an older version, now refused: its text must not stay answerable.
            store.remove_document(previous.path)
            report.removed.append(previous.path)
            previous = None
        if previous is not None:
            try:
                stat = source.path.stat()
            except OSError:
                stat = None
            if stat is not None and previous.mtime == stat.st_mtime and previous.size == stat.st_size:
                report.unchanged.append(previous.path)
                continue
        todo.append((source, previous is not None))

    # Files that vanished from the folders being indexed (other folders' documents are kept, and so are
    # those under a folder that could not be read; refused links were dealt with above).
    seen = {f.source for f in files}
    unreadable = tuple(f.source.rstrip(os.sep) + os.sep for f in files if f.refused and f.rel.endswith("/"))
    for source_path, doc in sorted(known.items(), key=lambda item: item[1].path):
        if doc.root in folders and source_path not in seen and not source_path.startswith(unreadable):
            store.remove_document(doc.path)
            report.removed.append(doc.path)

    total = len(todo)
    if workers is None:
        workers = default_workers()
    if workers > 1 and (total < PARALLEL_MIN_FILES or _bytes(todo) < PARALLEL_MIN_BYTES):
        workers = 1
    chunks = _chunks(todo, known, batch)
    _tick(progress, 0, total, "", report)  # the total is known: say so before the first file is ready
    results_in_order = _results_in_order(chunks, settings, with_facts, workers, cancel)
    try:
        with store.bulk():
            _write_results(store, chunks, results_in_order, known, report, progress, cancel, total)
    finally:
        results_in_order.close()  # stops the worker pool at once on cancel or error
    report.seconds = time.perf_counter() - started
    return report


def _write_results(
    store: Store,
    chunks: list[list[tuple[SourceFile, str | None]]],
    results_in_order: Iterator[ChunkResult],
    known: dict[str, KnownDocument],
    report: IndexReport,
    progress: ProgressCallback | None,
    cancel: Event | None,
    total: int,
) -> None:
    """Write each prepared file, in order: one transaction per document."""
    done = 0
    for chunk, results in zip(chunks, results_in_order):
        for (source, _sha), result in zip(chunk, results):
            previous = known.get(source.source)
            if result[0] == "failed":
                name = store.record_failure(source.source, source.root, source.rel, result[1])
                report.failed.append(_failed(name, safe_text(result[1])))
            elif result[0] == "same" and previous is not None:
                # Same content, new mtime: refresh the stored mtime only.
                store.touch(source.source, result[1])
                name = previous.path
                report.unchanged.append(name)
            else:
                _, rows, n_sections, n_facts, problem = result
                name, _ids = store.write_rows(rows, root=source.root, source=source.source)
                (report.updated if previous is not None else report.added).append(name)
                if problem:
                    report.facts_failed.append(_failed(name, problem))
                report.sections += n_sections
                report.facts += n_facts
                report.words += rows.words
            done += 1
            _tick(progress, done, total, name, report)
        if cancel is not None and cancel.is_set():
            break


def _bytes(todo: list[tuple[SourceFile, bool]]) -> int:
    return sum(_size(source) for source, _existed in todo)


def _failed(path: str, reason: str):
    from assistant.models import FailedFile

    return FailedFile(path=path, reason=reason)


def _tick(progress: ProgressCallback | None, done: int, total: int, path: str, report: IndexReport) -> None:
    if progress is not None:
        progress(IndexProgress(done=done, total=total, path=path, sections=report.sections, words=report.words))
