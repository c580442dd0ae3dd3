"""Children in the demo data (issue 14, seed 002): guardians and who decides.

Two parts, each apart from the adults' demo so that later parts of issue 14 (the child's own
words, a school taking part, evaluations) can add theirs to the same children:

- `build_child_showcase`: a few children of several ages taken through the real flow with the
  app's own use cases — two guardians who consent one at a time, a father under a restraining
  order who gets no letters, a mother's yes waiting for the father's answer, a särskilt
  förordnad vårdnadshavare, a 17-year-old who turns 18 within the month and one who has just
  turned 18 (Att göra says so);
- `add_bulk_guardians`: every child among the bulk persons gets one or two guardians of their
  own (joint custody, sole custody or a särskilt förordnad vårdnadshavare; now and then one who
  may not be told), and a child's consent rests on each guardian's answer, with the child's own
  view now and then. Rows are inserted in bulk, like the rest of `sipdesk.demo`.

Fictional names; Skatteverket's test personal numbers (never the names in the seeds).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import peewee as pw

from sipdesk.accounts import access
from sipdesk.casework import consent, contacts, guardian_answers, guardians, lifecycle, people
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.guardians import GuardianInput
from sipdesk.casework.lifecycle import NeedInput, NoticedBy
from sipdesk.desk import cases
from sipdesk.meetings import invitation, invitation_start, meeting
from sipdesk.meetings.invitation import InvitationDraft, ParticipantInput, ParticipantKind
from sipdesk.plans import child_voice, plan
from sipdesk.rules.personal_number import parse as parse_personal_number
from sipdesk.rules.workdays import add_workdays, workday_on_or_after
from sipdesk.storage.db import BaseModel
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.models import (
    Case,
    ConsentBasis,
    ContactKind,
    Custody,
    InformationBlock,
    Law,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    User,
)

MOTHERS = ("Sara", "Elin", "Maria", "Hanna", "Amal", "Johanna", "Linda", "Fatima", "Karin")
FATHERS = ("Johan", "Ahmed", "Erik", "Mikael", "Daniel", "Omar", "Peter", "Jonas", "Ali")
CHILDREN = ("Liv", "Noa", "Alva", "Elias", "Saga", "Leo", "Maja", "Ebbe", "Ines", "Adam")
STREETS = ("Ekvägen", "Lönngatan", "Hagvägen", "Solstigen", "Bäckvägen", "Skolvägen")
CHILD_VIEWS = (
    "Vill att mamma är med på mötet och att det är efter skolan.",
    "Tycker att det är bra att skolan och BUP pratar med varandra.",
    "Ville inte säga något.",
    "Vill inte byta klass. Vill ha någon att prata med på rasterna.",
    "Ritade en bild av sin familj och sa att hen vill sova bättre.",
)
NEED = ("Liv orkar inte hela skoldagen och har svårt att sova. Vi föräldrar vet inte vem vi ska "
        "vända oss till.",
        "Hur kan skolan, BUP och socialtjänsten hjälpa Liv att må bättre och orka skolan?")
PAST_TIME = dt.time(13, 0)


# ---- the few children taken through the real flow ----------------------------------------------

@dataclass(frozen=True)
class ChildStory:
    """One child in the showcase: the age (or the day they turn 18), and what happens."""

    name: str
    age: int | None  # years on `today`; None: found by `turns_18` instead
    turns_18: int | None = None  # days from today to the 18th birthday (negative: passed)


CHILD_SHOWCASE = (
    ChildStory("two_guardians_invited", 9),
    ChildStory("restraining_order_plan", 13),
    ChildStory("waiting_for_father", 15),
    ChildStory("turns_18_soon", None, turns_18=20),
    ChildStory("just_turned_18", None, turns_18=-4),
    ChildStory("appointed_guardian", 6),
)


def _birth(number: str) -> dt.date:
    """The birth date of a canonical test number (a samordningsnummer's day less 60)."""
    day = int(number[6:8])
    return dt.date(int(number[:4]), int(number[4:6]), day - 60 if day > 60 else day)


def _number_for(births: dict[str, dt.date], *, born_near: dt.date, taken: set[str]) -> str:
    """The test number born nearest `born_near` (not in `taken`)."""
    best = min((n for n in births if n not in taken),
               key=lambda n: abs((births[n] - born_near).days))
    taken.add(best)
    return best


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return dt.date(day.year - years, 2, 28)


def _born_near(story: ChildStory, today: dt.date) -> dt.date:
    if story.turns_18 is not None:
        return _years_before(today + dt.timedelta(days=story.turns_18), guardians.ADULT_AGE)
    assert story.age is not None
    return _years_before(today, story.age) - dt.timedelta(days=100)


def _fits(story: ChildStory, number: str, today: dt.date) -> bool:
    """Whether the test number found is near enough to tell the story (the list has few
    numbers for some years)."""
    if story.turns_18 is not None:
        wanted = today + dt.timedelta(days=story.turns_18)
        return abs((guardians.adult_on_number(number) - wanted).days) <= 5
    age = parse_personal_number(number).age_on(today)
    return age == story.age


def _child_person(actor: User, number: str, rng: random.Random) -> Person:
    """The person with `number` — registered now, or the bulk person who has it."""
    found = Person.get_or_none(Person.personal_number == number)
    if found is not None:
        return found
    last = rng.choice(("Lindqvist", "Haddad", "Berg", "Nyström", "Ekman", "Yilmaz"))
    return people.create_person(people.PersonInput(
        number, rng.choice(CHILDREN), last, address=f"{rng.choice(STREETS)} {rng.randint(1, 40)}",
        postal_code=f"{rng.randint(100, 999)} {rng.randint(10, 99)}", city="Exempelby"),
        actor=actor)


def _parents(actor: User, child: Person, rng: random.Random, *, custody: Custody = Custody.JOINT,
             father_block: InformationBlock = InformationBlock.NONE,
             father_language: str = "svenska") -> list[PersonContact]:
    """The child's guardians: those registered already (a bulk child has them), else new ones,
    each with an address of their own."""
    registered = guardians.guardians_of(child)
    if registered:
        return registered
    # A bulk child may already have a case of another unit, which only its own people may
    # change (guardians included): they register the guardians there.
    newest = Case.select().where(Case.person == child.id).order_by(Case.id.desc()).first()
    if newest is not None and not access.can_change(actor, newest):
        actor = User.get_by_id(newest.coordinator_id)
    town = f"{child.postal_code} {child.city}".strip()
    home = f"{child.address}, {town}" if child.address else ""
    if custody is Custody.APPOINTED:
        return [guardians.add_guardian(actor, child, GuardianInput(
            f"{rng.choice(MOTHERS)} Ström", Custody.APPOINTED,
            relation="särskilt förordnad vårdnadshavare", phone="070-555 01 01",
            address="Tallvägen 8, 123 50 Exempelby"))]
    mother = guardians.add_guardian(actor, child, GuardianInput(
        f"{rng.choice(MOTHERS)} {child.last_name}", custody, relation="mamma",
        phone=f"070-{rng.randint(1000000, 9999999)}", address=home))
    if custody is Custody.SOLE:
        return [mother]
    father = guardians.add_guardian(actor, child, GuardianInput(
        f"{rng.choice(FATHERS)} {child.last_name}", Custody.JOINT, relation="pappa",
        phone=f"070-{rng.randint(1000000, 9999999)}",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 40)}, 123 {rng.randint(40, 99)} "
                "Exempelby",
        language=father_language, needs_interpreter=father_language != "svenska",
        information_block=father_block,
        information_block_note=("Kontaktförbud enligt beslut i tingsrätten"
                                if father_block is not InformationBlock.NONE else "")))
    return [mother, father]


