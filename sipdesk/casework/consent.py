"""Consent (samtycke) and menprövning — DOMAIN.md step 2, seeds 000 "Samtycke" and 003 step 1.

A consent is oral or written, taken by someone on a date, covers an agreed question and named
principals, may exclude things, lists relatives to invite, and is valid at most one year. For a
child every guardian with custody consents, each for themselves (their answers are kept apart,
sipdesk.casework.guardian_answers), the child's own view is recorded beside it, and the
guardians' consent carries the case only until the day before the 18th birthday
(sipdesk.casework.guardians). It can be withdrawn at any time, which closes the case; nothing
earlier is deleted. When the person cannot consent, a menprövning decides.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import peewee as pw

from sipdesk import clock
from sipdesk.accounts import audit
from sipdesk.accounts.access import require_can_change, require_can_see
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import drafts, guardian_answers, lifecycle
from sipdesk.casework import guardians as guardian_rules
from sipdesk.casework.guardian_answers import AnswerInput
from sipdesk.casework.lifecycle import Action, ClosureReason
from sipdesk.errors import ValidationError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.rules.workdays import one_year_after
from sipdesk.storage.consent_records import Consent, ConsentPrincipal, GuardianConsent
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.guardian_records import GuardianAnswer, GuardianHow
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import (
    Case,
    CaseStatus,
    ConsentBasis,
    Person,
    PersonContact,
    Principal,
    PrincipalKind,
    User,
    now,
)

ADULT_AGE = guardian_rules.ADULT_AGE
WARN_DAYS = 30


class ConsentKind(LabelledEnum):
    ORAL = "oral"
    WRITTEN = "written"

    __labels__: ClassVar[Labels] = {"oral": "Muntligt", "written": "Skriftligt"}


class HarmConclusion(LabelledEnum):
    NO_HARM = "no_harm"
    HARM = "harm"

    __labels__: ClassVar[Labels] = {
        "no_harm": "SIP skadar inte den enskilde — arbetet kan fortsätta",
        "harm": "SIP skulle skada den enskilde — ingen SIP upprättas",
    }


class HarmAssessment(BaseModel):
    case = pw.ForeignKeyField(Case, backref="harm_assessments", on_delete="RESTRICT")
    assessed_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    assessed_on = pw.DateField()
    contacts = pw.TextField()  # who was contacted and what they said about the person's wishes
    conclusion = pw.CharField(max_length=10)
    created_at = pw.DateTimeField(default=now)


def is_child(person: Person, on: dt.date) -> bool:
    return guardian_rules.is_child(person, on)


def guardians_of(person: Person) -> list[PersonContact]:
    return guardian_rules.guardians_of(person)


def latest_valid_until(person: Person, given_on: dt.date) -> dt.date:
    """The last day a consent given on `given_on` may be valid: one year later (seed 003) —
    and for a child, at most the day before the 18th birthday (the guardians decide until
    then; seed 002)."""
    limit = one_year_after(given_on)
    until_adult = guardian_rules.guardians_consent_until(person, given_on)
    return min(limit, until_adult) if until_adult is not None else limit


@dataclass
class ConsentInput:
    kind: ConsentKind
    given_on: dt.date
    covers: str
    principals: Sequence[Principal]
    taken_by: User | None = None  # defaults to the one recording it
    exclusions: str = ""
    relatives_to_invite: str = ""
    valid_until: dt.date | None = None  # default and maximum: one year after given_on
    guardians: Sequence[PersonContact] = field(default_factory=list)  # for a child: all said yes
    # For a child: each guardian's answer, with its day and how (instead of `guardians`).
    guardian_answers: Sequence[AnswerInput] = field(default_factory=list)
    child_view: str = ""  # the child's own view of the SIP; may be empty


def answers_of(data: ConsentInput) -> list[AnswerInput]:
    """The guardians' answers of a consent's input: as given, or every guardian in `guardians`
    saying yes on the day of the consent, the way the consent was given."""
    if data.guardian_answers:
        return list(data.guardian_answers)
    return [AnswerInput(g, True, data.given_on, GuardianHow(data.kind.value))
            for g in data.guardians]


def consent_problems(case: Case, data: ConsentInput, *, today: dt.date) -> dict[str, str]:
    """Every problem with the input at once, by field."""
    person = case.person
    registered = guardians_of(person) if is_child(person, data.given_on) else []
    return consent_input_problems(person, data, guardians=registered, today=today)


def consent_input_problems(person: Person, data: ConsentInput, *,
                           guardians: Sequence[PersonContact], today: dt.date) -> dict[str, str]:
    """`consent_problems` with the person's registered `guardians` already read — for
    validation as you type, without the database."""
    problems: dict[str, str] = {}
    if data.given_on > today:
        problems["given_on"] = "Datumet kan inte ligga i framtiden."
    if not data.covers.strip():
        problems["covers"] = "Skriv vilken fråga samtycket gäller, så som ni kom överens."
    if not data.principals:
        problems["principals"] = "Välj vilka huvudmän som får delta och dela information."
    # A date in the future has its problem already (and the year after 9999 does not exist).
    given_on = min(data.given_on, today)
    limit = latest_valid_until(person, given_on)
    if data.valid_until is not None:
        if data.valid_until > limit and limit < one_year_after(given_on):
            problems["valid_until"] = (
                f"Vårdnadshavarnas samtycke gäller bara tills {person.first_name} fyller 18 år "
                f"— senast {limit:%Y-%m-%d}. Sedan samtycker hen själv.")
        elif data.valid_until > limit:
            problems["valid_until"] = (
                f"Ett samtycke gäller högst ett år — senast {limit:%Y-%m-%d}.")
        elif data.valid_until < data.given_on:
            problems["valid_until"] = "Slutdatumet ligger före datumet för samtycket."
    if is_child(person, data.given_on):
        problem = guardian_problem(guardians, answers_of(data))
        if problem:
            problems["guardians"] = problem
        problems.update(guardian_answers.answer_problems(data.guardian_answers, today=today))
    for name, message in text_problems(Consent, {
            "covers": data.covers, "exclusions": data.exclusions,
            "relatives_to_invite": data.relatives_to_invite,
            "child_view": data.child_view}).items():
        problems.setdefault(name, message)
    return problems


def guardian_problem(guardians: Sequence[PersonContact],
                     answers: Sequence[AnswerInput]) -> str | None:
    """Seed 002: every guardian with custody consents for the child — both, when there are
    two. None when they all have; otherwise what is missing, in Swedish."""
    gap = guardian_rules.custody_gap(guardians)
    if gap:
        return gap
    said = {a.guardian.id: a.consents for a in answers}
    refused = [g.name for g in guardians if said.get(g.id) is False]
    if refused:
        who = " och ".join(refused)
        return (f"{who} samtycker inte. Utan samtycke från "
                f"{'båda vårdnadshavarna' if len(guardians) == 2 else 'vårdnadshavaren'} "
                "blir det ingen SIP — spara svaren och prata vidare med familjen.")
    if any(not said.get(g.id) for g in guardians):
        return ("Båda vårdnadshavarna behöver samtycka." if len(guardians) == 2 else
                "Vårdnadshavaren behöver samtycka." if len(guardians) == 1 else
                "Alla vårdnadshavare behöver samtycka.")
    return None


def active_consent(case: Case) -> Consent | None:
    """The consent now in force (not withdrawn, not replaced), expired or not."""
    return (Consent.select()
            .where((Consent.case == case) & Consent.withdrawn_on.is_null()
                   & Consent.superseded_by.is_null())
            .order_by(Consent.id.desc()).first())


def register_consent(actor: User, case: Case, data: ConsentInput,
                     *, today: dt.date | None = None) -> Consent:
    """Register a consent, or renew one: the earlier consent is kept, marked as replaced."""
    today = today or clock.today()
    require_can_change(actor, case)
    lifecycle.ensure_open(case)
    problems = consent_problems(case, data, today=today)
    if problems:
        name, message = next(iter(problems.items()))
        raise ValidationError(message, field=name)
    valid_until = data.valid_until or latest_valid_until(case.person, data.given_on)
    answers = answers_of(data) if is_child(case.person, data.given_on) else []
    with database.atomic():
        previous = active_consent(case)
        consent = Consent.create(
            case=case, kind=data.kind.value, given_on=data.given_on,
            taken_by=data.taken_by or actor, covers=data.covers.strip(),
            exclusions=data.exclusions.strip(),
            relatives_to_invite=data.relatives_to_invite.strip(), valid_until=valid_until,
            child_view=data.child_view.strip() if answers else "",
        )
        ConsentPrincipal.insert_many(
            [(consent.id, p.id) for p in data.principals],
            fields=[ConsentPrincipal.consent, ConsentPrincipal.principal],
        ).execute()
        if answers:
            GuardianConsent.insert_many(
                [(consent.id, a.guardian.id, a.how.value) for a in answers],
                fields=[GuardianConsent.consent, GuardianConsent.guardian, GuardianConsent.how],
            ).execute()
            guardian_answers.link_to_consent(actor, case, answers, consent.id)
        if previous is not None:
            previous.superseded_by = consent
            previous.save()
        names = ", ".join(p.name for p in data.principals)
        audit.record(
            actor, action=AuditAction.CREATE, entity="consent", entity_id=consent.id,
            case=case,
            summary=(f"{'Samtycket förnyat' if previous else 'Samtycke registrerat'} "
                     f"({data.kind.label.lower()}), gäller till och med {valid_until:%Y-%m-%d}"),
            changes={"principals": [None, names], "valid_until": [None, valid_until.isoformat()]},
        )
        case.consent_basis = ConsentBasis.CONSENT.value
        case.consent_valid_until = valid_until
        drafts.delete_draft(actor, case, CONSENT_DRAFT)  # what it kept is registered now
        if CaseStatus(case.status) in (CaseStatus.NEED_REGISTERED, CaseStatus.HARM_ASSESSED):
            lifecycle.transition(actor, case, Action.GIVE_CONSENT, today=today)
        else:
            case.save_versioned()
    return consent


# ---- what was typed while not every guardian has answered -----------------------------------

# The name of the consent dialog's draft (sipdesk.casework.drafts; Att göra names it).
CONSENT_DRAFT = "samtycke"


@dataclass(frozen=True)
class ConsentDraft:
    """What the user typed in the consent dialog besides the guardians' answers — kept when
    only the answers given so far could be saved, and filled in when the dialog opens again.
    The dates are not kept: they are the day the consent is finally registered."""

    kind: str
    taken_by_id: int | None
    covers: str
    principal_ids: list[int]
    exclusions: str
    relatives_to_invite: str
    child_view: str
    saved_at: str  # "2026-11-20 14:05"

    @classmethod
    def of(cls, data: ConsentInput) -> ConsentDraft:
        return cls(data.kind.value, data.taken_by.id if data.taken_by is not None else None,
                   data.covers, [p.id for p in data.principals], data.exclusions,
                   data.relatives_to_invite, data.child_view, f"{now():%Y-%m-%d %H:%M}")


def save_guardian_answers(actor: User, case: Case, data: ConsentInput, *,
                          today: dt.date | None = None) -> list[GuardianAnswer]:
    """A child's consent that cannot be registered yet — one guardian has said yes, the other
    not yet (or one has said no): the answers given are recorded
    (`guardian_answers.record_guardian_answers`), and nothing else typed is lost — the question
    agreed, the principals ticked, exclusions, relatives and the child's view are kept as the
    user's draft of the consent (`CONSENT_DRAFT`), filled in when they open the dialog again
    (`consent_draft`). One transaction."""
    with database.atomic():
        saved = guardian_answers.record_guardian_answers(actor, case, data.guardian_answers,
                                                         today=today)
        drafts.save_draft(actor, case, CONSENT_DRAFT, ConsentDraft.of(data).__dict__)
    return saved


def consent_draft(actor: User, case: Case) -> ConsentDraft | None:
    """The actor's draft of the case's consent while guardians' answers wait for it
    (`save_guardian_answers`); None when there is none, or once no answer waits any more (the
    consent was registered, or the answers were replaced)."""
    require_can_see(actor, case)
    if not guardian_answers.pending_answers(case):
        return None
    stored = drafts.load_draft(actor, case, CONSENT_DRAFT)
    if stored is None:
        return None
    try:
        return ConsentDraft(**stored)
    except TypeError:  # a draft of another shape: begin again rather than fail
        return None


def withdrawal_problems(consent: Consent, *, withdrawn_on: dt.date, how: str,
                        today: dt.date) -> dict[str, str]:
    """Every problem of a withdrawal's input at once, by field — for validation as you type."""
    problems: dict[str, str] = {}
    if withdrawn_on > today:
        problems["withdrawn_on"] = "Datumet kan inte ligga i framtiden."
    elif withdrawn_on < consent.given_on:
        problems["withdrawn_on"] = "Datumet ligger före samtycket."
    if not how.strip():
        problems["how"] = ("Skriv hur den enskilde återkallade samtycket, t.ex. "
                           "muntligt per telefon.")
    else:
        problems.update(text_problems(Consent, {"how": how}, columns={"how": "withdrawn_how"}))
    return problems


