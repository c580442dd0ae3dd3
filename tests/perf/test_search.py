"""One search keystroke to the updated case list, on 100,000 cases, SQLite and PostgreSQL.

Targets (issue 2): ≤ 30 ms on SQLite, ≤ 50 ms on PostgreSQL (asserted), and ≤ 2× the raw
indexed SQL query for the same rows (reported in the table: issue 11 showed with a profile why the
small answers cannot meet it — see README, Benchmarks).

What is timed for a keystroke: `CaseListModel.set_filter(CaseFilter(text=…))` (which counts
the matches and reads the first page in the operation runner, off the UI thread — the time
includes handing the work to a worker and the answer back) and then `data()` for every cell
of the first screen of rows (30 rows × all columns) — what the view does when it repaints. The
debounce timer of the filter bar is not included: it is a deliberate wait, not work. Each text is
searched in "Alla" with every status (the widest list, the most matches to count and sort) and
in "Mina ärenden" + "Pågående" (what the app opens on) of the demo login.

The baseline is the same answer got by hand-written SQL through the driver itself (sqlite3 or
psycopg, no peewee, no Qt): the count, then the first page (the model's page size) with the
same joins, the same predicates, the same order, written the fast way (the matching persons'
ids by their indexes, the page's case ids sorted first, then the list's seven columns; the app
also reads consent and a "waits for you" marker per row, which the baseline leaves out). It checks
that both return the same count and the same case ids before comparing them. Each side runs
alternately; medians count.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import peewee
import psycopg
import pytest
from PySide6.QtCore import QEventLoop
from PySide6.QtWidgets import QApplication

from sipdesk.demo import DEMO_LOGIN
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, Scope
from sipdesk.rules import personal_number as pnr
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from sipdesk.storage.models import CaseStatus, User
from tests.perf.conftest import (
    FULL_SIZE,
    BenchDatabase,
    BenchReport,
    Figure,
    median_ms,
    meets_target,
)
from ui import operations
from ui.case_list.model import CASE_ID_ROLE, PAGE_SIZE, CaseListModel

REPEATS = 15
VISIBLE_ROWS = 30  # one screen of the list
RATIO_TARGET = 2.0
TARGET_MS = {Engine.SQLITE: 30.0, Engine.POSTGRESQL: 50.0}
ENGINE_LABEL = {Engine.SQLITE: "SQLite", Engine.POSTGRESQL: "PostgreSQL"}

# Realistic texts: a surname prefix, a year of birth, a case number typed up to the sequence.
SEARCHES = ("lind", "1945", "SIP-2024-01")
# "Alla" is the widest list; "Mina ärenden" + "Pågående" is what the app opens on.
ALL, MINE_OPEN = "Alla", "Mina, Pågående"
FILTERS = (ALL, MINE_OPEN)
OPEN_STATES = [s.value for s in CaseStatus if s.is_open]


def case_filter(name: str, text: str) -> CaseFilter:
    if name == MINE_OPEN:
        return CaseFilter(text=text, scope=Scope.MINE, open_only=True)
    return CaseFilter(text=text)


# ---- the raw baseline: hand-written SQL, straight through the driver -------------------------

def _raw_predicate(
    text: str, engine: Engine, *, user_id: int, coordinator: int | None = None,
) -> tuple[str, list[object]]:
    """The WHERE clause on sip_case a person would write for the search box — the rules of
    sipdesk.casework.people.person_search_condition and sipdesk.desk.cases._text_condition — and its
    parameters: the matching persons by their indexed keys, or the case number; with
    `coordinator`, only that coordinator's open cases."""
    op, wild = ("GLOB", "*") if engine is Engine.SQLITE else ("LIKE", "%")
    digits = pnr.search_digits(text)
    if digits is not None and len(digits) <= 8:
        person = f"pnr_short {op} ? OR personal_number {op} ?"
        params: list[object] = [digits + wild, digits + wild]
    elif digits is not None:
        raise ValueError("longer personal numbers are not among the bench searches")
    else:
        key = " ".join(text.casefold().split())
        person = f"name_key {op} ? OR name_key_reversed {op} ?"
        params = [key + wild, key + wild]
    where = f"c.person_id IN (SELECT id FROM person WHERE {person})"
    upper = text.upper().replace(" ", "")
    if upper.startswith("SIP"):
        # UNION, not OR: an OR across the person subquery and the case number scans every case.
        where = (f"c.id IN (SELECT id FROM sip_case WHERE person_id IN"
                 f" (SELECT id FROM person WHERE {person})"
                 f" UNION SELECT id FROM sip_case WHERE number {op} ?)")
        params.append(upper + wild)
    # A protected identity is found by name or number only by the coordinator and participants
    # (sipdesk.casework.protected.found_by_name_only_if_visible).
    where = (f"({where}) AND (c.person_id NOT IN (SELECT id FROM person WHERE ({person})"
             f" AND protection <> 'none') OR c.coordinator_id = ? OR c.id IN"
             f" (SELECT m.case_id FROM meeting m JOIN participant pa ON pa.meeting_id = m.id"
             f" WHERE pa.user_id = ?))")
    params += [*params[:2], user_id, user_id]
    if coordinator is not None:
        # `+`: start from the persons, not from all of this coordinator's cases (SQLite).
        plus = "+" if engine is Engine.SQLITE else ""
        marks = ", ".join("?" for _ in OPEN_STATES)
        where += f" AND {plus}c.coordinator_id = ? AND c.status IN ({marks})"
        params += [coordinator, *OPEN_STATES]
    if engine is Engine.POSTGRESQL:
        where = where.replace("?", "%s")
    return where, params


