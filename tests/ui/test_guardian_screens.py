"""A child's guardians on screen (seed 002, issue 14), driven like a user with the real widgets:
two guardians added from the case overview with the Swedish message at the field for what is
wrong, each guardian's consent recorded on its own (one yes, then the other's later), the
child's own view beside it, and the overview saying who gets no letters and why.

Rules named here: a child has one or two guardians, sole custody is one (seed 002); both
guardians must consent, each answer kept with how it was given (seed 002); the child's view is
recorded whatever the age and may be empty; a guardian who may not be told gets no paper.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialog, QLabel, QRadioButton, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.casework import consent, contacts, guardian_answers, guardians
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.guardians import GuardianInput
from sipdesk.desk import case_forms
from sipdesk.storage.guardian_records import GuardianHow
from sipdesk.storage.models import Case, CaseStatus, Custody, InformationBlock, Person
from tests.factories import make_case, make_person
from tests.ui.conftest import settle, shown_tab, type_text
from ui.case_tabs.consent_tab import ConsentTab
from ui.case_tabs.overview import OverviewTab
from ui.dialogs.consent_dialogs import ConsentDialog
from ui.dialogs.guardian_dialog import GuardianDialog
from ui.session import Session

from .test_case_tabs import button, region, show_case, text_of
from .test_consent_dialogs import click, drive, shown

PNR_THIRTEEN = "20130101-2397"
def shot(widget: QWidget, name: str) -> None:
    """What the user sees, painted; saved as `name`.png in the folder SIPDESK_SHOTS names (to
    look at by hand — the tests assert the words)."""
    QApplication.processEvents()  # the layouts settle first
    picture = widget.grab()
    folder = os.environ.get("SIPDESK_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        picture.save(str(Path(folder) / f"{name}.png"))


@pytest.fixture
def child(sqlite_session: Session) -> Person:
    person = make_person(PNR_THIRTEEN, "Liv", "Åkesson")
    person.address, person.postal_code, person.city = "Björkvägen 3", "123 45", "Exempelby"
    person.save()
    return Person.get_by_id(person.id)


def ok(qtbot: QtBot, dialog: QDialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)  # type: ignore[attr-defined]
    settle(qtbot)


def test_adding_two_guardians_from_the_overview_with_messages_at_the_field(
        sqlite_session: Session, qtbot: QtBot, child: Person,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 002: the guardians are part of the child's record, one or two, each with contact
    details, language and interpreter need of their own; what is wrong is said at the field."""
    case = make_case(sqlite_session.user, child)
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "paper_note_0").startswith("Liv (13 år) får egna brev")

    def first(dialog: GuardianDialog) -> None:
        assert dialog.windowTitle() == "Lägg till vårdnadshavare"
        ok(qtbot, dialog)
        assert dialog.form.error_text("contact_name") == "Ange vårdnadshavarens namn."
        type_text(qtbot, dialog.fields["contact_name"], "Eva Åkesson")
        type_text(qtbot, dialog.fields["relation"], "mamma")
        type_text(qtbot, dialog.fields["phone"], "070-111 22 33")
        type_text(qtbot, dialog.fields["address"], "Björkvägen 3")
        assert "postnummer" in dialog.form.error_text("address")
        type_text(qtbot, dialog.fields["address"], ", 123 45 Exempelby")
        assert dialog.form.error_text("address") == ""
        shot(dialog, "guardian_dialog_add")

    monkeypatch.setattr(GuardianDialog, "ask", drive(qtbot, GuardianDialog, first))
    qtbot.mouseClick(button(overview, "add_guardian"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    overview = shown_tab(qtbot, view, OverviewTab)

    def second(dialog: GuardianDialog) -> None:
        type_text(qtbot, dialog.fields["contact_name"], "Per Åkesson")
        type_text(qtbot, dialog.fields["relation"], "pappa")
        dialog.custody.setCurrentIndex(dialog.custody.findData(Custody.SOLE.value))
        assert dialog.form.error_text("custody").startswith(
            "Eva Åkesson är redan vårdnadshavare. Ensam vårdnad betyder")
        dialog.custody.setCurrentIndex(dialog.custody.findData(Custody.JOINT.value))
        assert dialog.form.error_text("custody") == ""
        type_text(qtbot, dialog.fields["address"], "Tallstigen 9, 123 46 Exempelby")
        dialog.fields["language"].clear()
        type_text(qtbot, dialog.fields["language"], "arabiska")
        click(qtbot, dialog.findChild(QCheckBox, "needs_interpreter"))
        note = dialog.fields["information_block_note"]
        assert not note.isVisible()
        dialog.block.setCurrentIndex(dialog.block.findData(InformationBlock.OTHER.value))
        assert note.isVisible()
        ok(qtbot, dialog)
        assert "vilket beslut" in dialog.form.error_text("information_block_note")
        type_text(qtbot, note, "Tingsrättens dom 2026-03-01")
        shot(dialog, "guardian_dialog_not_informed")

    monkeypatch.setattr(GuardianDialog, "ask", drive(qtbot, GuardianDialog, second))
    qtbot.mouseClick(button(overview, "add_guardian"), Qt.MouseButton.LeftButton)
    settle(qtbot)

    eva, per = guardians.guardians_of(child)
    assert (eva.name, eva.custody, eva.phone, eva.address) == (
        "Eva Åkesson", "joint", "070-111 22 33", "Björkvägen 3, 123 45 Exempelby")
    assert (per.language, per.needs_interpreter, per.information_block) == (
        "arabiska", True, "other")
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "contact_0").startswith("Eva Åkesson (mamma), gemensam vårdnad")
    assert text_of(overview, "contact_1").endswith("behöver tolk på arabiska")
    assert text_of(overview, f"not_informed_{per.id}") == (
        "Får inte få information om barnet (annat beslut: Tingsrättens dom 2026-03-01) — inga "
        "brev eller exemplar skapas till hen.")
    notes = [text_of(overview, f"paper_note_{n}") for n in range(3)]
    assert notes[0] == ("Vårdnadshavaren får brev och exemplar av planen till sin adress: "
                        "Eva Åkesson.")
    assert notes[1].startswith("Inget brev och inget exemplar till Per Åkesson:")
    assert not button(overview, "add_guardian").isEnabled()  # two is the most
    shot(view, "overview_guardians")
    shot(overview.findChild(QWidget, "contacts_box"), "overview_guardians_box")

    def change(dialog: GuardianDialog) -> None:
        assert dialog.windowTitle() == "Ändra vårdnadshavare"
        assert dialog.fields["contact_name"].text() == "Per Åkesson"
        dialog.block.setCurrentIndex(dialog.block.findData(InformationBlock.NONE.value))

    monkeypatch.setattr(GuardianDialog, "ask", drive(qtbot, GuardianDialog, change))
    qtbot.mouseClick(button(overview, f"edit_guardian_{per.id}"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert guardians.guardians_of(child)[1].information_block == ""


def test_recording_two_guardians_consents_one_at_a_time(
        sqlite_session: Session, qtbot: QtBot, child: Person) -> None:
    """Seed 002: both guardians must consent, each for themselves. The mother says yes by phone
    and the answer is saved while the father has not answered; the next time the dialog opens
    her answer is there, the father says yes in writing, the child's own words go beside it, and
    the consent is registered — the Samtycke tab shows each answer and how it was given."""
    actor = sqlite_session.user
    eva = guardians.add_guardian(actor, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", address="Björkvägen 3, 123 45 Exempelby"))
    per = guardians.add_guardian(actor, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, relation="pappa", address="Tallstigen 9, 123 46 Exempelby",
        information_block=InformationBlock.RESTRAINING_ORDER))
    case = make_case(actor, child)
    region()

    def dialog_now() -> ConsentDialog:
        fresh = Case.get_by_id(case.id)
        return shown(qtbot, ConsentDialog(sqlite_session, fresh,
                                          case_forms.consent_form(actor, fresh)))

    dialog = dialog_now()
    type_text(qtbot, dialog.covers, "Stödet i skolan och från BUP")
    assert "inga brev eller exemplar" in text_of(dialog, f"guardian_{per.id}_not_informed")
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{eva.id}_yes"))
    assert dialog.ok_button.text() == "Spara svaren"
    shot(dialog, "consent_dialog_one_answer")
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert Case.get_by_id(case.id).status == CaseStatus.NEED_REGISTERED.value
    assert list(guardian_answers.pending_answers(case)) == [eva.id]

    dialog = dialog_now()
    assert dialog.findChild(QRadioButton, f"guardian_{eva.id}_yes").isChecked()
    assert dialog.covers.toPlainText() == "Stödet i skolan och från BUP"  # kept, not retyped
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{per.id}_yes"))
    how = dialog.findChild(QWidget, f"guardian_{per.id}_how")
    how.setCurrentIndex(how.findData(GuardianHow.WRITTEN.value))
    assert dialog.ok_button.text() == "Registrera samtycket"
    type_text(qtbot, dialog.child_view, "Liv vill att mötet är i skolan och att mamma är med.")
    shot(dialog, "consent_dialog_both")
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    given = dialog.result_value
    answers = guardian_answers.answers_of_consents([given.id])[given.id]
    assert [(a.guardian.name, a.how) for a in answers] == [("Eva Åkesson", "phone"),
                                                           ("Per Åkesson", "written")]
    assert given.child_view == "Liv vill att mötet är i skolan och att mamma är med."

    view = show_case(qtbot, sqlite_session, case.id)
    tab = shown_tab(qtbot, view, ConsentTab)
    lines = text_of(tab, "consent_guardians").splitlines()
    assert lines[0].startswith("Eva Åkesson samtycker (muntligt per telefon, ")
    assert lines[1].startswith("Per Åkesson samtycker (skriftligt, med underskrift, ")
    assert text_of(tab, "consent_child_view").startswith("Liv vill att mötet är i skolan")
    shot(view, "consent_tab_guardians")


def test_a_guardian_who_says_no_is_saved_and_shown_as_waiting(
        sqlite_session: Session, qtbot: QtBot, child: Person) -> None:
    actor = sqlite_session.user
    eva = guardians.add_guardian(actor, child, GuardianInput("Eva Åkesson", Custody.JOINT))
    per = guardians.add_guardian(actor, child, GuardianInput("Per Åkesson", Custody.JOINT))
    case = make_case(actor, child)
    dialog = shown(qtbot, ConsentDialog(sqlite_session, case,
                                        case_forms.consent_form(actor, case)))
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{eva.id}_yes"))
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{per.id}_no"))
    assert dialog.warning.text().startswith("Per Åkesson samtycker inte.")
    ok(qtbot, dialog)
    assert dialog.result() == QDialog.DialogCode.Accepted
    view = show_case(qtbot, sqlite_session, case.id)
    tab = shown_tab(qtbot, view, ConsentTab)
    assert text_of(tab, "pending_list").splitlines()[1].startswith(
        "Per Åkesson samtycker inte (muntligt per telefon, ")
    assert consent.consents_of(case) == []
    shot(view, "consent_tab_waiting")


def test_an_old_answer_is_not_counted_twice(sqlite_session: Session, child: Person) -> None:
    """A waiting answer becomes part of the consent; a changed one is recorded anew."""
    actor = sqlite_session.user
    eva = guardians.add_guardian(actor, child, GuardianInput("Eva Åkesson", Custody.SOLE))
    case = make_case(actor, child)
    today = case.created_at.date()
    guardian_answers.record_guardian_answers(actor, case, [
        AnswerInput(eva, False, today, GuardianHow.ORAL)])
    given = consent.register_consent(actor, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=today, covers="Skolan",
        principals=[actor.unit.principal, region()],
        guardian_answers=[AnswerInput(eva, True, today, GuardianHow.PHONE)]))
    [answer] = guardian_answers.answers_of_consents([given.id])[given.id]
    assert (answer.consents, answer.how) == (True, "phone")
    assert guardian_answers.pending_answers(case) == {}


def test_the_meeting_tab_says_who_gets_letters_for_a_child(
        sqlite_session: Session, qtbot: QtBot, child: Person) -> None:
    """The letters for a child go to the guardians — and the screen says who gets none, and
    why, before anyone prints (seed 002; a guardian not told gets no paper)."""
    from sipdesk.meetings import invitation
    from sipdesk.meetings.invitation import InvitationDraft
    from sipdesk.meetings.invitation_start import (
        directory_participant,
        person_participant,
        relative_participant,
    )

    from .test_meeting_tab import START, make_world, open_tab

    world = make_world(sqlite_session)  # its users and directory; its adult case is not used
    actor = sqlite_session.user
    eva = guardians.add_guardian(actor, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address="Björkvägen 3, 123 45 Exempelby"))
    per = guardians.add_guardian(actor, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, information_block=InformationBlock.PROTECTED_ADDRESS))
    case = make_case(actor, child)
    consent.register_consent(actor, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=case.created_at.date(), covers="Skolan",
        principals=[actor.unit.principal, region()], guardian_answers=[
            AnswerInput(g, True, case.created_at.date(), GuardianHow.PHONE) for g in (eva, per)]))
    case = Case.get_by_id(case.id)
    entry = contacts.entry
    invitation.send_invitation(actor, case, InvitationDraft(
        purpose="Samordna stödet i skolan", starts_at=START,
        staff_meeting_at=START - dt.timedelta(days=7), staff_meeting_place="Teams",
        participants=[
            person_participant(case), relative_participant(eva),
            directory_participant(entry(contacts.EntryKind.USER, world["manager"].id)),
            directory_participant(entry(contacts.EntryKind.USER, world["nurse"].id))]))
    tab = open_tab(qtbot, sqlite_session, case)
    note = text_of(tab, "letters_paper_note")
    assert note.startswith("Brev för ett barn: Vårdnadshavaren får brev och exemplar av planen "
                           "till sin adress: Eva Åkesson.")
    assert ("Inget brev och inget exemplar till Per Åkesson: får inte få information om barnet "
            "(skyddad adress).") in note
    assert "Liv (13 år) får egna brev och en egen plan, med text för barn." in note
    shot(tab, "meeting_tab_child_letters")