@dataclass
class _World:
    today: dt.date
    officer: User
    manager: User
    nurse: User
    kommun: Principal
    region: Principal
    rng: random.Random


def _case_with_need(w: _World, child: Person, *, noticed_on: dt.date | None = None) -> Case:
    """The case and its need, noticed (by default) five to ten weeks ago: before the consent."""
    case = cases.create_case(w.officer, person=child, today=w.today)
    need, question = NEED
    lifecycle.register_need(w.officer, case, NeedInput(
        NoticedBy.RELATIVE, noticed_on or w.today - dt.timedelta(days=w.rng.randint(36, 70)),
        need.replace("Liv", child.first_name), question.replace("Liv", child.first_name),
        noticed_by_name="Vårdnadshavare"), today=w.today)
    return case


SCHOOL_PRINCIPAL = "Exempelby kommun, utbildningsförvaltningen"  # as demo_showcase's school


def _school_mentor(w: _World) -> contacts.Contact:
    """The child's mentor at Exempelskolan (the school a principal of kind other, under the
    school law), in Kontakter — the same school as the showcase's child's, made when missing."""
    admin = User.get(User.login == "admin")
    principal = contacts.ensure_principal(SCHOOL_PRINCIPAL, PrincipalKind.OTHER)
    school = contacts.Organisation.get_or_none(
        (contacts.Organisation.principal == principal)
        & (contacts.Organisation.name == "Exempelskolan")) or contacts.add_organisation(
        admin, name="Exempelskolan", principal=principal, kind=contacts.OrganisationKind.SCHOOL,
        law=Law.SCHOOL, phone="0000-55 55 55", address="Skolvägen 1, 123 45 Exempelby")
    return contacts.add_contact(admin, school, name="Jonas Ek", role="Mentor",
                                phone="0000-55 55 57")


