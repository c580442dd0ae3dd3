"""Paper for a child from the screens (seed 002): "Avstå från SIP" on a child's case offers the
guardians' letters — who gets one and who gets none and why — and saves one letter to each
informed guardian; the Samtycke tab's "Skriv ut samtyckesblankett" says there is a form for each
guardian who may be told, and none, with the reason, for one who may not.

Rule named here: a guardian who may not be told gets no paper, and the screens say why."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk.casework import guardians
from sipdesk.casework.guardians import GuardianInput
from sipdesk.storage.models import Case, CaseStatus, Custody, InformationBlock, Person
from tests.factories import make_case
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from ui import file_output
from ui.case_tabs.consent_tab import ConsentTab
from ui.case_tabs.overview import OverviewTab
from ui.dialogs.case_dialogs import RefusalDialog
from ui.file_output import SaveFileDialog
from ui.session import Session

from .test_case_tabs import button, show_case
from .test_consent_dialogs import drive
from .test_guardian_screens import child  # noqa: F401  (the fixture: Liv, 13)


def _guardians(session: Session, child: Person) -> None:  # noqa: F811
    guardians.add_guardian(session.user, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address="Björkvägen 3, 123 45 Exempelby"))
    guardians.add_guardian(session.user, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, address="Tallstigen 9, 123 46 Exempelby",
        information_block=InformationBlock.RESTRAINING_ORDER))


def test_refusing_a_childs_sip_offers_the_guardians_letters(
        sqlite_session: Session, qtbot: QtBot, child: Person,  # noqa: F811
        monkeypatch: pytest.MonkeyPatch, message_log: MessageLog, tmp_path: Path) -> None:
    _guardians(sqlite_session, child)
    case = make_case(sqlite_session.user, child)
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)

    def fill(dialog: RefusalDialog) -> None:
        type_text(qtbot, dialog.reason, "Liv får redan det stöd hon behöver i skolan.")

    monkeypatch.setattr(RefusalDialog, "ask", drive(qtbot, RefusalDialog, fill))
    target = tmp_path / "brev.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", classmethod(lambda cls, *a, **k: target))
    opened: list[Path] = []
    monkeypatch.setattr(file_output, "open_file", opened.append)
    qtbot.mouseClick(button(overview, "action_refuse"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert Case.get_by_id(case.id).status == CaseStatus.REFUSED.value
    offer = next(text for kind, _t, text in message_log.shown if kind == "confirm")
    assert "Vill du skriva ut breven" in offer
    assert "Vårdnadshavaren får brevet: Eva Åkesson." in offer
    assert "Inget brev till Per Åkesson: får inte få information om barnet" in offer
    assert "Liv får ett eget brev, med text för barn." in offer
    qtbot.waitUntil(lambda: opened == [target], timeout=10000)
    pages = [p.extract_text() for p in PdfReader(io.BytesIO(target.read_bytes())).pages]
    assert len(pages) == 2 and "Hej Eva!" in pages[0] and "Hej Liv!" in pages[1]
    assert not any("Per Åkesson" in p for p in pages)


def test_the_consent_form_button_says_who_gets_a_form(
        sqlite_session: Session, qtbot: QtBot, child: Person) -> None:  # noqa: F811
    _guardians(sqlite_session, child)
    case = make_case(sqlite_session.user, child)
    view = show_case(qtbot, sqlite_session, case.id)
    tab = shown_tab(qtbot, view, ConsentTab)
    tip = tab.print_button.toolTip()
    assert "En blankett till varje vårdnadshavare: Eva Åkesson." in tip
    assert "Ingen blankett till Per Åkesson: får inte få information om barnet" in tip
