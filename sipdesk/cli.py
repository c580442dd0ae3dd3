"""The command line: `sipdesk migrate`, `sipdesk demo`, `sipdesk backup`, `sipdesk restore`,
`sipdesk users add/deactivate/activate/password`, `sipdesk export` (sipdesk.export.command_line),
and the options the GUI shares.

The parser lives here so the core commands run without Qt; `ui.main` adds the GUI on top.
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import logging
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

import peewee

from sipdesk import __version__
from sipdesk.accounts.passwords import get_password
from sipdesk.errors import SipError
from sipdesk.storage import schema
from sipdesk.storage.db import (
    ConnectionProblem,
    DatabaseUrl,
    Engine,
    ProblemKind,
    connect,
    resolve_url,
)
from sipdesk.storage.models import CaseStatus, Role

log = logging.getLogger("sipdesk.cli")


# argparse speaks English; these are its phrases a user of sipdesk meets.
_ARGPARSE_SWEDISH = (
    ("the following arguments are required", "de här behövs"),
    ("unrecognized arguments", "okända argument"),
    ("invalid choice", "ogiltigt val"),
    ("choose from", "välj bland"),
    ("invalid int value", "inte ett heltal"),
    ("expected one argument", "ett värde behövs"),
)


class _SwedishHelp(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any,
                  prefix: str | None = None) -> None:
        # Only argparse's own "usage: " is replaced: it also formats a sub-command's name with
        # prefix "", and forcing ours there made `sipdesk demo --help` say "Användning:" twice.
        if prefix is None:
            prefix = "Användning: "
        super().add_usage(usage, actions, groups, prefix=prefix)


class SwedishArgumentParser(argparse.ArgumentParser):
    """argparse with Swedish headings, help and error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _SwedishHelp)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argument"
        self._optionals.title = "flaggor"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="visa den här hjälpen och avsluta")

    def error(self, message: str) -> NoReturn:
        for english, swedish in _ARGPARSE_SWEDISH:
            message = message.replace(english, swedish)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fel: {message}\n")


# `sipdesk print` answers to the Swedish names of its documents as well as the English ones;
# the rest of the program only sees the English name.
PRINT_KINDS = {
    "samtycke": "consent",
    "brev": "letters",
    "kalender": "calendar",
    "plan": "plan",
    "planer": "plans",
    "statistik": "statistics",
    "consent": "consent",
    "letters": "letters",
    "calendar": "calendar",
    "plans": "plans",
    "statistics": "statistics",
}


