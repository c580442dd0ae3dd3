"""Who may see a case (DOMAIN.md, Data protection: access only for those who work with the case
or its unit). The municipality's own staff see its cases; others see a case they coordinate or
are invited to as a participant (with the kallelse).

The rule is written once, as an SQL condition on sip_case (`visible_cases`): every list, search,
count and badge filters by it, and `can_see` asks the same condition about one case, so what a
list shows and what opens cannot disagree. Each part is an index lookup: the coordinator column,
the units of the user's principal (unit.principal), and the cases of the meetings the user takes
part in (participant.user, then meeting.id).

Every use case that acts for a user on a case, or on something of a case (a meeting, a
participant, a plan version, a consent, a draft), asks the rule itself (issue 11: the UI only
hides what is not allowed): `require_can_see` when it is given the case, or one of the readers
below when it reads the case anyway — `case_for` by the case's id, `meeting_case` for a meeting
or what hangs on one (a participant, a deviation), `plan_case` for a plan version — which read
the case and check the rule in the same query.

Who may change a case (issue 12: "another unit cannot change a case it may only read") is
narrower, and asked the same way — `require_can_change`, or a reader given `change=True`:
those who work with the case or its unit — its coordinator, the staff of the case's own unit,
the users invited to one of its meetings — and administrators. The staff of the principal's
other units may read the case (above) but not change it (`READ_ONLY_HERE`); what they may still
do about it is ask, not change: write a message about it, ask its coordinator to convene
(`convene.request_to_convene`), keep their own drafts. In a plan a writer changes only their own
principal's part (`plans.plan_rules.may_write_for`). On PostgreSQL migrations 16 and 21 write the
same two rules as row-level security."""

from __future__ import annotations

from enum import Enum

import peewee as pw

from sipdesk.errors import PermissionDenied
from sipdesk.storage.db import Engine, engine_of
from sipdesk.storage.meeting_records import Meeting, Participant
from sipdesk.storage.models import Case, Role, Unit, User
from sipdesk.storage.plan_records import PlanVersion

# Always true / always false: for the administrator and for a deactivated account.
EVERY_CASE = pw.SQL("1 = 1")
_NO_CASE = pw.SQL("1 = 0")
_OwnUnit = Unit.alias("own_unit")


class Among(Enum):
    """What a list has already narrowed itself to, before asking who may see its cases."""

    ALL = "all"
    COORDINATED = "coordinated"  # the cases the user coordinates ("Mina ärenden")
    OWN_UNIT = "own_unit"  # the cases of the user's own unit ("Enhetens")


def _in(column: pw.ColumnBase, subquery: pw.SelectQuery) -> pw.Expression:
    """`column IN (subquery)`, without peewee rendering the subquery again to see whether it is
    an empty list (see sipdesk.desk.cases._in)."""
    return pw.Expression(column, "in", subquery)


def _own_units(user: User) -> pw.SelectQuery:
    """The ids of the units of the user's principal (their own unit among them)."""
    principal = _OwnUnit.select(_OwnUnit.principal).where(_OwnUnit.id == user.unit_id)
    return Unit.select(Unit.id).where(_in(Unit.principal, principal))


def visible_cases(user: User, *, among: Among = Among.ALL, by_index: bool = True,
                  ) -> pw.ColumnBase:
    """SQL condition on `Case` rows: true exactly for the cases `user` may see.

    An active user sees a case they coordinate, a case of a unit of their own principal (the
    municipality's staff see the municipality's cases), and a case with a meeting they are
    invited to; an administrator sees every case, a deactivated account none.

    `among`: the caller's query keeps only the user's coordinated cases or their own unit's,
    which the first two parts always allow — the condition is then only the account's, and the
    list stays on its own index. `by_index=False` (SQLite only) keeps the planner from looking
    the coordinator's and the units' cases up by index and joining them: right when those are
    most of the list (see `sees_own_principal_cases`), where walking the list in order and
    testing each case is much faster."""
    if not user.active:
        return _NO_CASE
    if user.role == Role.ADMINISTRATOR.value or among is not Among.ALL:
        return EVERY_CASE
    coordinator: pw.ColumnBase = Case.coordinator
    unit: pw.ColumnBase = Case.unit
    if not by_index and engine_of() is Engine.SQLITE:
        coordinator, unit = (pw.NodeList((pw.SQL("+"), column), glue="")
                             for column in (Case.coordinator, Case.unit))
    rule = (coordinator == user.id) | _in(unit, _own_units(user)) | invited_to(user)
    if engine_of() is Engine.POSTGRESQL:
        return _server_keeps_the_rule(user) | rule
    return rule


def _server_keeps_the_rule(user: User) -> pw.ColumnBase:
    """PostgreSQL: true when the server already keeps this statement's cases to those `user`
    may see — row-level security applies to sip_case for the session (not the schema's owner,
    a superuser or a BYPASSRLS role), whose login is `user`'s own, active account: the case
    policy of migrations 16 and 21 is this very rule (tests/core/test_row_level_security.py
    holds the two to each other for every demo user). Asked once per statement (an InitPlan,
    first in the OR), it spares the server testing every case twice, by its policy and by the
    same rule here — for a user invited to many cases the second test cost as much as the
    first. Any other session (the owner's, or one acting for another user) gets the rule."""
    return pw.SQL("(SELECT row_security_active('sip_case') AND sipdesk_current_app_user() = %s)",
                  [user.id])


