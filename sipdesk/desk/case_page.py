"""What the case page shows, read in a fixed number of queries (issue 11, point 6).

The case view reads through these read models, off the UI thread, and shows what they return
without touching the database again:

- `open_case_page(user, case_id)`: opening a case — the access check and the log line
  (`cases.open_case`), the person's contacts and the heading; the tabs read their own part when
  they are first shown.
- `heading(case)`: the banner of a case that has ended (how it ended, and that it can only be
  read).
- `overview(case, today)`: the Översikt tab — the next step and what is missing before it, the
  actions with why each is not allowed now, the need and the recent status history.

Every list is read with its related rows joined, so the number of queries does not grow with
what the case holds (`tests/ui/test_case_view_queries.py` keeps it so).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import JOIN

from sipdesk.accounts import access
from sipdesk.casework import consent, guardian_removal, guardians, lifecycle, people, protected
from sipdesk.casework.lifecycle import (
    Action,
    ActionState,
    CaseStatusChange,
    ClosureReason,
    NeedRecord,
)
from sipdesk.desk import cases
from sipdesk.desk.next_step import NextStep, consent_line, invite_label, next_step
from sipdesk.storage.models import Case, CaseStatus, PersonContact, User

HISTORY_SHOWN = 5
# States from which an invitation is the next step: there, what the invitation lacks is shown.
BEFORE_INVITATION = {CaseStatus.NEED_REGISTERED, *lifecycle.TRANSITIONS[Action.INVITE][0]}


@dataclass(frozen=True)
class CasePage:
    """An opened case: the case (person, unit and coordinator joined), the person's contacts
    and the heading's banner text (empty while the case is open)."""

    case: Case
    contacts: list[PersonContact]
    ended: str
    # Whether the user may change the case (sipdesk.accounts.access.can_change): another unit
    # of the principal reads it only, and the case view shows it so, with why.
    may_change: bool = True


@dataclass(frozen=True)
class StatusLine:
    at: dt.datetime
    from_status: CaseStatus
    to_status: CaseStatus
    by: str
    reason: str


@dataclass(frozen=True)
class Need:
    noticed: str  # who noticed it, in words ("Personal: Maria Holm", "Närstående: Per")
    noticed_on: dt.date
    need: str
    question: str


@dataclass(frozen=True)
class Overview:
    """The Översikt tab of a case on a day."""

    step: NextStep
    missing: list[str]  # what is missing before the next step, in the core's words
    actions: dict[Action, ActionState]
    invite_label: str
    can_renew_consent: bool
    consent_text: str
    consent_warns: bool
    need: Need | None
    history: list[StatusLine]  # the latest HISTORY_SHOWN changes, oldest first
    # For a child (seed 002): guardians may be added, and who gets letters and copies, in words.
    child: bool = False
    paper_notes: list[str] = field(default_factory=list)


def open_case_page(user: User, case_id: int, *, reason: str | None = None) -> CasePage:
    """Open a case for `user` (refused when they may not see it; the opening is logged). A
    protected person's case needs a `reason` (a ValidationError at the field "reason" asks for
    it), and its page carries no address (sipdesk.casework.protected)."""
    case = cases.open_case(user, case_id, reason=reason)
    protected.drop_address(case.person)
    return CasePage(case, people.contacts_of(case.person), heading(case),
                    may_change=access.can_change(user, case))


def read_case_page(case_id: int, *, user: User | None = None) -> CasePage:
    """The case read again after a change (no new log line: the opening was logged); with the
    `user` who reads it, refused if they may no longer see it, and whether they may change
    it."""
    case = cases.get_case(case_id)
    if user is not None:
        access.require_can_see(user, case)
    protected.drop_address(case.person)
    return CasePage(case, people.contacts_of(case.person), heading(case),
                    may_change=user is None or access.can_change(user, case))


def heading(case: Case) -> str:
    """The banner of a case that has ended: how it ended, and that it can only be read; empty
    for an open case."""
    status = CaseStatus(case.status)
    if status.is_open:
        return ""
    how = ""
    if status is CaseStatus.CLOSED:
        closure = lifecycle.closure_of(case)
        if closure is not None:
            how = (f"Ärendet avslutades {closure.closed_on:%Y-%m-%d}: "
                   f"{ClosureReason(closure.reason).label.lower()}.")
            if closure.replaced_by is not None:
                how += f" Det ersätts av {closure.replaced_by.number}."
    else:
        last = status_history(case, last=1)
        what = ("Den enskilde tackade nej till SIP" if status is CaseStatus.DECLINED
                else "Det blev ingen SIP")
        reason = last[0].reason.strip() if last else ""
        # The reason is the user's own sentence: its full stop goes, so the banner does not say
        # "(…behövs.)."
        how = f"{what} ({reason.rstrip('.')})." if reason.rstrip(".") else f"{what}."
    return f"{how} {lifecycle.READ_ONLY}".strip()


