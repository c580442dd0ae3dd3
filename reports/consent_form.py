"""Samtycke till samordnad individuell plan (SIP): the consent form on paper.

Filled in from the case's current consent when there is one; otherwise a form to fill in by
hand with every principal listed with an empty box. Plain words toward the person:
"verksamheter" with "huvudmän" explained once.

For a child (seed 002: every guardian with custody consents, each for themselves) the form is
the guardians': one form each, on its own page, addressed to the guardian by name ("mitt barn"),
with a place for that guardian's signature, and a part for the child's own view of the SIP —
whatever the age, and "ville inte säga något" is an answer too. A guardian who may not receive
information about the child gets no form (sipdesk.casework.guardians.paper_for; the Samtycke
tab says why); without a registered guardian the forms are blank, one for each of two.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sipdesk import clock
from sipdesk.casework import consent as consent_rules
from sipdesk.casework import guardians as guardian_rules
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
from .letters_common import LetterCanvas

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
    guardians: list[str]  # for a child: each informed guardian's name (a form each); blanks
    is_child: bool
    coordinator: str
    coordinator_phone: str
    unit: str
    child_first_name: str = ""
    child_view: str = ""  # the child's own view, as recorded with the consent
    adult_on: dt.date | None = None  # a child's 18th birthday: the guardians decide until then


def form_data(case: Case, *, today: dt.date | None = None) -> ConsentFormData:
    today = today or clock.today()
    person = case.person
    current = consent_rules.active_consent(case)
    chosen = {p.id for p in consent_rules.principals_of(current)} if current else set()
    principals = consent_rules.principal_choices()  # the order the consent dialog shows
    child = consent_rules.is_child(person, today)
    guardians: list[str] = []
    if child:
        paper = guardian_rules.paper_for(person, on=today)
        guardians = [g.name for g in paper.guardians] or ["", ""]
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
        child_first_name=person.first_name if child else "",
        child_view=current.child_view if current and child else "",
        adult_on=guardian_rules.adult_on(person) if child else None,
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


def _signatures(signers: list[tuple[str, str]], intro: list[Flowable], *,
                below: float = 5 * mm) -> Flowable:
    """Signature blocks two by two, kept together on one page with their introduction."""
    cells = [_signature_cell(title, name) for title, name in signers]
    if len(cells) % 2:
        cells.append([])
    rows = [cells[i:i + 2] for i in range(0, len(cells), 2)]
    table = Table(rows, colWidths=[87 * mm, 87 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), below),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return KeepTogether([*intro, table])


def _possessive(name: str) -> str:
    """Swedish genitive: "Livs", "Mats" (a name ending in s takes none)."""
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def _person_table(data: ConsentFormData) -> Flowable:
    st = styles()
    rows = [[Paragraph("Namn", st["small"]), Paragraph(esc(data.person_name), st["body"])],
            [Paragraph("Personnummer", st["small"]), Paragraph(esc(data.personal_number),
                                                               st["body"])],
            [Paragraph("Adress", st["small"]), Paragraph(esc(data.address) or BLANK,
                                                         st["body"])]]
    if data.phone or not data.is_child:  # a child's own phone only when registered
        rows.append([Paragraph("Telefon", st["small"]),
                     Paragraph(esc(data.phone) or BLANK, st["body"])])
    return SplittableTable(
        rows,
        colWidths=[35 * mm, 135 * mm], hAlign="LEFT",
        style=TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                          ("VALIGN", (0, 0), (-1, -1), "TOP")]),
    )


def _principal_boxes(data: ConsentFormData) -> list[Flowable]:
    st = styles()
    flow: list[Flowable] = [
        Paragraph("Verksamheter som får vara med", st["h2"]),
        Paragraph("Kommunen, regionen och andra som ansvarar för "
                  f"{'barnets' if data.is_child else 'ditt'} stöd kallas huvudmän.",
                  st["small"]),
    ]
    for box in data.principals:
        mark = BOX_TICKED if box.ticked else BOX_EMPTY
        flow.append(Paragraph(f"{mark}&nbsp;&nbsp;{esc(box.name)} "
                              f"<font size=8>({esc(box.kind.lower())})</font>", st["box"]))
    flow.append(Paragraph(f"{BOX_EMPTY}&nbsp;&nbsp;Annan: {BLANK}", st["box"]))
    return flow


def _how_long(data: ConsentFormData) -> list[Flowable]:
    st = styles()
    flow: list[Flowable] = [Paragraph("Hur länge samtycket gäller", st["h2"])]
    if data.given_on and data.valid_until:
        flow.append(Paragraph(
            f"Samtycket gäller från {written_date(data.given_on)} till och med "
            f"{written_date(data.valid_until)}.", st["body"]))
    else:
        flow.append(Paragraph(
            "Samtycket gäller från ____________ till och med ____________ "
            "(högst ett år från den dag du skriver under).", st["body"]))
    if data.is_child and data.adult_on is not None:
        first = esc(data.child_first_name)
        flow.append(Paragraph(
            f"Vårdnadshavarnas samtycke gäller längst till dagen innan {first} fyller 18 år "
            f"({written_date(data.adult_on)}). Sedan bestämmer {first} själv.", st["body"]))
    return flow


def _contact(data: ConsentFormData) -> str:
    """"Anna Berg, telefon 0000-12 34 56 (Hemtjänst Norr)", escaped."""
    contact = esc(data.coordinator)
    if data.coordinator_phone:
        contact += f", telefon {esc(data.coordinator_phone)}"
    return f"{contact} ({esc(data.unit)})"


def _withdraw(data: ConsentFormData) -> list[Flowable]:
    st = styles()
    return [
        Paragraph("Du kan ta tillbaka ditt samtycke", st["h2"]),
        Paragraph(
            "Du kan när som helst ta tillbaka ditt samtycke, muntligt eller skriftligt. Kontakta "
            f"då {_contact(data)}. Planen avslutas då. Det som redan har skrivits finns kvar.",
            st["body"]),
        Spacer(1, 3 * mm),
    ]


def story(data: ConsentFormData) -> list[Flowable]:
    """The adult's form; for a child, one form for each guardian (`guardian_story`)."""
    if data.is_child:
        flow: list[Flowable] = []
        for index, name in enumerate(data.guardians):
            if index:
                flow.append(PageBreak())
            flow += guardian_story(data, name)
        return flow
    st = styles()
    flow = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"Ärende {esc(data.case_number)}", st["small"]),
        Spacer(1, 3 * mm),
        Paragraph("Personuppgifter", st["h2"]),
        _person_table(data),
        Paragraph("Vad samtycket gäller", st["h2"]),
        Paragraph(
            "Jag samtycker till att en samordnad individuell plan (SIP) görs för mig, och till "
            "att de verksamheter som är ikryssade nedan får lämna och ta emot de uppgifter om "
            "mig som behövs för planen. Samtycket gäller den här frågan:", st["body"]),
        *_filled_or_lines(data.covers, 2),
        *_principal_boxes(data),
        Paragraph("Det här vill jag inte att samtycket ska gälla", st["h2"]),
        *_filled_or_lines(data.exclusions, 1),
        Paragraph("Närstående som jag vill ska bjudas in", st["h2"]),
        *_filled_or_lines(data.relatives, 1),
        *_how_long(data),
        *_withdraw(data),
    ]
    signers = [("Den enskilde", data.person_name),
               ("Samtycket har tagits emot av", data.coordinator)]
    flow.append(_signatures(signers, []))
    return flow


