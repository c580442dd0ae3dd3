"""`sipdesk export cases` and `sipdesk export plan` (issue 15): the parser and the commands.

    sipdesk export cases --format xlsx --out arenden.xlsx [--from 2026-01-01] [--to 2026-12-31]
                         [--med-personuppgifter]
    sipdesk export plan SIP-2026-0042 --format json --out plan.json

Who exports: the command line has no sipdesk login. On PostgreSQL it connects as a login of the
server; when that login is a sipdesk user's (`sipdesk users add` makes one per user), the export
is theirs — the cases they may see, logged with their name — and the server's row-level
security holds them to the same. Otherwise (the database's owner, or a SQLite file) it sees
every case, like `sipdesk print`, and the log says "från kommandoraden".
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import peewee

from sipdesk.storage.db import DatabaseUrl, Engine
from sipdesk.storage.models import User

PERSONAL_DATA_NOTE = ("Filen innehåller personuppgifter: förvara den skyddad och radera den när "
                      "den inte behövs längre.")


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text} är inget datum — skriv ÅÅÅÅ-MM-DD, t.ex. 2026-01-31") from None


def add_export_parser(sub: Any, add_global_options: Callable[..., None]) -> None:
    """`sipdesk export …` in the command line's parser (`add_global_options`: --database)."""
    export = sub.add_parser(
        "export", help="exportera ärenden till Excel/CSV eller en godkänd plan till JSON",
        description="Exporterar ärenden (en rad per ärende, för uppföljning i Excel) eller ett "
                    "ärendes godkända plan (JSON, för import i journalsystemet). Varje export "
                    "skrivs i händelseloggen.")
    add_global_options(export, default=argparse.SUPPRESS)
    actions = export.add_subparsers(dest="export_command", metavar="VAD", title="vad",
                                    parser_class=type(export), required=True)
    cases = actions.add_parser(
        "cases", help="en rad per ärende: datum, status, enhet, huvudmän och tider",
        description="En rad per ärende med datum, status, enhet, huvudmän och ärendets tider "
                    "(dagar från behov till samtycke och från samtycke till möte, planen "
                    "dokumenterad inom två arbetsdagar, dagar till godkänd plan). Utan "
                    "--med-personuppgifter innehåller filen inga namn eller personnummer.")
    add_global_options(cases, default=argparse.SUPPRESS)
    cases.add_argument("--format", choices=["xlsx", "csv"], required=True, metavar="FORMAT",
                       help="xlsx (Excel) eller csv (semikolon, UTF-8, för svenskt Excel)")
    cases.add_argument("--out", required=True, metavar="FIL",
                       help="filen att skriva, t.ex. arenden-2026.xlsx (utan personuppgifter "
                            "i namnet)")
    cases.add_argument("--from", dest="start", type=_day, metavar="DATUM",
                       help="bara ärenden som var öppna den dagen eller senare (ÅÅÅÅ-MM-DD)")
    cases.add_argument("--to", dest="end", type=_day, metavar="DATUM",
                       help="bara ärenden som fanns senast den dagen (ÅÅÅÅ-MM-DD)")
    cases.add_argument("--med-personuppgifter", "--personal-data", dest="personal_data",
                       action="store_true",
                       help="med den enskildes namn och personnummer och samordningsansvarig "
                            "(personer med skyddad identitet visas aldrig med namn)")
    plan = actions.add_parser(
        "plan", help="ett ärendes senaste godkända plan som JSON",
        description="Skriver ärendets senaste plan som alla huvudmän har godkänt som JSON, "
                    "enligt schemat i docs/plan-export.schema.json, så att journalsystemet kan "
                    "läsa in den i stället för att någon skriver av den.")
    add_global_options(plan, default=argparse.SUPPRESS)
    plan.add_argument("case_number", metavar="ÄRENDENUMMER", help="t.ex. SIP-2026-0042")
    plan.add_argument("--format", choices=["json"], default="json", metavar="FORMAT",
                      help="json (standard)")
    plan.add_argument("--out", required=True, metavar="FIL", help="filen att skriva (.json)")


def command_line_user(url: DatabaseUrl) -> User | None:
    """The sipdesk user whose server login this connection is (PostgreSQL), else None."""
    if url.engine is not Engine.POSTGRESQL:
        return None
    from sipdesk.storage.db import database

    login = database.execute_sql("SELECT session_user").fetchone()[0]
    return User.get_or_none(User.login == login)


def _count(rows: int) -> str:
    return "1 ärende" if rows == 1 else f"{rows} ärenden"


def _cases(args: argparse.Namespace, url: DatabaseUrl, progress_line: Callable[..., Any]) -> int:
    from sipdesk.export.case_files import Format, export_cases
    from sipdesk.export.case_rows import Period

    actor = command_line_user(url)
    line = progress_line("Exporterar", unit="ärenden")
    try:
        result = export_cases(actor, Path(args.out), fmt=Format(args.format),
                              personal_data=args.personal_data,
                              period=Period(args.start, args.end), progress=line,
                              command_line=True)
    finally:
        line.end()
    print(f"Skrev {_count(result.rows)} till {result.path}.")
    if args.personal_data:
        print(PERSONAL_DATA_NOTE)
    return 0


def _plan(args: argparse.Namespace, url: DatabaseUrl) -> int:
    from sipdesk.desk.cases import find_case_by_number
    from sipdesk.export.plan_json import export_plan

    actor = command_line_user(url)
    case = find_case_by_number(args.case_number, visible_to=actor)
    document = export_plan(actor, case.id, Path(args.out), command_line=True)
    print(f"Skrev planen för {case.number}, version {document['plan']['version']}, "
          f"till {args.out}.")
    print(PERSONAL_DATA_NOTE)
    return 0


def run_export_command(args: argparse.Namespace, url: DatabaseUrl, *,
                       open_current: Callable[[DatabaseUrl], peewee.Database],
                       progress_line: Callable[..., Any]) -> int:
    """Run `sipdesk export …` on a database whose schema is current (`open_current`), the
    progress on stderr (`progress_line`: sipdesk.cli.ProgressLine, handed in so this module
    and the command line do not import each other)."""
    db = open_current(url)
    try:
        if args.export_command == "plan":
            return _plan(args, url)
        return _cases(args, url, progress_line)
    finally:
        db.close()
        sys.stdout.flush()
