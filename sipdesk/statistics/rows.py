"""Each figure's Swedish name, how it is counted (the page's tooltip, the report's note) and how
it is written — one list for the Statistik page and the printed report.

Every value is written masked, for the column's `Hidden` cells (`masking`: counts from 1 to 4,
and the counts that would give them away by subtraction): such a count is written "<5", a share
over a hidden base and a median over fewer than five "underlag <5", a share whose part is
hidden gives no percentage, and a median whose count is hidden is written without it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sipdesk.statistics.figures import Figures, Spread
from sipdesk.statistics.masking import SMALLEST_SHOWN, Hidden, reason_key, small

__all__ = ["FEW_FOR_LINE", "HIDDEN_HEIGHT", "LIGHT_BARS", "MASK_NOTE", "MONTHS_WITHOUT_POINT",
           "ROWS", "SMALLEST_SHOWN", "Hidden", "Row",
           "count_text"]

HIDDEN_TEXT = f"<{SMALLEST_SHOWN}"
FEW_TEXT = f"underlag <{SMALLEST_SHOWN}"
MASK_NOTE = (f"Värden under {SMALLEST_SHOWN} och värden som skulle avslöja dem (genom att "
             f"räkna bort de andra delarna av en summa) visas som <{SMALLEST_SHOWN}, och andelar "
             f"och medianer med färre än {SMALLEST_SHOWN} i underlaget visas inte, så att ingen "
             "kan kännas igen.")

# A chart's bar for a hidden count: as high as "<5" can be, in a lighter colour, and this note.
HIDDEN_HEIGHT = SMALLEST_SHOWN - 1
LIGHT_BARS = (f"Ljusa staplar: färre än {SMALLEST_SHOWN}, eller ett värde som skulle avslöja ett "
              f"sådant (visas som <{SMALLEST_SHOWN}, så att ingen kan kännas igen).")
# The median line (page and report): a month with fewer than five meetings has no point.
FEW_FOR_LINE = (f"För få möten per månad för att visa medianen (den visas när minst "
                f"{SMALLEST_SHOWN} möten ligger bakom den).")
MONTHS_WITHOUT_POINT = (f"Månader utan punkt: färre än {SMALLEST_SHOWN} möten; linjen går "
                        "mellan de andra.")


def month_axis_labels(months: list[str]) -> list[str]:
    """A chart's month names: "jan", "feb" …; with the year ("jan 2026") when the months span
    more than one."""
    from sipdesk.statistics.period import month_label

    several_years = len({month[:4] for month in months}) > 1
    return [month_label(month, short=True) + (f" {month[:4]}" if several_years else "")
            for month in months]


@dataclass(frozen=True)
class Row:
    label: str
    how: str  # how it is counted, in plain Swedish
    text: Callable[[Figures, Hidden], str]
    snapshot: bool = False  # a moment, not a month (empty in a month's column)


def count_text(n: int | None, hidden: bool = False) -> str:
    """A count as shown: "<5" when hidden or from 1 to 4, "—" when there is none."""
    if n is None:
        return "—"
    if hidden or small(n):
        return HIDDEN_TEXT
    return f"{n:,}".replace(",", " ")


def share_text(part: int, whole: int, part_hidden: bool = False,
               whole_hidden: bool = False) -> str:
    """"83 % (10 av 12)"; over a hidden base "underlag <5"; a hidden part gives no
    percentage: "<5 av 40", or — when it is the rest that is small — "över 87 % (alla utom <5
    av 40)"."""
    if not whole:
        return "—"
    if whole_hidden or small(whole):
        return FEW_TEXT
    if part_hidden or small(part):
        left = whole - part
        if small(left) and not small(part):
            above = 100 * (whole - SMALLEST_SHOWN) // whole
            return f"över {above} % (alla utom {HIDDEN_TEXT} av {count_text(whole)})"
        return f"{HIDDEN_TEXT} av {count_text(whole)}"
    return f"{round(100 * part / whole)} % ({count_text(part)} av {count_text(whole)})"


