"""The letter after "Avstå från SIP" for a child (seed 002, DOMAIN.md step 1), on both engines:
one letter to each guardian who may be told, at their own address, with the reason; none to a
guardian who may not receive information about the child; from 12 (the setting
`child_letter_age`) one to the child in child-friendly words, without the grown-ups' reason.
Each letter is numbered on its own."""

from __future__ import annotations

import io

import peewee
import pytest
from pypdf import PdfReader

from reports.refusal_letter import render_refusal_letter
from sipdesk.casework import guardians, lifecycle
from sipdesk.casework.guardians import GuardianInput
from sipdesk.storage.models import Custody, InformationBlock, Person, User
from tests.factories import PNR_CHILD, make_case, make_person, make_user

PNR_THIRTEEN = "20130101-2397"
REASON = "Liv får redan det stöd hon behöver från skolan och vårdcentralen."


@pytest.fixture
def officer(db: peewee.Database) -> User:
    return make_user()


def _child(number: str) -> Person:
    child = make_person(number, "Liv", "Åkesson")
    child.address, child.postal_code, child.city = "Björkvägen 3", "123 45", "Exempelby"
    child.save()
    return child


def _letters(officer: User, child: Person) -> list[str]:
    case = make_case(officer, child)
    lifecycle.refuse(officer, case, reason=REASON)
    buffer = io.BytesIO()
    render_refusal_letter(case.id, buffer)
    return [page.extract_text() for page in PdfReader(io.BytesIO(buffer.getvalue())).pages]


def test_refusal_for_a_child_goes_to_each_informed_guardian(officer: User) -> None:
    child = _child(PNR_CHILD)  # nine years old: no letter of the child's own
    guardians.add_guardian(officer, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address="Björkvägen 3, 123 45 Exempelby"))
    guardians.add_guardian(officer, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, address="Tallstigen 9, 123 46 Exempelby"))
    pages = _letters(officer, child)
    assert len(pages) == 2 and all("Sida 1 av 1" in p for p in pages)
    eva, per = pages
    assert "Eva Åkesson" in eva and "Björkvägen 3" in eva and "Hej Eva!" in eva
    assert "Per Åkesson" in per and "Tallstigen 9" in per and "Hej Per!" in per
    for text in pages:
        assert "Det blir ingen SIP för Liv just nu" in text
        assert "vårdnadshavare för Liv Åkesson" in text
        assert " ".join(REASON.split()) in " ".join(text.split())
        assert "Hej Liv!" not in text


def test_no_letter_to_a_guardian_who_may_not_be_told_and_one_to_the_child_from_12(
        officer: User) -> None:
    child = _child(PNR_THIRTEEN)
    guardians.add_guardian(officer, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address="Björkvägen 3, 123 45 Exempelby"))
    guardians.add_guardian(officer, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, address="Tallstigen 9, 123 46 Exempelby",
        information_block=InformationBlock.RESTRAINING_ORDER))
    pages = _letters(officer, child)
    assert len(pages) == 2
    assert not any("Per Åkesson" in p or "Tallstigen" in p for p in pages)
    guardian, own = pages
    assert "Hej Eva!" in guardian
    assert "Hej Liv!" in own and "Det här brevet är till dig." in own
    assert "Din vårdnadshavare har fått ett brev om varför." in own  # Eva's only
    assert "skolan och vårdcentralen" not in own  # the grown-ups' reason is theirs


def test_an_adults_refusal_letter_is_unchanged(officer: User) -> None:
    pages = _letters(officer, make_person())
    assert len(pages) == 1 and "Hej Åsa!" in pages[0]
    assert "vårdnadshavare" not in pages[0]
