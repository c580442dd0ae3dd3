"""The printed plan (DOMAIN.md steps 8–9, seeds 000 "Dokumentation" and "Utskrift", 003 step 3).

Two documents from one plan version (`sipdesk.plan.plan_view`):

- the **staff version**: everything the plan holds, with the four points the law asks for
  (SoL 2 kap. 7 §, HSL 16 kap. 4 §) under headings that say them (`LEGAL_HEADINGS`), the
  interventions per principal in tables whose header rows repeat on every page, "Dokumenterat
  av …", who took part in adjusting the text, and signature lines. Until every principal has
  approved, every page carries a diagonal UTKAST mark;
- the **person's copy for the home** (`easy_read=True`): large type (body 15 pt), short
  sentences, the person's goals first, then who does what with a name and a phone number, whom
  to call and when we meet next. No case-internal notes: no chair, no status, no
  treatment limitation, no signatures. It is printed only once the version is approved
  (seed 000: the person is offered a copy when all principals have approved).

`render_many` prints many plans into one folder as a generator, so a caller can show progress
and stop between two files simply by not asking for the next one. File names carry the case
number and the version only — never a name or a personal number.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Generator, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sipdesk import print_reads
from sipdesk.consent import is_child
from sipdesk.errors import ValidationError
from sipdesk.plan import (
    Intervention,
    InterventionStatus,
    PlanKind,
    PlanView,
    PrincipalPart,
    plan_view,
)

from .base import (
    FONT,
    Letterhead,
    SipDocTemplate,
    Target,
    build,
    esc,
    iso_date,
    municipality_letterhead,
    styles,
    written_date,
)

log = logging.getLogger("sipdesk.reports.plan")

TITLE = "Samordnad individuell plan (SIP)"
EASY_TITLE = "Min plan"
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

    @property
    def approved(self) -> bool:
        return self.view.approved


def plan_print(plan_id: int) -> PlanPrint:
    view = plan_view(plan_id)
    plan, case = view.plan, view.case
    person, unit = print_reads.person_and_unit(case.id)
    documented_by = ""
    if plan.documented_by_id is not None:
        user = print_reads.user_with_unit(plan.documented_by_id)
        documented_by = ", ".join(x for x in (user.full_name, user.profession, user.unit.name)
                                  if x)
    return PlanPrint(view=view, person_name=person.full_name,
                     personal_number=person.personal_number,
                     child=is_child(person, plan.meeting_date),
                     documented_by=documented_by, unit_name=unit.name)


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


# ---- the staff version ---------------------------------------------------------------------

def _text_or_empty(text: str, st: dict[str, ParagraphStyle]) -> Paragraph:
    if text.strip():
        return Para(esc(text.strip()), st["body"])
    return Para("Inte ifyllt.", st["empty"])


# The room a heading needs below it (the heading and the first lines or rows of what follows);
# with less left on the page, the heading starts the next page. ReportLab's keepWithNext is no
# use here: it wraps heading and section in a KeepTogether, which moves a whole long section
# to the next page even when most of it would have fitted.
ROOM = 28 * mm
EASY_ROOM = 48 * mm


def _section(heading: str, body: list[Flowable], st: dict[str, ParagraphStyle],
             *, room: float = ROOM) -> list[Flowable]:
    """A heading that is never left alone at the foot of a page, then its content."""
    return [CondPageBreak(room), Para(esc(heading), st["h2"]), *body]


def _key_values(rows: list[tuple[str, str]], st: dict[str, ParagraphStyle]) -> Table:
    table = Table([[Para(esc(k), st["label"]), Para(v, st["body"])] for k, v in rows],
                  colWidths=[38 * mm, WIDTH - 38 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]))
    return table


CELL_SIZE = 8.5
CELL_LEADING = 10.5
CELL_PAD = 3
Cell: TypeAlias = Flowable | str


def _fits(text: str, width: float, font: str = FONT) -> bool:
    return stringWidth(text, font, CELL_SIZE) <= width - 2 * CELL_PAD


def _cell(*texts: str, width: float, st: dict[str, ParagraphStyle], font: str = FONT) -> Cell:
    """A table cell of plain text (user text, not markup), each of `texts` starting a new line.

    Wrapped here into a string of lines, which the table draws line by line: a Paragraph costs
    several times as much to build, measure and draw, and a plan's tables are most of its
    cells. A word too long for the column (a long e-mail address, say) falls back to a
    Paragraph, which can break it."""
    lines: list[str] = []
    for text in texts:
        for part in text.strip().splitlines() or [""]:
            lines += simpleSplit(part, font, CELL_SIZE, width - 2 * CELL_PAD) or [""]
    if all(_fits(line, width, font) for line in lines):
        return "\n".join(lines)
    markup = "<br/>".join(esc(t.strip()) for t in texts)
    return Para(f"<i>{markup}</i>" if font.endswith("Oblique") else markup, st["cell"])


def _grid(rows: list[list[Cell]], widths: list[float], *, header_rows: int = 1,
          extra: list[tuple] | None = None) -> Table:
    """A ruled table whose first `header_rows` rows repeat on every page it spans."""
    table = Table(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
    table.setStyle(TableStyle([
        ("FONT", (0, 0), (-1, -1), FONT, CELL_SIZE, CELL_LEADING),
        ("FONT", (0, header_rows - 1), (-1, header_rows - 1), f"{FONT}-Bold", CELL_SIZE,
         CELL_LEADING),
        ("GRID", (0, 0), (-1, -1), 0.4, GRID),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PAD),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("BACKGROUND", (0, header_rows - 1), (-1, header_rows - 1), HEAD_FILL),
        *(extra or []),
    ]))
    return table


def _participants_table(data: PlanPrint, st: dict[str, ParagraphStyle]) -> Flowable:
    view = data.view
    if not view.participants:
        return Para("Inga deltagare är antecknade.", st["empty"])
    widths = [28 * mm, 16 * mm, 34 * mm, 43 * mm, 53 * mm]
    rows: list[list[Cell]] = [list(PARTICIPANT_COLUMNS)]
    for p in view.participants:
        principal = view.principal_names.get(p.principal_id or 0, "")
        organisation = [p.organisation] + ([principal] if principal and principal
                                           != p.organisation else [])
        # One contact detail a line: a phone number and an e-mail address do not break well.
        contact = [x for x in p.contact.split(",") if x.strip()] or [""]
        rows.append([_cell(p.name, width=widths[0], st=st),
                     _cell(p.initials, width=widths[1], st=st),
                     _cell(p.profession, width=widths[2], st=st),
                     _cell(*organisation, width=widths[3], st=st),
                     _cell(*contact, width=widths[4], st=st)])
    return _grid(rows, widths)


def _interventions_table(principal: str, items: list[Intervention],
                         st: dict[str, ParagraphStyle]) -> Table:
    """One principal's interventions. The principal's name and the column headers are the
    first two rows and repeat on every page the table spans. The unit stands under the
    responsible person's name."""
    cols = len(INTERVENTION_COLUMNS)
    widths = [46 * mm, 32 * mm, 28 * mm, 28 * mm, 24 * mm, 16 * mm]
    rows: list[list[Cell]] = [
        [Para(esc(principal), st["group"]), *[""] * (cols - 1)],
        list(INTERVENTION_COLUMNS),
    ]
    extra: list[tuple] = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), GROUP_FILL)]
    italic = f"{FONT}-Oblique"
    for item in items:
        row = len(rows)
        if item.no_action:
            # "We will take no action" is written as the sentence it is (seed 000).
            rows.append([_cell(item.what, width=sum(widths), st=st, font=italic),
                         *[""] * (cols - 1)])
            extra += [("SPAN", (0, row), (-1, row)),
                      ("FONT", (0, row), (-1, row), italic, CELL_SIZE, CELL_LEADING)]
            continue
        responsible = [item.responsible] + ([item.unit] if item.unit else [])
        rows.append([
            _cell(item.what, width=widths[0], st=st), _cell(item.goal, width=widths[1], st=st),
            _cell(*responsible, width=widths[2], st=st),
            _cell(item.how_often, width=widths[3], st=st), _date_span(item),
            InterventionStatus(item.status).label,
        ])
    return _grid(rows, widths, header_rows=2, extra=extra)


