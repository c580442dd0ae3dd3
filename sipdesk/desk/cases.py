"""SIP cases: creating one and the case list (counted and fetched a page at a time)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from typing import ClassVar

import peewee

from sipdesk import clock
from sipdesk.accounts import audit, read_log
from sipdesk.accounts.access import (
    EVERY_CASE,
    Among,
    require_can_see,
    sees_own_principal_cases,
    visible_cases,
)
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import guardians, protected
from sipdesk.casework.people import (
    PersonInput,
    create_person,
    person_search_condition,
    prefix,
    registered_out_of_sight,
)
from sipdesk.desk.todo import cases_waiting_for
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.collation import ordered
from sipdesk.storage.db import Engine, database, engine_of
from sipdesk.storage.limits import search_text
from sipdesk.storage.models import FIRST_STATUS, Case, CaseStatus, Person, Unit, User

CASE_PREFIX = "SIP"


def format_case_number(year: int, sequence: int) -> str:
    """`SIP-2026-0042`: short enough to read out on the phone."""
    return f"{CASE_PREFIX}-{year}-{sequence:04d}"


def _next_sequence(year: int) -> int:
    """The year's next number, over every case: on PostgreSQL a user sees only some cases
    (row-level security, migration 15), so the server's helper counts them all for us."""
    if engine_of() is Engine.POSTGRESQL:
        last = database.execute_sql("SELECT sipdesk_last_case_sequence(%s)", (year,)).fetchone()[0]
    else:
        last = Case.select(peewee.fn.MAX(Case.sequence)).where(Case.year == year).scalar()
    return (last or 0) + 1


