"""The kallelse the wizard fills (`InvitationDraft`) and each page's check — DOMAIN.md step 4,
seeds 000, 002 and 003: who must, may and should be invited, when and where, the staff meeting.
A check returns problems (which block) by field and warnings (which do not).

Split from `sipdesk.meetings.invitation` (issue 11: no module over ~500 lines), which re-exports
every name.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from sipdesk.casework import guardians as guardian_rules
from sipdesk.casework.consent import Consent, active_consent, principals_of
from sipdesk.casework.contacts import DirectoryEntry
from sipdesk.meetings import school
from sipdesk.meetings.evaluation import CHILD_LABEL
from sipdesk.meetings.meeting_times import is_short_notice, time_warnings
from sipdesk.storage.limits import text_problems
from sipdesk.storage.meeting_records import (
    DEFAULT_MINUTES,
    HowInvited,
    Meeting,
    Participant,
    ParticipantKind,
)
from sipdesk.storage.models import Case, ConsentBasis, Law, Person, PrincipalKind, now

MAX_MINUTES = 60


HOME = "Hemma hos den enskilde"
CHILD_HOME = f"Hemma hos {CHILD_LABEL.lower()}"  # the person a child on the meeting's day
HOME_WORDS = (HOME, CHILD_HOME)


def home_word(person: Person, on: dt.date) -> str:
    """"Hemma hos den enskilde", for a child on `on` "Hemma hos barnet" (the evaluation's word
    for the person, `evaluation.kind_label`)."""
    return CHILD_HOME if guardian_rules.is_child(person, on) else HOME


# ---- the draft the wizard fills ----------------------------------------------------------------

@dataclass
class ParticipantInput:
    kind: ParticipantKind
    name: str
    role: str = ""
    user_id: int | None = None
    contact_id: int | None = None
    principal_id: int | None = None
    principal_name: str = ""
    principal_kind: PrincipalKind | None = None
    unit_name: str = ""
    law: Law | None = None
    outpatient: bool = False
    phone: str = ""
    email: str = ""
    address: str = ""
    how_invited: HowInvited | None = None  # default: message for users, letter for others

    @classmethod
    def from_directory(cls, entry: DirectoryEntry) -> ParticipantInput:
        kind = ParticipantKind.INTERPRETER if entry.is_interpreter else ParticipantKind.PROFESSIONAL
        return cls(kind=kind, name=entry.name, role=entry.role,
                   user_id=entry.id if entry.has_account else None,
                   contact_id=None if entry.has_account else entry.id,
                   principal_id=entry.principal_id, principal_name=entry.principal,
                   principal_kind=entry.principal_kind, unit_name=entry.organisation,
                   law=entry.law, outpatient=entry.outpatient, phone=entry.phone,
                   email=entry.email, address=entry.address)

    @property
    def how(self) -> HowInvited:
        if self.user_id is not None:
            return HowInvited.MESSAGE
        return self.how_invited or HowInvited.LETTER


@dataclass
class InvitationDraft:
    purpose: str = ""
    participants: list[ParticipantInput] = field(default_factory=list)
    starts_at: dt.datetime | None = None
    minutes: int = DEFAULT_MINUTES
    place: str = ""  # empty: the person's home
    place_reason: str = ""
    video_link: str = ""
    short_notice_reason: str = ""
    staff_meeting_at: dt.datetime | None = None
    staff_meeting_place: str = ""
    staff_meeting_skipped_reason: str = ""
    follow_up: bool = False

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> InvitationDraft:
        values = dict(data)
        for key in ("starts_at", "staff_meeting_at"):
            if values.get(key):
                values[key] = dt.datetime.fromisoformat(str(values[key]))
        people = []
        for p in values.get("participants", []):
            item = dict(p)
            item["kind"] = ParticipantKind(item["kind"])
            for key, enum in (("principal_kind", PrincipalKind), ("law", Law),
                              ("how_invited", HowInvited)):
                if item.get(key):
                    item[key] = enum(item[key])
            people.append(ParticipantInput(**item))
        values["participants"] = people
        return cls(**values)


@dataclass
class Check:
    """A page's problems (block) by field, and warnings (shown, not blocking)."""

    problems: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_purpose(draft: InvitationDraft) -> Check:
    result = Check()
    if not draft.purpose.strip():
        result.problems["purpose"] = (
            "Skriv syftet med mötet och vilka frågor det ska svara på — med vanliga ord.")
    else:
        result.problems.update(text_problems(Meeting, {"purpose": draft.purpose}))
    return result


def person_needs_interpreter(case: Case) -> bool:
    person = case.person
    return bool(person.needs_interpreter or person.language.strip().casefold() != "svenska")


