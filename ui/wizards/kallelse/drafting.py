"""The kallelse draft, kept in the background (the operation runner) without losing or reordering
what was typed.

Saves may finish out of order in the thread pool; so each save has a number, one runs at a time,
and an older save that comes after a newer one of the same draft is skipped (each holds the
whole draft). Reading the draft (`after_saves`, when the wizard opens) and sending (which
deletes it) wait until every save asked for before them is done, so a draft closed a moment
ago is offered again, and a save never brings back the draft of a kallelse already sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

from sipdesk.casework import drafts
from sipdesk.errors import StorageError
from sipdesk.storage.models import Case, User

from ...operations import Operation, report_failure
from .common import app, log

T = TypeVar("T")
Key = tuple[int, int, str]  # user, case, wizard

_writing = threading.Lock()  # one draft write (or send) at a time
_saves = threading.Condition()  # held only for a moment: the saves not yet done
_pending: set[int] = set()
_asked = 0  # the number of the latest save asked for (the UI thread's)
_written: dict[Key, int] = {}  # the newest save written per draft (under `_writing`)


def _done(number: int) -> None:
    with _saves:
        _pending.discard(number)
        _saves.notify_all()


def save_draft(user: User, case: Case, name: str, data: dict[str, Any]) -> None:
    """Save `data` as the draft `name` of `user` and `case`, in the background (also when the
    wizard closes meanwhile: the answer goes to the application)."""
    global _asked
    _asked += 1
    number, key = _asked, (user.id, case.id, name)
    with _saves:
        _pending.add(number)

    def work() -> None:
        try:
            with _writing:
                if number > _written.get(key, 0):
                    drafts.save_draft(user, case, name, data)
                    _written[key] = number
        finally:
            _done(number)

    def failed(exc: Exception) -> None:
        if isinstance(exc, StorageError):  # what is typed is still in the wizard
            log.error("saving the kallelse draft failed: %s", type(exc).__name__)
        else:
            report_failure(None, exc)

    Operation(app(), work).failure(failed).run()


def after_saves(work: Callable[[], T], *, forgets: Key | None = None) -> Callable[[], T]:
    """`work`, run once every save asked for until now is written (only those: the earlier
    saves are ahead of it in the pool's queue, so it never waits for a thread it holds).
    `forgets`: the work deletes that draft (sending), so no save asked for before it may write
    it again."""
    number = _asked

    def waiting() -> T:
        with _saves:
            _saves.wait_for(lambda: not any(n <= number for n in _pending))
        if forgets is None:
            return work()
        with _writing:
            result = work()
            _written[forgets] = max(_written.get(forgets, 0), number)
            return result

    return waiting
