"""The case list's consent column when a child turns 18 (seed 002): from the birthday on it says
that the young person must consent themselves, with the whole sentence as the tooltip — in the
real list view, with the clock frozen on the day before, on the birthday, and for one born on
29 February (of age on 1 March in a year without one). Both engines."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
import time_machine
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from pytestqt.qtbot import QtBot

from sipdesk.casework import consent, guardians
from sipdesk.casework.consent import MUST_CONSENT_THEMSELVES
from sipdesk.casework.guardians import NEEDS_OWN_CONSENT, GuardianInput
from sipdesk.storage.models import Custody, Principal, PrincipalKind
from tests.core.test_guardians import PNR_LEAP_DAY, PNR_TURNS_18, at, consent_input, yes
from tests.factories import make_case, make_person
from tests.ui.conftest import read_cell, wait_for_operations
from ui.case_list.model import COLUMNS, CaseListModel
from ui.case_list.view import CaseListView
from ui.session import Session

CONSENT = [c.header for c in COLUMNS].index("Samtycke")


def _cell(model: CaseListModel, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> Any:
    return read_cell(model, 0, CONSENT, role)


@pytest.mark.parametrize(("number", "consented", "birthday"), [
    (PNR_TURNS_18, dt.date(2026, 6, 1), dt.date(2026, 11, 19)),
    (PNR_LEAP_DAY, dt.date(2025, 9, 1), dt.date(2026, 3, 1)),
])
def test_consent_column_says_the_young_person_must_consent_themselves_from_18(
        qtbot: QtBot, session: Session, time_machine: time_machine.TimeMachineFixture,
        number: str, consented: dt.date, birthday: dt.date) -> None:
    """Seed 002, the 18th birthday: the guardians' consent carries the case until the day
    before; from the birthday the column says "Fyllt 18 – samtycker själv" (warned), not
    "Gick ut …"."""
    officer = session.user
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": PrincipalKind.REGION.value})
    at(consented, time_machine)
    young = make_person(number, "Noa", "Lind")
    sara = guardians.add_guardian(officer, young, GuardianInput("Sara Lind", Custody.SOLE))
    case = make_case(officer, young)
    consent.register_consent(officer, case, consent_input(
        [officer.unit.principal, region], given_on=consented,
        guardian_answers=[yes(sara, on=consented)]))

    day_before = birthday - dt.timedelta(days=1)
    at(day_before, time_machine)
    view = CaseListView(session.user)
    qtbot.addWidget(view)
    view.resize(1300, 300)
    view.show()
    view.refresh()
    wait_for_operations()
    model = view.model
    assert model.case_id(0) == case.id
    assert _cell(model) == f"Går ut om 0 dagar ({day_before:%Y-%m-%d})"

    at(birthday, time_machine)
    view.refresh()  # the list reads today's date at each refresh
    wait_for_operations()
    assert _cell(model) == MUST_CONSENT_THEMSELVES
    assert _cell(model, Qt.ItemDataRole.ToolTipRole) == NEEDS_OWN_CONSENT
    assert isinstance(_cell(model, Qt.ItemDataRole.DecorationRole), QIcon)
    assert _cell(model, Qt.ItemDataRole.ForegroundRole) is not None
    shots = os.environ.get("SIPDESK_SHOTS")
    if shots:
        view.grab().save(str(Path(shots) / f"case_list_18_{birthday:%m%d}.png"))
