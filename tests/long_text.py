"""The longest texts the input limits allow, written into every field a document prints (issue 13,
printing): the fault tests over the PDF renderers (tests/faults/test_long_text_pdfs.py) and the
plain tests of each document (tests/reports/) build their data here.

A text column's limit is its model field's `max_length`; a free text (a TextField: the plan's
texts, an intervention, the purpose of a meeting, the consent's wording) allows at least
PLAN_TEXT characters. The rows are written straight to the tables, after a world built through
the core (tests/scenarios.py, tests/plan_scenarios.py): what is tested is the paper, and the
paper must print whatever the core lets in.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import peewee as pw
from pypdf import PdfReader

from sipdesk.casework import lifecycle
from sipdesk.casework.consent import Consent
from sipdesk.casework.lifecycle import CaseStatusChange
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import InvitationDraft, ParticipantInput
from sipdesk.meetings.invitation import ParticipantKind as Kind
from sipdesk.plans.plan import (
    Intervention,
    OtherAction,
    PlanParticipant,
    PlanVersion,
    SubGoal,
)
from sipdesk.storage.meeting_records import Meeting, Participant
from sipdesk.storage.models import Case, CaseStatus, Person, Principal, Unit, User
from tests.plan_scenarios import approve_all, fill, plan_world
from tests.scenarios import MEETING, NOW, entry_for, kallelse_world

PLAN_TEXT = 20_000  # the least a free text allows (issue 13)

# A text for a field: `text(limit)` gives at most `limit` characters.
Text = Callable[[int], str]


def limit(field: pw.Field) -> int:
    """How long the field's text may be: its column's length, or PLAN_TEXT for a free text."""
    return field.max_length if isinstance(field, pw.CharField) else PLAN_TEXT


def put(row: pw.Model, text: Text, *fields: pw.Field) -> None:
    """Write `text(limit)` into each of the row's `fields`, straight to its table."""
    values = {field: text(limit(field)) for field in fields}
    type(row).update(values).where(type(row).id == row.id).execute()


def _distinct(rows: list[pw.Model], text: Text, field: pw.Field) -> None:
    """Like `put`, for a unique column: each row's text starts with its own number."""
    for n, row in enumerate(rows):
        value = f"{n}{text(limit(field))}"[:limit(field)]
        type(row).update({field: value}).where(type(row).id == row.id).execute()


def _people(text: Text, case: Case) -> None:
    person = Person.get_by_id(case.person_id)
    put(person, text, Person.first_name, Person.last_name, Person.address, Person.city,
        Person.phone)
    for user in User.select():
        put(user, text, User.full_name, User.profession, User.phone, User.email)
    _distinct(list(Unit.select()), text, Unit.name)
    _distinct(list(Principal.select()), text, Principal.name)


# ---- the plan -----------------------------------------------------------------------------------

def plan_case() -> PlanVersion:
    """A full plan, approved by every principal (so both copies print)."""
    world = plan_world()
    return approve_all(world, fill(world))


PLAN_TEXTS = (PlanVersion.chair, PlanVersion.adjusted_with, PlanVersion.current_situation,
              PlanVersion.what_matters, PlanVersion.can_do_self, PlanVersion.child_views,
              PlanVersion.child_trusted, PlanVersion.child_weighing,
              PlanVersion.main_goal, PlanVersion.coordinator_contact,
              PlanVersion.treatment_limitation_ref, PlanVersion.follow_up_by,
              PlanVersion.follow_up_skipped_reason)


def write_plan(version: PlanVersion, text: Text, *, rows: int,
               fields: tuple[pw.Field, ...] = PLAN_TEXTS) -> None:
    """Every text of the plan from `text`, with `rows` participants, sub-goals, interventions
    (every third one "no action") and others' actions."""
    put(version, text, *fields)
    case = Case.get_by_id(version.case_id)
    _people(text, case)
    plan_id = version.id
    principals = [p.id for p in Principal.select()]
    writer = User.select().order_by(User.id).first()
    for model in (PlanParticipant, SubGoal, Intervention, OtherAction):
        model.delete().where(model.plan == plan_id).execute()
    PlanParticipant.insert_many([
        dict(plan=plan_id, position=n, name=text(limit(PlanParticipant.name)),
             initials=text(limit(PlanParticipant.initials)),
             profession=text(limit(PlanParticipant.profession)),
             organisation=text(limit(PlanParticipant.organisation)),
             principal=principals[n % len(principals)],
             contact=text(limit(PlanParticipant.contact)))
        for n in range(rows)]).execute()
    SubGoal.insert_many([dict(plan=plan_id, position=n, text=text(PLAN_TEXT))
                         for n in range(rows)]).execute()
    Intervention.insert_many([
        dict(plan=plan_id, position=n, principal=principals[n % len(principals)],
             unit=text(limit(Intervention.unit)), what=text(PLAN_TEXT),
             goal=text(PLAN_TEXT), responsible=text(limit(Intervention.responsible)),
             how_often=text(limit(Intervention.how_often)), no_action=n % 3 == 2,
             written_by=writer,
             starts_on=dt.date(2026, 12, 14), ends_on=dt.date(2027, 3, 10))
        for n in range(rows)]).execute()
    OtherAction.insert_many([
        dict(plan=plan_id, position=n, who=text(limit(OtherAction.who)), what=text(PLAN_TEXT),
             when=text(limit(OtherAction.when)))
        for n in range(rows)]).execute()


