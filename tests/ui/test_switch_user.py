"""Arkiv → Byt användare… (Ctrl+Shift+L) on a shared office PC (issue 16, point 10).

Anna Berg has a case and a message open; she presses Ctrl+Shift+L. While the next person logs
in, nothing of Anna's is on screen (no window of hers is left; no label, field or table shows
her case number, the person's name or the message's subject), her live updates have stopped and
the session's password is forgotten. Maria Holm logs in and sees her own cases only, with her
name in the title. SQLite: the login dialog; PostgreSQL: each sipdesk user is their own database
login, so the connection dialog asks (without Anna's name) and the app reconnects as Maria.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from typing import Any

import peewee
import psycopg
import pytest
import shiboken6
from PySide6.QtCore import QModelIndex, Qt, QThreadPool
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth, passwords
from sipdesk.desk import message_page
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, Role, User
from tests.conftest import _pg_admin_conninfo
from tests.factories import (
    PASSWORD,
    PNR_ADULT,
    PNR_OTHER,
    make_case,
    make_person,
    make_unit,
    make_user,
)
from tests.ui.conftest import MessageLog, settle, type_text
from ui.inbox.compose import ComposeDialog
from ui.main_window import MainWindow
from ui.startup.connection_dialog import ConnectionDialog
from ui.startup.flow import Startup
from ui.startup.login_dialog import CHOOSE_YOURSELF, LoginDialog

WAIT_MS = 10_000
SWITCH = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


@dataclass
class World:
    url: DatabaseUrl  # where Anna starts (on PostgreSQL: as her own database login)
    anna: str  # logins
    maria: str
    anna_case: Case
    maria_case: Case
    subject: str  # of the message Anna has open

    def annas_work(self) -> list[str]:
        """What Anna had open: her case's number, the person's name, her message's subject."""
        return [self.anna_case.number, "Åsa", "Öberg", self.subject]

    def annas_traces(self) -> list[str]:
        return [*self.annas_work(), "Anna Berg"]


def _fill(anna_login: str, maria_login: str) -> tuple[Case, Case, str]:
    """Anna (Exempelby kommun) and Maria (Grannby kommun) see none of each other's cases."""
    anna = make_user(anna_login, unit=make_unit("Biståndsenheten"), full_name="Anna Berg")
    karl = make_user("karl.lind", unit=anna.unit, full_name="Karl Lind")
    maria_unit = make_unit("Hemtjänst Norr", principal="Grannby kommun")
    maria = make_user(maria_login, unit=maria_unit, role=Role.UNIT_MANAGER,
                      full_name="Maria Holm")
    anna_case = make_case(anna, make_person(PNR_ADULT, "Åsa", "Öberg"))
    maria_case = make_case(maria, make_person(PNR_OTHER, "Bo", "Ek"))
    subject = f"Kallelse {anna_case.number}: tid för mötet"
    messaging.send(karl, subject=subject, body="Går tisdag 10.00?", to=[anna], case=anna_case)
    return anna_case, maria_case, subject


@pytest.fixture
def sqlite_world(sqlite_db: peewee.Database, tmp_path: Any) -> World:
    anna_case, maria_case, subject = _fill("anna.berg", "maria.holm")
    sqlite_db.close()
    return World(DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3"), "anna.berg",
                 "maria.holm", anna_case, maria_case, subject)


@pytest.fixture
def pg_world(pg_db: peewee.Database, pg_url: DatabaseUrl) -> Iterator[World]:
    """Anna and Maria as two database logins of their own (roles made for this test only), in
    sipdesk's group role as `sipdesk users add` makes them (row-level security)."""
    tag = uuid.uuid4().hex[:8]
    anna, maria = f"anna_{tag}", f"maria_{tag}"
    anna_case, maria_case, subject = _fill(anna, maria)
    admin = psycopg.connect(_conninfo_for(pg_url), autocommit=True)
    for role in (anna, maria):
        admin.execute(f'CREATE ROLE "{role}" LOGIN IN ROLE sipdesk_user')
    yield World(replace(pg_url, user=anna), anna, maria, anna_case, maria_case, subject)
    for role in (anna, maria):
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE usename = %s", (role,))
        admin.execute(f'DROP OWNED BY "{role}"')
        admin.execute(f'DROP ROLE IF EXISTS "{role}"')
    admin.close()


def _conninfo_for(url: DatabaseUrl) -> str:
    """The test server's admin login, on the test session's database."""
    parts = dict(part.split("=", 1) for part in _pg_admin_conninfo().split())
    parts["dbname"] = url.name
    return " ".join(f"{key}={value}" for key, value in parts.items())


@pytest.fixture(params=["sqlite", "pg"])
def world(request: pytest.FixtureRequest) -> World:
    found: World = request.getfixturevalue(f"{request.param}_world")
    return found


@pytest.fixture
def startups(qtbot: QtBot) -> Iterator[list[Startup]]:
    made: list[Startup] = []
    yield made
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    for startup in made:
        if startup.window is not None:
            startup.window.close()
            startup.window.deleteLater()
        startup.close()
    qtbot.wait(10)