def test_the_overview_says_the_young_person_must_consent_themselves_from_18(
        sqlite_session: Session, qtbot: QtBot, time_machine: Any) -> None:
    """Seed 002: from the 18th birthday the guardians' consent no longer carries the case — the
    overview's next step and its consent line say the young person must consent themselves."""
    from sipdesk.clock import STOCKHOLM

    actor = sqlite_session.user
    time_machine.move_to(dt.datetime(2026, 6, 1, 12, 0, tzinfo=STOCKHOLM))
    young = make_person("20081119-2392", "Noa", "Lind")
    sara = guardians.add_guardian(actor, young, GuardianInput("Sara Lind", Custody.SOLE))
    case = make_case(actor, young)
    consent.register_consent(actor, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=dt.date(2026, 6, 1), covers="Skolan",
        principals=[actor.unit.principal, region()],
        guardian_answers=[AnswerInput(sara, True, dt.date(2026, 6, 1), GuardianHow.PHONE)]))
    time_machine.move_to(dt.datetime(2026, 11, 19, 9, 0, tzinfo=STOCKHOLM))
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "next_step").startswith("Har fyllt 18 år (2026-11-19). "
                                                     "Vårdnadshavarnas samtycke gäller inte "
                                                     "längre")
    assert text_of(overview, "consent_state") == ("Fyllde 18 år 2026-11-19 — eget samtycke "
                                                  "behövs")
    assert not [m for m in overview.findChildren(QLabel) if m.objectName().startswith(
        "missing_") and "18 år" in m.text()]  # said once, in the next step
    assert not button(overview, "renew_consent").isHidden()
    shot(view, "overview_turned_18")
    tab = shown_tab(qtbot, view, ConsentTab)
    assert text_of(tab, "consent_adulthood").startswith("Har fyllt 18 år (2026-11-19).")


