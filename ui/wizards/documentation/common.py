"""The documentation wizard's shared parts: styles, dates and deadlines, the page base class."""

from __future__ import annotations

import datetime as dt
import logging
from typing import TYPE_CHECKING, Any, ClassVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from sipdesk.plans import plan
from sipdesk.plans.plan import PlanVersion
from sipdesk.plans.plan_documentation import DocumentationView

from ...dialogs.plan_widgets import OptionalDateEdit, PlainLanguageLabel
from ...fields import limited
from ..documentation_parts import (
    heading,
    help_label,
)
from ..documentation_saving import (
    ConflictBox,
    error_label,
)

if TYPE_CHECKING:
    from .wizard import DocumentationWizard


log = logging.getLogger("sipdesk.ui.documentation")

DEADLINE_STYLE = "color: #1d3d63;"
OVERDUE_STYLE = ("QLabel { color: #ffffff; background: #b00020; border-radius: 4px;"
                 " padding: 2px 8px; font-weight: bold; }")
WARNING_BOX_STYLE = ("QLabel { color: #5c3b00; background: #fff4d6; border: 1px solid #e8c66a;"
                     " border-radius: 4px; padding: 6px 8px; }")
ERROR_BOX_STYLE = ("QLabel { color: #7a0014; background: #fdecea; border: 1px solid #e0a3a0;"
                   " border-radius: 4px; padding: 6px 8px; }")
GOOD_BOX_STYLE = ("QLabel { color: #1e5b30; background: #e8f5ec; border: 1px solid #9fd0ad;"
                  " border-radius: 4px; padding: 6px 8px; }")

# Where each plain-language hint's text is, in words the user knows.
HINT_PLACES = plan.TEXT_PLACES
TREATMENT_CHOICES = (("Ja", True), ("Nej", False), ("Inte aktuellt", None))




def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)


def deadline_text(version: PlanVersion, *, today: dt.date,
                  overdue: bool | None = None) -> tuple[str, bool]:
    """What the banner says about the two working days, and whether it is overdue (`overdue`
    as read with the version — give it on the UI thread — or read now)."""
    if version.locked:
        return (f"Planen är godkänd av alla och låst ({version.locked_at:%Y-%m-%d}).", False)
    if overdue if overdue is not None else plan.is_overdue(version, today=today):
        return (f"Försenad: dokumentationen skulle ha varit klar {version.deadline:%Y-%m-%d}.",
                True)
    return (f"Dokumentationen ska vara klar senast {version.deadline:%Y-%m-%d} "
            "(två arbetsdagar efter mötet).", False)


# ---- the page shape ----------------------------------------------------------------------------