def _consent(w: _World, case: Case, parents: list[PersonContact], *, given_on: dt.date,
             child_view: str, school: bool = False) -> None:
    ways = (GuardianHow.PHONE, GuardianHow.WRITTEN, GuardianHow.ORAL)
    principals = [w.kommun, w.region]
    if school:
        principals.append(contacts.ensure_principal(SCHOOL_PRINCIPAL, PrincipalKind.OTHER))
    consent.register_consent(w.officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=given_on,
        covers=f"Samordna stödet till {case.person.first_name} i skolan, hemma och från "
               "vården", principals=principals,
        guardian_answers=[AnswerInput(g, True, given_on - dt.timedelta(days=n), ways[n % 3])
                          for n, g in enumerate(parents)],
        child_view=child_view), today=w.today)


def _invite(w: _World, case: Case, parents: list[PersonContact], *, starts: dt.datetime,
            current: dt.datetime, school: bool = False) -> invitation.Meeting:
    fresh = cases.get_case(case.id)
    mentor = ([ParticipantInput.from_directory(
        contacts.entry(contacts.EntryKind.CONTACT, _school_mentor(w).id))] if school else [])
    people_invited = [*mentor,
        ParticipantInput(ParticipantKind.PERSON, fresh.person.full_name),
        ParticipantInput.from_directory(contacts.entry(contacts.EntryKind.USER, w.manager.id)),
        ParticipantInput.from_directory(contacts.entry(contacts.EntryKind.USER, w.nurse.id)),
        *[invitation_start.relative_participant(g) for g in parents if guardians.informed(g)],
    ]
    draft = InvitationDraft(
        purpose=f"Hur kan skolan, vården och socialtjänsten tillsammans hjälpa "
                f"{fresh.person.first_name}?", participants=people_invited, starts_at=starts,
        staff_meeting_at=invitation.default_staff_meeting(starts, current),
        staff_meeting_place="Teams")
    return invitation.send_invitation(w.officer, fresh, draft, current=current)


