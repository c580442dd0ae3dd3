"""The statistics, computed by the database: a handful of grouped queries, never a case loaded
into Python.

Every query starts from the same selection of cases, `sc` — the cases the user may see
(`access.visible_cases`, the rule every list uses) within the scope (a principal's units, or
one unit) — written once by peewee and used as a common table expression. Counts come back
grouped by unit and month and are summed in Python into the whole, each unit and each month;
medians and 90th percentiles are computed in SQL for each of those groups (`_spreads`).

Definitions (DOMAIN.md rules named where one is used; `rows.HOW` says them in Swedish):
- started: cases created in the period; a child is under 18 on that day (by the personal
  number, a samordningsnummer's day less 60);
- ended: closures dated in the period, by reason (DOMAIN step 11), and cases that ended before a
  SIP — declined by the person or refused with a reason (step 1) — by their status change;
- open at the end: created by then and not ended by then;
- need → consent: days from the need noticed (the case's creation when no need is recorded) to
  the case's first consent, counted when that consent is in the period (step 2);
- consent → meeting: days from the first consent (the menprövning when there is none) to the
  case's first held SIP meeting — not a follow-up — counted when the meeting is in the period;
- meetings: every meeting held in the period; the person took part unless marked absent (as
  `attendance.came`); outpatient care (HSL) took part when an outpatient participant came (step
  4); an interpreter was needed when the person needs one, and booked when one was invited;
- plans: every plan version whose meeting was in the period. Documented within two working
  days (step 8, `rules.workdays`: holidays and the free eves midsommarafton, julafton and
  nyårsafton are not working days) when every principal's part was finished by the deadline;
  the base is the plans documented or past their deadline. Approved by all: every part
  approved; days to approval from the meeting to the last approval;
- follow-ups (step 10): plan versions (approved, or followed up) whose follow-up is due in the
  period — the date set, or a year after the meeting. On time: the next version's meeting was
  on or before that day; late: after it; skipped: not held and a reason noted; overdue: none of
  these and the day has passed; coming: the day has not come yet;
- kvittens: receipts of messages requiring kvittens, on cases the user may see, that the user
  may read — their own, or of a message they sent (the mailbox's rule and PostgreSQL's
  row-level security; the command line reads all) — grouped by the recipient's unit (the scope
  too picks the recipient's unit): minutes from delivery to kvittens, weekends and holidays
  included, for those delivered in the period; waiting: at the end of the period (or now), still
  owed after the end of the second working day after the day of delivery (`rules.workdays`, as
  the documentation deadline of DOMAIN step 8; a withdrawn or ended one is not);
- consents expiring: open cases whose consent lapses within 30 days from today.

Percentiles are nearest-rank: the value at place ⌈p·n/100⌉ of the n sorted values, with
ROW_NUMBER and COUNT over a window. SQLite has no percentile_cont, and this definition is
computed alike by both engines — and is a value that actually occurred.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import peewee as pw

from sipdesk.accounts.access import EVERY_CASE, visible_cases
from sipdesk.rules.workdays import add_workdays, is_workday, one_year_after
from sipdesk.statistics.dialect import Dialect
from sipdesk.statistics.figures import MEDIAN, P90, Evaluations, Figures, Spread
from sipdesk.statistics.period import Period, Scope, ScopeKind
from sipdesk.storage.db import database, engine_of
from sipdesk.storage.models import Case, CaseStatus, ConsentBasis, Role, Unit, User

DOCUMENTATION_WORKDAYS = 2  # DOMAIN step 8 (plan_records.DOCUMENTATION_WORKDAYS)
KVITTENS_WORKDAYS = 2  # a kvittens owed longer than this is counted as waiting
EXPIRING_DAYS = 30  # consent.WARN_DAYS
ENDED_BEFORE_SIP = (CaseStatus.DECLINED.value, CaseStatus.REFUSED.value)
OPEN_STATES = tuple(s.value for s in CaseStatus if s.is_open)

# The columns of the selection of cases, `sc`.
_SC_COLUMNS = ("id", "unit_id", "person_id", "created_at", "status", "consent_basis",
               "consent_valid_until")


@dataclass(frozen=True)
class Calendar:
    """The Swedish calendar the queries need, given to them as two strings of digits — one per
    day from `first` on: the days from that day to its documentation deadline (two working days
    later, DOMAIN step 8: weekends, public holidays and the free eves midsommarafton, julafton
    and nyårsafton are not working days — `rules.workdays`), and the days to the same date a
    year later (`workdays.one_year_after`, less 360). A query looks a day up with `substr`:
    the rule stays in Python, the work in the database, and both engines get the same dates."""

    first: dt.date
    due_codes: str
    year_codes: str

    @classmethod
    def around(cls, period: Period) -> Calendar:
        """From a year before the period (the follow-ups due in it were set then) to its end."""
        first = period.start - dt.timedelta(days=367)
        days = (period.end - first).days + 1
        # Working days up to a fortnight past the end: every deadline lies within that.
        flags = [is_workday(first + dt.timedelta(days=i)) for i in range(days + 14)]
        due, year = [], []
        following: list[int] = []  # the next working days after day i, nearest first
        ahead = [i for i in range(len(flags)) if flags[i]]
        position = 0
        for i in range(days):
            while position < len(ahead) and ahead[position] <= i:
                position += 1
            following = ahead[position:position + DOCUMENTATION_WORKDAYS]
            due.append(str(following[-1] - i))
            day = first + dt.timedelta(days=i)
            year.append(str((one_year_after(day) - day).days - 360))
        return cls(first, "".join(due), "".join(year))

    def sql_after(self, d: Dialect, day: str, codes: str, *, offset: int = 0) -> str:
        place = f"({d.days(d.date_literal(self.first), day)} + 1)"
        count = f"CAST(NULLIF(substr('{codes}', {place}, 1), '') AS INTEGER)"
        if offset:
            count = f"{count} + {offset}"
        return d.add_days(day, count)


@dataclass
class Group:
    """Where one grouped row's numbers go: the whole, a unit, a month (None: not by month)."""

    unit_id: int
    month: str | None


