"""A growing wait after failed logins on the embedded database (the login and the locked desk).

After `FREE_TRIES` failed tries in a row for a login, the next try is allowed only after a wait
that doubles with each further failure — 1, 2, 4 … seconds, at most `MAX_WAIT` — and a
successful login clears it. A try during the wait is refused without checking the password.

The tries are counted in this process's memory, not in the database. On SQLite — the only place
sipdesk checks passwords itself; on PostgreSQL the server does — the database file lies on the
same PC, readable by whoever can start sipdesk there: someone who restarts sipdesk to clear the
count could as well copy the file and guess offline, where only argon2id's cost helps. A count
in the database would not raise that bar, but it would let anyone keep a colleague waiting on
every PC that shares the file, and it would cost a schema change. The wait makes guessing at a
locked desk slow and visible in the log; argon2id does the rest.

The log names the user by id, never by login or name (a login such as "anna.berg" is a name).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from dataclasses import dataclass

from sipdesk import clock

log = logging.getLogger("sipdesk.accounts.login")

FREE_TRIES = 5
MAX_WAIT = dt.timedelta(minutes=5)


@dataclass
class _Tries:
    failures: int = 0
    allowed_at: dt.datetime | None = None


_tries: dict[str, _Tries] = {}
_guard = threading.Lock()  # logins are checked in the operation runner's threads


def wait_left(login: str) -> int:
    """Whole seconds until the next try for `login` is allowed (0: now)."""
    with _guard:
        allowed_at = _tries.get(login, _Tries()).allowed_at
    if allowed_at is None:
        return 0
    return max(0, math.ceil((allowed_at - clock.utc_now()).total_seconds()))


def failed(login: str, user_id: int | None) -> None:
    """Count a failed try; from the `FREE_TRIES`th on, start the wait and log it."""
    with _guard:
        tries = _tries.setdefault(login, _Tries())
        tries.failures += 1
        failures = tries.failures
        wait = None
        if failures >= FREE_TRIES:
            wait = min(dt.timedelta(seconds=2 ** (failures - FREE_TRIES)), MAX_WAIT)
            tries.allowed_at = clock.utc_now() + wait
    who = f"user {user_id}" if user_id is not None else "an unknown login"
    if wait is None:
        log.info("login failed for %s (%d in a row)", who, failures)
    else:
        log.warning("login failed for %s (%d in a row): next try in %d s", who, failures,
                    int(wait.total_seconds()))


def succeeded(login: str) -> None:
    with _guard:
        _tries.pop(login, None)


def forget_all() -> None:
    """Forget every count (a test starts with none)."""
    with _guard:
        _tries.clear()