def _part_state(part: PrincipalPart | None) -> str:
    """One line (two when the coordinator acted for the principal): rows stay even."""
    if part is None:
        return "Deltar inte i godkännandet"
    if part.approved_at:
        state = f"Godkänd {iso_date(part.approved_at)}"
    elif part.finished_at:
        state = "Klar, inte godkänd"
    else:
        state = "Inte klar"
    return state + ("\nför huvudmannens räkning" if part.on_behalf else "")


SUMMARY_ITEMS = 6  # interventions named per principal in point 2; the rest are counted


def _responsibility_table(data: PlanPrint, st: dict[str, ParagraphStyle]) -> Flowable:
    """Per principal: what it is responsible for (the first few interventions by name, the
    rest counted — point 1 has them all) and how far its part has come."""
    view = data.view
    parts = {p.principal_id: p for p in view.parts}
    widths = [44 * mm, 84 * mm, 46 * mm]
    rows: list[list[Cell]] = [["Huvudman", "Ansvarar för", "Delen"]]
    for principal_id in _principal_order(view):
        items = [i for i in view.interventions if i.principal_id == principal_id]
        doing = [i for i in items if not i.no_action]
        lines = [f"• {esc(i.what)}" for i in doing[:SUMMARY_ITEMS]]
        if len(doing) > SUMMARY_ITEMS:
            lines.append(f"• och {len(doing) - SUMMARY_ITEMS} insatser till (se punkt 1)")
        lines += [f"<i>{esc(i.what)}</i>" for i in items if i.no_action]
        rows.append([
            _cell(view.principal_names.get(principal_id, ""), width=widths[0], st=st),
            Para("<br/>".join(lines) or "<i>Inget dokumenterat än.</i>", st["cell"]),
            _part_state(parts.get(principal_id)),
        ])
    if len(rows) == 1:
        return Para("Ingen huvudman har dokumenterat något än.", st["empty"])
    return _grid(rows, widths)


