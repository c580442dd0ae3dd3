"""Version 12: a message knows the meeting it is about (a kallelse, a new time, a cancellation
notice), so its kvittens can end with the meeting instead of guessing it from the date in the
subject. Messages sent before this version get their meeting where it can be known: a kallelse
from the participants it was sent to (participant.message_id), a cancellation notice from the
cancelled meeting of its case on the day its subject names ("Inställt SIP-möte 2026-11-23 …",
as sipdesk wrote them); the last one that day if there were several.
"""

import re

from peewee import ForeignKeyField, Model, PostgresqlDatabase

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def up(migrator, db):
    class Meeting(Model):
        class Meta:
            database = db
            table_name = "meeting"

    migrator.migrate(
        migrator.add_column("message", "meeting_id", ForeignKeyField(
            Meeting, field=Meeting.id, null=True, on_delete="RESTRICT", column_name="meeting_id",
            index=True)),
    )
    backfill(db)


def backfill(db):
    """The meeting of messages sent before this version, where it can be known."""
    db.execute_sql(
        "UPDATE message SET meeting_id = (SELECT MIN(p.meeting_id) FROM participant p "
        "WHERE p.message_id = message.id) "
        "WHERE meeting_id IS NULL AND id IN (SELECT message_id FROM participant "
        "WHERE message_id IS NOT NULL)")
    postgres = isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy
    param = "%s" if postgres else "?"
    # SQLite keeps times as text 'YYYY-MM-DD HH:MM:SS'
    day_of = "CAST(starts_at AS DATE)" if postgres else "substr(starts_at, 1, 10)"
    day_param = "CAST(%s AS DATE)" if postgres else "?"
    notices = db.execute_sql(
        "SELECT id, case_id, subject FROM message WHERE kind = 'cancellation' "
        "AND meeting_id IS NULL AND case_id IS NOT NULL").fetchall()
    for message_id, case_id, subject in notices:
        found = DAY.search(subject)
        if found is None:
            continue
        row = db.execute_sql(
            "SELECT id FROM meeting WHERE case_id = " + param + " AND status = 'cancelled' "
            "AND " + day_of + " = " + day_param + " ORDER BY starts_at DESC, id DESC",
            (case_id, found.group())).fetchone()
        if row is not None:
            db.execute_sql("UPDATE message SET meeting_id = " + param + " WHERE id = " + param,
                           (row[0], message_id))


def down(migrator, db):
    migrator.migrate(migrator.drop_column("message", "meeting_id"))
