"""Initial schema: principals, units, users, persons with contacts, cases.

The models are a frozen copy, deliberately independent of sipdesk.models, so this script keeps
creating the schema as it was at version 1 however the application models change later.
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
)


def up(migrator, db):
    class Base(Model):
        version = IntegerField(default=1)

        class Meta:
            database = db
            legacy_table_names = False

    class Principal(Base):
        name = CharField(max_length=200, unique=True)
        kind = CharField(max_length=20)

    class Unit(Base):
        principal = ForeignKeyField(Principal, on_delete="RESTRICT")
        name = CharField(max_length=200)
        law = CharField(max_length=20)

        class Meta:
            indexes = ((("principal", "name"), True),)

    class User(Base):
        login = CharField(max_length=100, unique=True)
        full_name = CharField(max_length=200)
        initials = CharField(max_length=10)
        profession = CharField(max_length=100, default="")
        unit = ForeignKeyField(Unit, on_delete="RESTRICT")
        phone = CharField(max_length=50, default="")
        email = CharField(max_length=200, default="")
        role = CharField(max_length=30)
        active = BooleanField(default=True)
        password_hash = CharField(max_length=300, null=True)

        class Meta:
            table_name = "app_user"

    class Person(Base):
        personal_number = CharField(max_length=13, unique=True)
        pnr_short = CharField(max_length=10, index=True)
        first_name = CharField(max_length=100)
        last_name = CharField(max_length=100)
        name_key = CharField(max_length=210, index=True)
        name_key_reversed = CharField(max_length=210, index=True)
        address = CharField(max_length=200, default="")
        postal_code = CharField(max_length=10, default="")
        city = CharField(max_length=100, default="")
        phone = CharField(max_length=50, default="")
        language = CharField(max_length=50, default="svenska")
        needs_interpreter = BooleanField(default=False)
        easy_read = BooleanField(default=False)
        picture_support = BooleanField(default=False)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

    class PersonContact(Base):
        person = ForeignKeyField(Person, on_delete="CASCADE")
        kind = CharField(max_length=30)
        name = CharField(max_length=200)
        relation = CharField(max_length=100, default="")
        phone = CharField(max_length=50, default="")
        email = CharField(max_length=200, default="")
        address = CharField(max_length=300, default="")

    class Case(Base):
        number = CharField(max_length=20, unique=True)
        year = IntegerField()
        sequence = IntegerField()
        person = ForeignKeyField(Person, on_delete="RESTRICT")
        unit = ForeignKeyField(Unit, on_delete="RESTRICT")
        coordinator = ForeignKeyField(User, on_delete="RESTRICT")
        status = CharField(max_length=30, default="need_registered")
        next_date = DateField(null=True)
        created_at = DateTimeField(default=datetime.datetime.now)
        updated_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            table_name = "sip_case"
            indexes = (
                (("year", "sequence"), True),
                (("status",), False),
                (("coordinator",), False),
                (("unit",), False),
            )

    db.create_tables([Principal, Unit, User, Person, PersonContact, Case])
    if isinstance(db, PostgresqlDatabase):
        # Prefix search (LIKE 'abc%') on a non-C collation needs pattern_ops indexes.
        for column in ("name_key", "name_key_reversed", "pnr_short", "personal_number"):
            db.execute_sql(
                f"CREATE INDEX person_{column}_pattern ON person ({column} text_pattern_ops)"
            )
        db.execute_sql("CREATE INDEX sip_case_number_pattern ON sip_case (number text_pattern_ops)")
