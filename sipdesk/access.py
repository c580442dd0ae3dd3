"""Who may see a case (DOMAIN.md, Data protection: access only for those who work with the case
or its unit). The municipality's own staff see its cases; others see a case they coordinate or
are a participant in (participants arrive with the kallelse)."""

from __future__ import annotations

from .models import Case, Role, Unit, User


def can_see(user: User, case: Case) -> bool:
    if not user.active:
        return False
    if user.role == Role.ADMINISTRATOR.value or case.coordinator_id == user.id:
        return True
    case_unit = Unit.get_by_id(case.unit_id)
    return bool(case_unit.principal_id == user.unit.principal_id)

