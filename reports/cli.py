"""`sipdesk print …` from the command line: the same documents the case view prints.

Each document also answers to its Swedish name (`samtycke`, `brev`, `kalender`, `plan`,
`planer`); the parser in `sipdesk.cli` hands this module the English one.

- `consent`: the consent form (a .pdf file);
- `letters`: the letters of the case's current meeting — one PDF per recipient in a folder, or
  all in one file with `--one-file`;
- `calendar`: the meeting and the staff meeting as an .ics file (a file, or a folder);
- `plan`: the case's plan, the latest version or `--version N`; `--easy-read` for the person's
  copy (only an approved version);
- `plans`: the latest plan of every case (or of those with `--status …`) into a folder, with a
  progress line; Ctrl+C stops after removing the file being written, the others stay.

Output names files only; they carry no personal data. Every document is logged in the audit log
before it is written (`read_log`), without a user: the command line has no login.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.cli import open_for_cli
from sipdesk.desk.cases import find_case_by_number
from sipdesk.errors import SipError
from sipdesk.meetings.invitation import Meeting, MeetingStatus, current_meeting
from sipdesk.storage.db import ConnectionProblem, resolve_url
from sipdesk.storage.models import Case
from sipdesk.storage.schema import check_not_newer, status

from .consent_form import render_consent_form


def target_problem(document: str, out: Path, *, one_file: bool) -> str | None:
    """What is wrong with --out for this document, before anything is opened."""
    if document == "plans":
        if (out.exists() and not out.is_dir()) or (out.suffix.lower() == ".pdf"
                                                   and not out.exists()):
            return f"Ange en mapp för planerna (en PDF per ärende), inte filen {out}."
    elif document == "letters" and not one_file:
        if out.exists() and not out.is_dir():
            return (f"{out} är en fil. Ange en mapp för breven (en PDF per mottagare), eller "
                    "--one-file för alla brev i en PDF.")
        if out.suffix.lower() == ".pdf" and not out.exists():
            return "Ange en mapp för breven, eller --one-file för alla brev i en PDF."
    elif out.is_dir() and document in ("letters", "calendar"):
        return None
    elif document == "calendar" and out.suffix.lower() != ".ics":
        return "Kalenderfilen ska sluta på .ics."
    elif document != "calendar" and out.suffix.lower() != ".pdf":
        return "Filen ska sluta på .pdf."
    if not out.parent.exists():
        return f"Mappen {out.parent} finns inte."
    return None


def _meeting_of(case: Case) -> Meeting:
    meeting = current_meeting(case)
    if meeting is None:
        raise SipError(f"Ärende {case.number} har inget möte än — skicka en kallelse först.")
    return meeting


def _print_letters(case: Case, out: Path, *, one_file: bool) -> None:
    from .letters import planned_letters, render_letters

    meeting = _meeting_of(case)
    read_log.record_output(None, Output.LETTERS, case_id=case.id, entity_id=meeting.id)
    written = render_letters(meeting.id, out, one_file=one_file)
    planned = planned_letters(meeting)
    where = written[0] if one_file else out
    print(f"Skrev {len(planned)} brev i {where}")
    missing = sum(letter.address_missing for letter in planned)
    if missing:
        print(f"Obs: {missing} brev saknar adress — de lämnas eller skickas på annat sätt.")


def _print_calendar(case: Case, out: Path) -> None:
    from sipdesk.meetings.calendar_files import write_calendar

    meeting = _meeting_of(case)
    read_log.record_output(None, Output.CALENDAR, case_id=case.id, entity_id=meeting.id)
    path = write_calendar(meeting.id, out)
    print(f"Skrev {path}")
    if meeting.status == MeetingStatus.CANCELLED.value:
        print("Mötet är inställt: kalenderfilen markerar det som inställt.")


def _print_plan(case: Case, out: Path, *, easy_read: bool, number: int | None) -> None:
    from sipdesk.plans import plan

    from .plan import render_plan

    found = plan.versions(case)
    if not found:
        raise SipError(f"Ärende {case.number} har ingen plan än.")
    if number is not None:
        found = [v for v in found if v.number == number]
        if not found:
            raise SipError(f"Ärende {case.number} har ingen version {number} av planen.")
    read_log.record_output(None, Output.PLAN_EASY_READ if easy_read else Output.PLAN,
                           case_id=case.id, entity_id=found[0].id)
    render_plan(found[0].id, out, easy_read=easy_read)
    print(f"Skrev {out}")


def _print_plans(out: Path, *, easy_read: bool, statuses: list[str] | None) -> int:
    """Every case's latest plan into `out`; Ctrl+C stops cleanly (exit code 130)."""
    from sipdesk.plans import plan
    from sipdesk.storage.models import CaseStatus

    from .plan import render_many

    chosen = [CaseStatus(s) for s in statuses] if statuses else None
    ids = plan.latest_version_ids(statuses=chosen, approved_only=easy_read)
    if easy_read:
        drafts = len(plan.latest_version_ids(statuses=chosen)) - len(ids)
        if drafts:
            print(f"{drafts} planer är inte godkända av alla än och skrivs inte ut som "
                  "lättläst kopia.")
    # Logged before the first file: a run stopped half-way may have logged a few plans more
    # than it wrote — the log never shows fewer than were printed.
    read_log.record_plans_output(None, ids, easy_read=easy_read)
    live = sys.stderr.isatty()
    done = 0
    try:
        for done, total, _path in render_many(ids, out, easy_read=easy_read):
            if live:
                print(f"\rSkriver planer: {done} av {total}", end="", file=sys.stderr,
                      flush=True)
    except KeyboardInterrupt:
        if live:
            print(file=sys.stderr)
        print(f"Avbrutet: {done} av {len(ids)} planer skrevs i {out}.", file=sys.stderr)
        return 130
    if live:
        print(file=sys.stderr)
    print(f"Skrev {len(ids)} av {len(ids)} planer i {out}")
    return 0


