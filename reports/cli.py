"""`sipdesk print …` from the command line: the same documents the case view prints.

- `consent`: the consent form (a .pdf file);
- `letters`: the letters of the case's current meeting — one PDF per recipient in a folder, or
  all in one file with `--one-file`;
- `calendar`: the meeting and the staff meeting as an .ics file (a file, or a folder).

Output names files only; they carry no personal data.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sipdesk.cases import find_case_by_number
from sipdesk.cli import open_for_cli
from sipdesk.db import ConnectionProblem, resolve_url
from sipdesk.errors import SipError
from sipdesk.invitation import Meeting, MeetingStatus, current_meeting
from sipdesk.models import Case
from sipdesk.schema import check_not_newer, status

from .consent_form import render_consent_form


def target_problem(document: str, out: Path, *, one_file: bool) -> str | None:
    """What is wrong with --out for this document, before anything is opened."""
    if document == "letters" and not one_file:
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
    written = render_letters(meeting.id, out, one_file=one_file)
    planned = planned_letters(meeting)
    where = written[0] if one_file else out
    print(f"Skrev {len(planned)} brev i {where}")
    missing = sum(letter.address_missing for letter in planned)
    if missing:
        print(f"Obs: {missing} brev saknar adress — de lämnas eller skickas på annat sätt.")


def _print_calendar(case: Case, out: Path) -> None:
    from sipdesk.calendar_files import write_calendar

    meeting = _meeting_of(case)
    path = write_calendar(meeting.id, out)
    print(f"Skrev {path}")
    if meeting.status == MeetingStatus.CANCELLED.value:
        print("Mötet är inställt: kalenderfilen markerar det som inställt.")


def run_print_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    one_file = bool(getattr(args, "one_file", False))
    wrong_target = target_problem(args.document, out, one_file=one_file)
    if wrong_target:
        print(wrong_target, file=sys.stderr)
        return 2
    try:
        db = open_for_cli(resolve_url(args.database))
        check_not_newer(status(db))
        case = find_case_by_number(args.case_number)
        if args.document == "letters":
            _print_letters(case, out, one_file=one_file)
        elif args.document == "calendar":
            _print_calendar(case, out)
        else:
            render_consent_form(case.id, out)
            print(f"Skrev {out}")
    except ConnectionProblem as problem:
        print(problem.message, file=sys.stderr)
        return 1
    except SipError as problem:
        print(problem.message, file=sys.stderr)
        return 1
    return 0
