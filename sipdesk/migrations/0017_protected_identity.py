"""Version 17: a person can have a protected identity (skyddade personuppgifter, issue 12):
sekretessmarkering, skyddad folkbokföring or fingerade personuppgifter. "none" for everyone
else. What the protection changes (the address never shown or printed, the name masked in the
case list, a reason asked at every opening) is the core's rule, sipdesk.casework.protected.

On PostgreSQL the person table's row-level security (migration 16) and the grants to
sipdesk_user cover a new column as they cover the others: nothing more to do."""

from peewee import CharField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("person", "protection", CharField(max_length=30, default="none")),
    )


def down(migrator, db):
    migrator.migrate(migrator.drop_column("person", "protection"))
