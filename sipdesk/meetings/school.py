"""School, preschool and elevhälsa in a SIP for a child — seeds 002 (§2.1, §3, §3.1, §3.2) and
001 (§3, §5), DOMAIN.md "Children".

- A school, a preschool or the elevhälsa is a principal of kind "other" acting under the school
  law (`Law.SCHOOL`, skollagen): in the directory an organisation of kind `SCHOOL_KINDS`. It
  does not count as the municipality or the region of a SIP even where the municipality runs
  it: a SIP always has at least one actor from the region and one from the municipality's
  social services or health care (seed 002 §3.1, "Man kan ha möte kring den enskilde utan
  aktörer men då är det inte en SIP").
- A school may be invited, and may convene a SIP for a pupil — together with a municipality
  and a region (seed 002, the BUS agreement; seed 001: SIP applies to förskola/skola including
  elevhälsan). A meeting of the school and one principal only is not a SIP: `not_a_sip` refuses
  it with the reason and suggests a meeting form that fits (`OtherMeetingForm`, seed 002 §3.2).
- Where social services or the region asks the school to take part, the school is obliged to
  cooperate (skollagen 29 kap. 13 §, seed 002 §2.1): `school_must_cooperate` tells the letter
  to the school to say so (`SCHOOL_DUTY`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import ClassVar, Protocol

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.models import Law, PrincipalKind

SCHOOL_LAW = Law.SCHOOL
# Organisation kinds (casework.contacts.OrganisationKind values) that act under the school law.
SCHOOL_KINDS = ("school", "preschool", "student_health")

SCHOOL_DUTY = (
    "Förskolan och skolan är skyldiga att samverka när socialtjänsten eller regionen begär det "
    "(skollagen 29 kap. 13 §). Därför ber vi skolan att vara med på mötet.")


class OtherMeetingForm(LabelledEnum):
    """Meeting forms that are not a SIP (seed 002 §3.2), for what a SIP cannot be."""

    INFORMATION = "information"
    NETWORK = "network"
    CONSULTATION = "consultation"

    __labels__: ClassVar[Labels] = {
        "information": "Informationsmöte",
        "network": "Nätverksmöte",
        "consultation": "Konsultation",
    }

    @property
    def when(self) -> str:
        """When the form fits, in the seed's words."""
        return {
            "information": "när vårdnadshavarna vill veta vilket stöd en verksamhet kan ge",
            "network": "när vårdnadshavare, skolan och andra vill samråda om hur ni går vidare",
            "consultation": "när skolan vill ha råd om hur den ska arbeta vidare",
        }[self.value]


class Represents(Protocol):
    """A participant representing a principal: its principal's kind and the law it acts under
    (`invitation.ParticipantInput`, `invitation.Participant` — the latter as stored strings)."""

    @property
    def principal_kind(self) -> PrincipalKind | str | None: ...

    @property
    def law(self) -> Law | str | None: ...


def _law(value: Law | str | None) -> Law | None:
    if value is None or value == "":
        return None
    return Law(value)


def _kind(value: PrincipalKind | str | None) -> PrincipalKind | None:
    if value is None or value == "":
        return None
    return PrincipalKind(value)


def is_school(participant: Represents) -> bool:
    """The participant acts for a school, preschool or elevhälsa (the school law)."""
    return _law(participant.law) is SCHOOL_LAW


def sip_principal_kinds(participants: Iterable[Represents]) -> set[PrincipalKind]:
    """The kinds of principal that count for a SIP: a school never counts as the municipality
    or the region, whoever runs it."""
    return {kind for p in participants
            if not is_school(p) and (kind := _kind(p.principal_kind)) is not None}


@dataclass(frozen=True)
class NotASip:
    """Why a school's meeting cannot be a SIP, and what it can be instead."""

    reason: str
    missing: tuple[PrincipalKind, ...]  # the municipality and/or the region
    suggestions: tuple[OtherMeetingForm, ...] = tuple(OtherMeetingForm)

    @property
    def message(self) -> str:
        """The refusal in one message, with the other meeting forms to choose from."""
        forms = [form.label.lower() for form in self.suggestions]
        listed = ", ".join(forms[:-1]) + " eller " + forms[-1] if len(forms) > 1 else forms[0]
        return (f"{self.reason} Bjud in {self._whom()} — eller välj en annan mötesform: "
                f"{listed}. Det är inte en SIP, men det kan vara det som behövs nu.")

    def _whom(self) -> str:
        names = {PrincipalKind.MUNICIPALITY: "kommunen (socialtjänsten eller kommunens "
                                             "hälso- och sjukvård)",
                 PrincipalKind.REGION: "regionen (t.ex. vårdcentralen, BUP eller "
                                       "habiliteringen)"}
        return " och ".join(names[kind] for kind in self.missing)


def not_a_sip(participants: Iterable[Represents]) -> NotASip | None:
    """Seed 002 §3.1: a meeting with the school and only one principal (or none) is not a SIP —
    a SIP always has the municipality and the region. None when the school is not there or the
    meeting can be a SIP."""
    people = list(participants)
    if not any(is_school(p) for p in people):
        return None
    kinds = sip_principal_kinds(people)
    missing = tuple(kind for kind in (PrincipalKind.MUNICIPALITY, PrincipalKind.REGION)
                    if kind not in kinds)
    if not missing:
        return None
    if len(missing) == 2:
        reason = ("Skolan kan inte ha en SIP ensam: en SIP har alltid minst en från kommunen "
                  "och en från regionen, och skolan räknas inte som någon av dem.")
    else:
        present = "kommunen" if PrincipalKind.MUNICIPALITY in kinds else "regionen"
        reason = (f"Skolan och {present} räcker inte för en SIP: en SIP har alltid minst en "
                  "från kommunen och en från regionen, och skolan räknas inte som någon av dem.")
    return NotASip(reason=reason, missing=missing)


def school_must_cooperate(*, convener_law: Law | str | None,
                          convener_kind: PrincipalKind | str | None) -> bool:
    """Skollagen 29 kap. 13 § (seed 002 §2.1): the school must cooperate when social services
    or the region asks it — the convener acts for the municipality's social services (SoL,
    LSS) or health care, or for the region; not when the school convenes itself."""
    law, kind = _law(convener_law), _kind(convener_kind)
    if law is SCHOOL_LAW:
        return False
    return law in (Law.SOL, Law.LSS) or kind is PrincipalKind.REGION or (
        kind is PrincipalKind.MUNICIPALITY and law is Law.HSL)
