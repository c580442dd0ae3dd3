"""What the statistics are asked for: a period (whole days, both ends included) and a scope — the
whole municipality, one principal (huvudman) or one unit (enhet).

The period's default is this year so far (1 January to today), what a unit manager shows the
committee in the autumn; the months of a period are the calendar months it touches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum

from sipdesk.errors import ValidationError
from sipdesk.rules.workdays import MONTHS

# A period longer than this is refused: the figures stay quick, and the report readable.
LONGEST_PERIOD_YEARS = 10


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included."""

    start: dt.date
    end: dt.date

    @property
    def after_end(self) -> dt.date:
        """The day after the period: the open end of a half-open range for timestamps."""
        return self.end + dt.timedelta(days=1)

    def months(self) -> list[str]:
        """The months the period touches, "2026-01" … "2026-12"."""
        found = []
        year, month = self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found

    @property
    def label(self) -> str:
        """"2026-01-01 – 2026-12-31"."""
        return f"{self.start:%Y-%m-%d} – {self.end:%Y-%m-%d}"


def month_label(month: str, *, short: bool = False) -> str:
    """"2026-03" → "mars 2026" (or "mar" when `short`, for a chart's axis)."""
    year, number = month.split("-")
    name = MONTHS[int(number) - 1]
    return name[:3] if short else f"{name} {year}"


def this_year_so_far(today: dt.date) -> Period:
    return Period(dt.date(today.year, 1, 1), today)


def last_year(today: dt.date) -> Period:
    return Period(dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 31))


def last_twelve_months(today: dt.date) -> Period:
    """The current month so far and the eleven before it: twelve months on a chart."""
    year, month = (today.year, today.month - 11) if today.month == 12 else (
        today.year - 1, today.month + 1)
    return Period(dt.date(year, month, 1), today)


def report_file_name(period: Period) -> str:
    """"statistik-2026-01-01--2026-12-31.pdf": the period only, never a person or a unit."""
    return f"statistik-{period.start:%Y-%m-%d}--{period.end:%Y-%m-%d}.pdf"


def check_period(period: Period) -> None:
    """Refuse a period that ends before it starts, or one too long to read."""
    if period.end < period.start:
        raise ValidationError("Slutdatumet ligger före startdatumet.", field="end")
    if period.end.year - period.start.year > LONGEST_PERIOD_YEARS:
        raise ValidationError(f"Välj en period på högst {LONGEST_PERIOD_YEARS} år.",
                              field="start")


class ScopeKind(StrEnum):
    MUNICIPALITY = "municipality"  # every case the user may see
    PRINCIPAL = "principal"
    UNIT = "unit"


@dataclass(frozen=True)
class Scope:
    """Whose figures: everything the user may see, a principal's units, or one unit."""

    kind: ScopeKind = ScopeKind.MUNICIPALITY
    id: int | None = None  # the principal's or the unit's id
    name: str = ""  # as the pickers and the report say it

    @classmethod
    def whole(cls, name: str = "") -> Scope:
        return cls(ScopeKind.MUNICIPALITY, None, name)

    @classmethod
    def principal(cls, principal_id: int, name: str = "") -> Scope:
        return cls(ScopeKind.PRINCIPAL, principal_id, name)

    @classmethod
    def unit(cls, unit_id: int, name: str = "") -> Scope:
        return cls(ScopeKind.UNIT, unit_id, name)