def spread_text(s: Spread, count_hidden: bool = False, unit: str = "dagar",
                divide: int = 1) -> str:
    if not s.count or s.median is None or s.p90 is None:
        return "—"
    if s.count < SMALLEST_SHOWN:
        return FEW_TEXT
    median, p90 = round(s.median / divide), round(s.p90 / divide)
    if count_hidden:  # over five or more, but their number would give a small one away
        return f"{median} {unit} (90 %: {p90})"
    return f"{median} {unit} (90 %: {p90}; {count_text(s.count)} st)"


def _count(name: str) -> Callable[[Figures, Hidden], str]:
    return lambda f, hidden: count_text(getattr(f, name), name in hidden)


def _share(part: str, whole: str) -> Callable[[Figures, Hidden], str]:
    return lambda f, hidden: share_text(getattr(f, part), getattr(f, whole), part in hidden,
                                        whole in hidden)


def _spread(name: str, unit: str = "dagar", divide: int = 1) -> Callable[[Figures, Hidden], str]:
    return lambda f, hidden: spread_text(getattr(f, name), name in hidden, unit, divide)


def _reasons(name: str) -> Callable[[Figures, Hidden], str]:
    def text(f: Figures, hidden: Hidden) -> str:
        counts: dict[str, int] = getattr(f, name)
        if not counts:
            return "—"
        return "; ".join(f"{_reason_label(k)}: {count_text(v, reason_key(name, k) in hidden)}"
                         for k, v in sorted(counts.items()))
    return text


def _reason_label(key: str) -> str:
    from sipdesk.casework.lifecycle import ClosureReason
    from sipdesk.storage.models import CaseStatus

    for enum in (ClosureReason, CaseStatus):
        try:
            return str(enum(key).label)
        except ValueError:
            continue
    return key  # a skipped follow-up's reason, as written


def _evaluated(f: Figures, hidden: Hidden) -> str:
    if f.evaluations is None:
        return "—"
    return share_text(f.evaluations.evaluated, f.evaluations.meetings,
                      "evaluations.evaluated" in hidden, "evaluations.meetings" in hidden)


def _mean(f: Figures, hidden: Hidden) -> str:
    e = f.evaluations
    if e is None or e.mean_score is None:
        return "—"
    if e.evaluated < SMALLEST_SHOWN:
        return FEW_TEXT
    return f"{e.mean_score:.1f} av 5".replace(".", ",")