def _others(data: PlanPrint, st: dict[str, ParagraphStyle]) -> Flowable:
    view = data.view
    if not view.other_actions:
        if view.plan.others_none:
            return Para("Inga.", st["body"])
        return Para("Inte ifyllt.", st["empty"])
    widths = [44 * mm, 94 * mm, 36 * mm]
    rows: list[list[Cell]] = [["Vem", "Vad", "När"]]
    for other in view.other_actions:
        rows.append([_cell(other.who, width=widths[0], st=st),
                     _cell(other.what, width=widths[1], st=st),
                     _cell(other.when, width=widths[2], st=st)])
    return _grid(rows, widths)


def _treatment_limitation(data: PlanPrint) -> str:
    """Only yes with the record reference, no, or not applicable — never details (seed 000)."""
    plan = data.view.plan
    if plan.treatment_limitation is None:
        return "Inte aktuellt"
    if plan.treatment_limitation:
        reference = plan.treatment_limitation_ref.strip()
        if not reference:
            return "Ja — se journal"
        if reference.casefold().startswith("se journal"):  # the core's own example wording
            return f"Ja — {esc(reference[0].lower() + reference[1:])}"
        return f"Ja — se journal: {esc(reference)}"
    return "Nej"


def _signature_cell(title: str, name: str, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    def line(height: float) -> Table:
        return Table([[""]], colWidths=[78 * mm], rowHeights=[height],
                     style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.black)]))

    return [Para(f"<b>{esc(title)}</b>", st["body"]), line(9 * mm),
            Para("Underskrift och datum", st["small"]), line(7 * mm),
            Para("Namnförtydligande" + (f": {esc(name)}" if name else ""), st["small"])]


def _signatures(data: PlanPrint, st: dict[str, ParagraphStyle]) -> Flowable:
    documenter = data.documented_by.split(",")[0] if data.documented_by else ""
    table = Table([[_signature_cell("Dokumenterat av", documenter, st),
                    _signature_cell("Den enskilde", data.person_name, st)]],
                  colWidths=[87 * mm, 87 * mm], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Para("Underskrifter", st["h2"]), table])


