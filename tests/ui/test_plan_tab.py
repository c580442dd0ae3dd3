"""The Planen tab driven like its users (DOMAIN.md steps 8–11): a held meeting documented by two
principals in the wizard and approved by both — "Godkänn" disabled until then, with the reason;
the version locked; reopening clears the approvals; versions newest first with what changed;
the deadline red when passed; follow-up and skipping it; printing both copies. Storage on both
engines where it matters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.desk import case_page
from sipdesk.meetings import invitation, meeting
from sipdesk.messages import messaging
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, CaseStatus, Principal, User
from tests.core.test_plan import approve_all, fill_plan
from tests.scenarios import good_draft
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from tests.ui.documentation_support import (
    DEADLINE,
    MEETING_DAY,
    context_of,
    drive_dialog,
    go_to,
    open_wizard,
    stored,
    world_with_plan,
)
from ui import file_output
from ui.case_tabs.plan_tab import PlanTab
from ui.dialogs.plan_intervention import InterventionDialog
from ui.dialogs.plan_reason import ChoosePrincipalDialog, ReopenDialog, SkipFollowUpDialog
from ui.file_output import SaveFileDialog
from ui.operations import Operation
from ui.wizards.documentation import DocumentationWizard as W


def show_tab(qtbot: QtBot, url: DatabaseUrl, user: User, case: Case, *,
             today: dt.date = MEETING_DAY) -> PlanTab:
    """The tab as the case view shows it: read again after every change it makes."""
    tab = PlanTab(context_of(url, user, case, today=today))
    # As the case view does: the case is read again in the background, then shown.
    tab.changed.connect(lambda: Operation(tab, lambda: context_of(url, user, case, today=today))
                        .success(tab.refresh).run())
    qtbot.addWidget(tab)
    tab.resize(1100, 640)
    tab.show()
    qtbot.waitExposed(tab)
    settle(qtbot)  # the tab reads the plan in the background when shown
    return tab


def reread(qtbot: QtBot, tab: PlanTab, url: DatabaseUrl, user: User, case: Case, *,
           today: dt.date = MEETING_DAY) -> None:
    tab.refresh(context_of(url, user, case, today=today))
    settle(qtbot)


def click(qtbot: QtBot, button: Any) -> None:
    """Click, and wait for what the click started in the background (a save, a new read)."""
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    settle(qtbot)


@pytest.fixture
def sqlite_url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def write_part(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, url: DatabaseUrl, user: User,
               plan_id: int, principal_id: int, *, what: str, responsible: str,
               how_often: str, shared: bool = False) -> None:
    """One user's turn in the wizard: (the shared texts,) their own intervention, then
    "Markera min del som klar" on the review page; closing the wizard."""
    wizard = open_wizard(qtbot, url, user, plan_id)
    if shared:
        go_to(qtbot, wizard, W.SITUATION)
        texts = wizard.page(W.SITUATION).edits
        type_text(qtbot, texts["current_situation"], "Jag har ramlat två gånger och är rädd")
        type_text(qtbot, texts["main_goal"], "Att kunna bo kvar hemma och känna mig trygg")
    go_to(qtbot, wizard, W.INTERVENTIONS)

    def fill(dialog: InterventionDialog) -> None:
        type_text(qtbot, dialog.what, what)
        type_text(qtbot, dialog.responsible, responsible)
        type_text(qtbot, dialog.how_often, how_often)

    drive_dialog(monkeypatch, qtbot, InterventionDialog, fill)
    click(qtbot, wizard.page(W.INTERVENTIONS).sections[principal_id].add_button)
    if shared:
        go_to(qtbot, wizard, W.RESPONSIBILITY)
        others = wizard.page(W.RESPONSIBILITY).others
        click(qtbot, others.add_button)
        who, what_edit, _when, _remove = others.rows[0]
        type_text(qtbot, who, "Dottern Greta")
        type_text(qtbot, what_edit, "Handlar varje lördag")
        go_to(qtbot, wizard, W.FOLLOW_UP)
        click(qtbot, wizard.page(W.FOLLOW_UP).quick_buttons[0])  # in three months
    go_to(qtbot, wizard, W.REVIEW)
    review = wizard.page(W.REVIEW)
    finish = next(b for b in review.finish_buttons
                  if b.objectName() == f"review_finish_{principal_id}")
    assert finish.text() == "Markera min del som klar"
    click(qtbot, finish)
    assert "klar" in review.parts.text()
    wizard.close()


def test_a_held_meeting_through_approval_by_two_users(
        qtbot: QtBot, db: peewee.Database, db_url: DatabaseUrl,
        monkeypatch: pytest.MonkeyPatch, message_log: MessageLog) -> None:
    """The municipality (Maria Holm) and the region (Per Nord) each write and finish their own
    part, then both approve in the Planen tab: "Godkänn" is disabled with the reason until
    every part is finished; after the last approval the version is locked (seed 000)."""
    world = world_with_plan(started=False)
    case = world["case"]
    url = db_url
    opened: list[int] = []
    monkeypatch.setattr(W, "ask", classmethod(
        lambda cls, parent, session, plan_id, **kw: opened.append(plan_id) or False))

    coordinator = show_tab(qtbot, url, world["officer"], case)
    assert coordinator.empty.text().startswith("Det finns ingen plan ännu. Mötet är hållet")
    assert coordinator.start_button.isEnabled()
    click(qtbot, coordinator.start_button)  # "Börja dokumentera" opens the wizard
    version = plan.latest_version(Case.get_by_id(case.id))
    assert version is not None and opened == [version.id]
    assert coordinator.start_button.isHidden()
    assert coordinator.wizard_button.text() == "Fortsätt dokumentera…"

    write_part(qtbot, monkeypatch, url, world["manager"], version.id, world["kommun"].id,
               what="Hemtjänsten hjälper till med dusch", responsible="Maria Holm",
               how_often="Två gånger i veckan", shared=True)
    municipality = show_tab(qtbot, url, world["manager"], case)
    approve = municipality.approve_button
    assert not approve.isEnabled()
    assert approve.toolTip() == ("Alla delar måste vara klara innan planen godkänns. Inte "
                                 "klart: Region Exempelland.")
    assert municipality.finish_button.toolTip() == "Din del är redan markerad som klar."

    write_part(qtbot, monkeypatch, url, world["nurse"], version.id, world["region_p"].id,
               what="Distriktssköterskan lägger om såret", responsible="Per Nord",
               how_often="Varje tisdag")
    reread(qtbot, municipality, url, world["manager"], case)
    assert approve.isEnabled(), approve.toolTip()
    click(qtbot, approve)
    assert not stored(version.id).locked
    assert not approve.isEnabled()
    assert approve.toolTip() == "Din huvudman har redan godkänt planen."

    region = show_tab(qtbot, url, world["nurse"], case)
    assert region.parts_table.item(0, 2).text() == "Godkänd " + \
        f"{clock.today():%Y-%m-%d} av Maria Holm"  # Exempelby kommun sorts first
    click(qtbot, region.approve_button)
    assert stored(version.id).locked
    assert ("information", "Planen är godkänd") in [(k, t) for k, t, _x in message_log.shown]
    assert region.versions_table.item(0, 3).text().startswith("Godkänd")
    assert region.wizard_button.text() == "Visa planen…"
    assert not region.approve_button.isEnabled()
    assert region.approve_button.toolTip() == "Planen är godkänd och låst."
    assert Case.get_by_id(case.id).status == CaseStatus.FOLLOW_UP_PLANNED.value


def test_approve_names_what_the_plan_still_lacks(qtbot: QtBot, sqlite_url: DatabaseUrl) -> None:
    world = world_with_plan()
    version = world["plan"]
    for user, principal in ((world["manager"], world["kommun"]),
                            (world["nurse"], world["region_p"])):
        plan.save_intervention(user, stored(version.id), plan.InterventionInput(
            principal_id=principal.id, what="Vi gör inget nytt", no_action=True))
        plan.mark_part_finished(user, stored(version.id), principal.id)
    tab = show_tab(qtbot, sqlite_url, world["manager"], world["case"])
    tip = tab.approve_button.toolTip()
    assert not tab.approve_button.isEnabled()
    assert tip.startswith("Planen kan inte godkännas än:")
    assert "1. Planen visar inte vilka insatser som behövs." in tip
    assert "3. Åtgärder av andra än kommun och region saknas" in tip
    assert "Huvudmålet saknas." in tip and "Datum för uppföljning saknas." in tip
    assert tab.approve_button.accessibleDescription() == tip


def test_reopening_clears_the_approvals(qtbot: QtBot, db: peewee.Database,
                                        db_url: DatabaseUrl,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    world = world_with_plan()
    approve_all(world, fill_plan(world))
    assert show_tab(qtbot, db_url, world["manager"], world["case"]).reopen_button.isHidden()
    tab = show_tab(qtbot, db_url, world["officer"], world["case"])
    assert tab.reopen_button.isEnabled()
    tries: list[ReopenDialog] = []

    def fill(dialog: ReopenDialog) -> None:
        assert "Alla godkännanden tas bort" in dialog.warning.text()
        if tries:
            type_text(qtbot, dialog.reason, "Fel tid för duschen")
        tries.append(dialog)

    drive_dialog(monkeypatch, qtbot, ReopenDialog, fill)
    click(qtbot, tab.reopen_button)  # no reason: refused at the field
    assert tries[0].form.error_text("reason") == "Skriv varför planen öppnas igen."
    assert stored(world["plan"].id).locked
    click(qtbot, tab.reopen_button)
    reopened = stored(world["plan"].id)
    assert not reopened.locked and reopened.reopened_reason == "Fel tid för duschen"
    assert all(p.approved_at is None for p in plan.parts(reopened))
    assert [tab.parts_table.item(r, 2).text() for r in range(tab.parts_table.rowCount())] == [
        "Inte godkänd", "Inte godkänd"]
    assert "öppnad igen: Fel tid för duschen" in tab.summary.text()
    assert tab.wizard_button.text() == "Fortsätt dokumentera…"
    assert not tab.reopen_button.isEnabled()


def follow_up_version(world: dict[str, Any]) -> plan.PlanVersion:
    """Version 1 approved; a follow-up meeting held; version 2 with a new goal and a new
    intervention."""
    approve_all(world, fill_plan(world))
    case = Case.get_by_id(world["case"].id)
    draft = good_draft(world)
    draft.follow_up = True
    draft.starts_at = dt.datetime(2027, 3, 10, 10, 0)
    draft.staff_meeting_at = dt.datetime(2027, 3, 5, 10, 0)
    follow = invitation.send_invitation(world["officer"], case, draft,
                                        current=dt.datetime(2027, 2, 8, 9, 0))
    meeting.mark_held(world["officer"], follow, {
        x.id: True for x in invitation.participants_of(follow)},
        current=dt.datetime(2027, 3, 10, 11, 0))
    second = plan.start_documentation(world["officer"], invitation.Meeting.get_by_id(follow.id))
    plan.update_fields(world["officer"], second, {"main_goal": (
        second.main_goal, "Att gå till affären själv")})
    plan.save_intervention(world["manager"], stored(second.id), plan.InterventionInput(
        principal_id=world["kommun"].id, what="Hemtjänsten följer med till affären",
        responsible="Maria Holm", how_often="Varje fredag"))
    return stored(second.id)


def test_versions_newest_first_with_what_changed(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000: goals are updated in a new version; earlier versions stay readable."""
    world = world_with_plan()
    second = follow_up_version(world)
    tab = show_tab(qtbot, sqlite_url, world["manager"], world["case"],
                   today=dt.date(2027, 3, 10))
    table = tab.versions_table
    rows = [[table.item(r, c).text() for c in range(5)] for r in range(table.rowCount())]
    assert rows[0][:4] == ["2", "Uppföljning", "2027-03-10", "Utkast"]
    assert rows[0][4] == "Huvudmål ändrat · 1 ny insats"
    assert "Att gå till affären själv" in table.item(0, 4).toolTip()
    assert rows[1][:3] == ["1", "Upprättande", "2026-12-10"]
    assert rows[1][3].startswith("Godkänd") and rows[1][4] == "Första versionen"
    assert tab.parts_box.title() == "Huvudmännens delar — version 2"
    table.selectRow(1)
    assert tab.parts_box.title() == "Huvudmännens delar — version 1"
    assert tab.wizard_button.text() == "Visa planen…"  # the old version is read-only
    opened: list[int] = []
    monkeypatch.setattr(W, "ask", classmethod(
        lambda cls, parent, session, plan_id, **kw: opened.append(plan_id) or False))
    tab.activateWindow()
    qtbot.waitUntil(tab.isActiveWindow, timeout=3000)
    qtbot.keyClick(table, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)  # Ctrl+D
    qtbot.waitUntil(lambda: bool(opened), timeout=3000)  # a button's shortcut clicks it
    assert opened == [world["plan"].id] and second.id != world["plan"].id


