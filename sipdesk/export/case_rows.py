"""One row per case for the municipality's own follow-up in Excel (issue 15, Export): its
dates, status, unit, principals and the per-case figures — read in pages, in SQL.

The rows are read a page at a time (`PAGE_SIZE` cases, in case-number order, the next page after
the last case number seen), so 100,000 cases never sit in memory at once and no case is read as
a whole object. A page costs a fixed handful of queries, whatever its size: the cases with their
person, unit, coordinator, need and closure in one, then one each for the consents, the
menprövningar, the meetings, the participants of the first meetings, the plan versions, the
principals' parts of those versions, the consents' principals and the endings without a
closure — each for all the page's cases at once (no query per case).

Which cases: those the user may see (`access.visible_cases`, the case list's rule); the command
line without a sipdesk login (`user` None: the database's owner, a SQLite file) sees them all.
With a period, the cases open at some time in it: registered on or before its last day and not
ended before its first.

What the dates mean (the same words as the column headers):
- *Behov registrerat*: the day the need was noticed (the need's record), else the day the case
  was registered;
- *Samtycke* / *Menprövning*: the first consent given, the first menprövning that found SIP does
  no harm; the earlier of the two is the day the work could start (*days need → consent*);
- *Första SIP-möte*: the first meeting held that was not a follow-up (*days consent → meeting*);
  whether the person, the region's outpatient care (HSL) and an interpreter took part in it;
- *Plan dokumenterad*: the day the last principal marked its part of the first plan version
  finished; *inom två arbetsdagar* compares it with the deadline (`rules.workdays`, two Swedish
  working days after the meeting, DOMAIN.md step 8);
- *Plan godkänd*: the day the first version was approved by all (locked); *days to approval*
  count from its meeting;
- *Uppföljning*: the follow-up date of the newest version, whether it is skipped (the reason is
  not exported: free text may name people), and the newest follow-up meeting held;
- *Avslutat*: the closure (with its reason), or the day the person declined or the principals
  refrained from a SIP.

Personal data — the person's name and personal number, and the coordinator's name — are columns
only when asked for (`personal_data`). A person with a protected identity
(`casework.protected`) is never named in an export, whoever exports: a file leaves sipdesk's
access rules behind (it is copied, mailed, kept on a shared drive), so their name and number
are written as in a masked row of the case list. No address is ever exported.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

import peewee as pw

from sipdesk.accounts.access import visible_cases
from sipdesk.casework.consent import Consent, ConsentPrincipal, HarmAssessment, HarmConclusion
from sipdesk.casework.lifecycle import CaseStatusChange, Closure, ClosureReason, NeedRecord
from sipdesk.casework.protected import MASKED_NAME, MASKED_NUMBER
from sipdesk.errors import ValidationError
from sipdesk.rules.personal_number import COORDINATION_OFFSET
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.db import Engine, database, engine_of
from sipdesk.storage.meeting_records import Meeting, MeetingStatus, Participant, ParticipantKind
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    Person,
    Principal,
    Protection,
    Unit,
    User,
)
from sipdesk.storage.plan_records import DOCUMENTATION_WORKDAYS, PlanVersion, PrincipalPart

PAGE_SIZE = 1000
ADULT_AGE = 18
# The endings that have no closure record: the day of the move to these states.
_ENDED_WITHOUT_CLOSURE = {
    CaseStatus.DECLINED.value: "Den enskilde tackade nej",
    CaseStatus.REFUSED.value: "SIP blev inte av",
}


class Kind(Enum):
    """How a column's values are written: a date is a real date cell in Excel."""

    TEXT = "text"
    DATE = "date"
    NUMBER = "number"
    YES_NO = "yes_no"


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # Swedish, as the spreadsheet's header row says it
    kind: Kind
    width: int  # in characters, for the spreadsheet
    personal: bool = False  # only with "med personuppgifter"


