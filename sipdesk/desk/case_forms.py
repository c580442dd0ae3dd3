"""What the case view's dialogs show when they open, read off the UI thread: the need as
registered, the users to choose among, the person's other cases, the consent in force with its
principals, the principals a consent can name and a child's guardians.

The case view reads one of these through the operation runner and hands it to the dialog, which
then opens filled in and checks the user's typing without the database (`consent_input_problems`
takes the guardians read here).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sipdesk.accounts import access, auth
from sipdesk.casework import consent, guardian_answers, lifecycle
from sipdesk.casework.consent import Consent, ConsentDraft
from sipdesk.casework.lifecycle import NeedRecord
from sipdesk.desk import cases
from sipdesk.errors import NotFoundError
from sipdesk.storage.guardian_records import GuardianAnswer
from sipdesk.storage.models import Case, Person, PersonContact, Principal, PrincipalKind, User


@dataclass(frozen=True)
class NeedForm:
    """"Registrera behov" / "Ändra behov"."""

    existing: NeedRecord | None
    users: list[User]  # active users, each with its unit (`auth.active_users_with_unit`)


def need_form(case: Case) -> NeedForm:
    return NeedForm(lifecycle.need_of(case), auth.active_users_with_unit())


@dataclass(frozen=True)
class ClosureForm:
    """"Avsluta ärendet": the person's other cases the user may see (one may replace this)."""

    others: list[Case]


def closure_form(user: User, case: Case) -> ClosureForm:
    access.require_can_see(user, case)
    return ClosureForm(cases.cases_of_person(case.person, exclude=case, visible_to=user))


@dataclass(frozen=True)
class ConsentForm:
    """"Registrera samtycke" / "Förnya samtycke"."""

    person: Person  # whose consent (a child's guardians consent)
    previous: Consent | None  # the consent in force: renewing it
    chosen: set[int]  # the principals proposed: the previous consent's, else mine and regions
    question: str  # what the SIP should answer (the need's), for a first consent
    principals: list[Principal]  # every principal a consent can name, in `principal_choices` order
    guardians: list[PersonContact]  # the person's registered guardians
    users: list[User]  # active users, each with its unit
    # For a child: each guardian's answer given since the last consent, by the guardian's id.
    pending: dict[int, GuardianAnswer] = field(default_factory=dict)
    # What the user typed when those answers were saved (consent.save_guardian_answers).
    draft: ConsentDraft | None = None


def consent_form(user: User, case: Case) -> ConsentForm:
    access.require_can_see(user, case)
    previous = consent.active_consent(case)
    principals = consent.principal_choices()
    if previous is not None:
        chosen = {p.id for p in consent.principals_of(previous)}
    else:
        # The one taking it always takes part, and a SIP always needs the region too (DOMAIN
        # step 4): both are proposed; the person may say no to either.
        chosen = {user.unit.principal_id} | {p.id for p in principals
                                              if p.kind == PrincipalKind.REGION.value}
    need = lifecycle.need_of(case) if previous is None else None
    person = case.person
    draft = consent.consent_draft(user, case)
    if draft is not None:  # the principals ticked when the first answers were saved
        chosen = {p.id for p in principals if p.id in draft.principal_ids}
    return ConsentForm(person, previous, chosen, need.question if need is not None else "",
                       principals, consent.guardians_of(person), auth.active_users_with_unit(),
                       guardian_answers.pending_answers(case), draft)


def principal_choices() -> list[Principal]:
    """The principals again, after one was added from the consent dialog."""
    return consent.principal_choices()


@dataclass(frozen=True)
class HarmForm:
    """"Registrera menprövning"."""

    users: list[User]  # active users, each with its unit


def harm_form() -> HarmForm:
    return HarmForm(auth.active_users_with_unit())


def withdraw_form(case: Case) -> Consent:
    """"Återkalla samtycke": the consent in force (someone may have withdrawn it meanwhile)."""
    current = consent.active_consent(case)
    if current is None:
        raise NotFoundError("Det finns inget samtycke att återkalla.")
    return current
