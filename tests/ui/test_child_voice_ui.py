"""A child's SIP on the screens (seed 002), driven like a user: the documentation wizard has a
page "Barnets egna ord" for a child — where "Barnet ville inte säga något" is a valid answer and
the wizard moves on — and none for an adult; the återkoppling to the child is recorded from
Planen and the reminder in Att göra disappears; a school's kallelse that cannot be a SIP is
refused at the participants with the reason and another meeting form. Screenshots are saved
when SIPDESK_SCREENSHOTS names a folder."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractButton, QLabel, QWidget, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.desk import todo
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import AskedWay
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case
from tests.child_scenarios import (
    approve_child_plan,
    child_plan_world,
    child_world,
    fill_child_plan,
)
from tests.ui.conftest import settle, type_text
from tests.ui.documentation_support import (
    context_of,
    drive_dialog,
    go_to,
    open_wizard,
    session_of,
    stored,
    world_with_plan,
)
from ui.case_tabs.plan_tab import PlanTab
from ui.dialogs.child_feedback import ChildFeedbackDialog
from ui.operations import Operation
from ui.todo.view import TodoView
from ui.wizards.documentation import DocumentationWizard as W
from ui.wizards.kallelse import KallelseWizard

AFTER = dt.date(2026, 12, 15)


def snap(widget: QWidget, name: str) -> None:
    folder = os.environ.get("SIPDESK_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def tick(qtbot: QtBot, button: QAbstractButton) -> None:
    """Click a check box on its box (a wide one's middle is empty space)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(6, button.height() // 2))


@pytest.fixture
def url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def test_the_wizard_asks_for_the_childs_own_words_after_the_situation(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """Seed 002 §4: for a child, a page of its own — the child's words, how the child was
    asked, how the views were weighed — saved as the user goes."""
    world = child_plan_world()
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, url, world["officer"], plan_id)
    titles = [wizard.page(i).title() for i in wizard.pageIds()]
    assert titles == ["1 av 7 · Deltagare", "2 av 7 · Den enskildes situation och mål",
                      "3 av 7 · Barnets egna ord", "4 av 7 · Insatser per huvudman",
                      "5 av 7 · Andra och ansvar", "6 av 7 · Uppföljning", "7 av 7 · Granska"]
    go_to(qtbot, wizard, W.SITUATION)
    assert "child_views" not in wizard.page(W.SITUATION).edits  # it has a page of its own
    type_text(qtbot, wizard.page(W.SITUATION).edits["main_goal"], "Att orka hela skoldagen")
    go_to(qtbot, wizard, W.CHILD)
    page = wizard.page(W.CHILD)
    assert "ingen skyldighet att ha eller säga en åsikt" in page.help.text()
    type_text(qtbot, page.words, "Jag vill vila efter lunch.")
    for way in (AskedWay.BEFORE, AskedWay.PICTURES, AskedWay.TRUSTED):
        tick(qtbot, page.ways[way])
    assert page.trusted.isEnabled()
    type_text(qtbot, page.trusted, "mormor Elsa")
    type_text(qtbot, page.weighing, "Lo vet vad hon behöver. Vilan blev en insats.")
    qtbot.waitUntil(lambda: stored(plan_id).child_weighing.endswith("en insats."), timeout=3000)
    saved = stored(plan_id)
    assert (saved.child_views, saved.child_asked, saved.child_trusted) == (
        "Jag vill vila efter lunch.", "before,trusted,pictures", "mormor Elsa")
    snap(wizard, "documentation_child_words")
    go_to(qtbot, wizard, W.INTERVENTIONS)


def test_ville_inte_saga_nagot_is_a_valid_answer_in_the_wizard(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """Seed 002 §2.1.1: no duty to have an opinion — ticked, no words, and "Nästa" goes on
    without a message."""
    world = child_plan_world()
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, url, world["officer"], plan_id)
    go_to(qtbot, wizard, W.SITUATION)
    type_text(qtbot, wizard.page(W.SITUATION).edits["main_goal"], "Att orka hela skoldagen")
    go_to(qtbot, wizard, W.CHILD)
    page = wizard.page(W.CHILD)
    assert not page.trusted.isEnabled()  # until "genom någon barnet litar på" is ticked
    tick(qtbot, page.silent)
    tick(qtbot, page.ways[AskedWay.AT_MEETING])
    assert "helt giltigt svar" in " ".join(
        label.text() for label in page.body.findChildren(type(page.help)))
    snap(wizard, "documentation_child_silent")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert wizard.currentId() == W.INTERVENTIONS
    assert all(error.isHidden() for error, _conflict in wizard.field_parts.values())
    saved = stored(plan_id)
    assert saved.child_silent and saved.child_views == "" and saved.child_asked == "at_meeting"


def test_an_adults_wizard_has_no_page_for_a_child(qtbot: QtBot, url: DatabaseUrl) -> None:
    world = world_with_plan()
    wizard = open_wizard(qtbot, url, world["manager"], world["plan"].id)
    assert W.CHILD not in wizard.pageIds()
    assert [wizard.page(i).title() for i in wizard.pageIds()][2] == (
        "3 av 6 · Insatser per huvudman")
    go_to(qtbot, wizard, W.SITUATION)
    type_text(qtbot, wizard.page(W.SITUATION).edits["main_goal"], "Att bo kvar hemma")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert wizard.currentId() == W.INTERVENTIONS


def feedback_rows(view: TodoView) -> list[str]:
    model = view.model
    return [model.index(r, 0).data() for r in range(model.rowCount())
            if model.index(r, 0).data() == todo.FEEDBACK_TODO]


def test_the_feedback_reminder_disappears_once_recorded(
        qtbot: QtBot, url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 002: the child is told what their voice meant. Att göra reminds the coordinator
    until "Återkoppling till barnet…" in Planen records who told the child, and when."""
    world = child_plan_world()
    approve_child_plan(world, fill_child_plan(world))
    officer = world["officer"]
    todo_view = TodoView(session_of(url, officer))
    qtbot.addWidget(todo_view)
    todo_view.show()
    settle(qtbot)
    assert feedback_rows(todo_view) == [todo.FEEDBACK_TODO]

    case = Case.get_by_id(world["case"].id)
    tab = PlanTab(context_of(url, officer, case, today=AFTER))
    # As the case view does: the case is read again in the background, then shown.
    tab.changed.connect(lambda: Operation(tab, lambda: context_of(url, officer, case,
                                                                  today=AFTER))
                        .success(tab.refresh).run())
    qtbot.addWidget(tab)
    tab.resize(1180, 640)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot)
    assert tab.feedback_button.isVisible() and tab.feedback_button.isEnabled()
    assert "Återkoppling till barnet: inte gjord än" in tab.follow_up.text()
    snap(tab, "plan_tab_child_feedback_due")

    def fill(dialog: ChildFeedbackDialog) -> None:
        assert dialog.told_by.text() == "Anna Berg"  # the one recording it, to change
        dialog.told_by.selectAll()
        type_text(qtbot, dialog.told_by, "Anna Berg och mamma Karin")
        type_text(qtbot, dialog.note, "Vi tittade på planen med bilder.")
        snap(dialog, "child_feedback_dialog")

    drive_dialog(monkeypatch, qtbot, ChildFeedbackDialog, fill)
    qtbot.mouseClick(tab.feedback_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    saved = child_voice.feedback_of(world["plan"].id)
    assert saved is not None and saved.told_by == "Anna Berg och mamma Karin"
    assert saved.told_on == AFTER
    assert (f"Återkoppling till barnet: Anna Berg och mamma Karin berättade "
            f"{AFTER:%Y-%m-%d}.") in tab.follow_up.text()
    snap(tab, "plan_tab_child_feedback_done")
    todo_view.refresh()
    settle(qtbot)
    assert feedback_rows(todo_view) == []


def test_the_feedback_dialog_says_what_is_missing_at_the_field(
        qtbot: QtBot, url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    world = child_plan_world()
    seen: list[Any] = []

    def fill(dialog: ChildFeedbackDialog) -> None:
        dialog.told_by.selectAll()
        qtbot.keyClick(dialog.told_by, Qt.Key.Key_Delete)

    drive_dialog(monkeypatch, qtbot, ChildFeedbackDialog, fill, seen=seen)
    tab = PlanTab(context_of(url, world["officer"], world["case"], today=AFTER))
    qtbot.addWidget(tab)
    tab.show()
    settle(qtbot)
    qtbot.mouseClick(tab.feedback_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert seen[0].form.error_text("told_by") == "Skriv vem som berättade för barnet."
    assert child_voice.feedback_of(world["plan"].id) is None


def test_a_school_and_one_principal_is_refused_in_the_kallelse_with_another_meeting_form(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """Seed 002 §3.1, §3.2: the school and the municipality only — not a SIP; the page
    says why and names informationsmöte, nätverksmöte and konsultation."""
    world = child_world()
    session = session_of(url, world["officer"])
    wizard = KallelseWizard.prepare(None, session, world["case"])
    assert wizard is not None
    qtbot.addWidget(wizard)
    wizard.start()
    wizard.show()
    qtbot.waitExposed(wizard)
    wizard.resize(980, 720)
    type_text(qtbot, wizard.purpose_page.purpose, "Hur kan vi hjälpa Lo att orka i skolan?")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.participants_page
    type_text(qtbot, page.search, "sara")
    qtbot.waitUntil(lambda: not page.searching and page.results_model.rowCount() == 1,
                    timeout=2000)
    qtbot.keyClick(page.search, Qt.Key.Key_Return)  # the school beside the convener only
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == KallelseWizard.PARTICIPANTS  # refused
    assert page.error.isVisible()
    message = page.error.text()
    assert message.startswith("Skolan och kommunen räcker inte för en SIP")
    for form in ("informationsmöte", "nätverksmöte", "konsultation"):
        assert form in message
    snap(wizard, "kallelse_school_not_a_sip")


def test_a_new_school_is_a_principal_of_its_own_under_the_school_law(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """A school, preschool or elevhälsa: the law follows (Skollagen) and a new principal is of
    kind "Annan huvudman" — it counts as neither the municipality nor the region in a SIP."""
    from sipdesk.casework import contacts
    from sipdesk.storage.models import Law, PrincipalKind
    from ui.dialogs.contacts_organisation import OrganisationDialog

    world = child_world()
    dialog = OrganisationDialog(world["manager"], contacts.principals())
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(qtbot, dialog.name, "Elevhälsan Norrskolan")
    dialog.principal.setEditText("Norrskolan AB")
    dialog.kind.setCurrentIndex(dialog.kind.findData("student_health"))
    assert dialog.law.currentData() == Law.SCHOOL.value
    assert dialog.principal_kind.currentData() == PrincipalKind.OTHER.value
    snap(dialog, "organisation_student_health")


def test_the_overview_names_the_feedback_to_the_child_as_the_next_step(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """Until the återkoppling is recorded, Översikt says to tell the child what their voice
    meant — before the follow-up."""
    from sipdesk.desk import case_page
    from ui.case_tabs.overview import OverviewTab
    from ui.case_view import CaseView
    from ui.session import Session

    world = child_plan_world()
    approve_child_plan(world, fill_child_plan(world))
    officer = world["officer"]
    view = CaseView(case_page.open_case_page(officer, world["case"].id),
                    session=Session(url=url, user=officer))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)
    overview = view.tab(OverviewTab)
    assert view.tabs.currentWidget() is overview
    shown = " ".join(label.text() for label in overview.findChildren(QLabel))
    assert "Berätta för barnet vad barnets röst betydde för planen" in shown
    qtbot.wait(100)
    snap(view, "overview_child_feedback_step")


def test_the_review_page_sums_up_the_childs_own_words(qtbot: QtBot, url: DatabaseUrl) -> None:
    """Seed 002 §4: Granska shows what the child's page says — the child's words, how the child
    was asked, how the views were weighed — as they are, never as a problem."""
    world = child_plan_world()
    plan_id = fill_child_plan(world).id  # the goal and the follow-up the pages ask for
    wizard = open_wizard(qtbot, url, world["officer"], plan_id)
    wizard.resize(980, 900)
    go_to(qtbot, wizard, W.CHILD)
    page = wizard.page(W.CHILD)
    type_text(qtbot, page.words, "Jag vill vila efter lunch.")
    tick(qtbot, page.ways[AskedWay.BEFORE])
    tick(qtbot, page.ways[AskedWay.TRUSTED])
    type_text(qtbot, page.trusted, "mormor Elsa")
    type_text(qtbot, page.weighing, "Lo är nio år och vet vad hon behöver.")
    go_to(qtbot, wizard, W.REVIEW)
    summary = wizard.page(W.REVIEW).child
    assert summary is not None and summary.isVisible()
    assert summary.text() == (
        "Det här vill barnet: ”Jag vill vila efter lunch.”\n\n"
        "Så frågade vi barnet: före mötet och genom någon barnet litar på (mormor Elsa).\n"
        "Så vägde vi in barnets åsikter: Lo är nio år och vet vad hon behöver.")
    snap(wizard, "documentation_review_child_words")

    # Changed on the child's page (or by someone else): Granska shows it as stored now.
    go_to(qtbot, wizard, W.CHILD)
    page.words.selectAll()
    qtbot.keyClick(page.words, Qt.Key.Key_Delete)
    tick(qtbot, page.silent)
    go_to(qtbot, wizard, W.REVIEW)
    assert summary.text().startswith(
        "Barnet ville inte säga något den här gången. Det är ett helt giltigt svar.")
    assert "problem" not in summary.text()
    assert summary.property("problems") is None  # not a check: nothing to fix
    snap(wizard, "documentation_review_child_silent")


def test_the_review_page_says_kindly_when_nothing_is_written_for_the_child(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """A child has no duty to say anything: with the page empty, Granska says so and where to
    write the words if there are any — and asks for nothing before approval."""
    world = child_plan_world()
    wizard = open_wizard(qtbot, url, world["officer"], fill_child_plan(world).id)
    go_to(qtbot, wizard, W.REVIEW)
    review = wizard.page(W.REVIEW)
    assert review.child is not None
    assert review.child.text() == (
        "Inga ord från barnet är skrivna ännu. Barnet behöver inte säga något — men om barnet "
        "har sagt något, skriv det gärna på sidan ”Barnets egna ord”.\n\n"
        "Så frågade vi barnet: inte ifyllt.\nSå vägde vi in barnets åsikter: inte ifyllt")
    assert "barn" not in review.other.text().casefold()


def test_an_adults_review_page_has_no_childs_words(qtbot: QtBot, url: DatabaseUrl) -> None:
    world = world_with_plan()
    plan.update_fields(world["officer"], world["plan"], {
        "main_goal": ("", "Att bo kvar hemma"), "follow_up_date": (None, dt.date(2027, 6, 10))})
    wizard = open_wizard(qtbot, url, world["manager"], world["plan"].id)
    go_to(qtbot, wizard, W.REVIEW)
    review = wizard.page(W.REVIEW)
    assert review.child is None
    shown = " ".join(label.text() for label in review.findChildren(QLabel))
    assert "Barnets egna ord" not in shown
