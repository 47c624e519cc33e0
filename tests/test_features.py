"""One test per ranking feature (assistant/qa/features.py), on hand-made candidates;
the weights file, the language data and the fit's building blocks."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.lang import lexicon, read_list
from assistant.models import Fact, Section
from assistant.qa import features as F
from assistant.qa.fit import fit_logit, fit_platt
from assistant.qa.question import understand
from assistant.qa.retrieve import Candidate, Query
from assistant.qa.weights import model


def fact(sentence: str, raw: str, value: float, kind="count", unit=None, qualifiers=(), scope=(), subject="", date_text=None):
    start = sentence.index(raw)
    return Fact(
        document="rapport.txt",
        section_ordinal=0,
        value=value,
        kind=kind,
        unit=unit,
        raw=raw,
        subject=subject,
        qualifiers=list(qualifiers),
        scope=list(scope),
        sentence=sentence,
        sentence_start=0,
        sentence_end=len(sentence),
        start=start,
        end=start + len(raw),
        date_text=date_text,
    )


def q(*terms: str) -> Query:
    return Query(terms=list(terms), weights=dict.fromkeys(terms, 1.0))


def cand(f: Fact, **kw) -> F.FactCandidate:
    return F.FactCandidate(fact=f, **kw)


PROJECTS = fact("La région a soutenu 42 projets innovants en 2015.", "42", 42, unit="projet", subject="projets innovants")


def test_coverage_counts_the_question_words_in_the_sentence():
    intent = understand("Combien de projets innovants ?")
    assert F.coverage(intent, q("projet", "innov"), cand(PROJECTS)) == 1.0
    assert F.coverage(intent, q("projet", "girafe"), cand(PROJECTS)) == 0.5


def test_nearness_is_higher_when_the_words_stand_by_the_figure():
    near = fact("Il y a 42 projets innovants, puis de longues phrases sans rapport avec la question posée ici.", "42", 42)
    far = fact("Il y a 42 choses, puis de longues phrases sans rapport avec la question posée ici, projets innovants.", "42", 42)
    intent = understand("Combien de projets innovants ?")
    assert F.nearness(intent, q("projet", "innov"), cand(near)) > F.nearness(intent, q("projet", "innov"), cand(far))


def test_subject_heading_section_and_context_coverage():
    f = fact("Il en compte 42.", "42", 42, subject="projets", scope=["Bilan des projets innovants"])
    intent = understand("Combien de projets innovants ?")
    query = q("projet", "innov")
    assert F.subject_coverage(intent, query, cand(f)) == 0.5
    assert F.heading_coverage(intent, query, cand(f)) == 1.0  # both words stand in the heading only
    assert F.section_score(intent, query, cand(f, section_score=0.7)) == 0.7
    assert F.context_coverage(intent, query, cand(f, before=frozenset({"innov", "2015"}))) == 0.5


def test_unit_match_and_mismatch():
    intent = understand("Combien de projets ?")
    assert F.unit_match(intent, q("projet"), cand(PROJECTS)) == 1.0
    communes = fact("Elle compte 42 communes.", "42", 42, unit="commune")
    assert F.unit_mismatch(intent, q("projet"), cand(communes)) == 1.0
    assert F.unit_mismatch(intent, q("projet"), cand(PROJECTS)) == 0.0


def test_qualifier_features():
    target = fact("L'objectif était de 50 projets.", "50", 50, qualifiers=["objectif"])
    achieved = fact("42 projets ont été réalisés.", "42", 42, qualifiers=["réalisé"])
    plain = fact("La région compte 42 projets.", "42", 42)
    asks_target = understand("Quel était l'objectif de projets ?")
    asks_achieved = understand("Combien de projets ont été réalisés ?")
    asks_nothing = understand("Combien de projets ?")
    query = q("projet")
    assert F.qualifier_match(asks_target, query, cand(target)) == 1.0
    assert F.target_unasked(asks_nothing, query, cand(target)) == 1.0
    assert F.target_missing(asks_target, query, cand(plain)) == 1.0
    assert F.achieved_for_target(asks_target, query, cand(achieved)) == 1.0
    assert F.target_for_achieved(asks_achieved, query, cand(target)) == 1.0


def test_initial_revised_average_and_bound_features():
    revised = fact("Le budget révisé est de 42 M€.", "42", 42e6, kind="money", qualifiers=["révisé"])
    initial = fact("Le budget initial est de 40 M€.", "40", 40e6, kind="money", qualifiers=["initial"])
    query = q("budget")
    assert F.revised_for_initial(understand("Quel était le budget initial ?"), query, cand(revised)) == 1.0
    assert F.initial_for_revised(understand("Quel est le budget révisé ?"), query, cand(initial)) == 1.0
    assert F.average_missing(understand("Quel est le budget moyen ?"), query, cand(initial)) == 1.0
    bound = fact("Au maximum 42 projets.", "42", 42, qualifiers=["maximum"])
    assert F.bound_unasked(understand("Combien de projets ?"), q("projet"), cand(bound)) == 1.0


def test_year_match_and_mismatch():
    query = q("projet")
    assert F.year_match(understand("Combien de projets en 2015 ?"), query, cand(PROJECTS)) == 1.0
    assert F.year_mismatch(understand("Combien de projets en 2016 ?"), query, cand(PROJECTS)) == 1.0
    assert F.year_mismatch(understand("Combien de projets ?"), query, cand(PROJECTS)) == 0.0


def test_code_named_and_code_mismatch():
    f = fact("L'action 7.3 a soutenu 42 projets.", "42", 42)
    query = q("projet")
    assert F.code_named(understand("Combien de projets pour l'action 7.3 ?"), query, cand(f)) == 1.0
    assert F.code_mismatch(understand("Combien de projets pour l'action 7.4 ?"), query, cand(f)) == 1.0


def test_period_and_life_dates():
    period = fact("Le programme couvre 2007-2013.", "2007-2013", 2007, kind="date", date_text="2007/2013")
    birth = fact("Jean Rival, né le 2 mars 1743, est chimiste.", "2 mars 1743", 1743, kind="date", date_text="1743-03-02")
    when = understand("Quand le programme a-t-il commencé ?")
    assert F.period_date(when, q("programm"), cand(period)) == 1.0
    assert F.life_date_unasked(when, q("rival"), cand(birth)) == 1.0
    assert F.life_date_unasked(understand("Quand Jean Rival est-il né ?"), q("rival"), cand(birth)) == 0.0


def test_trend_features():
    down = fact("Les aides sont en baisse de 26 % en 2015.", "26 %", 26, kind="percent", unit="%")
    asked = understand("De combien ont baissé les aides ?")
    assert F.trend_match(asked, q("aid"), cand(down)) == 1.0
    assert F.trend_absent(asked, q("aid"), cand(PROJECTS)) == 1.0


def test_missing_names_stated_and_bounded_numbers():
    query = q("lyce")
    assert F.missing_names(understand("Combien de projets à Lyon ?"), query, cand(PROJECTS, missing_names=5)) == 2.0
    sentence = "Il y a 14 lycées parmi les 100 premiers."
    top = understand("Combien de lycées sont dans le top 100 ?")
    assert F.stated_in_question(top, query, cand(fact(sentence, "100", 100))) == 1.0
    assert F.bounded_by_question(top, query, cand(fact(sentence, "14", 14))) == 1.0


def test_kind_gate():
    assert F.kind_gate(understand("Combien de projets ?"), PROJECTS) == 1.0
    money = fact("Un budget de 42 M€.", "42", 42e6, kind="money", unit="EUR")
    assert F.kind_gate(understand("Combien de projets ?"), money) is None
    assert F.kind_gate(understand("Quel est le budget ?"), money) == 1.0


def _sentence(text: str, heading=("Bilan",), before=frozenset()) -> F.SentenceCandidate:
    section = Section(
        document="r.txt", ordinal=0, heading=heading[-1], heading_path=list(heading), text=text, start=0, end=len(text)
    )
    from assistant.analysis.analyzer import analyze

    tokens = frozenset(analyze(text))
    c = Candidate(
        section=section, start=0, end=len(text), text=text, tokens=tokens, coverage=0.5, section_score=0.8, rank=0, before=before
    )
    return F.SentenceCandidate(candidate=c)


def test_sentence_features():
    intent = understand("Qui est Jean Rival ?")
    query = q("rival", "bilan")
    s = _sentence("Jean Rival est un chimiste français.", before=frozenset({"chim"}))
    assert F.s_coverage(intent, query, s) == 0.5
    assert F.s_section_score(intent, query, s) == 0.8
    assert F.s_nearness(intent, query, s) == 0.5
    assert F.s_heading_coverage(intent, query, s) == 0.5  # "bilan" stands in the heading only
    assert F.s_context_coverage(intent, q("chim"), s) == 1.0
    assert F.s_definition(intent, query, s) == 1.0
    assert F.s_very_short(intent, query, _sentence("Oui.")) == 1.0
    assert F.s_very_long(intent, query, _sentence("mot " * 200 + ".")) == 1.0
    assert F.s_title_line(intent, query, _sentence("Bilan des actions")) == 1.0
    missing = F.SentenceCandidate(candidate=s.candidate, missing_names=3)
    assert F.s_missing_names(intent, query, missing) == 2.0


def test_the_weights_file_names_only_known_features():
    weights = model()
    assert set(weights.rankers["fact"].weights) <= set(F.FACT_FEATURES)
    assert set(weights.rankers["sentence"].weights) <= set(F.SENTENCE_FEATURES)
    for decision in ("fact", "date", "computed", "sentence"):
        assert 0.0 < weights.threshold(decision) < 1.0
    for decision, cal in weights.calibration.items():
        assert cal.probability(cal.score_at(0.3)) == pytest.approx(0.3)
        assert weights.probability(decision, 0.9) > weights.probability(decision, 0.1)


@pytest.mark.parametrize(
    "name",
    [
        "trend_up",
        "trend_down",
        "birth_words",
        "death_words",
        "copulas",
        "determiners",
        "question_words",
        "weak_words",
        "time_adjectives",
        "role_nouns",
        "title_nouns",
        "number_nouns",
        "adjective_endings",
    ],
)
def test_each_word_list_is_read(name):
    entries = read_list(name)
    assert entries and all(e == e.strip() and not e.startswith("#") for e in entries)


def test_the_lexicon_recognises_its_words():
    lex = lexicon()
    assert lex.life_word_before.search("guillotine le ")
    assert lex.definition.search("Jean est un chimiste")
    assert "combien" in lex.question_stems
    assert lex.trend_stems["down"] and lex.trend_stems["up"]
    assert "programme opérationnel" in lex.acronyms["PO"]
    assert all(name == name.upper() and expansions for name, expansions in lex.acronyms.items())


def test_fit_logit_learns_the_signal_that_separates_right_from_wrong():
    from assistant.qa.fit import Sample

    rng = np.random.default_rng(0)
    samples = []
    for i in range(40):
        x = rng.random((6, 2))
        y = np.zeros(6)
        y[int(np.argmax(x[:, 0]))] = 1  # the first feature tells the right candidate; the second is noise
        samples.append(Sample(group=str(i), set_name="t", ranker="fact", x=x, y=y, answerable=True))
    w = fit_logit(samples, prior=np.zeros(2), l2=0.01)
    assert w[0] > 0.5 and abs(w[1]) < w[0] / 3


def test_fit_platt_is_monotone_in_the_score():
    scores = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    labels = np.array([0, 0, 0, 1, 0, 1, 1, 1], dtype=float)
    a, b = fit_platt(scores, labels)
    assert a > 0


def test_focus_missing_marks_a_sentence_about_something_else():
    intent = understand("Quel est le salaire du président de la région ?")
    assert intent.focus == "salaire"
    query = q("salair", "president", "region")
    other = _sentence("Le président de la région a signé le contrat.")
    about = _sentence("Le salaire du président de la région est fixé par décret.")
    assert F.s_focus_missing(intent, query, other) == 1.0
    assert F.s_focus_missing(intent, query, about) == 0.0
    assert F.s_focus_missing(understand("Combien de projets ?"), query, other) == 0.0


def test_cell_year_match_and_mismatch_read_the_table_cell_column_header():
    row = "| Encours de dette au 31 décembre | 9 867 442 | 7 465 214 |"
    by_year = {}
    for raw, value, year in (("9 867 442", 9867442, "2009"), ("7 465 214", 7465214, "2014")):
        f = fact(row, raw, value, kind="money", unit="EUR", subject=f"{year} — Encours de dette au 31 décembre", scope=[year])
        by_year[year] = f.model_copy(update={"source": "table"})
    asked = understand("Quel était l'encours de dette au 31 décembre 2014 ?")
    query = q("encour", "det")
    assert F.cell_year_match(asked, query, cand(by_year["2014"])) == 1.0
    assert F.cell_year_mismatch(asked, query, cand(by_year["2014"])) == 0.0
    assert F.cell_year_mismatch(asked, query, cand(by_year["2009"])) == 1.0
    assert F.cell_year_match(asked, query, cand(by_year["2009"])) == 0.0
    # no year asked, or a figure of prose: neither fires
    assert F.cell_year_mismatch(understand("Quel était l'encours de dette ?"), query, cand(by_year["2009"])) == 0.0
    prose = fact("En 2009, l'encours atteignait 9 867 442 €.", "9 867 442", 9867442, kind="money", unit="EUR")
    assert F.cell_year_mismatch(asked, query, cand(prose)) == 0.0


def test_cell_label_nearness_reads_a_cell_right_after_its_row_label():
    row = "Encours de dette au 31 décembre\t9 867 442\t9 073 962\t8 383 791\t7 668 052\t8 317 099\t7 465 214"
    last = fact(row, "7 465 214", 7465214, kind="money", unit="EUR", subject="2014 — Encours de dette au 31 décembre")
    last = last.model_copy(update={"source": "table"})
    asked = understand("Quel était l'encours de dette au 31 décembre 2014 ?")
    query = q("encour", "det", "decembr")
    gain = F.cell_label_nearness(asked, query, cand(last))
    assert gain > 0.3, "the last column stands far from the label in the row, not in the table"
    assert F.nearness(asked, query, cand(last)) + gain <= 1.0
    prose = fact("L'encours de dette au 31 décembre atteint 7 465 214 €.", "7 465 214", 7465214, kind="money", unit="EUR")
    assert F.cell_label_nearness(asked, query, cand(prose)) == 0.0


def test_year_outside_section_marks_a_figure_whose_section_never_names_the_year():
    intent = understand("Combien de projets en 2019 ?")
    query = q("projet")
    assert F.year_outside_section(intent, query, cand(PROJECTS, section_years=frozenset({2015, 2016}))) == 1.0
    assert F.year_outside_section(intent, query, cand(PROJECTS, section_years=frozenset({2019}))) == 0.0
    in_heading = fact("Il y a 42 projets.", "42", 42, scope=["Bilan 2019"])
    assert F.year_outside_section(intent, query, cand(in_heading, section_years=frozenset())) == 0.0
    assert F.year_outside_section(intent, query, cand(PROJECTS)) == 0.0  # section not known
    assert F.year_outside_section(understand("Combien de projets ?"), query, cand(PROJECTS, section_years=frozenset())) == 0.0


def test_year_outside_section_holds_for_the_scope_of_a_date_question():
    """« Quand le programme 2027-2033 a-t-il été validé ? » is not answered by the validation of the
    2014-2020 one: the years a date question names are its scope, not its answer."""
    intent = understand("À quelle date le programme 2027-2033 a-t-il été validé ?")
    validated = fact("Le programme 2014-2020 a été validé le 18 décembre 2014.", "18 décembre 2014", 2014, kind="date")
    query = q("programme valide")
    assert F.year_outside_section(intent, query, cand(validated, section_years=frozenset({2014, 2020}))) == 1.0
    assert F.year_outside_section(intent, query, cand(validated, section_years=frozenset({2027, 2033}))) == 0.0
    s = _sentence("Le programme 2014-2020 a été validé le 18 décembre 2014.")
    assert F.s_year_outside_section(intent, query, s) == 1.0


def test_sentence_year_outside_section():
    intent = understand("Combien de projets en 2019 ?")
    s = _sentence("En 2021, 42 projets.")
    assert F.s_year_outside_section(intent, q("projet"), s) == 1.0
    assert F.s_year_outside_section(intent, q("projet"), _sentence("En 2019, 42 projets.")) == 0.0
    wider = F.SentenceCandidate(candidate=s.candidate, section_years=frozenset({2019}))
    assert F.s_year_outside_section(intent, q("projet"), wider) == 0.0  # another passage of the section names it


def test_answer_signals_of_the_best_candidate():
    from assistant.qa.confidence import answer_features, probability
    from assistant.qa.rank import ScoredFact

    ranked = [
        ScoredFact(fact=PROJECTS, score=0.7, parts={"coverage": 0.9, "missing_names": 1.0}),
        ScoredFact(fact=PROJECTS, score=0.6, parts={}),
        ScoredFact(fact=PROJECTS, score=0.4, parts={}),
    ]
    signals = answer_features(ranked, [42, 42, 17])  # the runner-up says the same: the lead is on 17
    assert signals["score"] == 0.7 and signals["margin"] == pytest.approx(0.3)
    assert signals["coverage"] == 0.9 and signals["missing_names"] == 1.0
    assert probability({"score": 2.0}, -1.0, {"score": 1.0}) > probability({"score": 2.0}, -1.0, {"score": 0.0})


def test_fit_logistic_finds_the_separating_signal():
    from assistant.qa.fit import fit_logistic

    rng = np.random.default_rng(1)
    x = rng.random((200, 2))
    y = (x[:, 0] > 0.5).astype(float)
    w, b = fit_logistic(x, y, l2=0.01)
    assert w[0] > 5 and abs(w[1]) < w[0] / 5
    assert -w[0] * 0.5 - 1 < b < -w[0] * 0.5 + 1  # the boundary stands at 0.5


def test_negation_match_picks_the_figure_of_the_negated_clause():
    sentence = "Deux groupes émergent : - 502 personnes qui ne connaissent pas le dispositif - 336 qui le connaissent"
    negated, plain = (fact(sentence, raw, value, unit="personne") for raw, value in (("502", 502), ("336", 336)))
    intent = understand("Combien de personnes ne connaissent pas le dispositif ?")
    assert intent.negated
    query = q("person", "connaissent", "dispositif")
    assert F.negation_match(intent, query, cand(negated)) == 1.0
    assert F.negation_match(intent, query, cand(plain)) == 0.0
    assert F.negation_match(understand("Combien de personnes connaissent le dispositif ?"), query, cand(negated)) == 0.0


def test_negation_unmatched_marks_a_figure_of_the_contrary_clause():
    """« combien n'ont pas accepté » is not answered by « 312 ont accepté »."""
    accepted = fact("Sur les 450 établissements contrôlés, 312 ont accepté la visite.", "312", 312, unit="établissement")
    refused = fact("Au total, 138 établissements n'ont pas accepté la visite.", "138", 138, unit="établissement")
    negated = understand("Combien d'établissements n'ont pas accepté la visite ?")
    assert negated.negated
    query = q("etabl", "accept", "visit")
    assert F.negation_unmatched(negated, query, cand(accepted)) == 1.0
    assert F.negation_unmatched(negated, query, cand(refused)) == 0.0
    typographic = fact("Au total, 138 établissements n’ont pas accepté la visite.", "138", 138, unit="établissement")
    assert F.negation_unmatched(negated, query, cand(typographic)) == 0.0
    assert F.negation_match(negated, query, cand(typographic)) == 1.0
    plain = understand("Combien d'établissements ont accepté la visite ?")
    assert F.negation_unmatched(plain, query, cand(accepted)) == 0.0


