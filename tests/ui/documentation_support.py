"""Shared by the dokumentationsstöd and Planen tests: a case with a held meeting and its plan,
sessions for its users, and a way to run the plan's real dialogs without a blocking exec()."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLineEdit, QPlainTextEdit, QWidget, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.casework import people
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.models import Case, Principal, User
from tests.scenarios import held_meeting, kallelse_world
from tests.ui.conftest import settle, type_text
from ui.case_tabs.base import CaseContext
from ui.session import Session
from ui.wizards.documentation import DocumentationWizard

MEETING_DAY = dt.date(2026, 12, 10)  # a Thursday: the deadline is Monday 14 December
DEADLINE = dt.date(2026, 12, 14)
SAVE_MS = 30


def world_with_plan(*, started: bool = True) -> dict[str, Any]:
    """kallelse_world with the meeting held (Maria Holm and Per Nord have accounts; Eva Läkare
    has not) and, when `started`, plan version 1 begun by the coordinator Anna Berg."""
    world = kallelse_world()
    world["meeting"] = held_meeting(world)
    if started:
        world["plan"] = plan.start_documentation(world["officer"], world["meeting"])
    world["kommun"] = Principal.get(Principal.name == "Exempelby kommun")
    world["region_p"] = Principal.get(Principal.name == "Region Exempelland")
    return world


def session_of(url: DatabaseUrl, user: User) -> Session:
    return Session(url=url, user=auth.user_for_database_login(user.login))  # as at a login


def context_of(url: DatabaseUrl, user: User, case: Case, *, today: dt.date) -> CaseContext:
    fresh = Case.get_by_id(case.id)
    return CaseContext(session=session_of(url, user), case=fresh,
                       contacts=people.contacts_of(fresh.person), today=today)


def open_wizard(qtbot: QtBot, url: DatabaseUrl, user: User, plan_id: int, *,
                today: dt.date = MEETING_DAY) -> DocumentationWizard:
    wizard = DocumentationWizard(session_of(url, user), plan_id, today=today, delay_ms=SAVE_MS)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    settle(qtbot)  # the plan is read in the background
    return wizard


def go_to(qtbot: QtBot, wizard: DocumentationWizard, page_id: int) -> None:
    """Click "Nästa >" / "< Tillbaka" until `page_id` shows (and what the page reads is
    there)."""
    while wizard.currentId() != page_id:
        which = (QWizard.WizardButton.NextButton if wizard.currentId() < page_id
                 else QWizard.WizardButton.BackButton)
        before = wizard.currentId()
        qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)
        assert wizard.currentId() != before, (
            f"stopped on page {before}: a required field is empty")
        settle(qtbot)


def replace_text(qtbot: QtBot, widget: QLineEdit | QPlainTextEdit, text: str) -> None:
    """Select all and type over it, like a user."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def type_lines(qtbot: QtBot, widget: QPlainTextEdit, text: str) -> None:
    """Type several lines (Enter between them: QTest has no key for a newline character)."""
    for index, line in enumerate(text.split("\n")):
        if index:
            qtbot.keyClick(widget, Qt.Key.Key_Return)
        type_text(qtbot, widget, line)


def stored(plan_id: int) -> plan.PlanVersion:
    return plan.get_version(plan_id)


def drive_dialog(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, dialog_class: type,
                 fill: Callable[[Any], None], *, seen: list[Any] | None = None) -> None:
    """Replace `dialog_class.ask` by one that builds the real dialog, lets `fill` type into it
    and presses its OK button: what the user would do, without a blocking exec()."""
    def ask(cls: type, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        dialog = cls(*args, parent=parent, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        fill(dialog)
        if seen is not None:
            seen.append(dialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        return dialog.result_value if accepted else None
    monkeypatch.setattr(dialog_class, "ask", classmethod(ask))
