"""Text limits: how long a text may be and which characters it may hold — one home for both.

A text column's maximum is its peewee field's `max_length`, read from the model, so the number
lives in one place (the column). A long text (a TextField) has no limit in either engine, so
its maximum is chosen here: `LONG_TEXT` for what the plan and the need say in words, `NOTE_TEXT`
for reasons and notes (`NOTE_FIELDS`), `MESSAGE_TEXT` for a message.

PostgreSQL cannot store NUL, and neither engine a lone surrogate, so a text holding one — or any
other control character, except line breaks and tabs in a multi-line text (a TextField) — is
refused with one Swedish message, the same answer on both engines. A search never refuses:
`search_text` removes such characters and cuts it to `SEARCH_LIMIT`.

Every use case checks its texts with `text_problems`/`check_texts` (the message names the
field); `storage.db.BaseModel` runs `write_problem` on every text it writes, so a value no use
case checked is refused as a ValidationError instead of failing in the database driver.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import peewee

from sipdesk.errors import ValidationError

LONG_TEXT = 20_000  # the plan's texts, the need: about eight pages
NOTE_TEXT = 4_000  # a reason or a note: a long paragraph
# A message's body: sipdesk writes some itself around the user's texts (a kallelse around the
# meeting's purpose, a forward around the message it forwards), so it holds more than one.
MESSAGE_TEXT = 100_000
SEARCH_LIMIT = 200  # longer than any name or number searched for

# The long texts that are a reason or a note (NOTE_TEXT); every other TextField is LONG_TEXT.
NOTE_FIELDS = frozenset({
    "place_reason", "short_notice_reason", "staff_meeting_skipped_reason", "cancelled_reason",
    "withdrawn_reason", "ack_ended_note", "reopened_reason", "follow_up_skipped_reason",
    "refused_reason", "reason", "note", "comment",
})

UNSTORABLE = "Texten innehåller ett tecken som inte går att spara."

# The names the messages use for a field (by the input's name); others say "Texten".
LABELS = {
    "first_name": "Förnamnet", "last_name": "Efternamnet", "address": "Adressen",
    "postal_code": "Postnumret", "city": "Orten", "phone": "Telefonnumret",
    "language": "Språket", "name": "Namnet", "contact_name": "Namnet", "full_name": "Namnet",
    "relation": "Relationen", "email": "E-postadressen", "role": "Rollen",
    "profession": "Yrket", "initials": "Initialerna", "login": "Användarnamnet",
    "subject": "Rubriken", "body": "Meddelandet", "reason": "Skälet", "note": "Anteckningen",
    "notes": "Anteckningen", "place": "Platsen", "video_link": "Videolänken",
    "purpose": "Syftet", "need": "Behovet", "question": "Frågan", "organisation":
    "Organisationen", "unit": "Enheten", "principal": "Huvudmannen", "what": "Texten",
    "goal": "Målet", "responsible": "Den ansvariges namn", "how_often": "Hur ofta",
    "who": "Vem", "when": "När", "chair": "Ordföranden", "note_taker": "Namnet",
    "substitute_name": "Ersättarens namn", "substitute_contact": "Ersättarens kontaktuppgifter",
    "staff_meeting_place": "Platsen", "follow_up_by": "Namnet",
    "coordinator_contact": "Kontaktuppgiften", "treatment_limitation_ref": "Hänvisningen",
    "main_goal": "Huvudmålet", "current_situation": "Texten", "contact": "Kontaktuppgiften",
    "respondent_name": "Namnet",
    "told_by": "Namnet", "child_trusted": "Namnet",
}

# Never storable: C0 and C1 control characters (NUL among them), DEL, lone surrogates.
_SINGLE_LINE_BAD = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
# In a multi-line text, tab, line feed and carriage return are text.
_MULTI_LINE_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def max_chars(field: peewee.Field) -> int:
    """The most characters a value of `field` may have (a column's `max_length`)."""
    if isinstance(field, peewee.CharField):
        return int(field.max_length)
    if field.name == "body":
        return MESSAGE_TEXT
    return NOTE_TEXT if field.name in NOTE_FIELDS else LONG_TEXT


def is_multiline(field: peewee.Field) -> bool:
    """A TextField, or a postal address (street and postcode lines, as a letter prints them)."""
    return isinstance(field, peewee.TextField) or field.name == "address"


def has_bad_character(text: str, *, multiline: bool) -> bool:
    """True when `text` holds a character that is never stored (see the module's docstring)."""
    return (_MULTI_LINE_BAD if multiline else _SINGLE_LINE_BAD).search(text) is not None


def _count(number: int) -> str:
    return f"{number:,}".replace(",", "\u00a0")  # 20 000, as Swedish writes it


def text_problem(text: str, field: peewee.Field, *, label: str = "Texten") -> str | None:
    """What is wrong with `text` for `field` ("" around it does not count), or None."""
    value = text.strip()
    if has_bad_character(value, multiline=is_multiline(field)):
        return UNSTORABLE
    limit = max_chars(field)
    if len(value) > limit:
        return f"{label} får vara högst {_count(limit)} tecken."
    return None


def text_problems(model: type[peewee.Model], values: Mapping[str, object], *,
                  columns: Mapping[str, str] | None = None) -> dict[str, str]:
    """The problem of each text in `values`, by the input's name (empty: all fine). An input
    is stored in the column of the same name on `model` unless `columns` names another one;
    values that are not text are left to the caller."""
    problems: dict[str, str] = {}
    for name, value in values.items():
        if not isinstance(value, str):
            continue
        field = model._meta.fields[(columns or {}).get(name, name)]
        problem = text_problem(value, field, label=LABELS.get(name, "Texten"))
        if problem:
            problems[name] = problem
    return problems


def check_texts(model: type[peewee.Model], values: Mapping[str, object], *,
                columns: Mapping[str, str] | None = None) -> None:
    """Refuse the first text of `values` that `text_problems` finds wrong."""
    for name, message in text_problems(model, values, columns=columns).items():
        raise ValidationError(message, field=name)


def check_each(model: type[peewee.Model], column: str, texts: Iterable[str], *,
               field: str) -> None:
    """Refuse the first of `texts` (rows of a list, all stored in `column`) that is wrong; the
    message goes to the list's input, `field`."""
    for text in texts:
        problem = text_problem(text, model._meta.fields[column], label="Texten")
        if problem:
            raise ValidationError(problem, field=field)


def fit(text: str, field: peewee.Field) -> str:
    """`text`, cut to what `field` holds — for a value sipdesk puts together itself from
    texts that each fit (a name and a surname, a prefix and a subject)."""
    return text[:max_chars(field)]


def search_text(text: str, limit: int = SEARCH_LIMIT) -> str:
    """What a search looks for: `text` without the characters that are never stored (a search
    for them could find nothing; a line break or tab becomes a space), at most `limit`
    characters — so a search never fails, on either engine, whatever is typed or pasted."""
    spaced = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return _SINGLE_LINE_BAD.sub("", spaced)[:limit]


def check_comparable(model: type[peewee.Model], values: Mapping[str, object]) -> None:
    """Refuse a text the user started from (compared with what is stored, e.g. to find a
    conflict) that holds a character no database takes: it was never stored, and PostgreSQL
    would refuse the comparison itself. Its length is not checked: an old value is what it is."""
    problem = write_problem(model, values, lengths=False)
    if problem is not None:
        raise problem


def write_problem(model: type[peewee.Model], values: Mapping[Any, object], *,
                  lengths: bool = True) -> ValidationError | None:
    """The storage layer's last check before it writes `values` (keys: fields or their names)
    to `model`: a text that does not fit its column or holds a character that is never stored.
    Longer texts than `max_chars` in a TextField pass here: the use case sets that limit,
    and a text sipdesk puts together itself (a letter, a forwarded message) may be longer."""
    fields = model._meta.fields
    for key, value in values.items():
        if not isinstance(value, str):
            continue
        field = key if isinstance(key, peewee.Field) else fields.get(str(key))
        if not isinstance(field, peewee.CharField | peewee.TextField):
            continue
        label = LABELS.get(field.name, "Texten")
        if has_bad_character(value, multiline=True):
            return ValidationError(UNSTORABLE, field=field.name)
        if lengths and isinstance(field, peewee.CharField) and len(value) > field.max_length:
            return ValidationError(f"{label} får vara högst {_count(field.max_length)} tecken.",
                                   field=field.name)
    return None