def _upcoming(w: _World, index: int) -> tuple[dt.datetime, dt.datetime]:
    starts = dt.datetime.combine(workday_on_or_after(w.today + dt.timedelta(days=16 + index)),
                                 invitation.SIP_MEETING_TIME)
    return starts, dt.datetime.combine(w.today, dt.time(8, 0))


def two_guardians_invited(w: _World, child: Person, index: int) -> None:
    """A 9-year-old: both guardians consented, each on their own day and way; the kallelse
    has gone out, with a letter to each guardian at their own address."""
    parents = _parents(w.officer, child, w.rng, father_language="arabiska")
    case = _case_with_need(w, child)
    _consent(w, case, parents, given_on=w.today - dt.timedelta(days=20),
             child_view=CHILD_VIEWS[0])
    starts, current = _upcoming(w, index)
    _invite(w, case, parents, starts=starts, current=current)


def restraining_order_plan(w: _World, child: Person, index: int) -> None:
    """A 13-year-old whose father may not be told about her (a restraining order): he consented
    (custody is his), but gets no letters or copies. The meeting was held and the plan is
    approved — the easy-read copies go to the mother and to the child."""
    parents = _parents(w.officer, child, w.rng,
                       father_block=InformationBlock.RESTRAINING_ORDER)
    case = _case_with_need(w, child, noticed_on=w.today - dt.timedelta(days=60))
    _consent(w, case, parents, given_on=w.today - dt.timedelta(days=45),
             child_view=CHILD_VIEWS[3], school=True)
    starts = dt.datetime.combine(add_workdays(w.today, -(3 + index)), PAST_TIME)
    held = _invite(w, case, parents, starts=starts, current=starts - dt.timedelta(days=20),
                   school=True)
    meeting.mark_held(w.officer, invitation.Meeting.get_by_id(held.id),
                      {p.id: True for p in invitation.participants_of(held)},
                      current=dt.datetime.combine(w.today, dt.time(8, 0)))
    version = plan.start_documentation(w.officer, invitation.Meeting.get_by_id(held.id))
    _child_plan(w, version, child)


def waiting_for_father(w: _World, child: Person, index: int) -> None:
    """A 15-year-old: the mother said yes by phone; the father has not answered yet, so there
    is no consent — her answer waits in the case."""
    parents = _parents(w.officer, child, w.rng)
    case = _case_with_need(w, child)
    guardian_answers.record_guardian_answers(w.officer, case, [AnswerInput(
        parents[0], True, w.today - dt.timedelta(days=2), GuardianHow.PHONE)], today=w.today)


def turns_18_soon(w: _World, child: Person, index: int) -> None:
    """A 17-year-old with a mother who has sole custody: her consent carries the case until
    the day before the 18th birthday, which is within the month (Att göra says so)."""
    parents = _parents(w.officer, child, w.rng, custody=Custody.SOLE)
    case = _case_with_need(w, child)
    _consent(w, case, parents, given_on=w.today - dt.timedelta(days=30),
             child_view="Vill bestämma själv när hen fyller 18.")


def just_turned_18(w: _World, child: Person, index: int) -> None:
    """Turned 18 a few days ago, with a meeting called before the birthday: the young person
    must now consent themselves (the next step and Att göra say so)."""
    birthday = guardians.adult_on(child)
    parents = _parents(w.officer, child, w.rng, custody=Custody.SOLE)
    case = _case_with_need(w, child, noticed_on=birthday - dt.timedelta(days=75))
    _consent(w, case, parents, given_on=birthday - dt.timedelta(days=60),
             child_view=CHILD_VIEWS[1])
    current = dt.datetime.combine(birthday - dt.timedelta(days=6), dt.time(8, 0))
    starts = dt.datetime.combine(workday_on_or_after(w.today + dt.timedelta(days=12 + index)),
                                 invitation.SIP_MEETING_TIME)
    _invite(w, case, parents, starts=starts, current=current)


