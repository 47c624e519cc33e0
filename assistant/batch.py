"""`assistant batch`: a file of questions in, an audit pack out.

    run_batch(engine, "questions.csv", output="pack.html")

1. Read the question file (``.txt``, ``.csv``, ``.jsonl``; see
   :mod:`assistant.batch_formats.readers`).  Bad lines are reported on stderr
   as ``FILE:LINE: ligne ignorée — reason`` and skipped.
2. Group the questions into conversations: a question starting with ``+``
   continues the conversation of the question before it (a follow-up such as
   « + Et pour l'action 7.4 ? »); any other question starts a new one.
3. Answer every question with ``engine.ask(question, conversation)``, in this
   process or, with ``jobs > 1``, in worker processes (``forkserver`` or
   ``spawn``; each opens its own :class:`~assistant.qa.engine.Assistant` on
   the same index).  Whole conversations go to one worker, so follow-ups keep
   their context.  An exception while answering one question turns it into an
   abstention with an ``error`` and the run goes on.
4. Write the pack in input order — JSONL, Markdown, CSV or HTML — atomically
   (a temporary file in the output folder, then ``os.replace``); an existing
   output is kept unless ``force``.

Progress (count, rate, ETA) goes to stderr when it is a terminal and not
``quiet``; a summary line ends every run.  Exit codes: 0 every question got an
answer line (abstentions included); 1 some input line or some question failed
(or, with ``fail_on_abstain``, some question was not answered); 2 usage
errors, raised as :class:`BatchError`.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from assistant.batch_formats import EXTENSIONS, FORMATS, Item, PackInfo, Question, Stats
from assistant.batch_formats.common import BatchError
from assistant.batch_formats.readers import QuestionFile, read_questions
from assistant.models import Answer
from assistant.presentation import count, plural
from assistant.spreadsheet import DEFAULT_DELIMITER, DELIMITERS
from assistant.terminal import safe_line, safe_text

if TYPE_CHECKING:
    from assistant.qa.engine import Assistant

__all__ = ["BatchError", "read_questions", "run_batch", "answer_questions", "render"]

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_USAGE = 2


ERROR_ANSWER = "Erreur : la question n'a pas pu être traitée ({error})."
"""The answer text of a question whose answering raised."""


# -- conversations --------------------------------------------------------------


def _new_conversation() -> Any:
    """A fresh conversation for a question that is not a follow-up (None while QA has none)."""
    try:
        from assistant.qa.conversation import Conversation
    except ImportError:  # the conversation module is not there yet: follow-ups are asked alone
        return None
    return Conversation()


def conversations(questions: list[Question]) -> tuple[list[list[int]], dict[int, str], list[str]]:
    """Positions grouped by conversation, the parent id of each follow-up, and warnings."""
    groups: list[list[int]] = []
    parents: dict[int, str] = {}
    warnings: list[str] = []
    for pos, q in enumerate(questions):
        if q.follow_up and groups:
            parents[pos] = questions[groups[-1][-1]].id
            groups[-1].append(pos)
        else:
            if q.follow_up:
                warnings.append(f"ligne {q.line} : « + » sans question précédente — posée seule")
            groups.append([pos])
    return groups, parents, warnings


# -- answering --------------------------------------------------------------------


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _error_answer(q: Question, error: str) -> Answer:
    return Answer(
        id=q.id,
        question=q.text,
        answer=ERROR_ANSWER.format(error=error)[:400],
        abstained=True,
        confidence=0.0,
        kind="text",
    )


def _answer_group(engine: Assistant, group: list[tuple[int, Question]]) -> list[tuple[int, Answer, str | None]]:
    """Answer one conversation in order; an exception fails that question only."""
    out: list[tuple[int, Answer, str | None]] = []
    conversation = None
    for pos, q in group:
        if not q.follow_up or conversation is None:
            conversation = _new_conversation()
        try:
            answer = engine.ask(q.text, conversation)
            out.append((pos, answer.model_copy(update={"id": q.id}), None))
        except Exception as exc:  # one question failing must not stop the run
            error = _one_line(exc)
            out.append((pos, _error_answer(q, error), error))
    return out


_WORKER_ENGINE: Assistant | None = None


def _worker_init(index_dir: str, settings: Any) -> None:
    """Open this worker's own Assistant on the index; leave Ctrl-C to the parent."""
    import signal

    global _WORKER_ENGINE
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    from assistant.qa.engine import Assistant

    _WORKER_ENGINE = Assistant(index_dir, settings)


