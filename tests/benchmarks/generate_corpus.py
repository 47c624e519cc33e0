"""Deterministic generator of French-report-like corpora, sized in sections.

    python tests/benchmarks/generate_corpus.py --sections 10000 OUT_DIR [--seed 7]

Writes ``.txt`` and ``.md`` report files (10–50 sections each, so 100k
sections ≈ 3,300 files) under ``OUT_DIR/<region>/<year>/`` and a
``MANIFEST.json`` (sections, files, words, seed).  The same ``--sections`` and
``--seed`` always give byte-identical files.

What the reports contain (modelled on the bundled ``corpus/`` samples):

- headings of every kind the ingestion detects: numbered (``2.3 Stratégie …``,
  ``7.2.2 – …``), prefixed (``action 7.4 – …``, ``Action n°3.2 : …``,
  ``Article 4``), roman and lettered (``II – …``, ``B. …``), upper-case titles
  and Markdown ``#`` headings;
- prose whose content words follow a Zipfian law (exponent ≈ 1) over a core
  domain vocabulary (~600 words: FEDER, collectivités, dépenses éligibles…)
  followed by a long tail of ~4,000 French-looking words composed from
  syllables and French suffixes, so most terms are rare and a few sit in most
  sections, as in real report libraries;
- figures of every kind: amounts (``98 541,50 €``, ``2,5 M€``, ``1,2 million
  d'euros``), percents (``59,26 %``), counts (``27 projets``), durations
  (``12 jours``, ``4 mois``), dates (``janvier 2007``, ``le 9 février
  2023``), ratios (``17 sur 27``), ranges (``entre 10 et 15 jours``);
- tables: Markdown pipe tables, plain pipe tables, and the one-cell-per-line
  layout of scraped PDFs (cells separated by ``|`` lines).

The module also gives the benchmark its workload: :func:`make_queries`
(search queries drawn from the same vocabulary, with numbers and codes) and
:func:`make_questions` (French and English questions of every kind).
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path

# --- vocabulary ----------------------------------------------------------------

CORE_NOUNS_F = """
action aide assistance autorité collectivité commune contribution convention dépense
dotation démarche enveloppe évaluation formation gestion gouvernance intercommunalité
mission opération organisation participation phase programmation politique priorité
recommandation région réunion sélection session stratégie structure subvention
mise_en_œuvre maquette certification instruction dématérialisation procédure
infrastructure plateforme association entreprise filière agence direction équipe
consultation concertation animation communication diffusion expérimentation
innovation compétence ressource capacité charge dette épargne recette taxe fiscalité
population habitante médiathèque piscine voirie école crèche santé mobilité
transition énergie rénovation construction extension acquisition étude analyse
enquête synthèse conclusion période échéance année campagne vague tranche
""".split()

CORE_NOUNS_M = """
projet programme bénéficiaire comité pilotage suivi financement budget montant coût
taux nombre objectif indicateur résultat bilan rapport dossier partenaire prestataire
conseil service usager territoire département pays syndicat établissement site
réseau outil dispositif accompagnement démarrage lancement calendrier décalage retard
délai contrôle audit marché appel_d'offres cahier_des_charges contrat plan schéma
axe volet fonds crédit engagement paiement versement cofinancement investissement
fonctionnement personnel agent emploi équipement logement transport numérique
internet intranet extranet portail système logiciel contenu usage accès débit
développement aménagement environnement patrimoine tourisme agriculture élu maire
président vice-président conseiller citoyen public partenariat groupe atelier
séminaire colloque guide référentiel cadre niveau seuil plafond ratio solde excédent
déficit encours exercice mandat trimestre semestre mois jour an
""".split()

CORE_ADJS = """
régional régionale régionaux départemental communal communale intercommunal
intercommunale public publique publics numérique numériques innovant innovante
innovants éligible éligibles total totale totaux moyen moyenne moyens initial
initiale prévisionnel prévisionnelle opérationnel opérationnelle financier
financière financiers technique techniques local locale locaux national nationale
européen européenne structurel structurels territorial territoriale global globale
annuel annuelle pluriannuel pluriannuelle important importante faible faibles
significatif significative nouveau nouvelle nouveaux principal principale
stratégique administratif administrative électronique collectif collective
rural rurale urbain urbaine durable durables social sociale économique économiques
net nette brut brute réel réelle réelles effectif effective
""".split()

CORE_VERBS = """
a_permis ont_permis a_été_réalisé a_été_validé ont_été_retenus ont_été_déposés
a_atteint atteint s'élève représente représentent a_progressé a_diminué a_augmenté
a_financé ont_bénéficié a_accompagné a_mobilisé a_été_ramené a_été_porté
concerne concernent porte_sur portent_sur vise visent prévoit prévoient
a_réuni s'est_réuni a_validé a_adopté a_lancé ont_démarré souligne soulignent
recommande témoigne_de reste demeure constitue constituent favorise renforce
""".split()

FUNCTION = "de la des du et pour dans avec sur en par au aux entre vers selon sans".split()

PLACES = """
Midi-Pyrénées Occitanie Aquitaine Bretagne Normandie Auvergne Bourgogne Lorraine
Picardie Limousin Provence Savoie Vendée Gironde Ariège Aveyron Lot Tarn Gers
Corrèze Creuse Cantal Lozère Hérault Gard Aude Drôme Isère Ain Jura Doubs Orne
""".split()

MONTHS = "janvier février mars avril mai juin juillet août septembre octobre novembre décembre".split()

SYLLABLES = """
ba be bi bo bu ca ce ci co cu da de di do du fa fe fi fo fu ga ge gi go gu la le li
lo lu ma me mi mo mu na ne ni no nu pa pe pi po pu ra re ri ro ru sa se si so su ta
te ti to tu va ve vi vo vu bra bre bri cla cle cli dra dre fla fle gra gre pla ple
pra pre tra tre tri vra vre an en in on un ar er ir or ur al el il ol ul
""".split()

SUFFIXES = """
tion ment age ité isme ance ence eur euse ique aire oire ure ade ette ier ière ien
ienne al ale el elle if ive able ible iste ois oise
""".split()

_CV = [s for s in SYLLABLES if s[0] not in "aeiouy"]


def _synthetic_words(rng: random.Random, count: int) -> list[str]:
    """French-looking words: 1–3 syllables + a French suffix, some accented."""
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        parts = [rng.choice(SYLLABLES)]
        parts += [rng.choice(_CV) for _ in range(rng.randint(0, 2))]
        stem, suffix = "".join(parts), rng.choice(SUFFIXES)
        if stem[-1] in "aeiouy" and suffix[0] in "aeiouy":
            stem = stem[:-1]
        word = stem + suffix
        if rng.random() < 0.25:
            i = word.find("e")
            if 0 <= i < len(word) - 2:
                word = word[:i] + "é" + word[i + 1 :]
        if word not in seen and len(word) > 4:
            seen.add(word)
            out.append(word)
    return out


@dataclass
class Vocabulary:
    """The words of a corpus and Zipfian samplers over them."""

    nouns: list[tuple[str, str]]
    """(word, gender 'f'|'m'), most frequent first (core words, then the tail)."""
    adjs: list[str]
    verbs: list[str]
    names: list[str]
    """Organisation names (prestataires, cabinets)."""
    _noun_cum: list[float]
    _adj_cum: list[float]

    @classmethod
    def build(cls, seed: int = 7, tail: int = 4000, exponent: float = 1.0) -> Vocabulary:
        rng = random.Random(seed)
        core = [(w.replace("_", " "), "f") for w in CORE_NOUNS_F] + [(w.replace("_", " "), "m") for w in CORE_NOUNS_M]
        rng.shuffle(core)
        synth = _synthetic_words(rng, tail + 800)
        tail_nouns = [
            (w, "f" if w.endswith(("tion", "ité", "ance", "ence", "ure", "ière", "ette", "ade", "euse")) else "m")
            for w in synth[:tail]
        ]
        nouns = core + tail_nouns
        adjs = list(CORE_ADJS) + synth[tail : tail + 500]
        names = []
        for w in synth[tail + 500 : tail + 800]:
            name = w.capitalize()
            if rng.random() < 0.4:
                name += " " + rng.choice(["Conseil", "Territoires", "Ingénierie", "Études", "Numérique", "Partenaires"])
            names.append(name)
        verbs = [v.replace("_", " ") for v in CORE_VERBS]

        def cum(n: int) -> list[float]:
            return list(itertools.accumulate(1.0 / (r + 2.7) ** exponent for r in range(n)))

        return cls(nouns, adjs, verbs, names, cum(len(nouns)), cum(len(adjs)))

    def noun(self, rng: random.Random) -> tuple[str, str]:
        """A noun drawn by Zipf's law."""
        return self.nouns[bisect.bisect(self._noun_cum, rng.random() * self._noun_cum[-1])]

    def adj(self, rng: random.Random) -> str:
        """An adjective drawn by Zipf's law."""
        return self.adjs[bisect.bisect(self._adj_cum, rng.random() * self._adj_cum[-1])]

    def rare_noun(self, rng: random.Random) -> str:
        """A noun from the long tail (rank ≥ 600)."""
        return self.nouns[rng.randrange(600, len(self.nouns))][0]


