"""The case view's tabs, driven like a user: Översikt (next steps, need, status), Samtycke
(register, renew, withdraw, menprövning, tackar nej, the printed form) and Händelselogg (the
audit log, read-only), and a case that has ended: readable, nothing changeable.

Rules named here: consent before the invitation (seed 000 "Samtycke"), withdrawal closes the
case (seed 000 "Avslut"), every write and every opening is logged (DOMAIN Data protection).
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee
import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QCheckBox, QLabel, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.audit import AuditAction, LogLine
from sipdesk.casework import consent, lifecycle
from sipdesk.casework.consent import ConsentInput, ConsentKind
from sipdesk.casework.lifecycle import READ_ONLY, Action
from sipdesk.desk import case_page
from sipdesk.storage.models import Case, CaseStatus, Principal, PrincipalKind
from tests.factories import make_case, make_person
from tests.ui.conftest import MessageLog, settle, shown_tab, type_text
from ui import case_view as case_view_module
from ui import file_output
from ui.case_tabs.base import CaseContext, CaseTab
from ui.case_tabs.consent_tab import ConsentTab
from ui.case_tabs.log_model import CaseLogModel, format_changes
from ui.case_tabs.log_tab import LogTab
from ui.case_tabs.overview import OverviewTab
from ui.case_view import CASE_TABS, CaseView
from ui.dialogs.case_dialogs import NeedDialog
from ui.dialogs.consent_dialogs import ConsentDialog, HarmAssessmentDialog, WithdrawConsentDialog
from ui.file_output import SaveFileDialog
from ui.main_window import MainWindow
from ui.session import Session

from .test_consent_dialogs import click, drive

TODAY = clock.today()


def region() -> Principal:
    found, _ = Principal.get_or_create(name="Region Exempelland",
                                       defaults={"kind": PrincipalKind.REGION.value})
    return found


def show_case(qtbot: QtBot, session: Session, case_id: int) -> CaseView:
    """Open the case as the main window does (the opening is logged) and show its view."""
    view = CaseView(case_page.open_case_page(session.user, case_id), session=session)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    qtbot.waitExposed(view)
    settle(qtbot)  # the tab on screen reads its part in the background
    return view


def text_of(widget: QWidget, name: str) -> str:
    label = widget.findChild(QLabel, name)
    assert label is not None, name
    return label.text()


def button(widget: QWidget, name: str) -> QPushButton:
    found = widget.findChild(QPushButton, name)
    assert found is not None, name
    return found


def log_tab_shown(qtbot: QtBot, view: CaseView) -> LogTab:
    """The Händelselogg tab, shown and read (it reads its lines in the background when shown)."""
    return shown_tab(qtbot, view, LogTab)


def log_lines(qtbot: QtBot, view: CaseView) -> list[str]:
    model = log_tab_shown(qtbot, view).model
    return [model.line(row).summary for row in range(model.rowCount())]


def give_consent(session: Session, case: Case, **changes: Any) -> consent.Consent:
    values: dict[str, Any] = dict(kind=ConsentKind.ORAL, given_on=TODAY, covers="Stöd hemma",
                                  principals=[session.user.unit.principal, region()])
    values.update(changes)
    return consent.register_consent(session.user, Case.get_by_id(case.id), ConsentInput(**values))


def oral_consent(qtbot: QtBot) -> Callable[[ConsentDialog], None]:
    """Fills the consent dialog: the question; the region is proposed besides the municipality."""
    the_region = region()  # in the list before the dialog opens

    def fill(dialog: ConsentDialog) -> None:
        type_text(qtbot, dialog.covers, "Samordning av hemtjänst och vårdcentralen")
        assert dialog.findChild(QCheckBox, f"principal_{the_region.id}").isChecked()
    return fill


# ---- the container --------------------------------------------------------------------------


def test_tabs_are_listed_once_and_a_tab_is_one_line(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    titles = [t.title for t in CASE_TABS]
    assert titles[:2] == ["Översikt", "Samtycke"] and "Händelselogg" in titles  # later parts
    # add their own tabs to the list

    class KallelseTab(CaseTab):
        title = "Kallelse"

        def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
            super().__init__(context, parent)
            self.shown: list[str] = []

        def load(self, context: CaseContext) -> str:
            return Case.get_by_id(context.case.id).status  # a read, in the runner

        def show_data(self, data: object) -> None:
            self.shown.append(CaseStatus(data).label)

    monkeypatch.setattr(case_view_module, "CASE_TABS", [*CASE_TABS, KallelseTab])
    case = make_case(sqlite_session.user)
    view = show_case(qtbot, sqlite_session, case.id)
    assert [view.tabs.tabText(i) for i in range(view.tabs.count())] == [*titles, "Kallelse"]
    extra = view.tab(KallelseTab)
    assert extra.shown == []  # a tab reads its part when it is first shown, not before
    view.tabs.setCurrentWidget(extra)
    settle(qtbot)
    assert extra.shown == ["Behov registrerat"]
    give_consent(sqlite_session, case)
    view.reload()  # what a tab's `changed` does: every tab sees the case read again
    settle(qtbot)
    assert extra.shown == ["Behov registrerat", "Samtycke finns"]


# ---- Översikt -----------------------------------------------------------------------------------


def test_overview_of_a_new_case_says_what_is_missing(sqlite_session: Session,
                                                     qtbot: QtBot) -> None:
    """Seed 000 "Samtycke": consent (or a menprövning) before the invitation — the overview
    says so, and the actions the state does not allow are disabled with the reason."""
    case = make_case(sqlite_session.user, make_person(first="Åsa", last="Öberg"))
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert view.tabs.currentWidget() is overview
    assert text_of(overview, "missing_0").endswith(
        "Behovet är inte beskrivet: vem som uppmärksammade det, och vilken fråga SIP:en ska "
        "besvara.")
    assert text_of(overview, "missing_1").endswith(
        "Samtycke saknas — registrera samtycke eller menprövning innan kallelse.")
    assert text_of(overview, "consent_state") == "Samtycke saknas"
    assert text_of(overview, "need_missing") == "Behovet är inte beskrivet ännu."
    for action in (Action.GIVE_CONSENT, Action.HARM_ASSESSED, Action.DECLINE, Action.REFUSE,
                   Action.CLOSE):
        assert button(overview, f"action_{action.value}").isEnabled(), action
    withdraw = button(overview, "action_withdraw_consent")
    assert not withdraw.isEnabled()
    assert withdraw.toolTip() == "Det finns inget samtycke att återkalla."
    assert not view.banner.isVisible()


def test_register_the_need_from_the_overview(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fill(dialog: NeedDialog) -> None:
        type_text(qtbot, dialog.need, "Jag vill bo kvar hemma, men trappan är för svår.")
        type_text(qtbot, dialog.question, "Hur kan stödet samordnas så att jag kan bo kvar?")

    monkeypatch.setattr(NeedDialog, "ask", drive(qtbot, NeedDialog, fill))
    case = make_case(sqlite_session.user)
    view = show_case(qtbot, sqlite_session, case.id)
    qtbot.mouseClick(button(shown_tab(qtbot, view, OverviewTab), "edit_need"),
                     Qt.MouseButton.LeftButton)
    settle(qtbot)
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "need") == "Jag vill bo kvar hemma, men trappan är för svår."
    assert text_of(overview, "noticed") == f"Personal: Anna Berg, {TODAY:%Y-%m-%d}"
    assert button(overview, "edit_need").text() == "Ändra behov…"
    assert "Behovet registrerat" in log_lines(qtbot, view)


def test_register_oral_consent_changes_the_status_and_logs_it(
    session: Session, db: peewee.Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seed 003: oral consent recorded (who, when) → "Samtycke finns"; the write is in the
    Händelselogg (on SQLite and PostgreSQL)."""
    monkeypatch.setattr(ConsentDialog, "ask", drive(qtbot, ConsentDialog, oral_consent(qtbot)))
    case = make_case(session.user, make_person(first="Åsa", last="Öberg"))
    view = show_case(qtbot, session, case.id)
    changed: list[bool] = []
    view.case_changed.connect(lambda: changed.append(True))
    before = len(log_lines(qtbot, view))
    qtbot.mouseClick(button(shown_tab(qtbot, view, OverviewTab), "action_give_consent"),
                     Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert view.status_badge.text() == "Samtycke finns"
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "status") == "Samtycke finns"
    assert text_of(overview, "consent_state") == (
        f"Gäller till och med {consent.one_year_after(TODAY):%Y-%m-%d} "
        f"({(consent.one_year_after(TODAY) - TODAY).days} dagar kvar)")
    assert not button(overview, "action_give_consent").isEnabled()
    assert button(overview, "action_give_consent").toolTip() == (
        "Samtycke finns redan — förnya det i stället.")
    assert button(overview, "renew_consent").isEnabled()
    assert changed == [True]  # the main window's list is told to refresh

    lines = log_lines(qtbot, view)
    assert len(lines) == before + 2
    assert lines[0] == "Behov registrerat → Samtycke finns"
    assert lines[1] == ("Samtycke registrerat (muntligt), gäller till och med "
                        f"{consent.one_year_after(TODAY):%Y-%m-%d}")
    model = log_tab_shown(qtbot, view).model
    assert model.data(model.index(0, 1)) == "Anna Berg"
    assert model.data(model.index(0, 3)) == "Status: Behov registrerat → Samtycke finns"

    samtycke = shown_tab(qtbot, view, ConsentTab)
    assert text_of(samtycke, "consent_kind") == "Muntligt"
    assert text_of(samtycke, "consent_taken_by") == "Anna Berg"
    assert text_of(samtycke, "consent_principals") == "Exempelby kommun\nRegion Exempelland"
    assert button(samtycke, "consent_register").text() == "Förnya samtycke…"