def withdraw_consent(actor: User, case: Case, *, withdrawn_on: dt.date, how: str,
                     today: dt.date | None = None) -> lifecycle.Closure:
    """The person takes the consent back: recorded, and the case is closed."""
    today = today or clock.today()
    require_can_change(actor, case)
    consent = active_consent(case)
    problem = lifecycle.check(case, Action.WITHDRAW_CONSENT, today=today)
    if problem or consent is None:
        raise ValidationError(problem or "Det finns inget samtycke att återkalla.",
                              field="status")
    for name, message in withdrawal_problems(consent, withdrawn_on=withdrawn_on, how=how,
                                             today=today).items():
        raise ValidationError(message, field=name)
    with database.atomic():
        consent.withdrawn_on = withdrawn_on
        consent.withdrawn_how = how.strip()
        consent.withdrawn_recorded_by = actor
        consent.save()
        audit.record(actor, action=AuditAction.UPDATE, entity="consent", entity_id=consent.id,
                     case=case, summary=f"Samtycket återkallat ({how.strip()})",
                     changes={"withdrawn_on": [None, withdrawn_on.isoformat()]})
        return lifecycle.close_case(actor, case, closed_on=withdrawn_on,
                                    reason=ClosureReason.CONSENT_WITHDRAWN, today=today)