# --- figures -------------------------------------------------------------------


def _group(n: int) -> str:
    """27453 → '27 453' (French thousands with a space)."""
    return f"{n:,}".replace(",", " ")


def amount(rng: random.Random) -> str:
    """A money amount as reports write it."""
    style = rng.random()
    if style < 0.35:
        return f"{_group(rng.randint(1_000, 9_999_999))} €"
    if style < 0.55:
        return f"{_group(rng.randint(1_000, 999_999))},{rng.randint(1, 99):02d} €"
    if style < 0.75:
        return f"{rng.randint(1, 95)},{rng.randint(1, 9)} M€"
    if style < 0.9:
        return f"{rng.randint(1, 40)},{rng.randint(1, 9)} millions d'euros"
    return f"{_group(rng.randint(10, 950))} k€"


def percent(rng: random.Random) -> str:
    return rng.choice([f"{rng.randint(1, 99)} %", f"{rng.randint(1, 99)},{rng.randint(1, 99):02d} %", f"{rng.randint(1, 99)}%"])


def date(rng: random.Random) -> str:
    year = rng.randint(1994, 2024)
    style = rng.random()
    if style < 0.5:
        return f"{rng.choice(MONTHS)} {year}"
    if style < 0.7:
        return f"le {rng.randint(1, 28)} {rng.choice(MONTHS)} {year}"
    if style < 0.85:
        return f"fin {year}"
    return f"{year}"


