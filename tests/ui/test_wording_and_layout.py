"""Small things a user notices: the Händelselogg in Swedish, participles that agree with their
noun, "OK" spelled the Swedish way, the menprövning dialog's messages inside the window and
below their field, and the case list's sort arrow pointing the way the list runs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import peewee
from PySide6.QtCore import QLibraryInfo, QLocale, QPoint, Qt, QTranslator
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from sipdesk.accounts import audit
from sipdesk.desk import case_forms
from sipdesk.plans import plan
from sipdesk.plans.plan import VersionChange
from tests.factories import make_case, make_person
from tests.ui.conftest import read_cell, settle
from tests.ui.documentation_support import stored, world_with_plan
from tests.ui.test_case_list import make_people_and_cases, show_list
from ui import messages
from ui.case_tabs import plan_tab
from ui.case_tabs.log_model import CaseLogModel, format_changes
from ui.dialogs.consent_dialogs import HarmAssessmentDialog
from ui.session import Session

SHOTS = Path("/tmp/shots")


# ---- the Händelselogg ------------------------------------------------------------------------

def test_every_plan_field_has_a_swedish_name_in_the_log() -> None:
    missing = [name for name in plan.SHARED_FIELDS if name not in audit.FIELD_LABELS]
    assert missing == []
    assert audit.field_label("something_new") == "Uppgift"  # never the code's English


def test_the_log_names_plan_fields_in_swedish(db: peewee.Database) -> None:
    world = world_with_plan()
    version = world["plan"]
    plan.update_fields(world["officer"], stored(version.id), {
        "current_situation": ("", "Jag har ramlat två gånger"),
        "what_matters": ("", "Min katt"),
        "overall_principal": (stored(version.id).overall_principal_id, world["kommun"].id),
        "follow_up_date": (None, stored(version.id).meeting_date.replace(year=2027)),
    })
    model = CaseLogModel()
    model.set_lines(audit.case_log(world["case"].id))
    details = [model.data(model.index(row, 3)) for row in range(model.rowCount())]
    text = next(d for d in details if "situation" in d)
    assert "Min nuvarande situation: Jag har ramlat två gånger" in text
    assert "Det här är viktigt för mig: Min katt" in text
    assert "Datum för uppföljning: 2027-" in text
    for english in ("Current situation", "What matters", "Overall principal", "Follow up"):
        assert english not in " ".join(details)


def test_a_changed_text_agrees_with_its_noun() -> None:
    """"Min nuvarande situation ändrad" (en situation), "Huvudmål ändrat" (ett mål)."""
    changes = [VersionChange("Min nuvarande situation", "a", "b"),
               VersionChange("Huvudmål", "a", "b")]
    short, _details = plan_tab.changes_text(changes)
    assert short == "Min nuvarande situation ändrad · Huvudmål ändrat"
    assert format_changes({"current_situation": ["", "Ny"]}) == "Min nuvarande situation: Ny"


# ---- "OK" ------------------------------------------------------------------------------------

def test_message_boxes_say_ok_also_with_qts_swedish_texts(qapp: QApplication) -> None:
    """Qt's Swedish translation calls its standard button "Ok"; Swedish writes "OK"."""
    translator = QTranslator()
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    loaded = translator.load(QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden),
                             "qtbase", "_", folder)
    if loaded:
        qapp.installTranslator(translator)
    try:
        for icon in (QMessageBox.Icon.Information, QMessageBox.Icon.Warning,
                     QMessageBox.Icon.Critical):
            box = messages.message_box(None, icon, "Planen är godkänd", "Alla har godkänt.")
            assert [b.text() for b in box.buttons()] == ["OK"]
            assert box.defaultButton() is box.escapeButton()
            box.deleteLater()
    finally:
        if loaded:
            qapp.removeTranslator(translator)


# ---- menprövning: messages below their fields, inside the window -----------------------------

def test_menprovning_messages_are_below_their_fields_and_not_cut(
        sqlite_session: Session, qtbot: QtBot) -> None:
    case = make_case(sqlite_session.user, make_person(first="Åsa", last="Öberg"))
    dialog = HarmAssessmentDialog(sqlite_session, case, case_forms.harm_form())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.wait(20)
    for name in ("contacts", "conclusion"):
        field: QWidget = dialog.form.inputs[name]
        error = dialog.form.errors[name]
        assert error.isVisible()
        field_bottom = field.mapTo(dialog, QPoint(0, field.height())).y()
        error_top = error.mapTo(dialog, QPoint(0, 0)).y()
        assert error_top >= field_bottom, name  # not drawn inside the Kontakter box
        assert error.height() >= error.heightForWidth(error.width()), name  # every line shows
        assert error_top + error.height() <= dialog.ok_button.mapTo(dialog, QPoint(0, 0)).y()
    SHOTS.mkdir(parents=True, exist_ok=True)
    dialog.grab().save(str(SHOTS / "menprovning_error.png"))


# ---- the sort arrow --------------------------------------------------------------------------

def arrow_points_down(image: QImage, left: int, right: int) -> bool:
    """Whether the darkest small shape in the section's right part is ▼ (widest at the top)."""
    widths: list[int] = []
    for y in range(image.height()):
        dark = [x for x in range(left, right) if image.pixelColor(x, y).lightness() < 110]
        if dark:
            widths.append(len(dark))
    assert len(widths) >= 2, "no sort arrow drawn"
    return widths[0] > widths[-1]


def test_the_sort_arrow_points_the_way_the_list_runs(
        sqlite_session: Session, qtbot: QtBot) -> None:
    """Ärendenummer newest first: ▼ (largest first); clicked again, oldest first: ▲."""
    make_people_and_cases(3, coordinators=[sqlite_session.user], actor=sqlite_session.user)
    view = show_list(qtbot, sqlite_session)
    header = view.table.horizontalHeader()
    model: Any = view.model
    numbers = [read_cell(model, r, 0) for r in range(3)]
    assert numbers == sorted(numbers, reverse=True)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    width = header.sectionSize(0)
    image = header.grab().toImage()
    assert arrow_points_down(image, width - 24, width - 2)

    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(20, 5))
    numbers = [read_cell(model, r, 0) for r in range(3)]
    assert numbers == sorted(numbers)
    image = header.grab().toImage()
    assert not arrow_points_down(image, width - 24, width - 2)