ROWS: tuple[Row, ...] = (
    Row("Startade ärenden", "Ärenden som registrerades under perioden.", _count("started")),
    Row("– varav barn", "Startade ärenden där personen var under 18 år den dagen "
        "(enligt personnumret).", _count("started_children")),
    Row("– varav vuxna", "Startade ärenden där personen var 18 år eller äldre.",
        lambda f, hidden: count_text(f.started_adults, "started_adults" in hidden)),
    Row("Avslutade ärenden", "Ärenden som avslutades under perioden (avslutsdatum), och "
        "ärenden som slutade före en SIP: personen tackade nej eller det blev ingen SIP.",
        _count("ended")),
    Row("– per skäl", "Avslutade ärenden räknade per avslutsskäl.",
        _reasons("ended_by_reason")),
    Row("Öppna ärenden vid periodens slut", "Ärenden registrerade senast sista dagen och "
        "inte avslutade då.", _count("open_at_end"), snapshot=True),
    Row("Dagar från behov till samtycke", "Från dagen behovet uppmärksammades (annars "
        "ärendets start) till ärendets första samtycke, för samtycken under perioden. "
        "Median och 90:e percentil.", _spread("need_to_consent")),
    Row("Dagar från samtycke till SIP-möte", "Från första samtycket (eller menprövningen) "
        "till ärendets första hållna SIP-möte (inte uppföljning), för möten under perioden. "
        "Median och 90:e percentil.", _spread("consent_to_meeting")),
    Row("Hållna möten", "Möten med status hållet under perioden, uppföljningar också.",
        _count("meetings_held")),
    Row("Personen deltog", "Andel hållna möten där personen inte markerades som frånvarande.",
        _share("person_took_part", "meetings_held")),
    Row("Regionens öppenvård (HSL) deltog", "Andel hållna möten där en deltagare från "
        "öppenvården markerades som närvarande.",
        _share("outpatient_took_part", "meetings_held")),
    Row("Tolk bokad när tolk behövdes", "Av hållna möten där personen behöver tolk: andel "
        "där en tolk bjöds in.", _share("interpreter_booked", "interpreter_needed")),
    Row("Planer (möten under perioden)", "Planversioner vars möte var under perioden.",
        _count("plans")),
    Row("Dokumenterade inom två arbetsdagar", "Av planerna som är dokumenterade eller vars "
        "tidsgräns har passerat: andel där alla huvudmäns delar var klara senast två "
        "arbetsdagar efter mötet (helgdagar, midsommarafton, julafton och nyårsafton räknas "
        "inte).", _share("documented_in_time", "plans_due")),
    Row("Godkända av alla huvudmän", "Andel planer där varje huvudmans del är godkänd.",
        _share("approved_by_all", "plans")),
    Row("Dagar till godkännande", "Från mötet till den sista huvudmannens godkännande. "
        "Median och 90:e percentil.", _spread("days_to_approval")),
    Row("Uppföljningar som skulle göras", "Gällande planer vars uppföljning (satt datum, "
        "annars ett år efter mötet) infaller under perioden.", _count("follow_ups_due")),
    Row("– i tid", "Nästa planversions möte hölls senast uppföljningsdagen.",
        _count("follow_ups_on_time")),
    Row("– sent", "Nästa planversions möte hölls efter uppföljningsdagen.",
        _count("follow_ups_late")),
    Row("– hoppades över", "Ingen uppföljning hölls och ett skäl skrevs.",
        _count("follow_ups_skipped")),
    Row("– skäl att hoppa över", "De skäl som skrevs, räknade.",
        _reasons("skipped_reasons")),
    Row("– försenade", "Dagen har passerat utan uppföljning och utan skäl.",
        _count("follow_ups_overdue")),
    Row("– kommande", "Uppföljningsdagen har inte kommit ännu.", _count("follow_ups_coming")),
    Row("Tid till kvittens", "Meddelanden som kräver kvittens och som du själv har skickat "
        "eller fått (från kommandoraden: alla), per mottagarens enhet: tid från leverans till "
        "kvittens (helger inräknade) för dem som levererades under perioden. Median och 90:e "
        "percentil, i timmar.", _spread("kvittens_minutes", "timmar", 60)),
    Row("Kvittenser som väntat mer än två arbetsdagar", "Vid periodens slut (eller i dag): "
        "levererade men inte kvitterade när två hela arbetsdagar efter leveransdagen har gått "
        "(helgdagar och midsommar-, jul- och nyårsafton räknas inte), varken återkallade eller "
        "avslutade. Bara meddelanden som du själv har skickat eller fått (från kommandoraden: "
        "alla).",
        _count("kvittens_waiting"), snapshot=True),
    Row("Samtycken som går ut inom 30 dagar", "Öppna ärenden vars samtycke upphör inom 30 "
        "dagar räknat från i dag.", _count("consents_expiring"), snapshot=True),
    Row("Utvärderade möten", "Andel av de hållna mötena under perioden som har minst en "
        "utvärdering.", _evaluated, snapshot=True),
    Row("Medelbetyg i utvärderingarna", "Medelvärdet av frågornas medelbetyg (1–5); en fråga "
        "utan svar räknas inte.", _mean, snapshot=True),
)
