"""The letter to the person after "Avstå från SIP" (DOMAIN.md step 1: refusing happens only by
exception and the reason is documented): easy-read, what happened, why, and whom to call. Built
from the kallelse letters' pieces (reports.letters): the address in the envelope window, large
type, "Sida X av Y" counted per letter.

For a child (seed 002) the letters go as the kallelse's do (sipdesk.casework.guardians.paper_for):
one to each guardian who may be told, at their own address, in plain, kind words about their
child, with the reason; none to a guardian who may not receive information about the child;
and, from the age in the setting `child_letter_age`, one to the child in child-friendly words —
without the grown-ups' reason, which the guardians have."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, PageBreak, Paragraph, Spacer

from sipdesk import clock
from sipdesk.casework import guardians as guardian_rules
from sipdesk.casework import protected
from sipdesk.plans import print_reads
from sipdesk.storage.models import Case, Person, PersonContact, PrincipalKind, User

from .base import Letterhead, SipDocTemplate, esc, municipality_letterhead, written_date
from .letters_child import family_styles
from .letters_common import (
    AddressWindow,
    LetterCanvas,
    address_lines,
    forwarded_to,
    person_address,
)
from .letters_person import easy_read_styles


def refusal_file_name(case_number: str) -> str:
    """No personal data: what the letter is and the case number."""
    return f"brev-ingen-sip-{case_number}.pdf"


def _person_window(case: Case, person: Person, today: dt.date) -> AddressWindow:
    """The address window of a letter to the person (or the child) themselves; to a protected
    person via the coordinator (letters_common.forwarded_to)."""
    organisation, address = ("", person_address(person))
    forwarded = protected.address_hidden(person)
    if forwarded:
        organisation, address = forwarded_to(case)
    return AddressWindow(name=person.full_name, organisation=organisation, address=address,
                         info=[("Datum", written_date(today)), ("Ärende", case.number)],
                         forwarded=forwarded)


def refusal_story(case: Case, person: Person, by: User, reason: str,
                  today: dt.date) -> list[Flowable]:
    """A short easy-read letter: no SIP this time, why, and whom to call."""
    st = easy_read_styles()
    window = _person_window(case, person, today)
    call = [f"Ring {esc(by.full_name)} på {esc(by.unit.name)}."]
    if by.phone:
        call.append(f"Telefon: {esc(by.phone)}")
    return [
        window,
        Paragraph("Det blir ingen SIP just nu", st["title"]),
        Paragraph(f"Hej {esc(person.first_name)}!", st["body"]),
        Paragraph("Vi har tittat på om du behöver en SIP.", st["body"]),
        Paragraph("En SIP är en plan för din vård och omsorg som vi gör tillsammans med dig.",
                  st["body"]),
        Paragraph("Vi har kommit fram till att det inte blir någon SIP nu.", st["body"]),
        KeepTogether([Paragraph("Varför?", st["h2"]), Paragraph(esc(reason), st["body"])]),
        KeepTogether([
            Paragraph("Har du frågor?", st["h2"]),
            *[Paragraph(line, st["body"]) for line in call],
            Paragraph("Hör av dig om något ändras. Då kan vi tänka om.", st["body"]),
            Spacer(1, 6 * mm),
            Paragraph(f"Hälsningar<br/>{esc(by.full_name)}", st["body"]),
        ]),
    ]


def _guardian_window(case: Case, person: Person, guardian: PersonContact | None,
                     today: dt.date) -> AddressWindow:
    info = [("Datum", written_date(today)), ("Ärende", case.number)]
    if guardian is not None:
        return AddressWindow(name=guardian.name, organisation="",
                             address=address_lines(guardian.address), info=info)
    # No guardian may be written to by name: to the guardians at the child's address.
    organisation, address = "", person_address(person)
    forwarded = protected.address_hidden(person)
    if forwarded:
        organisation, address = forwarded_to(case)
    return AddressWindow(name=f"Vårdnadshavare för {person.full_name}",
                         organisation=organisation, address=address, info=info,
                         forwarded=forwarded)


def guardian_refusal_story(case: Case, person: Person, guardian: PersonContact | None,
                           by: User, reason: str, today: dt.date) -> list[Flowable]:
    """To one of the child's guardians: no SIP for their child this time, why, whom to call."""
    st = family_styles()
    first = esc(person.first_name)
    name = guardian.name.split()[0] if guardian is not None and guardian.name.split() else ""
    phone = f" på telefon {esc(by.phone)}" if by.phone else ""
    return [
        _guardian_window(case, person, guardian, today),
        Paragraph(f"Det blir ingen SIP för {first} just nu", st["title"]),
        Paragraph(f"Hej {esc(name)}!" if name else "Hej!", st["body"]),
        Paragraph(f"Du får det här brevet för att du är vårdnadshavare för "
                  f"{esc(person.full_name)}.", st["body"]),
        Paragraph(f"Vi har tittat på om {first} behöver en samordnad individuell plan (SIP). "
                  f"En SIP är en plan där vi som ger stöd till {first} bestämmer tillsammans med "
                  "er vem som gör vad, så att hjälpen hänger ihop.", st["body"]),
        Paragraph(f"Vi har kommit fram till att det inte blir någon SIP för {first} nu.",
                  st["body"]),
        KeepTogether([Paragraph("Varför?", st["h2"]), Paragraph(esc(reason), st["body"])]),
        KeepTogether([
            Paragraph("Har du frågor?", st["h2"]),
            Paragraph(f"Ring {esc(by.full_name)} på {esc(by.unit.name)}{phone}. Berätta gärna "
                      f"för {first} vad det här betyder — {first} får också höra av sig till "
                      "oss.", st["body"]),
            Paragraph(f"Hör av dig om något ändras för {first}. Då kan vi tänka om.",
                      st["body"]),
            Spacer(1, 6 * mm),
            Paragraph(f"Hälsningar<br/>{esc(by.full_name)}", st["body"]),
        ]),
    ]


