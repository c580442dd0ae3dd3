"""Continuous saving for the dokumentationsstöd: every change is saved a moment after the user
stops typing, field by field, with the value they started from (`plan.update_fields`'s
compare-and-set). Several users can write in the same plan version at once; when someone else
changed the same field in between, a `ConflictBox` appears at the field with both texts and
"Behåll min" / "Ta deras" — nothing typed is lost, and the field is not saved again until the
user has chosen.

The saving runs on the UI thread on purpose: each save is one small compare-and-set update
(a few milliseconds) and must be done, in order, before the wizard closes or the page changes;
a background save could let a later keystroke overtake an earlier one.

`FieldSaver.bind(...)` registers one field: how to read and show the widget's value, how to read
the stored value from a `PlanVersion`, and how to save (shared fields through
`plan.update_fields`; the sub-goals and the actions by others through their own use cases, with
the same "has someone changed it since I read it" check first).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sipdesk import clock, plan
from sipdesk.db import storage_errors
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.models import User
from sipdesk.plan import FieldConflict, PlanVersion

from ..fields import ERROR_STYLE, INVALID_STYLE

log = logging.getLogger("sipdesk.ui.documentation")

SAVE_DELAY_MS = 700
CONFLICT_STYLE = ("QFrame#conflict_box { background: #fdecea; border: 1px solid #e0a3a0;"
                  " border-radius: 4px; }")

Saver = Callable[[User, PlanVersion, Any, Any], FieldConflict | None]


def save_shared(name: str) -> Saver:
    """Save a shared plan field with compare-and-set; the conflict, if any."""
    def save(actor: User, version: PlanVersion, old: Any, new: Any) -> FieldConflict | None:
        conflicts = plan.update_fields(actor, version, {name: (old, new)})
        return conflicts[0] if conflicts else None
    return save


def stored_shared(name: str) -> Callable[[PlanVersion], Any]:
    column = "overall_principal_id" if name == "overall_principal" else name
    return lambda version: getattr(version, column)


def plain(value: Any) -> str:
    """A stored value as the user reads it in a conflict."""
    if value is None or value == "":
        return "(tomt)"
    if isinstance(value, bool):
        return "Ja" if value else "Nej"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "; ".join(plain(v) for v in value) if value else "(tomt)"
    return str(value)


class ConflictBox(QFrame):
    """At a field: someone else changed it — their text, mine, and the choice."""

    keep_mine = Signal()
    take_theirs = Signal()

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_box")
        self.setProperty("field", name)
        self.setStyleSheet(CONFLICT_STYLE)
        self.text = QLabel()
        self.text.setObjectName(f"conflict_{name}")
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.mine_button = QPushButton("Behåll min")
        self.mine_button.setObjectName(f"keep_mine_{name}")
        self.mine_button.setToolTip("Spara din text i stället för deras")
        self.mine_button.setAutoDefault(False)
        self.theirs_button = QPushButton("Ta deras")
        self.theirs_button.setObjectName(f"take_theirs_{name}")
        self.theirs_button.setToolTip("Visa och behåll det den andra skrev")
        self.theirs_button.setAutoDefault(False)
        self.mine_button.clicked.connect(self.keep_mine)
        self.theirs_button.clicked.connect(self.take_theirs)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.theirs_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def show_conflict(self, theirs: str, mine: str) -> None:
        self.text.setText(f"Någon annan har ändrat det här: {theirs}\nDin text: {mine}")
        self.show()


def error_label(name: str) -> QLabel:
    label = QLabel()
    label.setObjectName(f"error_{name}")
    label.setWordWrap(True)
    label.setStyleSheet(ERROR_STYLE)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.hide()
    return label


@dataclass
class Binding:
    """One saved field of the plan and the widgets that show it."""

    name: str
    read: Callable[[], Any]  # the widget's value now
    write: Callable[[Any], None]  # show a value in the widget
    stored: Callable[[PlanVersion], Any]  # the value in the database
    save: Saver
    conflict: ConflictBox
    error: QLabel
    widget: QWidget
    display: Callable[[Any], str] = plain


class FieldSaver(QObject):
    """Saves the bound fields of one plan version a moment after each change."""

    saved = Signal(str)  # a field was stored
    conflicted = Signal(str)  # a field clashed with someone else's change
    status_changed = Signal(str)  # "Sparat 14:03", "Inte sparat …"
    stopped = Signal(str)  # saving is no longer possible (locked, closed case): the reason

    def __init__(self, actor: User, plan_id: int, *, delay_ms: int = SAVE_DELAY_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.actor = actor
        self.plan_id = plan_id
        self.bindings: dict[str, Binding] = {}
        self.base: dict[str, Any] = {}  # what the user started from (the stored value)
        self.dirty: set[str] = set()
        self.conflicts: dict[str, FieldConflict] = {}
        self.refused: set[str] = set()  # refused by a rule: not saved until changed
        self.read_only = False
        self._writing = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush)

    # ---- binding ---------------------------------------------------------------------------

    def bind(self, binding: Binding, version: PlanVersion) -> None:
        self.bindings[binding.name] = binding
        value = binding.stored(version)
        self.base[binding.name] = value
        self._show(binding, value)
        binding.conflict.keep_mine.connect(lambda: self.keep_mine(binding.name))
        binding.conflict.take_theirs.connect(lambda: self.take_theirs(binding.name))

    def changed(self, name: str) -> None:
        """Connect the widget's change signal here: saved after the delay."""
        if self._writing or self.read_only:
            return
        self.dirty.add(name)
        self.refused.discard(name)
        binding = self.bindings[name]
        if not binding.error.isHidden():  # the user is fixing it; said again if still wrong
            self._clear_error(binding)
        self.timer.start()

    def _show(self, binding: Binding, value: Any) -> None:
        self._writing = True
        try:
            binding.write(value)
        finally:
            self._writing = False

    # ---- saving ----------------------------------------------------------------------------

    def flush(self) -> bool:
        """Save every changed field now; False when something could not be saved."""
        self.timer.stop()
        if self.read_only or not self.dirty:
            return not self.dirty
        ok = True
        for name in sorted(self.dirty):
            if name in self.conflicts:
                continue
            ok = self._save(self.bindings[name]) and ok
            if self.read_only:
                break
        return ok

    def _save(self, binding: Binding) -> bool:
        name = binding.name
        new = binding.read()
        old = self.base[name]
        if new == old:
            self.dirty.discard(name)
            return True
        try:
            with storage_errors():
                version = plan.get_version(self.plan_id)
                conflict = binding.save(self.actor, version, old, new)
        except StorageError as exc:
            log.error("saving a plan field failed: %s", type(exc).__name__)
            self.status_changed.emit("Inte sparat: ingen kontakt med databasen. Det du skrivit "
                                     "finns kvar och sparas vid nästa ändring.")
            return False
        except ValidationError as problem:
            self.dirty.discard(name)  # said at the field; saved again when the user changes it
            self.refused.add(name)
            self._set_error(binding, problem.message)
            self.status_changed.emit("Inte sparat: se meddelandet vid fältet.")
            return False
        except (PermissionDenied, NotFoundError) as problem:
            self.read_only = True
            self.stopped.emit(problem.message)
            self.status_changed.emit("Inte sparat: planen kan inte ändras längre. Det du "
                                     "skrivit finns kvar i fönstret.")
            return False
        except SipError as problem:
            self.dirty.discard(name)
            self.refused.add(name)
            self._set_error(binding, problem.message)
            return False
        self.dirty.discard(name)
        if conflict is not None:
            self.conflicts[name] = conflict
            binding.conflict.show_conflict(binding.display(conflict.theirs),
                                           binding.display(conflict.mine))
            self.conflicted.emit(name)
            self.status_changed.emit("Någon annan har ändrat samma sak — välj vid fältet.")
            return False
        self.base[name] = new
        self.saved.emit(name)
        self.status_changed.emit(f"Sparat {clock.now():%H:%M}")
        return True

    def _set_error(self, binding: Binding, message: str) -> None:
        binding.error.setText(message)
        binding.error.show()
        binding.widget.setStyleSheet(INVALID_STYLE)

    def _clear_error(self, binding: Binding) -> None:
        binding.error.hide()
        binding.error.clear()
        binding.widget.setStyleSheet("")

    # ---- conflicts -------------------------------------------------------------------------

    def keep_mine(self, name: str) -> None:
        """Save my text over theirs (if they changed it yet again, the box shows that)."""
        conflict = self.conflicts.pop(name, None)
        if conflict is None:
            return
        binding = self.bindings[name]
        binding.conflict.hide()
        self.base[name] = conflict.theirs
        self.dirty.add(name)
        self._save(binding)

    def take_theirs(self, name: str) -> None:
        """Show their text in the field; mine is dropped only now, by the user's choice."""
        conflict = self.conflicts.pop(name, None)
        if conflict is None:
            return
        binding = self.bindings[name]
        binding.conflict.hide()
        self.base[name] = conflict.theirs
        self.dirty.discard(name)
        self._show(binding, conflict.theirs)
        self.status_changed.emit("Du tog den andras text.")

    # ---- reading others' changes -----------------------------------------------------------

    def reload(self, version: PlanVersion) -> None:
        """Show what others saved in fields this user is not editing right now."""
        for name, binding in self.bindings.items():
            if name in self.dirty or name in self.conflicts:
                continue
            value = binding.stored(version)
            if value != self.base[name]:
                self.base[name] = value
                self._show(binding, value)

    @property
    def pending(self) -> bool:
        return bool(self.dirty)