def duration(rng: random.Random) -> str:
    unit = rng.choice(["jours", "mois", "ans", "semaines", "heures"])
    return f"{rng.randint(2, 48)} {unit}"


def plural(noun: str) -> str:
    if noun.endswith(("s", "x", "z")):
        return noun
    if noun.endswith("al"):
        return noun[:-2] + "aux"
    if noun.endswith(("eau", "eu")):
        return noun + "x"
    return " ".join(w + "s" if i == 0 else w for i, w in enumerate(noun.split(" ")))


def code(rng: random.Random) -> str:
    return rng.choice(
        [f"{rng.randint(1, 9)}.{rng.randint(1, 9)}", f"{rng.randint(1, 9)}.{rng.randint(1, 9)}.{rng.randint(1, 5)}"]
    )


# --- prose ---------------------------------------------------------------------


def _det(noun: str, gender: str, rng: random.Random, definite: bool = True) -> str:
    if noun[0].lower() in "aeiouyéèêàâîôûœh":
        return ("l'" if definite else ("une " if gender == "f" else "un ")) + noun
    if definite:
        return ("la " if gender == "f" else "le ") + noun
    return ("une " if gender == "f" else "un ") + noun


def _de(noun: str, gender: str) -> str:
    if noun[0].lower() in "aeiouyéèêàâîôûœh":
        return "de l'" + noun
    return ("de la " if gender == "f" else "du ") + noun


def noun_phrase(v: Vocabulary, rng: random.Random, definite: bool = True) -> str:
    noun, gender = v.noun(rng)
    out = _det(noun, gender, rng, definite)
    if rng.random() < 0.45:
        out += " " + v.adj(rng)
    if rng.random() < 0.5:
        n2, g2 = v.noun(rng)
        out += " " + _de(n2, g2)
        if rng.random() < 0.3:
            out += " " + v.adj(rng)
    return out


def prose_sentence(v: Vocabulary, rng: random.Random) -> str:
    """A sentence without figures (Zipfian content words, French function words)."""
    parts = [noun_phrase(v, rng), rng.choice(v.verbs), noun_phrase(v, rng, definite=rng.random() < 0.6)]
    for _ in range(rng.randint(0, 3)):
        prep = rng.choice(["pour", "dans", "avec", "sur", "par", "selon", "auprès de", "au titre de", "en faveur de"])
        parts.append(prep + " " + noun_phrase(v, rng))
    if rng.random() < 0.2:
        parts.append(", notamment " + noun_phrase(v, rng) + " et " + noun_phrase(v, rng))
    text = " ".join(parts).replace(" ,", ",").replace("de le ", "du ").replace("de les ", "des ")
    text = text.replace("à le ", "au ").replace("de l'", "de l'")
    return text[0].upper() + text[1:] + "."


