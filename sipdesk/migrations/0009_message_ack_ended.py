"""Version 9: a message can stop asking for kvittens without being withdrawn — overtaken by a
newer one (a reopened plan), in a case that has ended, or about a meeting that has passed. When,
why (a short code) and a note for the reader (e.g. the reason the plan was reopened)."""

from peewee import CharField, DateTimeField, TextField


def up(migrator, db):
    migrator.migrate(
        migrator.add_column("message", "ack_ended_at", DateTimeField(null=True)),
        migrator.add_column("message", "ack_ended_why", CharField(max_length=30, default="")),
        migrator.add_column("message", "ack_ended_note", TextField(default="")),
    )


def down(migrator, db):
    migrator.migrate(
        migrator.drop_column("message", "ack_ended_note"),
        migrator.drop_column("message", "ack_ended_why"),
        migrator.drop_column("message", "ack_ended_at"),
    )
