"""The statistics use cases: the figures for a period and scope, and the scopes to choose among.

Who sees what: the figures count only the cases the user may see — the same rule as every list
(`access.visible_cases`). The municipality's staff see the municipality's cases, so a unit
manager (enhetschef) gets the figures of the whole municipality, of another principal's units'
cases they take part in, or of one unit; someone from the region sees the cases they coordinate
or are invited to; an administrator sees all; the command line (no login, `user=None`) counts
every case. Counts carry no personal data, yet a figure is never wider than the lists it sums.
On PostgreSQL the server's row-level security (migration 0016) keeps the same rule. For
messages a user counts only the receipts they got and those of the messages they sent — the
mailbox's rule, and the server's — so both engines give the same kvittens figures (a unit
manager's are their own messages', not the whole unit's).

Reading figures writes nothing and holds no lock: it is a read, like the case list (no audit
entry). Printing the report for the committee writes one: `record_report_printed` (who, when,
the period and the scope — counts only, no personal data), called by
`reports.statistics_report.print_statistics` for the command line and the app's Arkiv → Skriv
ut statistik… alike.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sipdesk import clock
from sipdesk.accounts.access import EVERY_CASE, visible_cases
from sipdesk.accounts.audit import AuditAction, record
from sipdesk.plans.print_reads import municipality_name
from sipdesk.statistics import queries
from sipdesk.statistics.figures import Evaluations, Figures, Statistics, UnitFigures
from sipdesk.statistics.masking import protected
from sipdesk.statistics.period import Period, Scope, ScopeKind, check_period
from sipdesk.statistics.queries import Group, Request
from sipdesk.storage.collation import sort_key
from sipdesk.storage.db import database
from sipdesk.storage.models import Case, Principal, Unit, User


def scope_label(scope: Scope) -> str:
    """How the page and the report name the scope."""
    if scope.kind is ScopeKind.UNIT:
        unit = Unit.get_or_none(Unit.id == scope.id)
        return unit.name if unit else scope.name
    if scope.kind is ScopeKind.PRINCIPAL:
        principal = Principal.get_or_none(Principal.id == scope.id)
        return principal.name if principal else scope.name
    name = municipality_name()
    return f"{name} (hela kommunen)" if name else "Hela kommunen"


def statistics_for(user: User | None, *, period: Period, scope: Scope,
                   today: dt.date | None = None) -> Statistics:
    """The figures for `period` and `scope`, counting only what `user` may see (None: the
    command line, every case). Each unit with anything to count gets its own figures; every
    month of the period is there, empty or not."""
    check_period(period)
    today = today or clock.today()
    request = Request(user, period, scope, today)
    total = Figures()
    by_unit: dict[int, Figures] = {}
    months = {month: Figures() for month in period.months()}

    def sink(group: Group, add: object) -> None:
        assert callable(add)
        add(total)
        add(by_unit.setdefault(group.unit_id, Figures()))
        if group.month is not None and group.month in months:
            add(months[group.month])

    queries.run_counts(request, sink)
    for measure, kind, key, n, median, p90 in queries.spread_rows(request):
        spread = queries.to_spread(n, median, p90)
        if kind == "all":
            target: Figures | None = total
        elif kind == "unit":
            target = by_unit.setdefault(int(key), Figures())
        else:
            target = months.get(key)
        if target is not None:
            setattr(target, measure, spread)
    for figures in (total, *by_unit.values()):
        figures.settle_snapshots()
    total.evaluations, unit_evaluations = queries.evaluation_figures(request)
    for unit_id, figures in by_unit.items():
        figures.evaluations = unit_evaluations.get(unit_id, Evaluations(0, 0))
    # Which counts are written "<5" is decided here, once (on the page: in its worker thread).
    return protected(Statistics(
        period=period, scope=scope, scope_label=scope_label(scope), computed_on=today,
        total=total, units=_named(by_unit),
        months=[(month, figures) for month, figures in months.items()]))


def record_report_printed(user: User | None, *, period: Period, scope: Scope) -> int:
    """Log that the statistics report for `period` and `scope` was printed (`user` None: the
    command line). One entry, no case and no personal data: the period, and the scope as the
    report names it. Written before the file (as `read_log`): the log never shows fewer reports
    than were printed. Returns the entry's id."""
    check_period(period)
    where = " från kommandoraden" if user is None else ""
    label = scope_label(scope)
    with database.atomic():
        return record(user, action=AuditAction.PRINT, entity="statistics", entity_id=scope.id,
                      summary=f"Statistikrapporten skrevs ut{where}: {period.label}, {label}",
                      changes={"period": [None, period.label], "scope": [None, label]})


