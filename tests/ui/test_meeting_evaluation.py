"""Evaluating the meeting on screen (seed 002 "Utvärdera mötet", issue 14): from the Kallelse tab
of a held meeting the easy-read form is printed, the answers that come back on it are registered
in a dialog reached by the keyboard, and the tab shows each respondent's evaluation apart."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from sipdesk.accounts.audit import AuditEntry
from sipdesk.meetings import evaluation, invitation
from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.evaluation import MeetingEvaluation, RespondentKind
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import Case
from tests.ui.conftest import MessageLog, settle, type_text
from tests.ui.test_meeting_tab import AFTER, context, make_world, open_tab, send
from ui import file_output
from ui.case_tabs import meeting_tab
from ui.case_tabs.meeting_tab import MeetingTab
from ui.dialogs.meeting_evaluation import EvaluationDialog, FaceScale
from ui.session import Session


def held(session: Session) -> tuple[dict[str, Any], Meeting]:
    world = make_world(session)
    row = send(session, world)
    meetings.mark_held(session.user, row, {p.id: True for p in invitation.participants_of(row)},
                       current=AFTER)
    return world, Meeting.get_by_id(row.id)


def label(widget: Any, name: str) -> str:
    found = widget.findChild(QLabel, name)
    assert found is not None, name
    return str(found.text())


def click(qtbot: QtBot, widget: Any) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(8, widget.height() // 2))


def shown(qtbot: QtBot, dialog: EvaluationDialog) -> None:
    """On screen and active, so focus and the keyboard work as for the user."""
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow, timeout=3000)


def fill_in(qtbot: QtBot, dialog: EvaluationDialog, *, kind: RespondentKind,
            name: str = "", comment: str = "") -> None:
    """As the user does it from the form: who answered, the faces, the free text."""
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind.value))
    if name:
        type_text(qtbot, dialog.name, name)
    click(qtbot, dialog.scales["felt_before"].buttons[4])  # a mouse click on a face
    dialog.scales["listened"].buttons[0].setFocus()
    qtbot.keyClick(dialog.scales["listened"].buttons[0], Qt.Key.Key_5)  # the keyboard: 5
    # "understood" left unanswered; the arrow keys move along a row and choose.
    views = dialog.scales["views_counted"]
    views.buttons[2].setChecked(True)
    views.buttons[2].setFocus()
    qtbot.keyClick(views.buttons[2], Qt.Key.Key_Right)
    if comment:
        type_text(qtbot, dialog.comment, comment)


def save(qtbot: QtBot, dialog: EvaluationDialog) -> MeetingEvaluation:
    with qtbot.waitSignal(dialog.accepted, timeout=5000):
        qtbot.keyClick(dialog.comment, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        settle(qtbot)
    saved = dialog.result_value
    assert isinstance(saved, MeetingEvaluation)
    return saved


def test_print_the_form_then_register_the_answers_and_see_them_on_the_meeting_tab(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
    tmp_path: Path,
) -> None:
    """002 "Utvärdera mötet": the form goes home with the person; the answers are registered
    afterwards, and guardians' or representatives' evaluations are kept apart per respondent."""
    world, meeting = held(session)
    monkeypatch.setattr(meeting_tab, "clock", lambda: AFTER)
    tab = open_tab(qtbot, session, world["case"])
    box = tab.evaluations_box
    assert box.isVisible() and box.empty.isVisible()
    assert box.register_button.isEnabled() and box.print_button.isEnabled()

    # Print: where to save (the case number, never a name), written in the background.
    asked: list[str] = []

    def where(_parent: object, *, title: str, default_name: str, **_kw: object) -> Path:
        asked.append(default_name)
        return tmp_path / default_name

    monkeypatch.setattr(file_output.SaveFileDialog, "ask", classmethod(
        lambda cls, parent, **kw: where(parent, **kw)))
    opened: list[Path] = []
    monkeypatch.setattr(file_output, "open_file", opened.append)
    box.print_person_action.trigger()
    settle(qtbot)
    number = Case.get_by_id(world["case"].id).number
    assert asked == [f"utvardering-{number}.pdf"]
    pdf = tmp_path / asked[0]
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(
        io.BytesIO(pdf.read_bytes())).pages).split())
    assert "Hur var mötet?" in text
    for question in evaluation.QUESTIONS:
        assert question.adult in text
    assert message_log.shown[-1][1] == "Utvärderingsformuläret är sparat"
    assert opened == [pdf]  # "Öppna" (the confirm answered yes)
    assert AuditEntry.select().where(
        AuditEntry.summary == "Utvärderingsformuläret för mötet skrevs ut").count() == 1
    assert box.print_button.isEnabled()

    # The form came back: the user registers it through the tab's dialog.
    dialogs: list[EvaluationDialog] = []
    answers: list[dict[str, Any]] = [
        {"kind": RespondentKind.PERSON, "comment": "Bra att vi sågs hemma hos mig."},
        {"kind": RespondentKind.GUARDIAN, "name": "Karin Öberg"},
    ]

    def ask(_cls: object, parent: Any, user: Any, meeting_row: Meeting, **kwargs: Any) -> Any:
        dialog = EvaluationDialog(user, meeting_row, parent=parent, **kwargs)
        qtbot.addWidget(dialog)
        shown(qtbot, dialog)
        dialogs.append(dialog)
        fill_in(qtbot, dialog, **answers[len(dialogs) - 1])
        return save(qtbot, dialog)

    monkeypatch.setattr(EvaluationDialog, "ask", classmethod(ask))
    for _ in answers:
        with qtbot.waitSignal(tab.changed, timeout=5000):
            click(qtbot, box.register_button)
        tab.refresh(context(session, world["case"]))
        settle(qtbot)

    # Each respondent's evaluation apart, the person's first.
    assert not box.empty.isVisible()
    assert label(tab, "evaluation_0_respondent") == "Den enskilde"
    assert label(tab, "evaluation_1_respondent") == "Vårdnadshavare (Karin Öberg)"
    for index in (0, 1):
        assert label(tab, f"evaluation_{index}_felt_before") == "4 av 5 — Ja, ganska"
        assert label(tab, f"evaluation_{index}_listened") == "5 av 5 — Ja, helt"
        assert label(tab, f"evaluation_{index}_understood") == "Inget svar"
        assert label(tab, f"evaluation_{index}_views_counted") == "3 av 5 — Mittemellan"
    assert label(tab, "evaluation_0_comment") == "”Bra att vi sågs hemma hos mig.”"
    assert tab.findChild(QLabel, "evaluation_1_comment") is None
    assert label(tab, "evaluation_0_recorded").startswith("På blanketten · registrerad ")
    rows = evaluation.evaluations_of(meeting)
    assert [(r.kind, r.respondent_name) for r in rows] == [
        (RespondentKind.PERSON, ""), (RespondentKind.GUARDIAN, "Karin Öberg")]

    # The second dialog knew the person's evaluation: choosing the person again warns that
    # saving replaces it.
    second = dialogs[1]
    assert not second.warning.isVisibleTo(second)  # (the dialog is closed after its save)
    second.kind.setCurrentIndex(second.kind.findData(RespondentKind.PERSON.value))
    assert second.warning.isVisibleTo(second)
    assert second.warning.text().startswith("Den enskilde har redan lämnat en utvärdering")


def test_the_dialog_is_reached_by_the_keyboard_and_says_what_is_missing(
    sqlite_session: Session, qtbot: QtBot, tmp_path: Path,
) -> None:
    _world, meeting = held(sqlite_session)
    dialog = EvaluationDialog(sqlite_session.user, meeting)
    qtbot.addWidget(dialog)
    shown(qtbot, dialog)
    assert QApplication.focusWidget() is dialog.kind
    # The name is asked only of someone other than the person.
    assert not dialog.name.isVisible()
    dialog.kind.setCurrentIndex(dialog.kind.findData(RespondentKind.REPRESENTATIVE.value))
    assert dialog.name.isVisible()
    # Tab goes from the fields into each question's row of faces (one stop per row).
    dialog.kind.setFocus()
    stops = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        stops.append(QApplication.focusWidget().objectName())
    assert stops[:7] == ["respondent_name", "given_as", "felt_before_none", "listened_none",
                         "understood_none", "views_counted_none", "comment"]
    scale = dialog.scales["understood"]
    scale.buttons[0].setFocus()
    qtbot.keyClick(scale.buttons[0], Qt.Key.Key_Right)
    assert scale.value() == 1
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_4)
    assert scale.value() == 4 and QApplication.focusWidget() is scale.buttons[4]
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_0)
    assert scale.value() is None
    # Nothing answered: said under the questions, nothing saved.
    dialog.accept()
    assert dialog.form.error_text("answers") == evaluation.NOTHING_ANSWERED
    assert dialog.isVisible()
    # A free text too long is said at the field (the core's limit).
    dialog.comment.setPlainText("å" * 4001)
    assert dialog.form.error_text("comment") == "Texten får vara högst 4\u00a0000 tecken."
    dialog.comment.setPlainText("Jag ville inte svara på frågorna.")
    saved = save(qtbot, dialog)
    assert saved.respondent_kind == "representative"
    assert all(saved.answer(k) is None for k in evaluation.QUESTION_KEYS)


def test_a_child_reads_the_questions_in_a_childs_words(sqlite_session: Session,
                                                        qtbot: QtBot) -> None:
    _world, meeting = held(sqlite_session)
    dialog = EvaluationDialog(sqlite_session.user, meeting, child=True)
    qtbot.addWidget(dialog)
    assert dialog.question_labels["listened"].text() == "Lyssnade de vuxna på dig?"
    dialog.kind.setCurrentIndex(dialog.kind.findData(RespondentKind.GUARDIAN.value))
    assert dialog.question_labels["listened"].text() == "Kände du att de andra lyssnade på dig?"


def test_the_free_text_box_is_named_by_the_printed_forms_heading(sqlite_session: Session,
                                                                 qtbot: QtBot) -> None:
    """The placeholder quotes the box on the paper the answers came on: a child's form asks
    "Vill du berätta något mer?", a guardian's and an adult's "Vill du säga något mer om
    mötet?" (it said "Vill du säga något mer?", on neither form)."""
    _world, meeting = held(sqlite_session)
    dialog = EvaluationDialog(sqlite_session.user, meeting, child=True)
    qtbot.addWidget(dialog)
    assert dialog.comment.placeholderText() == "Det som skrevs i rutan ”Vill du berätta något mer?”"
    dialog.kind.setCurrentIndex(dialog.kind.findData(RespondentKind.GUARDIAN.value))
    assert dialog.comment.placeholderText() == (
        "Det som skrevs i rutan ”Vill du säga något mer om mötet?”")
    adult = EvaluationDialog(sqlite_session.user, meeting, child=False)
    qtbot.addWidget(adult)
    assert adult.comment.placeholderText() == (
        "Det som skrevs i rutan ”Vill du säga något mer om mötet?”")


