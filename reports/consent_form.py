"""Samtycke till samordnad individuell plan (SIP): the consent form on paper.

Filled in from the case's current consent when there is one; otherwise a form to fill in by
hand with every principal listed with an empty box. For a child, one signature block per
guardian. Plain words toward the person: "verksamheter" with "huvudmän" explained once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from sipdesk import clock
from sipdesk.casework import consent as consent_rules
from sipdesk.casework import protected
from sipdesk.desk.cases import get_case
from sipdesk.storage.models import Case, PrincipalKind

from .base import (
    BOX_EMPTY,
    BOX_TICKED,
    SipDocTemplate,
    SplittableTable,
    Target,
    build,
    esc,
    municipality_letterhead,
    styles,
    written_date,
)

TITLE = "Samtycke till samordnad individuell plan (SIP)"
BLANK = "_" * 34


@dataclass(frozen=True)
class PrincipalBox:
    name: str
    kind: str
    ticked: bool


@dataclass(frozen=True)
class ConsentFormData:
    case_number: str
    person_name: str
    personal_number: str
    address: str
    phone: str
    covers: str
    exclusions: str
    relatives: str
    given_on: dt.date | None
    valid_until: dt.date | None
    principals: list[PrincipalBox]
    guardians: list[str]  # names; for a child without registered guardians: two blanks
    is_child: bool
    coordinator: str
    coordinator_phone: str
    unit: str


def form_data(case: Case, *, today: dt.date | None = None) -> ConsentFormData:
    today = today or clock.today()
    person = case.person
    current = consent_rules.active_consent(case)
    chosen = {p.id for p in consent_rules.principals_of(current)} if current else set()
    principals = consent_rules.principal_choices()  # the order the consent dialog shows
    child = consent_rules.is_child(person, today)
    guardians = [g.name for g in consent_rules.guardians_of(person)] if child else []
    if child and not guardians:
        guardians = ["", ""]
    # A protected identity's address is never printed (sipdesk.casework.protected).
    address = protected.HIDDEN_ADDRESS if protected.address_hidden(person) else ", ".join(
        part for part in (person.address, f"{person.postal_code} {person.city}".strip()) if part)
    return ConsentFormData(
        case_number=case.number, person_name=person.full_name,
        personal_number=person.personal_number, address=address, phone=person.phone,
        covers=current.covers if current else "", exclusions=current.exclusions if current else "",
        relatives=current.relatives_to_invite if current else "",
        given_on=current.given_on if current else None,
        valid_until=current.valid_until if current else None,
        principals=[PrincipalBox(p.name, PrincipalKind(p.kind).label, p.id in chosen)
                    for p in principals],
        guardians=guardians, is_child=child, coordinator=case.coordinator.full_name,
        coordinator_phone=case.coordinator.phone, unit=case.unit.name,
    )


def _lines(count: int) -> list[Flowable]:
    st = styles()
    return [Paragraph(BLANK * 2, st["body"]) for _ in range(count)]


def _filled_or_lines(text: str, count: int) -> list[Flowable]:
    st = styles()
    return [Paragraph(esc(text), st["body"])] if text.strip() else _lines(count)


def _signature_cell(title: str, name: str) -> list[Flowable]:
    st = styles()
    line = Table([[""]], colWidths=[78 * mm], rowHeights=[9 * mm],
                 style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, "black")]))
    return [
        Paragraph(f"<b>{esc(title)}</b>", st["body"]),
        line,
        Paragraph("Underskrift, ort och datum", st["small"]),
        Table([[""]], colWidths=[78 * mm], rowHeights=[7 * mm],
              style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, "black")])),
        Paragraph("Namnförtydligande" + (f": {esc(name)}" if name else ""), st["small"]),
    ]


def _signatures(signers: list[tuple[str, str]], intro: list[Flowable]) -> Flowable:
    """Signature blocks two by two, kept together on one page with their introduction."""
    cells = [_signature_cell(title, name) for title, name in signers]
    if len(cells) % 2:
        cells.append([])
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[87 * mm, 87 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5 * mm),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return KeepTogether([*intro, table])


def story(data: ConsentFormData) -> list[Flowable]:
    st = styles()
    flow: list[Flowable] = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"Ärende {esc(data.case_number)}", st["small"]),
        Spacer(1, 3 * mm),
        Paragraph("Personuppgifter", st["h2"]),
        SplittableTable(
            [[Paragraph("Namn", st["small"]), Paragraph(esc(data.person_name), st["body"])],
             [Paragraph("Personnummer", st["small"]), Paragraph(esc(data.personal_number),
                                                                st["body"])],
             [Paragraph("Adress", st["small"]), Paragraph(esc(data.address) or BLANK,
                                                          st["body"])],
             [Paragraph("Telefon", st["small"]), Paragraph(esc(data.phone) or BLANK, st["body"])]],
            colWidths=[35 * mm, 135 * mm], hAlign="LEFT",
            style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                              ("VALIGN", (0, 0), (-1, -1), "TOP")]),
        ),
        Paragraph("Vad samtycket gäller", st["h2"]),
        Paragraph(
            "Jag samtycker till att en samordnad individuell plan (SIP) görs för mig, och till "
            "att de verksamheter som är ikryssade nedan får lämna och ta emot de uppgifter om "
            "mig som behövs för planen. Samtycket gäller den här frågan:", st["body"]),
        *_filled_or_lines(data.covers, 2),
        Paragraph("Verksamheter som får vara med", st["h2"]),
        Paragraph("Kommunen, regionen och andra som ansvarar för ditt stöd kallas huvudmän.",
                  st["small"]),
    ]
    for box in data.principals:
        mark = BOX_TICKED if box.ticked else BOX_EMPTY
        flow.append(Paragraph(f"{mark}&nbsp;&nbsp;{esc(box.name)} "
                              f"<font size=8>({esc(box.kind.lower())})</font>", st["box"]))
    flow += [
        Paragraph(f"{BOX_EMPTY}&nbsp;&nbsp;Annan: {BLANK}", st["box"]),
        Paragraph("Det här vill jag inte att samtycket ska gälla", st["h2"]),
        *_filled_or_lines(data.exclusions, 1),
        Paragraph("Närstående som jag vill ska bjudas in", st["h2"]),
        *_filled_or_lines(data.relatives, 1),
        Paragraph("Hur länge samtycket gäller", st["h2"]),
    ]
    if data.given_on and data.valid_until:
        flow.append(Paragraph(
            f"Samtycket gäller från {written_date(data.given_on)} till och med "
            f"{written_date(data.valid_until)}.", st["body"]))
    else:
        flow.append(Paragraph(
            "Samtycket gäller från ____________ till och med ____________ "
            "(högst ett år från den dag du skriver under).", st["body"]))
    contact = esc(data.coordinator)
    if data.coordinator_phone:
        contact += f", telefon {esc(data.coordinator_phone)}"
    flow += [
        Paragraph("Du kan ta tillbaka ditt samtycke", st["h2"]),
        Paragraph(
            "Du kan när som helst ta tillbaka ditt samtycke, muntligt eller skriftligt. Kontakta "
            f"då {contact} ({esc(data.unit)}). Planen avslutas då. Det som redan har skrivits "
            "finns kvar.", st["body"]),
        Spacer(1, 3 * mm),
    ]
    intro: list[Flowable] = []
    if data.is_child:
        intro.append(Paragraph(
            "Barnet är under 18 år. Alla vårdnadshavare skriver under.", st["body"]))
        signers = [(f"Vårdnadshavare {n}", name) for n, name in enumerate(data.guardians, 1)]
    else:
        signers = [("Den enskilde", data.person_name)]
    signers.append(("Samtycket har tagits emot av", data.coordinator))
    flow.append(_signatures(signers, intro))
    return flow


def render_consent_form(case_id: int, target: Target, *, today: dt.date | None = None) -> None:
    """Write the consent form of a case as PDF to `target` (a path or a binary file)."""
    case = get_case(case_id)
    data = form_data(case, today=today)
    doc = SipDocTemplate(target, title=f"{TITLE} {data.case_number}",
                         letterhead=municipality_letterhead(data.unit))
    build(doc, story(data), for_person=True)  # the person reads and signs it
