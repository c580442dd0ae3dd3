"""Who read this person's data (issue 12): printing, exporting and searching by personal number
are logged — with the person or case by id, never the number — and an administrator's
registerutdrag lists every entry about a person and their cases; anyone else is refused."""

from __future__ import annotations

from pathlib import Path

import peewee
import pytest

from sipdesk.accounts import read_log
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.accounts.read_log import Output
from sipdesk.accounts.register_extract import ADMINISTRATORS_ONLY, register_extract
from sipdesk.casework import people
from sipdesk.desk import cases
from sipdesk.desk.cases import CaseFilter
from sipdesk.errors import PermissionDenied, ValidationError
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, ContactKind, Role, User
from tests.factories import PNR_ADULT, PNR_OTHER, make_case, make_person, make_unit, make_user
from tests.queries import recorded


@pytest.fixture
def world(db: peewee.Database) -> dict[str, object]:
    officer = make_user()
    admin = make_user("admin", role=Role.ADMINISTRATOR, full_name="Ada Admin",
                      unit=make_unit("Kansliet"))
    person = make_person()
    case = make_case(officer, person)
    other_case = make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    return {"officer": officer, "admin": admin, "person": person, "case": case,
            "other_case": other_case}


def _entries(action: AuditAction) -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == action.value)
                .order_by(AuditEntry.id))


def _statements(work: object) -> int:
    with recorded() as statements:
        work()  # type: ignore[operator]
    return sum(not sql.lstrip().upper().startswith(("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE"))
               for _thread, sql in statements.seen)


def test_a_search_by_a_whole_personal_number_is_logged_once_with_one_statement_more(
        world: dict[str, object]) -> None:
    officer, person = world["officer"], world["person"]
    assert isinstance(officer, User)
    search = CaseFilter(text="194001079120")
    plain = _statements(lambda: cases.count_cases(search, officer))
    logged = _statements(lambda: cases.count_cases(search, officer, new_search=True))
    assert logged == plain + 1
    [entry] = _entries(AuditAction.SEARCH)
    assert (entry.entity, entry.entity_id, entry.user_id) == ("person", person.id, officer.id)
    assert entry.summary == "Sökning på personnummer i ärendelistan: 1 träff"
    assert "9120" not in entry.summary and "1940" not in entry.summary
    # A name, a part of a number, or the same list counted again: not a search for a person.
    for text in ("Öberg", "19400107"):
        cases.count_cases(CaseFilter(text=text), officer, new_search=True)
    cases.count_cases(search, officer)
    assert len(_entries(AuditAction.SEARCH)) == 1


def test_the_person_search_of_nytt_arende_is_logged(world: dict[str, object]) -> None:
    officer, person = world["officer"], world["person"]
    assert isinstance(officer, User)
    assert [p.id for p in people.search_persons(PNR_ADULT, actor=officer)] == [person.id]
    assert people.find_by_number("19121212-1212", actor=officer) is None
    people.search_persons("Åsa", actor=officer)  # a name: not logged
    found = [(e.entity_id, e.summary) for e in _entries(AuditAction.SEARCH)]
    assert found == [
        (person.id, "Sökning på personnummer i Nytt ärende: 1 träff"),
        (None, "Sökning på personnummer vid registrering av en person: ingen träff")]


def test_a_print_is_logged_on_its_case(world: dict[str, object]) -> None:
    officer, case = world["officer"], world["case"]
    assert isinstance(officer, User) and isinstance(case, Case)
    read_log.record_output(officer, Output.CONSENT_FORM, case_id=case.id, entity_id=case.id)
    read_log.record_output(None, Output.CALENDAR, case_id=case.id, entity_id=7)
    printed, exported = _entries(AuditAction.PRINT), _entries(AuditAction.EXPORT)
    assert [(e.case_id, e.user_id, e.summary) for e in printed] == [
        (case.id, officer.id, "Samtyckesblanketten skrevs ut")]
    assert [(e.case_id, e.user_id, e.summary) for e in exported] == [
        (case.id, None, "Kalenderfilen för mötet sparades som fil från kommandoraden")]


