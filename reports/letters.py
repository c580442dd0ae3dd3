"""Letters for a kallelse (DOMAIN.md step 4, seeds 000 "Kallelse" and 003 step 2): what goes by
post to those who are not in sipdesk.

- a **kallelse** to each representative of a principal without an account whose invitation
  goes by letter: the case, when, where, the purpose, who else is called, the proposed staff
  meeting, the duty to attend or send a substitute, and whom to answer;
- an **inbjudan** to the others without an account (relatives, an interpreter): friendlier, what
  a SIP is in one sentence, when and where, whom to call. It leaves the purpose out: that is the
  person's to share, and the interpreter needs only the time, the place and the language;
- an **easy-read letter to the person** (always offered): 16 pt and up, short sentences, one idea
  on each line, no abbreviations; any abbreviation in text someone typed (the purpose, a role)
  is explained at the end.

Every letter starts on a new page with the recipient's address placed for a window envelope
(see WINDOW_* below); a recipient without an address gets a clear note in the window instead of
a blank. One PDF per recipient or all in one; file names carry the case number and a running
number, never a name. Pages are numbered per letter ("Sida 1 av 2" of *that* letter), also when
all letters are in one file.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sipdesk import clock, print_reads
from sipdesk.errors import ValidationError
from sipdesk.invitation import (
    HowInvited,
    Meeting,
    Participant,
    ParticipantKind,
    participants_of,
)
from sipdesk.models import Case, Person, PrincipalKind, User

from .base import (
    FONT,
    HEADER_HEIGHT,
    MARGIN,
    Letterhead,
    NumberedCanvas,
    SipDocTemplate,
    esc,
    municipality_letterhead,
    styles,
    written_date,
    written_date_with_weekday,
)

# ---- the envelope window ------------------------------------------------------------------
#
# Where the address must sit so that it shows through the window of a C5 envelope (A4 folded
# once) or a C4 envelope (A4 flat), window on the left. Measured from the sheet's top-left
# corner. Sources, and why these numbers:
# - Swedish envelopes come with a left window (V2) or a right window (H2) at positions fixed by
#   a Swedish standard, the same for every envelope size (harrykuvert.se, "Kuvertguide",
#   "Fönsterplacering"). We use the left one: the Nordic letter standards place the address
#   there, and it is where the address sits on an A4 folded once for C5.
# - Nordic window envelopes: window 15 mm from the left edge; for C5 the window's top is 44 mm
#   from the top of the sheet and it is 105 × 35 mm (officeconsult.no, "Brevmaler: plassering
#   av mottakerfelt i vinduskonvolutter"). Finland's SFS 2487 puts the address field 20 mm
#   from the left edge and about 45 mm from the top so that C5 and E65 windows both show it.
# - DIN 5008 form B / DIN 680 windows (common in Swedish office supply too): address field
#   45 mm from the top, 20 mm from the left, 85 × 45 mm.
# The address therefore stays inside the rectangle these windows share: 20–105 mm from the
# left and 45–79 mm from the top (85 × 34 mm), and the text keeps a further 3 mm inside it
# because a folded sheet moves a little in the envelope. We could not read the Swedish
# standard itself (SIS); check one printed letter against the envelopes actually in use.
WINDOW_LEFT = 20 * mm
WINDOW_TOP = 45 * mm
WINDOW_WIDTH = 85 * mm
WINDOW_HEIGHT = 34 * mm
WINDOW_INSET = 3 * mm
# The right-hand column beside the window: date and case number.
INFO_LEFT = 122 * mm
# Where the letter's text begins on its first page: below the tallest common window (DIN,
# 45 mm high, so down to 90 mm), so the envelope shows the address and nothing of the letter.
FIRST_BODY_TOP = 91 * mm

ADDRESS_MISSING = "Adress saknas — lämnas eller skickas på annat sätt"
POSTAL_CODE_MISSING = "Postnummer saknas — kontrollera adressen"
_POSTAL_CODE = re.compile(r"\b\d{3} ?\d{2}\b")

# Abbreviations someone may type into the purpose or a role; the easy-read letter explains
# each one it contains ("SIP" is explained in the letter's own text).
PLAIN_WORDS = {
    "HSL": "hälso- och sjukvårdslagen, lagen om vård",
    "SoL": "socialtjänstlagen, lagen om stöd från kommunen",
    "LSS": "lagen om stöd och service till personer med funktionsnedsättning",
    "ASIH": "avancerad sjukvård i hemmet",
    "MAS": "medicinskt ansvarig sjuksköterska",
    "LUS": "lagen om samverkan vid utskrivning från sjukhus",
    "BUP": "barn- och ungdomspsykiatrin",
    "VC": "vårdcentral",
    "OT": "arbetsterapeut",
    "ssk": "sjuksköterska",
    "dsk": "distriktssköterska",
    "usk": "undersköterska",
}
_PLAIN_WORD = re.compile(r"\b(" + "|".join(PLAIN_WORDS) + r")\b")


def hhmm(moment: dt.datetime) -> str:
    """Swedish style: 13.00."""
    return f"{moment:%H.%M}"


def when_text(meeting: Meeting) -> str:
    return (f"{written_date_with_weekday(meeting.starts_at.date())}, "
            f"kl. {hhmm(meeting.starts_at)}–{hhmm(meeting.ends_at)}")


def address_lines(text: str) -> list[str]:
    """A free-text postal address as lines: one per line typed, or split at commas."""
    lines = [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]
    if len(lines) == 1 and "," in lines[0]:
        lines = [part.strip() for part in lines[0].split(",") if part.strip()]
    return lines


# ---- who gets which letter ----------------------------------------------------------------

class LetterKind(StrEnum):
    KALLELSE = "kallelse"
    INVITATION = "inbjudan"
    PERSON = "brev-till-den-enskilde"

    @property
    def label(self) -> str:
        return {"kallelse": "Kallelse", "inbjudan": "Inbjudan",
                "brev-till-den-enskilde": "Lättläst brev till den enskilde"}[self.value]


@dataclass(frozen=True)
class Letter:
    """One letter to one recipient; `number` is the running number in file names."""

    kind: LetterKind
    recipient: str
    organisation: str  # the second line of the address block (a professional's unit)
    address: tuple[str, ...]
    participant_id: int | None
    number: int | None

    @property
    def address_missing(self) -> bool:
        return not self.address

    @property
    def postal_code_missing(self) -> bool:
        return bool(self.address) and not any(_POSTAL_CODE.search(x) for x in self.address)

    def file_name(self, case_number: str) -> str:
        """No personal data: the kind, the case number and a running number."""
        if self.number is None:
            return f"{self.kind.value}-{case_number}.pdf"
        return f"{self.kind.value}-{case_number}-{self.number:02d}.pdf"


def _person_address(person: Person) -> tuple[str, ...]:
    city = f"{person.postal_code} {person.city}".strip()
    return tuple(x for x in (person.address.strip(), city) if x)


def planned_letters(meeting: Meeting, *, include_person: bool = True) -> list[Letter]:
    """The letters a meeting needs: the person's, then a kallelse to each professional without
    an account and an inbjudan to each relative or interpreter, all invited by letter."""
    person = print_reads.case_and_person(meeting.case_id)[1]
    letters: list[Letter] = []
    if include_person:
        letters.append(Letter(LetterKind.PERSON, person.full_name, "", _person_address(person),
                              None, None))
    by_post = [p for p in participants_of(meeting)
               if not p.has_account and p.how_invited == HowInvited.LETTER.value
               and p.kind != ParticipantKind.PERSON.value]
    order = {ParticipantKind.PROFESSIONAL.value: 0, ParticipantKind.INTERPRETER.value: 1,
             ParticipantKind.RELATIVE.value: 2}
    by_post.sort(key=lambda p: (order.get(p.kind, 3), p.name.casefold(), p.id))
    for number, p in enumerate(by_post, start=1):
        kind = (LetterKind.KALLELSE if p.kind == ParticipantKind.PROFESSIONAL.value
                else LetterKind.INVITATION)
        organisation = p.unit_name if p.kind != ParticipantKind.RELATIVE.value else ""
        address = tuple(x for x in address_lines(p.address) if x != organisation)
        letters.append(Letter(kind, p.name, organisation, address, p.id, number))
    return letters


# ---- page furniture -----------------------------------------------------------------------

class LetterCanvas(NumberedCanvas):
    """"Sida X av Y" counted per letter: a letter's address window marks its first page."""

    for_staff = False  # the print date written out, like the rest of the letter

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.letter_starts_here = False

    def showPage(self) -> None:
        super().showPage()
        self.letter_starts_here = False

    def save(self) -> None:
        pages = self._pages
        starts = [i for i, page in enumerate(pages) if page.get("letter_starts_here")]
        if not starts or starts[0] != 0:
            starts.insert(0, 0)
        bounds = [*starts, len(pages)]
        for first, end in itertools.pairwise(bounds):
            for index in range(first, end):
                self.__dict__.update(pages[index])
                self._footer(index - first + 1, end - first)
                canvas.Canvas.showPage(self)
        canvas.Canvas.save(self)


