"""Version 5: the contact directory, wizard drafts, meetings with participants, the staff
meeting record, the mobile care team check, status surveys, deviations and requests to
convene. Frozen copies of the models."""

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

    class Message(Base):
        pass

    class Organisation(Base):
        version = IntegerField(default=1)
        name = CharField(max_length=200)
        principal = ForeignKeyField(Principal, on_delete="RESTRICT")
        kind = CharField(max_length=30)
        law = CharField(max_length=20)
        phone = CharField(max_length=50, default="")
        address = CharField(max_length=300, default="")

        class Meta:
            indexes = ((("principal", "name"), True),)

    class Contact(Base):
        version = IntegerField(default=1)
        organisation = ForeignKeyField(Organisation, on_delete="CASCADE")
        name = CharField(max_length=200)
        role = CharField(max_length=100, default="")
        phone = CharField(max_length=50, default="")
        email = CharField(max_length=200, default="")
        address = CharField(max_length=300, default="")
        name_key = CharField(max_length=200, index=True)

    class Draft(Base):
        user = ForeignKeyField(AppUser, on_delete="CASCADE")
        case = ForeignKeyField(SipCase, on_delete="CASCADE")
        wizard = CharField(max_length=40)
        data = TextField()
        saved_at = DateTimeField(default=datetime.datetime.now)

        class Meta:
            indexes = ((("user", "case", "wizard"), True),)

    class Meeting(Base):
        version = IntegerField(default=1)
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        follow_up = BooleanField(default=False)
        purpose = TextField()
        starts_at = DateTimeField()
        minutes = IntegerField(default=45)
        place = CharField(max_length=300)
        at_home = BooleanField(default=True)
        place_reason = TextField(default="")
        video_link = CharField(max_length=500, default="")
        short_notice_reason = TextField(default="")
        staff_meeting_at = DateTimeField(null=True)
        staff_meeting_place = CharField(max_length=300, default="")
        staff_meeting_skipped_reason = TextField(default="")
        status = CharField(max_length=20, default="planned")
        cancelled_reason = TextField(default="")
        person_told = BooleanField(default=False)
        created_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.now)

    class Participant(Base):
        meeting = ForeignKeyField(Meeting, on_delete="RESTRICT")
        kind = CharField(max_length=20)
        name = CharField(max_length=200)
        role = CharField(max_length=100, default="")
        user = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        contact_id = IntegerField(null=True)
        principal_name = CharField(max_length=200, default="")
        principal_kind = CharField(max_length=20, default="")
        principal_id = IntegerField(null=True)
        unit_name = CharField(max_length=200, default="")
        law = CharField(max_length=20, default="")
        outpatient = BooleanField(default=False)
        phone = CharField(max_length=50, default="")
        email = CharField(max_length=200, default="")
        address = CharField(max_length=300, default="")
        how_invited = CharField(max_length=20)
        invitation_done = BooleanField(default=False)
        answer = CharField(max_length=20, default="no_answer")
        substitute_name = CharField(max_length=200, default="")
        substitute_contact = CharField(max_length=200, default="")
        attended = BooleanField(null=True)
        message = ForeignKeyField(Message, null=True, on_delete="RESTRICT")

    class StaffMeetingRecord(Base):
        meeting = ForeignKeyField(Meeting, unique=True, on_delete="RESTRICT")
        held_on = DateField()
        chair = CharField(max_length=200)
        note_taker = CharField(max_length=200)
        coordinator_moved_to = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        writes_situation = CharField(max_length=200)
        writes_main_goal = CharField(max_length=200)
        writes_for_others = TextField(default="")
        responsibilities = TextField(default="")
        recorded_by = ForeignKeyField(AppUser, on_delete="RESTRICT", backref="staff_records")
        recorded_at = DateTimeField(default=datetime.datetime.now)

    class MobileTeamCheck(Base):
        meeting = ForeignKeyField(Meeting, unique=True, on_delete="RESTRICT")
        chronic_diagnoses = BooleanField(default=False)
        admissions = BooleanField(default=False)
        medicines = BooleanField(default=False)
        personal_care = BooleanField(default=False)
        age_75 = BooleanField(default=False)
        home_health_care = BooleanField(default=False)
        decision = CharField(max_length=30, default="not_decided")
        refused_reason = TextField(default="")
        mas_informed = BooleanField(default=False)
        checked_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        checked_at = DateTimeField(default=datetime.datetime.now)

    class StatusSurvey(Base):
        meeting = ForeignKeyField(Meeting, on_delete="RESTRICT")
        profession = CharField(max_length=100)
        written_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        on_behalf_of = CharField(max_length=200, default="")
        notes = TextField()
        written_at = DateTimeField(default=datetime.datetime.now)

    class Deviation(Base):
        meeting = ForeignKeyField(Meeting, on_delete="RESTRICT")
        participant = ForeignKeyField(Participant, on_delete="RESTRICT")
        principal_name = CharField(max_length=200)
        unit_name = CharField(max_length=200, default="")
        meeting_date = DateField()
        handled_at = DateTimeField(null=True)
        handled_by = ForeignKeyField(AppUser, null=True, on_delete="RESTRICT")
        created_at = DateTimeField(default=datetime.datetime.now)

    class ConveneRequest(Base):
        case = ForeignKeyField(SipCase, on_delete="RESTRICT")
        requested_by = ForeignKeyField(AppUser, on_delete="RESTRICT")
        requested_to = ForeignKeyField(AppUser, on_delete="RESTRICT", backref="convene_inbox")
        need = TextField()
        coordinate = TextField()
        actors = TextField()
        consent_status = CharField(max_length=200)
        message = ForeignKeyField(Message, on_delete="RESTRICT")
        status = CharField(max_length=20, default="open")
        created_at = DateTimeField(default=datetime.datetime.now)

    db.create_tables([Organisation, Contact, Draft, Meeting, Participant, StaffMeetingRecord,
                      MobileTeamCheck, StatusSurvey, Deviation, ConveneRequest])
