"""The one error the ingestion raises."""

from __future__ import annotations


class IngestError(Exception):
    """A file that cannot be ingested.

    ``str(error)`` is a one-line reason in French, readable by a user, that
    never names the file: the caller pairs it with the path (``FailedFile``).
    """

    def __init__(self, reason: str) -> None:
        """Keep `reason` on one line."""
        super().__init__(" ".join(reason.split()))

    @property
    def reason(self) -> str:
        """The one-line reason."""
        return str(self)
