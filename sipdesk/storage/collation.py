"""Swedish alphabetical order for names, the same on both engines and in Python.

Names sort as a Swede expects: … X Y Z Å Ä Ö, upper and lower case together ("Åsa" before
"Ängla" before "Östen", all after "Zelda"; "anna" beside "Anna"). The binary order the
databases use by default puts lower case after Z and Ä before Å.

- In Python: `sort_key` (no OS locale involved, so every machine sorts alike).
- On SQLite: the same key as a collation registered on every connection (`install`).
- On PostgreSQL: ICU's Swedish collation when the server has ICU, otherwise an expression
  that maps the letters as `sort_key` does and compares the bytes.

`ordered(column)` is the one ordering expression every name-sorted list uses, and
`contains(column, text)` a case-insensitive substring search that folds å, ä and ö too
(SQLite's LIKE folds only A–Z).
"""

from __future__ import annotations

import logging
import unicodedata
import weakref

import peewee

from sipdesk.storage.engine import Engine, database, engine_of
from sipdesk.storage.limits import search_text

log = logging.getLogger("sipdesk.storage.collation")

SQLITE_COLLATION = "sipdesk_sv"
SQLITE_FOLD = "sipdesk_fold"
# ICU collations PostgreSQL creates at initdb when built with ICU, best first.
ICU_COLLATIONS = ("sv-SE-x-icu", "sv-x-icu")

# Letters with a place of their own in the Swedish alphabet, after z ('{', '|', '}' are the
# three code points after 'z'), and the foreign letters Swedish sorts with them (as ICU's
# Swedish collation does: æ with ä, ø with ö, ü with y). Every other accent is dropped.
_LETTERS = {
    "å": "{",
    "ä": "|", "æ": "|", "ę": "|",
    "ö": "}", "ø": "}", "ő": "}", "œ": "}", "ô": "}",
    "ü": "y", "ű": "y",
    "ð": "d", "đ": "d",
    "þ": "th",
}


def _letter_key(ch: str) -> str:
    mapped = _LETTERS.get(ch)
    if mapped is not None:
        return mapped
    if ch.isascii():
        return ch
    return "".join(c for c in unicodedata.normalize("NFD", ch) if not unicodedata.combining(c))


def sort_key(text: str) -> str:
    """`text` as a string whose plain (code point) order is the Swedish alphabetical order,
    ignoring case and accents other than Å, Ä and Ö."""
    folded = unicodedata.normalize("NFC", text).casefold()
    return "".join(_letter_key(ch) for ch in folded)


def compare(a: str, b: str) -> int:
    """The SQLite collation: by `sort_key`, then lower case first (as ICU) so that it is a
    total order and two different names never compare equal."""
    left, right = (sort_key(a), a.swapcase()), (sort_key(b), b.swapcase())
    return (left > right) - (left < right)


def fold(text: str | None) -> str | None:
    """Case folding for every letter (the SQLite function behind `contains`)."""
    return None if text is None else text.casefold()


def _fallback_table() -> tuple[str, str]:
    """`sort_key` for the Latin letters U+00C0–U+017F as a translate() map for PostgreSQL
    (letters whose key is longer than one character, such as þ, are left as they are)."""
    source, target = [], []
    for code in range(0xC0, 0x180):
        ch = chr(code)
        key = sort_key(ch)
        if len(key) == 1 and key != ch:
            source.append(ch)
            target.append(key)
    return "".join(source), "".join(target)


_FALLBACK_FROM, _FALLBACK_TO = _fallback_table()

# The ICU collation found on each PostgreSQL database ("" when it has none).
_pg_collations: weakref.WeakKeyDictionary[peewee.Database, str] = weakref.WeakKeyDictionary()


def install(db: peewee.Database) -> None:
    """Make `db` ready for `ordered` and `contains`: on SQLite register the collation and the
    fold function (peewee registers them on every new connection too); on PostgreSQL look up
    the Swedish ICU collation once (`db` must be connected)."""
    if isinstance(db, peewee.SqliteDatabase):
        db.register_collation(compare, SQLITE_COLLATION)
        db.register_function(fold, SQLITE_FOLD, 1, deterministic=True)
    else:
        _pg_collations[db] = _find_icu(db)


def _find_icu(db: peewee.Database) -> str:
    rows = db.execute_sql(
        "SELECT collname FROM pg_collation WHERE collname = ANY(%s)", (list(ICU_COLLATIONS),)
    ).fetchall()
    found = {row[0] for row in rows}
    name = next((n for n in ICU_COLLATIONS if n in found), "")
    if not name:
        log.info("no Swedish ICU collation on the server: names sorted by the built-in fallback")
    return name


def postgres_collation(db: peewee.Database | None = None) -> str:
    """The Swedish ICU collation of the PostgreSQL database, or "" if the server has none."""
    target = db if db is not None else database.obj
    if target not in _pg_collations:
        _pg_collations[target] = _find_icu(target)
    return _pg_collations[target]


def ordered(column: peewee.ColumnBase) -> peewee.ColumnBase:
    """`column` to sort by in Swedish alphabetical order on the current engine."""
    if engine_of() is Engine.SQLITE:
        return column.collate(SQLITE_COLLATION)
    name = postgres_collation()
    if name:
        return column.collate(f'"{name}"')
    # No ICU: the letters mapped as sort_key maps them, compared byte by byte.
    mapped = peewee.fn.translate(column, _FALLBACK_FROM, _FALLBACK_TO)
    return peewee.fn.lower(mapped).collate('"C"')


def contains(column: peewee.ColumnBase, text: str) -> peewee.Expression:
    """`column` contains `text`, ignoring case for every letter ("åsa" finds "Åsa")."""
    text = search_text(text).replace("%", "").replace("_", "").replace("\\", "")
    if engine_of() is Engine.SQLITE:
        if text.isascii():  # LIKE folds A–Z itself, and runs no Python per row
            return column ** f"%{text}%"
        return getattr(peewee.fn, SQLITE_FOLD)(column) ** f"%{text.casefold()}%"
    name = postgres_collation()
    # ILIKE folds by the collation's rules: ICU's folds å, ä, ö whatever the server locale.
    return (column.collate(f'"{name}"') if name else column) ** f"%{text}%"
