"""Version 13: a repair. The first builds created the users' table as `user`; version 1 was later
edited in place to call it `app_user` (a released migration must never change — they are frozen
from now on, tests/core/test_migrations.py). A database made by such an early build migrated
without error and kept its rows, but its users sat in `user`, where nothing reads them, and the
app refused the database. Here the table gets its name; the foreign keys that point at it follow
(SQLite rewrites them on RENAME, PostgreSQL keeps them by the table's identity). A database made
after the edit has no `user` table and nothing happens.
"""


def up(migrator, db):
    tables = set(db.get_tables())
    if "user" in tables and "app_user" not in tables:
        db.execute_sql('ALTER TABLE "user" RENAME TO app_user')