class DocumentationPage(QWizardPage):
    """A page: the help text, the deadline and save status, then the page's own content in a
    scroll area — built by `build` from the plan as first read, and shown again by
    `show_data` each time the plan is read."""

    title_text: ClassVar[str] = ""
    help_text: ClassVar[str] = ""

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__()
        self.doc = wizard
        self.setTitle(self.title_text)
        self.deadline = QLabel()
        self.deadline.setObjectName("deadline")
        self.save_status = QLabel()
        self.save_status.setObjectName("save_status")
        self.save_status.setStyleSheet("color: palette(placeholder-text);")
        top = QHBoxLayout()
        top.addWidget(self.deadline)
        top.addStretch(1)
        top.addWidget(self.save_status)
        self.help = help_label(self.help_text)
        self.body = QWidget()
        self.content = QVBoxLayout(self.body)
        self.content.setContentsMargins(0, 0, 8, 0)
        self.content.setSpacing(6)
        self._room_below = False
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.help)
        layout.addWidget(scroll, 1)

    # ---- fields saved as the user types -------------------------------------------------------

    def add_field(self, name: str, label: str, widget: QWidget, *, hint: str = "",
              plain_check: bool = False) -> QWidget:
        """A labelled input with room below it for a plain-language warning, an error and a
        conflict; registered with the wizard's saver when `name` is a plan field."""
        title = heading(label)
        title.setBuddy(widget)
        if not widget.accessibleName():
            widget.setAccessibleName(label.rstrip(" *"))
        if self.content.count() and not self._room_below:
            self.content.addSpacing(6)
        self.content.addWidget(title)
        if hint:
            note = QLabel(hint)
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            self.content.addWidget(note)
        self.content.addWidget(widget)
        if plain_check:
            warning = PlainLanguageLabel(name)
            self.content.addWidget(warning.slot())  # its room is kept: nothing below jumps
            if isinstance(widget, QPlainTextEdit):
                widget.textChanged.connect(lambda: warning.check(widget.toPlainText()))
            elif isinstance(widget, QLineEdit):
                widget.textChanged.connect(warning.check)
            self.doc.plain_labels[name] = warning
        self._room_below = plain_check  # the warning's room parts this field from the next
        error = error_label(name)
        conflict = ConflictBox(name)
        self.content.addWidget(error)
        self.content.addWidget(conflict)
        self.doc.field_parts[name] = (error, conflict)
        self.doc.field_labels[name] = label.rstrip(" *")
        return widget

    def bind_text(self, name: str, widget: QPlainTextEdit | QLineEdit) -> None:
        if isinstance(widget, QPlainTextEdit):
            def write_plain(value: Any) -> None:
                widget.setPlainText(value or "")
            self.doc.bind(name, widget, read=widget.toPlainText, write=write_plain)
            widget.textChanged.connect(lambda: self.doc.saver.changed(name))
        else:
            def write_line(value: Any) -> None:
                widget.setText(value or "")
            self.doc.bind(name, widget, read=widget.text, write=write_line)
            widget.textEdited.connect(lambda _t: self.doc.saver.changed(name))

    # ---- showing -----------------------------------------------------------------------------

    def show_deadline(self, text: str, overdue: bool) -> None:
        self.deadline.setText(text)
        self.deadline.setStyleSheet(OVERDUE_STYLE if overdue else DEADLINE_STYLE)
        self.deadline.setProperty("overdue", overdue)

    def build(self, view: DocumentationView) -> None:
        """The page's fields, once the plan is read (until then the page has only its help)."""

    def initializePage(self) -> None:
        if self.doc.view is not None:
            self.show_data(self.doc.view)

    def show_data(self, view: DocumentationView) -> None:
        """Show the plan as last read (lists and checks); no query."""

    def set_read_only(self, read_only: bool) -> None:
        for edit in self.body.findChildren(QPlainTextEdit) + self.body.findChildren(QLineEdit):
            edit.setReadOnly(read_only)
        for widget in (self.body.findChildren(QComboBox) + self.body.findChildren(QRadioButton)
                       + self.body.findChildren(OptionalDateEdit)):
            widget.setEnabled(not read_only)

    def validatePage(self) -> bool:
        """"Nästa >" (also Return in a one-line field) saves, then moves on only when the
        page's required fields hold by the core's rule (`plan.required_field_problems`, read
        from the fields as they stand, saved or not); each message is shown at its field and
        the cursor goes to the first. Nothing typed is touched."""
        self.doc.saver.flush()
        if self.doc.read_only:
            return True
        problems = self.required_problems()
        for name, message in problems.items():
            self.doc.show_field_error(name, message)
        if problems:
            first = self.doc.saver.bindings.get(next(iter(problems)))
            if first is not None:
                first.widget.setFocus(Qt.FocusReason.OtherFocusReason)
            return False
        return True

    required: ClassVar[tuple[str, ...]] = ()  # the page's fields in plan.REQUIRED_FIELDS

    def required_problems(self) -> dict[str, str]:
        """The page's required fields that do not hold, with what to do."""
        if not self.required:
            return {}
        view = self.doc.view
        if view is None:
            return {}
        bindings = self.doc.saver.bindings
        values = {name: bindings[name].read() for name in self.required if name in bindings}
        found = plan.required_field_problems(view.version, values, has_parts=bool(view.parts))
        return {name: found[name] for name in self.required if name in found}


def text_box(name: str, *, lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    height = edit.fontMetrics().lineSpacing() * lines + 14
    edit.setFixedHeight(height)  # the page scrolls; long texts scroll inside the box
    return edit


def line_edit(name: str, *, placeholder: str = "") -> QLineEdit:
    edit = limited(QLineEdit(), getattr(PlanVersion, name))
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    return edit
