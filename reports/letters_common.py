"""What every kallelse letter shares: the envelope window and the address in it, the kinds of
letter, the page furniture ("Sida X av Y" per letter), the letter's context (case, person,
meeting, convener), the convener's letterhead, the facts table and the signature.

Split from `reports.letters` (issue 11: no module over ~500 lines), which re-exports what
callers take from it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import Flowable, Paragraph, Spacer, Table, TableStyle

from sipdesk.casework import guardians, protected
from sipdesk.meetings.invitation import Meeting, Participant, participants_of
from sipdesk.plans import print_reads
from sipdesk.storage.models import Case, Person, PersonContact, PrincipalKind, User

from .base import (
    FONT,
    HEADER_HEIGHT,
    MARGIN,
    Letterhead,
    NumberedCanvas,
    SplittableTable,
    esc,
    fitted,
    municipality_letterhead,
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


# ---- the kinds of letter ------------------------------------------------------------------

class LetterKind(StrEnum):
    KALLELSE = "kallelse"
    INVITATION = "inbjudan"
    PERSON = "brev-till-den-enskilde"
    GUARDIAN = "brev-till-vardnadshavare"  # a child's guardian (reports.letters_child)
    CHILD = "brev-till-barnet"  # the child, from the age in the setting child_letter_age

    @property
    def label(self) -> str:
        return {"kallelse": "Kallelse", "inbjudan": "Inbjudan",
                "brev-till-den-enskilde": "Lättläst brev till den enskilde",
                "brev-till-vardnadshavare": "Brev till vårdnadshavare",
                "brev-till-barnet": "Brev till barnet"}[self.value]


@dataclass(frozen=True)
class Letter:
    """One letter to one recipient; `number` is the running number in file names."""

    kind: LetterKind
    recipient: str
    organisation: str  # the second line of the address block (a professional's unit)
    address: tuple[str, ...]
    participant_id: int | None
    number: int | None
    # To a protected person, via the coordinator (`forwarded_to`): no postal address to check.
    forwarded: bool = False
    guardian_id: int | None = None  # a letter to a child's guardian

    @property
    def address_missing(self) -> bool:
        return not self.address

    @property
    def postal_code_missing(self) -> bool:
        return (not self.forwarded and bool(self.address)
                and not any(_POSTAL_CODE.search(x) for x in self.address))

    def file_name(self, case_number: str) -> str:
        """No personal data: the kind, the case number and a running number."""
        if self.number is None:
            return f"{self.kind.value}-{case_number}.pdf"
        return f"{self.kind.value}-{case_number}-{self.number:02d}.pdf"


def person_address(person: Person) -> tuple[str, ...]:
    """The person's address lines; none for a protected identity (sipdesk.casework.protected):
    it is never printed, and a letter to them goes to the coordinator (`forwarded_to`)."""
    if protected.address_hidden(person):
        return ()
    city = f"{person.postal_code} {person.city}".strip()
    return tuple(x for x in (person.address.strip(), city) if x)


def forwarded_to(case: Case) -> tuple[str, tuple[str, ...]]:
    """The address block's second line and address of a letter to a protected person: their
    coordinator's unit, who sends it on — "c/o" the coordinator, "För vidarebefordran …"."""
    coordinator = print_reads.user_with_unit(case.coordinator_id)
    return (f"c/o {coordinator.full_name}, {coordinator.unit.name}",
            (protected.FORWARD_NOTE,))


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
                 info: Sequence[tuple[str, str]], forwarded: bool = False) -> None:
        super().__init__()
        self.forwarded = forwarded
        self.name = name
        self.organisation = organisation
        self.address = list(address)
        self.info = list(info)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame_top = MARGIN + HEADER_HEIGHT
        return availWidth, FIRST_BODY_TOP - frame_top

    def _address_paragraphs(self, size: float, *, clip: float | None = None,
                            keep: int | None = None) -> list[Paragraph]:
        """The address block at `size`; with `clip`, each line cut to one line of that width
        and only the first `keep` lines (the last of them ending in "…" when some are left
        out)."""
        style = ParagraphStyle("address", fontName=FONT, fontSize=size, leading=size * 1.2)
        note = ParagraphStyle("address-note", parent=style, fontName=f"{FONT}-Bold",
                              textColor=colors.HexColor("#a00000"), spaceBefore=size * 0.4)
        lines = [self.name] + ([self.organisation] if self.organisation else []) + self.address
        if clip is not None:
            kept = len(lines) if keep is None else keep
            lines = [fitted(x + ("…" if kept < len(lines) and n == kept - 1 else ""), FONT,
                            size, size, clip)[0] for n, x in enumerate(lines[:kept])]
        paragraphs = [Paragraph("<br/>".join(esc(x) for x in lines), style)]
        if not self.address:
            paragraphs.append(Paragraph(ADDRESS_MISSING, note))
        elif not self.forwarded and not any(_POSTAL_CODE.search(x) for x in self.address):
            paragraphs.append(Paragraph(POSTAL_CODE_MISSING, note))
        return paragraphs

    def _fitted_address(self, width: float, room: float
                        ) -> tuple[list[Paragraph], list[float]]:
        """The address at the largest size that fits the window. 11 pt reads well and suits
        the post's machines (10–12 pt); a long address shrinks rather than leaving the window,
        and one too long even at 8 pt is cut, line by line, rather than printed over the
        letter."""
        def measure(paragraphs: list[Paragraph]) -> list[float]:
            return [p.wrap(width, room)[1] + p.getSpaceBefore() for p in paragraphs]

        for size in (11.0, 10.0, 9.0, 8.0):
            paragraphs = self._address_paragraphs(size)
            heights = measure(paragraphs)
            if sum(heights) <= room:
                return paragraphs, heights
        lines = 1 + bool(self.organisation) + len(self.address)
        for keep in range(lines, 0, -1):
            paragraphs = self._address_paragraphs(8.0, clip=width, keep=keep)
            heights = measure(paragraphs)
            if sum(heights) <= room:
                break
        return paragraphs, heights

    def drawOn(self, canv: canvas.Canvas, x: float, y: float, _sW: float = 0) -> None:
        if isinstance(canv, LetterCanvas):
            canv.letter_starts_here = True
        _page_width, page_height = A4
        width = WINDOW_WIDTH - 2 * WINDOW_INSET
        room = WINDOW_HEIGHT - 2 * WINDOW_INSET
        paragraphs, heights = self._fitted_address(width, room)
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
    # For a child: who gets paper (sipdesk.casework.guardians.paper_for) and every guardian by id.
    paper: guardians.ChildPaper | None = None
    guardians: dict[int, PersonContact] = field(default_factory=dict)


