"""Version 21: a child's guardians and who decides (issue 14, seed 002).

- person_contact: a guardian's custody (joint, sole, or a särskilt förordnad vårdnadshavare),
  their own language and interpreter need, and whether they may receive information about the
  child (a protected address, a restraining order, another decision) with a short note. A
  guardian registered before this version was one of those who consented: two of them had
  joint custody, one alone sole custody.
- consent: the child's own view of the SIP, recorded beside the guardians' consent.
- guardian_answer: each guardian's yes or no, on a day and how, kept apart — also the answers
  given before a consent could be registered.
- A guardian's consent carries the case only until the child turns 18: a consent given for a
  child before this version, valid past the day before the 18th birthday, now ends that day
  (as sipdesk.casework.guardians has it from now on), on the consent and on its case.

On PostgreSQL the new table follows its case like the others (row-level security as in
migration 16: `sipdesk_visible_case(case_id)`), with the same grants to sipdesk_user.
"""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    TextField,
)

GROUP = "sipdesk_user"
ADULT_AGE = 18


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("person_contact", "custody", CharField(max_length=20, default="")),
        migrator.add_column("person_contact", "language",
                            CharField(max_length=50, default="svenska")),
        migrator.add_column("person_contact", "needs_interpreter",
                            BooleanField(default=False)),
        migrator.add_column("person_contact", "information_block",
                            CharField(max_length=30, default="")),
        migrator.add_column("person_contact", "information_block_note",
                            CharField(max_length=200, default="")),
        migrator.add_column("consent", "child_view", TextField(default="")),
    )
    _custody_of_those_registered(db)

    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class SipCase(Base):
        class Meta:
            table_name = "sip_case"

    class PersonContact(Base):
        pass

    class Consent(Base):
        pass

    class GuardianAnswer(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        guardian = ForeignKeyField(PersonContact, on_delete="RESTRICT")
        consents = BooleanField()
        answered_on = DateField()
        how = CharField(max_length=20)
        note = CharField(max_length=200, default="")
        recorded_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        consent = ForeignKeyField(Consent, null=True, on_delete="RESTRICT",
                                  column_name="consent_id", index=True)
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            table_name = "guardian_answer"
            indexes = ((("case", "guardian"), False),)

    db.create_tables([GuardianAnswer])
    _end_at_eighteen(db)
    if _is_postgresql(db):
        _secure(db)


def _custody_of_those_registered(db):
    """A guardian registered before this version consented with every other one: two have
    joint custody, one alone sole custody."""
    db.execute_sql(
        "UPDATE person_contact SET custody = CASE WHEN (SELECT COUNT(*) FROM person_contact o "
        "WHERE o.person_id = person_contact.person_id AND o.kind = 'guardian') > 1 "
        "THEN 'joint' ELSE 'sole' END WHERE kind = 'guardian'")


def _adult_on(personal_number):
    """The 18th birthday of `YYYYMMDD-NNNN` (a samordningsnummer's day less 60); one born on
    29 February comes of age on 1 March in a year that has none."""
    year, month, day = (int(personal_number[:4]), int(personal_number[4:6]),
                        int(personal_number[6:8]))
    if day > 60:
        day -= 60
    try:
        return datetime.date(year + ADULT_AGE, month, day)
    except ValueError:
        return datetime.date(year + ADULT_AGE, 3, 1)


def _as_date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value)[:10])


def _end_at_eighteen(db):
    param = "%s" if _is_postgresql(db) else "?"
    rows = db.execute_sql(
        "SELECT k.id, k.case_id, k.valid_until, p.personal_number, "
        "k.withdrawn_on IS NULL AND k.superseded_by_id IS NULL "
        "FROM consent k JOIN sip_case c ON c.id = k.case_id "
        "JOIN person p ON p.id = c.person_id "
        "WHERE EXISTS (SELECT 1 FROM guardian_consent g WHERE g.consent_id = k.id)").fetchall()
    for consent_id, case_id, valid_until, number, in_force in rows:
        try:
            last = _adult_on(number) - datetime.timedelta(days=1)
        except ValueError:
            continue
        if _as_date(valid_until) <= last:
            continue
        db.execute_sql(f"UPDATE consent SET valid_until = {param} WHERE id = {param}",
                       (last, consent_id))
        if in_force:
            db.execute_sql(f"UPDATE sip_case SET consent_valid_until = {param} "
                           f"WHERE id = {param} AND consent_basis = 'consent'", (last, case_id))


def _secure(db):
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "guardian_answer" TO {GROUP}')
    db.execute_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {GROUP}")
    db.execute_sql('ALTER TABLE "guardian_answer" ENABLE ROW LEVEL SECURITY')
    rule = "sipdesk_visible_case(case_id)"
    for name, command, using, check in (
        ("sipdesk_read", "SELECT", rule, None),
        ("sipdesk_insert", "INSERT", None, rule),
        ("sipdesk_update", "UPDATE", rule, rule),
        ("sipdesk_delete", "DELETE", rule, None),
    ):
        sql = f'CREATE POLICY {name} ON "guardian_answer" FOR {command} TO {GROUP}'
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)


def down(migrator, db):
    db.drop_tables([_model(db)])
    migrator.migrate(
        migrator.drop_column("consent", "child_view"),
        migrator.drop_column("person_contact", "information_block_note"),
        migrator.drop_column("person_contact", "information_block"),
        migrator.drop_column("person_contact", "needs_interpreter"),
        migrator.drop_column("person_contact", "language"),
        migrator.drop_column("person_contact", "custody"),
    )


def _model(db):
    class GuardianAnswer(Model):
        id = IntegerField(primary_key=True)

        class Meta:
            database = db
            table_name = "guardian_answer"

    return GuardianAnswer
