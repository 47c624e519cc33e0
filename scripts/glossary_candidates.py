"""Candidate French vocabulary for the English glossary, from corpora that have no questions.

    .venv/bin/python scripts/glossary_candidates.py ../shared/bench/crc-rapports ../shared/bench/ccomptes-arrets > /tmp/candidates.tsv

Prints the most frequent French content words (grouped by stem, shown by their
most frequent written form) and 2–3-word terms (word [de/d'/des/du/à la…] word),
with their frequency and the number of documents they occur in, and whether a
French side of assistant/data/glossary_en_fr.tsv already holds them.  The
glossary itself is written by hand from this list (English equivalents);
this script is a tool, not shipped logic.
"""

from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from assistant.analysis.analyzer import fold, stem, stop_words
from assistant.ingest.errors import IngestError
from assistant.ingest.reader import EXTRACTORS
from assistant.qa.question import glossary

WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")
LINKS = {"de", "d", "des", "du", "à", "au", "aux", "la", "l", "en"}


def _texts(folders: list[Path]):
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            extractor = EXTRACTORS.get(path.suffix.lower())
            if extractor is None:
                continue
            try:
                yield extractor(path.read_bytes()).text
            except (IngestError, ValueError, OSError):
                continue


def main(argv: list[str]) -> int:
    top = 2500
    folders = [Path(a) for a in argv if not a.startswith("--")]
    stops = stop_words()
    forms: dict[str, Counter[str]] = defaultdict(Counter)
    freq: Counter[str] = Counter()
    docs: Counter[str] = Counter()
    terms: Counter[str] = Counter()
    term_docs: Counter[str] = Counter()
    for text in _texts(folders):
        words = [w.lower() for w in WORD.findall(text.replace("’", "'").replace("'", " "))]
        seen: set[str] = set()
        seen_terms: set[str] = set()
        content = [len(w) > 3 and fold(w) not in stops for w in words]
        for i, w in enumerate(words):
            if not content[i]:
                continue
            s = stem(fold(w))
            forms[s][w] += 1
            freq[s] += 1
            seen.add(s)
            # word word / word LINK word / word LINK LINK word
            for gap in (0, 1, 2):
                j = i + 1 + gap
                if j >= len(words) or not content[j]:
                    continue
                if gap and not all(words[k] in LINKS for k in range(i + 1, j)):
                    continue
                term = " ".join(words[i : j + 1])
                terms[term] += 1
                seen_terms.add(term)
        docs.update(seen)
        term_docs.update(seen_terms)
    covered = {fold(f) for values in glossary(None).values() for f in values}
    covered_words = {w for f in covered for w in f.split()}
    print("# words: stem\tform\tfrequency\tdocuments\tcovered")
    ranked = sorted(freq, key=lambda s: -docs[s] * freq[s] ** 0.5)
    for s in ranked[:top]:
        form = forms[s].most_common(1)[0][0]
        print(f"W\t{s}\t{form}\t{freq[s]}\t{docs[s]}\t{'yes' if fold(form) in covered_words else ''}")
    print("# terms: text\tfrequency\tdocuments\tcovered")
    for term, n in sorted(terms.items(), key=lambda kv: -term_docs[kv[0]] * kv[1] ** 0.5)[:1000]:
        if term_docs[term] >= 5:
            print(f"T\t{term}\t{n}\t{term_docs[term]}\t{'yes' if fold(term) in covered else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
