"""Arkiv → Användare…: the administrator's list of users, and adding, deactivating, activating
again and new passwords (`sipdesk.accounts.user_admin`)."""