def staff_story(data: PlanPrint) -> list[Flowable]:
    st = plan_styles(large=False)
    view = data.view
    plan = view.plan
    kind = PlanKind(plan.kind).label.lower()
    if view.approved and plan.locked_at is not None:
        state = f"Godkänd av alla huvudmän {iso_date(plan.locked_at)}"
    else:
        state = "Utkast — inte godkänd av alla huvudmän än"
    flow: list[Flowable] = [
        Para(TITLE, st["title"]),
        _key_values([
            ("Ärende", esc(view.case.number)),
            ("Den enskilde", f"{esc(data.person_name)}, {esc(data.personal_number)}"),
            ("Version", f"{plan.number} ({kind})"),
            ("Mötesdatum", iso_date(plan.meeting_date)),
            ("Ordförande", esc(plan.chair) or "–"),
            ("Status", state),
        ], st),
        Spacer(1, 2 * mm),
        *_section("Deltagare", [_participants_table(data, st)], st),
        *_section("Min nuvarande situation", [_text_or_empty(plan.current_situation, st)], st),
        *_section("Det här är viktigt för mig", [_text_or_empty(plan.what_matters, st)], st),
        *_section("Det här klarar jag själv", [_text_or_empty(plan.can_do_self, st)], st),
    ]
    if data.child or plan.child_views.strip():
        flow += _section("Barnets egna synpunkter", [_text_or_empty(plan.child_views, st)], st)
    flow += _section("Huvudmål", [_text_or_empty(plan.main_goal, st)], st)
    goals: list[Flowable] = [Para(esc(g), st["item"], bulletText=f"{n}.")
                             for n, g in enumerate(view.sub_goals, 1)]
    flow += _section("Delmål", goals or [Para("Inga delmål.", st["empty"])], st)

    flow += [CondPageBreak(ROOM + 14 * mm),
             Para(f"{esc(LEGAL_HEADINGS[0])} – vem gör vad och när", st["h2"]),
             Para("En tabell per huvudman. Ansvarig är en namngiven person.", st["note"])]
    by_principal = _principal_order(view)
    tables: list[Flowable] = []
    for principal_id in by_principal:
        items = [i for i in view.interventions if i.principal_id == principal_id]
        if items:
            tables += [_interventions_table(view.principal_names.get(principal_id, ""), items,
                                            st), Spacer(1, 3 * mm)]
    flow += tables or [Para("Inga insatser är dokumenterade än.", st["empty"])]
    flow += _section(LEGAL_HEADINGS[1], [_responsibility_table(data, st)], st)
    flow += _section(LEGAL_HEADINGS[2], [_others(data, st)], st)
    coordinator = esc(plan.coordinator_contact) or "Inte ifyllt"
    flow += _section(LEGAL_HEADINGS[3], [_key_values([
        ("Övergripande ansvar", esc(view.overall_principal) or "Inte ifyllt"),
        ("Samordningsansvarig", coordinator),
    ], st)], st)
    if plan.follow_up_date is not None:
        follow = [("Datum", iso_date(plan.follow_up_date)),
                  ("Ansvarig", esc(plan.follow_up_by) or "–")]
    elif plan.follow_up_skipped_reason.strip():
        follow = [("Ingen uppföljning", esc(plan.follow_up_skipped_reason))]
    else:
        follow = [("Datum", "Inte bestämt")]
    flow += _section("Uppföljning", [_key_values(follow, st)], st)
    flow += _section("Behandlingsbegränsning",
                     [Para(_treatment_limitation(data), st["body"])], st)
    adjusted = plan.adjusted_with.strip()
    flow += _section("Dokumentation", [
        Para(f"Dokumenterat av {esc(data.documented_by) or '–'}.", st["body"]),
        Para("Följande har deltagit i justeringen: "
                  + (esc(adjusted) if adjusted else "–"), st["body"]),
    ], st)
    flow += [Spacer(1, 4 * mm), _signatures(data, st)]
    return flow


# ---- the person's copy ---------------------------------------------------------------------

def _easy_section(heading: str, body: list[Flowable], st: dict[str, ParagraphStyle]
                  ) -> list[Flowable]:
    return _section(heading, body, st, room=EASY_ROOM)


def _phone_book(view: PlanView) -> dict[str, str]:
    """The phone of each participant by name (case-folded), from their contact details."""
    return {p.name.casefold(): phone_in(p.contact) for p in view.participants if p.contact}


