"""The lists of a plan version edited as a whole — the sub-goals (delmål) and the actions by
others (åtgärder av andra) — and how they are saved when several people write at once.

Each list has a version on the plan version row (`sub_goals_version`, `others_version`). The
wizard saves a list with what the user started from (`save_sub_goals(actor, plan, old, new)`):
the list's version is read, then the list; if it is still `old`, `UPDATE plan_version SET
<version> = v + 1 WHERE id = ? AND <version> = v` and the rows are replaced in the same
transaction, so a save by someone else in between is always seen. When someone else changed the
list to something else the answer is the `FieldConflict` with both lists and nothing is written.
`set_sub_goals`/`set_other_actions` replace a list whatever it holds (and bump its version).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sipdesk.accounts import audit
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import ConflictError, FieldConflict, ValidationError
from sipdesk.plans.plan_reads import other_actions, sub_goals
from sipdesk.plans.plan_rules import ensure_editable
from sipdesk.storage.db import database
from sipdesk.storage.limits import check_each
from sipdesk.storage.models import Case, User
from sipdesk.storage.plan_records import OtherAction, PlanVersion, SubGoal


def set_sub_goals(actor: User, plan: PlanVersion, goals: list[str]) -> None:
    """Replace the sub-goals whatever they are now (the list's version still goes up, so an
    editor who loaded the old list is told). The wizard saves with `save_sub_goals`."""
    case = ensure_editable(actor, plan)
    check_each(SubGoal, "text", goals, field="sub_goals")
    with database.atomic():
        PlanVersion.update(sub_goals_version=PlanVersion.sub_goals_version + 1).where(
            PlanVersion.id == plan.id).execute()
        _write_sub_goals(actor, case, plan, goals)


def _write_sub_goals(actor: User, case: Case, plan: PlanVersion, goals: list[str]) -> None:
    SubGoal.delete().where(SubGoal.plan == plan).execute()
    for position, text in enumerate(g.strip() for g in goals):
        if text:
            SubGoal.create(plan=plan, text=text, position=position)
    audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                 case=case, summary=f"Delmål ändrade ({len(goals)} st)")


_LIST_ATTEMPTS = 8


def _save_list(plan: PlanVersion, counter: Any, *, name: str, old: Any, new: Any,
               read: Callable[[], Any], write: Callable[[], None]) -> FieldConflict | None:
    """Save a list edited as a whole if it still is `old` (what the user started from): read
    the list's version `v`, then the list; if it is `old`, `UPDATE plan_version SET
    <counter> = v + 1 WHERE id = ? AND <counter> = v` and, in the same transaction, replace
    the rows. A save by someone else between the read and the update bumped the version, so
    the update finds no row and the list is compared again. Returns the conflict (both lists)
    when someone else changed the list to something else; nothing is then written."""
    for _attempt in range(_LIST_ATTEMPTS):
        version = (PlanVersion.select(counter).where(PlanVersion.id == plan.id).scalar())
        theirs = read()
        if theirs == new:
            return None  # already so: nothing to write
        if theirs != old:
            return FieldConflict(name, new, theirs, audit.field_label(name))
        with database.atomic():
            moved = (PlanVersion.update({counter: counter + 1})
                     .where((PlanVersion.id == plan.id) & (counter == version)
                            & PlanVersion.locked_at.is_null()).execute())
            if moved == 1:
                write()
                return None
        ensure_editable_again(plan)
    raise ConflictError(what="Listan", mine={name: new}, theirs={})


def ensure_editable_again(plan: PlanVersion) -> None:
    """After a refused list save: the version may have been locked meanwhile."""
    if PlanVersion.get_by_id(plan.id).locked:
        raise ValidationError("Planen har godkänts och låsts medan du skrev — det du skrivit "
                              "finns kvar i fönstret men kan inte sparas i den här versionen.")


def _goals(goals: list[str]) -> list[str]:
    return [g.strip() for g in goals if g.strip()]


def save_sub_goals(actor: User, plan: PlanVersion, old: list[str], new: list[str]
                   ) -> FieldConflict | None:
    """Save the sub-goals if they still are `old` (compare-and-set on their version)."""
    case = ensure_editable(actor, plan)
    check_each(SubGoal, "text", new, field="sub_goals")
    old, new = _goals(old), _goals(new)
    return _save_list(plan, PlanVersion.sub_goals_version, name="sub_goals", old=old, new=new,
                      read=lambda: sub_goals(plan),
                      write=lambda: _write_sub_goals(actor, case, plan, list(new)))


OtherRow = tuple[str, str, str]
OthersValue = tuple[tuple[OtherRow, ...], bool]  # the rows (who, what, when), and "none"


def others_value(plan: PlanVersion) -> OthersValue:
    """The actions by others as stored, and the explicit "inga" — the value the wizard edits."""
    rows = tuple((o.who, o.what, o.when) for o in other_actions(plan))
    none = PlanVersion.select(PlanVersion.others_none).where(PlanVersion.id == plan.id).scalar()
    return rows, bool(none)


def _cleaned_others(items: list[tuple[str, str, str]], none: bool) -> list[OtherRow]:
    cleaned = [(w.strip(), t.strip(), n.strip()) for w, t, n in items if w.strip() or t.strip()]
    for who, what, _when in cleaned:
        if not who or not what:
            raise ValidationError("Skriv både vem och vad för varje åtgärd.", field="others")
    for column, texts in (("who", [c[0] for c in cleaned]), ("what", [c[1] for c in cleaned]),
                          ("when", [c[2] for c in cleaned])):
        check_each(OtherAction, column, texts, field="others")
    if none and cleaned:
        raise ValidationError("Kryssa inte i ”inga” när det finns åtgärder av andra.",
                              field="others_none")
    return cleaned


def _write_other_actions(actor: User, case: Case, plan: PlanVersion, cleaned: list[OtherRow],
                         none: bool) -> None:
    OtherAction.delete().where(OtherAction.plan == plan).execute()
    for position, (who, what, when) in enumerate(cleaned):
        OtherAction.create(plan=plan, who=who, what=what, when=when, position=position)
    PlanVersion.update(others_none=none).where(PlanVersion.id == plan.id).execute()
    audit.record(actor, action=AuditAction.UPDATE, entity="plan_version", entity_id=plan.id,
                 case=case, summary=("Åtgärder av andra: inga" if none else
                                     f"Åtgärder av andra ändrade ({len(cleaned)} st)"))


def set_other_actions(actor: User, plan: PlanVersion, items: list[tuple[str, str, str]],
                      *, none: bool = False) -> None:
    """Actions by others (who, what, when) — or explicitly none — whatever they are now (the
    list's version still goes up). The wizard saves with `save_other_actions`."""
    case = ensure_editable(actor, plan)
    cleaned = _cleaned_others(items, none)
    with database.atomic():
        PlanVersion.update(others_version=PlanVersion.others_version + 1).where(
            PlanVersion.id == plan.id).execute()
        _write_other_actions(actor, case, plan, cleaned, none)


def save_other_actions(actor: User, plan: PlanVersion, old: OthersValue, new: OthersValue
                       ) -> FieldConflict | None:
    """Save the actions by others if they still are `old` (compare-and-set on their version)."""
    case = ensure_editable(actor, plan)
    rows, none = new
    cleaned = _cleaned_others(list(rows), none)
    old_value = (tuple(tuple(r) for r in old[0]), bool(old[1]))
    new_value = (tuple(cleaned), bool(none))
    return _save_list(plan, PlanVersion.others_version, name="others", old=old_value,
                      new=new_value, read=lambda: others_value(plan),
                      write=lambda: _write_other_actions(actor, case, plan, cleaned, none))
