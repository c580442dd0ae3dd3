"""The desktop app's start: the QApplication, the start-up flow, the main window.

The flow from database URL to a logged-in session lives in `ui.startup.flow` (`Startup`: connect,
check the schema, set up or log in, show the main window).

`--smoke-test` runs the same steps with no dialog at all (`SmokeTest`), waits for the case list
to paint its first rows and prints how long that took since the process started.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTimer, QTranslator, Signal
from PySide6.QtWidgets import QApplication

from sipdesk import settings
from sipdesk.errors import SipError
from sipdesk.storage.db import database
from ui import messages
from ui.crash import crash_reporting
from ui.startup.flow import Startup, StartupFailed

log = logging.getLogger("sipdesk.ui.app")

SWEDISH = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
SMOKE_TIMEOUT_S = 60

_translators: list[QTranslator] = []  # kept alive for the life of the application


class SmokeTest(QObject):
    """`--smoke-test`: start for real without dialogs, wait for the first painted case list.

    `finished` carries the exit code. The time printed is measured from `started` — the
    process start where the platform tells it (Linux), else the call of `run_gui`.
    """

    finished = Signal(int)

    def __init__(
        self,
        startup: Startup,
        *,
        started: float,
        since: str,
        timeout_s: float = SMOKE_TIMEOUT_S,
    ) -> None:
        super().__init__()
        self.startup = startup
        self.started = started
        self.since = since
        self.timeout_s = timeout_s
        self.done = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)

    def start(self) -> None:
        self.timer.start(int(self.timeout_s * 1000))
        try:
            session = self.startup.open_session()
            if session is None:
                raise StartupFailed("Starten avbröts.")
            window = self.startup.show_main_window(session)
        except (StartupFailed, SipError) as problem:
            self._finish(1, f"smoke-test: misslyckades: {problem.message}")
            return
        except Exception as exc:
            log.exception("smoke test failed")
            self._finish(1, f"smoke-test: misslyckades: {type(exc).__name__}: {exc}")
            return
        window.case_list_painted.connect(self._painted)

    def _painted(self) -> None:
        elapsed_ms = (time.perf_counter() - self.started) * 1000
        print(
            f"smoke-test: first painted case list after {elapsed_ms:.0f} ms "
            f"(since {self.since})",
            flush=True,
        )
        self._finish(0, None)

    def _timed_out(self) -> None:
        self._finish(
            1, f"smoke-test: misslyckades: ingen ärendelista med rader efter {self.timeout_s:g} s",
        )

    def _finish(self, code: int, message: str | None) -> None:
        if self.done:
            return
        self.done = True
        self.timer.stop()
        if message:
            print(message, file=sys.stderr, flush=True)
        self.finished.emit(code)


def process_start() -> tuple[float, str]:
    """When this process started, on the `time.perf_counter()` clock, and what that means.

    On Linux /proc says when the process began (10 ms resolution): the figure then includes the
    interpreter's start and every import. Elsewhere the caller's own start is used.
    """
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        age = uptime - int(fields[19]) / ticks  # field 22 of stat; 2 fields precede ")"
    except (OSError, ValueError, IndexError, AttributeError):
        return now, "run_gui"
    if not 0 <= age < 3600:
        return now, "run_gui"
    return now - age, "process start"


def configure_application(app: QApplication) -> None:
    """Name, Swedish locale and Qt's own Swedish texts, Fusion style."""
    app.setApplicationName("sipdesk")
    app.setOrganizationName("sipdesk")
    QLocale.setDefault(SWEDISH)
    app.setStyle("Fusion")
    if not _translators:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(SWEDISH, "qtbase", "_", folder):
            app.installTranslator(translator)
            _translators.append(translator)


def run_gui(args: argparse.Namespace) -> int:
    """Start the desktop app (or the smoke test); the process exit code."""
    started, since = process_start()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    configure_application(app)
    if getattr(args, "smoke_test", False):
        return _run_smoke_test(app, args, started=started, since=since)

    # From here on every log line also goes to the log file (the windowed build has no
    # console), and an error nobody caught says "Något gick fel" instead of nothing.
    with crash_reporting():
        startup = Startup(database_arg=args.database)
        # Until the main window shows, closing a start-up dialog must not end the application.
        app.setQuitOnLastWindowClosed(False)
        try:
            session = startup.open_session()
        except StartupFailed as failure:
            messages.error(None, "sipdesk kan inte starta", failure.message)
            return 1
        if session is None:
            return 0
        startup.show_main_window(session)
        startup.quit_requested.connect(app.quit)
        app.setQuitOnLastWindowClosed(True)
        code = app.exec()
        if database.obj is not None:
            database.close()
        return code


def _run_smoke_test(
    app: QApplication, args: argparse.Namespace, *, started: float, since: str
) -> int:
    # A start that hangs outside the event loop (a server that never answers) must still end:
    # the Qt timer covers the loop, faulthandler the rest.
    faulthandler.dump_traceback_later(SMOKE_TIMEOUT_S + 15, exit=True)
    database_arg = args.database
    scratch: Path | None = None
    if not database_arg and not os.environ.get("SIPDESK_DATABASE") \
            and not settings.get("database_url"):
        # Never the user's own embedded database: a first smoke test would fill it with demo
        # data and the setup dialog would never be shown.
        scratch = Path(tempfile.mkdtemp(prefix="sipdesk-smoke-"))
        database_arg = f"sqlite:///{scratch / 'smoke.sqlite3'}"
    try:
        startup = Startup(database_arg=database_arg, interactive=False)
        smoke = SmokeTest(startup, started=started, since=since)
        smoke.finished.connect(app.exit)
        QTimer.singleShot(0, smoke.start)  # inside exec(), so an early exit() is not lost
        code = app.exec()
        if startup.window is not None:
            startup.window.close()
        return code
    finally:
        faulthandler.cancel_dump_traceback_later()
        if scratch is not None:
            if database.obj is not None:
                database.close()
            shutil.rmtree(scratch, ignore_errors=True)


__all__ = [
    "SmokeTest",
    "Startup",
    "StartupFailed",
    "configure_application",
    "process_start",
    "run_gui",
]