Sink = Callable[[Group, Callable[[Figures], None]], None]


class Request:
    """One computation: the user's selection of cases as SQL, the dialect, the dates."""

    def __init__(self, user: User | None, period: Period, scope: Scope, today: dt.date) -> None:
        self.period = period
        self.scope = scope
        self.today = today
        self.d = Dialect(engine_of())
        self.user = user
        query = Case.select(*(getattr(Case, "unit" if c == "unit_id" else
                                      "person" if c == "person_id" else c)
                              for c in _SC_COLUMNS)).where(self._case_condition())
        case_sql, self.case_params = query.sql()
        self.cases_cte = f"sc({', '.join(_SC_COLUMNS)}) AS {self.d.inlined}({case_sql})"

    def _visible(self) -> pw.ColumnBase:
        return EVERY_CASE if self.user is None else visible_cases(self.user)

    def _case_condition(self) -> pw.ColumnBase:
        condition = self._visible()
        if self.scope.kind is ScopeKind.UNIT:
            condition &= Case.unit == self.scope.id
        elif self.scope.kind is ScopeKind.PRINCIPAL:
            condition &= Case.unit.in_(Unit.select(Unit.id).where(
                Unit.principal == self.scope.id))
        return condition

    def visible_ids_sql(self) -> tuple[str, list[Any]]:
        """The ids of every case the user may see (whatever the scope), for messages."""
        sql, params = Case.select(Case.id).where(self._visible()).sql()
        return sql, list(params)

    def visible_cte(self, visible_sql: str) -> str:
        """`vc(id)`: the cases the user may see, inlined so that a message's case is looked up
        by its key rather than every visible case gathered first."""
        return f"vc(id) AS {self.d.inlined}({visible_sql.replace('%s', '?')})"

    def recipient_scope(self) -> tuple[str, list[Any]]:
        """The scope as a condition on the recipient's unit (`u.unit_id`), and the rule for
        messages: a user reads a receipt only as its recipient or as the message's sender — the
        only messages any list shows them (`messages.mailbox`), and what PostgreSQL's row-level
        security lets them read (migration 0016), so both engines count the same. The command
        line (no user) counts every receipt."""
        condition, params = "", []
        if self.user is not None:
            condition, params = " AND (r.recipient_id = ? OR m.sender_id = ?)", [
                self.user.id, self.user.id]
        if self.scope.kind is ScopeKind.UNIT:
            return f"{condition} AND u.unit_id = ?", [*params, self.scope.id]
        if self.scope.kind is ScopeKind.PRINCIPAL:
            return (f"{condition} AND u.unit_id IN"
                    " (SELECT un.id FROM unit un WHERE un.principal_id = ?)",
                    [*params, self.scope.id])
        return condition, params

    @cached_property
    def _calendar(self) -> Calendar:
        return Calendar.around(self.period)

    def due(self, day: str) -> str:
        """SQL: the documentation deadline of the meeting day `day` (NULL outside the
        calendar)."""
        return self._calendar.sql_after(self.d, day, self._calendar.due_codes)

    def year_after(self, day: str) -> str:
        """SQL: the date a year after `day` (NULL outside the calendar)."""
        return self._calendar.sql_after(self.d, day, self._calendar.year_codes, offset=360)

    @property
    def calendar_start(self) -> dt.date:
        return self._calendar.first

    def run(self, body: str, params: Sequence[Any], *,
            extra_ctes: str = "") -> list[tuple[Any, ...]]:
        """`WITH sc AS (…)[, <extra_ctes>] <body>`, both written with `?` markers."""
        ctes = [self.cases_cte]
        if extra_ctes:
            ctes.append(self.d.sql(extra_ctes))
        text = f"WITH {', '.join(ctes)} {self.d.sql(body)}"
        return list(database.execute_sql(text, [*self.case_params, *params]).fetchall())


