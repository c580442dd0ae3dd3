"""Continuous saving for the dokumentationsstöd: every change is saved a moment after the user
stops typing, field by field, with the value they started from (compare-and-set,
`plan_documentation.save_field`). Several users can write in the same plan version at once;
when someone else changed the same field in between, a `ConflictBox` appears at the field with
both texts and "Behåll min" / "Ta deras" — nothing typed is lost, and the field is not saved
again until the user has chosen.

The saving runs in the operation runner, off the UI thread: the changed fields go in one batch,
and one batch at a time — a change made while a batch is on its way waits for it, so a later
keystroke never overtakes an earlier one. A batch that fails (no contact with the database)
leaves the text in the field and marks it changed again: the next save tries it again (a
moment after the next change, when the page changes or the wizard closes, or after a short
wait on its own). `when_idle(fn)` runs `fn` once nothing is on its way — the wizard reads the
plan again, and closes, only then.

`FieldSaver.bind(...)` registers one field: how to read and show the widget's value and how to
show a stored value in a conflict; `load(view)` shows what a `DocumentationView` holds, and
`reload(view, generation)` what others saved since, in fields this user is not editing.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from sipdesk import clock
from sipdesk.errors import NotFoundError, PermissionDenied, SipError, StorageError, ValidationError
from sipdesk.plans.plan import FieldConflict
from sipdesk.plans.plan_documentation import DocumentationView, save_field
from sipdesk.storage.db import storage_errors
from sipdesk.storage.models import User

from ..dialogs.conflict_dialog import ConflictDialog
from ..fields import ERROR_STYLE, INVALID_STYLE
from ..operations import Operation, report_failure

log = logging.getLogger("sipdesk.ui.documentation")

SAVE_DELAY_MS = 700
RETRY_MS = 5000  # a save that found no database is tried again after this, on its own
CONFLICT_STYLE = ("QFrame#conflict_box { background: #fdecea; border: 1px solid #e0a3a0;"
                  " border-radius: 4px; }")
NO_CONTACT = ("Inte sparat: ingen kontakt med databasen. Det du skrivit finns kvar och sparas "
              "vid nästa ändring.")


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
    merge_by_hand = Signal()

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
        self.merge_button = QPushButton("Slå ihop för hand…")
        self.merge_button.setObjectName(f"merge_by_hand_{name}")
        self.merge_button.setToolTip("Se båda texterna sida vid sida och skriv ihop dem")
        self.merge_button.setAutoDefault(False)
        self.mine_button.clicked.connect(self.keep_mine)
        self.theirs_button.clicked.connect(self.take_theirs)
        self.merge_button.clicked.connect(self.merge_by_hand)
        buttons = QHBoxLayout()
        buttons.addWidget(self.mine_button)
        buttons.addWidget(self.theirs_button)
        buttons.addWidget(self.merge_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(4)
        layout.addWidget(self.text)
        layout.addLayout(buttons)
        self.hide()

    def show_conflict(self, theirs: str, mine: str, *, text: bool = True) -> None:
        """`text`: a text field, which can be merged by hand (a list or a date cannot)."""
        self.text.setText(f"Någon annan har ändrat det här: {theirs}\nDin text: {mine}")
        self.merge_button.setVisible(text)
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
    conflict: ConflictBox
    error: QLabel
    widget: QWidget
    display: Callable[[Any], str] = plain


@dataclass(frozen=True)
class Outcome:
    """What became of one field of a batch (worked out off the UI thread)."""

    name: str
    new: Any
    conflict: FieldConflict | None = None
    refused: str = ""  # a rule refused the value: said at the field
    stopped: str = ""  # the plan can no longer be changed: the reason
    failed: bool = False  # not saved (no database, or the batch stopped): tried again


def save_batch(actor: User, plan_id: int, batch: list[tuple[str, Any, Any]]) -> list[Outcome]:
    """Save `(name, old, new)` in order (the work of one save, in the operation runner)."""
    outcomes: list[Outcome] = []
    for index, (name, old, new) in enumerate(batch):
        try:
            with storage_errors():
                conflict = save_field(actor, plan_id, name, old, new)
        except StorageError as exc:
            log.error("saving a plan field failed: %s", type(exc).__name__)
            return outcomes + [Outcome(n, v, failed=True) for n, _o, v in batch[index:]]
        except (PermissionDenied, NotFoundError) as problem:
            return outcomes + [Outcome(name, new, stopped=problem.message)] + [
                Outcome(n, v, failed=True) for n, _o, v in batch[index + 1:]]
        except (ValidationError, SipError) as problem:
            outcomes.append(Outcome(name, new, refused=problem.message))
        else:
            outcomes.append(Outcome(name, new, conflict=conflict))
    return outcomes


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
        self.dirty: set[str] = set()  # changed and not saved (yet, or for want of a database)
        self.in_flight: dict[str, Any] = {}  # on its way to the database: the value
        self.conflicts: dict[str, FieldConflict] = {}
        self.refused: set[str] = set()  # refused by a rule: not saved until changed
        self.read_only = True  # until the plan is read and shown
        self.generation = 0  # batches started; a field remembers the one that last saved it
        self._saved_in: dict[str, int] = {}
        self._busy = False
        self._again = False  # asked to save while a batch was on its way
        self._waiting: list[Callable[[], None]] = []
        self._writing = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(delay_ms)
        self.timer.timeout.connect(self.flush)
        self.retry = QTimer(self)
        self.retry.setSingleShot(True)
        self.retry.setInterval(RETRY_MS)
        self.retry.timeout.connect(self.flush)

    # ---- binding ---------------------------------------------------------------------------

    def bind(self, binding: Binding, view: DocumentationView) -> None:
        self.bindings[binding.name] = binding
        value = view.stored(binding.name)
        self.base[binding.name] = value
        self._show(binding, value)
        binding.conflict.keep_mine.connect(lambda: self.keep_mine(binding.name))
        binding.conflict.take_theirs.connect(lambda: self.take_theirs(binding.name))
        binding.conflict.merge_by_hand.connect(lambda: self.merge_by_hand(binding.name))

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

    @property
    def busy(self) -> bool:
        """A batch is on its way to the database."""
        return self._busy

    @property
    def pending(self) -> bool:
        return bool(self.dirty) or self._busy

    def flush(self) -> None:
        """Start saving every changed field now — after the batch on its way, if there is one."""
        self.timer.stop()
        self.retry.stop()
        if self.read_only:
            return
        if self._busy:
            self._again = True
            return
        batch: list[tuple[str, Any, Any]] = []
        for name in sorted(self.dirty):
            if name in self.conflicts:
                continue
            new = self.bindings[name].read()
            if new == self.base[name]:
                self.dirty.discard(name)
                continue
            batch.append((name, self.base[name], new))
        if not batch:
            return
        self.generation += 1
        for name, _old, new in batch:
            self.dirty.discard(name)
            self.in_flight[name] = new
            self._saved_in[name] = self.generation
        self._busy = True
        actor, plan_id = self.actor, self.plan_id
        (Operation(self, lambda: save_batch(actor, plan_id, batch))
         .success(self._done).failure(self._batch_failed).run())

    def when_idle(self, fn: Callable[[], None]) -> None:
        """Call `fn` once no save is on its way (now, when none is)."""
        if self._busy:
            self._waiting.append(fn)
        else:
            fn()

    def _done(self, outcomes: list[Outcome]) -> None:
        failed = False
        for outcome in outcomes:
            name = outcome.name
            self.in_flight.pop(name, None)
            binding = self.bindings[name]
            if outcome.failed:
                self.dirty.add(name)  # still on screen; the next save tries it again
                failed = True
            elif outcome.stopped:
                self.dirty.add(name)
                self.read_only = True
                self.stopped.emit(outcome.stopped)
                self.status_changed.emit("Inte sparat: planen kan inte ändras längre. Det du "
                                         "skrivit finns kvar i fönstret.")
            elif outcome.refused:
                if name not in self.dirty:  # not changed since: said at the field
                    self.refused.add(name)
                    self._set_error(binding, outcome.refused)
                self.status_changed.emit("Inte sparat: se meddelandet vid fältet.")
            elif outcome.conflict is not None:
                self.conflicts[name] = outcome.conflict
                binding.conflict.show_conflict(
                    binding.display(outcome.conflict.theirs),
                    binding.display(outcome.conflict.mine),
                    text=isinstance(outcome.conflict.mine, str))
                self.conflicted.emit(name)
                self.status_changed.emit("Någon annan har ändrat samma sak — välj vid fältet.")
            else:
                self.base[name] = outcome.new
                self.saved.emit(name)
                self.status_changed.emit(f"Sparat {clock.now():%H:%M}")
        if failed and not self.read_only:
            self.status_changed.emit(NO_CONTACT)
            self.retry.start()
        self._finished()

    def _batch_failed(self, exc: Exception) -> None:
        """The batch as a whole did not run: everything in it is tried again."""
        self.dirty.update(self.in_flight)
        self.in_flight.clear()
        if isinstance(exc, StorageError):
            self.status_changed.emit(NO_CONTACT)
            self.retry.start()
        else:
            report_failure(None, exc, "Det gick inte att spara")
        self._finished()

    def _finished(self) -> None:
        self._busy = False
        if self._again and not self.read_only:
            self._again = False
            self.flush()
            if self._busy:
                return
        self._again = False
        waiting, self._waiting = self._waiting, []
        for fn in waiting:
            fn()

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
        self.bindings[name].conflict.hide()
        self.base[name] = conflict.theirs
        self.dirty.add(name)
        self.flush()

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

    def merge_by_hand(self, name: str) -> None:
        """Both texts side by side (the conflict dialog), mine editable; what the user writes
        there is saved over theirs — checked against theirs, so a third change is seen too."""
        conflict = self.conflicts.get(name)
        if conflict is None:
            return
        binding = self.bindings[name]

        def chosen(values: dict[str, Any]) -> None:
            if self.conflicts.get(name) is not conflict:
                return  # settled meanwhile
            merged = values[conflict.field]
            if merged == conflict.theirs:
                self.take_theirs(name)
                return
            del self.conflicts[name]
            binding.conflict.hide()
            self.base[name] = conflict.theirs
            self._show(binding, merged)
            self.dirty.add(name)
            self.flush()

        ConflictDialog.ask(binding.widget.window(), [conflict], chosen=chosen, what="Planen",
                           display=lambda _field, value: binding.display(value))

    # ---- reading others' changes -----------------------------------------------------------

    def reload(self, view: DocumentationView, generation: int) -> None:
        """Show what others saved in fields this user is not editing right now. `view` was
        read when `generation` batches had been started (and all of them were done): a field
        saved by a later batch is newer here than in `view`."""
        for name, binding in self.bindings.items():
            if (name in self.dirty or name in self.in_flight or name in self.conflicts
                    or name in self.refused or self._saved_in.get(name, 0) > generation):
                continue
            value = view.stored(name)
            if value != self.base[name]:
                self.base[name] = value
                self._show(binding, value)