def figure_sentence(v: Vocabulary, rng: random.Random, codes: list[str]) -> str:
    """A sentence stating a figure of some kind, with a subject."""
    noun, gender = v.noun(rng)
    np_ = _det(noun, gender, rng)
    other = noun_phrase(v, rng)
    k = rng.randrange(14)
    if k == 0:
        s = f"Le montant total {_de(noun, gender)} s'élève à {amount(rng)}"
    elif k == 1:
        s = f"La contribution FEDER au titre de l'action {rng.choice(codes)} atteint {amount(rng)} en {rng.randint(2000, 2024)}"
    elif k == 2:
        s = f"Le taux {_de(noun, gender)} {v.adj(rng)} est de {percent(rng)}, contre {percent(rng)} en {rng.randint(2000, 2024)}"
    elif k == 3:
        s = f"{rng.randint(2, 400)} {plural(v.noun(rng)[0])} ont été retenus au titre de l'action {rng.choice(codes)}"
    elif k == 4:
        s = f"La durée moyenne {_de(noun, gender)} est de {duration(rng)}"
    elif k == 5:
        s = f"Le démarrage effectif {_de(noun, gender)} est intervenu en {rng.choice(MONTHS)} {rng.randint(1998, 2024)} au lieu de {rng.choice(MONTHS)} {rng.randint(1998, 2024)}"
    elif k == 6:
        a = rng.randint(10, 90)
        s = f"L'objectif de {a} {plural(noun)} a été ramené à {rng.randint(5, a)} fin {rng.randint(2000, 2024)} lors du comité de pilotage"
    elif k == 7:
        whole = rng.randint(5, 80)
        s = f"{rng.randint(1, whole)} sur {whole} {plural(noun)} ont bénéficié {_de(*v.noun(rng))}"
    elif k == 8:
        lo = rng.randint(2, 20)
        s = f"Les missions {_de(noun, gender)} durent entre {lo} et {lo + rng.randint(1, 10)} jours"
    elif k == 9:
        s = f"Les dépenses totales éligibles {_de(noun, gender)} représentent {amount(rng)}, soit {percent(rng)} du coût total"
    elif k == 10:
        s = f"Le prestataire retenu dans le cadre d'un appel d'offres, en {date(rng)}, est {rng.choice(v.names)}, avec {rng.choice(v.names)} comme sous-traitant"
    elif k == 11:
        s = f"{np_.capitalize()} {rng.choice(v.verbs)} {rng.randint(2, 5000)} {plural(v.noun(rng)[0])} en {rng.randint(1995, 2024)}"
    elif k == 12:
        s = f"Le comité de suivi s'est réuni {rng.randint(2, 30)} fois entre {rng.randint(1995, 2010)} et {rng.randint(2011, 2024)}, pour {other}"
    else:
        s = f"{other.capitalize()} a été adopté {date(rng)} pour un budget de {amount(rng)}"
    return s[0].upper() + s[1:] + "."


def paragraph(v: Vocabulary, rng: random.Random, codes: list[str], sentences: int) -> str:
    out = []
    for _ in range(sentences):
        out.append(figure_sentence(v, rng, codes) if rng.random() < 0.35 else prose_sentence(v, rng))
    return " ".join(out)


# --- headings and tables --------------------------------------------------------

ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def title_words(v: Vocabulary, rng: random.Random) -> str:
    noun, gender = v.noun(rng)
    out = noun.capitalize()
    if rng.random() < 0.5:
        out += " " + v.adj(rng)
    if rng.random() < 0.6:
        out += " " + _de(*v.noun(rng))
    return out


