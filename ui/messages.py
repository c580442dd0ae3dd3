"""Message boxes from one factory (qutebrowser's msgbox habit), so tests can replace them.

The buttons are named here, not by Qt: Qt's Swedish translation calls the standard button "Ok",
and Swedish writes "OK"."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

OK = "OK"


def message_box(parent: QWidget | None, icon: QMessageBox.Icon, title: str,
                text: str) -> QMessageBox:
    """A box with one "OK" button (Return and Esc both close it); not shown yet."""
    box = QMessageBox(icon, title, text, parent=parent)
    ok = box.addButton(OK, QMessageBox.ButtonRole.AcceptRole)
    box.setDefaultButton(ok)
    box.setEscapeButton(ok)
    return box


def information(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Information, title, text).exec()


def warning(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Warning, title, text).exec()


def error(parent: QWidget | None, title: str, text: str) -> None:
    message_box(parent, QMessageBox.Icon.Critical, title, text).exec()


def confirm(
    parent: QWidget | None, title: str, text: str, *, yes: str = "Ja", no: str = "Avbryt"
) -> bool:
    box = QMessageBox(QMessageBox.Icon.Question, title, text, parent=parent)
    yes_button = box.addButton(yes, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(no, QMessageBox.ButtonRole.RejectRole)
    box.exec()
    return box.clickedButton() is yes_button
