"""The command line without a screen: `sipdesk --version`, `sipdesk migrate`, `sipdesk demo`,
through `ui.main.main([...])` as the installed `sipdesk` command calls it, on both engines; and
what people type: `--database` before or after the command, `print`'s Swedish document names,
help that says "Användning:" once."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from playhouse.migrations import Runner

from sipdesk import __version__
from sipdesk.cli import build_parser
from sipdesk.paths import resource_dir
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database
from tests.conftest import run_command as run
from ui.main import main

needs_demo_numbers = pytest.mark.skipif(
    not (resource_dir() / "testpersonnummer.txt").exists(),
    reason="resources/testpersonnummer.txt (demo data) is not in the repo yet",
)


@pytest.fixture(params=["sqlite", "postgresql"])
def blank_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseUrl]:
    """A database without schema on each engine; the models are unbound afterwards."""
    if request.param == "sqlite":
        url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "cli.sqlite3")
    else:
        url = request.getfixturevalue("blank_pg_url")
    yield url
    if database.obj is not None:
        database.close()
        database.initialize(None)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.strip() == f"sipdesk {__version__}"


def test_migrate_creates_then_reports_current(
    capsys: pytest.CaptureFixture[str], blank_url: DatabaseUrl,
) -> None:
    code, out, _err = run(capsys, "--database", blank_url.url, "migrate")
    assert code == 0
    assert out.startswith("Uppdaterade databasen: 0001_initial")
    assert "Säkerhetskopia" not in out  # nothing to copy in an empty database

    code, out, _err = run(capsys, "--database", blank_url.url, "migrate")
    assert code == 0
    assert out.strip() == (
        f"Databasen är redan aktuell (schemaversion {schema.latest_version()})."
    )


def test_migrate_uses_the_environment_when_no_option_is_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    target = tmp_path / "från-miljön.sqlite3"
    monkeypatch.setenv("SIPDESK_DATABASE", f"sqlite:///{target}")
    code, out, _err = run(capsys, "migrate")
    assert code == 0 and "Uppdaterade databasen" in out
    assert target.exists()


def test_migrate_an_older_sqlite_database_writes_a_backup_first(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "gammal.sqlite3")
    db = connect(url)
    Runner(db, str(schema.MIGRATIONS_DIR), table_name=schema.HISTORY_TABLE).up("0001_initial")
    db.close()

    code, out, _err = run(capsys, "--database", url.url, "migrate")

    assert code == 0
    [backup] = tmp_path.glob("gammal.backup-*.sqlite3")
    assert f"Säkerhetskopia: {backup}" in out
    assert "0001_initial" not in out.split("Uppdaterade databasen:")[1]  # only what was missing


def test_migrate_refuses_a_newer_database(
    capsys: pytest.CaptureFixture[str], blank_url: DatabaseUrl,
) -> None:
    db = connect(blank_url)
    schema.migrate(db, blank_url)
    db.execute_sql(f"INSERT INTO {schema.HISTORY_TABLE} (name, applied) "
                   "VALUES ('9999_future', CURRENT_TIMESTAMP)")
    db.close()
    code, _out, err = run(capsys, "--database", blank_url.url, "migrate")
    assert code == 1
    assert "Databasen har skapats av en nyare version av sipdesk" in err


def test_bad_url_and_unreachable_server_are_said_in_swedish(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _out, err = run(capsys, "--database", "mysql://nej/db", "migrate")
    assert code == 1 and err.startswith("Okänd databasadress.")
    code, _out, err = run(capsys, "--database", "postgresql://root@127.0.0.1:1/sip", "migrate")
    assert code == 1
    assert "Det gick inte att nå databasservern 127.0.0.1:1" in err


def test_password_in_the_url_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--database", "postgresql://rut:hemligt@db/sip", "migrate")
    assert code == 1 and "Skriv inte lösenordet i databasadressen" in err
    assert "hemligt" not in out + err


@needs_demo_numbers
@contextmanager
def server_roles(url: DatabaseUrl, names: list[str]) -> Iterator[Callable[[str], int]]:
    """On PostgreSQL: the roles of `names` that a command makes are dropped afterwards (roles
    are per server; a test never leaves one behind). Yields a counter of a role's cases."""
    if url.engine is not Engine.POSTGRESQL:
        yield lambda login: 0
        return
    admin = psycopg.connect(host=url.host, port=url.port, dbname=url.name, user=url.user,
                            autocommit=True)
    there = {row[0] for row in admin.execute(
        "SELECT rolname FROM pg_roles WHERE rolname = ANY(%s)", (names,))}

    def cases_of(login: str) -> int:
        with psycopg.connect(host=url.host, port=url.port, dbname=url.name,
                             user=login) as connection:
            return int(connection.execute("SELECT count(*) FROM sip_case").fetchone()[0])

    try:
        yield cases_of
    finally:
        for name in names:
            if name not in there:
                admin.execute(f'DROP ROLE IF EXISTS "{name}"')
        admin.close()


