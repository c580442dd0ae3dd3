"""The case view's dialogs, driven like a user: typing, clicking, and the Swedish message at the
field when something is missing. Each DOMAIN rule they surface is named in the test.

Rules: consent at most one year (seed 003); a child's guardians consent — both of two
(seed 002); refusing a SIP needs a reason and replacing one needs the new case and the person's
agreement (seed 000 "Bedöma behov", "Avslut"); menprövning when the person cannot consent, and
"tackar nej" (seed 000 "Samtycke").
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QDateTimeEdit,
    QDialog,
    QLabel,
    QRadioButton,
    QWidget,
)
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import consent, guardians, lifecycle
from sipdesk.casework.consent import ConsentInput, ConsentKind, HarmConclusion, one_year_after
from sipdesk.casework.guardians import GuardianInput
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.desk import case_forms
from sipdesk.storage.models import Case, CaseStatus, Custody, Principal, PrincipalKind
from tests.factories import PNR_CHILD, make_case, make_person
from tests.ui.conftest import settle, type_text
from ui.dialogs.case_dialogs import ClosureDialog, NeedDialog, RefusalDialog
from ui.dialogs.consent_dialogs import (
    AddPrincipalDialog,
    ConsentDialog,
    DeclinedDialog,
    HarmAssessmentDialog,
    WithdrawConsentDialog,
)
from ui.dialogs.form_dialog import FormDialog
from ui.dialogs.guardian_dialog import AddGuardianDialog
from ui.session import Session

TODAY = clock.today()


@pytest.fixture
def region(sqlite_session: Session) -> Principal:
    return Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)


@pytest.fixture
def case(sqlite_session: Session) -> Case:
    return make_case(sqlite_session.user, make_person(first="Åsa", last="Öberg"))


def shown(qtbot: QtBot, dialog: QDialog) -> Any:
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def click(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a button, checkbox or radio button where its indicator or text is."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def consent_dialog(session: Session, case: Case) -> ConsentDialog:
    """The dialog as the case view opens it: with what it shows read first."""
    return ConsentDialog(session, case, case_forms.consent_form(session.user, case))


def fresh(case: Case) -> Case:
    return Case.get_by_id(case.id)


def drive(qtbot: QtBot, cls: type[FormDialog], fill: Callable[[Any], None]) -> Callable[..., Any]:
    """A stand-in for `cls.ask` that fills the real dialog like a user and presses OK."""

    def ask(parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        dialog = cls(*args, parent=parent, **kwargs)
        dialog.show()
        qtbot.waitExposed(dialog)
        fill(dialog)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
        settle(qtbot)
        accepted = dialog.result() == QDialog.DialogCode.Accepted
        value = dialog.result_value if accepted else None
        dialog.setParent(None)  # gone from the parent's children now, as after exec()
        dialog.deleteLater()
        return value

    return ask


# ---- consent ------------------------------------------------------------------------------------


def test_oral_consent_defaults_and_saving(
    sqlite_session: Session, qtbot: QtBot, case: Case, region: Principal,
) -> None:
    """Seed 003: oral consent is recorded with who took it and when; default one year."""
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    assert dialog.windowTitle() == "Registrera samtycke"
    assert dialog.findChild(QAbstractButton, "kind_oral").isChecked()
    assert dialog.given_on.value() == TODAY
    assert dialog.taken_by.currentData().id == sqlite_session.user.id
    assert dialog.valid_until.value() == one_year_after(TODAY)
    own = dialog.findChild(QCheckBox, f"principal_{sqlite_session.user.unit.principal_id}")
    assert own.isChecked()  # the one taking the consent takes part
    # … and the region is proposed too: a SIP always needs it (the person may say no).
    assert dialog.findChild(QCheckBox, f"principal_{region.id}").isChecked()
    assert not dialog.form.errors["guardians"].parentWidget().isVisible()  # an adult

    type_text(qtbot, dialog.covers, "Hjälp hemma efter fallolyckan, så att jag kan bo kvar")
    type_text(qtbot, dialog.exclusions, "Inget om ekonomin")
    type_text(qtbot, dialog.relatives, "Dottern Greta")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert dialog.result() == QDialog.DialogCode.Accepted
    given = dialog.result_value
    assert (given.kind, given.given_on, given.valid_until) == (
        "oral", TODAY, one_year_after(TODAY))
    assert given.taken_by.id == sqlite_session.user.id
    assert [p.name for p in consent.principals_of(given)] == [
        "Exempelby kommun", "Region Exempelland"]
    assert (given.exclusions, given.relatives_to_invite) == ("Inget om ekonomin", "Dottern Greta")
    assert fresh(case).status == CaseStatus.CONSENT_GIVEN.value


def test_missing_fields_are_said_at_the_field_and_nothing_is_lost(
    sqlite_session: Session, qtbot: QtBot, case: Case,
) -> None:
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    click(qtbot, dialog.findChild(QCheckBox, f"principal_{sqlite_session.user.unit.principal_id}"))
    type_text(qtbot, dialog.exclusions, "Inget om ekonomin")
    assert dialog.form.error_text("principals") == (
        "Välj vilka huvudmän som får delta och dela information.")  # as you type
    assert dialog.form.error_text("covers") == ""  # not touched yet
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()
    assert dialog.form.error_text("covers") == (
        "Skriv vilken fråga samtycket gäller, så som ni kom överens.")
    assert dialog.exclusions.toPlainText() == "Inget om ekonomin"
    assert consent.active_consent(case) is None
    type_text(qtbot, dialog.covers, "Stöd hemma")
    assert dialog.form.error_text("covers") == ""  # cleared as the user types


def test_valid_until_cannot_be_more_than_one_year(
    sqlite_session: Session, qtbot: QtBot, case: Case,
) -> None:
    """Seed 003: "Samtycket gäller max 1 år" — the date field stops there and says why."""
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    limit = one_year_after(TODAY)
    edit = dialog.valid_until
    assert edit.maximumDate().toPython() == limit
    message = f"Ett samtycke gäller högst ett år — senast {limit:%Y-%m-%d}."

    edit.setFocus()
    edit.setCurrentSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClick(edit, Qt.Key.Key_Up)  # one day more than a year
    assert edit.value() == limit
    assert dialog.form.error_text("valid_until") == message

    edit.set_value(limit - dt.timedelta(days=40))
    assert dialog.form.error_text("valid_until") == ""
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    qtbot.keyClicks(edit, str(limit.year + 1))  # typing a later year
    assert edit.value() <= limit
    assert dialog.form.error_text("valid_until") == message

    # Given earlier: the limit and the default move with it.
    dialog.given_on.set_value(TODAY - dt.timedelta(days=10))
    assert edit.maximumDate().toPython() == one_year_after(TODAY - dt.timedelta(days=10))
    assert dialog.valid_until_hint.text() == (
        f"Ett samtycke gäller högst ett år. Senast "
        f"{one_year_after(TODAY - dt.timedelta(days=10)):%Y-%m-%d}.")


def test_a_child_needs_both_guardians(sqlite_session: Session, qtbot: QtBot) -> None:
    """Seed 002: for a child the guardians consent; with two guardians both are needed, each
    answering for themselves — one yes is saved as an answer, not as the consent."""
    actor = sqlite_session.user
    child = make_person(PNR_CHILD, "Ella", "Åberg")
    mother = guardians.add_guardian(actor, child, GuardianInput("Mira Åberg", relation="mamma"))
    father = guardians.add_guardian(actor, child, GuardianInput("Olle Åberg", relation="pappa"))
    case = make_case(actor, child)
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    assert dialog.form.errors["guardians"].parentWidget().isVisible()
    type_text(qtbot, dialog.covers, "Stöd i skolan och hemma")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()
    assert dialog.form.error_text("guardians") == "Båda vårdnadshavarna behöver samtycka."
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{mother.id}_yes"))
    assert dialog.ok_button.text() == "Spara svaren"
    assert dialog.warning.text().startswith("Samtycket registreras inte än")
    assert dialog.form.error_text("guardians") == ""
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{father.id}_yes"))
    assert dialog.ok_button.text() == "Registrera samtycket"
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [g.name for g in consent.guardians_who_consented(dialog.result_value)] == [
        "Mira Åberg", "Olle Åberg"]


def test_nothing_typed_is_lost_when_only_the_first_guardians_answer_is_saved(
        sqlite_session: Session, qtbot: QtBot, region: Principal) -> None:
    """Nothing typed is lost (project rule), and seed 002's "both guardians consent, each for
    themselves": the mother says yes, the father has not answered. "Spara svaren" says that
    what was typed is kept too; the next time the dialog opens, the question, the principals
    ticked, the exclusions and the child's view are there again, beside her answer."""
    actor = sqlite_session.user
    child = make_person(PNR_CHILD, "Ella", "Åberg")
    mother = guardians.add_guardian(actor, child, GuardianInput("Mira Åberg", relation="mamma"))
    father = guardians.add_guardian(actor, child, GuardianInput("Olle Åberg", relation="pappa"))
    case = make_case(actor, child)
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    own = actor.unit.principal_id
    assert dialog.findChild(QCheckBox, f"principal_{own}").isChecked()  # proposed
    click(qtbot, dialog.findChild(QCheckBox, f"principal_{own}"))  # the family said no to it
    type_text(qtbot, dialog.covers, "Stöd i skolan och hemma")
    type_text(qtbot, dialog.exclusions, "Inte fritids")
    click(qtbot, dialog.findChild(QRadioButton, "kind_written"))
    click(qtbot, dialog.findChild(QRadioButton, f"guardian_{mother.id}_yes"))
    type_text(qtbot, dialog.child_view, "Ella vill att mötet är i skolan.")
    assert dialog.ok_button.text() == "Spara svaren"
    assert "Det du har skrivit — frågan, huvudmännen och resten — sparas också" in (
        dialog.warning.text())
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert fresh(case).status == CaseStatus.NEED_REGISTERED.value

    again = shown(qtbot, consent_dialog(sqlite_session, fresh(case)))
    assert again.covers.toPlainText() == "Stöd i skolan och hemma"
    assert again.exclusions.toPlainText() == "Inte fritids"
    assert again.child_view.toPlainText() == "Ella vill att mötet är i skolan."
    assert again.findChild(QRadioButton, "kind_written").isChecked()
    assert not again.findChild(QCheckBox, f"principal_{own}").isChecked()
    assert again.findChild(QCheckBox, f"principal_{region.id}").isChecked()
    assert again.findChild(QRadioButton, f"guardian_{mother.id}_yes").isChecked()
    assert "när de första svaren sparades, är ifyllt igen" in again.intro.text()
    # On screen at once (not only after an edit): her answer, and what saving does now.
    assert again.findChild(QWidget, f"guardian_{mother.id}").height() > 0
    assert again.ok_button.text() == "Spara svaren"
    click(qtbot, again.findChild(QRadioButton, f"guardian_{father.id}_yes"))
    qtbot.mouseClick(again.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    given = again.result_value
    assert (given.covers, given.exclusions, given.kind) == (
        "Stöd i skolan och hemma", "Inte fritids", "written")
    assert [p.name for p in consent.principals_of(given)] == [region.name]


def test_a_child_without_guardians_gets_them_added_first(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    case = make_case(sqlite_session.user, make_person(PNR_CHILD, "Ella", "Åberg"))
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    hint = dialog.findChild(QWidget, "guardians_hint")
    assert "inga vårdnadshavare är registrerade" in hint.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("guardians").startswith("Barnet är under 18 år")

    def fill(guardian: AddGuardianDialog) -> None:
        type_text(qtbot, guardian.fields["contact_name"], "Mira Åberg")
        type_text(qtbot, guardian.fields["relation"], "mamma")
        guardian.custody.setCurrentIndex(guardian.custody.findData(Custody.SOLE.value))

    monkeypatch.setattr(AddGuardianDialog, "ask", drive(qtbot, AddGuardianDialog, fill))
    qtbot.mouseClick(dialog.findChild(QAbstractButton, "add_guardian"),
                     Qt.MouseButton.LeftButton)
    [guardian] = consent.guardians_of(case.person)
    assert (guardian.name, guardian.relation, guardian.kind, guardian.custody) == (
        "Mira Åberg", "mamma", "guardian", "sole")
    row = dialog.findChild(QWidget, f"guardian_{guardian.id}")
    assert row.findChild(QLabel, f"guardian_{guardian.id}_name").text() == (
        "<b>Mira Åberg (mamma)</b> — ensam vårdnad")
    assert dialog.form.error_text("guardians") == "Vårdnadshavaren behöver samtycka."


def test_add_principal_from_the_consent_dialog(
    sqlite_session: Session, qtbot: QtBot, case: Case, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fill(add: AddPrincipalDialog) -> None:
        qtbot.mouseClick(add.ok_button, Qt.MouseButton.LeftButton)  # empty: said at the field
        settle(qtbot)
        assert add.form.error_text("principal") == "Ange huvudman, t.ex. Region Exempelland."
        type_text(qtbot, add.name, "Region Skåne")
        assert add.kind.currentText() == "Region"

    monkeypatch.setattr(AddPrincipalDialog, "ask", drive(qtbot, AddPrincipalDialog, fill))
    dialog = shown(qtbot, consent_dialog(sqlite_session, case))
    qtbot.mouseClick(dialog.findChild(QAbstractButton, "add_principal"),
                     Qt.MouseButton.LeftButton)
    settle(qtbot)  # the list of principals is read again in the background
    added = Principal.get(Principal.name == "Region Skåne")
    assert added.kind == PrincipalKind.REGION.value
    assert dialog.findChild(QCheckBox, f"principal_{added.id}").isChecked()


def test_renewal_is_prefilled_and_keeps_the_old_consent(
    sqlite_session: Session, qtbot: QtBot, case: Case, region: Principal,
) -> None:
    user = sqlite_session.user
    first = consent.register_consent(user, case, ConsentInput(
        kind=ConsentKind.WRITTEN, given_on=TODAY - dt.timedelta(days=300), covers="Stöd hemma",
        principals=[region], exclusions="Inget om ekonomin"))
    dialog = shown(qtbot, consent_dialog(sqlite_session, fresh(case)))
    assert dialog.windowTitle() == "Förnya samtycke"
    assert dialog.ok_button.text() == "Förnya samtycket"
    assert dialog.covers.toPlainText() == "Stöd hemma"
    assert dialog.exclusions.toPlainText() == "Inget om ekonomin"
    assert dialog.findChild(QCheckBox, f"principal_{region.id}").isChecked()
    assert not dialog.findChild(QCheckBox, f"principal_{user.unit.principal_id}").isChecked()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    renewed = dialog.result_value
    assert [c.id for c in consent.consents_of(case)] == [renewed.id, first.id]
    assert consent.Consent.get_by_id(first.id).superseded_by.id == renewed.id


def test_withdrawal_closes_the_case(
    sqlite_session: Session, qtbot: QtBot, case: Case, region: Principal,
) -> None:
    """Seed 000 "Avslut": consent withdrawn → the plan is closed; nothing earlier deleted."""
    consent.register_consent(sqlite_session.user, case, ConsentInput(
        kind=ConsentKind.ORAL, given_on=TODAY, covers="Stöd hemma", principals=[region]))
    dialog = shown(qtbot, WithdrawConsentDialog(sqlite_session, fresh(case),
                                                case_forms.withdraw_form(case)))
    assert "Samtycket återkallat" in dialog.warning.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("how") == (
        "Skriv hur den enskilde återkallade samtycket, t.ex. muntligt per telefon.")
    dialog.how.setCurrentIndex(dialog.how.findText("Muntligt per telefon"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert fresh(case).status == CaseStatus.CLOSED.value
    assert lifecycle.closure_of(case).reason == ClosureReason.CONSENT_WITHDRAWN.value
    [kept] = consent.consents_of(case)
    assert (kept.withdrawn_on, kept.withdrawn_how) == (TODAY, "Muntligt per telefon")


@pytest.mark.parametrize(
    ("conclusion", "status"),
    [(HarmConclusion.NO_HARM, CaseStatus.HARM_ASSESSED), (HarmConclusion.HARM, CaseStatus.REFUSED)],
)
def test_menprovning_both_conclusions(
    sqlite_session: Session, qtbot: QtBot, case: Case, conclusion: HarmConclusion,
    status: CaseStatus,
) -> None:
    """Seed 000: a person who cannot consent — menprövning; no harm → go on, harm → ends."""
    dialog = shown(qtbot, HarmAssessmentDialog(sqlite_session, case, case_forms.harm_form()))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("conclusion") == "Välj vad menprövningen kom fram till."
    assert dialog.form.error_text("contacts").startswith("Skriv vilka närstående")
    type_text(qtbot, dialog.contacts, "Sonen Per: mamma har alltid velat ha hjälp hemma.")
    click(qtbot, dialog.findChild(QAbstractButton, f"conclusion_{conclusion.value}"))
    expected = "avslutas" if conclusion is HarmConclusion.HARM else "fortsätter"
    assert expected in dialog.warning.text()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert fresh(case).status == status.value
    [made] = consent.harm_assessments_of(case)
    assert (made.conclusion, made.assessed_by.id) == (conclusion.value, sqlite_session.user.id)


def test_declined_ends_the_case(sqlite_session: Session, qtbot: QtBot, case: Case) -> None:
    """Seed 000: the person says no although the principals see the need — recorded."""
    dialog = shown(qtbot, DeclinedDialog(sqlite_session, case))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("note") == (
        "Skriv kort hur den enskilde tackade nej och vem som frågade.")
    type_text(qtbot, dialog.note, "Tackade nej vid hembesöket, frågad av Anna Berg")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert fresh(case).status == CaseStatus.DECLINED.value
    assert "Tackade nej vid hembesöket" in lifecycle.history(case)[-1].reason


def test_refusal_needs_a_reason(sqlite_session: Session, qtbot: QtBot, case: Case) -> None:
    """Seed 000 "Bedöma behov": refusing a SIP only with a documented reason."""
    dialog = shown(qtbot, RefusalDialog(sqlite_session, case))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()
    assert dialog.form.error_text("reason") == "Ange skälet till att SIP inte upprättas."
    assert fresh(case).status == CaseStatus.NEED_REGISTERED.value
    type_text(qtbot, dialog.reason, "Behovet tillgodoses redan inom hemtjänsten")
    assert dialog.form.error_text("reason") == ""
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)  # a new line in the text …
    assert dialog.isVisible()
    qtbot.keyClick(dialog.reason, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot)
    assert not dialog.isVisible()  # … Ctrl+Enter saves
    assert fresh(case).status == CaseStatus.REFUSED.value
    assert lifecycle.history(case)[-1].reason == "Behovet tillgodoses redan inom hemtjänsten"


def test_closure_replaced_needs_the_new_case_and_the_agreement(
    sqlite_session: Session, qtbot: QtBot, case: Case,
) -> None:
    """Seed 000 "Avslut": replaced by a new SIP — link it; the person must have agreed."""
    new = make_case(sqlite_session.user, case.person)
    dialog = shown(qtbot, ClosureDialog(sqlite_session, case, case_forms.closure_form(
        sqlite_session.user, case)))
    assert dialog.closed_on.value() == TODAY
    assert ClosureReason.CONSENT_WITHDRAWN.label not in [
        dialog.reason.itemText(i) for i in range(dialog.reason.count())]
    assert not dialog.form.errors["replaced_by"].parentWidget().isVisible()
    dialog.reason.setCurrentIndex(dialog.reason.findText("Ersätts av en ny SIP"))
    assert dialog.form.errors["replaced_by"].parentWidget().isVisible()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("replaced_by") == "Välj den nya SIP som ersätter den här."
    assert dialog.form.error_text("person_agreed") == (
        "Den enskilde måste ha gått med på att en ny SIP ersätter den här.")
    assert dialog.replaced_by.count() == 1 and new.number in dialog.replaced_by.itemText(0)
    dialog.replaced_by.setCurrentIndex(0)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.isVisible()  # still no agreement
    assert fresh(case).status == CaseStatus.NEED_REGISTERED.value
    click(qtbot, dialog.person_agreed)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    closure = lifecycle.closure_of(case)
    assert (closure.reason, closure.replaced_by.id, closure.person_agreed) == (
        "replaced", new.id, True)


def test_closure_reason_is_required(sqlite_session: Session, qtbot: QtBot, case: Case) -> None:
    dialog = shown(qtbot, ClosureDialog(sqlite_session, case, case_forms.closure_form(
        sqlite_session.user, case)))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("reason") == "Välj skälet till att ärendet avslutas."
    dialog.reason.setCurrentIndex(dialog.reason.findText("Målen är uppfyllda"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert lifecycle.closure_of(case).reason == ClosureReason.GOALS_MET.value


def test_need_from_a_relative_needs_a_name(
    sqlite_session: Session, qtbot: QtBot, case: Case,
) -> None:
    """DOMAIN step 1: record who noticed the need (person, relative, staff), when, the need in
    the person's own words and the question."""
    dialog = shown(qtbot, NeedDialog(sqlite_session, case, case_forms.need_form(case)))
    assert dialog.noticed_by() is lifecycle.NoticedBy.STAFF  # default: me
    assert dialog.noticed_by_user.currentData().id == sqlite_session.user.id
    assert not dialog.form.errors["noticed_by_name"].parentWidget().isVisible()
    click(qtbot, dialog.noticed_by_buttons[lifecycle.NoticedBy.RELATIVE])
    assert dialog.form.errors["noticed_by_name"].parentWidget().isVisible()
    type_text(qtbot, dialog.need, "Jag vill bo kvar hemma men orkar inte trappan.")
    type_text(qtbot, dialog.question, "Hur kan stödet samordnas så att jag bor kvar?")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("noticed_by_name") == (
        "Ange vilken närstående som uppmärksammade behovet.")
    type_text(qtbot, dialog.noticed_by_name, "Greta Öberg, dotter")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    need = lifecycle.need_of(case)
    assert need is not None
    assert (need.noticed_by, need.noticed_by_name, need.noticed_on) == (
        "relative", "Greta Öberg, dotter", TODAY)
    assert need.need == "Jag vill bo kvar hemma men orkar inte trappan."

    # "Ändra behov": filled in
    again = shown(qtbot, NeedDialog(sqlite_session, case, case_forms.need_form(case)))
    assert again.windowTitle() == "Ändra behov"
    assert again.noticed_by() is lifecycle.NoticedBy.RELATIVE
    assert again.question.toPlainText() == "Hur kan stödet samordnas så att jag bor kvar?"


def test_consent_dialog_on_both_engines(
    session: Session, db: peewee.Database, qtbot: QtBot,
) -> None:
    """Saving through the dialog on SQLite and PostgreSQL: the consent, its principals and the
    state change are stored together."""
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    case = make_case(session.user, make_person(first="Åsa", last="Öberg"))
    dialog = shown(qtbot, consent_dialog(session, case))
    type_text(qtbot, dialog.covers, "Samordning av hemtjänst och vårdcentral")
    assert dialog.findChild(QCheckBox, f"principal_{region.id}").isChecked()  # proposed
    click(qtbot, dialog.findChild(QAbstractButton, "kind_written"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = consent.active_consent(case)
    assert stored is not None and stored.kind == "written"
    assert len(consent.principals_of(stored)) == 2
    assert fresh(case).consent_valid_until == one_year_after(TODAY)


def test_need_noticed_by_staff_without_an_account(
    sqlite_session: Session, qtbot: QtBot, case: Case,
) -> None:
    dialog = shown(qtbot, NeedDialog(sqlite_session, case, case_forms.need_form(case)))
    dialog.noticed_by_user.setCurrentIndex(dialog.noticed_by_user.findText(
        "Någon utan konto i sipdesk"))
    assert dialog.form.errors["noticed_by_name"].parentWidget().isVisible()
    label = dialog.form.labelForField(dialog.form.errors["noticed_by_name"].parentWidget())
    assert label.text() == "Namn och yrke"
    type_text(qtbot, dialog.need, "Hon ramlar ofta på nätterna.")
    type_text(qtbot, dialog.question, "Hur kan natten bli trygg?")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert dialog.form.error_text("noticed_by_name") == (
        "Ange vilken personal som uppmärksammade behovet.")
    type_text(qtbot, dialog.noticed_by_name, "Sam Ek, undersköterska")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    need = lifecycle.need_of(case)
    assert need is not None
    assert (need.noticed_by, need.noticed_by_user, need.noticed_by_name) == (
        "staff", None, "Sam Ek, undersköterska")