def appointed_guardian(w: _World, child: Person, index: int) -> None:
    """A 6-year-old who lives with a särskilt förordnad vårdnadshavare; the child did not want
    to say anything — a valid answer."""
    parents = _parents(w.officer, child, w.rng, custody=Custody.APPOINTED)
    case = _case_with_need(w, child)
    _consent(w, case, parents, given_on=w.today - dt.timedelta(days=10),
             child_view="Ville inte säga något.")


STORIES: dict[str, Callable[[_World, Person, int], None]] = {
    "two_guardians_invited": two_guardians_invited,
    "restraining_order_plan": restraining_order_plan,
    "waiting_for_father": waiting_for_father,
    "turns_18_soon": turns_18_soon,
    "just_turned_18": just_turned_18,
    "appointed_guardian": appointed_guardian,
}


def _child_plan(w: _World, version: plan.PlanVersion, child: Person) -> None:
    first = child.first_name
    follow_up = workday_on_or_after(version.meeting_date + dt.timedelta(days=90))
    plan.update_fields(w.officer, version, {
        "current_situation": ("", f"{first} går i sjuan och orkar ofta bara halva dagen. "
                                  "Hen sover dåligt och är orolig på kvällarna."),
        "what_matters": ("", "Att få vara kvar i sin klass och att träffa sina kompisar."),
        "child_views": ("", CHILD_VIEWS[3]),
        "child_asked": ("", child_voice.asked_text([child_voice.AskedWay.BEFORE,
                                                    child_voice.AskedWay.AT_MEETING])),
        "child_weighing": ("", f"{first} är 13 år och sa tydligt vad hen vill; att få gå kvar "
                               "i klassen väger tungt i planen."),
        "can_do_self": ("", "Går till skolan själv och spelar fotboll på helgerna."),
        "main_goal": ("", f"Att {first} orkar hela skoldagen och sover bättre."),
        "follow_up_date": (None, follow_up),
        "follow_up_by": ("", w.officer.full_name),
    })
    plan.set_sub_goals(w.officer, version, ["Sova hela natten fyra nätter i veckan",
                                            "Vara med på tre hela skoldagar i veckan"])
    plan.save_intervention(w.manager, version, plan.InterventionInput(
        principal_id=w.kommun.id, unit="Hemtjänst Norr", what="Stödperson hemma två "
        "kvällar i veckan", goal="Sova bättre", responsible=w.manager.full_name,
        how_often="Måndag och torsdag", starts_on=version.meeting_date))
    plan.save_intervention(w.nurse, version, plan.InterventionInput(
        principal_id=w.region.id, unit="Vårdcentralen Exempelby",
        what="Samtal om sömn och oro", goal="Sova bättre", responsible=w.nurse.full_name,
        how_often="Varannan vecka", starts_on=version.meeting_date))
    # The school took part: its part written by the coordinator (the school has no account).
    school = contacts.ensure_principal(SCHOOL_PRINCIPAL, PrincipalKind.OTHER)
    plan.save_intervention(w.officer, version, plan.InterventionInput(
        principal_id=school.id, unit="Exempelskolan", what="Lugn plats att vila på under "
        "dagen", goal="Orka hela skoldagen", responsible="Jonas Ek", how_often="Varje skoldag",
        starts_on=version.meeting_date))
    plan.set_other_actions(w.officer, version, [
        ("Mamma", f"Pratar med {first} om dagen och hjälper till med kvällsrutinen",
         "Varje kväll")])
    parts = ((w.manager, w.kommun), (w.nurse, w.region), (w.officer, school))
    for actor, principal in parts:
        plan.mark_part_finished(actor, version, principal.id)
    for actor, principal in parts:
        plan.approve(actor, plan.get_version(version.id), principal.id,
                     plain_language_acknowledged=True)


