"""English questions over French reports: inflections, multi-word glossary
entries, the user's glossary in the index folder, cognates, and questions
typed without accents.  Fictitious texts and glossaries only."""

from __future__ import annotations

import pytest

from assistant.analysis.analyzer import analyze
from assistant.qa.answerer import understand_for
from assistant.qa.engine import Assistant
from assistant.qa.question import cognate, english_bases, glossary, translate, understand


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("authorities", "authority"),
        ("boxes", "box"),
        ("widgets", "widget"),
        ("financed", "finance"),
        ("planned", "plan"),
        ("applied", "apply"),
        ("managing", "manage"),
        ("commune's", "commune"),
        ("authorities'", "authorities"),
        ("favourably", "favourable"),
        ("successfully", "successful"),
        ("settlements", "settle"),
    ],
)
def test_an_inflected_english_word_has_its_base_among_its_bases(word, base):
    assert base in english_bases(word)


def test_an_uninflected_word_has_no_base():
    assert english_bases("business") == []
    assert english_bases("only") == [] and english_bases("payment") == []  # too short to be derived


def test_a_derived_word_is_read_through_its_root():
    """« settlements » is in no form in the glossary; « settle » is."""
    assert "règlement" in translate("the amicable settlements")


@pytest.fixture()
def user_glossary(tmp_path):
    path = tmp_path / "glossary_en_fr.tsv"
    path.write_text(
        "# fictitious entries\nblue widget\tgadget bleu\nwidget\tmachin\nzorblax\tgrumeau | grumeaux\n",
        encoding="utf-8",
    )
    return path


def test_user_glossary_is_read_after_the_package_one(user_glossary):
    entries = glossary(user_glossary)
    assert entries["zorblax"] == ["grumeau", "grumeaux"]
    assert "average" in entries  # the package's entries stay


def test_the_longest_phrase_wins_and_meets_its_plural(user_glossary):
    french = translate("How many blue widgets were sold?", user_glossary)
    assert "gadget bleu" in french and "machin" not in french
    assert "machin" in translate("How many widgets were sold?", user_glossary)


def test_an_inflected_word_meets_its_entry(user_glossary):
    assert "grumeau" in translate("Which zorblaxes were counted?", user_glossary)


def test_question_words_are_not_search_terms():
    french = translate("How many did they have?")
    assert french == ""


def test_an_english_possessive_is_not_part_of_a_name():
    intent = understand("What was the Valmoreau's debt in 2021?")
    assert "Valmoreau" in intent.names and "Valmoreau's" not in intent.names


@pytest.mark.parametrize(
    ("word", "french"),
    [("capacity", "capacité"), ("sector", "secteur"), ("territory", "territoire"), ("minister", "ministre")],
)
def test_cognates(word, french):
    assert cognate(word) == french


def test_no_cognate_for_names_and_short_words():
    assert cognate("Gorbex") is None
    assert cognate("bus") is None


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("How many zorblaxes did the commune buy in 2020?", "count"),
        ("What share of the budget went to the schools?", "percent"),
        ("How long did the works last?", "duration"),
        ("In which year was the syndicate created?", "date"),
        ("How much did the commune spend on the library?", "money"),
    ],
)
def test_english_question_words_give_the_kind(question, kind):
    assert understand(question).kind == kind


def test_folding_meets_the_accented_words():
    assert analyze("duree moyenne des stages finances par les regions") == analyze(
        "durée moyenne des stages financés par les régions"
    )
    assert analyze("depenses eligibles creees") == analyze("dépenses éligibles créées")


def test_the_index_glossary_serves_english_questions(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "rapport.txt").write_text(
        "Les primes de fidélité des bénévoles\n\n"
        "En 2021, la commune de Valmoreau a versé 48 000 € de primes de fidélité aux bénévoles du club nautique.\n\n"
        "La même année, elle a consacré 310 000 € à la réfection de la digue.\n",
        encoding="utf-8",
    )
    engine = Assistant(tmp_path / "index")
    engine.index([folder])
    (engine.index_dir / "glossary_en_fr.tsv").write_text("loyalty bonus\tprimes de fidélité\n", encoding="utf-8")
    question = "How much did Valmoreau pay in loyalty bonuses in 2021?"
    assert "primes de fidélité" in understand_for(engine, question).french
    answer = engine.ask(question)
    assert answer.lang == "en" and answer.value == 48_000


def test_a_hyphenated_entry_meets_the_hyphenated_question(tmp_path):
    path = tmp_path / "glossary_en_fr.tsv"
    path.write_text("self-propelled zorblax\tgrumeau automoteur\n", encoding="utf-8")
    assert translate("How many self-propelled zorblaxes were there?", path) == "grumeau automoteur"


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("What was the working capital of the syndicate at the end of 2020?", "money"),
        ("What was the average debt of the communes in 2019?", "money"),
        ("What is the name of the harbour master?", "text"),
    ],
)
def test_what_was_the_noun_asks_what_its_french_noun_asks(question, kind):
    assert understand(question).kind == kind


# --- English function words, irregular forms, bounds, numerals, counted nouns (fictitious questions) ---


def test_english_stop_words_are_read_from_their_data_file():
    from assistant.qa.question import english_stop_words

    words = english_stop_words()
    assert {"would", "according", "among", "the", "how"} <= words
    assert all(w == w.lower() and w.strip() == w for w in words)


