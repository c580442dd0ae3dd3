"""The audit log's hash chain: how an entry is hashed and linked to the one before it.

Each entry of `audit_entry` carries four chain columns:

- `body_hash`: sha256 of a canonical serialisation of the entry's own fields (`body_hash`);
- `chain_seq`: its place in the chain, 1, 2, 3 … with no gaps;
- `prev_hash`: the `hash` of the entry before it (`GENESIS` for the first one);
- `hash`: sha256 of "seq|prev_hash|body_hash" (`link_hash`).

Change one field of an old entry, or remove one from the middle, and the chain no longer adds
up from there on (`sipdesk audit verify` says where). The chain's newest link is also kept in
the one-row table `audit_chain_head`, so entries removed from the end show too.

Who links an entry: on PostgreSQL a trigger on the server (migration 0015) — it locks the head
row, so two clients inserting at once queue there and never fork the chain, and a client cannot
choose its own link; the client sends only `body_hash`. On SQLite (one writer at a time) the
insert itself reads the head and links the entry in the same statement, through
`sipdesk_link_hash`, a function registered on every connection (`install`); a trigger then
moves the head. The serialisation is frozen: a change would break every chain written before
it (migration 0015 keeps its own copy for the entries it hashes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

import peewee

GENESIS = "0" * 64  # the "previous hash" of the first entry
HEAD_TABLE = "audit_chain_head"
SQLITE_LINK_FUNCTION = "sipdesk_link_hash"


def _at_text(at: Any) -> str:
    if isinstance(at, dt.datetime):
        return at.isoformat(sep=" ")
    return str(at)


def body_hash(*, at: Any, user_id: int | None, case_id: int | None, action: str, entity: str,
              entity_id: int | None, summary: str, changes: str) -> str:
    """sha256 (hex) of the entry's fields, serialised one way only: sorted JSON keys, no spaces,
    text as it is (not \\u-escaped), the time as 'YYYY-MM-DD HH:MM:SS[.ffffff]'."""
    fields = {
        "at": _at_text(at), "user": user_id, "case": case_id, "action": action,
        "entity": entity, "entity_id": entity_id, "summary": summary, "changes": changes,
    }
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_hash(seq: int, prev_hash: str, body: str) -> str:
    """The entry's own hash: its place, the previous link and its body. PostgreSQL's trigger
    computes the same: encode(sha256(convert_to(seq || '|' || prev || '|' || body, 'UTF8')),
    'hex')."""
    return hashlib.sha256(f"{seq}|{prev_hash}|{body}".encode()).hexdigest()


def install(db: peewee.Database) -> None:
    """On SQLite: register `sipdesk_link_hash(seq, prev, body)` on every connection."""
    if isinstance(db, peewee.SqliteDatabase):
        db.register_function(link_hash, SQLITE_LINK_FUNCTION, 3, deterministic=True)


# The SQLite insert: the head row gives the place and the previous link, in the same statement
# that writes the entry (a deferred transaction that read the head first and wrote later could
# meet another writer in between). Parameters: the eight fields, then body_hash twice.
SQLITE_INSERT = (
    "INSERT INTO audit_entry (at, user_id, case_id, action, entity, entity_id, summary, "
    "changes, body_hash, chain_seq, prev_hash, hash) "
    "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, h.seq + 1, h.hash, "
    f"{SQLITE_LINK_FUNCTION}(h.seq + 1, h.hash, ?) FROM audit_chain_head h WHERE h.id = 1"
)