class _PrintKind(argparse.Action):
    """Stores the English name of the document, whichever name was typed."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        setattr(namespace, self.dest, PRINT_KINDS[values])


def _add_global_options(parser: argparse.ArgumentParser, *, default: Any) -> None:
    """The options that may stand before or after the command (`sipdesk migrate --database U`).

    Each sub-command repeats them with the default `SUPPRESS`, so that a value given before the
    command is not overwritten by the sub-command's own default.
    """
    parser.add_argument(
        "--database", metavar="URL", default=default,
        help="sqlite:///sökväg eller postgresql://användare@server:port/databas",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = SwedishArgumentParser(
        prog="sipdesk",
        description="sipdesk — samordnad individuell plan (SIP) för kommunala enheter.",
    )
    parser.add_argument("--version", action="version", version=f"sipdesk {__version__}",
                        help="visa versionen och avsluta")
    _add_global_options(parser, default=None)
    parser.add_argument(
        "--smoke-test", action="store_true",
        help="starta fönstret, visa ärendelistan, skriv ut tiden och avsluta (utan "
             "--database: i en tillfällig databas med exempeldata)",
    )
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", title="kommandon",
                                parser_class=SwedishArgumentParser)
    migrate = sub.add_parser("migrate", help="uppdatera databasens schema till den här versionen",
                             description="Skapar eller uppdaterar databasens schema.")
    _add_global_options(migrate, default=argparse.SUPPRESS)
    demo = sub.add_parser("demo", help="fyll en tom databas med påhittade exempeldata",
                          description="Fyller en tom databas med påhittade exempeldata.")
    _add_global_options(demo, default=argparse.SUPPRESS)
    demo.add_argument("--cases", type=int, default=200, metavar="ANTAL",
                      help="antal ärenden (standard 200)")
    demo.add_argument("--seed", type=int, default=1, metavar="FRÖ",
                      help="slumpfrö för upprepbara data (standard 1)")
    printing = sub.add_parser(
        "print", help="skriv ut en blankett, brev, kalenderfil eller plan",
        description="Skriver ut samma dokument som ärendevyn i fönstret. Dokumenten heter "
                    "något på svenska eller på engelska, t.ex. samtycke eller consent.",
    )
    _add_global_options(printing, default=argparse.SUPPRESS)
    printing.add_argument("document", metavar="DOKUMENT", choices=list(PRINT_KINDS),
                          action=_PrintKind,
                          help="samtycke (consent) = samtyckesblankett, brev (letters) = brev "
                               "till dem som bjuds in per brev, kalender (calendar) = "
                               "kalenderfil (.ics) för mötet, plan = ärendets plan, planer "
                               "(plans) = senaste planen i alla ärenden (utan ärendenummer, "
                               "till en mapp), statistik (statistics) = statistikrapport för "
                               "nämnden (med --from/--to)")
    printing.add_argument("case_number", metavar="ÄRENDENUMMER", nargs="?",
                          help="t.ex. SIP-2026-0042 (inte för planer)")
    printing.add_argument("--out", required=True, metavar="FIL/MAPP",
                          help="filen att skriva; för brev en mapp (en PDF per mottagare) "
                               "om inte --one-file anges; för kalender en .ics-fil eller mapp; "
                               "för planer en mapp")
    printing.add_argument("--one-file", action="store_true",
                          help="brev: alla brev i en PDF")
    printing.add_argument("--easy-read", action="store_true",
                          help="plan/planer: den enskildes lättlästa kopia (bara godkända "
                               "planer)")
    printing.add_argument("--version", dest="plan_version", type=int, metavar="N",
                          help="plan: versionen att skriva ut (standard: den senaste)")
    printing.add_argument("--status", nargs="+", metavar="STATUS",
                          choices=[s.value for s in CaseStatus],
                          help="planer: bara ärenden med den här statusen, t.ex. "
                               "follow_up_planned")
    printing.add_argument("--from", dest="period_start", type=dt.date.fromisoformat,
                          metavar="DATUM", help="statistik: periodens första dag, 2026-01-01")
    printing.add_argument("--to", dest="period_end", type=dt.date.fromisoformat,
                          metavar="DATUM", help="statistik: periodens sista dag, 2026-12-31")
    printing.add_argument("--unit", metavar="ENHET",
                          help="statistik: bara en enhet, \"Enhet\" eller \"Huvudman/Enhet\"")
    backup = sub.add_parser(
        "backup", help="gör en säkerhetskopia av databasen",
        description="Gör en säkerhetskopia av hela databasen i en mapp: pg_dump för "
                    "PostgreSQL, SQLite:s backup-funktion för en databasfil. Filen heter efter "
                    "tidpunkten, t.ex. sipdesk-2026-12-04T0930.pgdump, och innehåller "
                    "personuppgifter: förvara den krypterad.",
    )
    _add_global_options(backup, default=argparse.SUPPRESS)
    backup.add_argument("--out", required=True, metavar="MAPP",
                        help="mappen där säkerhetskopian sparas (skapas om den saknas)")
    restore = sub.add_parser(
        "restore", help="återställ en säkerhetskopia till en tom databas",
        description="Återställer en säkerhetskopia från sipdesk backup till en tom databas "
                    "(en ny SQLite-fil eller en ny, tom PostgreSQL-databas). En databas med "
                    "data skrivs aldrig över.",
    )
    _add_global_options(restore, default=argparse.SUPPRESS)
    restore.add_argument("file", metavar="FIL", help="säkerhetskopian (.sqlite3 eller .pgdump)")
    restore.add_argument("--yes", action="store_true",
                         help="fråga inte före återställningen (för skript)")
    audit = sub.add_parser(
        "audit", help="kontrollera händelseloggen",
        description="Händelseloggen: verify går igenom hela loggens hashkedja och säger om "
                    "någon post har ändrats eller tagits bort.",
    )
    _add_global_options(audit, default=argparse.SUPPRESS)
    audit.add_argument("action", metavar="ÅTGÄRD", choices=["verify"],
                       help="verify = kontrollera att loggen är hel")
    _add_users_parser(sub)
    from sipdesk.export.command_line import add_export_parser

    add_export_parser(sub, _add_global_options)
    return parser


def _add_users_parser(sub: Any) -> None:
    users = sub.add_parser(
        "users", help="lägg upp och inaktivera användare, ge nya lösenord",
        description="Lägger upp och inaktiverar sipdesk-användare och ger dem nya lösenord — "
                    "samma sak som Arkiv → Användare… i programmet. På PostgreSQL får varje "
                    "användare också en egen inloggning på databasservern (medlem i gruppen "
                    "sipdesk_user), och servern visar bara de ärenden användaren får se. "
                    "Kör kommandot som databasens ägare eller en administratör med CREATEROLE.")
    _add_global_options(users, default=argparse.SUPPRESS)
    actions = users.add_subparsers(dest="users_command", metavar="ÅTGÄRD", title="åtgärder",
                                   parser_class=SwedishArgumentParser, required=True)
    add = actions.add_parser(
        "add", help="lägg upp en användare",
        description="Lägger upp en användare och frågar efter hens lösenord (på PostgreSQL "
                    "lösenordet till databasservern). Utan terminal läses lösenordet från "
                    "första raden på standard in.")
    _add_global_options(add, default=argparse.SUPPRESS)
    add.add_argument("login", metavar="ANVÄNDARNAMN", help="t.ex. maria.holm")
    add.add_argument("--name", required=True, metavar="NAMN", help="för- och efternamn")
    add.add_argument("--unit", required=True, metavar="ENHET",
                     help="enhetens namn, t.ex. \"Hemtjänst Norr\" (eller \"Huvudman/Enhet\")")
    add.add_argument("--role", required=True, choices=[role.value for role in Role],
                     metavar="ROLL",
                     help="; ".join(f"{role.value} = {role.label}" for role in Role))
    add.add_argument("--initials", default="", metavar="INITIALER",
                     help="standard: tas fram ur namnet")
    add.add_argument("--profession", default="", metavar="YRKE")
    add.add_argument("--email", default="", metavar="E-POST")
    add.add_argument("--phone", default="", metavar="TELEFON")
    deactivate = actions.add_parser(
        "deactivate", help="inaktivera en användare",
        description="Inaktiverar en användare: hen kan inte logga in och ser inga ärenden. På "
                    "PostgreSQL stängs också inloggningen på databasservern (NOLOGIN).")
    _add_global_options(deactivate, default=argparse.SUPPRESS)
    deactivate.add_argument("login", metavar="ANVÄNDARNAMN")
    activate = actions.add_parser(
        "activate", help="aktivera en inaktiverad användare igen",
        description="Aktiverar en inaktiverad användare igen: hen kan logga in med sitt gamla "
                    "lösenord. På PostgreSQL öppnas inloggningen på databasservern igen.")
    _add_global_options(activate, default=argparse.SUPPRESS)
    activate.add_argument("login", metavar="ANVÄNDARNAMN")
    password = actions.add_parser(
        "password", help="ge en användare ett nytt lösenord",
        description="Ger en användare ett nytt lösenord och frågar efter det (på PostgreSQL "
                    "lösenordet till databasservern). Utan terminal läses lösenordet från "
                    "första raden på standard in.")
    _add_global_options(password, default=argparse.SUPPRESS)
    password.add_argument("login", metavar="ANVÄNDARNAMN")


def _terminal(stream: Any) -> bool:
    """Whether `stream` is a terminal; the windowed Windows build has no streams at all."""
    return stream is not None and stream.isatty()


def open_with_password(url: DatabaseUrl) -> tuple[peewee.Database, str | None]:
    """Connect as the app does — the PostgreSQL password from the keyring, or asked for on the
    terminal when the keyring has none — and return the password used too (for pg_dump)."""
    password = get_password(url) if url.engine is Engine.POSTGRESQL else None
    try:
        return connect(url, password), password
    except ConnectionProblem as problem:
        if problem.kind not in (ProblemKind.PASSWORD_NEEDED, ProblemKind.WRONG_PASSWORD):
            raise
        if not _terminal(sys.stdin):
            raise
        password = getpass.getpass(f"Lösenord för {url.user}@{url.host}: ")
        return connect(url, password), password


def open_for_cli(url: DatabaseUrl) -> peewee.Database:
    """Connect, asking for a PostgreSQL password on the terminal when the keyring has none."""
    return open_with_password(url)[0]


def cmd_migrate(url: DatabaseUrl) -> int:
    from sipdesk.desk import schema_check

    db = open_for_cli(url)
    applied, backup = schema.migrate(db, url)
    if backup:
        print(f"Säkerhetskopia: {backup}")
    try:
        schema_check.check_after_migration(db, backup)
    except ConnectionProblem as problem:
        print(problem.message, file=sys.stderr)
        return 1
    if applied:
        print(f"Uppdaterade databasen: {', '.join(applied)}")
    else:
        print(f"Databasen är redan aktuell (schemaversion {schema.latest_version()}).")
    return 0


def cmd_demo(url: DatabaseUrl, cases: int, seed: int) -> int:
    from sipdesk.accounts.setup import is_initialized
    from sipdesk.demo import DEMO_LOGIN, DEMO_PASSWORD, fill_demo

    if cases < 0:
        print("Antalet ärenden kan inte vara negativt.", file=sys.stderr)
        return 2
    db = open_for_cli(url)
    schema.migrate(db, url)
    if is_initialized():
        print("Databasen innehåller redan data — exempeldata läggs bara i en tom databas.",
              file=sys.stderr)
        return 1
    started = time.perf_counter()
    made = fill_demo(cases=cases, seed=seed)
    print(f"{made} påhittade ärenden skapade på {time.perf_counter() - started:.1f} s.")
    print(f"Logga in som {DEMO_LOGIN} (eller någon annan exempelanvändare) "
          f"med lösenordet {DEMO_PASSWORD}.")
    if url.engine is Engine.POSTGRESQL:
        _demo_login_roles(url)
    return 0


def _demo_login_roles(url: DatabaseUrl) -> None:
    """On PostgreSQL each demo user gets a login on the server (a role that exists is reused),
    so the server's row-level security can be tried: `psql -U maria.holm …`."""
    from sipdesk.accounts import login_roles
    from sipdesk.demo import DEMO_PASSWORD, USERS
    from sipdesk.errors import PermissionDenied
    from sipdesk.storage.db import database

    try:
        with database.atomic():
            made = login_roles.ensure_login_roles([u.login for u in USERS], DEMO_PASSWORD)
    except PermissionDenied as problem:
        print(f"Exempelanvändarna fick inga egna inloggningar på servern: {problem.message}",
              file=sys.stderr)
        return
    print(f"Exempelanvändarna loggar in på databasservern med sina egna namn ({len(made)} nya "
          f"inloggningar, lösenordet {DEMO_PASSWORD} för de nya) och ser bara sina ärenden, "
          f"t.ex. psql -h {url.host} -p {url.port} -U maria.holm -d {url.name}.")


