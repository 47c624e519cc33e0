"""Pilot tests of indexing from the chat's Documents view (F4), on the real core.

* a document removed with Suppr stays removed when the folders are
  re-indexed with ``r``;
* a folder big enough for worker processes indexes from the chat (it used to
  fail with "bad value(s) in fds_to_keep": the workers were started while
  Textual had replaced ``sys.stderr``), with its progress and its cancel.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from test_tui_support import REPORTS, BuiltIndex, build_index, copy_index
from textual.widgets import DataTable, Input, Static

from assistant.retrieval import indexer
from assistant.tui.app import make_app
from assistant.tui.messages import IndexComplete, IndexFailed, IndexProgressed

pytestmark = pytest.mark.anyio

SIZE = (100, 30)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    return build_index(tmp_path_factory)


@pytest.fixture
def index_dir(built: BuiltIndex, tmp_path: Path) -> Path:
    return copy_index(built, tmp_path)


async def settle(app, pilot) -> None:
    for _ in range(3):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def wait_for(pilot, condition, seconds: float) -> None:
    """Let the app run until `condition()` holds (fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.1)


async def test_removed_document_is_not_added_back_by_reindex(built: BuiltIndex, index_dir: Path, tmp_path: Path) -> None:
    seen: list = []
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        table = app.screen.query_one("#documents-table", DataTable)
        removed = app.screen.selected_path()
        assert removed in REPORTS
        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("o")
        await settle(app, pilot)
        await settle(app, pilot)
        assert table.row_count == len(REPORTS) - 1
        await pilot.press("r")
        await wait_for(pilot, lambda: any(isinstance(m, IndexComplete) for m in seen), 120)
        await settle(app, pilot)
        report = next(m for m in seen if isinstance(m, IndexComplete)).report
        assert not report.added and report.excluded == [removed]
        assert table.row_count == len(REPORTS) - 1
        assert removed not in [str(k.value) for k in table.rows]
        assert app.index_status.documents == len(REPORTS) - 1
        listed = str(app.screen.query_one("#documents-failures", Static).content)
        assert "Retirés à la main (1" in listed and removed in listed


FILES = 40
"""Reports in the generated folder: more than PARALLEL_MIN_FILES, five chunks of eight."""


def _big_folder(base: Path) -> Path:
    folder = base / "beaucoup"
    folder.mkdir()
    texts = list(REPORTS.values())
    for i in range(FILES):
        body = texts[i % len(texts)].replace("2021", str(1990 + i)).replace("2022", str(1991 + i))
        (folder / f"rapport-{i:03d}.txt").write_text(f"RAPPORT NUMÉRO {i}\n\n" + body, encoding="utf-8")
    return folder


async def test_large_folder_indexes_from_the_chat_with_workers(
    index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.tui.screens.dialogs import PathPromptScreen

    # Worker processes whatever the size of the files (the byte threshold
    # would otherwise need megabytes of text and minutes of a shared CPU).
    monkeypatch.setenv(indexer.WORKERS_ENV, "2")
    monkeypatch.setattr(indexer, "PARALLEL_MIN_BYTES", 0)
    assert FILES >= indexer.PARALLEL_MIN_FILES
    used: list[int] = []
    results_in_order = indexer._results_in_order
    # The writer waits after the first chunk until Escape has been pressed:
    # on a fast machine the whole folder would otherwise be written before
    # the key reaches the app, and the cancel would have nothing to stop.
    escaped = threading.Event()

    def spy(chunks, settings, with_facts, workers, cancel):
        used.append(workers)
        inner = results_in_order(chunks, settings, with_facts, workers, cancel)
        try:
            for n, result in enumerate(inner):
                if n:
                    escaped.wait(180)
                yield result
        finally:
            inner.close()

    monkeypatch.setattr(indexer, "_results_in_order", spy)
    folder = _big_folder(tmp_path)
    seen: list = []
    app = make_app(index_dir, load_nlp=False, cursor_blink=False, export_dir=tmp_path)
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await pilot.press("f4")
        await settle(app, pilot)
        table = app.screen.query_one("#documents-table", DataTable)
        await pilot.press("a")
        await pilot.pause()
        assert isinstance(app.screen, PathPromptScreen)
        app.screen.query_one("#path-input", Input).value = str(folder)
        await pilot.press("enter")
        # Progress shows, then Escape cancels: what was written stays.
        await wait_for(pilot, lambda: any(isinstance(m, (IndexProgressed, IndexFailed)) for m in seen), 180)
        assert not [m.error for m in seen if isinstance(m, IndexFailed)]
        await pilot.press("escape")
        await pilot.pause()
        escaped.set()
        await wait_for(pilot, lambda: any(isinstance(m, (IndexComplete, IndexFailed)) for m in seen), 180)
        await settle(app, pilot)
        failed = [m.error for m in seen if isinstance(m, IndexFailed)]
        assert not failed, failed
        first = next(m for m in seen if isinstance(m, IndexComplete))
        assert first.cancelled and 0 < len(first.report.added) < FILES
        assert used == [2]
        assert table.row_count == len(REPORTS) + len(first.report.added)
        # Re-indexing completes the folder.
        seen.clear()
        await pilot.press("r")
        await wait_for(pilot, lambda: any(isinstance(m, (IndexComplete, IndexFailed)) for m in seen), 300)
        await settle(app, pilot)
        assert not [m.error for m in seen if isinstance(m, IndexFailed)]
        second = next(m for m in seen if isinstance(m, IndexComplete))
        assert not second.cancelled and len(second.report.added) == FILES - len(first.report.added)
        assert not second.report.failed
        assert table.row_count == len(REPORTS) + FILES
