"""The plan: documenting it, its rules and plain language, approval by every principal, follow-up,
the printed plan's reads."""
