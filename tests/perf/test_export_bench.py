"""Exporting the cases (issue 15): all 100,000 demo cases to CSV and to XLSX, on SQLite and
PostgreSQL, against a raw-SQL baseline.

What is timed: `sipdesk.export.case_files.export_cases` as the administrator (who sees every
case) with personal data, end to end — the count, the rows read a page at a time
(`case_rows`: the cases with person, unit, coordinator, need and closure, then the consents,
menprövningar, meetings, plans, parts and principals of each page), the figures computed per
row, the file written to a part file and renamed, and the audit entry.

The baseline is one hand-written query through the driver itself (sqlite3 or psycopg, no
peewee), the case's own columns joined with its person, unit and principal, coordinator, need
and closure, the first consent and menprövning as correlated subqueries, written with Python's
csv module — the least any CSV of these cases costs. It leaves out what the export adds (the
meetings, the plans and their parts, the principals, the figures, the formatting), so the ratio
says what those cost. For XLSX a second figure writes the baseline's rows with openpyxl's
write-only mode alone: the XLSX time is mostly openpyxl's (a cell object per value, some
100,000 cells a second on the reference machine; 100,000 cases are 3.2 million cells). Each side
runs once (a full export takes seconds); at full size the targets are asserted: CSV within 15 s,
XLSX within 90 s, on either engine.
"""

from __future__ import annotations

import csv
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import peewee
import psycopg
import pytest

from sipdesk.export.case_files import Format, export_cases
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from sipdesk.storage.models import Case, Role, User
from tests.perf.conftest import BenchDatabase, BenchReport, Figure, meets_target

TARGET_S = {Format.CSV: 15.0, Format.XLSX: 90.0}
ENGINE_LABEL = {Engine.SQLITE: "SQLite", Engine.POSTGRESQL: "PostgreSQL"}

BASELINE_SQL = """
SELECT c.number, p.personal_number, p.first_name || ' ' || p.last_name, c.status, u.name,
       up.name, co.full_name, n.noticed_on,
       (SELECT MIN(k.given_on) FROM consent k WHERE k.case_id = c.id),
       (SELECT MIN(h.assessed_on) FROM harm_assessment h WHERE h.case_id = c.id
          AND h.conclusion = 'no_harm'),
       cl.closed_on, cl.reason
FROM sip_case c
JOIN person p ON p.id = c.person_id
JOIN unit u ON u.id = c.unit_id
JOIN principal up ON up.id = u.principal_id
JOIN app_user co ON co.id = c.coordinator_id
LEFT JOIN need_record n ON n.case_id = c.id
LEFT JOIN closure cl ON cl.case_id = c.id
ORDER BY c.year, c.sequence
"""


@pytest.fixture(params=[Engine.SQLITE, Engine.POSTGRESQL], ids=["sqlite", "postgresql"])
def bench_db(request: pytest.FixtureRequest) -> Iterator[tuple[DatabaseUrl, peewee.Database]]:
    fixture = "sqlite_100k" if request.param is Engine.SQLITE else "postgresql_100k"
    bench: BenchDatabase = request.getfixturevalue(fixture)
    opened = connect(bench.url)
    yield bench.url, opened
    opened.close()
    database.initialize(None)


def raw_rows(url: DatabaseUrl) -> list[tuple[object, ...]]:
    """The baseline query's rows through the driver."""
    if url.engine is Engine.SQLITE:
        assert url.path is not None
        connection: sqlite3.Connection | psycopg.Connection = sqlite3.connect(url.path)
    else:
        connection = psycopg.connect(host=url.host, port=url.port, user=url.user,
                                     dbname=url.name, autocommit=True)
    try:
        return list(connection.execute(BASELINE_SQL).fetchall())
    finally:
        connection.close()


def openpyxl_alone(rows: list[tuple[object, ...]], path: Path) -> None:
    """The same rows written with openpyxl's write-only mode and nothing else."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("rader")
    for row in rows:
        sheet.append(list(row))
    book.save(path)


def raw_csv(url: DatabaseUrl, path: Path) -> int:
    """The baseline: one query through the driver, straight into csv.writer."""
    if url.engine is Engine.SQLITE:
        assert url.path is not None
        connection: sqlite3.Connection | psycopg.Connection = sqlite3.connect(url.path)
    else:
        connection = psycopg.connect(host=url.host, port=url.port, user=url.user,
                                     dbname=url.name, autocommit=True)
    rows = 0
    try:
        cursor = connection.cursor()
        cursor.execute(BASELINE_SQL)
        with path.open("w", encoding="utf-8-sig", newline="") as file:
            writer = csv.writer(file, delimiter=";", lineterminator="\r\n")
            while batch := cursor.fetchmany(5000):
                writer.writerows(batch)
                rows += len(batch)
    finally:
        connection.close()
    return rows


@pytest.mark.parametrize("fmt", [Format.CSV, Format.XLSX], ids=["csv", "xlsx"])
def test_export_every_case(bench_db: tuple[DatabaseUrl, peewee.Database], fmt: Format,
                           tmp_path: Path, bench_report: BenchReport) -> None:
    url, _db = bench_db
    label = ENGINE_LABEL[url.engine]
    admin = User.get(User.role == Role.ADMINISTRATOR.value)
    cases = Case.select().count()

    started = time.perf_counter()
    baseline_rows = raw_csv(url, tmp_path / "raw.csv")
    baseline = time.perf_counter() - started

    path = tmp_path / f"arenden{fmt.suffix}"
    started = time.perf_counter()
    result = export_cases(admin, path, fmt=fmt, personal_data=True)
    seconds = time.perf_counter() - started

    assert result.rows == baseline_rows == cases
    if fmt is Format.CSV:
        assert len(path.read_text(encoding="utf-8-sig").splitlines()) == cases + 1
    elif cases <= 5000:  # reading a 100,000-row workbook back would take longer than writing
        sheet = openpyxl.load_workbook(path, read_only=True)["Ärenden"]
        assert sum(1 for _ in sheet.iter_rows()) == cases + 1
    target = TARGET_S[fmt]
    passed = seconds <= target
    bench_report.add(Figure(f"export {cases:,} cases to {fmt.value.upper()}", label, seconds,
                            "s", baseline=baseline, target=f"≤ {target:.0f} s", passed=passed))
    if fmt is Format.XLSX:
        rows = raw_rows(url)
        started = time.perf_counter()
        openpyxl_alone(rows, tmp_path / "raw.xlsx")
        alone = time.perf_counter() - started
        bench_report.add(Figure(f"  openpyxl alone, the baseline's {len(rows[0])} columns",
                                label, alone, "s"))
    meets_target(passed, f"{fmt.value} export took {seconds:.1f} s on {label}")
