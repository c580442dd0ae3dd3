"""What both printed plans share: the plan as printed (read once through the core), styles,
small helpers and the page template with the draft mark."""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Paragraph,
)

from sipdesk import clock
from sipdesk.casework import guardians, protected
from sipdesk.casework.consent import is_child
from sipdesk.plans import child_voice, print_reads
from sipdesk.plans.child_voice import ChildFeedback, ChildVoice
from sipdesk.plans.plan import (
    Intervention,
    PlanView,
    plan_view,
)

from .base import (
    FONT,
    Letterhead,
    SipDocTemplate,
    Target,
    iso_date,
    styles,
)
from .letters_common import forwarded_to, person_address

log = logging.getLogger("sipdesk.reports.plan")

TITLE = "Samordnad individuell plan (SIP)"
EASY_TITLE = "Min plan"
CHILD_TITLE = "Det här är din plan"
NO_COPIES = ("Ingen ska ha ett exemplar: ingen vårdnadshavare får information om barnet, och "
             "barnet är för ungt för ett eget (se Inställningar).")
DRAFT_MARK = "UTKAST"
NOT_APPROVED = "Planen kan skrivas ut för den enskilde först när alla har godkänt den."

# The four points of SoL 2 kap. 7 § and HSL 16 kap. 4 §, as headings on paper.
LEGAL_HEADINGS = (
    "1. Insatser som behövs",
    "2. Vem ansvarar för vad (per huvudman)",
    "3. Åtgärder av andra än kommun och region",
    "4. Övergripande ansvar",
)
# The column headers of an interventions table (repeated on every page the table spans).
INTERVENTION_COLUMNS = ("Insats", "Mål", "Ansvarig", "När/hur ofta", "Från–till", "Status")
PARTICIPANT_COLUMNS = ("Namn", "Initialer", "Yrke", "Organisation/huvudman", "Kontakt")

WIDTH = 174 * mm  # A4 less the margins of base.SipDocTemplate
GRID = colors.HexColor("#9a9a9a")
HEAD_FILL = colors.HexColor("#e6e9ee")
GROUP_FILL = colors.HexColor("#c9d3e0")
MUTED = colors.HexColor("#555555")

_PHONE = re.compile(r"\+?\d[\d\s-]{4,}\d")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


# ---- styles ---------------------------------------------------------------------------------

@lru_cache(maxsize=2)
def plan_styles(*, large: bool) -> dict[str, ParagraphStyle]:
    """The base styles plus the plan's own; made once (a bulk print asks for them 1,000
    times). `large` is the person's copy: body 15 pt, headings 19 pt and up."""
    st = dict(styles(large=large))
    bold = f"{FONT}-Bold"
    if large:
        body = ParagraphStyle("easy-body", parent=st["body"], fontSize=15, leading=22,
                              spaceAfter=6)
        st["body"] = body
        st["title"] = ParagraphStyle("easy-title", parent=body, fontName=bold, fontSize=26,
                                     leading=32, spaceAfter=10)
        st["h2"] = ParagraphStyle("easy-h2", parent=body, fontName=bold, fontSize=20,
                                  leading=26, spaceBefore=14, spaceAfter=6, keepWithNext=False)
        st["h3"] = ParagraphStyle("easy-h3", parent=body, fontName=bold, fontSize=17,
                                  leading=23, spaceBefore=8, spaceAfter=3, keepWithNext=False)
        st["item"] = ParagraphStyle("easy-item", parent=body, leftIndent=8 * mm,
                                    bulletIndent=2 * mm, bulletFontSize=15, bulletFontName=FONT,
                                    spaceAfter=4)
        st["line"] = ParagraphStyle("easy-line", parent=body, leftIndent=8 * mm, spaceAfter=1)
        return st
    st["h3"] = ParagraphStyle("h3", parent=st["body"], fontName=bold, fontSize=10.5,
                              leading=14, spaceBefore=6, spaceAfter=3, keepWithNext=False)
    st["cell"] = ParagraphStyle("cell", parent=st["body"], fontSize=8.5, leading=10.5,
                                spaceAfter=0)
    st["group"] = ParagraphStyle("group", parent=st["cell"], fontName=bold, fontSize=9.5,
                                 leading=12)
    st["empty"] = ParagraphStyle("empty", parent=st["body"], textColor=MUTED,
                                 fontName=f"{FONT}-Oblique")
    st["item"] = ParagraphStyle("item", parent=st["body"], leftIndent=6 * mm,
                                bulletIndent=1 * mm, bulletFontSize=10, bulletFontName=FONT,
                                spaceAfter=2)
    st["label"] = ParagraphStyle("label", parent=st["small"], spaceAfter=0)
    st["note"] = ParagraphStyle("note", parent=st["small"], keepWithNext=False)
    return st


class Para(Paragraph):
    """A Paragraph that remembers its line breaks for the width it was last wrapped to.

    A table wraps every cell to measure its rows, again for each piece when it splits across
    pages, and again to draw it; the line breaking is the costliest step of the whole print,
    and its result depends only on the width."""

    _wrapped_width: float | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        # `split` drops blPara when the paragraph must move on: then wrap again.
        if self._wrapped_width == availWidth and hasattr(self, "blPara"):
            return self.width, self.height
        result = super().wrap(availWidth, availHeight)
        self._wrapped_width = availWidth
        return result