COLUMNS: tuple[Column, ...] = (
    Column("number", "Ärende", Kind.TEXT, 14),
    Column("personal_number", "Personnummer", Kind.TEXT, 15, personal=True),
    Column("name", "Namn", Kind.TEXT, 26, personal=True),
    Column("status", "Status", Kind.TEXT, 22),
    Column("unit", "Enhet", Kind.TEXT, 24),
    Column("unit_principal", "Enhetens huvudman", Kind.TEXT, 22),
    Column("coordinator", "Samordningsansvarig", Kind.TEXT, 22, personal=True),
    Column("principals", "Huvudmän", Kind.TEXT, 40),
    Column("child", "Barn", Kind.YES_NO, 6),
    Column("need_on", "Behov registrerat", Kind.DATE, 12),
    Column("consent_on", "Samtycke", Kind.DATE, 12),
    Column("harm_assessed_on", "Menprövning", Kind.DATE, 12),
    Column("first_meeting_on", "Första SIP-möte", Kind.DATE, 12),
    Column("meetings_held", "Möten hållna", Kind.NUMBER, 8),
    Column("next_meeting_on", "Nästa möte", Kind.DATE, 12),
    Column("person_attended", "Den enskilde deltog", Kind.YES_NO, 10),
    Column("outpatient_attended", "Öppenvården (HSL) deltog", Kind.YES_NO, 12),
    Column("interpreter_needed", "Tolk behövs", Kind.YES_NO, 8),
    Column("interpreter_booked", "Tolk bokad", Kind.YES_NO, 8),
    Column("documented_on", "Plan dokumenterad", Kind.DATE, 12),
    Column("documentation_deadline", "Dokumentation klar senast", Kind.DATE, 12),
    Column("documented_in_time", "Dokumenterad inom två arbetsdagar", Kind.YES_NO, 12),
    Column("approved_on", "Plan godkänd", Kind.DATE, 12),
    Column("plan_versions", "Planversioner", Kind.NUMBER, 8),
    Column("follow_up_on", "Uppföljning planerad", Kind.DATE, 12),
    Column("follow_up_skipped", "Uppföljning hoppas över", Kind.YES_NO, 10),
    Column("last_follow_up_on", "Senaste uppföljningsmöte", Kind.DATE, 12),
    Column("ended_on", "Avslutat", Kind.DATE, 12),
    Column("ended_reason", "Avslutsskäl", Kind.TEXT, 30),
    Column("days_need_to_consent", "Dagar behov–samtycke", Kind.NUMBER, 10),
    Column("days_consent_to_meeting", "Dagar samtycke–möte", Kind.NUMBER, 10),
    Column("days_meeting_to_approval", "Dagar möte–godkänd plan", Kind.NUMBER, 10),
)


def columns(*, personal_data: bool) -> list[Column]:
    """The columns of an export, in order: the personal ones only when asked for."""
    return [c for c in COLUMNS if personal_data or not c.personal]


Row = tuple[Any, ...]


@dataclass(frozen=True)
class Period:
    """The cases open at some time from `start` to `end` (either may be open-ended)."""

    start: dt.date | None = None
    end: dt.date | None = None

    def check(self) -> None:
        if self.start and self.end and self.end < self.start:
            raise ValidationError("Periodens slut ligger före dess början.", field="period")

    @property
    def text(self) -> str:
        """"2026-01-01–2026-12-31", for the log and the messages."""
        if self.start is None and self.end is None:
            return "alla"
        return f"{self.start or ''}–{self.end or ''}"


ALL_TIME = Period()


# ---- which cases -----------------------------------------------------------------------------

def _ended_before(day: dt.date) -> pw.ColumnBase:
    """SQL condition on a case joined to its closure: it ended before `day` (closed, or declined
    or refused — their day is their move to that state, else the case's last change)."""
    moved = (CaseStatusChange.select(pw.fn.MAX(CaseStatusChange.at))
             .where((CaseStatusChange.case == Case.id)
                    & CaseStatusChange.to_status.in_(list(_ENDED_WITHOUT_CLOSURE))))
    start = dt.datetime.combine(day, dt.time())
    # Written so that no part is NULL (NOT NULL would drop the case): a case without a
    # closure, or one declined before its move was recorded (bulk demo data), is tested on
    # what it has.
    closed = Closure.closed_on.is_null(False) & (Closure.closed_on < day)
    other = (Case.status.in_(list(_ENDED_WITHOUT_CLOSURE))
             & (pw.fn.COALESCE(moved, Case.updated_at) < start))
    return closed | other