def declined_problems(*, declined_on: dt.date, note: str, today: dt.date) -> dict[str, str]:
    """Every problem of a "tackar nej" input at once, by field."""
    problems: dict[str, str] = {}
    if declined_on > today:
        problems["declined_on"] = "Datumet kan inte ligga i framtiden."
    if not note.strip():
        problems["note"] = "Skriv kort hur den enskilde tackade nej och vem som frågade."
    else:
        problems.update(text_problems(lifecycle.CaseStatusChange, {"note": note},
                                      columns={"note": "reason"}))
    return problems


def record_declined(actor: User, case: Case, *, declined_on: dt.date, note: str,
                    today: dt.date | None = None) -> Case:
    """The person says no although the principals see the need: the case ends as declined."""
    today = today or clock.today()
    require_can_change(actor, case)
    for name, message in declined_problems(declined_on=declined_on, note=note,
                                           today=today).items():
        raise ValidationError(message, field=name)
    return lifecycle.transition(actor, case, Action.DECLINE,
                                reason=f"{declined_on:%Y-%m-%d}: {note.strip()}", today=today)


def harm_assessment_problems(*, assessed_on: dt.date, contacts: str,
                             today: dt.date) -> dict[str, str]:
    """Every problem of a menprövning's input at once, by field."""
    problems: dict[str, str] = {}
    if assessed_on > today:
        problems["assessed_on"] = "Datumet kan inte ligga i framtiden."
    if not contacts.strip():
        problems["contacts"] = (
            "Skriv vilka närstående, vårdnadshavare eller företrädare som kontaktades och vad "
            "de sa om den enskildes inställning.")
    else:
        problems.update(text_problems(HarmAssessment, {"contacts": contacts}))
    return problems


