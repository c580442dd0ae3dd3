"""The person's copy (easy-read plan, "Min plan"): large type, plain words, who does what and
whom to call — printed only once every principal has approved the version.

For a child (seed 002) the copies go to each guardian who may be told, at their own address,
in words about the child ("Planen för Liv"), and from the age in the setting `child_letter_age`
to the child in child-friendly words ("Det här är din plan"); each copy starts in the envelope
window with its own page numbers (`child_copies_story`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
)

from sipdesk.errors import ValidationError
from sipdesk.plans.plan import (
    Intervention,
    PlanView,
)

from .base import (
    esc,
    written_date,
)
from .letters_common import AddressWindow, address_lines
from .plan_common import (
    CHILD_TITLE,
    EASY_TITLE,
    NO_COPIES,
    Para,
    PlanPrint,
    phone_in,
    plan_styles,
    split_contact,
)
from .plan_staff import EASY_ROOM, _section

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


@dataclass(frozen=True)
class Voice:
    """The words of one reader's copy: the person's own ("Min plan"), a child's ("Det här är din
    plan") or a child's guardian's. `{first}`, `{full}`, `{date}` and `{who}` are filled in."""

    title: str
    intro: tuple[str, ...]
    main_goal: str
    sub_goals: str
    matters: str
    views: str
    we_do: str
    self_do: str
    call_heading: str
    call_line: str
    next_again: str
    invitation: str
    ask_someone: str
    # When the child did not want to say anything — a valid answer (seed 002 §4)
    silent: tuple[str, ...] = ("{first} ville inte säga något den här gången. Det är helt okej.",
                               "{first} får säga vad hen tycker när hen vill.")


PERSON_VOICE = Voice(
    title=EASY_TITLE,
    intro=("Det här är planen för {full}.", "Vi skrev den tillsammans den {date}.",
           "Planen kallas SIP. Den visar hur kommunen, regionen och andra hjälper dig."),
    main_goal="Mitt mål", sub_goals="Mina delmål", matters="Det här är viktigt för mig",
    views="Det här tycker jag", we_do="Det här gör vi för dig",
    self_do="Det här gör jag själv", call_heading="Vem ringer jag?",
    call_line="Ring <b>{who}</b> om du undrar något eller om något inte fungerar.",
    next_again="Då pratar vi om hur det går och ändrar planen om det behövs.",
    invitation="Du får en inbjudan från {who}.",
    ask_someone="Fråga den som gav dig planen.",
    silent=("Jag ville inte säga något den här gången. Det är helt okej.",
            "Jag får säga vad jag tycker när jag vill."))

CHILD_VOICE = Voice(
    title=CHILD_TITLE,
    intro=("Hej {first}!", "Här står det vi bestämde tillsammans på mötet den {date}.",
           "Planen heter SIP. Den visar vem som hjälper dig och hur."),
    main_goal="Ditt mål", sub_goals="Steg på vägen", matters="Det här är viktigt för dig",
    views="Det här sa du", we_do="Så här hjälper vi dig", self_do="Det här gör du själv",
    call_heading="Vem kan du fråga?",
    call_line="Fråga <b>{who}</b> om du undrar något eller om något inte känns bra.",
    next_again="Då pratar vi om hur det går. Vi ändrar planen om det behövs.",
    invitation="Du får ett brev innan.",
    ask_someone="Fråga en vuxen du litar på.",
    silent=("Du ville inte säga något den här gången. Det är helt okej.",
            "Du får säga vad du tycker när du vill."))

GUARDIAN_VOICE = Voice(
    title="Planen för {first}",
    intro=("Till dig som är vårdnadshavare för {full}.",
           "Här står det vi kom överens om på mötet den {date}.",
           "Planen kallas SIP. Den visar hur kommunen, regionen och andra hjälper {first}."),
    main_goal="Målet", sub_goals="Delmålen", matters="Det här är viktigt för {first}",
    views="Det här tycker {first}", we_do="Det här gör vi för {first}",
    self_do="Det här gör {first} själv", call_heading="Vem ringer du?",
    call_line="Ring <b>{who}</b> om du undrar något eller om något inte fungerar.",
    next_again="Då pratar vi om hur det går och ändrar planen om det behövs.",
    invitation="Ni får en inbjudan från {who}.",
    ask_someone="Fråga den som gav dig planen.")


