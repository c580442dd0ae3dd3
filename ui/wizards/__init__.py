"""Wizards: the kallelse (invitation) wizard and what it shares with the case's Kallelse tab."""
