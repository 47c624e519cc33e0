"""Shared fixtures of the TUI tests: a real index built once per session from a small corpus.

The corpus is written by the tests themselves (four short fictitious French
reports, 10+ sections with headings and figures).  It is written so that the
real QA gives the answers the TUI tests need to see: :data:`QUESTION` is
answered with a figure, two citations and a conflict (the activity report
says 46 communes, the monitoring committee's minutes 45, same subject, same
year); :data:`COMPUTED_QUESTION` with a difference computed from a sentence
stating two yearly figures.  The index is built once
per session (``Assistant(index_dir).index([folder])``, cached at module level
so the Pilot and snapshot modules share it); each test gets its own copy of
the index directory, so tests that add documents or write the history never
disturb one another.

No test here: this module only holds helpers (pytest collects nothing from it).
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from assistant.models import Answer

REPORTS: dict[str, str] = {
    "villages-connectes-2021.txt": """RAPPORT D'ACTIVITÉ 2021 DU PROGRAMME VILLAGES CONNECTÉS

1. Contexte du programme
Le programme Villages connectés a été lancé en mars 2019 par la région fictive d'Occitanie-Ouest. Il accompagne les communes rurales dans la mise en ligne de leurs services publics.

2. Formation des élus
En 2021, 342 élus ont suivi au moins une session de formation. La durée moyenne d'une session de formation est de 3 jours.
Le coût total des formations s'élève à 128 400 € pour l'année.

3. Aide au conseil
Au total, 46 communes ont bénéficié de l'aide au conseil en 2021. Parmi elles, 29 communes sur 46 ont poursuivi leur démarche en phase de réalisation.
La durée d'intervention moyenne de l'aide au conseil est de 12 jours par commune.

4. Financement
La contribution du fonds européen s'élève à 1 250 000 €, soit 45 % du coût total du programme.
""",
    "schema-numerique-2022.txt": """BILAN DU SCHÉMA DÉPARTEMENTAL DU NUMÉRIQUE

1. Couverture en très haut débit
Fin 2022, 78 % des foyers du département étaient raccordables à la fibre optique. L'objectif fixé pour 2025 est de raccorder 100 % des foyers.

2. Espaces publics numériques
Le département compte 57 espaces publics numériques. Ils ont accueilli 18 500 visiteurs en 2022.

3. Budget du schéma
Le budget consacré au schéma numérique atteint 4 200 000 € en 2022, contre 3 900 000 € en 2021.
""",
    "comite-suivi-2021.txt": """COMPTE RENDU DU COMITÉ DE SUIVI 2021 DU PROGRAMME VILLAGES CONNECTÉS

1. Bilan de l'année
D'après le tableau de bord du comité de suivi, 45 communes ont bénéficié en 2021 de l'aide au conseil.

2. Formation des élus
Le comité relève que la formation des élus reste très demandée.
""",
    "evaluation-mediation.txt": """ÉVALUATION DU DISPOSITIF DE MÉDIATION NUMÉRIQUE

1. Objectifs
Le dispositif vise à accompagner 5 000 habitants éloignés du numérique d'ici 2024.

2. Résultats
En 2022, 2 140 habitants ont été accompagnés par 23 médiateurs numériques. Le taux de satisfaction des usagers atteint 91 %.

3. Coûts
Le coût moyen d'un accompagnement est de 85 € par habitant.
""",
}
"""The test corpus: file name → text (fictitious figures).

The committee's minutes contradict the activity report on purpose (45 vs 46
communes helped in 2021): the real QA flags it as a conflict.
"""

EXTRA_REPORT = (
    "mobilite-rurale-2022.txt",
    """RAPPORT SUR LA MOBILITÉ RURALE

1. Transport à la demande
Le service de transport à la demande a transporté 12 300 voyageurs en 2022.

2. Covoiturage
Le département a aménagé 24 aires de covoiturage depuis 2019.
""",
)
"""A report added during a test (Documents view: counts grow)."""


@dataclass
class BuiltIndex:
    """The session's corpus and index."""

    corpus: Path
    """Folder of the reports."""
    index: Path
    """Index directory built from it (never modified by tests)."""
    extra: Path
    """Folder holding EXTRA_REPORT only."""
    root: Path
    """Temporary folder of the session."""