def _worker_run(chunk: list[list[tuple[int, Question]]]) -> list[tuple[int, Answer, str | None]]:
    assert _WORKER_ENGINE is not None
    out = []
    for group in chunk:
        out += _answer_group(_WORKER_ENGINE, group)
    return out


def _mp_context() -> multiprocessing.context.BaseContext:
    """`forkserver` (the server loads the engine and spaCy once, workers fork from it), else `spawn`."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["assistant.batch_formats._preload"])
        return context
    return multiprocessing.get_context("spawn")


def _chunks(groups: list[list[tuple[int, Question]]], jobs: int) -> list[list[list[tuple[int, Question]]]]:
    """Consecutive conversations packed into tasks of a few questions (whole conversations only)."""
    total = sum(len(g) for g in groups)
    target = max(1, min(16, math.ceil(total / (jobs * 8))))
    chunks: list[list[list[tuple[int, Question]]]] = []
    current: list[list[tuple[int, Question]]] = []
    size = 0
    for group in groups:
        current.append(group)
        size += len(group)
        if size >= target:
            chunks.append(current)
            current, size = [], 0
    if current:
        chunks.append(current)
    return chunks


def answer_questions(
    engine: Assistant,
    questions: list[Question],
    *,
    jobs: int = 1,
    on_done: Callable[[int, Item], None] | None = None,
) -> list[Item]:
    """Answer `questions` (follow-ups in their conversation), in input order."""
    groups, parents, _ = conversations(questions)
    tagged = [[(pos, questions[pos]) for pos in g] for g in groups]
    results: dict[int, tuple[Answer, str | None]] = {}

    def take(batch: list[tuple[int, Answer, str | None]]) -> None:
        for pos, answer, error in batch:
            results[pos] = (answer, error)
            if on_done:
                on_done(len(results), _item(pos, answer, error))

    def _item(pos: int, answer: Answer, error: str | None) -> Item:
        return Item(question=questions[pos], answer=answer, error=error, parent=parents.get(pos))

    jobs = max(1, min(jobs, len(groups)))
    if jobs == 1:
        for group in tagged:
            take(_answer_group(engine, group))
    else:
        _answer_parallel(engine, tagged, jobs, take)
    return [_item(pos, *results[pos]) for pos in range(len(questions))]


def _answer_parallel(engine: Assistant, tagged, jobs: int, take) -> None:
    pool = ProcessPoolExecutor(
        max_workers=jobs,
        mp_context=_mp_context(),
        initializer=_worker_init,
        initargs=(str(engine.index_dir), engine.settings),
    )
    try:
        pending: dict[Future, list[list[tuple[int, Question]]]] = {pool.submit(_worker_run, c): c for c in _chunks(tagged, jobs)}
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                chunk = pending.pop(future)
                try:
                    take(future.result())
                except Exception as exc:  # a worker died or could not open the index
                    error = _one_line(exc)
                    take([(pos, _error_answer(q, error), error) for group in chunk for pos, q in group])
    except BaseException:
        for process in list(getattr(pool, "_processes", {}).values()):  # our own workers only
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown(wait=True)


# -- progress -----------------------------------------------------------------------


def _clock(seconds: float) -> str:
    seconds = int(round(seconds))
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


class Progress:
    """A one-line progress bar on stderr: count, rate and ETA (only on a terminal)."""

    def __init__(self, total: int, enabled: bool) -> None:
        self.total = total
        self.enabled = enabled
        self.start = time.monotonic()
        self.last = 0.0
        self.done = 0
        self.shown = False

    def update(self, done: int) -> None:
        self.done = done
        if not self.enabled:
            return
        now = time.monotonic()
        if done < self.total and now - self.last < 0.1:
            return
        self.last = now
        self._draw(now)

    def _draw(self, now: float) -> None:
        elapsed = max(now - self.start, 1e-9)
        rate = self.done / elapsed
        eta = _clock((self.total - self.done) / rate) if rate > 0 else "?"
        width = 28
        filled = int(width * self.done / self.total) if self.total else width
        speed = f"{rate:.1f}".replace(".", ",")
        line = f"[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} questions · {speed} q/s · reste {eta}"
        columns = shutil.get_terminal_size((80, 24)).columns
        sys.stderr.write("\r" + line[: max(columns - 1, 20)] + "\x1b[K")
        sys.stderr.flush()
        self.shown = True

    def message(self, text: str) -> None:
        """A line on stderr that does not garble the bar."""
        if self.shown:
            sys.stderr.write("\r\x1b[K")
        print(text, file=sys.stderr)
        if self.shown:
            self._draw(time.monotonic())

    def close(self) -> None:
        if self.shown:
            sys.stderr.write("\r\x1b[K")
            sys.stderr.flush()
            self.shown = False


# -- output -------------------------------------------------------------------------


def output_format(output: Path | None, fmt: str | None) -> str:
    """The format asked, else the one of the output's extension, else jsonl."""
    if fmt:
        if fmt not in FORMATS:
            raise BatchError(f"format de sortie inconnu « {fmt} » (attendu : {', '.join(FORMATS)})")
        return fmt
    if output is None or str(output) == "-":
        return "jsonl"
    found = EXTENSIONS.get(output.suffix.lower())
    if found is None:
        raise BatchError(
            f"format de sortie impossible à déduire de « {output.name} » : utilisez --format {'|'.join(FORMATS)} "
            "ou une extension .jsonl, .md, .csv, .html"
        )
    return found


