"""Text bound for a terminal: control characters shown escaped, never interpreted.

A report, a question file or a file name may hold terminal escapes (``ESC ]
52`` writes the clipboard, ``ESC ] 0`` the window title, ``ESC [ … m``
colours), C1 controls, bidirectional overrides or a newline that forges a
report line.  Every printer of the command line passes its text through
:func:`safe_text` (multi-line text: newlines and tabs kept) or
:func:`safe_line` (one line of a report: newlines escaped too).
"""

from __future__ import annotations

import re

_CONTROLS = "\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069"
"""C0 (but tab and newline), DEL, C1, and the bidirectional marks and overrides."""

_TEXT_RE = re.compile(f"[{_CONTROLS}]")
_LINE_RE = re.compile(f"[{_CONTROLS}\t\n\u2028\u2029]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\x1b": "\\e"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_text(text: str) -> str:
    """`text` with every control character but newline and tab written as an escape (``\\e``, ``\\x07``)."""
    return _TEXT_RE.sub(_escape, text)


def safe_line(text: str) -> str:
    """`text` as one line: newlines and tabs escaped too (``\\n``), so that it cannot forge another line."""
    return _LINE_RE.sub(_escape, text)
