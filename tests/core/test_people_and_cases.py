"""Persons and cases on both engines: registering, finding, numbering and the case list."""

from __future__ import annotations

import datetime as dt

import peewee
import pytest
from playhouse.test_utils import count_queries

from sipdesk import demo
from sipdesk.casework import people
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, Scope, SortKey
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.storage.db import Engine, engine_of
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ContactKind,
    Law,
    Person,
    PrincipalKind,
    User,
)
from tests.factories import (
    PNR_ADULT,
    PNR_CHILD,
    PNR_OTHER,
    make_case,
    make_person,
    make_unit,
    make_user,
)

WRONG_CHECK_DIGIT = PNR_ADULT[:-1] + str((int(PNR_ADULT[-1]) + 1) % 10)


def test_person_is_stored_with_one_canonical_personal_number(db: peewee.Database) -> None:
    short = PNR_ADULT[2:]  # YYMMDD-NNNN
    person = people.create_person(people.PersonInput(short, " Åsa ", "Öberg"), actor=make_user())
    assert person.personal_number == PNR_ADULT
    assert person.full_name == "Åsa Öberg"
    assert people.find_by_number(PNR_ADULT.replace("-", "")) == person


def test_the_same_person_cannot_be_registered_twice(db: peewee.Database) -> None:
    make_person(PNR_ADULT)
    with pytest.raises(ValidationError) as info:
        people.create_person(people.PersonInput(PNR_ADULT[2:], "Annan", "Person"),
                             actor=User.get())
    assert info.value.field == "personal_number"
    assert "finns redan" in info.value.message


@pytest.mark.parametrize(
    ("field", "data"),
    [
        ("personal_number", people.PersonInput(WRONG_CHECK_DIGIT, "Åsa", "Öberg")),
        ("first_name", people.PersonInput(PNR_ADULT, " ", "Öberg")),
        ("last_name", people.PersonInput(PNR_ADULT, "Åsa", "")),
        ("postal_code", people.PersonInput(PNR_ADULT, "Åsa", "Öberg", postal_code="12")),
    ],
)
def test_each_bad_person_field_is_named(db: peewee.Database, field: str,
                                        data: people.PersonInput) -> None:
    with pytest.raises(ValidationError) as info:
        people.create_person(data, actor=make_user())
    assert info.value.field == field


def test_find_persons_by_name_start_in_any_case_and_order(db: peewee.Database) -> None:
    asa = make_person(PNR_ADULT, "Åsa", "Öberg")
    make_person(PNR_OTHER, "Bo", "Ek")
    for text in ("åsa", "ÅSA Ö", "öberg", "Öberg Åsa", "  öb "):
        assert people.search_persons(text) == [asa], text
    assert people.search_persons("berg") == []  # prefix, not substring


def test_a_name_start_finds_exactly_the_names_that_start_so(db: peewee.Database) -> None:
    """On PostgreSQL the start is a range of the index (`people.prefix`, leakproof under
    row-level security), not LIKE: it must find the same names — up to the last letter, also
    å, ä and ö, and nothing just after."""
    numbers = iter(n for n in demo.skatteverket_test_numbers()
                   if n not in (PNR_ADULT, PNR_OTHER))
    names = ("Lind", "Lindö", "Linda", "Lindahl", "Line", "Linc", "Lin", "Lindz")
    made = {last: make_person(next(numbers), "Kim", last) for last in names}
    for text, wanted in (("lind", {"Lind", "Lindö", "Linda", "Lindahl", "Lindz"}),
                         ("lindö", {"Lindö"}), ("linda", {"Linda", "Lindahl"}),
                         ("lin", set(names)), ("line", {"Line"}), ("lindå", set())):
        found = {person.last_name for person in people.search_persons(text)}
        assert found == wanted, text
    assert made["Lind"] in people.search_persons("Kim Lind")


