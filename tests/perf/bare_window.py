"""The baseline for start-up: a bare PySide6 window with a table, run as its own process.

It does the least a Qt table window can do — QApplication, a QMainWindow whose central widget
is a QTableView over a small in-memory model (30 rows × 7 columns, like one screen of the case
list) — shows it, and prints one line as soon as the table's viewport has been painted:

    bare-window: first painted table after N ms (since process start)

with N measured like `sipdesk --smoke-test` does: from the process start that Linux records in
/proc (so the interpreter's start and the imports are included), else from this script's
first line. The benchmark measures both processes the same way from outside as well (the wall
time until that line arrives), so neither figure depends on the other's own clock.
"""

from __future__ import annotations

import os
import time

SCRIPT_START = time.perf_counter()

import sys  # noqa: E402 — the imports are part of what is measured

from PySide6.QtCore import QTimer  # noqa: E402
from PySide6.QtGui import QPaintEvent, QStandardItem, QStandardItemModel  # noqa: E402
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView  # noqa: E402

ROWS, COLUMNS = 30, 7


def process_start() -> tuple[float, str]:
    """The process start on the perf_counter clock (Linux /proc), else this script's start."""
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        age = uptime - int(fields[19]) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, AttributeError):
        return SCRIPT_START, "script start"
    if not 0 <= age < 3600:
        return SCRIPT_START, "script start"
    return now - age, "process start"


class TimedTableView(QTableView):
    """Reports once, right after its first paint — the same hook as the case list's
    `first_painted` (emitted at the end of CaseTable.paintEvent)."""

    def __init__(self, started: float, since: str) -> None:
        super().__init__()
        self.started = started
        self.since = since
        self.done = False

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        if not self.done:
            self.done = True
            elapsed_ms = (time.perf_counter() - self.started) * 1000
            print(f"bare-window: first painted table after {elapsed_ms:.0f} ms "
                  f"(since {self.since})", flush=True)
            QTimer.singleShot(0, QApplication.quit)


def main() -> int:
    started, since = process_start()
    app = QApplication(sys.argv[:1])
    model = QStandardItemModel(ROWS, COLUMNS)
    for row in range(ROWS):
        for column in range(COLUMNS):
            model.setItem(row, column, QStandardItem(f"R{row} K{column}"))
    window = QMainWindow()
    view = TimedTableView(started, since)
    view.setModel(model)
    window.setCentralWidget(view)
    window.resize(1100, 700)
    window.show()
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