def _actor_groups(view: PlanView) -> list[tuple[str, list[Intervention]]]:
    """Interventions per actor — the unit if one is named, otherwise the principal."""
    groups: dict[str, list[Intervention]] = {}
    for item in view.interventions:
        principal = view.principal_names.get(item.principal_id, "")
        key = f"{item.unit} ({principal})" if item.unit and principal not in item.unit \
            else (item.unit or principal)
        groups.setdefault(key, []).append(item)
    return list(groups.items())


def _principal_phone(view: PlanView, principal_id: int) -> tuple[str, str]:
    for p in view.participants:
        if p.principal_id == principal_id and phone_in(p.contact):
            return p.name, phone_in(p.contact)
    return "", ""


def _easy_item(item: Intervention, phones: dict[str, str], st: dict[str, ParagraphStyle]
               ) -> list[Flowable]:
    """One intervention in short lines: what, when, from–to, who is responsible and their
    phone; a "no action" sentence as it is."""
    if item.no_action:
        return [Para(esc(item.what), st["body"])]
    lines = [Para(esc(item.what), st["item"], bulletText="•")]
    if item.how_often:
        lines.append(Para(f"När: {esc(item.how_often)}", st["line"]))
    if item.starts_on and item.ends_on:
        lines.append(Para(f"Från {written_date(item.starts_on)} till "
                          f"{written_date(item.ends_on)}", st["line"]))
    elif item.starts_on:
        lines.append(Para(f"Från {written_date(item.starts_on)}", st["line"]))
    elif item.ends_on:
        lines.append(Para(f"Till {written_date(item.ends_on)}", st["line"]))
    if item.responsible:
        lines.append(Para(f"Ansvarig: {esc(item.responsible)}", st["line"]))
        phone = phones.get(item.responsible.casefold(), "")
        if phone:
            lines.append(Para(f"Telefon: {esc(phone)}", st["line"]))
    return lines


def easy_story(data: PlanPrint) -> list[Flowable]:
    st = plan_styles(large=True)
    view = data.view
    plan = view.plan
    phones = _phone_book(view)
    flow: list[Flowable] = [
        Para(EASY_TITLE, st["title"]),
        Para(f"Det här är planen för {esc(data.person_name)}.", st["body"]),
        Para(f"Vi skrev den tillsammans den {written_date(plan.meeting_date)}.", st["body"]),
        Para("Planen kallas SIP. Den visar hur kommunen, regionen och andra hjälper dig.",
                  st["body"]),
    ]
    flow += _easy_section("Mitt mål", [Para(esc(plan.main_goal) or "Vi har inte skrivit något "
                                            "mål än.", st["body"])], st)
    if view.sub_goals:
        flow += _easy_section("Mina delmål", [Para(esc(g), st["item"], bulletText="•")
                                         for g in view.sub_goals], st)
    if plan.what_matters.strip():
        flow += _easy_section("Det här är viktigt för mig",
                         [Para(esc(plan.what_matters), st["body"])], st)
    if plan.child_views.strip():
        flow += _easy_section("Det här tycker jag", [Para(esc(plan.child_views), st["body"])],
                         st)

    heading: list[Flowable] = [Para("Det här gör vi för dig", st["h2"])]
    groups = _actor_groups(view)
    for actor, items in groups:
        # Each intervention is kept together on one page, and the headings go with the first
        # one: a heading before a KeepTogether could otherwise be left alone at a page's foot.
        lead: list[Flowable] = [*heading, Para(esc(actor), st["h3"])]
        heading = []
        blocks = [_easy_item(item, phones, st) for item in items]
        if not any(phones.get(i.responsible.casefold()) for i in items if i.responsible):
            name, phone = _principal_phone(view, items[0].principal_id)
            if phone:
                blocks[-1].append(Para(f"Frågor? Ring {esc(name)}, telefon {esc(phone)}.",
                                       st["line"]))
        blocks[0] = lead + blocks[0]
        flow += [KeepTogether(block) for block in blocks]
    if heading:
        flow += [*heading, Para("Här står ingenting än.", st["body"])]

    if plan.can_do_self.strip():
        flow += _easy_section("Det här gör jag själv", [Para(esc(plan.can_do_self), st["body"])],
                         st)
    others: list[Flowable] = []
    for other in view.other_actions:
        others.append(Para(f"<b>{esc(other.who)}:</b> {esc(other.what)}", st["item"],
                           bulletText="•"))
        if other.when:
            others.append(Para(f"När: {esc(other.when)}", st["line"]))
    flow += _easy_section("Det här gör andra",
                     others or [Para("Ingen annan har en uppgift i planen.", st["body"])],
                     st)

    name, phone, email = split_contact(plan.coordinator_contact)
    call: list[Flowable] = []
    if name:
        call.append(Para(f"Ring <b>{esc(name)}</b> om du undrar något eller om något "
                              "inte fungerar.", st["body"]))
    if phone:
        call.append(Para(f"Telefon: {esc(phone)}", st["line"]))
    if email:
        call.append(Para(f"E-post: {esc(email)}", st["line"]))
    if view.overall_principal:
        call.append(Para(f"{esc(view.overall_principal)} har huvudansvaret för planen.",
                              st["body"]))
    flow.append(KeepTogether([Para("Vem ringer jag?", st["h2"]), *(call or [
        Para("Fråga den som gav dig planen.", st["body"])])]))

    if plan.follow_up_date is not None:
        next_time = [Para(f"Vi ses igen den {written_date(plan.follow_up_date)}.",
                               st["body"]),
                     Para("Då pratar vi om hur det går och ändrar planen om det behövs.",
                               st["body"])]
        if plan.follow_up_by.strip():
            next_time.append(Para(f"Du får en inbjudan från {esc(plan.follow_up_by)}.",
                                  st["body"]))
    else:
        next_time = [Para("Vi hör av oss när det är dags att ses igen.", st["body"])]
    flow.append(KeepTogether([Para("Nästa gång vi ses", st["h2"]), *next_time]))
    return flow


