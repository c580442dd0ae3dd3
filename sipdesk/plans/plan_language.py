"""Plain language in the plan (DOMAIN.md step 8, "Plain language"): abbreviations, jargon and
law references in texts meant for the person, each with a better word. A warning, never a
refusal; approving with open warnings needs them acknowledged (`sipdesk.plans.plan_approval`).

Split from `sipdesk.plans.plan` (issue 11: no module over ~500 lines), which re-exports every name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from sipdesk.paths import resource_dir
from sipdesk.plans.plan_reads import interventions, other_actions, sub_goals
from sipdesk.storage.plan_records import PlanVersion


@dataclass(frozen=True)
class PlainLanguageHint:
    field: str
    word: str
    suggestion: str


# Where each text meant for the person is, in the words the forms use.
TEXT_PLACES = {
    "current_situation": "Min nuvarande situation", "what_matters": "Det här är viktigt för mig",
    "can_do_self": "Det här klarar jag själv", "child_views": "Barnets egna ord",
    "main_goal": "Huvudmål", "sub_goals": "Delmål", "interventions": "Insatser",
    "others": "Åtgärder av andra",
}

# "4 kap. 1 §", "2 kap 7§", "§ 7", "SoL 4:1", "4:1" — a law's chapter and paragraph means
# nothing to most people. A bare "n:m" counts only with a one-digit paragraph, so a time of
# day ("kl. 8:30", "10:00") is not taken for one.
PARAGRAPH_REFERENCE = re.compile(
    r"(?<![\w:.])(?:\d{1,2}\s*kap(?:\.|(?!\w))(?:\s*\d{1,3}\s*[a-z]?\s*§+)?"
    r"|\d{1,3}\s*[a-z]?\s*§+|§+\s*\d{1,3}(?:[a-z](?!\w))?"
    r"|(?:SoL|HSL|LSS|PSL|LPT|LRV|LVM|LVU|OSL)\s*\d{1,2}:\d{1,3}[a-z]?(?![\w:])"
    r"|\d{1,2}:\d[a-z]?(?![\w:]))",
    re.IGNORECASE)
PARAGRAPH_SUGGESTION = "vad regeln betyder för dig, med vanliga ord (inte kapitel och paragraf)"


def _word_pattern(word: str) -> re.Pattern[str]:
    """Whole words only. A word listed in capitals (LOV, KAR, DOS) is an abbreviation only
    when it is written in capitals: "lov", "badkar" and "en dos" are ordinary words."""
    flags = 0 if word.isupper() and len(word) > 1 else re.IGNORECASE
    return re.compile(rf"(?<!\w){re.escape(word)}(?!\w)", flags)


@lru_cache(maxsize=1)
def _word_list() -> tuple[tuple[re.Pattern[str], str, str], ...]:
    rows = []
    for line in (resource_dir() / "plain_language.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        word, _, suggestion = line.partition("\t")
        rows.append((_word_pattern(word.strip()), word.strip(), suggestion.strip()))
    return tuple(rows)


def text_hints(text: str) -> list[tuple[str, str]]:
    """The word list's hits in one text, as (word, suggestion) — for warnings as you type.
    A paragraph reference is named as written ("4 kap. 1 §") with a general suggestion."""
    text = text or ""
    found = [(word, suggestion) for pattern, word, suggestion in _word_list()
             if pattern.search(text)]
    # "insats enligt" says it all: "insats" inside it is not named again.
    hits = [(word, suggestion) for word, suggestion in found
            if not any(len(other) > len(word) and _word_pattern(word).search(other)
                       for other, _s in found)]
    seen = set()
    for reference in PARAGRAPH_REFERENCE.finditer(text):
        written = " ".join(reference.group(0).split())
        if written.casefold() not in seen:
            seen.add(written.casefold())
            hits.append((written, PARAGRAPH_SUGGESTION))
    return hits


PERSON_TEXTS = ("current_situation", "what_matters", "can_do_self", "child_views", "main_goal")


def plain_language_hints(plan: PlanVersion) -> list[PlainLanguageHint]:
    """Abbreviations, jargon and law references in texts meant for the person (DOMAIN.md step
    8: "Plain language") — a warning with a suggestion; approving needs them acknowledged."""
    texts: list[tuple[str, str]] = [(name, getattr(plan, name)) for name in PERSON_TEXTS]
    texts += [("sub_goals", g) for g in sub_goals(plan)]
    texts += [("interventions", i.what) for i in interventions(plan)]
    texts += [("others", o.what) for o in other_actions(plan)]
    hints = []
    seen = set()
    for name, text in texts:
        for word, suggestion in text_hints(text):
            if (name, word.casefold()) not in seen:
                seen.add((name, word.casefold()))
                hints.append(PlainLanguageHint(name, word, suggestion))
    return hints


def plain_language_warnings(plan: PlanVersion) -> list[str]:
    """The open plain-language warnings as lines to show: where, the word, a better one."""
    return [f"{TEXT_PLACES.get(h.field, h.field)}: ”{h.word}” — skriv hellre: {h.suggestion}"
            for h in plain_language_hints(plan)]
