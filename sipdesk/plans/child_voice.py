"""The child's own voice in a SIP — seed 002 §2.1.1 "Stärkt barnrättsperspektiv" and §4 "Ge den
enskilde en röst", "Använd visuellt stöd"; DOMAIN.md "Children".

For a child (under 18 on the meeting day, `consent.is_child`) the plan version keeps, as shared
texts saved field by field like the others (`plan.update_fields`):

- `child_views`: what the child wants, in the child's own words;
- `child_silent`: "Barnet ville inte säga något". A child has the right to say what they think
  and to be listened to, and no duty to have or give an opinion (barnkonventionen art. 12, seed
  002): not saying anything is a valid answer. Nothing in sipdesk asks for the child's words —
  no validation error, no approval problem, with or without them;
- `child_asked`: how the child was asked (`AskedWay`, several): before the meeting, at the
  meeting, through someone the child trusts (`child_trusted`: who), with pictures;
- `child_weighing`: how the child's views were weighed, given the child's age and maturity.

After the meeting someone tells the child what their voice meant for the plan — återkoppling
(seed 002: "att vi återkopplar till barnet vilken betydelse deras röst har haft").
`record_feedback` records who and when (`ChildFeedback`, one per plan version); until it is
recorded for the latest approved version of an open case, Att göra reminds the coordinator
(`feedback_due`, `sipdesk.desk.todo`) and the overview names it as the next step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar

import peewee as pw

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import plan_case
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework.consent import is_child
from sipdesk.errors import ValidationError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.limits import check_texts, text_problems
from sipdesk.storage.models import Case, CaseStatus, Person, User, now
from sipdesk.storage.plan_records import PlanVersion

# The plan's fields on the child's page, in the order the wizard shows them.
CHILD_FIELDS = ("child_views", "child_silent", "child_asked", "child_trusted", "child_weighing")

SILENT_LABEL = "Barnet ville inte säga något"
SILENT_IS_VALID = ("Det är ett helt giltigt svar. Ett barn har rätt att säga vad det tycker, "
                   "men ingen skyldighet att ha eller säga en åsikt.")


class AskedWay(LabelledEnum):
    """How the child was asked (seed 002 §4: preparation, a voice at the meeting, an ombud,
    visual support)."""

    BEFORE = "before"
    AT_MEETING = "at_meeting"
    TRUSTED = "trusted"
    PICTURES = "pictures"

    __labels__: ClassVar[Labels] = {
        "before": "Före mötet",
        "at_meeting": "På mötet",
        "trusted": "Genom någon barnet litar på",
        "pictures": "Med bilder",
    }


def asked_ways(text: str) -> list[AskedWay]:
    """The ways stored in `child_asked`, in the enum's order (unknown words are left out)."""
    stored = {part.strip() for part in (text or "").split(",")}
    return [way for way in AskedWay if way.value in stored]


def asked_text(ways: Iterable[AskedWay | str]) -> str:
    """The ways as stored: canonical order, each once ("before,pictures")."""
    chosen = {AskedWay(way).value for way in ways}
    return ",".join(way.value for way in AskedWay if way.value in chosen)


def asked_problem(text: str) -> str | None:
    """A stored `child_asked` holds only known ways (a use case refuses anything else)."""
    parts = {part.strip() for part in (text or "").split(",") if part.strip()}
    unknown = parts - {way.value for way in AskedWay}
    return "Välj bland sätten att fråga barnet." if unknown else None


@dataclass(frozen=True)
class ChildVoice:
    """The child's voice of one plan version, as the screens and the printed plans show it."""

    words: str
    silent: bool
    ways: tuple[AskedWay, ...]
    trusted: str
    weighing: str

    @classmethod
    def of(cls, plan: PlanVersion) -> ChildVoice:
        return cls(words=(plan.child_views or "").strip(), silent=bool(plan.child_silent),
                   ways=tuple(asked_ways(plan.child_asked)),
                   trusted=(plan.child_trusted or "").strip(),
                   weighing=(plan.child_weighing or "").strip())

    @property
    def is_empty(self) -> bool:
        return not (self.words or self.silent or self.ways or self.trusted or self.weighing)

    @property
    def said_nothing(self) -> bool:
        """The child did not want to say anything (and no words are written)."""
        return self.silent and not self.words

    def ways_text(self) -> str:
        """"Före mötet, med bilder och genom någon barnet litar på (mormor)"."""
        names = []
        for way in self.ways:
            name = way.label
            if way is AskedWay.TRUSTED and self.trusted:
                name += f" ({self.trusted})"
            names.append(name)
        if not names:
            return ""
        text = names[0] + "".join(
            (" och " if index == len(names) - 1 else ", ") + name[0].lower() + name[1:]
            for index, name in enumerate(names[1:], 1))
        return text


def is_child_plan(plan: PlanVersion, person: Person) -> bool:
    """The plan is a child's: the person was under 18 on the meeting day."""
    return is_child(person, plan.meeting_date)


# ---- återkoppling ------------------------------------------------------------------------------

