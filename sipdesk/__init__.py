"""sipdesk core: data, rules and use cases for SIP. Plain Python and peewee — never Qt."""

import sys

__version__ = "0.1.0"


def _import_peewee_without_its_postgresql_driver() -> None:
    """peewee imports psycopg (~110 ms, a third of sipdesk's own start-up) when it is itself
    imported, also for a SQLite database. Import it here with psycopg hidden, so it takes no
    driver; `sipdesk.storage.engine.load_postgresql_driver()` hands the driver to peewee when a
    PostgreSQL database is opened (issue 11: start-up ≤ 3× a bare window). When something
    imported peewee or psycopg first (a test, a tool), nothing is changed."""
    if "peewee" in sys.modules or "psycopg" in sys.modules:
        return
    sys.modules["psycopg"] = None  # type: ignore[assignment]  # `import psycopg` fails now
    try:
        import peewee  # noqa: F401
    finally:
        del sys.modules["psycopg"]


_import_peewee_without_its_postgresql_driver()