# ---- the letters, the consent form, the refusal letter -----------------------------------------

@dataclass(frozen=True)
class LettersWorld:
    meeting: Meeting
    called: tuple[int, ...]  # the participants the kallelse was sent to


def letters_meeting() -> LettersWorld:
    """A kallelse sent through the core: a letter to the person, a kallelse to a doctor without
    an account, an inbjudan to the interpreter and to a relative."""
    world = kallelse_world()
    draft = InvitationDraft(
        purpose="Hur kan hemtjänst och vårdcentral samordna stödet efter fallet?",
        participants=[ParticipantInput(Kind.PERSON, "Åsa Öberg"), entry_for(world["manager"]),
                      entry_for(world["nurse"]), entry_for(world["doctor"]),
                      entry_for(world["interpreter"]),
                      ParticipantInput(Kind.RELATIVE, "Greta Öberg", role="Dotter",
                                       address="Ängsvägen 4\n432 10 Älvby")],
        starts_at=MEETING, video_link="https://exempelby.example/video/123",
        staff_meeting_at=MEETING - dt.timedelta(days=3), staff_meeting_place="Teams")
    meeting = invitation.send_invitation(world["officer"], world["case"], draft, current=NOW)
    called = tuple(p.id for p in Participant.select().where(Participant.meeting == meeting))
    return LettersWorld(meeting, called)


def write_meeting(world: LettersWorld, text: Text, *, rows: int) -> None:
    """Every text the letters print from `text`; `rows` more professionals called by letter."""
    meeting = world.meeting
    put(meeting, text, Meeting.purpose, Meeting.place, Meeting.video_link,
        Meeting.staff_meeting_place)
    _people(text, Case.get_by_id(meeting.case_id))
    Participant.delete().where((Participant.meeting == meeting)
                               & Participant.id.not_in(world.called)).execute()
    called = list(Participant.select().where(Participant.meeting == meeting))
    for row in called:
        put(row, text, Participant.name, Participant.role, Participant.unit_name,
            Participant.principal_name, Participant.address)
    doctor = Participant.get_by_id(next(
        r.id for r in called if r.kind == Kind.PROFESSIONAL.value and not r.has_account))
    copy = {name: value for name, value in doctor.__data__.items() if name != "id"}
    if rows:
        Participant.insert_many([copy] * rows).execute()


def consent_case() -> Case:
    return kallelse_world()["case"]


def write_consent(case: Case, text: Text) -> None:
    put(Consent.get(Consent.case == case), text, Consent.covers, Consent.exclusions,
        Consent.relatives_to_invite)
    _people(text, case)


def refused_case() -> Case:
    world = kallelse_world()
    lifecycle.refuse(world["officer"], world["case"], reason="Behovet är redan mött.")
    return world["case"]


def write_refusal(case: Case, text: Text) -> None:
    change = CaseStatusChange.get((CaseStatusChange.case == case)
                                  & (CaseStatusChange.to_status == CaseStatus.REFUSED.value))
    put(change, text, CaseStatusChange.reason)
    _people(text, case)


# ---- reading the paper back ---------------------------------------------------------------------

@dataclass(frozen=True)
class Printed:
    pages: list[str]  # each page's text

    @property
    def count(self) -> int:
        return len(self.pages)

    def squeezed(self) -> str:
        """All the text without white space: a word broken over lines reads as one again."""
        return "".join("".join(page.split()) for page in self.pages)


def printed(data: bytes | Path) -> Printed:
    raw = data.read_bytes() if isinstance(data, Path) else data
    return Printed([page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages])
