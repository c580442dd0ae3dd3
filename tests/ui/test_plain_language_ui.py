"""Plain language in the plan's screens, and the documentation wizard holding its pages:

- approving a plan with open warnings asks once, listing them (DOMAIN.md step 8, "Plain
  language: no abbreviations, jargon or medical terms");
- step 2 does not move on with "Huvudmål" empty, whether "Nästa >" or Return is pressed, and
  says why at the field (STYLE.md habit 5);
- the plain-language warning keeps its room, so the field below does not jump;
- the wizard's own labels explain their jargon."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.accounts import audit
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.core.test_plan import fill_plan
from tests.ui.conftest import MessageLog, settle, type_text
from tests.ui.documentation_support import go_to, open_wizard, stored, world_with_plan
from tests.ui.test_plan_tab import click, show_tab
from ui.wizards.documentation import DocumentationWizard as W

SHOTS = Path("/tmp/shots")


@pytest.fixture
def sqlite_world(sqlite_db: peewee.Database, tmp_path: Path) -> dict[str, Any]:
    found = world_with_plan()
    found["url"] = DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")
    return found


def shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


# ---- approving with open warnings ------------------------------------------------------------

def plan_with_jargon(world: dict[str, Any]) -> plan.PlanVersion:
    p = fill_plan(world)
    plan.update_fields(world["officer"], p, {"main_goal": (
        p.main_goal, "Bo kvar hemma, insats enligt 4 kap. 1 § tills plats på ÄBO")})
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, stored(p.id), part.principal_id)
    return stored(p.id)


@pytest.mark.parametrize("answer", [False, True])
def test_approve_lists_the_words_the_person_may_not_understand_and_asks_once(
        qtbot: QtBot, sqlite_world: dict[str, Any], message_log: MessageLog,
        answer: bool) -> None:
    """Plain language: no abbreviations, jargon or medical terms (DOMAIN.md step 8) — the
    approver sees every open warning and says "Godkänn ändå" or goes back to rewrite."""
    world = sqlite_world
    version = plan_with_jargon(world)
    message_log.confirm_answer = answer
    tab = show_tab(qtbot, world["url"], world["manager"], world["case"])
    assert tab.approve_button.isEnabled(), tab.approve_button.toolTip()
    click(qtbot, tab.approve_button)
    [(_kind, title, text)] = [m for m in message_log.shown if m[0] == "confirm"]
    assert title == "Godkänn planen"
    assert text.startswith("Planen har ord som den enskilde kanske inte förstår:")
    assert "• Huvudmål: ”ÄBO” — skriv hellre: äldreboende" in text
    assert "• Huvudmål: ”4 kap. 1 §” — skriv hellre: vad regeln betyder för dig" in text
    assert "• Huvudmål: ”insats enligt”" in text
    assert text.endswith("Godkänn ändå?")
    mine = next(p for p in plan.parts(version) if p.principal_id == world["kommun"].id)
    approved = next(p for p in plan.parts(stored(version.id)) if p.id == mine.id)
    assert (approved.approved_at is not None) is answer
    if answer:
        assert any("trots svåra ord: 4 kap. 1 §" in line.summary
                   for line in audit.case_log(world["case"].id))
    assert not [m for m in message_log.shown if m[0] == "warning"]  # no second question

    box = QMessageBox(QMessageBox.Icon.Question, title, text)  # how the question looks
    box.addButton("Godkänn ändå", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("Avbryt", QMessageBox.ButtonRole.RejectRole)
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    shot(box, "approve_question")


def test_a_plan_without_jargon_is_approved_without_a_question(
        qtbot: QtBot, sqlite_world: dict[str, Any], message_log: MessageLog) -> None:
    world = sqlite_world
    version = fill_plan(world)
    for part in plan.parts(version):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, stored(version.id), part.principal_id)
    tab = show_tab(qtbot, world["url"], world["manager"], world["case"])
    click(qtbot, tab.approve_button)
    assert [m for m in message_log.shown if m[0] == "confirm"] == []
    assert any(p.approved_at for p in plan.parts(stored(version.id)))


# ---- step 2 holds until there is a main goal ------------------------------------------------

def test_return_on_step_2_with_huvudmal_empty_stays_and_says_why(
        qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    """STYLE.md habit 5: each page validates itself — Return outside a text box presses
    "Nästa >", and step 2 does not move on without the person's main goal."""
    world = sqlite_world
    wizard = open_wizard(qtbot, world["url"], world["officer"], world["plan"].id)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    type_text(qtbot, page.edits["current_situation"], "Jag har ramlat två gånger")
    wizard.button(QWizard.WizardButton.NextButton).setFocus()
    qtbot.keyClick(wizard.button(QWizard.WizardButton.NextButton), Qt.Key.Key_Return)
    assert wizard.currentId() == W.SITUATION
    error, _conflict = wizard.field_parts["main_goal"]
    assert error.isVisible()
    assert error.text().startswith("Skriv huvudmålet innan du går vidare")
    assert wizard.focusWidget() is page.edits["main_goal"]  # the cursor is where to write
    settle(qtbot)  # saved in the background
    assert stored(world["plan"].id).current_situation == "Jag har ramlat två gånger"

    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentId() == W.SITUATION  # the button holds as well as Return

    type_text(qtbot, page.edits["main_goal"], "Att kunna bo kvar hemma")
    assert error.isHidden()  # being fixed: the message goes
    wizard.button(QWizard.WizardButton.NextButton).setFocus()
    qtbot.keyClick(wizard.button(QWizard.WizardButton.NextButton), Qt.Key.Key_Return)
    assert wizard.currentId() == W.INTERVENTIONS
    settle(qtbot)
    assert stored(world["plan"].id).main_goal == "Att kunna bo kvar hemma"


