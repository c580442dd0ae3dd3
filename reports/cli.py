"""`sipdesk print …` from the command line: the same documents the case view prints."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sipdesk.cases import find_case_by_number
from sipdesk.cli import open_for_cli
from sipdesk.db import ConnectionProblem, resolve_url
from sipdesk.errors import SipError
from sipdesk.schema import check_not_newer, status

from .consent_form import render_consent_form


def run_print_command(args: argparse.Namespace) -> int:
    out = Path(args.out)
    if out.suffix.lower() != ".pdf":
        print("Filen ska sluta på .pdf.", file=sys.stderr)
        return 2
    if not out.parent.exists():
        print(f"Mappen {out.parent} finns inte.", file=sys.stderr)
        return 2
    try:
        db = open_for_cli(resolve_url(args.database))
        check_not_newer(status(db))
        case = find_case_by_number(args.case_number)
        render_consent_form(case.id, out)
    except ConnectionProblem as problem:
        print(problem.message, file=sys.stderr)
        return 1
    except SipError as problem:
        print(problem.message, file=sys.stderr)
        return 1
    print(f"Skrev {out}")
    return 0
