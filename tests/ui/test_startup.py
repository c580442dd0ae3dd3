"""The start-up flow (ui.app.Startup) and its setup and login dialogs, driven like a user would.

Each dialog's `ask` is replaced by a driver that builds the real dialog, types into it with
qtbot and clicks its buttons, so the flow runs without a modal `exec()`. Storage tests run on
SQLite and on the local PostgreSQL server.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest
from playhouse.migrations import Runner
from PySide6.QtCore import QEvent, Qt, QThreadPool, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from sipdesk import settings
from sipdesk.paths import default_database_path, resource_dir
from sipdesk.storage import schema
from sipdesk.storage.db import (
    ConnectionProblem,
    DatabaseUrl,
    Engine,
    ProblemKind,
    connect,
)
from sipdesk.storage.models import Law, Role, User
from tests.factories import PASSWORD, make_unit, make_user
from tests.ui.conftest import MessageLog
from ui import app as app_module
from ui.app import SmokeTest
from ui.startup import flow
from ui.startup.connection_dialog import ConnectionDialog
from ui.startup.flow import Startup, StartupFailed
from ui.startup.login_dialog import WRONG_PASSWORD, LoginDialog
from ui.startup.setup_dialog import SetupDialog, SetupResult

HAS_DEMO_NUMBERS = (resource_dir() / "testpersonnummer.txt").exists()
needs_demo_numbers = pytest.mark.skipif(
    not HAS_DEMO_NUMBERS, reason="resources/testpersonnummer.txt (demo data) is not in the repo yet"
)
# A wait for the dialog's background work, not a speed target: the demo (showcase cases through
# the real use cases — children, evaluations, school) takes ~5 s on PostgreSQL on a busy CI
# machine; its speed is measured in tests/perf.
WAIT_MS = 60_000
# For flows that exist only on the server (on SQLite the login dialog does the job).
only_postgresql = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)


# --- helpers --------------------------------------------------------------------------


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    """Type like a user. QTest can only type ASCII, so å, ä, ö go in as key events with text."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            QApplication.sendEvent(widget, event)