def table(v: Vocabulary, rng: random.Random, codes: list[str], style: str) -> str:
    cols = ["Nom du projet", "Bénéficiaire", "Dépenses totales éligibles", "Contribution FEDER", "Taux"]
    rows = []
    for _ in range(rng.randint(2, 6)):
        rows.append(
            [
                f"{rng.choice(codes)} – {title_words(v, rng)}",
                rng.choice(["Région ", "Commune de ", "Communauté de communes du ", "Syndicat mixte du "]) + rng.choice(PLACES),
                f"{_group(rng.randint(10_000, 5_000_000))} €",
                f"{_group(rng.randint(5_000, 2_000_000))},{rng.randint(0, 99):02d} €",
                percent(rng),
            ]
        )
    if style == "md":
        lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        lines += ["| " + " | ".join(r) + " |" for r in rows]
        return "\n".join(lines)
    if style == "pipe":
        return "\n".join(" | ".join(r) for r in [cols] + rows)
    cells = []  # one cell per line, cells separated by '|' lines (scraped PDF)
    for r in [cols] + rows:
        for c in r:
            cells.append(c)
            cells.append("|")
    return "\n".join(cells)


def heading(v: Vocabulary, rng: random.Random, md: bool, level: int, number: str, codes: list[str]) -> str:
    words = title_words(v, rng)
    if md:
        return "#" * (level + 1) + " " + (f"{number} " if rng.random() < 0.7 else "") + words
    k = rng.random()
    if level == 1:
        if k < 0.35:
            return f"{ROMAN[(int(number) - 1) % len(ROMAN)]} – {words.upper()}"
        if k < 0.6:
            return words.upper()
        return f"{number}. {words}"
    if k < 0.3:
        return f"{number} {words}"
    if k < 0.5:
        return f"action {rng.choice(codes)} – {words.lower()}"
    if k < 0.6:
        return f"Action n°{rng.choice(codes)} : {words.lower()}"
    if k < 0.7:
        return f"{number} – {words}"
    if k < 0.8:
        return f"Article {rng.randint(1, 40)}"
    if k < 0.9:
        return f"{'ABCDEFGH'[rng.randrange(8)]}. {words}"
    return words  # short title line without final punctuation


# --- documents ------------------------------------------------------------------


def report(v: Vocabulary, seed: int, sections: int) -> tuple[str, str, int]:
    """One report with `sections` headed sections: (text, suffix, words)."""
    rng = random.Random(seed)
    md = rng.random() < 0.3
    codes = [code(rng) for _ in range(8)]
    year = rng.randint(2000, 2024)
    place = rng.choice(PLACES)
    kind = rng.choice(
        [
            "RAPPORT ANNUEL D'EXÉCUTION",
            "RAPPORT D'ÉVALUATION",
            "RAPPORT D'ORIENTATION BUDGÉTAIRE",
            "BILAN DU PROGRAMME",
            "RAPPORT D'ACTIVITÉ",
            "COMPTE RENDU DU COMITÉ DE SUIVI",
        ]
    )
    title = f"{kind} {year} – {place.upper()}"
    lines = [("# " + title.capitalize()) if md else title, ""]
    chapter = 0
    sub = 0
    for i in range(sections):
        if i == 0 or rng.random() < 0.2:
            chapter += 1
            sub = 0
            lines.append(heading(v, rng, md, 1, str(chapter), codes))
        else:
            sub += 1
            lines.append(heading(v, rng, md, 2, f"{chapter}.{sub}", codes))
        lines.append("")
        for _ in range(rng.randint(1, 3)):
            lines.append(paragraph(v, rng, codes, rng.randint(1, 4)))
            lines.append("")
        r = rng.random()
        if r < 0.08:
            lines.append(table(v, rng, codes, "md" if md else rng.choice(["pipe", "cells"])))
            lines.append("")
        elif r < 0.14:
            for _ in range(rng.randint(2, 4)):
                lines.append(f"- {noun_phrase(v, rng)} ({amount(rng)}, {date(rng)}) ;")
            lines.append("")
    text = "\n".join(lines).rstrip() + "\n"
    return text, ".md" if md else ".txt", len(text.split())


