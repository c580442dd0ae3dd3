"""The few SQL expressions that SQLite and PostgreSQL write differently, so that every statistics
query is written once and gives the same numbers on both engines.

SQLite keeps dates as text ('2026-06-18') and times as text ('2026-06-18 13:00:00');
PostgreSQL as date and timestamp. Each helper returns SQL text for a column or expression:
its month ("2026-06"), its day, whole days between two dates, whole minutes between two
times, the day as a number (20260618), a date literal. Parameters are written `?` in the
queries and turned into the driver's marker here (`sql`). No helper uses `%` on PostgreSQL,
where the driver would read it as a marker.
"""

from __future__ import annotations

import datetime as dt
import sqlite3

from sipdesk.storage.db import Engine


class Dialect:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sqlite = engine is Engine.SQLITE

    @property
    def inlined(self) -> str:
        """`NOT MATERIALIZED`, written before a common table expression's body: the selection of
        cases is read by most queries several times, and both engines would otherwise copy all
        of it into a temporary table and join the other tables to that copy (at 100,000 cases a
        scan of the copy per branch, where an index lookup on the case table is enough). SQLite
        knows the word from 3.35 on; an older one gets nothing (the same numbers, slower)."""
        if self.sqlite and sqlite3.sqlite_version_info < (3, 35):
            return ""
        return "NOT MATERIALIZED "

    def sql(self, text: str) -> str:
        """Query text written with `?` markers, for this driver."""
        return text if self.sqlite else text.replace("?", "%s")

    def value(self, day: dt.date | dt.datetime) -> object:
        """A date or time as a parameter: text on SQLite (compared as text with the stored
        values), the object itself on PostgreSQL."""
        if not self.sqlite:
            return day
        if isinstance(day, dt.datetime):
            return day.isoformat(sep=" ")
        return day.isoformat()

    def month(self, column: str) -> str:
        return f"substr({column}, 1, 7)" if self.sqlite else f"to_char({column}, 'YYYY-MM')"

    def day(self, column: str) -> str:
        """The date of a timestamp."""
        return f"date({column})" if self.sqlite else f"CAST({column} AS DATE)"

    def days(self, start: str, end: str) -> str:
        """Whole days from the date `start` to the date `end` (negative if end is earlier)."""
        if self.sqlite:
            return f"CAST(julianday({end}) - julianday({start}) AS INTEGER)"
        return f"({end} - {start})"

    def minutes(self, start: str, end: str) -> str:
        """Whole minutes from the time `start` to the time `end` (rounded down)."""
        if self.sqlite:
            return (f"((CAST(strftime('%s', {end}) AS INTEGER)"
                    f" - CAST(strftime('%s', {start}) AS INTEGER)) / 60)")
        return f"(CAST(EXTRACT(EPOCH FROM ({end} - {start})) AS BIGINT) / 60)"

    def day_number(self, column: str) -> str:
        """The day of a date or time as a number, 20260618."""
        if self.sqlite:
            return f"CAST(strftime('%Y%m%d', {column}) AS INTEGER)"
        return f"CAST(to_char({column}, 'YYYYMMDD') AS INTEGER)"

    def add_days(self, day: str, count: str) -> str:
        """The date `count` days after the date `day`."""
        if self.sqlite:
            return f"date({day}, '+' || ({count}) || ' days')"
        return f"({day} + ({count}))"

    def no_index(self, column: str) -> str:
        """`column` as a value that no index is chosen for (SQLite's unary `+`): a count over
        most of the cases grouped by unit reads the table straight through and sorts the few
        groups, instead of walking the unit index and fetching every row from it (three times
        slower at 100,000 cases). PostgreSQL's planner decides this by its statistics."""
        return f"+{column}" if self.sqlite else column

    def none_in(self, key: str, table: str, column: str, condition: str) -> str:
        """SQL: no row of `table` (aliased, "closure cl") with `column` = `key` meets
        `condition` — `column` must be NOT NULL. SQLite gathers the matching keys once (NOT IN:
        one scan of `table`, where a lookup per case read each row from the index); PostgreSQL
        makes NOT EXISTS an anti-join (NOT IN there falls back to a scan per row when the keys
        do not fit in memory)."""
        alias = table.split()[-1]
        if self.sqlite:
            return f"{key} NOT IN (SELECT {alias}.{column} FROM {table} WHERE {condition})"
        return (f"NOT EXISTS (SELECT 1 FROM {table} WHERE {alias}.{column} = {key}"
                f" AND {condition})")

    def date_literal(self, day: dt.date) -> str:
        return f"'{day.isoformat()}'" if self.sqlite else f"DATE '{day.isoformat()}'"

    def text(self, column: str) -> str:
        return f"CAST({column} AS TEXT)"