@dataclass(frozen=True)
class ParticipantRules:
    """What the participants check needs from the case, read once (`participant_rules`): the
    wizard then checks every change to the list without the database."""

    by_consent: bool  # the basis is consent and a consent is in force
    principal_ids: frozenset[int]  # the principals the consent covers
    principal_names: tuple[str, ...]
    relatives_to_invite: str  # what the consent says about relatives
    needs_interpreter: bool
    language: str  # the person's
    # For a child (seed 002): the guardians, who may take part without the consent naming them
    # (they gave it), those of them who need an interpreter (name, language), and those who may
    # not receive information about the child (name, why) — by case-folded name.
    guardians: frozenset[str] = frozenset()
    guardians_needing_interpreter: tuple[tuple[str, str], ...] = ()
    withheld: tuple[tuple[str, str], ...] = ()


def participant_rules(case: Case) -> ParticipantRules:
    consent = active_consent(case)
    by_consent = case.consent_basis == ConsentBasis.CONSENT and consent is not None
    principals = principals_of(consent) if consent is not None and by_consent else []
    return ParticipantRules(
        by_consent=by_consent, principal_ids=frozenset(p.id for p in principals),
        principal_names=tuple(p.name for p in principals),
        relatives_to_invite=consent.relatives_to_invite if consent is not None and by_consent
        else "",
        needs_interpreter=person_needs_interpreter(case), language=case.person.language,
        **_guardian_rules(case, consent if by_consent else None))


def _guardian_rules(case: Case, consent: Consent | None) -> dict[str, Any]:
    """A child's guardians (seed 002): when they gave the consent in force, they take part
    without it naming them; one who may not be told is never invited."""
    every = guardian_rules.guardians_of(case.person_id)
    if not every:
        return {}
    by_guardians = consent is not None and guardian_rules.is_child(case.person, consent.given_on)
    return {
        "guardians": frozenset(g.name.casefold() for g in every) if by_guardians
        else frozenset(),
        "guardians_needing_interpreter": tuple(
            (g.name, g.language.strip()) for g in every
            if by_guardians and guardian_rules.informed(g) and g.needs_interpreter
            and g.language.strip()),
        "withheld": tuple((g.name, guardian_rules.withheld_reason(g)) for g in every
                          if not guardian_rules.informed(g)),
    }


def check_participants(case: Case, draft: InvitationDraft, *,
                       rules: ParticipantRules | None = None) -> Check:
    """DOMAIN step 4 (seeds 000, 002, 003): who must, may and should be invited. With the
    case's `rules` already read, no statement is run."""
    rules = rules if rules is not None else participant_rules(case)
    result = Check()
    pros = [p for p in draft.participants if p.kind is ParticipantKind.PROFESSIONAL]
    laws = {p.law for p in pros}
    kinds = school.sip_principal_kinds(pros)  # a school counts as neither (seed 002 §3.1)
    missing = []
    if Law.HSL not in laws:
        missing.append("någon från hälso- och sjukvården (HSL)")
    if not laws & {Law.SOL, Law.LSS}:
        missing.append("någon från socialtjänsten eller LSS (SoL/LSS)")
    if PrincipalKind.REGION not in kinds:
        missing.append("någon från regionen")
    if PrincipalKind.MUNICIPALITY not in kinds:
        missing.append("någon från kommunen")
    refused = school.not_a_sip(pros)
    if refused is not None:  # the school and one principal: another meeting form (seed 002)
        result.problems["participants"] = refused.message
    elif missing:
        result.problems["participants"] = (
            "En SIP behöver " + ", ".join(missing[:-1])
            + (" och " if len(missing) > 1 else "") + missing[-1] + ".")
    if pros and not any(p.outpatient for p in pros):
        result.warnings.append(
            "Ingen från öppenvården (t.ex. vårdcentral, psykiatri eller ASIH) är kallad — "
            "öppenvården ska alltid vara med.")
    if rules.by_consent:
        outside = sorted({p.principal_name for p in pros
                          if p.principal_id not in rules.principal_ids})
        if outside:
            result.problems["principals"] = (
                "Samtycket omfattar inte " + ", ".join(outside)
                + ". Bjud bara in huvudmän som den enskilde har sagt ja till, eller förnya "
                "samtycket.")
        relatives = [p for p in draft.participants if p.kind is ParticipantKind.RELATIVE
                     and p.name.casefold() not in rules.guardians]
        if relatives and not rules.relatives_to_invite.strip():
            result.problems["relatives"] = (
                "Samtycket säger inget om närstående. Fråga den enskilde och skriv in det i "
                "samtycket innan närstående bjuds in.")
    if rules.needs_interpreter and not any(
        p.kind is ParticipantKind.INTERPRETER for p in draft.participants
    ):
        result.warnings.append(
            f"Den enskilde talar {rules.language} — boka en tolk via "
            "tolkförmedlingen. En närstående eller personal får inte tolka.")
    invited = {p.name.casefold() for p in draft.participants}
    for name, language in rules.guardians_needing_interpreter:
        if name.casefold() in invited and not any(
                p.kind is ParticipantKind.INTERPRETER for p in draft.participants):
            result.warnings.append(f"Vårdnadshavaren {name} behöver tolk på {language} — boka "
                                   "en tolk via tolkförmedlingen.")
    for name, why in rules.withheld:
        if name.casefold() in invited:
            result.problems["relatives"] = (f"{name} {why}, och kan inte bjudas in. Ta bort "
                                            f"{name} från listan.")
    for p in draft.participants:
        if p.kind is ParticipantKind.INTERPRETER and (p.user_id is not None):
            result.problems["interpreter"] = (
                f"{p.name} är personal och kan inte vara tolk — boka en tolk via "
                "tolkförmedlingen.")
        if p.user_id is None and p.kind is not ParticipantKind.PERSON \
                and not (p.phone or p.address or p.email):
            result.problems["contact_details"] = (
                f"Ange telefon eller adress till {p.name} så att kallelsen når fram.")
        texts = text_problems(Participant, {
            "name": p.name, "role": p.role, "principal_name": p.principal_name,
            "unit_name": p.unit_name, "phone": p.phone, "email": p.email, "address": p.address})
        if texts:  # said at the list, naming the field ("Adressen får vara högst …")
            result.problems.setdefault("participants", next(iter(texts.values())))
    return result


