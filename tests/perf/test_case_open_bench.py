"""Opening a case (issue 11, point 6): the statements it costs, for a small and a large case.

Opening = what the main window does when a case is double-clicked: `case_page.open_case_page`
(the access check, the log line, the person's contacts, the heading) and the Översikt tab
shown, which reads its part through `case_page.overview`. The other tabs read their part when
they are shown. The small case has a held meeting and an empty plan; the large one is the same
case after its plan was filled in, `MESSAGES` messages were sent in it and it was opened many
times (log lines). The two counts must be equal and at most `CASE_OPEN_QUERIES`; unlike a
timing, a count is the same on every machine, so it is asserted at every size.
"""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest
from pytestqt.qtbot import QtBot

from sipdesk.desk import case_page
from sipdesk.messages import messaging
from sipdesk.storage.db import DatabaseUrl, Engine
from tests.perf.conftest import BenchReport, Figure, bench_size
from tests.plan_scenarios import fill, plan_world
from tests.queries import recorded
from tests.ui.conftest import OFFSCREEN_NOTICE, settle
from ui.case_view import CaseView
from ui.session import Session

CASE_OPEN_QUERIES = 10
MESSAGES = bench_size(300, 5)
OPENINGS = bench_size(100, 3)


def opening_costs(qtbot: QtBot, world: dict, tmp_path: Path) -> int:
    session = Session(DatabaseUrl(Engine.SQLITE, path=tmp_path / "unused"), world["officer"])
    with recorded() as statements:
        view = CaseView(case_page.open_case_page(world["officer"], world["case"].id),
                        session=session)
        qtbot.addWidget(view)
        view.show()
        settle(qtbot)
    view.close()
    return len(statements)


@pytest.mark.qt_log_ignore(OFFSCREEN_NOTICE)
def test_case_open_queries_small_and_large(sqlite_db: peewee.Database, qtbot: QtBot,
                                           tmp_path: Path, bench_report: BenchReport) -> None:
    world = plan_world()
    small = opening_costs(qtbot, world, tmp_path)
    fill(world)
    for n in range(MESSAGES):
        messaging.send(world["officer"], subject=f"Fråga {n + 1}", body="Hej!",
                       to=[world["manager"]], case=world["case"])
    for _ in range(OPENINGS):
        case_page.open_case_page(world["officer"], world["case"].id)
    large = opening_costs(qtbot, world, tmp_path)
    ok = small == large <= CASE_OPEN_QUERIES
    target = f"equal, ≤ {CASE_OPEN_QUERIES}"
    bench_report.add(Figure("case open, small case (statements)", "SQLite", small, "",
                            target=target, passed=ok))
    bench_report.add(Figure(f"case open, {MESSAGES} messages, plan, {OPENINGS} openings",
                            "SQLite", large, "", target=target, passed=ok))
    assert ok, (small, large)
