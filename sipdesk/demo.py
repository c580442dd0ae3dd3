"""Fictional demo data: one municipality, one region, several units, ten users and N cases.

Persons carry Skatteverket's test personal numbers (resources/testpersonnummer.txt) and names
put together at random from common Swedish first and last names — nobody real, and never the
names in the seed documents. Rows are inserted in bulk so 100,000 cases — with a meeting for
nearly every case that got that far, and its participants — take seconds.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

import peewee as pw

from sipdesk import clock, demo_children
from sipdesk.accounts.auth import hash_password
from sipdesk.casework import protected
from sipdesk.casework.consent import Consent, ConsentKind, ConsentPrincipal, is_child
from sipdesk.casework.lifecycle import Closure, ClosureReason, NeedRecord, NoticedBy
from sipdesk.casework.people import name_keys
from sipdesk.demo_showcase import PAST_TIME, SHOWCASE, build_showcase
from sipdesk.desk.cases import format_case_number
from sipdesk.meetings.evaluation import (
    QUESTION_KEYS,
    GivenAs,
    MeetingEvaluation,
    RespondentKind,
    respondent_key,
)
from sipdesk.meetings.meeting_times import (
    SIP_MEETING_TIME,
    STAFF_MEETING_TIME,
    STAFF_MEETING_WORKDAYS_BEFORE,
)
from sipdesk.paths import resource_dir
from sipdesk.rules.workdays import add_workdays, one_year_after, workday_on_or_after
from sipdesk.storage.db import BaseModel, Engine, analyze, database, engine_of
from sipdesk.storage.meeting_records import (
    Answer,
    HowInvited,
    Meeting,
    MeetingStatus,
    Participant,
    ParticipantKind,
)
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ConsentBasis,
    ContactKind,
    Law,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    Protection,
    Role,
    Unit,
    User,
)
from sipdesk.storage.plan_records import DOCUMENTATION_WORKDAYS

DEMO_PASSWORD = "demo1234"
DEMO_LOGIN = "anna.berg"  # the case officer the "Prova med exempeldata" button logs in as

FIRST_NAMES = (
    "Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Kerstin", "Emma", "Ingrid", "Marie",
    "Malin", "Birgitta", "Sofia", "Elin", "Ida", "Julia", "Hanna", "Linnea", "Astrid", "Greta",
    "Lars", "Mikael", "Anders", "Johan", "Per", "Erik", "Karl", "Peter", "Jan", "Thomas",
    "Daniel", "Fredrik", "Hans", "Bengt", "Nils", "Gustav", "Oskar", "Axel", "Elias", "Liam",
    "Åsa", "Örjan", "Ängla", "Ödön",
)
LAST_NAMES = (
    "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
    "Persson", "Svensson", "Gustafsson", "Pettersson", "Jonsson", "Jansson", "Hansson",
    "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson", "Lindström", "Olofsson",
    "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lind", "Lundgren",
    "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg",
    "Åberg", "Öberg", "Ekström", "Holmgren",
)
STREETS = (
    "Storgatan", "Skolgatan", "Kyrkvägen", "Björkvägen", "Tallstigen", "Ängsvägen",
    "Åkervägen", "Sjögatan", "Parkvägen", "Rönnvägen",
)
RELATIONS = ("dotter", "son", "make", "maka", "syster", "bror", "granne")
LANGUAGES = ("svenska",) * 17 + ("arabiska", "finska", "somaliska")

# Weights of the statuses of the bulk cases: states whose records are made in bulk here — most
# open cases have a meeting, called or held (`_meetings`); the states with plans come from
# `demo_showcase`, made through the real flow. A called case's next date is its meeting, a held
# meeting's the plan's deadline, the others have none (next_step.next_step; tests/core/test_demo.py
# holds every case to it).
STATUS_WEIGHTS: dict[CaseStatus, int] = {
    CaseStatus.NEED_REGISTERED: 5,
    CaseStatus.CONSENT_GIVEN: 9,
    CaseStatus.HARM_ASSESSED: 2,
    CaseStatus.INVITED: 16,
    CaseStatus.MEETING_HELD: 5,
    CaseStatus.MEETING_CANCELLED: 2,
    CaseStatus.CLOSED: 50,
    CaseStatus.DECLINED: 8,
    CaseStatus.REFUSED: 3,
}
MEETING_STATES = (CaseStatus.INVITED, CaseStatus.MEETING_HELD, CaseStatus.MEETING_CANCELLED)
CLOSED_WITH_MEETING = 0.85  # most ended SIPs had their meeting


@dataclass(frozen=True)
class DemoUser:
    login: str
    full_name: str
    initials: str
    profession: str
    role: Role
    unit: str


UNITS: tuple[tuple[str, str, Law], ...] = (
    ("Exempelby kommun", "Biståndsenheten", Law.SOL),
    ("Exempelby kommun", "Hemtjänst Norr", Law.SOL),
    ("Exempelby kommun", "Hemtjänst Söder", Law.SOL),
    ("Exempelby kommun", "LSS-enheten", Law.LSS),
    ("Exempelby kommun", "Kommunal hälso- och sjukvård", Law.HSL),
    ("Region Exempelland", "Vårdcentralen Exempelby", Law.HSL),
    ("Region Exempelland", "Psykiatrimottagningen Exempelby", Law.HSL),
)

USERS: tuple[DemoUser, ...] = (
    DemoUser("anna.berg", "Anna Berg", "AB", "Biståndshandläggare", Role.CASE_OFFICER,
             "Biståndsenheten"),
    DemoUser("karl.lind", "Karl Lind", "KL", "Biståndshandläggare", Role.CASE_OFFICER,
             "Biståndsenheten"),
    DemoUser("sara.ek", "Sara Ek", "SE", "Biståndshandläggare", Role.CASE_OFFICER,
             "LSS-enheten"),
    DemoUser("maria.holm", "Maria Holm", "MH", "Enhetschef hemtjänst", Role.UNIT_MANAGER,
             "Hemtjänst Norr"),
    DemoUser("johan.sten", "Johan Sten", "JS", "Enhetschef hemtjänst", Role.UNIT_MANAGER,
             "Hemtjänst Söder"),
    DemoUser("lena.strand", "Lena Strand", "LS", "Omsorgshandledare", Role.STAFF,
             "Hemtjänst Norr"),
    DemoUser("erik.falk", "Erik Falk", "EF", "Sjuksköterska", Role.STAFF,
             "Kommunal hälso- och sjukvård"),
    DemoUser("ida.moberg", "Ida Moberg", "IM", "Arbetsterapeut", Role.STAFF,
             "Kommunal hälso- och sjukvård"),
    DemoUser("per.nord", "Per Nord", "PN", "Distriktssköterska", Role.STAFF,
             "Vårdcentralen Exempelby"),
    DemoUser("admin", "Eva Admin", "EA", "Systemförvaltare", Role.ADMINISTRATOR,
             "Biståndsenheten"),
)


OLDEST_BIRTH_YEAR = 1920  # the list starts in 1890; nobody in the demo is over ~105


def skatteverket_test_numbers() -> list[str]:
    """Skatteverket's test personal numbers in canonical form `YYYYMMDD-NNNN`, born 1920 or
    later (resources/testpersonnummer.txt, Skatteverket's open data)."""
    path = resource_dir() / "testpersonnummer.txt"
    numbers = []
    for line in path.read_text(encoding="ascii").splitlines():
        line = line.strip()
        if len(line) == 12 and line.isdigit() and int(line[:4]) >= OLDEST_BIRTH_YEAR:
            numbers.append(f"{line[:8]}-{line[8:]}")
    return numbers


Row = tuple[object, ...]


def _bulk(model: type[BaseModel], fields: Sequence[pw.Field], rows: Sequence[Row]) -> None:
    """Insert many rows with the driver's executemany (SQLite) or COPY (PostgreSQL): several
    times faster than building multi-row INSERTs, which matters for 100,000 cases and their
    meetings."""
    if not rows:
        return
    # The models' Python-side defaults (version, created_at, …) are not in the SQL schema.
    given = {f.name for f in fields}
    extra = [f for f in model._meta.sorted_fields
             if f.name not in given and not isinstance(f, pw.AutoField) and f.default is not None]
    defaults = tuple(f.db_value(f.default() if callable(f.default) else f.default)
                     for f in extra)
    every = [*fields, *extra]
    columns = ", ".join(f.column_name for f in every)
    table = model._meta.table_name
    if engine_of() is Engine.POSTGRESQL:
        with database.cursor().copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row((*row, *defaults))
        return
    marks = ", ".join([database.param] * len(every))
    sql = f'INSERT INTO "{table}" ({columns}) VALUES ({marks})'
    database.cursor().executemany(sql, [(*row, *defaults) for row in rows])


def _base_organisation() -> tuple[dict[str, Unit], list[User]]:
    principals = {
        "Exempelby kommun": Principal.create(
            name="Exempelby kommun", kind=PrincipalKind.MUNICIPALITY.value),
        "Region Exempelland": Principal.create(
            name="Region Exempelland", kind=PrincipalKind.REGION.value),
    }
    units = {
        name: Unit.create(principal=principals[p], name=name, law=law.value)
        for p, name, law in UNITS
    }
    password_hash = hash_password(DEMO_PASSWORD)
    users = [
        User.create(
            login=u.login, full_name=u.full_name, initials=u.initials, profession=u.profession,
            role=u.role.value, unit=units[u.unit], phone="0000-12 34 56",
            email=f"{u.login}@exempelby.example", password_hash=password_hash,
        )
        for u in USERS
    ]
    return units, users


def demo_user() -> User:
    """The case officer the "Prova med exempeldata" button logs in as, once the demo is made."""
    return User.get(User.login == DEMO_LOGIN)


def fill_demo(*, cases: int, seed: int = 1, today: dt.date | None = None) -> int:
    """Fill an empty, migrated database with demo data; returns the number of cases made."""
    rng = random.Random(seed)
    today = today or clock.today()
    stamp = dt.datetime.combine(today, dt.time(9, 0))
    numbers = skatteverket_test_numbers()
    rng.shuffle(numbers)
    with database.atomic():
        units, users = _base_organisation()
        municipal_units = [u for u in units.values() if u.principal.name == "Exempelby kommun"]
        coordinators = [u for u in users if u.role in (Role.CASE_OFFICER, Role.UNIT_MANAGER)]

        person_count = max(1, min(len(numbers), cases))
        person_rows = []
        for number in numbers[:person_count]:
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            key, key_rev = name_keys(first, last)
            language = rng.choice(LANGUAGES)
            person_rows.append((
                number, number.replace("-", "")[2:], first, last, key, key_rev,
                f"{rng.choice(STREETS)} {rng.randint(1, 60)}", f"{rng.randint(100, 999)} "
                f"{rng.randint(10, 99)}", "Exempelby", f"070-{rng.randint(1000000, 9999999)}",
                language, language != "svenska", rng.random() < 0.15, rng.random() < 0.08,
                stamp, stamp,
            ))
        fields: list[pw.Field] = [
            Person.personal_number, Person.pnr_short, Person.first_name, Person.last_name,
            Person.name_key, Person.name_key_reversed, Person.address, Person.postal_code,
            Person.city, Person.phone, Person.language, Person.needs_interpreter,
            Person.easy_read, Person.picture_support, Person.created_at, Person.updated_at,
        ]
        _bulk(Person, fields, person_rows)
        person_ids: list[int] = [
            row[0] for row in Person.select(Person.id).order_by(Person.id).tuples()  # type: ignore[index]
        ]

        contact_rows = []
        for pid in person_ids[: min(len(person_ids), 5000)]:
            if rng.random() < 0.4:
                contact_rows.append((
                    pid, ContactKind.RELATIVE.value,
                    f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    rng.choice(RELATIONS), f"070-{rng.randint(1000000, 9999999)}",
                ))
        _bulk(PersonContact, [
                PersonContact.person, PersonContact.kind, PersonContact.name,
                PersonContact.relation, PersonContact.phone,
            ], contact_rows)

        statuses = list(STATUS_WEIGHTS)
        weights = list(STATUS_WEIGHTS.values())
        showcase = min(len(SHOWCASE), cases // 4)
        children = demo_children.plan_children(numbers, count=cases // 10, today=today)
        bulk_cases = cases - showcase - len(children)
        number_of = dict(zip(person_ids, numbers[:person_count], strict=True))
        first_year = today.year - 6
        per_year: dict[int, int] = {}
        case_rows: list[Row] = []
        details: list[Detail] = []
        plans: list[Plan] = []
        for index in range(bulk_cases):
            # Persons beyond the first round reappear in older, closed cases.
            person_id = person_ids[index % len(person_ids)]
            repeated = index >= len(person_ids)
            status = CaseStatus.CLOSED if repeated else rng.choices(statuses, weights)[0]
            coordinator = rng.choice(coordinators)
            number = number_of[person_id]
            # Cases come and end evenly over the days, none piled on one: over the last two
            # years (a repeated person's older, closed case over the years before).
            noticed = (_day_between(rng, dt.date(first_year, 1, 1),
                                    today - dt.timedelta(days=2 * 365)) if repeated
                       else _day_between(rng, today - dt.timedelta(days=2 * 365), today))
            closed_on = None
            if status is CaseStatus.NEED_REGISTERED:
                # Waiting for the consent talk: noticed in the last weeks.
                noticed = today - dt.timedelta(days=rng.randint(0, 60))
                given = noticed
                consents: list[dt.date] = []
            elif status.is_open:
                # An open case (all in the steps up to the first SIP meeting) is a young one:
                # its consent was given within the last year (some lapse soon; not one with a
                # meeting called: it lasts past the meeting), days or weeks after the need.
                given = today - dt.timedelta(
                    days=rng.randint(30, 300) if status in MEETING_STATES else rng.randint(5, 355))
                # A child then but an adult now consented themselves, on the 18th birthday at
                # the latest (demo_children gives guardians only to those who are children
                # today).
                given = demo_children.adult_consent_day(number, given, today)
                consents = [given]
                noticed = given - dt.timedelta(days=rng.randint(2, 30))
            elif status is CaseStatus.CLOSED:
                # Ended on some day of those years (evenly, none piled on today), two months to
                # a year after the consent, which came days after the need.
                closed_on = noticed
                given = demo_children.adult_consent_day(
                    number, closed_on - dt.timedelta(days=rng.randint(60, 400)), today)
                if given > closed_on:  # consented on the 18th birthday, after that day
                    closed_on = _day_between(rng, given, today)
                noticed = given - dt.timedelta(days=rng.randint(1, 10))
                consents = _renewed_until(rng, given, closed_on)
            else:
                given = demo_children.adult_consent_day(
                    number, min(today, noticed + dt.timedelta(days=rng.randint(1, 10))), today)
                consents = [given]
            year = noticed.year
            sequence = per_year[year] = per_year.get(year, 0) + 1
            created = dt.datetime.combine(noticed, dt.time(9, 0))
            basis = _basis(status, rng)
            until = one_year_after(consents[-1]) if basis == ConsentBasis.CONSENT else None
            meeting_day = _meeting_day(rng, status, today)
            unit = coordinator.unit if coordinator.unit in municipal_units else rng.choice(
                municipal_units)
            case_rows.append((
                format_case_number(year, sequence), year, sequence, person_id, unit.id,
                coordinator.id, status.value, _next_date(status, meeting_day), created, created,
                basis, until,
            ))
            details.append((coordinator.id, created.date(), given, basis, status, person_id,
                            meeting_day))
            plans.append((consents if basis == ConsentBasis.CONSENT else [], closed_on))
        _bulk(Case, [
                Case.number, Case.year, Case.sequence, Case.person, Case.unit, Case.coordinator,
                Case.status, Case.next_date, Case.created_at, Case.updated_at,
                Case.consent_basis, Case.consent_valid_until,
            ], case_rows)
        case_ids: list[int] = [row[0] for row in Case.select(Case.id).order_by(Case.id).tuples()]  # type: ignore[index]
        asked = _needs_and_consents(rng, case_ids, details, plans, principals=[
            p.id for p in Principal.select().order_by(Principal.id)])
        demo_children.add_bulk_guardians(today=today, seed=seed, insert=_bulk)
        _meetings(rng, case_ids, details, asked, today=today, users=users, people={
            pid: (f"{row[2]} {row[3]}", f"{row[6]}, {row[7]} {row[8]}")
            for pid, row in zip(person_ids, person_rows, strict=False)})
        made = build_showcase(count=showcase, today=today, rng=rng,
                              person_ids=person_ids[::-1], spare_numbers=numbers[person_count:])
        evaluate_held_meetings(rng, today=today)
        protect_one()
        made += demo_children.build_child_showcase(children, today=today,
                                                   rng=random.Random(seed * 31 + 2))
        _started_when_noticed()
    analyze()  # 100,000 new cases: plan the first search with statistics, not guesses
    return len(case_rows) + made


def evaluate_held_meetings(rng: random.Random, *, today: dt.date, share: float = 0.7) -> int:
    """Evaluations of held meetings (seed 002, issue 14), so the meeting tab and the statistics
    have true data: about `share` of the held meetings that have none yet get the person's own
    evaluation, some also a guardian's (a child) or a representative's or relative's (an
    adult) — each respondent's apart. Inserted in bulk, recorded by the case's coordinator.
    Returns how many were made."""
    held: list[tuple[int, dt.datetime, int, str]] = list(
        Meeting.select(Meeting.id, Meeting.starts_at, Case.coordinator, Person.personal_number)
        .join(Case, on=(Meeting.case == Case.id))
        .join(Person, on=(Case.person == Person.id))
        .where((Meeting.status == MeetingStatus.HELD.value)
               & Meeting.id.not_in(MeetingEvaluation.select(MeetingEvaluation.meeting)))
        .order_by(Meeting.id).tuples())  # type: ignore[arg-type]
    rows: list[Row] = []
    ways = [way.value for way in GivenAs]
    for meeting_id, starts_at, coordinator_id, number in held:
        if rng.random() >= share:
            continue
        child = is_child(Person(personal_number=number), starts_at.date())
        respondents = [(RespondentKind.PERSON, "")]
        if child:
            respondents.append((RespondentKind.GUARDIAN, ""))
        elif rng.random() < 0.4:
            respondents.append(rng.choice(((RespondentKind.REPRESENTATIVE, "God man"),
                                           (RespondentKind.OTHER, "Dottern"))))
        for kind, name in respondents:
            low = 1 if kind is RespondentKind.PERSON else 2
            scores = [None if rng.random() < 0.1 else rng.randint(low, 5)
                      for _ in QUESTION_KEYS]
            if all(score is None for score in scores):
                scores[1] = 4
            rows.append((meeting_id, kind.value, name, respondent_key(kind, name),
                         rng.choice(ways), *scores,
                         rng.choice(EVALUATION_COMMENTS), coordinator_id,
                         min(starts_at + dt.timedelta(days=rng.randint(2, 10)),
                             dt.datetime.combine(today, dt.time(8, 0)))))
    _bulk(MeetingEvaluation, [
        MeetingEvaluation.meeting, MeetingEvaluation.respondent_kind,
        MeetingEvaluation.respondent_name, MeetingEvaluation.respondent_key,
        MeetingEvaluation.given_as,
        *[getattr(MeetingEvaluation, key) for key in QUESTION_KEYS],
        MeetingEvaluation.comment, MeetingEvaluation.recorded_by,
        MeetingEvaluation.recorded_at], rows)
    return len(rows)


EVALUATION_COMMENTS = (
    "", "", "Bra att vi var hemma hos mig.", "Det var många som pratade samtidigt.",
    "Jag fick säga det jag ville.", "Mötet var lite för långt.",
    "Skönt att alla var där på en gång.",
)


def protect_one() -> int | None:
    """One demo person with a protected identity (skyddad folkbokföring): the person of the
    newest case with a planned meeting (so its letters go via the coordinator), else of the
    newest case. Marked through the use case, as an administrator would. Returns their id."""
    planned = (Case.select(Case.person).join(Meeting, on=(Meeting.case == Case.id))
               .where(Meeting.status == MeetingStatus.PLANNED.value)
               .order_by(Case.id.desc()).first())
    chosen = planned or Case.select(Case.person).order_by(Case.id.desc()).first()
    if chosen is None:
        return None
    admin = User.get(User.login == "admin")
    protected.set_protection(admin, chosen.person_id, Protection.PROTECTED_REGISTRATION)
    return int(chosen.person_id)


NEEDS = (
    ("Jag klarar inte att duscha själv längre och är rädd att ramla.",
     "Hur kan hemtjänsten och vårdcentralen hjälpa mig att bo kvar hemma?"),
    ("Jag glömmer mina mediciner och blir sämre.",
     "Vem hjälper mig med medicinerna, och hur?"),
    ("Mamma är ensam på dagarna och ringer oss ofta.",
     "Hur kan stödet till mamma samordnas?"),
    ("Jag vill kunna gå till affären igen.",
     "Vad behöver jag för hjälp för att röra mig mer?"),
    ("Efter sjukhuset vet jag inte vem jag ska ringa.",
     "Vem gör vad efter utskrivningen?"),
)


def _started_when_noticed() -> None:
    """The showcase's cases, made through the use cases today, started the day their need was
    noticed (weeks ago), like the bulk ones: not a pile of new cases on the day of the demo."""
    noticed = (NeedRecord.select(NeedRecord.case, pw.fn.MIN(NeedRecord.noticed_on))
               .group_by(NeedRecord.case).tuples())
    rows: list[tuple[int, object]] = list(noticed)  # type: ignore[arg-type]
    for case_id, value in rows:
        day = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
        Case.update(created_at=dt.datetime.combine(day, dt.time(9, 0))).where(
            (Case.id == case_id) & (Case.created_at > dt.datetime.combine(day, dt.time(23, 59)))
        ).execute()


def _basis(status: CaseStatus, rng: random.Random) -> str | None:
    if status in (CaseStatus.NEED_REGISTERED, CaseStatus.DECLINED, CaseStatus.REFUSED):
        return None
    if status is CaseStatus.HARM_ASSESSED:
        return ConsentBasis.HARM_ASSESSMENT.value
    return ConsentBasis.CONSENT.value


# coordinator, noticed on, consent given on, consent basis, status, person, meeting day (an open
# case's meeting, decided with its next date; a closed case's comes with its closure)
Detail = tuple[int, dt.date, dt.date, str | None, CaseStatus, int, dt.date | None]


# each bulk case's consents, the first to the current (renewed about yearly), and its closure day
Plan = tuple[list[dt.date], dt.date | None]
RENEWED_AFTER_DAYS = (340, 364)  # a consent is renewed in the weeks before it lapses


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    """A day from first to last (both included), evenly."""
    return first + dt.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _renewed_until(rng: random.Random, first: dt.date, end: dt.date) -> list[dt.date]:
    """The days a case's consents were given, from the first, renewed yearly before end."""
    days = [first]
    while (later := days[-1] + dt.timedelta(days=rng.randint(*RENEWED_AFTER_DAYS))) < end:
        days.append(later)
    return days


def _needs_and_consents(rng: random.Random, case_ids: list[int], details: list[Detail],
                        plans: list[Plan], *, principals: list[int],
                        ) -> dict[int, tuple[str, dt.date | None]]:
    """Every demo case gets its need; those past the consent step get their consents (each
    renewal supersedes the one before), so the case view and the case list agree with the
    status. Returns each case's question and, for a closed case, the day it closed."""
    need_rows: list[Row] = []
    consent_rows: list[Row] = []
    closure_rows: list[Row] = []
    renewed: list[int] = []  # positions in consent_rows of the consents a later one superseded
    asked: dict[int, tuple[str, dt.date | None]] = {}
    reasons = [r.value for r in ClosureReason if r is not ClosureReason.REPLACED]
    for case_id, (coordinator_id, noticed, _given, _basis, _status, _person, _day), (
            consents, closed_on) in zip(case_ids, details, plans, strict=True):
        if closed_on is not None:
            closure_rows.append((case_id, closed_on, rng.choice(reasons), coordinator_id))
        need, question = rng.choice(NEEDS)
        asked[case_id] = (question, closed_on)
        need_rows.append((case_id, rng.choice(list(NoticedBy)).value, "", noticed, need,
                          question, coordinator_id if rng.random() < 0.3 else None))
        for day in consents:
            renewed.append(len(consent_rows))
            consent_rows.append((case_id, ConsentKind.ORAL.value, day, coordinator_id,
                                 question, one_year_after(day)))
        if consents:
            renewed.pop()  # the current one
    _bulk(NeedRecord, [
            NeedRecord.case, NeedRecord.noticed_by, NeedRecord.noticed_by_name,
            NeedRecord.noticed_on, NeedRecord.need, NeedRecord.question,
            NeedRecord.noticed_by_user], need_rows)
    _bulk(Consent, [
            Consent.case, Consent.kind, Consent.given_on, Consent.taken_by, Consent.covers,
            Consent.valid_until], consent_rows)
    _bulk(Closure, [Closure.case, Closure.closed_on, Closure.reason, Closure.closed_by],
          closure_rows)
    consent_ids: list[int] = [
        row[0] for row in Consent.select(Consent.id).order_by(Consent.id).tuples()  # type: ignore[index]
    ]
    pairs = [(consent_ids[i], consent_ids[i + 1]) for i in renewed]
    for start in range(0, len(pairs), 500):
        chunk = pairs[start:start + 500]
        Consent.update(superseded_by=pw.Case(Consent.id, chunk)).where(
            Consent.id.in_([old for old, _new in chunk])).execute()
    links = [(cid, pid) for cid in consent_ids for pid in principals]
    _bulk(ConsentPrincipal, [ConsentPrincipal.consent,
                                                    ConsentPrincipal.principal], links)
    return asked


def _meeting_day(rng: random.Random, status: CaseStatus, today: dt.date) -> dt.date | None:
    """The day of an open case's meeting, on a working day: a called one two to six weeks ahead
    (some already passed, not yet marked held), a held one a few working days ago, a cancelled
    one around now. None for a state without one."""
    if status is CaseStatus.INVITED:
        if rng.random() < 0.1:
            return add_workdays(today, -rng.randint(1, 4))
        return workday_on_or_after(today + dt.timedelta(days=rng.randint(14, 42)))
    if status is CaseStatus.MEETING_HELD:
        return add_workdays(today, -rng.randint(1, 4))
    if status is CaseStatus.MEETING_CANCELLED:
        return workday_on_or_after(today + dt.timedelta(days=rng.randint(-20, 30)))
    return None


def _next_date(status: CaseStatus, meeting_day: dt.date | None) -> dt.date | None:
    """next_step's date of a bulk case: the called meeting, or the held meeting's plan deadline;
    none before the kallelse, after a cancelled meeting or when ended."""
    if meeting_day is None:
        return None
    if status is CaseStatus.INVITED:
        return meeting_day
    if status is CaseStatus.MEETING_HELD:
        return add_workdays(meeting_day, DOCUMENTATION_WORKDAYS)
    return None


REGION_ROLES = ("Läkare", "Distriktssköterska", "Fysioterapeut", "Kurator")
REGION_CLINICS = ("Vårdcentralen Exempelby", "Psykiatrimottagningen Exempelby")
CANCEL_REASONS = ("Den enskilde ligger på sjukhus", "Den enskilde är sjuk",
                  "Tolken kunde inte komma")
REGION_NURSE_SHARE = 1 / 3  # per.nord, the vårdcentral's nurse, is asked to a third of the SIPs
# Other municipal users asked beside the coordinator: the home-care managers, the municipal
# nurses, the home-care staff (login, share of the meetings).
MUNICIPAL_GUESTS = ((("maria.holm", "johan.sten"), 0.45), (("erik.falk", "ida.moberg"), 0.2),
                    (("lena.strand",), 0.05))


def _meetings(rng: random.Random, case_ids: list[int], details: list[Detail],
              asked: dict[int, tuple[str, dt.date | None]], *, today: dt.date,
              users: list[User], people: dict[int, tuple[str, str]]) -> int:
    """The bulk cases' SIP meetings, as many as real use gives (one for nearly every case that
    got that far): an open case that is called, held or cancelled has its meeting, and most
    closed cases had one, held between the consent and the end. Each meeting has the person,
    the coordinator (a participant like the others, as the kallelse makes them), the region —
    Per Nord (a sipdesk user) for a third, otherwise a clinic's professional without an account
    — often a municipal user of another unit, sometimes a relative. Held meetings have
    attendance. Inserted in bulk like the cases (no kallelse messages). Returns how many."""
    by_login = {u.login: u for u in users}
    principals = {p.id: p for p in Principal.select()}
    units = {u.id: u for u in Unit.select()}

    def as_guest(user: User) -> tuple[object, ...]:
        unit = units[user.unit_id]
        principal = principals[unit.principal_id]
        return (user.full_name, user.profession, user.id, principal.name, principal.kind,
                principal.id, unit.name, unit.law, principal.kind == PrincipalKind.REGION.value,
                user.phone, user.email)

    guests = {u.id: as_guest(u) for u in users}
    region = next(p for p in principals.values() if p.kind == PrincipalKind.REGION.value)
    nurse = by_login["per.nord"]
    now = dt.datetime.combine(today, dt.time(8, 0))
    meeting_rows: list[Row] = []
    made: list[tuple[int, int, MeetingStatus]] = []  # person, coordinator, status
    for case_id, (coordinator_id, _noticed, given, _basis, status, person_id, day) in zip(
            case_ids, details, strict=True):
        question, closed_on = asked[case_id]
        if status is CaseStatus.CLOSED and closed_on is not None:
            day = workday_on_or_after(given + dt.timedelta(days=rng.randint(7, 45)))
            if day >= min(closed_on, today) or rng.random() >= CLOSED_WITH_MEETING:
                day = None
        if day is None:
            continue
        meeting_status = (MeetingStatus.PLANNED if status is CaseStatus.INVITED
                          else MeetingStatus.CANCELLED if status is CaseStatus.MEETING_CANCELLED
                          else MeetingStatus.HELD)
        at = SIP_MEETING_TIME if meeting_status is MeetingStatus.PLANNED else PAST_TIME
        starts = dt.datetime.combine(day, at)
        called = min(dt.datetime.combine(
            max(given, day - dt.timedelta(days=rng.randint(14, 28))), dt.time(9, 0)), now)
        cancelled = meeting_status is MeetingStatus.CANCELLED
        meeting_rows.append((
            case_id, question, starts, f"Hemma hos den enskilde ({people[person_id][1]})", True,
            dt.datetime.combine(add_workdays(day, -STAFF_MEETING_WORKDAYS_BEFORE),
                                STAFF_MEETING_TIME), "Teams", meeting_status.value,
            rng.choice(CANCEL_REASONS) if cancelled else "", cancelled, coordinator_id, called))
        made.append((person_id, coordinator_id, meeting_status))
    first = (Meeting.select(pw.fn.MAX(Meeting.id)).scalar() or 0)
    _bulk(Meeting, [
        Meeting.case, Meeting.purpose, Meeting.starts_at, Meeting.place, Meeting.at_home,
        Meeting.staff_meeting_at, Meeting.staff_meeting_place, Meeting.status,
        Meeting.cancelled_reason, Meeting.person_told, Meeting.created_by, Meeting.created_at,
    ], meeting_rows)
    meeting_ids: list[int] = [row[0] for row in Meeting.select(Meeting.id).where(  # type: ignore[index]
        Meeting.id > first).order_by(Meeting.id).tuples()]
    rows: list[Row] = []
    none = ("", "", None, "", "", None, "", "", False, "", "")
    for meeting_id, (person_id, coordinator_id, meeting_status) in zip(
            meeting_ids, made, strict=True):
        held = meeting_status is MeetingStatus.HELD
        name = people[person_id][0]
        invited: list[tuple[ParticipantKind, tuple[object, ...], HowInvited, bool]] = [
            (ParticipantKind.PERSON, (name, *none[1:]), HowInvited.LETTER, False),
            (ParticipantKind.PROFESSIONAL, guests[coordinator_id], HowInvited.MESSAGE, True)]
        if rng.random() < REGION_NURSE_SHARE:
            invited.append((ParticipantKind.PROFESSIONAL, guests[nurse.id], HowInvited.MESSAGE,
                            False))
        else:
            invited.append((ParticipantKind.PROFESSIONAL, (
                f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}", rng.choice(REGION_ROLES),
                None, region.name, region.kind, region.id, rng.choice(REGION_CLINICS),
                Law.HSL.value, True, f"010-{rng.randint(1000000, 9999999)}", ""),
                rng.choice((HowInvited.LETTER, HowInvited.PHONE)), False))
        for logins, share in MUNICIPAL_GUESTS:
            guest = by_login[rng.choice(logins)]
            if rng.random() < share and guest.id != coordinator_id:
                invited.append((ParticipantKind.PROFESSIONAL, guests[guest.id],
                                HowInvited.MESSAGE, False))
        if rng.random() < 0.3:
            invited.append((ParticipantKind.RELATIVE, (
                f"{rng.choice(FIRST_NAMES)} {name.split(' ')[-1]}", rng.choice(RELATIONS),
                *none[2:9], f"070-{rng.randint(1000000, 9999999)}", ""), HowInvited.PHONE, False))
        for kind, who, how, sure in invited:
            answer, attended = _answer(rng, held=held, sure=sure)
            done = how is not HowInvited.MESSAGE and (held or rng.random() < 0.7)
            rows.append((meeting_id, kind.value, *who, "", how.value, done, answer, attended))
    _bulk(Participant, [
        Participant.meeting, Participant.kind, Participant.name, Participant.role,
        Participant.user, Participant.principal_name, Participant.principal_kind,
        Participant.principal_id, Participant.unit_name, Participant.law,
        Participant.outpatient, Participant.phone, Participant.email, Participant.address,
        Participant.how_invited, Participant.invitation_done, Participant.answer,
        Participant.attended,
    ], rows)
    return len(meeting_rows)


def _answer(rng: random.Random, *, held: bool, sure: bool) -> tuple[str, bool | None]:
    """A bulk participant's answer to the kallelse, and whether they came to a held meeting
    (`sure`: the coordinator, who comes)."""
    if held:
        came = sure or rng.random() < 0.9
        return (Answer.COMING if came else Answer.NOT_COMING).value, came
    answer = Answer.COMING if sure else rng.choices(
        (Answer.NO_ANSWER, Answer.COMING, Answer.NOT_COMING), (50, 45, 5))[0]
    return answer.value, None
