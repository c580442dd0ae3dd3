"""The documentation wizard holds each page for its required fields by the core's one rule
(`plan.required_field_problems`; STYLE.md habit 5): step 2 "Huvudmål", step 4 "Övergripande
ansvar" (DOMAIN.md step 8 item 4: which principal holds overall responsibility — the law asks
for it), step 5 "Datum för uppföljning" (step 10: at most a year after the meeting). Return and
"Nästa >" alike stay on the page with the message at the field and the cursor there; what was
typed is kept and saved. The plain-language warning keeps one line's room: the field below does
not move when it appears, and a long warning ends in "…" with all of it in the tooltip."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit, QWizard
from pytestqt.qtbot import QtBot

from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.ui.conftest import settle, type_text
from tests.ui.documentation_support import (
    go_to,
    open_wizard,
    replace_text,
    stored,
    world_with_plan,
)
from ui.wizards.documentation import DocumentationWizard as W

SHOTS = Path("/tmp/shots")


@pytest.fixture
def world(sqlite_db: peewee.Database, tmp_path: Path) -> dict[str, Any]:
    found = world_with_plan()
    found["url"] = DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")
    return found


def press(qtbot: QtBot, wizard: W, how: str, field: Any) -> None:
    """Return in the field (in a text box, where Return is a new line, on "Nästa >" instead),
    or a click on "Nästa >"; then wait for what that saves (and reads) in the background."""
    next_button = wizard.button(QWizard.WizardButton.NextButton)
    if how == "click":
        qtbot.mouseClick(next_button, Qt.MouseButton.LeftButton)
    elif isinstance(field, QPlainTextEdit):
        next_button.setFocus()
        qtbot.keyClick(next_button, Qt.Key.Key_Return)
    else:
        field.setFocus()
        qtbot.keyClick(field, Qt.Key.Key_Return)
    settle(qtbot)


def prepare(world: dict[str, Any], page_id: int) -> None:
    """The fields of the pages before `page_id` written; the one on `page_id` empty."""
    plan_id = world["plan"].id
    if page_id > W.SITUATION:
        plan.update_fields(world["officer"], stored(plan_id), {"main_goal": (
            "", "Att kunna bo kvar hemma")})
    if page_id == W.RESPONSIBILITY:
        plan.update_fields(world["officer"], stored(plan_id), {"overall_principal": (
            stored(plan_id).overall_principal_id, None)})


CASES = {
    # page: (field, the start of the message, a text typed in another field on the page)
    W.SITUATION: ("main_goal", "Skriv huvudmålet innan du går vidare", "current_situation"),
    W.RESPONSIBILITY: ("overall_principal", "Välj vilken huvudman som har det övergripande "
                       "ansvaret — lagen kräver att det står i planen.", "coordinator_contact"),
    W.FOLLOW_UP: ("follow_up_date", "Välj datum för uppföljningen — planen följs upp minst en "
                  "gång om året, senast 2027-12-10.", "follow_up_by"),
}


@pytest.mark.parametrize("how", ["return", "click"])
@pytest.mark.parametrize("page_id", list(CASES))
def test_a_page_stays_with_its_required_field_empty_and_moves_on_when_filled(
        qtbot: QtBot, world: dict[str, Any], page_id: int, how: str) -> None:
    """Step 2 Huvudmål, step 4 Övergripande ansvar (DOMAIN.md step 8 item 4), step 5 Datum
    för uppföljning (step 10, at most a year after the meeting)."""
    name, message, other = CASES[page_id]
    prepare(world, page_id)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["officer"], plan_id)
    go_to(qtbot, wizard, page_id)
    field = wizard.saver.bindings[name].widget
    typed = wizard.saver.bindings[other].widget
    replace_text(qtbot, typed, "Dottern Greta")
    error = wizard.field_parts[name][0]
    assert error.isHidden()

    press(qtbot, wizard, how, field)
    assert wizard.currentId() == page_id
    assert error.isVisible()
    assert error.text().startswith(message)
    assert wizard.focusWidget() is field  # the cursor is where to write
    assert wizard.saver.bindings[other].read() == "Dottern Greta"  # nothing typed is lost…
    assert getattr(stored(plan_id), other) == "Dottern Greta"  # …and it is saved

    if page_id == W.SITUATION:
        type_text(qtbot, field, "Att kunna bo kvar hemma")
    elif page_id == W.RESPONSIBILITY:
        qtbot.keyClick(field, Qt.Key.Key_Down)  # the first principal in the list
    else:
        qtbot.mouseClick(wizard.page(page_id).quick_buttons[0], Qt.MouseButton.LeftButton)
    assert error.isHidden()  # being fixed: the message goes
    press(qtbot, wizard, how, field)
    ids = wizard.pageIds()  # an adult's wizard has no page for a child between
    assert wizard.currentId() == ids[ids.index(page_id) + 1]
    version = stored(plan_id)
    assert plan.required_field_problems(version).get(name) is None
    if page_id == W.FOLLOW_UP:
        assert version.follow_up_date == dt.date(2027, 3, 10)  # "Om 3 månader"


def test_a_follow_up_exactly_a_year_after_the_meeting_moves_on(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    """Step 10: at least once a year — the last allowed day is accepted (the same check as
    saving, `plan.check_follow_up_date`)."""
    prepare(world, W.FOLLOW_UP)
    wizard = open_wizard(qtbot, world["url"], world["officer"], world["plan"].id)
    go_to(qtbot, wizard, W.FOLLOW_UP)
    page = wizard.page(W.FOLLOW_UP)
    qtbot.mouseClick(page.quick_buttons[2], Qt.MouseButton.LeftButton)  # "Om ett år"
    press(qtbot, wizard, "return", page.date)
    assert wizard.currentId() == W.REVIEW
    assert stored(world["plan"].id).follow_up_date == dt.date(2027, 12, 10)


# ---- the plain-language warning's room ---------------------------------------------------------

def shot(widget: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(SHOTS / f"{name}.png"))


def test_the_warning_takes_one_line_and_the_field_below_does_not_move(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    """DOMAIN.md step 8, plain language: a warning, never a block — and it must not push the
    field the user is about to click."""
    wizard = open_wizard(qtbot, world["url"], world["officer"], world["plan"].id)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    below = page.edits["what_matters"]
    warning = wizard.plain_labels["current_situation"]
    room = warning.slot()
    assert room.height() <= warning.fontMetrics().lineSpacing() + 10  # one line, not two
    before = below.mapTo(page, below.rect().topLeft())
    size_before = below.size()
    shot(wizard, "step2_without_warning")

    type_text(qtbot, page.edits["current_situation"],
              "Bor på SÄBO sedan i våras, har ADL-bedömning och insats enligt beslut, pga fall")
    qtbot.waitUntil(warning.isVisible, timeout=1000)
    qtbot.wait(20)  # let the layout settle as it would on screen
    assert below.mapTo(page, below.rect().topLeft()) == before
    assert below.size() == size_before
    assert warning.text().startswith("⚠ Svårt för många: ”ADL”, ”pga”, ”SÄBO”")
    assert warning.geometry().bottom() <= room.height()  # inside its room, not cut off
    assert "”SÄBO” är svårt för många — skriv hellre:" in warning.toolTip()
    assert "”pga” är svårt för många" in warning.toolTip()  # every word, with a suggestion
    assert warning.accessibleDescription() == warning.toolTip()

    type_text(qtbot, page.edits["what_matters"], "Att få vara ute, ADL, " + "och " * 60)
    other = wizard.plain_labels["what_matters"]
    qtbot.waitUntil(other.isVisible, timeout=1000)
    shot(wizard, "step2_with_warning")


def test_a_long_warning_ends_in_an_ellipsis_with_all_of_it_in_the_tooltip(
        qtbot: QtBot, world: dict[str, Any]) -> None:
    wizard = open_wizard(qtbot, world["url"], world["officer"], world["plan"].id)
    wizard.resize(640, 700)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    type_text(qtbot, page.edits["main_goal"], "Bo kvar hemma, se 4:1")
    warning = wizard.plain_labels["main_goal"]
    qtbot.waitUntil(warning.isVisible, timeout=1000)
    qtbot.wait(20)
    assert warning.text().startswith("⚠ ”4:1”")
    assert warning.text().endswith("…")
    assert warning.full_text in warning.toolTip()
    assert warning.width() <= warning.slot().width()  # the window did not grow for it
    assert wizard.width() == 640
    shot(wizard, "step2_narrow_warning")
