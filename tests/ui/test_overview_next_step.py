"""Översikt says the next step of the case's own state, with its own date (issue 16, point 7):
a kallad case offers no second kallelse, an approved plan offers "Kalla till uppföljning…" with
the follow-up date, and a closed case has nothing next, no next date — in the case list either —
and its consent said without tense problems.

Rules named here: a kallelse only when it is the next step, never with a meeting planned
(seed 000 "Kallelse"); the plan is followed up (seed 000 "Uppföljning"); a closed case is only
read (DOMAIN step 11)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import peewee
import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.casework import lifecycle
from sipdesk.casework.lifecycle import ClosureReason
from sipdesk.clock import STOCKHOLM
from sipdesk.desk import case_page
from sipdesk.desk.cases import CaseFilter
from sipdesk.meetings import invitation
from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import Case, User
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.scenarios import NOW, good_draft, kallelse_world
from tests.ui.conftest import settle
from ui.case_list.model import NEXT_DATE_COLUMN, CaseListModel
from ui.case_tabs.overview import OverviewTab
from ui.case_view import CaseView
from ui.session import Session

SHOTS = Path("/tmp/shots")


@pytest.fixture
def url(sqlite_db: peewee.Database, tmp_path: Path) -> DatabaseUrl:
    return DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")


def show(qtbot: QtBot, url: DatabaseUrl, user: User, case: Case, shot: str) -> CaseView:
    """The case view as the main window opens it, on Översikt (and its screenshot)."""
    view = CaseView(case_page.open_case_page(user, case.id), session=Session(url=url, user=user))
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)  # the tab on screen reads its part in the background
    assert view.tabs.currentWidget() is view.tab(OverviewTab)
    qtbot.wait(100)  # the scroll area settles its width before the screenshot
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(SHOTS / f"overview_{shot}.png"))
    return view


def text_of(widget: QWidget, name: str) -> str:
    label = widget.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def invite_button(overview: OverviewTab) -> QPushButton:
    found = overview.findChild(QPushButton, "action_invite")
    assert found is not None
    return found


def labels(overview: OverviewTab) -> list[str]:
    return [label.text() for label in overview.findChildren(QLabel)]


def travel(machine: time_machine.TimeMachineFixture, moment: dt.datetime) -> None:
    machine.move_to(moment.replace(tzinfo=STOCKHOLM))


def test_a_kallad_case_offers_no_second_kallelse(
        qtbot: QtBot, url: DatabaseUrl, time_machine: time_machine.TimeMachineFixture) -> None:
    world = kallelse_world()
    travel(time_machine, NOW)
    invitation.send_invitation(world["officer"], world["case"], good_draft(world), current=NOW)
    view = show(qtbot, url, world["officer"], world["case"], "kallad")
    overview = view.tab(OverviewTab)
    assert text_of(overview, "next_step") == (
        "SIP-mötet är 2026-12-10 kl. 13.00. Markera det som hållet när det har ägt rum. "
        "Det görs på fliken Kallelse.")
    assert text_of(overview, "next_date") == "2026-12-10 (SIP-möte)"
    invite = invite_button(overview)
    assert invite.text() == "Kalla till möte…" and not invite.isEnabled()
    assert not any("Allt som behövs" in text for text in labels(overview))


def test_an_approved_plan_offers_the_follow_up_with_its_date(
        qtbot: QtBot, url: DatabaseUrl, time_machine: time_machine.TimeMachineFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    from ui.wizards.kallelse import KallelseWizard

    world = plan_world()
    travel(time_machine, dt.datetime(2026, 12, 14, 10, 0))
    approve_all(world, fill(world))
    view = show(qtbot, url, world["officer"], world["case"], "approved")
    overview = view.tab(OverviewTab)
    assert text_of(overview, "next_step") == (
        "Planen är godkänd. Uppföljning 2027-03-10: kalla till uppföljningsmöte i god tid.")
    assert text_of(overview, "next_date") == "2027-03-10 (Uppföljning)"
    assert not any("Allt som behövs" in text for text in labels(overview))
    assert text_of(overview, "consent_state").startswith("Gäller till och med ")
    invite = invite_button(overview)
    assert invite.text() == "Kalla till uppföljning…" and invite.isEnabled()
    asked: list[bool] = []
    monkeypatch.setattr(KallelseWizard, "ask", classmethod(
        lambda cls, parent, session, case, follow_up=False: asked.append(follow_up)))
    qtbot.mouseClick(invite, Qt.MouseButton.LeftButton)
    assert asked == [True]  # the kallelse wizard in follow-up mode


def test_a_closed_case_has_nothing_next_and_no_next_date(
        qtbot: QtBot, url: DatabaseUrl, time_machine: time_machine.TimeMachineFixture) -> None:
    world = plan_world()
    travel(time_machine, dt.datetime(2026, 12, 14, 10, 0))
    approve_all(world, fill(world))
    today = clock.today()
    lifecycle.close_case(world["officer"], Case.get_by_id(world["case"].id), closed_on=today,
                         reason=ClosureReason.GOALS_MET)
    view = show(qtbot, url, world["officer"], world["case"], "closed")
    overview = view.tab(OverviewTab)
    assert text_of(overview, "next_step") == (
        "Ärendet avslutades 2026-12-14. Inget mer ska göras i det.")
    assert text_of(overview, "next_date") == "Inget"
    # The consent was to last until 2027: it lasted until the case ended — not "gällde till
    # och med" a date still to come.
    assert text_of(overview, "consent_state") == "Gällde tills ärendet avslutades 2026-12-14"
    assert not any("Gällde till och med 2027" in text for text in labels(overview))
    assert not invite_button(overview).isEnabled()

    # The case list's "Nästa datum": empty for a closed case, even one closed before closing
    # cleared the stored date.
    Case.update(next_date=dt.date(2027, 3, 10)).where(Case.id == world["case"].id).execute()
    model = CaseListModel(world["officer"])
    model.set_filter(CaseFilter())
    settle(qtbot)
    [row] = [r for r in range(model.rowCount()) if model.case_id(r) == world["case"].id]
    assert model.data(model.index(row, NEXT_DATE_COLUMN),
                      Qt.ItemDataRole.DisplayRole) == ""


def test_a_childs_overview_names_the_guardians_to_ask_and_one_who_has_not_consented(
        qtbot: QtBot, url: DatabaseUrl) -> None:
    """Seed 002 (DOMAIN.md "Children"; step 2: "For a child, the guardian(s) consent"): before
    the consent Översikt's next step asks the guardians by name, not "den enskilde"; and when a
    guardian with custody is registered after the consent (a new custody decision), Översikt
    names him — in the next step, in the consent's line and on the disabled "Kalla till
    möte…" — until he has consented too (every guardian with custody consents)."""
    from sipdesk.casework import consent, guardians
    from sipdesk.casework.guardians import GuardianInput
    from sipdesk.storage.models import Custody, PersonContact, Principal
    from tests.factories import PNR_CHILD, make_case, make_person, make_user

    officer = make_user()
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    eva = guardians.add_guardian(officer, child, GuardianInput(
        "Eva Åkesson", Custody.SOLE, relation="mamma", phone="070-111 22 33"))
    case = make_case(officer, child)
    view = show(qtbot, url, officer, case, "child_ask_guardians")
    overview = view.tab(OverviewTab)
    assert text_of(overview, "next_step") == (
        "Fråga vårdnadshavaren (Eva Åkesson) om samtycke till SIP och registrera svaret. "
        "Fråga också Liv vad hen tycker.")
    view.close()

    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=clock.today(), covers="Stöd i skolan",
        principals=list(Principal.select()), guardians=[eva]))
    guardians.update_guardian(officer, PersonContact.get_by_id(eva.id), GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", phone="070-111 22 33"))
    guardians.add_guardian(officer, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, relation="pappa", phone="070-444 55 66"))
    view = show(qtbot, url, officer, Case.get_by_id(case.id), "child_new_guardian")
    overview = view.tab(OverviewTab)
    said = ("Per Åkesson har blivit vårdnadshavare efter att samtycket registrerades och har "
            "inte samtyckt än.")
    assert text_of(overview, "next_step").startswith(said)
    assert text_of(overview, "consent_state") == (
        "Räcker inte — Per Åkesson har inte samtyckt än")
    invite = invite_button(overview)
    assert not invite.isEnabled() and invite.toolTip().startswith(said)
