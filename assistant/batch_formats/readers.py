"""Read question files: ``.txt``, ``.csv`` and ``.jsonl`` (see ANSWER_FORMAT.md).

A bad line (no question, broken JSON, undecodable bytes, a CSV row that does
not fit its header) is reported with its 1-based line number and skipped;
the rest is read.  A missing, unreadable or empty file, an unknown extension
or a CSV header without a ``question`` column stops everything
(:class:`BatchError`, exit 2).

Encodings: ``.txt`` and ``.csv`` are UTF-8 (with or without BOM) or
Windows-1252, decided for the whole file from the lines that are not plain
ASCII (UTF-8 when at least as many of them decode as UTF-8 as do not); a line
that does not decode strictly in the chosen encoding is a bad line — bytes are
never replaced.  ``.jsonl`` is UTF-8 only (RFC 8259).  A UTF-16 file with its
BOM (Excel's « texte Unicode ») is read as a whole.

A question starting with ``+`` continues the conversation of the question
before it (a follow-up); the ``+`` is removed from the question.
"""

from __future__ import annotations

import csv
import json
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from assistant.batch_formats.common import BatchError, Question

INPUT_EXTENSIONS = {".txt": "txt", ".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl"}
"""Question file formats by extension."""

FOLLOW_UP = "+"
"""Marker at the start of a question that continues the previous question's conversation."""

_SINGLE_COLUMN = "\x1f"
"""Delimiter used for a one-column CSV (never found in text), so commas in questions stay."""


@dataclass
class BadLine:
    """An input line that was skipped, and why."""

    line: int
    reason: str


@dataclass
class QuestionFile:
    """What a question file held."""

    path: Path
    format: str
    questions: list[Question] = field(default_factory=list)
    bad_lines: list[BadLine] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    encoding: str = "utf-8"
    delimiter: str | None = None
    columns: list[str] = field(default_factory=list)
    """Carried-through column/field names, in first-seen order."""