def test_the_childs_consent_dialog_fits_a_laptop_and_the_guardians_rows_do_not_overlap(
        sqlite_session: Session, qtbot: QtBot, child: Person) -> None:
    """A 1366×768 laptop: the consent dialog for a child with two guardians opens no taller than
    the screen (the form scrolls, the buttons stay in sight), and at the dialog's own size each
    guardian's row has its full height — no two rows, and nothing in a row, lie on each other."""
    actor = sqlite_session.user
    for name, relation in (("Eva Åkesson", "mamma"), ("Per Åkesson", "pappa")):
        guardians.add_guardian(actor, child, GuardianInput(name, Custody.JOINT,
                                                           relation=relation))
    case = make_case(actor, child)
    region()
    dialog = shown(qtbot, ConsentDialog(sqlite_session, case,
                                        case_forms.consent_form(actor, case)))
    settle(qtbot)
    assert dialog.exclusions.placeholderText() == "Det barnet inte vill att samtycket gäller"
    laptop = 768 - 40  # the panel and the title bar take their part
    assert dialog.minimumSizeHint().height() <= laptop
    assert dialog.minimumHeight() <= laptop
    assert dialog.height() <= dialog.screen().availableGeometry().height() - 40
    rows = [w for w in dialog.findChildren(QWidget)
            if w.objectName().startswith("guardian_") and w.objectName()[9:].isdigit()]
    assert len(rows) == 2
    for size, name in ((dialog.size(), "own"),
                       (dialog.minimumSizeHint().expandedTo(QSize(680, 0)), "smallest")):
        dialog.resize(size)
        settle(qtbot)
        shot(dialog, f"consent_dialog_child_{name}_size")
        assert dialog.ok_button.isVisible() and dialog.cancel_button.isVisible()
        assert dialog.buttons.geometry().bottom() <= dialog.height()
        for row in rows:
            assert row.height() >= row.sizeHint().height(), row.objectName()
        a, b = (r.geometry() for r in rows)
        assert not a.intersects(b)
        for row in rows:
            parts = [w for w in row.findChildren(QWidget) if w.isVisibleTo(row)
                     and w.objectName().endswith(("_name", "_yes", "_how"))]
            assert len(parts) == 3
            places = [w.mapTo(row, QPoint(0, 0)).y() for w in parts]
            heights = [w.height() for w in parts]
            for top, height, below in zip(places, heights, places[1:], strict=False):
                assert top + height <= below, row.objectName()  # a line on the next one


