"""`sipdesk --smoke-test` as CI runs it: a separate process, offscreen, on each engine.

The child inherits this test's data and config folders (set in the environment by the
autouse fixture in tests/conftest.py), so it never touches a real user's files.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import peewee

from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect
from tests.waiting import run_bounded

ROOT = Path(__file__).resolve().parents[2]
LINE = re.compile(
    r"^smoke-test: first painted case list after (\d+) ms \((since process start|since run_gui)\)$",
    re.MULTILINE,
)


def smoke(url: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return run_bounded([sys.executable, "-m", "ui.main", "--database", url, "--smoke-test"],
                       cwd=ROOT, env=env, timeout=120)


def test_smoke_test_on_an_empty_database_fills_demo_data_and_paints(
    db: peewee.Database, db_url: DatabaseUrl,
) -> None:
    db.close()
    done = smoke(db_url.url)
    assert done.returncode == 0, done.stderr[-2000:]
    match = LINE.search(done.stdout)
    assert match, done.stdout
    assert 0 < int(match.group(1)) < 60_000


def test_smoke_test_on_a_brand_new_sqlite_file(tmp_path: Path) -> None:
    target = tmp_path / "helt-ny.sqlite3"
    done = smoke(f"sqlite:///{target}")
    assert done.returncode == 0, done.stderr[-2000:]
    assert LINE.search(done.stdout)
    assert target.exists()


def test_smoke_test_fails_with_a_message_and_exit_code_1(tmp_path: Path) -> None:
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "nyare.sqlite3")
    db = connect(url)
    schema.migrate(db, url)
    db.execute_sql(f"INSERT INTO {schema.HISTORY_TABLE} (name, applied) "
                   "VALUES ('9999_future', CURRENT_TIMESTAMP)")
    db.close()
    done = smoke(url.url)
    assert done.returncode == 1
    assert "smoke-test: misslyckades: Databasen har skapats av en nyare version" in done.stderr
    assert not LINE.search(done.stdout)


def test_smoke_test_with_an_unreachable_server_fails_fast() -> None:
    done = smoke("postgresql://root@127.0.0.1:1/sip")
    assert done.returncode == 1
    assert "Det gick inte att nå databasservern 127.0.0.1:1" in done.stderr


def test_smoke_test_never_touches_the_users_own_database(tmp_path: Path) -> None:
    """Without --database it runs in a scratch database, so a first smoke test does not fill
    the embedded default with demo data (the setup dialog must still greet the user)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "SIPDESK_DATA_DIR": str(tmp_path / "data"),
           "SIPDESK_CONFIG_DIR": str(tmp_path / "config")}
    env.pop("SIPDESK_DATABASE", None)
    result = run_bounded([sys.executable, "-m", "ui.main", "--smoke-test"], env=env, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "smoke-test: first painted case list after" in result.stdout
    assert not (tmp_path / "data" / "sipdesk.sqlite3").exists()
