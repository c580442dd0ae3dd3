"""The statistics report for the committee (nämnden): the municipality's letterhead, the period
and scope, the figures for the whole selection, the page's two charts drawn with ReportLab's
own charts (cases started and ended per month as bars; the median days from consent to the SIP
meeting per month as a line over the period's months), then the figures per unit. Counts only
— no name, no personal number — and every count under five, and every count that would give
one away by subtraction, written "<5" (`Statistics.hidden`, the same cells as on the Statistik
page). "Sida X av Y".

`print_statistics` is what the command line (`sipdesk print statistik`) and the app (Arkiv →
Skriv ut statistik…) both call: the figures, the audit entry (`record_report_printed`), the
file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sipdesk.statistics.compute import record_report_printed, statistics_for
from sipdesk.statistics.figures import Figures, Statistics
from sipdesk.statistics.masking import Hidden
from sipdesk.statistics.period import Period, Scope, ScopeKind
from sipdesk.statistics.rows import (
    FEW_FOR_LINE,
    HIDDEN_HEIGHT,
    LIGHT_BARS,
    MASK_NOTE,
    MONTHS_WITHOUT_POINT,
    ROWS,
    SMALLEST_SHOWN,
    month_axis_labels,
)
from sipdesk.storage.models import User

from .base import FONT, SipDocTemplate, build, esc, municipality_letterhead, styles

TITLE = "Statistik för samordnad individuell plan"
BLUE, GREEN = colors.HexColor("#2F5D8A"), colors.HexColor("#7BA05B")


def _table(figures: Figures, hidden: Hidden, width: float) -> Table:
    st = styles()
    rows = [[Paragraph(esc(row.label), st["small"]), Paragraph(esc(row.text(figures, hidden)),
                                                                st["small"])]
            for row in ROWS]
    table = Table(rows, colWidths=[width * 0.45, width * 0.55])
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("TOPPADDING", (0, 0), (-1, -1), 1), ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
    ]))
    return table


def _pale(colour: colors.Color) -> colors.Color:
    """The colour 60 % towards white (as the page's light bars)."""
    return colors.Color(*(c + (1 - c) * 0.6 for c in (colour.red, colour.green, colour.blue)))


def _title(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, drawing.height - 10, text, fontName=f"{FONT}-Bold", fontSize=9))


def _note(drawing: Drawing, text: str) -> None:
    drawing.add(String(0, 1 * mm, text, fontName=FONT, fontSize=7,
                       fillColor=colors.HexColor("#555555")))


def month_bars(stats: Statistics, width: float) -> Drawing:
    """Started and ended per month, as on the page. A count the table writes "<5"
    (`Statistics.hidden`: from 1 to 4, or one that would give such a one away) is a light bar
    at 4, as on the page — the chart must not tell what the table hides, nor look like a month
    with none — with the page's note under the chart."""
    extra = _label_room(stats)
    drawing = Drawing(width, 66 * mm + extra)
    _title(drawing, "Startade och avslutade ärenden per månad")
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = (10 * mm, 14 * mm + extra, width - 45 * mm,
                                                   42 * mm)
    chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, GREEN
    data: list[list[int]] = []
    any_hidden = False
    for series, (name, colour) in enumerate(BARS):
        values = []
        for index, (month, figures) in enumerate(stats.months):
            if name in stats.hidden.month(month):
                values.append(HIDDEN_HEIGHT)
                chart.bars[(series, index)].fillColor = _pale(colour)
                chart.bars[(series, index)].strokeColor = colour
                any_hidden = True
            else:
                values.append(int(getattr(figures, name)))
        data.append(values)
    chart.data = data
    _month_axis(chart, stats)
    chart.valueAxis.valueMin = 0
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 32 * mm, 44 * mm + extra
    legend.fontName, legend.fontSize = FONT, 7
    legend.colorNamePairs = [(BLUE, "Startade"), (GREEN, "Avslutade")]
    drawing.add(legend)
    if any_hidden:
        _note(drawing, LIGHT_BARS)
    return drawing


BARS = (("started", BLUE), ("ended", GREEN))


def _label_room(stats: Statistics) -> float:
    """Room for the month names, slanted when there are more than twelve ("jan 2026")."""
    return 8 * mm if len(stats.months) > 12 else 0


