"""The PostgreSQL connection dialog against the real local server (trust authentication).

Real answers: "Testa anslutningen" works, a closed port is unreachable, a missing database is
missing. "Kom ihåg lösenordet" goes to the (in-memory) keyring and never to the settings file.
"""

from __future__ import annotations

from collections.abc import Iterator

import keyring
import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from sipdesk import settings
from sipdesk.accounts import passwords
from sipdesk.paths import default_database_path
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind
from tests.conftest import MemoryKeyring
from ui.startup.connection_dialog import NO_KEYRING, WORKS, ConnectionDialog

WAIT_MS = 15_000
SECRET = "Sommar-2026!"


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[list[ConnectionDialog]]:
    made: list[ConnectionDialog] = []
    yield made
    QThreadPool.globalInstance().waitForDone(WAIT_MS)  # no answer may outlive its test
    qtbot.wait(10)


def open_dialog(
    qtbot: QtBot, dialogs: list[ConnectionDialog], url: DatabaseUrl,
    problem: str | ConnectionProblem | None = None,
) -> ConnectionDialog:
    dialog = ConnectionDialog(None, url=url, problem=problem)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialogs.append(dialog)
    return dialog


def blank() -> DatabaseUrl:
    return DatabaseUrl(Engine.POSTGRESQL, host="", port=5432, name="", user="")


def type_server(qtbot: QtBot, dialog: ConnectionDialog, url: DatabaseUrl) -> None:
    """Fill the form by keyboard, as a user would."""
    fields = dialog.fields
    qtbot.keyClicks(fields.host, url.host)
    fields.port.selectAll()
    qtbot.keyClicks(fields.port, str(url.port))
    qtbot.keyClicks(fields.name, url.name)
    qtbot.keyClicks(fields.user, url.user)


def test_test_connection_works_against_the_real_server(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[ConnectionDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs, blank())
    assert dialog.fields.port.value() == 5432  # the default
    type_server(qtbot, dialog, pg_url)
    assert dialog.fields.url() == pg_url

    qtbot.mouseClick(dialog.fields.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fields.status.text() == WORKS, timeout=WAIT_MS)
    assert dialog.isVisible() and dialog.result_value is None  # a test does not connect

    # A changed field makes the earlier result stale.
    qtbot.keyClicks(dialog.fields.name, "x")
    assert dialog.fields.status.text() == ""


def test_closed_port_says_the_server_cannot_be_reached(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[ConnectionDialog],
) -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host="127.0.0.1", port=1, name=pg_url.name,
                      user=pg_url.user)
    dialog = open_dialog(qtbot, dialogs, blank())
    type_server(qtbot, dialog, url)
    qtbot.mouseClick(dialog.fields.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fields.form.error_text("host") != "", timeout=WAIT_MS)
    assert dialog.fields.form.error_text("host") == (
        "Det gick inte att nå databasservern 127.0.0.1:1. "
        "Kontrollera adressen och att servern är igång."
    )
    assert dialog.fields.status.text() == ""
    # Fixing the field clears its message; what was typed is all still there.
    qtbot.keyClicks(dialog.fields.host, " ")
    assert dialog.fields.form.error_text("host") == ""
    assert (dialog.fields.name.text(), dialog.fields.user.text()) == (pg_url.name, pg_url.user)


def test_missing_database_is_said_at_the_database_field(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[ConnectionDialog],
) -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host=pg_url.host, port=pg_url.port,
                      name="sipdesk_finns_inte", user=pg_url.user)
    dialog = open_dialog(qtbot, dialogs, url)
    qtbot.mouseClick(dialog.fields.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.fields.form.error_text("name") != "", timeout=WAIT_MS)
    message = dialog.fields.form.error_text("name")
    assert message.startswith("Databasen sipdesk_finns_inte finns inte på servern")


def test_missing_fields_are_named_before_anything_is_tried(
    qtbot: QtBot, dialogs: list[ConnectionDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs, blank())
    qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    form = dialog.fields.form
    assert form.error_text("host") == "Ange serverns namn eller adress."
    assert form.error_text("name") == "Ange databasens namn."
    assert form.error_text("user") == "Ange ditt användarnamn på databasservern."
    assert not dialog.fields.busy and dialog.isVisible()


def test_remember_password_goes_to_the_keyring_and_never_to_the_settings_file(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[ConnectionDialog],
    isolated_user_state: MemoryKeyring,
) -> None:
    dialog = open_dialog(qtbot, dialogs, pg_url)
    assert dialog.remember.isEnabled() and not dialog.keyring_note.isVisible()
    qtbot.keyClicks(dialog.fields.password, SECRET)
    dialog.remember.setFocus()
    qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)  # tick it with the keyboard
    assert dialog.remember.isChecked()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(dialog.fields.password, Qt.Key.Key_Return)  # Enter connects

    assert dialog.result_value == (pg_url, SECRET)
    assert isolated_user_state.store == {(passwords.SERVICE, pg_url.keyring_key): SECRET}
    assert passwords.get_password(pg_url) == SECRET
    stored = settings.settings_path().read_text(encoding="utf-8")
    assert SECRET not in stored
    assert settings.load()["remember_password"] is True
    for line in stored.splitlines():
        assert "password" not in line.lower() or '"remember_password": true' in line