def status_history(case: Case, *, last: int) -> list[StatusLine]:
    """The latest `last` status changes of the case, oldest first, with who made each."""
    rows = (CaseStatusChange.select(CaseStatusChange, User).join(User)
            .where(CaseStatusChange.case == case)
            .order_by(CaseStatusChange.at.desc(), CaseStatusChange.id.desc()).limit(last))
    return [StatusLine(row.at, CaseStatus(row.from_status), CaseStatus(row.to_status),
                       row.by.full_name, row.reason) for row in reversed(list(rows))]


def missing_items(case: Case, need: NeedRecord | None, today: dt.date) -> list[str]:
    """What is missing before the next step of an open case, in the core's words."""
    status = CaseStatus(case.status)
    if not status.is_open:
        return []
    items = []
    if need is None:
        items.append("Behovet är inte beskrivet: vem som uppmärksammade det, och vilken fråga "
                     "SIP:en ska besvara.")
    # The rule "consent must stand" before the next step that needs it (the kallelse; the
    # plan's approval): what the next step lacks. From the 18th birthday the next step itself
    # says the young person must consent.
    step = (lifecycle.Step.INVITE if status in BEFORE_INVITATION
            else lifecycle.Step.APPROVE_PLAN if status is CaseStatus.DOCUMENTATION else None)
    if step is not None:
        problem = lifecycle.consent_basis_problem(case, step, today=today)
        if problem and guardians.came_of_age_on(case, case.person, today) is None:
            items.append(problem)
    state = consent.consent_state(case.consent_basis, case.consent_valid_until, today=today)
    soon = guardians.turns_adult_soon(case, case.person, today)
    if soon is not None and state.warn:
        items.append(f"Fyller 18 år {soon:%Y-%m-%d}. Från den dagen behöver den unga själv "
                     "samtycka till SIP — fråga i god tid.")
    elif state.warn and state.days_left is not None and state.days_left >= 0:
        items.append(f"Samtycket går ut om {state.days_left} "
                     f"{'dag' if state.days_left == 1 else 'dagar'} — förnya det i tid.")
    return items


def _need(case: Case) -> tuple[NeedRecord | None, Need | None]:
    record = (NeedRecord.select(NeedRecord, User)
              .join(User, JOIN.LEFT_OUTER, on=(NeedRecord.noticed_by_user == User.id))
              .where(NeedRecord.case == case).first())
    if record is None:
        return None, None
    who = lifecycle.NoticedBy(record.noticed_by)
    if who is lifecycle.NoticedBy.STAFF and record.noticed_by_user_id is not None:
        noticed = f"Personal: {record.noticed_by_user.full_name}"
    elif record.noticed_by_name:
        noticed = f"{who.label}: {record.noticed_by_name}"
    else:
        noticed = who.label
    return record, Need(noticed, record.noticed_on, record.need, record.question)


def overview(case: Case, today: dt.date) -> Overview:
    """The Översikt tab of `case` (as read when the case was opened) on `today`."""
    step = next_step(case, today)
    record, need = _need(case)
    open_ = CaseStatus(case.status).is_open
    line = consent_line(case, today)
    text = line.text
    if open_ and line.days_left is not None and not line.warn:
        text += f" ({line.days_left} dagar kvar)"
    # What the next step itself says is not listed again as missing.
    missing = [item for item in missing_items(case, record, today) if item != step.text]
    registered = guardians.guardians_of(case.person)
    paper = guardians.paper_for(case.person, on=today, guardians=registered)
    notes = paper.notes()
    gap = guardians.custody_gap(registered) if paper.child and registered else None
    if gap:  # e.g. one of two guardians with joint custody removed: the custody to put right
        notes.append(gap)
    if paper.child:  # a guardian removed (custody changed): kept, and said so
        notes += [f"{former.name} är inte längre vårdnadshavare. Det hen svarade om samtycke "
                  "finns kvar under Samtycke."
                  for former in guardian_removal.former_guardians_of(case.person_id)]
    return Overview(
        child=paper.child, paper_notes=notes,
        step=step, missing=missing,
        actions={state.action: state for state in lifecycle.actions(case, today=today)},
        invite_label=invite_label(case),
        can_renew_consent=open_ and consent.active_consent(case) is not None,
        consent_text=text, consent_warns=line.warn, need=need,
        history=status_history(case, last=HISTORY_SHOWN))
