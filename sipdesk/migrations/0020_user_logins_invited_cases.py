"""Version 20 (PostgreSQL only; nothing happens on SQLite), two things for issue 12:

1. An administrator manages the users' server logins from the app. On PostgreSQL each sipdesk
user is a login role in the group `sipdesk_user` (migration 16). The command line (`sipdesk
users …`) makes and changes those roles as the schema's owner, who may. An administrator in the
app is connected as their own login role, which has — and must have — no right to make or
change roles (CREATEROLE would let them take over any role on the server, the owner's included).
So the server does it for them in one fixed SECURITY DEFINER function,
`sipdesk_manage_login(login, action, verifier)`, which runs as the schema's owner and:

- acts only for a sipdesk administrator (or a session row-level security leaves alone: the
  owner, a superuser);
- acts only on the login of a user of this sipdesk database (an `app_user` row), and only on a
  role that is a plain sipdesk login: a member of `sipdesk_user`, without SUPERUSER, CREATEROLE,
  CREATEDB, REPLICATION or BYPASSRLS, and not the owner or a member of it. A role of that name
  that is something else is refused (SQLSTATE 42710), never taken over;
- 'create' and 'enable' let the login log in (making the role, in the group, when there is
  none); 'password' sets the password; 'disable' makes the role NOLOGIN (the role stays: the
  audit log names it and the user can be activated again);
- takes a password only as a SCRAM-SHA-256 verifier, hashed on the administrator's machine by
  libpq (`login_roles`): no statement log or `pg_stat_activity` ever holds the password.
It returns whether a role was made.

2. `sipdesk_invited_cases()` — the cases with a meeting the logged-in user is invited to, which
the case policy of migration 16 asks once in every statement on sip_case, and
`sipdesk_visible_case` in every call — is the same answer, asked faster. As one SQL statement
it was planned without knowing who the user is, for the average user: a hash join over every
meeting (10–40 ms on 100,000 meetings, in every statement, also for a user invited nowhere).
Now it finds the user's id first and then their participant rows by index, planned for that
user (PL/pgSQL plans a statement with the value it has): well under a millisecond for a user
invited to a few meetings.
"""

from peewee import PostgresqlDatabase

GROUP = "sipdesk_user"
FUNCTION = "sipdesk_manage_login(text, text, text)"


def _manage_login(schema):
    # Every % is doubled: the driver reads a statement's % as its placeholders.
    return f"""
CREATE OR REPLACE FUNCTION sipdesk_manage_login(login text, action text, verifier text)
RETURNS boolean LANGUAGE plpgsql VOLATILE SECURITY DEFINER
SET search_path = {schema}, pg_temp AS $$
DECLARE
    existing pg_roles%%ROWTYPE;
    secret text := '';
    may_log_in boolean;
BEGIN
    IF NOT (sipdesk_is_administrator() OR sipdesk_unrestricted()) THEN
        RAISE EXCEPTION 'sipdesk: only an administrator manages logins'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF action IS NULL OR action NOT IN ('create', 'enable', 'password', 'disable') THEN
        RAISE EXCEPTION 'sipdesk: unknown action %%', action
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT u.active INTO may_log_in FROM app_user u WHERE u.login = $1;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'sipdesk: no sipdesk user has that login'
            USING ERRCODE = 'undefined_object';
    END IF;
    IF verifier IS NOT NULL THEN
        IF verifier NOT LIKE 'SCRAM-SHA-256$%%' THEN
            RAISE EXCEPTION 'sipdesk: a password is given only as a SCRAM-SHA-256 verifier'
                USING ERRCODE = 'invalid_parameter_value';
        END IF;
        secret := format(' PASSWORD %%L', verifier);
    ELSIF action = 'password' THEN
        RAISE EXCEPTION 'sipdesk: no password given' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    SELECT * INTO existing FROM pg_roles r WHERE r.rolname = $1;
    IF NOT FOUND THEN
        IF action = 'disable' THEN
            RETURN false;
        END IF;
        EXECUTE format('CREATE ROLE %%I %%s%%s IN ROLE {GROUP}', $1,
                       CASE WHEN action = 'password' AND NOT may_log_in THEN 'NOLOGIN'
                            ELSE 'LOGIN' END, secret);
        RETURN true;
    END IF;
    IF existing.rolsuper OR existing.rolcreaterole OR existing.rolcreatedb
            OR existing.rolreplication OR existing.rolbypassrls
            OR pg_has_role(existing.oid, current_user, 'MEMBER')
            OR NOT pg_has_role(existing.oid, '{GROUP}', 'MEMBER') THEN
        RAISE EXCEPTION 'sipdesk: the role %% is not a sipdesk login', $1
            USING ERRCODE = 'duplicate_object';
    END IF;
    IF action = 'disable' THEN
        EXECUTE format('ALTER ROLE %%I NOLOGIN', $1);
    ELSIF action = 'password' THEN
        EXECUTE format('ALTER ROLE %%I%%s', $1, secret);
    ELSE
        EXECUTE format('ALTER ROLE %%I LOGIN%%s', $1, secret);
    END IF;
    RETURN false;
END $$"""


def _invited_cases(schema):
    return f"""
CREATE OR REPLACE FUNCTION sipdesk_invited_cases() RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
DECLARE
    me integer;
BEGIN
    SELECT u.id INTO me FROM app_user u WHERE u.login = session_user AND u.active;
    IF me IS NULL THEN
        RETURN '{{}}';
    END IF;
    RETURN (SELECT coalesce(array_agg(DISTINCT m.case_id), '{{}}') FROM participant p
            JOIN meeting m ON m.id = p.meeting_id WHERE p.user_id = me);
END $$"""


# Migration 16's definition, for `down`.
_INVITED_CASES_16 = """
CREATE OR REPLACE FUNCTION sipdesk_invited_cases() RETURNS integer[]
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = {schema}, pg_temp AS $$
SELECT coalesce(array_agg(DISTINCT m.case_id), '{{}}') FROM app_user me
JOIN participant p ON p.user_id = me.id
JOIN meeting m ON m.id = p.meeting_id
WHERE me.login = session_user AND me.active $$"""


def _is_postgresql(db):
    return isinstance(getattr(db, "obj", db), PostgresqlDatabase)  # obj: behind a proxy


def up(migrator, db):
    if not _is_postgresql(db):
        return
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    db.execute_sql(_manage_login(schema))
    db.execute_sql(f"REVOKE ALL ON FUNCTION {FUNCTION} FROM PUBLIC")
    db.execute_sql(f"GRANT EXECUTE ON FUNCTION {FUNCTION} TO {GROUP}")
    # Replaced in place: its grants (EXECUTE to sipdesk_user only) and the policies stay.
    db.execute_sql(_invited_cases(schema))


def down(migrator, db):
    if not _is_postgresql(db):
        return
    db.execute_sql(f"DROP FUNCTION IF EXISTS {FUNCTION}")
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    db.execute_sql(_INVITED_CASES_16.format(schema=schema))