def test_consent_lapsing_within_30_days_warns(sqlite_session: Session, qtbot: QtBot) -> None:
    """Issue 3: the case view shows the days left and warns 30 days before."""
    case = make_case(sqlite_session.user)
    give_consent(sqlite_session, case, given_on=TODAY - dt.timedelta(days=340),
                 valid_until=TODAY + dt.timedelta(days=20))
    view = show_case(qtbot, sqlite_session, case.id)
    overview = shown_tab(qtbot, view, OverviewTab)
    state = overview.findChild(QLabel, "consent_state")
    assert state.text() == f"Går ut om 20 dagar ({TODAY + dt.timedelta(days=20):%Y-%m-%d})"
    assert "background" in state.styleSheet()
    assert "Samtycket går ut om 20 dagar — förnya det i tid." in [
        label.text().lstrip("• ").strip() for label in overview.findChildren(QLabel)
        if label.objectName().startswith("missing_")]
    samtycke = shown_tab(qtbot, view, ConsentTab)
    valid = samtycke.findChild(QLabel, "consent_valid_until")
    assert valid.text() == f"{TODAY + dt.timedelta(days=20):%Y-%m-%d} (20 dagar kvar)"
    assert "background" in valid.styleSheet()


# ---- withdrawal and read-only -----------------------------------------------------------------