# ---- what is on screen ---------------------------------------------------------------------


def _model_texts(view: QAbstractItemView) -> list[str]:
    model = view.model()
    if model is None:
        return []
    texts = []
    # A list widget's own model hides columnCount from Python: a list has one column.
    columns = 1 if isinstance(view, QListView) else model.columnCount(QModelIndex())
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
            if value is not None:
                texts.append(str(value))
    return texts


def visible_texts() -> list[str]:
    """Every text in the application's open windows: titles, labels, fields, buttons, lists
    and tables (all rows of their models, not only those scrolled into view) — also on the
    pages of a window that are behind the current one."""
    texts: list[str] = []
    for top in QApplication.topLevelWidgets():
        if not top.isVisible():
            continue
        texts.append(top.windowTitle())
        for widget in [top, *top.findChildren(QWidget)]:
            if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
                texts.append(widget.text())
            elif isinstance(widget, QTextEdit | QPlainTextEdit):
                texts.append(widget.toPlainText())
            elif isinstance(widget, QComboBox):
                texts.extend(widget.itemText(i) for i in range(widget.count()))
            elif isinstance(widget, QAbstractItemView):
                texts.extend(_model_texts(widget))
    return texts


def shows_any(texts: list[str], traces: list[str]) -> list[str]:
    return [trace for trace in traces if any(trace in text for text in texts)]


# ---- starting as Anna ------------------------------------------------------------------------


def chosen(users: list[User], login: str) -> User:
    """What the login dialog gives back once `login` typed the right password (the dialog's
    own check is tested in test_startup.py)."""
    return next(user for user in users if user.login == login)


def start_as_anna(qtbot: QtBot, world: World, startups: list[Startup],
                  monkeypatch: pytest.MonkeyPatch, asked: list[str]) -> MainWindow:
    """Anna logs in (SQLite: the login dialog; PostgreSQL: her connection with her password
    from the keyring, as she asked with "Kom ihåg lösenordet")."""
    def log_in(_cls: type, _parent: object, **kwargs: Any) -> User | None:
        asked.append("login")
        return chosen(kwargs["users"], world.anna)

    monkeypatch.setattr(LoginDialog, "ask", classmethod(log_in))
    if world.url.engine is Engine.POSTGRESQL:
        passwords.store_password(world.url, "annas-lösen")
    startup = Startup(database_arg=world.url.url)
    startups.append(startup)
    session = startup.open_session()
    assert session is not None and session.user.login == world.anna
    window = startup.show_main_window(session)
    with qtbot.waitSignal(window.case_list_painted, timeout=WAIT_MS):
        qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.live.listener is not None or window.live.watcher is not None,
                    timeout=WAIT_MS)
    return window


def open_annas_work(qtbot: QtBot, window: MainWindow, world: World) -> None:
    """Anna's case open in the case view, then her message open in the inbox."""
    window.open_case(world.anna_case.id)
    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    [row] = messaging.folder_rows(window.session.user, messaging.Folder.INBOX)
    window.show_message(row.message_id)
    settle(qtbot)  # the message is read in the background
    assert window.stack.currentWidget() is window.inbox
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    texts = visible_texts()
    # The check below can see Anna's things: here they are on screen.
    assert shows_any(texts, world.annas_traces()) == world.annas_traces()


# ---- the tests -------------------------------------------------------------------------------


