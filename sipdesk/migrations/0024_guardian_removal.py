"""Version 24: removing a child's guardian (issue 14, sipdesk.casework.guardian_removal).

A removed guardian is kept as a former guardian (person_contact.kind 'former_guardian'), with
their answers and the consents they gave: no column changes. The core lets only those who may
change a case of the child remove a guardian (`access.require_can_change`). On PostgreSQL the
person's contacts follow version 16's rule (whoever reads a case of the person; migration 22
left the person's record so), so the server would let a reader of another unit make that
change too: a restrictive policy holds it to the core's rule — a row may become a former
guardian only for a user who may change a case of that person (`sipdesk_changeable_case`,
migration 22). Nothing else about person_contact changes. On SQLite nothing happens.
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"
POLICY = "sipdesk_guardian_removal"


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    if not _is_postgresql(db):
        return
    db.execute_sql(
        f'CREATE POLICY {POLICY} ON "person_contact" AS RESTRICTIVE FOR UPDATE TO {GROUP} '
        "USING (true) WITH CHECK (kind <> 'former_guardian' OR EXISTS ("
        "SELECT 1 FROM sip_case c WHERE c.person_id = person_contact.person_id "
        "AND sipdesk_changeable_case(c.id)))")


def down(migrator, db):
    if not _is_postgresql(db):
        return
    db.execute_sql(f'DROP POLICY IF EXISTS {POLICY} ON "person_contact"')