def test_the_range_after_a_start_is_the_next_string_in_code_point_order() -> None:
    assert people._next_prefix("lind") == "line"
    assert people._next_prefix("lindö") == "lind÷"
    assert people._next_prefix("a\U0010ffff") == "b"
    assert people._next_prefix("\ud7ff") == "\ue000"  # no surrogate
    assert people._next_prefix("\U0010ffff") is None
    assert people._next_prefix("") is None


def test_a_search_uses_only_leakproof_operators_on_postgresql(pg_db: peewee.Database) -> None:
    """Row-level security applies a user's condition before the policy only when its operators
    are LEAKPROOF; a name or number search must be such a condition, or a user who sees few
    cases waits while the server asks the policy of every person (README, benchmarks)."""
    sql, _params = Person.select(Person.id).where(
        people.person_search_condition("lind")).sql()
    operators = {op for op in ("~>=~", "~<~", "LIKE", "ILIKE", "GLOB") if f" {op} " in sql}
    assert operators == {"~>=~", "~<~"}
    leaky = pg_db.execute_sql(
        "SELECT o.oprname FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode "
        "WHERE o.oprname = ANY(%s) AND o.oprleft = 'text'::regtype AND NOT p.proleakproof",
        (sorted(operators),)).fetchall()
    assert leaky == []


def test_find_persons_by_personal_number_in_any_form(db: peewee.Database) -> None:
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    make_person(PNR_ADULT)
    digits = PNR_CHILD.replace("-", "")
    for text in (digits[:8], digits[2:8], PNR_CHILD, PNR_CHILD[2:], digits, digits[2:]):
        assert people.search_persons(text) == [child], text


def test_contacts_of_a_person(db: peewee.Database) -> None:
    person = make_person()
    officer = User.get()
    people.add_contact(person, actor=officer, kind=ContactKind.GUARDIAN, name="Greta Öberg",
                       phone="070-1")
    assert [(c.kind, c.name) for c in person.contacts] == [("guardian", "Greta Öberg")]
    with pytest.raises(ValidationError):
        people.add_contact(person, actor=officer, kind=ContactKind.RELATIVE, name="")


# ---- cases ---------------------------------------------------------------------------------

def test_new_case_starts_in_the_first_state_with_a_phone_readable_number(
    db: peewee.Database,
) -> None:
    officer = make_user()
    first = cases.create_case(officer, person=make_person(), today=dt.date(2026, 3, 1))
    second = cases.create_case(officer, person=make_person(PNR_OTHER, "Bo", "Ek"),
                               today=dt.date(2026, 3, 2))
    assert (first.number, second.number) == ("SIP-2026-0001", "SIP-2026-0002")
    assert first.status == CaseStatus.NEED_REGISTERED
    assert first.coordinator == officer  # defaults to the one who creates it
    assert first.unit == officer.unit
    assert first.created_at is not None and first.updated_at is not None
    next_year = cases.create_case(officer, person=first.person, today=dt.date(2027, 1, 2))
    assert next_year.number == "SIP-2027-0001"


def test_case_with_another_coordinator_and_inactive_users(db: peewee.Database) -> None:
    officer = make_user()
    manager = make_user("maria.holm", full_name="Maria Holm", unit=officer.unit)
    case = cases.create_case(officer, person=make_person(), coordinator=manager)
    assert case.coordinator == manager
    User.update(active=False).where(User.id == manager.id).execute()
    manager = User.get_by_id(manager.id)
    with pytest.raises(ValidationError) as info:
        cases.create_case(officer, person=make_person(PNR_OTHER), coordinator=manager)
    assert info.value.field == "coordinator"
    with pytest.raises(PermissionDenied):
        cases.create_case(manager, person=make_person(PNR_CHILD))