# ---- small helpers ----------------------------------------------------------------------------

def phone_in(text: str) -> str:
    found = _PHONE.search(text or "")
    return found.group(0).strip() if found else ""


def split_contact(text: str) -> tuple[str, str, str]:
    """"Anna Berg, 0000-12 34 56, anna.berg@…" → (name, phone, e-mail); any part may be ""."""
    phone = phone_in(text)
    email_match = _EMAIL.search(text or "")
    email = email_match.group(0) if email_match else ""
    rest = text or ""
    for part in (phone, email):
        if part:
            rest = rest.replace(part, "")
    name = ", ".join(x.strip() for x in rest.split(",") if x.strip())
    return name, phone, email


def file_name(case_number: str, version: int, *, easy_read: bool = False) -> str:
    """`plan-SIP-2026-0042-v1.pdf`: the case number and the version, no personal data."""
    safe = re.sub(r"[^A-Za-z0-9-]", "_", case_number)
    return f"plan-{safe}-v{version}{'-lattlast' if easy_read else ''}.pdf"


def _date_span(item: Intervention) -> str:
    if item.starts_on and item.ends_on:
        return f"{iso_date(item.starts_on)} –\n{iso_date(item.ends_on)}"
    if item.starts_on:
        return f"från\n{iso_date(item.starts_on)}"
    if item.ends_on:
        return f"till\n{iso_date(item.ends_on)}"
    return ""


# ---- what is printed, read once ------------------------------------------------------------

@dataclass(frozen=True)
class PlanPrint:
    """A plan version with the few things beyond `PlanView` the paper needs."""

    view: PlanView
    person_name: str
    personal_number: str
    child: bool
    documented_by: str
    unit_name: str
    feedback: ChildFeedback | None = None  # the återkoppling to the child, when recorded
    first_name: str = ""
    printed_on: dt.date = dt.date.min
    # For a child on the day of printing (seed 002): who gets a copy, and the envelope of the
    # child's own (organisation, address lines, forwarded via the coordinator).
    paper: guardians.ChildPaper | None = None
    child_envelope: tuple[str, tuple[str, ...], bool] = ("", (), False)

    @property
    def approved(self) -> bool:
        return self.view.approved

    @property
    def voice(self) -> ChildVoice:
        """The child's voice (seed 002 §4): words, how asked, how weighed."""
        return ChildVoice.of(self.view.plan)


def plan_print(plan_id: int, *, today: dt.date | None = None) -> PlanPrint:
    today = today or clock.today()
    view = plan_view(plan_id)
    plan, case = view.plan, view.case
    person, unit = print_reads.person_and_unit(case.id)
    documented_by = ""
    if plan.documented_by_id is not None:
        user = print_reads.user_with_unit(plan.documented_by_id)
        documented_by = ", ".join(x for x in (user.full_name, user.profession, user.unit.name)
                                  if x)
    paper = guardians.paper_for(person, on=today)
    if protected.address_hidden(person):
        organisation, address = forwarded_to(case)
        envelope = (organisation, address, True)
    else:
        envelope = ("", person_address(person), False)
    return PlanPrint(view=view, person_name=person.full_name,
                     personal_number=person.personal_number,
                     child=is_child(person, plan.meeting_date),
                     documented_by=documented_by, unit_name=unit.name,
                     feedback=child_voice.feedback_of(plan),
                     first_name=person.first_name, printed_on=today,
                     paper=paper if paper.child else None, child_envelope=envelope)


def _principal_order(view: PlanView) -> list[int]:
    """Principals in the order of their interventions (by name, as the core sorts them), then
    those that have a part but have written nothing yet."""
    order: list[int] = []
    for item in view.interventions:
        if item.principal_id not in order:
            order.append(item.principal_id)
    for part in view.parts:
        if part.principal_id not in order:
            order.append(part.principal_id)
    return order


# ---- the document template -----------------------------------------------------------------

class PlanDocTemplate(SipDocTemplate):
    """The letterhead template, plus a diagonal UTKAST over every page of a draft. It is drawn
    after the page's content in light grey at low opacity, so the text under it stays
    readable."""

    def __init__(self, target: Target, *, title: str, letterhead: Letterhead,
                 draft: bool) -> None:
        super().__init__(target, title=title, letterhead=letterhead)
        if draft:
            for template in self.pageTemplates:
                template.onPageEnd = self._draw_draft_mark

    @staticmethod
    def _draw_draft_mark(canv: canvas.Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canv.saveState()
        canv.setFillColor(colors.HexColor("#8c8c8c"))
        canv.setFillAlpha(0.22)
        canv.setFont(f"{FONT}-Bold", 120)
        canv.translate(width / 2, height / 2)
        canv.rotate(54)  # along the diagonal of A4
        canv.drawCentredString(0, -40, DRAFT_MARK)
        canv.restoreState()
