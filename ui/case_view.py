"""The case page: a heading (case number, person, status), a banner when the case has ended,
and one tab per part of the case.

The tabs are listed in `CASE_TABS`, in order: a later part adds its tab with one line there
(a `CaseTab` subclass from `ui.case_tabs`). Each tab is built with a `CaseContext` (the case as
the core returned it, the session, the person's contacts, today's date); when a tab saves
something it emits `changed`, and the view reads the case again through the core and refreshes
every tab — so what is shown is always what is stored. `case_changed` tells the main window that
its case list is out of date.

A closed, declined or refused case is fully readable and read-only: every action is disabled
with the reason "Ärendet är avslutat och kan bara läsas." and a banner says so.
"Tillbaka till ärendelistan" or Esc returns to the list (`back_requested`).
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import TypeVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from sipdesk import clock
from sipdesk.desk import case_page
from sipdesk.desk.case_page import CasePage
from sipdesk.errors import NotFoundError, StorageError

from . import messages
from .case_tabs.base import CaseContext, CaseTab
from .case_tabs.consent_tab import ConsentTab
from .case_tabs.log_tab import LogTab
from .case_tabs.meeting_tab import MeetingTab
from .case_tabs.overview import OverviewTab
from .case_tabs.plan_tab import PlanTab
from .operations import Operation, report_failure
from .session import Session

log = logging.getLogger("sipdesk.ui.case_view")
T = TypeVar("T", bound=CaseTab)

# The tabs, in order. Add a tab with one line: its CaseTab subclass.
CASE_TABS: list[type[CaseTab]] = [
    OverviewTab,
    ConsentTab,
    MeetingTab,
    PlanTab,
    LogTab,
]

BANNER_STYLE = (
    "background: #eceff3; color: #2b3440; border: 1px solid #c9d1db; border-radius: 4px;"
    " padding: 8px 10px;"
)
BADGE_STYLE = "padding: 2px 10px; border-radius: 9px; background: #e3ecf7; color: #1d3d63;"
ENDED_BADGE_STYLE = "padding: 2px 10px; border-radius: 9px; background: #e6e6e6; color: #333;"


class CaseView(QWidget):
    """One case; the main window shows it in place of the list."""

    back_requested = Signal()
    case_changed = Signal()  # something in the case was saved: the case list is out of date

    def __init__(
        self, page: CasePage, *, session: Session, today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`page` is the case as `case_page.open_case_page` read it (in the operation runner)."""
        super().__init__(parent)
        self.case_id: int = page.case.id
        self.session = session
        self._today = today
        self._ended = page.ended
        self.context = CaseContext(session=session, case=page.case, contacts=page.contacts,
                                   today=today or clock.today(), may_change=page.may_change)

        self.back_button = QPushButton("← Tillbaka till ärendelistan")
        self.back_button.setObjectName("back_to_list")
        self.back_button.setToolTip("Tillbaka till ärendelistan (Esc)")
        self.back_button.clicked.connect(self.back_requested)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.back_requested)

        self.title = QLabel()
        self.title.setObjectName("case_title")
        title_font = self.title.font()
        title_font.setPointSizeF(title_font.pointSizeF() * 1.4)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_badge = QLabel()
        self.status_badge.setObjectName("case_status")
        self.banner = QLabel()
        self.banner.setObjectName("read_only_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)

        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        heading = QHBoxLayout()
        heading.addWidget(self.title)
        heading.addSpacing(12)
        heading.addWidget(self.status_badge)
        heading.addStretch(1)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("case_tabs")
        self.tab_pages: list[CaseTab] = []
        for tab_class in CASE_TABS:
            tab = tab_class(self.context)
            tab.setObjectName(f"tab_{tab_class.__name__}")
            tab.changed.connect(self.reload)
            self.tabs.addTab(tab, tab_class.title)
            self.tab_pages.append(tab)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(10)
        layout.addLayout(top)
        layout.addLayout(heading)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        self._show_heading()

    def show_tab(self, title: str) -> None:
        """Bring the tab titled `title` to the front (the main window opens a case on it)."""
        for index in range(self.tabs.count()):
            if self.tabs.tabText(index) == title:
                self.tabs.setCurrentIndex(index)
                return

    def tab(self, tab_class: type[T]) -> T:
        """The page of a tab class (tests and the main window use it)."""
        return next(page for page in self.tab_pages if isinstance(page, tab_class))

    def reload(self) -> None:
        """Read the case again through the core and show it in every tab."""
        case_id = self.case_id

        def failed(problem: Exception) -> None:
            if isinstance(problem, NotFoundError):
                messages.warning(self, "Ärendet kan inte visas", problem.message)
                self.back_requested.emit()
                return
            if isinstance(problem, StorageError):
                log.error("reading the case again failed: %s", type(problem).__name__)
                messages.error(self, "Ärendet kunde inte läsas",
                               "Det gick inte att läsa ärendet från databasen. Det som sparades "
                               "finns kvar — öppna ärendet igen.")
                return
            report_failure(self, problem, "Ärendet kunde inte läsas")

        user = self.session.user
        Operation(self, lambda: case_page.read_case_page(case_id, user=user)).success(
            self._show_page).failure(failed).run()

    def _show_page(self, page: CasePage) -> None:
        self._ended = page.ended
        self.context = CaseContext(session=self.session, case=page.case, contacts=page.contacts,
                                   today=self._today or clock.today(),
                                   may_change=page.may_change)
        for tab in self.tab_pages:
            tab.refresh(self.context)
        self._show_heading()
        self.case_changed.emit()

    def _show_heading(self) -> None:
        case = self.context.case
        self.title.setText(f"{case.number} · {self.context.person.full_name}")
        self.status_badge.setText(self.context.status.label)
        ended = self.context.read_only
        self.status_badge.setStyleSheet(ENDED_BADGE_STYLE if ended else BADGE_STYLE)
        self.banner.setText(self._ended or self.context.read_only_reason)
        self.banner.setVisible(ended)
