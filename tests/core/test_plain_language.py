"""DOMAIN.md step 8, "Plain language: no abbreviations, jargon or medical terms": the word list,
law references, and approval that needs open warnings acknowledged — on both engines."""

from __future__ import annotations

import peewee
import pytest

from sipdesk.accounts import audit
from sipdesk.errors import ValidationError
from sipdesk.plans import plan, plan_language
from sipdesk.plans.plan import InterventionInput
from tests.core.test_plan import fill_plan, principal
from tests.plan_scenarios import plan_world


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def words(text: str) -> list[str]:
    return [word for word, _suggestion in plan.text_hints(text)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Flytt till ÄBO i vår", ["ÄBO"]),
    ("Plats på SÄBO", ["SÄBO"]),
    ("Kontakt med KAR", ["KAR"]),
    ("Läkaren skriver i NPÖ", ["NPÖ"]),
    ("Insats enligt SoL", ["SoL", "insats enligt"]),  # not "insats" once more
    ("Hjälp enl. beslut, ev. mer fr.o.m. januari t.o.m. mars, bl.a. städning pga ryggen",
     ["bl.a.", "ev.", "enl.", "pga", "fr.o.m.", "t.o.m."]),
    ("Hemtjänst enligt 4 kap. 1 §", ["4 kap. 1 §"]),
    ("Beslut enligt 4:1", ["4:1"]),
    ("Rätt till SIP enligt 2 kap 7§", ["SIP", "2 kap 7§"]),
])
def test_jargon_and_law_references_are_caught(text: str, expected: list[str]) -> None:
    """Plain language: no abbreviations, jargon or medical terms (DOMAIN.md step 8)."""
    assert sorted(words(text)) == sorted(expected)


@pytest.mark.parametrize("text", [
    "Jag vill ha lov att bada i mitt badkar",  # "lov" and "kar" are ordinary words
    "En dos medicin på morgonen",
    "Hemtjänsten kommer kl. 8:30 och 10:00",  # times of day are not law references
    "Att kunna bo kvar hemma och känna mig trygg",
])
def test_ordinary_words_and_times_are_not_flagged(text: str) -> None:
    assert words(text) == []


def test_every_word_in_the_list_has_a_plain_alternative() -> None:
    rows = plan_language._word_list()
    assert len(rows) >= 80
    for _pattern, word, suggestion in rows:
        assert suggestion and suggestion.casefold() != word.casefold(), word
    assert {"ÄBO", "KAR", "NPÖ", "LSS", "HSL", "SoL", "LPT", "LRV", "SÄBO", "HSL-insats", "ADL",
            "KVÅ", "VPL", "DOS", "MAS", "LOV", "enl.", "ang.", "bl.a.", "ev.", "pga", "fr.o.m.",
            "t.o.m.", "insats enligt", "biståndsbeslut", "vårdplanering"} <= {
        word for _p, word, _s in rows}


def test_a_law_reference_gets_a_general_hint(world: dict) -> None:
    p = fill_plan(world)
    plan.update_fields(world["officer"], p, {"main_goal": (
        p.main_goal, "Få hemtjänst enligt 4 kap. 1 § och bo kvar på ÄBO")})
    warnings = plan.plain_language_warnings(plan.get_version(p.id))
    assert "Huvudmål: ”ÄBO” — skriv hellre: äldreboende (boende för äldre med personal " \
           "dygnet runt)" in warnings
    assert any(w.startswith("Huvudmål: ”4 kap. 1 §” — skriv hellre: vad regeln betyder")
               for w in warnings)


def finish_parts(world: dict, p: plan.PlanVersion) -> None:
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.mark_part_finished(user, p, part.principal_id)


def test_approving_with_open_warnings_needs_an_acknowledgement(world: dict) -> None:
    """Plain language: the warnings do not block, but approving over them is said explicitly
    (in the core, not only in a dialog) and written in the Händelselogg."""
    p = fill_plan(world)
    kommun = principal("Exempelby kommun")
    plan.save_intervention(world["manager"], p, InterventionInput(
        principal_id=kommun.id, what="Hjälp med ADL enl. biståndsbeslut",
        responsible="Maria Holm", how_often="Varje dag", unit="Hemtjänst Norr"))
    finish_parts(world, p)
    with pytest.raises(ValidationError) as info:
        plan.approve(world["manager"], plan.get_version(p.id), kommun.id)
    assert info.value.field == "plain_language"
    assert info.value.message.startswith("Planen har ord som den enskilde kanske inte förstår")
    assert "Insatser: ”ADL” — skriv hellre: vardagliga sysslor" in info.value.message
    assert all(part.approved_at is None for part in plan.parts(p))

    plan.approve(world["manager"], plan.get_version(p.id), kommun.id,
                 plain_language_acknowledged=True)
    [entry] = [line for line in audit.case_log(world["case"].id)
               if "godkände planen" in line.summary]
    assert entry.summary == ("Exempelby kommun godkände planen, trots svåra ord: ADL, "
                             "biståndsbeslut, enl.")


def test_a_plan_in_plain_language_is_approved_without_questions(world: dict) -> None:
    p = fill_plan(world)
    assert plan.plain_language_warnings(p) == []
    finish_parts(world, p)
    for part in plan.parts(p):
        user = world["manager"] if part.principal.name == "Exempelby kommun" else world["nurse"]
        plan.approve(user, plan.get_version(p.id), part.principal_id)
    assert plan.get_version(p.id).locked
