"""Numbered schema migrations, run in order by playhouse.migrations (see sipdesk.schema)."""
