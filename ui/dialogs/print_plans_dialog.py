"""Printing many plans to one folder, with a progress dialog that can be cancelled.

`print_plans_with_progress(parent, plan_ids, folder)` shows a window-modal QProgressDialog and
runs `reports.plan.render_many` in a worker thread (the thread pool, like `ui.worker`; the worker
touches no widget and closes its own database connection). **Avbryt** (or Esc) asks the worker
to stop: it finishes the file it is writing — every file in the folder is whole — and stops.
When it has stopped, a message says how many plans were written and where. The returned
`PrintPlansJob` emits `finished(written, total)` for callers and tests.

No personal data in the texts: the dialog counts plans, it does not name people.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from sipdesk.db import database
from sipdesk.errors import SipError
from ui import messages

log = logging.getLogger("sipdesk.ui.print_plans")

TITLE = "Skriv ut planer"


class _Relay(QObject):
    progress = Signal(int, int)  # done, total
    stopped = Signal(int, int, object)  # written, total, the exception or None


class _PrintRun(QRunnable):
    """Writes the plans one by one and checks between two files whether to stop."""

    def __init__(self, plan_ids: list[int], folder: Path, stop: threading.Event,
                 relay: _Relay) -> None:
        super().__init__()
        self.plan_ids = plan_ids
        self.folder = folder
        self.stop = stop
        self.relay = relay

    def run(self) -> None:
        from reports.plan import render_many  # ReportLab only when printing

        written = 0
        problem: Exception | None = None
        progress = render_many(self.plan_ids, self.folder)
        try:
            for done, total, _path in progress:
                written = done
                self.relay.progress.emit(done, total)
                if self.stop.is_set():
                    break
        except Exception as exc:  # reported on the UI thread, which says what happened
            problem = exc
        finally:
            progress.close()
            if database.obj is not None and not database.is_closed():
                database.close()
        self.relay.stopped.emit(written, len(self.plan_ids), problem)


class PrintPlansJob(QObject):
    """One bulk print: the dialog, the worker, and the outcome once it has stopped."""

    finished = Signal(int, int)  # written, total

    def __init__(self, parent: QWidget, plan_ids: Sequence[int], folder: Path) -> None:
        super().__init__(parent)
        self.parent_widget = parent
        self.folder = folder
        self.total = len(plan_ids)
        self.written = 0
        self.cancelled = False
        self.problem: Exception | None = None
        self._stop = threading.Event()

        self.dialog = QProgressDialog(self._label(0), "Avbryt", 0, max(self.total, 1), parent)
        self.dialog.setWindowTitle(TITLE)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.setMinimumWidth(380)
        self.dialog.canceled.connect(self._cancel)

        self._relay = _Relay(self)
        self._relay.progress.connect(self._on_progress)
        self._relay.stopped.connect(self._on_stopped)
        self._run = _PrintRun(list(plan_ids), folder, self._stop, self._relay)

    def start(self) -> None:
        self.dialog.setValue(0)
        self.dialog.show()
        QThreadPool.globalInstance().start(self._run)

    def _label(self, done: int) -> str:
        return (f"Skriver planer till mappen ”{self.folder.name or self.folder}” …\n"
                f"{done} av {self.total} klara")

    def _cancel(self) -> None:
        """Avbryt/Esc: the worker stops after the file it is writing."""
        self.cancelled = True
        self._stop.set()

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


def print_plans_with_progress(parent: QWidget, plan_ids: Sequence[int], folder: Path | str
                              ) -> PrintPlansJob:
    """Print `plan_ids` (staff versions) into `folder` with a progress dialog; returns at
    once. The job reports how many were written when it stops (see `PrintPlansJob`)."""
    job = PrintPlansJob(parent, plan_ids, Path(folder))
    job.start()
    return job
