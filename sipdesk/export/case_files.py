"""Exporting the cases to a file (issue 15): Excel (.xlsx) or CSV, one row per case
(`case_rows`), written as the rows are read, and logged.

- XLSX (openpyxl's write-only mode, so 100,000 rows stream to the file): a bold header row,
  frozen panes (the header and the case number stay in view), column widths that fit, real date
  cells (yyyy-mm-dd) and whole numbers as numbers, and an autofilter on the header.
- CSV: UTF-8 with a byte-order mark and `;` between the fields, so Swedish Excel opens it with
  å, ä, ö and the columns right; dates as 2026-03-14, yes/no as Ja/Nej.

A text that a spreadsheet would take for a formula (`=`, `+`, `-`, `@` first) is written as text.

`export_cases` reads the rows in one transaction (one consistent picture of the cases; on
PostgreSQL a repeatable-read snapshot), writes them to a hidden `.part` file beside the target,
and only when every row is written records the export in the audit log — who, when, how many
rows, the format, the period and whether it holds personal data — and then puts the file in
place. Stopped half-way (`cancelled`) or failed, the part file is removed and nothing is logged:
no file with cases leaves sipdesk without its log entry, and the log never counts a file that
was not made.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Protocol

from sipdesk.accounts.audit import AuditAction, record
from sipdesk.errors import ValidationError
from sipdesk.export import case_rows
from sipdesk.export.case_rows import ALL_TIME, Column, Kind, Period, Row
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import Engine, database, engine_of
from sipdesk.storage.models import User

SHEET_TITLE = "Ärenden"
YES, NO = "Ja", "Nej"
# What a spreadsheet would start a formula with (OWASP's CSV injection list).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class Format(LabelledEnum):
    XLSX = "xlsx"
    CSV = "csv"

    __labels__: ClassVar[Labels] = {
        "xlsx": "Excel (.xlsx)",
        "csv": "CSV för Excel (.csv, semikolon)",
    }

    @property
    def suffix(self) -> str:
        return f".{self.value}"


Progress = Callable[[int, int], None]  # rows written, rows in all


@dataclass(frozen=True)
class ExportResult:
    path: Path
    rows: int
    cancelled: bool = False


def _as_text(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_START) else value


class _Writer(Protocol):
    def write(self, rows: Sequence[Row]) -> None: ...

    def close(self) -> None: ...


class _CsvWriter:
    def __init__(self, path: Path, columns: Sequence[Column]) -> None:
        self._file = path.open("w", encoding="utf-8-sig", newline="")
        self._csv = csv.writer(self._file, delimiter=";", lineterminator="\r\n")
        # Only yes/no and text need a word: csv writes None as "", a date as 2026-03-14 and a
        # number as itself. (Converting every value cost more than writing the file.)
        self._yes_no = [n for n, c in enumerate(columns) if c.kind is Kind.YES_NO]
        self._texts = [n for n, c in enumerate(columns) if c.kind is Kind.TEXT]
        self._csv.writerow([c.header for c in columns])

    def write(self, rows: Sequence[Row]) -> None:
        words = {True: YES, False: NO, None: None}
        out = []
        for row in rows:
            values = list(row)
            for n in self._yes_no:
                values[n] = words[values[n]]
            for n in self._texts:
                value = values[n]
                if value and value.startswith(_FORMULA_START):
                    values[n] = _as_text(value)
            out.append(values)
        self._csv.writerows(out)

    def close(self) -> None:
        self._file.close()


class _XlsxWriter:
    def __init__(self, path: Path, columns: Sequence[Column], *, total: int) -> None:
        from openpyxl import Workbook  # ~100 ms to import: only when exporting
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter

        self._path = path
        self._book = Workbook(write_only=True)
        sheet = self._book.create_sheet(SHEET_TITLE)
        self._sheet = sheet
        self._kinds = [c.kind for c in columns]
        self._cell = WriteOnlyCell
        for number, column in enumerate(columns, 1):
            sheet.column_dimensions[get_column_letter(number)].width = column.width + 2
        sheet.freeze_panes = "B2"  # the header row and the case number stay in view
        sheet.row_dimensions[1].height = 45  # room for a header over two or three lines
        last = get_column_letter(len(columns))
        sheet.auto_filter.ref = f"A1:{last}{total + 1}"
        bold, wrapped = Font(bold=True), Alignment(wrap_text=True, vertical="top")
        heading = []
        for column in columns:
            cell = WriteOnlyCell(sheet, value=column.header)
            cell.font, cell.alignment = bold, wrapped
            heading.append(cell)
        sheet.append(heading)

    def write(self, rows: Sequence[Row]) -> None:
        kinds = self._kinds
        append = self._sheet.append
        for row in rows:
            append([self._xlsx_value(kind, value) for kind, value in zip(kinds, row,
                                                                         strict=True)])

    def _xlsx_value(self, kind: Kind, value: Any) -> Any:
        if value is None:
            return None
        if kind is Kind.YES_NO:
            return YES if value else NO
        if kind is Kind.TEXT and value.startswith(_FORMULA_START):
            cell = self._cell(self._sheet, value=value)
            cell.data_type = "s"  # openpyxl would take "=…" for a formula
            return cell
        return value

    def close(self) -> None:
        self._book.save(self._path)


def _part_file(path: Path) -> Path:
    """A hidden file beside the target, put in place only when whole."""
    return path.with_name(f".{path.name}.part")


def _summary(fmt: Format, *, rows: int, personal_data: bool, period: Period,
             command_line: bool) -> str:
    what = "med personuppgifter" if personal_data else "utan personuppgifter"
    count = "1 ärende" if rows == 1 else f"{rows} ärenden"
    where = " från kommandoraden" if command_line else ""
    during = f", period {period.text}" if period != ALL_TIME else ""
    return f"Ärenden exporterade {what} ({fmt.label}){where}: {count}{during}"


def check_target(path: Path, fmt: Format) -> None:
    """The file to write: the format's ending, in a folder that exists."""
    if path.suffix.lower() != fmt.suffix:
        raise ValidationError(f"Filen ska sluta på {fmt.suffix}.", field="out")
    if not path.parent.is_dir():
        raise ValidationError(f"Mappen {path.parent} finns inte.", field="out")


