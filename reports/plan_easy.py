"""The person's copy (easy-read plan, "Min plan"): large type, plain words, who does what and
whom to call — printed only once every principal has approved the version."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    Flowable,
    KeepTogether,
)

from sipdesk.plans.plan import (
    Intervention,
    PlanView,
)

from .base import (
    esc,
    written_date,
)
from .plan_common import EASY_TITLE, Para, PlanPrint, phone_in, plan_styles, split_contact
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
    voice = data.voice
    if voice.words:
        flow += _easy_section("Det här tycker jag", [Para(esc(voice.words), st["body"])], st)
    elif voice.silent:  # a valid answer (seed 002): said kindly, never as something missing
        flow += _easy_section("Det här tycker jag", [
            Para("Jag ville inte säga något den här gången. Det är helt okej.", st["body"]),
            Para("Jag får säga vad jag tycker när jag vill.", st["body"])], st)

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