def _new_password(login: str, *, nothing_done: str) -> str:
    """The new password: asked twice on a terminal, else the first line of stdin."""
    if not _terminal(sys.stdin):
        line = sys.stdin.readline() if sys.stdin is not None else ""
        return line.rstrip("\r\n")
    first = getpass.getpass(f"Lösenord för {login}: ")
    again = getpass.getpass("Samma lösenord igen: ")
    if first != again:
        raise SipError(f"Lösenorden är inte lika. {nothing_done}")
    return first


def _open_current(url: DatabaseUrl) -> peewee.Database:
    db = open_for_cli(url)
    if not schema.status(db).is_current:
        db.close()
        raise SipError("Databasens schema är inte aktuellt. Kör sipdesk migrate först.")
    return db


def cmd_users(args: argparse.Namespace, url: DatabaseUrl) -> int:
    """The admin screen's user administration (`sipdesk.accounts.user_admin`), the same
    functions, as the database's owner — or as the sipdesk user whose own login it runs with."""
    from sipdesk.accounts import user_admin
    from sipdesk.accounts.auth import validate_login

    db = _open_current(url)
    server = url.engine is Engine.POSTGRESQL
    try:
        actor = user_admin.command_line_actor()
        if args.users_command == "deactivate":
            user = user_admin.deactivate_user(actor, args.login)
            where = " och kan inte längre logga in på databasservern" if server else ""
            print(f"{user.full_name} ({user.login}) är inaktiverad{where}.")
            return 0
        if args.users_command == "activate":
            user = user_admin.reactivate_user(actor, args.login)
            print(f"{user.full_name} ({user.login}) är aktiv igen och kan logga in.")
            return 0
        if args.users_command == "password":
            login = validate_login(args.login)
            user = user_admin.set_password(
                actor, login, _new_password(login, nothing_done="Lösenordet är inte ändrat."))
            where = " på databasservern" if server else ""
            print(f"{user.full_name} ({user.login}) har ett nytt lösenord{where}.")
            return 0
        unit = user_admin.unit_by_name(args.unit)
        login = validate_login(args.login)
        user = user_admin.add_user(actor, user_admin.NewUser(
            full_name=args.name, login=login, unit_id=unit.id, role=Role(args.role),
            password=_new_password(login, nothing_done="Ingen användare har lagts upp."),
            initials=args.initials, profession=args.profession, email=args.email,
            phone=args.phone))
        where = ", med en egen inloggning på databasservern" if server else ""
        print(f"{user.full_name} ({user.login}) är upplagd i {unit.name}{where}.")
        return 0
    finally:
        db.close()


