"""`sipdesk export cases` and `sipdesk export plan` from the command line (issue 15), on both
engines: the files written, the words said, the refusals in Swedish, the audit entries. On
PostgreSQL a login that is a sipdesk user's exports as that user: their cases only, logged with
their name (the server's row-level security lets the entry in)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from pathlib import Path
from typing import Any

import openpyxl
import peewee
import psycopg
import pytest

from sipdesk.accounts import login_roles
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.clock import STOCKHOLM
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, connect, database
from sipdesk.storage.models import PrincipalKind, Role
from tests.conftest import run_command as run
from tests.factories import PNR_OTHER, make_case, make_person, make_unit, make_user
from tests.plan_scenarios import approve_all, fill, plan_world


def _exports() -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == AuditAction.EXPORT.value)
                .order_by(AuditEntry.id))


def test_export_cases_writes_the_file_and_logs_it(
        db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    officer = make_user()
    make_case(officer)
    make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    out = tmp_path / "arenden.xlsx"
    code, said, err = run(capsys, "export", "cases", "--database", db_url.url, "--format",
                          "xlsx", "--out", str(out), "--from", "2026-01-01",
                          "--med-personuppgifter")
    assert code == 0, err
    assert said.splitlines() == [
        f"Skrev 2 ärenden till {out}.",
        "Filen innehåller personuppgifter: förvara den skyddad och radera den när den inte "
        "behövs längre."]
    sheet = openpyxl.load_workbook(out)["Ärenden"]
    assert sheet.max_row == 3 and sheet["B1"].value == "Personnummer"
    entry = _exports()[-1]
    assert entry.user_id is None  # the database's owner: no sipdesk login
    assert entry.summary == ("Ärenden exporterade med personuppgifter (Excel (.xlsx)) från "
                             "kommandoraden: 2 ärenden, period 2026-01-01–")


def test_export_cases_refuses_a_wrong_file_in_swedish(
        db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    code, _said, err = run(capsys, "export", "cases", "--database", db_url.url, "--format",
                           "csv", "--out", str(tmp_path / "arenden.xlsx"))
    assert (code, err.strip()) == (1, "Filen ska sluta på .csv.")
    code, _said, err = run(capsys, "export", "cases", "--database", db_url.url, "--format",
                           "csv", "--out", str(tmp_path / "a.csv"), "--from", "2026-02-01",
                           "--to", "2026-01-01")
    assert (code, err.strip()) == (1, "Periodens slut ligger före dess början.")
    assert not _exports()


def test_export_plan_writes_the_approved_plan(
        db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path, time_machine: Any,
        capsys: pytest.CaptureFixture[str]) -> None:
    world = plan_world()
    version = fill(world)
    number = world["case"].number
    out = tmp_path / f"{number}.json"
    code, _said, err = run(capsys, "export", "plan", number, "--database", db_url.url,
                           "--format", "json", "--out", str(out))
    assert code == 1 and err.strip() == (
        f"Ärende {number} har ingen godkänd plan att exportera. Planen kan exporteras när alla "
        "huvudmän har godkänt den.")
    time_machine.move_to(dt.datetime(2026, 12, 14, 10, 0, tzinfo=STOCKHOLM), tick=False)
    approve_all(world, version)
    code, said, err = run(capsys, "export", "plan", number.lower(), "--database", db_url.url,
                          "--out", str(out))
    assert code == 0, err
    assert said.splitlines()[0] == f"Skrev planen för {number}, version 1, till {out}."
    assert json.loads(out.read_text(encoding="utf-8"))["case"]["number"] == number
    assert _exports()[-1].summary == "Planen version 1 exporterades som JSON från kommandoraden"
    code, _said, err = run(capsys, "export", "plan", "SIP-1999-0001", "--database",
                           db_url.url, "--out", str(tmp_path / "x.json"))
    assert (code, err.strip()) == (1, "Det finns inget ärende med nummer SIP-1999-0001.")


def test_a_users_own_login_exports_only_their_cases_in_their_name(
        new_pg_database: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """DOMAIN.md, Data protection: on PostgreSQL the command line connected as a sipdesk
    user's own login exports what that user may see — and the log says who."""
    url = new_pg_database()
    connect(url)
    schema.migrate(database.obj, url)
    login = f"exp{uuid.uuid4().hex[:8]}.anna"
    officer = make_user(login, unit=make_unit("Biståndsenheten"))
    region_unit = make_unit("Vårdcentralen", principal="Region Exempelland",
                            kind=PrincipalKind.REGION)
    other = make_user(f"exp{uuid.uuid4().hex[:8]}.olle", unit=region_unit,
                      role=Role.UNIT_MANAGER, full_name="Olle Utanför")
    mine = make_case(officer)
    make_case(other, make_person(PNR_OTHER, "Bo", "Ek"))
    with database.atomic():
        login_roles.create_login_role(login, None)
    database.close()
    try:
        as_user = DatabaseUrl(url.engine, host=url.host, port=url.port, name=url.name,
                              user=login)
        out = tmp_path / "mina.csv"
        code, said, err = run(capsys, "export", "cases", "--database", as_user.url,
                              "--format", "csv", "--out", str(out))
        assert code == 0, err
        assert said.strip() == f"Skrev 1 ärende till {out}."
        lines = out.read_text(encoding="utf-8-sig").splitlines()
        assert len(lines) == 2 and lines[1].startswith(mine.number + ";")
        connect(url)
        entry = _exports()[-1]
        assert entry.user_id == officer.id and "från kommandoraden: 1 ärende" in entry.summary
    finally:
        if database.obj is not None:
            database.close()
            database.initialize(None)
        with psycopg.connect(host=url.host, port=url.port, dbname=url.name, user="root",
                             autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE usename = %s", (login,))
            admin.execute(f'DROP OWNED BY "{login}"')
            admin.execute(f'DROP ROLE IF EXISTS "{login}"')
