"""A process that is killed (issue 13): kill -9 at a random moment of a write loop and of
`sipdesk demo`, on SQLite (WAL, synchronous=FULL — see README "Under faults"). After every
kill: `PRAGMA integrity_check` says ok, every commit the program confirmed is there, no half-made
case is visible (a person without their case, a case without its log entry), the drafts it saved
are offered in Att göra, and demo data is all there or not at all. At the end the app itself
starts on the database (`sipdesk --smoke-test`)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from sipdesk.accounts import setup
from sipdesk.desk import todo
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from sipdesk.storage.models import Case, Person, User
from tests.factories import make_case, make_user
from tests.faults.conftest import size
from tests.waiting import pause, run_bounded, wait_bounded, without_faketime

ROOT = Path(__file__).resolve().parents[2]
SEED = 13


def _child(args: list[str]) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    """Start a program; its stdout lines are collected (each a confirmed commit) until it dies."""
    proc = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True,
                            env=without_faketime({**os.environ, "QT_QPA_PLATFORM": "offscreen"}))
    lines: list[str] = []
    first = threading.Event()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.strip())
            first.set()
        first.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    assert first.wait(60), "the program never confirmed a commit"
    return proc, lines, reader


def _kill(proc: subprocess.Popen[str], reader: threading.Thread) -> None:
    proc.send_signal(signal.SIGKILL)
    wait_bounded(proc, timeout=30)
    reader.join(30)


def _integrity(path: Path) -> str:
    """SQLite's own check, on a connection of its own (as the next start would open it)."""
    con = sqlite3.connect(path)
    try:
        return con.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        con.close()


def _demo(path: Path, cases: int) -> tuple[subprocess.Popen[str], list[str], threading.Thread]:
    """`sipdesk demo` in a process of its own; it confirms its start once Python is up."""
    url = DatabaseUrl(Engine.SQLITE, path=path).url
    return _child(["-c", "import sys; print('started', flush=True); from ui.main import main; "
                         f"sys.exit(main(['--database', {url!r}, 'demo', '--cases', '{cases}']))"])


def _smoke(url: DatabaseUrl) -> subprocess.CompletedProcess[str]:
    return run_bounded([sys.executable, "-m", "ui.main", "--database", url.url, "--smoke-test"],
                       cwd=ROOT, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"}, timeout=120)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_kill_9_during_writes_loses_no_confirmed_commit_and_leaves_no_half_made_case(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest,
        figures: Callable[..., None]) -> None:
    """On SQLite the file must survive (WAL); on PostgreSQL the server rolls back the killed
    client's open transaction — either way a save is whole or absent."""
    url = (DatabaseUrl(Engine.SQLITE, path=tmp_path / "dodad.sqlite3") if engine == "sqlite"
           else request.getfixturevalue("blank_pg_url"))
    db = connect(url)
    schema.migrate(db, url)
    make_case(make_user())  # the app's first painted list needs a case to show
    db.close()
    database.initialize(None)
    rng = random.Random(SEED)
    kills, confirmed_cases, confirmed_drafts = size(3, 50), set(), set()
    lost = half_made = corrupt = 0
    first_index = next_index = 100  # into Skatteverket's test numbers; the loop takes the next
    for _ in range(kills):
        proc, lines, reader = _child(["-m", "tests.faults.kill_worker", url.url, "anna.berg",
                                      str(next_index)])
        pause(rng.uniform(0.0, 0.4))  # a random moment of the loop
        _kill(proc, reader)
        confirmed_cases |= {line.split()[1] for line in lines if line.startswith("case ")}
        confirmed_drafts |= {line.split()[1] for line in lines if line.startswith("draft ")}
        if engine == "sqlite":
            corrupt += _integrity(url.path) != "ok"  # type: ignore[arg-type]
        db = connect(url)
        try:
            numbers = {c.number for c in Case.select(Case.number)}
            lost += len(confirmed_cases - numbers)
            # Half-made: a person without a case, or a case without its log entry.
            half_made += Person.select().where(Person.id.not_in(Case.select(Case.person))).count()
            logged = db.execute_sql("SELECT count(DISTINCT case_id) FROM audit_entry "
                                    "WHERE entity = 'sip_case' AND action = 'create'"
                                    ).fetchone()[0]
            half_made += len(numbers) - logged
            offered = {row.case_number for row in todo.draft_rows(User.get(login="anna.berg"))}
            lost += len(confirmed_drafts - offered)
            next_index = first_index + len(numbers) - 1  # the factory's case is not the loop's
        finally:
            db.close()
            database.initialize(None)
    figures(kills=kills, confirmed_commits=len(confirmed_cases) + len(confirmed_drafts),
            lost=lost, half_made=half_made, corrupt=corrupt)
    assert (lost, half_made, corrupt) == (0, 0, 0)
    started = _smoke(url)
    assert started.returncode == 0, started.stderr[-2000:]


def test_kill_9_during_demo_leaves_all_of_it_or_none_and_the_app_starts(
        tmp_path: Path, figures: Callable[..., None]) -> None:
    rng = random.Random(SEED)
    kills, empty, complete, half, corrupt = size(3, 50), 0, 0, 0, 0
    cases = 500
    # How long a whole run takes here, so the kills fall anywhere in it (and a little after).
    whole = _demo(tmp_path / "whole.sqlite3", cases)
    started_at = time.monotonic()
    assert wait_bounded(whole[0], timeout=120) == 0
    duration = time.monotonic() - started_at
    last: DatabaseUrl | None = None
    for n in range(kills):
        url = DatabaseUrl(Engine.SQLITE, path=tmp_path / f"demo-{n}.sqlite3")
        proc, _lines, reader = _demo(url.path, cases)  # type: ignore[arg-type]
        pause(rng.uniform(0.0, duration * 1.1))
        _kill(proc, reader)
        if not url.path.exists():  # type: ignore[union-attr]
            empty += 1  # killed before it opened the file
            continue
        corrupt += _integrity(url.path) != "ok"  # type: ignore[arg-type]
        db = connect(url)
        try:
            made = Case.select().count() if Case.table_exists() else 0
            initialized = schema.status(db).is_current and setup.is_initialized()
            schema.migrate(db, url)  # what the next start does first: it must go through
        finally:
            db.close()
            database.initialize(None)
        if made == 0 and not initialized:
            empty += 1
        elif made == cases and initialized:
            complete += 1
            last = url
        else:
            half += 1
    figures(kills=kills, seconds_per_run=round(duration, 1), nothing_made=empty,
            all_made=complete, half_made=half, corrupt=corrupt)
    assert (half, corrupt) == (0, 0)
    # The app starts on what was left: complete demo data, or an empty database it fills.
    started = _smoke(last or DatabaseUrl(Engine.SQLITE, path=tmp_path / "demo-0.sqlite3"))
    assert started.returncode == 0, started.stderr[-2000:]


@pytest.fixture(autouse=True)
def _unbound() -> None:
    database.initialize(None)
