"""Version 6: the plan — one version per meeting with participants, sub-goals, interventions per
principal, actions by others, and each principal's finished/approved part. Frozen copies."""

import datetime

from peewee import (
    BooleanField,
    CharField,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    TextField,
)


def up(migrator, db):
    class Base(Model):
        class Meta:
            database = db
            legacy_table_names = False

    class AppUser(Base):
        class Meta:
            table_name = "app_user"

    class SipCase(Base):
        class Meta:
            table_name = "sip_case"

    class Principal(Base):
        pass

    class Meeting(Base):
        pass

    class PlanVersion(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        meeting = ForeignKeyField(Meeting, null=True, on_delete="RESTRICT")
        number = IntegerField()
        kind = CharField(max_length=20)
        meeting_date = DateField()
        chair = CharField(max_length=200, default="")
        documented_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        adjusted_with = TextField(default="")
        current_situation = TextField(default="")
        what_matters = TextField(default="")
        can_do_self = TextField(default="")
        child_views = TextField(default="")
        main_goal = TextField(default="")
        others_none = BooleanField(default=False)
        overall_principal = ForeignKeyField(Principal, null=True, on_delete="RESTRICT")
        coordinator_contact = CharField(max_length=300, default="")
        treatment_limitation = BooleanField(null=True)
        treatment_limitation_ref = CharField(max_length=200, default="")
        follow_up_date = DateField(null=True)
        follow_up_by = CharField(max_length=200, default="")
        follow_up_skipped_reason = TextField(default="")
        locked_at = DateTimeField(null=True)
        reopened_reason = TextField(default="")
        previous = ForeignKeyField("self", null=True, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("case", "number"), True),)

    class PlanParticipant(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE")
        name = CharField(max_length=200)
        initials = CharField(max_length=10, default="")
        profession = CharField(max_length=100, default="")
        organisation = CharField(max_length=200, default="")
        principal = ForeignKeyField(Principal, null=True, on_delete="RESTRICT")
        contact = CharField(max_length=300, default="")
        user = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        position = IntegerField(default=0)

    class SubGoal(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE")
        text = TextField()
        position = IntegerField(default=0)

    class Intervention(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE")
        principal = ForeignKeyField(Principal, on_delete="RESTRICT")
        unit = CharField(max_length=200, default="")
        what = TextField()
        goal = TextField(default="")
        responsible = CharField(max_length=200, default="")
        how_often = CharField(max_length=200, default="")
        starts_on = DateField(null=True)
        ends_on = DateField(null=True)
        status = CharField(max_length=20, default="planned")
        no_action = BooleanField(default=False)
        written_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        position = IntegerField(default=0)

    class OtherAction(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE")
        who = CharField(max_length=200)
        what = TextField()
        when = CharField(max_length=200, default="")
        position = IntegerField(default=0)

    class PrincipalPart(Base):
        plan = ForeignKeyField(PlanVersion, on_delete="CASCADE")
        principal = ForeignKeyField(Principal, on_delete="RESTRICT")
        finished_at = DateTimeField(null=True)
        finished_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT",
                                      backref="finished_parts")
        approved_at = DateTimeField(null=True)
        approved_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT",
                                      backref="approved_parts")
        on_behalf = BooleanField(default=False)

        class Meta:
            indexes = ((("plan", "principal"), True),)

    db.create_tables([PlanVersion, PlanParticipant, SubGoal, Intervention, OtherAction,
                      PrincipalPart])