class ProgressLine:
    """The progress of a backup or restore on stderr: one line rewritten in place on a terminal;
    elsewhere (a scheduled job's log) a line at each quarter, so a log shows how far it got."""

    def __init__(self, doing: str, *, unit: str | None = None) -> None:
        self.doing = doing
        self.unit = unit
        self.live = _terminal(sys.stderr)
        self.shown_quarter = 0
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        if total <= 0:
            return
        percent = done * 100 // total
        text = f"{self.doing}: {percent} %"
        if self.unit:
            text += f" ({done} av {total} {self.unit})"
        if self.live:
            print(f"\r{text}", end="", file=sys.stderr, flush=True)
            self.shown = True
        elif percent // 25 > self.shown_quarter:
            self.shown_quarter = percent // 25
            print(text, file=sys.stderr, flush=True)

    def end(self) -> None:
        if self.live and self.shown:
            print(file=sys.stderr)


# A scheduled backup has no terminal to ask on: where else the password may live.
_SCHEDULED_PASSWORD = (
    "I ett schemalagt jobb: spara lösenordet i nyckelringen för kontot som kör jobbet (starta "
    "sipdesk som det kontot och välj att spara lösenordet), eller i PostgreSQL:s lösenordsfil "
    "(~/.pgpass på Linux, %APPDATA%\\postgresql\\pgpass.conf på Windows) — aldrig på "
    "kommandoraden."
)