class _FormStarts(Flowable):
    """Marks the page where a guardian's own form begins: "Sida X av Y" counts per form
    (reports.letters_common.LetterCanvas), as each guardian gets only their own."""

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.letter_starts_here = True


def _inline(label: str, text: str) -> Flowable:
    """"<b>Label:</b> text" on one line, or a line to write on."""
    st = styles()
    return Paragraph(f"<b>{esc(label)}:</b> {esc(text) if text.strip() else BLANK}",
                     st["body"])


def guardian_story(data: ConsentFormData, guardian: str) -> list[Flowable]:
    """One guardian's own form for their child, on one page: to them by name (blank when no
    guardian is registered), the child's own view, and that guardian's signature."""
    st = styles()
    first = esc(data.child_first_name)
    to = (f"Till {esc(guardian)}, vårdnadshavare för {esc(data.person_name)}" if guardian
          else f"Till vårdnadshavare för {esc(data.person_name)}")
    if data.given_on and data.valid_until:
        period = (f"Samtycket gäller från {written_date(data.given_on)} till och med "
                  f"{written_date(data.valid_until)}.")
    else:
        period = "Samtycket gäller från ____________ till och med ____________ (högst ett år)."
    if data.adult_on is not None:
        period += (f" Vårdnadshavarnas samtycke gäller längst till dagen innan {first} fyller "
                   f"18 år ({written_date(data.adult_on)}). Sedan bestämmer {first} själv.")
    flow: list[Flowable] = [
        _FormStarts(),
        Paragraph(TITLE, st["title"]),
        Paragraph(f"{to} · Ärende {esc(data.case_number)}", st["small"]),
        Paragraph("Varje vårdnadshavare samtycker på sin egen blankett — det här är din.",
                  st["body"]),
        Spacer(1, 2 * mm),
        _person_table(data),
        Paragraph("Vad samtycket gäller", st["h2"]),
        Paragraph(
            f"Jag är vårdnadshavare för {first} och samtycker till att en samordnad individuell "
            f"plan (SIP) görs för {first}, och till att de verksamheter som är ikryssade nedan "
            f"får lämna och ta emot de uppgifter om {first} som behövs för planen. Samtycket "
            "gäller den här frågan:", st["body"]),
        *_filled_or_lines(data.covers, 2),
        *_principal_boxes(data),
        Spacer(1, 2 * mm),
        _inline("Det här vill jag inte att samtycket ska gälla", data.exclusions),
        _inline("Närstående som jag vill ska bjudas in", data.relatives),
        KeepTogether([
            Paragraph(f"Vad tycker {first}?", st["h2"]),
            Paragraph(
                f"{_possessive(data.child_first_name)} egen åsikt om SIP:en är viktig, hur gammal "
                f"{first} än är. Skriv gärna med {_possessive(data.child_first_name)} egna ord "
                f"vad {first} tycker och önskar. {first} behöver inte tycka något — det är "
                "också ett svar.", st["body"]),
            *_filled_or_lines(data.child_view, 2),
            Paragraph(f"{BOX_EMPTY}&nbsp;&nbsp;{first} ville inte säga något, och det är okej.",
                      st["box"]),
        ]),
        Spacer(1, 2 * mm),
        Paragraph(f"<b>Hur länge samtycket gäller.</b> {period}", st["body"]),
        Paragraph(f"<b>Du kan ta tillbaka ditt samtycke</b> när som helst, muntligt eller "
                  f"skriftligt. Kontakta då {_contact(data)}. Planen avslutas då. Det som "
                  "redan har skrivits finns kvar.", st["body"]),
    ]
    signers = [("Vårdnadshavare", guardian),
               ("Samtycket har tagits emot av", data.coordinator)]
    flow.append(_signatures(signers, [], below=0))  # the page's last thing: no room below
    return flow


def render_consent_form(case_id: int, target: Target, *, today: dt.date | None = None) -> None:
    """Write the consent form of a case as PDF to `target` (a path or a binary file)."""
    case = get_case(case_id)
    data = form_data(case, today=today)
    doc = SipDocTemplate(target, title=f"{TITLE} {data.case_number}",
                         letterhead=municipality_letterhead(data.unit))
    if data.is_child:  # one form for each guardian, each numbered on its own
        doc.build(story(data), canvasmaker=LetterCanvas)
    else:
        build(doc, story(data), for_person=True)  # the person reads and signs it
