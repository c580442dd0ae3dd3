"""The plan records: a plan version, its participants, goals, interventions, other actions and
the principals' parts — and the two plain reads others need (the latest version, its
participants).

They sit apart from `sipdesk.plans.plan`, the documentation use cases, so that the case lifecycle,
meetings and attendance can read plans without importing the use cases that build on them (a
core without import cycles, issue 11). `sipdesk.plans.plan` re-exports every name here.
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.rules.workdays import add_workdays
from sipdesk.storage.db import BaseModel
from sipdesk.storage.meeting_records import Meeting
from sipdesk.storage.models import Case, Principal, User, VersionedModel, now

DOCUMENTATION_WORKDAYS = 2


class PlanKind(LabelledEnum):
    ESTABLISH = "establish"
    FOLLOW_UP = "follow_up"

    __labels__: ClassVar[Labels] = {"establish": "Upprättande", "follow_up": "Uppföljning"}


class InterventionStatus(LabelledEnum):
    PLANNED = "planned"
    ONGOING = "ongoing"
    DONE = "done"

    __labels__: ClassVar[Labels] = {"planned": "Planerad", "ongoing": "Pågår", "done": "Klar"}


class PlanVersion(BaseModel):
    case = pw.ForeignKeyField(Case, backref="plans", on_delete="RESTRICT")
    case_id: int
    meeting = pw.ForeignKeyField(Meeting, null=True, on_delete="RESTRICT")
    meeting_id: int | None
    number = pw.IntegerField()
    kind = pw.CharField(max_length=20)
    meeting_date = pw.DateField()
    chair = pw.CharField(max_length=200, default="")
    documented_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    documented_by_id: int | None
    adjusted_with = pw.TextField(default="")  # who took part in adjusting the text (seed 003)
    current_situation = pw.TextField(default="")  # "Min nuvarande situation", own words
    what_matters = pw.TextField(default="")
    can_do_self = pw.TextField(default="")
    # The child's voice (seed 002 §4; sipdesk.plans.child_voice): the child's own words, that
    # the child did not want to say anything (a valid answer), how the child was asked (the
    # ways, comma-separated), whom the child trusts, how the views were weighed (migration 19).
    child_views = pw.TextField(default="")
    child_silent = pw.BooleanField(default=False)
    child_asked = pw.CharField(max_length=100, default="")
    child_trusted = pw.CharField(max_length=200, default="")
    child_weighing = pw.TextField(default="")
    main_goal = pw.TextField(default="")
    others_none = pw.BooleanField(default=False)  # explicit "inga" actions by others
    overall_principal = pw.ForeignKeyField(Principal, null=True, on_delete="RESTRICT")
    overall_principal_id: int | None
    coordinator_contact = pw.CharField(max_length=300, default="")
    treatment_limitation = pw.BooleanField(null=True)  # only yes/no …
    treatment_limitation_ref = pw.CharField(max_length=200, default="")  # … and a reference
    follow_up_date = pw.DateField(null=True)
    follow_up_by = pw.CharField(max_length=200, default="")
    follow_up_skipped_reason = pw.TextField(default="")
    locked_at = pw.DateTimeField(null=True)
    reopened_reason = pw.TextField(default="")
    previous = pw.ForeignKeyField("self", null=True, on_delete="RESTRICT")
    created_at = pw.DateTimeField(default=now)
    # The lists edited as a whole are versioned as a whole: a save of one is
    # `UPDATE … SET sub_goals_version = v + 1 WHERE sub_goals_version = v` (plan.save_sub_goals).
    sub_goals_version = pw.IntegerField(default=1)
    others_version = pw.IntegerField(default=1)

    class Meta:
        indexes = ((("case", "number"), True),)

    @property
    def deadline(self) -> dt.date:
        return add_workdays(self.meeting_date, DOCUMENTATION_WORKDAYS)

    @property
    def locked(self) -> bool:
        return self.locked_at is not None


class PlanParticipant(VersionedModel):
    what = "Deltagaren"
    labels: ClassVar[dict[str, str]] = {
        "name": "Namn", "initials": "Initialer", "profession": "Yrke",
        "organisation": "Organisation", "principal": "Huvudman", "contact": "Kontaktuppgifter"}
    plan = pw.ForeignKeyField(PlanVersion, backref="participant_rows", on_delete="CASCADE")
    plan_id: int
    name = pw.CharField(max_length=200)
    initials = pw.CharField(max_length=10, default="")
    profession = pw.CharField(max_length=100, default="")
    organisation = pw.CharField(max_length=200, default="")
    principal = pw.ForeignKeyField(Principal, null=True, on_delete="RESTRICT")
    principal_id: int | None
    contact = pw.CharField(max_length=300, default="")
    user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    user_id: int | None
    position = pw.IntegerField(default=0)


class SubGoal(BaseModel):
    plan = pw.ForeignKeyField(PlanVersion, backref="sub_goals", on_delete="CASCADE")
    text = pw.TextField()
    position = pw.IntegerField(default=0)


class Intervention(BaseModel):
    """One principal's intervention. Saved with `compare_and_set` on its fields (not a
    VersionedModel: its text column is called `what`)."""

    version = pw.IntegerField(default=1)
    called: ClassVar[str] = "Insatsen"
    labels: ClassVar[dict[str, str]] = {
        "what": "Vad görs", "goal": "Mål", "unit": "Enhet", "responsible": "Ansvarig",
        "how_often": "När eller hur ofta", "starts_on": "Startdatum", "ends_on": "Slutdatum",
        "status": "Status", "no_action": "Ingen insats", "principal": "Huvudman"}
    plan = pw.ForeignKeyField(PlanVersion, backref="interventions", on_delete="CASCADE")
    plan_id: int
    principal = pw.ForeignKeyField(Principal, on_delete="RESTRICT")
    principal_id: int
    unit = pw.CharField(max_length=200, default="")
    what = pw.TextField()
    goal = pw.TextField(default="")  # the goal or sub-goal it serves
    responsible = pw.CharField(max_length=200, default="")  # a named person
    how_often = pw.CharField(max_length=200, default="")
    starts_on = pw.DateField(null=True)
    ends_on = pw.DateField(null=True)
    status = pw.CharField(max_length=20, default=InterventionStatus.PLANNED.value)
    no_action = pw.BooleanField(default=False)  # "we will take no action", with `what` saying so
    written_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    position = pw.IntegerField(default=0)


class OtherAction(BaseModel):
    """Actions by others than municipality and region: relatives, school, the person …"""

    plan = pw.ForeignKeyField(PlanVersion, backref="other_actions", on_delete="CASCADE")
    who = pw.CharField(max_length=200)
    what = pw.TextField()
    when = pw.CharField(max_length=200, default="")
    position = pw.IntegerField(default=0)


class PrincipalPart(BaseModel):
    """A participating principal's part: finished, then approved."""

    plan = pw.ForeignKeyField(PlanVersion, backref="parts", on_delete="CASCADE")
    plan_id: int
    principal = pw.ForeignKeyField(Principal, on_delete="RESTRICT")
    principal_id: int
    finished_at = pw.DateTimeField(null=True)
    finished_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT",
                                     backref="finished_parts")
    approved_at = pw.DateTimeField(null=True)
    approved_by = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT",
                                     backref="approved_parts")
    on_behalf = pw.BooleanField(default=False)  # the coordinator for a principal without account

    class Meta:
        indexes = ((("plan", "principal"), True),)


def latest_version(case: Case) -> PlanVersion | None:
    return (PlanVersion.select().where(PlanVersion.case == case)
            .order_by(PlanVersion.number.desc()).first())


def participants(plan: PlanVersion) -> list[PlanParticipant]:
    return list(PlanParticipant.select().where(PlanParticipant.plan == plan)
                .order_by(PlanParticipant.position, PlanParticipant.id))