def _adding(method: str, *args: Any) -> Callable[[Figures], None]:
    """What a grouped row adds to a `Figures`: `f.<method>(*args)`."""
    def add(f: Figures) -> None:
        getattr(f, method)(*args)
    return add


# ---- counts -------------------------------------------------------------------------------------

def _started(req: Request, sink: Sink) -> None:
    d = req.d
    pn = "p.personal_number"
    birth_day = f"CAST(substr({pn}, 7, 2) AS INTEGER)"
    # The day a person turns 18, as a number (a samordningsnummer's day is the birth day + 60).
    turns_18 = (f"((CAST(substr({pn}, 1, 4) AS INTEGER) + 18) * 10000"
                f" + CAST(substr({pn}, 5, 2) AS INTEGER) * 100"
                f" + CASE WHEN {birth_day} > 60 THEN {birth_day} - 60 ELSE {birth_day} END)")
    rows = req.run(
        f"SELECT {d.no_index('sc.unit_id')}, {d.month('sc.created_at')}, COUNT(*),"
        f" SUM(CASE WHEN {d.day_number('sc.created_at')} < {turns_18} THEN 1 ELSE 0 END)"
        " FROM sc JOIN person p ON p.id = sc.person_id"
        " WHERE sc.created_at >= ? AND sc.created_at < ? GROUP BY 1, 2",
        [d.value(req.period.start), d.value(req.period.after_end)])
    for unit_id, month, started, children in rows:
        def add(f: Figures, started: int = started, children: int = children) -> None:
            f.count("started", started)
            f.count("started_children", int(children or 0))
        sink(Group(unit_id, month), add)