def check_time_and_place(case: Case, draft: InvitationDraft, *,
                         current: dt.datetime | None = None) -> Check:
    result = Check()
    current = current or now()
    if draft.starts_at is None:
        result.problems["starts_at"] = "Välj dag och tid för mötet."
    elif draft.starts_at <= current:
        result.problems["starts_at"] = "Mötet måste ligga i framtiden."
    else:
        # A length out of range has its own problem below (and could overflow the clock).
        minutes = draft.minutes if 15 <= draft.minutes <= MAX_MINUTES else DEFAULT_MINUTES
        result.warnings.extend(time_warnings(draft.starts_at, minutes=minutes,
                                             current=current))
        if is_short_notice(draft.starts_at, current) and not draft.short_notice_reason.strip():
            result.problems["short_notice_reason"] = "Skriv varför mötet behöver hållas så snart."
    if not 15 <= draft.minutes <= MAX_MINUTES:
        result.problems["minutes"] = (
            f"Boka mellan 15 och {MAX_MINUTES} minuter — {DEFAULT_MINUTES} minuter räcker "
            "oftast.")
    if draft.place.strip() and draft.place.strip() not in HOME_WORDS \
            and not draft.place_reason.strip():
        result.problems["place_reason"] = (
            "Mötet hålls i första hand hemma hos den enskilde. Skriv varför det behöver vara "
            "någon annanstans.")
    if draft.video_link.strip() and not draft.video_link.strip().startswith("https://"):
        result.problems["video_link"] = "Videolänken ska börja med https://"
    for name, message in text_problems(Meeting, {
            "place": draft.place, "place_reason": draft.place_reason,
            "video_link": draft.video_link,
            "short_notice_reason": draft.short_notice_reason}).items():
        result.problems.setdefault(name, message)
    return result


def check_staff_meeting(draft: InvitationDraft) -> Check:
    result = Check()
    if draft.staff_meeting_at is None:
        if not draft.staff_meeting_skipped_reason.strip():
            result.problems["staff_meeting_at"] = (
                "Föreslå tid och plats för ett tjänstemannamöte före SIP-mötet, eller skriv "
                "varför det inte behövs.")
        result.problems.update(text_problems(Meeting, {
            "staff_meeting_skipped_reason": draft.staff_meeting_skipped_reason}))
        return result
    if draft.starts_at is not None and draft.staff_meeting_at >= draft.starts_at:
        result.problems["staff_meeting_at"] = "Tjänstemannamötet ska vara före SIP-mötet."
    if not draft.staff_meeting_place.strip():
        result.problems["staff_meeting_place"] = "Ange var tjänstemannamötet hålls (eller Teams)."
    for name, message in text_problems(Meeting, {
            "staff_meeting_place": draft.staff_meeting_place,
            "staff_meeting_skipped_reason": draft.staff_meeting_skipped_reason}).items():
        result.problems.setdefault(name, message)
    return result


def check_all(case: Case, draft: InvitationDraft, *, current: dt.datetime | None = None,
              rules: ParticipantRules | None = None) -> Check:
    total = Check()
    for part in (check_purpose(draft), check_participants(case, draft, rules=rules),
                 check_time_and_place(case, draft, current=current), check_staff_meeting(draft)):
        total.problems.update(part.problems)
        total.warnings.extend(part.warnings)
    return total
