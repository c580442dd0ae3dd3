"""What the first screen does not show is not imported before it (issue 11, point 5: start-up
≤ 3× a bare window). `make bench` measures the start; this test keeps the imports from creeping
back, in a fresh interpreter (this one has imported everything already)."""

from __future__ import annotations

import subprocess
import sys

# Each is imported later, when first needed — and costs the start this much without that:
NOT_AT_START = {
    "psycopg": "peewee's PostgreSQL driver, ~110 ms: only for a PostgreSQL URL",
    "playhouse.migrations": "the migration runner (and psycopg again): only when migrating",
    "keyring": "the password store: only a PostgreSQL database has a password",
    "argon2": "password hashing (and its cffi binding), ~40 ms: when a password is checked",
    "reportlab": "printing: only when something is printed",
    "openpyxl": "the .xlsx writer: only when the cases are exported",
    "ui.dialogs.export_dialog": "Arkiv → Exportera…: when it is opened",
    "PySide6.QtCharts": "the Statistik page's charts (and libQt6Charts, OpenGL): when the page "
                        "first shows figures",
    "ui.statistics.charts": "the Statistik page's charts: when the page first shows figures",
    "ui.dialogs.statistics_print_dialog": "Arkiv → Skriv ut statistik…: when it is opened",
    "holidays": "the holiday calendar: on the first working-day check",
    "stdnum": "personal-number check digits (with pydoc and ssl), ~11 ms: on the first check",
    "sipdesk.demo": "demo data: only for a new, empty database",
    "ui.case_view": "the case page and its tabs: when a case is opened",
    "ui.wizards": "the kallelse and documentation wizards: when one is opened",
    "ui.dialogs.new_case": "the new-case dialog: when it is opened",
}


def test_the_first_screen_imports_only_what_it_shows() -> None:
    code = ("import sys, ui.main, ui.app, ui.main_window; "
            f"print('\\n'.join(name for name in {sorted(NOT_AT_START)!r} if name in sys.modules))")
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.split()
    assert not found, {name: NOT_AT_START[name] for name in found}