def _condition(user: User | None, period: Period) -> pw.ColumnBase:
    condition: pw.ColumnBase = visible_cases(user) if user is not None else pw.SQL("1 = 1")
    if period.end is not None:
        condition &= Case.created_at < dt.datetime.combine(
            period.end + dt.timedelta(days=1), dt.time())
    if period.start is not None:
        condition &= ~_ended_before(period.start)
    return condition


def _tuples(query: Any) -> list[tuple[Any, ...]]:
    """The rows of a query as the driver gives them: no model object per row, and no
    conversion by peewee either (on SQLite a date is still text: `_date` reads it) — for
    100,000 cases peewee's per-value conversion cost more than the queries."""
    return list(database.execute(query).fetchall())


def _among(column: Any, ids: list[int]) -> pw.ColumnBase:
    """`column IN (ids)` with the ids as one parameter: an array on PostgreSQL, a JSON list on
    SQLite. (A thousand ids as a thousand parameters cost peewee more to render than the
    query costs the database.)"""
    if engine_of() is Engine.POSTGRESQL:
        return pw.Expression(column, "=", pw.fn.ANY(pw.Value(ids, unpack=False)))
    return pw.Expression(column, "IN", pw.SQL("(SELECT value FROM json_each(?))",
                                              [json.dumps(ids)]))


def _cases() -> Any:
    return Case.select().join(Closure, pw.JOIN.LEFT_OUTER, on=(Closure.case == Case.id))


def count_cases(user: User | None, *, period: Period = ALL_TIME) -> int:
    """How many rows an export has (for its progress): one query."""
    return int(_cases().where(_condition(user, period)).count())


# ---- the rows --------------------------------------------------------------------------------

_UnitPrincipal = Principal.alias("unit_principal")
_Coordinator = User.alias("coordinator")


def _page(user: User | None, period: Period, after: tuple[int, int] | None,
          size: int) -> list[tuple[Any, ...]]:
    """The next `size` cases after case number (year, sequence) `after`: their own columns."""
    query = (Case.select(
        Case.id, Case.year, Case.sequence, Case.number, Case.status, Case.created_at,
        Case.updated_at,
        Unit.name, _UnitPrincipal.name, _Coordinator.full_name, Person.personal_number,
        Person.first_name, Person.last_name, Person.protection, Person.needs_interpreter,
        NeedRecord.noticed_on, Closure.closed_on, Closure.reason)
        .join(Person, on=(Case.person == Person.id))
        .switch(Case).join(Unit, on=(Case.unit == Unit.id))
        .join(_UnitPrincipal, on=(Unit.principal == _UnitPrincipal.id))
        .switch(Case).join(_Coordinator, on=(Case.coordinator == _Coordinator.id))
        .switch(Case).join(NeedRecord, pw.JOIN.LEFT_OUTER, on=(NeedRecord.case == Case.id))
        .switch(Case).join(Closure, pw.JOIN.LEFT_OUTER, on=(Closure.case == Case.id)))
    condition = _condition(user, period)
    if after is not None:
        condition &= pw.Tuple(Case.year, Case.sequence) > pw.Tuple(*after)
    return _tuples(query.where(condition).order_by(Case.year, Case.sequence).limit(size))


@dataclass
class _MeetingFacts:
    first_held: dt.datetime | None = None
    first_held_id: int | None = None
    held: int = 0
    next_planned: dt.datetime | None = None
    last_follow_up: dt.datetime | None = None


