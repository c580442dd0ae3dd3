"""Inställningar: choosing the embedded database or a shared server, saved as a URL without any
password; "Testa anslutningen" against the real local server; "Glöm sparat lösenord"."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt, QThreadPool
from pytestqt.qtbot import QtBot

from sipdesk import settings
from sipdesk.accounts import passwords
from sipdesk.paths import default_database_path
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind, resolve_url
from tests.ui.conftest import MessageLog
from tests.ui.test_guardian_screens import shot
from ui.dialogs.settings_dialog import APPLIES_NEXT_START, SettingsDialog
from ui.startup.connection_dialog import SERVER_WANTS_PASSWORD, WORKS

WAIT_MS = 15_000
SECRET = "Vinter-2026!"
SERVER = DatabaseUrl(Engine.POSTGRESQL, host="sip-db.exempelby.se", port=5433, name="sip",
                     user="rut.oskarsson")


@pytest.fixture
def dialogs(qtbot: QtBot) -> Iterator[list[SettingsDialog]]:
    made: list[SettingsDialog] = []
    yield made
    QThreadPool.globalInstance().waitForDone(WAIT_MS)
    qtbot.wait(10)


def open_dialog(qtbot: QtBot, dialogs: list[SettingsDialog],
                current: DatabaseUrl | None = None) -> SettingsDialog:
    dialog = SettingsDialog(None, current=current)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialogs.append(dialog)
    return dialog


def choose_server(qtbot: QtBot, dialog: SettingsDialog, url: DatabaseUrl) -> None:
    dialog.shared.setFocus()
    qtbot.keyClick(dialog.shared, Qt.Key.Key_Space)
    assert dialog.shared.isChecked()
    fields = dialog.server
    for line, text in ((fields.host, url.host), (fields.name, url.name), (fields.user, url.user)):
        line.selectAll()
        qtbot.keyClicks(line, text)
    fields.port.selectAll()
    qtbot.keyClicks(fields.port, str(url.port))


def test_default_is_the_embedded_database_with_its_path(
    qtbot: QtBot, dialogs: list[SettingsDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    assert dialog.embedded.isChecked() and not dialog.shared.isChecked()
    assert str(default_database_path()) in dialog.path_label.text()
    assert not dialog.shared_box.isEnabled()  # server fields only for the server choice


def test_save_a_shared_server_writes_the_url_and_no_password(
    qtbot: QtBot, dialogs: list[SettingsDialog], message_log: MessageLog,
) -> None:
    passwords.store_password(SERVER, SECRET)  # a remembered password stays in the keyring
    dialog = open_dialog(qtbot, dialogs)
    choose_server(qtbot, dialog, SERVER)
    assert dialog.shared_box.isEnabled()

    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.keyClick(dialog.server.user, Qt.Key.Key_Return)  # Enter saves

    assert dialog.saved
    assert settings.get("database_url") == "postgresql://rut.oskarsson@sip-db.exempelby.se:5433/sip"
    assert resolve_url(None) == SERVER  # what the next start will use
    stored = settings.settings_path().read_text(encoding="utf-8")
    assert SECRET not in stored
    assert [text for _kind, _title, text in message_log.shown] == [f"Sparat. {APPLIES_NEXT_START}"]


def test_back_to_the_embedded_database(
    qtbot: QtBot, dialogs: list[SettingsDialog], message_log: MessageLog,
) -> None:
    settings.set_value("database_url", SERVER.url)
    dialog = open_dialog(qtbot, dialogs, current=SERVER)
    assert dialog.shared.isChecked()
    assert dialog.server.url() == SERVER  # the saved server is shown
    dialog.embedded.setFocus()
    qtbot.keyClick(dialog.embedded, Qt.Key.Key_Space)
    assert dialog.embedded.isChecked()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert settings.get("database_url") == ""
    assert resolve_url(None) == DatabaseUrl(Engine.SQLITE, path=default_database_path())
    assert message_log.shown and APPLIES_NEXT_START in message_log.shown[0][2]


def test_unchanged_choice_saves_nothing_and_says_nothing(
    qtbot: QtBot, dialogs: list[SettingsDialog], message_log: MessageLog,
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.saved and not dialog.isVisible()
    assert message_log.shown == []
    assert not settings.settings_path().exists()


def test_server_without_fields_is_not_saved(
    qtbot: QtBot, dialogs: list[SettingsDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    dialog.shared.setChecked(True)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert dialog.server.form.error_text("host") == "Ange serverns namn eller adress."
    assert settings.get("database_url") == ""


def test_test_connection_against_the_real_server(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[SettingsDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    choose_server(qtbot, dialog, pg_url)
    qtbot.mouseClick(dialog.server.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.server.status.text() == WORKS, timeout=WAIT_MS)


def test_test_connection_to_a_closed_port(
    qtbot: QtBot, pg_url: DatabaseUrl, dialogs: list[SettingsDialog],
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    closed = DatabaseUrl(Engine.POSTGRESQL, host="127.0.0.1", port=1, name=pg_url.name,
                         user=pg_url.user)
    choose_server(qtbot, dialog, closed)
    qtbot.mouseClick(dialog.server.test_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.server.form.error_text("host") != "", timeout=WAIT_MS)
    message = dialog.server.form.error_text("host")
    assert "Det gick inte att nå databasservern 127.0.0.1:1" in message


def test_forget_saved_password(qtbot: QtBot, dialogs: list[SettingsDialog]) -> None:
    settings.set_value("database_url", SERVER.url)
    passwords.store_password(SERVER, SECRET)
    dialog = open_dialog(qtbot, dialogs, current=SERVER)
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert passwords.get_password(SERVER) is None
    assert dialog.forget_status.text().startswith("Det sparade lösenordet är borttaget.")
    qtbot.mouseClick(dialog.forget_button, Qt.MouseButton.LeftButton)
    assert dialog.forget_status.text() == "Det finns inget sparat lösenord för den här servern."


def test_escape_cancels_without_saving(qtbot: QtBot, dialogs: list[SettingsDialog]) -> None:
    dialog = open_dialog(qtbot, dialogs)
    choose_server(qtbot, dialog, SERVER)
    with qtbot.waitSignal(dialog.rejected, timeout=WAIT_MS):
        qtbot.keyClick(dialog.server.host, Qt.Key.Key_Escape)
    assert settings.get("database_url") == ""


def test_a_server_that_wants_a_password_is_good_news_here(
    qtbot: QtBot, dialogs: list[SettingsDialog],
) -> None:
    """The settings have no password field: "needs a password" means the server answered."""
    dialog = open_dialog(qtbot, dialogs)
    dialog.server.show_problem(
        ConnectionProblem(ProblemKind.PASSWORD_NEEDED, "Servern kräver ett lösenord."))
    assert dialog.server.status.text() == SERVER_WANTS_PASSWORD
    dialog.server.show_problem(
        ConnectionProblem(ProblemKind.WRONG_PASSWORD, "Fel lösenord för användaren rut."))
    assert dialog.server.status.text() == "Fel lösenord för användaren rut."


def test_the_lock_time_is_chosen_here_and_saved_without_a_restart_note(
    qtbot: QtBot, dialogs: list[SettingsDialog], message_log: MessageLog,
) -> None:
    dialog = open_dialog(qtbot, dialogs)
    assert dialog.lock_minutes.value() == 10  # the default
    assert dialog.lock_minutes.minimum() >= 1  # a desk that never locks is not offered
    dialog.lock_minutes.selectAll()
    qtbot.keyClicks(dialog.lock_minutes, "5")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved
    assert settings.get("lock_minutes") == 5
    assert settings.get("database_url") == ""  # the database choice is untouched
    assert not [text for text in message_log.texts() if APPLIES_NEXT_START in text]


def test_the_age_for_a_childs_own_letters_is_chosen_here(
    qtbot: QtBot, dialogs: list[SettingsDialog],
) -> None:
    """Seed 002, issue 14: from a reasonable age (default 12) a child gets letters and the plan
    of their own; the user chooses the age."""
    dialog = open_dialog(qtbot, dialogs)
    assert dialog.child_letter_age.value() == 12  # the default
    dialog.child_letter_age.selectAll()
    qtbot.keyClicks(dialog.child_letter_age, "14")
    shot(dialog, "settings_dialog")
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.saved
    assert settings.get("child_letter_age") == 14

