"""The facade every front end uses: ``Assistant``.

The CLI, the TUI, the batch runner and the tests call only this class:
``index()``, ``search()``, ``ask()``, ``facts()``, ``status()``,
``documents()``, ``section()``, ``remove()``.  It opens the store lazily and
keeps one SQLite connection per thread, so Textual workers can call it.
"""

from __future__ import annotations

import threading
from pathlib import Path
from threading import Event
from typing import TYPE_CHECKING

from assistant.analysis.analyzer import analyze
from assistant.config import INDEX_VERSION, Settings, default_index_dir
from assistant.models import (
    Answer,
    Document,
    DocumentInfo,
    Fact,
    IndexReport,
    IndexStatus,
    SearchHit,
    Section,
)
from assistant.retrieval.bm25 import BM25Params, SectionIndex
from assistant.retrieval.indexer import ProgressCallback, check_paths, run_index
from assistant.retrieval.store import IndexMissing, Store

if TYPE_CHECKING:
    from assistant.qa.conversation import Conversation


def question_too_long(length: int, limit: int) -> str:
    """The one-line French answer to a question over the length limit."""

    def grouped(n: int) -> str:
        return f"{n:,}".replace(",", "\u202f")

    return f"Question trop longue ({grouped(length)} caractères, limite {grouped(limit)}) : posez une question plus courte."


class Assistant:
    """Index reports and answer questions about them, with citations."""

    def __init__(self, index_dir: Path | str | None = None, settings: Settings | None = None) -> None:
        self.index_dir = Path(index_dir) if index_dir is not None else default_index_dir()
        self.settings = settings or Settings()
        self._local = threading.local()

    # -- plumbing --------------------------------------------------------------

    def _store(self) -> Store:
        """This thread's read-only store (a reader never needs write access to the index)."""
        store = getattr(self._local, "store", None)
        if store is None:
            store = Store(self.index_dir, readonly=True)
            self._local.store = store
            self._local.bm25 = SectionIndex(
                store, BM25Params(k1=self.settings.bm25_k1, b=self.settings.bm25_b, delta=self.settings.bm25_delta)
            )
        return store

    def _bm25(self) -> SectionIndex:
        self._store()
        return self._local.bm25

    @property
    def store(self) -> Store:
        """The store of the calling thread (raises IndexMissing when there is no index)."""
        return self._store()

    def exists(self) -> bool:
        """True when an index exists in the index directory."""
        try:
            self._store()
        except IndexMissing:
            return False
        return True

    def close(self) -> None:
        """Close this thread's connection."""
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
            self._local.store = None

    # -- indexing --------------------------------------------------------------

    def index(
        self,
        paths: list[Path | str],
        *,
        rebuild: bool = False,
        progress: ProgressCallback | None = None,
        cancel: Event | None = None,
        with_facts: bool = True,
    ) -> IndexReport:
        """Add, update and remove documents from the given files and folders.

        With `rebuild`, the index is deleted first (whatever its format version)
        and built anew.
        """
        given = [Path(p) for p in paths]
        check_paths(given)  # a missing path creates nothing and keeps the index as it is
        self.close()
        if rebuild:
            Store.destroy(self.index_dir)
        store = Store(self.index_dir, create=True)
        try:
            store.check()  # a damaged database is reported, not said "unchanged"
            return run_index(
                store,
                given,
                settings=self.settings,
                progress=progress,
                cancel=cancel,
                with_facts=with_facts,
            )
        finally:
            store.close()

    def remove(self, path: str) -> bool:
        """Drop one document from the index; True when it was there.  Its file
        stays out of later re-indexing of its folder until it is indexed again by name."""
        store = Store(self.index_dir)
        try:
            return store.remove_document(path, exclude=True)
        finally:
            store.close()

    # -- reading ---------------------------------------------------------------

    def search(self, query: str, k: int | None = None, *, documents: set[str] | None = None) -> list[SearchHit]:
        """The k best sections for `query` (BM25+ over the French analysis)."""
        k = k or self.settings.top_k
        ranked = self._bm25().top(analyze(query), k=k * 4 if documents else k)
        sections = self._store().sections_by_id([sid for sid, _ in ranked])
        hits = [SearchHit(section=sections[sid], score=score) for sid, score in ranked if sid in sections]
        if documents:
            hits = [h for h in hits if h.section.document in documents]
        return hits[:k]

    def ask(self, question: str, conversation: Conversation | None = None) -> Answer:
        """Answer `question` from the index, with citations (or abstain).

        A question longer than ``settings.max_question_chars`` is not analysed
        (analysis time grows with the question): the answer abstains and says so.
        """
        from assistant.qa import semantic
        from assistant.qa.answerer import answer_question

        if len(question) > self.settings.max_question_chars:
            return Answer(
                question=question,
                answer=question_too_long(len(question), self.settings.max_question_chars),
                abstained=True,
                confidence=0.0,
            )
        with semantic.active(semantic.scorer_for(self.index_dir, self.settings.semantic)):
            return answer_question(self, question, conversation)

    def facts(
        self,
        *,
        kind: str | None = None,
        grep: str | None = None,
        document: str | None = None,
        section_ids: list[int] | None = None,
        limit: int | None = None,
    ) -> list[Fact]:
        """Rows of the facts table, filtered."""
        return self._store().facts(kind=kind, grep=grep, document=document, section_ids=section_ids, limit=limit)

    def document(self, path: str) -> Document | None:
        """A stored document (with its text), or None."""
        return self._store().document(path)

    def section(self, section_id: int) -> Section | None:
        """A section by id, or None."""
        return self._store().sections_by_id([section_id]).get(section_id)

    def sections_of(self, path: str) -> list[Section]:
        """The sections of a document, in order."""
        return self._store().sections_of(path)

    def _cache(self) -> dict:
        """Per-thread cache of documents and sections, dropped when the index changes."""
        store = self._store()
        key = (store.data_version(), store.meta("updated_at"))
        cache = getattr(self._local, "cache", None)
        if cache is None or cache.get("key") != key:
            cache = {"key": key, "docs": {}, "sections": {}}
            self._local.cache = cache
        return cache

    def document_cached(self, path: str) -> Document | None:
        """A document (cached for the answering of questions)."""
        docs = self._cache()["docs"]
        if path not in docs:
            if len(docs) > 64:
                docs.clear()
            docs[path] = self._store().document(path)
        return docs[path]

    def sections_of_cached(self, path: str) -> list[Section]:
        """The sections of a document (cached)."""
        sections = self._cache()["sections"]
        if path not in sections:
            if len(sections) > 64:
                sections.clear()
            sections[path] = self._store().sections_of(path)
        return sections[path]

    def documents(self) -> list[DocumentInfo]:
        """Indexed documents with their counts."""
        return self._store().document_infos()

    def status(self) -> IndexStatus:
        """Counts, failures, version and size of the index."""
        store = self._store()
        docs, sections, facts = store.counts()
        updated = store.meta("updated_at")
        return IndexStatus(
            index_dir=str(self.index_dir),
            version=INDEX_VERSION,
            documents=docs,
            sections=sections,
            facts=facts,
            failures=store.failures(),
            size_bytes=store.size_bytes(),
            roots=store.roots(),
            excluded=sorted(store.excluded().values()),
            updated_at=float(updated) if updated else None,
        )
