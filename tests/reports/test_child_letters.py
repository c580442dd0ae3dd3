"""Paper for a child (seed 002, issue 14), read back from the PDFs on both engines: the kallelse
letters and the easy-read plan go to each guardian at their own address — one letter per
guardian, none to a guardian who may not receive information about the child — and, from the
age in the setting `child_letter_age` (default 12), to the child in child-friendly words."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader

from reports.letters import LetterKind, planned_letters, render_letters
from reports.plan import render_plan
from reports.plan_common import CHILD_TITLE, NO_COPIES
from sipdesk import settings
from sipdesk.casework import consent, guardians
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.guardians import GuardianInput
from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import HowInvited, InvitationDraft, ParticipantInput
from sipdesk.meetings.invitation import ParticipantKind as Kind
from sipdesk.storage.guardian_records import GuardianHow
from sipdesk.storage.models import Case, Custody, InformationBlock, Person
from tests.factories import PNR_CHILD, make_case, make_person
from tests.plan_scenarios import approve_all, clone_plan, fill, plan_world
from tests.reports.test_letters import text_of, window_lines
from tests.scenarios import MEETING, NOW, entry_for

PNR_TWELVE = "20141030-2390"  # 12 on 2026-10-30, before the meeting
EVA_ADDRESS = "Björkvägen 3, 123 45 Exempelby"
PER_ADDRESS = "Tallstigen 9\n123 46 Exempelby"


def _child(world: dict, number: str, *, block_father: bool) -> tuple[Case, Person]:
    officer = world["officer"]
    child = make_person(number, "Liv", "Åkesson")
    child.address, child.postal_code, child.city = "Björkvägen 3", "123 45", "Exempelby"
    child.save()
    eva = guardians.add_guardian(officer, child, GuardianInput(
        "Eva Åkesson", Custody.JOINT, relation="mamma", address=EVA_ADDRESS))
    per = guardians.add_guardian(officer, child, GuardianInput(
        "Per Åkesson", Custody.JOINT, relation="pappa", address=PER_ADDRESS,
        language="arabiska", needs_interpreter=True,
        information_block=(InformationBlock.RESTRAINING_ORDER if block_father
                           else InformationBlock.NONE)))
    case = make_case(officer, child)
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Stödet i skolan",
        principals=[world["municipality"], world["region"]], guardian_answers=[
            AnswerInput(g, True, NOW.date(), GuardianHow.PHONE) for g in (eva, per)]),
        today=NOW.date())
    return Case.get_by_id(case.id), Person.get_by_id(child.id)


def _invite(world: dict, case: Case) -> invitation.Meeting:
    draft = InvitationDraft(
        purpose="Hur kan skolan, BUP och socialtjänsten hjälpa Liv att orka hela skoldagen?",
        participants=[
            ParticipantInput(Kind.PERSON, "Liv Åkesson"),
            entry_for(world["manager"]), entry_for(world["nurse"]), entry_for(world["doctor"]),
            # The father, invited as a relative by letter too: he gets his guardian's letter
            # only — or, when he may not be told, nothing at all.
            ParticipantInput(Kind.RELATIVE, "Per Åkesson", role="Pappa",
                             address="Tallstigen 9, 123 46 Exempelby",
                             how_invited=HowInvited.LETTER),
        ],
        starts_at=MEETING, staff_meeting_at=MEETING - dt.timedelta(days=3),
        staff_meeting_place="Teams")
    return invitation.send_invitation(world["officer"], case, draft, current=NOW)


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def test_one_letter_per_guardian_at_their_own_address(world: dict, tmp_path: Path) -> None:
    """Seed 002: the letters for a child go to the guardians, each their own, at their own
    address; a child of 9 gets none of their own, and there is no letter to "the person"."""
    case, _child_row = _child(world, PNR_CHILD, block_father=False)
    meeting = _invite(world, case)
    planned = planned_letters(meeting)
    assert [(x.kind, x.recipient) for x in planned] == [
        (LetterKind.GUARDIAN, "Eva Åkesson"), (LetterKind.GUARDIAN, "Per Åkesson"),
        (LetterKind.KALLELSE, "Eva Läkare")]
    written = render_letters(meeting.id, tmp_path, one_file=False, today=NOW.date())
    to_guardians = sorted(p for p in written if p.name.startswith("brev-till-vardnadshavare"))
    assert [p.name for p in to_guardians] == [
        f"brev-till-vardnadshavare-{case.number}-01.pdf",
        f"brev-till-vardnadshavare-{case.number}-02.pdf"]
    assert window_lines(to_guardians[0])[:3] == ["Eva Åkesson", "Björkvägen 3",
                                                 "123 45 Exempelby"]
    assert window_lines(to_guardians[1])[:3] == ["Per Åkesson", "Tallstigen 9",
                                                 "123 46 Exempelby"]
    eva = " ".join(text_of(to_guardians[0]).split())
    assert "Inbjudan till ett möte om Liv" in eva
    assert "Hej Eva!" in eva
    assert "du är vårdnadshavare för Liv Åkesson" in eva
    assert "Livs röst är viktig" in eva and "Ingen måste säga något." in eva
    assert "torsdag 10 december 2026, kl. 13.00–13.45" in eva
    assert "tolk" not in eva.casefold()
    per = " ".join(text_of(to_guardians[1]).split())
    assert "Hej Per!" in per
    assert "Vi bokar en tolk på arabiska till mötet." in per
    assert not [p for p in written if p.name.startswith(("brev-till-barnet", "inbjudan",
                                                         "brev-till-den-enskilde"))]


def test_a_guardians_letter_names_the_other_guardian_without_brackets_in_brackets(
    world: dict, tmp_path: Path,
) -> None:
    """The kallelse wizard gives a guardian the role "Vårdnadshavare (pappa)"; the other
    guardian's letter lists him as "Per Åkesson, vårdnadshavare (pappa)", the way it lists
    the staff — it printed "Per Åkesson (vårdnadshavare (pappa))"."""
    case, _child_row = _child(world, PNR_CHILD, block_father=False)
    draft = InvitationDraft(
        purpose="Hur kan skolan hjälpa Liv?",
        participants=[
            ParticipantInput(Kind.PERSON, "Liv Åkesson"), entry_for(world["manager"]),
            entry_for(world["nurse"]), entry_for(world["doctor"]),
            ParticipantInput(Kind.RELATIVE, "Per Åkesson", role="Vårdnadshavare (pappa)",
                             address="Tallstigen 9, 123 46 Exempelby",
                             how_invited=HowInvited.LETTER),
        ],
        starts_at=MEETING, staff_meeting_at=MEETING - dt.timedelta(days=3),
        staff_meeting_place="Teams")
    meeting = invitation.send_invitation(world["officer"], case, draft, current=NOW)
    written = render_letters(meeting.id, tmp_path, one_file=False, today=NOW.date())
    eva = next(p for p in sorted(written) if p.name.startswith("brev-till-vardnadshavare"))
    text = " ".join(text_of(eva).split())
    assert "Per Åkesson, vårdnadshavare (pappa)" in text
    assert "((" not in text and "))" not in text


def test_no_letter_for_a_guardian_who_may_not_be_told(world: dict, tmp_path: Path) -> None:
    """A guardian who may not receive information about the child (restraining order): he
    cannot be invited, and when the order comes after the kallelse he gets no letter — also not
    as an invited relative — and nothing in the other letters names him."""
    case, _child_row = _child(world, PNR_CHILD, block_father=True)
    with pytest.raises(ValidationError) as info:
        _invite(world, case)
    assert info.value.message.startswith(
        "Per Åkesson får inte få information om barnet (kontaktförbud)")
    per = guardians.guardians_of(case.person_id)[1]
    guardians.update_guardian(world["officer"], per, GuardianInput(
        "Per Åkesson", Custody.JOINT, address=PER_ADDRESS))
    meeting = _invite(world, case)
    per = guardians.guardians_of(case.person_id)[1]
    guardians.update_guardian(world["officer"], per, GuardianInput(
        "Per Åkesson", Custody.JOINT, address=PER_ADDRESS,
        information_block=InformationBlock.RESTRAINING_ORDER))
    assert [(x.kind, x.recipient) for x in planned_letters(meeting)] == [
        (LetterKind.GUARDIAN, "Eva Åkesson"), (LetterKind.KALLELSE, "Eva Läkare")]
    [path] = render_letters(meeting.id, tmp_path / "alla.pdf", one_file=True, today=NOW.date())
    text = text_of(path)
    assert "Hej Eva!" in text
    assert "Hej Per!" not in text and "Tallstigen" not in text


def test_the_child_gets_a_letter_of_their_own_from_12(world: dict, tmp_path: Path) -> None:
    """From the age in the setting (12 unless changed) the child gets a letter in
    child-friendly words; with the setting at 13 a 12-year-old gets none."""
    case, _child_row = _child(world, PNR_TWELVE, block_father=False)
    meeting = _invite(world, case)
    kinds = [x.kind for x in planned_letters(meeting)]
    assert kinds.count(LetterKind.CHILD) == 1
    written = render_letters(meeting.id, tmp_path, one_file=False, today=NOW.date())
    [to_child] = [p for p in written if p.name.startswith("brev-till-barnet")]
    assert window_lines(to_child)[:3] == ["Liv Åkesson", "Björkvägen 3", "123 45 Exempelby"]
    text = " ".join(text_of(to_child).split())
    for line in ("Ett möte om dig", "Hej Liv!", "Det här brevet är till dig.",
                 "Du får säga vad du tycker.", "Du måste inte säga något."):
        assert line in text
    settings.set_value("child_letter_age", 13)
    assert LetterKind.CHILD not in [x.kind for x in planned_letters(meeting)]


# ---- the easy-read plan --------------------------------------------------------------------

def _approved_plan_for(world: dict, case: Case) -> int:
    source = approve_all(world, fill(world))
    return clone_plan(source, case).id


def _copies(data: bytes) -> list[str]:
    """The text of each copy: a copy starts on a page that says "Sida 1 av"."""
    copies: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        text = page.extract_text()
        if "Sida 1 av" in text or not copies:
            copies.append(text)
        else:
            copies[-1] += "\n" + text
    return [" ".join(c.split()) for c in copies]


def test_easy_plan_for_a_child_one_copy_per_guardian_and_the_childs_from_12(
        world: dict) -> None:
    case, _child_row = _child(world, PNR_TWELVE, block_father=False)
    buffer = io.BytesIO()
    render_plan(_approved_plan_for(world, case), buffer, easy_read=True)
    copies = _copies(buffer.getvalue())
    assert len(copies) == 3
    eva, per, liv = copies
    assert "Biståndsenheten Eva Åkesson Björkvägen 3 123 45 Exempelby Datum" in eva
    assert "Planen för Liv" in eva and "Till dig som är vårdnadshavare för Liv Åkesson." in eva
    assert "Det här gör vi för Liv" in eva and "tolk" not in eva
    assert "Biståndsenheten Per Åkesson Tallstigen 9 123 46 Exempelby Datum" in per
    assert "Vill du få planen förklarad på arabiska?" in per
    assert "Biståndsenheten Liv Åkesson Björkvägen 3 123 45 Exempelby Datum" in liv
    assert CHILD_TITLE in liv and "Hej Liv!" in liv
    assert "Så här hjälper vi dig" in liv and "Ditt mål" in liv
    assert "Min plan" not in " ".join(copies)


def test_easy_plan_none_for_a_guardian_not_informed_and_none_for_a_young_child(
        world: dict) -> None:
    case, _child_row = _child(world, PNR_CHILD, block_father=True)
    buffer = io.BytesIO()
    plan_id = _approved_plan_for(world, case)
    render_plan(plan_id, buffer, easy_read=True)
    copies = _copies(buffer.getvalue())
    assert len(copies) == 1 and "Biståndsenheten Eva Åkesson Björkvägen 3" in copies[0]
    assert "Per Åkesson" not in " ".join(copies)
    # With Eva not to be told either, nobody gets a copy: said, not an empty file.
    eva = guardians.guardians_of(case.person_id)[0]
    guardians.update_guardian(world["officer"], eva, GuardianInput(
        "Eva Åkesson", Custody.JOINT, address=EVA_ADDRESS,
        information_block=InformationBlock.PROTECTED_ADDRESS))
    with pytest.raises(ValidationError) as info:
        render_plan(plan_id, io.BytesIO(), easy_read=True)
    assert info.value.message == NO_COPIES
