"""The letter to the person after "Avstå från SIP" (DOMAIN.md step 1: refusing happens only by
exception and the reason is documented): easy-read, what happened, why, and whom to call. Built
from the kallelse letters' pieces (reports.letters): the address in the envelope window, large
type, "Sida X av Y"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import BinaryIO

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from sipdesk import clock
from sipdesk.casework import protected
from sipdesk.plans import print_reads
from sipdesk.storage.models import Case, Person, PrincipalKind, User

from .base import Letterhead, SipDocTemplate, esc, municipality_letterhead, written_date
from .letters_common import AddressWindow, LetterCanvas, forwarded_to, person_address
from .letters_person import easy_read_styles


def refusal_file_name(case_number: str) -> str:
    """No personal data: what the letter is and the case number."""
    return f"brev-ingen-sip-{case_number}.pdf"


def refusal_story(case: Case, person: Person, by: User, reason: str,
                  today: dt.date) -> list[Flowable]:
    """A short easy-read letter: no SIP this time, why, and whom to call."""
    st = easy_read_styles()
    organisation, address = ("", person_address(person))
    forwarded = protected.address_hidden(person)
    if forwarded:  # to a protected person: via the coordinator (letters_common.forwarded_to)
        organisation, address = forwarded_to(case)
    window = AddressWindow(name=person.full_name, organisation=organisation, address=address,
                           info=[("Datum", written_date(today)), ("Ärende", case.number)],
                           forwarded=forwarded)
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
    doc.build(refusal_story(case, person, by, read.reason, today or clock.today()),
              canvasmaker=LetterCanvas)
    return path
