"""Indexing speed without changing a fact: lemmas by set lookups, parses skipped, work split by size."""

from __future__ import annotations

import os
import time

import pytest


@pytest.fixture(scope="module")
def nlp():
    """The spaCy pipeline, loaded once for this module."""
    from assistant.facts.nlp import get_nlp

    return get_nlp()


# --- lemmas -------------------------------------------------------------------------

_TEXT = (
    "Les collectivités territoriales ont engagé 27 projets structurants en 2019, dont les montants "
    "initialement prévus ont été revus à la baisse ; les chambres régionales des comptes relèvent que "
    "les dépenses de fonctionnement se sont accrues, que les effectifs ont diminué et qu'elles "
    "recommandent aux communes de fiabiliser leurs comptes. Il était allé voir les travaux réalisés."
)


def test_rule_lemmas_are_spacys(nlp):
    from assistant.facts.nlp import _rules, parse_many

    spacy_lemmatizer = nlp.get_pipe("lemmatizer")
    (doc,) = parse_many([_TEXT])
    pairs = [(t.text, t.pos_, spacy_lemmatizer.rule_lemmatize(t), _rules().lemmatize(t.text, t.pos_)) for t in doc]
    assert len(pairs) > 40
    assert [p[2] for p in pairs] == [p[3] for p in pairs]


def test_unknown_words_are_lemmatised_fast(nlp):
    """spaCy's word index is a list of 66,000 nouns searched linearly (~0.5 ms a word); a set answers at once."""
    from spacy.tokens import Doc

    from assistant.facts.nlp import lemma

    words = [f"zorglub{i}ations" for i in range(4000)]
    doc = Doc(nlp.vocab, words=words, pos=["NOUN"] * len(words))
    started = time.process_time()
    lemmas = [lemma(t) for t in doc]
    elapsed = time.process_time() - started
    assert lemmas[7] == "zorglub7ation"
    assert elapsed < 0.6, f"{elapsed:.2f} s for {len(words)} unknown nouns"


# --- parses skipped ---------------------------------------------------------------


def _counting_parses(monkeypatch) -> list[str]:
    """Every text handed to spaCy by the fact extractor, recorded (the parse itself still runs)."""
    from assistant.facts import nlp as facts_nlp

    seen: list[str] = []
    real = facts_nlp.parse_many

    def counting(texts, *args, **kwargs):
        texts = list(texts)
        seen.extend(texts)
        return real(texts, *args, **kwargs)

    monkeypatch.setattr(facts_nlp, "parse_many", counting)
    return seen


def test_a_sentence_whose_figures_are_years_is_not_parsed(nlp, monkeypatch):
    from assistant.facts import extract_facts
    from assistant.models import Document, Section

    text = (
        "Le programme a débuté en 2014 et s'est achevé en mars 2019. "
        "La commune compte 27 projets en 2019. "
        "Les travaux ont été réalisés entre 2016 et 2018. "
        "Fait et jugé en la quatrième chambre, première section."
    )
    doc = Document(path="t.txt", title="t", format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text=text)
    sections = [Section(document="t.txt", ordinal=0, heading="", heading_path=[], text=text, start=0, end=len(text))]
    parsed = _counting_parses(monkeypatch)
    facts = extract_facts(doc, sections)
    assert parsed == ["La commune compte 27 projets en 2019."]
    dates = {f.raw: f for f in facts if f.kind == "date"}
    assert {"2014", "mars 2019", "2019"} <= set(dates)
    assert {f.raw for f in facts if f.kind == "rank"} == {"quatrième", "première"}
    assert dates["2014"].scope[-2:] == ["2014", "2019"] and dates["2014"].sentence.startswith("Le programme")
    projets = next(f for f in facts if f.raw == "27")
    assert projets.unit == "projet" and projets.subject


# --- the work split ------------------------------------------------------------------


def test_the_work_is_split_by_size_not_by_file_count(tmp_path):
    """Eight large reports first (as 29 CRC reports sorted by name), then small ones: no chunk holds half the work."""
    from assistant.retrieval import indexer

    sizes = [300_000] * 8 + [20_000] * 21
    todo = []
    for i, size in enumerate(sizes):
        path = tmp_path / f"r{i:02}.txt"
        path.write_bytes(b"x" * size)
        todo.append((indexer.SourceFile(path, path.name, str(tmp_path), True), False))
    chunks = indexer._chunks(todo, {}, 8)
    weights = [sum(sizes[int(s.path.stem[1:])] for s, _sha in chunk) for chunk in chunks]
    assert [s for chunk in chunks for s, _sha in chunk] == [s for s, _e in todo]  # every file once, in order
    assert max(weights) <= max(indexer.CHUNK_BYTES, max(sizes)) + max(sizes)
    assert max(weights) < sum(sizes) / 4
    assert all(len(chunk) <= 8 for chunk in chunks)