COUNT_SQL = "SELECT count(*) FROM sip_case c WHERE {where}"
# The page's ids first (sorted from the (person_id, year, sequence) index on SQLite: `+` keeps
# it from walking the whole list in order), then the shown columns for those ids.
PAGE_SQL = (
    "SELECT c.id, c.number, p.first_name, p.last_name, p.personal_number, c.status,"
    " u.full_name, un.name, c.next_date"
    " FROM sip_case c JOIN person p ON c.person_id = p.id"
    " JOIN unit un ON c.unit_id = un.id JOIN app_user u ON c.coordinator_id = u.id"
    " WHERE c.id IN (SELECT c.id FROM sip_case c WHERE {where}"
    " ORDER BY {plus}c.year DESC, {plus}c.sequence DESC LIMIT {limit})"
    " ORDER BY c.year DESC, c.sequence DESC"
)


@dataclass(frozen=True)
class Answer:
    count: int
    first_ids: list[int]


class RawQuery:
    """Runs the count and first page on a plain DB-API connection."""

    def __init__(self, url: DatabaseUrl) -> None:
        self.engine = url.engine
        if url.engine is Engine.SQLITE:
            assert url.path is not None
            self.connection: sqlite3.Connection | psycopg.Connection = sqlite3.connect(url.path)
        else:
            self.connection = psycopg.connect(
                host=url.host, port=url.port, user=url.user, dbname=url.name, autocommit=True,
            )

    def run(self, text: str, *, user_id: int, coordinator: int | None = None) -> Answer:
        where, params = _raw_predicate(text, self.engine, user_id=user_id,
                                       coordinator=coordinator)
        cursor = self.connection.cursor()
        cursor.execute(COUNT_SQL.format(where=where), params)
        (count,) = cursor.fetchone()
        plus = "+" if self.engine is Engine.SQLITE else ""
        cursor.execute(PAGE_SQL.format(where=where, plus=plus, limit=PAGE_SIZE), params)
        rows = cursor.fetchall()
        return Answer(count=count, first_ids=[row[0] for row in rows[:VISIBLE_ROWS]])

    def close(self) -> None:
        self.connection.close()


# ---- the model: what one keystroke costs the app ---------------------------------------------

def _loaded(model: CaseListModel) -> None:
    """Until the count and first page, read in the background, are here. The UI thread sleeps
    in the event loop meanwhile, as the app's does: spinning `processEvents` would hold the GIL
    and slow the worker down (it measured the spinning, ~3 ms a keystroke)."""
    app = QApplication.instance()
    assert app is not None
    while operations.pending() or not model.first_page_ready():
        app.processEvents(QEventLoop.ProcessEventsFlag.WaitForMoreEvents)


def _keystroke(model: CaseListModel, flt: CaseFilter) -> Answer:
    model.set_filter(flt)
    _loaded(model)
    shown = min(VISIBLE_ROWS, model.rowCount())
    ids = []
    for row in range(shown):
        for column in range(model.columnCount()):
            model.data(model.index(row, column))
        ids.append(model.data(model.index(row, 0), CASE_ID_ROLE))
    return Answer(count=model.rowCount(), first_ids=ids)