def test_the_box_shows_only_for_a_held_meeting_and_not_to_change_an_ended_case(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    world = make_world(sqlite_session)
    send(sqlite_session, world)
    tab = open_tab(qtbot, sqlite_session, world["case"])
    assert not tab.evaluations_box.isVisible()
    row = invitation.current_meeting(world["case"])
    assert row is not None
    meetings.mark_held(sqlite_session.user, row,
                       {p.id: True for p in invitation.participants_of(row)},
                       current=AFTER)
    from sipdesk.casework import lifecycle
    from sipdesk.casework.lifecycle import ClosureReason

    lifecycle.close_case(sqlite_session.user, Case.get_by_id(world["case"].id),
                         closed_on=AFTER.date(), reason=ClosureReason.GOALS_MET,
                         today=AFTER.date() + dt.timedelta(days=1))
    tab.refresh(context(sqlite_session, world["case"]))
    settle(qtbot)
    assert isinstance(tab, MeetingTab)
    assert tab.evaluations_box.isVisible()
    assert not tab.evaluations_box.register_button.isEnabled()
    assert tab.evaluations_box.print_button.isEnabled()  # a form may still be printed
    scale = FaceScale("x")
    qtbot.addWidget(scale)
    assert scale.value() is None


def child_held(session: Session) -> tuple[dict[str, Any], Meeting]:
    """A held meeting about a child (Liv, 9): her mother, with sole custody, consented."""
    from sipdesk import clock
    from sipdesk.casework import consent, guardians
    from sipdesk.casework.guardians import GuardianInput
    from sipdesk.storage.models import Custody, Principal
    from tests.factories import PNR_CHILD, make_case, make_person

    world = make_world(session)
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    eva = guardians.add_guardian(session.user, child, GuardianInput(
        "Eva Åkesson", Custody.SOLE, phone="070-111 22 33"))
    case = make_case(session.user, child)
    consent.register_consent(session.user, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Samordning",
        principals=list(Principal.select()), guardians=[eva]))
    world["case"] = Case.get_by_id(case.id)
    row = send(session, world)
    meetings.mark_held(session.user, row, {p.id: True for p in invitation.participants_of(row)},
                       current=AFTER)
    return world, Meeting.get_by_id(row.id)