def _ended(req: Request, sink: Sink) -> None:
    d = req.d
    closures = req.run(
        f"SELECT sc.unit_id, {d.month('cl.closed_on')}, cl.reason, COUNT(*)"
        # CROSS JOIN: SQLite reads the closures and looks their cases up (it would otherwise
        # walk every case and look for a closure); PostgreSQL reads it as a plain join.
        " FROM closure cl CROSS JOIN sc WHERE sc.id = cl.case_id"
        " AND cl.closed_on >= ? AND cl.closed_on <= ? GROUP BY 1, 2, 3",
        [d.value(req.period.start), d.value(req.period.end)])
    before_sip = req.run(
        f"SELECT sc.unit_id, {d.month('ch.at')}, ch.to_status, COUNT(*)"
        " FROM case_status_change ch JOIN sc ON sc.id = ch.case_id"
        " WHERE ch.to_status IN (?, ?) AND ch.at >= ? AND ch.at < ? GROUP BY 1, 2, 3",
        [*ENDED_BEFORE_SIP, d.value(req.period.start), d.value(req.period.after_end)])
    for unit_id, month, reason, count in [*closures, *before_sip]:
        def add(f: Figures, reason: str = reason, count: int = count) -> None:
            f.count("ended", count)
            f.count_in("ended_by_reason", reason, count)
        sink(Group(unit_id, month), add)


def _open_at_end(req: Request, sink: Sink) -> None:
    d = req.d
    closed = d.none_in("sc.id", "closure cl", "case_id", "cl.closed_on <= ?")
    declined = d.none_in("sc.id", "case_status_change ch", "case_id",
                         "ch.to_status IN (?, ?) AND ch.at < ?")
    rows = req.run(
        f"SELECT {d.no_index('sc.unit_id')}, COUNT(*) FROM sc WHERE sc.created_at < ?"
        f" AND {closed} AND {declined} GROUP BY 1",
        [d.value(req.period.after_end), d.value(req.period.end), *ENDED_BEFORE_SIP,
         d.value(req.period.after_end)])
    for unit_id, count in rows:
        sink(Group(unit_id, None), _adding("count_snapshot", "open_at_end", count))


def _meetings(req: Request, sink: Sink) -> None:
    d = req.d

    def took_part(condition: str) -> str:
        return f"MAX(CASE WHEN {condition} THEN 1 ELSE 0 END)"

    # One row per meeting with its participants gathered in one join (an EXISTS per question
    # made PostgreSQL read the whole participant table three times).
    person = took_part("pa.kind = 'person' AND (pa.attended IS NULL OR pa.attended = TRUE)")
    outpatient = took_part("pa.outpatient = TRUE AND pa.attended = TRUE")
    interpreter = took_part("pa.kind = 'interpreter'")
    needs = "CASE WHEN p.needs_interpreter = TRUE THEN 1 ELSE 0 END"
    rows = req.run(
        "SELECT hm.unit_id, hm.month, COUNT(*), SUM(hm.person), SUM(hm.outpatient),"
        " SUM(hm.needs), SUM(hm.needs * hm.interpreter) FROM ("
        f"SELECT m.id, sc.unit_id, {d.month('m.starts_at')} AS month, {needs} AS needs,"
        f" {person} AS person, {outpatient} AS outpatient, {interpreter} AS interpreter"
        " FROM meeting m JOIN sc ON sc.id = m.case_id JOIN person p ON p.id = sc.person_id"
        " LEFT JOIN participant pa ON pa.meeting_id = m.id"
        " WHERE m.status = 'held' AND m.starts_at >= ? AND m.starts_at < ?"
        " GROUP BY m.id, sc.unit_id, m.starts_at, p.needs_interpreter) hm GROUP BY 1, 2",
        [d.value(req.period.start), d.value(req.period.after_end)])
    for unit_id, month, held, person_n, outpatient_n, needed, booked in rows:
        def add(f: Figures, values: tuple[int, ...] = (held, person_n, outpatient_n, needed,
                                                        booked)) -> None:
            for name, value in zip(("meetings_held", "person_took_part", "outpatient_took_part",
                                    "interpreter_needed", "interpreter_booked"), values,
                                   strict=True):
                f.count(name, int(value or 0))
        sink(Group(unit_id, month), add)


