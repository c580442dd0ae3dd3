"""The case's Kallelse tab and its dialogs (DOMAIN.md steps 4–7; seeds 000, 003, 004): what is
allowed when, answers by phone, the call/letter list, cancelling only before the meeting, the
staff meeting with a coordinator transfer, the mobile care team's four of six, the status survey,
the meeting held with a deviation for a principal that did not come, and the request to convene.
Storage on both engines."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.accounts import auth
from sipdesk.casework import consent, contacts, people
from sipdesk.casework.contacts import EntryKind, OrganisationKind
from sipdesk.desk import case_page
from sipdesk.meetings import convene, invitation
from sipdesk.meetings import meeting as meetings
from sipdesk.meetings.invitation import Answer, InvitationDraft, Meeting
from sipdesk.meetings.meeting import PrimaryCareDecision
from sipdesk.meetings.meeting_page import mobile_team_form, staff_meeting_form
from sipdesk.messages import messaging
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ContactKind,
    Law,
    Principal,
    PrincipalKind,
    Role,
    User,
)
from tests.factories import PNR_CHILD, make_case, make_person, make_unit, make_user
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from ui.case_tabs import meeting_tab
from ui.case_tabs.base import CaseContext
from ui.case_tabs.meeting_tab import MeetingTab, ParticipantsModel
from ui.dialogs.meeting_answer import AnswerDialog
from ui.dialogs.meeting_cancel import CancelMeetingDialog
from ui.dialogs.meeting_convene import ConveneRequestDialog
from ui.dialogs.meeting_held import MeetingHeldDialog
from ui.dialogs.meeting_mobile_team import MobileTeamDialog
from ui.dialogs.meeting_reschedule import RescheduleDialog
from ui.dialogs.meeting_staff import StaffMeetingDialog
from ui.dialogs.meeting_survey import StatusSurveyDialog
from ui.session import Session
from ui.wizards.kallelse import (
    KallelseWizard,
    default_start,
    directory_participant,
    person_participant,
    relative_participant,
)

START = default_start(clock.today())
AFTER = START + dt.timedelta(hours=2)


def make_world(session: Session, *, number: str | None = None) -> dict[str, Any]:
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Söder"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    nurse = make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    region = Principal.get(Principal.name == "Region Exempelland")
    psych = contacts.add_organisation(manager, name="Psykiatrimottagningen", principal=region,
                                      kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                                      phone="010-123 00 00", address="Box 1, 123 45 Exempelby")
    doctor = contacts.add_contact(manager, psych, name="Eva Läkare", role="Läkare")
    person = make_person(number) if number else make_person()
    people.add_contact(person, actor=session.user, kind=ContactKind.RELATIVE, name="Olle Öberg",
                       relation="son", phone="070-222 33 44")
    case = make_case(session.user, person)
    consent.register_consent(session.user, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Samordning",
        principals=[Principal.get(Principal.name == "Exempelby kommun"), region],
        relatives_to_invite="Sonen Olle"))
    return {"case": Case.get_by_id(case.id), "manager": manager, "nurse": nurse,
            "doctor": doctor}


def send(session: Session, world: dict[str, Any]) -> Meeting:
    case = world["case"]
    entry = contacts.entry
    draft = InvitationDraft(
        purpose="Samordna stödet efter fallet", starts_at=START,
        staff_meeting_at=START - dt.timedelta(days=7), staff_meeting_place="Teams",
        participants=[
            person_participant(case),
            relative_participant(people.contacts_of(case.person)[0]),
            directory_participant(entry(EntryKind.USER, world["manager"].id)),
            directory_participant(entry(EntryKind.USER, world["nurse"].id)),
            directory_participant(entry(EntryKind.CONTACT, world["doctor"].id)),
        ])
    return invitation.send_invitation(session.user, case, draft)


def context(session: Session, case: Case, user: User | None = None) -> CaseContext:
    fresh = Case.get_by_id(case.id)
    who = Session(url=session.url, user=user) if user is not None else session
    return CaseContext(session=who, case=fresh, contacts=people.contacts_of(fresh.person),
                       today=clock.today())


def open_tab(qtbot: QtBot, session: Session, case: Case, user: User | None = None) -> MeetingTab:
    tab = MeetingTab(context(session, case, user))
    qtbot.addWidget(tab)
    tab.resize(1030, 800)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot)  # the tab reads the meeting in the background when shown
    return tab


def by_name(meeting: Meeting) -> dict[str, invitation.Participant]:
    return {p.name: p for p in invitation.participants_of(meeting)}


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def label(widget: MeetingTab, name: str) -> str:
    found = widget.findChild(QLabel, name)
    assert found is not None, name
    return found.text()


def test_participants_model(sqlite_session: Session, qtmodeltester: Any) -> None:
    world = make_world(sqlite_session)
    meeting = send(sqlite_session, world)
    model = ParticipantsModel()
    qtmodeltester.check(model)
    model.set_participants(invitation.participants_of(meeting),
                           convener_id=sqlite_session.user.id)
    qtmodeltester.check(model)
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Namn", "Roll", "Huvudman · enhet", "Lag", "Kallad via", "Närvaro", "Svar"]
    rows = {model.index(r, 0).data(): [model.index(r, c).data() for c in range(7)]
            for r in range(model.rowCount())}
    assert rows["Per Nord"] == ["Per Nord", "Biståndshandläggare",
                                "Region Exempelland · Vårdcentralen Exempelby", "HSL",
                                "Meddelande i sipdesk", "", "Inget svar än"]
    assert rows["Eva Läkare"][4] == "Brev"
    assert rows["Anna Berg"][4:] == ["Kallar", "", "Kommer"]


def test_before_any_meeting(sqlite_session: Session, qtbot: QtBot,
                            monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(sqlite_session)
    tab = open_tab(qtbot, sqlite_session, world["case"])
    assert tab.empty_label.isVisible()
    assert not tab.participants_box.isVisible() and not tab.calls_box.isVisible()
    assert tab.invite_button.isEnabled()
    for button in (tab.reschedule_button, tab.cancel_button, tab.held_button,
                   tab.staff_button, tab.mobile_button, tab.survey_button):
        assert not button.isEnabled()
        assert button.toolTip() == "Det finns inget kallat möte."
    assert not tab.convene_box.isVisible()  # Anna is a case officer: she convenes herself

    # "Kalla till möte…" opens the wizard; a sent kallelse makes the case view read again.
    calls: list[tuple[object, ...]] = []
    sent = send(sqlite_session, world)  # what the wizard sends (the fake runs no SQL itself)

    def fake_ask(_cls: object, parent: object, session: Session, case: Case) -> Meeting:
        calls.append((parent, session.user.id, case.id))
        return sent

    monkeypatch.setattr(KallelseWizard, "ask", classmethod(fake_ask))
    with qtbot.waitSignal(tab.changed, timeout=2000):
        qtbot.mouseClick(tab.invite_button, Qt.MouseButton.LeftButton)
    assert calls == [(tab, sqlite_session.user.id, world["case"].id)]
    tab.refresh(context(sqlite_session, world["case"]))
    settle(qtbot)
    assert not tab.invite_button.isEnabled()
    assert tab.invite_button.toolTip() == (
        "Mötet är redan kallat — ge det en ny tid eller ställ in det.")
    assert "Samordna stödet efter fallet" in label(tab, "meeting_purpose")
    assert label(tab, "meeting_status") == "Planerat"


def test_without_consent_the_wizard_cannot_be_opened(sqlite_session: Session,
                                                     qtbot: QtBot) -> None:
    case = make_case(sqlite_session.user)
    tab = open_tab(qtbot, sqlite_session, case)
    assert not tab.invite_button.isEnabled()
    assert tab.invite_button.toolTip() == (
        "Samtycke saknas — registrera samtycke eller menprövning innan kallelse.")


def test_answers_by_phone_and_the_call_list(session: Session, qtbot: QtBot,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    world = make_world(session)
    meeting = send(session, world)
    tab = open_tab(qtbot, session, world["case"])
    assert tab.participants_box.isVisible() and tab.calls_box.isVisible()
    assert tab.ack_label.text() == "Kallelsen i sipdesk: 0 av 2 har kvitterat"
    assert not tab.answer_button.isEnabled()
    assert tab.answer_button.toolTip() == "Välj en deltagare i listan."

    # The convener registers the doctor's answer from the phone: cannot come, a substitute.
    doctor = by_name(meeting)["Eva Läkare"]
    dialog = AnswerDialog(session.user, doctor)
    qtbot.addWidget(dialog)
    dialog.show()
    tick(qtbot, dialog.radios[Answer.NOT_COMING])
    assert dialog.substitute_name.isVisible()
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("substitute_name") == (
        "Den som inte kan komma utser en ersättare — skriv ersättarens namn.")
    type_text(qtbot, dialog.substitute_name, "Lisa Åberg")
    type_text(qtbot, dialog.substitute_contact, "010-111 22 33")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    tab.refresh(context(session, world["case"]))
    settle(qtbot)
    row = next(r for r in range(tab.model.rowCount())
               if tab.model.index(r, 0).data() == "Eva Läkare")
    assert tab.model.index(row, 6).data() == (
        "Kan inte komma — ersättare Lisa Åberg (010-111 22 33)")

    # "Registrera svar…" opens the dialog for the selected row.
    asked: list[str] = []
    monkeypatch.setattr(AnswerDialog, "ask", classmethod(
        lambda _cls, _parent, _user, p: asked.append(p.name)))
    tab.table.selectRow(row)
    assert tab.answer_button.isEnabled()
    qtbot.mouseClick(tab.answer_button, Qt.MouseButton.LeftButton)
    assert asked == ["Eva Läkare"]

    # The call/letter list: those without an account, each with its own "Klart".
    names = [tab.calls.item(r, 1).text() for r in range(tab.calls.rowCount())]
    assert sorted(names) == ["Eva Läkare", "Olle Öberg", "Åsa Öberg"]
    son = names.index("Olle Öberg")
    assert tab.calls.item(son, 2).text() == "Telefon"
    assert tab.calls.item(son, 3).text() == "070-222 33 44"
    tab.calls.setFocus()
    tab.calls.setCurrentCell(son, 0)
    qtbot.keyClick(tab.calls, Qt.Key.Key_Space)
    assert tab.calls.item(son, 0).checkState() == Qt.CheckState.Checked
    settle(qtbot)  # saved in the background
    assert by_name(meeting)["Olle Öberg"].invitation_done
    assert not by_name(meeting)["Åsa Öberg"].invitation_done


def test_cancel_only_before_the_meeting(session: Session, qtbot: QtBot,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000 "Ställ in möte": only before it took place; the person is told; the case stays
    open and can be invited again."""
    world = make_world(session)
    meeting = send(session, world)
    monkeypatch.setattr(meeting_tab, "clock", lambda: AFTER)
    late = open_tab(qtbot, session, world["case"])
    assert not late.cancel_button.isEnabled()
    assert late.cancel_button.toolTip().startswith("Mötet har redan ägt rum och kan inte")
    assert not late.reschedule_button.isEnabled()
    assert late.held_button.isEnabled()
    monkeypatch.undo()

    tab = open_tab(qtbot, session, world["case"])
    assert tab.cancel_button.isEnabled() and not tab.held_button.isEnabled()
    assert tab.held_button.toolTip() == "Mötet har inte ägt rum än."
    dialog = CancelMeetingDialog(session.user, invitation.current_meeting(world["case"]),
                                 current=clock.now())
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.reason, "Den enskilde är sjuk")
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("person_told").startswith("Den enskilde ska få veta")
    assert invitation.current_meeting(world["case"]).status == "planned"
    tick(qtbot, dialog.person_told)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    assert Case.get_by_id(world["case"].id).status == CaseStatus.MEETING_CANCELLED.value
    rows = messaging.folder_rows(world["nurse"], messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].kind is messaging.MessageKind.CANCELLATION
    tab.refresh(context(session, world["case"]))
    settle(qtbot)
    assert label(tab, "meeting_status") == "Inställt — Den enskilde är sjuk"
    assert tab.invite_button.isEnabled()  # the case stays open: invite again
    assert not tab.cancel_button.isEnabled() and tab.cancel_button.toolTip() == (
        "Mötet är inställt.")
    assert meeting.id == invitation.current_meeting(world["case"]).id