def test_demo_fills_an_empty_database_once(
    capsys: pytest.CaptureFixture[str], blank_url: DatabaseUrl,
) -> None:
    from sipdesk.demo import DEMO_LOGIN, DEMO_PASSWORD, USERS

    with server_roles(blank_url, [u.login for u in USERS]) as cases_of:
        code, out, _err = run(capsys, "--database", blank_url.url, "demo", "--cases", "30",
                              "--seed", "7")
        assert code == 0
        assert out.startswith("30 påhittade ärenden skapade på ")
        assert DEMO_LOGIN in out and DEMO_PASSWORD in out
        if blank_url.engine is Engine.POSTGRESQL:
            # psql -U maria.holm: the server answers only what she may see.
            assert "psql -h 127.0.0.1" in out and "-U maria.holm" in out
            assert cases_of("maria.holm") >= 30
            assert cases_of("per.nord") < cases_of("admin")

    code, _out, err = run(capsys, "--database", blank_url.url, "demo", "--cases", "5")
    assert code == 1
    assert "Databasen innehåller redan data" in err


def test_users_add_and_deactivate(
    capsys: pytest.CaptureFixture[str], blank_url: DatabaseUrl, monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`sipdesk users add`: the user (and on PostgreSQL their login role, which sees only their
    cases); `sipdesk users deactivate`: no more logging in."""
    import io

    from sipdesk.accounts import auth, setup
    from sipdesk.accounts.audit import AuditEntry
    from sipdesk.storage.models import Law
    from tests.server_logins import on_server, scram_matches

    login = f"cli.{blank_url.name[-10:]}" if blank_url.engine is Engine.POSTGRESQL else "cli.ny"
    code, _out, _err = run(capsys, "--database", blank_url.url, "migrate")
    assert code == 0
    connect(blank_url)
    setup.first_run_setup(setup.SetupInput(
        municipality="Exempelby", unit_name="Hemtjänst Norr", unit_law=Law.SOL,
        full_name="Eva Admin", initials="EA", profession="", login="eva.admin",
        role=setup.Role.ADMINISTRATOR, password="hemligt-123"), needs_password=True)
    database.close()
    with server_roles(blank_url, [login]) as cases_of:
        monkeypatch.setattr("sys.stdin", io.StringIO("hemligt-456\n"))
        code, out, err = run(capsys, "--database", blank_url.url, "users", "add", login,
                             "--name", "Lena Strand", "--unit", "Hemtjänst Norr",
                             "--role", "staff")
        assert (code, err) == (0, "")
        assert out.startswith(f"Lena Strand ({login}) är upplagd i Hemtjänst Norr")
        code, _out, err = run(capsys, "--database", blank_url.url, "users", "add", "x.y",
                              "--name", "X Y", "--unit", "Hemtjänst Söder", "--role", "staff")
        assert code == 1 and "Det finns ingen enhet som heter Hemtjänst Söder" in err
        if blank_url.engine is Engine.POSTGRESQL:
            assert cases_of(login) == 0
        else:
            connect(blank_url)
            assert auth.authenticate(login, "hemligt-456").full_name == "Lena Strand"
            database.close()
        code, out, _err = run(capsys, "--database", blank_url.url, "users", "deactivate", login)
        assert code == 0 and "är inaktiverad" in out
        if blank_url.engine is Engine.POSTGRESQL:
            with pytest.raises(psycopg.OperationalError, match="not permitted to log in"):
                cases_of(login)
        # The admin screen's other two changes, from the command line too.
        code, out, _err = run(capsys, "--database", blank_url.url, "users", "activate", login)
        assert (code, out) == (0, f"Lena Strand ({login}) är aktiv igen och kan logga in.\n")
        monkeypatch.setattr("sys.stdin", io.StringIO("12345678\n"))
        code, _out, err = run(capsys, "--database", blank_url.url, "users", "password", login)
        assert code == 1 and "för lätt att gissa" in err
        monkeypatch.setattr("sys.stdin", io.StringIO("gul cykel vid sjön\n"))
        code, out, _err = run(capsys, "--database", blank_url.url, "users", "password", login)
        assert code == 0 and out.startswith(f"Lena Strand ({login}) har ett nytt lösenord")
        connect(blank_url)
        if blank_url.engine is Engine.POSTGRESQL:
            assert cases_of(login) == 0
            held = on_server(blank_url, login)
            assert held is not None and scram_matches(held.verifier, "gul cykel vid sjön")
        else:
            assert auth.authenticate(login, "gul cykel vid sjön").full_name == "Lena Strand"
        logged = [e.summary for e in AuditEntry.select().where(
            AuditEntry.entity == "app_user").order_by(AuditEntry.id)]
        database.close()
        assert logged == [f"Användare upplagd: Lena Strand ({login}), Hemtjänst Norr, Personal",
                          f"Användare inaktiverad: Lena Strand ({login})",
                          f"Användare aktiverad igen: Lena Strand ({login})",
                          f"Nytt lösenord för Lena Strand ({login})"]


def test_demo_refuses_a_negative_count(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "d.sqlite3")
    code, _out, err = run(capsys, "--database", url.url, "demo", "--cases", "-1")
    assert code == 2 and "negativt" in err


def test_the_command_line_speaks_swedish(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    assert out.startswith("Användning: sipdesk")
    assert "visa den här hjälpen och avsluta" in out and "usage:" not in out
    with pytest.raises(SystemExit) as exit_info:
        main(["demo", "--cases", "många"])
    assert exit_info.value.code == 2
    assert "sipdesk demo: fel: argument --cases: inte ett heltal" in capsys.readouterr().err


# ---- what people type: global options on either side, Swedish names, one usage line -------

COMMANDS = [
    ["migrate"],
    ["demo", "--cases", "3", "--seed", "1"],
    ["print", "samtycke", "SIP-2026-0001", "--out", "samtycke.pdf"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("where", ["before", "after"])
def test_database_option_stands_before_or_after_the_command(
    command: list[str], where: str,
) -> None:
    url = "sqlite:///tmp/x.sqlite3"
    argv = (["--database", url, *command] if where == "before"
            else [*command, "--database", url])
    args = build_parser().parse_args(argv)
    assert args.command == command[0]
    assert args.database == url


def test_without_the_option_the_command_has_no_database_of_its_own() -> None:
    # None lets resolve_url fall back to SIPDESK_DATABASE and then the embedded database.
    for command in COMMANDS:
        assert build_parser().parse_args(command).database is None


def test_database_option_after_migrate_really_migrates_that_database(
    capsys: pytest.CaptureFixture[str], blank_url: DatabaseUrl,
) -> None:
    code, out, err = run(capsys, "migrate", "--database", blank_url.url)
    assert (code, err) == (0, "")
    assert out.startswith("Uppdaterade databasen: 0001_initial")
    code, out, _err = run(capsys, "--database", blank_url.url, "migrate")
    assert code == 0 and "Databasen är redan aktuell" in out


@needs_demo_numbers
def test_demo_then_print_with_the_option_after_the_command(
    capsys: pytest.CaptureFixture[str], tmp_path: Path,
) -> None:
    url = DatabaseUrl(Engine.SQLITE, path=tmp_path / "demo.sqlite3")
    code, out, err = run(capsys, "demo", "--cases", "3", "--seed", "1", "--database", url.url)
    assert (code, err) == (0, "")
    assert out.startswith("3 påhittade ärenden skapade på ")

    from sipdesk.storage.models import Case

    connect(url)
    number = Case.select(Case.number).order_by(Case.id).first().number
    database.close()
    pdf = tmp_path / "samtycke.pdf"
    code, out, err = run(capsys, "print", "samtycke", number, "--out", str(pdf),
                         "--database", url.url)
    assert (code, err) == (0, "")
    assert out.strip() == f"Skrev {pdf}"
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(("typed", "document"), [
    ("samtycke", "consent"), ("brev", "letters"), ("kalender", "calendar"), ("plan", "plan"),
    ("planer", "plans"), ("consent", "consent"), ("letters", "letters"),
    ("calendar", "calendar"), ("plans", "plans"),
])
def test_print_documents_answer_to_swedish_and_english_names(typed: str, document: str) -> None:
    args = build_parser().parse_args(["print", typed, "SIP-2026-0001", "--out", "x.pdf"])
    assert args.document == document


def test_an_unknown_document_lists_the_swedish_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["print", "blankett", "SIP-2026-0001", "--out", "x.pdf"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert "sipdesk print: fel: argument DOKUMENT: ogiltigt val: 'blankett'" in err
    assert "'samtycke', 'brev', 'kalender', 'plan', 'planer'" in err


@pytest.mark.parametrize("command", [[], ["migrate"], ["demo"], ["print"]],
                         ids=lambda c: c[0] if c else "sipdesk")
def test_help_says_anvandning_once(
    command: list[str], capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Användning: {' '.join(['sipdesk', *command])} [-h]")
    assert out.count("Användning:") == 1 and "usage" not in out.lower()
    assert "visa den här hjälpen och avsluta" in out
    if command:
        assert "--database URL" in out  # the global option is offered after the command too


def test_an_error_after_a_command_names_it_once(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["migrate", "--database"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith("Användning: sipdesk migrate [-h]")
    assert err.count("Användning:") == 1
    assert "sipdesk migrate: fel: argument --database: ett värde behövs" in err


def test_smoke_test_with_a_command_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--smoke-test", "migrate"])
    assert exit_info.value.code == 2
    assert "--smoke-test startar fönstret och går inte ihop med migrate" in (
        capsys.readouterr().err)