def test_deadline_shown_and_red_when_overdue(qtbot: QtBot, sqlite_url: DatabaseUrl) -> None:
    world = world_with_plan()
    on_time = show_tab(qtbot, sqlite_url, world["manager"], world["case"], today=DEADLINE)
    assert on_time.deadline.text() == ("Dokumentationen ska vara klar senast 2026-12-14 (två "
                                       "arbetsdagar efter mötet).")
    assert on_time.deadline.property("overdue") is False
    late = show_tab(qtbot, sqlite_url, world["manager"], world["case"],
                    today=DEADLINE + dt.timedelta(days=1))
    assert late.deadline.text() == "Försenad: dokumentationen skulle ha varit klar 2026-12-14."
    assert late.deadline.property("overdue") is True
    assert "#b00020" in late.deadline.styleSheet()


def test_the_coordinator_finishes_for_a_principal_without_an_account(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    world = world_with_plan()
    version = world["plan"]
    school = Principal.create(name="Exempelby skola", kind="other")
    plan.save_participant(world["officer"], stored(version.id), name="Lärare Lind",
                          initials="LL", profession="Lärare", organisation="Skolan",
                          contact="010-1", principal_id=school.id)
    for principal in (world["kommun"], school):
        plan.save_intervention(world["officer"], stored(version.id), plan.InterventionInput(
            principal_id=principal.id, what="Vi gör inget nytt", no_action=True))
    tab = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    seen: list[ChoosePrincipalDialog] = []

    def choose(dialog: ChoosePrincipalDialog) -> None:
        choices = [dialog.combo.itemText(i) for i in range(dialog.combo.count())]
        assert choices == ["Exempelby kommun", "Exempelby skola (för huvudmannens räkning)"]
        dialog.combo.setCurrentIndex(1)

    drive_dialog(monkeypatch, qtbot, ChoosePrincipalDialog, choose, seen=seen)
    click(qtbot, tab.finish_button)
    assert seen
    part = next(p for p in plan.parts(stored(version.id)) if p.principal_id == school.id)
    assert part.finished_at is not None and part.on_behalf
    row = next(r for r in range(tab.parts_table.rowCount())
               if tab.parts_table.item(r, 0).text() == "Exempelby skola")
    assert tab.parts_table.item(row, 1).text().endswith("— för huvudmannens räkning")


def test_request_approval_goes_as_a_message_with_kvittens(
        qtbot: QtBot, sqlite_url: DatabaseUrl, message_log: MessageLog) -> None:
    world = world_with_plan()
    version = fill_plan(world)
    tab = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    assert not tab.request_button.isEnabled()
    assert "Inte klart: Exempelby kommun, Region Exempelland." in tab.request_button.toolTip()
    for user, principal in ((world["manager"], world["kommun"]),
                            (world["nurse"], world["region_p"])):
        plan.mark_part_finished(user, stored(version.id), principal.id)
    reread(qtbot, tab, sqlite_url, world["officer"], world["case"])
    click(qtbot, tab.request_button)
    assert message_log.shown[-1][1] == "Begäran skickad"
    rows = messaging.folder_rows(world["nurse"], messaging.Folder.AWAITING_MY_ACK)
    assert rows[0].subject.startswith("Godkänn planen, version 1")


def test_follow_up_opens_the_kallelse_in_follow_up_mode(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.wizards import kallelse

    world = world_with_plan()
    tab = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    assert not tab.follow_up_button.isEnabled()
    assert tab.follow_up_button.toolTip() == ("Planen behöver vara godkänd innan uppföljningen "
                                              "kallas.")
    approve_all(world, fill_plan(world))
    reread(qtbot, tab, sqlite_url, world["officer"], world["case"])
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(kallelse.KallelseWizard, "ask", classmethod(
        lambda cls, parent, session, case, **kw: calls.append(kw) or None))
    click(qtbot, tab.follow_up_button)
    assert calls == [{"follow_up": True}]


def test_a_skipped_follow_up_needs_a_reason(qtbot: QtBot, sqlite_url: DatabaseUrl,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    world = world_with_plan()
    approve_all(world, fill_plan(world))
    tab = show_tab(qtbot, sqlite_url, world["officer"], world["case"])
    tries: list[SkipFollowUpDialog] = []

    def fill(dialog: SkipFollowUpDialog) -> None:
        if tries:
            type_text(qtbot, dialog.reason, "Den enskilde har flyttat")
        tries.append(dialog)

    drive_dialog(monkeypatch, qtbot, SkipFollowUpDialog, fill)
    click(qtbot, tab.skip_button)
    assert tries[0].form.error_text("reason") == "Skriv varför uppföljningen inte blir av."
    click(qtbot, tab.skip_button)
    assert stored(world["plan"].id).follow_up_skipped_reason == "Den enskilde har flyttat"
    assert "Uppföljningen hoppas över: Den enskilde har flyttat" in tab.follow_up.text()
    assert not tab.skip_button.isEnabled()


def test_printing_both_copies(qtbot: QtBot, sqlite_url: DatabaseUrl, tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch, message_log: MessageLog) -> None:
    """Seed 000 "Utskrift": the person's copy only once all have approved; file names carry the
    case number and the version, no personal data."""
    pytest.importorskip("reports.plan")
    world = world_with_plan()
    fill_plan(world)
    tab = show_tab(qtbot, sqlite_url, world["manager"], world["case"])
    assert not tab.easy_button.isEnabled()
    assert tab.easy_button.toolTip() == ("Den enskildes exemplar kan skrivas ut när alla har "
                                         "godkänt planen.")
    asked: list[str] = []

    def save_as(cls: type, parent: Any, *, title: str, default_name: str) -> Path:
        asked.append(default_name)
        return tmp_path / default_name

    opened: list[Path] = []
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(save_as))
    monkeypatch.setattr(file_output, "open_file", opened.append)
    number = world["case"].number
    click(qtbot, tab.print_button)
    qtbot.waitUntil(lambda: not tab.printing, timeout=20_000)
    assert asked == [f"plan-{number}-v1.pdf"]
    assert (tmp_path / asked[0]).stat().st_size > 1000
    assert opened == [tmp_path / asked[0]]  # the user said "Öppna"
    assert world["officer"].full_name not in asked[0] and "Öberg" not in asked[0]

    approve_all(world, stored(world["plan"].id))
    reread(qtbot, tab, sqlite_url, world["manager"], world["case"])
    assert tab.easy_button.isEnabled()
    click(qtbot, tab.easy_button)
    qtbot.waitUntil(lambda: not tab.printing, timeout=20_000)
    assert asked[1] == f"plan-{number}-v1-lattlast.pdf"
    assert (tmp_path / asked[1]).exists()
    assert [t for k, t, _x in message_log.shown if k == "confirm"] == [
        "Planen är sparad", "Planen är sparad"]


def test_the_case_view_has_the_plan_after_the_kallelse(
        qtbot: QtBot, sqlite_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch) -> None:
    """One registration line: Planen between Kallelse and Händelselogg; what the tab saves is
    shown in the whole case view (the heading's status)."""
    from ui.case_view import CaseView

    world = world_with_plan()
    fill_plan(world)
    for user, principal in ((world["manager"], world["kommun"]),
                            (world["nurse"], world["region_p"])):
        plan.mark_part_finished(user, stored(world["plan"].id), principal.id)
    plan.approve(world["manager"], stored(world["plan"].id), world["kommun"].id)
    session = context_of(sqlite_url, world["nurse"], world["case"], today=MEETING_DAY).session
    view = CaseView(case_page.read_case_page(world["case"].id), session=session, today=MEETING_DAY)
    qtbot.addWidget(view)
    view.show()
    titles = [view.tabs.tabText(i) for i in range(view.tabs.count())]
    assert titles.index("Planen") == titles.index("Kallelse") + 1
    tab = shown_tab(qtbot, view, PlanTab)
    assert view.status_badge.text() == CaseStatus.DOCUMENTATION.label
    click(qtbot, tab.approve_button)
    assert view.status_badge.text() == CaseStatus.FOLLOW_UP_PLANNED.label
    assert tab.versions_table.item(0, 3).text().startswith("Godkänd")


def test_att_gora_opens_the_plan_of_a_case_being_documented(
        qtbot: QtBot, sqlite_url: DatabaseUrl) -> None:
    from sipdesk.desk.todo import Target
    from ui.main_window import TODO_ROW, MainWindow
    from ui.todo.model import WHAT

    world = world_with_plan()
    session = context_of(sqlite_url, world["manager"], world["case"], today=MEETING_DAY).session
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.todo.loaded, timeout=3000)
    settle(qtbot)  # Att göra and the inbox are read in the background
    window.navigation.setCurrentRow(TODO_ROW)
    model, table = window.todo.model, window.todo.table
    row = next(r for r in range(model.rowCount())
               if model.row(r).target is Target.CASE_PLAN)  # type: ignore[union-attr]
    assert model.index(row, WHAT).data() == "Dokumentationen ska vara klar 2026-12-14"
    table.setFocus()
    table.setCurrentIndex(model.index(row, WHAT))
    qtbot.keyClick(table, Qt.Key.Key_Return)
    settle(qtbot)  # the case is read in the background
    view = window.case_view
    assert view is not None and view.case_id == world["case"].id
    assert view.tabs.currentWidget() is view.tab(PlanTab)
