"""Who may see a case (DOMAIN.md, Data protection: access only for those who work with the case
or its unit). The municipality's own staff see its cases; others see a case they coordinate or
are invited to as a participant (with the kallelse)."""

from __future__ import annotations

from .models import Case, Role, Unit, User


def can_see(user: User, case: Case) -> bool:
    if not user.active:
        return False
    if user.role == Role.ADMINISTRATOR.value or case.coordinator_id == user.id:
        return True
    case_unit = Unit.get_by_id(case.unit_id)
    if case_unit.principal_id == user.unit.principal_id:
        return True
    # Imported here: invitation depends (through messaging) on this module.
    from .invitation import Meeting, Participant

    return bool(Participant.select().join(Meeting)
                .where((Meeting.case == case.id) & (Participant.user == user.id)).exists())
