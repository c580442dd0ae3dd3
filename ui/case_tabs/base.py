"""What every case tab shares: the case as last read (`CaseContext`), the tab's shape
(`CaseTab`), and small builders for read-only values.

A tab is built once with the context and shown again with a fresh context after any change
(`refresh`); it reads its own part of the case through the operation runner when it is shown.
When a tab saves something through the core it emits `changed`; the case view then reads the
case again and refreshes every tab — so each tab always shows what the core says.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QFrame,
    QGridLayout,
    QGroupBox,
    QLabel,
    QScrollArea,
    QWidget,
)

from sipdesk.accounts import access
from sipdesk.casework import lifecycle
from sipdesk.storage.models import Case, CaseStatus, Person, PersonContact, User

from ..operations import Operation
from ..session import Session

NOT_GIVEN = "Ej angivet"
READ_ONLY = lifecycle.READ_ONLY
OTHER_UNIT = access.READ_ONLY_HERE
WARN_STYLE = "color: #8a4b00; background: #fff4e5; border-radius: 4px; padding: 1px 6px;"


@dataclass(frozen=True)
class CaseContext:
    """The case as the core returned it a moment ago, and who is looking at it."""

    session: Session
    case: Case
    contacts: list[PersonContact]
    today: dt.date
    may_change: bool = True  # False: another unit of the principal, which only reads the case

    @property
    def user(self) -> User:
        return self.session.user

    @property
    def person(self) -> Person:
        return self.case.person

    @property
    def status(self) -> CaseStatus:
        return CaseStatus(self.case.status)

    @property
    def read_only(self) -> bool:
        """A closed, declined or refused case, or a case of another unit (access.can_change):
        fully readable, nothing can be changed."""
        return not self.status.is_open or not self.may_change

    @property
    def read_only_reason(self) -> str:
        """Why nothing can be changed (a button's tooltip), or "" when it can."""
        if not self.status.is_open:
            return READ_ONLY
        return OTHER_UNIT if not self.may_change else ""


class CaseTab(QWidget):
    """One tab of the case view. Subclasses set `title`, read their part of the case in `load`
    (run by the operation runner, off the UI thread: plain values in, a read model out, no
    widget touched) and show it in `show_data` (on the UI thread, no database).

    A tab reads when it is first shown, and again after a change while it is shown or when it
    is next shown — so opening a case reads only the tab on screen. An answer that arrives after
    a newer read was asked for is dropped."""

    title: ClassVar[str] = ""
    changed = Signal()  # the tab saved something: read the case again
    shown_data = Signal()  # the latest read is on screen (tests and the case view wait on it)

    def __init__(self, context: CaseContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        self._stale = True
        self._reading = 0

    def refresh(self, context: CaseContext) -> None:
        """Show `context` (the case read again after a change): read now when on screen."""
        self.context = context
        self._stale = True
        if self.isVisible():
            self._read()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._stale:
            self._read()

    def _read(self) -> None:
        self._stale = False
        self._reading += 1
        reading, context, load = self._reading, self.context, self.load

        def loaded(data: object) -> None:
            if reading == self._reading:
                self.show_data(data)
                self.shown_data.emit()

        Operation(self, lambda: load(context),
                  title=f"Fliken {self.title} kunde inte läsas").success(loaded).run()

    def load(self, context: CaseContext) -> object:
        """Read what the tab shows (in a worker thread)."""
        raise NotImplementedError

    def show_data(self, data: object) -> None:
        """Show what `load` returned (on the UI thread)."""
        raise NotImplementedError


def format_date(value: dt.date | dt.datetime | None) -> str:
    """Swedish dates and times: 2026-03-14, 2026-03-14 09:30."""
    if value is None:
        return NOT_GIVEN
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def value_label(text: str, *, name: str, wrap: bool = False) -> QLabel:
    """A read-only value the user can select and copy (plain text: user text is never markup).
    Wrap only outside QFormLayout (see `Details`)."""
    label = QLabel(text)
    label.setObjectName(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setTextFormat(Qt.TextFormat.PlainText)
    if wrap:
        label.setWordWrap(True)
    return label


class Details:
    """Caption and value rows in a group box. A grid, not a QFormLayout: a wrapping label in a
    form row is given one line's height and loses the rest of its text; a grid gives it room."""

    def __init__(self, group: QGroupBox) -> None:
        self.grid = QGridLayout(group)
        self.grid.setHorizontalSpacing(16)
        self.grid.setVerticalSpacing(8)
        self.grid.setColumnStretch(1, 1)
        self._rows = 0

    def add(self, caption: str, value: QWidget) -> QWidget:
        label = QLabel(caption)
        self.grid.addWidget(label, self._rows, 0, Qt.AlignmentFlag.AlignTop)
        self.grid.addWidget(value, self._rows, 1)
        self._rows += 1
        return value

    def text(self, caption: str, text: str, *, name: str, wrap: bool = True) -> QLabel:
        label = value_label(text, name=name, wrap=wrap)
        self.add(caption, label)
        return label

    def span(self, widget: QWidget) -> QWidget:
        self.grid.addWidget(widget, self._rows, 0, 1, 2)
        self._rows += 1
        return widget


def scrolling(page: QWidget) -> QScrollArea:
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.viewport().setAutoFillBackground(False)
    set_page(scroll, page)
    return scroll


def set_page(scroll: QScrollArea, page: QWidget) -> None:
    """Show `page` in `scroll` on the tab's own background (QScrollArea paints its own)."""
    scroll.setWidget(page)
    page.setAutoFillBackground(False)


def lock_if_read_only(button: QAbstractButton, context: CaseContext) -> None:
    """A closed case, or another unit's: the button is disabled and says why."""
    if context.read_only:
        button.setEnabled(False)
        button.setToolTip(context.read_only_reason)


def child_paper_text(context: CaseContext, *, what: str) -> str:
    """For a child (seed 002): who gets `what` (letters, copies of the plan) and who gets none
    and why — read from the case as last read, without the database. Empty for an adult."""
    from sipdesk.casework import guardians
    from sipdesk.storage.models import ContactKind

    registered = [c for c in context.contacts if c.kind == ContactKind.GUARDIAN.value]
    paper = guardians.paper_for(context.person, on=context.today, guardians=registered)
    if not paper.child:
        return ""
    return f"{what} för ett barn: " + " ".join(paper.notes())
