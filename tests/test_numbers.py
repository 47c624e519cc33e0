"""The French number parser: every figure form of issue 3, the numbers that are not figures, properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.analysis.numbers import Figure, find_codes, find_figures, parse_number, scope_codes


def one(text: str) -> Figure:
    figs = find_figures(text)
    assert len(figs) == 1, f"{text!r} → {figs}"
    return figs[0]


# --- amounts ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text, value",
    [
        ("98 541,50 €", 98541.5),
        ("98\u00a0541,50 €", 98541.5),
        ("98\u202f541,50\u00a0€", 98541.5),
        ("358 234,87€", 358234.87),
        ("137 000 €", 137000),
        ("1,2 milliard d'euros", 1.2e9),
        ("1,2 milliard d’euros", 1.2e9),
        ("430,02 millions d'euros", 430.02e6),
        ("230,7 Millions d'euros", 230.7e6),
        ("12,7 Md€", 12.7e9),
        ("2,5 M€", 2.5e6),
        ("729,7M€", 729.7e6),
        ("15 k€", 15000),
        ("1.188 milliard d'euros", 1.188e9),
        ("1,188 milliard d’€", 1.188e9),
        ("90.4 euros", 90.4),
        ("89,93 € par habitant", 89.93),
        ("14,64 MEuros", 14.64e6),
    ],
)
def test_amounts_in_euros(text: str, value: float) -> None:
    f = one(text)
    assert f.kind == "money" and f.unit == "EUR"
    assert f.value == pytest.approx(value)
    assert text.startswith(f.raw) or f.raw in text


@pytest.mark.parametrize("text, value", [("96 MF", 96e6), ("100 francs", 100), ("12,3 milliards de francs", 12.3e9)])
def test_francs_stay_francs(text: str, value: float) -> None:
    f = one(text)
    assert f.kind == "money" and f.unit == "FRF"
    assert f.value == pytest.approx(value)


def test_elliptic_currency_within_a_sentence() -> None:
    figs = find_figures("12,3 milliards de francs d'engagements, dont 6,3 milliards pour l'Etat. Puis 6 milliards ailleurs.")
    assert [f.unit for f in figs] == ["FRF", "FRF", None]
    assert figs[2].kind == "other" and figs[2].value == 6e9


def test_signed_percents() -> None:
    figs = find_figures("au niveau global +0,9 % ; + 16,3 % en autorisations et - 2,6 % en crédits (-9,4%)")
    assert [f.value for f in figs] == [0.9, 16.3, -2.6, -9.4]


# --- percents, ratios, words --------------------------------------------------


def test_percents() -> None:
    f = one("59,26 %")
    assert (f.kind, f.unit, f.value) == ("percent", "%", 59.26)
    f = one("plus de 60%")
    assert (f.kind, f.value, f.minimum, f.raw) == ("percent", 60, True, "60%")
    assert one("cinquante pour cent").value == 50


def test_ratios() -> None:
    f = one("(17 sur 27)")
    assert (f.kind, f.value, f.denominator, f.raw) == ("ratio", 17, 27, "17 sur 27")
    f = one("un projet sur deux")
    assert (f.kind, f.value, f.denominator) == ("ratio", 1, 2)
    f = one("soit 336 sur un total de 3020")
    assert (f.value, f.denominator) == (336, 3020)
    f = one("les deux tiers des régions")
    assert (f.kind, f.value, f.denominator) == ("ratio", 2, 3)
    f = one("débute 19 des 33 rencontres")
    assert (f.value, f.denominator) == (19, 33)
    f = one("elle dispute 12 de ses 33 matchs")
    assert (f.kind, f.value, f.denominator) == ("ratio", 12, 33)


@pytest.mark.parametrize(
    "text, value",
    [
        ("dix-sept dossiers", 17),
        ("vingt et un projets", 21),
        ("trois réunions", 3),
        ("deux sous-traitants", 2),
        ("quatre-vingt-dix communes", 90),
        ("Treize titres", 13),
    ],
)
def test_number_words(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.value, f.words) == ("count", value, True)


def test_approximate_words() -> None:
    f = one("une dizaine de projets")
    assert (f.value, f.approx, f.raw) == (10, True, "une dizaine")
    f = one("une centaine")
    assert (f.value, f.approx) == (100, True)
    assert one("une douzaine de lycées").value == 12


def test_articles_are_not_figures() -> None:
    assert find_figures("un soutien technique et une étape déterminante") == []
    assert one("un seul projet").value == 1


def test_one_after_dont_is_a_count() -> None:
    """'40 navires, dont un pétrolier': one of the whole just counted; 'dont une partie' is a share."""
    assert [(f.raw, f.value, f.kind) for f in find_figures("La flotte compte 40 navires, dont un pétrolier.")] == [
        ("40", 40, "count"),
        ("un", 1, "count"),
    ]
    assert [f.value for f in find_figures("Le parc compte 40 logements, dont une partie vacants.")] == [40]


def test_an_elided_article_is_no_unit() -> None:
    """'en 1986 l'auteur': l' is the article, not litres."""
    f = one("C'est en 1986 l'auteur reçoit le prix.")
    assert (f.kind, f.value, f.unit) == ("date", 1986, None)


def test_ordinals() -> None:
    assert (one("le 1er rang").kind, one("le 1er rang").value) == ("rank", 1)
    assert one("son 5e titre").value == 5
    f = one("la troisième session")
    assert (f.kind, f.value) == ("rank", 3)
    assert find_figures("le premier ministre a signé") == []


# --- dates and durations -----------------------------------------------------


@pytest.mark.parametrize(
    "text, raw, value, date_text, high",
    [
        ("en janvier 2007", "janvier 2007", 2007, "2007-01", None),
        ("fin 2006", "fin 2006", 2006, "2006", None),
        ("le 6 février 2007", "6 février 2007", 2007, "2007-02-06", None),
        ("pour 2007-2013", "2007-2013", 2007, "2007/2013", 2013),
        ("au 31 décembre 2021", "31 décembre 2021", 2021, "2021-12-31", None),
        ("le 1 er janvier 2007", "1 er janvier 2007", 2007, "2007-01-01", None),
        ("le 05.01.2022", "05.01.2022", 2022, "2022-01-05", None),
        ("le 31/03/2000", "31/03/2000", 2000, "2000-03-31", None),
        ("entre 2007 et 2008", "entre 2007 et 2008", 2007, "2007/2008", 2008),
        ("en 2001", "2001", 2001, "2001", None),
    ],
)
def test_dates(text: str, raw: str, value: float, date_text: str, high: float | None) -> None:
    f = one(text)
    assert (f.kind, f.raw, f.value, f.date_text, f.range_high) == ("date", raw, value, date_text, high)


def test_year_shaped_counts_are_counts() -> None:
    assert one("aux 1506 communes ligériennes").kind == "count"


def test_bc_years() -> None:
    f = one("de 221 à 206 av. J.-C.")
    assert (f.kind, f.value, f.range_high) == ("date", -221, -206)


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("12 jours", 12, "jour"),
        ("4 mois", 4, "mois"),
        ("2 ans", 2, "an"),
        ("1.1 année", 1.1, "an"),
        ("six ans", 6, "an"),
        ("les 6 prochaines années", 6, "an"),
        ("ses trois dernières années", 3, "an"),
        ("les 12 premiers mois", 12, "mois"),
    ],
)
def test_durations(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("duration", value, unit)


@pytest.mark.parametrize(
    "text, value",
    [
        ("1,5 équivalent temps plein", 1.5),
        ("3 ETP", 3),
        ("171,5 équivalents temps plein", 171.5),
        ("23,5 équivalents temps plein", 23.5),
        ("12 équivalents-temps-pleins", 12),
    ],
)
def test_full_time_equivalents_are_staff_counts(text: str, value: float) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("count", value, "ETP")


def test_ranges() -> None:
    f = one("entre 10 et 15")
    assert (f.value, f.range_high, f.raw) == (10, 15, "entre 10 et 15")
    f = one("réunissent 10 à 20 personnes")
    assert (f.value, f.range_high) == (10, 20)
    f = one("entre 10 et 15 millions d'euros")
    assert (f.kind, f.value, f.range_high) == ("money", 10e6, 15e6)
    # from one figure to another is not a range
    assert len(find_figures("passe de 25,9% à 36%")) == 2


def test_bounds_and_approximations() -> None:
    assert one("Le décalage de 4 mois environ").approx
    assert one("près de 25 millions d'internautes").approx
    assert one("au moins 3 projets").minimum
    assert one("moins de 5 %").maximum
    assert one("jusqu'à 20 jours").maximum
    assert not one("pas moins de 20 jours").maximum


# --- not figures ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "article 4",
        "l'article 31-2 du règlement",
        "Tél. : 05 61 33 50 50",
        "page 2/17",
        "7.2.2",
        "pour 7.2.2, 7.3 et 7.5.2",
        "n°7.7",
        "action 7.4",
        "1) premier point à voir",
        "Contribution FEDER\n(5)",
        "N° 337",
        "la sous-mesure 3.3 de l'axe 5",
        "4-6-2 : Animation",
        "2.3 Stratégie",
        "1   2   3   4   5   ...   17",
        "la règle n+2",
        "COVID-19",
        "format MP3",
        "à 14h30",
        "https://example.org/page/12",
        "les objectifs 1 et 2",
        "rapport 12 ( * )",
    ],
)
def test_not_figures(text: str) -> None:
    assert [f for f in find_figures(text) if f.kind != "rank"] == [], find_figures(text)


def test_codes_go_to_scope() -> None:
    assert [c.code for c in find_codes("pour 7.2.2, 7.3 et 7.5.2")] == ["7.2.2", "7.3", "7.5.2"]
    assert scope_codes("action 7.3 – aide au conseil") == ["7.3"]
    assert scope_codes("7 Action n°7.7 : assistance technique") == ["7.7"]
    assert "axe 5" in scope_codes("la sous-mesure 3.3 de l'axe 5")
    assert scope_codes("l'article 4") == []


# --- parse_number ------------------------------------------------------------------


@pytest.mark.parametrize(
    "token, value",
    [
        ("98 541,50", 98541.5),
        ("98\u00a0541,50", 98541.5),
        ("1\u202f234", 1234),
        ("12,7", 12.7),
        ("-3,5", -3.5),
        ("1.234.567", 1234567),
        ("1.234,5", 1234.5),
        ("90.4", 90.4),
        ("0", 0),
        ("007", 7),
    ],
)
def test_parse_number(token: str, value: float) -> None:
    assert parse_number(token) == pytest.approx(value)


@pytest.mark.parametrize("token", ["", " ", "abc", "7.2.2", "12,", "1,2,3", "--3", "1 23", "€", "nan", "inf"])
def test_parse_number_rejects(token: str) -> None:
    assert parse_number(token) is None


# --- properties ---------------------------------------------------------------------

_SEPARATORS = st.sampled_from([" ", "\u00a0", "\u202f"])


def french(value: int, cents: int | None, sep: str) -> str:
    digits = f"{value:,}".replace(",", sep)
    return digits if cents is None else f"{digits},{cents:02d}"


@given(st.integers(min_value=0, max_value=10**12), st.one_of(st.none(), st.integers(0, 99)), _SEPARATORS)
def test_parse_number_round_trips(value: int, cents: int | None, sep: str) -> None:
    text = french(value, cents, sep)
    expected = value + (cents or 0) / 100
    assert parse_number(text) == pytest.approx(expected)


@given(st.integers(min_value=1, max_value=10**9), st.one_of(st.none(), st.integers(1, 99)), _SEPARATORS)
def test_find_figures_reads_formatted_amounts(value: int, cents: int | None, sep: str) -> None:
    text = f"un montant de {french(value, cents, sep)} € est prévu."
    figs = [f for f in find_figures(text) if f.kind == "money"]
    assert len(figs) == 1
    assert figs[0].value == pytest.approx(value + (cents or 0) / 100)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_garbage_never_raises(text: str) -> None:
    for f in find_figures(text):
        assert 0 <= f.start < f.end <= len(text)
        assert text[f.start : f.end] == f.raw
    find_codes(text)
    parse_number(text)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789 ,.%€-–/:()\nMdkéèunedixsurentreetàfinjanvier")), max_size=200))
def test_numeric_garbage_never_raises(text: str) -> None:
    for f in find_figures(text):
        assert text[f.start : f.end] == f.raw


def test_empty_and_huge_texts() -> None:
    assert find_figures("") == []
    huge = ("Le budget est de 12,7 Md€ en 2007, soit 17 sur 27 projets. " * 4000) + "9" * 5000
    figs = find_figures(huge)
    assert len(figs) >= 3 * 4000


def test_a_dash_opening_a_line_before_a_count_is_a_bullet():
    from assistant.analysis.numbers import find_figures

    assert [f.value for f in find_figures("Bilan :\n-409 ont donné lieu à une instruction")] == [409]
    assert [f.value for f in find_figures("- 12 communes ont adhéré")] == [12]
    assert [f.value for f in find_figures("Variation : -12 %")] == [-12]


@pytest.mark.parametrize(
    "text, value, unit",
    [
        ("une amende de €15.000 prononcée", 15000, "EUR"),
        ("une amende de €50,000 prononcée", 50000, "EUR"),
        ("un prêt de $3 million", 3_000_000, "USD"),
        ("une enveloppe de EUR 12 000 votée", 12000, "EUR"),
        ("€1.5 million", 1_500_000, "EUR"),
    ],
)
def test_a_currency_written_before_its_amount(text: str, value: float, unit: str) -> None:
    f = one(text)
    assert (f.kind, f.value, f.unit) == ("money", value, unit)


def test_amounts_after_a_currency_in_a_list_are_not_codes() -> None:
    got = [(f.raw, f.value) for f in find_figures("dont 3 sanctions (€15.000, €50,000 et €100.000)")]
    assert ("€15.000", 15000) in got and ("€50,000", 50000) in got and ("€100.000", 100000) in got


@pytest.mark.parametrize("text", ["le 1er ſeptembre 2019", "en ſeptembre 2019", "le 3 janvıer 2019", "en janvıer 2019"])
def test_month_with_a_look_alike_letter_is_a_date(text: str) -> None:
    """A month the case-insensitive scan matches with a look-alike letter (long ſ, dotless ı) is looked up
    as the month it matched, never a crash (the document's facts used to fail with a KeyError)."""
    dates = [f for f in find_figures(text) if f.kind == "date"]
    assert [f.value for f in dates] == [2019.0]


@pytest.mark.parametrize(
    ("text", "value", "denominator"),
    [("une dızaıne de communes", 10.0, None), ("une centaıne d'agents", 100.0, None), ("les deux tıers", 2.0, 3.0)],
)
def test_approximations_and_fractions_with_a_dotless_i(text: str, value: float, denominator: float | None) -> None:
    """« dızaıne », « tıers »: read as the noun the case-insensitive scan matched (a KeyError before)."""
    (figure,) = find_figures(text)
    assert (figure.value, figure.denominator) == (value, denominator)