def _open_for_tool(url: DatabaseUrl) -> tuple[peewee.Database, str | None]:
    try:
        return open_with_password(url)
    except ConnectionProblem as problem:
        if problem.kind is ProblemKind.PASSWORD_NEEDED and not _terminal(sys.stdin):
            raise ConnectionProblem(problem.kind,
                                    f"{problem.message} {_SCHEDULED_PASSWORD}") from None
        raise


def _megabytes(path: Path) -> str:
    return f"{path.stat().st_size / 1_000_000:.1f}".replace(".", ",") + " MB"


def cmd_backup(url: DatabaseUrl, out: Path) -> int:
    from sipdesk.storage import backup

    started = time.perf_counter()
    if url.engine is Engine.SQLITE:
        line = ProgressLine("Säkerhetskopierar")
        try:
            written = backup.backup_sqlite(url, out, progress=line)
        finally:
            line.end()
    else:
        db, password = _open_for_tool(url)
        line = ProgressLine("Säkerhetskopierar", unit="tabeller")
        try:
            written = backup.backup_postgresql(db, url, password, out, progress=line)
        finally:
            line.end()
            db.close()
    seconds = f"{time.perf_counter() - started:.1f}".replace(".", ",")
    print(f"Säkerhetskopian är klar: {written} ({_megabytes(written)} på {seconds} s).")
    print("Den innehåller personuppgifter: förvara den krypterad och åtkomlig bara för dem "
          "som sköter säkerhetskopiorna.")
    return 0


