"""Upgrades never strand a database (issue 13): released migrations are frozen, and a database
made by the early build whose version 1 called the users' table `user` (before that script was
edited in place) migrates to today's schema and opens in the app with its users."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from sipdesk.accounts import auth, setup
from sipdesk.desk import schema_check
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from ui.main import main

HERE = Path(__file__).resolve().parent

# sha256 of each released migration (line endings as in the repository). A released script
# never changes: a database that has run it would not run it again. Repair with a new script,
# and add its hash here when it is released.
RELEASED = {
    "0001_initial.py": "1cda9eb7340946c74b7c478072746dada4657ea956f1387cd90f03c6d24076d9",
    "0002_lifecycle_consent_audit.py":
        "1373be60351ae3d7459483ae8f5cb510b01ebbdd066b321036d28af80fbbb9ed",
    "0003_messages.py": "14976f09821b6ea7a61926757c13f4480ff491ee617112d54fc1ae808604b2ff",
    "0004_case_list_index.py": "ffc6a015e748e518d73f39d6c7101e0e3317798fd7007031be1ff29a0711c2bd",
    "0005_kallelse.py": "e470b13fdb4f4211112e2110d566abeb3f8f5811e879353268b5723cf4bb585e",
    "0006_plan.py": "73c00bb6ccbf0b95eb611ba929bc4346212ca04aa7b956ada4be316ac31fa135",
    "0007_mailbox_indexes.py": "f30344c07fa69acbc9122a79e1beb406edb2cc97d1d86db9d797a3bc15a3a44a",
    "0008_case_list_scope_indexes.py":
        "9af20910364439e617f82bc563b1df2e0570addc4c0cf4af5cb42b7b37045704",
    "0009_message_ack_ended.py":
        "ea377e126a1793c6f75d13e59bbdb86af2ac0057000cd7579e1ff802d140a8ea",
    "0010_case_list_access_index.py":
        "d5191a9890157e5f5d1b93c5876a0f9eaa203ed5ec8f1ef4b5ec9760d78e8f5e",
    "0011_ended_cases_settle.py":
        "6ee6ac7bd457325cf9d16c02717d3f15dc943a60e7054900a8446b4a8f5dc11b",
    "0012_message_meeting.py": "3f8813f71d46a146f12ed5375aeea70d4c3899c9a898172b25aa907b7b15268f",
    "0013_repair_user_table.py":
        "eee0adc27793049a4a517e2ab2a96d7a9a819419f7ef6bb66664b8e5892e7475",
    "0014_edit_versions.py": "0860ea7b437b62fe73bb70b57c397adef4fb57b2db63fd66306d5b2d4c00f060",
    "0015_audit_chain.py": "044f004a5224c82409862c47ebccbfe8fd0f52d5e94b028209a22523b992656a",
    "0016_row_level_security.py":
        "3e1093eacee0729628ec370af4bf6c8f895c5158a090bdfea9251432d2d4daa5",
    "0017_protected_identity.py":
        "594a112024e0a8d403ceb780e7934a6a9fae19b80e7ae3eae8575752990d7a26",
    "0018_meeting_evaluation.py":
        "d20bebacd0cbf26c475d397cc62e1abf02d64870a3722bc451d32936e7236a14",
    "0019_child_voice.py": "697250f697b997204527e5e7a5a9a40be84615f066f7b51658b66209c8a2ac71",
    "0020_user_logins_invited_cases.py":
        "4791db91384158983c3e6bec77c1bc65460a78343062fea7fade0c756838c3d1",
    "0021_guardians.py":
        "841f432cc59facb5524407921adee7ce4620783e20c75e31c7822fc41d558b23",
    "0022_change_only_ones_own_cases.py":
        "4571ed58aff10fe2d4a737b3f2708c3a0390b988b6b980091d86ac69eafc3fa6",
    "0023_invited_cases_by_index.py":
        "0aaae648107283e3373f7e8c4804b182bf7baaecfb35bf3e9c122d3cd2c8f13d",
    "0024_guardian_removal.py":
        "925afd88f92bcb1c2a50c3f294912a6c202bc055e72a6bcb9f0efba8b145ae30",
    "0025_guardian_changes.py":
        "fa1a6531d4cf32e9c19239dbda7a8c3d6d631459b235eac38c7316d3d5e8ec75",
}


def _hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def test_released_migrations_are_frozen() -> None:
    files = {path.name: _hash(path) for path in schema.MIGRATIONS_DIR.glob("[0-9]*.py")}
    changed = sorted(name for name, digest in RELEASED.items() if files.get(name) != digest)
    unrecorded = sorted(set(files) - set(RELEASED))
    assert changed == [], "a released migration was edited (or removed): repair with a new one"
    assert unrecorded == [], "a new migration: record its hash in RELEASED when it is released"


def _early_database(url: DatabaseUrl, scripts: Path) -> None:
    """What the early build made: its version 1 (`user`), with a principal, a unit and a user."""
    from playhouse.migrations import Runner

    scripts.mkdir()
    shutil.copyfile(HERE / "early_schema" / "0001_initial.py.txt", scripts / "0001_initial.py")
    db = connect(url)
    Runner(db, str(scripts), table_name=schema.HISTORY_TABLE).up()
    db.execute_sql("INSERT INTO principal (name, kind, version) VALUES ('Exempelby kommun', "
                   "'municipality', 1)")
    db.execute_sql("INSERT INTO unit (name, principal_id, law, version) "
                   "VALUES ('Biståndsenheten', 1, 'SoL', 1)")
    db.execute_sql(
        'INSERT INTO "user" (login, full_name, initials, profession, unit_id, phone, email, role, '
        "active, password_hash, version) VALUES ('anna.berg', 'Anna Berg', 'AB', "
        "'Biståndshandläggare', 1, '', '', 'case_officer', TRUE, NULL, 1)")
    db.close()
    database.initialize(None)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_a_database_from_the_build_before_the_app_user_rename_opens_with_its_users(
        engine: str, tmp_path: Path, request: pytest.FixtureRequest) -> None:
    url = (DatabaseUrl(Engine.SQLITE, path=tmp_path / "tidig.sqlite3") if engine == "sqlite"
           else request.getfixturevalue("blank_pg_url"))
    _early_database(url, tmp_path / "early_migrations")
    db = connect(url)
    try:
        assert "user" in db.get_tables() and "app_user" not in db.get_tables()
        applied, backup = schema.migrate(db, url)
        assert "0013_repair_user_table" in applied
        assert (backup is not None) == (engine == "sqlite")  # a server is backed up by its owner
        tables = db.get_tables()
        assert "user" not in tables and "app_user" in tables
        assert schema.status(db).is_current
        assert schema_check.missing_parts(db) == []
        # What the start asks: set up, and who may log in — the early build's user is there.
        assert setup.is_initialized()
        assert [u.login for u in auth.active_users_with_unit()] == ["anna.berg"]
        assert auth.active_users_with_unit()[0].unit.name == "Biståndsenheten"
        # The foreign keys follow the table: a case's coordinator is that user.
        fk_targets = {fk.dest_table for fk in db.get_foreign_keys("sip_case")}
        assert "app_user" in fk_targets and "user" not in fk_targets
    finally:
        db.close()
        database.initialize(None)


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_the_repair_leaves_a_current_database_alone(engine: str, request: pytest.FixtureRequest,
                                                    ) -> None:
    """A database made after the rename has no `user` table: version 13 changes nothing."""
    db = request.getfixturevalue("sqlite_db" if engine == "sqlite" else "pg_db")
    assert "user" not in db.get_tables() and "app_user" in db.get_tables()
    assert setup.is_initialized() is False


def _migrated_up_to(url: DatabaseUrl, scripts: Path, last: int) -> None:
    """A database as a sipdesk of schema version `last` left it."""
    from playhouse.migrations import Runner

    scripts.mkdir()
    for path in sorted(schema.MIGRATIONS_DIR.glob("[0-9]*.py"))[:last]:
        shutil.copyfile(path, scripts / path.name)
    db = connect(url)
    Runner(db, str(scripts), table_name=schema.HISTORY_TABLE).up()
    db.close()
    database.initialize(None)


def test_a_database_still_off_after_its_upgrade_is_refused_with_the_backups_name(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every script ran without error, yet a table the app reads is missing (a database some
    early build left without it): `sipdesk migrate` says so and where the backup is, and fails
    — never "updated" followed by a refusal at the first read."""
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "sned.sqlite3")
    _migrated_up_to(url, tmp_path / "scripts", schema.latest_version() - 1)
    db = connect(url)
    db.execute_sql("DROP TABLE draft")
    db.close()
    database.initialize(None)

    code = main(["--database", url.url, "migrate"])
    database.close()
    database.initialize(None)

    err = capsys.readouterr().err
    assert code == 1
    assert "saknas: draft" in err
    backups = list(tmp_path.glob("sned.backup-*.sqlite3"))
    assert len(backups) == 1 and str(backups[0]) in err


def test_the_check_names_every_missing_table_and_column(sqlite_db: object) -> None:
    """A current database has everything; take a column and a table away and both are named."""
    assert schema_check.missing_parts(database.obj) == []
    database.execute_sql("ALTER TABLE person DROP COLUMN picture_support")
    database.execute_sql("DROP TABLE status_survey")
    assert schema_check.missing_parts(database.obj) == ["person.picture_support",
                                                        "status_survey"]