def easy_story(data: PlanPrint, voice: Voice = PERSON_VOICE) -> list[Flowable]:
    st = plan_styles(large=True)
    view = data.view
    plan = view.plan
    phones = _phone_book(view)
    first = data.first_name

    def say(text: str, **more: str) -> str:
        """`text` with the names filled in, each escaped (the text itself is ours)."""
        return text.format(first=esc(first), full=esc(data.person_name),
                           date=written_date(plan.meeting_date),
                           **{k: esc(v) for k, v in more.items()})

    def heading(text: str) -> str:  # _section escapes the heading itself
        return text.format(first=first)

    flow: list[Flowable] = [Para(say(voice.title), st["title"]),
                            *[Para(say(line), st["body"]) for line in voice.intro]]
    flow += _easy_section(heading(voice.main_goal), [Para(esc(plan.main_goal) or "Vi har inte "
                                                          "skrivit något mål än.", st["body"])],
                          st)
    if view.sub_goals:
        flow += _easy_section(heading(voice.sub_goals),
                              [Para(esc(g), st["item"], bulletText="•") for g in view.sub_goals],
                              st)
    if plan.what_matters.strip():
        flow += _easy_section(heading(voice.matters),
                              [Para(esc(plan.what_matters), st["body"])], st)
    words = data.voice  # the child's own words (seed 002 §4)
    if words.words:
        flow += _easy_section(heading(voice.views), [Para(esc(words.words), st["body"])], st)
    elif words.silent:  # a valid answer (seed 002): said kindly, never as something missing
        flow += _easy_section(heading(voice.views),
                              [Para(say(line), st["body"]) for line in voice.silent], st)

    lead_heading: list[Flowable] = [Para(say(voice.we_do), st["h2"])]
    groups = _actor_groups(view)
    for actor, items in groups:
        # Each intervention is kept together on one page, and the headings go with the first
        # one: a heading before a KeepTogether could otherwise be left alone at a page's foot.
        lead: list[Flowable] = [*lead_heading, Para(esc(actor), st["h3"])]
        lead_heading = []
        blocks = [_easy_item(item, phones, st) for item in items]
        if not any(phones.get(i.responsible.casefold()) for i in items if i.responsible):
            name, phone = _principal_phone(view, items[0].principal_id)
            if phone:
                blocks[-1].append(Para(f"Frågor? Ring {esc(name)}, telefon {esc(phone)}.",
                                       st["line"]))
        blocks[0] = lead + blocks[0]
        flow += [KeepTogether(block) for block in blocks]
    if lead_heading:
        flow += [*lead_heading, Para("Här står ingenting än.", st["body"])]

    if plan.can_do_self.strip():
        flow += _easy_section(heading(voice.self_do), [Para(esc(plan.can_do_self), st["body"])],
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
        call.append(Para(say(voice.call_line, who=name), st["body"]))
    if phone:
        call.append(Para(f"Telefon: {esc(phone)}", st["line"]))
    if email:
        call.append(Para(f"E-post: {esc(email)}", st["line"]))
    if view.overall_principal:
        call.append(Para(f"{esc(view.overall_principal)} har huvudansvaret för planen.",
                         st["body"]))
    flow.append(KeepTogether([Para(say(voice.call_heading), st["h2"]), *(call or [
        Para(say(voice.ask_someone), st["body"])])]))

    if plan.follow_up_date is not None:
        next_time = [Para(f"Vi ses igen den {written_date(plan.follow_up_date)}.", st["body"]),
                     Para(say(voice.next_again), st["body"])]
        if plan.follow_up_by.strip():
            next_time.append(Para(say(voice.invitation, who=plan.follow_up_by), st["body"]))
    else:
        next_time = [Para("Vi hör av oss när det är dags att ses igen.", st["body"])]
    flow.append(KeepTogether([Para("Nästa gång vi ses", st["h2"]), *next_time]))
    return flow


# ---- a child's copies (seed 002) ----------------------------------------------------------------

def _window(data: PlanPrint, *, name: str, organisation: str, address: Sequence[str],
            forwarded: bool = False) -> AddressWindow:
    info = [("Datum", written_date(data.printed_on)), ("Ärende", data.view.case.number)]
    return AddressWindow(name=name, organisation=organisation, address=address, info=info,
                         forwarded=forwarded)


def child_copies_story(data: PlanPrint) -> list[Flowable]:
    """For a child: a copy to each guardian who may be told, at their own address, and one to
    the child from the age in the setting `child_letter_age` — each starting in the envelope
    window, with its own page numbers. None to a guardian who may not receive information."""
    paper = data.paper
    assert paper is not None
    st = plan_styles(large=True)
    copies: list[list[Flowable]] = []
    for guardian in paper.guardians:
        story: list[Flowable] = [_window(data, name=guardian.name, organisation="",
                                         address=address_lines(guardian.address))]
        words = easy_story(data, GUARDIAN_VOICE)
        if guardian.needs_interpreter and guardian.language.strip():
            after_intro = 1 + len(GUARDIAN_VOICE.intro)
            words.insert(after_intro, Para(
                f"Vill du få planen förklarad på {esc(guardian.language)}? Säg till, så bokar "
                "vi en tolk.", st["body"]))
        copies.append(story + words)
    if paper.to_child:
        organisation, address, forwarded = data.child_envelope
        copies.append([_window(data, name=data.person_name, organisation=organisation,
                               address=address, forwarded=forwarded),
                       *easy_story(data, CHILD_VOICE)])
    if not copies:
        raise ValidationError(NO_COPIES)
    flow: list[Flowable] = []
    for index, story in enumerate(copies):
        if index:
            flow.append(PageBreak())
        flow += story
    return flow