def _not_regular(path: Path) -> bool:
    """True when `path` exists and is not a regular file (a device such as /dev/null, a pipe, a socket)."""
    try:
        return not stat.S_ISREG(os.stat(path).st_mode)
    except OSError:
        return False


def _check_output(output: Path, source: Path, force: bool) -> None:
    if output.is_dir():
        raise BatchError(f"la sortie est un dossier : {output}")
    if _not_regular(output):
        raise BatchError(
            f"la sortie n'est pas un fichier ordinaire (périphérique, tube ou socket) : {output} — "
            "donnez un fichier, ou omettez -o pour la sortie standard"
        )
    parent = output.parent if str(output.parent) else Path(".")
    if not parent.is_dir():
        raise BatchError(f"dossier de sortie introuvable : {parent}")
    try:
        same = output.exists() and source.exists() and output.samefile(source)
    except OSError:
        same = False
    if same:
        raise BatchError(f"la sortie écraserait le fichier de questions : {output}")
    if output.exists() and not force:
        raise BatchError(f"{output} existe déjà (--force pour l'écraser)")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes, *, force: bool) -> None:
    """Write `data` to `path` through a temporary file in the same folder and os.replace."""
    parent = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            mode = path.stat().st_mode & 0o777
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.chmod(tmp, mode)
        if path.exists() and not force:  # appeared while we were answering
            raise BatchError(f"{path} existe déjà (--force pour l'écraser)")
        if _not_regular(path):  # swapped for a device while we were answering
            raise BatchError(f"la sortie n'est pas un fichier ordinaire (périphérique, tube ou socket) : {path}")
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def render(items: list[Item], info: PackInfo, fmt: str, *, delimiter: str = DEFAULT_DELIMITER) -> str:
    """The pack as text in format `fmt`."""
    from assistant.batch_formats import render_csv, render_html, render_jsonl, render_markdown

    if fmt == "jsonl":
        return render_jsonl(items)
    if fmt == "md":
        return render_markdown(items, info)
    if fmt == "csv":
        return render_csv(items, delimiter=delimiter)
    return render_html(items, info)


PathStyle = Literal["relative", "absolute"]
"""How the pack's header shows the corpus, index and question-file paths."""


def shown_path(path: str | Path, style: PathStyle) -> str:
    """`path` as the pack shows it: relative to the current folder (the default), or absolute."""
    absolute = os.path.abspath(path)
    if style == "absolute":
        return absolute
    try:
        return os.path.relpath(absolute)
    except ValueError:  # another drive (Windows)
        return absolute


