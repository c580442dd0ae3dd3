"""Names in Swedish alphabetical order (… X Y Z Å Ä Ö, upper and lower case together) and
case-insensitive search that folds Å, Ä and Ö, on both engines: the case list, persons, the
contact directory used by the kallelse, user lists and the mailbox search."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.accounts import auth
from sipdesk.casework import contacts, people
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter, SortKey
from sipdesk.messages import messaging
from sipdesk.messages.messaging import Folder
from sipdesk.storage import collation
from sipdesk.storage.db import database
from sipdesk.storage.models import Law, Principal, PrincipalKind, Role
from tests.factories import make_person, make_unit, make_user

# Skatteverket test personal numbers (resources/testpersonnummer.txt).
NUMBERS = ("19500118-2046", "19500118-2061", "19500123-2296", "19500213-2461",
           "19500219-2382", "19500228-1839", "19500304-2222", "19500307-2260")
SPARE_NUMBER = "19500315-1858"

# (first name, last name), inserted in an order that is neither binary nor Swedish.
PERSONS = [("Östen", "Östberg"), ("Zelda", "Zorn"), ("Åsa", "Åberg"), ("anna", "alm"),
           ("Ängla", "Ängström"), ("Bo", "Ek"), ("Émile", "Ebert"), ("Ulla", "Über")]
# Swedish order by last name: Ü with Y, É with E, lower case beside upper case, Å Ä Ö last.
SWEDISH = ["anna alm", "Émile Ebert", "Bo Ek", "Ulla Über", "Zelda Zorn",
           "Åsa Åberg", "Ängla Ängström", "Östen Östberg"]


def test_sort_key_is_the_swedish_alphabet_whatever_the_case() -> None:
    names = ["Östen", "Ängla", "Zelda", "åsa", "Åsa", "Anna", "anna", "Ærlig", "Øystein",
             "Über", "Yngve", "Émile", "Erik", "Vera", "Wilma"]
    assert sorted(names, key=collation.sort_key) == [
        "Anna", "anna", "Émile", "Erik", "Vera", "Wilma", "Über", "Yngve", "Zelda",
        "åsa", "Åsa", "Ängla", "Ærlig", "Östen", "Øystein"]
    # The same letter typed decomposed (a + ring) sorts as the composed Å.
    assert collation.sort_key("A\u030asa") == collation.sort_key("Åsa")
    assert collation.compare("åsa", "Åsa") < 0 < collation.compare("Ängla", "Åsa")


@pytest.fixture
def persons(db: peewee.Database) -> dict[str, object]:
    officer = make_user()
    for number, (first, last) in zip(NUMBERS, PERSONS, strict=True):
        cases.create_case(officer, person=make_person(number, first, last))
    return {"officer": officer}


def test_case_list_sorted_by_name_in_swedish_order(persons: dict) -> None:
    officer = persons["officer"]
    up = cases.fetch_cases(CaseFilter(), officer, sort=SortKey.NAME, descending=False)
    assert [r.person_name for r in up] == SWEDISH  # Åsa, Ängla, Östen after Zelda
    down = cases.fetch_cases(CaseFilter(), officer, sort=SortKey.NAME, descending=True)
    assert [r.person_name for r in down] == SWEDISH[::-1]
    # Paging keeps the order across pages.
    pages = [cases.fetch_cases(CaseFilter(), officer, sort=SortKey.NAME, descending=False,
                               offset=i, limit=3) for i in (0, 3, 6)]
    assert [r.person_name for page in pages for r in page] == SWEDISH
    # A search's matches are sorted the same way (the search path orders the page ids first).
    found = cases.fetch_cases(CaseFilter(text="Ö"), officer, sort=SortKey.NAME,
                              descending=False)
    assert [r.person_name for r in found] == ["Östen Östberg"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("åsa", ["Åsa Åberg"]),
        ("ÅSA", ["Åsa Åberg"]),
        ("åberg å", ["Åsa Åberg"]),
        ("ä", ["Ängla Ängström"]),
        ("ö", ["Östen Östberg"]),
        ("Ö", ["Östen Östberg"]),
        ("ÜBER", ["Ulla Über"]),
        ("ANNA", ["anna alm"]),
        ("a", ["anna alm"]),  # a is not å: "a" finds no Åsa, as a Swede expects
    ],
)
def test_search_folds_swedish_letters_on_both_engines(
    persons: dict, text: str, expected: list[str]
) -> None:
    rows = cases.fetch_cases(CaseFilter(text=text), persons["officer"], sort=SortKey.NAME,
                             descending=False)
    assert [r.person_name for r in rows] == expected
    assert cases.count_cases(CaseFilter(text=text), persons["officer"]) == len(expected)
    assert [p.full_name for p in people.search_persons(text)] == expected


def test_person_search_lists_in_swedish_order(persons: dict) -> None:
    assert [p.full_name for p in people.search_persons("e")] == ["Émile Ebert", "Bo Ek"]
    make_person(SPARE_NUMBER, "Öllegård", "Åkesson")
    assert [p.full_name for p in people.search_persons("å")] == [
        "Åsa Åberg", "Öllegård Åkesson"]


def test_user_lists_in_swedish_order(db: peewee.Database) -> None:
    unit = make_unit()
    for login, name in (("osten", "Östen Ek"), ("zelda", "Zelda Berg"), ("asa", "Åsa Lind"),
                        ("angla", "Ängla Nord"), ("bo", "bo ström")):
        make_user(login, unit=unit, full_name=name)
    expected = ["bo ström", "Zelda Berg", "Åsa Lind", "Ängla Nord", "Östen Ek"]
    assert [u.full_name for u in auth.active_users()] == expected
    assert [u.full_name for u in auth.active_users_with_unit()] == expected


def test_directory_of_the_kallelse_in_swedish_order(db: peewee.Database) -> None:
    manager = make_user("maria.holm", full_name="Zelda Holm", role=Role.UNIT_MANAGER)
    region = Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    orgs = {}
    for name in ("Öppenvården", "Äldreboendet", "Åsens vårdcentral", "Zetas rehab"):
        orgs[name] = contacts.add_organisation(manager, name=name, principal=region,
                                               kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                                               phone="010-123 00 00")
    for name, org in (("Östen Läkare", "Öppenvården"), ("Ängla Sjuksköterska", "Äldreboendet"),
                      ("Åsa Kurator", "Åsens vårdcentral"),
                      ("anna Arbetsterapeut", "Zetas rehab")):
        contacts.add_contact(manager, orgs[org], name=name)
    assert [e.name for e in contacts.search_directory("")] == [
        "anna Arbetsterapeut", "Zelda Holm", "Åsa Kurator", "Ängla Sjuksköterska",
        "Östen Läkare"]
    assert [e.name for e in contacts.search_directory("ÅSA")] == ["Åsa Kurator"]
    assert [o.name for o in contacts.organisations()] == [
        "Zetas rehab", "Åsens vårdcentral", "Äldreboendet", "Öppenvården"]


def test_mailbox_search_folds_swedish_letters(db: peewee.Database) -> None:
    unit = make_unit()
    anna = make_user("anna.berg", unit=unit)
    osten = make_user("osten", unit=unit, full_name="Östen Ek")
    messaging.send(anna, subject="ÖVERLÄGGNING om Åsa", body="Hej", to=[osten])
    messaging.send(anna, subject="Fika", body="Välkommen på fika", to=[osten])

    def subjects(text: str) -> list[str]:
        return [r.subject for r in messaging.folder_rows(osten, Folder.INBOX, text=text)]

    assert subjects("överläggning") == ["ÖVERLÄGGNING om Åsa"]
    assert subjects("åsa") == ["ÖVERLÄGGNING om Åsa"]
    assert subjects("VÄLKOMMEN") == ["Fika"]
    assert subjects("fika") == ["Fika"]
    assert messaging.folder_count(osten, Folder.INBOX, text="ÅSA") == 1
    # Sender names too: a recipient finds what Östen sent by typing "öst".
    messaging.send(osten, subject="Svar", body="Ja", to=[anna])
    assert [r.subject for r in messaging.folder_rows(anna, Folder.INBOX, text="öst")] == ["Svar"]


def test_postgresql_without_icu_sorts_swedish_by_the_fallback(
    pg_db: peewee.Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server built without ICU has no sv-SE-x-icu: the built-in mapping gives the same order."""
    assert collation.postgres_collation() in collation.ICU_COLLATIONS  # the test server has ICU
    monkeypatch.setitem(collation._pg_collations, database.obj, "")
    officer = make_user()
    for number, (first, last) in zip(NUMBERS, PERSONS, strict=True):
        cases.create_case(officer, person=make_person(number, first, last))
    rows = cases.fetch_cases(CaseFilter(), officer, sort=SortKey.NAME, descending=False)
    assert [r.person_name for r in rows] == SWEDISH