def test_meeting_held_with_a_no_show_gives_a_deviation(
    session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    """Seed 000: a summoned principal that did not come gets a deviation."""
    world = make_world(session)
    meeting = send(session, world)
    invitation.register_answer(session.user, by_name(meeting)["Eva Läkare"], Answer.NOT_COMING,
                               substitute_name="Lisa Åberg")
    monkeypatch.setattr(meeting_tab, "clock", lambda: AFTER)
    tab = open_tab(qtbot, session, world["case"])
    assert tab.held_button.isEnabled()
    participants = invitation.participants_of(meeting)
    dialog = MeetingHeldDialog(session.user, meeting, participants=participants, current=AFTER)
    qtbot.addWidget(dialog)
    dialog.show()
    people_by_name = by_name(meeting)
    # Who could not come but sent a substitute is represented: the substitute's box is ticked
    # from the start.
    assert dialog.boxes[people_by_name["Eva Läkare"].id].isChecked()
    assert dialog.boxes[people_by_name["Eva Läkare"].id].text().startswith(
        "Lisa Åberg (ersättare för Eva Läkare")
    assert not dialog.warning.isVisible()
    tick(qtbot, dialog.boxes[people_by_name["Per Nord"].id])  # Per did not come
    assert dialog.warning.text() == "Avvikelse registreras för: Region Exempelland."
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    deviations = dialog.result_value
    assert [(d.principal_name, d.unit_name) for d in deviations] == [
        ("Region Exempelland", "Vårdcentralen Exempelby")]
    assert Case.get_by_id(world["case"].id).status == CaseStatus.MEETING_HELD.value

    tab.refresh(context(session, world["case"]))

    settle(qtbot)
    assert tab.deviations_box.isVisible()
    assert label(tab, "deviation_0").startswith(
        "Region Exempelland (Vårdcentralen Exempelby): Per Nord kom inte till SIP-mötet")
    attended = {tab.model.index(r, 0).data(): tab.model.index(r, 5).data()
                for r in range(tab.model.rowCount())}
    # Eva Läkare did not come herself: her substitute did.
    assert attended["Per Nord"] == "Kom inte"
    assert attended["Eva Läkare"] == "Skickade ersättare — Lisa Åberg kom"
    assert not tab.held_button.isEnabled() and not tab.cancel_button.isEnabled()
    assert not tab.answer_button.isEnabled()

    # Through the tab: the user is told where the deviation goes.
    monkeypatch.setattr(MeetingHeldDialog, "ask", classmethod(lambda *a, **k: deviations))
    tab.meeting = meeting
    meeting.status = "planned"
    with qtbot.waitSignal(tab.changed, timeout=2000):
        tab.mark_held()
    assert message_log.shown[-1][2] == (
        "Avvikelse registrerad för Region Exempelland (Vårdcentralen Exempelby). "
        "Enhetschefen ser den under Att göra.")


def test_mobile_care_team_four_of_six_and_age_locked(sqlite_session: Session,
                                                     qtbot: QtBot) -> None:
    """Seed 000: at least four of six; age 75 from the personal number on the meeting date."""
    world = make_world(sqlite_session)  # Åsa Öberg, born 1940
    meeting = send(sqlite_session, world)
    dialog = MobileTeamDialog(sqlite_session.user, meeting, form=mobile_team_form(meeting))
    qtbot.addWidget(dialog)
    dialog.show()
    age = dialog.boxes["age_75"]
    assert age.isChecked() and not age.isEnabled()  # filled in and locked
    tick(qtbot, age)
    assert age.isChecked()
    tick(qtbot, dialog.boxes["chronic_diagnoses"])
    tick(qtbot, dialog.boxes["medicines"])
    assert dialog.verdict.text() == "3 av 6 — uppfyller inte kriterierna (minst 4 behövs)"
    dialog.decision.setCurrentIndex(dialog.decision.findData(
        PrimaryCareDecision.ACCEPTED.value))
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("decision") == (
        "Kriterierna är inte uppfyllda (minst fyra av sex behövs).")
    tick(qtbot, dialog.boxes["home_health_care"])
    assert dialog.verdict.text() == "4 av 6 — uppfyller kriterierna"

    # Refused for another reason: the reason and MAS.
    dialog.decision.setCurrentIndex(dialog.decision.findData(
        PrimaryCareDecision.REFUSED_OTHER.value))
    assert dialog.refused_reason.isVisible() and dialog.mas_informed.isVisible()
    assert "informera MAS" in dialog.warning.text()
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("refused_reason") == (
        "Skriv primärvårdens skäl till nej — det ska dokumenteras.")
    type_text(qtbot, dialog.refused_reason, "Ingen plats i teamet just nu")
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("mas_informed").startswith("Medicinskt ansvarig")
    tick(qtbot, dialog.mas_informed)
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    stored = meetings.mobile_team_check_of(meeting)
    assert stored is not None and stored.age_75 and stored.home_health_care
    assert stored.refused_reason == "Ingen plats i teamet just nu" and stored.mas_informed

    tab = open_tab(qtbot, sqlite_session, world["case"])
    assert label(tab, "mobile_team_text") == (
        "4 av 6 kriterier — uppfyller kriterierna. Nej — av annat skäl. "
        "Skäl: Ingen plats i teamet just nu.")


def test_a_young_persons_age_box_is_locked_unticked(sqlite_session: Session,
                                                    qtbot: QtBot) -> None:
    case = make_case(sqlite_session.user, make_person(PNR_CHILD, "Lo", "Ung"))
    planned = Meeting(case=case, starts_at=START, purpose="x", place="x",
                      created_by=sqlite_session.user)  # not stored: only its date is read
    dialog = MobileTeamDialog(sqlite_session.user, planned, form=mobile_team_form(planned))
    qtbot.addWidget(dialog)
    assert not dialog.boxes["age_75"].isChecked() and not dialog.boxes["age_75"].isEnabled()


def test_staff_meeting_moves_the_coordinator(session: Session, qtbot: QtBot) -> None:
    world = make_world(session)
    meeting = send(session, world)
    dialog = StaffMeetingDialog(session.user, meeting,
                                form=staff_meeting_form(world["case"].id),
                                names=["Maria Holm", "Per Nord", "Eva Läkare"],
                                current=clock.now())
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("chair") == "Utse en ordförande för SIP-mötet."
    dialog.chair.setCurrentText("Per Nord")
    dialog.note_taker.setCurrentText("Maria Holm")
    dialog.writes_situation.setCurrentText("Maria Holm")
    dialog.writes_main_goal.setCurrentText("Per Nord")
    assert not dialog.new_coordinator.isEnabled()
    tick(qtbot, dialog.moves)
    assert dialog.new_coordinator.isEnabled()
    dialog.new_coordinator.setCurrentIndex(next(
        i for i in range(dialog.new_coordinator.count())
        if dialog.new_coordinator.itemData(i).id == world["nurse"].id))
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    assert Case.get_by_id(world["case"].id).coordinator_id == world["nurse"].id

    tab = open_tab(qtbot, session, world["case"])
    text = label(tab, "staff_meeting_text")
    assert "ordförande Per Nord, antecknare Maria Holm" in text
    assert "Samordningsansvaret flyttades till Per Nord." in text
    assert not tab.staff_button.isEnabled()
    assert tab.staff_button.toolTip() == "Tjänstemannamötet är redan dokumenterat."


def test_new_time_and_status_survey(sqlite_session: Session, qtbot: QtBot) -> None:
    world = make_world(sqlite_session)
    meeting = send(sqlite_session, world)
    invitation.register_answer(world["nurse"], by_name(meeting)["Per Nord"], Answer.COMING)
    dialog = RescheduleDialog(sqlite_session.user, meeting, current=clock.now())
    qtbot.addWidget(dialog)
    dialog.show()
    later = START + dt.timedelta(days=7)
    dialog.starts_at.setDateTime(meeting_tab.meeting_common.to_qdatetime(later))
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("reason") == "Skriv varför mötet flyttas."
    type_text(qtbot, dialog.reason, "Läkaren är bortrest")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    moved = invitation.current_meeting(world["case"])
    assert moved is not None and moved.starts_at == later
    assert by_name(moved)["Per Nord"].answer == Answer.NO_ANSWER.value  # answers start over

    survey = StatusSurveyDialog(sqlite_session.user, moved, others=["Eva Läkare"])
    qtbot.addWidget(survey)
    survey.show()
    assert survey.profession.text() == "Biståndshandläggare"
    survey.on_behalf_of.setCurrentIndex(1)  # writes for the doctor without an account
    assert survey.profession.text() == ""
    survey.accept()
    settle(qtbot)
    assert survey.form.error_text("profession") == "Ange yrke, t.ex. distriktssköterska."
    type_text(qtbot, survey.profession, "Läkare")
    type_text(qtbot, survey.notes, "Tre fall i höstas, ny medicin")
    with qtbot.waitSignal(survey.accepted, timeout=2000):
        survey.accept()
        settle(qtbot)
    tab = open_tab(qtbot, sqlite_session, world["case"])
    assert tab.surveys_box.isVisible()
    assert label(tab, "survey_0").startswith("Läkare (Anna Berg för Eva Läkare, ")
    assert label(tab, "meeting_time").startswith(f"{later:%Y-%m-%d kl. %H:%M}")


def test_request_to_convene_from_home_care(session: Session, qtbot: QtBot) -> None:
    """Seed 004: home care asks the case officer; the e-mail text has no personal data."""
    world = make_world(session)
    manager: User = world["manager"]
    tab = open_tab(qtbot, session, world["case"], user=manager)
    assert tab.convene_box.isVisible()

    qtbot.mouseClick(tab.copy_button, Qt.MouseButton.LeftButton)
    text = QGuiApplication.clipboard().text()
    assert text == convene.email_text(sender_unit="Hemtjänst Söder", sender_phone=manager.phone)
    person = world["case"].person
    for secret in (person.first_name, person.last_name, person.personal_number,
                   world["case"].number):
        assert secret not in text
    assert "inga personuppgifter" in tab.copied_label.text()

    dialog = ConveneRequestDialog(manager, world["case"], users=auth.active_users_with_unit())
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.to.currentData().id == session.user.id  # the case's coordinator
    dialog.accept()
    settle(qtbot)
    assert dialog.form.error_text("need") == "Beskriv behovet du ser."
    type_text(qtbot, dialog.need, "Klarar inte medicinerna själv")
    type_text(qtbot, dialog.coordinate, "Hemtjänst och hemsjukvård")
    type_text(qtbot, dialog.actors, "Vårdcentralen, hemtjänsten")
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        dialog.accept()
        settle(qtbot)
    rows = messaging.folder_rows(session.user, messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].kind is messaging.MessageKind.REQUEST_TO_CONVENE

    send(session, world)  # once a meeting is called the request is moot
    tab.refresh(context(session, world["case"], user=manager))
    settle(qtbot)
    assert not tab.convene_box.isVisible()


def test_a_closed_case_is_read_only(sqlite_session: Session, qtbot: QtBot) -> None:
    from sipdesk.casework import lifecycle

    world = make_world(sqlite_session)
    send(sqlite_session, world)
    lifecycle.close_case(sqlite_session.user, world["case"], closed_on=clock.today(),
                         reason=lifecycle.ClosureReason.NO_MORE_NEED)
    tab = open_tab(qtbot, sqlite_session, world["case"])
    for button in (tab.invite_button, tab.reschedule_button, tab.cancel_button,
                   tab.staff_button, tab.mobile_button, tab.survey_button, tab.answer_button):
        assert not button.isEnabled()
        assert button.toolTip() == "Ärendet är avslutat och kan bara läsas."
    assert not (tab.calls.item(0, 0).flags() & Qt.ItemFlag.ItemIsEnabled)


def test_in_the_case_view_a_sent_kallelse_updates_the_case(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ui.case_view import CaseView

    world = make_world(sqlite_session)
    view = CaseView(case_page.read_case_page(world["case"].id), session=sqlite_session)
    qtbot.addWidget(view)
    view.show()
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles.index("Kallelse") == titles.index("Samtycke") + 1
    tab = shown_tab(qtbot, view, MeetingTab)
    sent = send(sqlite_session, world)  # what the wizard sends (the fake runs no SQL itself)
    monkeypatch.setattr(KallelseWizard, "ask", classmethod(lambda *_a, **_k: sent))
    with qtbot.waitSignal(view.case_changed, timeout=2000):
        qtbot.mouseClick(tab.invite_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert view.status_badge.text() == "Kallad"
    assert tab.participants_box.isVisibleTo(tab)
