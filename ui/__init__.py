"""sipdesk's desktop app: PySide6 widgets, Qt models and dialogs over the core."""
