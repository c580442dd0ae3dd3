"""A child's SIP from the need to the approved plan and the meeting's evaluation, as its users
do it in the main window (issue 14, "Done when"; seed 002, DOMAIN.md "Children").

Anna Berg (biståndshandläggare, the municipality) registers the case for Malte, twelve, and
the need; adds his two guardians with joint custody; records both guardians' consents, each
for themselves, and Malte's own view; calls the meeting with the region (Per Nord, the health
centre) and Malte's school (Sara Lärare, without an account); marks it held; writes the plan
with "Barnets egna ord"; the school's part is finished and approved by her on its behalf, the
region's by Per Nord in his own window. Then she prints the easy-read evaluation form for
Malte, and a week later registers the answers that came back on it. Along the way: what Att
göra and the overview's next step tell each of them.

Every step goes through the real dialogs and wizards, driven with qtbot; only the `ask(...)`
classmethods (the blocking exec()), the file dialog and the message boxes (recorded by
tests/ui/conftest.py) are replaced, as in the other GUI tests. The world around the case — the
users, their units and the school in Kontakter — is set up as an administrator left it.

The clock is frozen with time-machine at Monday 1 February 2027 and moved forward as the story
goes; nothing reads the real date.
"""

from __future__ import annotations

import datetime as dt
import io
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QCheckBox,
    QDialog,
    QLabel,
    QPushButton,
    QRadioButton,
    QWidget,
    QWizard,
)
from pytestqt.qtbot import QtBot

from sipdesk.accounts import auth
from sipdesk.casework import consent, contacts, guardian_answers, guardians, lifecycle
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.clock import STOCKHOLM
from sipdesk.meetings import evaluation, invitation
from sipdesk.meetings.evaluation import RespondentKind
from sipdesk.meetings.invitation import Answer
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import AskedWay
from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    Law,
    Person,
    Principal,
    PrincipalKind,
    Role,
    User,
)
from tests.factories import make_unit, make_user
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from ui import file_output
from ui.case_tabs.consent_tab import ConsentTab
from ui.case_tabs.meeting_tab import MeetingTab
from ui.case_tabs.overview import OverviewTab
from ui.case_tabs.plan_tab import PlanTab
from ui.case_view import CaseView
from ui.dialogs.case_dialogs import NeedDialog
from ui.dialogs.child_feedback import ChildFeedbackDialog
from ui.dialogs.consent_dialogs import ConsentDialog
from ui.dialogs.guardian_dialog import GuardianDialog
from ui.dialogs.meeting_answer import AnswerDialog
from ui.dialogs.meeting_evaluation import EvaluationDialog
from ui.dialogs.meeting_held import MeetingHeldDialog
from ui.dialogs.new_case import NewCaseDialog
from ui.dialogs.plan_intervention import InterventionDialog
from ui.dialogs.plan_reason import ChoosePrincipalDialog
from ui.main_window import TODO_ROW, MainWindow
from ui.session import Session
from ui.todo.model import WHAT
from ui.wizards.documentation import DocumentationWizard
from ui.wizards.kallelse import KallelseWizard

# A Skatteverket test personal number: a boy of twelve in 2027. Fictional names throughout.
PNR_MALTE = "20140602-2390"
DAY_ONE = dt.datetime(2027, 2, 1, 9, 0, tzinfo=STOCKHOLM)  # a Monday
MEETING = dt.datetime(2027, 2, 16, 10, 0)  # sent on 2 February: two weeks on, 10:00
PURPOSE = "Hur kan skolan, vårdcentralen och kommunen hjälpa Malte att orka hela skoldagen?"
COVERS = "Samordning av stödet i skolan, från vårdcentralen och från kommunen"
SAVE_MS = 30
SETTLE_MS = 60_000  # a slow, shared machine (and faketime) may take a while for a wizard
child_voice_todo = "Återkoppla till barnet: berätta vad barnets röst betydde för planen"


