"""Counting SQL statements in tests (the `assert_query_count` habit): every statement the
bound database executes inside the block, with the name of the thread that ran it — so a test
can say both how many queries an action costs and that none ran on the UI thread. With a
`delay`, every statement also waits that long first: a deliberately slow database, as on a
shared server over a slow network."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sipdesk.storage.db import database
from tests.waiting import pause


@dataclass
class Statements:
    """What ran inside `recorded()`: (thread name, SQL) in order."""

    seen: list[tuple[str, str]] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.seen)

    def on_thread(self, name: str) -> list[str]:
        return [sql for thread, sql in self.seen if thread == name]

    def listing(self) -> str:
        return "\n".join(f"{thread}: {sql[:160]}" for thread, sql in self.seen)


@contextmanager
def recorded(*, delay: float = 0.0) -> Iterator[Statements]:
    """Record every statement run through the bound database (any thread) inside the block;
    each waits `delay` seconds before it runs."""
    real = database.obj
    assert real is not None, "no database is bound"
    original = real.execute_sql
    statements = Statements()
    lock = threading.Lock()

    def execute_sql(sql: str, params: object = None, *args: object, **kwargs: object) -> object:
        with lock:
            statements.seen.append((threading.current_thread().name, sql))
        if delay:
            pause(delay)
        return original(sql, params, *args, **kwargs)

    real.execute_sql = execute_sql  # type: ignore[method-assign]
    try:
        yield statements
    finally:
        del real.execute_sql


@contextmanager
def assert_query_count(at_most: int) -> Iterator[Statements]:
    """Fail when the block runs more than `at_most` statements (listing them)."""
    with recorded() as statements:
        yield statements
    assert len(statements) <= at_most, (
        f"{len(statements)} statements, at most {at_most} expected:\n{statements.listing()}")