def test_byt_anvandare_is_in_the_arkiv_menu_with_ctrl_shift_l(
    qtbot: QtBot, sqlite_world: World, startups: list[Startup], monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = start_as_anna(qtbot, sqlite_world, startups, monkeypatch, [])
    archive = window.menuBar().actions()[0].menu()
    assert isinstance(archive, QMenu)
    texts = [action.text() for action in archive.actions() if not action.isSeparator()]
    assert texts[-2:] == ["Byt användare…", "Avsluta"]
    assert window.switch_user_action.shortcut().toString() == "Ctrl+Shift+L"
    assert window.windowTitle() == "Anna Berg – sipdesk"


def test_switching_user_leaves_nothing_of_anna_and_shows_marias_cases(
    qtbot: QtBot, world: World, startups: list[Startup], monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    asked: list[str] = []
    window = start_as_anna(qtbot, world, startups, monkeypatch, asked)
    startup = startups[0]
    old_session = window.session
    old_live = window.live
    listener = old_live.listener
    open_annas_work(qtbot, window, world)
    pg = world.url.engine is Engine.POSTGRESQL
    if pg:
        assert old_session.password == "annas-lösen"
    on_screen_while_asking: list[str] = []
    old_window_gone: list[bool] = []

    def snapshot() -> None:
        on_screen_while_asking.extend(visible_texts())
        old_window_gone.append(not shiboken6.isValid(window))

    def maria_logs_in(_cls: type, _parent: object, **kwargs: Any) -> User | None:
        asked.append("login")
        assert kwargs["preselect"] is False and kwargs["last_login"] == ""  # nobody suggested
        snapshot()
        return chosen(kwargs["users"], world.maria)

    def maria_connects(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
                       **kwargs: Any) -> tuple[DatabaseUrl, str | None]:
        asked.append("connection")
        assert url.user == "" and kwargs.get("password", "") == ""  # not Anna's login
        assert url.host == world.url.host and url.name == world.url.name
        assert problem is None
        snapshot()
        return replace(url, user=world.maria), "marias-lösen"

    monkeypatch.setattr(LoginDialog, "ask", classmethod(maria_logs_in))
    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(maria_connects))

    qtbot.keyClick(window.inbox.table, Qt.Key.Key_L, SWITCH)
    qtbot.waitUntil(lambda: old_window_gone != [], timeout=WAIT_MS)
    # SQLite: Anna's login, then Maria's; PostgreSQL: Anna's connection was her login.
    assert asked == (["connection"] if pg else ["login", "login"])

    # While the next person logs in: Anna's window is gone, nothing of hers on screen.
    assert old_window_gone == [True]
    assert shows_any(on_screen_while_asking, world.annas_traces()) == []
    # Her live updates stopped; her password is forgotten in memory, but the keyring copy
    # she asked for stays (only what belongs to the session is forgotten).
    assert not shiboken6.isValid(old_live)  # gone with the window, its SQLite timer too
    if listener is not None:
        assert not listener._thread.is_alive()
    assert old_session.password is None
    if pg:
        assert passwords.get_password(world.url) == "annas-lösen"

    # Maria is logged in: her window, her name in the title, her cases only.
    new = startup.window
    assert new is not None and new.isVisible()
    assert new.session.user.login == world.maria
    assert new.windowTitle() == "Maria Holm – sipdesk"
    assert "Maria Holm" in new.status_label.text()
    qtbot.waitUntil(lambda: new.case_list.model.rowCount() == 1, timeout=WAIT_MS)
    texts = visible_texts()
    assert any(world.maria_case.number in text for text in texts)
    # Her case, the person and her message are nowhere; her name is only where Maria's own
    # view lists colleagues (Kontakter), not in the title or the status bar.
    assert shows_any(texts, world.annas_work()) == []
    assert "Anna" not in new.windowTitle() and "Anna" not in new.status_label.text()
    if pg:
        # Reconnected as Maria's own database login; no connection of Anna's is left.
        assert startup.url is not None and startup.url.user == world.maria
        assert new.session.password == "marias-lösen"
        with psycopg.connect(_conninfo_for(world.url)) as admin:
            rows = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE usename = %s",
                                 (world.anna,)).fetchone()
        assert rows == (0,)
    assert message_log.shown == []


def test_cancelling_the_login_after_switching_ends_the_app(
    qtbot: QtBot, sqlite_world: World, startups: list[Startup], monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = start_as_anna(qtbot, sqlite_world, startups, monkeypatch, [])
    startup = startups[0]
    monkeypatch.setattr(LoginDialog, "ask", classmethod(lambda _cls, _parent, **_kw: None))
    with qtbot.waitSignal(startup.quit_requested, timeout=WAIT_MS):
        window.switch_user_action.trigger()
    assert startup.window is None and startup.session is None
    assert QApplication.instance() is not None
    assert shows_any(visible_texts(), sqlite_world.annas_traces()) == []


def test_an_unsent_message_is_asked_about_before_switching(
    qtbot: QtBot, sqlite_world: World, startups: list[Startup], monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    """An open dialog with typed text asks first ("Slänga meddelandet?"); going back to it
    keeps Anna logged in, discarding it logs her out."""
    window = start_as_anna(qtbot, sqlite_world, startups, monkeypatch, [])
    startup = startups[0]
    compose = ComposeDialog(window.session, message_page.compose_start(window.session.user),
                            parent=window)
    compose.show()
    qtbot.waitExposed(compose)
    type_text(qtbot, compose.body, "Hej Karl, om Åsa")
    asked: list[bool] = []
    monkeypatch.setattr(LoginDialog, "ask", classmethod(
        lambda _cls, _parent, **_kw: asked.append(True)))

    message_log.confirm_answer = False  # "Fortsätt skriva"
    window.switch_user_action.trigger()
    qtbot.wait(50)
    assert compose.isVisible() and startup.window is window and asked == []
    assert message_log.shown[-1][1] == "Slänga meddelandet?"

    message_log.confirm_answer = True  # "Släng meddelandet"
    with qtbot.waitSignal(startup.quit_requested, timeout=WAIT_MS):
        window.switch_user_action.trigger()
    assert asked == [True]


def test_the_login_after_switching_suggests_nobody(qtbot: QtBot, sqlite_world: World) -> None:
    """The list does not point at the person who just logged out; logging in without choosing
    says so at the field."""
    from sipdesk.storage.db import connect

    connect(sqlite_world.url)
    dialog = LoginDialog(None, users=auth.active_users_with_unit(), last_login="anna.berg",
                         preselect=False)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.user_combo.currentIndex() == -1
    assert "Anna" not in dialog.user_combo.currentText()
    type_text(qtbot, dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.form.error_text("user") == CHOOSE_YOURSELF
    assert dialog.isVisible() and dialog.result_value is None
