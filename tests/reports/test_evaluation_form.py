"""The easy-read evaluation form (seed 002 "Utvärdera mötet", issue 14), read back as text on both
engines: large plain words, the faces' scale with a box each, room to write, the meeting's day —
no personal number and no name of the person; a child's words for a child; a form of their own
for a guardian or a god man, who say who they are."""

from __future__ import annotations

import io

import peewee
import pytest
from pypdf import PdfReader

from reports.evaluation_form import render_evaluation_form
from sipdesk.meetings import evaluation
from sipdesk.storage.models import Person
from tests.factories import PNR_CHILD
from tests.scenarios import held_meeting, kallelse_world


def render(meeting_id: int, *, for_person: bool = True) -> tuple[int, str]:
    buffer = io.BytesIO()
    render_evaluation_form(meeting_id, buffer, for_person=for_person)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return kallelse_world()


def flat(text: str) -> str:
    return " ".join(text.split())


def test_the_persons_form_asks_in_plain_words_and_names_no_one(world: dict) -> None:
    held = held_meeting(world)
    pages, text = render(held.id)
    words = flat(text)
    assert pages == 2
    assert "Hur var mötet?" in words
    assert "Mötet torsdag 10 december 2026" in words
    assert "Sätt ett kryss i rutan under den gubbe som stämmer bäst." in words
    assert "Du behöver inte svara på allt." in words
    for question in evaluation.QUESTIONS:
        assert question.adult in words
    # Each of the four questions has the five faces' words (and a box each, drawn).
    for word in evaluation.SCALE.values():
        assert words.count(word) == len(evaluation.QUESTIONS)
    assert "Vill du säga något mer om mötet?" in words
    # Where the paper goes, and for the staff the case — never the person's number or name.
    assert "Ge pappret till Anna Berg" in words and "0000-12 34 56" in words
    assert "ärende SIP-2026-0001, mötet 2026-12-10" in words
    person = world["case"].person
    assert person.personal_number not in text and person.personal_number[2:] not in text
    assert "Öberg" not in text and "Åsa" not in text
    assert "Vem fyller i?" not in words


def test_a_child_gets_a_childs_words(world: dict) -> None:
    """002: the child evaluates too — in words a child uses."""
    held = held_meeting(world)
    Person.update(personal_number=PNR_CHILD).where(
        Person.id == world["case"].person_id).execute()
    _pages, text = render(held.id)
    words = flat(text)
    assert "Du var med på ett möte om dig." in words
    for question in evaluation.QUESTIONS:
        assert question.child in words and question.adult not in words
    assert "Vill du berätta något mer?" in words and "Skriv eller rita här." in words
    assert "Ge pappret till en vuxen du känner" in words
    assert PNR_CHILD not in text


def test_a_guardian_or_representative_has_a_form_of_their_own(world: dict) -> None:
    """002: guardians and representatives give their own evaluations, kept apart — the form
    asks who is answering."""
    held = held_meeting(world)
    pages, text = render(held.id, for_person=False)
    words = flat(text)
    assert pages == 2
    assert "Det här är ditt eget formulär — den som planen gäller får ett eget." in words
    assert "Vem fyller i?" in words
    for who in ("Förälder eller vårdnadshavare", "God man eller förvaltare", "Någon annan"):
        assert who in words
    assert "Ditt namn, om du vill:" in words