# One row per plan version with its meeting in the period: its parts finished and approved.
def _plans_cte(req: Request) -> str:
    return (
        "pl AS (SELECT pv.id, sc.unit_id, pv.meeting_date, MIN(pv.due) AS due,"
        " COUNT(pp.id) AS parts, COUNT(pp.finished_at) AS finished,"
        " MAX(pp.finished_at) AS last_finished, COUNT(pp.approved_at) AS approved,"
        " MAX(pp.approved_at) AS last_approved"
        f" FROM (SELECT p.id, p.case_id, p.meeting_date, {req.due('p.meeting_date')} AS due"
        "  FROM plan_version p WHERE p.meeting_date >= ? AND p.meeting_date <= ?) pv"
        " JOIN sc ON sc.id = pv.case_id LEFT JOIN principal_part pp ON pp.plan_id = pv.id"
        " GROUP BY pv.id, sc.unit_id, pv.meeting_date)")


def _plans(req: Request, sink: Sink) -> None:
    d = req.d
    documented = "pl.parts > 0 AND pl.finished = pl.parts"
    rows = req.run(
        f"SELECT pl.unit_id, {d.month('pl.meeting_date')}, COUNT(*),"
        f" SUM(CASE WHEN ({documented}) OR pl.due < ? THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {documented} AND {d.day('pl.last_finished')} <= pl.due"
        "  THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN pl.parts > 0 AND pl.approved = pl.parts THEN 1 ELSE 0 END)"
        " FROM pl GROUP BY 1, 2",
        [d.value(req.period.start), d.value(req.period.end), d.value(req.today)],
        extra_ctes=_plans_cte(req))
    for unit_id, month, plans, due, in_time, approved in rows:
        def add(f: Figures, values: tuple[int, ...] = (plans, due, in_time, approved)) -> None:
            for name, value in zip(("plans", "plans_due", "documented_in_time",
                                    "approved_by_all"), values, strict=True):
                f.count(name, int(value or 0))
        sink(Group(unit_id, month), add)


# Plan versions in force (approved, or followed by a new version) with their follow-up's day —
# the date set, else a year after the meeting (DOMAIN step 10) — and the next version's meeting.
def _follow_ups_cte(req: Request) -> str:
    # A follow-up is due at most a year after its meeting: older plans need not be read. The next
    # versions are grouped once and joined (a correlated MIN per plan version made SQLite scan
    # the whole table for every row: an hour at 100,000 cases).
    since = req.d.date_literal(req.calendar_start)
    return (
        "nv AS (SELECT nx.previous_id, MIN(nx.meeting_date) AS done_on FROM plan_version nx"
        f" WHERE nx.previous_id IS NOT NULL AND nx.meeting_date >= {since}"
        " GROUP BY nx.previous_id),"
        " fu AS (SELECT pv.id, sc.unit_id,"
        f" COALESCE(pv.follow_up_date, {req.year_after('pv.meeting_date')}) AS due,"
        " pv.follow_up_skipped_reason AS reason, nv.done_on AS done_on"
        " FROM plan_version pv JOIN sc ON sc.id = pv.case_id"
        " LEFT JOIN nv ON nv.previous_id = pv.id"
        f" WHERE pv.meeting_date >= {since}"
        " AND (pv.locked_at IS NOT NULL OR nv.previous_id IS NOT NULL))")


