"""Kontakter: the directory of the usual actors and sipdesk's users (model, page)."""