def _named(by_unit: dict[int, Figures]) -> list[UnitFigures]:
    """Each unit's figures with its name and principal's, in Swedish order by principal then
    unit."""
    if not by_unit:
        return []
    units = {u.id: u for u in Unit.select(Unit, Principal).join(Principal)
             .where(Unit.id.in_(sorted(by_unit)))}
    found = [UnitFigures(unit_id, units[unit_id].name, units[unit_id].principal.name, figures)
             for unit_id, figures in by_unit.items() if unit_id in units]
    return sorted(found, key=lambda u: (sort_key(u.principal), sort_key(u.unit)))


@dataclass(frozen=True)
class ScopeChoice:
    scope: Scope
    label: str
    level: int  # 0 the whole, 1 a principal, 2 a unit (indented under its principal)


def scope_choices(user: User | None) -> list[ScopeChoice]:
    """What the scope picker offers: the whole municipality, then each principal with its
    units — those of the user's own principal and those holding a case the user may see."""
    visible = EVERY_CASE if user is None else visible_cases(user)
    unit_ids = {row.unit_id for row in Case.select(Case.unit).where(visible).distinct()}
    if user is not None:
        own = Unit.select(Unit.principal).where(Unit.id == user.unit_id)
        unit_ids |= {u.id for u in Unit.select(Unit.id).where(Unit.principal.in_(own))}
    choices = [ScopeChoice(Scope.whole(), scope_label(Scope.whole()), 0)]
    if not unit_ids:
        return choices
    units = list(Unit.select(Unit, Principal).join(Principal)
                 .where(Unit.id.in_(sorted(unit_ids))))
    principals = sorted({u.principal for u in units}, key=lambda p: sort_key(p.name))
    # One principal only: its line would repeat the whole ("Exempelby kommun (hela kommunen)"
    # and "Exempelby kommun" count the same cases), so its units come right under the whole.
    alone = len(principals) == 1
    municipality = municipality_name()
    for principal in principals:
        if not alone:
            label = (f"{principal.name} – huvudman" if principal.name == municipality
                     else principal.name)
            choices.append(ScopeChoice(Scope.principal(principal.id, principal.name), label, 1))
        for unit in sorted((u for u in units if u.principal_id == principal.id),
                           key=lambda u: sort_key(u.name)):
            choices.append(ScopeChoice(Scope.unit(unit.id, unit.name), unit.name,
                                       1 if alone else 2))
    return choices


def find_unit_scope(name: str) -> Scope:
    """The scope of one unit by its name, "Hemtjänst Norr" or "Huvudman/Enhet" (the command
    line's --unit); raises ValidationError with the names to choose among."""
    from sipdesk.errors import ValidationError

    principal_name, _slash, unit_name = name.rpartition("/")
    query = Unit.select(Unit, Principal).join(Principal).where(Unit.name == unit_name.strip())
    if principal_name:
        query = query.where(Principal.name == principal_name.strip())
    found = list(query)
    if len(found) == 1:
        return Scope.unit(found[0].id, found[0].name)
    if found:
        raise ValidationError(f"Flera enheter heter {unit_name.strip()}: skriv "
                              "\"Huvudman/Enhet\", t.ex. "
                              f"\"{found[0].principal.name}/{found[0].name}\".", field="unit")
    names = ", ".join(sorted((u.name for u in Unit.select(Unit.name)), key=sort_key))
    raise ValidationError(f"Det finns ingen enhet som heter {name}. Enheterna är: {names}.",
                          field="unit")
