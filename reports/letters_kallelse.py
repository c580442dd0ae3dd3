"""The kallelse by letter (DOMAIN.md step 4, seed 000 "Kallelse"): to each representative of a
principal without an account — the case, when, where, the purpose, who else is called, the
staff meeting, the duty to attend or send a substitute, and whom to answer.

Split from `reports.letters` (issue 11: no module over ~500 lines), which re-exports what
callers take from it.
"""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, TableStyle

from sipdesk.meetings import school
from sipdesk.meetings.invitation import Participant, ParticipantKind

from .base import MARGIN, SplittableTable, esc, styles, written_date_with_weekday
from .letters_common import (
    Letter,
    LetterContext,
    address_window,
    facts_table,
    hhmm,
    signature,
    video_rows,
    when_text,
)


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


def _contact_text(ctx: LetterContext) -> str:
    convener = ctx.convener
    text = f"{convener.full_name}, {ctx.convener_unit}"
    if convener.phone:
        text += f", telefon {convener.phone}"
    if convener.email:
        text += f", e-post {convener.email}"
    return text


def _invited_list(lines: list[str], st: dict[str, ParagraphStyle]) -> str | Flowable:
    """Up to five names one per line; more in two columns, so the kallelse stays on one page."""
    if len(lines) <= 5:
        return "<br/>".join(esc(line) for line in lines) or "–"
    small = ParagraphStyle("invited", parent=st["body"], fontSize=st["body"].fontSize - 1,
                           leading=st["body"].leading - 1.5)
    half = (len(lines) + 1) // 2
    columns = ["<br/>".join(esc(line) for line in part) for part in (lines[:half], lines[half:])]
    width = (A4[0] - 2 * MARGIN - 42 * mm) / 2
    table = SplittableTable([[Paragraph(columns[0], small), Paragraph(columns[1], small)]],
                            colWidths=[width, width], hAlign="LEFT")
    table.setStyle(TableStyle([("LEFTPADDING", (0, 0), (-1, -1), 0),
                               ("RIGHTPADDING", (0, 0), (-1, -1), 4),
                               ("TOPPADDING", (0, 0), (-1, -1), 0),
                               ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                               ("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _school_duty(ctx: LetterContext, letter: Letter) -> str:
    """To a school, preschool or elevhälsa called by social services or the region: the school's
    duty to cooperate (skollagen 29 kap. 13 §, seed 002 §2.1), in bold after the duty to attend
    (a heading of its own would push the answer onto a second page)."""
    recipient = next((p for p in ctx.participants if p.id == letter.participant_id), None)
    unit = ctx.convener.unit
    if recipient is None or not school.is_school(recipient) or not school.school_must_cooperate(
            convener_law=unit.law, convener_kind=unit.principal.kind):
        return ""
    return f" <b>{esc(school.SCHOOL_DUTY)}</b>"


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
        *video_rows(ctx),
        ("Syfte och frågor", esc(meeting.purpose)),
        ("Tjänstemannamöte", staff),
        ("Kallade", _invited_list([_participant_line(p) for p in others], st)),
    ]
    return [
        address_window(ctx, letter),
        Paragraph(f"Kallelse till {follow_up}SIP-möte", st["title"]),
        Paragraph(
            "Du kallas till ett möte om en samordnad individuell plan (SIP), där kommunen och "
            "regionen tillsammans med den enskilde bestämmer vem som gör vad "
            "(socialtjänstlagen 2 kap. 7 §, hälso- och sjukvårdslagen 16 kap. 4 §).", st["body"]),
        Spacer(1, 1 * mm),
        facts_table(rows, st),
        Paragraph("Delta eller skicka en ersättare", st["h2"]),
        Paragraph(
            "Varje huvudman som kallas till en SIP är skyldig att delta. Kan du inte komma: "
            "utse en ersättare och meddela ersättarens namn och telefonnummer. Uteblir en "
            "kallad huvudman skrivs en avvikelse." + _school_duty(ctx, letter), st["body"]),
        Paragraph("Inför mötet", st["h2"]),
        Paragraph(
            "Ta med vad din verksamhet vet om den enskildes nuvarande situation och vilka "
            "insatser ni kan erbjuda.", st["body"]),
        KeepTogether([
            Paragraph("Svara", st["h2"]),
            Paragraph(
                f"Svara så snart du kan om du kommer, eller vem som kommer i ditt ställe, till "
                f"{esc(_contact_text(ctx))}.", st["body"]),
            *signature(ctx, st),
        ]),
    ]