@pytest.fixture
def listed(db: peewee.Database) -> dict[str, object]:
    """Three cases in two units with two coordinators."""
    north = make_unit("Hemtjänst Norr")
    south = make_unit("Hemtjänst Söder")
    anna = make_user("anna.berg", unit=north)
    karl = make_user("karl.lind", unit=south, full_name="Karl Lind")
    c1 = cases.create_case(anna, person=make_person(PNR_ADULT, "Åsa", "Öberg"))
    c2 = cases.create_case(karl, person=make_person(PNR_OTHER, "Bo", "Ek"))
    c3 = cases.create_case(anna, person=make_person(PNR_CHILD, "Liv", "Åkesson"))
    Case.update(status=CaseStatus.CLOSED.value).where(Case.id == c3.id).execute()
    return {"anna": anna, "karl": karl, "c1": c1, "c2": c2, "c3": c3}


def numbers(rows: list[cases.CaseRow]) -> list[str]:
    return [r.number for r in rows]


def test_case_list_scopes(listed: dict) -> None:
    anna, karl = listed["anna"], listed["karl"]
    mine = CaseFilter(scope=Scope.MINE)
    assert numbers(cases.fetch_cases(mine, anna)) == ["SIP-2026-0003", "SIP-2026-0001"]
    assert cases.count_cases(CaseFilter(scope=Scope.UNIT), karl) == 1
    assert cases.count_cases(CaseFilter(scope=Scope.ALL), karl) == 3


def test_case_list_status_filters(listed: dict) -> None:
    anna = listed["anna"]
    assert cases.count_cases(CaseFilter(open_only=True), anna) == 2
    closed = CaseFilter(statuses=frozenset({CaseStatus.CLOSED}))
    assert numbers(cases.fetch_cases(closed, anna)) == ["SIP-2026-0003"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("åsa", ["SIP-2026-0001"]),
        ("ek", ["SIP-2026-0002"]),
        (PNR_CHILD[2:8], ["SIP-2026-0003"]),
        ("sip-2026-0002", ["SIP-2026-0002"]),
        ("2026-0003", ["SIP-2026-0003"]),
        ("SIP-2026-000", ["SIP-2026-0003", "SIP-2026-0002", "SIP-2026-0001"]),
        ("ingen alls", []),
    ],
)
def test_case_list_search_on_name_personal_number_and_case_number(
    listed: dict, text: str, expected: list[str]
) -> None:
    flt = CaseFilter(text=text)
    rows = cases.fetch_cases(flt, listed["anna"])
    assert numbers(rows) == expected
    assert cases.count_cases(flt, listed["anna"]) == len(expected)


def test_case_list_rows_carry_what_the_columns_show(listed: dict) -> None:
    row = cases.fetch_cases(CaseFilter(text="bo ek"), listed["anna"])[0]
    assert (row.person_name, row.personal_number, row.status, row.coordinator, row.unit) == (
        "Bo Ek", PNR_OTHER, CaseStatus.NEED_REGISTERED, "Karl Lind", "Hemtjänst Söder")


def test_case_list_sorting_and_paging(listed: dict) -> None:
    anna = listed["anna"]
    by_name = cases.fetch_cases(CaseFilter(), anna, sort=SortKey.NAME, descending=False)
    assert [r.person_name for r in by_name] == ["Bo Ek", "Liv Åkesson", "Åsa Öberg"]
    pages = [cases.fetch_cases(CaseFilter(), anna, offset=i, limit=1) for i in range(3)]
    assert [numbers(p)[0] for p in pages] == numbers(cases.fetch_cases(CaseFilter(), anna))


def test_a_page_of_the_case_list_is_one_query(db: peewee.Database) -> None:
    officer = make_user()
    for number in (PNR_ADULT, PNR_OTHER, PNR_CHILD):
        make_case(officer, make_person(number, "Åsa", "Öberg"))
    with count_queries() as counter:
        rows = cases.fetch_cases(CaseFilter(), officer, limit=200)
        _ = [(r.person_name, r.coordinator, r.unit) for r in rows]
    assert len(rows) == 3
    # One query for the page; on SQLite one more, small and constant, that picks the plan for
    # "Alla" by whether the user sees their principal's cases (sipdesk.accounts.access) — never one
    # per row.
    assert counter.count == (2 if engine_of() is Engine.SQLITE else 1)