def test_sipdesk_print_logs_without_a_user(sqlite_db: peewee.Database, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from ui.main import main

    case = make_case(make_user())
    url = f"sqlite:///{database.obj.database}"
    assert main(["print", "samtycke", case.number, "--out", str(tmp_path / "s.pdf"),
                 "--database", url]) == 0
    from sipdesk.storage.db import DatabaseUrl, Engine, connect

    connect(DatabaseUrl(Engine.SQLITE, path=Path(database.obj.database)))
    [entry] = _entries(AuditAction.PRINT)
    assert (entry.case_id, entry.user_id) == (case.id, None)
    assert entry.summary.endswith("från kommandoraden")


def test_the_administrators_extract_lists_every_entry_about_the_person(
        world: dict[str, object]) -> None:
    officer, admin, person, case = (world[k] for k in ("officer", "admin", "person", "case"))
    assert isinstance(officer, User) and isinstance(admin, User) and isinstance(case, Case)
    cases.open_case(officer, case.id)
    read_log.record_output(officer, Output.PLAN, case_id=case.id, entity_id=1)
    cases.count_cases(CaseFilter(text=PNR_ADULT), officer, new_search=True)
    people.add_contact(person, actor=officer, kind=ContactKind.RELATIVE, name="Per Öberg",
                       relation="Son")

    extract = register_extract(admin, "400107-9120")

    assert extract.person_name == "Åsa Öberg" and extract.personal_number == PNR_ADULT
    whats = [(line.action, line.what) for line in extract.lines]
    assert (AuditAction.CREATE, "Person registrerad") in whats
    assert (AuditAction.OPEN, "Ärendet öppnat") in whats
    assert (AuditAction.PRINT, "Planen skrevs ut") in whats
    assert (AuditAction.SEARCH, "Sökning på personnummer i ärendelistan: 1 träff") in whats
    assert (AuditAction.CREATE, f"{ContactKind.RELATIVE.label} tillagd") in whats  # a relative
    assert all(line.case_number in ("", case.number) for line in extract.lines)
    assert {line.who for line in extract.lines} >= {"Anna Berg (Hemtjänst Norr)"}
    assert [line.at for line in extract.lines] == sorted(line.at for line in extract.lines)
    # The other person's case is not in it; taking the extract is logged itself.
    other = world["other_case"]
    assert isinstance(other, Case)
    assert other.number not in {line.case_number for line in extract.lines}
    last = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (last.user_id, last.entity_id, last.summary) == (admin.id, person.id,
                                                            "Registerutdrag taget")


@pytest.mark.parametrize("who", ["officer", "deactivated admin"])
def test_only_an_active_administrator_may_take_an_extract(
        world: dict[str, object], who: str) -> None:
    actor = world["officer"] if who == "officer" else world["admin"]
    assert isinstance(actor, User)
    if who == "deactivated admin":
        User.update(active=False).where(User.id == actor.id).execute()
        actor = User.get_by_id(actor.id)
    before = AuditEntry.select().count()
    with pytest.raises(PermissionDenied) as refused:
        register_extract(actor, PNR_ADULT)
    assert refused.value.message == ADMINISTRATORS_ONLY
    assert AuditEntry.select().count() == before


@pytest.mark.parametrize(("typed", "message"), [
    ("1940", "Skriv personnumret som"),
    ("19121212-1212", "Ingen person med det personnumret finns i sipdesk."),
])
def test_a_wrong_or_unknown_number_is_said_at_the_field(
        world: dict[str, object], typed: str, message: str) -> None:
    admin = world["admin"]
    assert isinstance(admin, User)
    with pytest.raises(ValidationError) as wrong:
        register_extract(admin, typed)
    assert wrong.value.field == "personal_number" and wrong.value.message.startswith(message)