PNR_NINE = "20170101-2393"


def young_child_meeting(session: Session, *, from_wizard: bool = False) -> tuple[Case, Any]:
    """A nine-year-old's case (one guardian, the mother) called to a meeting at home: the
    meeting, or what the Kallelse wizard's sending returns (`from_wizard`)."""
    from sipdesk.meetings import invitation
    from sipdesk.meetings.invitation import InvitationDraft
    from sipdesk.meetings.invitation_start import (
        directory_participant,
        person_participant,
        relative_participant,
        send_from_wizard,
    )

    from .test_meeting_tab import START, make_world

    world = make_world(session)
    actor = session.user
    child = make_person(PNR_NINE, "Lo", "Åkesson")
    child.address, child.postal_code, child.city = "Björkvägen 3", "123 45", "Exempelby"
    child.save()
    eva = guardians.add_guardian(actor, child, GuardianInput(
        "Eva Åkesson", Custody.SOLE, relation="mamma", address="Björkvägen 3, 123 45 Exempelby"))
    case = make_case(actor, child)
    consent.register_consent(actor, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=case.created_at.date(), covers="Skolan",
        principals=[actor.unit.principal, region()], guardian_answers=[
            AnswerInput(eva, True, case.created_at.date(), GuardianHow.PHONE)]))
    case = Case.get_by_id(case.id)
    draft = InvitationDraft(
        purpose="Samordna stödet i skolan", starts_at=START,
        staff_meeting_at=START - dt.timedelta(days=7), staff_meeting_place="Teams",
        participants=[
            person_participant(case), relative_participant(eva),
            directory_participant(contacts.entry(contacts.EntryKind.USER, world["manager"].id)),
            directory_participant(contacts.entry(contacts.EntryKind.USER, world["nurse"].id))])
    if from_wizard:
        return case, send_from_wizard(actor, case.id, draft)
    return case, invitation.send_invitation(actor, case, draft)