def test_reference_line_marks_a_download_link_and_a_report_number():
    link = "Études 2031-047 - Les jardins partagés en 2030 (PDF, 1,4 Mo)"
    intent = understand("Combien de jardins partagés en 2030 ?")
    query = q("jardin", "partag")
    number = fact(link, "047", 47)
    assert F.reference_line(intent, query, cand(number)) == 1.0
    stated = fact("En 2030, 1 250 jardins partagés ont été ouverts.", "1 250", 1250, unit="jardin")
    assert F.reference_line(intent, query, cand(stated)) == 0.0
    code = fact("Le rapport 2031-047 recense 75 jardins.", "047", 47)
    assert F.reference_line(intent, query, cand(code)) == 1.0
    period = fact("Sur 2031-2034, le plan prévoit 75 jardins.", "2034", 2034, kind="date", date_text="2031/2034")
    assert F.reference_line(intent, query, cand(period)) == 0.0
    score = fact("Le club gagne 3-1 et 12 matchs.", "12", 12)
    assert F.reference_line(intent, query, cand(score)) == 0.0


def test_label_coverage_reads_the_item_a_bracketed_figure_follows():
    """« … répartis entre la plaine (4,2 M€), la montagne (2,1 M€) et le littoral (0,9 M€) »: the item asked names its figure."""
    sentence = (
        "Le fonds Valbrune s'élève en 2030 à 7,2 M€, répartis entre la plaine (4,2 M€), "
        "la montagne (2,1 M€) et le littoral (0,9 M€)."
    )
    whole, plain, mountain = (
        fact(sentence, raw, value, kind="money", unit="EUR")
        for raw, value in (("7,2 M€", 7.2e6), ("4,2 M€", 4.2e6), ("2,1 M€", 2.1e6))
    )
    intent = understand("Quel montant du fonds Valbrune revenait à la montagne en 2030 ?")
    query = q("fond", "valbrune", "montagn", "2030")
    assert F.bracket_label(mountain) == "la montagne"
    assert F.label_coverage(intent, query, cand(mountain)) == 0.25
    assert F.label_coverage(intent, query, cand(plain)) == 0.0
    assert F.bracket_label(whole) is None  # not in brackets: nearness speaks for it
    assert F.label_coverage(intent, query, cand(whole)) == 0.0
    # the label stops at a clause break and keeps the last LABEL_WORDS words
    long = fact("Enfin, " + "très " * 12 + "nombreux projets (42).", "42", 42)
    assert F.bracket_label(long) == " ".join(["très"] * (F.LABEL_WORDS - 2) + ["nombreux", "projets"])