def _timed(fn: Callable[[], Answer]) -> tuple[float, Answer]:
    started = time.perf_counter()
    answer = fn()
    return time.perf_counter() - started, answer


@pytest.fixture(params=[Engine.SQLITE, Engine.POSTGRESQL], ids=["sqlite", "postgresql"])
def bench_db(request: pytest.FixtureRequest) -> Iterator[tuple[DatabaseUrl, peewee.Database]]:
    fixture = "sqlite_100k" if request.param is Engine.SQLITE else "postgresql_100k"
    bench: BenchDatabase = request.getfixturevalue(fixture)
    opened = connect(bench.url)
    yield bench.url, opened
    opened.close()
    database.initialize(None)


def test_search_keystroke(
    bench_db: tuple[DatabaseUrl, peewee.Database], bench_report: BenchReport, qapp: object,
) -> None:
    url, _db = bench_db
    engine = url.engine
    label = ENGINE_LABEL[engine]
    user = User.get(User.login == DEMO_LOGIN)
    model = CaseListModel(user)
    raw = RawQuery(url)
    failures = []
    try:
        for name in FILTERS:
            for text in SEARCHES:
                failure = _measure(model, raw, user, bench_report, label=label, name=name,
                                   text=text, target=TARGET_MS[engine])
                if failure:
                    failures.append(failure)
    finally:
        raw.close()
    meets_target(not failures, f"{label} search time targets missed: " + "; ".join(failures))


def _measure(
    model: CaseListModel, raw: RawQuery, user: User, report: BenchReport, *, label: str,
    name: str, text: str, target: float,
) -> str | None:
    """Time one search both ways; add the figure; a description if it missed its target."""
    flt = case_filter(name, text)
    coordinator = user.id if name == MINE_OPEN else None
    before = case_filter(name, "x-no-match")  # the keystroke before
    # One untimed round each, so neither side pays for a cold cache alone.
    expected = raw.run(text, user_id=user.id, coordinator=coordinator)
    got = _keystroke(model, flt)
    assert got == expected, f"{label} {name} {text!r}: model {got} ≠ raw SQL {expected}"
    # At the suite's tiny size a text may match nothing; 100,000 cases always match.
    assert expected.count > 0 or not FULL_SIZE, f"{label} {name} {text!r}: no match"
    model_s: list[float] = []
    raw_s: list[float] = []
    core_s: list[float] = []
    for _ in range(REPEATS):
        model.set_filter(before)
        _loaded(model)
        seconds, _answer = _timed(lambda: _keystroke(model, flt))
        model_s.append(seconds)
        seconds, _answer = _timed(lambda: raw.run(text, user_id=user.id, coordinator=coordinator))
        raw_s.append(seconds)
        # The core's share (peewee, no Qt): where the model's time goes.
        started = time.perf_counter()
        cases.count_cases(flt, user)
        cases.fetch_cases(flt, user, limit=PAGE_SIZE)
        core_s.append(time.perf_counter() - started)
    model_ms, raw_ms = median_ms(model_s), median_ms(raw_s)
    figure = report.add(Figure(
        f"search {text!r} in {name} ({expected.count:,} matches)", label, model_ms, "ms",
        baseline=raw_ms, target=f"≤ {target:g} ms and ≤ {RATIO_TARGET:g}× raw SQL",
        passed=model_ms <= target and model_ms <= RATIO_TARGET * raw_ms,
    ))
    print(f"\n[bench] {label} search {text!r} in {name}: model {model_ms:.1f} ms "
          f"(max {max(model_s) * 1000:.1f}), raw SQL {raw_ms:.1f} ms "
          f"(max {max(raw_s) * 1000:.1f}), ratio {figure.ratio:.2f}; of the model's time "
          f"sipdesk.desk.cases count + page {median_ms(core_s):.1f} ms")
    # The time target fails the bench; the ratio is printed in the table ("met?") but does not:
    # against a raw query of about 1 ms, the fixed cost of a keystroke — peewee building the
    # query (~2 ms), the hand-over to a worker and its connection (SQLite ~1 ms, PostgreSQL a new
    # server connection, ~3.5 ms) and the screen's data() calls — cannot come under 2× (README,
    # Benchmarks, with the profile).
    if model_ms <= target:
        return None
    return f"{name} {text!r}: {model_ms:.1f} ms, raw {raw_ms:.1f} ms"
