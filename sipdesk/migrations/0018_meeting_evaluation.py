"""Version 18: the evaluation of a held meeting (seed 002 "Utvärdera mötet", issue 14) — one row
per respondent and meeting: the person, a guardian, a representative (god man, förvaltare) or
someone else, kept apart by (meeting, kind, name key), with an answer 1–5 or none to each of
four questions and a free text. A frozen copy of the model (sipdesk.meetings.evaluation).

On PostgreSQL the table holds case data, so it gets what migration 16 gave the other tables
below a meeting: row-level security with the same policies (`sipdesk_visible_meeting`, the
meeting's case visible to the user) and the grants to `sipdesk_user` — on the table and on its
id sequence (migration 16 granted the sequences that existed then)."""

import datetime

from peewee import (
    CharField,
    Check,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
)

GROUP = "sipdesk_user"
TABLE = "meeting_evaluation"
RULE = "sipdesk_visible_meeting(meeting_id)"


def _score(name):
    return IntegerField(null=True, constraints=[
        Check(f"{name} IS NULL OR {name} BETWEEN 1 AND 5")])


def _models(db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class Meeting(Base):
        pass

    class MeetingEvaluation(Base):
        meeting = ForeignKeyField(Meeting, on_delete="RESTRICT")
        respondent_kind = CharField(max_length=20)
        respondent_name = CharField(max_length=200, default="")
        respondent_key = CharField(max_length=200, default="")
        given_as = CharField(max_length=20, default="form")
        felt_before = _score("felt_before")
        listened = _score("listened")
        understood = _score("understood")
        views_counted = _score("views_counted")
        comment = TextField(default="")
        recorded_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        recorded_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("meeting", "respondent_kind", "respondent_key"), True),)

    return MeetingEvaluation


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    _models(db).create_table(safe=False)
    if not _is_postgresql(db):
        return
    db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{TABLE}" TO {GROUP}')
    db.execute_sql(f'GRANT USAGE ON SEQUENCE "{TABLE}_id_seq" TO {GROUP}')
    db.execute_sql(f'ALTER TABLE "{TABLE}" ENABLE ROW LEVEL SECURITY')
    for name, command, using, check in (
        ("sipdesk_read", "SELECT", RULE, None),
        ("sipdesk_insert", "INSERT", None, RULE),
        ("sipdesk_update", "UPDATE", RULE, RULE),
        ("sipdesk_delete", "DELETE", RULE, None),
    ):
        sql = f'CREATE POLICY {name} ON "{TABLE}" FOR {command} TO {GROUP}'
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)


def down(migrator, db):
    _models(db).drop_table(safe=True)  # its policies and grants go with it
