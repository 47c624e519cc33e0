"""Large compiled regular expressions kept on disk between runs, as Python keeps its byte code.

spaCy's French tokenizer matches its hyphenated exceptions with one regular
expression of 1.4 million characters (``token_match``), which Python compiles
anew in every process that loads the pipeline: about half of the loading
time (~1.5 s of CPU on an idle machine), paid by every ``assistant index``
run.  The program Python's compiler makes of a pattern depends only on the
pattern, its flags and the Python version, so it is saved once
(:func:`remember`, after a load) and handed back to :func:`re.compile`'s own
cache before the next load (:func:`seed`): the same pattern object, built
from the same program, without compiling it.

Everything here relies on CPython's internals (``re._parser``,
``re._compiler``, ``_sre.compile``, ``re._cache``); the file is keyed by the
Python version and the regular-expression engine's magic number, and any
failure (another Python, an unwritable folder, a damaged file) only means
that the pattern is compiled as usual.  The file, in the user's own cache
folder, holds plain strings, numbers and lists (:mod:`marshal`); nothing read
from it is ever run.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
from collections.abc import Iterable
from pathlib import Path

CACHE_ENV = "ASSISTANT_CACHE_DIR"
"""Environment variable: the folder of the cache (default ``$XDG_CACHE_HOME/assistant``, else ``~/.cache/assistant``)."""

MIN_CHARS = 100_000
"""Only patterns at least this long are worth a place in the file (shorter ones compile in milliseconds)."""


_SEEDED: set[str] = set()
"""Keys of the patterns :func:`seed` put in the cache in this process (no need to read the file again)."""


def cache_file() -> Path | None:
    """The cache file for this Python (None when no folder can be named)."""
    try:
        import _sre

        folder = os.environ.get(CACHE_ENV) or os.path.join(
            os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "assistant"
        )
        tag = hashlib.sha256(f"{sys.version}|{_sre.MAGIC}|{_sre.CODESIZE}".encode()).hexdigest()[:16]
    except Exception:  # noqa: BLE001 - no cache, never an error
        return None
    return Path(folder) / f"regex-{tag}.marshal"


def load_saved(path: Path) -> dict:
    """The dictionary :func:`save` wrote to `path` ({} when the file is missing or damaged)."""
    try:
        data = marshal.loads(path.read_bytes())
    except Exception:  # noqa: BLE001 - missing or damaged: compiled (or read) as usual
        return {}
    return data if isinstance(data, dict) else {}


def save(path: Path, saved: dict) -> bool:
    """Write `saved` (plain values, :mod:`marshal`) to `path` atomically: a reader sees the old file or
    the new one; False when it could not be written (the cache is only an optimisation)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(marshal.dumps(saved))
        os.replace(tmp, path)
    except (OSError, ValueError):
        return False
    return True


def _key(pattern: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}|{pattern}".encode()).hexdigest()


def program(pattern: str, flags: int = 0) -> tuple:
    """What :func:`re.compile` builds `pattern` from: (flags, code, groups, group index, index group)."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    parsed = _parser.parse(pattern, flags)
    code = _compiler._code(parsed, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup: list[str | None] = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    return (int(flags | parsed.state.flags), [int(op) for op in code], parsed.state.groups - 1, groupindex, tuple(indexgroup))


def build(pattern: str, prog: tuple) -> re.Pattern[str]:
    """The pattern object of `pattern` from its saved :func:`program`, without compiling it."""
    import _sre

    flags, code, groups, groupindex, indexgroup = prog
    return _sre.compile(pattern, flags, code, groups, groupindex, tuple(indexgroup))


def seed(path: Path | None = None) -> int:
    """Put the saved patterns in :func:`re.compile`'s cache; how many (0 when there is no usable file)."""
    path = path or cache_file()
    if path is None:
        return 0
    cache = getattr(re, "_cache", None)
    if not isinstance(cache, dict):
        return 0
    seeded = 0
    for key, entry in load_saved(path).items():
        try:
            pattern, flags, prog = entry
            if _key(pattern, flags) != key:
                continue
            cache[(str, pattern, flags)] = build(pattern, prog)
            _SEEDED.add(key)
            seeded += 1
        except Exception:  # noqa: BLE001 - an entry we cannot use is compiled as usual
            continue
    return seeded


def remember(patterns: Iterable[re.Pattern[str]], path: Path | None = None, flags: int = 0) -> int:
    """Save the programs of the long `patterns` (compiled with `flags`) not saved yet; how many were added.

    Computing a program costs one compilation, once per Python version.
    """
    long = [p for p in patterns if isinstance(getattr(p, "pattern", None), str) and len(p.pattern) >= MIN_CHARS]
    long = [p for p in long if _key(p.pattern, flags) not in _SEEDED]
    path = path or cache_file()
    if path is None or not long:
        return 0
    saved = load_saved(path)
    added = 0
    for compiled in long:
        pattern = compiled.pattern
        if _key(pattern, flags) in saved:
            continue
        try:
            saved[_key(pattern, flags)] = (pattern, flags, program(pattern, flags))
            added += 1
        except Exception:  # noqa: BLE001 - not saved, compiled as usual next time
            continue
    if added and not save(path, saved):
        return 0
    return added