def test_find_case_by_number(listed: dict) -> None:
    case = cases.find_case_by_number("sip-2026-0002", visible_to=listed["anna"])
    assert case.person.full_name == "Bo Ek"
    assert case.unit.law == Law.SOL


def test_a_case_one_may_not_see_is_not_found_like_a_missing_one(listed: dict) -> None:
    """Data protection: typing case numbers (e.g. in a new message) tells a user nothing about
    cases they do not work with — the answer is the same as for a number that does not exist."""
    region = make_unit("Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
                       kind=PrincipalKind.REGION)
    nurse = make_user("per.nord", unit=region, full_name="Per Nord")
    with pytest.raises(NotFoundError) as hidden:
        cases.find_case_by_number("SIP-2026-0002", visible_to=nurse)
    with pytest.raises(NotFoundError) as missing:
        cases.find_case_by_number("SIP-2026-0099", visible_to=nurse)
    assert hidden.value.message.replace("0002", "NNNN") == missing.value.message.replace(
        "0099", "NNNN")


def test_every_write_and_every_opening_is_logged_with_user_and_case(db: peewee.Database) -> None:
    """Data protection (DOMAIN.md): a log of who read and changed what."""
    from sipdesk.accounts import audit
    from sipdesk.accounts.audit import AuditAction, AuditEntry

    officer = make_user()
    person = people.create_person(people.PersonInput(PNR_OTHER, "Bo", "Ek"), actor=officer)
    people.add_contact(person, actor=officer, kind=ContactKind.RELATIVE, name="Eva Ek")
    case = cases.create_case(officer, person=person)
    opened = cases.open_case(officer, case.id)
    assert opened == case
    log = audit.case_log(case.id)
    assert [(line.action, line.user, line.summary) for line in log] == [
        (AuditAction.OPEN, "Anna Berg", "Ärendet öppnat"),
        (AuditAction.CREATE, "Anna Berg",
         "Ärendet skapat i Hemtjänst Norr, samordningsansvarig Anna Berg"),
    ]
    person_entries = AuditEntry.select().where(AuditEntry.entity.in_(["person", "person_contact"]))
    assert [(e.entity, e.user_id, e.summary) for e in person_entries] == [
        ("person", officer.id, "Person registrerad"),
        ("person_contact", officer.id, "Närstående tillagd"),
    ]


def test_a_case_outside_ones_organisation_cannot_be_opened(db: peewee.Database) -> None:
    officer = make_user()
    case = make_case(officer)
    region_nurse = make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    with pytest.raises(PermissionDenied):
        cases.open_case(region_nurse, case.id)


def test_case_rows_show_consent_and_a_marker_when_something_waits(db: peewee.Database) -> None:
    from sipdesk.messages import messaging

    officer = make_user()
    colleague = make_user("maria.holm", unit=officer.unit, full_name="Maria Holm")
    case = make_case(officer)
    Case.update(consent_basis="consent", consent_valid_until=dt.date(2027, 6, 1)).where(
        Case.id == case.id).execute()
    row = cases.fetch_cases(CaseFilter(), colleague, today=dt.date(2026, 11, 22))[0]
    assert (row.consent_basis, row.consent_valid_until, row.waiting) == (
        "consent", dt.date(2027, 6, 1), False)
    messaging.send(officer, subject="Kvittera", body="Tack", to=[colleague], case=case,
                   requires_ack=True)
    assert cases.fetch_cases(CaseFilter(), colleague)[0].waiting
    assert not cases.fetch_cases(CaseFilter(), officer, today=dt.date(2026, 11, 22))[0].waiting
    assert cases.fetch_cases(CaseFilter(), officer, today=dt.date(2027, 5, 10))[0].waiting
