"""Statistics for follow-up (issue 15): figures computed in the database for a period and a
scope — the whole municipality, a principal or a unit — per unit and per month.

- `period`: the period and the scope asked for;
- `figures`: the figures as plain values (`Statistics`, `Figures`, `Spread`);
- `queries`: the SQL — one definition on both engines, every rule written out there;
- `compute`: the use cases, `statistics_for(user, period=…, scope=…)` and `scope_choices(user)`;
- `rows`: each figure's Swedish name, how it is counted and how it is shown (the page, the
  report and an export use the same).
"""
