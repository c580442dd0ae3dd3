"""Hur var mötet? — the easy-read evaluation form (seed 002 "Utvärdera mötet", issue 14).

Printed after a held meeting for the person to fill in at home (or for a guardian, a god man or
someone else close: their own form, kept apart); the answers are registered afterwards in the
app (`sipdesk.meetings.evaluation`). Large type, plain Swedish, and for a child a child's words
(the person under 18 on the meeting's day). Each question has five faces drawn with ReportLab's
graphics — a circle, two eyes, a mouth from a deep frown to a big smile — with the scale's word
and a box to tick under each; then room to write. No personal number, and no name of the person:
the form names the meeting's day, and, in small type for the staff, the case number.
"""

from __future__ import annotations

from reportlab.graphics.shapes import Circle, Drawing, Path, Rect, String
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from sipdesk.meetings.evaluation import (
    FACES,
    QUESTIONS,
    SCALE,
    EvaluationFormData,
    comment_question,
    evaluation_form_data,
)

from .base import (
    FONT,
    SipDocTemplate,
    Target,
    build,
    esc,
    municipality_letterhead,
    register_fonts,
    written_date_with_weekday,
)

TITLE = "Hur var mötet?"
WIDTH = 174 * mm  # A4 less the margins (reports.base.MARGIN)


# ---- drawing --------------------------------------------------------------------------------

def face(drawing: Drawing, cx: float, cy: float, radius: float, score: int) -> None:
    """A simple face: the circle, two eyes and a mouth bent by the score (1 sad … 5 happy)."""
    drawing.add(Circle(cx, cy, radius, fillColor=colors.HexColor(FACES[score].fill),
                       strokeColor=colors.black, strokeWidth=1.6))
    for side in (-1, 1):
        drawing.add(Circle(cx + side * radius * 0.36, cy + radius * 0.28, radius * 0.11,
                           fillColor=colors.black, strokeColor=None))
    bend = FACES[score].mouth
    half = radius * 0.5
    mouth_y = cy - radius * 0.38
    ends = mouth_y + radius * 0.16 * bend
    pull = mouth_y - radius * 0.42 * bend
    mouth = Path(strokeColor=colors.black, strokeWidth=1.8, fillColor=None,
                 strokeLineCap=1)
    mouth.moveTo(cx - half, ends)
    mouth.curveTo(cx - half * 0.45, pull, cx + half * 0.45, pull, cx + half, ends)
    drawing.add(mouth)


def faces_row(*, size: float = 20 * mm) -> Drawing:
    """Five faces across the page, each with its word and a box to tick under it."""
    cell = WIDTH / len(SCALE)
    box = 8 * mm
    height = size + 17 * mm
    drawing = Drawing(WIDTH, height)
    for index, (score, word) in enumerate(SCALE.items()):
        cx = cell * index + cell / 2
        face(drawing, cx, height - size / 2 - 1, size / 2, score)
        drawing.add(String(cx, box + 3 * mm, word, fontName=FONT, fontSize=11,
                           textAnchor="middle"))
        drawing.add(Rect(cx - box / 2, 1, box, box, fillColor=None, strokeColor=colors.black,
                         strokeWidth=1.2))
    return drawing


def _writing_lines(count: int, *, height: float = 11 * mm) -> Table:
    return Table([[""] for _ in range(count)], colWidths=[WIDTH], rowHeights=[height] * count,
                 style=TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.6, colors.HexColor(
                     "#777777"))]))


# ---- the words --------------------------------------------------------------------------------

def _styles() -> dict[str, ParagraphStyle]:
    register_fonts()
    body = ParagraphStyle("easy", fontName=FONT, fontSize=15, leading=21, spaceAfter=6)
    return {
        "title": ParagraphStyle("easy_title", parent=body, fontName=f"{FONT}-Bold",
                                fontSize=30, leading=36, spaceAfter=4),
        "sub": ParagraphStyle("easy_sub", parent=body, fontSize=17, leading=23, spaceAfter=10),
        "body": body,
        "question": ParagraphStyle("easy_question", parent=body, fontName=f"{FONT}-Bold",
                                   fontSize=18, leading=24, spaceBefore=10, spaceAfter=6),
        "box": ParagraphStyle("easy_box", parent=body, fontSize=15, leading=24),
        "small": ParagraphStyle("easy_small", parent=body, fontSize=9, leading=12,
                                textColor=colors.HexColor("#555555")),
    }


