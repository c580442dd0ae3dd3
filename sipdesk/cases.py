"""SIP cases: creating one and the case list (counted and fetched a page at a time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

import peewee

from .db import database
from .errors import NotFoundError, PermissionDenied, ValidationError
from .models import FIRST_STATUS, Case, CaseStatus, Person, Unit, User
from .people import PersonInput, create_person, person_search_condition, prefix

CASE_PREFIX = "SIP"


def format_case_number(year: int, sequence: int) -> str:
    """`SIP-2026-0042`: short enough to read out on the phone."""
    return f"{CASE_PREFIX}-{year}-{sequence:04d}"


def _next_sequence(year: int) -> int:
    last = Case.select(peewee.fn.MAX(Case.sequence)).where(Case.year == year).scalar()
    return (last or 0) + 1


def create_case(
    actor: User, *, person: Person, unit: Unit | None = None, coordinator: User | None = None,
    today: dt.date | None = None,
) -> Case:
    """Open a case for `person` in the first state; the coordinator defaults to the actor."""
    if not actor.active:
        raise PermissionDenied("Ditt konto är inaktiverat.")
    coordinator = coordinator or actor
    if not coordinator.active:
        raise ValidationError(
            f"{coordinator.full_name} är inte längre aktiv och kan inte vara samordningsansvarig.",
            field="coordinator",
        )
    unit = unit or coordinator.unit
    year = (today or dt.date.today()).year
    # Two users may take the same number at once; the unique index refuses the second, who
    # simply takes the next one.
    for _attempt in range(10):
        try:
            with database.atomic():
                sequence = _next_sequence(year)
                return Case.create(
                    number=format_case_number(year, sequence),
                    year=year,
                    sequence=sequence,
                    person=person,
                    unit=unit,
                    coordinator=coordinator,
                    status=FIRST_STATUS.value,
                )
        except peewee.IntegrityError:
            continue
    raise ValidationError("Det gick inte att ta fram ett ärendenummer — försök igen.")


def create_case_for_new_person(
    actor: User, *, person: PersonInput, coordinator: User | None = None,
    today: dt.date | None = None,
) -> Case:
    """Register a new person and open a case for them, both or neither (one transaction)."""
    with database.atomic():
        created = create_person(person)
        return create_case(actor, person=created, coordinator=coordinator, today=today)


def get_case(case_id: int) -> Case:
    case = (
        Case.select(Case, Person, Unit, User)
        .join(Person).switch(Case).join(Unit).switch(Case).join(User)
        .where(Case.id == case_id)
        .get_or_none()
    )
    if case is None:
        raise NotFoundError("Ärendet finns inte längre.")
    return case


def find_case_by_number(number: str) -> Case:
    case = Case.get_or_none(Case.number == number.strip().upper())
    if case is None:
        raise NotFoundError(f"Det finns inget ärende med nummer {number}.")
    return get_case(case.id)


# ---- the case list -----------------------------------------------------------------------

class Scope(StrEnum):
    MINE = "mine"
    UNIT = "unit"
    ALL = "all"

    @property
    def label(self) -> str:
        return {"mine": "Mina ärenden", "unit": "Enhetens", "all": "Alla"}[self.value]


class SortKey(StrEnum):
    NUMBER = "number"
    NAME = "name"
    PERSONAL_NUMBER = "personal_number"
    STATUS = "status"
    COORDINATOR = "coordinator"
    UNIT = "unit"
    NEXT_DATE = "next_date"


@dataclass(frozen=True)
class CaseFilter:
    text: str = ""
    scope: Scope = Scope.ALL
    statuses: frozenset[CaseStatus] = field(default_factory=frozenset)  # empty: every status
    open_only: bool = False


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    number: str
    person_name: str
    personal_number: str
    status: CaseStatus
    coordinator: str
    unit: str
    next_date: dt.date | None


_Coordinator = User.alias("coordinator")


def _sort_columns(key: SortKey) -> list[peewee.ColumnBase]:
    columns: dict[SortKey, list[peewee.ColumnBase]] = {
        SortKey.NUMBER: [Case.year, Case.sequence],
        SortKey.NAME: [Person.last_name, Person.first_name],
        SortKey.PERSONAL_NUMBER: [Person.personal_number],
        SortKey.STATUS: [Case.status],
        SortKey.COORDINATOR: [_Coordinator.full_name],
        SortKey.UNIT: [Unit.name],
        SortKey.NEXT_DATE: [Case.next_date],
    }
    return columns[key]


def _conditions(flt: CaseFilter, user: User) -> list[peewee.Expression]:
    conds: list[peewee.Expression] = []
    if flt.scope is Scope.MINE:
        conds.append(Case.coordinator == user.id)
    elif flt.scope is Scope.UNIT:
        conds.append(Case.unit == user.unit_id)
    if flt.statuses:
        conds.append(Case.status.in_([s.value for s in flt.statuses]))
    elif flt.open_only:
        conds.append(Case.status.not_in([s.value for s in CaseStatus if not s.is_open]))
    text = flt.text.strip()
    if text:
        cond = person_search_condition(text)
        upper = text.upper().replace(" ", "")
        if upper.startswith(CASE_PREFIX):
            cond = cond | prefix(Case.number, upper)
        elif upper[:4].isdigit() and upper[4:5] == "-":  # "2026-0042" without the prefix
            cond = cond | prefix(Case.number, f"{CASE_PREFIX}-{upper}")
        conds.append(cond)
    return conds


def _base(
    select: peewee.ModelSelect[Case], flt: CaseFilter, user: User, *, for_count: bool
) -> peewee.ModelSelect[Case]:
    query = select.join(Person, on=(Case.person == Person.id))
    if not for_count:
        query = (
            query.switch(Case)
            .join(Unit, on=(Case.unit == Unit.id))
            .switch(Case)
            .join(_Coordinator, on=(Case.coordinator == _Coordinator.id))
        )
    conds = _conditions(flt, user)
    if conds:
        query = query.where(*conds)
    return query


def count_cases(flt: CaseFilter, user: User) -> int:
    """How many cases the filter matches."""
    return int(_base(Case.select(peewee.fn.COUNT(Case.id)), flt, user, for_count=True).scalar())


def fetch_cases(
    flt: CaseFilter, user: User, *, sort: SortKey = SortKey.NUMBER, descending: bool = True,
    offset: int = 0, limit: int = 200,
) -> list[CaseRow]:
    """One page of the case list: a single query, plain tuples, no per-row lookups."""
    columns = _sort_columns(sort)
    order = [c.desc() if descending else c.asc() for c in columns]
    if sort is not SortKey.NUMBER:
        order.append(Case.id.desc() if descending else Case.id.asc())
    query = _base(
        Case.select(
            Case.id, Case.number, Person.first_name, Person.last_name, Person.personal_number,
            Case.status, _Coordinator.full_name, Unit.name, Case.next_date,
        ),
        flt, user, for_count=False,
    ).order_by(*order).limit(limit).offset(offset)
    return [
        CaseRow(
            id=row[0], number=row[1], person_name=f"{row[2]} {row[3]}", personal_number=row[4],
            status=CaseStatus(row[5]), coordinator=row[6], unit=row[7], next_date=row[8],
        )
        for row in query.tuples().iterator()
    ]

