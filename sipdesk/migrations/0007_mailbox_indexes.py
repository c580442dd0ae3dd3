"""Version 7: indexes for the mailbox — a user's received messages newest first, and a sender's
sent messages newest first — so the first page of a folder is read from an index, not sorted."""


def up(migrator, db):
    migrator.migrate(
        migrator.add_index("receipt", ("recipient_id", "delivered_at"), False),
        migrator.add_index("message", ("sender_id", "sent_at"), False),
    )