def plan_children(numbers: Sequence[str], *, count: int,
                  today: dt.date) -> list[tuple[ChildStory, str]]:
    """The first `count` stories that a test number can tell on `today`, each with its number
    (the list has few numbers for some years: a story without one is left out)."""
    births = {n: _birth(n) for n in numbers if n[:2] == "20"}
    taken: set[str] = set()
    chosen: list[tuple[ChildStory, str]] = []
    for story in CHILD_SHOWCASE:
        if len(chosen) == count or not births:
            break
        number = _number_for(births, born_near=_born_near(story, today), taken=taken)
        if _fits(story, number, today):
            chosen.append((story, number))
    return chosen


def build_child_showcase(children: Sequence[tuple[ChildStory, str]], *, today: dt.date,
                         rng: random.Random) -> int:
    """Make the child cases `plan_children` chose, through the real flow; returns how many."""
    users = {u.login: u for u in User.select()}
    w = _World(today=today, officer=users["anna.berg"], manager=users["maria.holm"],
               nurse=users["per.nord"],
               kommun=Principal.get(Principal.name == "Exempelby kommun"),
               region=Principal.get(Principal.name == "Region Exempelland"), rng=rng)
    for index, (story, number) in enumerate(children):
        STORIES[story.name](w, _child_person(w.officer, number, rng), index)
    return len(children)


# ---- the bulk: guardians for every child -----------------------------------------------------

def adult_consent_day(number: str, given: dt.date, today: dt.date) -> dt.date:
    """The day a bulk consent was given, moved to the 18th birthday when the person was a child
    that day but is an adult now: they consented themselves (a bulk child's guardians are
    added below only for those who are children today)."""
    adult = guardians.adult_on_number(number)
    return adult if given < adult <= today else given


# The demo's one bulk insert (sipdesk.demo._bulk), handed down: this module sits below it.
Insert = Callable[[type[BaseModel], Sequence[pw.Field], Sequence[tuple[Any, ...]]], None]


def add_bulk_guardians(*, today: dt.date, seed: int, insert: Insert) -> int:
    """Give each child among the persons one or two guardians; a child's consent (bulk) rests
    on each guardian's answer and ends, at the latest, the day before the 18th birthday.
    Returns how many children got guardians. A random stream of its own, so the rest of the
    demo stays as it was for a seed."""
    rng = random.Random(seed * 7919 + 14)
    limit = dt.date(today.year - guardians.ADULT_AGE, today.month, 1)
    persons: list[tuple[Any, ...]] = list(
        Person.select(Person.id, Person.personal_number, Person.last_name, Person.address,
                      Person.postal_code, Person.city, Person.language)
        .where(Person.personal_number >= f"{limit:%Y%m%d}")
        .order_by(Person.id).tuples())  # type: ignore[arg-type]
    children = [row for row in persons if today < guardians.adult_on_number(row[1])]
    registered: list[tuple[Any, ...]] = list(
        PersonContact.select(PersonContact.person)
        .where(PersonContact.kind == ContactKind.GUARDIAN.value).tuples())  # type: ignore[arg-type]
    have = {row[0] for row in registered}
    rows = []
    for pid, _number, last, address, code, city, language in children:
        if pid in have:
            continue
        kind = rng.random()
        home = f"{address}, {code} {city}".strip(", ")
        own = f"{rng.choice(STREETS)} {rng.randint(1, 40)}, {code} {city}"
        interpreter = language != "svenska"
        if kind < 0.1:
            rows.append((pid, ContactKind.GUARDIAN.value, f"{rng.choice(MOTHERS)} Ström",
                         "särskilt förordnad", Custody.APPOINTED.value,
                         f"070-{rng.randint(1000000, 9999999)}", own, "svenska", False, "", ""))
            continue
        sole = kind < 0.3
        rows.append((pid, ContactKind.GUARDIAN.value, f"{rng.choice(MOTHERS)} {last}", "mamma",
                     (Custody.SOLE if sole else Custody.JOINT).value,
                     f"070-{rng.randint(1000000, 9999999)}", home, language, interpreter, "",
                     ""))
        if not sole:
            blocked = rng.random() < 0.04
            rows.append((pid, ContactKind.GUARDIAN.value, f"{rng.choice(FATHERS)} {last}",
                         "pappa", Custody.JOINT.value, f"070-{rng.randint(1000000, 9999999)}",
                         own if rng.random() < 0.4 else home, language, interpreter,
                         InformationBlock.RESTRAINING_ORDER.value if blocked else "",
                         "Kontaktförbud enligt beslut" if blocked else ""))
    insert(PersonContact, [
        PersonContact.person, PersonContact.kind, PersonContact.name, PersonContact.relation,
        PersonContact.custody, PersonContact.phone, PersonContact.address,
        PersonContact.language, PersonContact.needs_interpreter,
        PersonContact.information_block, PersonContact.information_block_note], rows)
    _child_consents(rng, [c[0] for c in children], today=today, insert=insert)
    return len(children)


