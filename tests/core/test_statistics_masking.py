"""Small numbers in the statistics (issue 15: "a cell under 5 shown as '<5' so no one can be
recognised"): a count from 1 to 4 is hidden, and so is a count that would give it away by
subtraction — secondary suppression (`sipdesk.statistics.masking`), the one decision the page's
table, its charts and the printed report all use.

The figures are made by hand, added up as `compute.statistics_for` adds them (each group to the
whole, its unit and its month), so every sum holds as in the database's figures."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from sipdesk.statistics.figures import Figures, Spread, Statistics, UnitFigures
from sipdesk.statistics.masking import Hidden, hide, protect, protected
from sipdesk.statistics.period import Period, Scope
from sipdesk.statistics.rows import ROWS, Row

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 6, 30))
UNITS = {1: "Hemtjänst Norr", 2: "Hemtjänst Söder", 3: "Vårdcentralen Syd"}


def row(label: str) -> Row:
    return next(r for r in ROWS if r.label == label)


def _add(into: Figures, f: Figures) -> None:
    for field in dataclasses.fields(Figures):
        value = getattr(f, field.name)
        if isinstance(value, int) and not isinstance(value, bool):
            setattr(into, field.name, (getattr(into, field.name) or 0) + value)
        elif isinstance(value, dict):
            for key, n in value.items():
                into.count_in(field.name, key, n)
        elif isinstance(value, Spread) and value.count:
            mine: Spread = getattr(into, field.name)
            setattr(into, field.name, value if not mine.count else  # (median: any)
                    Spread(mine.count + value.count, 10, 20))


def statistics(groups: dict[tuple[int, str], Figures], scope: Scope | None = None) -> Statistics:
    """The figures of each (unit, month) added up into the whole, the units and the months."""
    total, units = Figures(), {u: Figures() for u, _m in groups}
    months = {m: Figures() for m in PERIOD.months()}
    for (unit, month), f in groups.items():
        for target in (total, units[unit], months[month]):
            _add(target, f)
    return protected(Statistics(
        PERIOD, scope or Scope.whole(), "Exempelby kommun (hela kommunen)", dt.date(2026, 7, 1),
        total, [UnitFigures(u, UNITS[u], "Exempelby kommun", f) for u, f in units.items()],
        list(months.items())))


def test_a_small_part_of_a_sum_hides_another_part_so_it_cannot_be_subtracted() -> None:
    """Data protection, no one can be recognised: "Startade 6, varav vuxna 5, varav barn <5"
    would give barn = 1 — so vuxna is written "<5" too, and the total stays."""
    stats = statistics({(1, "2026-03"): Figures(started=6, started_children=1)})
    whole = stats.hidden.whole
    assert row("Startade ärenden").text(stats.total, whole) == "6"
    assert row("– varav barn").text(stats.total, whole) == "<5"
    assert row("– varav vuxna").text(stats.total, whole) == "<5"  # 5, but it would tell
    assert row("– varav vuxna").text(stats.total, Hidden()) == "5"  # (without the rule)


def test_closure_reasons_and_follow_ups_hide_the_smallest_other_part() -> None:
    """The reasons add up to the cases ended, and on time + late + skipped + overdue + coming to
    the follow-ups due: one small part hides the smallest other part above zero, not a bigger
    one and not a zero."""
    stats = statistics({(1, "2026-02"): Figures(
        ended=19, ended_by_reason={"goals_met": 11, "moved": 2, "other": 6},
        follow_ups_due=12, follow_ups_on_time=6, follow_ups_late=1, follow_ups_coming=5)})
    whole = stats.hidden.whole
    reasons = row("– per skäl").text(stats.total, whole)
    assert "11" in reasons and reasons.count("<5") == 2 and "6" not in reasons
    assert row("Avslutade ärenden").text(stats.total, whole) == "19"
    texts = {label: row(label).text(stats.total, whole)
             for label in ("– i tid", "– sent", "– hoppades över", "– försenade", "– kommande")}
    assert texts == {"– i tid": "6", "– sent": "<5", "– hoppades över": "0",
                     "– försenade": "0", "– kommande": "<5"}


def test_the_units_add_up_to_the_whole_so_a_second_unit_is_hidden() -> None:
    """Per-unit columns add up to the whole selection: Norr's 3 would be 20 − 10 − 7, so the
    smallest other unit (Syd, 7) is written "<5" too, in the table and in the report."""
    stats = statistics({(1, "2026-01"): Figures(started=3, started_children=0),
                        (2, "2026-01"): Figures(started=10),
                        (3, "2026-02"): Figures(started=7)})
    started = row("Startade ärenden")
    shown = {u.unit: started.text(u.figures, stats.hidden.unit(u.unit_id)) for u in stats.units}
    assert shown == {"Hemtjänst Norr": "<5", "Hemtjänst Söder": "10",
                     "Vårdcentralen Syd": "<5"}
    assert started.text(stats.total, stats.hidden.whole) == "20"
    # Norr's adults (3) are hidden as well: Syd's adults too (20 − 10 − 7 would tell them);
    # Norr's children, 0, stay shown.
    assert {"started", "started_adults"} <= stats.hidden.unit(1).keys
    assert {"started", "started_adults"} <= stats.hidden.unit(3).keys
    assert "started_children" not in stats.hidden.unit(1)
    assert not stats.hidden.unit(2).keys & {"started", "started_adults"}


def test_the_months_add_up_to_the_period_so_a_second_month_is_hidden() -> None:
    """Per-month columns add up to the period: March's 2 would be 13 − 6 − 5, so May's 5 is
    hidden as well (the smallest other month); the empty months stay 0."""
    stats = statistics({(1, "2026-01"): Figures(started=6),
                        (1, "2026-03"): Figures(started=2),
                        (2, "2026-05"): Figures(started=5)})
    started = row("Startade ärenden")
    shown = {m: started.text(f, stats.hidden.month(m)) for m, f in stats.months}
    assert shown == {"2026-01": "6", "2026-02": "0", "2026-03": "<5", "2026-04": "0",
                     "2026-05": "<5", "2026-06": "0"}


def test_a_share_never_tells_a_hidden_count() -> None:
    """A share over a shown base: "8 % (<5 av 40)" tells 3 — a hidden part gives no percentage;
    and "38 av 40" tells that 2 did not take part — the small rest hides the part too."""
    stats = statistics({(1, "2026-04"): Figures(meetings_held=40, person_took_part=38,
                                                outpatient_took_part=3)})
    whole = stats.hidden.whole
    assert row("Personen deltog").text(stats.total, whole) == "över 87 % (alla utom <5 av 40)"
    assert row("Regionens öppenvård (HSL) deltog").text(stats.total, whole) == "<5 av 40"
    assert row("Hållna möten").text(stats.total, whole) == "40"
    # Without the rule both would be told.
    assert row("Personen deltog").text(stats.total, Hidden()) == "95 % (38 av 40)"


def test_a_median_leaves_out_a_count_that_would_tell_a_small_one() -> None:
    """The medians' counts add up over the units: Norr's 3 (written "underlag <5") would be
    16 − 6 − 7, so Söder's median is shown without its count."""
    stats = statistics({(1, "2026-04"): Figures(consent_to_meeting=Spread(3, 9, 12)),
                        (2, "2026-04"): Figures(consent_to_meeting=Spread(6, 14, 20)),
                        (3, "2026-05"): Figures(consent_to_meeting=Spread(7, 15, 21))})
    median = row("Dagar från samtycke till SIP-möte")
    shown = [median.text(u.figures, stats.hidden.unit(u.unit_id)) for u in stats.units]
    assert shown == ["underlag <5", "14 dagar (90 %: 20)", "15 dagar (90 %: 21; 7 st)"]
    assert median.text(stats.total, stats.hidden.whole).endswith("; 16 st)")