def click(qtbot: QtBot, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def wait_for_jobs(qtbot: QtBot) -> None:
    """Let background jobs finish and their answers arrive on the UI thread."""
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.wait(20)


def fail_if_asked(name: str) -> Callable[..., Any]:
    def ask(*_args: Any, **_kwargs: Any) -> Any:
        raise AssertionError(f"{name} should not have been shown")
    return ask


@pytest.fixture
def no_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every start-up dialog fails the test if it is shown (tests re-patch the ones they use)."""
    monkeypatch.setattr(SetupDialog, "ask", classmethod(fail_if_asked("SetupDialog")))
    monkeypatch.setattr(LoginDialog, "ask", classmethod(fail_if_asked("LoginDialog")))
    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(fail_if_asked("ConnectionDialog")))


@pytest.fixture
def startups(qtbot: QtBot) -> Iterator[list[Startup]]:
    """Startups made by a test; their windows and connections are closed afterwards."""
    made: list[Startup] = []
    yield made
    wait_for_jobs(qtbot)
    for startup in made:
        if startup.window is not None:
            startup.window.close()
            startup.window.deleteLater()
        startup.close()


def make_startup(startups: list[Startup], url: DatabaseUrl, **kwargs: Any) -> Startup:
    startup = Startup(database_arg=url.url, **kwargs)
    startups.append(startup)
    return startup


def empty_sqlite_url(tmp_path: Path, name: str = "ny.sqlite3") -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / name)


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> DatabaseUrl:
    """A database with no schema at all, on each engine."""
    if request.param == "sqlite":
        return empty_sqlite_url(tmp_path)
    url: DatabaseUrl = request.getfixturevalue("blank_pg_url")
    return url


def make_older(url: DatabaseUrl) -> None:
    """A database as the first release left it: only migration 0001 applied, one user in it."""
    db = connect(url)
    Runner(db, str(schema.MIGRATIONS_DIR), table_name=schema.HISTORY_TABLE).up("0001_initial")
    db.execute_sql(
        "INSERT INTO principal (name, kind, version) VALUES ('Exempelby kommun', 'kommun', 1)"
    )
    db.close()


def make_newer(url: DatabaseUrl) -> None:
    """A database a future sipdesk has migrated further than this one knows."""
    db = connect(url)
    schema.migrate(db, url)
    db.execute_sql(
        f"INSERT INTO {schema.HISTORY_TABLE} (name, applied) VALUES ('9999_future', "
        "CURRENT_TIMESTAMP)"
    )
    db.close()


# --- dialog drivers (replace `ask`, drive the real dialog) ------------------------------


def fill_setup(qtbot: QtBot, dialog: SetupDialog, *, password: str | None = "hemligt123") -> None:
    type_text(qtbot, dialog.municipality, "Exempelby")
    type_text(qtbot, dialog.unit_name, "Hemtjänst Söder")
    type_text(qtbot, dialog.full_name, "Åsa Öberg")
    type_text(qtbot, dialog.profession, "Enhetschef hemtjänst")
    if password is not None:
        type_text(qtbot, dialog.password, password)
        type_text(qtbot, dialog.password_repeat, password)


def setup_driver(qtbot: QtBot, seen: list[SetupDialog],
                 action: Callable[[QtBot, SetupDialog], None]) -> Callable[..., Any]:
    def ask(_cls: type, parent: QWidget | None, **kwargs: Any) -> SetupResult | None:
        dialog = SetupDialog(parent, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog)
        action(qtbot, dialog)
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
        return dialog.result_value
    return ask


def login_driver(qtbot: QtBot, seen: list[LoginDialog], password: str) -> Callable[..., Any]:
    def ask(_cls: type, parent: QWidget | None, **kwargs: Any) -> User | None:
        dialog = LoginDialog(parent, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        seen.append(dialog)
        type_text(qtbot, dialog.password, password)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter logs in
        qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=WAIT_MS)
        return dialog.result_value
    return ask


# --- first start ----------------------------------------------------------------------


def test_first_run_setup_by_typing_then_main_window(
    qtbot: QtBot, blank_url: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    seen: list[SetupDialog] = []
    sqlite = blank_url.engine is Engine.SQLITE

    def fill_and_start(bot: QtBot, dialog: SetupDialog) -> None:
        fill_setup(bot, dialog, password="hemligt123" if sqlite else None)
        click(bot, dialog.start_button)

    monkeypatch.setattr(SetupDialog, "ask", classmethod(setup_driver(qtbot, seen, fill_and_start)))
    startup = make_startup(startups, blank_url)
    session = startup.open_session()

    assert session is not None
    dialog = seen[0]
    assert dialog.needs_password is sqlite
    user = session.user
    assert user.full_name == "Åsa Öberg"
    assert user.initials == "ÅÖ"  # proposed from the name
    assert user.role == Role.UNIT_MANAGER.value  # the default role
    assert user.unit.name == "Hemtjänst Söder" and user.unit.law == Law.SOL.value
    assert user.unit.principal.name == "Exempelby kommun"
    if sqlite:
        assert user.login == "asa.oberg"  # proposed, å/ö folded to a/o
        assert user.password_hash and "hemligt123" not in user.password_hash
    else:
        assert user.login == blank_url.user  # the database user, locked
        assert dialog.login.isReadOnly() and user.password_hash is None
    assert settings.get("last_login") == user.login
    assert message_log.shown == []  # an empty database is created without a word

    window = startup.show_main_window(session)
    qtbot.waitExposed(window)
    assert window.isVisible()


def test_setup_validates_each_field_as_you_type(qtbot: QtBot, sqlite_db: peewee.Database) -> None:
    dialog = SetupDialog(None, needs_password=True)
    qtbot.addWidget(dialog)
    dialog.show()
    form = dialog.form

    # Untouched fields say nothing; a field emptied again says what is missing.
    type_text(qtbot, dialog.municipality, "E")
    assert form.error_text("municipality") == ""
    assert form.error_text("unit_name") == ""
    qtbot.keyClick(dialog.municipality, Qt.Key.Key_Backspace)
    assert form.error_text("municipality") == "Ange kommunens namn, t.ex. Exempelby kommun."

    type_text(qtbot, dialog.full_name, "Anna-Karin Ängström")
    assert dialog.login.text() == "anna-karin.angstrom"
    assert dialog.initials.text() == "AKÄ"

    # Once the user edits the login, the name no longer overwrites it.
    dialog.login.selectAll()
    type_text(qtbot, dialog.login, "ak!")
    assert "små bokstäver" in form.error_text("login")
    qtbot.keyClick(dialog.login, Qt.Key.Key_Backspace)
    type_text(qtbot, dialog.login, "ang")
    assert form.error_text("login") == ""
    type_text(qtbot, dialog.full_name, "x")
    assert dialog.login.text() == "akang"

    type_text(qtbot, dialog.password, "kort")
    assert form.error_text("password") == "Lösenordet måste ha minst 8 tecken."
    type_text(qtbot, dialog.password, "are-men-ok")
    assert form.error_text("password") == ""
    type_text(qtbot, dialog.password_repeat, "kortare")
    assert form.error_text("password_repeat") == "Lösenorden är inte lika."

    # "Kom igång" with fields missing: every message at once, focus on the first, nothing saved.
    click(qtbot, dialog.start_button)
    assert form.error_text("municipality")
    assert form.error_text("unit_name") == "Ange din enhet, t.ex. Hemtjänst Norr."
    assert dialog.result_value is None and dialog.isVisible()
    assert QApplication.focusWidget() is dialog.municipality or not dialog.isActiveWindow()
    assert not User.select().exists()


def focus_chain(start: QWidget) -> list[str]:
    """Object names of the enabled, visible widgets Tab visits, starting at `start`."""
    names: list[str] = []
    widget: QWidget | None = start
    while widget is not None:
        if (widget.focusPolicy() & Qt.FocusPolicy.TabFocus and widget.isEnabled()
                and widget.isVisible() and widget.objectName()):
            names.append(widget.objectName())
        widget = widget.nextInFocusChain()
        if widget is start:
            break
    return names


def test_setup_tab_order_follows_the_form(qtbot: QtBot, sqlite_db: peewee.Database) -> None:
    dialog = SetupDialog(None, needs_password=True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert focus_chain(dialog.municipality) == [
        "municipality", "unit_name", "unit_law", "full_name", "initials", "profession", "role",
        "login", "password", "password_repeat", "start", "cancel", "demo",
    ]


def test_setup_escape_cancels(qtbot: QtBot, sqlite_db: peewee.Database) -> None:
    dialog = SetupDialog(None, needs_password=True)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog.municipality, Qt.Key.Key_Escape)
    assert dialog.result_value is None


def test_cancelled_setup_ends_the_start(
    qtbot: QtBot, tmp_path: Path, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def cancel(bot: QtBot, dialog: SetupDialog) -> None:
        click(bot, dialog.cancel_button)

    monkeypatch.setattr(SetupDialog, "ask", classmethod(setup_driver(qtbot, [], cancel)))
    assert make_startup(startups, empty_sqlite_url(tmp_path)).open_session() is None


@needs_demo_numbers
def test_try_with_demo_data_logs_in_as_the_demo_user(
    qtbot: QtBot, blank_url: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    seen: list[SetupDialog] = []

    def demo(bot: QtBot, dialog: SetupDialog) -> None:
        click(bot, dialog.demo_button)
        assert dialog.busy and dialog.progress.isVisible()  # the busy indicator

    monkeypatch.setattr(SetupDialog, "ask", classmethod(setup_driver(qtbot, seen, demo)))
    session = make_startup(startups, blank_url).open_session()

    assert session is not None
    from sipdesk import demo as demo_module

    assert session.user.login == demo_module.DEMO_LOGIN
    assert User.select().count() >= 10
    [(kind, _title, text)] = message_log.shown
    assert kind == "information"
    assert demo_module.DEMO_PASSWORD in text and "påhittade" in text


# --- logging in (SQLite) --------------------------------------------------------------


@pytest.fixture
def two_users(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    """Anna Berg (Biståndsenheten) and Karl Lind (Hemtjänst Norr) on a SQLite file."""
    make_user("anna.berg", unit=make_unit("Biståndsenheten"), full_name="Anna Berg")
    make_user("karl.lind", unit=make_unit("Hemtjänst Norr"), full_name="Karl Lind")
    sqlite_db.close()
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def test_log_in_with_the_right_password(
    qtbot: QtBot, two_users: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.set_value("last_login", "karl.lind")
    seen: list[LoginDialog] = []
    monkeypatch.setattr(LoginDialog, "ask", classmethod(login_driver(qtbot, seen, PASSWORD)))

    session = make_startup(startups, two_users).open_session()

    assert session is not None and session.user.login == "karl.lind"  # last time's user
    combo = seen[0].user_combo
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Anna Berg – Biståndsenheten", "Karl Lind – Hemtjänst Norr",
    ]
    assert settings.get("last_login") == "karl.lind"


def test_wrong_password_is_said_at_the_field_and_the_user_stays_chosen(
    qtbot: QtBot, two_users: DatabaseUrl,
) -> None:
    from sipdesk.accounts import auth

    connect(two_users)
    dialog = LoginDialog(None, users=auth.active_users_with_unit(), last_login="anna.berg")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.user_combo.currentData() == "anna.berg"
    dialog.user_combo.setFocus()
    qtbot.keyClick(dialog.user_combo, Qt.Key.Key_Down)  # choose Karl with the keyboard
    assert dialog.user_combo.currentData() == "karl.lind"

    type_text(qtbot, dialog.password, "fel-lösenord")
    click(qtbot, dialog.login_button)
    qtbot.waitUntil(lambda: dialog.form.error_text("password") != "", timeout=WAIT_MS)

    assert dialog.form.error_text("password") == WRONG_PASSWORD
    assert dialog.user_combo.currentData() == "karl.lind"
    assert dialog.isVisible() and dialog.result_value is None

    # Typing again clears the message; the right password logs in.
    dialog.password.selectAll()
    type_text(qtbot, dialog.password, PASSWORD)
    assert dialog.form.error_text("password") == ""
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result_value is not None and dialog.result_value.login == "karl.lind"


def test_after_many_wrong_passwords_the_dialog_says_how_long_to_wait(
    qtbot: QtBot, two_users: DatabaseUrl,
) -> None:
    from sipdesk.accounts import auth, login_throttle

    connect(two_users)
    for _ in range(login_throttle.FREE_TRIES + 2):  # seven wrong tries already: four seconds
        login_throttle.failed("anna.berg", None)
    dialog = LoginDialog(None, users=auth.active_users_with_unit(), last_login="anna.berg")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.password, PASSWORD)
    click(qtbot, dialog.login_button)
    qtbot.waitUntil(lambda: dialog.form.error_text("password") != "", timeout=WAIT_MS)
    assert dialog.form.error_text("password").startswith("För många felaktiga försök. Vänta ")
    assert dialog.result_value is None and dialog.password.text() == PASSWORD  # kept


def test_empty_password_is_asked_for(qtbot: QtBot, two_users: DatabaseUrl) -> None:
    from sipdesk.accounts import auth

    connect(two_users)
    dialog = LoginDialog(None, users=auth.active_users_with_unit())
    qtbot.addWidget(dialog)
    dialog.show()
    click(qtbot, dialog.login_button)
    assert dialog.form.error_text("password") == "Skriv ditt lösenord."


# --- logging in (PostgreSQL: the connection is the login) -----------------------------


@only_postgresql
def test_postgresql_connection_is_the_login(
    qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl, startups: list[Startup],
    no_dialogs: None,
) -> None:
    make_user(db_url.user, full_name="Rut Oskarsson")
    session = make_startup(startups, db_url).open_session()
    assert session is not None and session.user.login == db_url.user


@only_postgresql
def test_postgresql_user_without_sipdesk_account_gets_the_connection_dialog(
    qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl, startups: list[Startup],
    no_dialogs: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_user("anna.berg")
    asked: list[tuple[DatabaseUrl, object]] = []

    def ask(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
            **_kw: object) -> None:
        asked.append((url, problem))
        return None

    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(ask))
    assert make_startup(startups, db_url).open_session() is None
    [(url, problem)] = asked
    assert url == db_url
    assert isinstance(problem, str) and "inte upplagd som användare i sipdesk" in problem


@only_postgresql
def test_postgresql_password_from_the_keyring_then_the_dialog_when_it_is_wrong(
    qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl, startups: list[Startup],
    no_dialogs: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The local test server trusts everyone, so the server's answers are simulated here: the
    first (keyring) password is refused, the one typed in the dialog is accepted."""
    from sipdesk.accounts import passwords

    make_user(db_url.user, full_name="Rut Oskarsson")
    passwords.store_password(db_url, "gammalt-lösen")
    real_connect = flow.connect
    tried: list[str | None] = []

    def server(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
        tried.append(password)
        if password != "nytt-lösen":
            raise ConnectionProblem(ProblemKind.WRONG_PASSWORD,
                                    f"Fel lösenord för användaren {url.user}. Försök igen.")
        return real_connect(url, None)

    asked: list[object] = []

    def ask(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
            **_kw: object) -> tuple[DatabaseUrl, str]:
        asked.append(problem)
        return url, "nytt-lösen"

    monkeypatch.setattr(flow, "connect", server)
    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(ask))
    session = make_startup(startups, db_url).open_session()

    assert session is not None
    assert tried == ["gammalt-lösen", "nytt-lösen"]
    [problem] = asked
    assert isinstance(problem, ConnectionProblem) and problem.kind is ProblemKind.WRONG_PASSWORD


@only_postgresql
def test_postgresql_empty_password_typed_in_the_dialog_beats_the_keyring(
    qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl, startups: list[Startup],
    no_dialogs: None, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the user has answered the dialog, the keyring's (wrong) password is not tried."""
    from sipdesk.accounts import passwords

    make_user(db_url.user, full_name="Rut Oskarsson")
    passwords.store_password(db_url, "gammalt-lösen")
    real_connect = flow.connect
    tried: list[str | None] = []

    def server(url: DatabaseUrl, password: str | None = None) -> peewee.Database:
        tried.append(password)
        if password is not None:
            raise ConnectionProblem(ProblemKind.WRONG_PASSWORD, "Fel lösenord.")
        return real_connect(url, None)

    monkeypatch.setattr(flow, "connect", server)
    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(
        lambda _cls, _parent, url, _problem, **_kw: (url, None)))
    assert make_startup(startups, db_url).open_session() is not None
    assert tried == ["gammalt-lösen", None]


def test_a_file_that_is_no_database_lets_the_user_choose_another(
    qtbot: QtBot, tmp_path: Path, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    not_a_database = tmp_path / "anteckningar.sqlite3"
    not_a_database.write_text("inte en databas\n" * 100, encoding="utf-8")
    asked: list[tuple[DatabaseUrl, object]] = []

    def ask(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
            **_kw: object) -> None:
        asked.append((url, problem))
        return None

    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(ask))
    url = DatabaseUrl(Engine.SQLITE, path=not_a_database)
    assert make_startup(startups, url).open_session() is None
    [(offered, problem)] = asked
    assert offered.engine is Engine.POSTGRESQL and offered.host == ""  # a blank server form
    assert problem == f"{not_a_database} går inte att öppna som sipdesk-databas."


# --- schema versions ------------------------------------------------------------------


def test_older_sqlite_database_is_migrated_after_a_message_with_a_backup_first(
    qtbot: QtBot, tmp_path: Path, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    url = empty_sqlite_url(tmp_path, "gammal.sqlite3")
    make_older(url)
    setup_seen: list[SetupDialog] = []
    monkeypatch.setattr(SetupDialog, "ask", classmethod(
        setup_driver(qtbot, setup_seen, lambda bot, d: click(bot, d.cancel_button))))

    assert make_startup(startups, url).open_session() is None  # stopped at the setup

    (kind, _t, question), (info_kind, _t2, done) = message_log.shown
    assert kind == "confirm"
    assert question.startswith(
        f"Databasen behöver uppdateras till version {schema.latest_version()}. "
        "En säkerhetskopia sparas först:"
    )
    backups = list(tmp_path.glob("gammal.backup-*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in done and info_kind == "information"
    db = connect(url)
    assert schema.status(db).is_current
    db.close()
    # The copy is the database as it was: only the first migration.
    old = connect(DatabaseUrl(Engine.SQLITE, path=backups[0]))
    assert schema.status(old).applied == ["0001_initial"]
    old.close()


def test_older_database_is_left_alone_when_the_user_says_no(
    qtbot: QtBot, tmp_path: Path, startups: list[Startup], no_dialogs: None,
    message_log: MessageLog,
) -> None:
    url = empty_sqlite_url(tmp_path, "gammal.sqlite3")
    make_older(url)
    message_log.confirm_answer = False
    assert make_startup(startups, url).open_session() is None
    assert not list(tmp_path.glob("*.backup-*"))
    db = connect(url)
    assert schema.status(db).applied == ["0001_initial"]
    db.close()


def test_older_postgresql_database_is_migrated_after_a_message(
    qtbot: QtBot, blank_pg_url: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    make_older(blank_pg_url)
    monkeypatch.setattr(SetupDialog, "ask", classmethod(
        setup_driver(qtbot, [], lambda bot, d: click(bot, d.cancel_button))))
    assert make_startup(startups, blank_pg_url).open_session() is None
    [(kind, _title, text)] = message_log.shown
    assert kind == "confirm" and "behöver uppdateras till version" in text
    db = connect(blank_pg_url)
    assert schema.status(db).is_current
    db.close()


def test_newer_schema_is_refused_with_the_message(
    qtbot: QtBot, blank_url: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    make_newer(blank_url)
    asked: list[object] = []

    def ask(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
            **_kw: object) -> None:
        asked.append(problem)
        return None

    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(ask))
    assert make_startup(startups, blank_url).open_session() is None
    [problem] = asked
    text = problem.message if isinstance(problem, ConnectionProblem) else str(problem)
    assert "skapats av en nyare version av sipdesk" in text
    assert "Uppdatera sipdesk" in text


def test_newer_schema_in_the_embedded_database_stops_the_start(
    qtbot: QtBot, startups: list[Startup], no_dialogs: None,
) -> None:
    url = DatabaseUrl(Engine.SQLITE, path=default_database_path())
    make_newer(url)
    startup = Startup(database_arg=None)
    startups.append(startup)
    with pytest.raises(StartupFailed, match="nyare version av sipdesk"):
        startup.open_session()


def test_newer_schema_on_the_server_shows_the_message_in_the_connection_dialog(
    qtbot: QtBot,
) -> None:
    problem = ConnectionProblem(ProblemKind.WRONG_SCHEMA, "Databasen har skapats av en nyare …")
    url = DatabaseUrl(Engine.POSTGRESQL, host="db", port=5432, name="sip", user="rut")
    dialog = ConnectionDialog(None, url=url, problem=problem)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.banner.isVisible() and dialog.banner.text() == problem.message


def test_bad_url_lets_the_user_choose_another_database(
    qtbot: QtBot, startups: list[Startup], no_dialogs: None, monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    """A broken SIPDESK_DATABASE: the dialog says why; "the embedded database" gets on."""
    monkeypatch.setenv("SIPDESK_DATABASE", "mysql://nej")
    asked: list[object] = []

    def ask(_cls: type, _parent: object, url: DatabaseUrl, problem: object,
            **_kw: object) -> tuple[DatabaseUrl, None]:
        asked.append(problem)
        return DatabaseUrl(Engine.SQLITE, path=default_database_path()), None

    monkeypatch.setattr(ConnectionDialog, "ask", classmethod(ask))
    monkeypatch.setattr(SetupDialog, "ask", classmethod(
        setup_driver(qtbot, [], lambda bot, d: click(bot, d.cancel_button))))
    startup = Startup(database_arg=None)
    startups.append(startup)
    assert startup.open_session() is None  # got as far as the setup of the embedded database
    [problem] = asked
    assert isinstance(problem, ConnectionProblem) and problem.kind is ProblemKind.BAD_URL
    assert default_database_path().exists()


# --- the main window and the settings --------------------------------------------------


def test_settings_dialog_opens_from_the_main_window(
    qtbot: QtBot, two_users: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.dialogs.settings_dialog import SettingsDialog

    monkeypatch.setattr(LoginDialog, "ask", classmethod(login_driver(qtbot, [], PASSWORD)))
    opened: list[DatabaseUrl | None] = []

    def ask(_cls: type, _parent: object, *, current: DatabaseUrl | None = None) -> bool:
        opened.append(current)
        return False

    monkeypatch.setattr(SettingsDialog, "ask", classmethod(ask))
    startup = make_startup(startups, two_users)
    session = startup.open_session()
    assert session is not None
    window = startup.show_main_window(session)
    window.settings_requested.emit()
    assert opened == [two_users]


# --- the smoke test, in this process --------------------------------------------------


def test_smoke_test_paints_the_case_list_and_reports_the_time(
    qtbot: QtBot, two_users: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from tests.factories import make_case

    db = connect(two_users)
    make_case(User.get(User.login == "anna.berg"))
    db.close()
    startup = make_startup(startups, two_users, interactive=False)
    smoke = SmokeTest(startup, started=app_module.time.perf_counter(), since="test")
    with qtbot.waitSignal(smoke.finished, timeout=WAIT_MS) as finished:
        smoke.start()
    assert finished.args == [0]
    out = capsys.readouterr().out
    assert out.startswith("smoke-test: first painted case list after ")
    assert startup.session is not None and startup.session.user.login == "anna.berg"


def test_smoke_test_fails_with_a_message_instead_of_asking(
    qtbot: QtBot, tmp_path: Path, startups: list[Startup], no_dialogs: None,
    capsys: pytest.CaptureFixture[str],
) -> None:
    url = empty_sqlite_url(tmp_path)
    make_newer(url)
    smoke = SmokeTest(make_startup(startups, url, interactive=False), started=0.0, since="test")
    with qtbot.waitSignal(smoke.finished, timeout=WAIT_MS) as finished:
        smoke.start()
    assert finished.args == [1]
    assert "smoke-test: misslyckades: Databasen har skapats av en nyare" in capsys.readouterr().err


class SilentWindow(QWidget):
    """A main window whose case list never paints (a hung query, say)."""

    settings_requested = Signal()
    switch_user_requested = Signal()
    case_list_painted = Signal()

    def __init__(self, session: object, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session


def test_smoke_test_has_a_hard_timeout(
    qtbot: QtBot, two_users: DatabaseUrl, startups: list[Startup], no_dialogs: None,
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr("ui.main_window.MainWindow", SilentWindow)
    startup = make_startup(startups, two_users, interactive=False)
    smoke = SmokeTest(startup, started=0.0, since="test", timeout_s=0.5)
    with qtbot.waitSignal(smoke.finished, timeout=WAIT_MS) as finished:
        smoke.start()
    assert finished.args == [1]
    assert "ingen ärendelista med rader efter 0.5 s" in capsys.readouterr().err


def test_process_start_is_before_now() -> None:
    started, since = app_module.process_start()
    assert started <= app_module.time.perf_counter()
    assert since in ("process start", "run_gui")
    if os.path.exists("/proc/self/stat"):
        assert since == "process start"


# --- run_gui: the application around the flow ----------------------------------------


@pytest.fixture
def app_settings_restored(qapp: QApplication) -> Iterator[QApplication]:
    """run_gui configures the shared QApplication; put style, locale and translators back."""
    from PySide6.QtCore import QLocale

    style, locale = qapp.style().name(), QLocale()
    quit_on_close = qapp.quitOnLastWindowClosed()
    yield qapp
    qapp.setStyle(style)
    QLocale.setDefault(locale)
    qapp.setQuitOnLastWindowClosed(quit_on_close)
    for translator in app_module._translators:
        qapp.removeTranslator(translator)
    app_module._translators.clear()


def test_run_gui_logs_in_and_shows_the_window_in_swedish(
    qtbot: QtBot, two_users: DatabaseUrl, no_dialogs: None, monkeypatch: pytest.MonkeyPatch,
    app_settings_restored: QApplication,
) -> None:
    from argparse import Namespace

    from PySide6.QtCore import QLocale

    monkeypatch.setattr(LoginDialog, "ask", classmethod(login_driver(qtbot, [], PASSWORD)))
    shown: list[QWidget] = []

    def exec_(_self: object = None) -> int:  # the event loop would block: look, then leave
        shown.extend(w for w in QApplication.topLevelWidgets()
                     if w.isVisible() and w.objectName() != "login_dialog")
        return 0

    monkeypatch.setattr(QApplication, "exec", exec_)
    code = app_module.run_gui(Namespace(database=two_users.url, smoke_test=False))

    assert code == 0
    app = app_settings_restored
    assert app.applicationName() == "sipdesk"
    assert QLocale().language() is QLocale.Language.Swedish
    assert app.style().name().lower() == "fusion"
    assert app.quitOnLastWindowClosed()
    windows = [w for w in shown if w.metaObject().className() == "MainWindow"]
    assert len(windows) == 1
    for window in windows:
        qtbot.addWidget(window)
    assert settings.get("last_login") == "anna.berg"


def test_run_gui_says_why_it_cannot_start_and_exits_1(
    qtbot: QtBot, no_dialogs: None, monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
    app_settings_restored: QApplication,
) -> None:
    from argparse import Namespace

    make_newer(DatabaseUrl(Engine.SQLITE, path=default_database_path()))
    monkeypatch.setattr(QApplication, "exec", lambda _self=None: pytest.fail("no event loop"))
    assert app_module.run_gui(Namespace(database=None, smoke_test=False)) == 1
    [(kind, title, text)] = message_log.shown
    assert kind == "error" and title == "sipdesk kan inte starta"
    assert "nyare version av sipdesk" in text


def test_enter_logs_in_after_a_first_try_without_a_password(
    qtbot: QtBot, db: peewee.Database
) -> None:
    """A message at the field must not cost the user the Enter key."""
    from sipdesk.accounts.auth import active_users_with_unit
    from ui.startup.login_dialog import LoginDialog

    make_user()
    dialog = LoginDialog(None, users=active_users_with_unit(), last_login="anna.berg",
                         database_label="SQLite")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.login_button, Qt.MouseButton.LeftButton)
    assert dialog.form.error_text("password") == "Skriv ditt lösenord."
    qtbot.keyClicks(dialog.password, PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.result_value is not None, timeout=5000)
    assert dialog.result_value.login == "anna.berg"
