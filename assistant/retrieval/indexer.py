"""Incremental indexing: files → documents → sections + facts → the store.

A run walks the given files and folders, skips documents whose content is
already indexed (same size and mtime, or same SHA-256), re-indexes changed
ones, drops documents that vanished from an indexed folder, and records every
file that fails with a one-line reason.  Each document is committed in its
own transaction, so an interrupted run loses nothing already committed and
the next run completes it.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from threading import Event

from assistant.analysis.analyzer import analyze
from assistant.config import Settings
from assistant.models import Document, IndexProgress, IndexReport, Section
from assistant.retrieval.store import Store

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
    """Path relative to the indexed folder (POSIX), the document's identity."""
    root: str
    """The folder (absolute) the file was found under."""
    from_folder: bool
    """True when found by walking a folder (so it can vanish from it)."""


def _walk(folder: Path, suffixes: frozenset[str]) -> Iterator[Path]:
    """Files under `folder` with a supported suffix, sorted, hidden entries skipped.

    Symbolic links to folders are not followed (no loops); unreadable folders
    are skipped.
    """
    for dirpath, dirnames, filenames in os.walk(folder, onerror=lambda e: None):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            if Path(name).suffix.lower() in suffixes:
                yield Path(dirpath) / name


def collect(paths: list[Path], suffixes: frozenset[str]) -> tuple[list[SourceFile], list[str]]:
    """The files to index under `paths`, and the folders walked (absolute)."""
    files: list[SourceFile] = []
    folders: list[str] = []
    for given in paths:
        if not given.exists():
            raise UsageError(f"{given}: no such file or folder — check the path")
        absolute = given.resolve()
        if absolute.is_dir():
            folders.append(str(absolute))
            for f in _walk(absolute, suffixes):
                files.append(SourceFile(f, f.relative_to(absolute).as_posix(), str(absolute), True))
        else:
            files.append(SourceFile(absolute, absolute.name, str(absolute.parent), False))
    seen: set[str] = set()
    unique = []
    for f in files:
        if f.rel not in seen:
            seen.add(f.rel)
            unique.append(f)
    return unique, folders


def _prepare(source: SourceFile, settings: Settings) -> tuple[Document, list[Section], list[list[str]]]:
    """Read one file into its document, sections and analysed tokens."""
    from assistant.ingest import read_document, split_sections

    doc = read_document(source.path, source.rel)
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


def run_index(
    store: Store,
    paths: list[Path],
    *,
    settings: Settings | None = None,
    progress: ProgressCallback | None = None,
    cancel: Event | None = None,
    with_facts: bool = True,
    batch: int = 8,
) -> IndexReport:
    """Index `paths` into `store`; see the module docstring."""
    from assistant.ingest import SUPPORTED_SUFFIXES, IngestError

    settings = settings or Settings()
    started = time.perf_counter()
    files, folders = collect(paths, frozenset(SUPPORTED_SUFFIXES))
    report = IndexReport()
    known = store.known_documents()

    todo: list[tuple[SourceFile, bool]] = []
    for source in files:
        previous = known.get(source.rel)
        if previous is not None:
            try:
                stat = source.path.stat()
            except OSError:
                stat = None
            if stat is not None and previous[2] == stat.st_mtime and previous[3] == stat.st_size:
                report.unchanged.append(source.rel)
                continue
        todo.append((source, previous is not None))

    # Files that vanished from an indexed folder.
    seen = {f.rel for f in files}
    for path, (root, _sha, _mtime, _size) in sorted(known.items()):
        if root in folders and path not in seen:
            store.remove_document(path)
            report.removed.append(path)

    total = len(todo)
    done = 0
    for start in range(0, total, batch):
        if cancel is not None and cancel.is_set():
            break
        chunk = todo[start : start + batch]
        prepared: list[tuple[SourceFile, bool, Document, list[Section], list[list[str]]]] = []
        for source, existed in chunk:
            try:
                doc, sections, tokens = _prepare(source, settings)
            except IngestError as exc:
                store.record_failure(source.rel, source.root, str(exc))
                report.failed.append(_failed(source.rel, str(exc)))
                done += 1
                _tick(progress, done, total, source.rel, report)
                continue
            except Exception as exc:  # a bug or an exotic file: never lose the run
                reason = f"lecture impossible ({type(exc).__name__}: {exc})"[:300]
                store.record_failure(source.rel, source.root, reason)
                report.failed.append(_failed(source.rel, reason))
                done += 1
                _tick(progress, done, total, source.rel, report)
                continue
            if existed and known[source.rel][1] == doc.sha256:
                # Same content, new mtime: refresh the stored mtime only.
                store.conn.execute("UPDATE documents SET mtime=? WHERE path=?", (doc.mtime, doc.path))
                report.unchanged.append(source.rel)
                done += 1
                _tick(progress, done, total, source.rel, report)
                continue
            prepared.append((source, existed, doc, sections, tokens))
        facts_per_doc: list[list] = [[] for _ in prepared]
        if with_facts and prepared:
            from assistant.facts import extract_facts_many

            try:
                facts_per_doc = extract_facts_many([(p[2], p[3]) for p in prepared])
            except Exception:
                # One bad document must not cost the others their facts.
                from assistant.facts import extract_facts

                facts_per_doc = []
                for p in prepared:
                    try:
                        facts_per_doc.append(extract_facts(p[2], p[3]))
                    except Exception:
                        facts_per_doc.append([])
        for (source, existed, doc, sections, tokens), facts in zip(prepared, facts_per_doc):
            store.write_document(doc, root=source.root, source=str(source.path), sections=sections, tokens=tokens, facts=facts)
            (report.updated if existed else report.added).append(source.rel)
            report.sections += len(sections)
            report.facts += len(facts)
            report.words += len(doc.text.split())
            done += 1
            _tick(progress, done, total, source.rel, report)
    report.seconds = time.perf_counter() - started
    return report


def _failed(path: str, reason: str):
    from assistant.models import FailedFile

    return FailedFile(path=path, reason=reason)


def _tick(progress: ProgressCallback | None, done: int, total: int, path: str, report: IndexReport) -> None:
    if progress is not None:
        progress(IndexProgress(done=done, total=total, path=path, sections=report.sections))
