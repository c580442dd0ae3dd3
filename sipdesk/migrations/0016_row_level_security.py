"""Version 16: on PostgreSQL the server itself keeps each user to the cases the app shows them
(row-level security, issue 12). On SQLite nothing happens: one office PC, one file, and the
core's rule (sipdesk.accounts.access) is the only gate.

Who may see a case — the rule of `access.visible_cases`, written here in SQL once
(`CASE_RULE`) and used by every policy:
- an administrator: every case;
- the case's coordinator (samordningsansvarig);
- the staff of the case's own principal: a user whose unit belongs to the same principal as the
  case's unit (the municipality's staff see the municipality's cases, DOMAIN.md "access only for
  those who work with the case or its unit");
- a user invited to one of the case's meetings (a participant with an account);
- a deactivated user (app_user.active false) or a login that is no sipdesk user: nothing.

What hangs on a case follows the case: persons (and their relatives) of a visible case, the
need, consents and their parts, menprövning, status history, closure, meetings and what hangs on
them (participants, deviations, mobile-team checks, staff meetings, status surveys), plan
versions and their parts, requests to convene (also their sender and recipient), the audit log
(also one's own entries). Messages: only their sender and recipients; a receipt: its recipient
and the message's sender. A draft: only its writer's, on a case they may see. A person with no
case at all (registered a moment ago, in the same transaction as their case) is visible, so the
app can register one.

Writes allow what the core allows: a user may change what they may see (the core's use cases
ask `case_for` before every change), a new case must be one they may see, and in a plan a user
writes only their own principal's interventions and finishes or approves only their own
principal's part — or, as the case's coordinator, a principal's that has no participant with an
account (`plan_rules.may_write_for`); clearing a part (a change made it unfinished again) is open
to every writer of the plan, as in the core. Users, units and principals are readable by all;
only an administrator changes users and units (otherwise a user could make themselves an
administrator or move their unit to another principal). The audit log can be added to, never
changed or deleted by a user role.

Roles: `sipdesk_user` (NOLOGIN) holds exactly the grants the app needs — SELECT, INSERT, UPDATE,
DELETE on the app's tables (SELECT only on the migration history, SELECT and INSERT on the audit
log), USAGE on the sequences, EXECUTE on the helper functions; no TRUNCATE, no DDL. Each sipdesk
user is a login role of that name that is a member of it (`sipdesk users add`). Roles are per
server, so the group role may exist already (another sipdesk database on the same server).

The helper functions are SECURITY DEFINER (they read as the schema's owner, so a policy on
meetings can ask who is invited without the meeting policy asking itself again) and STABLE.
They key on `session_user`: inside a SECURITY DEFINER function `current_user` is the owner, and
`session_user` is the login the server authenticated — which only a superuser can change (SET
ROLE changes `current_user` alone). The schema's owner and superusers bypass RLS (migrations,
backups, `sipdesk demo`); the tables are not FORCEd, so the owner keeps working as before.

Three steps of the core reach past what the user may read, so the server does them in a
SECURITY DEFINER function that checks the core's rule itself and changes only what the step
changes: ending kvittens (`sipdesk_end_kvittens`: a case closes, a plan is approved or reopened,
a meeting passes or is cancelled — every recipient's kvittens ends, not only the user's own),
accepting a request to convene (`sipdesk_take_convened_case`: the recipient becomes the
coordinator of a case they may not see yet) and opening a case for a person already registered
in someone else's case (`sipdesk_person_id_by_number`: the id only). None of them lets a user
read a message, case or person they could not read before.

Speed: on sip_case the rule is written with each helper in a scalar subquery, so PostgreSQL
computes the user's id, units and invited cases once per query (an InitPlan), not once per row,
and the case list stays on its indexes; a person's policy asks sip_case in a subquery (joined
once, not a function per person). The tables below a case ask `sipdesk_visible_case` per row:
they are read a case at a time. The indexes the helpers use exist already (app_user.login,
unit.principal_id, participant.user_id, meeting.case_id, every case_id, meeting_id and plan_id).
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"

# access.visible_cases, on sip_case rows (`t` names the row: "" in the sip_case policy itself).
CASE_RULE = """(
    (SELECT sipdesk_is_administrator())
    OR {t}coordinator_id = (SELECT sipdesk_current_app_user())
    OR {t}unit_id = ANY ((SELECT sipdesk_own_units())::integer[])
    OR {t}id = ANY ((SELECT sipdesk_invited_cases())::integer[])
)"""

# Tables whose rows belong to one case (the column naming it).
BY_CASE = ("need_record", "consent", "harm_assessment", "case_status_change", "closure",
           "meeting", "plan_version")
BY_MEETING = ("participant", "deviation", "mobile_team_check", "staff_meeting_record",
              "status_survey")
BY_PLAN = ("plan_participant", "sub_goal", "other_action")
BY_CONSENT = ("consent_principal", "guardian_consent")


def _functions(schema):
    definer = f"STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp"
    return [
        f"""CREATE OR REPLACE FUNCTION sipdesk_current_app_user() RETURNS integer
            LANGUAGE sql {definer} AS $$
            SELECT id FROM app_user WHERE login = session_user AND active $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_is_administrator() RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM app_user WHERE login = session_user AND active
                           AND role = 'administrator') $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_own_units() RETURNS integer[]
            LANGUAGE sql {definer} AS $$
            SELECT coalesce(array_agg(other.id), '{{}}') FROM app_user me
            JOIN unit own ON own.id = me.unit_id
            JOIN unit other ON other.principal_id = own.principal_id
            WHERE me.login = session_user AND me.active $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_invited_cases() RETURNS integer[]
            LANGUAGE sql {definer} AS $$
            SELECT coalesce(array_agg(DISTINCT m.case_id), '{{}}') FROM app_user me
            JOIN participant p ON p.user_id = me.id
            JOIN meeting m ON m.id = p.meeting_id
            WHERE me.login = session_user AND me.active $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_visible_case(case_id integer) RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM sip_case c WHERE c.id = $1
                           AND {CASE_RULE.format(t="c.")}) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_visible_meeting(meeting_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM meeting m WHERE m.id = $1
                           AND sipdesk_visible_case(m.case_id)) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_visible_plan(plan_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM plan_version v WHERE v.id = $1
                           AND sipdesk_visible_case(v.case_id)) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_visible_consent(consent_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM consent k WHERE k.id = $1
                           AND sipdesk_visible_case(k.case_id)) $$""",
        # A person of no case yet, for an active user: registered with their case (the row
        # must be readable for the INSERT's RETURNING), or found by the new-case dialog's
        # person search. A person of a case is asked of sip_case itself (its policy applies).
        f"""CREATE OR REPLACE FUNCTION sipdesk_caseless_person(person_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT NOT EXISTS (SELECT 1 FROM sip_case c WHERE c.person_id = $1)
                AND sipdesk_current_app_user() IS NOT NULL $$""",
        # plan_rules.may_write_for: one's own principal's part; the coordinator also a
        # principal's that has no participant with an account.
        f"""CREATE OR REPLACE FUNCTION sipdesk_may_write_for(plan_id integer,
                                                            principal_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (
                SELECT 1 FROM app_user me JOIN unit own ON own.id = me.unit_id
                JOIN plan_version v ON v.id = $1 JOIN sip_case c ON c.id = v.case_id
                WHERE me.login = session_user AND me.active
                AND (own.principal_id = $2
                     OR (c.coordinator_id = me.id AND NOT EXISTS (
                         SELECT 1 FROM plan_participant pp WHERE pp.plan_id = $1
                         AND pp.principal_id = $2 AND pp.user_id IS NOT NULL)))) $$""",
        # A follow-up version starts from the previous one's interventions, every principal's
        # (plan._copy_from): those rows may be written by whoever starts the version.
        f"""CREATE OR REPLACE FUNCTION sipdesk_carried_forward(plan_id integer,
                                                              principal_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM plan_version v
                           JOIN intervention i ON i.plan_id = v.previous_id
                           WHERE v.id = $1 AND i.principal_id = $2) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_coordinates_plan(plan_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM plan_version v JOIN sip_case c ON c.id = v.case_id
                           WHERE v.id = $1 AND c.coordinator_id = sipdesk_current_app_user())
            $$""",
        # Messages: the sender and the recipients. Definer functions, so the policies of
        # message and receipt do not ask each other in a circle. (The sender is asked on the
        # row itself: a function does not see the row its own statement is inserting.)
        f"""CREATE OR REPLACE FUNCTION sipdesk_received(message_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM receipt r WHERE r.message_id = $1
                           AND r.recipient_id = sipdesk_current_app_user()) $$""",
        f"""CREATE OR REPLACE FUNCTION sipdesk_sent(message_id integer)
            RETURNS boolean LANGUAGE sql {definer} AS $$
            SELECT EXISTS (SELECT 1 FROM message m WHERE m.id = $1
                           AND m.sender_id = sipdesk_current_app_user()) $$""",
        # A case number is the year's next sequence over every case, seen or not
        # (desk.cases._next_sequence): the number only, nothing about the cases.
        f"""CREATE OR REPLACE FUNCTION sipdesk_last_case_sequence(year integer)
            RETURNS integer LANGUAGE sql {definer} AS $$
            SELECT max(sequence) FROM sip_case WHERE sip_case.year = $1 $$""",
        # Whether row-level security leaves the session alone: the schema's owner (who owns
        # these functions, so is `current_user` in them) or a superuser or BYPASSRLS role
        # (migrations, `sipdesk demo`, a server run by one login). The helpers below then act
        # as the core asks, as the tables would let such a session do anyway.
        f"""CREATE OR REPLACE FUNCTION sipdesk_unrestricted() RETURNS boolean
            LANGUAGE sql {definer} AS $$
            SELECT session_user = current_user OR EXISTS (
                SELECT 1 FROM pg_roles r WHERE r.rolname = session_user
                AND (r.rolsuper OR r.rolbypassrls)) $$""",
        # Ending kvittens (messaging.end_kvittens): a case closes, a plan is approved or
        # reopened, a meeting passes or is cancelled — and every recipient's kvittens of the
        # case's messages stops being asked for, also those of messages the user may not read.
        # The messages are chosen here by the caller's criteria (explicit ids, a case, a kind,
        # sent since; at least ids or a case), among those still asking, on a case the user may
        # see; only the ack-ended columns and the receipts' needs_ack change. Returns each
        # message ended with its sender and the recipients who were still asked (for the
        # core's notifications) — nothing else of the message. The schema's owner and
        # superusers, whom row-level security does not restrict, are not restricted here either.
        f"""CREATE OR REPLACE FUNCTION sipdesk_end_kvittens(
                message_ids integer[], of_case integer, of_kind text, sent_since timestamp,
                waiting_only boolean, why text, note text, ended_at timestamp)
            RETURNS TABLE (message_id integer, sender_id integer, waiting integer[])
            LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
            WITH chosen AS (
                SELECT m.id FROM message m
                WHERE ($1 IS NOT NULL OR $2 IS NOT NULL)
                AND ($1 IS NULL OR m.id = ANY ($1)) AND ($2 IS NULL OR m.case_id = $2)
                AND ($3 IS NULL OR m.kind = $3) AND ($4 IS NULL OR m.sent_at >= $4)
                AND (NOT $5 OR EXISTS (SELECT 1 FROM receipt r
                                       WHERE r.message_id = m.id AND r.needs_ack))
                AND m.requires_ack AND m.withdrawn_at IS NULL AND m.ack_ended_at IS NULL
                AND (sipdesk_unrestricted()
                     OR (m.case_id IS NOT NULL AND sipdesk_visible_case(m.case_id)))
                ORDER BY m.id FOR UPDATE OF m
            ), ended AS (
                UPDATE message m SET ack_ended_at = $8, ack_ended_why = $6,
                       ack_ended_note = $7
                FROM chosen WHERE m.id = chosen.id RETURNING m.id, m.sender_id
            ), asked AS (
                UPDATE receipt r SET needs_ack = false FROM chosen
                WHERE r.message_id = chosen.id AND r.needs_ack
                RETURNING r.message_id, r.recipient_id
            )
            SELECT e.id, e.sender_id,
                   coalesce(array_agg(a.recipient_id ORDER BY a.recipient_id)
                            FILTER (WHERE a.recipient_id IS NOT NULL), '{{}}')
            FROM ended e LEFT JOIN asked a ON a.message_id = e.id
            GROUP BY e.id, e.sender_id ORDER BY e.id $$""",
        # Accepting a request to convene (convene.accept): its recipient becomes the case's
        # coordinator — also of a case they may not see yet (the request names it; DOMAIN step
        # 1, seed 004). Only the recipient of an open request, and only the coordinator (and
        # the row's version) changes; nothing of the case is read out. Returns the coordinator
        # before, or NULL when the request is not open or not to this user. `actor_id` counts
        # only for an unrestricted session (which has no user of its own); a user acts as
        # themselves.
        f"""CREATE OR REPLACE FUNCTION sipdesk_take_convened_case(request_id integer,
                                                                 actor_id integer,
                                                                 taken_at timestamp)
            RETURNS integer LANGUAGE plpgsql VOLATILE SECURITY DEFINER
            SET search_path = {schema}, pg_temp AS $$
            DECLARE
                me integer := CASE WHEN sipdesk_unrestricted() THEN actor_id
                                   ELSE sipdesk_current_app_user() END;
                asked_case integer;
                before integer;
            BEGIN
                SELECT r.case_id INTO asked_case FROM convene_request r
                WHERE r.id = request_id AND r.requested_to_id = me AND r.status = 'open'
                FOR UPDATE;
                IF asked_case IS NULL THEN
                    RETURN NULL;
                END IF;
                SELECT c.coordinator_id INTO before FROM sip_case c WHERE c.id = asked_case
                FOR UPDATE;
                IF before IS DISTINCT FROM me THEN
                    UPDATE sip_case c SET coordinator_id = me, version = c.version + 1,
                           updated_at = taken_at
                    WHERE c.id = asked_case;
                END IF;
                RETURN before;
            END $$""",
        # A new case for a personal number already registered, in a case the user may not
        # see (cases.create_case_for_new_person): the person's id only, so the new case can
        # name the registered person instead of the unique number refusing a second row.
        # Nothing else of the person is read out; once the case is the user's, the person's
        # own policy lets them read the person.
        f"""CREATE OR REPLACE FUNCTION sipdesk_person_id_by_number(personal_number text)
            RETURNS integer LANGUAGE sql {definer} AS $$
            SELECT p.id FROM person p WHERE p.personal_number = $1
                AND sipdesk_current_app_user() IS NOT NULL $$""",
    ]


FUNCTIONS = ("sipdesk_current_app_user()", "sipdesk_is_administrator()", "sipdesk_own_units()",
             "sipdesk_invited_cases()", "sipdesk_visible_case(integer)",
             "sipdesk_visible_meeting(integer)", "sipdesk_visible_plan(integer)",
             "sipdesk_visible_consent(integer)", "sipdesk_caseless_person(integer)",
             "sipdesk_may_write_for(integer, integer)",
             "sipdesk_carried_forward(integer, integer)", "sipdesk_coordinates_plan(integer)",
             "sipdesk_received(integer)", "sipdesk_sent(integer)",
             "sipdesk_last_case_sequence(integer)", "sipdesk_unrestricted()",
             "sipdesk_end_kvittens(integer[], integer, text, timestamp, boolean, text, text, "
             "timestamp)",
             "sipdesk_take_convened_case(integer, integer, timestamp)",
             "sipdesk_person_id_by_number(text)")


def _policies():
    """(table, policy name, command, USING, WITH CHECK) — None where the command has none."""
    me = "(SELECT sipdesk_current_app_user())"
    admin = "(SELECT sipdesk_is_administrator())"
    rows = []

    def same(table, rule, *, write=None, change=None):
        """SELECT by `rule`; INSERT and the new row of UPDATE by `write`; the rows UPDATE and
        DELETE may touch by `change` (each defaults to `rule`)."""
        check = write or rule
        touch = change or rule
        rows.extend([
            (table, "sipdesk_read", "SELECT", rule, None),
            (table, "sipdesk_insert", "INSERT", None, check),
            (table, "sipdesk_update", "UPDATE", touch, check),
            (table, "sipdesk_delete", "DELETE", touch, None),
        ])

    same("sip_case", CASE_RULE.format(t=""))
    for table in BY_CASE:
        same(table, "sipdesk_visible_case(case_id)")
    for table in BY_MEETING:
        same(table, "sipdesk_visible_meeting(meeting_id)")
    for table in BY_PLAN:
        same(table, "sipdesk_visible_plan(plan_id)")
    for table in BY_CONSENT:
        same(table, "sipdesk_visible_consent(consent_id)")
    # Written as a subquery on sip_case, whose own policy then applies: the planner joins the
    # visible cases once instead of calling a function for every person (a search of the case
    # list by name reads many persons).
    same("person", "(EXISTS (SELECT 1 FROM sip_case c WHERE c.person_id = person.id) "
                   "OR sipdesk_caseless_person(id))")
    same("person_contact", "EXISTS (SELECT 1 FROM person p WHERE p.id = person_contact.person_id)")
    same("convene_request", f"(sipdesk_visible_case(case_id) OR requested_by_id = {me} "
                            f"OR requested_to_id = {me})")
    same("draft", f"(user_id = {me} AND sipdesk_visible_case(case_id))")
    # A principal's own interventions; those carried into a follow-up version by its starter.
    same("intervention", "sipdesk_visible_plan(plan_id)",
         write="(sipdesk_visible_plan(plan_id) AND (sipdesk_may_write_for(plan_id, principal_id)"
               " OR sipdesk_carried_forward(plan_id, principal_id)))",
         change="sipdesk_may_write_for(plan_id, principal_id)")
    # Finishing and approving a part: its own principal (or the coordinator for one without an
    # account); clearing it: any writer of the plan; keeping "finished" while clearing the
    # approvals (reopening a plan): the coordinator.
    same("principal_part", "sipdesk_visible_plan(plan_id)",
         write="(sipdesk_visible_plan(plan_id) AND (sipdesk_may_write_for(plan_id, principal_id)"
               " OR (approved_at IS NULL AND (finished_at IS NULL"
               " OR sipdesk_coordinates_plan(plan_id)))))")
    rows.extend([
        ("message", "sipdesk_read", "SELECT", f"(sender_id = {me} OR sipdesk_received(id))",
         None),
        ("message", "sipdesk_insert", "INSERT", None,
         f"(sender_id = {me} AND (case_id IS NULL OR sipdesk_visible_case(case_id)))"),
        ("message", "sipdesk_update", "UPDATE", f"(sender_id = {me} OR sipdesk_received(id))",
         f"(sender_id = {me} OR sipdesk_received(id))"),
        ("receipt", "sipdesk_read", "SELECT",
         f"(recipient_id = {me} OR sipdesk_sent(message_id))", None),
        ("receipt", "sipdesk_insert", "INSERT", None, "sipdesk_sent(message_id)"),
        ("receipt", "sipdesk_update", "UPDATE",
         f"(recipient_id = {me} OR sipdesk_sent(message_id))",
         f"(recipient_id = {me} OR sipdesk_sent(message_id))"),
        ("audit_entry", "sipdesk_read", "SELECT",
         f"({admin} OR user_id = {me} OR (case_id IS NOT NULL "
         "AND sipdesk_visible_case(case_id)))", None),
        ("audit_entry", "sipdesk_insert", "INSERT", None,
         f"(user_id = {me} AND (case_id IS NULL OR sipdesk_visible_case(case_id)))"),
        # Everyone reads users and units (the login list, recipients, the unit names);
        # only an administrator changes them.
        ("app_user", "sipdesk_read", "SELECT", "true", None),
        ("app_user", "sipdesk_admin", "ALL", admin, admin),
        ("unit", "sipdesk_read", "SELECT", "true", None),
        ("unit", "sipdesk_admin", "ALL", admin, admin),
        # A principal is added by name when a plan or a contact names a new one.
        ("principal", "sipdesk_read", "SELECT", "true", None),
        ("principal", "sipdesk_insert", "INSERT", None, "true"),
        ("principal", "sipdesk_admin", "ALL", admin, admin),
    ])
    return rows


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    # Roles are per server: another sipdesk database may have made the group already, and two
    # migrations at once may race to make it.
    db.execute_sql(f"""DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}') THEN
            CREATE ROLE {GROUP} NOLOGIN;
        END IF;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END $$""")
    for sql in _functions(schema):
        db.execute_sql(sql)
    for function in FUNCTIONS:
        db.execute_sql(f"REVOKE ALL ON FUNCTION {function} FROM PUBLIC")
        db.execute_sql(f"GRANT EXECUTE ON FUNCTION {function} TO {GROUP}")
    db.execute_sql(f"GRANT USAGE ON SCHEMA {schema} TO {GROUP}")
    # The audit chain's head is written only by the server's linking trigger (version 15, as
    # its owner): users get no right on it at all.
    tables = [name for name in db.get_tables()
              if name not in ("schema_migration", "audit_chain_head")]
    for table in tables:
        db.execute_sql(f'GRANT SELECT, INSERT, UPDATE, DELETE ON "{table}" TO {GROUP}')
    db.execute_sql(f'REVOKE UPDATE, DELETE ON "audit_entry" FROM {GROUP}')
    db.execute_sql(f'GRANT SELECT ON "schema_migration" TO {GROUP}')
    db.execute_sql(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {GROUP}")
    policies = _policies()
    for table in sorted({row[0] for row in policies}):
        db.execute_sql(f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY')
    for table, name, command, using, check in policies:
        sql = f'CREATE POLICY {name} ON "{table}" FOR {command} TO {GROUP}'
        if using is not None:
            sql += f" USING ({using})"
        if check is not None:
            sql += f" WITH CHECK ({check})"
        db.execute_sql(sql)
    # The retention job (version 15) removes the oldest audit entries: it must see them all.
    db.execute_sql("""DO $$ BEGIN
        IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'sipdesk_retention') THEN
            CREATE POLICY sipdesk_retention_read ON audit_entry FOR SELECT
                TO sipdesk_retention USING (true);
            CREATE POLICY sipdesk_retention_delete ON audit_entry FOR DELETE
                TO sipdesk_retention USING (true);
        END IF;
    END $$""")


def down(migrator, db):
    if not _is_postgresql(db):
        return
    policies = _policies()
    for table, name, _command, _using, _check in policies:
        db.execute_sql(f'DROP POLICY IF EXISTS {name} ON "{table}"')
    for table in sorted({row[0] for row in policies}):
        db.execute_sql(f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY')
    for function in FUNCTIONS:
        db.execute_sql(f"DROP FUNCTION IF EXISTS {function}")