def _intro(data: EvaluationFormData) -> list[str]:
    skip = "Du behöver inte svara på allt. Det är okej att hoppa över en fråga."
    if data.for_person and data.child:
        return ["Du var med på ett möte om dig. Nu vill vi veta vad du tyckte om mötet.",
                "Sätt ett kryss i rutan under den gubbe som stämmer bäst.", skip]
    if data.for_person:
        return ["Du var med på ett möte om ditt stöd. Nu vill vi gärna veta vad du tyckte. Det "
                "hjälper oss att göra nästa möte bättre.",
                "Sätt ett kryss i rutan under den gubbe som stämmer bäst.", skip]
    person = "barnet" if data.child else "den som planen gäller"
    return ["Du var med på mötet. Vi vill gärna veta vad du tyckte. Det här är ditt eget "
            f"formulär — {person} får ett eget.",
            "Sätt ett kryss i rutan under den gubbe som stämmer bäst. Du behöver inte svara på "
            "allt."]


def tick_box(size: float = 7 * mm) -> Drawing:
    """An empty square to tick, drawn (a font's ☐ is too small for large type)."""
    drawing = Drawing(size + 2, size + 2)
    drawing.add(Rect(1, 1, size, size, fillColor=None, strokeColor=colors.black,
                     strokeWidth=1.2))
    return drawing


def _who(st: dict[str, ParagraphStyle]) -> list[Flowable]:
    """For a guardian or someone else: who is answering, kept apart from the person's answers."""
    words = ("Förälder eller vårdnadshavare", "God man eller förvaltare", "Någon annan")
    row: list[object] = []
    for word in words:
        row += [tick_box(), Paragraph(word, st["box"])]
    choices = Table([row], colWidths=[10 * mm, 48 * mm] * 3, hAlign="LEFT", style=TableStyle([
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    name = Table([[Paragraph("Ditt namn, om du vill:", st["body"]), ""]],
                 colWidths=[62 * mm, WIDTH - 62 * mm], hAlign="LEFT", rowHeights=[11 * mm],
                 style=TableStyle([("LINEBELOW", (1, 0), (1, 0), 0.6, colors.HexColor("#777777")),
                                   ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
                                   ("LEFTPADDING", (0, 0), (-1, -1), 0)]))
    return [Paragraph("Vem fyller i?", st["question"]), choices, name]


def _closing(data: EvaluationFormData) -> str:
    number = esc(data.coordinator_phone).replace(" ", "&nbsp;")  # a number on one line
    phone = (f" Har du frågor kan du ringa {esc(data.coordinator)} på {number}."
             if data.coordinator_phone else "")
    if data.for_person and data.child:
        return (f"Tack för att du svarade! Ge pappret till en vuxen du känner, eller till "
                f"{esc(data.coordinator)}.{phone}")
    return (f"Tack för att du svarade! Ge pappret till {esc(data.coordinator)}, eller skicka "
            f"det till {esc(data.unit)}.{phone}")


def story(data: EvaluationFormData) -> list[Flowable]:
    st = _styles()
    child = data.for_person and data.child
    flow: list[Flowable] = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"Mötet {written_date_with_weekday(data.meeting_day)}", st["sub"]),
        *[Paragraph(text, st["body"]) for text in _intro(data)],
    ]
    if not data.for_person:
        flow += _who(st)
    for number, question in enumerate(QUESTIONS, start=1):
        flow.append(KeepTogether([
            Paragraph(f"{number}. {esc(question.text(child=child))}", st["question"]),
            faces_row(),
        ]))
    flow.append(KeepTogether([
        Paragraph(comment_question(child=child), st["question"]),
        Paragraph("Skriv eller rita här." if child else "Skriv här.", st["body"]),
        _writing_lines(5),
    ]))
    flow += [
        Spacer(1, 6 * mm),
        Paragraph(_closing(data), st["body"]),
        Spacer(1, 8 * mm),
        Paragraph(f"För personalen: ärende {esc(data.case_number)}, mötet "
                  f"{data.meeting_day:%Y-%m-%d}. Registrera svaren i sipdesk under Kallelse "
                  "→ Registrera utvärdering.", st["small"]),
    ]
    return flow


def render_evaluation_form(meeting_id: int, target: Target, *, for_person: bool = True) -> None:
    """Write the evaluation form of a held meeting as PDF to `target` (a path or a binary
    file): for the person (a child's words for a child), or, `for_person=False`, for a
    guardian, a god man or someone else to answer for themselves."""
    data = evaluation_form_data(meeting_id, for_person=for_person)
    doc = SipDocTemplate(target, title=f"{TITLE} {data.case_number}",
                         letterhead=municipality_letterhead(data.unit))
    build(doc, story(data), for_person=True)  # the person reads it: dates written out