def _print_statistics(args: argparse.Namespace, out: Path) -> int:
    """`sipdesk print statistik --from … --to … [--unit …] --out report.pdf`: every case
    (the command line has no login), or one unit's; logged in the audit log."""
    from sipdesk import clock
    from sipdesk.statistics.compute import find_unit_scope
    from sipdesk.statistics.period import Period, Scope, this_year_so_far

    from .statistics_report import print_statistics

    if args.case_number:
        print("Ange inget ärendenummer för statistik.", file=sys.stderr)
        return 2
    default = this_year_so_far(clock.today())
    period = Period(args.period_start or default.start, args.period_end or default.end)
    try:
        db = open_for_cli(resolve_url(args.database))
        check_not_newer(status(db))
        scope = find_unit_scope(args.unit) if args.unit else Scope.whole()
        print_statistics(None, period=period, scope=scope, target=out)
    except (ConnectionProblem, SipError) as problem:
        print(problem.message, file=sys.stderr)
        return 1
    print(f"Skrev {out}")
    return 0


def run_print_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    one_file = bool(getattr(args, "one_file", False))
    wrong_target = target_problem(args.document, out, one_file=one_file)
    if wrong_target:
        print(wrong_target, file=sys.stderr)
        return 2
    if args.document == "statistics":
        return _print_statistics(args, out)
    if (args.document == "plans") == bool(args.case_number):
        print("Ange inget ärendenummer för planer." if args.case_number else
              "Ange ett ärendenummer, t.ex. SIP-2026-0042.", file=sys.stderr)
        return 2
    try:
        db = open_for_cli(resolve_url(args.database))
        check_not_newer(status(db))
        if args.document == "plans":
            return _print_plans(out, easy_read=args.easy_read, statuses=args.status)
        case = find_case_by_number(args.case_number, visible_to=None)
        if args.document == "plan":
            _print_plan(case, out, easy_read=args.easy_read, number=args.plan_version)
        elif args.document == "letters":
            _print_letters(case, out, one_file=one_file)
        elif args.document == "calendar":
            _print_calendar(case, out)
        else:
            read_log.record_output(None, Output.CONSENT_FORM, case_id=case.id,
                                   entity_id=case.id)
            render_consent_form(case.id, out)
            print(f"Skrev {out}")
    except ConnectionProblem as problem:
        print(problem.message, file=sys.stderr)
        return 1
    except SipError as problem:
        print(problem.message, file=sys.stderr)
        return 1
    return 0