def _confirmed(file: Path, url: DatabaseUrl, yes: bool) -> bool:
    if yes:
        return True
    if not _terminal(sys.stdin):
        raise SipError("Lägg till --yes för att återställa utan att sipdesk frågar först "
                       "(till exempel i ett skript). Inget har ändrats.")
    answer = input(f"Återställa {file.name} till {url.display}? Skriv ja för att fortsätta: ")
    return answer.strip().lower() in ("ja", "j")


def cmd_restore(url: DatabaseUrl, file: Path, *, yes: bool) -> int:
    from sipdesk.storage import backup

    backup.check_backup_file(file, url.engine)
    if url.engine is Engine.SQLITE:
        backup.check_sqlite_target(file, url)
        if not _confirmed(file, url, yes):
            print("Avbrutet — inget har ändrats.", file=sys.stderr)
            return 1
        line = ProgressLine("Återställer")
        try:
            restored = backup.restore_sqlite(file, url, progress=line)
        finally:
            line.end()
    else:
        db, password = _open_for_tool(url)
        try:
            backup.check_postgresql_target(db, url)
            if not _confirmed(file, url, yes):
                print("Avbrutet — inget har ändrats.", file=sys.stderr)
                return 1
            line = ProgressLine("Återställer", unit="tabeller")
            try:
                restored = backup.restore_postgresql(db, file, url, password, progress=line)
            finally:
                line.end()
        finally:
            db.close()
    print(f"Säkerhetskopian är återställd till {url.display}.")
    print(restored.note)
    return 0


def cmd_audit_verify(url: DatabaseUrl) -> int:
    """Walk the audit log's chain: 0 when it is whole, 1 at the first broken link."""
    from sipdesk.accounts.audit_verify import verify

    db = open_for_cli(url)
    try:
        schema.check_not_newer(schema.status(db))
        if schema.status(db).pending:
            print("Databasen behöver uppdateras först: kör sipdesk migrate.", file=sys.stderr)
            return 1
        report = verify()
    finally:
        db.close()
    print(report.text(), file=sys.stdout if report.whole else sys.stderr)
    return 0 if report.whole else 1


def run_core_command(args: argparse.Namespace) -> int:
    """Run a command that needs no screen; the exit code for the process."""
    try:
        url = resolve_url(args.database)
        if args.command == "migrate":
            return cmd_migrate(url)
        if args.command == "demo":
            return cmd_demo(url, args.cases, args.seed)
        if args.command == "backup":
            return cmd_backup(url, Path(args.out))
        if args.command == "restore":
            return cmd_restore(url, Path(args.file), yes=args.yes)
        if args.command == "audit":
            return cmd_audit_verify(url)
        if args.command == "users":
            return cmd_users(args, url)
        if args.command == "export":
            from sipdesk.export.command_line import run_export_command

            return run_export_command(args, url, open_current=_open_current,
                                      progress_line=ProgressLine)
    except ConnectionProblem as problem:
        print(problem.message, file=sys.stderr)
        return 1
    except SipError as problem:
        print(problem.message, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nAvbrutet — ingen halvfärdig fil har sparats.", file=sys.stderr)
        return 130
    raise SystemExit(f"okänt kommando: {args.command}")
