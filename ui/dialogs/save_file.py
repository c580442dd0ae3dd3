"""Where to save a printed document: the system's save dialog, remembering the last folder.

`SavePdfDialog.ask(parent, title=…, default_name=…)` returns the chosen path (always ending in
.pdf) or None. File names carry the case number only — never a person's name (Data protection).
Tests replace `ask`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from ..window_state import read_str, window_state

KEY_FOLDER = "print/last_folder"


def default_folder() -> Path:
    remembered = read_str(window_state(), KEY_FOLDER, "")
    if remembered and Path(remembered).is_dir():
        return Path(remembered)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(documents) if documents else Path.home()


class SavePdfDialog:
    @classmethod
    def ask(cls, parent: QWidget | None, *, title: str, default_name: str) -> Path | None:
        chosen, _filter = QFileDialog.getSaveFileName(
            parent, title, str(default_folder() / default_name), "PDF-filer (*.pdf)")
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != ".pdf":
            path = path.with_name(path.name + ".pdf")
        window_state().setValue(KEY_FOLDER, str(path.parent))
        return path
