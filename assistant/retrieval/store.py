"""The index on disk: one SQLite database (WAL) holding documents, sections,
BM25 postings and facts.

Layout of ``INDEX_DIR/index.sqlite`` (format version :data:`INDEX_VERSION`):

- ``meta``: key/value pairs (format marker, format version, creation and
  update times);
- ``documents``: one row per document with its extracted text.  A document's
  identity is its file (``source``, absolute); ``path`` is the name shown and
  cited — the path relative to the folder it was indexed from, prefixed with
  that folder's name when another folder already holds the same relative
  path (so it always ends with the relative path);
- ``sections``: passages with heading path, span, page, text and token count;
- ``postings``: for each (term, document) the section ids and term counts as
  little-endian int32 arrays — per document, so that re-indexing a document
  rewrites only its own rows, and a query reads only the rows of its terms;
- ``facts``: the facts table;
- ``failures``: files that could not be indexed, with the reason;
- ``excluded``: files the user removed from the index, kept out of later
  re-indexing of their folder until they are added again by name;
- ``vectors`` (optional, see :mod:`assistant.qa.semantic`): sentence vectors of
  the semantic encoder, keyed by document, sentence offsets and model, as
  float32 BLOBs (``numpy.tobytes``); dropped with their document (and with its
  re-indexing).  Made when first written, so an index without it is whole.

Every document is written in one transaction (delete its old rows, insert the
new ones), so an interrupted run leaves a consistent index.  No pickle: only
SQL values, JSON text and plain integer arrays.

Readers open the database read-only (``mode=ro``, or ``immutable=1`` when the
WAL's shared-memory file cannot be created), so a read-only index can be
queried; a database the assistant did not create is never written to.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple
from urllib.parse import quote

from assistant.config import INDEX_VERSION
from assistant.models import Document, DocumentInfo, Fact, FailedFile, Section

DB_NAME = "index.sqlite"
"""File name of the database inside the index directory."""

FORMAT_MARKER = "assistant-index"
"""Value of the ``format`` key of the meta table: marks a database this assistant created."""

TABLES = frozenset({"meta", "documents", "sections", "postings", "facts", "failures", "excluded"})
"""The tables every index holds (one missing: the index is damaged)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    rel TEXT NOT NULL,
    root TEXT NOT NULL,
    source TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    format TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime REAL NOT NULL,
    encoding TEXT NOT NULL,
    text TEXT NOT NULL,
    noise TEXT NOT NULL,
    pages TEXT NOT NULL,
    offset_map TEXT NOT NULL,
    words INTEGER NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_root ON documents(root);
CREATE INDEX IF NOT EXISTS documents_sha ON documents(sha256);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL,
    heading TEXT NOT NULL,
    heading_path TEXT NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER,
    text TEXT NOT NULL,
    length INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS sections_doc ON sections(doc_id);
