"""Version 19: the child's own voice in the plan (seed 002 §2.1.1 and §4, issue 14).

A plan version for a child (under 18 on the meeting day) keeps, beside the child's own words
(`child_views`, version 6): that the child did not want to say anything (`child_silent` — a
valid answer: a child has no duty to have or give an opinion), how the child was asked
(`child_asked`: the ways, comma-separated — before the meeting, at the meeting, through someone
the child trusts, with pictures), whom the child trusts (`child_trusted`) and how the child's
views were weighed given age and maturity (`child_weighing`).

`child_feedback` records the återkoppling after the meeting: who told the child what their voice
meant for the plan, and when — one row per plan version.

On PostgreSQL the new table gets the row-level security of the plan's other tables (migration
16: a row follows its plan's case, `sipdesk_visible_plan`) and the grants to sipdesk_user; the
new columns of plan_version are covered by that table's policies already.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    Model,
    PostgresqlDatabase,
    TextField,
)

GROUP = "sipdesk_user"
RULE = "sipdesk_visible_plan(plan_id)"


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("plan_version", "child_silent", BooleanField(default=False)),
        migrator.add_column("plan_version", "child_asked", CharField(max_length=100,
                                                                     default="")),
        migrator.add_column("plan_version", "child_trusted", CharField(max_length=200,
                                                                       default="")),
        migrator.add_column("plan_version", "child_weighing", TextField(default="")),
    )

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class PlanVersion(Base):
        pass

    class ChildFeedback(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE", unique=True)
        told_by = CharField(max_length=200)
        told_on = DateField()
        note = TextField(default="")
        recorded_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        recorded_at = DateTimeField(default=datetime.datetime.now)

    db.create_tables([ChildFeedback])
    if not _is_postgresql(db):
        return
    db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "child_feedback" TO {GROUP}')
    db.execute_sql(f"GRANT USAGE ON SEQUENCE child_feedback_id_seq TO {GROUP}")
    db.execute_sql('ALTER TABLE "child_feedback" ENABLE ROW LEVEL SECURITY')
    for name, command, using, check in (
            ("sipdesk_read", "SELECT", RULE, None),
            ("sipdesk_insert", "INSERT", None, RULE),
            ("sipdesk_update", "UPDATE", RULE, RULE),
            ("sipdesk_delete", "DELETE", RULE, None)):
        sql = f'CREATE POLICY {name} ON "child_feedback" FOR {command} TO {GROUP}'
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)


def down(migrator, db):
    db.execute_sql('DROP TABLE IF EXISTS "child_feedback"')
    migrator.migrate(
        migrator.drop_column("plan_version", "child_weighing"),
        migrator.drop_column("plan_version", "child_trusted"),
        migrator.drop_column("plan_version", "child_asked"),
        migrator.drop_column("plan_version", "child_silent"),
    )
