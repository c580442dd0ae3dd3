"""Letters for a kallelse (DOMAIN.md step 4, seeds 000 "Kallelse" and 003 step 2): what goes by
post to those who are not in sipdesk.

- a **kallelse** to each representative of a principal without an account whose invitation
  goes by letter: the case, when, where, the purpose, who else is called, the proposed staff
  meeting, the duty to attend or send a substitute, and whom to answer;
- an **inbjudan** to the others without an account (relatives, an interpreter): friendlier, what
  a SIP is in one sentence, when and where, whom to call. It leaves the purpose out: that is the
  person's to share, and the interpreter needs only the time, the place and the language;
- an **easy-read letter to the person** (always offered): 16 pt and up, short sentences, one idea
  on each line, no abbreviations; any abbreviation in text someone typed (the purpose, a role)
  is explained at the end;
- for a **child** instead (seed 002): a letter to each guardian at their own address — none to
  one who may not receive information about the child — and, from the age in the setting
  `child_letter_age`, one to the child in child-friendly words (`letters_child`).

Every letter starts on a new page with the recipient's address placed for a window envelope
(see WINDOW_* below); a recipient without an address gets a clear note in the window instead of
a blank. One PDF per recipient or all in one; file names carry the case number and a running
number, never a name. Pages are numbered per letter ("Sida 1 av 2" of *that* letter), also when
all letters are in one file.

This module decides who gets which letter and renders them; each letter kind is written beside
it (`letters_kallelse`, `letters_invitation`, `letters_person`) on what they share
(`letters_common`), and what callers take from here is re-exported.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from sipdesk import clock
from sipdesk.casework import guardians, protected
from sipdesk.errors import ValidationError
from sipdesk.meetings.invitation import HowInvited, Meeting, ParticipantKind, participants_of
from sipdesk.plans import print_reads
from sipdesk.storage.models import Case, Person

from .base import SipDocTemplate
from .letters_child import child_story, guardian_story
from .letters_common import (
    ADDRESS_MISSING,
    FIRST_BODY_TOP,
    INFO_LEFT,
    POSTAL_CODE_MISSING,
    WINDOW_HEIGHT,
    WINDOW_INSET,
    WINDOW_LEFT,
    WINDOW_TOP,
    WINDOW_WIDTH,
    AddressWindow,
    Letter,
    LetterCanvas,
    LetterContext,
    LetterKind,
    address_lines,
    convener_letterhead,
    forwarded_to,
    hhmm,
    letter_context,
    person_address,
    when_text,
)
from .letters_invitation import SIP_IN_ONE_SENTENCE, invitation_story
from .letters_kallelse import kallelse_story
from .letters_person import PLAIN_WORDS, easy_read_styles, person_story

# What callers take from `reports.letters` (the window's place is checked by the tests).
__all__ = [
    "ADDRESS_MISSING",
    "FIRST_BODY_TOP",
    "INFO_LEFT",
    "PLAIN_WORDS",
    "POSTAL_CODE_MISSING",
    "SIP_IN_ONE_SENTENCE",
    "WINDOW_HEIGHT",
    "WINDOW_INSET",
    "WINDOW_LEFT",
    "WINDOW_TOP",
    "WINDOW_WIDTH",
    "AddressWindow",
    "Letter",
    "LetterCanvas",
    "LetterContext",
    "LetterKind",
    "address_lines",
    "all_in_one_name",
    "easy_read_styles",
    "hhmm",
    "invitation_story",
    "kallelse_story",
    "person_story",
    "planned_letters",
    "render_letters",
    "when_text",
]


def _to_person(kind: LetterKind, case: Case, person: Person) -> Letter:
    """The letter to the person (or the child), at their address — via the coordinator for a
    protected identity."""
    if protected.address_hidden(person):
        organisation, address = forwarded_to(case)
        return Letter(kind, person.full_name, organisation, address, None, None, forwarded=True)
    return Letter(kind, person.full_name, "", person_address(person), None, None)


def planned_letters(meeting: Meeting, *, include_person: bool = True) -> list[Letter]:
    """The letters a meeting needs: the person's, then a kallelse to each professional without
    an account and an inbjudan to each relative or interpreter, all invited by letter.

    For a child (on the meeting day, seed 002): instead of the person's letter, one to each
    guardian who may be told, at their own address, and one to the child from the age in the
    setting `child_letter_age`. A guardian who may not receive information about the child gets
    no letter, also not as an invited relative; an informed guardian invited as a relative gets
    their guardian's letter only."""
    case, person = print_reads.case_and_person(meeting.case_id)
    paper = guardians.paper_for(person, on=meeting.starts_at.date())
    letters: list[Letter] = []
    if include_person and paper.child:
        letters += [Letter(LetterKind.GUARDIAN, g.name, "", tuple(address_lines(g.address)),
                           None, number, guardian_id=g.id)
                    for number, g in enumerate(paper.guardians, start=1)]
        if paper.to_child:
            letters.append(_to_person(LetterKind.CHILD, case, person))
    elif include_person:
        letters.append(_to_person(LetterKind.PERSON, case, person))
    skip = {w.name.casefold() for w in paper.withheld}
    if include_person:
        skip |= {g.name.casefold() for g in paper.guardians}
    by_post = [p for p in participants_of(meeting)
               if not p.has_account and p.how_invited == HowInvited.LETTER.value
               and p.kind != ParticipantKind.PERSON.value
               and not (p.kind == ParticipantKind.RELATIVE.value
                        and p.name.casefold() in skip)]
    order = {ParticipantKind.PROFESSIONAL.value: 0, ParticipantKind.INTERPRETER.value: 1,
             ParticipantKind.RELATIVE.value: 2}
    by_post.sort(key=lambda p: (order.get(p.kind, 3), p.name.casefold(), p.id))
    for number, p in enumerate(by_post, start=1):
        kind = (LetterKind.KALLELSE if p.kind == ParticipantKind.PROFESSIONAL.value
                else LetterKind.INVITATION)
        organisation = p.unit_name if p.kind != ParticipantKind.RELATIVE.value else ""
        address = tuple(x for x in address_lines(p.address) if x != organisation)
        letters.append(Letter(kind, p.name, organisation, address, p.id, number))
    return letters