def _month_axis(chart: VerticalBarChart | HorizontalLineChart, stats: Statistics) -> None:
    labels = month_axis_labels([m for m, _f in stats.months])
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7 if len(labels) <= 12 else 5
    if len(labels) > 12:
        chart.categoryAxis.labels.angle = 45
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7


def meeting_line(stats: Statistics, width: float) -> Drawing:
    """The median days from consent to the SIP meeting per month, as on the page: over every
    month of the period, a point where at least five meetings lie behind it, the line joining
    those; a note says why a month has none."""
    extra = _label_room(stats)
    drawing = Drawing(width, 58 * mm + extra)
    _title(drawing, "Dagar från samtycke till SIP-möte, median per månad")
    values = [f.consent_to_meeting.median
              if f.consent_to_meeting.count >= SMALLEST_SHOWN else None
              for _m, f in stats.months]
    if all(v is None for v in values):
        drawing.add(String(10 * mm, 25 * mm, FEW_FOR_LINE, fontName=FONT, fontSize=8))
        return drawing
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = (10 * mm, 12 * mm + extra, width - 45 * mm,
                                                   36 * mm)
    chart.data = [values]
    chart.joinedLines = 1
    _month_axis(chart, stats)
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor = BLUE
    chart.lines[0].strokeWidth = 1.5
    chart.lines[0].symbol = makeMarker("FilledCircle", size=4, fillColor=BLUE,
                                       strokeColor=BLUE)
    drawing.add(chart)
    if any(v is None for v in values):
        _note(drawing, MONTHS_WITHOUT_POINT)
    return drawing


def statistics_story(stats: Statistics, width: float) -> list[Flowable]:
    st = styles()
    # One unit: the whole selection is that unit, named so; its own table would repeat it.
    one_unit = stats.scope.kind is ScopeKind.UNIT
    story: list[Flowable] = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"<b>Period:</b> {esc(stats.period.label)}. <b>Urval:</b> "
                  f"{esc(stats.scope_label)}. Beräknad {stats.computed_on:%Y-%m-%d}.",
                  st["body"]),
        Paragraph(f"Rapporten innehåller bara antal, inga personuppgifter. {esc(MASK_NOTE)}",
                  st["small"]),
        Spacer(1, 3 * mm),
        Paragraph(esc(stats.scope_label) if one_unit else "Hela urvalet", st["h2"]),
        _table(stats.total, stats.hidden.whole, width),
        Spacer(1, 4 * mm),
        KeepTogether([month_bars(stats, width), Spacer(1, 3 * mm),
                      meeting_line(stats, width)]),
    ]
    for unit in [] if one_unit else stats.units:
        story.append(CondPageBreak(60 * mm))
        story.append(KeepTogether([
            Spacer(1, 4 * mm),
            Paragraph(f"{esc(unit.unit)} ({esc(unit.principal)})",
                      st["h2"]),
            _table(unit.figures, stats.hidden.unit(unit.unit_id), width)]))
    return story


def render_statistics(stats: Statistics, target: str | Path | BinaryIO) -> Path | BinaryIO:
    """Write the report to `target` (a .pdf file or an open binary file)."""
    path: Path | BinaryIO = target if not isinstance(target, str | Path) else Path(target)
    doc = SipDocTemplate(path, title=TITLE, letterhead=municipality_letterhead(),
                         subject="Statistik")
    build(doc, statistics_story(stats, doc.width))
    return path


def print_statistics(user: User | None, *, period: Period, scope: Scope,
                     target: str | Path | BinaryIO,
                     progress: Callable[[int, int], None] | None = None) -> Statistics:
    """The report for `period` and `scope` as `user` may see it (None: the command line, every
    case), logged in the audit log and written to `target`. `progress(done, 3)` after each
    step: the figures, the log entry, the file."""
    stats = statistics_for(user, period=period, scope=scope)
    if progress is not None:
        progress(1, 3)
    record_report_printed(user, period=period, scope=scope)
    if progress is not None:
        progress(2, 3)
    render_statistics(stats, target)
    if progress is not None:
        progress(3, 3)
    return stats