class ChildFeedback(BaseModel):
    """Who told the child what their voice meant for the plan, and when (one per version)."""

    plan = pw.ForeignKeyField(PlanVersion, backref="child_feedback", on_delete="CASCADE",
                              unique=True)
    plan_id: int
    told_by = pw.CharField(max_length=200)
    told_on = pw.DateField()
    note = pw.TextField(default="")  # what the child was told, how they took it (optional)
    recorded_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    recorded_by_id: int
    recorded_at = pw.DateTimeField(default=now)


@dataclass
class FeedbackInput:
    told_by: str
    told_on: dt.date
    note: str = ""


def feedback_problems(plan: PlanVersion, data: FeedbackInput, *,
                      today: dt.date) -> dict[str, str]:
    """Every problem of the input at once, by field — for checking as the user types."""
    problems: dict[str, str] = {}
    if not data.told_by.strip():
        problems["told_by"] = "Skriv vem som berättade för barnet."
    if data.told_on > today:
        problems["told_on"] = "Datumet kan inte ligga i framtiden."
    elif data.told_on < plan.meeting_date:
        problems["told_on"] = (f"Återkopplingen görs efter mötet — välj ett datum från "
                               f"{plan.meeting_date:%Y-%m-%d}.")
    for name, message in text_problems(ChildFeedback, {"told_by": data.told_by,
                                                       "note": data.note}).items():
        problems.setdefault(name, message)
    return problems


def feedback_of(plan: PlanVersion | int) -> ChildFeedback | None:
    plan_id = plan if isinstance(plan, int) else plan.id
    return ChildFeedback.get_or_none(ChildFeedback.plan == plan_id)


def record_feedback(actor: User, plan: PlanVersion, data: FeedbackInput, *,
                    today: dt.date | None = None) -> ChildFeedback:
    """Record (or correct) the återkoppling to the child of `plan`: who told the child what
    their voice meant for the plan, and when. Only for a child's plan; the plan need not be
    approved yet, and a closed case keeps what it had."""
    today = today or clock.today()
    case = plan_case(actor, plan, change=True)
    if not CaseStatus(case.status).is_open:
        raise ValidationError("Ärendet är avslutat och kan bara läsas.")
    if not is_child_plan(plan, Person.get_by_id(case.person_id)):
        raise ValidationError("Återkoppling till barnet gäller bara en plan för ett barn "
                              "(under 18 år på mötesdagen).")
    problems = feedback_problems(plan, data, today=today)
    if problems:
        name, message = next(iter(problems.items()))
        raise ValidationError(message, field=name)
    check_texts(ChildFeedback, {"told_by": data.told_by, "note": data.note})
    values = {"told_by": data.told_by.strip(), "told_on": data.told_on,
              "note": data.note.strip(), "recorded_by": actor.id, "recorded_at": now()}
    with database.atomic():
        existing = feedback_of(plan)
        if existing is None:
            row = ChildFeedback.create(plan=plan.id, **values)
            summary = "Återkoppling till barnet registrerad"
        else:
            ChildFeedback.update(values).where(ChildFeedback.id == existing.id).execute()
            row = ChildFeedback.get_by_id(existing.id)
            summary = "Återkopplingen till barnet ändrad"
        audit.record(actor, action=AuditAction.UPDATE if existing else AuditAction.CREATE,
                     entity="child_feedback", entity_id=row.id, case=case,
                     summary=f"{summary} (plan version {plan.number}, "
                             f"{data.told_on:%Y-%m-%d})")
    return row


@dataclass(frozen=True)
class FeedbackDue:
    """A child's approved plan whose återkoppling is not recorded yet."""

    plan_id: int
    plan_number: int
    case_id: int
    case_number: str
    since: dt.date  # the day the version was approved


def feedback_due(*, coordinator: User | None = None,
                 case_ids: Iterable[int] | None = None) -> list[FeedbackDue]:
    """The latest approved version of each open case (coordinated by `coordinator`, or among
    `case_ids`) that is a child's plan and has no återkoppling recorded — one query."""
    latest = (PlanVersion.select(PlanVersion.case.alias("case_id"),
                                 pw.fn.MAX(PlanVersion.number).alias("top"))
              .where(PlanVersion.locked_at.is_null(False))
              .group_by(PlanVersion.case))
    told = ChildFeedback.select(ChildFeedback.plan)
    open_statuses = [s.value for s in CaseStatus if s.is_open]
    query = (PlanVersion.select(PlanVersion, Case, Person).join(Case).join(Person)
             .switch(PlanVersion)
             .join(latest, on=((latest.c.case_id == PlanVersion.case)
                               & (latest.c.top == PlanVersion.number)))
             .where(PlanVersion.locked_at.is_null(False) & PlanVersion.id.not_in(told)
                    & Case.status.in_(open_statuses)))
    if coordinator is not None:
        query = query.where(Case.coordinator == coordinator)
    if case_ids is not None:
        query = query.where(Case.id.in_(list(case_ids)))
    found = []
    for version in query.order_by(PlanVersion.locked_at):
        case = version.case
        approved = version.locked_at
        if approved is not None and is_child_plan(version, case.person):
            found.append(FeedbackDue(version.id, version.number, case.id, case.number,
                                     approved.date()))
    return found