def record_harm_assessment(
    actor: User, case: Case, *, assessed_on: dt.date, contacts: str,
    conclusion: HarmConclusion, assessed_by: User | None = None, today: dt.date | None = None,
) -> HarmAssessment:
    """Menprövning: no harm → the SIP may go on; harm → no SIP, the case ends as refused."""
    today = today or clock.today()
    require_can_change(actor, case)
    problem = lifecycle.check(case, Action.HARM_ASSESSED, today=today)
    if problem:
        raise ValidationError(problem, field="status")
    for name, message in harm_assessment_problems(assessed_on=assessed_on, contacts=contacts,
                                                  today=today).items():
        raise ValidationError(message, field=name)
    with database.atomic():
        assessment = HarmAssessment.create(
            case=case, assessed_by=assessed_by or actor, assessed_on=assessed_on,
            contacts=contacts.strip(), conclusion=conclusion.value)
        audit.record(actor, action=AuditAction.CREATE, entity="harm_assessment",
                     entity_id=assessment.id, case=case,
                     summary=f"Menprövning: {conclusion.label}")
        if conclusion is HarmConclusion.NO_HARM:
            case.consent_basis = ConsentBasis.HARM_ASSESSMENT.value
            case.consent_valid_until = None
            lifecycle.transition(actor, case, Action.HARM_ASSESSED, today=today)
        else:
            lifecycle.transition(actor, case, Action.REFUSE, today=today,
                                 reason="Menprövningen visar att SIP skulle skada den enskilde")
    return assessment


