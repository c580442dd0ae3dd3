"""Version 15: an audit log no one can rewrite (issue 12).

- Every entry is linked into a hash chain (see sipdesk/storage/audit_chain.py): the columns
  `chain_seq`, `body_hash`, `prev_hash`, `hash`, and the one-row table `audit_chain_head` with
  the newest link. The entries already there are hashed here, in the order they were written
  (by id), so an old database gets a whole chain. The serialisation below is a frozen copy of
  `audit_chain.body_hash`.
- PostgreSQL: a trigger links each new entry on the server, under a row lock on the head (two
  clients at once cannot fork the chain). UPDATE and DELETE on audit_entry are refused by a
  trigger even for the owner, and TRUNCATE by a statement trigger — except DELETE by the
  retention role `sipdesk_retention` (created here when missing and allowed; roles are per
  server): a job that removes entries past their keeping time runs `SET ROLE
  sipdesk_retention` first. UPDATE, DELETE and TRUNCATE are revoked from PUBLIC and from
  `sipdesk_user` when that role exists. The head changes only through the linking trigger.
- SQLite: a trigger moves the head after each insert; the triggers of version 2 keep refusing
  UPDATE and DELETE (a retention job drops them inside its own transaction and creates them
  again before it commits).
"""

import hashlib
import json

from peewee import PostgresqlDatabase

GENESIS = "0" * 64
BATCH = 5000


def _body_hash(at, user_id, case_id, action, entity, entity_id, summary, changes):
    at_text = at.isoformat(sep=" ") if hasattr(at, "isoformat") else str(at)
    fields = {
        "at": at_text, "user": user_id, "case": case_id, "action": action,
        "entity": entity, "entity_id": entity_id, "summary": summary, "changes": changes,
    }
    text = json.dumps(fields, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _link_hash(seq, prev_hash, body):
    return hashlib.sha256(f"{seq}|{prev_hash}|{body}".encode()).hexdigest()


def _hash_existing(db):
    """Link the entries already written, oldest (lowest id) first, in batches."""
    param = db.param
    update = (f"UPDATE audit_entry SET chain_seq = {param}, body_hash = {param}, "
              f"prev_hash = {param}, hash = {param} WHERE id = {param}")
    seq, prev, last_id = 0, GENESIS, 0
    while True:
        # `at` read through peewee's field so both engines give a datetime (SQLite stores text).
        rows = db.execute_sql(
            "SELECT id, at, user_id, case_id, action, entity, entity_id, summary, changes "
            f"FROM audit_entry WHERE id > {param} ORDER BY id LIMIT {BATCH}", (last_id,),
        ).fetchall()
        if not rows:
            return seq, prev
        links = []
        for (entry_id, at, user_id, case_id, action, entity, entity_id, summary,
             changes) in rows:
            seq += 1
            body = _body_hash(_as_datetime(at), user_id, case_id, action, entity, entity_id,
                              summary, changes)
            own = _link_hash(seq, prev, body)
            links.append((seq, body, prev, own, entry_id))
            prev, last_id = own, entry_id
        cursor = db.cursor()
        cursor.executemany(update, links)


def _as_datetime(value):
    """SQLite returns the stored text; parse it as peewee's DateTimeField does."""
    if isinstance(value, str):
        from peewee import format_date_time

        return format_date_time(value, ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S",
                                        "%Y-%m-%d"))
    return value


def up(migrator, db):
    postgres = isinstance(db, PostgresqlDatabase)
    text = "varchar(64)"
    for column, kind in (("chain_seq", "bigint"), ("body_hash", text), ("prev_hash", text),
                         ("hash", text)):
        db.execute_sql(f"ALTER TABLE audit_entry ADD COLUMN {column} {kind}")
    db.execute_sql("CREATE TABLE audit_chain_head (id integer PRIMARY KEY CHECK (id = 1), "
                   "seq bigint NOT NULL, hash varchar(64) NOT NULL)")

    # Version 2's triggers refuse the UPDATE that hashes the old entries: off for the moment.
    if postgres:
        db.execute_sql("ALTER TABLE audit_entry DISABLE TRIGGER audit_entry_append_only")
    else:
        db.execute_sql("DROP TRIGGER audit_entry_no_update")
    seq, head = _hash_existing(db)
    if postgres:
        db.execute_sql("ALTER TABLE audit_entry ENABLE TRIGGER audit_entry_append_only")
    else:
        db.execute_sql(
            "CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON audit_entry "
            "BEGIN SELECT RAISE(ABORT, 'audit_entry is append-only'); END")
    db.execute_sql(f"INSERT INTO audit_chain_head (id, seq, hash) VALUES (1, {seq}, '{head}')")
    db.execute_sql("CREATE UNIQUE INDEX audit_entry_chain_seq ON audit_entry (chain_seq)")

    if postgres:
        _postgres_guards(db)
    else:
        db.execute_sql(
            "CREATE TRIGGER audit_entry_chain_head AFTER INSERT ON audit_entry BEGIN "
            "UPDATE audit_chain_head SET seq = NEW.chain_seq, hash = NEW.hash WHERE id = 1; "
            "END")