def generate(out: Path, sections: int, seed: int = 7) -> dict:
    """Write reports totalling `sections` sections under `out`; return the manifest."""
    out.mkdir(parents=True, exist_ok=True)
    v = Vocabulary.build(seed)
    rng = random.Random(seed * 1_000_003 + sections)
    left = sections
    files = words = 0
    while left > 0:
        n = min(left, rng.randint(10, 50))
        text, suffix, w = report(v, rng.randrange(2**31), n)
        region = PLACES[files % len(PLACES)].lower()
        folder = out / region / str(2000 + (files // len(PLACES)) % 25)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"rapport-{files:05d}{suffix}").write_text(text, encoding="utf-8")
        files += 1
        words += w
        left -= n
    manifest = {"sections": sections, "files": files, "words": words, "seed": seed}
    (out / "MANIFEST.json").write_text(json.dumps(manifest) + "\n", encoding="utf-8")
    return manifest


# --- workload -------------------------------------------------------------------


def make_queries(n: int = 200, seed: int = 11) -> list[str]:
    """Search queries over the generator's vocabulary: head and tail words,
    numbers, years, amounts and programme codes."""
    v = Vocabulary.build(7)
    rng = random.Random(seed)
    out = []
    for i in range(n):
        k = i % 8
        if k in (0, 1):
            q = " ".join(v.noun(rng)[0] for _ in range(rng.randint(2, 4)))
        elif k == 2:
            q = " ".join(v.rare_noun(rng) for _ in range(rng.randint(1, 3)))
        elif k == 3:
            q = f"{v.noun(rng)[0]} {v.adj(rng)} {rng.randint(1998, 2024)}"
        elif k == 4:
            q = f"{rng.randint(2, 400)} {plural(v.noun(rng)[0])} {v.noun(rng)[0]}"
        elif k == 5:
            q = f"action {code(rng)} {v.noun(rng)[0]}"
        elif k == 6:
            q = f"{amount(rng)} {v.noun(rng)[0]}"
        else:
            q = f"durée moyenne {_de(*v.noun(rng))} {v.adj(rng)} {v.rare_noun(rng)}"
        out.append(q)
    return out


def make_questions(n: int = 200, seed: int = 13) -> list[str]:
    """French and English questions of every kind (counts, amounts, percents,
    durations, dates, names, free text), about the generator's vocabulary."""
    v = Vocabulary.build(7)
    rng = random.Random(seed)
    fr = [
        lambda: f"Quel est le montant total {_de(*v.noun(rng))} ?",
        lambda: f"Combien de {plural(v.noun(rng)[0])} ont été retenus au titre de l'action {code(rng)} ?",
        lambda: f"Quelle est la durée moyenne {_de(*v.noun(rng))} ?",
        lambda: f"Quel est le taux {_de(*v.noun(rng))} {v.adj(rng)} en {rng.randint(2000, 2024)} ?",
        lambda: f"Quand le démarrage effectif {_de(*v.noun(rng))} est-il intervenu ?",
        lambda: f"Quel prestataire a été retenu pour {_det(*v.noun(rng), rng)} ?",
        lambda: f"Quelle contribution FEDER pour l'action {code(rng)} ?",
        lambda: f"combien de {plural(v.rare_noun(rng))} en {rng.randint(1995, 2024)} ?",
        lambda: f"Pourquoi {_det(*v.noun(rng), rng)} {v.adj(rng)} a-t-il été ramené ?",
        lambda: f"Quelle part des dépenses éligibles représente {_det(*v.noun(rng), rng)} ?",
        lambda: (
            f"De combien l'objectif {_de(*v.noun(rng))} a-t-il été réduit entre {rng.randint(2000, 2010)} et {rng.randint(2011, 2024)} ?"
        ),
    ]
    en = [
        lambda: f"How many projects were selected under action {code(rng)}?",
        lambda: (
            f"What was the total budget of the {rng.choice(['training', 'advisory', 'digital', 'investment'])} programme in {rng.randint(2000, 2024)}?"
        ),
        lambda: "What was the average duration of the advisory missions?",
        lambda: (
            f"What share of eligible expenditure went to {rng.choice(['staff costs', 'technical assistance', 'evaluation', 'communication'])}?"
        ),
        lambda: f"When did the {rng.choice(['training sessions', 'advisory missions', 'monitoring committee'])} start?",
        lambda: f"Which consultancy was selected through the call for tenders for {v.noun(rng)[0]}?",
        lambda: f"What was the ERDF contribution to action {code(rng)}?",
        lambda: (
            f"How many times did the monitoring committee meet between {rng.randint(1995, 2010)} and {rng.randint(2011, 2024)}?"
        ),
    ]
    out = []
    for i in range(n):
        pool = en if i % 3 == 2 else fr
        out.append(rng.choice(pool)())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write the reports into")
    parser.add_argument("--sections", type=int, required=True, help="number of sections to generate")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    manifest = generate(args.out, args.sections, args.seed)
    print(json.dumps(manifest))
    return 0


if __name__ == "__main__":
    sys.exit(main())
