"""The consent form on paper: read back as text, on both engines, and printed from the CLI."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader

from reports.base import written_date
from reports.consent_form import render_consent_form
from sipdesk import clock
from sipdesk.casework import consent, guardians
from sipdesk.casework.guardians import GuardianInput
from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.models import (
    Case,
    Custody,
    InformationBlock,
    PersonContact,
    Principal,
    PrincipalKind,
    User,
)
from tests.factories import PNR_CHILD, make_case, make_person, make_user
from ui.main import main


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


def render(case: Case) -> tuple[int, str]:
    buffer = io.BytesIO()
    render_consent_form(case.id, buffer)
    return pdf_text(buffer.getvalue())


@pytest.fixture
def officer(db: peewee.Database) -> User:
    user = make_user()
    Principal.create(name="Region Exempelland", kind=PrincipalKind.REGION.value)
    return user


def test_consent_form_for_an_adult_is_one_page_with_the_persons_data(officer: User) -> None:
    case = make_case(officer, make_person(first="Åsa", last="Öberg-Ärlig"))
    region = Principal.get(Principal.name == "Region Exempelland")
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=dt.date(2026, 11, 2),
        principals=[officer.unit.principal, region],
        covers="Hjälp hemma efter fallet <b>inte fetstil</b> & mer",
        exclusions="Inget om ekonomin"))
    pages, text = render(case)
    assert pages == 1
    assert "Samtycke till samordnad individuell plan (SIP)" in text
    assert "Åsa Öberg-Ärlig" in text
    assert case.person.personal_number in text
    assert "Exempelby kommun" in text and "Region Exempelland" in text
    assert "<b>inte fetstil</b> & mer" in text  # user text escaped, shown as typed
    assert "Inget om ekonomin" in text
    # The person signs it: dates written out, the print date too (reports.base)
    assert "2 november 2026 till och med 2 november 2027" in text
    assert f"Utskrivet {written_date(clock.today())}" in text
    assert "ta tillbaka ditt samtycke" in text
    assert "Sida 1 av 1" in text
    assert "Den enskilde" in text and "Vårdnadshavare" not in text


def test_blank_form_lists_every_principal_with_a_box(officer: User) -> None:
    _pages, text = render(make_case(officer))
    assert "\u2610" in text or "☐" in text
    assert "Exempelby kommun" in text and "Region Exempelland" in text
    assert "högst ett år" in text


def test_child_form_is_the_guardians_one_each_with_the_childs_own_view(officer: User) -> None:
    """Seed 002, both guardians must consent, each for themselves: for a child the form is the
    guardians' — one each, on its own page, to them by name with a place for their signature
    and for the child's own view (which may be "ville inte säga något"). A guardian who may not
    receive information about the child gets no form."""
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    eva = guardians.add_guardian(officer, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address="Björkvägen 3, 123 45 Exempelby"))
    per = guardians.add_guardian(officer, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, address="Tallstigen 9, 123 46 Exempelby"))
    case = make_case(officer, child)
    region = Principal.get(Principal.name == "Region Exempelland")
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=dt.date(2026, 11, 2),
        principals=[officer.unit.principal, region], covers="Stödet i skolan",
        guardians=[eva, per], child_view="Jag vill att mamma är med."))
    pages, text = render(case)
    reader = PdfReader(io.BytesIO(_bytes(case)))
    firsts = [page.extract_text() for page in reader.pages]
    to_eva = [i for i, t in enumerate(firsts) if "Till Eva Åkesson, vårdnadshavare för Liv" in t]
    to_per = [i for i, t in enumerate(firsts) if "Till Per Åkesson, vårdnadshavare för Liv" in t]
    assert to_eva and to_per and to_eva[0] < to_per[0]
    assert text.count("Jag är vårdnadshavare för Liv och samtycker") == 2
    assert text.count("Vad tycker Liv?") == 2
    assert text.count("Jag vill att mamma är med.") == 2
    assert "Liv ville inte säga något, och det är okej." in text
    assert "för mig" not in text  # the guardians' form, not the person's
    assert "dagen innan Liv fyller 18 år (1 januari 2035)" in text
    assert "Namnförtydligande: Eva Åkesson" in text and "Namnförtydligande: Per Åkesson" in text
    # One page each, numbered on its own: each guardian gets only their own form.
    assert pages == 2 and all("Sida 1 av 1" in t for t in firsts)

    guardians.update_guardian(officer, PersonContact.get_by_id(per.id), GuardianInput(
        "Per Åkesson", Custody.JOINT, address="Tallstigen 9, 123 46 Exempelby",
        information_block=InformationBlock.RESTRAINING_ORDER))
    _pages, text = render(case)
    assert "Per Åkesson" not in text and "Till Eva Åkesson" in text


def test_child_form_without_registered_guardians_is_two_blank_forms(officer: User) -> None:
    child = make_person(PNR_CHILD, "Liv", "Åkesson")
    pages, text = render(make_case(officer, child))
    assert text.count("Till vårdnadshavare för Liv Åkesson") == 2
    assert pages == 2 and text.count("Sida 1 av 1") == 2  # a page each, with the signature


def _bytes(case: Case) -> bytes:
    buffer = io.BytesIO()
    render_consent_form(case.id, buffer)
    return buffer.getvalue()


def test_print_consent_from_the_command_line(
    officer: User, db_url: DatabaseUrl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    case = make_case(officer)
    out = tmp_path / "samtycke.pdf"
    code = main(["--database", db_url.url, "print", "consent", case.number, "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    _pages, text = pdf_text(out.read_bytes())
    assert case.number in text
    assert main(["--database", db_url.url, "print", "consent", "SIP-1999-0001",
                 "--out", str(out)]) == 1
    assert "Det finns inget ärende med nummer SIP-1999-0001" in capsys.readouterr().err


def test_blank_adult_form_fits_on_one_page_with_its_signatures(officer: User) -> None:
    pages, text = render(make_case(officer))
    assert pages == 1 and "Sida 1 av 1" in text and "Den enskilde" in text


def test_the_form_lists_the_principals_in_the_order_the_consent_dialog_shows(
        officer: User) -> None:
    """Issue 11, rules once in the core: the paper names the principals in
    consent.principal_choices()'s order (municipalities, regions, others; Swedish letters
    ignoring case), not an order of its own."""
    Principal.create(name="Vårdcentralen Norr", kind=PrincipalKind.OTHER.value)
    Principal.create(name="attendo omsorg", kind=PrincipalKind.OTHER.value)
    Principal.create(name="Region Annanstans", kind=PrincipalKind.REGION.value)
    from reports.consent_form import form_data

    shown = [box.name for box in form_data(make_case(officer)).principals]
    assert shown == [p.name for p in consent.principal_choices()]
    assert shown.index("attendo omsorg") < shown.index("Vårdcentralen Norr")
    assert shown.index("Region Annanstans") < shown.index("attendo omsorg")
