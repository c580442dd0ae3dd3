"""The figures themselves: what is counted for a scope and period, as plain values.

`Figures` holds one set — for the whole selection, one unit or one month. Counts add up (a
month's and a unit's figures are summed from the same grouped rows); a `Spread` (median and 90th
percentile) is computed by the database for each group of its own. Shares are not stored: each is
a count over its base, None when the base is empty (shown as "—").

Snapshot figures — open cases at the end of the period, consents that lapse in the next 30 days,
kvittenser waiting for more than two working days — describe a moment, not a month: months have
None there.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sipdesk.statistics.period import Period, Scope

# Nearest-rank percentiles (see sipdesk.statistics.queries): the value at place ⌈p·n/100⌉ in
# the sorted list — a value that occurs, identical on SQLite and PostgreSQL.
MEDIAN, P90 = 50, 90


@dataclass
class Spread:
    """How long something took, in days (kvittens: minutes): how many, median, 90th percentile."""

    count: int = 0
    median: int | None = None
    p90: int | None = None


@dataclass
class Evaluations:
    """Meeting evaluations (`meetings.evaluation.evaluation_summary`): of the meetings held in
    the period, how many were evaluated, and the mean score per question (1–5; short name →
    mean, None when no one answered it)."""

    meetings: int
    evaluated: int
    means: dict[str, float | None] = field(default_factory=dict)

    @property
    def mean_score(self) -> float | None:
        """The mean over the questions answered."""
        values = [v for v in self.means.values() if v is not None]
        return sum(values) / len(values) if values else None


@dataclass
class Figures:
    # Cases (DOMAIN "The life of a case")
    started: int = 0
    started_children: int = 0
    ended: int = 0
    ended_by_reason: dict[str, int] = field(default_factory=dict)
    open_at_end: int | None = None
    # Time to consent and to the SIP meeting (days)
    need_to_consent: Spread = field(default_factory=Spread)
    consent_to_meeting: Spread = field(default_factory=Spread)
    # Meetings held
    meetings_held: int = 0
    person_took_part: int = 0
    outpatient_took_part: int = 0
    interpreter_needed: int = 0
    interpreter_booked: int = 0
    # Plans whose meeting was in the period
    plans: int = 0
    plans_due: int = 0  # documented, or past the two working days
    documented_in_time: int = 0
    approved_by_all: int = 0
    days_to_approval: Spread = field(default_factory=Spread)
    # Follow-ups due in the period
    follow_ups_due: int = 0
    follow_ups_on_time: int = 0
    follow_ups_late: int = 0
    follow_ups_skipped: int = 0
    follow_ups_overdue: int = 0
    follow_ups_coming: int = 0
    skipped_reasons: dict[str, int] = field(default_factory=dict)
    # Messages requiring kvittens (by the recipient's unit)
    kvittens_minutes: Spread = field(default_factory=Spread)
    kvittens_waiting: int | None = None
    # Consents
    consents_expiring: int | None = None
    # Meeting evaluations: for the whole selection and each unit (not per month)
    evaluations: Evaluations | None = None

    @property
    def started_adults(self) -> int:
        return self.started - self.started_children

    def count(self, name: str, value: int) -> None:
        """Add `value` to the count `name`."""
        setattr(self, name, getattr(self, name) + value)

    def count_snapshot(self, name: str, value: int) -> None:
        setattr(self, name, (getattr(self, name) or 0) + value)

    def settle_snapshots(self) -> None:
        """A snapshot figure of the whole or of a unit with nothing to count is 0, not "—"
        (None stays for months, where a moment has no meaning)."""
        for name in SNAPSHOTS:
            if getattr(self, name) is None:
                setattr(self, name, 0)

    def count_in(self, name: str, key: str, value: int) -> None:
        """Add `value` under `key` of the dict `name` (ended_by_reason, skipped_reasons)."""
        counts: dict[str, int] = getattr(self, name)
        counts[key] = counts.get(key, 0) + value


# The figures that describe a moment (None in a month's figures).
SNAPSHOTS = ("open_at_end", "kvittens_waiting", "consents_expiring")


def share(part: int, whole: int) -> float | None:
    """part / whole, None for an empty base."""
    return part / whole if whole else None


@dataclass(frozen=True)
class Hidden:
    """The keys of one column's figures that are written "<5" (`masking`): a count's attribute
    name ("started"), a reason ("ended_by_reason:declined"), a median's count
    ("consent_to_meeting"), "evaluations.evaluated"."""

    keys: frozenset[str] = frozenset()

    def __contains__(self, key: object) -> bool:
        return key in self.keys


@dataclass(frozen=True)
class Protection:
    """The hidden cells of the whole selection, of each unit and of each month."""

    whole: Hidden = Hidden()
    units: dict[int, Hidden] = field(default_factory=dict)
    months: dict[str, Hidden] = field(default_factory=dict)

    def unit(self, unit_id: int) -> Hidden:
        return self.units.get(unit_id, Hidden())

    def month(self, month: str) -> Hidden:
        return self.months.get(month, Hidden())


@dataclass(frozen=True)
class UnitFigures:
    unit_id: int
    unit: str
    principal: str
    figures: Figures


@dataclass(frozen=True)
class Statistics:
    """Everything the Statistik page, the report and the export show for one request."""

    period: Period
    scope: Scope
    scope_label: str  # "Exempelby kommun (hela kommunen)", "Hemtjänst Norr"
    computed_on: dt.date
    total: Figures
    units: list[UnitFigures]
    months: list[tuple[str, Figures]]  # every month of the period, "2026-01" first
    # The counts written "<5" (`masking.protected`, which `compute.statistics_for` always
    # applies): one decision for the page's table, its charts and the report.
    hidden: Protection = field(default_factory=Protection)
