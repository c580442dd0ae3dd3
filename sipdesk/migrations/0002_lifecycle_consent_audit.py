"""Version 2: the life of a case — status history, need, consent, menprövning, closure — and the
append-only audit log. Frozen copies of the models, independent of the application's."""

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


def up(migrator, db):
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

    class Principal(Base):
        pass

    class PersonContact(Base):
        pass

    migrator.migrate(
        migrator.add_column("sip_case", "consent_basis", CharField(max_length=20, null=True)),
        migrator.add_column("sip_case", "consent_valid_until", DateField(null=True)),
    )

    class AuditEntry(Base):
        at = DateTimeField(default=datetime.datetime.now, index=True)
        user = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        case = ForeignKeyField(SipCase, null=True, on_delete="RESTRICT")
        action = CharField(max_length=20)
        entity = CharField(max_length=40)
        entity_id = IntegerField(null=True)
        summary = CharField(max_length=300)
        changes = TextField(default="")

        class Meta:
            indexes = ((("case", "at"), False),)

    class CaseStatusChange(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        from_status = CharField(max_length=30)
        to_status = CharField(max_length=30)
        at = DateTimeField(default=datetime.datetime.now)
        by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        reason = TextField(default="")

    class NeedRecord(Base):
        case = ForeignKeyField(SipCase, unique=True, on_delete="RESTRICT")
        noticed_by = CharField(max_length=20)
        noticed_by_user = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        noticed_by_name = CharField(max_length=200, default="")
        noticed_on = DateField()
        need = TextField()
        question = TextField()
        version = IntegerField(default=1)

    class Closure(Base):
        case = ForeignKeyField(SipCase, unique=True, on_delete="RESTRICT")
        closed_on = DateField()
        reason = CharField(max_length=30)
        replaced_by = ForeignKeyField(SipCase, null=True, on_delete="RESTRICT",
                                      backref="replaces")
        person_agreed = BooleanField(default=False)
        note = TextField(default="")
        closed_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.now)

    class Consent(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        kind = CharField(max_length=10)
        given_on = DateField()
        taken_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        covers = TextField()
        exclusions = TextField(default="")
        relatives_to_invite = TextField(default="")
        valid_until = DateField()
        superseded_by = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        withdrawn_on = DateField(null=True)
        withdrawn_how = CharField(max_length=200, default="")
        withdrawn_recorded_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT",
                                                backref="recorded_withdrawals")
        created_at = DateTimeField(default=datetime.datetime.now)

    class ConsentPrincipal(Base):
        consent = ForeignKeyField(Consent, on_delete="CASCADE")
        principal = ForeignKeyField(Principal, on_delete="RESTRICT")

        class Meta:
            indexes = ((("consent", "principal"), True),)

    class GuardianConsent(Base):
        consent = ForeignKeyField(Consent, on_delete="CASCADE")
        guardian = ForeignKeyField(PersonContact, on_delete="RESTRICT")
        how = CharField(max_length=10)

    class HarmAssessment(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        assessed_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        assessed_on = DateField()
        contacts = TextField()
        conclusion = CharField(max_length=10)
        created_at = DateTimeField(default=datetime.datetime.now)

    db.create_tables([AuditEntry, CaseStatusChange, NeedRecord, Closure, Consent,
                      ConsentPrincipal, GuardianConsent, HarmAssessment])

    # The audit log is append-only in the database too, not only in the app.
    if isinstance(db, PostgresqlDatabase):
        db.execute_sql(
            "CREATE FUNCTION audit_entry_append_only() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'audit_entry is append-only'; END; $$ LANGUAGE plpgsql")
        db.execute_sql(
            "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry "
            "FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()")
    else:
        for event in ("UPDATE", "DELETE"):
            db.execute_sql(
                f"CREATE TRIGGER audit_entry_no_{event.lower()} BEFORE {event} ON audit_entry "
                "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END")
