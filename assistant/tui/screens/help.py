"""Help (F1 or ?): the key bindings and example questions in French and English."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from assistant.tui.screens.base import BaseModal

KEYS: list[tuple[str, str]] = [
    ("Entrée", "envoyer la question"),
    ("Maj+Entrée, Ctrl+J", "nouvelle ligne dans la question (le prompt s'agrandit)"),
    ("↑ / ↓", "questions précédentes (historique de cet index)"),
    ("Ctrl+R", "chercher dans l'historique des questions"),
    ("Tab / Échap", "passer du prompt aux sources de la réponse, et retour"),
    ("1 … 9", "ouvrir la source n° (quand les sources ont le focus)"),
    ("Alt+1 … 9", "pareil, depuis le prompt (selon le terminal)"),
    ("clic / Entrée", "sur une source : ouvrir le passage"),
    ("Échap", "revenir du passage"),
    ("Ctrl+Y", "copier la réponse sélectionnée et ses sources"),
    ("Ctrl+S", "exporter la conversation en Markdown (le chemin est demandé)"),
    ("Ctrl+F", "chercher dans la transcription (questions, réponses, passages)"),
    ("Ctrl+O", "rouvrir une conversation enregistrée de cet index"),
    ("Ctrl+L", "effacer la transcription (nouvelle conversation)"),
    ("F2 / F3 / F4", "Chat / Faits / Documents"),
    ("Faits", "taper pour filtrer ; trier : en-tête, s, r ; Ctrl+S : CSV"),
    ("Documents", "a : ajouter ; r : réindexer ; Suppr : retirer"),
    ("Ctrl+T", "thème clair / sombre (retenu pour cet index)"),
    ("Ctrl+P", "palette de commandes (toutes les actions)"),
    ("F1 ou ?", "cette aide"),
    ("Ctrl+Q", "quitter"),
]
"""(keys, what they do), as shown in the help."""

EXAMPLES_FR = [
    "Combien de projets ont poursuivi leur démarche en phase « projets innovants » ?",
    "Quelle est la durée moyenne d'une mission d'aide au conseil, en jours ?",
    "Quel est le montant de la contribution FEDER pour la formation des élus ?",
    "Et en 2007 ?   (une question de suite reprend la précédente)",
]
EXAMPLES_EN = [
    "What was the average length of an advisory mission, in days?",
    "How many applications were filed and approved in total?",
]


def help_content() -> Content:
    """The help text."""
    width = max(len(k) for k, _ in KEYS) + 2
    parts: list[str | tuple[str, str]] = [("Touches\n", "bold underline")]
    for keys, what in KEYS:
        parts += [(f"  {keys:<{width}}", "bold"), f"{what}\n"]
    parts += ["\n", ("Exemples de questions\n", "bold underline")]
    parts += [f"  • {q}\n" for q in EXAMPLES_FR]
    parts += ["\n", ("Example questions (English)\n", "bold underline")]
    parts += [f"  • {q}\n" for q in EXAMPLES_EN]
    parts += [
        "\n",
        ("Lire une réponse\n", "bold underline"),
        "  Le chiffre est en gras, suivi de la phrase de réponse et d'un indice de confiance\n"
        "  (élevée ●●● / moyenne ●●○ / faible ●○○). « Calculé à partir de … » signale un calcul ;\n"
        "  « ⚠ Attention » liste les autres chiffres du corpus ; « PAS TROUVÉ » propose des passages à lire.\n",
    ]
    return Content.assemble(*parts)


class HelpScreen(BaseModal):
    """Key bindings and example questions."""

    BINDINGS = [
        Binding("escape,f1,question_mark,q", "close", "Fermer"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="help-dialog"):
            yield Static(Content("Aide — assistant de rapports"), id="help-title")
            with VerticalScroll(id="help-body"):
                yield Static(help_content(), id="help-text")
            yield Static(Content("Échap : fermer"), id="help-legend")

    def action_close(self) -> None:
        """Close the help."""
        self.dismiss()