def read_questions(path: Path) -> QuestionFile:
    """Read a question file; raise :class:`BatchError` when it cannot be used at all."""
    path = Path(path)
    fmt = INPUT_EXTENSIONS.get(path.suffix.lower())
    if not path.exists():
        raise BatchError(f"fichier de questions introuvable : {path}")
    if path.is_dir():
        raise BatchError(f"{path} est un dossier, pas un fichier de questions")
    if fmt is None:
        raise BatchError(
            f"format de fichier de questions inconnu « {path.suffix or path.name} » (attendu .txt, .csv ou .jsonl) : {path}"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BatchError(f"fichier de questions illisible : {path} ({exc.strerror or exc})") from None
    result = QuestionFile(path=path, format=fmt)
    lines = _decode(data, result, allow_cp1252=fmt != "jsonl")
    if not any(line and line.strip() for line in lines):
        if any(line is None for line in lines):
            raise BatchError(f"fichier de questions illisible (ni UTF-8 ni Windows-1252) : {path}")
        raise BatchError(f"fichier de questions vide : {path}")
    if fmt == "txt":
        _read_txt(lines, result)
    elif fmt == "csv":
        _read_csv(lines, result)
    else:
        _read_jsonl(lines, result)
    result.bad_lines.sort(key=lambda b: b.line)
    _check_ids(result)
    return result


# -- decoding ----------------------------------------------------------------------


def _decode(data: bytes, result: QuestionFile, *, allow_cp1252: bool) -> list[str | None]:
    """Lines of the file, decoded one by one; None for a line that does not decode."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise BatchError(f"fichier de questions UTF-16 illisible : {result.path}") from None
        result.encoding = "utf-16"
        return [_clean(line) for line in text.split("\n")]
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        allow_cp1252 = False  # a UTF-8 BOM says it all
    raw = data.split(b"\n")
    encoding = "utf-8"
    if allow_cp1252:
        utf8 = failed = 0
        for line in raw:
            if not line.isascii():
                try:
                    line.decode("utf-8")
                    utf8 += 1
                except UnicodeDecodeError:
                    failed += 1
        if failed > utf8:
            encoding = "cp1252"
    result.encoding = encoding
    out: list[str | None] = []
    for line in raw:
        try:
            out.append(_clean(line.decode(encoding)))
        except UnicodeDecodeError:
            out.append(None)
    return out


def _clean(line: str) -> str:
    return unicodedata.normalize("NFC", line.removesuffix("\r"))


def _undecodable(result: QuestionFile) -> str:
    names = {"utf-8": "UTF-8", "cp1252": "Windows-1252"}
    return f"octets illisibles en {names.get(result.encoding, result.encoding)}"


def _question(result: QuestionFile, line: int, qid: str | None, text: str, extra: dict[str, Any]) -> None:
    text = text.strip()
    follow_up = text.startswith(FOLLOW_UP)
    if follow_up:
        text = text[len(FOLLOW_UP) :].strip()
    if not text:
        reason = "« + » sans question" if follow_up else "pas de question"
        result.bad_lines.append(BadLine(line, reason))
        return
    for name in extra:
        if name not in result.columns:
            result.columns.append(name)
    result.questions.append(Question(line=line, id=qid or str(line), text=text, follow_up=follow_up, extra=extra))


# -- formats -------------------------------------------------------------------------


def _content_lines(lines: list[str | None], result: QuestionFile):
    """(line number, stripped text) of the lines worth reading; undecodable lines are reported."""
    for number, line in enumerate(lines, start=1):
        if line is None:
            result.bad_lines.append(BadLine(number, _undecodable(result)))
            continue
        text = line.strip()
        if text and not text.startswith("#"):
            yield number, text


def _read_txt(lines: list[str | None], result: QuestionFile) -> None:
    for number, text in _content_lines(lines, result):
        _question(result, number, None, text, {})


def _read_jsonl(lines: list[str | None], result: QuestionFile) -> None:
    for number, text in _content_lines(lines, result):
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as exc:
            result.bad_lines.append(BadLine(number, f"JSON invalide ({exc.msg}, colonne {exc.colno})"))
            continue
        except RecursionError:
            result.bad_lines.append(BadLine(number, "JSON trop imbriqué (une ligne doit être un objet simple)"))
            continue
        if not isinstance(obj, dict):
            result.bad_lines.append(BadLine(number, "pas un objet JSON"))
            continue
        question = obj.get("question")
        if not isinstance(question, str) or not question.strip():
            result.bad_lines.append(BadLine(number, "pas de champ « question » (texte non vide)"))
            continue
        raw_id = obj.get("id")
        qid = None if raw_id is None or isinstance(raw_id, (dict, list)) or str(raw_id).strip() == "" else str(raw_id).strip()
        extra = {k: v for k, v in obj.items() if k not in ("question", "id")}
        _question(result, number, qid, question, extra)


def _header_fields(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter), [])


def _norm(name: str) -> str:
    return name.strip().lstrip("\ufeff").strip().lower()


def _sniff_delimiter(header: str, sample: str) -> str:
    """`,` or `;`: the one that makes a `question` column in the header, else csv.Sniffer, else the more frequent."""
    fits = [d for d in (",", ";") if "question" in [_norm(f) for f in _header_fields(header, d)]]
    if fits and all(len(_header_fields(header, d)) == 1 for d in fits):
        return _SINGLE_COLUMN  # just `question`: commas and semicolons belong to the questions
    if len(fits) == 1:
        return fits[0]
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;").delimiter
    except csv.Error:
        return ";" if header.count(";") > header.count(",") else ","


def _read_csv(lines: list[str | None], result: QuestionFile) -> None:
    # The header: the first decodable non-blank line.
    first = next(i for i, line in enumerate(lines) if line is not None and line.strip())
    for number in range(first):
        if lines[number] is None:
            result.bad_lines.append(BadLine(number + 1, _undecodable(result)))
    header_line = lines[first]
    assert header_line is not None  # `first` is a decodable line
    sample = "\n".join(line for line in lines[first : first + 50] if line is not None)
    delimiter = _sniff_delimiter(header_line, sample)
    result.delimiter = delimiter if delimiter != _SINGLE_COLUMN else None
    header = [f.strip().lstrip("\ufeff").strip() for f in _header_fields(header_line, delimiter)]
    names = [_norm(f) for f in header]
    if "question" not in names:
        shown = ", ".join(header) or "(aucune)"
        raise BatchError(f"l'en-tête CSV doit contenir une colonne « question » (colonnes lues : {shown}) : {result.path}")
    qi = names.index("question")
    ii = names.index("id") if "id" in names else None
    header = [h or f"colonne {n}" for n, h in enumerate(header, start=1)]
    extra_cols = [j for j in range(len(header)) if j not in (qi, ii)]

    bad: set[int] = set()
    for number in range(first + 1, len(lines)):
        if lines[number] is None:
            bad.add(number + 1)
            result.bad_lines.append(BadLine(number + 1, _undecodable(result)))

    def reader_from(index: int):
        """A CSV reader over the physical lines from 0-based `index` on."""
        return csv.reader(((lines[n] or "") + "\n" for n in range(index, len(lines))), delimiter=delimiter), index

    reader, base = reader_from(first + 1)
    previous = first + 1  # physical lines consumed so far (header included)
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            result.bad_lines.append(BadLine(previous + 1, f"ligne CSV illisible ({exc})"))
            previous = base + reader.line_num
            continue
        if base + reader.line_num - previous > 1:
            # A quote left open swallowed the lines after it: report that line, read the next ones anew.
            result.bad_lines.append(
                BadLine(previous + 1, "guillemet non fermé (une question tient sur une ligne) : fermez le guillemet")
            )
            reader, base = reader_from(previous + 1)
            previous += 1
            continue
        start = previous + 1
        previous = base + reader.line_num
        if start in bad and not any(f.strip() for f in row):
            continue  # already reported as undecodable
        if not any(f.strip() for f in row):
            continue
        if len(row) > len(header):
            if qi == len(header) - 1:
                # The question is the last column and holds unquoted delimiters: glue it back.
                row = row[:qi] + [delimiter.join(row[qi:])]
            else:
                sep = "tabulation" if delimiter == "\t" else delimiter
                result.bad_lines.append(
                    BadLine(
                        start,
                        f"{len(row)} champs pour {len(header)} colonnes (la question contient-elle « {sep} » sans guillemets ?)",
                    )
                )
                continue
        row = row + [""] * (len(header) - len(row))
        qid = row[ii].strip() if ii is not None else None
        extra = {header[j]: row[j] for j in extra_cols}
        _question(result, start, qid or None, row[qi], extra)


def _check_ids(result: QuestionFile) -> None:
    seen: dict[str, int] = {}
    for q in result.questions:
        if q.id in seen:
            result.warnings.append(f"ligne {q.line} : identifiant « {q.id} » déjà utilisé ligne {seen[q.id]}")
        else:
            seen[q.id] = q.line
