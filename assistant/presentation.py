"""How numbers, counts, confidence and progress read, in one place for the chat, the CLI and the packs.

Pure functions, no Textual: the chat's answer card, ``assistant ask``,
``assistant index`` and the audit packs all say the same thing the same way.
"""

from __future__ import annotations

NBSP = "\u202f"
"""Narrow no-break space: the French thousands separator."""

_INVARIABLE = {"mois", "fois", "ETP", "EUR", "FRF", "%"}


def format_number(value: float | int, max_decimals: int = 4, *, fixed: bool = False) -> str:
    """A number written the French way: `12 700 000`, `59,26`, `0,3824` (`fixed`: keep trailing zeros)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15 and not fixed:
        value = int(value)
    if isinstance(value, int):
        return f"{value:,}".replace(",", NBSP)
    text = f"{value:,.{max_decimals}f}"
    if not fixed:
        text = text.rstrip("0").rstrip(".")
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", NBSP)


def plural(word: str, value: float) -> str:
    """`word` in the plural when `value` calls for it (French: 0 and 1 are singular; the common cases)."""
    if abs(value) < 2 or not word or word in _INVARIABLE or word.isupper() or " " in word:
        return word
    if word.endswith(("s", "x", "z")):
        return word
    if word.endswith("al") and word not in {"festival", "bal", "carnaval", "récital"}:
        return word[:-2] + "aux"
    if word.endswith(("eau", "au", "eu")):
        return word + "x"
    return word + "s"


def count(n: int, *words: str) -> str:
    """`1 document`, `16 documents`, `1 ajouté`, `0 fait écrit`, `3 faits écrits` (every word agrees)."""
    return " ".join([format_number(n), *(plural(word, n) for word in words)])


# -- tables -----------------------------------------------------------------------


def fit_widths(
    total: int, columns: list[tuple[str, int, int]], gap: int = 2, wanted: dict[str, int] | None = None
) -> dict[str, int]:
    """Column widths that use `total` cells: each (key, minimum, weight) gets its minimum, the rest by weight.

    A weight of 0 keeps the minimum (a fixed column); `gap` cells separate two
    columns.  With `wanted` (the longest content of a column), a column grows
    no wider than its content while another one still needs room.
    """
    widths = {key: minimum for key, minimum, _ in columns}
    spare = total - sum(widths.values()) - gap * len(columns)
    growing = [(key, weight) for key, _, weight in columns if weight > 0]
    while spare > 0 and growing:
        needy = [(k, w) for k, w in growing if wanted is None or widths[k] < wanted.get(k, 0)]
        pool = needy or growing
        weights = sum(w for _, w in pool)
        given = 0
        for key, weight in pool:
            share = max(1, spare * weight // weights)
            if needy and wanted is not None:
                share = min(share, wanted.get(key, 0) - widths[key])
            share = min(share, spare - given)
            widths[key] += share
            given += share
        spare -= given
        if given == 0 or not needy:
            break
    return widths


def clip_end(text: str, width: int) -> str:
    """A path shown by its end (`…/dossier/rapport.pdf`) when longer than `width`."""
    return text if len(text) <= width else "…" + text[-(width - 1) :]


# -- confidence ---------------------------------------------------------------------

CONFIDENCE_LEVELS: tuple[tuple[float, str, str, str], ...] = (
    (0.75, "élevée", "high", "●●●"),
    (0.5, "moyenne", "medium", "●●○"),
    (0.0, "faible", "low", "●○○"),
)
"""(lowest confidence, French word, English word, gauge) of each level, highest first."""

LOW_CONFIDENCE = 0.5
"""Below this confidence an answer is « faible » and flagged « à vérifier » in the packs."""


def confidence_level(confidence: float, lang: str = "fr") -> tuple[str, str]:
    """(word, gauge) for a confidence: the cue is text, never a colour alone."""
    for floor, french, english, gauge in CONFIDENCE_LEVELS:
        if confidence >= floor:
            return (french if lang == "fr" else english), gauge
    _, french, english, gauge = CONFIDENCE_LEVELS[-1]
    return (french if lang == "fr" else english), gauge


def confidence_cue(confidence: float, lang: str = "fr") -> str:
    """`élevée ●●● (86 %)`: the one way confidence is shown, in the chat, the CLI and the packs."""
    word, gauge = confidence_level(confidence, lang)
    return f"{word} {gauge} ({round(confidence * 100)} %)"


def confidence_text(confidence: float, lang: str = "fr") -> str:
    """`Confiance : élevée ●●● (86 %)` (`Confidence: high ●●● (86 %)` for an English answer)."""
    label = "Confiance : " if lang == "fr" else "Confidence: "
    return label + confidence_cue(confidence, lang)


# -- progress -----------------------------------------------------------------------


def _rate(words: int, seconds: float) -> str:
    if seconds < 0.5 or words == 0:
        return ""
    return f"{format_number(round(words / seconds))} mots/s"


def progress_line(done: int, total: int, words: int, seconds: float, path: str = "", width: int = 80) -> str:
    """One line of at most `width - 1` characters: bar, files, words, rate, elapsed time, then the file name if it fits.

    `total` 0 means the files are still being listed.
    """
    limit = max(width - 1, 20)
    elapsed = f"{int(seconds) // 60}:{int(seconds) % 60:02d}"
    if total <= 0:
        return f"Indexation : recherche des fichiers… {elapsed}"[:limit]
    parts = [f"{done}/{total} fichiers", count(words, "mot"), _rate(words, seconds), elapsed]
    if done == 0 and seconds >= 1:
        parts.insert(1, "préparation…")
    stats = " · ".join(p for p in parts if p)
    bar_width = max(0, min(20, limit - len(stats) - 3))
    line = stats
    if bar_width >= 5:
        filled = bar_width * done // total
        line = f"[{'#' * filled}{'.' * (bar_width - filled)}] {stats}"
    room = limit - len(line) - 3
    if path and room >= 8:
        name = path if len(path) <= room else "…" + path[-(room - 1) :]
        line += f" · {name}"
    return line[:limit]
