"""One way to run work off the UI thread (Anki's QueryOp habit).

`run_in_background(parent, fn, success=..., failure=...)` runs `fn()` in the thread pool and
calls `success(result)` or `failure(exc)` back on the UI thread. The worker touches no widget.
Each worker thread keeps its own database connection (peewee connections are per thread).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from sipdesk.db import database

log = logging.getLogger("sipdesk.ui.worker")


class _Relay(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn = fn
        self.relay = relay

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:  # handed to the UI thread, which decides what to show
            self.relay.failed.emit(exc)
        else:
            self.relay.succeeded.emit(result)
        finally:
            if database.obj is not None and not database.is_closed():
                database.close()


def _log_failure(exc: Exception) -> None:
    log.error("background job failed: %s", type(exc).__name__)


def run_in_background(
    parent: QObject,
    fn: Callable[[], Any],
    *,
    success: Callable[[Any], None],
    failure: Callable[[Exception], None] | None = None,
) -> None:
    relay = _Relay(parent)  # parented: lives until the parent goes, delivers on its thread
    relay.succeeded.connect(success)
    relay.failed.connect(failure or _log_failure)
    relay.succeeded.connect(relay.deleteLater)
    relay.failed.connect(relay.deleteLater)
    QThreadPool.globalInstance().start(_Job(fn, relay))
