"""Printing many plans to one folder, with a progress dialog that can be cancelled.

`print_plans_with_progress(parent, plan_ids, folder)` shows a window-modal QProgressDialog and
runs `reports.plan.render_many` through the operation runner (`ui.operations`: off the UI thread,
errors in the core's terms), reporting each file to a `Progress`. **Avbryt** (or Esc) asks the work
to stop: it finishes the file it is writing — every file in the folder is whole — and stops.
When it has stopped, a message says how many plans were written and where. The returned
`PrintPlansJob` emits `finished(written, total)` for callers and tests.

No personal data in the texts: the dialog counts plans, it does not name people.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sipdesk.accounts import read_log
from sipdesk.errors import SipError
from sipdesk.storage.models import User
from ui import messages
from ui.operations import Operation, Progress

log = logging.getLogger("sipdesk.ui.print_plans")

TITLE = "Skriv ut planer"


class PrintPlansJob(QObject):
    """One bulk print: the dialog, the worker, and the outcome once it has stopped."""

    finished = Signal(int, int)  # written, total

    def __init__(self, parent: QWidget, plan_ids: Sequence[int], folder: Path, *,
                 user: User) -> None:
        super().__init__(parent)
        self.user = user
        self.parent_widget = parent
        self.folder = folder
        self.total = len(plan_ids)
        self.written = 0
        self.cancelled = False
        self.problem: Exception | None = None
        self._plan_ids = list(plan_ids)
        self._progress = Progress()
        self._progress.reported.connect(self._on_progress)

        self.dialog = QProgressDialog(self._label(0), "Avbryt", 0, max(self.total, 1), parent)
        self.dialog.setWindowTitle(TITLE)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(380)
        self.dialog.canceled.connect(self._cancel)

    def start(self) -> None:
        self.dialog.setValue(0)
        self.dialog.show()
        plan_ids, folder, progress, user = (self._plan_ids, self.folder, self._progress,
                                            self.user)

        def write_all() -> int:
            """Off the UI thread: the plans one by one, checking between two files whether
            to stop, so every file in the folder is whole."""
            from reports.plan import render_many  # ReportLab only when printing

            written = 0
            # Logged before the first file: a run cancelled half-way may have logged a few
            # plans more than it wrote — the log never shows fewer than were printed.
            read_log.record_plans_output(user, plan_ids)
            files = render_many(plan_ids, folder)
            try:
                for done, total, _path in files:
                    written = done
                    progress.report(done, total)
                    if progress.cancelled:
                        break
            finally:
                files.close()
            return written

        (
            Operation(self.parent_widget, write_all, title=TITLE)
            .success(lambda written: self._on_stopped(written, self.total, None))
            .failure(lambda exc: self._on_stopped(self.written, self.total, exc))
            .run()
        )

    def _label(self, done: int) -> str:
        return (f"Skriver planer till mappen ”{self.folder.name or self.folder}” …\n"
                f"{done} av {self.total} klara")

    def _cancel(self) -> None:
        """Avbryt/Esc: the worker stops after the file it is writing."""
        self.cancelled = True
        self._progress.cancel()

    def _on_progress(self, done: int, total: int) -> None:
        self.written = done
        if not self.cancelled:
            self.dialog.setValue(done)
            self.dialog.setLabelText(self._label(done))

    def _on_stopped(self, written: int, total: int, problem: object) -> None:
        self.written = written
        self.problem = problem if isinstance(problem, Exception) else None
        self.dialog.hide()
        self.dialog.deleteLater()
        where = str(self.folder)
        if self.problem is not None:
            log.error("bulk plan print stopped: %s", type(self.problem).__name__)
            reason = self.problem.message if isinstance(self.problem, SipError) else \
                "Något gick fel när en plan skulle skrivas."
            messages.error(self.parent_widget, TITLE,
                           f"Utskriften stannade: {reason}\n{written} av {total} planer "
                           f"skrevs till {where}.")
        elif total == 0:
            messages.information(self.parent_widget, TITLE, "Det fanns inga planer att skriva ut.")
        elif self.cancelled and written < total:
            messages.information(self.parent_widget, TITLE,
                                 f"Utskriften avbröts. {written} av {total} planer skrevs "
                                 f"till {where}.")
        else:
            messages.information(self.parent_widget, TITLE,
                                 f"{written} {'plan' if written == 1 else 'planer'} skrevs "
                                 f"till {where}.")
        self.finished.emit(written, total)


def print_plans_with_progress(parent: QWidget, plan_ids: Sequence[int], folder: Path | str,
                              *, user: User) -> PrintPlansJob:
    """Print `plan_ids` (staff versions) into `folder` with a progress dialog; returns at
    once. The job reports how many were written when it stops (see `PrintPlansJob`)."""
    job = PrintPlansJob(parent, plan_ids, Path(folder), user=user)
    job.start()
    return job
