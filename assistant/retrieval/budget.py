"""A time budget for one file: past it the file is reported, the run goes on.

:func:`time_budget` raises :class:`BudgetExceeded` in the thread running the
block once `seconds` have passed.  On the main thread (the CLI, and each
worker process of the indexer) it is a ``SIGALRM`` timer, which also stops a
regular expression in the middle of a match; on another thread (the TUI
indexes in a background thread) a timer thread raises the exception
asynchronously, which stops Python code between two bytecodes.
"""

from __future__ import annotations

import ctypes
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager


class BudgetExceeded(BaseException):
    """A file took longer than its budget.

    A BaseException, so that the ``except Exception`` of an extractor does not
    turn it into a "corrupt file" message.
    """


def budget_message(seconds: float) -> str:
    """The one-line French reason of a file that ran out of time."""
    shown = f"{seconds:g}".replace(".", ",")
    return f"fichier trop complexe à analyser : plus de {shown} s (option --max-file-seconds)"


@contextmanager
def time_budget(seconds: float | None) -> Iterator[None]:
    """Raise BudgetExceeded in this thread when the block runs longer than `seconds` (None or ≤ 0: no limit)."""
    if not seconds or seconds <= 0:
        yield
        return
    if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer"):
        with _alarm(seconds):
            yield
    else:
        with _async_timer(seconds):
            yield


@contextmanager
def _alarm(seconds: float) -> Iterator[None]:
    def on_alarm(signum, frame):
        raise BudgetExceeded(seconds)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@contextmanager
def _async_timer(seconds: float) -> Iterator[None]:
    thread_id = threading.get_ident()
    lock = threading.Lock()
    state = {"active": True, "fired": False}

    def fire() -> None:
        with lock:
            if state["active"]:
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(BudgetExceeded))
                state["fired"] = True

    timer = threading.Timer(seconds, fire)
    timer.daemon = True
    timer.start()
    try:
        yield
    finally:
        with lock:
            state["active"] = False
            timer.cancel()
            if state["fired"]:  # raised but maybe not yet delivered: never let it escape later
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), None)
