"""Paper for a child's SIP (seed 002), on both engines, read back as text: the kallelse to a
school says that the school is obliged to cooperate when social services or the region asks
(skollagen 29 kap. 13 §) — and only to a school, only then; the printed plans show the child's
own words, or kindly that the child did not want to say anything, how the child was asked and
weighed, and the återkoppling."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import peewee
from pypdf import PdfReader

from reports.letters import LetterKind, planned_letters, render_letters
from reports.plan import render_plan
from sipdesk.casework import contacts
from sipdesk.meetings import invitation
from sipdesk.plans import child_voice, plan
from sipdesk.plans.child_voice import FeedbackInput
from sipdesk.storage.models import Law, PrincipalKind, Role
from tests.child_scenarios import (
    SCHOOL_PRINCIPAL,
    approve_child_plan,
    child_draft,
    child_plan_world,
    child_world,
    fill_child_plan,
)
from tests.factories import make_unit, make_user
from tests.scenarios import NOW


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(
        path.read_bytes())).pages)


def letters_by_recipient(meeting_id: int, folder: Path) -> dict[str, str]:
    """The text of each letter, by its recipient (the files come in the planned order)."""
    meeting = invitation.Meeting.get_by_id(meeting_id)
    paths = render_letters(meeting_id, folder, one_file=False, today=NOW.date())
    found = {}
    for letter, path in zip(planned_letters(meeting), paths, strict=True):
        if letter.kind is LetterKind.KALLELSE:  # the school's duty keeps it on one sheet
            assert len(PdfReader(io.BytesIO(path.read_bytes())).pages) == 1
        found[letter.recipient] = text_of(path)
    return found


def plan_text(plan_id: int, *, easy_read: bool = False) -> str:
    buffer = io.BytesIO()
    render_plan(plan_id, buffer, easy_read=easy_read)
    return "\n".join(" ".join(page.extract_text().split())
                     for page in PdfReader(io.BytesIO(buffer.getvalue())).pages)


def test_school_obligation_in_the_letter_when_social_services_asks(
        db: peewee.Database, tmp_path: Path) -> None:
    """Skollagen 29 kap. 13 § (seed 002 §2.1): social services calls the school — the school's
    letter says the school is obliged to cooperate; the region's letter does not."""
    world = child_world()
    meeting = invitation.send_invitation(world["officer"], world["case"], child_draft(world),
                                         current=NOW)
    letters = letters_by_recipient(meeting.id, tmp_path)
    school_letter = " ".join(letters["Sara Lärare"].split())
    assert ("Förskolan och skolan är skyldiga att samverka när socialtjänsten eller regionen "
            "begär det (skollagen 29 kap. 13 §)") in school_letter
    assert "29 kap. 13 §" not in letters["Eva Läkare"]


def test_no_obligation_in_the_letter_when_the_school_convenes_itself(
        db: peewee.Database, tmp_path: Path) -> None:
    world = child_world()
    unit = make_unit("Elevhälsan Exempelskolan", law=Law.SCHOOL, principal=SCHOOL_PRINCIPAL,
                     kind=PrincipalKind.OTHER)
    counsellor = make_user("kim.kurator", unit=unit, full_name="Kim Kurator", role=Role.STAFF)
    case = world["case"]
    case.coordinator = counsellor
    case.save_versioned()
    other_school = contacts.add_organisation(
        world["manager"], name="Fritidshemmet Exempel", principal=world["school_principal"],
        kind=contacts.OrganisationKind.SCHOOL, law=Law.SCHOOL, phone="0000-66 66 66",
        address="Skolvägen 1, 123 45 Exempelby")
    draft = child_draft(world)
    draft.participants = [p for p in draft.participants if p.user_id != world["officer"].id]
    draft.participants.append(invitation.ParticipantInput.from_directory(contacts.entry(
        contacts.EntryKind.CONTACT, contacts.add_contact(world["manager"], other_school,
                                                         name="Fia Fritids").id)))
    meeting = invitation.send_invitation(counsellor, case, draft, current=NOW)
    for path in render_letters(meeting.id, tmp_path, one_file=False, today=NOW.date()):
        assert "29 kap. 13 §" not in text_of(path)


def test_the_printed_plans_show_the_childs_own_words(db: peewee.Database) -> None:
    world = child_plan_world()
    p = fill_child_plan(world)
    plan.update_fields(world["officer"], p, {
        "child_views": ("", "Jag vill vila efter lunch."),
        "child_asked": ("", "before,pictures"),
        "child_weighing": ("", "Lo är nio år och vet vad hon behöver. Vilan blev en insats."),
    })
    staff = plan_text(p.id)
    assert "Barnets egna ord Jag vill vila efter lunch." in staff
    assert "Så frågade vi barnet Före mötet och med bilder" in staff
    assert "Så vägde vi in barnets åsikter Lo är nio år" in staff
    assert "Återkoppling till barnet Inte gjord än" in staff
    approved = approve_child_plan(world, plan.get_version(p.id))
    child_voice.record_feedback(world["officer"], approved, FeedbackInput(
        told_by="Anna Berg", told_on=dt.date(2026, 12, 14)), today=dt.date(2026, 12, 15))
    assert "Återkoppling till barnet Anna Berg, 2026-12-14" in plan_text(p.id)
    easy = plan_text(p.id, easy_read=True)
    # A nine-year-old's easy-read copies go to the guardians (own copy from child_letter_age)
    assert "Det här tycker Lo Jag vill vila efter lunch." in easy


def test_the_printed_plans_say_kindly_that_the_child_did_not_want_to_say_anything(
        db: peewee.Database) -> None:
    """Seed 002 §2.1.1: a valid answer, printed as one — never as something missing."""
    world = child_plan_world()
    p = fill_child_plan(world)
    plan.update_fields(world["officer"], p, {"child_silent": (False, True)})
    staff = plan_text(p.id)
    assert ("Barnets egna ord Barnet ville inte säga något den här gången. Det är ett helt "
            "giltigt svar.") in staff
    approved = approve_child_plan(world, plan.get_version(p.id))
    easy = plan_text(approved.id, easy_read=True)
    assert "Lo ville inte säga något den här gången. Det är helt okej." in easy
    assert "Inte ifyllt" not in easy


def test_an_adults_plan_has_no_childs_words(db: peewee.Database) -> None:
    from tests.plan_scenarios import plan_world

    world = plan_world()
    assert "Barnets egna ord" not in plan_text(world["plan"].id)