def snap(widget: QWidget, name: str) -> None:
    """Saved as `name`.png in the folder SIPDESK_SCREENSHOTS names (to look at by hand)."""
    folder = os.environ.get("SIPDESK_SCREENSHOTS")
    if folder:
        QApplication.processEvents()
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"e2e_{name}.png"))


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a button, or a check box or radio button on its indicator; wait for what it
    started in the background."""
    assert button.isEnabled(), (button.text(), button.toolTip())
    if isinstance(button, (QCheckBox, QRadioButton)):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(7, button.height() // 2))
    else:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    # A click may open a whole wizard when what it read arrives (the plan's "Börja
    # dokumentera"): that read counts as pending until the wizard is closed again.
    settle(qtbot, timeout=SETTLE_MS)


def replace_text(qtbot: QtBot, widget: Any, text: str) -> None:
    """Select what the field holds and type over it, like a user."""
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    type_text(qtbot, widget, text)


def named(widget: QWidget, kind: type, name: str) -> Any:
    found = widget.findChild(kind, name)
    assert found is not None, name
    return found


def text_of(widget: QWidget, name: str) -> str:
    return str(named(widget, QLabel, name).text())


def drive(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot, cls: type,
          fill: Callable[[Any], None], *, seen: list[Any] | None = None) -> None:
    """`cls.ask` builds the real dialog, `fill` types into it like a user, and its OK button is
    clicked: what the user does, without the blocking exec()."""
    def ask(klass: type, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        dialog = klass(*args, parent=parent, **kwargs)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        fill(dialog)
        if seen is not None:
            seen.append(dialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot, timeout=SETTLE_MS)
        assert dialog.result() == QDialog.DialogCode.Accepted, (
            {n: dialog.form.error_text(n) for n in dialog.form.errors}
            if hasattr(dialog, "form") else "")
        value = dialog.result_value
        dialog.setParent(None)  # gone from the parent's children, as after exec()
        dialog.deleteLater()
        return value

    monkeypatch.setattr(cls, "ask", classmethod(ask))


# ---- the world an administrator left ------------------------------------------------------------


@pytest.fixture
def url(db: peewee.Database, db_url: DatabaseUrl) -> DatabaseUrl:
    """The story on SQLite and on PostgreSQL: what each step saves is stored on both."""
    return db_url


def the_world() -> dict[str, Any]:
    """Anna Berg (Biståndsenheten, the municipality, SoL), Per Nord (the health centre, the
    region, HSL) and, entered in Kontakter by the administrator Ida Admin, Malte's school:
    Exempelskolan under the municipality's education department (a principal of its own, kind
    "other", skollagen), with his mentor Sara Lärare."""
    officer = make_user("anna.berg", unit=make_unit("Biståndsenheten"), full_name="Anna Berg",
                        role=Role.CASE_OFFICER)
    nurse = make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    admin = make_user("ida.admin", unit=make_unit("Kansliet"), full_name="Ida Admin",
                      role=Role.ADMINISTRATOR)
    school_principal = contacts.ensure_principal("Exempelby kommun, utbildningsförvaltningen",
                                                 PrincipalKind.OTHER)
    school = contacts.add_organisation(admin, name="Exempelskolan", principal=school_principal,
                                       kind=OrganisationKind.SCHOOL, law=Law.SCHOOL,
                                       phone="0000-55 55 55",
                                       address="Skolvägen 1, 123 45 Exempelby")
    teacher = contacts.add_contact(admin, school, name="Sara Lärare", role="Mentor",
                                   phone="0000-55 55 56")
    return {"officer": officer, "nurse": nurse, "school_principal": school_principal,
            "teacher": teacher,
            "kommun": Principal.get(Principal.name == "Exempelby kommun"),
            "region": Principal.get(Principal.name == "Region Exempelland")}


def window_for(qtbot: QtBot, url: DatabaseUrl, user: User) -> MainWindow:
    """The main window after `user` logged in, with Att göra and the inbox read."""
    window = MainWindow(Session(url=url, user=auth.user_for_database_login(user.login)))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.todo.loaded and window.inbox.loaded, timeout=20_000)
    settle(qtbot, timeout=SETTLE_MS)
    window.live.stop()  # what follows shows because the window refreshes, not by polling
    return window


def todo_texts(qtbot: QtBot, window: MainWindow, *, live: bool = False) -> list[str]:
    """Att göra as the user sees it. What the window's own user saved shows at once (the
    window refreshes it); what someone else saved in another window arrives with the live
    update (`live`: read it again, as that update does — the test stops the timer)."""
    window.navigation.setCurrentRow(TODO_ROW)
    if live:
        window.todo.refresh()
    settle(qtbot, timeout=SETTLE_MS)
    model = window.todo.model
    return [model.row(r).what for r in range(model.rowCount())]  # type: ignore[union-attr]


def case_view(qtbot: QtBot, window: MainWindow, case_id: int, tab: str = "") -> CaseView:
    """Open the case as from the list (the opening is logged); the view on screen, read."""
    window.open_case(case_id, tab=tab)
    qtbot.waitUntil(lambda: window.case_view is not None
                    and window.case_view.case_id == case_id, timeout=20_000)
    settle(qtbot, timeout=SETTLE_MS)
    view = window.case_view
    assert view is not None
    return view


def next_step(qtbot: QtBot, view: CaseView) -> str:
    """Översikt's next step, as the user sees it (back on "Ärenden" from Att göra)."""
    window = view.window()
    if isinstance(window, MainWindow):
        window.navigation.setCurrentRow(0)
    overview = shown_tab(qtbot, view, OverviewTab)
    return text_of(overview, "next_step")


def travel(time_machine: Any, when: dt.datetime) -> None:
    """Move the frozen clock on (never back): the story's next day."""
    time_machine.move_to(when.replace(tzinfo=STOCKHOLM) if when.tzinfo is None else when)


def wizard_next(qtbot: QtBot, wizard: QWizard, which: QWizard.WizardButton =
                QWizard.WizardButton.NextButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot, timeout=SETTLE_MS)


