"""The dokumentationsstöd wizard (DOMAIN.md step 8) driven like a user: every field saved a
moment after typing (and on closing) so nothing is lost; a clash with another user's change is
shown at the field with both texts; plain-language warnings; the legal check's missing points;
the deadline, red when passed; each principal writes only its own part; treatment limitation
only as a journal reference; the follow-up at most a year after the meeting. Storage on both
engines where it matters."""

from __future__ import annotations

import datetime as dt
from typing import Any

import peewee
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDateTimeEdit
from pytestqt.qtbot import QtBot

from sipdesk.casework import drafts
from sipdesk.plans import plan
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.ui.conftest import MessageLog, settle, type_text
from tests.ui.documentation_support import (
    DEADLINE,
    drive_dialog,
    go_to,
    open_wizard,
    replace_text,
    stored,
    type_lines,
    world_with_plan,
)
from ui.dialogs.conflict_dialog import ConflictDialog
from ui.dialogs.plan_intervention import DRAFT_NAME, InterventionDialog
from ui.dialogs.plan_participant import ParticipantDialog
from ui.wizards.documentation import DocumentationWizard as W


@pytest.fixture
def world(db: peewee.Database) -> dict[str, Any]:
    return world_with_plan()


@pytest.fixture
def sqlite_world(sqlite_db: peewee.Database, tmp_path: Any) -> dict[str, Any]:
    found = world_with_plan()
    found["url"] = DatabaseUrl(Engine.SQLITE, path=tmp_path / "only.sqlite3")
    return found


def with_goal(world: dict[str, Any]) -> None:
    """A main goal written: step 2 does not let the user go on without one."""
    plan_id = world["plan"].id
    plan.update_fields(world["officer"], stored(plan_id), {"main_goal": (
        "", "Att kunna bo kvar hemma")})


def with_follow_up(world: dict[str, Any]) -> None:
    """A follow-up date written: step 5 does not let the user go on without one."""
    plan_id = world["plan"].id
    plan.update_fields(world["officer"], stored(plan_id), {"follow_up_date": (
        None, dt.date(2027, 6, 10))})


