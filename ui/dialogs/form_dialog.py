"""The shape of the case view's small dialogs: a form validated at the field, then one core call.

A subclass builds its inputs into `self.form` (a `FieldForm`), registers each with `watch()`,
says what is wrong in `problems()` (from the core's `*_problems` functions, so the messages are
the core's) and saves in `saving()`: it reads the inputs (on the UI thread) and returns the one
core call to make, which the operation runner runs off the UI thread. Messages appear under a
field once the user has been in it, and under every field when they press the OK button; the OK
button stays enabled so pressing it always says what is missing (it is disabled only while a
save runs). When the core refuses, its message goes to its field (or a message box, the runner's
one way) and nothing typed is lost. `on_saved(result)` runs on the UI thread after a save.

`ask(parent, …)` runs a dialog and returns what the save returned, or None (tests replace it).

Kontakter's dialogs and "Nytt ärende" keep the style's own spacing (`compact`); "Nytt ärende",
of another shape (pages to choose between), places the parts itself (`lay_out`) and enables its
OK button only when the case can be created, saying why not beside it.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, ClassVar

from PySide6.QtCore import QDate, QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractButton,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from sipdesk import clock
from sipdesk.errors import ConflictError, FieldConflict, StorageError
from sipdesk.storage.models import Case, User

from ..fields import INVALID_STYLE, FieldForm
from ..operations import Operation, report_failure
from ..session import Session
from .conflict_dialog import ConflictDialog, shown
from .dates import DateEdit, from_qdate

log = logging.getLogger("sipdesk.ui.dialogs")

WARNING_STYLE = (
    "background: #fff4e5; color: #5c3b00; border: 1px solid #f0c36d; border-radius: 4px;"
    " padding: 6px 8px;"
)
HINT_STYLE = "color: palette(placeholder-text);"
READ_FAILED = "Uppgifterna kunde inte läsas"


def text_of(widget: QWidget) -> str:
    if isinstance(widget, QPlainTextEdit):
        return widget.toPlainText()
    if isinstance(widget, QLineEdit):
        return widget.text()
    if isinstance(widget, QComboBox):
        return widget.currentText()
    raise TypeError(type(widget).__name__)


def multiline(*, name: str, placeholder: str = "", lines: int = 3) -> QPlainTextEdit:
    """A text box for a few lines of free text; Tab moves on instead of typing a tab."""
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * lines + 14)  # longer text scrolls
    return edit


def hint(text: str, *, name: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    # Expanding: in a form row a wrapping label would otherwise stay narrow.
    label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
    if name:
        label.setObjectName(name)
    return label


def group_box(name: str) -> QFrame:
    """A frame for a group of inputs (checkboxes) that is one field of the form."""
    frame = QFrame()
    frame.setObjectName(name)
    frame.setProperty("group", True)
    frame.setFrameShape(QFrame.Shape.NoFrame)
    column = QVBoxLayout(frame)
    column.setContentsMargins(4, 4, 4, 4)
    column.setSpacing(4)
    return frame


class _Form(FieldForm):
    """FieldForm whose red border on a group stays on the group, not on every checkbox in it."""

    def show_error(self, name: str | None, message: str) -> bool:
        shown = super().show_error(name, message)
        widget = self.inputs.get(name or "")
        if shown and widget is not None and widget.property("group"):
            widget.setStyleSheet(f"QFrame#{widget.objectName()} {{ {INVALID_STYLE} }}")
        return shown


class FormDialog(QDialog):
    """A titled form with an intro, the fields, an optional consequence warning and buttons."""

    ok_text: ClassVar[str] = "Spara"
    failed_title: ClassVar[str] = "Det gick inte att spara"
    # The style's own spacing, and every input as wide as the form (Kontakter's dialogs look
    # so); otherwise roomier rows where only expanding inputs take the whole width.
    compact: ClassVar[bool] = False
    # A long form (e.g. the consent for a child) scrolls between the intro and the buttons, so
    # the dialog fits a laptop's screen and its buttons stay in sight (`fit_to_screen`).
    scrolls: ClassVar[bool] = False

    def __init__(self, *, title: str, intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.result_value: Any = None
        self._touched: set[str] = set()
        self._refused: dict[str, str] = {}  # a date the field refused, said at the field
        self.form = _Form()
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if not self.compact:
            self.form.setFieldGrowthPolicy(self.form.FieldGrowthPolicy.ExpandingFieldsGrow)
            self.form.setHorizontalSpacing(14)
            self.form.setVerticalSpacing(8)

        self.intro = QLabel(intro)
        self.intro.setObjectName("intro")
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))

        self.warning = QLabel()
        self.warning.setObjectName("consequence")
        self.warning.setWordWrap(True)
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.hide()

        self.buttons = QDialogButtonBox()
        self.ok_button = self.buttons.addButton(self.ok_text,
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setObjectName("ok")
        self._saving = False
        self.ok_button.setDefault(True)
        self.cancel_button = self.buttons.addButton("Avbryt",
                                                    QDialogButtonBox.ButtonRole.RejectRole)
        self.cancel_button.setObjectName("cancel")
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        # Enter makes a new line in a text box; Ctrl+Enter saves from anywhere in the form.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.accept)
        self.ok_button.setToolTip("Spara (Ctrl+Enter)")
        self.lay_out()

    def lay_out(self) -> None:
        """Place the parts: the intro, the form, room below it (`self.extra`), the warning and
        the buttons. A dialog of another shape (e.g. pages to choose between) overrides it and
        builds its own parts here, around the same intro, form and buttons."""
        layout = QVBoxLayout(self)
        if not self.compact:
            layout.setSpacing(12)
        layout.addWidget(self.intro)
        self.extra = QVBoxLayout()  # room below the form (e.g. a list of checkboxes)
        if self.scrolls:
            self.body = QWidget()
            self.body.setObjectName("form_body")
            column = QVBoxLayout(self.body)
            column.setContentsMargins(0, 0, 4, 0)
            column.setSpacing(layout.spacing())
            column.addLayout(self.form)
            column.addLayout(self.extra)
            column.addStretch(1)
            self.form_scroll = QScrollArea()
            self.form_scroll.setObjectName("form_scroll")
            self.form_scroll.setWidgetResizable(True)
            self.form_scroll.setFrameShape(QFrame.Shape.NoFrame)
            self.form_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
            self.form_scroll.setWidget(self.body)
            self.form_scroll.setMinimumHeight(320)  # shrunk, still a good part of the form in sight
            layout.addWidget(self.form_scroll, 1)
        else:
            layout.addLayout(self.form)
            layout.addLayout(self.extra)
        layout.addWidget(self.warning)
        if not self.scrolls:  # a scrolling form takes the room itself
            layout.addStretch(1)
        layout.addWidget(self.buttons)

    def fit_to_screen(self, width: int) -> None:
        """A scrolling form's size: `width` wide (never narrower than the form needs) and as high
        as the form wants, but no higher than the screen's free height."""
        assert self.scrolls
        bar = self.form_scroll.verticalScrollBar().sizeHint().width()
        self.form_scroll.setMinimumWidth(self.body.minimumSizeHint().width() + bar)
        screen = self.screen().availableGeometry().height()
        chrome = self.sizeHint().height() - self.form_scroll.sizeHint().height()
        wanted = chrome + self.body.sizeHint().height() + 2
        self.resize(max(width, self.minimumSizeHint().width()),
                    min(wanted, max(screen - 40, self.minimumSizeHint().height())))

    # ---- to fill in by subclasses --------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What is wrong with the input now, by field name (empty: all fine)."""
        return {}

    def saving(self) -> Callable[[], Any]:
        """Read the inputs now and return the core call that saves them (run in the background;
        it raises the core's ValidationError for a bad field)."""
        raise NotImplementedError

    def on_saved(self, result: Any) -> None:
        """After a save, on the UI thread, before the dialog closes."""

    # ---- running --------------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, *args: Any, **kwargs: Any) -> Any:
        """Show the dialog; what was saved, or None when the user cancelled."""
        dialog = cls(*args, parent=parent, **kwargs)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.result_value
            return None
        finally:
            dialog.deleteLater()

    @classmethod
    def ask_when_read(cls, parent: QWidget, read: Callable[[], Any], *args: Any,
                      then: Callable[[Any], object], read_title: str = READ_FAILED,
                      **kwargs: Any) -> None:
        """Read what the dialog shows through the operation runner (a core read model), then
        `ask(parent, *args, data, **kwargs)` with it: the dialog opens filled in. `then(saved)`
        runs when something was saved."""
        def read_done(data: Any) -> None:
            saved = cls.ask(parent, *args, data, **kwargs)
            if saved is not None:
                then(saved)

        Operation(parent, read, title=read_title).success(read_done).run()

    # ---- validation -----------------------------------------------------------------------

    def watch(self, name: str, widget: QWidget) -> None:
        """Validate again whenever `widget` changes; its messages show once it was touched."""
        if isinstance(widget, DateEdit):
            widget.dateChanged.connect(lambda _d: self._date_changed(name))
            widget.refused.connect(lambda day: self._date_refused(name, widget, day))
        elif isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(lambda: self._edited(name))
            widget.installEventFilter(self)  # Ctrl+Enter saves, also from inside the text
        elif isinstance(widget, QLineEdit):
            widget.textEdited.connect(lambda _t: self._edited(name))
            widget.editingFinished.connect(lambda: self._edited(name))
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(lambda _i: self._edited(name))
            widget.editTextChanged.connect(lambda _t: self._edited(name))
        elif isinstance(widget, QCheckBox | QAbstractButton):
            widget.toggled.connect(lambda _c: self._edited(name))

    def refused_message(self, name: str, widget: DateEdit, day: dt.date) -> str:
        """What to say when the user tries a date the field does not allow."""
        if day > from_qdate(widget.maximumDate()):
            if from_qdate(widget.maximumDate()) == clock.today():
                return "Datumet kan inte ligga i framtiden."
            return f"Välj ett datum till och med {from_qdate(widget.maximumDate()):%Y-%m-%d}."
        return f"Välj ett datum från och med {from_qdate(widget.minimumDate()):%Y-%m-%d}."

    def _date_refused(self, name: str, widget: DateEdit, day: QDate) -> None:
        self._refused[name] = self.refused_message(name, widget, from_qdate(day))
        self._touched.add(name)
        self.revalidate()

    def _date_changed(self, name: str) -> None:
        self._refused.pop(name, None)
        self._edited(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress
                and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.accept()
            return True
        return super().eventFilter(watched, event)

    def touch(self, name: str) -> None:
        self._touched.add(name)

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self.revalidate()

    def revalidate(self) -> dict[str, str]:
        """Show the current problems of the touched fields; returns all problems."""
        problems = self.problems()
        for name in self.form.errors:
            shown = problems.get(name) or self._refused.get(name)
            if shown and name in self._touched:
                if self.form.error_text(name) != shown:
                    self.form.show_error(name, shown)
            else:
                self.form.clear_error(name)
        self.on_revalidated(problems)
        self.fit_height()
        return problems

    def fit_height(self) -> None:
        """Grow the window when messages appear, so no message is drawn over its field or cut
        at the bottom. A form of wrapping labels has a height that depends on its width, and
        Qt does not make a window that tall by itself. (A compact dialog grows as Qt grows it,
        to its minimum size: the style's tight rows leave no message drawn over its field.)"""
        layout = self.layout()
        if layout is None or self.compact:
            return
        layout.activate()
        width = self.width()
        needed = (layout.totalHeightForWidth(width) if layout.hasHeightForWidth()
                  else layout.totalSizeHint().height())
        needed = max(needed, layout.totalMinimumSize().height())
        if needed > self.height():
            self.resize(width, needed)

    def on_revalidated(self, problems: dict[str, str]) -> None:
        """A hook for dialogs that show more than field messages (e.g. the warning)."""

    def accept(self) -> None:
        self._touched.update(self.form.errors)
        problems = self.revalidate()
        if problems:
            self._focus(next(iter(problems)))
            return
        if self._saving:
            return  # a save is already under way
        work = self.saving()
        self._saving = True
        self.ok_button.setEnabled(False)

        def done() -> None:
            self._saving = False
            self.ok_button.setEnabled(True)

        Operation(self, work, title=self.failed_title).fields(self.show_at_field).success(
            self._saved).failure(self.save_failed).finally_(done).run()

    def show_at_field(self, name: str, message: str) -> bool:
        """The core refused `name`: say so at the field (False: no such field, a box says it)."""
        if name not in self.form.errors:
            return False
        self.form.show_error(name, message)
        self.fit_height()  # the core's message is new too: room for all of it
        self._focus(name)
        return True

    def save_failed(self, problem: Exception) -> None:
        """The save did not happen: say why, the one way (a subclass may do more after it).
        Someone else's save of the same field opens the conflict dialog instead, when the
        form can save a choice against their version (`rebase_on`)."""
        if (isinstance(problem, ConflictError) and problem.conflicts
                and self.resolves_conflicts()):
            ConflictDialog.ask(self, problem.conflicts, what=problem.what,
                               saved_by=problem.saved_by, saved_at=problem.saved_at,
                               display=self.conflict_display,
                               chosen=lambda values: self._conflict_chosen(problem, values))
            return
        if isinstance(problem, StorageError):
            log.error("saving failed: %s", type(problem).__name__)
        report_failure(self, problem, self.failed_title, self.show_at_field)

    # ---- someone else saved the same field ---------------------------------------------------

    def resolves_conflicts(self) -> bool:
        """Whether this form saves a conflict's choice against the other's version."""
        return False

    def rebase_on(self, conflicts: list[FieldConflict]) -> None:
        """Compare the next save with the other person's values of these fields."""

    def conflict_display(self, field: str, value: Any) -> str:
        """A value as the conflict dialog shows it (ids named by a subclass)."""
        return shown(value)

    def set_conflict_value(self, field: str, value: Any) -> None:
        """Show a chosen value in the form's input of that name."""
        widget = self.form.inputs.get(field)
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText("" if value is None else str(value))
        elif isinstance(widget, QLineEdit):
            widget.setText("" if value is None else str(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            if index >= 0:
                widget.setCurrentIndex(index)
            elif widget.isEditable():
                widget.setEditText("" if value is None else str(value))
        elif isinstance(widget, DateEdit) and isinstance(value, dt.date):
            widget.set_value(value)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))

    def _conflict_chosen(self, problem: ConflictError, values: dict[str, Any]) -> None:
        """The user chose: shown in the form and saved against the other's version."""
        self.rebase_on(problem.conflicts)
        for name, value in values.items():
            self.set_conflict_value(name, value)
        self.accept()

    def _saved(self, result: Any) -> None:
        self.result_value = result
        self.on_saved(result)
        super().accept()

    def _focus(self, name: str) -> None:
        widget = self.form.inputs.get(name)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def _row_of(self, name: str) -> QWidget:
        box = self.form.inputs[name].parentWidget()  # FieldForm's input-and-message box
        assert box is not None
        return box

    def set_field_visible(self, name: str, visible: bool) -> None:
        self.form.setRowVisible(self._row_of(name), visible)

    def set_field_label(self, name: str, text: str) -> None:
        label = self.form.labelForField(self._row_of(name))
        if isinstance(label, QLabel):
            label.setText(text)

    def show_warning(self, text: str) -> None:
        self.warning.setText(text)
        self.warning.setVisible(bool(text))


class CaseFormDialog(FormDialog):
    """A form about one case, filled in on a day: `self.session`, `self.case` and `self.today`
    (today unless the caller says otherwise) for the subclass."""

    def __init__(self, session: Session, case: Case, *, today: dt.date | None = None,
                 title: str, intro: str = "", parent: QWidget | None = None) -> None:
        self.session = session
        self.case = case
        self.today = today or clock.today()
        super().__init__(title=title, intro=intro, parent=parent)


def wide_combo(name: str) -> QComboBox:
    """A combo box that takes the width of the form (its message below gets room to wrap)."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    return combo


def user_combo(*, name: str, users: list[User], selected: User) -> QComboBox:
    """`users` (the active users, each with its unit: `auth.active_users_with_unit`, read by
    whoever opens the dialog) by name and unit, `selected` chosen; data is the user."""
    combo = wide_combo(name)
    for user in users:
        combo.addItem(f"{user.full_name} ({user.unit.name})", user)
    index = next((i for i in range(combo.count()) if combo.itemData(i).id == selected.id), -1)
    if index < 0:  # e.g. an inactive user recorded earlier
        combo.insertItem(0, selected.full_name, selected)
        index = 0
    combo.setCurrentIndex(index)
    return combo