_BUILT: BuiltIndex | None = None


def build_index(tmp_path_factory: pytest.TempPathFactory) -> BuiltIndex:
    """Write the corpus and index it, once per session."""
    global _BUILT
    if _BUILT is not None:
        return _BUILT
    from assistant.qa.engine import Assistant

    root = tmp_path_factory.mktemp("tui")
    corpus = root / "corpus"
    corpus.mkdir()
    for name, text in REPORTS.items():
        (corpus / name).write_text(text, encoding="utf-8")
    extra = root / "extra"
    extra.mkdir()
    (extra / EXTRA_REPORT[0]).write_text(EXTRA_REPORT[1], encoding="utf-8")
    index = root / "index"
    engine = Assistant(index)
    report = engine.index([corpus])
    engine.close()
    assert len(report.added) == len(REPORTS), report
    assert report.sections >= 6, report
    _BUILT = BuiltIndex(corpus=corpus, index=index, extra=extra, root=root)
    return _BUILT


def copy_index(built: BuiltIndex, dest: Path) -> Path:
    """A private copy of the session index (the database and its WAL files)."""
    target = dest / "index"
    shutil.copytree(built.index, target)
    return target


QUESTION = "Combien de communes ont bénéficié de l'aide au conseil ?"
"""Answered by the real QA with 46 communes, citations [1] QUOTE and [2] QUOTE_2, and a conflict (45)."""
DOC = "villages-connectes-2021.txt"
QUOTE = "Au total, 46 communes ont bénéficié de l'aide au conseil en 2021."
DOC_2 = "comite-suivi-2021.txt"
QUOTE_2 = "D'après le tableau de bord du comité de suivi, 45 communes ont bénéficié en 2021 de l'aide au conseil."

COMPUTED_QUESTION = "De combien le budget du schéma numérique a-t-il augmenté entre 2021 et 2022 ?"
"""Answered by the real QA with 300 000 €, computed from one sentence stating both years."""
COMPUTED_QUOTE = "Le budget consacré au schéma numérique atteint 4 200 000 € en 2022, contre 3 900 000 € en 2021."

UNANSWERABLE = "Combien de girafes et d'éléphants vivent au zoo municipal des communes ?"
"""The real QA abstains and cites passages worth reading (of its words, only "communes" is in the corpus)."""
VAGUE = "Que dit le rapport ?"
"""Nothing but question words: the real QA abstains without citing anything (the chat then searches)."""


class InstrumentedEngine:
    """The real engine (`Assistant`) on a test index, with fault injection around `ask`.

    Every answer comes from the real `Assistant.ask`; the wrapper only records
    the questions asked (with the conversation handed over), and can hold the
    first question in flight (`gate`), slow every question down (`delay`) or
    make `ask` raise (`fail`) — what the TUI must survive and a real index
    does not do on demand.  Everything else is delegated to the real engine.
    """

    def __init__(self, index_dir: Path, *, fail: BaseException | None = None, delay: float = 0.0) -> None:
        from assistant.qa.engine import Assistant

        self.real = Assistant(index_dir)
        self.fail = fail
        """Raised by `ask` instead of answering, while set."""
        self.delay = delay
        """Seconds `ask` sleeps before answering."""
        self.asked: list[tuple[str, object]] = []
        """(question, conversation) of every call to `ask`, in order."""
        self.gate: threading.Event | None = None
        """When set by a test, the first `ask` waits for it (a question kept in flight)."""

    def __getattr__(self, name: str):
        return getattr(self.real, name)

    def ask(self, question: str, conversation=None) -> Answer:
        """The real answer, after the injected wait, delay or failure."""
        self.asked.append((question, conversation))
        if self.gate is not None and len(self.asked) == 1:
            self.gate.wait(5)
        if self.delay:
            time.sleep(self.delay)
        if self.fail is not None:
            raise self.fail
        return self.real.ask(question, conversation)
