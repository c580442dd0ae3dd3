"""The start-up dialogs: connecting to a database server, the first-run setup and logging in."""