def test_a_child_under_the_letter_age_is_invited_via_the_guardians_and_not_on_the_call_list(
        sqlite_session: Session, qtbot: QtBot) -> None:
    """Seed 002, the setting `child_letter_age` (default 12): a nine-year-old gets no letter of
    their own — the guardians' letters reach them. The Kallelse tab says so in the participants'
    table ("Via vårdnadshavarna", not "Brev"), and the child is not on the list of those to call
    or write to, as the letters decide (`guardians.gets_own_letters`)."""
    from sipdesk.meetings import invitation

    from .test_meeting_tab import open_tab

    case, meeting = young_child_meeting(sqlite_session)
    assert [p.name for p in invitation.call_list(meeting)] == ["Eva Åkesson"]

    tab = open_tab(qtbot, sqlite_session, case)
    table = tab.findChild(QWidget, "meeting_participants")
    model = table.model()
    how = {model.index(row, 0).data(): model.index(row, 4).data()
           for row in range(model.rowCount())}
    assert how["Lo Åkesson"] == "Via vårdnadshavarna"
    assert how["Eva Åkesson"] == "Brev"
    calls = tab.findChild(QWidget, "call_list")
    assert [calls.item(row, 1).text() for row in range(calls.rowCount())] == ["Eva Åkesson"]
    shot(tab, "meeting_tab_young_child")