def test_coverage_counts_an_acronym_spelled_out():
    """« le FEDER » of a report that writes « Fonds européen pour le développement régional » (acronyms.tsv)."""
    from assistant.qa.retrieve import _spelled

    intent = understand("De quel montant le FEDER de Valbrune est-il doté ?")
    spelled = _spelled(intent, ["fed", "valbrune", "dot"])
    assert spelled["fed"] == (frozenset({"fond", "europeen", "developp", "regional"}),)
    query = Query(terms=["fed", "dot"], weights={"fed": 1.0, "dot": 1.0}, spelled=spelled)
    spelt = fact("Le Fonds européen pour le développement régional est doté de 148 M€.", "148 M€", 148e6, kind="money")
    assert F.coverage(intent, query, cand(spelt)) == 1.0
    half = fact("Le Fonds régional est doté de 148 M€.", "148 M€", 148e6, kind="money")
    assert F.coverage(intent, query, cand(half)) == 0.5  # every word of the expansion is needed
    # the expansion's words stand for the acronym by the figure
    assert F.nearness(intent, query, cand(spelt)) > F.nearness(intent, query, cand(half))


def test_qualifier_mismatch_marks_the_figure_of_another_item():
    """« aux associations sportives » for « aux associations environnementales », a word the corpus never uses."""
    intent = understand("Combien la commune a-t-elle versé aux associations environnementales en 2021 ?")
    weights = {"commun": 1.0, "vers": 1.0, "associ": 1.0, "environnemental": 1.0}
    query = Query(terms=list(weights), weights=weights, unknown=frozenset({"environnemental"}))
    sport = fact("En 2021, la commune a versé 1,2 M€ aux associations sportives.", "1,2 M€", 1.2e6, kind="money", unit="EUR")
    assert F.qualifier_mismatch(intent, query, cand(sport)) == 1.0
    plain = fact("En 2021, la commune a versé 1,2 M€ aux associations.", "1,2 M€", 1.2e6, kind="money", unit="EUR")
    assert F.qualifier_mismatch(intent, query, cand(plain)) == 0.0  # nothing else qualifies them
    known = Query(terms=list(weights), weights=weights)  # the corpus uses the word: paraphrase, not another item
    assert F.qualifier_mismatch(intent, known, cand(sport)) == 0.0
    # « de » links a noun to the noun qualifying it; a verb or « au » breaks the pair
    gyms = understand("Quel montant pour la rénovation des gymnases ?")
    assert ("renov", "gymnas") in F._question_pairs(gyms, q("montant", "renov", "gymnas"))
    verb = understand("Quel taux de passage en phase opérationnelle est affiché ?")
    assert ("operationnel", "affich") not in F._question_pairs(verb, q("taux", "passag", "phas", "operationnel", "affich"))