@dataclass
class _PlanFacts:
    versions: int = 0
    first: tuple[Any, ...] | None = None  # (id, meeting day, approved day)
    latest: tuple[Any, ...] | None = None  # (id, number, follow-up day, skipped?)


class _PageFacts:
    """What hangs on the page's cases, each read once for all of them."""

    def __init__(self, case_ids: list[int]) -> None:
        self.consent: dict[int, dt.date | None] = {case: _day(day) for case, day in _tuples(
            Consent.select(Consent.case, pw.fn.MIN(Consent.given_on))
            .where(_among(Consent.case, case_ids)).group_by(Consent.case))}
        self.harm: dict[int, dt.date | None] = {case: _day(day) for case, day in _tuples(
            HarmAssessment.select(HarmAssessment.case, pw.fn.MIN(HarmAssessment.assessed_on))
            .where(_among(HarmAssessment.case, case_ids)
                   & (HarmAssessment.conclusion == HarmConclusion.NO_HARM.value))
            .group_by(HarmAssessment.case))}
        self.moved: dict[int, dt.date | None] = {case: _day(at) for case, at in _tuples(
            CaseStatusChange.select(CaseStatusChange.case, pw.fn.MAX(CaseStatusChange.at))
            .where(_among(CaseStatusChange.case, case_ids)
                   & CaseStatusChange.to_status.in_(list(_ENDED_WITHOUT_CLOSURE)))
            .group_by(CaseStatusChange.case))}
        self.meetings = self._meetings(case_ids)
        self.attendance = self._attendance(
            [m.first_held_id for m in self.meetings.values() if m.first_held_id is not None])
        self.plans, self.parts = self._plans(case_ids)
        self.consent_principals = self._consent_principals(case_ids)

    @staticmethod
    def _meetings(case_ids: list[int]) -> dict[int, _MeetingFacts]:
        facts: dict[int, _MeetingFacts] = defaultdict(_MeetingFacts)
        rows = (Meeting.select(Meeting.id, Meeting.case, Meeting.starts_at, Meeting.status,
                               Meeting.follow_up)
                .where(_among(Meeting.case, case_ids)).order_by(Meeting.starts_at, Meeting.id))
        for meeting_id, case_id, starts_at, status, follow_up in _tuples(rows):
            fact = facts[case_id]
            if status == MeetingStatus.HELD.value:
                fact.held += 1
                if follow_up:
                    fact.last_follow_up = starts_at
                elif fact.first_held is None:
                    fact.first_held, fact.first_held_id = starts_at, meeting_id
            elif status == MeetingStatus.PLANNED.value and fact.next_planned is None:
                fact.next_planned = starts_at
        return facts

    @staticmethod
    def _attendance(meeting_ids: list[int]) -> dict[int, tuple[bool, bool, bool]]:
        """Per meeting: (the person attended, outpatient care attended, an interpreter booked)."""
        seen: dict[int, list[bool]] = {m: [False, False, False] for m in meeting_ids}
        if not meeting_ids:
            return {}
        rows = (Participant.select(Participant.meeting, Participant.kind, Participant.outpatient,
                                   Participant.attended)
                .where(_among(Participant.meeting, meeting_ids)))
        for meeting_id, kind, outpatient, attended in _tuples(rows):
            fact = seen[meeting_id]
            if kind == ParticipantKind.PERSON.value and attended:
                fact[0] = True
            if outpatient and attended:
                fact[1] = True
            if kind == ParticipantKind.INTERPRETER.value:
                fact[2] = True
        return {m: (f[0], f[1], f[2]) for m, f in seen.items()}

    @staticmethod
    def _plans(case_ids: list[int]) -> tuple[dict[int, _PlanFacts],
                                             dict[int, list[tuple[Any, ...]]]]:
        plans: dict[int, _PlanFacts] = defaultdict(_PlanFacts)
        rows = (PlanVersion.select(PlanVersion.id, PlanVersion.case, PlanVersion.number,
                                   PlanVersion.meeting_date, PlanVersion.locked_at,
                                   PlanVersion.follow_up_date,
                                   PlanVersion.follow_up_skipped_reason)
                .where(_among(PlanVersion.case, case_ids)).order_by(PlanVersion.number))
        wanted: set[int] = set()
        for plan_id, case_id, number, meeting_date, locked_at, follow_up, skipped in _tuples(rows):
            fact = plans[case_id]
            fact.versions += 1
            if fact.first is None:
                fact.first = (plan_id, _day(meeting_date), _day(locked_at))
            fact.latest = (plan_id, number, _day(follow_up), bool((skipped or "").strip()))
        for fact in plans.values():
            assert fact.first is not None and fact.latest is not None
            wanted.update((fact.first[0], fact.latest[0]))
        parts: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
        if wanted:
            part_rows = (PrincipalPart.select(PrincipalPart.plan, Principal.name,
                                              PrincipalPart.finished_at)
                         .join(Principal, on=(PrincipalPart.principal == Principal.id))
                         .where(_among(PrincipalPart.plan, sorted(wanted))))
            for plan_id, name, finished_at in _tuples(part_rows):
                parts[plan_id].append((name, _day(finished_at)))
        return plans, parts

    @staticmethod
    def _consent_principals(case_ids: list[int]) -> dict[int, list[str]]:
        """The principals of each case's newest consent."""
        newest: dict[int, int] = {}
        names: dict[int, list[str]] = defaultdict(list)
        rows = (ConsentPrincipal.select(Consent.case, Consent.id, Principal.name)
                .join(Consent, on=(ConsentPrincipal.consent == Consent.id))
                .switch(ConsentPrincipal)
                .join(Principal, on=(ConsentPrincipal.principal == Principal.id))
                .where(_among(Consent.case, case_ids)))
        by_consent: dict[int, list[str]] = defaultdict(list)
        for case_id, consent_id, name in _tuples(rows):
            newest[case_id] = max(newest.get(case_id, 0), consent_id)
            by_consent[consent_id].append(name)
        for case_id, consent_id in newest.items():
            names[case_id] = by_consent[consent_id]
        return names


