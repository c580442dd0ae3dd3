"""Checking the audit log's hash chain (`sipdesk audit verify`).

Walks every entry in chain order and recomputes each link (`sipdesk.storage.audit_chain`): the
entry's fields against its `body_hash`, its place (no gap), its `prev_hash` against the entry
before, its `hash`; and at the end the newest link against the head table (entries removed from
the end). The first link that does not hold is reported by the entry's id and time only — what
the entry says about a person stays in the database.

A retention job may have removed the oldest entries (the role `sipdesk_retention`, see
migration 0015): the chain then starts at the oldest entry left, and the report says how many
came before it. Run it as the database's owner: under row-level security a user role sees only
some entries, and the chain would look broken.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, cast

from sipdesk.accounts.audit import AuditEntry
from sipdesk.storage import audit_chain

BATCH = 5000


@dataclass(frozen=True)
class BrokenLink:
    entry_id: int
    at: dt.datetime | None
    reason: str  # Swedish, without personal data


@dataclass(frozen=True)
class ChainReport:
    entries: int
    broken: BrokenLink | None
    removed_before: int  # entries before the oldest one left (a retention job's work)
    head: str  # the newest link's hash, to note down and compare later

    @property
    def whole(self) -> bool:
        return self.broken is None

    def text(self) -> str:
        """What `sipdesk audit verify` prints."""
        if self.broken is not None:
            at = self.broken.at.strftime("%Y-%m-%d %H:%M:%S") if self.broken.at else "okänd tid"
            return (f"Loggen är bruten vid post {self.broken.entry_id} ({at}): "
                    f"{self.broken.reason}")
        lines = [f"Loggen är hel: {self.entries} poster"]
        if self.removed_before:
            lines.append(f"({self.removed_before} äldre poster har gallrats bort.)")
        lines.append(f"Senaste länken: {self.head}")
        return "\n".join(lines)


class _Link(NamedTuple):
    id: int
    at: dt.datetime
    user_id: int | None
    case_id: int | None
    action: str
    entity: str
    entity_id: int | None
    summary: str
    changes: str
    chain_seq: int
    body_hash: str
    prev_hash: str
    hash: str


def _entries() -> Iterator[_Link]:
    """Every entry in chain order, read in pages (a long log never sits in memory at once).
    Called after `_unlinked`: every chain column has a value."""
    fields = (AuditEntry.id, AuditEntry.at, AuditEntry.user, AuditEntry.case,
              AuditEntry.action, AuditEntry.entity, AuditEntry.entity_id, AuditEntry.summary,
              AuditEntry.changes, AuditEntry.chain_seq, AuditEntry.body_hash,
              AuditEntry.prev_hash, AuditEntry.hash)
    last = -1
    while True:
        rows = cast(Iterable[tuple[Any, ...]], (
            AuditEntry.select(*fields).where(AuditEntry.chain_seq > last)
            .order_by(AuditEntry.chain_seq).limit(BATCH).tuples()))
        page = [_Link(*row) for row in rows]
        if not page:
            return
        yield from page
        last = page[-1].chain_seq


def _unlinked() -> AuditEntry | None:
    """An entry outside the chain (written around sipdesk on SQLite, without its link)."""
    return (AuditEntry.select(AuditEntry.id, AuditEntry.at)
            .where(AuditEntry.chain_seq.is_null() | AuditEntry.hash.is_null()
                   | AuditEntry.prev_hash.is_null() | AuditEntry.body_hash.is_null())
            .order_by(AuditEntry.id).first())


def _head() -> tuple[int, str] | None:
    row = AuditEntry._meta.database.execute_sql(
        "SELECT seq, hash FROM audit_chain_head WHERE id = 1").fetchone()
    return (int(row[0]), str(row[1])) if row else None


def verify() -> ChainReport:
    """Walk the chain from its oldest entry to the head; stop at the first broken link."""
    unlinked = _unlinked()
    if unlinked is not None:
        return ChainReport(0, BrokenLink(unlinked.id, unlinked.at, "posten saknar sin länk."),
                           0, "")
    count = 0
    removed = 0
    expected_seq: int | None = None
    prev = audit_chain.GENESIS
    last: _Link | None = None
    for entry in _entries():
        if expected_seq is None:  # the oldest entry left starts the walk
            removed = entry.chain_seq - 1
            expected_seq = entry.chain_seq
            prev = entry.prev_hash if removed else audit_chain.GENESIS
        problem = _problem(entry, expected_seq, prev)
        if problem:
            return ChainReport(count, BrokenLink(entry.id, entry.at, problem), removed, "")
        count += 1
        expected_seq += 1
        prev = entry.hash
        last = entry
    head = _head()
    if head is None:
        broken = BrokenLink(last.id if last else 0, last.at if last else None,
                            "kedjans huvud saknas.")
        return ChainReport(count, broken, removed, "")
    head_seq, head_hash = head
    last_seq = last.chain_seq if last else 0
    if (head_seq, head_hash) != (last_seq, prev):
        broken = BrokenLink(last.id if last else 0, last.at if last else None,
                            f"kedjans huvud pekar på post nummer {head_seq} i kedjan, men den "
                            f"sista som finns är nummer {last_seq} — poster har tagits bort "
                            "i slutet." if head_seq > last_seq else
                            "kedjans huvud stämmer inte med den sista posten.")
        return ChainReport(count, broken, removed, "")
    return ChainReport(count, None, removed, head_hash)


def _problem(entry: _Link, seq: int, prev: str) -> str:
    if entry.chain_seq != seq:
        return (f"posterna {seq}–{entry.chain_seq - 1} i kedjan saknas "
                "(borttagna).")
    body = audit_chain.body_hash(
        at=entry.at, user_id=entry.user_id, case_id=entry.case_id, action=entry.action,
        entity=entry.entity, entity_id=entry.entity_id, summary=entry.summary,
        changes=entry.changes)
    if body != entry.body_hash:
        return "postens innehåll har ändrats efter att den skrevs."
    if entry.prev_hash != prev:
        return "länken till posten före stämmer inte (en post före den har ändrats eller " \
               "tagits bort)."
    if audit_chain.link_hash(entry.chain_seq, entry.prev_hash, entry.body_hash) != entry.hash:
        return "postens kedjehash stämmer inte."
    return ""