def test_worker_processes_run_one_blas_thread(monkeypatch):
    """A worker sets one thread per numerical library before spaCy loads numpy; a value the user set stays."""
    from assistant.retrieval import indexer

    for name in indexer.THREAD_VARIABLES:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MKL_NUM_THREADS", "3")
    indexer._worker_init()
    assert {name: os.environ[name] for name in indexer.THREAD_VARIABLES} == {
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "3",
        "BLIS_NUM_THREADS": "1",
    }


def test_worker_processes_start_with_spacy_loaded(tmp_path):
    """The forkserver loads the pipeline once; the workers forked from it never load it again (nor does the writer)."""
    import subprocess
    import sys

    code = (
        "from concurrent.futures import ProcessPoolExecutor\n"
        "from assistant.facts import nlp\n"
        "from assistant.retrieval import indexer\n"
        "context = indexer._mp_context(True)\n"
        "with ProcessPoolExecutor(2, mp_context=context, initializer=indexer._worker_init) as pool:\n"
        "    print([pool.submit(nlp.loaded).result() for _ in range(4)], nlp.loaded())\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["[True,", "True,", "True,", "True]", "False"]


def test_a_few_long_reports_are_shared_between_the_workers(tmp_path, monkeypatch):
    """Five long reports (over PARALLEL_MIN_BYTES together) go to the workers, not to one process."""
    from assistant.retrieval import indexer
    from assistant.retrieval.store import Store

    folder = tmp_path / "long"
    folder.mkdir()
    for i in range(5):
        (folder / f"rapport-{i}.txt").write_text(f"RAPPORT {i}\n\n" + "Le budget atteint 12 M€ en 2020. " * 40, encoding="utf-8")
    monkeypatch.setattr(indexer, "PARALLEL_MIN_BYTES", 1000)  # the test's reports are short; the rule is the same
    monkeypatch.setattr(indexer, "CHUNK_BYTES", 1000)
    used: list[int] = []
    real = indexer._results_in_order

    def spy(chunks, settings, with_facts, workers, cancel):
        used.append(workers)
        return real(chunks, settings, with_facts, 1, cancel)  # the decision is under test, not the pool

    monkeypatch.setattr(indexer, "_results_in_order", spy)
    report = indexer.run_index(Store(tmp_path / "idx", create=True), [folder], workers=2, with_facts=False)
    assert len(report.added) == 5 and not report.failed
    assert used == [2]


def test_files_read_while_the_workers_start_give_the_same_rows(tmp_path, nlp):
    """The first files read by the writing process (while spaCy loads in the forkserver) are prepared
    by a worker into the same rows, facts included, as when the worker reads them itself; and nothing
    is read once the workers are up."""
    from threading import Event

    from assistant.config import Settings
    from assistant.retrieval import indexer

    todo = []
    for i in range(3):
        path = tmp_path / f"note-{i}.txt"
        path.write_text(f"NOTE {i}\n\nLe budget de la régie atteint {i + 3},5 M€ en 2021 ; 14 agents y travaillent.\n", "utf-8")
        todo.append((indexer.SourceFile(path, path.name, str(tmp_path), True), False))
    chunks = indexer._chunks(todo, {}, 2)
    settings = Settings()
    up = Event()
    up.set()
    assert indexer._read_while_starting(chunks, settings, up, None) == {}
    read = indexer._read_while_starting(chunks, settings, Event(), None)
    assert sorted(read) == [0, 1] and [len(read[n]) for n in (0, 1)] == [len(c) for c in chunks]

    def rows(result):
        return [(r[0], r[1].document[1:], r[1].sections, r[1].postings, r[1].facts, r[2:]) for r in result]

    for n, chunk in enumerate(chunks):
        alone = rows(indexer._prepare_chunk(chunk, settings, True))
        assert rows(indexer._prepare_chunk(chunk, settings, True, read[n])) == alone
        assert rows(indexer._prepare_chunk(chunk, settings, True, read[n][:1])) == alone  # a chunk read in part
    assert any(r[4] for r in alone)  # facts were extracted


def test_a_facts_section_is_found_by_binary_search_as_by_a_scan():
    """Disjoint sections (the usual case) by binary search; overlapping ones by the scan; same answers."""
    from assistant.facts import _Plan, _section_of
    from assistant.models import Document, Section

    doc = Document(path="t.txt", title="t", format="txt", sha256="x", size=0, mtime=0, encoding="utf-8", text="x" * 100)

    def scan(sections, pos):
        for s in sections:
            if s.start <= pos < s.end:
                return s
        before = [s for s in sections if s.start <= pos]
        return before[-1] if before else sections[0]

    for bounds in ([(5, 20), (20, 20), (20, 50), (60, 90)], [(0, 40), (10, 30), (35, 80)]):
        sections = [
            Section(document="t.txt", ordinal=i, heading=str(i), heading_path=[], text="", start=a, end=b)
            for i, (a, b) in enumerate(bounds)
        ]
        plan = _Plan(doc, sections)
        assert plan.disjoint == (bounds[0] == (5, 20))
        assert [_section_of(plan, pos).ordinal for pos in range(100)] == [scan(sections, pos).ordinal for pos in range(100)]


# --- full-text scans led by a character class --------------------------------------


def test_word_lists_led_by_their_first_letter_match_as_the_plain_pattern():
    """A case-insensitive word list after a non-word character, led by its first letters: same matches,
    spans and texts as the plain lookbehind form, capitals, accents and the long s included."""
    import re

    from assistant.analysis.numbers import _MONTH_WORDS, _led

    text = (
        "Janvier 2020 ; en FÉVRIER 2021, ſeptembre 2019 (long s), x-mars, amai 2018, mai1, Déc. 2017, "
        "déc. 2016 et Juil. 2015 : prémars, MAI, juin-juillet, avr.\nnov. 2014"
    )
    plain = re.compile(rf"(?<![\w\-])(?i:{'|'.join(_MONTH_WORDS)})")
    fast = re.compile(_led(_MONTH_WORDS, behind=r"[\w\-]"))
    found = [(m.span(), m.group()) for m in plain.finditer(text)]
    assert [(m.span(), m.group()) for m in fast.finditer(text)] == found
    assert [g for _s, g in found] == [
        "Janvier", "FÉVRIER", "ſeptembre", "mai", "Déc.", "déc.", "Juil.", "MAI", "juin", "avr.", "nov.",
    ]  # fmt: skip


def test_digit_led_scans_read_the_same_figures_and_codes():
    """The full-text passes start with a digit class (not a lookbehind): codes, dates, times, phones,
    counters and footnote calls are still told apart from figures at a text's very start and after words."""
    from assistant.analysis.numbers import find_codes, find_figures

    text = (
        "2019-2021 : le 1er janvier 2020, 3 000 agents (action 7.2.2, axe 5) ont traité 12 dossiers à 9h30 ; "
        "tél. 01 23 45 56 78, page 2/17, note 4 ( * ) ; A12 et 7.2.3 ; 31/03/2000 et 05.01.2022 ; "
        "fin 2006, mi-2007, vingt et un projets, deux tiers des communes."
    )
    figures = {(f.raw, f.kind) for f in find_figures(text)}
    assert {
        ("2019-2021", "date"),
        ("1er janvier 2020", "date"),
        ("3 000", "count"),
        ("12", "count"),
        ("31/03/2000", "date"),
        ("05.01.2022", "date"),
        ("fin 2006", "date"),
        ("mi-2007", "date"),
        ("vingt et un", "count"),
        ("deux tiers", "ratio"),
    } <= figures
    raws = {raw for raw, _kind in figures}
    assert not raws & {"9", "30", "01", "23", "2", "17", "4", "A12", "7.2.3", "5"}
    assert {c.code for c in find_codes(text)} >= {"7.2.2", "axe 5", "7.2.3"}


# --- tokenizer, lookups, analyser: the same answers, cheaper --------------------------


def test_required_chars_reads_what_every_alternative_consumes():
    from assistant.facts.nlp import required_chars

    assert required_chars(r"(?iu)(?:^porte[-–]\w+$)|(?:^entr['’][a-z]+$)") == frozenset("-–'’")
    assert required_chars(r"(?i)^(?:a|b)[-]c") == frozenset("-")
    # an alternative without such a character, an optional one, or a cased one: no gate
    assert required_chars(r"(?i)porte-\w+|mot") == frozenset()
    assert required_chars(r"^a[-]?b$") == frozenset()
    assert required_chars(r"(?i)^a[k-]b") == frozenset()
    assert required_chars(r"(") == frozenset()  # not a pattern: no gate either


def test_gated_token_match_gives_the_tokenizers_tokens(nlp):
    tok = nlp.tokenizer
    gated = tok.token_match
    pattern = getattr(gated, "__self__", None)
    assert pattern is not None and len(pattern.pattern) > 100_000  # the gate of get_nlp, over spaCy's own pattern
    text = (
        "Aujourd'hui, l'arrière-pays et les sous-préfectures d'outre-mer ont vu entr'ouvrir 12 dossiers ; "
        "le week-end, c'est-à-dire au-delà du 31/12, rendez-vous à Saint-Étienne (porte-parole : M. Dupont-Martin), "
        "contre-indications, soi-disant « best-of » — voire anti-gaspillage et co-financement à 40 %."
    )
    words = text.split() + ["grand'mère", "prud'homme", "faux-semblant", "peut-être", "New-York", "rock'n'roll"]
    assert any(pattern.match(w) for w in words) and not all(pattern.match(w) for w in words)
    for word in words:
        assert (pattern.match(word) is None) == (gated(word) is None), word
    with_gate = [t.text for t in nlp.make_doc(text)]
    tok.token_match = pattern.match
    try:
        assert [t.text for t in nlp.make_doc(text)] == with_gate
    finally:
        tok.token_match = gated


def test_fast_lookups_build_spacys_tables():
    from spacy.lookups import Lookups

    from assistant.facts.nlp import fast_lookups

    source = Lookups()
    source.add_table("lemma_lookup", {"chevaux": "cheval", "projets": "projet", "étaient": "être"})
    source.add_table("lemma_index", {"noun": ["cheval", "projet"]})
    data = source.to_bytes()
    slow = Lookups().from_bytes(data)
    with fast_lookups():
        fast = Lookups().from_bytes(data)
    assert Lookups.from_bytes is not None and fast.tables == slow.tables
    for name in slow.tables:
        a, b = slow.get_table(name), fast.get_table(name)
        assert list(a.items()) == list(b.items()) and vars(a).keys() == vars(b).keys()
        assert a.name == b.name and a.bloom.to_bytes() == b.bloom.to_bytes()
    assert fast.get_table("lemma_lookup").get("chevaux") == "cheval" and "projets" in fast.get_table("lemma_lookup")
    assert "chevals" not in fast.get_table("lemma_lookup")


def test_replace_chars_is_translate():
    from assistant.analysis.analyzer import APOSTROPHES, chained, replace_chars
    from assistant.facts.nlp import APOSTROPHES as PARSE_APOSTROPHES

    text = "L’État a versé 12\u202f500 € « aujourd‘hui » à l`école ʼ d´ici\u00a0: 3\u2009%."
    for table in (APOSTROPHES, PARSE_APOSTROPHES):
        assert not chained(table)
        assert replace_chars(text, table) == text.translate(table)
    assert chained(str.maketrans({"a": "b", "b": "c"}))


def test_analyze_remembers_words_with_the_same_tokens():
    from assistant.analysis.analyzer import analyze, analyze_reference

    text = (
        "L’État et l'arrière-pays : 98 541,50 € versés (soit 12 %) au titre du programme 7.2.2 ; "
        "qu’ils soient élus ou non, les élus d'Île-de-France, ²³ œuvres, jusqu’au 1er janvier 2020."
    )
    first, again = analyze(text), analyze(text)  # the second reads the remembered words
    assert first == again == analyze_reference(text)
    assert "98541.5" in first and "%" in first and "7.2.2" in first and "euro" in first and "23" in first


def test_gate_chars_are_read_once_then_kept(tmp_path, monkeypatch):
    from assistant.facts import nlp as facts_nlp

    monkeypatch.setenv("ASSISTANT_CACHE_DIR", str(tmp_path))
    pattern = r"(?iu)(?:^porte[-–][a-z]+$)|(?:^entr['’][a-z]+$)" + "|(?:^x-y)" * 10
    reads: list[str] = []
    real = facts_nlp.required_chars
    monkeypatch.setattr(facts_nlp, "required_chars", lambda p: reads.append(p) or real(p))
    first = facts_nlp.gate_chars(pattern)
    again = facts_nlp.gate_chars(pattern)
    assert first == again == frozenset("-–'’") and len(reads) == 1  # the second answer came from the file
    assert list(tmp_path.glob("gate-*.marshal"))
    (next(tmp_path.glob("gate-*.marshal"))).write_bytes(b"not marshal")
    assert facts_nlp.gate_chars(pattern) == first and len(reads) == 2  # a damaged file: read off the pattern again


def test_fact_rows_hold_what_model_dump_gives():
    import json

    from assistant.models import Document, Fact, Section
    from assistant.retrieval.store import _FACT_COLUMNS, _JSON_FACT_FIELDS, document_rows

    text = "Le budget atteint 12 millions d'euros en 2020."
    doc = Document(path="a.txt", title="A", format="txt", sha256="0" * 64, size=len(text), mtime=0.0, encoding="utf-8", text=text)
    section = Section(document="a.txt", ordinal=0, heading="", heading_path=[], start=0, end=len(text), text=text)
    fact = Fact(
        document="a.txt", section_ordinal=0, value=12, kind="money", unit="EUR", raw="12 millions", qualifiers=["total"],
        scope=["2020", "programme 7"], sentence=text, sentence_start=0, sentence_end=len(text), start=18, end=29,
    )  # fmt: skip
    rows = document_rows(doc, [section], [["budget"]], [fact])
    data = fact.model_dump()
    expected = tuple(json.dumps(data[k], ensure_ascii=False) if k in _JSON_FACT_FIELDS else data[k] for k in _FACT_COLUMNS[1:])
    assert rows.facts == [(0, expected)]
    assert isinstance(rows.facts[0][1][_FACT_COLUMNS.index("value") - 1], float)


def test_line_gated_scan_finds_the_addresses_a_full_scan_finds():
    from assistant.analysis.numbers import _ADDRESS_MARKS, _BLOCK_PATTERNS, _lines_finditer

    text = (
        "Contact : greffe@chambre-exemple.fr ou https://www.exemple.fr/rapport?id=12.\n"
        "Aucune adresse ici : 12 500 € en 2019.\n"
        "@ seul, puis www.site-fictif.org et mailto:a.b@c.d.eu\n"
        "  pas@d'adresse ; fin sans retour www.fin.fr"
    )
    full = [m.span() for m in _BLOCK_PATTERNS[0].finditer(text)]
    assert len(full) >= 5
    assert [m.span() for m in _lines_finditer(_BLOCK_PATTERNS[0], text, _ADDRESS_MARKS)] == full


def test_flags_prefilter_agrees_with_the_three_searches():
    from assistant.analysis.numbers import _ANY_BEFORE, _APPROX_BEFORE, _MAX_BEFORE, _MIN_BEFORE, find_figures

    befores = ["environ ", "soit plus de ", "au moins ", "jusqu'à ", "pas moins de ", "la somme de ", "", "≥ ", "ENVIRON "]
    for before in befores:
        some = any(p.search(before) for p in (_APPROX_BEFORE, _MIN_BEFORE, _MAX_BEFORE))
        assert (_ANY_BEFORE.search(before) is not None) == some, before
    figs = find_figures("Environ 12 projets ; plus de 30 % ; au plus 4 jours ; 7 dossiers.")
    assert [(f.approx, f.minimum, f.maximum) for f in figs] == [
        (True, False, False), (False, True, False), (False, False, True), (False, False, False)
    ]  # fmt: skip


def test_lowered_text_holds_every_word_a_case_insensitive_pattern_matches():
    import re
    import sys

    from assistant.analysis.numbers import _APPROX_NOUNS, _APPROX_RE, _ORDINAL_MARKS, _lowered

    letters = sorted(set("".join(_APPROX_NOUNS) + "".join(_ORDINAL_MARKS)))
    any_letter = re.compile("(?i)[" + "".join(letters) + "]")
    odd = [chr(cp) for cp in range(sys.maxunicode + 1) if any_letter.fullmatch(chr(cp)) and chr(cp).lower() not in letters]
    assert odd and all(len(_lowered(c)) >= 1 and _lowered(c) in letters for c in odd), odd  # İ ı ſ, mapped
    assert set(_APPROX_NOUNS) == set(re.search(r"\(\?P<noun>([^)]*)\)", _APPROX_RE.pattern).group(1).split("|"))


def test_gated_ordinal_and_approximation_passes_read_what_full_scans_read():
    from assistant.analysis.numbers import _APPROX_RE, _ORDINAL_MARKS, _ORDINAL_WORD_RE, _lines_finditer, _lowered

    text = (
        "Pour la PREMIÈRE fois, une dizaine de communes\n"
        "et la vingt-et-unième ; puis la troiſième et la ſeconde.\n"
        "Rien ici : 12 projets.\n"
        "Le centième rapport, une quinzaine d'agents."
    )
    low = _lowered(text)
    full = [m.span() for m in _ORDINAL_WORD_RE.finditer(text)]
    assert len(full) == 5
    assert [m.span() for m in _lines_finditer(_ORDINAL_WORD_RE, text, _ORDINAL_MARKS, low)] == full
    assert [m.group("noun") for m in _APPROX_RE.finditer(text)] == ["dizaine", "quinzaine"]
    assert "dizaine" in low and "quinzaine" in low
