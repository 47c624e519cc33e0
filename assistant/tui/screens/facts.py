"""Faits: every figure of the index in a table, filtered as you type, sortable.

The facts are read once per index version (in a worker) and filtered in
memory: text (accents and case ignored) over the figure, subject, sentence,
section and document; kind and document from two selects.  Clicking a column
header (or ``s`` in the table) sorts by it; Enter or a click on a row opens
the fact's sentence in the passage screen.  The columns share the width there
is; the qualifiers (objectif, réalisé, moyenne…) have their own.  Ctrl+S
exports the rows shown to CSV (the one CSV writer of the assistant).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import DataTable, Footer, Input, Select, Static

from assistant.models import Fact
from assistant.tui.formatting import KIND_LABELS, clip_end, count, error_reason, fit_widths, format_number, one_line
from assistant.tui.messages import FactsLoaded
from assistant.tui.passage import PassageRequest
from assistant.tui.screens.base import IndexViewScreen

MAX_ROWS = 1000
"""Rows shown at most; the count says how many more match."""

COLUMNS: list[tuple[str, str, int, int]] = [
    ("value", "Valeur", 12, 1),
    ("kind", "Type", 11, 0),
    ("qualifiers", "Qualif.", 9, 1),
    ("subject", "Sujet", 18, 5),
    ("document", "Document", 14, 2),
    ("section", "Section", 12, 3),
    ("unit", "Unité", 9, 0),
]
"""(key, header, minimum width, weight) of the columns: the minimums fit the first four in 80 columns,
the weights share what is left (:func:`fit_widths`)."""


def fold(text: str) -> str:
    """Lower case without accents, for matching as the user types."""
    decomposed = unicodedata.normalize("NFD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _sort_key(column: str):
    if column == "value":
        return lambda f: (f.value, f.document, f.start)
    return lambda f: (fold(str(getattr(f, column) or "")), f.document, f.start)


class FactsScreen(IndexViewScreen):
    """The facts table."""

    FOCUS = "#facts-grep"

    BINDINGS = [
        Binding("ctrl+f", "focus_filter", "Filtrer"),
        Binding("ctrl+s", "export", "Exporter"),
        Binding("s", "cycle_sort", "Trier", show=False),
        Binding("r", "reverse_sort", "Inverser", show=False),
        Binding("escape", "focus_filter", "Filtre", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(id="facts")
        self.facts: list[Fact] = []
        self._haystacks: list[str] = []
        self.shown: list[Fact] = []
        self.sort_column = "document"
        self.sort_reverse = False
        self.widths = {key: minimum for key, _, minimum, _ in COLUMNS}
        self._loaded = False
        self._export_pending = False

    def compose(self) -> ComposeResult:
        yield Static(Content("Faits — chaque chiffre des rapports, typé et cité"), id="facts-title")
        with Horizontal(id="facts-filters"):
            yield Input(placeholder="Filtrer : texte, sujet, chiffre…", id="facts-grep")
            yield Select(
                [(label, kind) for kind, label in KIND_LABELS.items() if kind not in ("entity", "text")],
                prompt="Tous types",
                id="facts-kind",
                compact=True,
            )
            yield Select([], prompt="Tous documents", id="facts-document", compact=True)
        yield Static(Content("Lecture des faits…"), id="facts-count")
        table: DataTable[Text] = DataTable(id="facts-table", cursor_type="row", zebra_stripes=True)
        for key, header, width, _ in COLUMNS:
            table.add_column(header, key=key, width=width)
        yield table
        yield Footer(compact=True)

    @work(thread=True, exclusive=True, group="facts", exit_on_error=False)
    def load(self) -> None:
        """Read every fact of the index."""
        try:
            facts = self.app.engine.facts()
        except Exception as exc:  # any core error becomes a notification
            self.app.call_from_thread(self._failed, error_reason(exc))
            return
        self.post_message(FactsLoaded(facts))

    def _failed(self, reason: str) -> None:
        self.query_one("#facts-count", Static).update(Content(f"Faits illisibles : {reason}"))
        self.notify(reason, title="Faits", severity="error")

    def on_facts_loaded(self, message: FactsLoaded) -> None:
        self.facts = message.facts
        self._haystacks = [
            fold(" ".join((f.raw, f.subject, f.sentence, f.section, f.document, f.unit or "", f.date_text or "")))
            for f in self.facts
        ]
        documents = sorted({f.document for f in self.facts})
        select = self.query_one("#facts-document", Select)
        current = select.value
        select.set_options([(Content(d), d) for d in documents])
        if current in documents:
            select.value = current
        self._fit()
        self.apply_filter()
        self._loaded = True
        if self._export_pending:
            self._export_pending = False
            self.action_export()

    # -- filtering and sorting -----------------------------------------------------

    @on(Input.Changed, "#facts-grep")
    @on(Select.Changed, "#facts-kind")
    @on(Select.Changed, "#facts-document")
    def _filter_changed(self, event) -> None:
        event.stop()
        self.apply_filter()

    def matching(self) -> list[Fact]:
        """The facts passing the three filters, sorted."""
        words = fold(self.query_one("#facts-grep", Input).value).split()
        kind = self.query_one("#facts-kind", Select).value
        document = self.query_one("#facts-document", Select).value
        kind = None if kind is Select.NULL else kind
        document = None if document is Select.NULL else document
        rows = [
            fact
            for fact, hay in zip(self.facts, self._haystacks)
            if (kind is None or fact.kind == kind)
            and (document is None or fact.document == document)
            and all(w in hay for w in words)
        ]
        rows.sort(key=_sort_key(self.sort_column), reverse=self.sort_reverse)
        return rows

    def apply_filter(self) -> None:
        """Refill the table from the filters."""
        rows = self.matching()
        table = self.query_one("#facts-table", DataTable)
        table.clear()
        self.shown = rows[:MAX_ROWS]
        w = self.widths
        table.add_rows(
            [
                (
                    Text(one_line(f.raw, w["value"]), style="bold"),
                    Text(KIND_LABELS.get(f.kind, f.kind)),
                    Text(one_line(", ".join(f.qualifiers), w["qualifiers"])),
                    Text(one_line(f.subject, w["subject"])),
                    Text(clip_end(f.document, w["document"])),
                    Text(one_line(f.section, w["section"])),
                    Text(f.unit or ""),
                )
                for f in self.shown
            ]
        )
        total = len(self.facts)
        text = f"{count(len(rows), 'fait')} sur {format_number(total)}"
        if len(rows) > MAX_ROWS:
            text += f" — {format_number(MAX_ROWS)} premiers affichés, affinez le filtre"
        arrow = "▼" if self.sort_reverse else "▲"
        header = {k: h for k, h, _, _ in COLUMNS}[self.sort_column]
        text += f" · tri : {header} {arrow} · Entrée : passage · Ctrl+S : exporter"
        self.query_one("#facts-count", Static).update(Content(text))
        for key, label, _, _ in COLUMNS:
            column = table.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                column.label = Text(f"{label} {arrow}" if key == self.sort_column else label)
        table.refresh()

    def on_resize(self, event: events.Resize) -> None:
        self._width = event.size.width
        if self._fit() and self.facts:
            self.apply_filter()

    def _fit(self) -> bool:
        """Share the width there is between the columns, no wider than their content; True when they changed."""
        facts = self.facts
        wanted = {
            "value": max((len(one_line(f.raw)) for f in facts), default=0),
            "qualifiers": max((len(", ".join(f.qualifiers)) for f in facts), default=0),
            "subject": max((len(one_line(f.subject)) for f in facts), default=0),
            "document": max((len(f.document) for f in facts), default=0),
            "section": max((len(one_line(f.section)) for f in facts), default=0),
        }
        columns = [(k, minimum, weight) for k, _, minimum, weight in COLUMNS]
        widths = fit_widths(getattr(self, "_width", 100) - 4, columns, wanted=wanted if facts else None)
        if widths == self.widths:
            return False
        self.widths = widths
        table = self.query_one("#facts-table", DataTable)
        for key, _, _, _ in COLUMNS:
            column = table.columns.get(key)  # type: ignore[call-overload]
            if column is not None:
                column.width = widths[key]
        return True

    def action_export(self) -> None:
        """Ctrl+S: write the rows shown (filters and order kept) to a CSV file, asking where."""
        from assistant.tui.export import export_path
        from assistant.tui.screens.dialogs import PathPromptScreen

        if not self._loaded:
            self._export_pending = True  # asked from the palette before the facts were read
            return
        if not self.shown:
            self.notify("Aucun fait à exporter : le filtre ne laisse rien passer.", severity="warning")
            return
        app = self.app
        folder = app.export_dir if app.export_dir is not None else app.index_dir / "exports"
        default = export_path(folder, prefix="faits", suffix=".csv")
        app.push_screen(
            PathPromptScreen(
                "Exporter les faits affichés en CSV — fichier :",
                str(default),
                ok_label="Exporter",
                must_exist=False,
                placeholder="/chemin/vers/faits.csv",
            ),
            self.export_to,
        )

    def export_to(self, path: Path | None) -> None:
        """Write the rows shown to `path` (None: cancelled) and say where."""
        from assistant.facts.export import facts_to_csv

        if path is None:
            return
        rows = self.matching()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(facts_to_csv(rows), encoding="utf-8")
        except OSError as exc:
            self.notify(f"Export impossible vers {path} : {error_reason(exc)}", severity="error")
            return
        self.notify(f"{count(len(rows), 'fait', 'exporté')} : {path.resolve()}", title="Export CSV", timeout=10)

    @property
    def row_count(self) -> int:
        """Rows in the table (what the filters let through, up to MAX_ROWS)."""
        return self.query_one("#facts-table", DataTable).row_count

    def sort_by(self, column: str) -> None:
        """Sort by `column`; the same column again reverses the order."""
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.apply_filter()

    @on(DataTable.HeaderSelected, "#facts-table")
    def _header_selected(self, event: DataTable.HeaderSelected) -> None:
        event.stop()
        self.sort_by(str(event.column_key.value))

    def action_cycle_sort(self) -> None:
        """`s` in the table: sort by the next column."""
        keys = [k for k, _, _, _ in COLUMNS]
        self.sort_column = keys[(keys.index(self.sort_column) + 1) % len(keys)]
        self.sort_reverse = False
        self.apply_filter()

    def action_reverse_sort(self) -> None:
        """`r` in the table: reverse the order."""
        self.sort_reverse = not self.sort_reverse
        self.apply_filter()

    def action_focus_filter(self) -> None:
        """Back to the text filter."""
        self.query_one("#facts-grep", Input).focus()

    @on(Input.Submitted, "#facts-grep")
    def _to_table(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one("#facts-table", DataTable).focus()

    @on(DataTable.RowSelected, "#facts-table")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        index = event.cursor_row
        if 0 <= index < len(self.shown):
            self.open_fact(self.shown[index])

    def open_fact(self, fact: Fact) -> None:
        """Show the fact's sentence in its section, the figure emphasised."""
        from assistant.tui.screens.passage import PassageScreen

        request = PassageRequest(
            document=fact.document,
            start=fact.sentence_start,
            end=fact.sentence_end,
            label=f"Fait « {one_line(fact.raw, 30)} »",
            figure=(fact.start, fact.end),
        )
        self.app.push_screen(PassageScreen(request))
