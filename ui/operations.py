"""The operation runner: the one way a UI action calls the core (Anki's CollectionOp/QueryOp).

    Operation(self, lambda: consent.register_consent(...), title="Samtycket sparades inte")
        .success(self._saved)
        .run()

- The work runs in the thread pool, off the UI thread, inside `sipdesk.storage.db.storage_errors`,
  so a database failure arrives as the core's `StorageError` and `ui/` never imports peewee. Each
  worker thread opens its own database connection and closes it when the work is done.
- `success(result)` is called back on the UI thread; so are the failure handlers.
- Errors are shown in one place, `report_failure`: a `ValidationError` with a field goes to that
  field when the caller gave `.fields(show)`; any other `SipError` — a refusal, a conflict, a
  storage problem — becomes a message box with its Swedish text (a storage problem says that
  what the user typed is still there, and the runner never clears a form). Anything else is a
  bug: it goes to `sys.excepthook`, i.e. the crash dialog and the log (`ui.crash`).
- `.with_progress(progress, label)` shows a window-modal progress dialog, with **Avbryt** when
  the work can stop half-way; the work reads `progress.cancelled` between its steps and calls
  `progress.report(done, total)`.
- `.finally_(fn)` runs after success or failure (re-enable a button, hide a spinner).
- A database out of reach (a server restarting, a network that dropped) arrives as
  `ServerUnreachable`, a `StorageError` whose message says "Servern svarar inte — det du
  skrivit finns kvar, försök igen."; the next operation connects again by itself (the worker's
  connection is closed after each job, and `sipdesk.storage.db` reconnects). The runner keeps
  `connection_state()` up to date — unreachable after such a failure, reachable again after the
  next success — and the status bar shows it (`ui.connection_status`).

`pending()` counts operations whose result has not been delivered yet: tests wait on it, and
the main window may ask before it closes.

The work function must not touch a widget: it gets plain values from the UI thread and returns
plain values (ids, read models, paths).
"""

from __future__ import annotations

import contextlib
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from typing import Any, Generic, TypeVar

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEventLoop,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QProgressDialog, QWidget

from sipdesk.errors import ServerUnreachable, SipError, StorageError, ValidationError
from sipdesk.storage.db import database, storage_errors

from . import messages

log = logging.getLogger("sipdesk.ui.operations")

T = TypeVar("T")

DEFAULT_TITLE = "Det gick inte"

_lock = threading.Lock()
_pending = 0


def pending() -> int:
    """Operations started whose result (or error) has not reached the UI thread yet."""
    with _lock:
        return _pending


def _count(delta: int) -> None:
    global _pending
    with _lock:
        _pending += delta


class ConnectionState(QObject):
    """Whether the database answered the last operation that reached it (on the UI thread).
    `changed(reachable)` when that flips: lost after a `ServerUnreachable`, back after a
    success."""

    changed = Signal(bool)

    def __init__(self) -> None:
        super().__init__()
        self.reachable = True

    def note(self, reachable: bool) -> None:
        if reachable != self.reachable:
            self.reachable = reachable
            log.warning("database %s", "reachable again" if reachable else "out of reach")
            self.changed.emit(reachable)


_connection_state: ConnectionState | None = None


def connection_state() -> ConnectionState:
    """The one `ConnectionState` of the application."""
    global _connection_state
    if _connection_state is None:
        _connection_state = ConnectionState()  # kept by this module, used on the UI thread
    return _connection_state


def _note_outcome(outcome: object, ok: bool) -> None:
    if ok:
        connection_state().note(True)
    elif isinstance(outcome, ServerUnreachable):
        connection_state().note(False)


class Progress(QObject):
    """Shared by the work (which reports and checks for a stop) and the progress dialog."""

    reported = Signal(int, int)  # done, total

    def __init__(self) -> None:
        super().__init__()
        self._stop = threading.Event()

    def report(self, done: int, total: int) -> None:
        self.reported.emit(done, total)

    def cancel(self) -> None:
        self._stop.set()

    @property
    def cancelled(self) -> bool:
        return self._stop.is_set()


