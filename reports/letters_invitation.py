"""The inbjudan by letter: to a relative or an interpreter without an account — friendlier,
what a SIP is in one sentence, when and where, whom to call; no purpose (that is the person's
to share).

Split from `reports.letters` (issue 11: no module over ~500 lines), which re-exports what
callers take from it.
"""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from sipdesk.meetings.invitation import ParticipantKind

from .base import esc, styles
from .letters_common import (
    Letter,
    LetterContext,
    address_window,
    facts_table,
    person_address,
    signature,
    video_rows,
    when_text,
)


def _home_place(ctx: LetterContext) -> str:
    address = ", ".join(person_address(ctx.person))
    return f"Hemma hos {ctx.person.full_name}" + (f", {address}" if address else "")


SIP_IN_ONE_SENTENCE = (
    "En samordnad individuell plan (SIP) är en plan där den enskilde, kommunen och regionen "
    "tillsammans bestämmer vem som gör vad, så att hjälpen hänger ihop.")


def invitation_story(ctx: LetterContext, letter: Letter) -> list[Flowable]:
    st = styles()
    meeting = ctx.meeting
    participant = next(p for p in ctx.participants if p.id == letter.participant_id)
    place = _home_place(ctx) if meeting.at_home else meeting.place
    rows = [("När", esc(when_text(meeting))), ("Var", esc(place)), *video_rows(ctx)]
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
        address_window(ctx, letter),
        Paragraph(title, st["title"]),
        *intro,
        Paragraph(SIP_IN_ONE_SENTENCE, st["body"]),
        Spacer(1, 2 * mm),
        facts_table(rows, st),
        Spacer(1, 2 * mm),
        KeepTogether([
            Paragraph(
                f"Kan du inte komma, eller har du frågor? Ring {esc(convener.full_name)}"
                f"{phone}.", st["body"]),
            *signature(ctx, st),
        ]),
    ]
