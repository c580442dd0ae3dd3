"""The desktop build: build.spec really produces a sipdesk that starts.

Builds the one-folder app with PyInstaller into a temporary folder (never the repository's
dist/ or build/), then runs the frozen executable the way a user and CI would: `--version`,
`demo` on SQLite (proves the migration scripts and resources/ were shipped as files),
`migrate` on a fresh PostgreSQL database (proves psycopg's binary libpq wrapper was collected),
`print consent` (ReportLab and the bundled fonts), and `--smoke-test` offscreen, which must
paint the case list and exit 0.

Marked slow (the build takes about half a minute to a minute) but not deselected: `make test`
and CI run it. A missing piece fails here, not on a user's machine.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pypdf
import pytest

from sipdesk import __version__
from sipdesk.storage.db import parse_url
from tests.conftest import IN_CI, PG_ADMIN_URL
from tests.waiting import run_bounded

pytestmark = [pytest.mark.slow, pytest.mark.timeout(900)]  # the first test includes the build

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT_S = 900
RUN_TIMEOUT_S = 120
SMOKE_LINE = re.compile(r"smoke-test: first painted case list after (\d+(?:\.\d+)?) ms")


@dataclass(frozen=True)
class FrozenApp:
    executable: Path
    folder: Path
    build_seconds: float


@pytest.fixture(scope="module")
def frozen_app(tmp_path_factory: pytest.TempPathFactory) -> FrozenApp:
    """build.spec built once for this module, into a temporary dist/work folder."""
    out = tmp_path_factory.mktemp("pyinstaller")
    started = time.perf_counter()
    result = run_bounded(
        [
            sys.executable, "-m", "PyInstaller", "--noconfirm",
            "--distpath", str(out / "dist"), "--workpath", str(out / "work"),
            str(ROOT / "build.spec"),
        ],
        cwd=ROOT, timeout=BUILD_TIMEOUT_S,
    )
    seconds = time.perf_counter() - started
    assert result.returncode == 0, f"PyInstaller failed:\n{result.stdout}\n{result.stderr[-6000:]}"
    folder = out / "dist" / "sipdesk"
    executable = folder / ("sipdesk.exe" if sys.platform == "win32" else "sipdesk")
    assert executable.is_file(), f"no executable in {folder}"
    print(f"\nPyInstaller build: {seconds:.1f} s")
    return FrozenApp(executable=executable, folder=folder, build_seconds=seconds)


def _env(tmp_path: Path) -> dict[str, str]:
    """The frozen app's environment: offscreen Qt, temporary data and config folders, and the
    null keyring so no test reads or writes the real user's keyring."""
    env = {k: v for k, v in os.environ.items() if k != "SIPDESK_DATABASE"}
    env.update(
        QT_QPA_PLATFORM="offscreen",
        SIPDESK_DATA_DIR=str(tmp_path / "data"),
        SIPDESK_CONFIG_DIR=str(tmp_path / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def _run(app: FrozenApp, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_bounded([str(app.executable), *args], cwd=tmp_path, env=_env(tmp_path),
                       timeout=RUN_TIMEOUT_S, stdin=subprocess.DEVNULL)


def _explain(result: subprocess.CompletedProcess[str]) -> str:
    return f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr[-6000:]}"


def test_build_ships_the_migration_scripts_as_files(frozen_app: FrozenApp) -> None:
    shipped = {p.name for p in (frozen_app.folder / "_internal" / "sipdesk" / "migrations")
               .glob("[0-9]*.py")}
    expected = {p.name for p in (ROOT / "sipdesk" / "migrations").glob("[0-9]*.py")}
    assert shipped == expected


def test_build_ships_qtcharts_and_not_the_large_addons(frozen_app: FrozenApp) -> None:
    """The Statistik page's charts (QtCharts from PySide6-Addons, imported when the page is
    first shown) are in the build, with the Qt library it needs; the large Addons modules that
    build.spec excludes (WebEngine, 3D, Multimedia, Graphs …) are not."""
    names = {p.name for p in frozen_app.folder.rglob("*")}
    assert any(n.startswith("QtCharts.") for n in names), "no PySide6.QtCharts module"
    # libQt6Charts links these two: without them the page would fail as it first opens.
    for needed in ("Qt6Charts", "Qt6OpenGL", "Qt6OpenGLWidgets"):
        assert any(needed in n for n in names), f"no {needed} library"
    for unwanted in ("Qt6WebEngineCore", "Qt63DCore", "Qt6Multimedia", "Qt6Graphs",
                     "Qt6DataVisualization", "Qt6Quick3D"):
        assert not any(unwanted in n for n in names), unwanted


def test_frozen_version(frozen_app: FrozenApp, tmp_path: Path) -> None:
    result = _run(frozen_app, tmp_path, "--version")
    assert result.returncode == 0, _explain(result)
    assert result.stdout.strip() == f"sipdesk {__version__}"


def test_frozen_demo_on_sqlite(frozen_app: FrozenApp, tmp_path: Path) -> None:
    """`demo` migrates a new database (migration files), reads resources/ and hashes the demo
    users' password with argon2id (argon2-cffi and its `_cffi_backend` were collected)."""
    path = tmp_path / "demo.sqlite3"
    result = _run(frozen_app, tmp_path, "--database", f"sqlite:///{path}", "demo", "--cases", "50")
    assert result.returncode == 0, _explain(result)
    assert "50 påhittade ärenden" in result.stdout
    with sqlite3.connect(path) as con:
        hashes = {row[0].split("$")[1] for row in con.execute("SELECT password_hash FROM app_user")}
    con.close()
    assert hashes == {"argon2id"}


def test_frozen_prints_a_consent_form(frozen_app: FrozenApp, tmp_path: Path) -> None:
    """ReportLab, its hidden imports and resources/fonts made it into the build."""
    path = tmp_path / "print.sqlite3"
    url = f"sqlite:///{path}"
    filled = _run(frozen_app, tmp_path, "--database", url, "demo", "--cases", "5")
    assert filled.returncode == 0, _explain(filled)
    with sqlite3.connect(path) as connection:
        (number,) = connection.execute("SELECT number FROM sip_case ORDER BY id").fetchone()
    pdf = tmp_path / "samtycke.pdf"
    result = _run(frozen_app, tmp_path, "--database", url, "print", "consent", number,
                  "--out", str(pdf))
    assert result.returncode == 0, _explain(result)
    text = pypdf.PdfReader(pdf).pages[0].extract_text()
    assert "Samtycke till samordnad individuell plan" in text
    assert number in text


@pytest.fixture
def fresh_pg_database() -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database, dropped afterwards."""
    admin_url = parse_url(PG_ADMIN_URL)
    try:
        admin = psycopg.connect(
            f"host={admin_url.host} port={admin_url.port} user={admin_url.user} "
            f"dbname={admin_url.name} connect_timeout=3",
            autocommit=True,
        )
    except psycopg.OperationalError as exc:
        message = f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}".strip()
        if IN_CI:
            pytest.fail(message + " — CI must run the PostgreSQL tests.", pytrace=False)
        pytest.skip(message)
    name = f"sipdesk_frozen_{uuid.uuid4().hex[:10]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql://{admin_url.user}@{admin_url.host}:{admin_url.port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_frozen_migrate_on_postgresql(
    frozen_app: FrozenApp, tmp_path: Path, fresh_pg_database: str,
) -> None:
    """psycopg chooses its libpq wrapper at run time: this fails if psycopg_binary is missing."""
    result = _run(frozen_app, tmp_path, "--database", fresh_pg_database, "migrate")
    assert result.returncode == 0, _explain(result)
    assert "Uppdaterade databasen" in result.stdout


def test_frozen_smoke_test_paints_the_case_list(frozen_app: FrozenApp, tmp_path: Path) -> None:
    """What CI runs on the packaged build: the real GUI, offscreen, on demo data."""
    url = f"sqlite:///{tmp_path / 'smoke.sqlite3'}"
    filled = _run(frozen_app, tmp_path, "--database", url, "demo", "--cases", "200")
    assert filled.returncode == 0, _explain(filled)
    result = _run(frozen_app, tmp_path, "--smoke-test", "--database", url)
    assert result.returncode == 0, _explain(result)
    assert SMOKE_LINE.search(result.stdout), _explain(result)
