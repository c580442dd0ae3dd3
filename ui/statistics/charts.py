"""The Statistik page's two charts, drawn with QtCharts (PySide6-Addons): cases started and ended
per month as bars, and the median days from consent to the SIP meeting per month as a line.

Imported when the page first shows figures, never at start-up (QtCharts and its libraries cost
the start time a first screen does not need; tests/test_startup_imports.py keeps it so).

Hovering a bar or a point shows its value as a tooltip, the way the table writes it.

Small numbers (the report's rule, `Statistics.hidden`): the table writes a count from 1 to 4 —
and a count that would give such a one away by subtraction, say another month of the period —
as "<5", so the chart must not tell more. Such a bar is drawn at 4 in a lighter colour, its
tooltip says "<5", and a note under the chart says what the light bars mean. The bar stays (a
month with a few cases does not look like a month with none), and neither its height nor the
axis (scaled to the shown bars only) gives away anything the table does not. A month's median
with fewer than five meetings behind it is not drawn at all (as in the report); the line joins
the months that have one; a point's tooltip leaves out the number of meetings when the table
does.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt
from PySide6.QtGui import QColor, QCursor, QPainter
from PySide6.QtWidgets import QLabel, QToolTip, QVBoxLayout, QWidget

from sipdesk.statistics.figures import Statistics
from sipdesk.statistics.period import month_label
from sipdesk.statistics.rows import (
    FEW_FOR_LINE,
    HIDDEN_HEIGHT,
    LIGHT_BARS,
    SMALLEST_SHOWN,
    count_text,
    month_axis_labels,
)

BLUE, GREEN = QColor("#2F5D8A"), QColor("#7BA05B")
MASKED_HEIGHT = HIDDEN_HEIGHT  # a hidden count is drawn as the most "<5" can be
CHART_HEIGHT = 260


def pale(colour: QColor) -> QColor:
    """The colour mixed 60 % towards white: a light bar, its border still in the full colour."""
    return QColor(*(round(c + (255 - c) * 0.6) for c in (colour.red(), colour.green(),
                                                          colour.blue())))


def axis_labels(stats: Statistics) -> list[str]:
    """"jan", "feb" …; with the year ("jan 2026") when the period spans more than one."""
    return month_axis_labels([month for month, _f in stats.months])


@dataclass(frozen=True)
class BarData:
    name: str  # "Startade"
    attribute: str  # the Figures count it shows
    colour: QColor


BARS = (BarData("Startade", "started", BLUE), BarData("Avslutade", "ended", GREEN))


class ChartPanel(QWidget):
    """A chart with a note under it (what light bars mean, or why there is no line)."""

    def __init__(self, chart: QChart, note: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chart = chart
        self.view = QChartView(chart)
        self.view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.view.setMinimumHeight(CHART_HEIGHT)
        self.view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.note = QLabel(note)
        self.note.setWordWrap(True)
        self.note.setVisible(bool(note))
        self.note.setStyleSheet("color: palette(placeholder-text);")
        self.last_tip = ""
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.view, 1)
        column.addWidget(self.note)

    def show_tip(self, text: str) -> None:
        self.last_tip = text
        QToolTip.showText(QCursor.pos(), text, self.view)

    def hide_tip(self) -> None:
        QToolTip.hideText()


def _month_axis(labels: list[str]) -> QBarCategoryAxis:
    """The months under a chart, in a smaller font and never cut to "…" (twelve or more three-
    letter names fit below a half-width chart)."""
    axis = QBarCategoryAxis()
    axis.append(labels)
    axis.setTruncateLabels(False)
    font = axis.labelsFont()
    font.setPointSizeF(font.pointSizeF() * 0.85)
    axis.setLabelsFont(font)
    if len(labels) > 12:
        axis.setLabelsAngle(-90)
    return axis


def _chart(title: str) -> QChart:
    chart = QChart()
    chart.setTitle(title)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.setBackgroundRoundness(0)
    return chart


class MonthBars(ChartPanel):
    """Cases started and ended per month."""

    def __init__(self, stats: Statistics, parent: QWidget | None = None) -> None:
        chart = _chart("Startade och avslutade ärenden per månad")
        self.stats = stats
        self.labels = axis_labels(stats)
        self.sets: list[QBarSet] = []
        series = QBarSeries()
        top, any_masked = 0, False
        for which, bar in enumerate(BARS):
            bar_set = QBarSet(bar.name)
            bar_set.setColor(bar.colour)
            bar_set.setBorderColor(bar.colour)
            bar_set.setSelectedColor(pale(bar.colour))
            for index, (_month, figures) in enumerate(stats.months):
                n = getattr(figures, bar.attribute)
                if bar.attribute in stats.hidden.month(_month):
                    bar_set.append(MASKED_HEIGHT)
                    bar_set.selectBar(index)
                    any_masked = True
                else:
                    bar_set.append(n)
                    top = max(top, n)  # (a hidden one's height would show on the axis)
            series.append(bar_set)
            self.sets.append(bar_set)
            bar_set.hovered.connect(
                lambda status, index, which=which: self._hovered(status, index, which))
        chart.addSeries(series)
        x_axis = _month_axis(self.labels)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(x_axis)
        y_axis = QValueAxis()
        y_axis.setRange(0, max(top * 1.05, SMALLEST_SHOWN))
        y_axis.setLabelFormat("%d")
        y_axis.applyNiceNumbers()
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(y_axis)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.series = series
        super().__init__(chart, LIGHT_BARS if any_masked else "", parent)

    def tip(self, set_index: int, index: int) -> str:
        """"mars 2026 – Startade: 12" (a small count: "<5")."""
        bar = BARS[set_index]
        month, figures = self.stats.months[index]
        n = getattr(figures, bar.attribute)
        hidden = bar.attribute in self.stats.hidden.month(month)
        return f"{month_label(month)} – {bar.name}: {count_text(n, hidden)}"

    def _hovered(self, status: bool, index: int, which: int) -> None:
        if status:
            self.show_tip(self.tip(which, index))
        else:
            self.hide_tip()


class MeetingLine(ChartPanel):
    """The median days from consent to the SIP meeting, per month with at least five
    meetings."""

    def __init__(self, stats: Statistics, parent: QWidget | None = None) -> None:
        chart = _chart("Dagar från samtycke till SIP-möte, median per månad")
        self.stats = stats
        self.labels = axis_labels(stats)
        self.months: list[int] = []  # the index of the month each point belongs to
        line, points = QLineSeries(), QScatterSeries()
        line.setName("Median")
        line.setColor(BLUE)
        points.setColor(BLUE)
        points.setBorderColor(BLUE)
        points.setMarkerSize(9)
        top = 0
        for index, (_month, figures) in enumerate(stats.months):
            spread = figures.consent_to_meeting
            if spread.median is None or spread.count < SMALLEST_SHOWN:
                continue
            self.months.append(index)
            line.append(QPointF(index, spread.median))
            points.append(QPointF(index, spread.median))
            top = max(top, spread.median)
        chart.addSeries(line)
        chart.addSeries(points)
        x_axis = _month_axis(self.labels)
        chart.addAxis(x_axis, Qt.AlignmentFlag.AlignBottom)
        y_axis = QValueAxis()
        y_axis.setRange(0, max(top * 1.1, 10))  # room above the highest point
        y_axis.setLabelFormat("%d")
        y_axis.setTitleText("dagar")
        y_axis.applyNiceNumbers()
        chart.addAxis(y_axis, Qt.AlignmentFlag.AlignLeft)
        for series in (line, points):
            series.attachAxis(x_axis)
            series.attachAxis(y_axis)
        chart.legend().hide()
        points.hovered.connect(self._hovered)
        line.hovered.connect(self._hovered)
        self.line, self.points = line, points
        super().__init__(chart, FEW_FOR_LINE if not self.months else "", parent)

    def tip(self, month_index: int) -> str:
        """"mars 2026: median 12 dagar (90 %: 20), 7 möten"."""
        month, figures = self.stats.months[month_index]
        spread = figures.consent_to_meeting
        text = f"{month_label(month)}: median {spread.median} dagar (90 %: {spread.p90})"
        if "consent_to_meeting" in self.stats.hidden.month(month):
            return text  # how many would give a small number away (as in the table)
        return f"{text}, {count_text(spread.count)} möten"

    def _hovered(self, point: QPointF, state: bool) -> None:
        index = round(point.x())
        if state and index in self.months:
            self.show_tip(self.tip(index))
        else:
            self.hide_tip()


def chart_panels(stats: Statistics) -> list[ChartPanel]:
    return [MonthBars(stats), MeetingLine(stats)]