def test_unticking_remember_forgets_the_stored_password(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[ConnectionDialog],
) -> None:
    passwords.store_password(pg_url, SECRET)
    settings.set_value("remember_password", True)
    dialog = open_dialog(qtbot, dialogs, pg_url)
    assert dialog.remember.isChecked()
    dialog.remember.setFocus()
    qtbot.keyClick(dialog.remember, Qt.Key.Key_Space)
    assert not dialog.remember.isChecked()
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.connect_button, Qt.MouseButton.LeftButton)
    assert passwords.get_password(pg_url) is None
    assert dialog.result_value == (pg_url, None)


def test_without_a_keyring_the_box_is_off_and_says_why(
    qtbot: QtBot, dialogs: list[ConnectionDialog], monkeypatch: pytest.MonkeyPatch,
) -> None:
    class NoKeyring(MemoryKeyring):
        priority = 0

    keyring.set_keyring(NoKeyring())
    assert not passwords.keyring_works()
    dialog = open_dialog(qtbot, dialogs, blank())
    assert not dialog.remember.isEnabled() and not dialog.remember.isChecked()
    assert dialog.keyring_note.isVisible()
    assert dialog.keyring_note.text() == NO_KEYRING


def test_a_problem_from_the_start_lands_at_its_field(
    qtbot: QtBot, dialogs: list[ConnectionDialog],
) -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host="sip-db", port=5432, name="sip", user="rut")
    needed = ConnectionProblem(ProblemKind.PASSWORD_NEEDED, "Servern kräver ett lösenord.")
    dialog = open_dialog(qtbot, dialogs, url, needed)
    assert dialog.fields.form.error_text("password") == "Servern kräver ett lösenord."
    assert not dialog.banner.isVisible()
    assert dialog.focusWidget() is dialog.fields.password

    unknown = ConnectionProblem(ProblemKind.WRONG_PASSWORD,
                                "Användaren rut finns inte på databasservern.")
    other = open_dialog(qtbot, dialogs, url, unknown)
    assert other.fields.form.error_text("user") == unknown.message

    general = open_dialog(qtbot, dialogs, url, "Databasen har skapats av en nyare version.")
    assert general.banner.isVisible()
    qtbot.keyClicks(general.fields.host, "2")  # typing hides the old news
    assert not general.banner.isVisible()


def test_typed_password_survives_a_retry(qtbot: QtBot, dialogs: list[ConnectionDialog]) -> None:
    url = DatabaseUrl(Engine.POSTGRESQL, host="sip-db", port=5432, name="sip", user="rut")
    dialog = ConnectionDialog(None, url=url, problem=None, password=SECRET)
    qtbot.addWidget(dialog)
    assert dialog.fields.password.text() == SECRET
    assert dialog.fields.password.echoMode() == dialog.fields.password.EchoMode.Password


def test_choose_the_embedded_database_instead(
    qtbot: QtBot, dialogs: list[ConnectionDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs, blank(), "Det gick inte att ansluta till databasen.")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.embedded_button, Qt.MouseButton.LeftButton)
    assert dialog.result_value == (DatabaseUrl(Engine.SQLITE, path=default_database_path()), None)


def test_escape_cancels(qtbot: QtBot, dialogs: list[ConnectionDialog]) -> None:
    dialog = open_dialog(qtbot, dialogs, blank())
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog.fields.host, Qt.Key.Key_Escape)
    assert dialog.result_value is None


def test_ask_returns_what_the_dialog_decided(
    qtbot: QtBot, pg_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`ask` runs the dialog modally; here exec() is replaced by clicking "Anslut"."""

    def exec_(self: ConnectionDialog) -> int:
        qtbot.addWidget(self)
        self.show()
        with qtbot.waitSignal(self.accepted, timeout=WAIT_MS):
            qtbot.mouseClick(self.connect_button, Qt.MouseButton.LeftButton)
        return 1

    monkeypatch.setattr(ConnectionDialog, "exec", exec_)
    assert ConnectionDialog.ask(None, pg_url, None) == (pg_url, None)