def test_withdraw_consent_closes_the_case_read_only(
    session: Session, db: peewee.Database, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seed 000 "Avslut": consent withdrawn → case closed; it stays fully readable, nothing
    can be changed, and earlier consent is kept."""
    def fill(dialog: WithdrawConsentDialog) -> None:
        type_text(qtbot, dialog.how, "Muntligt vid hembesök")

    monkeypatch.setattr(WithdrawConsentDialog, "ask", drive(qtbot, WithdrawConsentDialog, fill))
    case = make_case(session.user)
    give_consent(session, case)
    view = show_case(qtbot, session, case.id)
    view.tabs.setCurrentWidget(shown_tab(qtbot, view, ConsentTab))
    samtycke = shown_tab(qtbot, view, ConsentTab)
    qtbot.mouseClick(button(samtycke, "consent_withdraw_consent"), Qt.MouseButton.LeftButton)
    settle(qtbot)

    assert view.status_badge.text() == "Avslutat"
    assert view.banner.isVisible()
    assert view.banner.text() == (
        f"Ärendet avslutades {TODAY:%Y-%m-%d}: samtycket återkallat. {READ_ONLY}")
    overview = shown_tab(qtbot, view, OverviewTab)
    for widget in (overview, samtycke):
        buttons = [b for b in widget.findChildren(QPushButton) if b.objectName()]
        assert buttons
        for b in buttons:
            assert not b.isEnabled(), b.objectName()
            assert b.toolTip() == READ_ONLY, b.objectName()
    assert text_of(overview, "consent_state") == f"Återkallat {TODAY:%Y-%m-%d}"
    # Still readable: the withdrawn consent is in the history.
    table = samtycke.findChild(QWidget, "consent_history_table")
    assert table.item(0, 5).text() == (
        f"Återkallat {TODAY:%Y-%m-%d} (Muntligt vid hembesök), registrerat av Anna Berg")
    assert log_lines(qtbot, view)[:3] == [
        "Ärendet avslutat: Samtycket återkallat",
        "Samtycke finns → Avslutat (Samtycket återkallat)",
        "Samtycket återkallat (Muntligt vid hembesök)"]


def test_menprovning_from_the_consent_tab(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    def fill(dialog: HarmAssessmentDialog) -> None:
        type_text(qtbot, dialog.contacts, "Dottern Greta: pappa vill ha hjälp hemma.")
        click(qtbot, dialog.findChild(QAbstractButton, "conclusion_no_harm"))

    monkeypatch.setattr(HarmAssessmentDialog, "ask", drive(qtbot, HarmAssessmentDialog, fill))
    case = make_case(sqlite_session.user)
    view = show_case(qtbot, sqlite_session, case.id)
    samtycke = shown_tab(qtbot, view, ConsentTab)
    qtbot.mouseClick(button(samtycke, "consent_harm_assessed"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert view.status_badge.text() == "Menprövning gjord"
    assert "menprövning är grunden" in text_of(samtycke, "no_consent")
    assert text_of(samtycke, "harm_0").startswith(
        "SIP skadar inte den enskilde — arbetet kan fortsätta")
    overview = shown_tab(qtbot, view, OverviewTab)
    assert text_of(overview, "consent_state") == "Menprövning gjord"
    assert overview.findChild(QLabel, "missing_1") is None  # nothing missing for the invitation
    assert not button(samtycke, "consent_harm_assessed").isEnabled()


def test_declined_and_refused_cases_are_read_only(sqlite_session: Session,
                                                  qtbot: QtBot) -> None:
    declined = make_case(sqlite_session.user)
    consent.record_declined(sqlite_session.user, declined, declined_on=TODAY,
                            note="Sa nej vid besöket")
    view = show_case(qtbot, sqlite_session, declined.id)
    assert view.banner.text() == (
        f"Den enskilde tackade nej till SIP ({TODAY:%Y-%m-%d}: Sa nej vid besöket). {READ_ONLY}")
    need = button(shown_tab(qtbot, view, OverviewTab), "edit_need")
    assert (need.isEnabled(), need.toolTip()) == (False, READ_ONLY)

    refused = make_case(sqlite_session.user, make_person("19400116-7743", "Bo", "Ek"))
    lifecycle.transition(sqlite_session.user, refused, Action.REFUSE,
                         reason="Behovet är täckt.")  # the user's own full stop
    view = show_case(qtbot, sqlite_session, refused.id)
    assert view.banner.text() == f"Det blev ingen SIP (Behovet är täckt). {READ_ONLY}"
    assert log_tab_shown(qtbot, view).model.rowCount() > 0


# ---- printing ----------------------------------------------------------------------------------


def test_print_the_consent_form_from_the_consent_tab(
    session: Session, db: peewee.Database, qtbot: QtBot, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch, message_log: MessageLog,
) -> None:
    case = make_case(session.user, make_person(first="Åsa", last="Öberg"))
    give_consent(session, case)
    target = tmp_path / f"samtycke-{case.number}.pdf"
    asked: list[str] = []

    def ask(_parent: QWidget | None, *, title: str, default_name: str) -> Path:
        asked.append(default_name)
        return target

    opened: list[Path] = []
    monkeypatch.setattr(SaveFileDialog, "ask", ask)
    monkeypatch.setattr(file_output, "open_file", opened.append)
    view = show_case(qtbot, session, case.id)
    samtycke = shown_tab(qtbot, view, ConsentTab)
    view.tabs.setCurrentWidget(samtycke)
    qtbot.mouseClick(button(samtycke, "print_consent"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert asked == [f"samtycke-{case.number}.pdf"]  # the case number, no personal data
    qtbot.waitUntil(lambda: opened == [target], timeout=10000)
    assert button(samtycke, "print_consent").isEnabled()
    assert message_log.shown[-1][1] == "Samtyckesblanketten är sparad"
    text = "\n".join(page.extract_text()
                     for page in PdfReader(io.BytesIO(target.read_bytes())).pages)
    assert case.number in text
    assert "Åsa Öberg" in text
    assert "Region Exempelland" in text


def test_print_failure_is_said_plainly(
    sqlite_session: Session, qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    message_log: MessageLog,
) -> None:
    case = make_case(sqlite_session.user)
    missing = tmp_path / "finns-inte" / "samtycke.pdf"
    monkeypatch.setattr(SaveFileDialog, "ask", lambda *_a, **_k: missing)
    view = show_case(qtbot, sqlite_session, case.id)
    samtycke = shown_tab(qtbot, view, ConsentTab)
    qtbot.mouseClick(button(samtycke, "print_consent"), Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.waitUntil(lambda: bool(message_log.shown), timeout=10000)
    kind, title, text = message_log.shown[-1]
    assert (kind, title) == ("warning", "Blanketten kunde inte skapas")
    assert "Välj en annan mapp" in text
    assert button(samtycke, "print_consent").isEnabled()


# ---- Händelselogg ------------------------------------------------------------------------------


def test_opening_a_case_is_logged_and_shown(sqlite_session: Session, qtbot: QtBot) -> None:
    """DOMAIN Data protection: a log of who read what — every opening of a case."""
    case = make_case(sqlite_session.user)
    window = MainWindow(sqlite_session)
    qtbot.addWidget(window)
    window.show()
    window.open_case(case.id)
    settle(qtbot)  # the case is read in the background
    view = window.case_view
    assert view is not None
    assert log_lines(qtbot, view)[0] == "Ärendet öppnat"
    log_tab = view.tab(LogTab)
    openings = sum(1 for line in log_lines(qtbot, view) if line == "Ärendet öppnat")
    log_tab.show_openings.setChecked(False)
    assert "Ärendet öppnat" not in log_lines(qtbot, view)
    assert len(log_lines(qtbot, view)) == len(audit.case_log(case.id)) - openings
    window.show_case_list()
    window.open_case(case.id)
    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    assert log_lines(qtbot, window.case_view)[:2] == ["Ärendet öppnat", "Ärendet öppnat"]


def test_going_back_shows_the_change_in_the_case_list(
    sqlite_session: Session, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(ConsentDialog, "ask", drive(qtbot, ConsentDialog, oral_consent(qtbot)))
    case = make_case(sqlite_session.user)
    window = MainWindow(sqlite_session)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.case_list_painted, timeout=3000):
        window.show()
    model = window.case_list.model
    consent_column = [model.headerData(c, Qt.Orientation.Horizontal)
                      for c in range(model.columnCount())].index("Samtycke")
    assert model.data(model.index(0, consent_column)) == "Samtycke saknas"
    window.open_case(case.id)
    settle(qtbot)  # the case is read in the background
    assert window.case_view is not None
    qtbot.mouseClick(button(shown_tab(qtbot, window.case_view, OverviewTab), "action_give_consent"),
                     Qt.MouseButton.LeftButton)
    settle(qtbot)
    qtbot.mouseClick(window.case_view.back_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert window.stack.currentWidget() is window.case_list
    assert model.data(model.index(0, consent_column)) == (
        f"Gäller till och med {consent.one_year_after(TODAY):%Y-%m-%d}")
    assert window.case_list.table.selectionModel().isRowSelected(0)


def test_log_model_is_a_sound_read_only_model(qtmodeltester: Any) -> None:
    at = dt.datetime(2026, 3, 14, 9, 30)
    lines = [
        LogLine(at, "Anna Berg", AuditAction.OPEN, "Ärendet öppnat", {}),
        LogLine(at, "Anna Berg", AuditAction.STATE, "Behov registrerat → Samtycke finns",
                {"status": ["need_registered", "consent_given"]}),
        LogLine(at, "Karl Lind", AuditAction.UPDATE, "Behovet ändrat",
                {"need": ["Gammal text", "Ny text\nmed två rader"], "noticed_by_user": [1, 2]}),
        LogLine(at, "sipdesk", AuditAction.CREATE, "Ärendet avslutat: Målen är uppfyllda",
                {"closed_on": [None, "2026-03-14"], "reason": [None, "goals_met"]}),
    ]
    model = CaseLogModel()
    model.set_lines(lines)
    qtmodeltester.check(model)
    assert model.data(model.index(0, 0)) == "2026-03-14 09:30"
    assert model.data(model.index(2, 3)) == (
        "Behovet: Gammal text → Ny text med två rader; Personal: ändrad")
    assert model.data(model.index(3, 3)) == (
        "Avslutsdatum: 2026-03-14; Skäl: Målen är uppfyllda")
    for row in range(model.rowCount()):
        for column in range(model.columnCount()):
            assert not model.flags(model.index(row, column)) & Qt.ItemFlag.ItemIsEditable
    model.set_show_openings(False)
    qtmodeltester.check(model)
    assert model.rowCount() == 3
    assert not hasattr(model, "removeRows") or not model.removeRows(0, 1)


def test_format_changes() -> None:
    assert format_changes({}) == ""
    assert format_changes({"status": ["consent_given", "closed"]}) == (
        "Status: Samtycke finns → Avslutat")
    assert format_changes({"valid_until": [None, "2027-03-14"]}) == (
        "Gäller till och med: 2027-03-14")
    assert format_changes({"noticed_by_name": [None, ""]}) == ""  # nothing written
    assert format_changes({"starts_at": ["2026-03-14T09:30:00", "2026-03-21T10:00:00"]}) == (
        "Mötestid: 2026-03-14 09:30 → 2026-03-21 10:00")


def test_log_tab_shows_the_whole_selected_line(sqlite_session: Session, qtbot: QtBot) -> None:
    case = make_case(sqlite_session.user)
    give_consent(sqlite_session, case)
    view = show_case(qtbot, sqlite_session, case.id)
    log_tab = log_tab_shown(qtbot, view)
    table = log_tab.table
    assert log_tab.detail.text() == "Välj en rad för att se hela händelsen."
    table.setFocus()
    index = table.model().index(2, 0)
    rect = table.visualRect(index)
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(qtbot)
    assert log_tab.detail.text().endswith(
        "Huvudmän: Exempelby kommun, Region Exempelland\nGäller till och med: "
        f"{consent.one_year_after(TODAY):%Y-%m-%d}")
    assert text_of(log_tab, "log_count") == f"{table.model().rowCount()} händelser"


def test_overview_offers_the_kallelse_once_consent_is_given(
        qtbot: QtBot, sqlite_session: Session, monkeypatch: pytest.MonkeyPatch) -> None:
    """DOMAIN step 2: consent before the invitation — the button says what is missing."""
    from ui.wizards.kallelse import KallelseWizard

    case = make_case(sqlite_session.user, make_person())
    view = show_case(qtbot, sqlite_session, case.id)
    invite = button(shown_tab(qtbot, view, OverviewTab), "action_invite")
    assert invite.text() == "Kalla till möte…" and not invite.isEnabled()
    assert invite.toolTip().startswith("Samtycke saknas")
    view.close()

    give_consent(sqlite_session, case)
    asked: list[bool] = []
    monkeypatch.setattr(KallelseWizard, "ask", classmethod(
        lambda cls, parent, session, case, follow_up=False: asked.append(follow_up)))
    view = show_case(qtbot, sqlite_session, case.id)
    invite = button(shown_tab(qtbot, view, OverviewTab), "action_invite")
    assert invite.isEnabled()
    qtbot.mouseClick(invite, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert asked == [False]  # the first meeting, not a follow-up
