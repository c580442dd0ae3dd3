"""Validation at the field: a red Swedish message under the input, the input itself kept.

`FieldForm` wraps a QFormLayout: `add(name, label, widget)` registers an input with an error
label below it; `show_error(field, message)` marks it, `clear_errors()` clears all. Core
ValidationErrors carry `field`, so a dialog can route each message to its input. `limited(edit,
column)` stops a line at its column's length; a multi-line text that is too long gets the core's
message at its field instead (nothing typed is cut).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from sipdesk.storage.limits import SEARCH_LIMIT, max_chars

ERROR_STYLE = "color: #b00020;"
INVALID_STYLE = "border: 1px solid #b00020;"


def limited(edit: QLineEdit, column: Any) -> QLineEdit:
    """`edit` takes no more characters than `column` (a model's field) holds — the core's
    limit (`sipdesk.storage.limits`) — so typing or pasting stops where saving would refuse.
    Set it before the text: Qt cuts a longer text that is already there."""
    edit.setMaxLength(max_chars(column))
    return edit


def for_search(edit: QLineEdit) -> QLineEdit:
    """A search box takes at most what a search looks for (`SEARCH_LIMIT`)."""
    edit.setMaxLength(SEARCH_LIMIT)
    return edit


class FieldForm(QFormLayout):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.inputs: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}

    def add(self, name: str, label: str, widget: QWidget) -> QWidget:
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        error = QLabel()
        error.setObjectName(f"error_{name}")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.hide()
        column.addWidget(error)
        self.addRow(label, box)
        self.inputs[name] = widget
        self.errors[name] = error
        return widget

    def show_error(self, name: str | None, message: str) -> bool:
        """Show `message` at field `name`; False when there is no such field."""
        if name not in self.errors:
            return False
        label = self.errors[name]
        label.setText(message)
        label.show()
        self.inputs[name].setStyleSheet(INVALID_STYLE)
        return True

    def clear_error(self, name: str) -> None:
        if name in self.errors:
            self.errors[name].hide()
            self.errors[name].clear()
            self.inputs[name].setStyleSheet("")

    def clear_errors(self) -> None:
        for name in self.errors:
            self.clear_error(name)

    def error_text(self, name: str) -> str:
        label = self.errors[name]
        return "" if label.isHidden() else label.text()