def _day(value: dt.datetime | dt.date | str | None) -> dt.date | None:
    """A date or time as the driver gave it (SQLite: text, "2026-06-18 13:00:00") as a date."""
    if value is None:
        return None
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        return value.date()
    return value


def _days(start: dt.date | None, end: dt.date | None) -> int | None:
    return (end - start).days if start is not None and end is not None else None


def _is_child(personal_number: str, on: dt.date) -> bool | None:
    """Under 18 on `on`, from the canonical YYYYMMDD-NNNN (a samordningsnummer's day + 60)."""
    try:
        year, month, day = (int(personal_number[0:4]), int(personal_number[4:6]),
                            int(personal_number[6:8]))
    except ValueError:
        return None
    if day > COORDINATION_OFFSET:
        day -= COORDINATION_OFFSET
    age = on.year - year - ((on.month, on.day) < (month, day))
    return age < ADULT_AGE


_STATUS_LABELS = {s.value: s.label for s in CaseStatus}
_CLOSURE_LABELS = {r.value: r.label for r in ClosureReason}


def _row(case: tuple[Any, ...], facts: _PageFacts, personal_data: bool,
         keys: Sequence[str]) -> Row:
    (case_id, _year, _sequence, number, status, created_at, updated_at, unit, unit_principal,
     coordinator, personal_number, first_name, last_name, protection, needs_interpreter,
     noticed_on, closed_on, closure_reason) = case
    need_on = _day(noticed_on) or _day(created_at)
    consent_on, harm_on = facts.consent.get(case_id), facts.harm.get(case_id)
    basis_on = min((d for d in (consent_on, harm_on) if d is not None), default=None)
    meetings = facts.meetings.get(case_id) or _MeetingFacts()
    first_meeting_on = _day(meetings.first_held)
    attended = facts.attendance.get(meetings.first_held_id or 0)
    plans = facts.plans.get(case_id)
    documented_on = deadline = approved_on = follow_up_on = None
    in_time: bool | None = None
    follow_up_skipped: bool | None = None
    principals: list[str] = []
    if plans is not None and plans.first is not None and plans.latest is not None:
        first_id, meeting_date, locked_at = plans.first
        first_parts = facts.parts.get(first_id, [])
        if first_parts and all(finished for _name, finished in first_parts):
            documented_on = max(finished for _name, finished in first_parts)
        deadline = add_workdays(meeting_date, DOCUMENTATION_WORKDAYS)
        if documented_on is not None:
            in_time = documented_on <= deadline
        approved_on = locked_at
        latest_id, _number, follow_up_on, follow_up_skipped = plans.latest
        principals = [name for name, _finished in facts.parts.get(latest_id, [])]
    if not principals:
        principals = facts.consent_principals.get(case_id, [])
    ended_on = _day(closed_on)
    ended_reason = _CLOSURE_LABELS[closure_reason] if closure_reason else None
    if ended_on is None and status in _ENDED_WITHOUT_CLOSURE:
        ended_on = facts.moved.get(case_id) or _day(updated_at)
        ended_reason = _ENDED_WITHOUT_CLOSURE[status]
    values: dict[str, Any] = {
        "number": number,
        "status": _STATUS_LABELS[status],
        "unit": unit,
        "unit_principal": unit_principal,
        "principals": ", ".join(sorted(set(principals), key=str.casefold)),
        "child": _is_child(personal_number, need_on) if need_on else None,
        "need_on": need_on,
        "consent_on": consent_on,
        "harm_assessed_on": harm_on,
        "first_meeting_on": first_meeting_on,
        "meetings_held": meetings.held,
        "next_meeting_on": _day(meetings.next_planned),
        "person_attended": attended[0] if attended else None,
        "outpatient_attended": attended[1] if attended else None,
        "interpreter_needed": bool(needs_interpreter),
        "interpreter_booked": attended[2] if attended else None,
        "documented_on": documented_on,
        "documentation_deadline": deadline,
        "documented_in_time": in_time,
        "approved_on": approved_on,
        "plan_versions": plans.versions if plans is not None else 0,
        "follow_up_on": follow_up_on,
        "follow_up_skipped": follow_up_skipped,
        "last_follow_up_on": _day(meetings.last_follow_up),
        "ended_on": ended_on,
        "ended_reason": ended_reason,
        "days_need_to_consent": _days(need_on, basis_on),
        "days_consent_to_meeting": _days(basis_on, first_meeting_on),
        "days_meeting_to_approval": _days(first_meeting_on or (
            plans.first[1] if plans is not None and plans.first is not None else None),
            approved_on),
    }
    if personal_data:
        hidden = (protection or Protection.NONE.value) != Protection.NONE.value
        values["personal_number"] = MASKED_NUMBER if hidden else personal_number
        values["name"] = MASKED_NAME if hidden else f"{first_name} {last_name}"
        values["coordinator"] = coordinator
    return tuple([values[key] for key in keys])


def case_rows(user: User | None, *, personal_data: bool, period: Period = ALL_TIME,
              page_size: int = PAGE_SIZE) -> Iterator[list[Row]]:
    """The export's rows, a page at a time (in case-number order), each a tuple in the order of
    `columns(personal_data=…)`. Stop iterating to stop reading."""
    period.check()
    keys = [c.key for c in columns(personal_data=personal_data)]
    after: tuple[int, int] | None = None
    while True:
        cases = _page(user, period, after, page_size)
        if not cases:
            return
        facts = _PageFacts([c[0] for c in cases])
        yield [_row(case, facts, personal_data, keys) for case in cases]
        if len(cases) < page_size:
            return
        after = (cases[-1][1], cases[-1][2])


def header(personal_data: bool) -> list[str]:
    return [c.header for c in columns(personal_data=personal_data)]


def kinds(personal_data: bool) -> Sequence[Kind]:
    return [c.kind for c in columns(personal_data=personal_data)]