def report_failure(parent: QWidget | None, exc: BaseException, title: str = DEFAULT_TITLE,
                   show_at_field: Callable[[str, str], bool] | None = None) -> None:
    """Tell the user what went wrong, the one way the whole UI does it."""
    if (isinstance(exc, ValidationError) and exc.field and show_at_field is not None
            and show_at_field(exc.field, exc.message)):
        return
    if isinstance(exc, StorageError):
        messages.error(parent, title, exc.message)
        return
    if isinstance(exc, SipError):
        messages.warning(parent, title, exc.message)
        return
    sys.excepthook(type(exc), exc, exc.__traceback__)


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    """The work in a pool thread. It lets go of the work (and whatever widget its closure holds)
    before it hands the answer over, so the last reference to a Python-owned Qt object is never
    dropped on the worker thread: that would destroy the object there, under the UI thread's
    feet (a crash at the next deferred delete)."""

    def __init__(self, work: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.work: Callable[[], Any] | None = work
        self.relay = relay  # owned by its parent (C++), never by this thread

    def run(self) -> None:
        work, self.work = self.work, None
        assert work is not None
        signal: Any
        try:
            with storage_errors():
                value: object = work()
            signal = self.relay.succeeded
        except Exception as exc:  # handed to the UI thread, which decides what to show
            # The frames' locals (the closure's widgets) go; file, line and function stay for
            # the crash report.
            traceback.clear_frames(exc.__traceback__)
            value, signal = exc, self.relay.failed
        finally:
            del work
            if database.obj is not None and not database.is_closed():
                database.close()
        # The relay may be gone (the application is closing): nobody to tell (`gone` counted it).
        with contextlib.suppress(RuntimeError):
            signal.emit(value)


class Operation(Generic[T]):
    """One call into the core, run off the UI thread. Build it, then `run()` it once."""

    def __init__(self, parent: QObject, work: Callable[[], T], *,
                 title: str = DEFAULT_TITLE) -> None:
        """`parent` is usually the widget that asked; an object that outlives it (the
        application, for a start-up dialog that may close meanwhile) when the answer must
        still arrive — then failures go to `failure` or to a box without a parent."""
        self._parent = parent
        self._work = work
        self._title = title
        self._success: Callable[[T], Any] | None = None
        self._failure: Callable[[Exception], Any] | None = None
        self._at_field: Callable[[str, str], bool] | None = None
        self._finally: Callable[[], Any] | None = None
        self._progress: Progress | None = None
        self._label = ""
        self._cancellable = True

    def success(self, fn: Callable[[T], Any]) -> Operation[T]:
        self._success = fn
        return self

    def failure(self, fn: Callable[[Exception], Any]) -> Operation[T]:
        """Handle the error yourself instead of `report_failure` (rarely needed)."""
        self._failure = fn
        return self

    def fields(self, show: Callable[[str, str], bool]) -> Operation[T]:
        """`show(field, message)` puts a validation message at its field; it returns False
        when the form has no such field (the message then goes to a message box)."""
        self._at_field = show
        return self

    def finally_(self, fn: Callable[[], Any]) -> Operation[T]:
        self._finally = fn
        return self

    def with_progress(self, progress: Progress, label: str, *,
                      cancellable: bool = True) -> Operation[T]:
        self._progress = progress
        self._label = label
        self._cancellable = cancellable
        return self

    def run(self) -> None:
        # The relay (which delivers on the UI thread) belongs to the application, not to the
        # widget that asked: its connections hold the callbacks and so that widget, and letting
        # go of them as the relay is deleted must never be what deletes the relay's own parent.
        relay = _Relay(QCoreApplication.instance())
        dialog = self._progress_dialog() if self._progress is not None else None
        delivered = [False]

        def gone() -> None:
            # The relay died before the answer reached it (the application is closing).
            if not delivered[0]:
                delivered[0] = True
                _count(-1)

        def done() -> bool:
            """Count the answer delivered; True when the widget that asked is still there (if
            it is gone, nobody waits for the answer: nothing more is called)."""
            delivered[0] = True
            _count(-1)
            if dialog is not None and shiboken6.isValid(dialog):
                dialog.close()
                dialog.deleteLater()
            relay.deleteLater()
            if not shiboken6.isValid(self._parent):
                return False
            if self._finally is not None:
                self._finally()
            return True

        def succeeded(result: object) -> None:
            _note_outcome(result, True)
            if done() and self._success is not None:
                self._success(result)  # type: ignore[arg-type]

        def failed(exc: object) -> None:
            _note_outcome(exc, False)
            if not done():
                return
            assert isinstance(exc, Exception)
            if self._failure is not None:
                self._failure(exc)
            else:
                widget = self._parent if isinstance(self._parent, QWidget) else None
                report_failure(widget, exc, self._title, self._at_field)

        relay.succeeded.connect(succeeded)
        relay.failed.connect(failed)
        relay.destroyed.connect(gone)
        _count(+1)
        QThreadPool.globalInstance().start(_Job(self._work, relay))

    def _progress_dialog(self) -> _ProgressDialog:
        assert self._progress is not None
        assert isinstance(self._parent, QWidget), "a progress dialog needs a window"
        dialog = _ProgressDialog(self._label, self._title, self._cancellable, self._parent)
        self._progress.reported.connect(dialog.show_progress)
        dialog.canceled.connect(self._progress.cancel)
        return dialog


def wait_for(work: Callable[[], T]) -> T:
    """Run `work` in the runner and wait for its answer in a local event loop: the result, or
    the exception it raised (a database failure as `StorageError`).

    Only for the start-up flow (`ui.startup.flow`): a sequence of questions before any window
    exists, where each step's answer decides the next dialog. The screen keeps painting while
    the database works; everywhere else, use `Operation` and a callback."""
    loop = QEventLoop()
    relay = _Relay(QCoreApplication.instance())  # owned by Qt, deleted on this thread
    outcome: list[tuple[bool, object]] = []

    def arrived(ok: bool, value: object) -> None:
        _note_outcome(value, ok)
        outcome.append((ok, value))
        loop.quit()

    relay.succeeded.connect(lambda result: arrived(True, result))
    relay.failed.connect(lambda exc: arrived(False, exc))
    _count(+1)
    try:
        QThreadPool.globalInstance().start(_Job(work, relay))
        while not outcome:
            loop.exec()
    finally:
        _count(-1)
        relay.deleteLater()
    ok, value = outcome[0]
    if not ok:
        assert isinstance(value, Exception)
        raise value
    return value  # type: ignore[return-value]


class _ProgressDialog(QProgressDialog):
    def __init__(self, label: str, title: str, cancellable: bool, parent: QWidget) -> None:
        super().__init__(label, "Avbryt", 0, 0, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(400)  # a quick job never flashes a dialog
        self.setAutoClose(False)
        self.setAutoReset(False)
        if not cancellable:
            self.setCancelButton(None)

    @Slot(int, int)
    def show_progress(self, done: int, total: int) -> None:
        self.setMaximum(total)
        self.setValue(done)
