"""The staff plan: the full SIP as the principals sign it — participants, the person's own
words, interventions per principal, responsibility, the legal headings, signatures."""

from __future__ import annotations

from typing import TypeAlias

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from sipdesk.plans.child_voice import SILENT_IS_VALID, SILENT_LABEL
from sipdesk.plans.plan import (
    Intervention,
    InterventionStatus,
    PlanKind,
    PrincipalPart,
)

from .base import (
    BODY_HEIGHT,
    FONT,
    SplittableTable,
    esc,
    iso_date,
)
from .plan_common import (
    GRID,
    GROUP_FILL,
    HEAD_FILL,
    INTERVENTION_COLUMNS,
    LEGAL_HEADINGS,
    PARTICIPANT_COLUMNS,
    TITLE,
    WIDTH,
    Para,
    PlanPrint,
    _date_span,
    _principal_order,
    plan_styles,
)

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
    table = SplittableTable([[Para(esc(k), st["label"]), Para(v, st["body"])] for k, v in rows],
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
# A cell taller than this is a Paragraph, and so is every other cell of its row: only such a
# row can be tall enough to split across pages (base.TALL_ROW), and ReportLab splits a
# Paragraph at its lines exactly, a plain string only roughly.
TALL_CELL = 12 * CELL_LEADING
Cell: TypeAlias = Flowable | str | list[Flowable]


def _fits(text: str, width: float, font: str = FONT) -> bool:
    return stringWidth(text, font, CELL_SIZE) <= width - 2 * CELL_PAD


def _cell(*texts: str, width: float, st: dict[str, ParagraphStyle], font: str = FONT) -> Cell:
    """A table cell of plain text (user text, not markup), each of `texts` starting a new line.

    Wrapped here into a string of lines, which the table draws line by line: a Paragraph costs
    several times as much to build, measure and draw, and a plan's tables are most of its
    cells. A word too long for the column (a long e-mail address, say) falls back to a
    Paragraph, which can break it, and so does a text too tall for a string (TALL_CELL)."""
    lines: list[str] = []
    for text in texts:
        for part in text.strip().splitlines() or [""]:
            lines += simpleSplit(part, font, CELL_SIZE, width - 2 * CELL_PAD) or [""]
    if len(lines) * CELL_LEADING <= TALL_CELL and all(_fits(line, width, font)
                                                      for line in lines):
        return "\n".join(lines)
    markup = "<br/>".join(esc(t.strip()) for t in texts)
    return Para(f"<i>{markup}</i>" if font.endswith("Oblique") else markup, st["cell"])


def _tall(cell: Cell, width: float) -> bool:
    """Whether a cell's paragraph is taller than TALL_CELL (Para keeps the wrap it measured)."""
    return (isinstance(cell, Flowable)
            and cell.wrap(width - 2 * CELL_PAD, BODY_HEIGHT)[1] > TALL_CELL)


def _paragraph_row(row: list[Cell], st: dict[str, ParagraphStyle]) -> list[Cell]:
    """A tall row's string cells as Paragraphs, so the row splits across pages cleanly."""
    return [Para(esc(cell), st["cell"]) if isinstance(cell, str) and cell else cell
            for cell in row]


def _grid(rows: list[list[Cell]], widths: list[float], *, header_rows: int = 1,
          extra: list[tuple] | None = None) -> Table:
    """A ruled table whose first `header_rows` rows repeat on every page it spans; a row
    taller than a third of a page may split across pages (base.SplittableTable)."""
    st = plan_styles(large=False)
    rows = [_paragraph_row(row, st) if any(_tall(cell, width) for cell, width
                                           in zip(row, widths, strict=True)) else row
            for row in rows]
    table = SplittableTable(rows, colWidths=widths, repeatRows=header_rows, hAlign="LEFT")
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


def _child_voice(data: PlanPrint, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """The child's words (or that the child did not want to say anything — a valid answer),
    how the child was asked, how the views were weighed, and the återkoppling (seed 002 §4)."""
    voice = data.voice
    if voice.words:
        words: Flowable = Para(esc(voice.words), st["body"])
    elif voice.silent:
        words = Para(f"{SILENT_LABEL} den här gången. {SILENT_IS_VALID}", st["body"])
    else:
        words = Para("Inte ifyllt.", st["empty"])
    feedback = data.feedback
    told = (f"{esc(feedback.told_by)}, {iso_date(feedback.told_on)}" if feedback is not None
            else "Inte gjord än")
    return [words, Spacer(1, 1.5 * mm), _key_values([
        ("Så frågade vi barnet", esc(voice.ways_text()) or "Inte ifyllt"),
        ("Så vägde vi in barnets åsikter", esc(voice.weighing) or "Inte ifyllt"),
        ("Återkoppling till barnet", told),
    ], st)]


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
    if data.child or not data.voice.is_empty:
        flow += _section("Barnets egna ord", _child_voice(data, st), st)
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
