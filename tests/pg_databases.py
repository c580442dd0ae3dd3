"""Brand-new PostgreSQL databases for a test (a restore target, say): each with a unique name on
the test server, dropped when the block ends. Skips the test when the server is not there
(fails it in CI), as `tests/conftest.py` does."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import psycopg
import pytest

from sipdesk.storage.db import DatabaseUrl, Engine, parse_url
from tests.conftest import IN_CI, PG_ADMIN_URL


@contextmanager
def new_pg_databases(prefix: str) -> Iterator[Callable[[], DatabaseUrl]]:
    """A maker of empty databases (no schema); all of them are dropped afterwards."""
    admin_url = parse_url(PG_ADMIN_URL)
    try:
        admin = psycopg.connect(
            f"host={admin_url.host} port={admin_url.port} user={admin_url.user} "
            f"dbname={admin_url.name} connect_timeout=3", autocommit=True)
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}", pytrace=False)
        pytest.skip(f"PostgreSQL is not reachable at {PG_ADMIN_URL}")
    made: list[str] = []

    def make() -> DatabaseUrl:
        name = f"{prefix}_{uuid.uuid4().hex[:10]}"
        admin.execute(f'CREATE DATABASE "{name}"')
        made.append(name)
        return DatabaseUrl(Engine.POSTGRESQL, host=admin_url.host, port=admin_url.port,
                           name=name, user=admin_url.user)

    try:
        yield make
    finally:
        for name in made:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
