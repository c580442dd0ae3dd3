"""Version 11: cases that ended before version 10 settle the way newer ones do.

Since version 10 an ended case (avslutat, avböjt, SIP blev inte av) has no next date, and what
was said in it before it ended no longer asks anyone for kvittens (the messages stay readable,
marked "Avslutat ärende"); only the notice of the ending itself (kind 'closure', also used for
a refusal) still asks. Cases that ended earlier kept their next date (the case list sorts by
it) and their old kvittens items in Att göra and the inbox, forever.
"""

import datetime
from zoneinfo import ZoneInfo

from peewee import PostgresqlDatabase

ENDED = ("closed", "declined", "refused")


def up(migrator, db):
    # Stockholm wall-clock time without a zone, as sipdesk stores every time (sipdesk.clock;
    # not imported, so this released file never depends on how that module changes).
    stamp = datetime.datetime.now(ZoneInfo("Europe/Stockholm")).replace(
        tzinfo=None, microsecond=0)
    ended = ", ".join("%s" if _pg(db) else "?" for _ in ENDED)
    param = "%s" if _pg(db) else "?"
    db.execute_sql(f"UPDATE sip_case SET next_date = NULL WHERE status IN ({ended})", ENDED)
    stale = (
        "SELECT m.id FROM message m JOIN sip_case c ON c.id = m.case_id "
        f"WHERE c.status IN ({ended}) AND m.requires_ack AND m.withdrawn_at IS NULL "
        "AND m.ack_ended_at IS NULL AND m.kind <> 'closure'"
    )
    db.execute_sql(f"UPDATE receipt SET needs_ack = {param} WHERE message_id IN ({stale})",
                   (False, *ENDED))
    db.execute_sql(
        f"UPDATE message SET ack_ended_at = {param}, ack_ended_why = 'case_closed' "
        f"WHERE id IN ({stale})", (stamp, *ENDED))


def _pg(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def down(migrator, db):
    """Nothing to undo: the repaired rows are what the newer rules would have written."""