def test_contrast_mismatch_marks_a_figure_stated_for_another_predicate():
    intent = understand("Quel montant de fonds a été payé aux bénéficiaires du programme Valbrune ?")
    query = q("fond", "pay", "beneficiair", "valbrune")
    endowed = fact(
        "Le programme Valbrune est doté de 12 millions d'euros.", "12 millions d'euros", 12e6, kind="money", unit="EUR"
    )
    assert F.contrast_mismatch(intent, query, cand(endowed)) == 1.0
    paid = fact(
        "Au total, 8 millions d'euros ont été versés aux bénéficiaires.", "8 millions d'euros", 8e6, kind="money", unit="EUR"
    )
    assert F.contrast_mismatch(intent, query, cand(paid)) == 0.0
    both = fact("Doté de 12 M€, le programme a payé 8 M€.", "8 M€", 8e6, kind="money", unit="EUR")
    assert F.contrast_mismatch(intent, query, cand(both)) == 0.0  # the asked predicate is stated too
    plain = fact("Le programme Valbrune compte 42 projets.", "42", 42, unit="projet")
    assert F.contrast_mismatch(intent, query, cand(plain)) == 0.0  # no predicate of the group: nothing contradicts
    headed = fact("Il atteint 9 millions d'euros.", "9 millions d'euros", 9e6, kind="money", unit="EUR", scope=["Programmation"])
    assert F.contrast_mismatch(intent, query, cand(headed)) == 1.0  # the heading says what the figure is
    # the noun « programme » is not the predicate « programmé »
    assert F.contrasts_named("Le programme Valbrune") == frozenset()
    assert F.contrast_mismatch(understand("Quel montant pour le programme Valbrune ?"), query, cand(endowed)) == 0.0
    # groups are read one by one: a group stated as asked does not excuse another contradicted
    women = understand("Combien de femmes ont été recrutées en 2030 ?")
    men = fact("En 2030, 42 hommes ont été recrutés.", "42", 42, unit="homme")
    assert F.contrast_mismatch(women, q("femm", "recrut"), cand(men)) == 1.0
    # an English question reaches the predicate through the glossary
    assert ("financement", "payé") in F.contrasts_named(understand("How much had been paid to the beneficiaries?").french)


