"""Pydantic models that cross module boundaries or touch disk.

Data flows one way: ``ingest`` produces :class:`Document` and :class:`Section`,
``facts`` produces :class:`Fact`, ``retrieval`` stores them and returns
:class:`SearchHit`, ``qa`` produces :class:`Answer` with :class:`Citation`.
Every field is documented in one line.  Models read back from disk forbid
unknown fields so that a foreign or corrupted index is never misread.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

FactKind = Literal["count", "money", "percent", "duration", "date", "ratio", "rank", "other"]
"""The closed set of fact kinds stored in the facts table."""

AnswerKind = Literal["count", "money", "percent", "duration", "date", "ratio", "entity", "text"]
"""The closed set of answer kinds of the answer contract (ANSWER_FORMAT.md)."""

Qualifier = Literal[
    "moyenne",
    "total",
    "objectif",
    "réalisé",
    "initial",
    "révisé",
    "approximatif",
    "minimum",
    "maximum",
]
"""Qualifiers a figure can carry in its sentence."""

FactSource = Literal["prose", "table", "indicator"]
"""Where a fact was read: running text, a table cell, or an indicator block."""

DocumentFormat = Literal["txt", "md", "html", "pdf", "docx", "odt"]
"""File formats the ingestion knows."""


class _Strict(BaseModel):
    """Base for models read from disk: unknown fields are an error."""

    model_config = ConfigDict(extra="forbid")


class Document(_Strict):
    """One ingested report: its extracted text and where it came from."""

    path: str = Field(description="Path relative to the folder given to `assistant index` (POSIX separators).")
    title: str = Field(description="A human title: first heading or first non-noise line, else the file stem.")
    format: DocumentFormat = Field(description="The format the text was extracted from.")
    sha256: str = Field(description="Hex SHA-256 of the file's bytes; identifies the content.")
    size: int = Field(description="Size of the file in bytes.")
    mtime: float = Field(description="Modification time of the file when it was read (seconds since epoch).")
    encoding: str = Field(description="Detected character encoding of a text file ('utf-8', 'cp1252'…); '' for binary formats.")
    text: str = Field(description="Extracted text, NFC-normalised; every offset in the index points into it.")
    noise: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Character spans of `text` judged noise (navigation, counters…), excluded from sections.",
    )
    pages: list[int] = Field(
        default_factory=list,
        description="Start offset in `text` of each page (page n starts at pages[n-1]); empty when the format has no pages.",
    )
    offset_map: list[tuple[int, int]] = Field(
        default_factory=list,
        description="Breakpoints (text offset, original offset) where NFC changed lengths; empty when identical.",
    )

    def page_at(self, offset: int) -> int | None:
        """1-based page holding `offset`, or None for formats without pages."""
        if not self.pages:
            return None
        page = 1
        for number, start in enumerate(self.pages, start=1):
            if start <= offset:
                page = number
            else:
                break
        return page


class Section(_Strict):
    """A passage of a document under a heading path: the unit BM25 ranks."""

    id: int = Field(default=0, description="Row id in the index (0 until stored).")
    document: str = Field(description="Path of the document (Document.path).")
    ordinal: int = Field(description="Position of the passage in its document, from 0.")
    heading: str = Field(description="The nearest heading above the passage ('' before the first heading).")
    heading_path: list[str] = Field(default_factory=list, description="Headings from the outermost to the nearest one.")
    text: str = Field(description="The passage text, exactly document.text[start:end].")
    start: int = Field(description="Start offset of the passage in the document text.")
    end: int = Field(description="End offset (exclusive) of the passage in the document text.")
    page: int | None = Field(default=None, description="1-based page of the passage start, where the format has pages.")


class Fact(_Strict):
    """One figure stated in a report, typed, normalised and cited."""

    id: int = Field(default=0, description="Row id in the facts table (0 until stored).")
    document: str = Field(description="Path of the document (Document.path).")
    section_id: int = Field(default=0, description="Id of the section holding the figure (0 until stored).")
    section_ordinal: int = Field(description="Ordinal of the section in its document (links facts to sections before storage).")
    section: str = Field(default="", description="Heading of the section holding the figure.")
    value: float = Field(description="Normalised value: euros for money, percent points for percents, the year for a date.")
    unit: str | None = Field(
        default=None, description="Normalised unit: EUR, FRF, %, jour, mois, an, heure, ETP, or the lemma of the counted noun."
    )
    kind: FactKind = Field(description="What sort of figure this is.")
    raw: str = Field(description="The figure exactly as written in the text.")
    subject: str = Field(default="", description="The noun phrase the figure quantifies or describes.")
    subject_lemma: str = Field(default="", description="Lemma of the subject's head noun.")
    qualifiers: list[Qualifier] = Field(
        default_factory=list, description="Qualifiers found around the figure (moyenne, total, objectif…)."
    )
    denominator: float | None = Field(default=None, description="For ratios ('17 sur 27'): the whole (27).")
    range_high: float | None = Field(
        default=None, description="For ranges ('entre 10 et 15'): the upper bound; value holds the lower."
    )
    date_text: str | None = Field(
        default=None, description="For dates: the normalised date as ISO text (2007, 2007-01, 2007-02-06, 2007/2013)."
    )
    scope: list[str] = Field(
        default_factory=list, description="Heading path, then programme/action codes and years named by the sentence or heading."
    )
    sentence: str = Field(description="The sentence (or table row) the figure stands in, verbatim.")
    sentence_start: int = Field(description="Start offset of the sentence in the document text.")
    sentence_end: int = Field(description="End offset (exclusive) of the sentence in the document text.")
    start: int = Field(description="Start offset of the figure in the document text.")
    end: int = Field(description="End offset (exclusive) of the figure in the document text.")
    page: int | None = Field(default=None, description="1-based page of the figure, where the format has pages.")
    source: FactSource = Field(
        default="prose", description="Whether the figure was read in prose, a table or an indicator block."
    )


class SearchHit(BaseModel):
    """A section returned by BM25 retrieval with its score."""

    section: Section = Field(description="The matching section.")
    score: float = Field(description="BM25 score (higher is better).")


class Citation(BaseModel):
    """A cited passage: where an answer comes from, quoted verbatim."""

    document: str = Field(description="Path of the document relative to the indexed folder.")
    title: str = Field(default="", description="Title of the document.")
    section: str = Field(default="", description="Heading path of the cited section, joined with ' › '.")
    page: int | None = Field(default=None, description="1-based page where the format has pages, else null.")
    start: int = Field(description="Start offset of the quote in the document's extracted text.")
    end: int = Field(description="End offset (exclusive) of the quote in the document's extracted text.")
    quote: str = Field(description="The cited sentence(s) exactly as in the document.")


class Conflict(BaseModel):
    """Another figure in the corpus that contradicts the answer."""

    value: float = Field(description="The contradicting figure, normalised like the answer's value.")
    quote: str = Field(description="The sentence stating it, verbatim.")
    document: str = Field(description="Path of the document stating it.")
    start: int = Field(description="Start offset of the sentence in the document text.")
    end: int = Field(description="End offset (exclusive) of the sentence in the document text.")


class Answer(BaseModel):
    """The answer to one question, in the contract of ANSWER_FORMAT.md."""

    id: str | None = Field(default=None, description="The question's id (from a batch file), else null.")
    question: str = Field(description="The question as asked.")
    answer: str = Field(description="The sentence a person reads (≤ 400 characters), in the question's language.")
    value: float | int | None = Field(default=None, description="The answer as a number when it is a figure, else null.")
    unit: str | None = Field(default=None, description="Normalised unit of `value`, or null.")
    kind: AnswerKind = Field(default="text", description="What sort of answer this is.")
    abstained: bool = Field(default=False, description="True when the corpus does not answer the question.")
    confidence: float = Field(default=0.0, description="0.0–1.0, higher is surer.")
    citations: list[Citation] = Field(default_factory=list, description="Cited passages, best first.")
    conflicts: list[Conflict] = Field(default_factory=list, description="Other figures in the corpus that contradict the answer.")
    computed: bool = Field(default=False, description="True when the value was computed from several facts (each cited).")
    lang: Literal["fr", "en"] = Field(default="fr", description="Language the answer is written in (the question's).")
    follow_up_of: str | None = Field(default=None, description="The earlier question this one continued, for follow-ups.")


class FailedFile(_Strict):
    """A file that could not be indexed, and why."""

    path: str = Field(description="Path of the file relative to the indexed folder (or as given).")
    reason: str = Field(description="One-line reason, readable by a user.")


class IndexReport(BaseModel):
    """Summary of one `assistant index` run."""

    added: list[str] = Field(default_factory=list, description="Documents indexed for the first time.")
    updated: list[str] = Field(default_factory=list, description="Documents re-indexed because their content changed.")
    unchanged: list[str] = Field(default_factory=list, description="Documents whose content hash was already indexed.")
    removed: list[str] = Field(
        default_factory=list, description="Documents dropped because their file vanished from the folder being indexed."
    )
    excluded: list[str] = Field(
        default_factory=list, description="Documents left out because the user removed them (until added again by name)."
    )
    failed: list[FailedFile] = Field(default_factory=list, description="Files that could not be indexed, with reasons.")
    facts_failed: list[FailedFile] = Field(
        default_factory=list, description="Files indexed for search whose figures could not be extracted, with reasons."
    )
    sections: int = Field(default=0, description="Sections written during the run.")
    facts: int = Field(default=0, description="Facts written during the run.")
    seconds: float = Field(default=0.0, description="Wall time of the run.")
    words: int = Field(default=0, description="Words of text ingested during the run.")


class IndexProgress(BaseModel):
    """Progress of an indexing run, reported after each file."""

    done: int = Field(description="Files processed so far.")
    total: int = Field(description="Files to process in this run.")
    path: str = Field(description="The file just processed.")
    sections: int = Field(description="Sections written so far in this run.")
    words: int = Field(default=0, description="Words of the documents written so far in this run.")


class DocumentInfo(BaseModel):
    """A line of the documents list (status, TUI Documents view)."""

    path: str = Field(description="Path of the document relative to the indexed folder.")
    title: str = Field(description="Title of the document.")
    format: DocumentFormat = Field(description="Format the text was extracted from.")
    sections: int = Field(description="Number of sections.")
    facts: int = Field(description="Number of facts.")
    indexed_at: float = Field(description="When it was indexed (seconds since epoch).")
    root: str = Field(description="Absolute folder it was indexed from.")


class IndexStatus(BaseModel):
    """What `assistant status` reports."""

    index_dir: str = Field(description="The index directory.")
    version: int = Field(description="Index format version.")
    documents: int = Field(description="Number of indexed documents.")
    sections: int = Field(description="Number of sections.")
    facts: int = Field(description="Number of facts.")
    failures: list[FailedFile] = Field(default_factory=list, description="Files that failed at the last indexing attempt.")
    size_bytes: int = Field(description="Size of the index on disk.")
    roots: list[str] = Field(default_factory=list, description="Folders and files that were indexed.")
    excluded: list[str] = Field(
        default_factory=list, description="Documents removed by hand, left out of re-indexing until added again by name."
    )
    updated_at: float | None = Field(default=None, description="When the index last changed (seconds since epoch).")