def letter_context(meeting: Meeting, today: dt.date) -> LetterContext:
    case, person = print_reads.case_and_person(meeting.case_id)
    convener = print_reads.user_with_unit(meeting.created_by_id)
    every = guardians.guardians_of(person)
    paper = guardians.paper_for(person, on=meeting.starts_at.date(), guardians=every)
    return LetterContext(case=case, person=person, meeting=meeting,
                         convener=convener, convener_unit=convener.unit.name,
                         participants=participants_of(meeting), today=today,
                         paper=paper if paper.child else None,
                         guardians={g.id: g for g in every})


def convener_letterhead(ctx: LetterContext) -> Letterhead:
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


def signature(ctx: LetterContext, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    convener = ctx.convener
    title = ", ".join(x for x in (convener.profession, ctx.convener_unit) if x)
    return [Spacer(1, 2 * mm), Paragraph("Med vänliga hälsningar", st["body"]),
            Paragraph(f"{esc(convener.full_name)}<br/>{esc(title)}", st["body"])]


def facts_table(rows: list[tuple[str, str | Flowable]], st: dict[str, ParagraphStyle]) -> Table:
    """Label and value, the value already escaped (it may hold <br/>) or a flowable."""
    label = ParagraphStyle("fact-label", parent=st["body"], fontName=f"{FONT}-Bold")
    table = SplittableTable([[Paragraph(esc(caption), label),
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


def address_window(ctx: LetterContext, letter: Letter) -> AddressWindow:
    return AddressWindow(name=letter.recipient, organisation=letter.organisation,
                         address=letter.address, info=_info(ctx, letter),
                         forwarded=letter.forwarded)


def video_rows(ctx: LetterContext) -> list[tuple[str, str]]:
    link = ctx.meeting.video_link
    return [("Video", f"Det går också att delta via video: {esc(link)}")] if link else []
