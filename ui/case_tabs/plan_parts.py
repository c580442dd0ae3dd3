"""The pieces of the Planen tab (`plan_tab`): what a version changed and how a part stands, in
words; the file name and the rendering of a printed plan; the tab's tables and buttons."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QHeaderView, QPushButton, QTableWidget

from sipdesk.plans.plan import PrincipalPart, VersionChange

from ..tables import read_only
from .base import format_date

VERSION_HEADERS = ("Version", "Typ", "Mötesdatum", "Status", "Vad ändrades")
PART_HEADERS = ("Huvudman", "Delen", "Godkännande")
OVERDUE_STYLE = ("QLabel { color: #ffffff; background: #b00020; border-radius: 4px;"
                 " padding: 2px 8px; font-weight: bold; }")
DEADLINE_STYLE = "QLabel { color: #1d3d63; }"
APPROVED_COLOR = QColor("#1e6b34")
# `plan.changes_between`'s kinds of change, counted: (one, many).
COUNTED = {
    "Nytt delmål": ("1 nytt delmål", "{n} nya delmål"),
    "Delmål borttaget": ("1 delmål borttaget", "{n} delmål borttagna"),
    "Ny insats": ("1 ny insats", "{n} nya insatser"),
    "Insats avslutad": ("1 insats avslutad", "{n} insatser avslutade"),
    # A changed text: the participle agrees with the noun (en situation → ändrad).
    "Min nuvarande situation": ("Min nuvarande situation ändrad",
                                "Min nuvarande situation ändrad"),
    "Huvudmål": ("Huvudmål ändrat", "Huvudmål ändrat"),
    "Det här är viktigt för mig": ("”Det här är viktigt för mig” ändrat",
                                   "”Det här är viktigt för mig” ändrat"),
    "Det här klarar jag": ("”Det här klarar jag” ändrat", "”Det här klarar jag” ändrat"),
}


def installed(module: str) -> bool:
    """Whether an optional part of sipdesk is there, without importing it (ReportLab is heavy:
    it is imported only when the user prints)."""
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False



def plan_file_name(case_number: str, version: int, *, easy_read: bool) -> str:
    """`plan-SIP-2026-0042-v1.pdf`: the case number and the version, no personal data."""
    from reports.plan import file_name

    return file_name(case_number, version, easy_read=easy_read)


def render_plan(plan_id: int, path: Path, *, easy_read: bool) -> Path:
    """Runs in a worker thread: ReportLab is imported here, when the user prints."""
    from reports.plan import render_plan as render

    render(plan_id, path, easy_read=easy_read)
    return path


def changes_text(changes: list[VersionChange] | None) -> tuple[str, str]:
    """A short summary of what a version changed since the one before (None: there is none),
    and the details."""
    if changes is None:
        return "Första versionen", ""
    if not changes:
        return "Inga ändringar i mål eller insatser", ""
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.what] = counts.get(change.what, 0) + 1
    short = []
    for what, count in counts.items():
        one, many = COUNTED.get(what, (f"{what} ändrat", f"{what} ändrat"))
        short.append(one if count == 1 else many.format(n=count))
    details = []
    for change in changes:
        if change.before and change.after:
            details.append(f"{change.what}: ”{change.before}” → ”{change.after}”")
        else:
            details.append(f"{change.what}: ”{change.after or change.before}”")
    return " · ".join(short), "\n".join(details)


def part_state(part: PrincipalPart) -> tuple[str, str]:
    finisher, approver = part.finished_by, part.approved_by
    finished = (f"Klar {format_date(part.finished_at.date())}"
                + (f" ({finisher.full_name})" if finisher is not None else "")
                if part.finished_at else "Inte klar")
    approved = (f"Godkänd {format_date(part.approved_at.date())}"
                + (f" av {approver.full_name}" if approver is not None else "")
                if part.approved_at else "Inte godkänd")
    if part.on_behalf and (part.finished_at or part.approved_at):
        suffix = " — för huvudmannens räkning"
        if part.approved_at:
            approved += suffix
        else:
            finished += suffix
    return finished, approved


def plan_table(headers: tuple[str, ...], *, name: str) -> QTableWidget:
    table = QTableWidget(0, len(headers))
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(list(headers))
    read_only(table, row_padding=None, alternating=False, highlight_header=True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def fit_table(table: QTableWidget, *, rows_at_most: int = 8) -> None:
    height = table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth() + sum(
        table.rowHeight(r) for r in range(min(table.rowCount(), rows_at_most))) + 2
    table.setFixedHeight(max(height, table.horizontalHeader().sizeHint().height() + 30))



def set_state(button: QPushButton, enabled: bool, why_not: str, *, tip: str = "") -> None:
    """Enabled (with `tip`), or disabled with the reason as tooltip (and for screen
    readers)."""
    button.setEnabled(enabled)
    button.setToolTip(tip if enabled else why_not)
    button.setAccessibleDescription("" if enabled else why_not)
