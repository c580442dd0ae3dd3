"""The easy-read letter to the person (always offered): 16 pt and up, short sentences, one idea
on each line, no abbreviations; any abbreviation in text someone typed (the purpose, a role) is
explained at the end.

Split from `reports.letters` (issue 11: no module over ~500 lines), which re-exports what
callers take from it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from sipdesk.meetings.invitation import Participant, ParticipantKind

from .base import FONT, esc, styles, written_date_with_weekday
from .letters_common import Letter, LetterContext, address_window, hhmm

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
        address_window(ctx, letter),
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