def create_case(
    actor: User, *, person: Person | int, unit: Unit | None = None, coordinator: User | None = None,
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
    year = (today or clock.today()).year
    # Two users may take the same number at once; the unique index refuses the second, who
    # simply takes the next one.
    for _attempt in range(10):
        try:
            with database.atomic():
                sequence = _next_sequence(year)
                case = Case.create(
                    number=format_case_number(year, sequence),
                    year=year,
                    sequence=sequence,
                    person=person,
                    unit=unit,
                    coordinator=coordinator,
                    status=FIRST_STATUS.value,
                )
                audit.record(actor, action=AuditAction.CREATE, entity="sip_case",
                             entity_id=case.id, case=case,
                             summary=(f"Ärendet skapat i {unit.name}, samordningsansvarig "
                                      f"{coordinator.full_name}"))
                return case
        except peewee.IntegrityError:
            continue
    raise ValidationError("Det gick inte att ta fram ett ärendenummer — försök igen.")


def create_case_for_new_person(
    actor: User, *, person: PersonInput, coordinator: User | None = None,
    today: dt.date | None = None,
) -> Case:
    """Register a new person and open a case for them, both or neither (one transaction).

    A person already registered in a case the user may not see (PostgreSQL: the user cannot
    find them, `people.registered_out_of_sight`) gets the new case as they are registered: the
    typed details are not written over theirs (the case shows the registered ones), and the
    log says so."""
    with database.atomic():
        registered = registered_out_of_sight(person)
        if registered is not None:
            case = create_case(actor, person=registered, coordinator=coordinator, today=today)
            audit.record(actor, action=AuditAction.CREATE, entity="person",
                         entity_id=registered, case=case,
                         summary="Personen fanns redan registrerad — ärendet öppnat för henne "
                                 "eller honom med de registrerade uppgifterna")
            return case
        created = create_person(person, actor=actor)
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


def open_case(user: User, case_id: int, *, reason: str | None = None) -> Case:
    """The case for reading, if the user may see it; every opening is logged (Data protection:
    a log of who read what). A protected person's case opens only with a reason, which the log
    keeps (sipdesk.casework.protected)."""
    case = get_case(case_id)
    require_can_see(user, case)
    why = protected.checked_reason(case.person, reason)
    summary = ("Ärendet öppnat" if why is None
               else f"Ärendet öppnat (skyddad identitet). Skäl: {why}")
    audit.record(user, action=AuditAction.OPEN, entity="sip_case", entity_id=case.id, case=case,
                 summary=summary, changes=None if why is None else {"reason": [None, why]})
    return case


def cases_of_person(
    person: Person, *, exclude: Case | None = None, visible_to: User | None = None,
) -> list[Case]:
    """The person's other cases, newest first (e.g. the new SIP that replaces an old one); with
    `visible_to`, only those that user may see (sipdesk.accounts.access)."""
    query = Case.select().where(Case.person == person.id)
    if visible_to is not None:
        query = query.where(visible_cases(visible_to))
    if exclude is not None:
        query = query.where(Case.id != exclude.id)
    return list(query.order_by(Case.year.desc(), Case.sequence.desc()))


def find_case_by_number(number: str, *, visible_to: User | None) -> Case:
    """The case with that number, if `visible_to` may see it. A case they may not see is
    answered exactly like one that does not exist, so typing numbers reveals nothing about
    which cases there are (sipdesk.accounts.access). `None` is the command line's `print`, which
    has no sipdesk login: it reads with the database account it was started with."""
    number = search_text(number)
    query = Case.number == number.strip().upper()
    if visible_to is not None:
        query &= visible_cases(visible_to)
    case = Case.get_or_none(query)
    if case is None:
        seen = "" if visible_to is None else " som du kan se"
        raise NotFoundError(f"Det finns inget ärende med nummer {number.strip()}{seen}.")
    return get_case(case.id)


# ---- the case list -----------------------------------------------------------------------

class Scope(LabelledEnum):
    MINE = "mine"
    UNIT = "unit"
    ALL = "all"

    __labels__: ClassVar[Labels] = {"mine": "Mina ärenden", "unit": "Enhetens", "all": "Alla"}


class SortKey(StrEnum):
    NUMBER = "number"
    NAME = "name"
    PERSONAL_NUMBER = "personal_number"
    STATUS = "status"
    COORDINATOR = "coordinator"
    UNIT = "unit"
    NEXT_DATE = "next_date"
    CONSENT = "consent"  # by the last day the consent is valid


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
    consent_basis: str | None = None  # a ConsentBasis value, or None
    consent_valid_until: dt.date | None = None
    waiting: bool = False  # something in the case waits for the user (see sipdesk.desk.todo)
    # The 18th birthday, read only for a consent that has lapsed: whether it was the guardians'
    # and the young person must now consent themselves (consent.consent_state).
    adult_on: dt.date | None = None


_Coordinator = User.alias("coordinator")


def _shown(user: User, column: peewee.ColumnBase, masked: str) -> peewee.ColumnBase:
    """`column` of the person as the list shows it to `user`: `masked` in place of a protected
    person's name or number that the user may not see (sipdesk.casework.protected). Sorting by
    it keeps the real name's place in the order from telling whose case a masked row is."""
    return peewee.Case(None, [(protected.name_visible(user), column)], masked)


def _sort_columns(key: SortKey, user: User) -> list[peewee.ColumnBase]:
    # A masked row sorts as what it shows: "Skyddad identitet" by the last name, nothing by
    # the first name; by the personal number before every number ("—" would sort differently
    # under different collations).
    columns: dict[SortKey, list[peewee.ColumnBase]] = {
        SortKey.NUMBER: [Case.year, Case.sequence],
        SortKey.NAME: [ordered(_shown(user, Person.last_name, protected.MASKED_NAME)),
                       ordered(_shown(user, Person.first_name, ""))],
        SortKey.PERSONAL_NUMBER: [_shown(user, Person.personal_number, "")],
        SortKey.STATUS: [Case.status],
        SortKey.COORDINATOR: [ordered(_Coordinator.full_name)],
        SortKey.UNIT: [ordered(Unit.name)],
        SortKey.NEXT_DATE: [Case.next_date],
        SortKey.CONSENT: [Case.consent_valid_until],
    }
    return columns[key]


def _in(column: peewee.ColumnBase, subquery: peewee.SelectQuery) -> peewee.Expression:
    """`column IN (subquery)`. Spelt so that peewee does not render the subquery an extra time
    to see whether it is an empty list (it never is): peewee does that at every level of
    nesting, so the page query's innermost select was rendered 8 times — 5 ms a keystroke,
    more than the query took to run."""
    return peewee.Expression(column, "in", subquery)


def _text_condition(text: str) -> peewee.Expression:
    """Cases whose person's name or personal number, or whose case number, starts with `text`.

    The person part is `person_id IN (SELECT id FROM person WHERE …)`, not a condition on a
    joined person row, so the count needs no join and both engines go from the person indexes
    through the (person_id, year, sequence, id) index without reading case rows. A case-number
    term is joined by UNION, not OR: neither engine can use an index for an OR across the
    person subquery and the case number, and scanned all cases instead."""
    persons = Person.select(Person.id).where(person_search_condition(text))
    upper = text.upper().replace(" ", "")
    if upper.startswith(CASE_PREFIX):
        number = upper
    elif upper[:4].isdigit() and upper[4:5] == "-":  # "2026-0042" without the prefix
        number = f"{CASE_PREFIX}-{upper}"
    else:
        return _in(Case.person, persons)
    by_person = Case.select(Case.id).where(_in(Case.person, persons))
    by_number = Case.select(Case.id).where(prefix(Case.number, number))
    return _in(Case.id, by_person | by_number)


def _conditions(flt: CaseFilter, user: User) -> list[peewee.ColumnBase]:
    text = search_text(flt.text).strip()
    # With a search text the matching persons are the selective part: on SQLite `+` keeps the
    # planner from starting at "all 20,000 cases of this coordinator" instead (without
    # ANALYZE it guesses ten rows for any equality). See _not_from_index.
    coordinator = _not_from_index(Case.coordinator) if text else Case.coordinator
    unit = _not_from_index(Case.unit) if text else Case.unit
    conds: list[peewee.ColumnBase] = []
    # Every scope shows only the cases the user may see (sipdesk.accounts.access): the list is not
    # a way around the rule that refuses to open a case.
    among = {Scope.MINE: Among.COORDINATED, Scope.UNIT: Among.OWN_UNIT}.get(flt.scope, Among.ALL)
    # In "Alla" without a search, the municipality's staff see nearly every case: SQLite then
    # walks the list in order (see visible_cases) — one small query to know, SQLite only (on
    # 100,000 cases: 80 ms for the first page otherwise, and 60 ms for an invited region user if
    # it always walked). A search starts from the matching persons; PostgreSQL weighs it itself.
    by_index = (bool(text) or among is not Among.ALL or engine_of() is not Engine.SQLITE
                or not sees_own_principal_cases(user))
    visible = visible_cases(user, among=among, by_index=by_index)
    if visible is not EVERY_CASE:
        conds.append(visible)
    if flt.scope is Scope.MINE:
        conds.append(coordinator == user.id)
    elif flt.scope is Scope.UNIT:
        conds.append(unit == user.unit_id)
    if flt.statuses:
        conds.append(Case.status.in_([s.value for s in flt.statuses]))
    elif flt.open_only:
        # IN the open states, not NOT IN the closed ones: the same cases, but an index can
        # look each state up.
        conds.append(Case.status.in_([s.value for s in CaseStatus if s.is_open]))
    if text:
        conds.append(_text_condition(text))
        conds.append(protected.found_by_name_only_if_visible(
            user, person_search_condition(text)))
    return conds


def _joined(query: peewee.ModelSelect[Case], *tables: str) -> peewee.ModelSelect[Case]:
    """`query` joined to the named tables: "person", "unit", "coordinator"."""
    joins = {
        "person": (Person, Case.person == Person.id),
        "unit": (Unit, Case.unit == Unit.id),
        "coordinator": (_Coordinator, Case.coordinator == _Coordinator.id),
    }
    for name in tables:
        table, on = joins[name]
        query = query.switch(Case).join(table, on=on)
    return query


# The joins a page's order needs (the shown columns are joined after the page is chosen).
_SORT_JOINS: dict[SortKey, tuple[str, ...]] = {
    SortKey.NAME: ("person",),
    SortKey.PERSONAL_NUMBER: ("person",),
    SortKey.COORDINATOR: ("coordinator",),
    SortKey.UNIT: ("unit",),
}


def count_cases(flt: CaseFilter, user: User, *, new_search: bool = False) -> int:
    """How many cases the filter matches (every condition is on sip_case: no join).

    `new_search`: the user has just typed this search (not a refresh of the list). A search by
    a whole personal number is then logged (read_log), with the person's id read in the same
    query as the count: one statement more."""
    number = read_log.as_personal_number(flt.text) if new_search else None
    person = (Person.select(Person.id).where(Person.personal_number == number)
              if number else None)
    query = (Case.select(peewee.fn.COUNT(Case.id), person) if person is not None
             else Case.select(peewee.fn.COUNT(Case.id)))
    conds = _conditions(flt, user)
    if conds:
        query = query.where(*conds)
    if person is None:
        return int(query.scalar())
    row: tuple[int, int | None] = query.tuples().get()  # type: ignore[assignment]
    count, person_id = row
    read_log.record_number_search(user, where="i ärendelistan", person_id=person_id,
                                  hits=int(count))
    return int(count)


def _not_from_index(column: peewee.ColumnBase) -> peewee.ColumnBase:
    """`+column` on SQLite: the same value, but the planner cannot use an index on it.

    For the order of a search's page: SQLite would otherwise walk the whole list in (year,
    sequence) order and test every case until it has a page — fast when most cases match, a
    scan of all 100,000 when few do; sorting a search's matches is never slow. For a scope
    beside a search: see _conditions. PostgreSQL keeps statistics and weighs the plans itself."""
    if engine_of() is Engine.SQLITE:
        return peewee.NodeList((peewee.SQL("+"), column), glue="")
    return column


def fetch_cases(
    flt: CaseFilter, user: User, *, sort: SortKey = SortKey.NUMBER, descending: bool = True,
    offset: int = 0, limit: int = 200, today: dt.date | None = None,
) -> list[CaseRow]:
    """One page of the case list: plain tuples, no per-row lookups.

    The whole list in case-number order comes straight from the (year, sequence) index.
    Otherwise the page's case ids are found and sorted first, with only the joins the order
    needs — for "Mina ärenden"/"Enhetens" and a search from an index alone (migrations 0004,
    0008) — and the shown columns, the consent and the "waits for you" marker are read for
    those ids alone (a "deferred join"): the 1,800 open cases of one coordinator among 100,000
    are sorted as ids, and only the 200 shown are joined."""
    columns = _sort_columns(sort, user)
    if sort is not SortKey.NUMBER:
        columns = [*columns, Case.id]
    order = [c.desc() if descending else c.asc() for c in columns]
    details = _joined(
        Case.select(
            Case.id, Case.number, Person.first_name, Person.last_name, Person.personal_number,
            Case.status, _Coordinator.full_name, Unit.name, Case.next_date,
            Case.consent_basis, Case.consent_valid_until,
            cases_waiting_for(user, today=today).alias("waiting"),
            protected.name_visible(user).alias("name_shown"),
        ),
        "person", "unit", "coordinator",
    )
    conds = _conditions(flt, user)
    searching = bool(search_text(flt.text).strip())
    if not conds and sort is SortKey.NUMBER:
        query = details.order_by(*order).limit(limit).offset(offset)
    else:
        if searching:
            page_columns = [_not_from_index(c) for c in columns]
            page_order = [c.desc() if descending else c.asc() for c in page_columns]
        else:
            page_order = order
        page_ids = _joined(Case.select(Case.id), *_SORT_JOINS.get(sort, ()))
        if conds:
            page_ids = page_ids.where(*conds)
        page_ids = page_ids.order_by(*page_order).limit(limit).offset(offset)
        query = details.where(_in(Case.id, page_ids)).order_by(*order)
    # Straight from the cursor: peewee's per-value conversion cost more than the query itself.
    rows = database.execute(query).fetchall()
    day = today or clock.today()
    # A protected person's name and number only to the coordinator and participants.
    return [
        CaseRow(
            id=row[0], number=row[1],
            person_name=f"{row[2]} {row[3]}" if row[12] else protected.MASKED_NAME,
            personal_number=row[4] if row[12] else protected.MASKED_NUMBER,
            status=CaseStatus(row[5]), coordinator=row[6], unit=row[7],
            next_date=_as_date(row[8]), consent_basis=row[9],
            consent_valid_until=_as_date(row[10]), waiting=bool(row[11]),
            adult_on=_adult_on_if_lapsed(row[4], _as_date(row[10]), day),
        )
        for row in rows
    ]


def _adult_on_if_lapsed(personal_number: str, valid_until: dt.date | None,
                        today: dt.date) -> dt.date | None:
    """The 18th birthday of the person of a case whose consent has lapsed (None otherwise, or
    when the number cannot be read): only then does the list need it."""
    if valid_until is None or valid_until >= today:
        return None
    try:
        return guardians.adult_on_number(personal_number)
    except (ValidationError, ValueError):
        return None


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """A DateField value as the driver returns it: a date (psycopg) or ISO text (sqlite3)."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)
