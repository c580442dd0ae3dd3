"""Which figures are not shown, so that no one can be recognised (issue 15: "a cell under 5
shown as '<5'") — one decision for the Statistik page's table, its charts and the printed
report.

A count from 1 to 4 is hidden (primary suppression). That alone is not enough: many figures add
up to another one that is shown, and a single hidden part is then found by subtraction
("Startade 6, varav vuxna 5, varav barn <5": barn = 1). So a hidden count also hides another
part of every sum it belongs to (secondary suppression), until no hidden count from 1 to 4 can
be worked out from what is shown. The sums, all exact in `queries` (each grouped row is added to
the whole, its unit and its month):

- within one column: started = children + adults; ended = the closures by reason; follow-ups
  due = on time + late + skipped + overdue + coming; skipped = the reasons written; a share's
  base = the part + the rest ("5 av 6 deltog" tells that 1 did not: the rest, never shown, is
  protected as well), the days to approval are counted over the plans approved by all;
- across columns: the whole = the sum of its units, and (figures of a period, not snapshots) the
  sum of its months; a median's count ("11 st") adds up the same way.

The rule, kept simple: work out what a reader can compute — a sum whose cells are all known but
one gives that one — and when that reaches a hidden count from 1 to 4, hide one more shown cell
of that sum: the smallest part above zero (a unit's or a month's rather than the whole), the
whole only when no part is left; when a cell of that sum was itself computed from another sum,
that computation is broken first (`_breaking`). Repeat until nothing hidden from 1 to 4 can be
computed. A hidden cell is written "<5" whatever its value (`rows`): a different mark for the
secondary ones would itself tell ("barn <5, vuxna hidden but 5 or more, 6 in all": barn = 1).

Not covered: solving several sums together as a system of equations, and comparing two reports
of different scopes (the whole municipality less one principal).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from sipdesk.statistics.figures import SNAPSHOTS, Figures, Hidden, Protection, Statistics

__all__ = ["SMALLEST_SHOWN", "Hidden", "Protection", "hide", "protect", "protected"]

SMALLEST_SHOWN = 5

WHOLE = "all"

# (part, base): shown as "x % (part av base)"; base − part is the rest, never shown.
SHARES = (("person_took_part", "meetings_held"), ("outpatient_took_part", "meetings_held"),
          ("interpreter_needed", "meetings_held"), ("interpreter_booked", "interpreter_needed"),
          ("plans_due", "plans"), ("documented_in_time", "plans_due"),
          ("approved_by_all", "plans"), ("evaluations.evaluated", "evaluations.meetings"))
COUNTS = ("started", "started_children", "started_adults", "ended", "meetings_held",
          "person_took_part", "outpatient_took_part", "interpreter_needed",
          "interpreter_booked", "plans", "plans_due", "documented_in_time", "approved_by_all",
          "follow_ups_due", "follow_ups_on_time", "follow_ups_late", "follow_ups_skipped",
          "follow_ups_overdue", "follow_ups_coming", *SNAPSHOTS)
SPREADS = ("need_to_consent", "consent_to_meeting", "days_to_approval", "kvittens_minutes")
FOLLOW_UPS = ("follow_ups_on_time", "follow_ups_late", "follow_ups_skipped",
              "follow_ups_overdue", "follow_ups_coming")
REASONS = ("ended_by_reason", "skipped_reasons")


def small(n: int | None) -> bool:
    """A count from 1 to 4: never shown."""
    return n is not None and 0 < n < SMALLEST_SHOWN


def rest(part: str) -> str:
    """The key of a share's rest (base − part)."""
    return f"rest:{part}"


def reason_key(name: str, reason: str) -> str:
    return f"{name}:{reason}"


def cells_of(f: Figures) -> dict[str, int]:
    """Every count of `f` by key (absent: not counted there, as a month's snapshots), the
    shares' rests too."""
    found: dict[str, int] = {}
    for name in COUNTS:
        value = f.started_adults if name == "started_adults" else getattr(f, name)
        if value is not None:
            found[name] = value
    for name in REASONS:
        for reason, n in getattr(f, name).items():
            found[reason_key(name, reason)] = n
    for name in SPREADS:
        found[name] = getattr(f, name).count
    if f.evaluations is not None:
        found["evaluations.meetings"] = f.evaluations.meetings
        found["evaluations.evaluated"] = f.evaluations.evaluated
    for part, base in SHARES:
        if part in found and base in found:
            found[rest(part)] = found[base] - found[part]
    return found


def sums_within(cells: dict[str, int]) -> list[tuple[str, ...]]:
    """The sums inside one column, the whole first: (whole, part, part …)."""
    found: list[tuple[str, ...]] = [("started", "started_children", "started_adults"),
                                    ("follow_ups_due", *FOLLOW_UPS),
                                    ("approved_by_all", "days_to_approval")]
    for name, whole in (("ended_by_reason", "ended"), ("skipped_reasons", "follow_ups_skipped")):
        parts = tuple(k for k in cells if k.startswith(f"{name}:"))
        if parts:  # (a month has no reasons for skipping: not a sum there)
            found.append((whole, *parts))
    found += [(base, part, rest(part)) for part, base in SHARES if rest(part) in cells]
    if cells.get("evaluations.meetings") == cells.get("meetings_held"):
        found.append(("meetings_held", "evaluations.meetings"))  # the same meetings
    return [s for s in found if all(k in cells for k in s)]


def by_months(key: str) -> bool:
    """Whether the months of a period add up to the whole for this key."""
    return not (key in SNAPSHOTS or key.startswith(("skipped_reasons:", "evaluations."))
                or key == rest("evaluations.evaluated"))


