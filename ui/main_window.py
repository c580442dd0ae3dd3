"""The main window: navigation on the left, the current page on the right.

It composes the pages, it does not contain them: the case list (`ui.case_list.view`), the case
overview (`ui.case_view`) and, for what later versions bring, honest placeholder pages. The
toolbar and the "Arkiv" menu hold the commands; the status bar says which user and unit are
in use and, at its right (`ui.connection_status`), which database and whether it answers; the
title says whose window it is. Window geometry is remembered between sessions.

The Statistik page (`ui.statistics.view`, Visa → Statistik, Ctrl+Shift+S) counts the figures
of a period when it is first shown; "Arkiv → Skriv ut statistik…" (Ctrl+Shift+P) prints the
report for the committee (`ui.dialogs.statistics_print_dialog`).

An administrator's "Arkiv" menu also has "Registerutdrag…" and "Användare…" (Ctrl+Shift+U,
`ui.users`).

"Lås skärmen" (Ctrl+L) and idle time lock the window and its dialogs (`ui.desk_lock`).
"Byt användare…" (Ctrl+Shift+L) closes the user's open dialogs first (each asks, as when the
user closes it, about unsaved text) and then asks for the switch with `switch_user_requested`:
the start-up flow (`ui.app.Startup.switch_user`) closes this window and logs the next one in.

Whatever the user saves in this window — in a case's tabs, wizards and dialogs, a new case, or
an action in the inbox — emits `data_changed`, connected once to `refresh_after_change`: the
case list, the inbox's counts and badge and Att göra are read again. The live updates
(`ui.live`) ignore this window's own writes, so without it Att göra would still ask for what
the user just did.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QStyle,
    QToolBar,
    QWidget,
)

from sipdesk.accounts import user_admin
from sipdesk.desk import case_page
from sipdesk.desk.case_page import CasePage
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.messages.messaging import Badge

from . import messages
from .case_list.view import CaseListView
from .connection_status import ConnectionStatus
from .contacts.view import ContactsPage
from .desk_lock import DeskLock
from .dialogs.register_extract_dialog import may_take_extracts
from .inbox.view import InboxView
from .live import LiveUpdates
from .operations import Operation, connection_state, report_failure
from .session import Session
from .statistics.view import StatisticsPage
from .todo.view import TodoView
from .window_state import window_state

if TYPE_CHECKING:
    from .case_view import CaseView

log = logging.getLogger("sipdesk.ui.main_window")


KEY_GEOMETRY = "main_window/geometry"
FIRST_START_SHARE = 0.9  # of the screen's free area, for the window's normal (not maximised) size

# Navigation rows of the messaging pages, Kontakter and Statistik.
INBOX_ROW, TODO_ROW, CONTACTS_ROW, STATISTICS_ROW = 1, 2, 3, 4


def window_title(session: Session) -> str:
    """Whose window this is (on a shared office PC it matters): "Anna Berg – sipdesk"."""
    return f"{session.user.full_name} – sipdesk"


class MainWindow(QMainWindow):
    """sipdesk's window for a logged-in session."""

    settings_requested = Signal()
    switch_user_requested = Signal()  # "Byt användare…", once the user's dialogs are closed
    case_list_painted = Signal()  # once: the case list has painted with its first rows
    data_changed = Signal()  # the user saved something in this window: refresh what shows it

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setWindowTitle(window_title(session))
        self.case_view: CaseView | None = None
        self._painted_once = False
        self._live_started = False
        # At once, not on a timer: going back to the list right after a save shows it saved.
        self.data_changed.connect(self.refresh_after_change)

        self.case_list = CaseListView(session.user)
        self.case_list.setObjectName("case_list_page")
        self.case_list.open_case.connect(self.open_case)
        self.case_list.first_painted.connect(self._case_list_painted)

        self.stack = QStackedWidget()
        self.stack.addWidget(self.case_list)
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")
        self.navigation.setAccessibleName("Navigering")
        self._pages: list[QWidget] = [self.case_list]
        self._add_navigation("Ärenden")
        # Loaded once the case list has painted (`_load_messaging`): the start stays quick.
        self.inbox = InboxView(session, load=False)
        self.inbox.setObjectName("inbox_page")
        self.todo = TodoView(session, load=False)
        self.todo.setObjectName("todo_page")
        messaging_pages: tuple[tuple[QWidget, str], ...] = (
            (self.inbox, "Inkorg"), (self.todo, "Att göra"))
        for messaging_page, title in messaging_pages:
            self.stack.addWidget(messaging_page)
            self._pages.append(messaging_page)
            self._add_navigation(title)
        self.contacts_page = ContactsPage(session.user)
        self.contacts_page.setObjectName("contacts_page")
        self.stack.addWidget(self.contacts_page)
        self._pages.append(self.contacts_page)
        self._add_navigation("Kontakter")
        # Counts nothing until it is first shown (`_navigate`): the start stays quick.
        self.statistics = StatisticsPage(session, load=False)
        self.statistics.setObjectName("statistics_page")
        self.stack.addWidget(self.statistics)
        self._pages.append(self.statistics)
        self._add_navigation("Statistik")
        self.navigation.item(STATISTICS_ROW).setToolTip(
            "Siffror och diagram för en period (Ctrl+Shift+S)")
        self.navigation.setCurrentRow(0)
        self.navigation.currentRowChanged.connect(self._navigate)
        self.navigation.setSpacing(2)
        self.navigation.setStyleSheet("QListWidget::item { padding: 6px 10px; }")
        self.navigation.setFixedWidth(max(self.navigation.sizeHintForColumn(0) + 40, 170))

        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.navigation)
        row.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_actions()
        self._build_menus_and_toolbar()
        self.status_label = QLabel(session.status_text)
        self.status_label.setObjectName("status_text")
        # A normal (not permanent) widget: a notification or a "sent" message shows in its
        # place for a while, then the database and user come back.
        self.statusBar().addWidget(self.status_label, 1)
        # Permanent: the connection's state stays in sight while a notification shows.
        self.connection_status = ConnectionStatus(session.url)
        self.statusBar().addPermanentWidget(self.connection_status)
        self._wire_messaging()
        self.desk_lock = DeskLock(session, parent=self)
        self.desk_lock.locked_changed.connect(self.live.set_discreet)

        geometry = window_state().value(KEY_GEOMETRY)
        if not isinstance(geometry, QByteArray) or not self.restoreGeometry(geometry):
            self._fit_to_screen()

    def _fit_to_screen(self) -> None:
        """The first start: maximised, and 90 % of the screen, centred, when made smaller
        (a fixed size was too small on a large screen and cut the case view on a laptop)."""
        screen = self.screen() or QGuiApplication.primaryScreen()
        available = screen.availableGeometry()
        self.resize(available.size() * FIRST_START_SHARE)
        frame = self.frameGeometry()
        frame.moveCenter(available.center())
        self.move(frame.topLeft())
        self.setWindowState(self.windowState() | Qt.WindowState.WindowMaximized)

    # ---- building -----------------------------------------------------------------------

    def _add_navigation(self, text: str) -> None:
        self.navigation.addItem(QListWidgetItem(text))

    def _build_actions(self) -> None:
        style = self.style()
        self.new_case_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_FileIcon), "Nytt ärende…", self
        )
        self.new_case_action.setIconText("Nytt ärende")
        self.new_case_action.setShortcut(QKeySequence("Ctrl+N"))
        self.new_case_action.setToolTip("Skapa ett nytt SIP-ärende (Ctrl+N)")
        self.new_case_action.triggered.connect(self.new_case)

        self.search_action = QAction("Sök ärende", self)
        self.search_action.setShortcut(QKeySequence("Ctrl+F"))
        self.search_action.triggered.connect(self.show_search)

        self.refresh_action = QAction(
            style.standardIcon(QStyle.StandardPixmap.SP_BrowserReload), "Uppdatera listan", self
        )
        self.refresh_action.setIconText("Uppdatera")
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.setToolTip("Hämta ärendelistan på nytt (F5)")
        self.refresh_action.triggered.connect(self.refresh_case_list)

        self.print_plans_action = QAction("Skriv ut alla planer…", self)
        self.print_plans_action.setToolTip(
            "Den senaste planen i varje ärende som har en, som PDF i en mapp")
        self.print_plans_action.triggered.connect(self.print_all_plans)

        self.export_action = QAction("Exportera…", self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.setToolTip(
            "Ärendena som Excel- eller CSV-fil, en rad per ärende (Ctrl+E)")
        self.export_action.triggered.connect(self.show_export)

        self.print_statistics_action = QAction("Skriv ut statistik…", self)
        self.print_statistics_action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.print_statistics_action.setToolTip(
            "Rapporten för nämnden som PDF: bara antal, inga personuppgifter (Ctrl+Shift+P)")
        self.print_statistics_action.triggered.connect(self.show_print_statistics)

        self.statistics_action = QAction("Statistik", self)
        self.statistics_action.setShortcut(QKeySequence("Ctrl+Shift+S"))
        self.statistics_action.setToolTip(
            "Hur arbetet med SIP går: siffror och diagram för en period (Ctrl+Shift+S)")
        self.statistics_action.triggered.connect(self.show_statistics)

        self.register_extract_action = QAction("Registerutdrag…", self)
        self.register_extract_action.setToolTip(
            "Vem har läst eller ändrat en persons uppgifter? (för administratörer)")
        self.register_extract_action.triggered.connect(self.show_register_extract)

        self.users_action = QAction("Användare…", self)
        self.users_action.setShortcut(QKeySequence("Ctrl+Shift+U"))
        self.users_action.setToolTip(
            "Lägg upp användare, ge nya lösenord och inaktivera (för administratörer, "
            "Ctrl+Shift+U)")
        self.users_action.triggered.connect(self.show_users)

        self.settings_action = QAction("Inställningar…", self)
        self.settings_action.setMenuRole(QAction.MenuRole.PreferencesRole)
        self.settings_action.triggered.connect(self.settings_requested)

        self.lock_action = QAction("Lås skärmen", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.setToolTip("Dölj allt tills du skriver ditt lösenord (Ctrl+L)")
        self.lock_action.triggered.connect(lambda: self.desk_lock.lock(reason="Ctrl+L"))

        self.switch_user_action = QAction("Byt användare…", self)
        self.switch_user_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.switch_user_action.setToolTip(
            "Logga ut och låt någon annan logga in (Ctrl+Shift+L)")
        self.switch_user_action.triggered.connect(self.request_switch_user)

        self.quit_action = QAction("Avsluta", self)
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.setMenuRole(QAction.MenuRole.QuitRole)
        self.quit_action.triggered.connect(self.close)

    def _build_menus_and_toolbar(self) -> None:
        archive = self.menuBar().addMenu("&Arkiv")
        archive.addAction(self.new_case_action)
        archive.addAction(self.inbox.new_message_action)
        archive.addSeparator()
        archive.addAction(self.print_plans_action)
        archive.addAction(self.print_statistics_action)
        archive.addAction(self.export_action)
        if may_take_extracts(self.session.user):
            archive.addAction(self.register_extract_action)
        if user_admin.is_administrator(self.session.user):
            archive.addAction(self.users_action)
        archive.addSeparator()
        archive.addAction(self.settings_action)
        archive.addSeparator()
        archive.addAction(self.lock_action)
        archive.addAction(self.switch_user_action)
        archive.addAction(self.quit_action)
        view = self.menuBar().addMenu("&Visa")
        view.addAction(self.search_action)
        view.addAction(self.refresh_action)
        view.addSeparator()
        view.addAction(self.statistics_action)

        toolbar = QToolBar("Verktygsfält")
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        toolbar.setFloatable(False)
        toolbar.toggleViewAction().setEnabled(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        toolbar.addAction(self.new_case_action)
        toolbar.addAction(self.refresh_action)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    # ---- commands -------------------------------------------------------------------------

    def new_case(self) -> None:
        """Ask for the person and coordinator; show the new case when it is created."""
        from sipdesk.accounts import auth
        from sipdesk.storage.models import User

        from .dialogs.new_case import NewCaseDialog  # imported when first used

        def ask(users: list[User]) -> None:  # the coordinators to choose among, read first
            case = NewCaseDialog.ask(self, self.session, users)
            if case is None:
                return
            self.data_changed.emit()
            self.open_case(case.id)

        Operation(self, auth.active_users_with_unit, title="Nytt ärende").success(ask).run()

    def open_case(self, case_id: int, *, tab: str = "") -> None:
        """Show a case in place of the list, on its overview or on the tab titled `tab`. The
        case is read (and the opening logged) by the operation runner; the view appears when it
        has arrived."""
        user = self.session.user

        def refused(problem: Exception) -> None:
            if isinstance(problem, ValidationError) and problem.field == "reason":
                # A protected identity: the case opens only with a reason (Avbryt: not at all).
                from .dialogs.protected_dialogs import OpenReasonDialog

                page = OpenReasonDialog.ask(self, self.session, case_id)
                if page is not None:
                    self._show_case(page, tab)
                return
            if isinstance(problem, (NotFoundError, PermissionDenied)):
                messages.warning(self, "Ärendet kan inte visas", problem.message)
                self.case_list.refresh()
                return
            report_failure(self, problem, "Ärendet kan inte visas")

        Operation(self, lambda: case_page.open_case_page(user, case_id)).success(
            lambda page: self._show_case(page, tab)).failure(refused).run()

    def _show_case(self, page: CasePage, tab: str) -> None:
        from .case_view import CaseView  # the case page and its tabs: when a case is opened

        self._close_case_view()
        view = CaseView(page, session=self.session)
        view.setObjectName("case_view")
        view.back_requested.connect(self.show_case_list)
        view.case_changed.connect(self.data_changed)  # the list, inbox and Att göra again
        if tab:  # before the view is shown: only that tab reads its part
            view.show_tab(tab)
        self.stack.addWidget(view)
        self.case_view = view
        self._select_navigation(0)
        self.stack.setCurrentWidget(view)
        view.back_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_case_list(self) -> None:
        """Back to the list, with the case that was open selected when it is on screen."""
        closed = self.case_view.case_id if self.case_view is not None else None
        self._close_case_view()
        self._select_navigation(0)
        self.stack.setCurrentWidget(self.case_list)
        if closed is not None and self.case_list.select_case(closed):
            self.case_list.table.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.case_list.focus_search()

    def show_search(self) -> None:
        self.show_case_list()
        self.case_list.focus_search()

    def refresh_case_list(self) -> None:
        self.case_list.refresh()
        self.refresh_messages()
        if self.stack.currentWidget() is self.statistics:
            self.statistics.reload()

    def refresh_after_change(self) -> None:
        """After the user saved something here (`data_changed`): the case list, the inbox's
        counts and badge, and Att göra. The inbox page in view only needs its counts — its own
        actions update its rows, and reading it again would move the user's place in it."""
        self.case_list.refresh()
        if self.inbox.loaded:
            if self.stack.currentWidget() is self.inbox:
                self.inbox.refresh_counts()
            else:
                self.inbox.refresh()
        if self.todo.loaded:
            self.todo.refresh()
        self.statistics.mark_stale()

    # ---- internals ------------------------------------------------------------------------

    def _close_case_view(self) -> None:
        if self.case_view is not None:
            self.stack.removeWidget(self.case_view)
            self.case_view.deleteLater()
            self.case_view = None

    def _select_navigation(self, row: int) -> None:
        self.navigation.blockSignals(True)
        self.navigation.setCurrentRow(row)
        self.navigation.blockSignals(False)

    def _navigate(self, row: int) -> None:
        if row == 0:
            # Back to "Ärenden": the open case if there is one, otherwise the list.
            if self.case_view is not None:
                self.stack.setCurrentWidget(self.case_view)
            else:
                self.show_case_list()
        elif 0 < row < len(self._pages):
            if row in (INBOX_ROW, TODO_ROW):
                self._load_messaging()  # already done, unless the list has not painted yet
            self.stack.setCurrentWidget(self._pages[row])
            if row == STATISTICS_ROW:
                self.statistics.load()  # the first time, or after a save

    def _case_list_painted(self) -> None:
        if not self._painted_once:
            self._painted_once = True
            self.case_list_painted.emit()

    # ---- messages, Att göra and live updates ------------------------------------------------

    def _wire_messaging(self) -> None:
        self.inbox.open_case.connect(self.open_case)
        self.inbox.badge_changed.connect(self._update_badges)
        self.inbox.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
        self.inbox.acted.connect(lambda _event, _message: self.todo.refresh())  # also reading
        self.inbox.saved.connect(self.data_changed)
        self.todo.open_message.connect(self.show_message)
        self.todo.open_consent.connect(self.open_case_consent)
        self.todo.open_plan.connect(self.open_case_plan)
        self.todo.open_meeting.connect(self.open_case_meeting)
        self.todo.count_changed.connect(lambda _count: self._update_badges(self.inbox.badge))
        self.live = LiveUpdates(self.session, status_bar=self.statusBar(), parent=self)
        self.inbox.expecting.connect(self.live.expect_echo)
        self.live.changed.connect(self.refresh_messages)
        # The listener's own connection is a word on the server too (PostgreSQL).
        self.live.connection_changed.connect(connection_state().note)
        # After the first paint has finished, not inside it (the smoke test times that paint).
        self.case_list_painted.connect(lambda: QTimer.singleShot(0, self._load_messaging))

    def _load_messaging(self) -> None:
        """The badge, the first page of the inbox and Att göra; then the live updates."""
        self.inbox.load()
        self.todo.load()
        self._update_badges(self.inbox.badge)
        if not self._live_started:
            self._live_started = True
            self.live.start()

    def _update_badges(self, badge: Badge) -> None:
        """"Inkorg" over "2 olästa · 1 att kvittera" (two lines keep the list narrow), and
        "Att göra (3)"."""
        parts = []
        if badge.unread:
            parts.append("1 oläst" if badge.unread == 1 else f"{badge.unread} olästa")
        if badge.unacknowledged:
            parts.append(f"{badge.unacknowledged} att kvittera")
        inbox = self.navigation.item(INBOX_ROW)
        inbox.setText(f"Inkorg\n{' · '.join(parts)}" if parts else "Inkorg")
        inbox.setToolTip("Meddelanden med kvittens (Ctrl+Shift+N skriver ett nytt)")
        count = self.todo.count
        self.navigation.item(TODO_ROW).setText(f"Att göra ({count})" if count else "Att göra")
        needed = self.navigation.sizeHintForColumn(0) + 40
        if needed > self.navigation.width():
            self.navigation.setFixedWidth(needed)

    def refresh_messages(self) -> None:
        """Something changed for the user: the badge, the open folder and Att göra again."""
        self.inbox.refresh()
        self.todo.refresh()

    def show_message(self, message_id: int) -> None:
        """Open a message in the inbox (from Att göra)."""
        self.navigation.setCurrentRow(INBOX_ROW)
        self.inbox.show_message(message_id)

    def show_case_messages(self, case_id: int, number: str) -> None:
        """The inbox with only one case's messages ("Bara ärende SIP-…"), e.g. from the case."""
        self.navigation.setCurrentRow(INBOX_ROW)
        self.inbox.set_case_filter((case_id, number))

    def open_case_consent(self, case_id: int) -> None:
        """Open the case on its Samtycke tab."""
        self.open_case(case_id, tab="Samtycke")

    def open_case_plan(self, case_id: int) -> None:
        """Open the case on its Planen tab (a documentation deadline or a follow-up)."""
        self.open_case(case_id, tab="Planen")

    def print_all_plans(self) -> None:
        """Bulk printing with a progress dialog that can be cancelled (issue 6). Which plans
        there are is read in the background first."""
        from sipdesk.plans.plan import latest_version_ids

        def found(plan_ids: list[int]) -> None:
            if not plan_ids:
                messages.information(self, "Skriv ut alla planer", "Det finns inga planer ännu.")
                return
            folder = self.ask_folder()
            if folder is None:
                return
            from .dialogs.print_plans_dialog import print_plans_with_progress

            self.print_job = print_plans_with_progress(self, plan_ids, folder,
                                                       user=self.session.user)

        user = self.session.user
        Operation(self, lambda: latest_version_ids(visible_to=user),
                  title="Skriv ut alla planer").success(found).run()

    def show_register_extract(self) -> None:
        """Arkiv → Registerutdrag… (administrators): who read a person's data."""
        from .dialogs.register_extract_dialog import RegisterExtractDialog

        self.register_extract_dialog = RegisterExtractDialog.ask(self, self.session.user)

    def show_users(self) -> None:
        """Arkiv → Användare… (administrators; the core refuses anyone else too)."""
        from .users.view import UsersDialog  # imported when first used

        self.users_dialog = UsersDialog.ask(self, self.session)

    def show_statistics(self) -> None:
        """Visa → Statistik (Ctrl+Shift+S): the page, its period picker in focus."""
        self.navigation.setCurrentRow(STATISTICS_ROW)
        self.statistics.period.quick.setFocus()

    def show_print_statistics(self) -> None:
        """Arkiv → Skriv ut statistik… (Ctrl+Shift+P): the report for the committee, with the
        Statistik page's period and scope when it has been used."""
        page = self.statistics
        if page.loaded:
            page.print_report()
            self.statistics_print_dialog = page.print_dialog
            return
        from .dialogs.statistics_print_dialog import StatisticsPrintDialog

        self.statistics_print_dialog = StatisticsPrintDialog.ask(self, self.session.user)

    def show_export(self) -> None:
        """Arkiv → Exportera… (Ctrl+E): the cases the user may see as a spreadsheet."""
        from .dialogs.export_dialog import ExportDialog

        self.export_dialog = ExportDialog.ask(self, self.session.user)

    def ask_folder(self) -> Path | None:
        """The folder for the PDFs (a method so tests can answer it)."""
        chosen = QFileDialog.getExistingDirectory(self, "Välj mapp för planerna")
        return Path(chosen) if chosen else None

    def open_case_meeting(self, case_id: int) -> None:
        """Open the case on its Kallelse tab (answers, calls and letters, deviations)."""
        self.open_case(case_id, tab="Kallelse")

    def request_switch_user(self) -> None:
        """Arkiv → Byt användare…: close the user's open dialogs, then ask for the switch.

        Each dialog is closed as if the user closed it, so it asks about unsaved text (a new
        message), keeps its draft (kallelse) or saves what is waiting (dokumentationsstödet);
        if the user goes back to a dialog, nobody is logged out. (A dialog run with exec()
        blocks the menu and the shortcut until it is closed; this covers those shown beside
        the window.)"""
        for dialog in self.open_dialogs():
            dialog.reject()
            if dialog.isVisible():
                return
        self.switch_user_requested.emit()

    def open_dialogs(self) -> list[QDialog]:
        """This window's visible dialogs, the innermost (opened from another) first."""
        def depth(widget: QWidget) -> int | None:
            steps, parent = 0, widget.parentWidget()
            while parent is not None:
                steps += 1
                if parent is self:
                    return steps
                parent = parent.parentWidget()
            return None

        found = []
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible():
                steps = depth(widget)
                if steps is not None:
                    found.append((steps, widget))
        return [dialog for _steps, dialog in sorted(found, key=lambda pair: -pair[0])]

    def closeEvent(self, event: QCloseEvent) -> None:
        self.desk_lock.stop()
        self.live.stop()
        window_state().setValue(KEY_GEOMETRY, self.saveGeometry())
        super().closeEvent(event)