def test_sentence_contrast_mismatch_marks_those_who_accepted_for_those_who_refused():
    intent = understand("Quelles propositions le conseil de Valbrune a-t-il refusées ?")
    query = q("proposit", "conseil", "valbrune", "refus")
    assert F.s_contrast_mismatch(intent, query, _sentence("Le conseil a accepté trois propositions.")) == 1.0
    assert F.s_contrast_mismatch(intent, query, _sentence("Le conseil a rejeté la proposition de fusion.")) == 0.0
    assert F.s_contrast_mismatch(intent, query, _sentence("Le conseil siège à Valbrune.")) == 0.0
    heading = ("Rapport", "Propositions acceptées")
    assert F.s_contrast_mismatch(intent, query, _sentence("Trois propositions.", heading=heading)) == 1.0


def test_the_contrast_table_is_well_formed():
    from assistant.lang import read_table

    rows = read_table("contrasts")
    assert rows and all(len(row) == 3 and all(row) for row in rows)
    per_group: dict[str, dict[str, set[str]]] = {}
    for group, alternative, words in rows:
        per_group.setdefault(group, {})[alternative] = {w.strip() for w in words.split("|")}
    for group, alternatives in per_group.items():
        assert len(alternatives) >= 2, group  # a contrast needs something to contrast with
        seen: set[str] = set()
        for forms in alternatives.values():
            assert not forms & seen, group  # a word belongs to one alternative of its group
            seen |= forms
