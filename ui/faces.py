"""The evaluation scale's faces on screen (seed 002 "Utvärdera mötet"): drawn with QPainter from
the same shapes as the printed form (`sipdesk.meetings.evaluation.FACES`) — a circle of a soft
colour, two eyes, a mouth from a deep frown (1) to a big smile (5) — so what the person ticked
on paper is what the screen shows."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPainter, QPainterPath, QPen, QPixmap

from sipdesk.meetings.evaluation import FACES


def face_pixmap(score: int, size: int = 28) -> QPixmap:
    """Face `score` (1–5), `size` pixels square, sharp on a high-density screen."""
    ratio = QGuiApplication.primaryScreen().devicePixelRatio() if QGuiApplication.primaryScreen(
    ) else 1.0
    pixmap = QPixmap(round(size * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    line = max(1.2, size / 18)
    radius = size / 2 - line
    centre = QPointF(size / 2, size / 2)
    painter.setPen(QPen(QColor("black"), line))
    painter.setBrush(QColor(FACES[score].fill))
    painter.drawEllipse(centre, radius, radius)
    # Qt's y grows downwards: what the form draws above the centre is at a smaller y here.
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(QColor("black"))
    for side in (-1, 1):
        painter.drawEllipse(QPointF(centre.x() + side * radius * 0.36,
                                    centre.y() - radius * 0.28), radius * 0.12, radius * 0.12)
    bend = FACES[score].mouth
    half = radius * 0.5
    mouth_y = centre.y() + radius * 0.38
    ends = mouth_y - radius * 0.16 * bend
    pull = mouth_y + radius * 0.42 * bend
    mouth = QPainterPath(QPointF(centre.x() - half, ends))
    mouth.cubicTo(QPointF(centre.x() - half * 0.45, pull), QPointF(centre.x() + half * 0.45, pull),
                  QPointF(centre.x() + half, ends))
    pen = QPen(QColor("black"), line * 1.1)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(mouth)
    painter.end()
    return pixmap


def face_icon(score: int, size: int = 28) -> QIcon:
    return QIcon(face_pixmap(score, size))


def no_answer_pixmap(size: int = 28) -> QPixmap:
    """A dashed empty circle: the question was not answered."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(QColor("#888888"), max(1.2, size / 18), Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.drawEllipse(QRectF(2, 2, size - 4, size - 4))
    painter.end()
    return pixmap