def child_refusal_story(case: Case, person: Person, by: User, today: dt.date, *,
                        one_guardian: bool = False) -> list[Flowable]:
    """To the child (from the age in the setting): short sentences, one idea on each line."""
    st = easy_read_styles()
    window = _person_window(case, person, today)
    call = [f"Fråga {esc(by.full_name)}."]
    if by.phone:
        call.append(f"Telefon: {esc(by.phone)}")
    return [
        window,
        Paragraph("Det blir ingen SIP just nu", st["title"]),
        Paragraph(f"Hej {esc(person.first_name)}!", st["body"]),
        Paragraph("Det här brevet är till dig.", st["body"]),
        Paragraph("Vi vuxna har pratat om att du kanske behöver en SIP.", st["body"]),
        Paragraph("En SIP är en plan. Den visar vem som hjälper dig och hur.", st["body"]),
        Paragraph("Vi har kommit fram till att det inte blir någon SIP nu.", st["body"]),
        Paragraph(f"{'Din vårdnadshavare' if one_guardian else 'Dina vårdnadshavare'} har fått "
                  "ett brev om varför.", st["body"]),
        KeepTogether([
            Paragraph("Vill du fråga något?", st["h2"]),
            *[Paragraph(line, st["body"]) for line in call],
            Paragraph("Du kan också fråga en vuxen du litar på.", st["body"]),
            Spacer(1, 6 * mm),
            Paragraph(f"Hälsningar<br/>{esc(by.full_name)}", st["body"]),
        ]),
    ]


def letters_story(case: Case, person: Person, by: User, reason: str,
                  today: dt.date) -> list[Flowable]:
    """Every letter of the refusal, each starting on a page of its own: the person's, or for a
    child each informed guardian's and, from the age in the setting, the child's."""
    paper = guardian_rules.paper_for(person, on=today)
    if not paper.child:
        return refusal_story(case, person, by, reason, today)
    letters: list[list[Flowable]] = [
        guardian_refusal_story(case, person, g, by, reason, today) for g in paper.guardians]
    if not letters:  # no guardian to write to by name (none registered, or none informed)
        letters.append(guardian_refusal_story(case, person, None, by, reason, today))
    if paper.to_child:
        letters.append(child_refusal_story(case, person, by, today,
                                           one_guardian=len(paper.guardians) == 1))
    flow: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            flow.append(PageBreak())
        flow += letter
    return flow


def render_refusal_letter(case_id: int, target: str | Path | BinaryIO, *,
                          today: dt.date | None = None) -> Path | BinaryIO:
    """The letter to the person after "Avstå från SIP" (lifecycle.refuse): written to `target`
    (a file, a folder for brev-ingen-sip-….pdf, or an open binary file)."""
    read = print_reads.refusal(case_id)
    case, person, by = read.case, read.person, read.by
    path: Path | BinaryIO = target if not isinstance(target, str | Path) else Path(target)
    if isinstance(path, Path) and path.is_dir():
        path = path / refusal_file_name(case.number)
    principal = by.unit.principal
    base = municipality_letterhead(by.unit.name)
    head = (Letterhead(principal.name, by.unit.name, base.logo)
            if principal.kind == PrincipalKind.MUNICIPALITY.value
            else Letterhead(principal.name, by.unit.name))
    doc = SipDocTemplate(path, title=f"Det blir ingen SIP just nu ({case.number})",
                         letterhead=head, subject=f"Ärende {case.number}")
    doc.build(letters_story(case, person, by, read.reason, today or clock.today()),
              canvasmaker=LetterCanvas)
    return path
