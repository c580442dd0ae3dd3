"""Letters for a kallelse, on both engines: read back as text and with positions — the address
inside the envelope window, å ä ö, time, place and purpose, the easy-read letter's type size
and plain words, a missing address, one file or one per recipient, names kept out of file
names — and printed from the command line."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import peewee
import pytest
import time_machine as tm
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from reports import letters
from reports.letters import LetterKind, planned_letters, render_letters
from sipdesk.casework import consent, contacts
from sipdesk.casework.contacts import OrganisationKind
from sipdesk.clock import STOCKHOLM
from sipdesk.errors import ValidationError
from sipdesk.meetings import invitation
from sipdesk.meetings.invitation import HowInvited, InvitationDraft, Meeting, ParticipantInput
from sipdesk.meetings.invitation import ParticipantKind as Kind
from sipdesk.storage.db import DatabaseUrl
from sipdesk.storage.models import Case, Law, Person, Principal, PrincipalKind, Role, User
from tests.factories import make_case, make_person, make_unit, make_user
from ui.main import main

NOW = dt.datetime(2026, 11, 23, 9, 0)
MEETING = dt.datetime(2026, 12, 10, 13, 0)  # a Thursday
PURPOSE = "Hur kan hemtjänst och vårdcentral samordna stödet efter fallet? LSS & <b>boende</b>"


@dataclass(frozen=True)
class World:
    case: Case
    meeting: Meeting
    officer: User


def directory_entry(kind: contacts.EntryKind, entry_id: int) -> ParticipantInput:
    return ParticipantInput.from_directory(contacts.entry(kind, entry_id))


def build_world(*, video_link: str = "") -> World:
    officer = make_user("anna.berg", unit=make_unit("Biståndsenheten"))
    officer.phone, officer.email = "0303-12 34 56", "anna.berg@exempelby.se"
    officer.save()
    manager = make_user("maria.holm", unit=make_unit("Hemtjänst Norr"), full_name="Maria Holm",
                        role=Role.UNIT_MANAGER)
    nurse = make_user("per.nord", full_name="Per Nord", unit=make_unit(
        "Vårdcentralen Exempelby", law=Law.HSL, principal="Region Exempelland",
        kind=PrincipalKind.REGION))
    nurse.profession = "Sjuksköterska"
    nurse.save()
    region = Principal.get(Principal.name == "Region Exempelland")
    municipality = Principal.get(Principal.name == "Exempelby kommun")
    psych = contacts.add_organisation(manager, name="Psykiatrimottagningen Älvsborg",
                                      principal=region, kind=OrganisationKind.OUTPATIENT,
                                      law=Law.HSL, phone="010-123 00 00",
                                      address="Box 123, 451 80 Exempelby")
    doctor = contacts.add_contact(manager, psych, name="Eva Läkare", role="Läkare")
    rehab = contacts.add_organisation(manager, name="Rehab Söder", principal=municipality,
                                      kind=OrganisationKind.MUNICIPAL_CARE, law=Law.HSL)
    therapist = contacts.add_contact(manager, rehab, name="Örjan Åberg", role="Arbetsterapeut",
                                     phone="0303-99 88 77")  # no address anywhere
    interpreters = contacts.add_organisation(
        manager, name="Tolkförmedlingen Väst", principal=contacts.ensure_principal(
            "Tolkförmedlingen Väst", PrincipalKind.OTHER),
        kind=OrganisationKind.INTERPRETER, law=Law.OTHER, phone="010-999 99 99",
        address="Tolkvägen 2\n411 01 Göteborg")
    interpreter = contacts.add_contact(manager, interpreters, name="Ali Tolk", role="Tolk")
    person = make_person()
    person.address, person.postal_code, person.city = "Storgatan 1", "123 45", "Exempelby"
    person.language = "arabiska"
    person.save()
    case = make_case(officer, Person.get_by_id(person.id))
    consent.register_consent(officer, case, consent.ConsentInput(
        kind=consent.ConsentKind.ORAL, given_on=NOW.date(), covers="Samordning av stödet",
        principals=[municipality, region], relatives_to_invite="Dottern Greta"),
        today=NOW.date())
    by_phone = directory_entry(contacts.EntryKind.CONTACT, doctor.id)
    by_phone.name, by_phone.how_invited = "Lena Telefon", HowInvited.PHONE
    draft = InvitationDraft(
        purpose=PURPOSE,
        participants=[
            ParticipantInput(Kind.PERSON, "Åsa Öberg"),
            directory_entry(contacts.EntryKind.USER, manager.id),
            directory_entry(contacts.EntryKind.USER, nurse.id),
            directory_entry(contacts.EntryKind.CONTACT, doctor.id),
            directory_entry(contacts.EntryKind.CONTACT, therapist.id),
            directory_entry(contacts.EntryKind.CONTACT, interpreter.id),
            by_phone,
            ParticipantInput(Kind.RELATIVE, "Greta Öberg", role="Dotter",
                             phone="070-111 22 33", address="Ängsvägen 4\n432 10 Älvby"),
        ],
        starts_at=MEETING, video_link=video_link,
        staff_meeting_at=MEETING - dt.timedelta(days=3), staff_meeting_place="Teams")
    meeting = invitation.send_invitation(officer, Case.get_by_id(case.id), draft, current=NOW)
    return World(Case.get_by_id(case.id), meeting, officer)


@pytest.fixture
def world(db: peewee.Database) -> World:
    return build_world()


@dataclass(frozen=True)
class Run:
    text: str
    x: float  # points from the left edge
    y: float  # points from the bottom edge
    size: float


def page_runs(page: object) -> list[Run]:
    """Every text run of a page with its position on the sheet and its effective font size."""
    runs: list[Run] = []

    def visit(text: str, cm: list[float], tm: list[float], _font: object, size: float) -> None:
        if not text.strip():
            return
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        runs.append(Run(text.strip(), x, y, size * abs(tm[3]) * abs(cm[3])))

    page.extract_text(visitor_text=visit)  # type: ignore[attr-defined]
    return runs


def read(path: Path) -> PdfReader:
    return PdfReader(io.BytesIO(path.read_bytes()))


def text_of(path: Path) -> str:
    return "\n".join(page.extract_text() for page in read(path).pages)


def by_kind(paths: list[Path], prefix: str) -> list[Path]:
    return [p for p in paths if p.name.startswith(prefix)]


def in_window(run: Run) -> bool:
    left, top = letters.WINDOW_LEFT, A4[1] - letters.WINDOW_TOP
    return (left <= run.x <= left + letters.WINDOW_WIDTH
            and top - letters.WINDOW_HEIGHT <= run.y <= top)


def window_lines(path: Path) -> list[str]:
    return [run.text for run in page_runs(read(path).pages[0]) if in_window(run)]


def test_who_gets_a_letter(world: World) -> None:
    """Only participants without an account invited by letter, plus the person (always)."""
    planned = planned_letters(world.meeting)
    assert [(x.kind, x.recipient) for x in planned] == [
        (LetterKind.PERSON, "Åsa Öberg"),
        (LetterKind.KALLELSE, "Eva Läkare"),
        (LetterKind.KALLELSE, "Örjan Åberg"),
        (LetterKind.INVITATION, "Ali Tolk"),
        (LetterKind.INVITATION, "Greta Öberg"),
    ]  # not Maria Holm or Per Nord (accounts), not Lena Telefon (phone)
    without_person = planned_letters(world.meeting, include_person=False)
    assert without_person[0].kind is LetterKind.KALLELSE and len(without_person) == 4


def test_kallelse_to_a_professional_without_an_account(world: World, tmp_path: Path) -> None:
    written = render_letters(world.meeting.id, tmp_path, one_file=False,
                             today=NOW.date())
    kallelse = by_kind(written, "kallelse")[0]
    text = " ".join(text_of(kallelse).split())
    assert "Kallelse till SIP-möte" in text
    assert world.case.number in text
    assert "torsdag 10 december 2026, kl. 13.00–13.45" in text
    assert "Hemma hos den enskilde (Storgatan 1, 123 45 Exempelby)" in text
    assert "samordna stödet efter fallet? LSS & <b>boende</b>" in text  # escaped, as typed
    assert "Åsa Öberg, 19400107-9120" in text
    # who else is called, with organisation; not the recipient herself
    called = text.split("Kallade", 1)[1]
    assert "Per Nord, sjuksköterska, Vårdcentralen Exempelby" in called
    assert "Maria Holm, biståndshandläggare, Hemtjänst Norr" in called
    assert "Greta Öberg (närstående, dotter)" in called
    assert "Ali Tolk (tolk, Tolkförmedlingen Väst)" in called
    assert "Åsa Öberg (den enskilde)" in called
    assert "Eva Läkare" not in called.split("Med vänliga hälsningar")[0]
    assert "måndag 7 december 2026, kl. 13.00, Teams" in text
    assert "skyldig att delta" in text and "ersättare" in text
    assert "Anna Berg, Biståndsenheten, telefon 0303-12 34 56" in text
    assert len(read(kallelse).pages) == 1
    assert window_lines(kallelse) == ["Eva Läkare", "Psykiatrimottagningen Älvsborg", "Box 123",
                                      "451 80 Exempelby"]


def test_every_letter_writes_its_dates_out_the_same_way(
    world: World, tmp_path: Path, time_machine: tm.TimeMachineFixture
) -> None:
    """Letters go to people outside the office (the person, relatives, interpreters, other
    principals): each one writes every date out — "23 november 2026" beside the window and at
    the foot of the page, the meeting days with the weekday — and none in the ISO form."""
    time_machine.move_to(dt.datetime.combine(NOW.date(), dt.time(12, 0), tzinfo=STOCKHOLM))
    written = render_letters(world.meeting.id, tmp_path, one_file=False, today=NOW.date())
    kinds = {p.name.split("-")[0] for p in written}
    assert kinds == {"brev", "kallelse", "inbjudan"}
    for path in written:
        text = " ".join(text_of(path).split())
        assert "Datum 23 november 2026" in text, path.name
        assert "Utskrivet 23 november 2026" in text, path.name
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text), path.name
        assert "10 december 2026" in text, path.name


def test_every_address_sits_inside_the_envelope_window(world: World, tmp_path: Path) -> None:
    written = render_letters(world.meeting.id, tmp_path, one_file=False)
    windows = {path.name: window_lines(path) for path in written}
    number = world.case.number
    assert windows[f"brev-till-den-enskilde-{number}.pdf"] == [
        "Åsa Öberg", "Storgatan 1", "123 45 Exempelby"]
    assert windows[f"inbjudan-{number}-04.pdf"] == ["Greta Öberg", "Ängsvägen 4", "432 10 Älvby"]
    assert windows[f"inbjudan-{number}-03.pdf"] == [
        "Ali Tolk", "Tolkförmedlingen Väst", "Tolkvägen 2", "411 01 Göteborg"]
    for path in written:
        first_page = page_runs(read(path).pages[0])
        name_run = next(r for r in first_page if r.text == windows[path.name][0])
        # the address starts at the window's top-left, kept a little inside it
        assert letters.WINDOW_LEFT < name_run.x < letters.WINDOW_LEFT + 5 * mm
        assert A4[1] - letters.WINDOW_TOP - 10 * mm < name_run.y < A4[1] - letters.WINDOW_TOP
        # nothing else on the page is inside the window
        others = [r.text for r in first_page if in_window(r)]
        assert others == windows[path.name]


def test_a_recipient_without_address_gets_a_clear_note_in_the_window(
    world: World, tmp_path: Path
) -> None:
    written = render_letters(world.meeting.id, tmp_path, one_file=False)
    lines = window_lines(by_kind(written, "kallelse")[1])
    assert lines[:2] == ["Örjan Åberg", "Rehab Söder"]
    assert " ".join(lines[2:]) == "Adress saknas — lämnas eller skickas på annat sätt"


def test_invitation_to_a_relative_is_friendly_and_leaves_the_purpose_out(
    world: World, tmp_path: Path
) -> None:
    written = render_letters(world.meeting.id, tmp_path, one_file=False)
    text = " ".join(text_of(by_kind(written, "inbjudan")[1]).split())
    assert "Hej Greta!" in text
    assert "samordnad individuell plan (SIP) är en plan" in text
    assert "torsdag 10 december 2026, kl. 13.00–13.45" in text
    assert "Hemma hos Åsa Öberg, Storgatan 1, 123 45 Exempelby" in text
    assert "Ring Anna Berg på telefon 0303-12 34 56" in text
    assert "efter fallet" not in text and "19400107" not in text


def test_invitation_to_the_interpreter_names_the_language(world: World, tmp_path: Path) -> None:
    written = render_letters(world.meeting.id, tmp_path, one_file=False)
    text = " ".join(text_of(by_kind(written, "inbjudan")[0]).split())
    assert "Inbjudan: tolkning vid ett SIP-möte" in text
    assert "Språk arabiska" in text
    assert "Hemma hos Åsa Öberg, Storgatan 1, 123 45 Exempelby" in text
    assert "efter fallet" not in text and "19400107" not in text


def test_easy_read_letter_is_large_plain_and_explains_abbreviations(
    world: World, tmp_path: Path
) -> None:
    path = render_letters(world.meeting.id, tmp_path, one_file=False)[0]
    text = text_of(path)
    flat = " ".join(text.split())
    assert "Välkommen till ett möte om din hjälp" in flat
    assert "Vi kommer hem till dig." in flat
    assert "Torsdag 10 december 2026" in flat and "Klockan 13.00 till 13.45" in flat
    assert "Per Nord, sjuksköterska på Vårdcentralen Exempelby" in flat
    assert "Greta Öberg, din dotter" in flat
    assert "Ali Tolk, tolk som hjälper oss att förstå varandra" in flat
    assert "en plan för din vård och omsorg (SIP)" in flat
    assert "samordna stödet efter fallet? LSS & <b>boende</b>" in flat
    assert "Ring Anna Berg." in flat and "Telefon: 0303-12 34 56" in flat
    # the purpose said "LSS": it is explained; the letter itself uses no law abbreviations
    assert "LSS betyder lagen om stöd och service" in flat
    assert not re.search(r"\b(HSL|SoL)\b", flat)
    assert "19400107" not in flat  # no personal number in the person's own letter
    # body text (below the window, above the footer) is 16 pt or larger on every page
    reader = read(path)
    body_sizes = []
    for index, page in enumerate(reader.pages):
        top = A4[1] - (letters.FIRST_BODY_TOP if index == 0 else 38 * mm)
        body_sizes += [r.size for r in page_runs(page) if 20 * mm < r.y < top]
    assert body_sizes and min(body_sizes) >= 16


def test_one_file_or_one_per_recipient_and_no_names_in_file_names(
    world: World, tmp_path: Path
) -> None:
    number = world.case.number
    separate = render_letters(world.meeting.id, tmp_path / "brev", one_file=False)
    assert [p.name for p in separate] == [
        f"brev-till-den-enskilde-{number}.pdf", f"kallelse-{number}-01.pdf",
        f"kallelse-{number}-02.pdf", f"inbjudan-{number}-03.pdf", f"inbjudan-{number}-04.pdf"]
    person = world.case.person
    for path in separate:
        assert re.fullmatch(r"[a-z-]+-SIP-\d{4}-\d{4}(-\d{2})?\.pdf", path.name)
        for private in (person.first_name, person.last_name, person.personal_number[:8],
                        "Greta", "Eva", "Ali", "Örjan"):
            assert private.casefold() not in path.name.casefold()
    [single] = render_letters(world.meeting.id, tmp_path, one_file=True)
    assert single.name == f"brev-{number}.pdf"
    reader = read(single)
    assert len(reader.pages) == sum(len(read(p).pages) for p in separate)
    text = text_of(single)
    for title in ("Välkommen till ett möte om din hjälp", "Kallelse till SIP-möte",
                  "Inbjudan till ett möte om vård och omsorg",
                  "Inbjudan: tolkning vid ett SIP-möte"):
        assert title in text
    # pages are counted per letter, never "Sida 3 av 7" across recipients
    totals = {int(m) for m in re.findall(r"Sida \d+ av (\d+)", text)}
    assert max(totals) < len(reader.pages)
    assert text.count("Sida 1 av") == len(separate)
    chosen = render_letters(world.meeting.id, tmp_path / "samlat.pdf", one_file=True,
                            include_person=False)
    assert chosen == [tmp_path / "samlat.pdf"]
    assert "Välkommen till ett möte om din hjälp" not in text_of(chosen[0])


def test_video_link_is_in_every_letter(db: peewee.Database, tmp_path: Path) -> None:
    world = build_world(video_link="https://möte.example/sip?id=1&x=<2>")
    [single] = render_letters(world.meeting.id, tmp_path, one_file=True)
    text = text_of(single).replace("\n", "")
    assert text.count("https://möte.example/sip?id=1&x=<2>") == 5


def test_follow_up_meeting_says_so(world: World, tmp_path: Path) -> None:
    Meeting.update(follow_up=True).where(Meeting.id == world.meeting.id).execute()
    [single] = render_letters(world.meeting.id, tmp_path, one_file=True)
    text = " ".join(text_of(single).split())
    assert "Kallelse till uppföljning av SIP-möte" in text
    assert "Vi ska se om planen behöver ändras." in text
    assert "Vi gör planen tillsammans med dig." not in text


def test_no_letters_for_a_cancelled_meeting(world: World, tmp_path: Path) -> None:
    invitation.cancel_meeting(world.officer, world.meeting, reason="Sjuk", person_told=True,
                              current=NOW)
    with pytest.raises(ValidationError) as info:
        render_letters(world.meeting.id, tmp_path, one_file=True)
    assert info.value.message == "Mötet är inställt — det finns inga brev att skriva ut."


def test_print_letters_and_calendar_from_the_command_line(
    world: World, db_url: DatabaseUrl, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    number = world.case.number
    folder = tmp_path / "brev"
    assert main(["--database", db_url.url, "print", "letters", number, "--out",
                 str(folder)]) == 0, capsys.readouterr().err
    assert len(list(folder.glob("*.pdf"))) == 5
    assert "Skrev 5 brev" in capsys.readouterr().out
    one = tmp_path / "alla.pdf"
    assert main(["--database", db_url.url, "print", "letters", number, "--one-file",
                 "--out", str(one)]) == 0
    assert "Kallelse till SIP-möte" in text_of(one)
    ics = tmp_path / "mote.ics"
    assert main(["--database", db_url.url, "print", "calendar", number, "--out",
                 str(ics)]) == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    assert main(["--database", db_url.url, "print", "calendar", number, "--out",
                 str(tmp_path)]) == 0
    assert (tmp_path / f"sip-mote-{number}.ics").exists()
    capsys.readouterr()
    assert main(["--database", db_url.url, "print", "calendar", number, "--out",
                 str(tmp_path / "mote.pdf")]) == 2
    assert "Kalenderfilen ska sluta på .ics" in capsys.readouterr().err


def test_command_line_says_when_there_is_no_meeting_yet(
    db: peewee.Database, db_url: DatabaseUrl, tmp_path: Path,
    capsys: pytest.CaptureFixture[str]
) -> None:
    case = make_case(make_user())
    for document in ("letters", "calendar"):
        assert main(["--database", db_url.url, "print", document, case.number, "--out",
                     str(tmp_path)]) == 1
        assert (f"Ärende {case.number} har inget möte än — skicka en kallelse först."
                in capsys.readouterr().err)
    assert main(["--database", db_url.url, "print", "letters", case.number, "--out",
                 str(tmp_path / "saknas" / "brev")]) == 2
    assert "Mappen" in capsys.readouterr().err
