"""A crash is never silent: an error nobody caught is written to the log and told to the user.

`crash_reporting()` is entered once by the app's start (`ui.app.run_gui`), never at import, so
in tests pytest-qt keeps its own `sys.excepthook` unless a test starts the app itself. Inside it:

- a rotating log file, `sipdesk.log` in `sipdesk.paths.log_dir()` (platformdirs' user log
  folder; `SIPDESK_LOG_DIR` overrides it), gets the application's log lines — also in the
  windowed build, which has no console;
- `sys.excepthook` (an exception escaping a Qt slot or a thread-pool job) and
  `threading.excepthook` (a plain worker thread) write the error to that log and show
  "Något gick fel" through the message-box factory, always on the UI thread.

What reaches the log about an error — the decision about personal data: the exception's type
and the traceback's frames (file, line, function and the line of *source code*), for the error
and every exception it was raised from. Never the exception's message (`str(exc)`): database
errors quote the rows they refused ("Key (personal_number)=(19121212-1212) already exists"),
parsing errors quote what was typed, and our own messages name people. Never local variables,
never `__notes__`. The file handler's formatter applies the same rule to every `log.exception`
in the app, so a message cannot slip in through another module either.
"""

from __future__ import annotations

import logging
import logging.handlers
import sys
import threading
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication

from sipdesk.paths import log_dir

from . import messages

log = logging.getLogger("sipdesk.ui.crash")

LOG_FILE_NAME = "sipdesk.log"
LOG_MAX_BYTES = 1_000_000  # then sipdesk.log.1 … .5: at most 6 MB, weeks of ordinary use
LOG_BACKUP_COUNT = 5
LOG_FORMAT = "%(asctime)s %(name)s %(levelname)s %(message)s"

CRASH_TITLE = "Något gick fel"


def crash_text(log_file: Path | None) -> str:
    """What the user reads: what happened, that nothing they typed is gone, where to look."""
    text = (
        "sipdesk råkade ut för ett oväntat fel och kunde inte göra klart det du bad om.\n\n"
        "Uppgifterna du skrivit finns kvar, så du kan försöka igen.\n\n"
        "Händer det igen? Berätta för den som hjälper dig med sipdesk vad du gjorde"
    )
    if log_file is None:
        return text + "."
    return (
        text + " och visa loggfilen. Den innehåller inga personuppgifter och finns här:\n"
        f"{log_file}"
    )


# ---- the traceback without personal data ------------------------------------------------------


def _chain(exc: BaseException) -> list[tuple[BaseException, str]]:
    """`exc` and the exceptions it was raised from or during, oldest first, each with the
    sentence that links it to the next one."""
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current = current.__cause__
            link = "The above exception was the direct cause of the following exception:"
        elif current.__context__ is not None and not current.__suppress_context__:
            current = current.__context__
            link = "During handling of the above exception, another exception occurred:"
        else:
            current = None
    chain.reverse()  # each link now sits with the exception printed just before it
    return chain


def safe_traceback(exc: BaseException) -> str:
    """The traceback of `exc` as Python prints it, minus every exception's message."""
    parts: list[str] = []
    for error, link_to_next in _chain(exc):
        frames = traceback.StackSummary.extract(
            traceback.walk_tb(error.__traceback__), capture_locals=False
        )
        if frames:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(frames.format())
        kind = type(error)
        parts.append(f"{kind.__module__}.{kind.__qualname__} (message left out)\n")
        if link_to_next:
            parts.append(f"\n{link_to_next}\n\n")
    return "".join(parts).rstrip("\n")


class SafeFormatter(logging.Formatter):
    """Formats log records for the file: exceptions as `safe_traceback`, whatever formatted the
    record before (logging caches the first handler's traceback text on the record)."""

    def formatException(self, ei: object) -> str:
        exc = ei[1] if isinstance(ei, tuple) and len(ei) == 3 else None
        return safe_traceback(exc) if isinstance(exc, BaseException) else ""

    def format(self, record: logging.LogRecord) -> str:
        cached = record.exc_text
        record.exc_text = None
        try:
            return super().format(record)
        finally:
            record.exc_text = cached


