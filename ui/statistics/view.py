"""The Statistik page (issue 15): how SIP works here, for a period and a scope, as a table and
two charts — what a unit manager shows the committee.

At the top the period (`PeriodPicker`: "I år" by default, "Förra året", "Senaste 12
månaderna", or any two dates), the scope (the whole municipality, a principal or a unit, from
`scope_choices`), whether the table's columns are units or months, and **Exportera…** (the
cases of the period as a spreadsheet, `ui.dialogs.export_dialog`) and **Skriv ut…** (the report
for the committee as PDF, `ui.dialogs.statistics_print_dialog`).

The figures are read in the background (`ui.operations`): the page says "Räknar …" and keeps
showing the last figures until the new ones arrive; an answer to an older question is dropped.
A changed date waits a moment (`RELOAD_DELAY_MS`) so typing a date asks once. A period the core
refuses (ending before it starts, longer than ten years) is said under the dates, in red, and
nothing is asked; the dates stay as typed.

`StatisticsPage(session, load=False)` asks the database nothing until `load()` — the main window
calls it when the page is first shown, and again after the user saved something (`mark_stale`).
QtCharts is imported then, not at start-up (`ui.statistics.charts`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from sipdesk.statistics.compute import ScopeChoice, scope_choices, statistics_for
from sipdesk.statistics.figures import Statistics
from sipdesk.statistics.period import Scope

from ..fields import ERROR_STYLE
from ..operations import Operation, report_failure
from ..session import Session
from ..tables import read_only
from .model import MASK_NOTE, Columns, StatisticsModel
from .period_picker import PeriodPicker

if TYPE_CHECKING:
    from .charts import ChartPanel

log = logging.getLogger("sipdesk.ui.statistics")

TITLE = "Statistik"
RELOAD_DELAY_MS = 350
COUNTING = "Räknar …"


LEVEL_ROLE = Qt.ItemDataRole.UserRole + 1
INDENT = 16  # pixels per level in the scope list


class _IndentedItems(QStyledItemDelegate):
    """The scope list: each principal under the whole, each unit under its principal — indented
    in the open list only, so the chosen scope reads "Hemtjänst Norr", not "    Hemtjänst Norr"."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        shifted = QStyleOptionViewItem(option)
        shifted.rect = option.rect.adjusted(INDENT * int(index.data(LEVEL_ROLE) or 0), 0, 0, 0)
        super().paint(painter, shifted, index)

    def sizeHint(self, option: QStyleOptionViewItem,
                 index: QModelIndex | QPersistentModelIndex) -> QSize:
        size = super().sizeHint(option, index)
        return QSize(size.width() + INDENT * int(index.data(LEVEL_ROLE) or 0), size.height())


def scope_combo_fill(combo: QComboBox, choices: list[ScopeChoice], chosen: Scope | None) -> None:
    """The scopes, principals and units indented under the whole; `chosen` selected if there."""
    combo.blockSignals(True)
    combo.clear()
    if not isinstance(combo.itemDelegate(), _IndentedItems):
        combo.setItemDelegate(_IndentedItems(combo))
    for row, choice in enumerate(choices):
        combo.addItem(choice.label, choice.scope)
        combo.setItemData(row, choice.level, LEVEL_ROLE)
    found = next((i for i, c in enumerate(choices) if chosen is not None and c.scope == chosen),
                 0)
    combo.setCurrentIndex(found)
    combo.blockSignals(False)


