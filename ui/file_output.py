"""Saving what the user prints: ask where, write it through the operation runner, offer to open it.

One flow for every document a case prints (the consent form, the plan, the letter after a
refusal) and the kallelse's outputs:

- `SaveFileDialog.ask(…)` is the one place a path is asked for: the system's save dialog, in the
  last folder used (or Documents), with the suffix added when the user left it out. Tests
  replace `ask`. File names carry the case number only — never a person's name.
- `save_document(parent, document, render, path)` writes the file off the UI thread, then asks
  "… är sparad. Vill du öppna den nu?"; a failure says plainly what to do (another folder, or
  try again). `done` runs either way (re-enable the button).
- `open_file(path)` shows a written file in the system's viewer. Tests replace it here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QWidget

from sipdesk.errors import SipError

from . import messages
from .operations import Operation
from .window_state import read_str, window_state

log = logging.getLogger("sipdesk.ui.file_output")

KEY_FOLDER = "print/last_folder"
PDF_FILTER = "PDF-filer (*.pdf)"


def default_folder() -> Path:
    remembered = read_str(window_state(), KEY_FOLDER, "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class SaveFileDialog:
    """The system's save dialog, starting in the last folder used (or Documents)."""

    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, default_name: str,
            file_filter: str = PDF_FILTER, suffix: str = ".pdf") -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, title, str(default_folder() / default_name), file_filter)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        window_state().setValue(KEY_FOLDER, str(path.parent))
        return path


def open_file(path: Path) -> None:
    """Show a written file in the system's viewer (for printing)."""
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))


@dataclass(frozen=True)
class Document:
    """How the messages name a printed document (Swedish agrees with its gender)."""

    saved_title: str  # "Planen är sparad"
    name: str  # "Planen" — "Planen är sparad som …"
    it: str  # "den" / "det" — "Vill du öppna den nu?"
    failed_title: str  # "Planen kunde inte skapas"
    making: str  # "planen som PDF" — "Det gick inte att skapa planen som PDF."


CONSENT_FORM = Document("Samtyckesblanketten är sparad", "Blanketten är sparad", "den",
                        "Blanketten kunde inte skapas", "samtyckesblanketten")
PLAN = Document("Planen är sparad", "Planen är sparad", "den", "Planen kunde inte skapas",
                "planen som PDF")
LETTER = Document("Brevet är sparat", "Brevet är sparat", "det", "Brevet kunde inte skapas",
                  "brevet")


def failure_text(exc: Exception, making: str) -> str:
    if isinstance(exc, SipError):
        return exc.message
    if isinstance(exc, OSError):
        return ("Det gick inte att spara filen där. Välj en annan mapp, eller kontrollera att "
                "filen inte är öppen i ett annat program.")
    return f"Det gick inte att skapa {making}. Försök igen."


def save_document(parent: QWidget, document: Document, render: Callable[[], object],
                  path: Path, *, done: Callable[[], None] | None = None) -> None:
    """Write `path` with `render()` off the UI thread, then offer to open it."""

    def saved(_result: object) -> None:
        log.info("document saved")
        if messages.confirm(parent, document.saved_title,
                            f"{document.name} som {path.name} i {path.parent}.\n\n"
                            f"Vill du öppna {document.it} nu?", yes="Öppna", no="Stäng"):
            open_file(path)

    def failed(exc: Exception) -> None:
        log.error("saving a document failed: %s", type(exc).__name__)
        messages.warning(parent, document.failed_title, failure_text(exc, document.making))

    operation = Operation(parent, render).success(saved).failure(failed)
    if done is not None:
        operation = operation.finally_(done)
    operation.run()