Cell = tuple[str, str]  # (column: "all", "unit:3", "month:2026-03"; key)


def protected(stats: Statistics) -> Statistics:
    """`stats` with its hidden cells decided (`Statistics.hidden`)."""
    return dataclasses.replace(stats, hidden=protect(stats))


def protect(stats: Statistics) -> Protection:
    """The hidden cells of `stats` (see the module's rule)."""
    columns: dict[str, dict[str, int]] = {WHOLE: cells_of(stats.total)}
    for unit in stats.units:
        columns[f"unit:{unit.unit_id}"] = cells_of(unit.figures)
    for month, figures in stats.months:
        columns[f"month:{month}"] = cells_of(figures)
    values = {(column, key): n for column, cells in columns.items() for key, n in cells.items()}
    sums: list[tuple[Cell, ...]] = []
    for column, cells in columns.items():
        sums += [tuple((column, k) for k in s) for s in sums_within(cells)]
    for key in columns[WHOLE]:
        for prefix, wanted in (("unit:", True), ("month:", by_months(key))):
            parts = [(c, key) for c in columns if c.startswith(prefix) and key in columns[c]]
            if wanted and parts:
                sums.append(((WHOLE, key), *parts))
    hidden = hide(values, sums)
    per_column: dict[str, set[str]] = {c: set() for c in columns}
    for column, key in hidden:
        if not key.startswith("rest:"):
            per_column[column].add(key)
    return Protection(
        whole=Hidden(frozenset(per_column[WHOLE])),
        units={u.unit_id: Hidden(frozenset(per_column[f"unit:{u.unit_id}"]))
               for u in stats.units},
        months={m: Hidden(frozenset(per_column[f"month:{m}"])) for m, _f in stats.months})


def hide(values: dict[Cell, int], sums: Iterable[tuple[Cell, ...]]) -> set[Cell]:
    """The cells to hide: those from 1 to 4, the rests (never shown), and enough more that no
    cell from 1 to 4 can be computed from the sums (each `(whole, part, …)`)."""
    sums = [s for s in sums if len(s) > 1]
    sensitive = {c for c, n in values.items() if small(n)}
    hidden = sensitive | {c for c in values if c[1].startswith("rest:")}
    _plain_cases(values, sums, hidden, sensitive)
    while True:
        leak = _first_leak(values, sums, hidden, sensitive)
        if leak is None:
            return hidden
        hidden.add(leak)


def _plain_cases(values: dict[Cell, int], sums: list[tuple[Cell, ...]], hidden: set[Cell],
                 sensitive: set[Cell]) -> None:
    """First, cheaply, the sums whose only hidden cell is one from 1 to 4 — it would be the
    whole less the shown parts: hide the smallest shown part above zero (else the whole), as
    the full search would, so that it is left only the computations over several sums (a
    statistics of many units would otherwise search again for every cell it hides)."""
    changed = True
    while changed:
        changed = False
        for s in sums:
            inside = [c for c in s if c in hidden]
            if len(inside) == 1 and inside[0] in sensitive:
                chosen = _breaking(s, inside[0], values, hidden, {})
                if chosen is not None:
                    hidden.add(chosen)
                    changed = True


def _first_leak(values: dict[Cell, int], sums: list[tuple[Cell, ...]], hidden: set[Cell],
                sensitive: set[Cell]) -> Cell | None:
    """What a reader can compute from the shown cells, sum by sum; at the first hidden cell
    from 1 to 4 reached, the shown cell to hide next (None: nothing leaks)."""
    known = {c for c in values if c not in hidden}
    derived_by: dict[Cell, tuple[Cell, ...]] = {}
    sums_of: dict[Cell, list[tuple[Cell, ...]]] = {}
    for s in sums:
        for c in s:
            sums_of.setdefault(c, []).append(s)
    queue = list(sums)
    while queue:
        s = queue.pop()
        unknown = [c for c in s if c not in known]
        if len(unknown) != 1:
            continue
        [found] = unknown
        known.add(found)
        derived_by[found] = s
        if found in sensitive:
            return _to_hide(s, found, values, hidden, derived_by)
        queue.extend(sums_of[found])
    return None


def _to_hide(s: tuple[Cell, ...], found: Cell, values: dict[Cell, int], hidden: set[Cell],
             derived_by: dict[Cell, tuple[Cell, ...]]) -> Cell:
    """The shown cell to hide so that `found` can no longer be computed from the sum `s`."""
    return (_breaking(s, found, values, hidden, derived_by)
            or min((c for c in s if c not in hidden and c != found), key=lambda c: values[c]))


def _breaking(s: tuple[Cell, ...], found: Cell, values: dict[Cell, int], hidden: set[Cell],
              derived_by: dict[Cell, tuple[Cell, ...]]) -> Cell | None:
    """In this order: for a cell of `s` that was itself computed from another sum, a cell that
    breaks that computation (the same cell is often tied over columns — one unit and one month
    are the whole — and hiding another part here would only move the problem); else the
    smallest shown part above zero; else the whole; else a part of zero (likely computed again
    from its own parts: the last resort)."""
    whole, *parts = s
    for other in s:
        if other != found and other in derived_by:
            deeper = _breaking(derived_by[other], other, values, hidden, derived_by)
            if deeper is not None:
                return deeper
    shown = [c for c in parts if c not in hidden and c != found]
    above_zero = [c for c in shown if values[c] > 0]
    if above_zero:
        return min(above_zero, key=lambda c: values[c])
    if whole not in hidden and whole != found:
        return whole
    return shown[0] if shown else None