def test_no_hidden_small_count_can_be_worked_out_from_the_sums() -> None:
    """Whatever the numbers, after `hide` every sum with a hidden count from 1 to 4 has another
    hidden cell: none is the only unknown of a sum (tried on every combination of a few small
    and large values in a 2 × 3 table with its row, column and grand totals)."""
    values_tried = (0, 1, 4, 5, 9)
    for grid in itertools.product(values_tried, repeat=6):
        cells = {(f"r{r}", f"c{c}"): grid[3 * r + c] for r in range(2) for c in range(3)}
        for r in range(2):
            cells[(f"r{r}", "all")] = sum(grid[3 * r:3 * r + 3])
        for c in range(3):
            cells[("all", f"c{c}")] = grid[c] + grid[3 + c]
        cells[("all", "all")] = sum(grid)
        sums = [tuple([(f"r{r}", "all")] + [(f"r{r}", f"c{c}") for c in range(3)])
                for r in range(2)] + [tuple([("all", f"c{c}")] + [(f"r{r}", f"c{c}")
                                                                   for r in range(2)])
                                      for c in range(3)]
        sums += [(("all", "all"), *[(f"r{r}", "all") for r in range(2)]),
                 (("all", "all"), *[("all", f"c{c}") for c in range(3)])]
        hidden = hide(cells, sums)
        known = {c for c in cells if c not in hidden}
        grew = True
        while grew:  # what a reader works out, sum by sum
            grew = False
            for s in sums:
                unknown = [c for c in s if c not in known]
                if len(unknown) == 1:
                    known.add(unknown[0])
                    grew = True
        assert not [c for c in known if 0 < cells[c] < 5], grid


def test_protect_is_what_the_statistics_carry() -> None:
    """`Statistics.hidden` is `protect`'s answer, decided once."""
    stats = statistics({(1, "2026-03"): Figures(started=6, started_children=1)})
    assert stats.hidden == protect(stats)
    assert "started_adults" in stats.hidden.whole