# ---- rendering ------------------------------------------------------------------------------

def _render(data: PlanPrint, target: Target, *, easy_read: bool,
            letterhead: Letterhead) -> None:
    if easy_read and not data.approved:
        raise ValidationError(NOT_APPROVED)
    view = data.view
    title = f"{EASY_TITLE if easy_read else TITLE} {view.case.number} version {view.plan.number}"
    doc = PlanDocTemplate(target, title=title, letterhead=letterhead,
                          draft=not data.approved and not easy_read)
    build(doc, easy_story(data) if easy_read else staff_story(data), for_person=easy_read)


def render_plan(plan_id: int, target: Target, *, easy_read: bool = False) -> None:
    """Write a plan version as PDF to `target` (a path or a binary file): the staff version,
    or with `easy_read` the person's copy (only once the version is approved)."""
    data = plan_print(plan_id)
    _render(data, target, easy_read=easy_read,
            letterhead=municipality_letterhead(data.unit_name))


def render_many(plan_ids: Iterable[int], folder: str | Path, *, easy_read: bool = False
                ) -> Generator[tuple[int, int, Path], None, None]:
    """Print plan versions into `folder`, one PDF each; yields (done, total, path) after every
    file. Stop iterating to cancel: each file is written under a temporary name and renamed
    when complete, so a stop leaves only whole files behind. With `easy_read` every version
    must be approved (`plan.latest_version_ids(approved_only=True)`); a draft raises the same
    ValidationError as `render_plan` and ends the run."""
    ids = list(plan_ids)
    total = len(ids)
    target_folder = Path(folder)
    target_folder.mkdir(parents=True, exist_ok=True)
    # The municipality's name and logo are read once, not once per plan.
    head = municipality_letterhead()
    for done, plan_id in enumerate(ids, start=1):
        data = plan_print(plan_id)
        letterhead = Letterhead(head.organisation, data.unit_name, head.logo)
        path = target_folder / file_name(data.view.case.number, data.view.plan.number,
                                         easy_read=easy_read)
        partial = path.with_name(path.name + ".part")
        try:
            _render(data, partial, easy_read=easy_read, letterhead=letterhead)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        yield done, total, path
    log.info("printed %d plan(s)", total)