def _pack_info(engine: Assistant, qf: QuestionFile, file: Path, paths: PathStyle = "relative") -> PackInfo:
    skipped = [(b.line, b.reason) for b in qf.bad_lines]
    try:
        status = engine.status()
    except Exception:  # the header is informative; a status failure must not lose the answers
        return PackInfo(source=shown_path(file, paths), skipped=skipped)
    return PackInfo(
        source=shown_path(file, paths),
        roots=[shown_path(root, paths) for root in status.roots],
        index_dir=shown_path(status.index_dir, paths),
        index_updated_at=status.updated_at,
        documents=status.documents,
        skipped=skipped,
    )


def _summary(stats: Stats, skipped: int, target: str, seconds: float) -> str:
    rate = stats.total / seconds if seconds > 0 else 0.0
    line = (
        f"{count(stats.total, 'question')} : {count(stats.answered, 'répondue')}, {stats.abstained} sans réponse, "
        f"{stats.conflicts} avec {plural('conflit', stats.conflicts)}, {stats.failed} en échec"
    )
    if skipped:
        line += f", {count(skipped, 'ligne', 'ignorée')}"
    line += f" — écrit dans {target}"
    line += f" ({seconds:.1f} s, {rate:.1f} questions/s)".replace(".", ",")
    return line


# -- the command --------------------------------------------------------------------


def run_batch(
    engine: Assistant,
    file: Path | str,
    *,
    output: Path | str | None = None,
    fmt: str | None = None,
    force: bool = False,
    quiet: bool = False,
    fail_on_abstain: bool = False,
    jobs: int = 1,
    delimiter: str = DEFAULT_DELIMITER,
    paths: PathStyle = "relative",
) -> int:
    """Answer the questions of `file` and write the pack; return the exit code.

    `paths`: the pack's header shows the corpus, index and question-file paths
    relative to the current folder (the default: a pack shared with others
    does not reveal the machine's layout) or absolute.
    """
    file = Path(file)
    output = Path(output) if output is not None and str(output) != "-" else None
    fmt = output_format(output, fmt)
    if delimiter not in DELIMITERS:
        raise BatchError(f"séparateur CSV inconnu « {delimiter} » (attendu , ; ou tab)")
    delimiter = DELIMITERS[delimiter]
    if jobs < 1:
        raise BatchError(f"--jobs doit être au moins 1 (reçu {jobs})")
    if output is not None:
        _check_output(output, file, force)

    qf = read_questions(file)
    for bad in qf.bad_lines:
        print(safe_line(f"{file}:{bad.line}: ligne ignorée — {bad.reason}"), file=sys.stderr)
    if not qf.questions:
        raise BatchError(f"aucune question lisible dans {file}")
    _, _, conv_warnings = conversations(qf.questions)
    for warning in qf.warnings + conv_warnings:
        print(safe_line(f"{file}: {warning}"), file=sys.stderr)

    info = _pack_info(engine, qf, file, paths)
    progress = Progress(len(qf.questions), enabled=not quiet and sys.stderr.isatty())

    def on_done(done: int, item: Item) -> None:
        if item.error is not None:
            progress.message(safe_line(f"{file}:{item.question.line}: échec de la question {item.question.id} — {item.error}"))
        progress.update(done)

    started = time.monotonic()
    try:
        items = answer_questions(engine, qf.questions, jobs=jobs, on_done=on_done)
    finally:
        progress.close()
    seconds = time.monotonic() - started

    text = render(items, info, fmt, delimiter=delimiter)
    if output is None and sys.stdout.isatty():
        text = safe_text(text)  # a pack shown on a terminal: no escape from a report or a question reaches it
    if output is None:
        sys.stdout.flush()
        buffer = getattr(sys.stdout, "buffer", None)
        if buffer is not None:
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        target = "la sortie standard"
    else:
        write_atomic(output, text.encode("utf-8"), force=force)
        target = str(output)

    stats = Stats.of(items)
    print(safe_line(_summary(stats, len(qf.bad_lines), target, seconds)), file=sys.stderr)
    if qf.bad_lines or stats.failed:
        return EXIT_PARTIAL
    if fail_on_abstain and (stats.abstained or stats.failed):
        return EXIT_PARTIAL
    return EXIT_OK
