"""A layout that places widgets in a row and wraps to the next row when the row is full.

Qt's classic flow layout example (Qt for Python's `examples/widgets/layouts/flowlayout`). It is
for a row of buttons that must never be cut off or push the page sideways: its minimum width is
that of its widest item, and its height follows the width (`heightForWidth`), so a scroll area
around it grows downwards.
"""

from __future__ import annotations

from PySide6.QtCore import QMargins, QPoint, QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QStyle, QWidget


class FlowLayout(QLayout):
    """Items left to right, wrapping like words in a paragraph."""

    def __init__(
        self, parent: QWidget | None = None, *, spacing: int = -1, margin: int | None = None
    ) -> None:
        super().__init__(parent)
        self._items: list[QLayoutItem] = []
        self._spacing = spacing
        if margin is not None:
            self.setContentsMargins(margin, margin, margin, margin)

    # ---- QLayout's item interface -------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # ---- geometry -----------------------------------------------------------------------

    def setSpacing(self, spacing: int) -> None:
        self._spacing = spacing
        self.invalidate()

    def spacing(self) -> int:
        return self._spacing

    def expandingDirections(self) -> Qt.Orientation:
        return Qt.Orientation(0)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), move=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, move=True)

    def sizeHint(self) -> QSize:
        return self.minimumSize()

    def minimumSize(self) -> QSize:
        size = QSize()
        for item in self._items:
            size = size.expandedTo(item.minimumSize())
        margins: QMargins = self.contentsMargins()
        return size + QSize(margins.left() + margins.right(), margins.top() + margins.bottom())

    def _gap(self, item: QLayoutItem, orientation: Qt.Orientation) -> int:
        """The set spacing, or the style's spacing between widgets in a layout."""
        if self._spacing >= 0:
            return self._spacing
        widget = item.widget()
        if widget is None:
            return 0
        metric = (QStyle.PixelMetric.PM_LayoutHorizontalSpacing
                  if orientation is Qt.Orientation.Horizontal
                  else QStyle.PixelMetric.PM_LayoutVerticalSpacing)
        return max(widget.style().pixelMetric(metric, None, widget), 0)

    def _arrange(self, rect: QRect, *, move: bool) -> int:
        """Place the items inside `rect` (only measure when `move` is False); the height used."""
        margins = self.contentsMargins()
        area = rect.marginsRemoved(margins)
        x, y, line_height = area.x(), area.y(), 0
        for item in self._items:
            if item.isEmpty():  # a hidden widget takes no room
                continue
            hint = item.sizeHint()
            gap_x = self._gap(item, Qt.Orientation.Horizontal)
            gap_y = self._gap(item, Qt.Orientation.Vertical)
            next_x = x + hint.width() + gap_x
            if next_x - gap_x > area.right() + 1 and line_height > 0:
                x = area.x()
                y += line_height + gap_y
                next_x = x + hint.width() + gap_x
                line_height = 0
            if move:
                item.setGeometry(QRect(QPoint(x, y), hint))
            x = next_x
            line_height = max(line_height, hint.height())
        return y + line_height - rect.y() + margins.bottom()