def add_participant(qtbot: QtBot, wizard: KallelseWizard, search: str) -> None:
    """Type in the participant search; Enter adds the single match."""
    page = wizard.participants_page
    replace_text(qtbot, page.search, search)
    qtbot.waitUntil(lambda: not page.searching and page.results_model.rowCount() == 1,
                    timeout=20_000)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)


def drive_kallelse(qtbot: QtBot, wizard: KallelseWizard) -> None:
    """Purpose, the region and the school, the proposed time, Teams for the staff meeting,
    send."""
    W = KallelseWizard
    replace_text(qtbot, wizard.purpose_page.purpose, PURPOSE)
    wizard_next(qtbot, wizard)
    assert wizard.currentId() == W.PARTICIPANTS
    table = wizard.participants_page.table
    # The child, the convener and both guardians from the start (seed 002).
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [
        "Malte Sjöberg", "Anna Berg", "Hanna Sjöberg", "Jonas Sjöberg"]
    add_participant(qtbot, wizard, "per nord")
    add_participant(qtbot, wizard, "sara")
    snap(wizard, "03_kallelse_participants")
    wizard_next(qtbot, wizard)
    assert wizard.currentId() == W.TIME_PLACE, wizard.participants_page.error.text()
    wizard_next(qtbot, wizard)
    assert wizard.currentId() == W.STAFF_MEETING
    replace_text(qtbot, wizard.staff_page.place, "Teams")
    wizard_next(qtbot, wizard)
    assert wizard.currentId() == W.REVIEW
    summary = wizard.review_page.summary.text()
    assert "<b>Sara Lärare</b> — Mentor, Exempelskolan" in summary
    assert "<b>Per Nord</b>" in summary and "<b>Hanna Sjöberg</b> — Vårdnadshavare" in summary
    snap(wizard, "04_kallelse_review")
    with qtbot.waitSignal(wizard.sent, timeout=20_000):
        wizard_next(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == W.SENT
    snap(wizard, "05_kallelse_sent")
    wizard_next(qtbot, wizard, QWizard.WizardButton.FinishButton)


# ---- the story ----------------------------------------------------------------------------------


def test_a_childs_sip_from_the_need_to_the_approved_plan_and_the_evaluation(
        qtbot: QtBot, url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch,
        message_log: MessageLog, time_machine: Any, tmp_path: Path) -> None:
    """Seed 002 whole: both guardians consent, each for themselves; the child's view beside
    it; the school invited as a participant of its own; the child's own words in the plan;
    every principal approves; the child evaluates the meeting on the printed form."""
    travel(time_machine, DAY_ONE)
    world = the_world()
    officer, nurse = world["officer"], world["nurse"]
    anna = window_for(qtbot, url, officer)
    anna.resize(1280, 860)

    # ---- 1. The case and the need ------------------------------------------------------------
    def new_case(dialog: NewCaseDialog) -> None:
        click(qtbot, dialog.new_radio)
        for name, text in (("personal_number", PNR_MALTE), ("first_name", "Malte"),
                           ("last_name", "Sjöberg"), ("address", "Björkvägen 3"),
                           ("postal_code", "123 45"), ("city", "Exempelby"),
                           ("phone", "070-100 20 30")):
            type_text(qtbot, dialog.fields[name], text)
        click(qtbot, dialog.picture_support)
        assert dialog.create_button.isEnabled(), dialog.hint.text()

    def ask_new_case(_cls: type, parent: QWidget | None, session: Session,
                     users: list[User]) -> Case | None:
        dialog = NewCaseDialog(session, users, parent)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        new_case(dialog)
        with qtbot.waitSignal(dialog.accepted, timeout=20_000):  # created in the background
            qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
        return dialog.created_case

    monkeypatch.setattr(NewCaseDialog, "ask", classmethod(ask_new_case))
    anna.new_case_action.trigger()  # Ctrl+N
    qtbot.waitUntil(lambda: anna.case_view is not None, timeout=20_000)
    settle(qtbot, timeout=SETTLE_MS)
    view = anna.case_view
    assert view is not None
    case_id = view.case_id
    case_number = view.context.case.number
    child = Person.get(Person.personal_number == PNR_MALTE)
    assert child.full_name == "Malte Sjöberg"
    assert view.status_badge.text() == CaseStatus.NEED_REGISTERED.label
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "paper_note_0").startswith("Malte (12 år) får egna brev")
    assert "samtycke" in text_of(overview, "next_step")
    assert not named(overview, QPushButton, "action_invite").isEnabled()  # consent first

    def need(dialog: NeedDialog) -> None:
        assert dialog.noticed_by() is lifecycle.NoticedBy.STAFF  # Anna herself, today
        type_text(qtbot, dialog.need, "Jag är trött i skolan och har ont i magen på morgnarna.")
        type_text(qtbot, dialog.question, "Hur kan vi hjälpa Malte att orka hela skoldagen?")

    drive(monkeypatch, qtbot, NeedDialog, need)
    click(qtbot, named(overview, QPushButton, "edit_need"))
    settle(qtbot, timeout=SETTLE_MS)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "need") == (
        "Jag är trött i skolan och har ont i magen på morgnarna.")
    stored_need = lifecycle.need_of(Case.get_by_id(case_id))
    assert stored_need is not None and stored_need.noticed_on == DAY_ONE.date()

    # ---- 2. Two guardians with joint custody ----------------------------------------------------
    def mother(dialog: GuardianDialog) -> None:
        type_text(qtbot, dialog.fields["contact_name"], "Hanna Sjöberg")
        type_text(qtbot, dialog.fields["relation"], "mamma")
        type_text(qtbot, dialog.fields["phone"], "070-111 22 33")
        type_text(qtbot, dialog.fields["address"], "Björkvägen 3, 123 45 Exempelby")

    def father(dialog: GuardianDialog) -> None:
        type_text(qtbot, dialog.fields["contact_name"], "Jonas Sjöberg")
        type_text(qtbot, dialog.fields["relation"], "pappa")
        type_text(qtbot, dialog.fields["phone"], "070-444 55 66")
        type_text(qtbot, dialog.fields["address"], "Tallstigen 9, 123 46 Exempelby")
        assert dialog.custody.currentData() == "joint"

    for fill in (mother, father):
        drive(monkeypatch, qtbot, GuardianDialog, fill)
        click(qtbot, named(overview, QPushButton, "add_guardian"))
        overview = shown_tab(qtbot, view, OverviewTab)
    hanna, jonas = guardians.guardians_of(child)
    assert [(g.name, g.custody) for g in (hanna, jonas)] == [
        ("Hanna Sjöberg", "joint"), ("Jonas Sjöberg", "joint")]
    assert text_of(overview, "contact_0").startswith("Hanna Sjöberg (mamma), gemensam vårdnad")
    assert not named(overview, QPushButton, "add_guardian").isEnabled()  # two is the most
    snap(view, "01_overview_guardians")

    # ---- 3. Both guardians' consents, one at a time, and Malte's own view ------------------------
    consent_button = named(overview, QPushButton, "action_give_consent")

    def mother_says_yes(dialog: ConsentDialog) -> None:
        # Proposed from the need's question; Anna writes what the family agreed to.
        assert dialog.covers.toPlainText() == "Hur kan vi hjälpa Malte att orka hela skoldagen?"
        replace_text(qtbot, dialog.covers, COVERS)
        click(qtbot, named(dialog, QCheckBox, f"principal_{world['school_principal'].id}"))
        assert named(dialog, QCheckBox, f"principal_{world['region'].id}").isChecked()
        click(qtbot, named(dialog, QRadioButton, f"guardian_{hanna.id}_yes"))
        assert dialog.ok_button.text() == "Spara svaren"  # Jonas has not answered yet

    drive(monkeypatch, qtbot, ConsentDialog, mother_says_yes)
    click(qtbot, consent_button)
    assert Case.get_by_id(case_id).status == CaseStatus.NEED_REGISTERED.value
    assert list(guardian_answers.pending_answers(Case.get_by_id(case_id))) == [hanna.id]

    travel(time_machine, DAY_ONE + dt.timedelta(days=1, hours=2))  # Jonas calls back
    view = case_view(qtbot, anna, case_id)
    overview = shown_tab(qtbot, view, OverviewTab)

    def father_says_yes_and_malte_speaks(dialog: ConsentDialog) -> None:
        assert named(dialog, QRadioButton, f"guardian_{hanna.id}_yes").isChecked()
        # What Anna typed with the first answer is kept: the question agreed and the school.
        assert dialog.covers.toPlainText() == COVERS
        assert named(dialog, QCheckBox, f"principal_{world['school_principal'].id}").isChecked()
        click(qtbot, named(dialog, QRadioButton, f"guardian_{jonas.id}_yes"))
        how = named(dialog, QWidget, f"guardian_{jonas.id}_how")
        how.setCurrentIndex(how.findData("written"))
        type_text(qtbot, dialog.child_view, "Malte vill att mötet är i skolan och att "
                                            "mamma och pappa är med.")
        assert dialog.ok_button.text() == "Registrera samtycket"
        snap(dialog, "02_consent_both_guardians")

    drive(monkeypatch, qtbot, ConsentDialog, father_says_yes_and_malte_speaks)
    click(qtbot, named(overview, QPushButton, "action_give_consent"))
    given = consent.active_consent(Case.get_by_id(case_id))
    assert given is not None
    assert [g.name for g in consent.guardians_who_consented(given)] == [
        "Hanna Sjöberg", "Jonas Sjöberg"]
    assert given.child_view.startswith("Malte vill att mötet är i skolan")
    assert Case.get_by_id(case_id).status == CaseStatus.CONSENT_GIVEN.value
    tab = shown_tab(qtbot, view, ConsentTab)
    lines = text_of(tab, "consent_guardians").splitlines()
    assert lines[0].startswith("Hanna Sjöberg samtycker (")
    assert lines[1].startswith("Jonas Sjöberg samtycker (skriftligt")
    assert text_of(tab, "consent_child_view").startswith("Malte vill att mötet är i skolan")
    assert next_step(qtbot, view) == ("Allt som behövs för att kalla till SIP-möte finns. "
                                      "Kalla till möte.")

    # ---- 4. The kallelse: the region and the school ----------------------------------------------
    sent: list[Any] = []

    def ask_kallelse(_cls: type, parent: QWidget | None, session: Session, case: Case, *,
                     follow_up: bool = False) -> Any:
        wizard = KallelseWizard.prepare(parent, session, case, follow_up=follow_up)
        assert wizard is not None
        wizard.start()
        wizard.show()
        qtbot.waitExposed(wizard)
        wizard.resize(1000, 760)
        drive_kallelse(qtbot, wizard)
        sent.append(wizard.meeting)
        wizard.setParent(None)  # gone, as after exec()
        wizard.deleteLater()
        return sent[-1]

    monkeypatch.setattr(KallelseWizard, "ask", classmethod(ask_kallelse))
    overview = shown_tab(qtbot, view, OverviewTab)
    click(qtbot, named(overview, QPushButton, "action_invite"))
    assert sent and sent[0] is not None
    meeting = invitation.current_meeting(Case.get_by_id(case_id))
    assert meeting is not None and meeting.starts_at == MEETING
    assert Case.get_by_id(case_id).status == CaseStatus.INVITED.value
    invited = {p.name: p for p in invitation.participants_of(meeting)}
    assert {"Malte Sjöberg", "Hanna Sjöberg", "Jonas Sjöberg", "Per Nord",
            "Sara Lärare"} <= set(invited)
    assert invited["Sara Lärare"].principal_id == world["school_principal"].id
    assert next_step(qtbot, view) == ("SIP-mötet är 2027-02-16 kl. 10.00. Markera det som "
                                      "hållet när det har ägt rum. Det görs på fliken Kallelse.")
    # Per Nord is asked to acknowledge it; Anna is reminded of those without an account.
    per = window_for(qtbot, url, nurse)
    assert todo_texts(qtbot, per) == [
        f"Kvittera: Kallelse till SIP-möte 2027-02-16 ({case_number})"]
    assert todo_texts(qtbot, anna) == ["2 av 6 har inte svarat på kallelsen till 2027-02-16",
                                       "Ring eller skicka brev till 4 deltagare utan konto"]
    view = case_view(qtbot, anna, case_id, tab="Kallelse")
    meeting_tab = shown_tab(qtbot, view, MeetingTab)
    calls = meeting_tab.calls
    for row in range(calls.rowCount()):  # Anna has called or written to each of them
        item = calls.item(row, 0)
        rect = calls.visualItemRect(item)
        qtbot.mouseClick(calls.viewport(), Qt.MouseButton.LeftButton,
                         pos=QPoint(rect.left() + 10, rect.center().y()))
        settle(qtbot, timeout=SETTLE_MS)
        assert calls.item(row, 0).checkState() == Qt.CheckState.Checked, row
    assert todo_texts(qtbot, anna) == ["2 av 6 har inte svarat på kallelsen till 2027-02-16"]

    # Sara Lärare says on the phone that she comes: Anna registers it.
    row = next(r for r in range(meeting_tab.model.rowCount())
               if meeting_tab.model.index(r, 0).data() == "Sara Lärare")
    meeting_tab.table.selectRow(row)

    def sara_comes(dialog: AnswerDialog) -> None:
        assert dialog.radios[Answer.COMING].isChecked()  # proposed

    drive(monkeypatch, qtbot, AnswerDialog, sara_comes)
    click(qtbot, meeting_tab.answer_button)
    assert todo_texts(qtbot, anna) == ["1 av 6 har inte svarat på kallelsen till 2027-02-16"]

    # Per Nord opens the kallelse from his Att göra, acknowledges it and answers that he comes.
    assert todo_texts(qtbot, per, live=True) == [
        f"Kvittera: Kallelse till SIP-möte 2027-02-16 ({case_number})"]
    per.todo.table.setFocus()
    per.todo.table.setCurrentIndex(per.todo.model.index(0, WHAT))
    qtbot.keyClick(per.todo.table, Qt.Key.Key_Return)
    settle(qtbot, timeout=SETTLE_MS)
    pane = per.inbox.pane
    assert per.stack.currentWidget() is per.inbox
    click(qtbot, pane.acknowledge_button)
    pane = per.inbox.pane
    click(qtbot, pane.coming_button)
    assert text_of(per.inbox.pane, "my_answer_state") == "Ditt svar på kallelsen: Kommer."
    snap(per, "05b_per_answers_in_the_inbox")
    assert todo_texts(qtbot, per) == []
    assert todo_texts(qtbot, anna, live=True) == []

    # ---- 5. The meeting is held ------------------------------------------------------------------
    travel(time_machine, MEETING + dt.timedelta(hours=1, minutes=30))
    view = case_view(qtbot, anna, case_id, tab="Kallelse")
    meeting_tab = shown_tab(qtbot, view, MeetingTab)
    assert meeting_tab.held_button.isEnabled(), meeting_tab.held_button.toolTip()

    def everyone_came(dialog: MeetingHeldDialog) -> None:
        assert all(box.isChecked() for box in dialog.boxes.values())
        assert not dialog.warning.isVisible()  # no deviation
        snap(dialog, "06_meeting_held")

    drive(monkeypatch, qtbot, MeetingHeldDialog, everyone_came)
    click(qtbot, meeting_tab.held_button)
    assert Case.get_by_id(case_id).status == CaseStatus.MEETING_HELD.value
    assert next_step(qtbot, view) == (
        "Mötet är hållet. Börja dokumentera planen — den ska vara klar senast 2027-02-18. Det "
        "görs på fliken Planen.")

    # ---- 6. The plan, with Malte's own words ---------------------------------------------------
    scripts: list[Callable[[DocumentationWizard], None]] = []
    W = DocumentationWizard

    def ask_wizard(_cls: type, parent: QWidget | None, session: Session, plan_id: int, *,
                   today: dt.date | None = None) -> bool:
        wizard = DocumentationWizard(session, plan_id, today=today, delay_ms=SAVE_MS,
                                     parent=parent)
        wizard.show()
        qtbot.waitExposed(wizard)
        wizard.resize(1000, 860)
        settle(qtbot, timeout=SETTLE_MS)  # the plan is read in the background
        scripts.pop(0)(wizard)
        wizard_next(qtbot, wizard, QWizard.WizardButton.FinishButton)  # "Stäng"
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=20_000)
        saved = wizard.saved_anything
        wizard.setParent(None)
        wizard.deleteLater()
        return saved

    monkeypatch.setattr(DocumentationWizard, "ask", classmethod(ask_wizard))

    def go_to(wizard: DocumentationWizard, page_id: int) -> None:
        while wizard.currentId() != page_id:
            which = (QWizard.WizardButton.NextButton if wizard.currentId() < page_id
                     else QWizard.WizardButton.BackButton)
            before = wizard.currentId()
            wizard_next(qtbot, wizard, which)
            assert wizard.currentId() != before, f"stopped on page {before}"

    def intervention(principal_id: int, what: str, responsible: str, how_often: str
                     ) -> Callable[[DocumentationWizard], None]:
        def write(wizard: DocumentationWizard) -> None:
            def fill(dialog: InterventionDialog) -> None:
                type_text(qtbot, dialog.what, what)
                type_text(qtbot, dialog.responsible, responsible)
                type_text(qtbot, dialog.how_often, how_often)

            drive(monkeypatch, qtbot, InterventionDialog, fill)
            click(qtbot, wizard.page(W.INTERVENTIONS).sections[principal_id].add_button)
        return write

    kommun, region, school = (world["kommun"].id, world["region"].id,
                              world["school_principal"].id)

    def anna_writes(wizard: DocumentationWizard) -> None:
        titles = [wizard.page(i).title() for i in wizard.pageIds()]
        assert titles[2] == "3 av 7 · Barnets egna ord"
        # Everyone at the meeting, with what the plan needs of them, from the kallelse.
        assert not wizard.page(W.PARTICIPANTS).problems.isVisibleTo(wizard)
        go_to(wizard, W.SITUATION)
        texts = wizard.page(W.SITUATION).edits
        type_text(qtbot, texts["current_situation"],
                  "Malte är trött i skolan och har ont i magen på morgnarna.")
        type_text(qtbot, texts["main_goal"], "Att Malte orkar hela skoldagen och känner sig "
                                             "trygg.")
        go_to(wizard, W.CHILD)
        child_page = wizard.page(W.CHILD)
        type_text(qtbot, child_page.words, "Jag vill ha en lugn plats efter lunch. Jag vill "
                                           "inte byta skola.")
        for way in (AskedWay.BEFORE, AskedWay.PICTURES):
            click(qtbot, child_page.ways[way])
        type_text(qtbot, child_page.weighing, "Malte är tolv år och vet vad han behöver. Den "
                                              "lugna platsen blev skolans insats.")
        snap(wizard, "07_documentation_child_words")
        go_to(wizard, W.INTERVENTIONS)
        intervention(kommun, "Stödfamilj en helg i månaden", "Anna Berg",
                     "En helg i månaden")(wizard)
        intervention(school, "En lugn plats att vila på efter lunch", "Sara Lärare",
                     "Varje skoldag")(wizard)
        go_to(wizard, W.RESPONSIBILITY)
        page = wizard.page(W.RESPONSIBILITY)
        page.overall.setCurrentIndex(page.overall.findData(kommun))
        others = page.others
        click(qtbot, others.add_button)
        who, what_edit, _when, _remove = others.rows[0]
        type_text(qtbot, who, "Mamma och pappa")
        type_text(qtbot, what_edit, "Följer Malte till skolan och pratar om dagen")
        go_to(wizard, W.FOLLOW_UP)
        click(qtbot, wizard.page(W.FOLLOW_UP).quick_buttons[0])
        go_to(wizard, W.REVIEW)
        review = wizard.page(W.REVIEW)
        assert review.child is not None
        assert review.child.text() == (
            "Det här vill barnet: ”Jag vill ha en lugn plats efter lunch. Jag vill inte byta "
            "skola.”\n\nSå frågade vi barnet: före mötet och med bilder.\n"
            "Så vägde vi in barnets åsikter: Malte är tolv år och vet vad han behöver. Den "
            "lugna platsen blev skolans insats.")
        assert review.legal.text() == (  # the region writes its own part
            "• 2. Det framgår inte vad Region Exempelland ansvarar för — skriv insatserna eller "
            "en mening om att ni inte gör något.")
        assert review.participants.property("problems") == 0
        type_text(qtbot, review.adjusted, "Hanna och Jonas Sjöberg, på mötet")
        snap(wizard, "08_documentation_review")
        for principal_id in (kommun, school):  # her own part, and the school's on its behalf
            finish = named(review, QPushButton, f"review_finish_{principal_id}")
            click(qtbot, finish)
        assert review.parts.text().splitlines() == [
            "• Exempelby kommun: klar 2027-02-16",
            "• Exempelby kommun, utbildningsförvaltningen: klar 2027-02-16 (för huvudmannens "
            "räkning)",
            "• Region Exempelland: inte klar"]

    def per_writes(wizard: DocumentationWizard) -> None:
        go_to(wizard, W.INTERVENTIONS)
        intervention(region, "Skolsköterskan och vårdcentralen pratar om magen", "Per Nord",
                     "Varannan vecka")(wizard)
        go_to(wizard, W.REVIEW)
        review = wizard.page(W.REVIEW)
        assert review.legal.property("problems") == 0, review.legal.text()
        assert review.child is not None and "lugn plats" in review.child.text()
        click(qtbot, named(review, QPushButton, f"review_finish_{region}"))
        assert review.parts.text().endswith("• Region Exempelland: klar 2027-02-16")

    scripts.append(anna_writes)
    tab = shown_tab(qtbot, view, PlanTab)
    click(qtbot, tab.start_button)  # "Börja dokumentera" opens the wizard
    assert not scripts
    assert next_step(qtbot, view).startswith("Dokumentera planen — den ska vara klar senast "
                                             "2027-02-18.")
    assert todo_texts(qtbot, anna) == ["Dokumentationen ska vara klar 2027-02-18"]

    # Per Nord writes the region's part in his own window, from Att göra.
    assert todo_texts(qtbot, per, live=True) == ["Dokumentationen ska vara klar 2027-02-18"]
    per_view = case_view(qtbot, per, case_id, tab="Planen")
    per_tab = shown_tab(qtbot, per_view, PlanTab)
    scripts.append(per_writes)
    click(qtbot, per_tab.wizard_button)  # "Fortsätt dokumentera…"
    assert not scripts
    assert "Dokumentationen ska vara klar 2027-02-18" not in todo_texts(qtbot, anna, live=True)

    # ---- 7. Approved by every principal ------------------------------------------------------
    view = case_view(qtbot, anna, case_id, tab="Planen")
    tab = shown_tab(qtbot, view, PlanTab)
    click(qtbot, tab.request_button)  # "Begär godkännande": a message with kvittens
    assert message_log.shown[-1][1] == "Begäran skickad"
    assert todo_texts(qtbot, per, live=True) == [
        f"Kvittera: Godkänn planen, version 1 ({case_number})"]
    chosen: list[list[str]] = []

    def choose(dialog: ChoosePrincipalDialog) -> None:
        choices = [dialog.combo.itemText(i) for i in range(dialog.combo.count())]
        chosen.append(choices)
        dialog.combo.setCurrentIndex(0)

    drive(monkeypatch, qtbot, ChoosePrincipalDialog, choose)
    click(qtbot, tab.approve_button)
    tab = shown_tab(qtbot, view, PlanTab)
    click(qtbot, tab.approve_button)
    assert chosen == [["Exempelby kommun", "Exempelby kommun, utbildningsförvaltningen (för "
                       "huvudmannens räkning)"]]  # the second time only the school was left
    assert not plan.latest_version(Case.get_by_id(case_id)).locked  # the region has not yet
    per_view = case_view(qtbot, per, case_id, tab="Planen")
    per_tab = shown_tab(qtbot, per_view, PlanTab)
    click(qtbot, per_tab.approve_button)
    version = plan.latest_version(Case.get_by_id(case_id))
    assert version is not None and version.locked
    assert ("information", "Planen är godkänd") in [(k, t) for k, t, _x in message_log.shown]
    assert todo_texts(qtbot, per) == []  # approving answered the request
    assert todo_texts(qtbot, anna, live=True) == [
        f"Kvittera: Planen är godkänd ({case_number})", child_voice_todo]
    view = case_view(qtbot, anna, case_id)
    assert view.status_badge.text() == CaseStatus.FOLLOW_UP_PLANNED.label
    assert next_step(qtbot, view).startswith(
        "Planen är godkänd. Berätta för barnet vad barnets röst betydde för planen, och skriv "
        "in återkopplingen under Planen.")
    snap(view, "09_overview_plan_approved")

    # ---- 8. Återkoppling: Malte is told what his voice meant ----------------------------------
    travel(time_machine, dt.datetime(2027, 2, 18, 15, 0))

    def told(dialog: ChildFeedbackDialog) -> None:
        replace_text(qtbot, dialog.told_by, "Sara Lärare och Anna Berg")
        type_text(qtbot, dialog.note, "Vi visade den lugna platsen i skolan.")

    drive(monkeypatch, qtbot, ChildFeedbackDialog, told)
    view = case_view(qtbot, anna, case_id, tab="Planen")
    tab = shown_tab(qtbot, view, PlanTab)
    click(qtbot, tab.feedback_button)
    feedback = child_voice.feedback_of(version.id)
    assert feedback is not None and feedback.told_on == dt.date(2027, 2, 18)
    assert child_voice_todo not in todo_texts(qtbot, anna)
    assert "Berätta för barnet" not in next_step(qtbot, view)

    # ---- 9. The evaluation: the form printed for Malte, the answers registered later ---------
    saved_as: list[Path] = []

    def where(_cls: type, _parent: object, *, title: str, default_name: str,
              **_kw: object) -> Path:
        saved_as.append(tmp_path / default_name)
        return saved_as[-1]

    monkeypatch.setattr(file_output.SaveFileDialog, "ask", classmethod(where))
    monkeypatch.setattr(file_output, "open_file", lambda _path: None)
    view = case_view(qtbot, anna, case_id, tab="Kallelse")
    meeting_tab = shown_tab(qtbot, view, MeetingTab)
    box = meeting_tab.evaluations_box
    assert box.print_person_action.text() == "Till barnet"
    box.print_person_action.trigger()
    settle(qtbot, timeout=SETTLE_MS)
    assert saved_as == [tmp_path / f"utvardering-{case_number}.pdf"]  # no name in it
    pdf = saved_as[0]
    assert pdf.exists()
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(
        io.BytesIO(pdf.read_bytes())).pages).split())
    assert "Hur var mötet?" in text
    for question in evaluation.QUESTIONS:
        assert question.child in text  # a child's words
    assert "Mötet tisdag 16 februari 2027 Du var med på ett möte om dig." in text
    assert "Utskrivet 18 februari 2027" in text  # the frozen day, not the machine's
    assert "Malte" not in text and PNR_MALTE not in text  # the form carries no one's name

    travel(time_machine, dt.datetime(2027, 2, 23, 10, 0))  # the form came back by post

    def answers(dialog: EvaluationDialog) -> None:
        assert dialog.question_labels["listened"].text() == "Lyssnade de vuxna på dig?"
        dialog.kind.setCurrentIndex(dialog.kind.findData(RespondentKind.PERSON.value))
        for key, face in (("felt_before", 3), ("listened", 4), ("understood", 5),
                          ("views_counted", 4)):
            scale = dialog.scales[key]
            click(qtbot, scale.buttons[face])
        type_text(qtbot, dialog.comment, "Bra att Sara var med.")
        snap(dialog, "10_evaluation_dialog")

    drive(monkeypatch, qtbot, EvaluationDialog, answers)
    view = case_view(qtbot, anna, case_id, tab="Kallelse")
    meeting_tab = shown_tab(qtbot, view, MeetingTab)
    box = meeting_tab.evaluations_box
    assert box.empty.isVisible()
    click(qtbot, box.register_button)
    meeting_tab = shown_tab(qtbot, view, MeetingTab)
    [row] = evaluation.evaluations_of(meeting)
    assert (row.kind, row.answer("felt_before"), row.answer("listened"),
            row.answer("understood"), row.answer("views_counted")) == (
        RespondentKind.PERSON, 3, 4, 5, 4)
    assert row.comment == "Bra att Sara var med."
    assert not box.empty.isVisible()
    # A child is "Barnet" here, as in the print menu ("Till barnet") and the dialog.
    assert text_of(meeting_tab, "evaluation_0_respondent") == "Barnet"
    assert text_of(meeting_tab, "evaluation_0_listened") == "4 av 5 — Ja, ganska"
    assert text_of(meeting_tab, "evaluation_0_comment") == "”Bra att Sara var med.”"
    assert text_of(meeting_tab, "evaluation_0_recorded").startswith(
        "På blanketten · registrerad 2027-02-23")
    snap(view, "11_kallelse_tab_evaluation")
