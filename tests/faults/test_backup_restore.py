"""Backups (issue 13): a backup made with `sipdesk backup` and restored with `sipdesk restore`
into a fresh database holds every row of every table, on both engines; and a SQLite backup
taken while the app keeps writing finishes, as a consistent snapshot of the moment it began.

Figures: the demo's cases, the tables and rows compared, the differences (0); for the backup
under writes, the backup's steps, the writes made during it, the restarts (0).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

import peewee
import pytest

from sipdesk import demo
from sipdesk.storage import backup
from sipdesk.storage.db import DatabaseUrl, Engine, make_database
from tests.conftest import run_command as cli
from tests.faults.conftest import size


def every_row(url: DatabaseUrl) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, every column, ordered by the primary key (by all columns when a
    table has none); on PostgreSQL the sequences' positions too, as rows of `(sequences)`."""
    opened = make_database(url)
    opened.connect()
    try:
        found: dict[str, list[tuple[Any, ...]]] = {}
        for table in opened.get_tables():
            columns = [column.name for column in opened.get_columns(table)]
            order = ", ".join(f'"{c}"' for c in opened.get_primary_keys(table) or columns)
            found[table] = list(opened.execute_sql(
                f'SELECT * FROM "{table}" ORDER BY {order}').fetchall())
        if url.engine is Engine.POSTGRESQL:
            found["(sequences)"] = list(opened.execute_sql(
                "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1").fetchall())
        return found
    finally:
        opened.close()


def differences(mine: dict[str, list[tuple[Any, ...]]],
                theirs: dict[str, list[tuple[Any, ...]]]) -> int:
    """Rows that differ, are missing or are extra, and tables only one side has."""
    count = len(set(mine) ^ set(theirs))
    for table in set(mine) & set(theirs):
        a, b = mine[table], theirs[table]
        count += sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))
    return count


def test_a_backup_restores_every_row_into_a_fresh_database(
    db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str], figures: Callable[..., None],
    new_pg_database: Callable[[], DatabaseUrl],
) -> None:
    cases = size(20, 1000)
    demo.fill_demo(cases=cases, seed=13)
    code, out, err = cli(capsys, "backup", "--database", db_url.url,
                         "--out", str(tmp_path / "backups"))
    assert code == 0, err
    [made] = (tmp_path / "backups").iterdir()
    assert "Säkerhetskopierar: 100 %" in err

    if db_url.engine is Engine.SQLITE:
        target = DatabaseUrl(Engine.SQLITE, path=tmp_path / "restored.sqlite3")
    else:
        target = new_pg_database()
    code, out, err = cli(capsys, "restore", "--database", target.url, str(made), "--yes")
    assert code == 0, err
    assert "Schemaversion" in out

    before, after = every_row(db_url), every_row(target)
    rows = sum(len(found) for found in before.values())
    different = differences(before, after)
    figures(engine=db_url.engine.value, cases=cases,
            tables=len([t for t in before if t != "(sequences)"]), rows=rows,
            differences=different)
    assert rows > cases * 5  # the demo filled many tables, not only the cases
    assert different == 0


def test_a_sqlite_backup_under_steady_writes_is_a_snapshot_of_its_start(
    sqlite_db: peewee.SqliteDatabase, tmp_path: Path, figures: Callable[..., None],
) -> None:
    """The app goes on writing while the backup runs: a commit between every step of the
    copy. Without a read transaction held for the whole copy, SQLite starts over after each
    such commit and never finishes; with it, the copy is the database as it was at the start."""
    demo.fill_demo(cases=size(20, 500), seed=5)
    path = Path(sqlite_db.database)
    with closing(sqlite3.connect(path)) as setup:
        setup.execute("CREATE TABLE fault_write (n INTEGER PRIMARY KEY)")
        setup.commit()

    changed = threading.Condition()
    committed = 0
    stop = threading.Event()

    def writer() -> None:
        nonlocal committed
        with closing(sqlite3.connect(path, timeout=10)) as conn:
            number = 0
            while not stop.is_set():
                number += 1
                conn.execute("INSERT INTO fault_write (n) VALUES (?)", (number,))
                conn.commit()
                with changed:
                    committed = number
                    changed.notify_all()

    seen: list[int] = []
    restarts = 0

    def each_step(done: int, _total: int) -> None:
        nonlocal restarts
        if seen and done < seen[-1]:
            restarts += 1
            if restarts > 3:
                raise AssertionError("the backup keeps starting over")
        seen.append(done)
        with changed:  # let the app commit once more before the next step
            wanted = committed + 1
            assert changed.wait_for(lambda: committed >= wanted, timeout=10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        with changed:
            assert changed.wait_for(lambda: committed >= 1, timeout=10)
            started_with = committed
        made = backup.backup_sqlite(DatabaseUrl(Engine.SQLITE, path=path), tmp_path / "out",
                                    progress=each_step)
        with changed:
            ended_with = committed
    finally:
        stop.set()
        thread.join()

    with closing(sqlite3.connect(made)) as copy:
        numbers = [n for (n,) in copy.execute("SELECT n FROM fault_write ORDER BY n")]
        integrity = copy.execute("PRAGMA integrity_check").fetchone()[0]
    figures(steps=len(seen), writes_during_backup=ended_with - started_with, restarts=restarts,
            rows_in_copy=len(numbers), integrity=integrity)
    assert restarts == 0
    assert integrity == "ok"
    assert len(seen) >= 5  # there were steps for the app to write between
    assert numbers == list(range(1, len(numbers) + 1))  # whole commits, in order
    assert started_with <= len(numbers) < ended_with  # as at the start, not a mixture