class AddressWindow(Flowable):
    """The top of a letter's first page: the address where the envelope window is, the date and
    the case number beside it. Drawn at fixed places on the sheet whatever the frame does; it
    is always the first thing on a page, and its height pushes the text below the window."""

    def __init__(self, *, name: str, organisation: str, address: Sequence[str],
                 info: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self.name = name
        self.organisation = organisation
        self.address = list(address)
        self.info = list(info)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame_top = MARGIN + HEADER_HEIGHT
        return availWidth, FIRST_BODY_TOP - frame_top

    def _address_paragraphs(self, size: float) -> list[Paragraph]:
        style = ParagraphStyle("address", fontName=FONT, fontSize=size, leading=size * 1.2)
        note = ParagraphStyle("address-note", parent=style, fontName=f"{FONT}-Bold",
                              textColor=colors.HexColor("#a00000"), spaceBefore=size * 0.4)
        lines = [self.name] + ([self.organisation] if self.organisation else []) + self.address
        paragraphs = [Paragraph("<br/>".join(esc(x) for x in lines), style)]
        if not self.address:
            paragraphs.append(Paragraph(ADDRESS_MISSING, note))
        elif not any(_POSTAL_CODE.search(x) for x in self.address):
            paragraphs.append(Paragraph(POSTAL_CODE_MISSING, note))
        return paragraphs

    def drawOn(self, canv: canvas.Canvas, x: float, y: float, _sW: float = 0) -> None:
        if isinstance(canv, LetterCanvas):
            canv.letter_starts_here = True
        _page_width, page_height = A4
        width = WINDOW_WIDTH - 2 * WINDOW_INSET
        room = WINDOW_HEIGHT - 2 * WINDOW_INSET
        # 11 pt reads well and suits the post's machines (10–12 pt); a long address shrinks
        # rather than leaving the window.
        for size in (11.0, 10.0, 9.0, 8.0):
            paragraphs = self._address_paragraphs(size)
            heights = [p.wrap(width, room)[1] + p.getSpaceBefore() for p in paragraphs]
            if sum(heights) <= room:
                break
        top = page_height - WINDOW_TOP - WINDOW_INSET
        for paragraph, height in zip(paragraphs, heights, strict=True):
            top -= height
            paragraph.drawOn(canv, WINDOW_LEFT + WINDOW_INSET, top)
        label = ParagraphStyle("info-label", fontName=FONT, fontSize=8, leading=10,
                               textColor=colors.HexColor("#444444"))
        value = ParagraphStyle("info-value", fontName=FONT, fontSize=10, leading=12.5)
        top = page_height - WINDOW_TOP - WINDOW_INSET
        info_width = A4[0] - MARGIN - INFO_LEFT
        for caption, text in self.info:
            for paragraph in (Paragraph(esc(caption), label), Paragraph(esc(text), value)):
                top -= paragraph.wrap(info_width, room)[1]
                paragraph.drawOn(canv, INFO_LEFT, top)
            top -= 2 * mm

    def draw(self) -> None:  # everything happens in drawOn, on the page's own coordinates
        pass


# ---- the texts ----------------------------------------------------------------------------

@dataclass(frozen=True)
class LetterContext:
    case: Case
    person: Person
    meeting: Meeting
    convener: User
    convener_unit: str
    participants: list[Participant]
    today: dt.date


def _context(meeting: Meeting, today: dt.date) -> LetterContext:
    case, person = print_reads.case_and_person(meeting.case_id)
    convener = print_reads.user_with_unit(meeting.created_by_id)
    return LetterContext(case=case, person=person, meeting=meeting,
                         convener=convener, convener_unit=convener.unit.name,
                         participants=participants_of(meeting), today=today)


def _letterhead(ctx: LetterContext) -> Letterhead:
    """The convener's organisation: the municipality's letterhead (with its logo) for a
    municipal convener, the principal's name otherwise."""
    unit = ctx.convener.unit
    principal = unit.principal
    base = municipality_letterhead(unit.name)
    if principal.kind == PrincipalKind.MUNICIPALITY.value:
        return Letterhead(principal.name, unit.name, base.logo)
    return Letterhead(principal.name, unit.name)


def _info(ctx: LetterContext, letter: Letter) -> list[tuple[str, str]]:
    """Beside the window: the date and the case number, which the recipient quotes when
    calling. Every letter writes the date out, like the meeting day in its text (reports.base:
    letters go to people outside the office)."""
    return [("Datum", written_date(ctx.today)), ("Ärende", ctx.case.number)]


def _participant_line(p: Participant) -> str:
    """A participant as the professionals read it: name, role, organisation."""
    if p.kind == ParticipantKind.PERSON.value:
        return f"{p.name} (den enskilde)"
    if p.kind == ParticipantKind.RELATIVE.value:
        return f"{p.name} (närstående{', ' + p.role.lower() if p.role else ''})"
    if p.kind == ParticipantKind.INTERPRETER.value:
        return f"{p.name} (tolk{', ' + p.unit_name if p.unit_name else ''})"
    return ", ".join([p.name] + [x for x in (p.role.lower(), p.unit_name or p.principal_name)
                                 if x])


def _plain_participant_line(p: Participant) -> str:
    """A participant in plain words for the person: "Per Nord, sjuksköterska på vårdcentralen"."""
    if p.kind == ParticipantKind.RELATIVE.value:
        return f"{p.name}, din {p.role.lower()}" if p.role else p.name
    if p.kind == ParticipantKind.INTERPRETER.value:
        return f"{p.name}, tolk som hjälper oss att förstå varandra"
    role = p.role.strip().lower()
    if role and p.unit_name:
        return f"{p.name}, {role} på {p.unit_name}"
    if p.unit_name:
        return f"{p.name} från {p.unit_name}"
    return f"{p.name}, {role}" if role else p.name


def _contact_text(ctx: LetterContext) -> str:
    convener = ctx.convener
    text = f"{convener.full_name}, {ctx.convener_unit}"
    if convener.phone:
        text += f", telefon {convener.phone}"
    if convener.email:
        text += f", e-post {convener.email}"
    return text


def _signature(ctx: LetterContext, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    convener = ctx.convener
    title = ", ".join(x for x in (convener.profession, ctx.convener_unit) if x)
    return [Spacer(1, 2 * mm), Paragraph("Med vänliga hälsningar", st["body"]),
            Paragraph(f"{esc(convener.full_name)}<br/>{esc(title)}", st["body"])]


def _facts(rows: list[tuple[str, str | Flowable]], st: dict[str, ParagraphStyle]) -> Table:
    """Label and value, the value already escaped (it may hold <br/>) or a flowable."""
    label = ParagraphStyle("fact-label", parent=st["body"], fontName=f"{FONT}-Bold")
    table = Table([[Paragraph(esc(caption), label),
                    Paragraph(value, st["body"]) if isinstance(value, str) else value]
                   for caption, value in rows],
                  colWidths=[42 * mm, A4[0] - 2 * MARGIN - 42 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


def _invited_list(lines: list[str], st: dict[str, ParagraphStyle]) -> str | Flowable:
    """Up to five names one per line; more in two columns, so the kallelse stays on one page."""
    if len(lines) <= 5:
        return "<br/>".join(esc(line) for line in lines) or "–"
    small = ParagraphStyle("invited", parent=st["body"], fontSize=st["body"].fontSize - 1,
                           leading=st["body"].leading - 1.5)
    half = (len(lines) + 1) // 2
    columns = ["<br/>".join(esc(line) for line in part) for part in (lines[:half], lines[half:])]
    width = (A4[0] - 2 * MARGIN - 42 * mm) / 2
    table = Table([[Paragraph(columns[0], small), Paragraph(columns[1], small)]],
                  colWidths=[width, width], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _window(ctx: LetterContext, letter: Letter) -> AddressWindow:
    return AddressWindow(name=letter.recipient, organisation=letter.organisation,
                         address=letter.address, info=_info(ctx, letter))


def _home_place(ctx: LetterContext) -> str:
    address = ", ".join(_person_address(ctx.person))
    return f"Hemma hos {ctx.person.full_name}" + (f", {address}" if address else "")


def _video_rows(ctx: LetterContext) -> list[tuple[str, str]]:
    link = ctx.meeting.video_link
    return [("Video", f"Det går också att delta via video: {esc(link)}")] if link else []


def kallelse_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = styles()
    meeting = ctx.meeting
    follow_up = "uppföljning av " if meeting.follow_up else ""
    others = [p for p in ctx.participants if p.id != letter.participant_id]
    if meeting.staff_meeting_at:
        staff = (f"{esc(written_date_with_weekday(meeting.staff_meeting_at.date()))}, kl. "
                 f"{hhmm(meeting.staff_meeting_at)}, {esc(meeting.staff_meeting_place)}. "
                 "Alla kallade huvudmän bör delta; där utses ordförande för SIP-mötet.")
    else:
        staff = "Inget tjänstemannamöte är planerat före SIP-mötet."
    rows = [
        ("Den enskilde", f"{esc(ctx.person.full_name)}, {esc(ctx.person.personal_number)}"),
        ("Tid", esc(when_text(meeting))),
        ("Plats", esc(meeting.place)),
        *_video_rows(ctx),
        ("Syfte och frågor", esc(meeting.purpose)),
        ("Tjänstemannamöte", staff),
        ("Kallade", _invited_list([_participant_line(p) for p in others], st)),
    ]
    return [
        _window(ctx, letter),
        Paragraph(f"Kallelse till {follow_up}SIP-möte", st["title"]),
        Paragraph(
            "Du kallas till ett möte om en samordnad individuell plan (SIP), där kommunen och "
            "regionen tillsammans med den enskilde bestämmer vem som gör vad "
            "(socialtjänstlagen 2 kap. 7 §, hälso- och sjukvårdslagen 16 kap. 4 §).", st["body"]),
        Spacer(1, 1 * mm),
        _facts(rows, st),
        Paragraph("Delta eller skicka en ersättare", st["h2"]),
        Paragraph(
            "Varje huvudman som kallas till en SIP är skyldig att delta. Kan du inte komma: "
            "utse en ersättare och meddela ersättarens namn och telefonnummer. Uteblir en "
            "kallad huvudman skrivs en avvikelse.", st["body"]),
        Paragraph("Inför mötet", st["h2"]),
        Paragraph(
            "Ta med vad din verksamhet vet om den enskildes nuvarande situation och vilka "
            "insatser ni kan erbjuda.", st["body"]),
        KeepTogether([
            Paragraph("Svara", st["h2"]),
            Paragraph(
                f"Svara så snart du kan om du kommer, eller vem som kommer i ditt ställe, till "
                f"{esc(_contact_text(ctx))}.", st["body"]),
            *_signature(ctx, st),
        ]),
    ]


SIP_IN_ONE_SENTENCE = (
    "En samordnad individuell plan (SIP) är en plan där den enskilde, kommunen och regionen "
    "tillsammans bestämmer vem som gör vad, så att hjälpen hänger ihop.")


def invitation_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = styles()
    meeting = ctx.meeting
    participant = next(p for p in ctx.participants if p.id == letter.participant_id)
    place = _home_place(ctx) if meeting.at_home else meeting.place
    rows = [("När", esc(when_text(meeting))), ("Var", esc(place)), *_video_rows(ctx)]
    convener = ctx.convener
    phone = f" på telefon {esc(convener.phone)}" if convener.phone else ""
    first_name = letter.recipient.split()[0] if letter.recipient.split() else ""
    if participant.kind == ParticipantKind.INTERPRETER.value:
        title = "Inbjudan: tolkning vid ett SIP-möte"
        intro = [
            Paragraph(f"Hej {esc(first_name)}!", st["body"]),
            Paragraph(
                f"Du är välkommen som tolk till ett möte med {esc(ctx.person.full_name)}.",
                st["body"]),
        ]
        language = ctx.person.language.strip()
        if language and language.casefold() != "svenska":
            rows.insert(0, ("Språk", esc(language)))
    else:
        title = "Inbjudan till ett möte om vård och omsorg"
        intro = [
            Paragraph(f"Hej {esc(first_name)}!", st["body"]),
            Paragraph(
                f"Du är välkommen till ett möte om stödet till {esc(ctx.person.full_name)}, "
                f"som gärna vill att du är med.", st["body"]),
        ]
    return [
        _window(ctx, letter),
        Paragraph(title, st["title"]),
        *intro,
        Paragraph(SIP_IN_ONE_SENTENCE, st["body"]),
        Spacer(1, 2 * mm),
        _facts(rows, st),
        Spacer(1, 2 * mm),
        KeepTogether([
            Paragraph(
                f"Kan du inte komma, eller har du frågor? Ring {esc(convener.full_name)}"
                f"{phone}.", st["body"]),
            *_signature(ctx, st),
        ]),
    ]


def easy_read_styles() -> dict[str, ParagraphStyle]:
    """Large type for the person: body 16 pt, headings 19 pt, title 22 pt."""
    base = styles(large=True)["body"]
    body = ParagraphStyle("easy-body", parent=base, fontSize=16, leading=23, spaceAfter=4)
    return {
        "body": body,
        "title": ParagraphStyle("easy-title", parent=body, fontName=f"{FONT}-Bold",
                                fontSize=22, leading=28, spaceAfter=10),
        "h2": ParagraphStyle("easy-h2", parent=body, fontName=f"{FONT}-Bold", fontSize=19,
                             leading=25, spaceBefore=12, spaceAfter=4, keepWithNext=True),
        "item": ParagraphStyle("easy-item", parent=body, leftIndent=7 * mm,
                               firstLineIndent=-5 * mm, spaceAfter=3),
    }


def _abbreviations(texts: Sequence[str]) -> list[str]:
    found: list[str] = []
    for text in texts:
        for match in _PLAIN_WORD.finditer(text):
            if match.group(1) not in found:
                found.append(match.group(1))
    return found


def person_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = easy_read_styles()
    meeting = ctx.meeting
    convener = ctx.convener

    def section(heading: str, *lines: str) -> KeepTogether:
        return KeepTogether([Paragraph(heading, st["h2"]),
                             *[Paragraph(line, st["body"]) for line in lines]])

    if meeting.at_home:
        where = ["Vi kommer hem till dig."]
    else:
        where = ["Mötet är här:", esc(meeting.place)]
    if meeting.video_link:
        where += ["Du kan också vara med via video på datorn.",
                  f"Länken är: {esc(meeting.video_link)}"]
    others = [p for p in ctx.participants if p.kind != ParticipantKind.PERSON.value]
    # The list of people may be long: it may go on over a page (the heading stays with the
    # first name), unlike the short sections that are kept whole.
    who: list[Flowable] = [Paragraph("Vilka kommer?", st["h2"])]
    who += [Paragraph(f"•&nbsp;&nbsp;{esc(_plain_participant_line(p))}", st["item"])
            for p in others]
    words = _abbreviations([meeting.purpose, meeting.place,
                            *[f"{p.role} {p.unit_name}" for p in others]])
    flow: list[Flowable] = [
        _window(ctx, letter),
        Paragraph("Välkommen till ett möte om din hjälp", st["title"]),
        Paragraph(f"Hej {esc(ctx.person.first_name)}!", st["body"]),
        Paragraph("Vi vill träffa dig.", st["body"]),
        Paragraph("Vi ska prata om din vård och omsorg.", st["body"]),
        *[Paragraph(line, st["body"]) for line in (
            ("Du har en plan för din vård och omsorg (SIP).",
             "Vi ska se om planen behöver ändras.") if meeting.follow_up else
            ("Vi gör en plan för din vård och omsorg (SIP).",
             "Vi gör planen tillsammans med dig."))],
        section("När är mötet?",
                esc(written_date_with_weekday(meeting.starts_at.date()).capitalize()),
                f"Klockan {hhmm(meeting.starts_at)} till {hhmm(meeting.ends_at)}"),
        section("Var är mötet?", *where),
        *(who if others else []),
        section("Vad ska vi prata om?", esc(meeting.purpose)),
    ]
    if words:
        flow.append(section("Det här betyder orden",
                            *[f"{word} betyder {esc(PLAIN_WORDS[word])}." for word in words]))
    call = [f"Ring {esc(convener.full_name)}."]
    if convener.phone:
        call.append(f"Telefon: {esc(convener.phone)}")
    flow += [
        section("Det är ditt möte", "Vi vill höra vad du tycker.",
                "Du får ha med dig någon som du litar på."),
        KeepTogether([
            Paragraph("Har du frågor?", st["h2"]),
            *[Paragraph(line, st["body"]) for line in call],
            Paragraph("Ring också om du inte kan komma.", st["body"]),
            Spacer(1, 6 * mm),
            Paragraph(f"Hälsningar<br/>{esc(convener.full_name)}", st["body"]),
        ]),
    ]
    return flow


_STORIES = {
    LetterKind.KALLELSE: kallelse_story,
    LetterKind.INVITATION: invitation_story,
    LetterKind.PERSON: person_story,
}


# ---- rendering ----------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    return print_reads.meeting_for_letters(meeting_id)


def _write(path: Path, *, title: str, ctx: LetterContext, letters: Sequence[Letter]) -> None:
    doc = SipDocTemplate(path, title=title, letterhead=_letterhead(ctx),
                         subject=f"Ärende {ctx.case.number}")
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story += _STORIES[letter.kind](ctx, letter)
    doc.build(story, canvasmaker=LetterCanvas)


def all_in_one_name(case_number: str) -> str:
    return f"brev-{case_number}.pdf"


def render_letters(meeting_id: int, target: str | Path, *, one_file: bool,
                   include_person: bool = True, today: dt.date | None = None) -> list[Path]:
    """Write the meeting's letters and return the files written.

    `one_file`: all letters in one PDF — `target` is that file, or a folder to put
    brev-SIP-…pdf in. Otherwise one PDF per recipient in the folder `target` (created when
    its parent exists)."""
    meeting = _meeting(meeting_id)
    ctx = _context(meeting, today or clock.today())
    letters = planned_letters(meeting, include_person=include_person)
    if not letters:
        raise ValidationError("Ingen ska ha brev: alla är inbjudna i sipdesk, per telefon "
                              "eller per e-post.")
    target = Path(target)
    number = ctx.case.number
    if one_file:
        path = target / all_in_one_name(number) if target.is_dir() else target
        _write(path, title=f"Brev till SIP-möte {number}", ctx=ctx, letters=letters)
        return [path]
    target.mkdir(exist_ok=True)
    written = []
    for letter in letters:
        path = target / letter.file_name(number)
        titles = {LetterKind.KALLELSE: f"Kallelse till SIP-möte {number}",
                  LetterKind.INVITATION: f"Inbjudan till SIP-möte {number}",
                  LetterKind.PERSON: f"Välkommen till ett möte om din hjälp ({number})"}
        _write(path, title=titles[letter.kind], ctx=ctx, letters=[letter])
        written.append(path)
    return written
