"""The statistics report for the committee (nämnden): the municipality's letterhead, the period
and scope, the figures for the whole selection, two charts drawn with ReportLab's own charts
(cases started and meetings held per month as bars; the median days from consent to the SIP
meeting per month as a line), then the figures per unit. Counts only — no name, no personal
number — and every count under five, and every count that would give one away by subtraction,
written "<5" (`Statistics.hidden`, the same cells as on the Statistik page). "Sida X av Y".

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
from sipdesk.statistics.period import Period, Scope, ScopeKind, month_label
from sipdesk.statistics.rows import HIDDEN_HEIGHT, LIGHT_BARS, MASK_NOTE, ROWS, SMALLEST_SHOWN
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


def month_bars(stats: Statistics, width: float) -> Drawing:
    """Started and held per month. A count the table writes "<5" (`Statistics.hidden`: from 1
    to 4, or one that would give such a one away) is a light bar at 4, as on the page — the
    chart must not tell what the table hides, nor look like a month with none."""
    drawing = Drawing(width, 66 * mm)
    _title(drawing, "Startade ärenden och hållna möten per månad")
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 14 * mm, width - 45 * mm, 42 * mm
    chart.bars[0].fillColor, chart.bars[1].fillColor = BLUE, GREEN
    data: list[list[int]] = []
    any_hidden = False
    for series, (name, colour) in enumerate((("started", BLUE), ("meetings_held", GREEN))):
        values = []
        for index, (month, figures) in enumerate(stats.months):
            if name in stats.hidden.month(month):
                values.append(HIDDEN_HEIGHT)
                chart.bars[(series, index)].fillColor = _pale(colour)
                any_hidden = True
            else:
                values.append(int(getattr(figures, name)))
        data.append(values)
    chart.data = data
    chart.categoryAxis.categoryNames = [month_label(m, short=True) for m, _f in stats.months]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = width - 32 * mm, 44 * mm
    legend.fontName, legend.fontSize = FONT, 7
    legend.colorNamePairs = [(BLUE, "Startade"), (GREEN, "Möten")]
    drawing.add(legend)
    if any_hidden:
        drawing.add(String(0, 1 * mm, LIGHT_BARS, fontName=FONT, fontSize=7,
                           fillColor=colors.HexColor("#555555")))
    return drawing


def meeting_line(stats: Statistics, width: float) -> Drawing:
    drawing = Drawing(width, 58 * mm)
    _title(drawing, "Dagar från samtycke till SIP-möte, median per månad")
    chart = HorizontalLineChart()
    chart.x, chart.y, chart.width, chart.height = 10 * mm, 10 * mm, width - 45 * mm, 38 * mm
    values = [f.consent_to_meeting.median
              if f.consent_to_meeting.count >= SMALLEST_SHOWN else None
              for _m, f in stats.months]
    if sum(v is not None for v in values) < 2:
        drawing.add(String(10 * mm, 25 * mm, "För få möten per månad för att visa en linje "
                           f"(färre än {SMALLEST_SHOWN}).", fontName=FONT, fontSize=8))
        return drawing
    # A month with fewer than five meetings has no point; the line joins the others.
    known = [(i, v) for i, v in enumerate(values) if v is not None]
    chart.data = [[v for _i, v in known]]
    chart.categoryAxis.categoryNames = [month_label(stats.months[i][0], short=True)
                                        for i, _v in known]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.lines[0].strokeColor = BLUE
    chart.lines[0].strokeWidth = 1.5
    drawing.add(chart)
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
