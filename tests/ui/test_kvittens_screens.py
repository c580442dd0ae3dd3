"""Kvittens on the screens (issue 16, issue 10): a reopened plan asks the other approver again on
Att göra without the stale "Kvittera: Planen är godkänd"; the inbox says who has not acknowledged
and for how long; answering a kallelse is its kvittens (Ctrl+K then has nothing left to do); a
message in an ended case is marked "avslutat ärende"; "Avstå från SIP" says who was told and
offers the letter to the person (DOMAIN step 1)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason, NeedInput, NoticedBy
from sipdesk.meetings import invitation
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder, Message, MessageKind
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, CaseStatus
from tests.core.test_plan import approve_all, fill_plan
from tests.scenarios import NOW, good_draft, kallelse_world
from tests.ui.conftest import MessageLog, settle, type_text
from tests.ui.documentation_support import drive_dialog, session_of, world_with_plan
from tests.ui.test_plan_tab import click, show_tab
from ui import file_output
from ui.case_tabs import actions
from ui.dialogs.case_dialogs import RefusalDialog
from ui.dialogs.plan_reason import ReopenDialog
from ui.file_output import SaveFileDialog
from ui.inbox.model import STATUS
from ui.inbox.view import InboxView
from ui.todo.model import WHAT
from ui.todo.view import TodoView

SHOTS = Path("/tmp/shots")


def shot(widget: QWidget, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def todo_texts(view: TodoView) -> list[str]:
    model = view.model
    return [model.data(model.index(r, WHAT)) for r in range(model.rowCount())]


def test_reopening_asks_the_other_approver_again_on_todo(
        qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """DOMAIN step 9: after reopening, each principal approves again — Att göra says so, and
    the overtaken "Planen är godkänd" no longer waits for a kvittens."""
    world = world_with_plan()
    approve_all(world, fill_plan(world))
    nurse = world["nurse"]
    tab = show_tab(qtbot, db_url, world["officer"], world["case"])
    drive_dialog(monkeypatch, qtbot, ReopenDialog,
                 lambda dialog: type_text(qtbot, dialog.reason, "Fel tid för duschen"))
    click(qtbot, tab.reopen_button)

    for user in (nurse, world["manager"]):
        view = TodoView(session_of(db_url, user))
        qtbot.addWidget(view)
        view.resize(900, 320)
        view.show()
        settle(qtbot)  # what waits is read in the background
        texts = todo_texts(view)
        assert "Godkänn planen igen (version 1)" in texts, user.full_name
        assert not any("Planen är godkänd" in t for t in texts), texts
        assert any(t.startswith("Kvittera: Planen är öppnad igen") for t in texts)
        row = texts.index("Godkänn planen igen (version 1)")
        tip = view.model.data(view.model.index(row, WHAT), Qt.ItemDataRole.ToolTipRole)
        assert "Fel tid för duschen" in tip
    shot(view, "todo_after_reopen")


@pytest.fixture
def invited(sqlite_db: peewee.Database, tmp_path: Path) -> dict:
    world = kallelse_world()
    world["meeting"] = invitation.send_invitation(world["officer"], world["case"],
                                                  good_draft(world), current=NOW)
    world["kallelse"] = Message.get(Message.kind == MessageKind.INVITATION.value)
    world["url"] = DatabaseUrl(Engine.SQLITE, path=Path(str(sqlite_db.database)))
    return world


def inbox_for(qtbot: QtBot, world: dict, who: str) -> InboxView:
    view = InboxView(session_of(world["url"], world[who]))
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    settle(qtbot)  # the count and first page are read in the background
    return view


def label(view: InboxView, name: str) -> str:
    found = view.pane.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def test_the_sender_sees_who_has_not_acknowledged_and_for_how_long(
        qtbot: QtBot, invited: dict, time_machine: time_machine.TimeMachineFixture) -> None:
    messaging.acknowledge(invited["manager"], invited["kallelse"].id)
    time_machine.move_to(dt.datetime(2026, 11, 25, 9, tzinfo=clock.STOCKHOLM))
    view = inbox_for(qtbot, invited, "officer")
    view.show_message(invited["kallelse"].id)
    settle(qtbot)
    assert view.current_folder() is Folder.AWAITING_OTHERS
    assert label(view, "ack_summary") == "1 av 2 har kvitterat"
    assert label(view, "ack_waiting") == \
        "1 av 2 har kvitterat · inte kvitterat: Per Nord (3 dagar)"
    model = view.model
    row = model.row_of_message(invited["kallelse"].id)
    assert row is not None
    tip = model.data(model.index(row, STATUS), Qt.ItemDataRole.ToolTipRole)
    assert "inte kvitterat: Per Nord (3 dagar)" in tip
    shot(view, "inbox_who_has_not_acknowledged")


def test_answering_the_kallelse_acknowledges_it_and_ctrl_k_has_nothing_left(
        qtbot: QtBot, invited: dict, message_log: MessageLog) -> None:
    view = inbox_for(qtbot, invited, "nurse")
    view.show_message(invited["kallelse"].id)
    settle(qtbot)
    assert view.acknowledge_action.isEnabled()
    qtbot.mouseClick(view.pane.coming_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the message is read again in the background
    assert label(view, "my_ack_state") == "✓ Du har kvitterat meddelandet."
    assert not view.acknowledge_action.isEnabled()
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert message_log.shown == []  # no error, nothing to do
    assert messaging.badge(invited["nurse"]).unacknowledged == 0


def test_a_message_in_an_ended_case_is_marked_and_asks_no_kvittens(
        qtbot: QtBot, invited: dict) -> None:
    lifecycle.close_case(invited["officer"], Case.get_by_id(invited["case"].id),
                         closed_on=clock.today(), reason=ClosureReason.NO_MORE_NEED)
    view = inbox_for(qtbot, invited, "nurse")
    view.show_message(invited["kallelse"].id)
    settle(qtbot)
    assert label(view, "case_closed") == "avslutat ärende"
    assert label(view, "ack_ended") == "Behöver inte kvitteras längre: Ärendet är avslutat."
    assert not view.acknowledge_action.isEnabled()
    assert view.pane.findChild(QLabel, "my_answer_state") is None  # no answering any more
    view.set_folder(Folder.INBOX)
    settle(qtbot)
    model = view.model
    row = model.row_of_message(invited["kallelse"].id)
    assert row is not None
    assert model.data(model.index(row, STATUS)) == "Avslutat ärende"
    shot(view, "inbox_ended_case")


def test_refraining_from_a_sip_tells_who_was_told_and_prints_the_letter(
        qtbot: QtBot, sqlite_db: peewee.Database, tmp_path: Path, message_log: MessageLog,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """DOMAIN step 1: refraining only by exception, the reason documented; the one who raised
    the need hears of it, and the person gets a letter saying whom to call."""
    world = kallelse_world()
    url = DatabaseUrl(Engine.SQLITE, path=Path(str(sqlite_db.database)))
    lifecycle.register_need(world["officer"], world["case"], NeedInput(
        noticed_by=NoticedBy.STAFF, noticed_by_user=world["manager"], noticed_on=clock.today(),
        need="Rädd att vara ensam", question="Hur samordnas stödet?"))
    session = session_of(url, world["officer"])
    assert actions.BUTTON_TEXT[lifecycle.Action.REFUSE] == "Avstå från SIP…"
    dialog = RefusalDialog(session, Case.get_by_id(world["case"].id))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.windowTitle() == "Avstå från SIP"
    texts = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert "Neka" not in texts and ".)." not in texts
    shot(dialog, "refusal_dialog")
    type_text(qtbot, dialog.reason, "Stödet samordnas redan i en annan plan.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    done = dialog.result_value
    assert isinstance(done, lifecycle.Refusal)
    assert done.case.status == CaseStatus.REFUSED.value

    target = tmp_path / "brev.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a, **k: target))
    opened: list[Path] = []
    monkeypatch.setattr(file_output, "open_file", opened.append)
    actions.after_refusal(dialog, done, user=session.user)
    first = message_log.texts()[0]
    assert "Maria Holm har fått ett meddelande om det, att kvittera." in first
    assert "brev till den enskilde" in first
    qtbot.waitUntil(lambda: opened == [target], timeout=10000)
    assert target.stat().st_size > 0