def _follow_ups(req: Request, sink: Sink) -> None:
    d = req.d
    not_held = "fu.done_on IS NULL AND fu.reason = ''"
    rows = req.run(
        f"SELECT fu.unit_id, {d.month('fu.due')}, COUNT(*),"
        " SUM(CASE WHEN fu.done_on <= fu.due THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN fu.done_on > fu.due THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN fu.done_on IS NULL AND fu.reason <> '' THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {not_held} AND fu.due < ? THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN {not_held} AND fu.due >= ? THEN 1 ELSE 0 END)"
        " FROM fu WHERE fu.due >= ? AND fu.due <= ? GROUP BY 1, 2",
        [d.value(req.today), d.value(req.today), d.value(req.period.start),
         d.value(req.period.end)],
        extra_ctes=_follow_ups_cte(req))
    names = ("follow_ups_due", "follow_ups_on_time", "follow_ups_late", "follow_ups_skipped",
             "follow_ups_overdue", "follow_ups_coming")
    for unit_id, month, *values in rows:
        def add(f: Figures, values: list[int] = values) -> None:
            for name, value in zip(names, values, strict=True):
                f.count(name, int(value or 0))
        sink(Group(unit_id, month), add)
    reasons = req.run(
        "SELECT fu.unit_id, fu.reason, COUNT(*) FROM fu WHERE fu.done_on IS NULL"
        " AND fu.reason <> '' AND fu.due >= ? AND fu.due <= ? GROUP BY 1, 2",
        [d.value(req.period.start), d.value(req.period.end)],
        extra_ctes=_follow_ups_cte(req))
    for unit_id, reason, count in reasons:
        sink(Group(unit_id, None),
             _adding("count_in", "skipped_reasons", reason, count))


def _kvittens_waiting(req: Request, sink: Sink) -> None:
    """Receipts still owed at the end of the period (or now) more than two working days after
    they were delivered."""
    d = req.d
    moment = min(dt.datetime.combine(req.period.after_end, dt.time()),
                 dt.datetime.combine(req.today, dt.time(23, 59, 59)))
    # The last delivery day whose two working days had passed by `moment`'s day.
    last = moment.date() - dt.timedelta(days=1)
    while add_workdays(last, KVITTENS_WORKDAYS) >= moment.date():
        last -= dt.timedelta(days=1)
    visible, visible_params = req.visible_ids_sql()
    scope, scope_params = req.recipient_scope()
    rows = req.run(
        "SELECT u.unit_id, COUNT(*) FROM receipt r JOIN message m ON m.id = r.message_id"
        " JOIN vc ON vc.id = m.case_id JOIN app_user u ON u.id = r.recipient_id"
        " WHERE m.requires_ack = TRUE" + scope +
        " AND r.delivered_at < ?"
        " AND (r.acknowledged_at IS NULL OR r.acknowledged_at > ?)"
        " AND (m.withdrawn_at IS NULL OR m.withdrawn_at > ?)"
        " AND (m.ack_ended_at IS NULL OR m.ack_ended_at > ?) GROUP BY 1",
        [*visible_params, *scope_params, d.value(last + dt.timedelta(days=1)),
         d.value(moment), d.value(moment), d.value(moment)],
        extra_ctes=req.visible_cte(visible))
    for unit_id, count in rows:
        sink(Group(unit_id, None),
             _adding("count_snapshot", "kvittens_waiting", count))


def _consents_expiring(req: Request, sink: Sink) -> None:
    d = req.d
    marks = ", ".join("?" for _ in OPEN_STATES)
    rows = req.run(
        f"SELECT {d.no_index('sc.unit_id')}, COUNT(*) FROM sc WHERE sc.status IN ({marks})"
        " AND sc.consent_basis = ? AND sc.consent_valid_until >= ?"
        " AND sc.consent_valid_until <= ? GROUP BY 1",
        [*OPEN_STATES, ConsentBasis.CONSENT.value, d.value(req.today),
         d.value(req.today + dt.timedelta(days=EXPIRING_DAYS))])
    for unit_id, count in rows:
        sink(Group(unit_id, None),
             _adding("count_snapshot", "consents_expiring", count))