def export_cases(actor: User | None, path: Path, *, fmt: Format, personal_data: bool,
                 period: Period = ALL_TIME, progress: Progress | None = None,
                 cancelled: Callable[[], bool] | None = None, command_line: bool = False,
                 page_size: int = case_rows.PAGE_SIZE) -> ExportResult:
    """Write every case `actor` may see (open in `period`) to `path`, then log it.

    `actor` None is the command line without a sipdesk login (it sees what its database login
    sees); `command_line` says in the log that the export came from there. `progress(done,
    total)` after each page; `cancelled()` asked between pages — then the part written is
    removed, nothing is logged and the result says `cancelled`."""
    period.check()
    check_target(path, fmt)
    chosen = case_rows.columns(personal_data=personal_data)
    part = _part_file(path)
    written = 0
    try:
        with database.atomic():
            if engine_of() is Engine.POSTGRESQL:
                # One snapshot for every page (the rows of one moment, however long it takes).
                database.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            total = case_rows.count_cases(actor, period=period)
            if progress is not None:
                progress(0, total)
            writer: _Writer = (_XlsxWriter(part, chosen, total=total) if fmt is Format.XLSX
                               else _CsvWriter(part, chosen))
            try:
                for page in case_rows.case_rows(actor, personal_data=personal_data,
                                                period=period, page_size=page_size):
                    if cancelled is not None and cancelled():
                        stopped = True
                        break
                    writer.write(page)
                    written += len(page)
                    if progress is not None:
                        progress(written, max(total, written))
                else:
                    stopped = False
            except BaseException:
                with contextlib.suppress(Exception):  # the first error is the one to tell
                    writer.close()
                raise
            writer.close()
        if stopped:
            return ExportResult(path, written, cancelled=True)
        with database.atomic():
            record(actor, action=AuditAction.EXPORT, entity="sip_case",
                   summary=_summary(fmt, rows=written, personal_data=personal_data,
                                    period=period, command_line=command_line),
                   changes={"rows": [None, written], "format": [None, fmt.value],
                            "personal_data": [None, personal_data],
                            "period": [None, period.text]})
        os.replace(part, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return ExportResult(path, written)


def default_file_name(fmt: Format, *, today: dt.date) -> str:
    """"sipdesk-arenden-2026-11-22.xlsx": the day, never a person."""
    return f"sipdesk-arenden-{today.isoformat()}{fmt.suffix}"
