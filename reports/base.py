"""The base of every printed document: the municipality's letterhead, a bundled Unicode font
(DejaVu Sans, resources/fonts, with its licence), "Sida X av Y" and the print date on every
page, escaping of user text before it enters a Paragraph, and the two ways dates are written.

ReportLab is imported here, and `reports` is imported only when the user prints.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Table

from sipdesk import clock, settings
from sipdesk.paths import resource_dir
from sipdesk.plans import print_reads
from sipdesk.rules.workdays import long_date

FONT = "DejaVuSans"
_FONT_FILES = {
    FONT: "DejaVuSans.ttf",
    f"{FONT}-Bold": "DejaVuSans-Bold.ttf",
    f"{FONT}-Oblique": "DejaVuSans-Oblique.ttf",
    f"{FONT}-BoldOblique": "DejaVuSans-BoldOblique.ttf",
}
MARGIN = 18 * mm
HEADER_HEIGHT = 20 * mm
BODY_HEIGHT = A4[1] - 2 * MARGIN - HEADER_HEIGHT  # the frame every page's text flows in
BOX_EMPTY = "\u2610"  # ☐
BOX_TICKED = "\u2612"  # ☒

Target = str | Path | IO[bytes]


def register_fonts() -> None:
    """Register the bundled family once (bold and italic resolve inside <b>/<i>)."""
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    folder = resource_dir() / "fonts"
    for name, filename in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / filename)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=f"{FONT}-Bold",
                                  italic=f"{FONT}-Oblique", boldItalic=f"{FONT}-BoldOblique")


# ---- dates -------------------------------------------------------------------------------------
#
# One style per audience. What goes to people outside the office writes the date out,
# "3 december 2026": every letter (the kallelse to another principal, the inbjudan, the easy-read
# letter, the letter after "Avstå från SIP") and the person's own documents (the consent form
# they sign, the easy-read plan). Everyone reads that form the same way, it reads aloud easily,
# and it matches the meeting day in the text ("torsdag 10 december 2026"). Documents for staff
# (the plan and its tables) use the ISO form, "2026-12-03": short, sortable, as on the screens.
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def written_date(day: dt.date) -> str:
    """"3 december 2026", for letters and the person (no locale needed; the core's form, as in
    the kallelse's time warnings)."""
    return long_date(day)


def written_date_with_weekday(day: dt.date) -> str:
    """"torsdag 3 december 2026": the written form, for a meeting day."""
    return f"{WEEKDAYS[day.weekday()]} {written_date(day)}"


def iso_date(day: dt.date | None) -> str:
    """"2026-12-03", for staff documents and tables; empty for no date."""
    return f"{day:%Y-%m-%d}" if day else ""


def esc(text: str | None) -> str:
    """User text made safe for a Paragraph: markup escaped, line breaks kept."""
    return html.escape(text or "", quote=False).replace("\n", "<br/>")


# ---- long text ---------------------------------------------------------------------------------
#
# Every document prints whatever the input limits allow (issue 13): a name of 200 characters
# without a space, an intervention of 20,000. A Paragraph breaks a word longer than its line
# (ReportLab's splitLongWords, on by default), and flows on over as many pages as it needs; a
# table row cannot, unless the table may split inside it. `SplittableTable` lets it, and only
# for a row too tall to keep whole: every table of normal rows breaks between rows as before.
TALL_ROW = BODY_HEIGHT / 3
# The least of a tall row worth starting at the foot of a page (three lines of body text); with
# less room left the row starts on the next page.
ROW_START = 36.0


class SplittableTable(Table):
    """A Table whose rows may be taller than a page.

    It splits between rows as a Table does. When no row boundary fits — the next row is taller
    than the room left — a row taller than a third of a page is split inside itself (ReportLab's
    in-row split: each cell's paragraphs continue in the same row on the next page, under the
    repeated header rows); a shorter row moves to the next page whole, as it always did.
    A cell that is a single flowable is held in a list: ReportLab splits a row only through
    cells that are strings or lists of flowables (it would drop a bare flowable's text)."""

    def __init__(self, data: Any, *args: Any, **kwargs: Any) -> None:
        if not kwargs.get("normalizedData"):
            data = [[[cell] if isinstance(cell, Flowable) else cell for cell in row]
                    for row in data]
        super().__init__(data, *args, **kwargs)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self._calc(availWidth, availHeight)
        used = 0.0
        for height in self._rowHeights:
            if used + height > availHeight:
                # Split inside the tall row right here: splitting before it would only move it
                # to the next page, under a second copy of the header rows.
                if height > TALL_ROW and availHeight - used >= ROW_START:
                    parts = self._splitRows(availHeight, doInRowSplit=1)
                    if parts:
                        return parts
                break
            used += height
        return super().split(availWidth, availHeight)  # between rows (splitInRow stays 0)


def fitted(text: str, font: str, size: float, smallest: float, width: float
           ) -> tuple[str, float]:
    """One line drawn straight on the page (a letterhead, an address in the envelope window)
    that must stay inside `width`: the size shrinks a point at a time down to `smallest`, and a
    text still too long is cut with "…" rather than running off the sheet."""
    while size > smallest and stringWidth(text, font, size) > width:
        size = max(smallest, size - 1)
    if stringWidth(text, font, size) <= width:
        return text, size
    low, high = 0, len(text)  # the longest start that fits with the ellipsis
    while low < high:
        middle = (low + high + 1) // 2
        if stringWidth(text[:middle] + "…", font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…", size


@dataclass(frozen=True)
class Letterhead:
    organisation: str
    unit: str = ""
    logo: Path | None = None


def municipality_letterhead(unit_name: str = "") -> Letterhead:
    """The municipality's name (its first principal of kind kommun) and the logo setting."""
    logo_setting = settings.get("municipality_logo")
    logo = Path(logo_setting) if logo_setting and Path(logo_setting).is_file() else None
    return Letterhead(print_reads.municipality_name(), unit_name, logo)


def styles(*, large: bool = False) -> dict[str, ParagraphStyle]:
    """Paragraph styles; `large` is the easy-read size (body 14 pt and up)."""
    register_fonts()
    body_size = 14 if large else 10
    base = ParagraphStyle("body", fontName=FONT, fontSize=body_size, leading=body_size * 1.4,
                          spaceAfter=body_size * 0.5)
    return {
        "body": base,
        "title": ParagraphStyle("title", parent=base, fontName=f"{FONT}-Bold",
                                fontSize=body_size + 8, leading=(body_size + 8) * 1.25,
                                spaceAfter=8),
        "h2": ParagraphStyle("h2", parent=base, fontName=f"{FONT}-Bold", fontSize=body_size + 2,
                             leading=(body_size + 2) * 1.3, spaceBefore=7, spaceAfter=3,
                             keepWithNext=True),
        "small": ParagraphStyle("small", parent=base, fontSize=body_size - 2,
                                leading=(body_size - 2) * 1.35,
                                textColor=colors.HexColor("#444444")),
        "box": ParagraphStyle("box", parent=base, leftIndent=6 * mm, firstLineIndent=-6 * mm,
                              spaceAfter=2),
    }


class NumberedCanvas(canvas.Canvas):
    """Holds the pages back until the end, then writes "Sida X av Y" and the print date."""

    for_staff = True  # the print date in ISO form; letters (for_staff = False) write it out

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []
        self.printed_on = clock.today()

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._footer(number, total)
            super().showPage()
        super().save()

    def _footer(self, number: int, total: int) -> None:
        width, _height = self._pagesize
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(colors.HexColor("#444444"))
        printed = (iso_date(self.printed_on) if self.for_staff
                   else written_date(self.printed_on))
        self.drawString(MARGIN, 12 * mm, f"Utskrivet {printed}")
        self.drawRightString(width - MARGIN, 12 * mm, f"Sida {number} av {total}")
        self.restoreState()


class SipDocTemplate(BaseDocTemplate):
    """A4 with the letterhead at the top of every page."""

    def __init__(self, target: Target, *, title: str, letterhead: Letterhead,
                 subject: str = "") -> None:
        register_fonts()
        super().__init__(
            target if not isinstance(target, Path) else str(target), pagesize=A4,
            leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEADER_HEIGHT,
            bottomMargin=MARGIN, title=title, subject=subject, author=letterhead.organisation,
            creator="sipdesk",
        )
        self.letterhead = letterhead
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        self.addPageTemplates([PageTemplate(id="letter", frames=[frame],
                                            onPage=self._draw_letterhead)])

    def _draw_letterhead(self, canv: canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = A4
        top = height - MARGIN
        canv.saveState()
        x = MARGIN
        if self.letterhead.logo is not None:
            logo_height = 14 * mm
            canv.drawImage(str(self.letterhead.logo), MARGIN, top - logo_height,
                           height=logo_height, width=40 * mm, preserveAspectRatio=True,
                           anchor="sw", mask="auto")
            x = MARGIN + 44 * mm
        room = width - MARGIN - x
        name, size = fitted(self.letterhead.organisation, f"{FONT}-Bold", 13, 9, room)
        canv.setFont(f"{FONT}-Bold", size)
        canv.drawString(x, top - 6 * mm, name)
        if self.letterhead.unit:
            unit, size = fitted(self.letterhead.unit, FONT, 9, 7, room)
            canv.setFont(FONT, size)
            canv.drawString(x, top - 11 * mm, unit)
        canv.setStrokeColor(colors.HexColor("#999999"))
        canv.setLineWidth(0.5)
        canv.line(MARGIN, top - 16 * mm, width - MARGIN, top - 16 * mm)
        canv.restoreState()


class PersonCanvas(NumberedCanvas):
    """For the person's own documents (the consent form, the easy-read plan): the print date
    written out, like the rest of the text."""

    for_staff = False


def build(doc: SipDocTemplate, story: list[Flowable], *, for_person: bool = False) -> None:
    doc.build(story, canvasmaker=PersonCanvas if for_person else NumberedCanvas)