COUNTS: tuple[Callable[[Request, Sink], None], ...] = (
    _started, _ended, _open_at_end, _meetings, _plans, _follow_ups, _kvittens_waiting,
    _consents_expiring)


# ---- spreads: medians and 90th percentiles -------------------------------------------------------

def _spread_sources(req: Request) -> tuple[list[str], list[Any], str]:
    """The values whose median and 90th percentile are wanted, as SELECTs of (measure, unit,
    month, value), their parameters, and the extra common table expressions they need."""
    d = req.d
    start, end, after = (d.value(req.period.start), d.value(req.period.end),
                         d.value(req.period.after_end))
    need_day = f"COALESCE(n.noticed_on, {d.day('sc.created_at')})"
    need_to_consent = (
        f"SELECT 'need_to_consent', sc.unit_id, {d.month('co.given_on')},"
        f" {d.days(need_day, 'co.given_on')}"
        " FROM consent co JOIN sc ON sc.id = co.case_id"
        " LEFT JOIN need_record n ON n.case_id = co.case_id"
        " WHERE co.given_on >= ? AND co.given_on <= ?"
        " AND NOT EXISTS (SELECT 1 FROM consent e WHERE e.case_id = co.case_id"
        "  AND (e.given_on < co.given_on OR (e.given_on = co.given_on AND e.id < co.id)))")
    basis = ("COALESCE((SELECT MIN(e.given_on) FROM consent e WHERE e.case_id = m.case_id),"
             " (SELECT MIN(h.assessed_on) FROM harm_assessment h WHERE h.case_id = m.case_id))")
    consent_to_meeting = (
        "SELECT 'consent_to_meeting', fm.unit_id, fm.month,"
        f" {d.days('fm.basis', 'fm.meeting_day')} FROM ("
        f"SELECT sc.unit_id, {d.month('m.starts_at')} AS month,"
        f" {d.day('m.starts_at')} AS meeting_day, {basis} AS basis"
        " FROM meeting m JOIN sc ON sc.id = m.case_id"
        " WHERE m.status = 'held' AND m.follow_up = FALSE AND m.starts_at >= ? AND m.starts_at < ?"
        " AND NOT EXISTS (SELECT 1 FROM meeting e WHERE e.case_id = m.case_id"
        "  AND e.status = 'held' AND e.follow_up = FALSE"
        "  AND (e.starts_at < m.starts_at OR (e.starts_at = m.starts_at AND e.id < m.id)))"
        ") fm WHERE fm.basis IS NOT NULL")
    days_to_approval = (
        f"SELECT 'days_to_approval', pl.unit_id, {d.month('pl.meeting_date')},"
        f" {d.days('pl.meeting_date', d.day('pl.last_approved'))}"
        " FROM pl WHERE pl.parts > 0 AND pl.approved = pl.parts")
    visible, visible_params = req.visible_ids_sql()
    scope, scope_params = req.recipient_scope()
    kvittens = (
        f"SELECT 'kvittens_minutes', u.unit_id, {d.month('r.delivered_at')},"
        f" {d.minutes('r.delivered_at', 'r.acknowledged_at')}"
        " FROM receipt r JOIN message m ON m.id = r.message_id"
        " JOIN vc ON vc.id = m.case_id JOIN app_user u ON u.id = r.recipient_id"
        " WHERE m.requires_ack = TRUE" + scope +
        " AND r.acknowledged_at IS NOT NULL AND r.delivered_at >= ? AND r.delivered_at < ?")
    selects = [need_to_consent, consent_to_meeting, days_to_approval, kvittens]
    # Parameters in the order their markers appear: the CTEs (pl, vc), then each SELECT.
    params = [start, end, *visible_params, start, end, start, after, *scope_params, start, after]
    ctes = f"{_plans_cte(req)}, {req.visible_cte(visible)}"
    return selects, params, ctes


