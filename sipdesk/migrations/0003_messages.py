"""Version 3: messages with kvittens and each recipient's receipt. Frozen copies of the models."""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    Model,
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

    class Message(Base):
        case = ForeignKeyField(SipCase, null=True, on_delete="RESTRICT")
        sender = ForeignKeyField(AppUser, on_delete="RESTRICT")
        subject = CharField(max_length=200)
        body = TextField()
        kind = CharField(max_length=30, default="free_text")
        requires_ack = BooleanField(default=False)
        sent_at = DateTimeField(default=datetime.datetime.now, index=True)
        parent = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="replies")
        thread = ForeignKeyField("self", null=True, on_delete="RESTRICT",
                                 backref="thread_members")
        forwarded_from = ForeignKeyField("self", null=True, on_delete="RESTRICT",
                                         backref="forwards")
        to_units = CharField(max_length=500, default="")
        withdrawn_at = DateTimeField(null=True)
        withdrawn_reason = TextField(default="")
        withdrawn_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT",
                                       backref="withdrawn_messages")

    class Receipt(Base):
        message = ForeignKeyField(Message, on_delete="RESTRICT")
        recipient = ForeignKeyField(AppUser, on_delete="RESTRICT")
        delivered_at = DateTimeField(default=datetime.datetime.now)
        read_at = DateTimeField(null=True)
        acknowledged_at = DateTimeField(null=True)
        needs_ack = BooleanField(default=False)

        class Meta:
            indexes = (
                (("message", "recipient"), True),
                (("recipient", "needs_ack"), False),
                (("recipient", "read_at"), False),
            )

    db.create_tables([Message, Receipt])
