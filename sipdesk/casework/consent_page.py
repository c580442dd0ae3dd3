"""What the Samtycke tab shows, read in a fixed number of queries whatever the case holds: the
consent in force, the menprövningar and every earlier consent (renewed or withdrawn — nothing is
deleted), with the consent actions and why each is not allowed now.

`consent_page(case, today)` runs in the operation runner; the tab shows what it returns without
touching the database again.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from peewee import JOIN

from sipdesk.casework import consent, guardian_answers, lifecycle
from sipdesk.casework import guardians as guardians_rules
from sipdesk.casework.consent import (
    Consent,
    ConsentKind,
    ConsentPrincipal,
    GuardianConsent,
    HarmConclusion,
)
from sipdesk.casework.guardian_answers import answer_text
from sipdesk.casework.lifecycle import Action, ActionState
from sipdesk.storage.guardian_records import GuardianHow
from sipdesk.storage.models import Case, ConsentBasis, PersonContact, Principal, User


@dataclass(frozen=True)
class ConsentRow:
    """One consent as the tab shows it."""

    id: int
    kind: str  # its label: "Muntligt", "Skriftligt"
    given_on: dt.date
    taken_by: str
    covers: str
    principals: list[str]  # by name
    exclusions: str
    relatives_to_invite: str
    valid_until: dt.date
    became: str  # what became of it: "Gäller", "Förnyat …", "Återkallat …"
    # For a child: each guardian's answer, "Eva Åkesson samtycker (muntligt per telefon,
    # 2026-11-20)", and the child's own view (may be empty: no child must have one).
    guardians: list[str]
    child_view: str = ""


@dataclass(frozen=True)
class HarmRow:
    assessed_on: dt.date
    conclusion: str  # its label
    assessed_by: str
    contacts: str


@dataclass(frozen=True)
class ConsentPage:
    current: ConsentRow | None
    current_state: consent.ConsentState | None
    harm_based: bool  # no consent: a menprövning is the basis of the SIP
    assessments: list[HarmRow]  # newest first
    earlier: list[ConsentRow]  # newest first
    actions: dict[Action, ActionState]
    # For a child: the guardians' answers given since the last consent ("Per Åkesson samtycker
    # inte (…)"), and what the 18th birthday means for the consent in force.
    pending: list[str] = field(default_factory=list)
    adulthood: str = ""


def _became(item: Consent, given_on: dict[int, dt.date], recorded_by: dict[int, str]) -> str:
    if item.withdrawn_on is not None:
        text = f"Återkallat {item.withdrawn_on:%Y-%m-%d}"
        if item.withdrawn_how:
            text += f" ({item.withdrawn_how})"
        if item.id in recorded_by:
            text += f", registrerat av {recorded_by[item.id]}"
        return text
    if item.superseded_by_id is not None:
        later = given_on.get(item.superseded_by_id)
        return f"Förnyat {later:%Y-%m-%d}" if later is not None else "Förnyat"
    return "Gäller"


def consent_page(case: Case, today: dt.date) -> ConsentPage:
    """The Samtycke tab of `case` on `today`."""
    recorder = User.alias()
    items = list(Consent.select(Consent, User, recorder)
                 .join(User, on=(Consent.taken_by == User.id))
                 .switch(Consent)
                 .join(recorder, JOIN.LEFT_OUTER, on=(Consent.withdrawn_recorded_by == recorder.id),
                       attr="recorder")
                 .where(Consent.case == case).order_by(Consent.id.desc()))
    ids = [item.id for item in items]
    principals: dict[int, list[str]] = defaultdict(list)
    guardians: dict[int, list[str]] = defaultdict(list)
    if ids:
        links: list[tuple[int, str]] = list(
            ConsentPrincipal.select(ConsentPrincipal.consent, Principal.name)
            .join(Principal).where(ConsentPrincipal.consent.in_(ids))
            .order_by(Principal.name).tuples())  # type: ignore[arg-type]
        for consent_id, name in links:
            principals[consent_id].append(name)
        answers = guardian_answers.answers_of_consents(ids)
        for consent_id, given in answers.items():
            guardians[consent_id] = [
                f"{a.guardian.name} {answer_text(a.consents, a.how, a.answered_on, a.note)}"
                for a in given]
        # A consent registered before each answer was kept: who gave it, and how.
        legacy: list[tuple[int, str, str]] = list(
            GuardianConsent.select(GuardianConsent.consent, PersonContact.name,
                                   GuardianConsent.how)
            .join(PersonContact)
            .where(GuardianConsent.consent.in_([i for i in ids if not answers.get(i)]))
            .order_by(PersonContact.id).tuples())  # type: ignore[arg-type]
        for consent_id, name, how in legacy:
            guardians[consent_id].append(f"{name} har samtyckt ({_how(how)})")
    given_on = {item.id: item.given_on for item in items}
    recorded_by = {item.id: item.recorder.full_name  # type: ignore[attr-defined]
                   for item in items
                   if item.withdrawn_recorded_by_id is not None}
    rows = {item.id: ConsentRow(
        id=item.id, kind=ConsentKind(item.kind).label, given_on=item.given_on,
        taken_by=item.taken_by.full_name, covers=item.covers, principals=principals[item.id],
        exclusions=item.exclusions, relatives_to_invite=item.relatives_to_invite,
        valid_until=item.valid_until, became=_became(item, given_on, recorded_by),
        guardians=guardians[item.id], child_view=item.child_view) for item in items}
    active = next((item for item in items
                   if item.withdrawn_on is None and item.superseded_by_id is None), None)
    current = rows[active.id] if active is not None else None
    state = (consent.consent_state("consent", active.valid_until, today=today)
             if active is not None else None)
    assessments = [HarmRow(item.assessed_on, HarmConclusion(item.conclusion).label,
                           item.assessed_by.full_name, item.contacts)
                   for item in consent.harm_assessments_of(case)]
    person = case.person
    pending = [f"{g.guardian.name} {answer_text(g.consents, g.how, g.answered_on, g.note)}"
               for g in guardian_answers.pending_answers(case).values()]
    birthday = guardians_rules.came_of_age_on(case, person, today)
    soon = guardians_rules.turns_adult_soon(case, person, today)
    adulthood = (guardians_rules.came_of_age_text(birthday) if birthday is not None else
                 f"Vårdnadshavarnas samtycke gäller tills {person.first_name} fyller 18 år "
                 f"{soon:%Y-%m-%d}. Från den dagen samtycker hen själv." if soon is not None
                 else "")
    return ConsentPage(
        current=current, current_state=state,
        harm_based=case.consent_basis == ConsentBasis.HARM_ASSESSMENT,
        assessments=assessments,
        earlier=[row for row in rows.values() if current is None or row.id != current.id],
        actions={s.action: s for s in lifecycle.actions(case, today=today)},
        pending=pending, adulthood=adulthood)


def _how(value: str) -> str:
    try:
        return GuardianHow(value).label.lower()
    except ValueError:
        return value