def test_the_kallelse_wizard_leaves_a_young_child_off_the_list_to_call_or_write_to(
        sqlite_session: Session) -> None:
    """Seed 002, `child_letter_age`: the wizard's last page lists whom to call or write to from
    what sending returns — the nine-year-old is not among them, the guardian is."""
    from sipdesk.meetings import invitation

    _case, sent = young_child_meeting(sqlite_session, from_wizard=True)
    assert sent.person_letter is False
    assert [p.name for p in invitation.to_call_or_write(
        sent.participants, person_letter=sent.person_letter)] == ["Eva Åkesson"]


def test_a_child_is_called_barnet_not_den_enskilde(
        sqlite_session: Session, qtbot: QtBot) -> None:
    """Seed 002: a child is "Barnet" (the evaluation's word, `evaluation.kind_label`) — the
    participant's role on the Kallelse tab, the meeting "Hemma hos barnet", the button "Barnet
    tackar nej…" — and in the documentation wizard's participants the child and a
    guardian have a dash for profession ("Yrke"), which the plan requires in every row."""
    from sipdesk.meetings import attendance

    from .test_meeting_tab import open_tab

    case, meeting = young_child_meeting(sqlite_session)
    assert meeting.place == "Hemma hos barnet (Björkvägen 3, 123 45 Exempelby)"
    tab = open_tab(qtbot, sqlite_session, case)
    model = tab.findChild(QWidget, "meeting_participants").model()
    roles = {model.index(row, 0).data(): model.index(row, 1).data()
             for row in range(model.rowCount())}
    assert roles["Lo Åkesson"] == "Barnet"

    def shown_texts() -> list[str]:
        return [label.text() for label in tab.findChildren(QLabel) if label.isVisible()]

    qtbot.waitUntil(lambda: any("Hemma hos barnet" in t for t in shown_texts()), timeout=5000)
    assert not any("enskilde" in t for t in shown_texts())
    shot(tab, "meeting_tab_barnet")

    from sipdesk.meetings.invitation import Participant
    Participant.update(attended=True).where(Participant.meeting == meeting.id).execute()
    professions = {t.name: t.profession for t in attendance.took_part(meeting)}
    assert professions["Lo Åkesson"] == "—"  # the plan asks for something in every row
    assert professions["Eva Åkesson"] == "—"

    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    texts = [b.text() for b in overview.findChildren(QWidget) if hasattr(b, "text")
             and isinstance(b.text(), str)]
    assert "Barnet tackar nej…" in texts
    assert not any("Den enskilde" in t for t in texts)
    from ui.dialogs.consent_dialogs import DeclinedDialog
    declined = shown(qtbot, DeclinedDialog(sqlite_session, case))
    assert declined.windowTitle() == "Barnet tackar nej"
    assert declined.intro.text().startswith("Barnet vill inte ha en SIP")
    shot(declined, "declined_dialog_child")


def test_the_participants_table_shows_role_and_answer_whole_in_a_narrow_window(
        sqlite_session: Session, qtbot: QtBot) -> None:
    """A 1093 px wide window leaves the Kallelse tab about 860 px: the role ("Vårdnadshavare
    (mamma)") and the answer are shown whole and the table needs no sideways scrolling — the
    short Lag column takes no more than its word, the principal and unit give way."""
    from .test_meeting_tab import open_tab

    case, _meeting = young_child_meeting(sqlite_session)
    tab = open_tab(qtbot, sqlite_session, case)
    tab.resize(860, 800)
    settle(qtbot)
    table = tab.findChild(QWidget, "meeting_participants")
    model, header = table.model(), table.horizontalHeader()
    metrics = table.fontMetrics()
    for column in range(model.columnCount()):
        if model.headerData(column, Qt.Orientation.Horizontal) == "Huvudman · enhet":
            continue  # the one that gives way (the full text is its tooltip)
        widest = max(metrics.horizontalAdvance(str(model.index(row, column).data() or ""))
                     for row in range(model.rowCount()))
        assert header.sectionSize(column) >= widest, model.headerData(
            column, Qt.Orientation.Horizontal)
    lag = next(c for c in range(model.columnCount())
               if model.headerData(c, Qt.Orientation.Horizontal) == "Lag")
    assert header.sectionSize(lag) <= metrics.horizontalAdvance("Lag") + 40
    last = model.columnCount() - 1
    assert header.sectionViewportPosition(last) + header.sectionSize(last) \
        <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    shot(tab, "meeting_tab_narrow")
