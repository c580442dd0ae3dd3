"""Arkiv → Användare… (issue 12, "an admin screen"): only an administrator's menu has it. The
administrator adds a user through the real form — a login that is taken is said at its field,
with everything typed kept — and the new user can log in (SQLite: sipdesk's own check;
PostgreSQL: their own login role in sipdesk_user, holding the password); deactivated, they can
no longer, and activated again they can. A weak new password is said at its field. A
non-administrator who reaches the screen anyway is refused by the core. The list's model passes
qtmodeltester.

SIPDESK_SCREENSHOTS=folder saves the screen and the form (with a message at a field) there."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.accounts.user_admin import ADMINISTRATORS_ONLY, UserRow
from sipdesk.storage.models import Role
from tests.factories import PASSWORD, make_unit, make_user
from tests.server_logins import LoginRoles, login_roles_dropped, logs_in
from tests.ui.conftest import MessageLog, settle, type_text
from ui.main_window import MainWindow
from ui.session import Session
from ui.users.forms import AddUserDialog, NewPasswordDialog
from ui.users.model import INACTIVE, UserListModel
from ui.users.view import NOT_YOURSELF_TIP, UsersDialog

NEW_PASSWORD = "gul cykel vid sjön"


def screenshot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SIPDESK_SCREENSHOTS")
    if folder:
        widget.grab().save(os.path.join(folder, f"{name}.png"))


@pytest.fixture
def roles(session: Session) -> Iterator[LoginRoles]:
    with login_roles_dropped(session.url) as made:
        yield made


@pytest.fixture
def admin(session: Session) -> Session:
    """Eva Admin logged in, beside Anna Berg (both engines)."""
    eva = make_user("eva.admin", role=Role.ADMINISTRATOR, full_name="Eva Admin",
                    unit=make_unit("Kansliet"))
    return Session(url=session.url, user=eva)


@pytest.fixture
def sqlite_admin(sqlite_session: Session) -> Session:
    """Eva Admin beside Anna Berg on SQLite: for changes to users without a login role of their
    own on a shared server."""
    eva = make_user("eva.admin", role=Role.ADMINISTRATOR, full_name="Eva Admin",
                    unit=make_unit("Kansliet"))
    return Session(url=sqlite_session.url, user=eva)


def open_users(qtbot: QtBot, session: Session) -> UsersDialog:
    dialog = UsersDialog(session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    settle(qtbot)
    return dialog


def shown_rows(dialog: UsersDialog) -> list[list[str]]:
    model = dialog.model
    return [[model.data(model.index(r, c)) for c in range(model.columnCount())]
            for r in range(model.rowCount())]


def driving(qtbot: QtBot, cls: type[Any], fill: Callable[[Any], None]) -> Any:
    """A stand-in for `cls.ask` that runs the real form like a user (`fill` presses OK, as
    often as it needs) and returns what it saved."""

    def ask(_cls: type, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        dialog = cls(*args, parent=parent, **kwargs)
        dialog.show()
        qtbot.waitExposed(dialog)
        fill(dialog)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        value = dialog.result_value if accepted else None
        dialog.setParent(None)
        dialog.deleteLater()
        return value

    return classmethod(ask)


def press_ok(qtbot: QtBot, dialog: Any) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)


def _menu_texts(window: MainWindow) -> list[str]:
    archive = window.menuBar().actions()[0].menu()
    return [a.text() for a in archive.actions() if isinstance(a, QAction)]


def test_an_administrator_adds_a_user_who_can_log_in_then_deactivates_them(
        admin: Session, roles: LoginRoles, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
        message_log: MessageLog) -> None:
    login = roles.new("lena.strand")
    dialog = open_users(qtbot, admin)
    assert [row[:2] for row in shown_rows(dialog)] == [
        ["Anna Berg", "anna.berg"], ["Eva Admin", "eva.admin"]]

    def fill(form: AddUserDialog) -> None:
        type_text(qtbot, form.full_name, "Lena Strand")
        assert form.login.text() == "lena.strand"  # proposed from the name
        assert form.initials.placeholderText() == "LS"
        form.login.clear()
        type_text(qtbot, form.login, "anna.berg")  # taken
        form.unit.setCurrentIndex(form.unit.findText("Hemtjänst Norr (Exempelby kommun)"))
        form.role.setCurrentIndex(form.role.findText("Personal"))
        type_text(qtbot, form.profession, "Undersköterska")
        type_text(qtbot, form.password, "kort")
        press_ok(qtbot, form)
        assert form.form.error_text("password") == "Lösenordet måste ha minst 8 tecken."
        form.password.clear()
        type_text(qtbot, form.password, NEW_PASSWORD)
        type_text(qtbot, form.password_repeat, NEW_PASSWORD)
        press_ok(qtbot, form)
        # The core says it at the field; nothing typed is lost.
        assert form.form.error_text("login") == "Användarnamnet anna.berg är upptaget."
        assert form.isVisible() and form.result() != QDialog.DialogCode.Accepted
        assert (form.full_name.text(), form.password.text(), form.password_repeat.text(),
                form.unit.currentText()) == ("Lena Strand", NEW_PASSWORD, NEW_PASSWORD,
                                             "Hemtjänst Norr (Exempelby kommun)")
        screenshot(form, "add_user_dialog")
        form.login.clear()
        type_text(qtbot, form.login, login)
        press_ok(qtbot, form)
        assert form.result() == QDialog.DialogCode.Accepted

    monkeypatch.setattr(AddUserDialog, "ask", driving(qtbot, AddUserDialog, fill))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.selected() is not None and dialog.selected().login == login
    assert dialog.status.text().startswith(f"Lena Strand ({login}) är upplagd och kan logga in")
    assert logs_in(admin.url, login, NEW_PASSWORD)
    screenshot(dialog, "users_dialog")

    # Deactivated (asked first), they cannot log in.
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert message_log.shown[-1][:2] == ("confirm", "Inaktivera användare")
    row = dialog.model.row_of(login)
    assert row is not None and shown_rows(dialog)[row][-1] == INACTIVE
    assert dialog.active_button.text() == "&Aktivera igen"
    assert dialog.status.text() == "Lena Strand är inaktiverad och kan inte logga in."
    assert not logs_in(admin.url, login, NEW_PASSWORD)
    screenshot(dialog, "users_dialog_inactive")

    # Activated again, they can.
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert logs_in(admin.url, login, NEW_PASSWORD)
    logged = [(e.action, e.user_id) for e in AuditEntry.select().where(
        AuditEntry.entity == "app_user").order_by(AuditEntry.id)]
    assert logged == [(AuditAction.CREATE.value, admin.user.id),
                      (AuditAction.STATE.value, admin.user.id),
                      (AuditAction.STATE.value, admin.user.id)]


def test_answering_no_leaves_the_user_active(
        admin: Session, qtbot: QtBot, message_log: MessageLog) -> None:
    dialog = open_users(qtbot, admin)
    dialog.table.selectRow(dialog.model.row_of("anna.berg") or 0)
    message_log.confirm_answer = False
    qtbot.mouseClick(dialog.active_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert shown_rows(dialog)[dialog.model.row_of("anna.berg") or 0][-1] == "Aktiv"
    assert AuditEntry.select().where(AuditEntry.entity == "app_user").count() == 0


def test_a_new_password_through_the_form(
        sqlite_admin: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = open_users(qtbot, sqlite_admin)
    row = dialog.model.row_of("anna.berg")
    assert row is not None
    dialog.table.selectRow(row)

    def fill(form: NewPasswordDialog) -> None:
        type_text(qtbot, form.password, "anna.berg-2026")
        type_text(qtbot, form.password_repeat, "anna.berg-2026")
        press_ok(qtbot, form)
        assert (form.form.error_text("password")
                == "Lösenordet får inte innehålla användarnamnet eller namnet.")
        form.password.clear()
        form.password_repeat.clear()
        type_text(qtbot, form.password, NEW_PASSWORD)
        type_text(qtbot, form.password_repeat, NEW_PASSWORD)
        press_ok(qtbot, form)

    monkeypatch.setattr(NewPasswordDialog, "ask", driving(qtbot, NewPasswordDialog, fill))
    qtbot.mouseClick(dialog.password_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.status.text() == "Anna Berg har ett nytt lösenord."
    assert logs_in(sqlite_admin.url, "anna.berg", NEW_PASSWORD)
    assert not logs_in(sqlite_admin.url, "anna.berg", PASSWORD)


def test_an_administrator_cannot_deactivate_themselves(admin: Session, qtbot: QtBot) -> None:
    dialog = open_users(qtbot, admin)
    row = dialog.model.row_of("eva.admin")
    assert row is not None
    dialog.table.selectRow(row)
    assert not dialog.active_button.isEnabled()
    assert dialog.active_button.toolTip() == NOT_YOURSELF_TIP
    assert dialog.password_button.isEnabled()


def test_only_an_administrator_has_the_menu_item(
        sqlite_session: Session, qtbot: QtBot) -> None:
    window = MainWindow(sqlite_session)
    qtbot.addWidget(window)
    assert "Användare…" not in _menu_texts(window)
    eva = make_user("eva.admin", role=Role.ADMINISTRATOR, full_name="Eva Admin",
                    unit=make_unit("Kansliet"))
    admins = MainWindow(Session(url=sqlite_session.url, user=eva))
    qtbot.addWidget(admins)
    assert "Användare…" in _menu_texts(admins)
    assert admins.users_action.shortcut().toString() == "Ctrl+Shift+U"
    admins.users_action.trigger()
    settle(qtbot)
    opened = admins.findChild(UsersDialog)
    assert opened is not None and opened.isVisible() and opened.model.rowCount() == 2
    opened.close()
    settle(qtbot)


def test_the_core_refuses_a_non_administrator_whatever_the_screen_does(
        sqlite_session: Session, qtbot: QtBot, message_log: MessageLog) -> None:
    """Anna Berg is no administrator; the screen, opened for her anyway, gets nothing."""
    dialog = open_users(qtbot, sqlite_session)
    assert message_log.texts() == [ADMINISTRATORS_ONLY]
    assert dialog.model.rowCount() == 0
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert message_log.texts() == [ADMINISTRATORS_ONLY] * 2
    assert QApplication.activeModalWidget() is None  # no form opened


def test_the_user_list_model_passes_qtmodeltester(qtmodeltester: Any) -> None:
    model = UserListModel()
    model.set_rows([
        UserRow(id=1, login="eva.admin", full_name="Eva Admin", initials="EA", profession="",
                unit="Kansliet", principal="Exempelby kommun", role=Role.ADMINISTRATOR,
                active=True),
        UserRow(id=2, login="lena.strand", full_name="Lena Strand", initials="LS",
                profession="Undersköterska", unit="Hemtjänst Norr",
                principal="Exempelby kommun", role=Role.STAFF, active=False),
    ])
    qtmodeltester.check(model)
    assert model.data(model.index(1, 4)) == "Personal"
    assert model.data(model.index(1, 5)) == INACTIVE
    assert model.data(model.index(1, 0), Qt.ItemDataRole.ForegroundRole) is not None
    model.set_rows([])
    qtmodeltester.check(model)
