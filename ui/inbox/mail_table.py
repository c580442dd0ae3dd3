"""The Inkorg page's message list (whole rows, the empty state explained) and how the page
remembers its layout: the list's column widths and where the list meets the reading pane."""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QPainter, QPaintEvent
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView, QWidget

from ..tables import read_only
from ..window_state import read_str, window_state
from .model import CASE, DATE, STATUS, SUBJECT, WHO

KEY_SPLITTER = "inbox/splitter"
KEY_WIDTHS = "inbox/column_widths"
DEFAULT_WIDTHS_CHARS = {STATUS: 15, DATE: 17, WHO: 20, CASE: 15}  # the subject takes the rest


class MailTableView(QTableView):
    """The message list: whole rows, the empty state explained."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._empty_text = ""
        read_only(self, fixed_rows=True, stretch_last=False)

    def set_empty_text(self, text: str) -> None:
        if text != self._empty_text:
            self._empty_text = text
            self.viewport().update()

    def paintEvent(self, event: QPaintEvent) -> None:
        super().paintEvent(event)
        model = self.model()
        if model is not None and model.rowCount() == 0 and self._empty_text:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            area = self.viewport().rect().adjusted(24, 24, -24, -24)
            painter.drawText(
                QRect(area), int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                | int(Qt.TextFlag.TextWordWrap), self._empty_text,
            )
            painter.end()


def restore_layout(table: QTableView, splitter: QSplitter, *, char: int) -> None:
    """The column widths and the splitter as the user left them (else the defaults, in `char`
    widths of a digit), and remembered from now on whenever the user changes them."""
    state = window_state()
    stored = read_str(state, KEY_WIDTHS, "").split(",")
    header = table.horizontalHeader()
    header.setSectionResizeMode(SUBJECT, QHeaderView.ResizeMode.Stretch)
    for column, chars in DEFAULT_WIDTHS_CHARS.items():
        try:
            width = int(stored[column])
        except (IndexError, ValueError):
            width = chars * char
        header.resizeSection(column, max(40, min(width, 1000)))
    sizes = [int(s) for s in read_str(state, KEY_SPLITTER, "").split(",") if s.isdigit()]
    if len(sizes) == 2 and all(sizes):
        splitter.setSizes(sizes)
    else:
        splitter.setSizes([300, 420])

    def remember_widths(_column: int, _old: int, _new: int) -> None:
        widths = [str(header.sectionSize(c)) for c in range(CASE + 1)]
        window_state().setValue(KEY_WIDTHS, ",".join(widths))

    def remember_splitter(_pos: int, _index: int) -> None:
        window_state().setValue(KEY_SPLITTER, ",".join(str(s) for s in splitter.sizes()))

    header.sectionResized.connect(remember_widths)
    splitter.splitterMoved.connect(remember_splitter)