@dataclass(frozen=True)
class ConsentState:
    """What the case view and the case list say about consent."""

    text: str
    days_left: int | None
    warn: bool  # lapsing within 30 days, or lapsed


# The case list's short words for `guardian_rules.came_of_age_on` (the whole sentence is
# NEEDS_OWN_CONSENT, shown as the cell's tooltip).
MUST_CONSENT_THEMSELVES = "Fyllt 18 – samtycker själv"


def consent_state(basis: str | None, valid_until: dt.date | None,
                  *, today: dt.date | None = None,
                  adult_on: dt.date | None = None) -> ConsentState:
    """`adult_on`: the person's 18th birthday, when known. A consent that ended before it, on
    or after that day, was the guardians' (seed 002): the young person must now consent
    themselves — said so, not "Gick ut …" (`guardian_rules.came_of_age_on`)."""
    today = today or clock.today()
    if basis == ConsentBasis.HARM_ASSESSMENT:
        return ConsentState("Menprövning gjord", None, False)
    if basis != ConsentBasis.CONSENT or valid_until is None:
        return ConsentState("Samtycke saknas", None, False)
    days = (valid_until - today).days
    if adult_on is not None and valid_until < adult_on <= today:
        return ConsentState(MUST_CONSENT_THEMSELVES, days, True)
    if days < 0:
        return ConsentState(f"Gick ut {valid_until:%Y-%m-%d}", days, True)
    if days <= WARN_DAYS:
        return ConsentState(
            f"Går ut om {days} {'dag' if days == 1 else 'dagar'} ({valid_until:%Y-%m-%d})",
            days, True)
    return ConsentState(f"Gäller till och med {valid_until:%Y-%m-%d}", days, False)


def case_consent_state(case: Case, *, today: dt.date | None = None) -> ConsentState:
    """`consent_state` of a case whose person is at hand (read once): from the 18th birthday a
    consent the guardians gave says that the young person must consent themselves."""
    return consent_state(case.consent_basis, case.consent_valid_until, today=today,
                         adult_on=guardian_rules.adult_on(case.person))


def principals_of(consent: Consent) -> list[Principal]:
    return list(Principal.select().join(ConsentPrincipal)
                .where(ConsentPrincipal.consent == consent).order_by(Principal.name))


def consents_of(case: Case) -> list[Consent]:
    return list(Consent.select().where(Consent.case == case).order_by(Consent.id.desc()))


def guardians_who_consented(consent: Consent) -> list[PersonContact]:
    """For a child's consent: the guardians who gave it."""
    return list(PersonContact.select().join(GuardianConsent)
                .where(GuardianConsent.consent == consent).order_by(PersonContact.id))


def harm_assessments_of(case: Case) -> list[HarmAssessment]:
    """The case's menprövningar, newest first, with who assessed."""
    return list(HarmAssessment.select(HarmAssessment, User).join(User)
                .where(HarmAssessment.case == case).order_by(HarmAssessment.id.desc()))


def principal_choices() -> list[Principal]:
    """Every principal a consent can name: municipalities, then regions, then others."""
    order = {PrincipalKind.MUNICIPALITY.value: 0, PrincipalKind.REGION.value: 1}
    return sorted(Principal.select(), key=lambda p: (order.get(p.kind, 2), p.name.casefold()))