CREATE TABLE IF NOT EXISTS postings (
    term TEXT NOT NULL,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    sec_ids BLOB NOT NULL,
    tfs BLOB NOT NULL,
    PRIMARY KEY (term, doc_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS postings_doc ON postings(doc_id);
CREATE TABLE IF NOT EXISTS facts (
    id INTEGER PRIMARY KEY,
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    section_id INTEGER NOT NULL,
    section_ordinal INTEGER NOT NULL,
    section TEXT NOT NULL,
    value REAL NOT NULL,
    unit TEXT,
    kind TEXT NOT NULL,
    raw TEXT NOT NULL,
    subject TEXT NOT NULL,
    subject_lemma TEXT NOT NULL,
    qualifiers TEXT NOT NULL,
    denominator REAL,
    range_high REAL,
    date_text TEXT,
    scope TEXT NOT NULL,
    sentence TEXT NOT NULL,
    sentence_start INTEGER NOT NULL,
    sentence_end INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER,
    source TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS facts_doc ON facts(doc_id);
CREATE INDEX IF NOT EXISTS facts_section ON facts(section_id);
CREATE TABLE IF NOT EXISTS failures (
    source TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    root TEXT NOT NULL,
    reason TEXT NOT NULL,
    at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS excluded (
    source TEXT PRIMARY KEY,
    path TEXT NOT NULL,
    at REAL NOT NULL
);
"""

VECTORS_SCHEMA = """
CREATE TABLE IF NOT EXISTS vectors (
    doc_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    model TEXT NOT NULL,
    vec BLOB NOT NULL,
    PRIMARY KEY (doc_id, start, "end", model)
) WITHOUT ROWID
"""
"""The sentence-vector cache of the semantic feature (not in :data:`TABLES`: optional)."""

_FACT_COLUMNS = (
    "section_id",
    "section_ordinal",
    "section",
    "value",
    "unit",
    "kind",
    "raw",
    "subject",
    "subject_lemma",
    "qualifiers",
    "denominator",
    "range_high",
    "date_text",
    "scope",
    "sentence",
    "sentence_start",
    "sentence_end",
    "start",
    "end",
    "page",
    "source",
)
_JSON_FACT_FIELDS = {"qualifiers", "scope"}


@dataclass(frozen=True)
class DocumentRows:
    """A document turned into the SQL rows of the index, minus the row ids.

    Built by :func:`document_rows` — in an indexing worker process — so that
    the process writing to SQLite only inserts: plain tuples, strings and
    bytes, cheap to send between processes.
    """

    path: str
    """Document.path."""
    document: tuple
    """The documents row from `title` to `offset_map` (JSON text where needed)."""
    words: int
    """Whitespace-separated words of the text."""
    sections: list[tuple]
    """One row per section from `ordinal` to `length`."""
    positions: bytes
    """int32 positions (in `sections`) of every posting, term after term."""
    postings: list[tuple[str, int, int, bytes]]
    """(term, start, end into `positions`, int32 term counts)."""
    facts: list[tuple[int, tuple]]
    """(position of the fact's section in `sections` or −1, the facts row after `section_id`)."""


def document_rows(doc: Document, sections: list[Section], tokens: list[list[str]], facts: list[Fact]) -> DocumentRows:
    """The rows :meth:`Store.write_rows` inserts for `doc` (`tokens[i]`: the analysed tokens of `sections[i]`)."""
    if len(sections) != len(tokens):
        raise ValueError(f"{len(sections)} sections but {len(tokens)} token lists")
    document = (
        safe_text(doc.title),
        doc.format,
        doc.sha256,
        doc.size,
        doc.mtime,
        doc.encoding,
        doc.text,
        json.dumps(doc.noise),
        json.dumps(doc.pages),
        json.dumps(doc.offset_map),
    )
    section_rows = [
        (s.ordinal, s.heading, json.dumps(s.heading_path, ensure_ascii=False), s.start, s.end, s.page, s.text, len(toks))
        for s, toks in zip(sections, tokens)
    ]
    by_term: dict[str, tuple[list[int], list[int]]] = {}
    for pos, toks in enumerate(tokens):
        for term, tf in Counter(toks).items():
            entry = by_term.setdefault(term, ([], []))
            entry[0].append(pos)
            entry[1].append(tf)
    positions = array("i")
    postings = []
    for term, (where, tfs) in by_term.items():
        start = len(positions)
        positions.extend(where)
        postings.append((term, start, len(positions), _ids_blob(tfs)))
    by_ordinal = {s.ordinal: i for i, s in enumerate(sections)}
    fact_rows = []
    columns = _FACT_COLUMNS[1:]
    for fact in facts:
        # The validated fields themselves (strings, numbers, lists of strings): what model_dump() copies, uncopied.
        data = fact.__dict__
        fact_rows.append(
            (
                by_ordinal.get(fact.section_ordinal, -1),
                tuple(json.dumps(data[k], ensure_ascii=False) if k in _JSON_FACT_FIELDS else data[k] for k in columns),
            )
        )
    return DocumentRows(
        path=doc.path,
        document=document,
        words=len(doc.text.split()),
        sections=section_rows,
        positions=positions.tobytes(),
        postings=postings,
        facts=fact_rows,
    )


class IndexUnavailable(Exception):
    """The index cannot be opened or used; the message (French, one line) says what to do."""


class IndexMissing(IndexUnavailable):
    """There is no index in the directory yet."""


class IndexVersionMismatch(IndexUnavailable):
    """The index was written by another format version."""


class IndexForeign(IndexUnavailable):
    """The database in the index directory was not created by the assistant (it is left untouched)."""


class IndexDamaged(IndexUnavailable):
    """The database is corrupted or incomplete: ``--rebuild`` mends it."""


class IndexNotWritable(IndexUnavailable):
    """The index directory cannot be created or written."""


class IndexDiskFull(IndexUnavailable):
    """The disk filled up while writing; everything committed before is kept."""


def safe_text(text: str) -> str:
    """`text` storable as UTF-8: the bytes of a file name that are not UTF-8
    (kept by Python as lone surrogates) shown escaped, e.g. ``caf\\xe9.txt``."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            raw = text.encode("utf-8", "surrogateescape")
        except UnicodeEncodeError:
            return text.encode("utf-8", "backslashreplace").decode("utf-8")
        return raw.decode("utf-8", "backslashreplace")
    return text


def rebuild_hint(index_dir: Path) -> str:
    """The command that rebuilds the index of `index_dir`."""
    return f"assistant index --rebuild DOSSIER --index-dir {index_dir}"


def damaged(index_dir: Path, exc: BaseException) -> IndexDamaged:
    """The error to raise when SQLite reports a damaged database while reading or writing."""
    return IndexDamaged(
        f"l'index {Path(index_dir) / DB_NAME} est endommagé ({' '.join(str(exc).split())}) — "
        f"reconstruisez-le : {rebuild_hint(index_dir)}"
    )


def _full(exc: BaseException) -> bool:
    return "full" in str(exc).lower() or getattr(exc, "errno", None) == 28  # ENOSPC


class KnownDocument(NamedTuple):
    """What a run needs to know of an indexed document (see :meth:`Store.known_documents`)."""

    path: str
    """The name shown and cited."""
    root: str
    """The folder (or file) it was indexed from."""
    sha256: str
    """Hash of its content."""
    mtime: float
    """Modification time of the file when indexed."""
    size: int
    """Size of the file when indexed."""


def _ids_blob(values: Iterable[int]) -> bytes:
    return array("i", values).tobytes()


def _read_only_uri(path: Path, immutable: bool) -> str:
    uri = "file:" + quote(str(path.resolve())) + "?mode=ro"
    return uri + "&immutable=1" if immutable else uri


class Store:
    """Access to one index directory's database.

    A Store is used from one thread at a time; the TUI opens one per worker
    thread (SQLite connections are cheap) and WAL lets readers run while a
    writer commits.  `readonly` stores never write (the index may sit on a
    read-only folder); `create` makes the directory and the database when
    missing.
    """

    def __init__(self, index_dir: Path, *, create: bool = False, readonly: bool = False) -> None:
        self.index_dir = Path(index_dir)
        self.path = self.index_dir / DB_NAME
        self.readonly = readonly and not create
        if self.index_dir.exists() and not self.index_dir.is_dir():
            raise IndexNotWritable(
                f"{self.index_dir} est un fichier, pas un dossier d'index — choisissez un dossier avec --index-dir"
            )
        if not self.path.exists():
            if not create:
                raise IndexMissing(
                    f"pas d'index dans {self.index_dir}/ — créez-le : assistant index DOSSIER --index-dir {self.index_dir}"
                )
            try:
                self.index_dir.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise IndexNotWritable(
                    f"impossible de créer le dossier d'index {self.index_dir} ({exc.strerror or exc}) — "
                    "choisissez avec --index-dir un dossier où vous pouvez écrire"
                ) from None
        if not self.readonly and not os.access(self.index_dir, os.W_OK):
            raise IndexNotWritable(
                f"pas le droit d'écrire dans le dossier d'index {self.index_dir} — "
                "choisissez avec --index-dir un dossier où vous pouvez écrire"
            )
        if not self.readonly and self.path.exists() and not os.access(self.path, os.W_OK):
            raise self._read_only_file()
        if self.path.exists() and not os.access(self.path, os.R_OK):
            raise IndexNotWritable(f"pas le droit de lire {self.path} — demandez l'accès ou choisissez un autre --index-dir")
        try:
            self.conn = self._connect()
            self._check_or_create(create)
        except UnicodeDecodeError as exc:
            # Damaged schema pages: SQLite hands back text that is not UTF-8.
            raise IndexDamaged(
                f"{self.path} n'est pas un index lisible (schéma illisible, octets non UTF-8 en position {exc.start}) — "
                f"reconstruisez-le : {rebuild_hint(self.index_dir)}"
            ) from None
        except sqlite3.DatabaseError as exc:
            if _full(exc):
                raise self._disk_full() from None
            if not self.readonly and "readonly" in str(exc):
                raise self._read_only_file() from None
            if not self.readonly and "unable to open" in str(exc):
                raise IndexNotWritable(
                    f"impossible d'ouvrir {self.path} en écriture ({exc}) — "
                    "choisissez avec --index-dir un dossier où vous pouvez écrire"
                ) from None
            raise IndexDamaged(
                f"{self.path} n'est pas un index lisible ({exc}) — reconstruisez-le : {rebuild_hint(self.index_dir)}"
            ) from None

    def _connect(self) -> sqlite3.Connection:
        """A connection; for a reader, read-only, immutable when even the WAL's -shm file cannot be made."""
        if not self.readonly:
            return sqlite3.connect(self.path, timeout=30.0, isolation_level=None, check_same_thread=False)
        try:
            conn = sqlite3.connect(
                _read_only_uri(self.path, False), uri=True, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            return conn
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or os.access(self.index_dir, os.W_OK):
                raise
            # A WAL database on a read-only folder: its -shm file cannot be created.
            # Nobody can write there either, so reading it as immutable is sound.
            return sqlite3.connect(
                _read_only_uri(self.path, True), uri=True, timeout=30.0, isolation_level=None, check_same_thread=False
            )

    def _read_only_file(self) -> IndexNotWritable:
        return IndexNotWritable(
            f"{self.path} est en lecture seule : il peut être interrogé, pas mis à jour — "
            "rendez-le modifiable ou choisissez un autre --index-dir"
        )

    def _disk_full(self) -> IndexDiskFull:
        return IndexDiskFull(
            f"disque plein en écrivant {self.path} — libérez de la place puis relancez la même commande "
            "(les documents déjà écrits sont gardés)"
        )

    # -- schema and versioning -------------------------------------------------

    def _check_or_create(self, create: bool) -> None:
        """Check the database is an index of this format (before writing anything), or create it."""
        tables = {r[0] for r in self.conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "meta" in tables:
            meta = dict(self.conn.execute("SELECT key, value FROM meta").fetchall())
            if "version" not in meta:
                raise self._foreign()
            version = int(meta["version"]) if str(meta["version"]).isdigit() else -1
            if version != INDEX_VERSION:
                raise IndexVersionMismatch(
                    f"{self.path} a été écrit au format d'index {version}, cet assistant lit le format "
                    f"{INDEX_VERSION} — reconstruisez-le : {rebuild_hint(self.index_dir)}"
                )
            if meta.get("format") != FORMAT_MARKER:
                raise self._foreign()
            missing = TABLES - tables
            if missing:
                raise IndexDamaged(
                    f"l'index {self.path} est incomplet (table {', '.join(sorted(missing))} absente) — "
                    f"reconstruisez-le : {rebuild_hint(self.index_dir)}"
                )
            self._pragmas()
            return
        if tables:
            raise self._foreign()
        if not create:
            raise IndexMissing(f"l'index {self.path} est vide — créez-le : assistant index DOSSIER --index-dir {self.index_dir}")
        self._pragmas()
        with self.transaction():
            for statement in SCHEMA.split(";"):
                if statement.strip():
                    self.conn.execute(statement)
            now = str(time.time())
            self.conn.executemany(
                "INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)",
                [("format", FORMAT_MARKER), ("version", str(INDEX_VERSION)), ("created_at", now), ("updated_at", now)],
            )

    def _pragmas(self) -> None:
        if self.readonly:
            self.conn.execute("PRAGMA query_only=ON")
            return
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA foreign_keys=ON")
        self.conn.execute("PRAGMA synchronous=NORMAL")

    def _foreign(self) -> IndexForeign:
        return IndexForeign(
            f"{self.path} n'est pas un index de l'assistant (fichier laissé intact) — choisissez un autre --index-dir"
        )

    def check(self) -> None:
        """Raise :class:`IndexDamaged` when SQLite finds the database malformed (PRAGMA quick_check)."""
        try:
            rows = self.conn.execute("PRAGMA quick_check(1)").fetchall()
        except sqlite3.DatabaseError as exc:
            raise damaged(self.index_dir, exc) from None
        if [r[0] for r in rows] != ["ok"]:
            raise damaged(self.index_dir, Exception(str(rows[0][0]) if rows else "quick_check"))

    def close(self) -> None:
        """Close the connection."""
        self.conn.close()

    @staticmethod
    def destroy(index_dir: Path) -> None:
        """Delete the database of `index_dir` (``assistant index --rebuild``), whatever its version or
        damage — but never a SQLite database the assistant did not create (:class:`IndexForeign`)."""
        path = Path(index_dir) / DB_NAME
        if path.is_file():
            foreign = False
            try:
                conn = sqlite3.connect(_read_only_uri(path, not os.access(path.parent, os.W_OK)), uri=True)
                try:
                    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
                    if tables:
                        foreign = (
                            "meta" not in tables or conn.execute("SELECT 1 FROM meta WHERE key='version'").fetchone() is None
                        )
                finally:
                    conn.close()
            except (sqlite3.DatabaseError, UnicodeDecodeError):
                # Not readable as a database, its meta table or schema damaged: a damaged index, rebuilt.
                foreign = False
            if foreign:
                raise IndexForeign(
                    f"{path} n'est pas un index de l'assistant (fichier laissé intact) — choisissez un autre --index-dir"
                )
        for suffix in ("", "-wal", "-shm"):
            part = Path(index_dir) / (DB_NAME + suffix)
            if part.exists():
                try:
                    part.unlink()
                except OSError as exc:
                    raise IndexNotWritable(
                        f"impossible d'effacer {part} ({exc.strerror or exc}) — vérifiez les droits du dossier d'index"
                    ) from None

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE … COMMIT, rolled back on any exception; a full disk
        raises :class:`IndexDiskFull`, a malformed database :class:`IndexDamaged`."""
        try:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
            else:
                self.conn.execute("COMMIT")
        except sqlite3.DatabaseError as exc:
            if self.conn.in_transaction:
                try:
                    self.conn.execute("ROLLBACK")
                except sqlite3.DatabaseError:
                    pass
            if _full(exc):
                raise self._disk_full() from None
            if "readonly" in str(exc):
                raise self._read_only_file() from None
            if isinstance(exc, (sqlite3.IntegrityError, sqlite3.ProgrammingError)) or "locked" in str(exc):
                raise
            raise damaged(self.index_dir, exc) from None

    @contextmanager
    def bulk(self) -> Iterator[None]:
        """Settings for a long run of writes (``assistant index``), restored after.

        Each document's postings touch one B-tree page per distinct term, so a
        per-document commit dirties hundreds of scattered pages.  A larger page
        cache keeps them in memory, and a rarer WAL checkpoint (every ~200 MB
        instead of every 4 MB) copies a page that several documents modified
        once instead of once per document: at 100k sections this halves the
        writer's time.  Every document still commits on its own (WAL, readers
        unaffected); one passive checkpoint runs at the end.
        """
        c = self.conn
        cache = c.execute("PRAGMA cache_size").fetchone()[0]
        autockpt = c.execute("PRAGMA wal_autocheckpoint").fetchone()[0]
        c.execute("PRAGMA cache_size=-262144")  # 256 MiB
        c.execute("PRAGMA wal_autocheckpoint=50000")  # pages (~200 MB)
        c.execute("PRAGMA journal_size_limit=67108864")  # WAL file truncated to 64 MB after a checkpoint
        try:
            yield
        finally:
            c.execute(f"PRAGMA cache_size={int(cache)}")
            c.execute(f"PRAGMA wal_autocheckpoint={int(autockpt)}")
            # Fold the WAL into the database and empty it (it may have grown to
            # ~200 MB); if a reader holds it, give up after 0.2 s — the next
            # checkpoint truncates it to journal_size_limit.
            timeout = c.execute("PRAGMA busy_timeout").fetchone()[0]
            try:
                c.execute("PRAGMA busy_timeout=200")
                c.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            except sqlite3.DatabaseError:
                pass
            finally:
                c.execute(f"PRAGMA busy_timeout={int(timeout)}")

    def data_version(self) -> int:
        """Changes whenever another connection commits (PRAGMA data_version)."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    def meta(self, key: str) -> str | None:
        """A value of the meta table."""
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    # -- writing ---------------------------------------------------------------

    def write_document(
        self,
        doc: Document,
        *,
        root: str,
        source: str,
        sections: list[Section],
        tokens: list[list[str]],
        facts: list[Fact],
    ) -> list[int]:
        """Replace the document of file `source` with `doc`, its sections, postings and facts, atomically.

        `doc.path` is the file's path relative to `root`; `tokens[i]` are the
        analysed tokens of `sections[i]`.  Returns the new section ids in order.
        """
        return self.write_rows(document_rows(doc, sections, tokens, facts), root=root, source=source)[1]

    def display_path(self, source: str, root: str, rel: str) -> str:
        """The name a document of file `source` (path `rel` under `root`) is shown and cited by.

        `rel` itself, unless a document of another file already has that name:
        then `rel` prefixed with the root folder's name (and its parents' if
        needed), so the name still ends with the relative path.
        """
        source, root, rel = safe_text(source), safe_text(root), safe_text(rel)
        # `root` is the folder indexed, or the file itself when it was given by name.
        folder = Path(root).parent if root == rel or root.endswith("/" + rel) else Path(root)
        parts = [p for p in folder.parts if p not in ("/", "")]
        candidates = [rel] + ["/".join(parts[len(parts) - n :] + [rel]) for n in range(1, len(parts) + 1)]
        taken = "SELECT 1 FROM documents WHERE path=? AND source<>?"
        for name in candidates:
            if self.conn.execute(taken, (name, source)).fetchone() is None:
                return name
        n = 2
        while self.conn.execute(taken, (f"{candidates[-1]} ({n})", source)).fetchone() is not None:
            n += 1
        return f"{candidates[-1]} ({n})"

    def write_rows(self, rows: DocumentRows, *, root: str, source: str) -> tuple[str, list[int]]:
        """Write a document prepared by :func:`document_rows` (possibly in
        another process) as the document of file `source`, atomically; returns
        its name (:meth:`display_path`) and the new section ids in order.

        Section ids are given explicitly, following the AUTOINCREMENT sequence
        (what SQLite would have chosen), so the postings prepared with section
        positions only need an offset added.
        """
        import numpy as np

        now = time.time()
        source, root, rel = safe_text(source), safe_text(root), safe_text(rows.path)
        with self.transaction() as c:
            # The same content indexed from a file that no longer exists: the file
            # was moved (its folder renamed); its document is replaced, not doubled.
            for (old,) in c.execute(
                "SELECT source FROM documents WHERE sha256=? AND source<>?", (rows.document[2], source)
            ).fetchall():
                if not os.path.lexists(old):
                    c.execute("DELETE FROM documents WHERE source=?", (old,))
            path = self.display_path(source, root, rel)
            c.execute("DELETE FROM documents WHERE source=?", (source,))
            c.execute("DELETE FROM failures WHERE source=?", (source,))
            c.execute("DELETE FROM excluded WHERE source=?", (source,))
            cur = c.execute(
                "INSERT INTO documents(path, rel, root, source, title, format, sha256, size, mtime, encoding, text,"
                " noise, pages, offset_map, words, indexed_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (path, rel, root, source) + rows.document + (rows.words, now),
            )
            doc_id = cur.lastrowid
            seq = c.execute("SELECT seq FROM sqlite_sequence WHERE name='sections'").fetchone()
            top = c.execute("SELECT max(id) FROM sections").fetchone()[0]
            base = max(seq[0] if seq else 0, top or 0) + 1
            ids = list(range(base, base + len(rows.sections)))
            c.executemany(
                'INSERT INTO sections(id, doc_id, ordinal, heading, heading_path, start, "end", page, text, length)'
                " VALUES (?,?,?,?,?,?,?,?,?,?)",
                ((sid, doc_id) + row for sid, row in zip(ids, rows.sections)),
            )
            if rows.postings:
                glob = (np.frombuffer(rows.positions, dtype=np.int32) + np.int32(base)).astype(np.int32).tobytes()
                c.executemany(
                    "INSERT INTO postings(term, doc_id, sec_ids, tfs) VALUES (?,?,?,?)",
                    ((term, doc_id, glob[4 * a : 4 * b], tfs) for term, a, b, tfs in rows.postings),
                )
            c.executemany(
                "INSERT INTO facts(doc_id, "
                + ", ".join(f'"{k}"' for k in _FACT_COLUMNS)
                + ") VALUES ("
                + ",".join("?" * (len(_FACT_COLUMNS) + 1))
                + ")",
                ((doc_id, base + pos if pos >= 0 else 0) + row for pos, row in rows.facts),
            )
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('updated_at', ?)", (str(now),))
        return path, ids

    def touch(self, source: str, mtime: float) -> None:
        """Record a new modification time for the document of `source` (same content)."""
        with self.transaction() as c:
            c.execute("UPDATE documents SET mtime=? WHERE source=?", (mtime, safe_text(source)))

    def remove_document(self, path: str, *, exclude: bool = False) -> bool:
        """Drop a document (by name) and everything derived from it; True if it existed.

        With `exclude` (the user removed it), its file is also kept out of
        later runs over its folder until it is indexed again by name.
        """
        with self.transaction() as c:
            row = c.execute("SELECT source FROM documents WHERE path=?", (path,)).fetchone()
            cur = c.execute("DELETE FROM documents WHERE path=?", (path,))
            if row is not None:
                c.execute("DELETE FROM failures WHERE source=?", (row[0],))
                if exclude:
                    c.execute("INSERT OR REPLACE INTO excluded(source, path, at) VALUES (?,?,?)", (row[0], path, time.time()))
            c.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('updated_at', ?)", (str(time.time()),))
            return cur.rowcount > 0

    # -- sentence vectors (the semantic feature's cache) -----------------------

    def _has_vectors(self) -> bool:
        row = self.conn.execute("SELECT 1 FROM sqlite_master WHERE type='table' AND name='vectors'").fetchone()
        return row is not None

    def vector(self, path: str, start: int, end: int, model: str) -> bytes | None:
        """The cached vector of the sentence at start–end of document `path`, or None."""
        try:
            row = self.conn.execute(
                'SELECT v.vec FROM vectors v JOIN documents d ON d.id = v.doc_id WHERE d.path=? AND v.start=? AND v."end"=?'
                " AND v.model=?",
                (path, start, end, model),
            ).fetchone()
        except sqlite3.OperationalError:  # no vectors table yet
            return None
        return row[0] if row else None

    def vector_spans(self, path: str, model: str) -> set[tuple[int, int]]:
        """(start, end) of the sentences of `path` whose vector is cached."""
        if not self._has_vectors():
            return set()
        rows = self.conn.execute(
            'SELECT v.start, v."end" FROM vectors v JOIN documents d ON d.id = v.doc_id WHERE d.path=? AND v.model=?',
            (path, model),
        )
        return {(s, e) for s, e in rows}

    def write_vectors(self, rows: list[tuple[str, int, int, bytes]], model: str) -> int:
        """Cache sentence vectors (document name, start, end, float32 bytes) in one transaction;
        rows of documents no longer indexed are skipped.  Returns how many were written."""
        written = 0
        with self.transaction() as c:
            c.execute(VECTORS_SCHEMA)
            ids: dict[str, int | None] = {}
            for path, start, end, blob in rows:
                if path not in ids:
                    found = c.execute("SELECT id FROM documents WHERE path=?", (path,)).fetchone()
                    ids[path] = found[0] if found else None
                doc_id = ids[path]
                if doc_id is None:
                    continue
                c.execute(
                    'INSERT OR REPLACE INTO vectors(doc_id, start, "end", model, vec) VALUES (?,?,?,?,?)',
                    (doc_id, start, end, model, blob),
                )
                written += 1
        return written

    def vector_count(self) -> int:
        """Number of cached sentence vectors (all models)."""
        if not self._has_vectors():
            return 0
        return int(self.conn.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def document_paths(self) -> list[str]:
        """Names of the indexed documents, in order."""
        return [r[0] for r in self.conn.execute("SELECT path FROM documents ORDER BY path")]

    def excluded(self) -> dict[str, str]:
        """source → name of the files the user removed (kept out of re-indexing)."""
        return dict(self.conn.execute("SELECT source, path FROM excluded"))

    def include(self, source: str) -> None:
        """Let a removed file be indexed again (the user added it by name)."""
        with self.transaction() as c:
            c.execute("DELETE FROM excluded WHERE source=?", (safe_text(source),))

    def record_failure(self, source: str, root: str, rel: str, reason: str) -> str:
        """Remember that file `source` (`rel` under `root`) failed to index, and why
        (shown by status); returns the name it is reported by."""
        source, root, reason = safe_text(source), safe_text(root), safe_text(reason)
        with self.transaction() as c:
            path = self.display_path(source, root, rel)
            c.execute(
                "INSERT OR REPLACE INTO failures(source, path, root, reason, at) VALUES (?,?,?,?,?)",
                (source, path, root, reason, time.time()),
            )
        return path

    def clear_failure(self, source: str) -> None:
        """Forget an earlier failure of file `source`."""
        with self.transaction() as c:
            c.execute("DELETE FROM failures WHERE source=?", (safe_text(source),))

    # -- reading ---------------------------------------------------------------

    def known_documents(self) -> dict[str, KnownDocument]:
        """source → what is known of every indexed document."""
        return {
            r[0]: KnownDocument(*r[1:])
            for r in self.conn.execute("SELECT source, path, root, sha256, mtime, size FROM documents")
        }

    def document(self, path: str) -> Document | None:
        """The stored document, or None."""
        row = self.conn.execute(
            "SELECT path, title, format, sha256, size, mtime, encoding, text, noise, pages, offset_map"
            " FROM documents WHERE path=?",
            (path,),
        ).fetchone()
        if row is None:
            return None
        return Document(
            path=row[0],
            title=row[1],
            format=row[2],
            sha256=row[3],
            size=row[4],
            mtime=row[5],
            encoding=row[6],
            text=row[7],
            noise=[tuple(x) for x in json.loads(row[8])],
            pages=json.loads(row[9]),
            offset_map=[tuple(x) for x in json.loads(row[10])],
        )

    def titles(self) -> dict[str, str]:
        """path → title of every document."""
        return dict(self.conn.execute("SELECT path, title FROM documents"))

    _SECTION_SELECT = (
        'SELECT s.id, d.path, s.ordinal, s.heading, s.heading_path, s.text, s.start, s."end", s.page'
        " FROM sections s JOIN documents d ON d.id = s.doc_id"
    )

    @staticmethod
    def _section(row: tuple) -> Section:
        return Section(
            id=row[0],
            document=row[1],
            ordinal=row[2],
            heading=row[3],
            heading_path=json.loads(row[4]),
            text=row[5],
            start=row[6],
            end=row[7],
            page=row[8],
        )

    def sections_by_id(self, ids: list[int]) -> dict[int, Section]:
        """Sections with the given ids (missing ids are left out)."""
        out: dict[int, Section] = {}
        for chunk in range(0, len(ids), 500):
            part = ids[chunk : chunk + 500]
            q = self._SECTION_SELECT + f" WHERE s.id IN ({','.join('?' * len(part))})"
            for row in self.conn.execute(q, part):
                out[row[0]] = self._section(row)
        return out

    def sections_of(self, path: str) -> list[Section]:
        """All sections of a document, in order."""
        q = self._SECTION_SELECT + " WHERE d.path=? ORDER BY s.ordinal"
        return [self._section(r) for r in self.conn.execute(q, (path,))]

    def iter_sections(self) -> Iterator[Section]:
        """Every section of the index, by id."""
        for row in self.conn.execute(self._SECTION_SELECT + " ORDER BY s.id"):
            yield self._section(row)

    def section_lengths(self) -> tuple[list[int], list[int]]:
        """(ids, token counts) of every section."""
        ids: list[int] = []
        lengths: list[int] = []
        for sid, length in self.conn.execute("SELECT id, length FROM sections"):
            ids.append(sid)
            lengths.append(length)
        return ids, lengths

    def postings(self, term: str) -> list[tuple[bytes, bytes]]:
        """The (section ids, term counts) int32 blobs of `term`, one pair per document."""
        return self.conn.execute("SELECT sec_ids, tfs FROM postings WHERE term=?", (term,)).fetchall()

    def has_term(self, term: str) -> bool:
        """True when some section holds `term`."""
        return self.conn.execute("SELECT 1 FROM postings WHERE term=? LIMIT 1", (term,)).fetchone() is not None

    def documents_with_term(self, term: str) -> set[str]:
        """Paths of the documents holding `term` somewhere."""
        q = "SELECT d.path FROM postings p JOIN documents d ON d.id = p.doc_id WHERE p.term=?"
        return {r[0] for r in self.conn.execute(q, (term,))}

    def vocabulary(self, words_only: bool = False) -> list[str]:
        """Every distinct indexed term, in order (`words_only`: without the
        terms that start with a digit — numbers and codes, ~95% of the distinct
        terms of a large report library).

        A skip-scan of the (term, doc_id) primary key — one seek per distinct
        term — instead of reading every postings row; with `words_only` the
        numbers are jumped over in one seek.
        """
        after = "t.term"
        if words_only:
            after = "CASE WHEN t.term >= '0' AND t.term < ':' THEN '9' || char(1114111) ELSE t.term END"
        q = (
            "WITH RECURSIVE t(term) AS (SELECT min(term) FROM postings UNION ALL"
            f" SELECT (SELECT min(term) FROM postings WHERE term > {after}) FROM t WHERE t.term IS NOT NULL)"
            " SELECT term FROM t WHERE term IS NOT NULL"
        )
        terms = [r[0] for r in self.conn.execute(q)]
        if words_only:
            terms = [t for t in terms if not t[0].isdigit()]
        return terms

    def _fact(self, row: tuple) -> Fact:
        data = dict(zip(("id", "document") + _FACT_COLUMNS, row))
        for key in _JSON_FACT_FIELDS:
            data[key] = json.loads(data[key])
        return Fact(**data)

    _FACT_SELECT = (
        "SELECT f.id, d.path, "
        + ", ".join(f'f."{k}"' for k in _FACT_COLUMNS)
        + " FROM facts f JOIN documents d ON d.id = f.doc_id"
    )

    def facts(
        self,
        *,
        kind: str | None = None,
        grep: str | None = None,
        document: str | None = None,
        section_ids: list[int] | None = None,
        limit: int | None = None,
    ) -> list[Fact]:
        """Facts filtered by kind, text (subject/sentence/raw, case-insensitive), document or sections."""
        where: list[str] = []
        args: list[object] = []
        if kind:
            where.append("f.kind = ?")
            args.append(kind)
        if document:
            where.append("(d.path = ? OR d.path LIKE ?)")
            args.extend([document, f"%{document}%"])
        if grep:
            where.append("(f.subject LIKE ? OR f.sentence LIKE ? OR f.raw LIKE ? OR f.section LIKE ?)")
            args.extend([f"%{grep}%"] * 4)
        if section_ids is not None:
            if not section_ids:
                return []
            where.append(f"f.section_id IN ({','.join('?' * len(section_ids))})")
            args.extend(section_ids)
        q = self._FACT_SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY d.path, f.start"
        if limit:
            q += f" LIMIT {int(limit)}"
        return [self._fact(r) for r in self.conn.execute(q, args)]

    def counts(self) -> tuple[int, int, int]:
        """(documents, sections, facts)."""
        c = self.conn
        return (
            c.execute("SELECT COUNT(*) FROM documents").fetchone()[0],
            c.execute("SELECT COUNT(*) FROM sections").fetchone()[0],
            c.execute("SELECT COUNT(*) FROM facts").fetchone()[0],
        )

    def document_infos(self) -> list[DocumentInfo]:
        """One line per document with its section and fact counts."""
        q = (
            "SELECT d.path, d.title, d.format, d.indexed_at, d.root,"
            " (SELECT COUNT(*) FROM sections s WHERE s.doc_id = d.id),"
            " (SELECT COUNT(*) FROM facts f WHERE f.doc_id = d.id)"
            " FROM documents d ORDER BY d.path"
        )
        return [
            DocumentInfo(path=r[0], title=r[1], format=r[2], indexed_at=r[3], root=r[4], sections=r[5], facts=r[6])
            for r in self.conn.execute(q)
        ]

    def failures(self) -> list[FailedFile]:
        """Files that failed at their last indexing attempt."""
        return [FailedFile(path=r[0], reason=r[1]) for r in self.conn.execute("SELECT path, reason FROM failures ORDER BY path")]

    def roots(self) -> list[str]:
        """Folders documents were indexed from (or the file itself, for a file indexed by name)."""
        return [r[0] for r in self.conn.execute("SELECT DISTINCT root FROM documents ORDER BY root")]

    def size_bytes(self) -> int:
        """Size of the database files on disk (with WAL)."""
        return sum(p.stat().st_size for p in self.index_dir.glob(DB_NAME + "*") if p.is_file())
