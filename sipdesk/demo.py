"""Fictional demo data: one municipality, one region, several units, ten users and N cases.

Persons carry Skatteverket's test personal numbers (resources/testpersonnummer.txt) and names
put together at random from common Swedish first and last names — nobody real, and never the
names in the seed documents. Rows are inserted in bulk so 100,000 cases take seconds.
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
from sipdesk.demo_showcase import SHOWCASE, build_showcase
from sipdesk.desk.cases import format_case_number
from sipdesk.meetings.evaluation import (
    QUESTION_KEYS,
    GivenAs,
    MeetingEvaluation,
    RespondentKind,
    respondent_key,
)
from sipdesk.paths import resource_dir
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.db import BaseModel, analyze, database
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
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

# Weights of the statuses of the bulk cases: states whose records are made in bulk here. The
# states with meetings and plans come from `demo_showcase`, made through the real flow. None of
# these states has a next date (next_step.next_step), so bulk cases carry none; the showcase's
# use cases set theirs (tests/core/test_demo.py holds every case to next_step).
STATUS_WEIGHTS: dict[CaseStatus, int] = {
    CaseStatus.NEED_REGISTERED: 10,
    CaseStatus.CONSENT_GIVEN: 30,
    CaseStatus.HARM_ASSESSED: 3,
    CaseStatus.CLOSED: 45,
    CaseStatus.DECLINED: 5,
    CaseStatus.REFUSED: 3,
}


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
    """Insert many rows with the driver's executemany: several times faster than building
    multi-row INSERTs, which matters for 100,000 cases."""
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
    marks = ", ".join([database.param] * len(every))
    sql = f'INSERT INTO "{model._meta.table_name}" ({columns}) VALUES ({marks})'
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
        for index in range(bulk_cases):
            # Persons beyond the first round reappear in older, closed cases.
            person_id = person_ids[index % len(person_ids)]
            repeated = index >= len(person_ids)
            year = rng.randint(first_year, today.year - 1) if repeated else rng.randint(
                first_year, today.year)
            status = CaseStatus.CLOSED if repeated else rng.choices(statuses, weights)[0]
            sequence = per_year[year] = per_year.get(year, 0) + 1
            coordinator = rng.choice(coordinators)
            created = dt.datetime(year, rng.randint(1, 12), rng.randint(1, 28), 9, 0)
            created = min(created, stamp)
            if status.is_open and status not in (CaseStatus.NEED_REGISTERED,):
                # An open case's consent was given within the last year (some lapse soon).
                given = today - dt.timedelta(days=rng.randint(5, 355))
                created = min(created, dt.datetime.combine(given, dt.time(9, 0)))
            else:
                given = created.date() + dt.timedelta(days=rng.randint(1, 10))
            # A child then but an adult now consented themselves, on the 18th birthday at the
            # latest (demo_children gives guardians only to those who are children today).
            given = demo_children.adult_consent_day(number_of[person_id], given, today)
            basis = _basis(status, rng)
            until = one_year_after(given) if basis == ConsentBasis.CONSENT else None
            # The bulk states have no next date by the one rule (next_step.next_step): before
            # the kallelse nothing is booked yet, and an ended case has none.
            if status.is_open and status is not CaseStatus.NEED_REGISTERED:
                rng.randint(1, 120)  # the draw that once made a date: same seed, same cases
            unit = coordinator.unit if coordinator.unit in municipal_units else rng.choice(
                municipal_units)
            case_rows.append((
                format_case_number(year, sequence), year, sequence, person_id, unit.id,
                coordinator.id, status.value, None, created, created, basis, until,
            ))
            details.append((coordinator.id, created.date(), given, basis, status))
        _bulk(Case, [
                Case.number, Case.year, Case.sequence, Case.person, Case.unit, Case.coordinator,
                Case.status, Case.next_date, Case.created_at, Case.updated_at,
                Case.consent_basis, Case.consent_valid_until,
            ], case_rows)
        case_ids: list[int] = [row[0] for row in Case.select(Case.id).order_by(Case.id).tuples()]  # type: ignore[index]
        _needs_and_consents(rng, case_ids, details, today=today, principals=[
            p.id for p in Principal.select().order_by(Principal.id)])
        demo_children.add_bulk_guardians(today=today, seed=seed, insert=_bulk)
        made = build_showcase(count=showcase, today=today, rng=rng,
                              person_ids=person_ids[::-1], spare_numbers=numbers[person_count:])
        evaluate_held_meetings(rng, today=today)
        protect_one()
        made += demo_children.build_child_showcase(children, today=today,
                                                   rng=random.Random(seed * 31 + 2))
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
                         rng.choice(list(GivenAs)).value, *scores,
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


def _basis(status: CaseStatus, rng: random.Random) -> str | None:
    if status in (CaseStatus.NEED_REGISTERED, CaseStatus.DECLINED, CaseStatus.REFUSED):
        return None
    if status is CaseStatus.HARM_ASSESSED:
        return ConsentBasis.HARM_ASSESSMENT.value
    return ConsentBasis.CONSENT.value


Detail = tuple[int, dt.date, dt.date, str | None, CaseStatus]


def _needs_and_consents(rng: random.Random, case_ids: list[int], details: list[Detail],
                        *, principals: list[int], today: dt.date) -> None:
    """Every demo case gets its need; those past the consent step get the consent itself, so
    the case view and the case list agree with the status."""
    need_rows, consent_rows, closure_rows = [], [], []
    reasons = [r.value for r in ClosureReason if r is not ClosureReason.REPLACED]
    for case_id, (coordinator_id, noticed, given, basis, status) in zip(
            case_ids, details, strict=True):
        if status is CaseStatus.CLOSED:
            closed_on = min(today, given + dt.timedelta(days=rng.randint(60, 400)))
            closure_rows.append((case_id, closed_on, rng.choice(reasons), coordinator_id))
        need, question = rng.choice(NEEDS)
        need_rows.append((case_id, rng.choice(list(NoticedBy)).value, "", noticed, need,
                          question, coordinator_id if rng.random() < 0.3 else None))
        if basis == ConsentBasis.CONSENT:
            consent_rows.append((case_id, ConsentKind.ORAL.value, given, coordinator_id,
                                 question, one_year_after(given)))
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
    links = [(cid, pid) for cid in consent_ids for pid in principals]
    _bulk(ConsentPrincipal, [ConsentPrincipal.consent,
                                                    ConsentPrincipal.principal], links)
