"""Letters about a meeting for a child (seed 002, issue 14): one to each guardian who may be
told, at their own address, and — from the age in the setting `child_letter_age` (default 12) —
one to the child in child-friendly words. A guardian who may not receive information about the
child gets none (sipdesk.casework.guardians.paper_for decides who).

- the **guardian's letter**: friendly and plain (12 pt), what a SIP is for their child, when and
  where, who comes, what we will talk about, that the child's voice matters and that nobody has
  to say anything, an interpreter in the guardian's own language when they need one, and whom
  to call;
- the **child's letter**: large type (16 pt), short sentences, one idea on each line — the
  meeting is about you, you may say what you think and you do not have to, whom to ask.
"""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from sipdesk.meetings.invitation import ParticipantKind
from sipdesk.storage.models import PersonContact

from .base import FONT, esc, styles, written_date_with_weekday
from .letters_common import (
    Letter,
    LetterContext,
    address_window,
    facts_table,
    hhmm,
    person_address,
    signature,
    video_rows,
    when_text,
)
from .letters_person import _plain_participant_line, easy_read_styles


def family_styles() -> dict[str, ParagraphStyle]:
    """A guardian's letter: 12 pt, a little larger than a letter to a professional."""
    st = dict(styles())
    body = ParagraphStyle("family-body", parent=st["body"], fontSize=11.5, leading=15.5,
                          spaceAfter=4)
    st["body"] = body
    st["title"] = ParagraphStyle("family-title", parent=body, fontName=f"{FONT}-Bold",
                                 fontSize=18, leading=23, spaceAfter=8)
    st["h2"] = ParagraphStyle("family-h2", parent=body, fontName=f"{FONT}-Bold", fontSize=13,
                              leading=17, spaceBefore=6, spaceAfter=2, keepWithNext=True)
    return st


def _possessive(name: str) -> str:
    """Swedish genitive: "Livs", "Mats" (a name ending in s takes none)."""
    return name if name.endswith(("s", "x", "z")) else f"{name}s"


def _place(ctx: LetterContext) -> str:
    meeting = ctx.meeting
    if not meeting.at_home:
        return meeting.place
    address = ", ".join(person_address(ctx.person))
    return f"Hemma hos {ctx.person.first_name}" + (f", {address}" if address else "")


def _others(ctx: LetterContext, recipient: str) -> list[str]:
    """Who else comes, in plain words for the family — not the reader themselves."""
    lines = []
    for p in ctx.participants:
        if p.kind == ParticipantKind.PERSON.value or p.name.casefold() == recipient.casefold():
            continue
        if p.kind == ParticipantKind.RELATIVE.value:
            # "Ali Ekman, vårdnadshavare (pappa)": the role often has brackets of its own.
            lines.append(f"{p.name}, {p.role.lower()}" if p.role else p.name)
        else:
            lines.append(_plain_participant_line(p))
    return lines


