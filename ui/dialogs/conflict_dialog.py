"""When someone else saved the same thing while you wrote: one dialog for every record.

A save compares only the fields the user changed (`sipdesk.storage.models.compare_and_set`), so
edits to different fields merge by themselves; this dialog appears only when the same field was
changed by both. For each such field it shows "Din text" and "Den andra personens text" side by
side (read only, scrolling, under the field's Swedish name, with who saved and when where that
is known) and offers "Behåll min", "Ta deras" and "Slå ihop för hand" — an editable box
prefilled with my text, theirs still beside it. Nothing is saved here: the choice goes back to
the form, which saves it against the other person's version (a third save in between is
noticed again). "Tillbaka till formuläret" closes the dialog and the form still holds my text.

`ConflictDialog.ask(parent, conflicts, chosen=…)` opens it without blocking and calls
`chosen({field: value})` when the user saves their choice (tests replace `ask`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from sipdesk.errors import FieldConflict

KEEP_MINE = "mine"
TAKE_THEIRS = "theirs"
MERGE = "merge"

MINE_STYLE = "QPlainTextEdit { background: #eef5ff; }"
THEIRS_STYLE = "QPlainTextEdit { background: #fff4e5; }"


def shown(value: Any) -> str:
    """A stored value as the user reads it: lists one per line, empty said in words."""
    if value is None or value == "" or value == [] or value == ():
        return "(tomt)"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "\n".join(shown(v) if not isinstance(v, list | tuple) else
                         " — ".join(str(x) for x in v if x) for v in value)
    return str(value)


def _text_box(text: str, *, name: str, style: str) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setObjectName(name)
    box.setReadOnly(True)
    box.setStyleSheet(style)
    box.setTabChangesFocus(True)
    wrapped = sum(len(line) // 48 + 1 for line in text.split("\n"))  # about 48 a line
    box.setFixedHeight(box.fontMetrics().lineSpacing() * min(max(wrapped, 2), 8) + 14)
    return box


class _FieldChoice(QFrame):
    """One overlapping field: both texts side by side and the three choices."""

    def __init__(self, conflict: FieldConflict, *, theirs_title: str,
                 display: Callable[[str, Any], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"conflict_{conflict.field}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        title = QLabel(f"<b>{escape(conflict.label or conflict.field)}</b>")
        title.setObjectName(f"label_{conflict.field}")
        self.conflict = conflict
        self.mergeable = isinstance(conflict.mine, str) and isinstance(conflict.theirs, str)
        mine_text = display(conflict.field, conflict.mine)
        theirs_text = display(conflict.field, conflict.theirs)
        self.mine_box = _text_box(mine_text, name=f"mine_{conflict.field}", style=MINE_STYLE)
        self.theirs_box = _text_box(theirs_text, name=f"theirs_{conflict.field}",
                                    style=THEIRS_STYLE)
        tallest = max(self.mine_box.height(), self.theirs_box.height())
        self.mine_box.setFixedHeight(tallest)  # side by side, one height
        self.theirs_box.setFixedHeight(tallest)
        self.merge_box = QPlainTextEdit(conflict.mine if self.mergeable else "")
        self.merge_box.setObjectName(f"merge_{conflict.field}")
        self.merge_box.setTabChangesFocus(True)
        self.merge_box.setPlaceholderText("Skriv det som ska gälla")
        self.merge_box.setFixedHeight(max(self.mine_box.height(),
                                          self.merge_box.fontMetrics().lineSpacing() * 4 + 14))
        self.merge_box.hide()
        self.mine_title = QLabel("Din text")
        theirs_label = QLabel(theirs_title)
        theirs_label.setWordWrap(True)

        self.buttons = QButtonGroup(self)
        row = QWidget()
        row_layout = QHBoxLayout(row)
        row_layout.setContentsMargins(0, 4, 0, 0)
        row_layout.setSpacing(18)
        for key, text, tip in (
                (KEEP_MINE, "Behåll min", "Spara din text i stället för den andras"),
                (TAKE_THEIRS, "Ta deras", "Låt den andra personens text gälla"),
                (MERGE, "Slå ihop för hand", "Skriv en text av båda; din text står redan i "
                                             "rutan och den andras syns bredvid")):
            if key == MERGE and not self.mergeable:
                continue
            button = QRadioButton(text)
            button.setObjectName(f"{key}_{conflict.field}")
            button.setToolTip(tip)
            button.setProperty("choice", key)
            self.buttons.addButton(button)
            row_layout.addWidget(button)
        row_layout.addStretch(1)
        self.buttons.buttonToggled.connect(self._toggled)

        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.addWidget(title, 0, 0, 1, 2)
        grid.addWidget(self.mine_title, 1, 0)
        grid.addWidget(theirs_label, 1, 1)
        grid.addWidget(self.mine_box, 2, 0)
        grid.addWidget(self.merge_box, 2, 0)
        grid.addWidget(self.theirs_box, 2, 1)
        grid.addWidget(row, 3, 0, 1, 2)

    def choice(self) -> str:
        button = self.buttons.checkedButton()
        return str(button.property("choice")) if button is not None else ""

    def value(self) -> Any:
        choice = self.choice()
        if choice == TAKE_THEIRS:
            return self.conflict.theirs
        if choice == MERGE:
            return self.merge_box.toPlainText()
        return self.conflict.mine

    def _toggled(self, _button: QRadioButton, _checked: bool) -> None:
        merging = self.choice() == MERGE
        self.merge_box.setVisible(merging)
        self.mine_box.setVisible(not merging)
        self.mine_title.setText("Din text — skriv om den till det som ska gälla" if merging
                                else "Din text")
        if merging:
            self.merge_box.setFocus(Qt.FocusReason.OtherFocusReason)


class ConflictDialog(QDialog):
    """Per overlapping field: my text and theirs, and what should apply."""

    def __init__(self, conflicts: Sequence[FieldConflict], *, what: str = "",
                 saved_by: str = "", saved_at: dt.datetime | None = None,
                 display: Callable[[str, Any], str] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_dialog")
        self.setWindowTitle("Någon annan har ändrat samma sak")
        who = saved_by or "Någon annan"
        when = f" kl. {saved_at:%H:%M}" if saved_at is not None else ""
        where = f" i {what[:1].lower()}{what[1:]}" if what else ""
        same = "samma uppgift" if len(conflicts) == 1 else "samma uppgifter"
        intro = QLabel(
            f"{who} har sparat en ändring{when} av {same} som du{where}. Ingenting av ditt är "
            "sparat än, och det du skrev finns kvar. Välj vad som ska gälla — det andra du "
            "har ändrat sparas som det är.")
        intro.setObjectName("conflict_intro")
        intro.setWordWrap(True)
        theirs_title = "Den andra personens text"
        if saved_by:
            theirs_title += f" ({saved_by}{when})"
        show = display or (lambda _name, value: shown(value))
        self.fields = [_FieldChoice(c, theirs_title=theirs_title, display=show)
                       for c in conflicts]
        body = QWidget()
        column = QVBoxLayout(body)
        column.setContentsMargins(0, 0, 0, 0)
        for choice in self.fields:
            column.addWidget(choice)
            choice.buttons.buttonToggled.connect(lambda *_a: self._update_ok())
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)

        self.missing = QLabel("Välj för varje uppgift vad som ska gälla.")
        self.missing.setObjectName("conflict_missing")
        self.missing.setStyleSheet("color: palette(placeholder-text);")
        self.button_box = QDialogButtonBox()
        self.ok_button = self.button_box.addButton(
            "Spara mitt val", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("conflict_save")
        self.back_button = self.button_box.addButton(
            "Tillbaka till formuläret", QDialogButtonBox.ButtonRole.RejectRole)
        self.back_button.setObjectName("conflict_back")
        self.button_box.accepted.connect(self.accept)
        self.button_box.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.missing)
        layout.addWidget(self.button_box)
        self._update_ok()
        self.resize(780, min(self.sizeHint().height() + 40, 720))

    def _update_ok(self) -> None:
        ready = all(choice.choice() for choice in self.fields)
        self.ok_button.setEnabled(ready)
        self.missing.setVisible(not ready)

    def values(self) -> dict[str, Any]:
        """What should apply, by field: mine, theirs, or the merged text."""
        return {choice.conflict.field: choice.value() for choice in self.fields}

    def choose(self, field: str, choice: str) -> None:
        """Pick a choice for a field (as a click on its button does)."""
        for button in self.fields[[c.conflict.field for c in self.fields].index(field)] \
                .buttons.buttons():
            if button.property("choice") == choice:
                button.setChecked(True)

    @classmethod
    def ask(cls, parent: QWidget | None, conflicts: Sequence[FieldConflict], *,
            chosen: Callable[[dict[str, Any]], None], what: str = "", saved_by: str = "",
            saved_at: dt.datetime | None = None,
            display: Callable[[str, Any], str] | None = None) -> ConflictDialog:
        """Open the dialog (window-modal, not blocking); `chosen(values)` when saved."""
        dialog = cls(conflicts, what=what, saved_by=saved_by, saved_at=saved_at,
                     display=display, parent=parent)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if result == QDialog.DialogCode.Accepted:
                chosen(dialog.values())

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