def _postgres_guards(db):
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    for column in ("chain_seq", "body_hash", "prev_hash", "hash"):
        db.execute_sql(f"ALTER TABLE audit_entry ALTER COLUMN {column} SET NOT NULL")

    # Linking on the server. SECURITY DEFINER: a user role needs no right on the head table,
    # and row-level security on audit_entry cannot hide the newest link from the trigger
    # (it reads only the head). FOR UPDATE: concurrent inserts wait here, one after another,
    # and each then reads the head its predecessor committed.
    db.execute_sql(f"""
        CREATE FUNCTION audit_entry_link() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER SET search_path = "{schema}", pg_temp AS $$
        DECLARE
            head_seq bigint;
            head_hash text;
        BEGIN
            SELECT seq, hash INTO head_seq, head_hash FROM audit_chain_head WHERE id = 1
                FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'audit_chain_head is missing its row';
            END IF;
            IF NEW.body_hash IS NULL THEN
                RAISE EXCEPTION 'an audit entry needs its body_hash';
            END IF;
            NEW.chain_seq := head_seq + 1;
            NEW.prev_hash := head_hash;
            NEW.hash := encode(sha256(convert_to(
                NEW.chain_seq::text || '|' || head_hash || '|' || NEW.body_hash, 'UTF8')),
                'hex');
            UPDATE audit_chain_head SET seq = NEW.chain_seq, hash = NEW.hash WHERE id = 1;
            RETURN NEW;
        END $$""")
    db.execute_sql("CREATE TRIGGER audit_entry_link BEFORE INSERT ON audit_entry "
                   "FOR EACH ROW EXECUTE FUNCTION audit_entry_link()")

    # Version 2's function, now with the one exception: the retention role may delete.
    db.execute_sql("""
        CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' AND current_user = 'sipdesk_retention' THEN
                RETURN OLD;
            END IF;
            RAISE EXCEPTION 'audit_entry is append-only'
                USING ERRCODE = 'insufficient_privilege',
                      HINT = 'Only the retention role sipdesk_retention may delete entries.';
        END $$""")
    db.execute_sql("CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON audit_entry "
                   "FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()")

    # The head moves only inside audit_entry_link (trigger depth 2 there, 1 from a client).
    db.execute_sql("""
        CREATE FUNCTION audit_chain_head_guard() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'UPDATE' AND pg_trigger_depth() > 1 THEN
                RETURN NEW;
            END IF;
            RAISE EXCEPTION 'audit_chain_head changes only with a new audit entry'
                USING ERRCODE = 'insufficient_privilege';
        END $$""")
    db.execute_sql("CREATE TRIGGER audit_chain_head_guard BEFORE UPDATE OR DELETE "
                   "ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION audit_chain_head_guard()")
    db.execute_sql("CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE "
                   "ON audit_chain_head FOR EACH STATEMENT "
                   "EXECUTE FUNCTION audit_chain_head_guard()")

    # Grants. Roles are per server: another database may have made them already, and the
    # owner may lack CREATEROLE (then the IT department creates the role, see the README).
    db.execute_sql("REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM PUBLIC")
    db.execute_sql("REVOKE ALL ON audit_chain_head FROM PUBLIC")
    db.execute_sql("""
        DO $$
        BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sipdesk_retention') THEN
                BEGIN
                    CREATE ROLE sipdesk_retention NOLOGIN;
                EXCEPTION
                    WHEN insufficient_privilege THEN
                        RAISE NOTICE 'sipdesk_retention not created: no CREATEROLE';
                    WHEN duplicate_object OR unique_violation THEN
                        NULL;  -- made at this moment by another database's migration
                END;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sipdesk_retention') THEN
                GRANT SELECT, DELETE ON audit_entry TO sipdesk_retention;
            END IF;
            IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sipdesk_user') THEN
                REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM sipdesk_user;
                REVOKE ALL ON audit_chain_head FROM sipdesk_user;
            END IF;
        END $$""")