def test_an_irregular_past_meets_the_entry_of_its_base():
    from assistant.qa.question import irregular_forms

    assert irregular_forms()["spent"] == "spend"
    assert "spend" in english_bases("spent")
    assert "réussi" in translate("How many zorblax trials succeeded?").split() or "réussir" in translate(
        "How many zorblax trials succeeded?"
    )
    assert "prendre" in translate("How long it took the Blorp agency")


def test_a_bound_before_a_number_is_written_as_a_report_writes_it():
    from assistant.qa.question import number_bounds

    assert number_bounds()[("under",)] == "moins de"
    assert "moins de 26" in translate("How many widget makers under 26 were hired?")
    assert "plus de 45" in translate("How many widget makers over 45 were hired?")
    # a period or a noun after the word is no bound
    assert "plus de" not in translate("How much aid went to widget makers over 2017-2019?")
    assert "moins de" not in translate("How much was spent under the Blorp programme?")


def test_comparisons_and_frequencies_are_translated():
    french = translate("How many times more often did zorblax owners visit than others?")
    assert "souvent" in french and "more" not in french and "often" not in french


def test_english_numbers_grouped_by_commas_are_read_the_english_way():
    from assistant.qa.question import french_numerals

    assert french_numerals("communes of 200,000 inhabitants") == "communes of 200 000 inhabitants"
    assert french_numerals("1,234.5 widgets, 2.7 times") == "1 234,5 widgets, 2.7 times"
    assert understand("How many widget towns have 200,000 inhabitants or more?").numbers == [200000.0]
    assert understand("What share does the 40.5 % of the Blorp budget represent?").codes == []


def test_how_many_adjective_noun_counts_the_french_noun():
    assert understand("How many metropolitan communes have 50,000 inhabitants?").unit_hint == "communes"
    assert understand("How many local authorities signed the Blorp charter?").unit_hint == "collectivites"
    assert understand("How many people answered the Blorp survey?").unit_hint == "personnes"
    assert understand("How many zorblaxes were counted?").unit_hint is None  # no French noun: no unit


def test_a_favourable_adverb_meets_its_french_cognate():
    assert cognate("respectively") == "respectivement"
    assert cognate("effective") == "effectif"


# --- typos (French) --------------------------------------------------------------------


def _idf(known: set[str]):
    return lambda stem_: 1.0 if stem_ in known else 0.0


def test_edits1_holds_one_letter_dropped_swapped_replaced_or_added():
    from assistant.qa.question import edits1

    near = edits1("abc")
    assert {"ab", "bac", "abd", "abcd"} <= near and "abc" not in near


def test_a_misspelt_question_word_or_kind_noun_is_respelled():
    from assistant.qa.question import respell

    idf = _idf({"grumeau"})
    assert respell("comien", idf) == "combien"
    assert respell("pourcentge", idf) == "pourcentage"
    assert respell("combien", idf) is None  # spelt right
    assert respell("grumeaux", idf) is None  # a word the index knows
    assert respell("grumeauxes", idf) is None  # an inflection of one


def test_a_question_read_with_the_index_vocabulary_has_its_typo_corrected():
    idf = _idf({"gadget", "bleu"})
    intent = understand("Quel pourcentge des gadgets bleus ?", None, idf)
    assert intent.kind == "percent"
    assert intent.typos == {"pourcentge": "pourcentage"}
    assert understand("Quel pourcentge des gadgets bleus ?").kind != "percent"  # without the index, as typed
    # names are left as typed
    assert understand("Combien de gadgets à Comien ?", None, idf).typos == {}


def test_the_package_glossary_writes_each_english_entry_once():
    from importlib import resources

    text = resources.files("assistant.data").joinpath("glossary_en_fr.tsv").read_text(encoding="utf-8")
    keys = [
        " ".join(line.split("\t", 1)[0].lower().replace("-", " ").split())
        for line in text.splitlines()
        if line.strip() and not line.startswith("#") and "\t" in line
    ]
    assert len(keys) == len(set(keys))  # a later line would silently replace an earlier one
    assert glossary(None)["court of auditors"] == ["Cour des comptes"]


def test_a_misspelt_english_word_is_read_as_the_glossary_word_one_edit_away():
    from assistant.qa.question import correct_english_typos

    text, typos = correct_english_typos("What was the total expenditre of the Blorp programme?")
    assert typos == {"expenditre": "expenditure"} and "expenditure" in text
    intent = understand("What was the averge widget rate?")
    assert "moyenne" in intent.qualifiers and intent.typos == {"averge": "average"}


def test_french_terms_names_and_short_words_in_an_english_question_are_not_respelled():
    from assistant.qa.question import correct_english_typos

    # "dotation" is French (a glossary translation), "Zorblaxe" a name, "widgt" too short to tell
    assert correct_english_typos("What was the dotation of Zorblaxe for each widgt?")[1] == {}


def test_english_question_forms_ask_the_kind_their_french_forms_ask():
    assert understand("By how much did the number of zorblax owners rise in 2012?").kind == "count"
    assert understand("By how much did the Blorp debt fall?").kind == "money"
    assert understand("What figure did the Blorp deficit reach in 2015?").kind == "number"
    assert understand("How many full-time equivalent staff did the Blorp agency employ?").unit_hint == "personnel"
    assert understand("How many people received the Blorp allowance?").unit_hint == "personnes"


def test_an_english_negation_is_read_but_not_searched():
    intent = understand("How many of the 967 widget owners did not answer?")
    assert intent.negated and "not" not in intent.french.split()
