"""The kallelse wizard (DOMAIN.md step 4; seeds 000, 002, 003), driven through its widgets:
from a case with consent to "Kallad" with one HSL and one SoL participant after the refusal with
only SoL, a draft that survives closing, the time and place rules, the interpreter, relatives
and the outpatient warning, and what comes after sending."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QPlainTextEdit, QWizard
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import consent, contacts, drafts, people
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import HowInvited, InvitationDraft, ParticipantKind
from sipdesk.meetings.invitation_start import InvitationStart, invitation_start
from sipdesk.messages import messaging
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ContactKind,
    Law,
    Principal,
    PrincipalKind,
    Role,
)
from tests.factories import make_case, make_person, make_unit, make_user
from tests.ui.conftest import MessageLog, settle, type_text
from ui.session import Session
from ui.wizards import kallelse as kallelse_module
from ui.wizards import outputs
from ui.wizards.kallelse import KallelseWizard, default_start

W = KallelseWizard
PURPOSE = "Hur kan hemtjänsten och vårdcentralen samordna stödet efter fallet?"
ONLY_SOL = "En SIP behöver någon från hälso- och sjukvården (HSL) och någon från regionen."


def make_world(session: Session, *, language: str = "svenska") -> dict:
    """Maria Holm (home care, SoL, municipality), Per Nord (health centre, HSL, region,
    outpatient), a hospital ward and an interpreter service in Kontakter, and a case whose
    consent covers the municipality and the region and names the son."""
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Söder"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    nurse = make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    region = Principal.get(Principal.name == "Region Exempelland")
    municipality = Principal.get(Principal.name == "Exempelby kommun")
    ward = contacts.add_organisation(manager, name="Geriatriska kliniken", principal=region,
                                     kind=OrganisationKind.HOSPITAL, law=Law.HSL,
                                     phone="010-200 00 00")
    contacts.add_contact(manager, ward, name="Sven Överläkare", role="Läkare")
    interpreters = contacts.add_organisation(
        manager, name="Tolkförmedlingen", principal=contacts.ensure_principal(
            "Tolkförmedlingen Väst", PrincipalKind.OTHER),
        kind=OrganisationKind.INTERPRETER, law=Law.OTHER, phone="010-999 99 99")
    contacts.add_contact(manager, interpreters, name="Ali Tolk", role="Tolk")
    person = make_person()
    person.language = language
    person.save()
    son = people.add_contact(person, actor=session.user, kind=ContactKind.RELATIVE,
                             name="Olle Öberg", relation="son", phone="070-222 33 44")
    people.add_contact(person, actor=session.user, kind=ContactKind.RELATIVE,
                       name="Berit Granne", relation="granne", phone="070-333 44 55")
    case = make_case(session.user, person)
    consent.register_consent(session.user, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Samordning",
        principals=[municipality, region], relatives_to_invite="Sonen Olle Öberg"))
    return {"case": Case.get_by_id(case.id), "manager": manager, "nurse": nurse, "son": son}


def start_of(session: Session, case: Case, *, follow_up: bool = False) -> InvitationStart:
    """What the wizard reads (in the background) before it opens."""
    return invitation_start(session.user, case.id, follow_up=follow_up)


def open_wizard(qtbot: QtBot, session: Session, case: Case) -> KallelseWizard:
    wizard = KallelseWizard.prepare(None, session, case)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.start()
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def click(qtbot: QtBot, wizard: KallelseWizard, which: QWizard.WizardButton) -> None:
    button = wizard.button(which)
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a check box or radio button on its box (a wide one's middle is empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


def next_page(qtbot: QtBot, wizard: KallelseWizard) -> None:
    click(qtbot, wizard, QWizard.WizardButton.NextButton)


def type_into(qtbot: QtBot, edit: QLineEdit | QPlainTextEdit, text: str) -> None:
    edit.setFocus()
    edit.selectAll()
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    type_text(qtbot, edit, text)


def add_from_search(qtbot: QtBot, wizard: KallelseWizard, text: str) -> None:
    """Type in the participant search; Enter adds the single match."""
    page = wizard.participants_page
    type_into(qtbot, page.search, text)
    qtbot.waitUntil(lambda: not page.searching and page.results_model.rowCount() == 1,
                    timeout=2000)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)


def names_in_table(wizard: KallelseWizard) -> list[str]:
    table = wizard.participants_page.table
    return [table.item(row, 0).text() for row in range(table.rowCount())]


def fill_purpose(qtbot: QtBot, wizard: KallelseWizard) -> None:
    type_text(qtbot, wizard.purpose_page.purpose, PURPOSE)
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.PARTICIPANTS


def test_from_consent_to_kallad_after_the_refusal_with_only_sol(
    session: Session, qtbot: QtBot,
) -> None:
    """DOMAIN step 4 (seed 002): at least one HSL and one SoL/LSS participant, one from the
    region and one from the municipality — otherwise it is not a SIP."""
    world = make_world(session)
    wizard = open_wizard(qtbot, session, world["case"])
    assert wizard.currentId() == W.PURPOSE
    assert wizard.windowTitle() == f"Kalla till SIP-möte — {world['case'].number}"

    # 1 Syfte: required.
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.PURPOSE
    assert wizard.purpose_page.form.error_text("purpose").startswith("Skriv syftet med mötet")
    fill_purpose(qtbot, wizard)

    # 2 Deltagare: the person, the convener and the son the consent names from the start.
    assert names_in_table(wizard) == ["Åsa Öberg", "Anna Berg", "Olle Öberg"]
    assert wizard.participants_page.table.item(1, 5).text() == "Du som kallar"
    add_from_search(qtbot, wizard, "maria")  # SoL, municipality
    assert names_in_table(wizard)[-1] == "Maria Holm"
    next_page(qtbot, wizard)
    page = wizard.participants_page
    assert wizard.currentId() == W.PARTICIPANTS  # refused, with the core's message
    assert page.error.isVisible() and page.error.text() == ONLY_SOL
    add_from_search(qtbot, wizard, "per nord")  # HSL, region, outpatient
    assert not page.error.isVisible()  # fixed as soon as the list is right
    assert not page.warnings.isVisible()
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.TIME_PLACE

    # 3 Tid och plats: the defaults are fine.
    time_page = wizard.time_page
    assert kallelse_module.from_qdatetime(time_page.starts_at.dateTime()) == default_start(
        clock.today())
    assert time_page.minutes.value() == 45 and time_page.at_home.isChecked()
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.STAFF_MEETING

    # 4 Tjänstemannamöte: a place is needed.
    next_page(qtbot, wizard)
    assert wizard.staff_page.form.error_text("staff_meeting_place") == (
        "Ange var tjänstemannamötet hålls (eller Teams).")
    type_text(qtbot, wizard.staff_page.place, "Teams")
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.REVIEW

    # 5 Granska och skicka.
    summary = wizard.review_page.summary.text()
    assert PURPOSE in summary and "Maria Holm" in summary and "Per Nord" in summary
    assert wizard.button(QWizard.WizardButton.CommitButton).text() == "Skicka"
    with qtbot.waitSignal(wizard.sent, timeout=3000):
        click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    assert wizard.currentId() == W.SENT

    case = Case.get_by_id(world["case"].id)
    assert case.status == CaseStatus.INVITED.value
    meeting = invitation.current_meeting(case)
    assert meeting is not None and meeting.purpose == PURPOSE
    assert meeting.staff_meeting_place == "Teams"
    for user in (world["manager"], world["nurse"]):
        rows = messaging.folder_rows(user, messaging.Folder.AWAITING_MY_ACK)
        assert [r.subject.startswith("Kallelse till SIP-möte") for r in rows] == [True]
    sent = wizard.sent_page
    assert sent.messaged.text() == (  # not to the convener herself
        "Kallelsen har gått som meddelande att kvittera till Maria Holm, Per Nord.")
    calls = [sent.call_list.item(r, 0).text() for r in range(sent.call_list.rowCount())]
    assert sorted(calls) == ["Olle Öberg", "Åsa Öberg"]
    assert drafts.load_draft(session.user, case, "kallelse") is None  # sent: no draft left
    assert not wizard.button(QWizard.WizardButton.BackButton).isVisible()
    click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QWizard.DialogCode.Accepted


def test_draft_survives_closing_and_is_offered_back(
    session: Session, qtbot: QtBot, message_log: MessageLog,
) -> None:
    world = make_world(session)
    case = world["case"]
    wizard = open_wizard(qtbot, session, case)
    fill_purpose(qtbot, wizard)
    settle(qtbot)  # saved in the background
    # Saved on the page change already: a crash from here on loses nothing typed.
    assert drafts.load_draft(session.user, case, "kallelse")["purpose"] == PURPOSE
    add_from_search(qtbot, wizard, "maria")
    qtbot.keyClick(wizard, Qt.Key.Key_Escape)  # close without sending
    assert not wizard.isVisible()
    assert invitation.current_meeting(case) is None  # nothing stored but the draft

    message_log.confirm_answer = True  # "Fortsätt där du var"
    again = open_wizard(qtbot, session, case)
    assert message_log.shown[-1][:2] == ("confirm", "Påbörjad kallelse")
    assert again.currentId() == W.PARTICIPANTS  # where the user was
    assert again.purpose_page.purpose.toPlainText() == PURPOSE
    assert names_in_table(again) == ["Åsa Öberg", "Anna Berg", "Olle Öberg", "Maria Holm"]
    again.close()

    message_log.confirm_answer = False  # "Börja om"
    fresh = open_wizard(qtbot, session, case)
    assert fresh.currentId() == W.PURPOSE
    assert fresh.purpose_page.purpose.toPlainText() == ""
    assert names_in_table(fresh) == ["Åsa Öberg", "Anna Berg", "Olle Öberg"]
    fresh.close()  # closed untouched: the earlier draft is still there
    settle(qtbot)
    assert drafts.load_draft(session.user, case, "kallelse")["purpose"] == PURPOSE


def test_time_page_rules(sqlite_session: Session, qtbot: QtBot) -> None:
    """Seed 003: 45 minutes, at most an hour; at home unless there is a reason; two to three
    weeks ahead, a shorter notice with a reason."""
    world = make_world(sqlite_session)
    draft = InvitationDraft(purpose=PURPOSE, participants=[
        kallelse_module.directory_participant(contacts.entry(contacts.EntryKind.USER, u.id))
        for u in (world["manager"], world["nurse"])])
    wizard = KallelseWizard(sqlite_session, start_of(sqlite_session, world["case"]), draft=draft)
    qtbot.addWidget(wizard)
    wizard.resume_page = W.TIME_PLACE
    wizard.start()
    wizard.show()
    assert wizard.currentId() == W.TIME_PLACE
    page = wizard.time_page

    # 61 minutes cannot be typed.
    page.minutes.setFocus()
    page.minutes.selectAll()
    qtbot.keyClicks(page.minutes, "61")
    page.minutes.interpretText()
    assert page.minutes.value() <= 60
    assert page.minutes.maximum() == 60 and page.minutes.minimum() == 15
    page.minutes.setValue(45)

    # Another place needs a reason.
    assert not page.place_reason.isVisible()
    tick(qtbot, page.elsewhere)
    assert page.place.isVisible() and page.place_reason.isVisible()
    next_page(qtbot, wizard)
    assert page.form.error_text("place") == "Skriv var mötet hålls."
    type_text(qtbot, page.place, "Vårdcentralen, rum 3")
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.TIME_PLACE
    assert page.form.error_text("place_reason").startswith(
        "Mötet hålls i första hand hemma hos den enskilde.")
    type_text(qtbot, page.place_reason, "Vill inte ha möte hemma")

    # Under two weeks: a warning, and a reason is needed.
    soon = dt.datetime.combine(clock.today() + dt.timedelta(days=5), dt.time(13, 0))
    assert not page.short_notice_reason.isVisible() and not page.warnings.isVisible()
    page.starts_at.setDateTime(kallelse_module.to_qdatetime(soon))
    assert page.short_notice_reason.isVisible()
    assert page.warnings.isVisible() and "två till tre veckor" in page.warnings.text()
    next_page(qtbot, wizard)
    assert page.form.error_text("short_notice_reason") == (
        "Skriv varför mötet behöver hållas så snart.")
    type_text(qtbot, page.short_notice_reason, "Hemgång från sjukhuset")

    # A video link must be a link.
    type_text(qtbot, page.video_link, "teams/abc")
    next_page(qtbot, wizard)
    assert page.form.error_text("video_link") == "Videolänken ska börja med https://"
    type_into(qtbot, page.video_link, "https://video.example/abc")
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.STAFF_MEETING
    stored = wizard.collect()
    assert (stored.place, stored.place_reason, stored.short_notice_reason, stored.starts_at) == (
        "Vårdcentralen, rum 3", "Vill inte ha möte hemma", "Hemgång från sjukhuset", soon)

    # The staff meeting: before the SIP meeting, or skipped with a reason.
    staff = wizard.staff_page
    assert kallelse_module.from_qdatetime(staff.at.dateTime()) < soon
    tick(qtbot, staff.skip)
    assert staff.reason.isVisible() and not staff.place.isVisible()
    next_page(qtbot, wizard)
    assert staff.form.error_text("staff_meeting_skipped_reason").startswith("Föreslå tid")
    type_text(qtbot, staff.reason, "Alla träffades förra veckan")
    next_page(qtbot, wizard)
    assert wizard.currentId() == W.REVIEW
    assert "hoppas över (Alla träffades förra veckan)" in wizard.review_page.summary.text()
    assert "två till tre veckor" in wizard.review_page.warnings.text()


def test_interpreter_relatives_and_the_outpatient_warning(
    sqlite_session: Session, qtbot: QtBot,
) -> None:
    """Seed 003: an interpreter when the person does not speak Swedish, never a relative or
    staff; relatives as the consent allows; outpatient care should always be there."""
    world = make_world(sqlite_session, language="arabiska")
    wizard = open_wizard(qtbot, sqlite_session, world["case"])
    fill_purpose(qtbot, wizard)
    page = wizard.participants_page
    assert page.interpreter_box.isVisible()
    assert "arabiska" in page.warnings.text() and "får inte tolka" in page.warnings.text()
    assert page.relative_boxes[world["son"].id].isChecked()  # the consent names him
    neighbour = next(b for cid, b in page.relative_boxes.items() if cid != world["son"].id)
    assert not neighbour.isChecked()
    tick(qtbot, page.relative_boxes[world["son"].id])
    assert names_in_table(wizard) == ["Åsa Öberg", "Anna Berg"]
    tick(qtbot, page.relative_boxes[world["son"].id])
    assert names_in_table(wizard) == ["Åsa Öberg", "Anna Berg", "Olle Öberg"]

    qtbot.mouseClick(page.add_interpreter_button, Qt.MouseButton.LeftButton)
    assert names_in_table(wizard)[-1] == "Ali Tolk"
    assert page.table.item(3, 1).text() == "Tolk"
    assert "tolk" not in page.warnings.text()

    # A municipal participant and a hospital doctor: a SIP, but no outpatient care.
    add_from_search(qtbot, wizard, "maria")
    add_from_search(qtbot, wizard, "överläkare")
    assert page.warnings.isVisible()
    assert "öppenvården ska alltid vara med" in page.warnings.text()
    next_page(qtbot, wizard)  # a warning does not block
    assert wizard.currentId() == W.TIME_PLACE


def test_how_each_is_invited_and_removing(sqlite_session: Session, qtbot: QtBot) -> None:
    world = make_world(sqlite_session)
    wizard = open_wizard(qtbot, sqlite_session, world["case"])
    fill_purpose(qtbot, wizard)
    add_from_search(qtbot, wizard, "maria")
    table = wizard.participants_page.table
    assert table.item(3, 5).text() == HowInvited.MESSAGE.label  # a user: in sipdesk
    son_way = table.cellWidget(2, 5)
    assert isinstance(son_way, QComboBox)
    assert son_way.currentText() == "Telefon"  # a phone number and no address
    son_way.setCurrentIndex(son_way.findData(HowInvited.LETTER.value))
    assert wizard.collect().participants[2].how is HowInvited.LETTER
    add_from_search(qtbot, wizard, "maria")  # already there
    assert names_in_table(wizard).count("Maria Holm") == 1
    assert wizard.participants_page.count_label.text() == "Maria Holm är redan med."
    table.setFocus()
    table.selectRow(3)
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert names_in_table(wizard) == ["Åsa Öberg", "Anna Berg", "Olle Öberg"]
    table.selectRow(1)  # the convener always takes part
    qtbot.keyClick(table, Qt.Key.Key_Delete)
    assert names_in_table(wizard) == ["Åsa Öberg", "Anna Berg", "Olle Öberg"]
    assert wizard.participants_page.count_label.text() == "Du som kallar är alltid med på mötet."
    assert [p.kind for p in wizard.collect().participants] == [
        ParticipantKind.PERSON, ParticipantKind.PROFESSIONAL, ParticipantKind.RELATIVE]


def test_a_principal_outside_the_consent_is_refused(session: Session, qtbot: QtBot) -> None:
    world = make_world(session)
    school = contacts.add_organisation(
        world["manager"], name="Friskolan", principal=contacts.ensure_principal(
            "Friskolan AB", PrincipalKind.OTHER), kind=OrganisationKind.SCHOOL,
        law=Law.SCHOOL, phone="0000-11 11 11")
    contacts.add_contact(world["manager"], school, name="Karin Kurator", role="Skolkurator")
    wizard = open_wizard(qtbot, session, world["case"])
    fill_purpose(qtbot, wizard)
    for text in ("maria", "per nord", "karin"):
        add_from_search(qtbot, wizard, text)
    next_page(qtbot, wizard)
    page = wizard.participants_page
    assert wizard.currentId() == W.PARTICIPANTS
    assert page.error.text().startswith("Samtycket omfattar inte Friskolan AB.")
    assert page.search_hint.text() == (
        "Samtycket omfattar: Exempelby kommun, Region Exempelland.")


def test_after_sending_letters_and_calendar_file(
    sqlite_session: Session, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    world = make_world(sqlite_session)
    draft = InvitationDraft(
        purpose=PURPOSE, starts_at=default_start(clock.today()),
        staff_meeting_skipped_reason="Behövs inte",
        participants=[kallelse_module.person_participant(world["case"])] + [
            kallelse_module.directory_participant(contacts.entry(contacts.EntryKind.USER, u.id))
            for u in (world["manager"], world["nurse"])])
    wizard = KallelseWizard(sqlite_session, start_of(sqlite_session, world["case"]), draft=draft)
    qtbot.addWidget(wizard)
    wizard.resume_page = W.REVIEW
    wizard.start()
    wizard.show()
    assert wizard.currentId() == W.REVIEW
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    settle(qtbot)  # sent in the background
    qtbot.waitUntil(lambda: wizard.currentId() == W.SENT, timeout=2000)
    sent = wizard.sent_page
    assert sent.calendar_button.isVisible() == outputs.calendar_available()
    if not outputs.calendar_available():
        pytest.skip("sipdesk.meetings.calendar_files is not installed")
    target = tmp_path / "mote.ics"
    monkeypatch.setattr(outputs.SaveFileDialog, "ask", classmethod(lambda *a, **k: target))
    qtbot.mouseClick(sent.calendar_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(target.exists, timeout=5000)
    qtbot.waitUntil(lambda: bool(message_log.shown), timeout=2000)
    assert message_log.shown[-1][1] == "Kalenderfilen är sparad"
    text = target.read_text(encoding="utf-8")
    assert f"SIP-möte {world['case'].number}" in text and "Åsa" not in text


def test_a_case_without_consent_cannot_be_sent(sqlite_session: Session, qtbot: QtBot) -> None:
    """The core's refusal reaches the review page, with nothing stored."""
    world = make_world(sqlite_session)
    case = make_case(sqlite_session.user, world["case"].person)  # no consent
    draft = InvitationDraft(
        purpose=PURPOSE, starts_at=default_start(clock.today()),
        staff_meeting_skipped_reason="Behövs inte",
        participants=[kallelse_module.directory_participant(
            contacts.entry(contacts.EntryKind.USER, u.id))
            for u in (world["manager"], world["nurse"])])
    wizard = KallelseWizard(sqlite_session, start_of(sqlite_session, case), draft=draft)
    qtbot.addWidget(wizard)
    wizard.resume_page = W.REVIEW
    wizard.start()
    wizard.show()
    click(qtbot, wizard, QWizard.WizardButton.CommitButton)
    settle(qtbot)  # refused in the background
    assert wizard.currentId() == W.REVIEW
    assert wizard.review_page.error.text().startswith("Samtycke saknas")
    assert invitation.current_meeting(case) is None
    assert Case.get_by_id(case.id).status == CaseStatus.NEED_REGISTERED.value
    assert wizard.button(QWizard.WizardButton.BackButton).isEnabled()  # nothing is lost


def test_follow_up_mode_has_its_own_title_and_draft(sqlite_session: Session,
                                                    qtbot: QtBot) -> None:
    """For issue 6: the same wizard invites to a follow-up, without touching a kallelse draft."""
    world = make_world(sqlite_session)
    case = world["case"]
    wizard = KallelseWizard.prepare(None, sqlite_session, case, follow_up=True)
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.start()
    wizard.show()
    assert wizard.windowTitle() == f"Kalla till uppföljning — {case.number}"
    fill_purpose(qtbot, wizard)
    settle(qtbot)  # saved in the background
    assert drafts.load_draft(sqlite_session.user, case, "kallelse") is None
    saved = drafts.load_draft(sqlite_session.user, case, "kallelse_uppfoljning")
    assert saved is not None and saved["follow_up"] is True
    assert "Uppföljning av SIP-möte" in kallelse_module.summary_html(wizard.case,
                                                                     wizard.collect())