def _spreads(req: Request) -> list[tuple[Any, ...]]:
    """(measure, 'all'|'unit'|'month', key, n, median, p90) for every group.

    The database sorts the values once, counting equal values of a unit and month together
    (`GROUP BY measure, x, unit, month` — one ordered scan, a row per distinct value, not per
    case); the walk up that ordered list finds each group's ranks (`_nearest_ranks`). A window
    pass per group (ROW_NUMBER over three partitions) sorted every value three times over and
    took half the time of the whole statistics at 100,000 cases."""
    selects, params, ctes = _spread_sources(req)
    rows = req.run(
        "SELECT measure, x, unit_id, month, COUNT(*) FROM b"
        " GROUP BY measure, x, unit_id, month ORDER BY measure, x, unit_id, month",
        params,
        extra_ctes=f"{ctes}, b(measure, unit_id, month, x) AS ({' UNION ALL '.join(selects)})")
    return _nearest_ranks(rows)


def _nearest_ranks(rows: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """From (measure, value, unit, month, count) rows in order of measure and value: each
    group's (measure, kind, key, n, median, p90), the nearest-rank percentiles — the value at
    place ⌈p·n/100⌉ of the group's n sorted values."""
    groups: dict[tuple[str, str, str], list[tuple[int, int]]] = {}
    for measure, x, unit_id, month, count in rows:
        for kind, key in (("all", ""), ("unit", str(unit_id)), ("month", month)):
            groups.setdefault((measure, kind, key), []).append((int(x), int(count)))
    found = []
    for (measure, kind, key), values in groups.items():
        n = sum(count for _x, count in values)
        places = [(n * p + 99) // 100 for p in (MEDIAN, P90)]
        picked: list[int | None] = [None, None]
        seen = 0
        for x, count in values:
            seen += count
            for i, place in enumerate(places):
                if picked[i] is None and seen >= place:
                    picked[i] = x
            if picked[1] is not None:
                break
        found.append((measure, kind, key, n, *picked))
    return found


# ---- evaluations of meetings (issue 14) ----------------------------------------------------------

def evaluation_figures(req: Request) -> tuple[Evaluations, dict[int, Evaluations]]:
    """Evaluations of the meetings held in the period on the scope's cases the user may see,
    for the whole and for each unit (one with a held meeting) — counted by
    `meetings.evaluation.evaluation_summary` (one rule for both). The command line (no user)
    counts every case, as an administrator would."""
    from sipdesk.meetings.evaluation import (
        QUESTIONS,
        EvaluationSummary,
        evaluation_summaries_by_unit,
        evaluation_summary,
    )

    actor = req.user or User(role=Role.ADMINISTRATOR.value, active=True)
    unit_ids: list[int] | None = None
    if req.scope.kind is ScopeKind.UNIT:
        unit_ids = [int(req.scope.id or 0)]
    elif req.scope.kind is ScopeKind.PRINCIPAL:
        unit_ids = [u.id for u in Unit.select(Unit.id).where(Unit.principal == req.scope.id)]

    def figures(summary: EvaluationSummary) -> Evaluations:
        return Evaluations(summary.held_meetings, summary.evaluated_meetings,
                           {q.short: summary.means[q.key].mean for q in QUESTIONS})

    whole = evaluation_summary(actor, held_from=req.period.start, held_to=req.period.end,
                               unit_ids=unit_ids)
    units = evaluation_summaries_by_unit(actor, held_from=req.period.start,
                                         held_to=req.period.end, unit_ids=unit_ids)
    return figures(whole), {unit: figures(summary) for unit, summary in units.items()}


def run_counts(req: Request, sink: Sink, steps: Iterable[Callable[[Request, Sink], None]]
               = COUNTS) -> None:
    for step in steps:
        step(req, sink)


def spread_rows(req: Request) -> list[tuple[Any, ...]]:
    return _spreads(req)


def to_spread(n: int, median: Any, p90: Any) -> Spread:
    return Spread(int(n), None if median is None else int(median),
                  None if p90 is None else int(p90))
