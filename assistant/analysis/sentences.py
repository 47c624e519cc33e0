"""French sentence spans in a text (offsets kept, nothing rewritten).

One splitter for the whole assistant: the facts table quotes the sentences
it cuts, and the answers quote the same sentences.
"""

from __future__ import annotations

import re

_TERMINAL = ".!?…"
_ABBREVIATIONS = frozenset(
    "m mm mme mmes mlle dr st ste art p pp cf etc av apr j.-c c n no vol éd ed chap fig env min max hab "
    "md mds resp ex ca fr mr mrs prof gal gén".split()
)
_MAX_SENTENCE = 500
_BR_END = re.compile(r"\s*<br\s*/?>\s*$", re.IGNORECASE)
"""An HTML line-break tag left at the end of a line by scraping."""
_FIGURE_ALONE = 16
"""Longest 'sentence' made of a figure alone (with its unit), read with the sentence after it."""
_WORD = re.compile(r"[^\W\d_]{4,}")
"""A word (units such as M€, Md€, % or "mois" are shorter)."""
_BOUNDARY = re.compile(
    r"[.!?…]+[»\"”)]?"
    # a space, or a note glued to both sentences ("fin.[réf. nécessaire]Puis", "fin.[3] Puis"),
    # which stays with the sentence it annotates
    r"(?:(\s+)|(?:\[[^\]\n]{1,40}\])+(\s*))"
    r"(?=[«\"“(\[]?\s?[A-ZÀ-ÖØ-Ý0-9])"
)


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans of ``text[start:end]`` (offsets into `text`), stripped of spaces and bullets.

    A line break ends a sentence unless the next line goes on in lower case (a
    hard-wrapped paragraph) or the line ends with a scraped ``<br />`` tag and no
    final punctuation; a figure stated alone ("291,3 M€.") belongs to the
    sentence after it; inside a line, ``. ! ? …`` followed by a capital or
    a digit (after a space or a bracketed note such as ``[réf. nécessaire]``)
    ends one, except after a common abbreviation or an initial. Very long
    sentences are cut at ``;`` or ``,`` into pieces of at most ~500 characters.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    # paragraphs: lines, joined when a line goes on in lower case
    lines = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+", text[start:end])]
    para: list[tuple[int, int]] = []
    paras: list[tuple[int, int]] = []
    for ls, le in lines:
        ls, le = ls + start, le + start
        if not text[ls:le].strip():
            continue
        if para:
            prev_s, prev_e = para[-1]
            prev = text[prev_s:prev_e].rstrip()
            nxt = text[ls:le].lstrip()
            gap = text[prev_e:ls]
            if gap.count("\n") == 1 and prev and prev[-1] not in _TERMINAL + ':;»"|' and nxt[:1].islower() and nxt[:1] != "|":
                para.append((ls, le))
                continue
            if gap.count("\n") == 1 and _wrapped(text, para, prev) and nxt[:1].isupper():
                # a hard-wrapped paragraph goes on with a capitalised word (« 19% des crédits / FEDER sont alloués »)
                para.append((ls, le))
                continue
            # a scraped page's line break tag ("…ont duré en moyenne<br />", a blank line, "4,4 mois.")
            # breaks a line, not a sentence
            core = _BR_END.sub("", prev)
            if core != prev and gap.count("\n") <= 2 and core and core[-1] not in _TERMINAL + ':;»"|':
                para.append((ls, le))
                continue
            paras.append((para[0][0], para[-1][1]))
        para = [(ls, le)]
    if para:
        paras.append((para[0][0], para[-1][1]))
    for ps, pe in paras:
        cut = ps
        for m in _BOUNDARY.finditer(text[ps:pe]):
            p = ps + m.start()
            word = re.search(r"([\w.\-]+)$", text[max(ps, p - 12) : p])
            w = word.group(1).lower() if word else ""
            if w in _ABBREVIATIONS or (len(w) == 1 and w.isalpha()) or re.fullmatch(r"(?:\w\.)+\w", w):
                continue
            space = 1 if m.group(1) is not None else 2
            se = ps + m.start(space)
            alone = text[cut:se].strip()
            if len(alone) <= _FIGURE_ALONE and alone[:1].isdigit() and not _WORD.search(alone):
                continue  # a figure stated alone ("291,3 M€. C'est le montant des aides…") opens the next sentence
            spans.append((cut, se))
            cut = ps + m.end(space)
        spans.append((cut, pe))
    out: list[tuple[int, int]] = []
    for s, e in spans:
        while s < e and (text[s].isspace() or text[s] in "•▪◦‣*-–·"):
            if text[s] in "-–" and s + 1 < e and text[s + 1].isdigit():
                break
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e <= s:
            continue
        out.extend(_cut_long(text, s, e))
    return out


_WRAPPED_LINE = 50
"""Shortest line of a hard-wrapped paragraph (a title or a list item is shorter, or ends the paragraph)."""


def _wrapped(text: str, para: list[tuple[int, int]], prev: str) -> bool:
    """True when the paragraph read so far is hard-wrapped prose that has not ended: its last two
    lines long, the last ending on a word or a comma (no final punctuation), not in capitals."""
    if len(para) < 2 or not (prev[-1].isalpha() or prev[-1] == ","):
        return False
    return all(len(text[s:e].strip()) >= _WRAPPED_LINE for s, e in para[-2:]) and not prev.isupper()


def _cut_long(text: str, s: int, e: int) -> list[tuple[int, int]]:
    if e - s <= _MAX_SENTENCE:
        return [(s, e)]
    pieces: list[tuple[int, int]] = []
    while e - s > _MAX_SENTENCE:
        window = text[s : s + _MAX_SENTENCE]
        cut = -1
        for sep in ("; ", " • ", ". ", ", ", " "):
            i = window.rfind(sep, 100)
            if i > 0:
                cut = i + len(sep.rstrip())
                break
        if cut <= 0:
            cut = _MAX_SENTENCE
        pe = s + cut
        while pe > s and text[pe - 1].isspace():
            pe -= 1
        pieces.append((s, pe))
        s = s + cut
        while s < e and text[s].isspace():
            s += 1
    if s < e:
        pieces.append((s, e))
    return pieces