_STORIES = {
    LetterKind.KALLELSE: kallelse_story,
    LetterKind.INVITATION: invitation_story,
    LetterKind.PERSON: person_story,
    LetterKind.GUARDIAN: guardian_story,
    LetterKind.CHILD: child_story,
}


# ---- rendering ----------------------------------------------------------------------------

def _meeting(meeting_id: int) -> Meeting:
    return print_reads.meeting_for_letters(meeting_id)


def _write(path: Path, *, title: str, ctx: LetterContext, letters: Sequence[Letter]) -> None:
    doc = SipDocTemplate(path, title=title, letterhead=convener_letterhead(ctx),
                         subject=f"Ärende {ctx.case.number}")
    story: list[Flowable] = []
    for index, letter in enumerate(letters):
        if index:
            story.append(PageBreak())
        story += _STORIES[letter.kind](ctx, letter)
    doc.build(story, canvasmaker=LetterCanvas)


def all_in_one_name(case_number: str) -> str:
    return f"brev-{case_number}.pdf"


def render_letters(meeting_id: int, target: str | Path, *, one_file: bool,
                   include_person: bool = True, today: dt.date | None = None) -> list[Path]:
    """Write the meeting's letters and return the files written.

    `one_file`: all letters in one PDF — `target` is that file, or a folder to put
    brev-SIP-…pdf in. Otherwise one PDF per recipient in the folder `target` (created when
    its parent exists)."""
    meeting = _meeting(meeting_id)
    ctx = letter_context(meeting, today or clock.today())
    letters = planned_letters(meeting, include_person=include_person)
    if not letters:
        raise ValidationError("Ingen ska ha brev: alla är inbjudna i sipdesk, per telefon "
                              "eller per e-post.")
    target = Path(target)
    number = ctx.case.number
    if one_file:
        path = target / all_in_one_name(number) if target.is_dir() else target
        _write(path, title=f"Brev till SIP-möte {number}", ctx=ctx, letters=letters)
        return [path]
    target.mkdir(exist_ok=True)
    written = []
    for letter in letters:
        path = target / letter.file_name(number)
        titles = {LetterKind.KALLELSE: f"Kallelse till SIP-möte {number}",
                  LetterKind.INVITATION: f"Inbjudan till SIP-möte {number}",
                  LetterKind.PERSON: f"Välkommen till ett möte om din hjälp ({number})",
                  LetterKind.GUARDIAN: f"Inbjudan till vårdnadshavare ({number})",
                  LetterKind.CHILD: f"Ett möte om dig ({number})"}
        _write(path, title=titles[letter.kind], ctx=ctx, letters=[letter])
        written.append(path)
    return written