def open_log_file(folder: Path | None = None) -> logging.handlers.RotatingFileHandler | None:
    """The rotating file handler on the root logger; None (and a warning) where the folder
    cannot be written — the app runs on without its file."""
    folder = folder if folder is not None else log_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            folder / LOG_FILE_NAME, maxBytes=LOG_MAX_BYTES, backupCount=LOG_BACKUP_COUNT,
            encoding="utf-8", delay=True,
        )
    except OSError as problem:
        log.warning("no log file in the log folder (%s)", type(problem).__name__)
        return None
    handler.setLevel(logging.INFO)
    handler.setFormatter(SafeFormatter(LOG_FORMAT))
    logging.getLogger().addHandler(handler)
    return handler


# ---- the hooks ----------------------------------------------------------------------------


class CrashReporter(QObject):
    """Logs uncaught exceptions and shows the crash dialog on the UI thread.

    Hooks that were there before (pytest-qt's capture, pytest's thread hook) are called after
    ours, so a test that starts the app still fails on an error; Python's own default hooks are
    not, because they would print the message.
    """

    _report = Signal()  # emitted from any thread, delivered on the thread this object lives on

    def __init__(self, log_file: Path | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.log_file = log_file
        self._showing = False
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        self._report.connect(self.show_dialog)

    def install(self) -> None:
        self._previous_excepthook = sys.excepthook
        self._previous_threading_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.threading_excepthook

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook:
            sys.excepthook = self._previous_excepthook
        if threading.excepthook == self.threading_excepthook:
            threading.excepthook = self._previous_threading_hook

    def excepthook(
        self, kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(kind, KeyboardInterrupt):  # Ctrl+C in a terminal: not a crash
            sys.__excepthook__(kind, error, tb)
            return
        self._log(error, tb, where=threading.current_thread().name)
        if self._previous_excepthook is not sys.__excepthook__:
            self._previous_excepthook(kind, error, tb)

    def threading_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_type is SystemExit or args.exc_value is None:
            return  # the thread ended itself on purpose (what Python's own hook does too)
        where = args.thread.name if args.thread is not None else "a thread"
        self._log(args.exc_value, args.exc_traceback, where=where)
        if self._previous_threading_hook is not threading.__excepthook__:
            self._previous_threading_hook(args)

    def _log(self, error: BaseException, tb: TracebackType | None, *, where: str) -> None:
        try:
            if error.__traceback__ is None and tb is not None:
                error = error.with_traceback(tb)
            log.critical("unexpected error in %s\n%s", where, safe_traceback(error))
            if QApplication.instance() is not None:
                self._report.emit()  # queued to the UI thread when raised in another thread
        except Exception as trouble:  # a hook must never raise; a log line is all there is
            log.critical("error while reporting an error\n%s", safe_traceback(trouble))

    def show_dialog(self) -> None:
        """The crash dialog — once at a time: an error while it is open, or while showing it,
        is only logged."""
        if self._showing:
            return
        self._showing = True
        try:
            messages.error(QApplication.activeWindow(), CRASH_TITLE, crash_text(self.log_file))
        except Exception as trouble:
            log.critical("the crash dialog could not be shown\n%s", safe_traceback(trouble))
        finally:
            self._showing = False


@contextmanager
def crash_reporting(folder: Path | None = None) -> Iterator[CrashReporter]:
    """The log file and the crash hooks for as long as the app runs; both removed after."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(min(level or logging.WARNING, logging.INFO))  # the GUI's lines help support
    handler = open_log_file(folder)
    reporter = CrashReporter(Path(handler.baseFilename) if handler is not None else None)
    reporter.install()
    if handler is not None:
        log.info("sipdesk started; log file %s", handler.baseFilename)
    try:
        yield reporter
    finally:
        reporter.uninstall()
        if handler is not None:
            root.removeHandler(handler)
            handler.close()
        root.setLevel(level)


__all__ = [
    "CRASH_TITLE",
    "CrashReporter",
    "SafeFormatter",
    "crash_reporting",
    "crash_text",
    "open_log_file",
    "safe_traceback",
]
