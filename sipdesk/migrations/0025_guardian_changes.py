"""Version 25: adding and changing a child's guardian (issue 14, sipdesk.casework.guardians).

The core lets only those who may change a case of the child add a guardian or change one
(`guardians.require_may_change_guardians`, the change rule `access.require_can_change`), as
version 24 did for removing one. On PostgreSQL the person's contacts follow version 16's rule
(whoever reads a case of the person), so the server would let a reader of another unit insert
or update a guardian row: restrictive policies hold it to the core's rule —

- INSERT of a guardian row, and UPDATE of a guardian row (the row touched, and the row it
  becomes): only for a user who may change a case of that person (`sipdesk_changeable_case`,
  migration 22), or while the person has no case yet (`sipdesk_caseless_person`, migration 16:
  a person is registered just before the case).

Other contacts (relatives, representatives) and version 24's rule for removal stay as they
were. No column changes. On SQLite nothing happens.
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"
INSERT_POLICY = "sipdesk_guardian_insert"
UPDATE_POLICY = "sipdesk_guardian_update"

# A row that is no guardian, or one the user may change (as the core's rule).
MAY_CHANGE = ("(kind <> 'guardian' OR sipdesk_caseless_person(person_id) OR EXISTS ("
              "SELECT 1 FROM sip_case c WHERE c.person_id = person_contact.person_id "
              "AND sipdesk_changeable_case(c.id)))")


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    if not _is_postgresql(db):
        return
    db.execute_sql(
        f'CREATE POLICY {INSERT_POLICY} ON "person_contact" AS RESTRICTIVE FOR INSERT '
        f"TO {GROUP} WITH CHECK {MAY_CHANGE}")
    db.execute_sql(
        f'CREATE POLICY {UPDATE_POLICY} ON "person_contact" AS RESTRICTIVE FOR UPDATE '
        f"TO {GROUP} USING {MAY_CHANGE} WITH CHECK {MAY_CHANGE}")


def down(migrator, db):
    if not _is_postgresql(db):
        return
    for name in (UPDATE_POLICY, INSERT_POLICY):
        db.execute_sql(f'DROP POLICY IF EXISTS {name} ON "person_contact"')
