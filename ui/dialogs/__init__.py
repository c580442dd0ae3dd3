"""Dialogs built in code, each with a classmethod such as `ask(parent, ...)` that tests replace."""