# ---- the warning keeps its room ---------------------------------------------------------------

def test_the_field_below_a_warning_does_not_jump(qtbot: QtBot,
                                                  sqlite_world: dict[str, Any]) -> None:
    """The plain-language box appears while the user types: the next field stays where it
    was, under the user's cursor."""
    world = sqlite_world
    wizard = open_wizard(qtbot, world["url"], world["manager"], world["plan"].id)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    below = page.edits["can_do_self"]
    warning = wizard.plain_labels["what_matters"]
    before = below.mapTo(page, below.rect().topLeft())
    assert warning.isHidden()
    type_text(qtbot, page.edits["what_matters"], "Hjälp med ADL enl. beslut om ÄBO och pga SoL")
    qtbot.waitUntil(warning.isVisible, timeout=1000)
    qtbot.wait(20)  # let the layout settle as it would on screen
    assert below.mapTo(page, below.rect().topLeft()) == before
    assert "”ADL”" in warning.text() and "”ÄBO”" in warning.text()
    assert "vardagliga sysslor" in warning.toolTip()  # every suggestion, when there are many
    assert warning.height() <= warning.parentWidget().height()  # inside its room, not cut off
    shot(wizard, "step2_warning")
    type_text(qtbot, page.edits["main_goal"], "Bo kvar hemma enl. 4:1")
    qtbot.waitUntil(wizard.plain_labels["main_goal"].isVisible, timeout=1000)
    assert "”4:1”" in wizard.plain_labels["main_goal"].text()
    shot(wizard, "step2_warning")


def test_the_wizard_explains_its_own_jargon(qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    plan.update_fields(world["officer"], stored(world["plan"].id), {
        "main_goal": ("", "Att kunna bo kvar hemma"),
        "follow_up_date": (None, dt.date(2027, 6, 10))})
    wizard = open_wizard(qtbot, world["url"], world["nurse"], world["plan"].id)
    go_to(qtbot, wizard, W.RESPONSIBILITY)
    page = wizard.page(W.RESPONSIBILITY)
    assert wizard.field_labels["treatment_limitation"] == (
        "Behandlingsbegränsning (vården avstår från viss behandling)")
    assert "Nationell patientöversikt" in page.reference.toolTip()
    texts = " ".join(label.text() for label in page.body.findChildren(type(page.help)))
    assert "NPÖ (Nationell patientöversikt)" in texts
    go_to(qtbot, wizard, W.REVIEW)
    review_texts = " ".join(label.text() for label in
                            wizard.page(W.REVIEW).body.findChildren(type(page.help)))
    assert "kap." not in review_texts and "§" not in review_texts