def guardian_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = family_styles()
    meeting = ctx.meeting
    child = ctx.person
    first = esc(child.first_name)
    guardian: PersonContact | None = ctx.guardians.get(letter.guardian_id or 0)
    convener = ctx.convener
    follow_up = meeting.follow_up
    title = (f"Inbjudan till uppföljning av {_possessive(child.first_name)} plan" if follow_up
             else f"Inbjudan till ett möte om {child.first_name}")
    rows: list[tuple[str, str | Flowable]] = [
        ("När", esc(when_text(meeting))), ("Var", esc(_place(ctx))), *video_rows(ctx)]
    others = _others(ctx, letter.recipient)
    if others:
        rows.append(("Vilka kommer", "<br/>".join(esc(line) for line in others)))
    rows.append(("Vi ska prata om", esc(meeting.purpose)))
    intro = [
        Paragraph(f"Hej {esc(letter.recipient.split()[0] if letter.recipient.split() else '')}!",
                  st["body"]),
        Paragraph(f"Du får det här brevet för att du är vårdnadshavare för "
                  f"{esc(child.full_name)}.", st["body"]),
        Paragraph(
            (f"Vi vill bjuda in dig och {first} till ett möte där vi ser hur planen för {first} "
             "fungerar och om något behöver ändras.") if follow_up else
            (f"Vi vill bjuda in dig och {first} till ett möte om en samordnad individuell plan "
             f"(SIP). Där bestämmer vi tillsammans med er vem som gör vad, så att hjälpen till "
             f"{first} hänger ihop."), st["body"]),
    ]
    voice = [
        Paragraph(f"{_possessive(child.first_name)} röst är viktig", st["h2"]),
        Paragraph(f"Vi vill gärna höra vad {first} tycker. {first} kan vara med på hela mötet "
                  "eller en stund, berätta för någon hen litar på före mötet, eller rita och "
                  "skriva. Ingen måste säga något.", st["body"]),
    ]
    flow: list[Flowable] = [
        address_window(ctx, letter),
        Paragraph(esc(title), st["title"]),
        *intro,
        Spacer(1, 1 * mm),
        facts_table(rows, st),
        KeepTogether(voice),
    ]
    if guardian is not None and guardian.needs_interpreter and guardian.language.strip():
        flow.append(KeepTogether([
            Paragraph("Tolk", st["h2"]),
            Paragraph(f"Vi bokar en tolk på {esc(guardian.language.strip())} till mötet. "
                      "Det kostar ingenting.", st["body"])]))
    phone = f" på telefon {esc(convener.phone)}" if convener.phone else ""
    flow.append(KeepTogether([
        Paragraph("Frågor?", st["h2"]),
        Paragraph(f"Ring {esc(convener.full_name)}{phone} om du har frågor, eller om du eller "
                  f"{first} inte kan komma.", st["body"]),
        *signature(ctx, st),
    ]))
    return flow


def child_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = easy_read_styles()
    meeting = ctx.meeting
    convener = ctx.convener

    def section(heading: str, *lines: str) -> KeepTogether:
        return KeepTogether([Paragraph(heading, st["h2"]),
                             *[Paragraph(line, st["body"]) for line in lines]])

    where = (["Vi ses hemma hos dig."] if meeting.at_home
             else ["Vi ses här:", esc(meeting.place)])
    if meeting.video_link:
        where.append("Du kan också vara med på datorn.")
    call = [f"Fråga {esc(convener.full_name)}."]
    if convener.phone:
        call.append(f"Telefon: {esc(convener.phone)}")
    return [
        address_window(ctx, letter),
        Paragraph("Ett möte om dig", st["title"]),
        Paragraph(f"Hej {esc(ctx.person.first_name)}!", st["body"]),
        Paragraph("Det här brevet är till dig.", st["body"]),
        Paragraph("Vi ska ha ett möte om dig.", st["body"]),
        *[Paragraph(line, st["body"]) for line in (
            ("Vi ska prata om hur det går.", "Vi ser om planen behöver ändras.")
            if meeting.follow_up else
            ("Vi ska prata om vad som är bra för dig.",
             "Vi gör en plan för vem som hjälper dig och hur."))],
        section("När?",
                esc(written_date_with_weekday(meeting.starts_at.date()).capitalize()),
                f"Klockan {hhmm(meeting.starts_at)} till {hhmm(meeting.ends_at)}"),
        section("Var?", *where),
        section("Det du tycker är viktigt",
                "Du får säga vad du tycker.",
                "Du måste inte säga något.",
                "Du kan också rita eller skriva.",
                "Du kan be någon du litar på att berätta för oss."),
        section("Vill du fråga något?", *call,
                "Du kan också fråga en vuxen du litar på."),
        Spacer(1, 6 * mm),
        Paragraph(f"Hälsningar<br/>{esc(convener.full_name)}", st["body"]),
    ]