def _child_consents(rng: random.Random, child_ids: list[int], *, today: dt.date,
                    insert: Insert) -> None:
    """Each bulk consent of a child: every guardian's answer (GuardianConsent and GuardianAnswer),
    sometimes the child's own view, and the last day at most the day before the 18th."""
    if not child_ids:
        return
    by_person: dict[int, list[int]] = {}
    contacts_rows: list[tuple[int, int]] = list(
        PersonContact.select(PersonContact.id, PersonContact.person)
        .where((PersonContact.kind == ContactKind.GUARDIAN.value)
               & PersonContact.person.in_(child_ids))
        .order_by(PersonContact.id).tuples())  # type: ignore[arg-type]
    for contact_id, person_id in contacts_rows:
        by_person.setdefault(person_id, []).append(contact_id)
    Consent, GuardianConsent = consent.Consent, consent.GuardianConsent
    query: list[tuple[Any, ...]] = list(
        Consent.select(Consent.id, Consent.given_on, Consent.taken_by, Consent.valid_until,
                       Case.id, Case.person, Case.consent_basis, Person.personal_number)
        .join(Case).join(Person)
        .where(Case.person.in_(child_ids)
               & ~pw.fn.EXISTS(GuardianConsent.select(GuardianConsent.id)
                               .where(GuardianConsent.consent == Consent.id)))
        .tuples())  # type: ignore[arg-type]
    links: list[tuple[Any, ...]] = []
    answers: list[tuple[Any, ...]] = []
    views: dict[str, list[int]] = {}
    ways = [h.value for h in GuardianHow]
    for consent_id, given, taken_by, until, case_id, person_id, basis, number in query:
        for guardian_id in by_person.get(person_id, []):
            how = rng.choice(ways)
            links.append((consent_id, guardian_id, how))
            answers.append((case_id, guardian_id, True, given, how, taken_by, consent_id))
        last = guardians.adult_on_number(number) - dt.timedelta(days=1)
        if until > last:  # few: children who turn 18 within the year
            consent.Consent.update(valid_until=last).where(
                consent.Consent.id == consent_id).execute()
            if basis == ConsentBasis.CONSENT.value:
                Case.update(consent_valid_until=last).where(
                    (Case.id == case_id) & (Case.consent_valid_until == until)).execute()
        if rng.random() < 0.5:
            views.setdefault(rng.choice(CHILD_VIEWS), []).append(consent_id)
    for view, ids in views.items():
        for start in range(0, len(ids), 500):
            consent.Consent.update(child_view=view).where(
                consent.Consent.id.in_(ids[start:start + 500])).execute()
    insert(consent.GuardianConsent, [consent.GuardianConsent.consent,
                                      consent.GuardianConsent.guardian,
                                      consent.GuardianConsent.how], links)
    insert(GuardianAnswer, [GuardianAnswer.case, GuardianAnswer.guardian,
                             GuardianAnswer.consents, GuardianAnswer.answered_on,
                             GuardianAnswer.how, GuardianAnswer.recorded_by,
                             GuardianAnswer.consent_id], answers)
