"""The filter bar above the case list: search as you type, scope, status and the count.

It only holds the filter state and announces it (`filter_changed`); the list page hands the
filter to the model. Typing is debounced a little so a fast typist does not query the database
for every letter, yet the list follows within a blink.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from sipdesk.desk.cases import CaseFilter, Scope
from sipdesk.storage.models import CaseStatus

from ..fields import for_search

SEARCH_DELAY_MS = 120
SEARCH_PLACEHOLDER = "Sök namn, personnummer eller ärendenummer"

ALL_STATUSES = "all"
OPEN_ONLY = "open"


def count_text(count: int) -> str:
    """`1 ärende`, `12 345 ärenden` (Swedish thousands separator: a no-break space)."""
    number = f"{count:,}".replace(",", "\u00a0")
    return f"{number} ärende" if count == 1 else f"{number} ärenden"


class CaseFilterBar(QWidget):
    """Search field, scope buttons, status combo and the number of matching cases."""

    filter_changed = Signal(object)  # CaseFilter

    def __init__(
        self, parent: QWidget | None = None, *, scope: Scope = Scope.MINE,
        status: str = OPEN_ONLY,
    ) -> None:
        super().__init__(parent)
        self.search = for_search(QLineEdit())
        self.search.setObjectName("case_search")
        self.search.setPlaceholderText(SEARCH_PLACEHOLDER)
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök ärende")
        # Wide enough for the placeholder when there is room, narrower on a small screen.
        self.search.setMinimumWidth(self.fontMetrics().horizontalAdvance("0") * 20)
        self.search.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._announce)
        self.search.textChanged.connect(self._timer.start)
        # Enter in the search field announces at once rather than waiting for the timer.
        self.search.returnPressed.connect(self.apply_now)

        self.scope_buttons = QButtonGroup(self)
        self.scope_buttons.setExclusive(True)
        scope_box = QHBoxLayout()
        scope_box.setSpacing(0)
        for each in (Scope.MINE, Scope.UNIT, Scope.ALL):
            button = QToolButton()
            button.setText(each.label)
            button.setCheckable(True)
            button.setObjectName(f"scope_{each.value}")
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setChecked(each is scope)
            button.setProperty("scope", each.value)
            self.scope_buttons.addButton(button)
            scope_box.addWidget(button)
        self.scope_buttons.buttonClicked.connect(lambda _button: self._announce())

        self.status = QComboBox()
        self.status.setObjectName("status_filter")
        self.status.setAccessibleName("Status")
        self.status.addItem("Alla statusar", ALL_STATUSES)
        self.status.addItem("Pågående", OPEN_ONLY)
        for each_status in CaseStatus:
            self.status.addItem(each_status.label, each_status.value)
        index = self.status.findData(status)
        self.status.setCurrentIndex(index if index >= 0 else 1)
        self.status.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.status.currentIndexChanged.connect(lambda _index: self._announce())

        self.count_label = QLabel()
        self.count_label.setObjectName("case_count")
        self.count_label.setAlignment(
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        )

        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.search, 1)
        row.addSpacing(8)
        row.addLayout(scope_box)
        row.addSpacing(8)
        row.addWidget(QLabel("Status:"))
        row.addWidget(self.status)
        row.addSpacing(8)
        row.addWidget(self.count_label)

    def current_filter(self) -> CaseFilter:
        status = self.status.currentData()
        statuses: frozenset[CaseStatus] = frozenset()
        if status not in (ALL_STATUSES, OPEN_ONLY):
            statuses = frozenset({CaseStatus(status)})
        return CaseFilter(
            text=self.search.text(),
            scope=self.scope(),
            statuses=statuses,
            open_only=status == OPEN_ONLY,
        )

    def scope(self) -> Scope:
        checked = self.scope_buttons.checkedButton()
        return Scope(checked.property("scope")) if checked is not None else Scope.ALL

    def status_key(self) -> str:
        """The chosen status entry: "all", "open" or a CaseStatus value (for remembering)."""
        return str(self.status.currentData())

    def set_count(self, count: int) -> None:
        self.count_label.setText(count_text(count))

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def apply_now(self) -> None:
        """Announce the filter without waiting for the typing pause."""
        if self._timer.isActive():
            self._timer.stop()
            self._announce()

    def _announce(self) -> None:
        self._timer.stop()
        self.filter_changed.emit(self.current_filter())