class StatisticsPage(QWidget):
    """The "Statistik" page."""

    figures_shown = Signal(object)  # the Statistics now in the table and the charts

    def __init__(self, session: Session, *, load: bool = True,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.loaded = False
        self.stale = False
        self.choices: list[ScopeChoice] = []
        self.statistics: Statistics | None = None
        self.charts: list[ChartPanel] = []
        self._asking = 0  # the latest question: an older answer is dropped

        heading = QLabel(TITLE)
        heading.setObjectName("page_heading")
        font = heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)

        self.period = PeriodPicker()
        period_label = QLabel("&Period:")
        period_label.setBuddy(self.period.quick)
        self.scope = QComboBox()
        self.scope.setAccessibleName("Urval")
        self.scope.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.scope.addItem("Hämtar …")
        self.scope.setEnabled(False)
        scope_label = QLabel("&Urval:")
        scope_label.setBuddy(self.scope)
        self.columns = QComboBox()
        self.columns.setAccessibleName("Kolumner")
        for choice in Columns:
            self.columns.addItem(choice.value, choice)
        columns_label = QLabel("&Kolumner:")
        columns_label.setBuddy(self.columns)
        self.export_button = QPushButton("&Exportera…")
        self.export_button.setToolTip("Ärendena under perioden som Excel- eller CSV-fil")
        self.print_button = QPushButton("&Skriv ut…")
        self.print_button.setToolTip("Rapporten för nämnden som PDF (Ctrl+Shift+P)")

        # Two rows, labels aligned: a long scope name is never cut by the dates beside it.
        pickers = QGridLayout()
        pickers.setHorizontalSpacing(8)
        pickers.setVerticalSpacing(4)
        pickers.addWidget(period_label, 0, 0)
        pickers.addWidget(self.period, 0, 1)
        scope_row = QHBoxLayout()
        scope_row.addWidget(self.scope)
        scope_row.addSpacing(16)
        scope_row.addWidget(columns_label)
        scope_row.addSpacing(4)
        scope_row.addWidget(self.columns)
        scope_row.addStretch(1)
        pickers.addWidget(scope_label, 1, 0)
        pickers.addLayout(scope_row, 1, 1)
        pickers.setColumnStretch(1, 1)

        self.period_error = QLabel()
        self.period_error.setObjectName("error_period")
        self.period_error.setStyleSheet(ERROR_STYLE)
        self.period_error.setWordWrap(True)
        self.period_error.hide()
        self.status = QLabel(COUNTING)
        self.status.setObjectName("statistics_status")
        self.status.setWordWrap(True)

        self.model = StatisticsModel(self)
        self.table = read_only(QTableView(), row_padding=8, stretch_last=False)
        self.table.setObjectName("statistics_table")
        self.table.setAccessibleName("Statistiken")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectItems)
        self.model.modelReset.connect(self._size_columns)

        self.chart_area = QWidget()
        self.chart_row = QHBoxLayout(self.chart_area)
        self.chart_row.setContentsMargins(0, 0, 0, 0)
        self.chart_row.setSpacing(12)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.chart_area)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(6)
        top = QHBoxLayout()
        top.addWidget(heading)
        top.addStretch(1)
        top.addWidget(self.export_button)
        top.addWidget(self.print_button)
        layout.addLayout(top)
        layout.addLayout(pickers)
        layout.addWidget(self.period_error)
        layout.addWidget(self.status)
        layout.addWidget(self.splitter, 1)

        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(RELOAD_DELAY_MS)
        self._reload_timer.timeout.connect(self.reload)
        self.period.changed.connect(self._period_changed)
        self.scope.activated.connect(lambda _i: self.reload())
        self.columns.activated.connect(
            lambda _i: self.model.set_columns(self.columns.currentData()))
        self.export_button.clicked.connect(self.export)
        self.print_button.clicked.connect(self.print_report)
        self.setTabOrder(self.period.end, self.scope)
        self.setTabOrder(self.scope, self.columns)
        self.setTabOrder(self.columns, self.export_button)
        self.setTabOrder(self.export_button, self.print_button)
        self.setTabOrder(self.print_button, self.table)
        if load:
            self.load()

    # ---- what is chosen -------------------------------------------------------------------

    @property
    def chosen_scope(self) -> Scope:
        scope = self.scope.currentData()
        return scope if isinstance(scope, Scope) else Scope.whole()

    # ---- loading --------------------------------------------------------------------------

    def load(self) -> None:
        """The first time: the scopes, then the figures. Later: the figures again if the user
        saved something since (`mark_stale`)."""
        if self.loaded:
            if self.stale:
                self.reload()
            return
        self.loaded = True
        user = self.session.user
        Operation(self, lambda: scope_choices(user), title="Statistiken kunde inte visas") \
            .success(self._choices_arrived).run()
        self.reload()

    def mark_stale(self) -> None:
        """Something was saved: count again when the page is next shown (or now, if it is)."""
        self.stale = True
        if self.loaded and self.isVisible():
            self.reload()

    def _choices_arrived(self, choices: list[ScopeChoice]) -> None:
        self.choices = choices
        scope_combo_fill(self.scope, choices, self.chosen_scope)
        self.scope.setEnabled(True)

    def _period_changed(self) -> None:
        if self._show_problem():
            self._reload_timer.stop()
            return
        self._reload_timer.start()

    def _show_problem(self) -> bool:
        """The core's rule for the period, at the dates; True when it is refused."""
        problem = self.period.problem()
        if problem is None:
            self.period_error.hide()
            self.period.mark(None)
            return False
        self.period_error.setText(problem.message)
        self.period_error.show()
        self.period.mark(problem.field)
        if self.statistics is not None:
            self.status.setText(f"Visar fortfarande {self.statistics.period.label}. "
                                "Rätta perioden för att räkna igen.")
        return True

    def reload(self) -> None:
        """Ask for the figures of the chosen period and scope, in the background."""
        self._reload_timer.stop()
        if self._show_problem():
            return
        self.stale = False
        self._asking += 1
        asking = self._asking
        user, period, scope = self.session.user, self.period.period(), self.chosen_scope
        self.status.setText(COUNTING)

        def failed(problem: Exception) -> None:
            if asking == self._asking:
                self.status.setText("Statistiken kunde inte räknas. Försök igen med F5.")
            report_failure(self, problem, "Statistiken kunde inte räknas", self._at_field)

        Operation(self, lambda: statistics_for(user, period=period, scope=scope),
                  title="Statistiken kunde inte räknas") \
            .success(lambda stats: self._arrived(asking, stats)) \
            .failure(failed).run()

    def _at_field(self, field: str, message: str) -> bool:
        if field not in ("start", "end"):
            return False
        self.period_error.setText(message)
        self.period_error.show()
        self.period.mark(field)
        return True

    def _arrived(self, asking: int, stats: Statistics) -> None:
        if asking != self._asking:
            return  # an older question: a newer answer is on its way
        self.statistics = stats
        self.model.set_statistics(stats)
        self._show_charts(stats)
        self.status.setText(f"{stats.scope_label}, {stats.period.label}. Beräknad "
                            f"{stats.computed_on:%Y-%m-%d}. {MASK_NOTE} Håll muspekaren över "
                            "ett mått för att se hur det räknas.")
        log.info("statistics shown")
        self.figures_shown.emit(stats)

    def _show_charts(self, stats: Statistics) -> None:
        from .charts import chart_panels  # QtCharts: when the first figures arrive

        for panel in self.charts:
            self.chart_row.removeWidget(panel)
            panel.deleteLater()
        self.charts = chart_panels(stats)
        for panel in self.charts:
            self.chart_row.addWidget(panel, 1)
            panel.show()

    def _size_columns(self) -> None:
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        char = self.fontMetrics().horizontalAdvance("0")
        # A long value (the reasons) is cut; its tooltip has it whole.
        widest = (24 if self.model.columns is Columns.MONTHS else 34) * char
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            self.table.resizeColumnToContents(column)
            if header.sectionSize(column) > widest:
                header.resizeSection(column, widest)

    # ---- commands -------------------------------------------------------------------------

    def export(self) -> None:
        """The export dialog, its period set to the page's."""
        from ..dialogs.export_dialog import ExportDialog

        self.export_dialog = ExportDialog.ask(self.window(), self.session.user,
                                              period=self.period.period())

    def print_report(self) -> None:
        """Arkiv → Skriv ut statistik…, with the page's period and scope."""
        from ..dialogs.statistics_print_dialog import StatisticsPrintDialog

        self.print_dialog = StatisticsPrintDialog.ask(
            self.window(), self.session.user, period=self.period.period(),
            scope=self.chosen_scope, choices=self.choices)