def invited_to(user: User, *, case_by_case: bool = False) -> pw.ColumnBase:
    """SQL condition on `Case` rows: `user` is invited to one of the case's meetings (a
    participant with their account).

    On SQLite the case's id among the user's meetings, joined to their participants by index —
    or, `case_by_case`, the case's own meetings looked up for a participant row of the user's:
    for a test of a few cases (a page's rows), where SQLite would otherwise list all the
    user's invitations first (16,000 for the demo's case officer: ~25 ms a page).
    On PostgreSQL the user's participant row for that case, looked up by the case the server
    keeps on every participant row (participant.case_id, migration 23; not in the models) and
    the index (user_id, case_id): the planner tests a few cases one by one, or hashes the
    user's invitations once for many — without reading meeting, whose row-level security policy
    would be asked about each of the user's invitations (a region nurse invited to a third of
    100,000 cases waited over a minute for her first page). On the user's own login the
    participant policy lets their own rows through first."""
    if engine_of() is Engine.POSTGRESQL:
        return pw.fn.EXISTS(pw.NodeList((
            pw.SQL("SELECT 1 FROM participant sipdesk_invited WHERE sipdesk_invited.user_id = %s"
                   " AND sipdesk_invited.case_id =", [user.id]),
            Case.id)))
    if case_by_case:
        return pw.fn.EXISTS(
            Meeting.select(Meeting.id)
            .join(Participant, on=(Participant.meeting == Meeting.id))
            .where((Meeting.case == Case.id) & (Participant.user == user.id)))
    invited = (Meeting.select(Meeting.case)
               .join(Participant, on=(Participant.meeting == Meeting.id))
               .where(Participant.user == user.id))
    return _in(Case.id, invited)


def changeable_cases(user: User) -> pw.ColumnBase:
    """SQL condition on `Case` rows: true exactly for the cases `user` may change — the case's
    coordinator, its own unit's staff and the users invited to its meetings; every case for an
    administrator, none for a deactivated account. Always within `visible_cases`."""
    if not user.active:
        return _NO_CASE
    if user.role == Role.ADMINISTRATOR.value:
        return EVERY_CASE
    invited = (Meeting.select(Meeting.case)
               .join(Participant, on=(Participant.meeting == Meeting.id))
               .where(Participant.user == user.id))
    return ((Case.coordinator == user.id) | (Case.unit == user.unit_id)
            | _in(Case.id, invited))


def sees_own_principal_cases(user: User) -> bool:
    """Whether the user's principal has any case, i.e. the user sees a broad list (the
    municipality's staff) rather than only the cases they coordinate or are invited to."""
    return bool(Case.select(Case.id).where(_in(Case.unit, _own_units(user))).exists())


# A case as the rule is given it: the row, its id, or a one-column query that selects its id
# (the case of a meeting, `meeting_case`), so finding the case and the rule are one query.
CaseRef = Case | int | pw.SelectQuery


def _case_id(case: CaseRef) -> int | pw.SelectQuery:
    return case.id if isinstance(case, Case) else case


def can_see(user: User, case: CaseRef) -> bool:
    """May `user` see this case? The same condition as the lists (`visible_cases`)."""
    return bool(Case.select(Case.id)
                .where((Case.id == _case_id(case)) & visible_cases(user)).exists())


NOT_YOURS = "Du har inte behörighet till det ärendet."


def can_change(user: User, case: CaseRef) -> bool:
    """May `user` change this case (`changeable_cases`)?"""
    return bool(Case.select(Case.id)
                .where((Case.id == _case_id(case)) & changeable_cases(user)).exists())


# The refusal, and what a screen says of a case the user may only read.
READ_ONLY_HERE = "Ärendet hör till en annan enhet — du kan läsa det men inte ändra i det."


def require_can_see(user: User, case: CaseRef, *, field: str | None = None) -> None:
    """For a use case: refuse, with the same Swedish words everywhere, a user who may not see
    the case (DOMAIN.md, data protection: access only for those who work with the case)."""
    if not can_see(user, case):
        raise PermissionDenied(NOT_YOURS, field=field)


def require_can_change(user: User, case: CaseRef, *, field: str | None = None) -> None:
    """For a use case that changes the case: refuse one who may not see it (`NOT_YOURS`) or
    may only read it (`READ_ONLY_HERE`) — one query."""
    case_for(user, case, change=True, field=field)


def case_for(user: User, case: CaseRef, *, change: bool = False,
             field: str | None = None) -> Case:
    """The case, read for a use case that acts on it for `user`, refused like
    `require_can_see` when they may not see it — and, with `change`, like
    `require_can_change` when they may only read it: the read and the rule in one query."""
    query = Case.select()
    if change:
        query = Case.select(Case, changeable_cases(user).alias("changeable"))
    found = query.where((Case.id == _case_id(case)) & visible_cases(user)).first()
    if found is None:
        raise PermissionDenied(NOT_YOURS, field=field)
    if change and not found.changeable:
        raise PermissionDenied(READ_ONLY_HERE, field=field)
    return found


def meeting_case(user: User, meeting: Meeting | int, *, change: bool = False) -> Case:
    """The case of a meeting — or, given a meeting's id, of what hangs on it (a participant, a
    deviation) — for a use case acting for `user` (`case_for`)."""
    if isinstance(meeting, Meeting):
        return case_for(user, meeting.case_id, change=change)
    return case_for(user, Meeting.select(Meeting.case).where(Meeting.id == meeting),
                    change=change)


def plan_case(user: User, plan: PlanVersion, *, change: bool = False) -> Case:
    """The case of a plan version, for a use case acting for `user` on it (`case_for`)."""
    return case_for(user, plan.case_id, change=change)


def visible_case_ids(user: User, case_ids: set[int]) -> set[int]:
    """Those of `case_ids` that `user` may see, in one query (for lists built in Python)."""
    if not case_ids:
        return set()
    query = Case.select(Case.id).where(Case.id.in_(sorted(case_ids)) & visible_cases(user))
    return {case.id for case in query}
