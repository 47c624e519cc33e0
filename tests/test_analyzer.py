"""The French analyser: one rule per test."""

from assistant.analysis.analyzer import analyze, fold, fold_word, normalize_number, word_tokens


def test_apostrophes_are_normalised_and_elisions_removed():
    for text in ("l’aide", "l'aide", "l‘aide", "l`aide"):
        assert analyze(text) == analyze("aide")
    assert word_tokens("jusqu’à lorsqu’il puisqu’elle quoiqu’on qu’il n’a s’est j’ai c’est m’a t’a d’euros") == [
        "a",
        "il",
        "elle",
        "on",
        "il",
        "a",
        "est",
        "ai",
        "est",
        "a",
        "a",
        "euros",
    ]


def test_lower_case_and_accent_folding():
    assert fold("Élus ŒUVRE Contrôlé") == "elus oeuvre controle"
    assert analyze("COLLECTIVITÉS") == analyze("collectivites")


def test_stop_words_dropped_numbers_words_kept():
    assert analyze("le la les de des du et à au") == []
    assert len(analyze("deux trois")) == 2


def test_stemming_meets_plural_and_missing_accents():
    assert analyze("projets déposés") == analyze("projet depose")
    assert analyze("dépenses éligibles") == analyze("depense eligible")


def test_numbers_kept_whole_with_french_separators():
    assert analyze("98 541,50 €") == ["98541.5", "euro"]
    assert analyze("98\u00a0541,50") == ["98541.5"]
    assert analyze("98\u202f541,50") == ["98541.5"]
    assert analyze("137 000 €") == ["137000", "euro"]
    assert analyze("59,26 %") == ["59.26", "%"]
    assert analyze("60%") == ["60", "%"]


def test_codes_and_periods():
    assert analyze("action 7.2.2") == ["action", "7.2.2"]
    assert analyze("2007-2013") == ["2007", "2013"]
    assert analyze("90.4 euros") == ["90.4", "euro"] == analyze("90.4 €")


def test_normalize_number():
    assert normalize_number("12,70") == "12.7"
    assert normalize_number("007") == "7"
    assert normalize_number("1 188") == "1188"
    assert normalize_number("0,5") == "0.5"


def test_query_and_index_use_the_same_chain():
    sentence = "La durée d’intervention moyenne de l’aide au conseil est de 12 jours."
    question = "duree d'intervention moyenne aide au conseil"
    assert set(analyze(question)) <= set(analyze(sentence))


def test_folded_feminine_and_past_endings_meet_their_stem():
    # Snowball strips "-ée", "-ière", "-ité", "-èrent" only with their accent: folding must not hide them
    assert analyze("installée installées") == analyze("installé installés") == analyze("installee installees")
    assert analyze("prisonnière") == analyze("prisonnier") == analyze("prisonniere")
    assert analyze("arrivèrent") == analyze("arriver") == analyze("arriverent")
    assert analyze("l'égalité") == analyze("egalite")


def test_a_note_glued_between_two_sentences_ends_the_first():
    from assistant.analysis.sentences import split_sentences

    text = "Sa fonction est de creuser.[réf. nécessaire]Malgré leur taille, ils courent vite. Ils vivent en groupe.[3] Puis ils migrent."
    assert [text[s:e] for s, e in split_sentences(text)] == [
        "Sa fonction est de creuser.[réf. nécessaire]",
        "Malgré leur taille, ils courent vite.",
        "Ils vivent en groupe.[3]",
        "Puis ils migrent.",
    ]


def test_a_hard_wrapped_paragraph_goes_on_with_a_capitalised_word():
    """« … et 19 % des crédits / FEDER sont alloués … » is one sentence; a short line (a title) or a
    line in capitals still ends one, and so does a paragraph of one line."""
    from assistant.analysis.sentences import split_sentences

    wrapped = (
        "Au sein du programme régional, près de 70 % des crédits du fonds sont\n"
        "alloués aux quatre premiers objectifs, au-delà des 60 % requis, et 19 % des crédits\n"
        "FEDER sont alloués à l'économie décarbonée, au-delà des 15 % requis.\n"
        "Le programme finance aussi la formation."
    )
    assert [wrapped[s:e].split()[0] for s, e in split_sentences(wrapped)] == ["Au", "Le"]
    title = "Au sein du programme régional, près de 70 % des crédits du fonds sont\nalloués aux objectifs\nBilan de l'année"
    assert len(split_sentences(title)) == 2
    capitals = (
        "Au sein du programme régional, près de 70 % des crédits du fonds sont alloués\n"
        "AUX QUATRE PREMIERS OBJECTIFS THÉMATIQUES DU PROGRAMME OPÉRATIONNEL RÉGIONAL\n"
        "Le programme finance aussi la formation des demandeurs d'emploi de la région."
    )
    assert len(split_sentences(capitals)) == 3
    one_line = "Un programme régional soutenu par le fonds européen de développement\nLe programme finance la formation."
    assert len(split_sentences(one_line)) == 2


def test_fold_word_is_fold_remembered():
    for word in ("Élus", "œuvre", "DÉPENSES", "façade", "naïf", "Île", "cœur"):
        assert fold_word(word) == fold(word)
    assert fold_word("Élus") == "elus"
    assert fold_word.cache_info().hits >= 1