def test_pages_in_the_order_of_the_meeting_with_the_conversation_support(
        qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    wizard = open_wizard(qtbot, sqlite_world["url"], sqlite_world["manager"],
                         sqlite_world["plan"].id)
    titles = [wizard.page(i).title() for i in wizard.pageIds()]
    assert titles == ["1 av 6 · Deltagare", "2 av 6 · Den enskildes situation och mål",
                      "3 av 6 · Insatser per huvudman", "4 av 6 · Andra och ansvar",
                      "5 av 6 · Uppföljning", "6 av 6 · Granska"]
    assert "Vad tycker du?" in wizard.page(W.SITUATION).help.text()  # seed 003 step 3
    assert "uppföljning" in wizard.page(W.FOLLOW_UP).help.text()
    assert all(wizard.page(i).help.text() for i in wizard.pageIds())


def test_participants_are_prefilled_and_missing_details_are_named(
        qtbot: QtBot, sqlite_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000: name, initials, profession, organisation and contact for every participant."""
    wizard = open_wizard(qtbot, sqlite_world["url"], sqlite_world["officer"],
                         sqlite_world["plan"].id)
    page = wizard.page(W.PARTICIPANTS)
    table = page.table.table
    assert {table.item(r, 0).text() for r in range(table.rowCount())} == {
        "Åsa Öberg", "Anna Berg", "Maria Holm", "Per Nord", "Eva Läkare"}  # the person and
    # the convener take part too
    assert page.problems.isHidden()

    def fill(dialog: ParticipantDialog) -> None:
        type_text(qtbot, dialog.inputs["name"], "Greta Öberg")
        assert dialog.inputs["initials"].text() == "GÖ"  # follows the name
        # A relative: name, initials and role; organisation and contact only for an actor.
        assert "yrke" in dialog.warning.text()
        assert "kontaktuppgifter" not in dialog.warning.text()
        dialog.principal.setCurrentIndex(1)  # … who represents a principal
        assert "kontaktuppgifter" in dialog.warning.text()

    drive_dialog(monkeypatch, qtbot, ParticipantDialog, fill)
    qtbot.mouseClick(page.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the plan is read again
    row = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "Greta Öberg")
    assert table.item(row, 2).text() == "saknas"  # profession, in red
    assert table.item(row, 2).foreground().color().name() == "#b00020"
    assert "Greta Öberg: saknar yrke, organisation, kontaktuppgifter." in page.problems.text()
    assert page.problems.isVisible()


def test_continuous_save_survives_closing_and_a_crash(
        qtbot: QtBot, world: dict[str, Any], db_url: DatabaseUrl) -> None:
    """Nothing waits for a save button: typed text is stored a moment later, and what is still
    waiting is stored when the wizard closes."""
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, db_url, world["manager"], plan_id)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    type_text(qtbot, page.edits["what_matters"], "Att få ha katten kvar")
    # A crash now: the text is in the database already, without closing anything.
    qtbot.waitUntil(lambda: stored(plan_id).what_matters == "Att få ha katten kvar",
                    timeout=3000)
    wizard.saver.timer.setInterval(60_000)  # the next change would wait a minute …
    type_text(qtbot, page.edits["main_goal"], "Bo kvar hemma")
    type_lines(qtbot, page.edits["sub_goals"], "Gå ut varje dag\nLaga frukost själv")
    assert stored(plan_id).main_goal == ""
    wizard.close()  # … but closing saves it
    settle(qtbot)
    assert stored(plan_id).main_goal == "Bo kvar hemma"
    assert plan.sub_goals(stored(plan_id)) == ["Gå ut varje dag", "Laga frukost själv"]

    again = open_wizard(qtbot, db_url, world["manager"], plan_id)
    texts = again.page(W.SITUATION).edits
    assert texts["what_matters"].toPlainText() == "Att få ha katten kvar"
    assert texts["main_goal"].toPlainText() == "Bo kvar hemma"
    assert texts["sub_goals"].toPlainText() == "Gå ut varje dag\nLaga frukost själv"


def test_a_save_without_the_database_keeps_the_text_and_is_tried_again(
        qtbot: QtBot, sqlite_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
        message_log: MessageLog) -> None:
    """The server goes away while the user types: the text stays in the field, the status says
    it is not saved, and it is saved by itself once the database answers again; closing
    meanwhile names what would be lost."""
    from ui.wizards import documentation_saving

    world = sqlite_world
    plan_id = world["plan"].id
    real = documentation_saving.save_field
    down = [True]

    def save_field(*args: Any) -> Any:
        if down[0]:
            raise peewee.OperationalError("server closed the connection unexpectedly")
        return real(*args)

    monkeypatch.setattr(documentation_saving, "save_field", save_field)
    wizard = open_wizard(qtbot, world["url"], world["manager"], plan_id)
    wizard.saver.retry.setInterval(200)
    go_to(qtbot, wizard, W.SITUATION)
    page = wizard.page(W.SITUATION)
    edit = page.edits["what_matters"]
    type_text(qtbot, edit, "Att få ha katten kvar")
    qtbot.waitUntil(lambda: "ingen kontakt med databasen" in page.save_status.text(),
                    timeout=3000)
    assert edit.toPlainText() == "Att få ha katten kvar"
    assert stored(plan_id).what_matters == ""
    message_log.confirm_answer = False
    wizard.close()
    settle(qtbot)
    assert wizard.isVisible()
    kind, title, text = message_log.shown[-1]
    assert (kind, title) == ("confirm", "Det här är inte sparat")
    assert "”Det här är viktigt för mig”" in text and "nå databasen" in text
    down[0] = False  # the server is back: the next try saves it
    qtbot.waitUntil(lambda: stored(plan_id).what_matters == "Att få ha katten kvar",
                    timeout=3000)
    settle(qtbot)
    assert page.save_status.text().startswith("Sparat")
    assert edit.toPlainText() == "Att få ha katten kvar"
    wizard.close()
    settle(qtbot)
    assert not wizard.isVisible()


def test_a_clash_on_the_same_field_shows_both_texts_and_keeps_mine(
        qtbot: QtBot, world: dict[str, Any], db_url: DatabaseUrl,
        message_log: MessageLog) -> None:
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, db_url, world["nurse"], plan_id)
    go_to(qtbot, wizard, W.SITUATION)
    # Meanwhile Maria Holm writes the main goal from her own computer.
    plan.update_fields(world["manager"], stored(plan_id), {"main_goal": ("", "Bo kvar hemma")})
    edit = wizard.page(W.SITUATION).edits["main_goal"]
    type_text(qtbot, edit, "Bo hemma med stöd")
    box = wizard.saver.bindings["main_goal"].conflict
    qtbot.waitUntil(box.isVisible, timeout=3000)
    assert box.text.text() == ("Någon annan har ändrat det här: Bo kvar hemma\n"
                               "Din text: Bo hemma med stöd")
    assert edit.toPlainText() == "Bo hemma med stöd"  # nothing typed is lost
    assert stored(plan_id).main_goal == "Bo kvar hemma"  # nothing of theirs either
    message_log.confirm_answer = False  # closing now would drop my text: the user goes back
    wizard.close()
    assert wizard.isVisible()
    kind, title, text = message_log.shown[-1]
    assert (kind, title) == ("confirm", "Det här är inte sparat")
    assert "”Huvudmål”" in text
    qtbot.mouseClick(box.mine_button, Qt.MouseButton.LeftButton)
    assert box.isHidden()
    settle(qtbot)
    assert stored(plan_id).main_goal == "Bo hemma med stöd"
    type_text(qtbot, edit, ".")  # later changes save normally again
    qtbot.waitUntil(lambda: stored(plan_id).main_goal == "Bo hemma med stöd.", timeout=3000)


def clash_at_can_do_self(qtbot: QtBot, world: dict[str, Any]) -> tuple[Any, Any, Any]:
    """The nurse types in "Det här klarar jag själv" after the manager saved it: the wizard, the
    field and its conflict box, shown."""
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["nurse"], plan_id)
    go_to(qtbot, wizard, W.SITUATION)
    plan.update_fields(world["manager"], stored(plan_id), {"can_do_self": (
        "", "Jag lagar min frukost")})
    edit = wizard.page(W.SITUATION).edits["can_do_self"]
    type_text(qtbot, edit, "Jag klär på mig")
    box = wizard.saver.bindings["can_do_self"].conflict
    qtbot.waitUntil(box.isVisible, timeout=3000)
    return wizard, edit, box


def test_taking_their_text_shows_it_in_the_field(qtbot: QtBot,
                                                 sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    plan_id = world["plan"].id
    _wizard, edit, box = clash_at_can_do_self(qtbot, world)
    qtbot.mouseClick(box.theirs_button, Qt.MouseButton.LeftButton)
    assert edit.toPlainText() == "Jag lagar min frukost"
    assert stored(plan_id).can_do_self == "Jag lagar min frukost"
    assert box.isHidden()


def test_merging_by_hand_shows_both_texts_side_by_side_and_saves_the_merged_one(
        qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    """Issue 13: keep mine, take theirs — or write one text of both, with theirs in view."""
    world = sqlite_world
    plan_id = world["plan"].id
    wizard, edit, box = clash_at_can_do_self(qtbot, world)
    assert box.merge_button.isVisible()
    qtbot.mouseClick(box.merge_button, Qt.MouseButton.LeftButton)
    dialog = wizard.findChild(ConflictDialog, "conflict_dialog")
    assert dialog is not None and dialog.isVisible()
    choice = dialog.fields[0]
    assert choice.mine_box.toPlainText() == "Jag klär på mig"
    assert choice.theirs_box.toPlainText() == "Jag lagar min frukost"
    dialog.choose("can_do_self", "merge")
    choice.merge_box.setPlainText("Jag klär på mig och lagar min frukost")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: stored(plan_id).can_do_self
                    == "Jag klär på mig och lagar min frukost", timeout=3000)
    assert edit.toPlainText() == "Jag klär på mig och lagar min frukost"
    assert box.isHidden()


def test_others_changes_appear_in_fields_not_being_edited(qtbot: QtBot,
                                                          sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["nurse"], plan_id)
    plan.update_fields(world["manager"], stored(plan_id), {"current_situation": (
        "", "Jag har ramlat två gånger")})
    go_to(qtbot, wizard, W.SITUATION)
    assert wizard.page(W.SITUATION).edits["current_situation"].toPlainText() == \
        "Jag har ramlat två gånger"


def test_plain_language_warning_for_an_abbreviation(qtbot: QtBot,
                                                    sqlite_world: dict[str, Any]) -> None:
    """DOMAIN step 8: no abbreviations or jargon in texts for the person — a warning with a
    suggestion, not a block."""
    world = sqlite_world
    with_goal(world)
    with_follow_up(world)
    wizard = open_wizard(qtbot, world["url"], world["manager"], world["plan"].id)
    go_to(qtbot, wizard, W.SITUATION)
    warning = wizard.plain_labels["what_matters"]
    assert warning.isHidden()
    type_text(qtbot, wizard.page(W.SITUATION).edits["what_matters"], "Hjälp med ADL")
    assert warning.isVisible()
    assert "”ADL”" in warning.text() and "vardagliga sysslor" in warning.text()
    go_to(qtbot, wizard, W.REVIEW)
    review = wizard.page(W.REVIEW)
    assert "Det här är viktigt för mig: ”ADL” — skriv hellre: vardagliga" in review.plain.text()
    assert stored(world["plan"].id).what_matters == "Hjälp med ADL"  # saved all the same


def test_review_lists_the_legal_checks_missing_points(qtbot: QtBot,
                                                      sqlite_world: dict[str, Any]) -> None:
    """SoL 2:7 / HSL 16:4: interventions, each principal's part, others' actions, overall
    responsibility — each missing point in plain Swedish."""
    world = sqlite_world
    with_goal(world)
    with_follow_up(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["manager"], plan_id)
    go_to(qtbot, wizard, W.FOLLOW_UP)
    # Step 4 holds for its own field; another user may still clear it meanwhile.
    plan.update_fields(world["officer"], stored(plan_id), {"overall_principal": (
        stored(plan_id).overall_principal_id, None)})
    go_to(qtbot, wizard, W.REVIEW)
    legal = wizard.page(W.REVIEW).legal.text()
    assert "1. Planen visar inte vilka insatser som behövs." in legal
    assert "2. Det framgår inte vad Exempelby kommun, Region Exempelland ansvarar för" in legal
    assert "3. Åtgärder av andra än kommun och region saknas" in legal
    assert "4. Det står inte vilken huvudman som har det övergripande ansvaret." in legal

    go_to(qtbot, wizard, W.RESPONSIBILITY)
    page = wizard.page(W.RESPONSIBILITY)
    page.overall.setCurrentIndex(page.overall.findData(world["kommun"].id))
    page.others.none.setFocus()
    qtbot.keyClick(page.others.none, Qt.Key.Key_Space)
    go_to(qtbot, wizard, W.REVIEW)
    legal = wizard.page(W.REVIEW).legal.text()
    assert "3." not in legal and "4." not in legal
    assert stored(plan_id).overall_principal_id == world["kommun"].id
    assert stored(plan_id).others_none


def test_actions_by_others_are_saved_when_who_and_what_are_written(
        qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["officer"], plan_id)
    go_to(qtbot, wizard, W.RESPONSIBILITY)
    editor = wizard.page(W.RESPONSIBILITY).others
    qtbot.mouseClick(editor.add_button, Qt.MouseButton.LeftButton)
    who, what, _when, _remove = editor.rows[0]
    type_text(qtbot, who, "Dottern Greta")
    assert editor.incomplete.isVisible()
    wizard.saver.flush()
    settle(qtbot)
    assert plan.other_actions(stored(plan_id)) == []  # not yet: what is missing
    type_text(qtbot, what, "Handlar på lördagar")
    assert editor.incomplete.isHidden()
    qtbot.waitUntil(lambda: [(o.who, o.what) for o in plan.other_actions(stored(plan_id))]
                    == [("Dottern Greta", "Handlar på lördagar")], timeout=3000)


def test_treatment_limitation_is_only_a_journal_reference(
        qtbot: QtBot, sqlite_world: dict[str, Any], message_log: MessageLog) -> None:
    """Seed 000: only a reference to the medical record, nothing else — the core refuses
    details; the message is at the field and the text stays."""
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["nurse"], plan_id)
    go_to(qtbot, wizard, W.RESPONSIBILITY)
    page = wizard.page(W.RESPONSIBILITY)
    assert not page.reference.isEnabled()  # "Inte aktuellt" at first
    qtbot.mouseClick(page.treatment_buttons[True], Qt.MouseButton.LeftButton)
    assert page.reference.isEnabled()
    details = ("Ingen HLR vid hjärtstopp enligt samtal med dottern och läkaren om prognosen "
               "och hennes egna önskemål")
    type_text(qtbot, page.reference, details)
    error = wizard.saver.bindings["treatment_limitation_ref"].error
    qtbot.waitUntil(error.isVisible, timeout=3000)
    assert "bara en hänvisning till journalen" in error.text()
    assert page.reference.text() == details
    assert stored(plan_id).treatment_limitation is True
    assert stored(plan_id).treatment_limitation_ref == ""
    message_log.confirm_answer = False
    wizard.close()
    assert wizard.isVisible() and "”Hänvisning till journalen”" in message_log.shown[-1][2]
    replace_text(qtbot, page.reference, "Se journal i NPÖ, 2026-12-10")
    qtbot.waitUntil(lambda: stored(plan_id).treatment_limitation_ref
                    == "Se journal i NPÖ, 2026-12-10", timeout=3000)
    settle(qtbot)  # the save's answer reaches the wizard too, not only the database
    assert error.isHidden()
    wizard.close()
    assert not wizard.isVisible()  # everything saved: it just closes


def test_follow_up_at_most_a_year_after_the_meeting(qtbot: QtBot,
                                                    sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["officer"], plan_id)
    go_to(qtbot, wizard, W.FOLLOW_UP)
    page = wizard.page(W.FOLLOW_UP)
    assert page.date.optional_value() is None
    assert page.date.text() == "Välj datum"
    qtbot.mouseClick(page.quick_buttons[1], Qt.MouseButton.LeftButton)  # "Om 6 månader"
    qtbot.waitUntil(lambda: stored(plan_id).follow_up_date == dt.date(2027, 6, 10),
                    timeout=3000)
    assert page.date.maximumDate().toString("yyyy-MM-dd") == "2027-12-10"
    qtbot.mouseClick(page.quick_buttons[2], Qt.MouseButton.LeftButton)  # "Om ett år"
    page.date.setFocus()
    page.date.setCurrentSection(QDateTimeEdit.Section.DaySection)
    qtbot.keyClick(page.date, Qt.Key.Key_Up)  # one day more than a year
    error = wizard.field_parts["follow_up_date"][0]
    assert error.text() == "Planen följs upp minst en gång om året — senast 2027-12-10."
    assert error.isVisible()
    qtbot.waitUntil(lambda: stored(plan_id).follow_up_date == dt.date(2027, 12, 10),
                    timeout=3000)
    qtbot.mouseClick(page.quick_buttons[0], Qt.MouseButton.LeftButton)  # "Om 3 månader"
    assert error.isHidden()


def test_each_principal_writes_only_its_own_part(
        qtbot: QtBot, sqlite_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["nurse"], plan_id)
    go_to(qtbot, wizard, W.INTERVENTIONS)
    sections = wizard.page(W.INTERVENTIONS).sections
    region, kommun = sections[world["region_p"].id], sections[world["kommun"].id]
    assert region.add_button.isVisible() and not kommun.add_button.isVisible()
    assert "du kan läsa" in kommun.state.text()
    assert "Din huvudmans del" in region.state.text()
    titles = [s.title_label.text() for s in wizard.page(W.INTERVENTIONS).sections.values()]
    assert titles[0] == "Region Exempelland"  # the user's own part first


def test_an_intervention_is_checked_as_you_type(
        qtbot: QtBot, sqlite_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["manager"], plan_id)
    go_to(qtbot, wizard, W.INTERVENTIONS)
    section = wizard.page(W.INTERVENTIONS).sections[world["kommun"].id]
    assert section.empty.isVisible()
    assert not section.finish_button.isEnabled()
    attempts: list[InterventionDialog] = []

    def fill(dialog: InterventionDialog) -> None:
        type_text(qtbot, dialog.what, "Hemtjänsten hjälper till med dusch")
        assert dialog.unit.text() == "Hemtjänst Norr"  # the user's own unit
        if not attempts:  # first try: responsible and when are missing
            return
        type_text(qtbot, dialog.responsible, "Maria Holm")
        type_text(qtbot, dialog.how_often, "Två gånger i veckan")

    def first_try(dialog: InterventionDialog) -> None:
        fill(dialog)
        attempts.append(dialog)

    drive_dialog(monkeypatch, qtbot, InterventionDialog, first_try)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the dialog opens once its draft is read
    refused = attempts[0]
    assert refused.form.error_text("responsible") == "Skriv vem som ansvarar (ett namn)."
    assert refused.form.error_text("how_often").startswith("Skriv när eller hur ofta")
    assert refused.what.toPlainText() == "Hemtjänsten hjälper till med dusch"  # kept
    assert plan.interventions(stored(plan_id)) == []

    drive_dialog(monkeypatch, qtbot, InterventionDialog, fill)
    qtbot.mouseClick(section.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the dialog opens once its draft is read
    settle(qtbot)  # the plan is read again
    items = plan.interventions(stored(plan_id))
    assert [(i.what, i.responsible, i.how_often, i.unit) for i in items] == [
        ("Hemtjänsten hjälper till med dusch", "Maria Holm", "Två gånger i veckan",
         "Hemtjänst Norr")]
    section = wizard.page(W.INTERVENTIONS).sections[world["kommun"].id]  # rebuilt
    assert section.table.item(0, 0).text() == "Hemtjänsten hjälper till med dusch"
    assert section.finish_button.isEnabled()


def test_we_do_nothing_needs_only_a_sentence(
        qtbot: QtBot, sqlite_world: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    """Seed 000: each actor documents its own commitments, including "no action"."""
    world = sqlite_world
    with_goal(world)
    plan_id = world["plan"].id
    wizard = open_wizard(qtbot, world["url"], world["nurse"], plan_id)
    go_to(qtbot, wizard, W.INTERVENTIONS)
    section = wizard.page(W.INTERVENTIONS).sections[world["region_p"].id]

    def fill(dialog: InterventionDialog) -> None:
        assert dialog.no_action.isChecked()
        assert not dialog.responsible.isVisible()  # the row is hidden
        type_text(qtbot, dialog.what, "Vårdcentralen gör inget nytt just nu")

    drive_dialog(monkeypatch, qtbot, InterventionDialog, fill)
    qtbot.mouseClick(section.none_button, Qt.MouseButton.LeftButton)
    settle(qtbot)  # the plan is read again
    item = plan.interventions(stored(plan_id))[0]
    assert (item.no_action, item.what) == (True, "Vårdcentralen gör inget nytt just nu")
    section = wizard.page(W.INTERVENTIONS).sections[world["region_p"].id]
    assert section.table.item(0, 6).text() == "Vi gör inget"


def test_an_unsaved_intervention_comes_back_after_a_crash(
        qtbot: QtBot, sqlite_world: dict[str, Any]) -> None:
    world = sqlite_world
    version = stored(world["plan"].id)
    from ui.session import Session

    session = Session(url=world["url"], user=world["manager"])

    def draft_of(session: Session) -> dict[str, Any] | None:
        """What the wizard reads before it opens the dialog."""
        return drafts.load_draft(session.user, version.case_id, DRAFT_NAME)

    dialog = InterventionDialog(session, version, principal_id=world["kommun"].id,
                                principal_name="Exempelby kommun", draft=draft_of(session))
    qtbot.addWidget(dialog)
    dialog.show()  # shown, so that hiding it stops its draft timer as on screen
    type_text(qtbot, dialog.what, "Trygghetslarm")
    type_text(qtbot, dialog.responsible, "Maria Holm")
    dialog.save_draft()  # what the timer does a moment after typing
    settle(qtbot)  # written in the background
    dialog.hide()  # the app dies here: no OK, no Avbryt

    again = InterventionDialog(session, version, principal_id=world["kommun"].id,
                               principal_name="Exempelby kommun", draft=draft_of(session))
    qtbot.addWidget(again)
    assert again.restored
    assert (again.what.toPlainText(), again.responsible.text()) == (
        "Trygghetslarm", "Maria Holm")
    assert "återställt" in again.intro.text()
    again.reject()  # Avbryt: the user lets it go
    settle(qtbot)  # the draft is removed in the background
    third = InterventionDialog(session, version, principal_id=world["kommun"].id,
                               principal_name="Exempelby kommun", draft=draft_of(session))
    qtbot.addWidget(third)
    assert not third.restored and third.what.toPlainText() == ""


def test_deadline_shown_and_red_when_overdue(qtbot: QtBot,
                                             sqlite_world: dict[str, Any]) -> None:
    """DOMAIN step 8: within two working days after the meeting (Thu 10 → Mon 14 Dec)."""
    world = sqlite_world
    on_time = open_wizard(qtbot, world["url"], world["manager"], world["plan"].id,
                          today=DEADLINE)
    label = on_time.page(W.PARTICIPANTS).deadline
    assert label.text() == ("Dokumentationen ska vara klar senast 2026-12-14 (två arbetsdagar "
                            "efter mötet).")
    assert label.property("overdue") is False
    late = open_wizard(qtbot, world["url"], world["manager"], world["plan"].id,
                       today=DEADLINE + dt.timedelta(days=1))
    for page_id in late.pageIds():
        label = late.page(page_id).deadline
        assert label.text() == "Försenad: dokumentationen skulle ha varit klar 2026-12-14."
        assert label.property("overdue") is True
        assert "#b00020" in label.styleSheet()


def test_a_locked_plan_opens_read_only(qtbot: QtBot, sqlite_world: dict[str, Any],
                                       message_log: MessageLog) -> None:
    from tests.core.test_plan import approve_all, fill_plan

    world = sqlite_world
    approve_all(world, fill_plan(world))
    wizard = open_wizard(qtbot, world["url"], world["manager"], world["plan"].id)
    go_to(qtbot, wizard, W.SITUATION)
    edit = wizard.page(W.SITUATION).edits["main_goal"]
    assert edit.isReadOnly()
    assert "Bara läsning" in wizard.page(W.SITUATION).save_status.text()
    go_to(qtbot, wizard, W.INTERVENTIONS)
    section = wizard.page(W.INTERVENTIONS).sections[world["kommun"].id]
    assert not section.add_button.isVisible()
    assert wizard.page(W.PARTICIPANTS).deadline.text().startswith("Planen är godkänd av alla")