def test_a_childs_evaluation_is_barnet_on_the_tab_in_the_dialog_and_in_the_print_menu(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seed 002 "Utvärdera mötet" ("eftersträva att det är den enskilde som lämnar sin
    utvärdering"): for a child the person is "Barnet" everywhere the evaluation speaks of them —
    the tab's words, the print menu ("Till barnet"), the dialog's choice of who answered, its
    warning, and the registered evaluation on the tab — never "Den enskilde"."""
    world, meeting = child_held(sqlite_session)
    monkeypatch.setattr(meeting_tab, "clock", lambda: AFTER)
    tab = open_tab(qtbot, sqlite_session, world["case"])
    box = tab.evaluations_box
    assert box.print_person_action.text() == "Till barnet"
    assert label(box, "evaluations_intro").startswith("Efter mötet får barnet berätta")
    assert "barnet" in box.print_button.toolTip()

    dialogs: list[EvaluationDialog] = []

    def ask(_cls: object, parent: Any, user: Any, meeting_row: Meeting, **kwargs: Any) -> Any:
        dialog = EvaluationDialog(user, meeting_row, parent=parent, **kwargs)
        qtbot.addWidget(dialog)
        shown(qtbot, dialog)
        dialogs.append(dialog)
        assert dialog.kind.itemText(dialog.kind.findData(RespondentKind.PERSON.value)) == (
            "Barnet")
        assert "Barnets svar" in dialog.intro.text()
        fill_in(qtbot, dialog, kind=RespondentKind.PERSON, comment="Det var bra.")
        return save(qtbot, dialog)

    monkeypatch.setattr(EvaluationDialog, "ask", classmethod(ask))
    with qtbot.waitSignal(tab.changed, timeout=5000):
        click(qtbot, box.register_button)
    tab.refresh(context(sqlite_session, world["case"]))
    settle(qtbot)
    assert label(tab, "evaluation_0_respondent") == "Barnet"
    again = EvaluationDialog(sqlite_session.user, meeting, existing=evaluation.evaluations_of(
        meeting), child=True)
    qtbot.addWidget(again)
    assert again.warning.text().startswith("Barnet har redan lämnat en utvärdering")
    assert AuditEntry.select().where(AuditEntry.summary.endswith(": barnet")).count() == 1
    texts = [w.text() for w in box.findChildren(QLabel)] + [
        a.text() for a in box.print_button.menu().actions()]
    assert not [t for t in texts if "den enskilde" in t.casefold()]
