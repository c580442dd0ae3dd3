"""What a sent kallelse produces besides messages: the letters (PDF, `reports.letters`) and the
calendar file (.ics, `sipdesk.meetings.calendar_files`).

Both modules are imported only when the user asks (ReportLab and icalendar are slow to load), and
the buttons for them are shown only when the modules are installed (`letters_available()`,
`calendar_available()`). The work runs off the UI thread; the file name carries the case number,
never a name. `SaveFileDialog.ask` is the one place a path is asked for (tests replace it).
"""

from __future__ import annotations

import importlib
import importlib.util
import logging
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from sipdesk.accounts import read_log
from sipdesk.accounts.read_log import Output
from sipdesk.desk import cases
from sipdesk.errors import SipError
from sipdesk.meetings.invitation import Meeting
from sipdesk.storage.models import User

from .. import file_output, messages
from ..file_output import SaveFileDialog
from ..operations import Operation

log = logging.getLogger("sipdesk.ui.kallelse")

LETTERS_MODULE = "reports.letters"
CALENDAR_MODULE = "sipdesk.meetings.calendar_files"


def _available(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def letters_available() -> bool:
    return _available(LETTERS_MODULE)


def calendar_available() -> bool:
    return _available(CALENDAR_MODULE)


def _failed(parent: QWidget, title: str) -> Any:
    def show(exc: Exception) -> None:
        if isinstance(exc, SipError):
            messages.warning(parent, title, exc.message)
        else:
            log.error("%s failed: %s", title, type(exc).__name__)
            messages.error(parent, title, "Filen kunde inte skrivas. Kontrollera att mappen "
                                          "finns och att du får spara där, och försök igen.")
    return show


def print_letters(parent: QWidget, meeting: Meeting, *, case_number: str, user: User) -> None:
    """Write every letter of the meeting into one PDF and open it for printing."""
    letters = importlib.import_module(LETTERS_MODULE)
    path = SaveFileDialog.ask(parent, title="Spara breven", file_filter="PDF-filer (*.pdf)",
                              default_name=letters.all_in_one_name(case_number), suffix=".pdf")
    if path is None:
        return
    meeting_id, case_id = meeting.id, meeting.case_id

    def write() -> list[Path]:
        read_log.record_output(user, Output.LETTERS, case_id=case_id, entity_id=meeting_id)
        return list(letters.render_letters(meeting_id, path, one_file=True))

    def done(written: list[Path]) -> None:
        log.info("letters written: %d file(s)", len(written))
        for file in written:
            file_output.open_file(file)

    (
        Operation(parent, write)
        .success(done)
        .failure(_failed(parent, "Breven kunde inte skrivas"))
        .run()
    )


def save_calendar(parent: QWidget, meeting: Meeting, *, case_number: str, user: User) -> None:
    """Write the meeting's calendar file (the SIP meeting and the staff meeting)."""
    calendar_files = importlib.import_module(CALENDAR_MODULE)
    path = SaveFileDialog.ask(parent, title="Spara kalenderfil",
                              file_filter="Kalenderfiler (*.ics)",
                              default_name=calendar_files.file_name(case_number), suffix=".ics")
    if path is None:
        return
    meeting_id, case_id = meeting.id, meeting.case_id

    def write() -> Path:
        read_log.record_output(user, Output.CALENDAR, case_id=case_id, entity_id=meeting_id)
        return Path(calendar_files.write_calendar(meeting_id, path))

    def done(written: Path) -> None:
        log.info("calendar file written")
        messages.information(parent, "Kalenderfilen är sparad",
                             f"Kalenderfilen är sparad som {written.name}. Öppna den för att "
                             "lägga in mötet i Outlook eller en annan kalender.")

    (
        Operation(parent, write)
        .success(done)
        .failure(_failed(parent, "Kalenderfilen kunde inte sparas"))
        .run()
    )


def case_number_of(meeting: Meeting) -> str:
    return str(cases.get_case(meeting.case_id).number)
