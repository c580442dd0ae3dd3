"""The start-up flow: from a database URL to a logged-in session (steps 1–5 of `ui.app`).

`Startup` walks the steps without `QApplication.exec()`, so tests drive it directly:

1. resolve the database URL (--database, SIPDESK_DATABASE, the saved setting, the default);
2. connect — PostgreSQL with the password from the keyring, else the connection dialog, which
   comes back with every problem in Swedish at its field until the user connects, picks the
   embedded database instead or cancels;
3. check the schema: refuse a newer one, migrate an older one after saying so (SQLite: a backup
   copy first), create an empty one silently;
4. on an empty database the setup dialog (or demo data);
5. log in — on SQLite the login dialog, on PostgreSQL the connection is the login;
6. show the main window and remember who logged in.

Arkiv → Byt användare… (`Startup.switch_user`) closes that window, forgets the session's
password, and runs steps 2–5 again (`_connect_and_log_in`, the same code as the start): on
SQLite the login dialog, on PostgreSQL the connection dialog without the previous user's name,
since there each sipdesk user is their own database login. Cancelling it ends the app.

The flow is a sequence of questions whose answers decide the next dialog, before any window
exists; each step that reads or writes the database runs in the operation runner and the flow
waits for it with `operations.wait_for` (the screen keeps painting, no SQL on the UI thread).
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QApplication

from sipdesk import settings
from sipdesk.accounts import auth, passwords, setup
from sipdesk.errors import AuthError, StorageError
from sipdesk.paths import default_database_path
from sipdesk.storage import schema
from sipdesk.storage.db import (
    ConnectionProblem,
    Database,
    DatabaseUrl,
    Engine,
    ProblemKind,
    connect,
    resolve_url,
)
from sipdesk.storage.models import User
from ui import messages
from ui.operations import wait_for
from ui.session import Session

if TYPE_CHECKING:
    from pathlib import Path

    from ui.main_window import MainWindow

log = logging.getLogger("sipdesk.ui.app")

SMOKE_DEMO_CASES = 200
JOBS_DONE_MS = 10_000  # switching user: the previous user's background jobs finish first


class StartupFailed(Exception):
    """The start cannot go on; `message` says why in Swedish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def migrated(db: Database, url: DatabaseUrl) -> tuple[list[str], Path | None]:
    """Migrate, then check that the database is what the app reads (`ConnectionProblem`
    naming the backup if not — never "updated" followed by a refusal)."""
    from sipdesk.desk import schema_check  # imports every model: only when migrating

    applied, backup = schema.migrate(db, url)
    schema_check.check_after_migration(db, backup)
    return applied, backup


def _blank_server_url() -> DatabaseUrl:
    return DatabaseUrl(Engine.POSTGRESQL, host="", port=5432, name="", user="")


def _is_default_embedded(url: DatabaseUrl) -> bool:
    return url.engine is Engine.SQLITE and url.path == default_database_path()


class Startup(QObject):
    """Steps 1–6 of the start. `interactive=False` (the smoke test) never shows a dialog: where
    one would be needed it raises StartupFailed, and an empty database gets demo data."""

    quit_requested = Signal()  # nobody logged in after "Byt användare…": the app ends

    def __init__(self, *, database_arg: str | None, interactive: bool = True) -> None:
        super().__init__()
        self.database_arg = database_arg
        self.interactive = interactive
        self.url: DatabaseUrl | None = None
        self.session: Session | None = None
        self.window: MainWindow | None = None
        self._db: Database | None = None
        self._password: str | None = None  # what the connection used (for the live updates)

    # --- the whole flow ---------------------------------------------------------------

    def open_session(self) -> Session | None:
        """Steps 1–5: the logged-in session, or None when the user chose to stop.

        Raises StartupFailed when there is nothing the user can do about the problem here.
        """
        problem: ConnectionProblem | str | None = None
        try:
            url = resolve_url(self.database_arg)
        except ConnectionProblem as bad_url:
            url, problem = _blank_server_url(), bad_url
        return self._connect_and_log_in(url, problem=problem)

    def switch_user(self) -> Session | None:
        """Arkiv → Byt användare…: nothing of the previous user stays, then the next logs in.

        The window goes (its views, models and live updates with it), the session's password
        is forgotten in memory — a keyring copy stays only where that user asked for it with
        "Kom ihåg lösenordet" — and the database connection is closed. Then steps 2–5 as at
        the start, and a new window for the new user. Cancelling ends the app
        (`quit_requested`): an empty locked window would be a second state of the whole
        window to keep safe, and the next person simply starts sipdesk.
        """
        app = QCoreApplication.instance()
        quit_on_last = isinstance(app, QApplication) and app.quitOnLastWindowClosed()
        if isinstance(app, QApplication):
            app.setQuitOnLastWindowClosed(False)  # the old window closes before the new login
        session: Session | None = None
        try:
            url = self._log_out()
            if url is not None and url.engine is Engine.POSTGRESQL:
                # The connection is the login: the dialog, without the previous user's name.
                session = self._connect_and_log_in(replace(url, user=""), ask_first=True)
            elif url is not None:
                session = self._connect_and_log_in(url, switching=True)
            if session is not None:
                self.show_main_window(session)
        except StartupFailed as failure:
            messages.error(None, "sipdesk kan inte fortsätta", failure.message)
        finally:
            if isinstance(app, QApplication):
                app.setQuitOnLastWindowClosed(quit_on_last)
        if session is None:
            self.quit_requested.emit()
        return session

    def _log_out(self) -> DatabaseUrl | None:
        """Close the window, forget the session and close its connection; the database URL."""
        window, self.window = self.window, None
        if window is not None:
            window.close()  # stops the live updates, keeps only the geometry
            window.deleteLater()
            # Now, not after the login dialog: nothing of the previous user is left in memory
            # while the next one logs in.
            QCoreApplication.sendPostedEvents(window, QEvent.Type.DeferredDelete)
        if self.session is not None:
            self.session.password = None
        self.session = None
        self._password = None
        # A job still reading for the previous user finishes (and closes its connection)
        # before the next user connects.
        QThreadPool.globalInstance().waitForDone(JOBS_DONE_MS)
        self.close()
        log.info("logged out")
        return self.url

    def _connect_and_log_in(
        self, url: DatabaseUrl, *, problem: ConnectionProblem | str | None = None,
        ask_first: bool = False, switching: bool = False,
    ) -> Session | None:
        """Steps 2–5 for `url`, until someone is logged in (the session) or the user stops
        (None). `problem` or `ask_first` shows the connection dialog before connecting;
        `switching`: after "Byt användare…" the login dialog suggests nobody."""
        # None until the connection dialog has been shown; then exactly what the user typed
        # there ("" for no password), which beats anything in the keyring.
        typed: str | None = None
        while True:
            if problem is not None or ask_first:
                ask_first = False
                choice = self._ask_for_database(url, problem, typed)
                if choice is None:
                    return None
                url, typed = choice[0], choice[1] or ""
                problem = None
            try:
                state = self._connect(url, typed)
                if not self._ensure_schema(url, state):
                    self.close()
                    return None
                user = self._log_in(url, switching=switching)
            except ConnectionProblem as trouble:
                self.close()
                problem = trouble
                continue
            except AuthError as refused:  # PostgreSQL: the database user is no sipdesk user
                self.close()
                problem = refused.message
                continue
            except StorageError:
                # Opened, but not readable as a sipdesk database (another program's file, say).
                log.exception("database unreadable")
                self.close()
                problem = ConnectionProblem(ProblemKind.OTHER, (
                    f"{url.display} går inte att läsa som en sipdesk-databas. "
                    "Välj en annan databas."
                ))
                continue
            if user is None:
                self.close()
                return None
            self.url = url
            self.session = Session(url=url, user=user, password=self._password)
            settings.set_value("last_login", user.login)
            log.info("logged in on %s", url.engine.value)
            return self.session

    def show_main_window(self, session: Session) -> MainWindow:
        """Step 6: the window (imported only now: it pulls in the case list and its models)."""
        from ui.main_window import MainWindow

        window = MainWindow(session)
        window.settings_requested.connect(self.open_settings)
        # Queued: the window (and the action that asked) is deleted by the switch.
        window.switch_user_requested.connect(
            self.switch_user, Qt.ConnectionType.QueuedConnection)
        self.window = window
        window.show()
        return window

    def open_settings(self) -> None:
        from ui.dialogs.settings_dialog import SettingsDialog

        SettingsDialog.ask(self.window, current=self.url)
        if self.window is not None:  # the lock time applies at once
            self.window.desk_lock.set_minutes(int(settings.get("lock_minutes")))

    # --- step 2: connect --------------------------------------------------------------

    def _ask_for_database(
        self, url: DatabaseUrl, problem: ConnectionProblem | str | None,
        typed_password: str | None,
    ) -> tuple[DatabaseUrl, str | None] | None:
        """Let the user fix the connection, or choose another database (or, with no problem,
        log in on the server as someone else); None: stop."""
        message = problem.message if isinstance(problem, ConnectionProblem) else problem
        if not self.interactive:
            raise StartupFailed(message or "Inloggningen behöver en dialogruta.")
        if url.engine is Engine.SQLITE and message is not None:
            if _is_default_embedded(url):
                # Nothing to choose instead of the embedded database on this computer.
                raise StartupFailed(message)
            problem, url = message, _blank_server_url()
        from ui.startup.connection_dialog import ConnectionDialog

        return ConnectionDialog.ask(None, url, problem, password=typed_password or "")

    def _connect(self, url: DatabaseUrl, typed: str | None) -> schema.SchemaStatus:
        """Connect (in the runner) and read the schema's state."""
        self.close()
        self._password = None
        if url.engine is Engine.SQLITE:
            password = None
        else:
            # What the user typed wins; before the dialog, the keyring's password or none at
            # all (a server that trusts this computer needs none).
            password = (typed if typed is not None else passwords.get_password(url)) or None

        def connected() -> tuple[Database, schema.SchemaStatus]:
            try:
                db = connect(url, password)
            except OSError:  # SQLite: e.g. a folder the user may not write to
                raise ConnectionProblem(
                    ProblemKind.NOT_A_FILE,
                    f"Databasfilen {url.path} går inte att skapa eller öppna här.",
                ) from None
            return db, schema.status(db)

        self._db, state = wait_for(connected)
        self._password = password
        return state

    def close(self) -> None:
        """Close this start's own database connection (the app closes it on exit)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- step 3: the schema -----------------------------------------------------------

    def _ensure_schema(self, url: DatabaseUrl, state: schema.SchemaStatus) -> bool:
        """Create or migrate the schema; False when the user would rather not migrate now."""
        db = self._db
        assert db is not None
        schema.check_not_newer(state)  # ConnectionProblem WRONG_SCHEMA
        if not state.pending:
            return True
        if not state.is_empty and self.interactive:
            target = schema.latest_version()
            if url.engine is Engine.SQLITE and url.path is not None:
                backup_note = f"En säkerhetskopia sparas först: i mappen {url.path.parent}"
            else:
                backup_note = (
                    "Se till att databasservern är säkerhetskopierad innan du fortsätter. "
                    "Alla som använder databasen behöver sedan den här versionen av sipdesk."
                )
            if not messages.confirm(
                None, "Databasen behöver uppdateras",
                f"Databasen behöver uppdateras till version {target}. {backup_note}",
                yes="Uppdatera databasen", no="Avsluta",
            ):
                return False
        try:
            applied, backup = wait_for(lambda: migrated(db, url))
        except ConnectionProblem:
            raise
        except Exception as exc:
            log.exception("migration failed")
            raise StartupFailed(
                "Det gick inte att uppdatera databasen. Ingenting är ändrat"
                + (" och säkerhetskopian finns kvar." if url.engine is Engine.SQLITE else ".")
                + f" (Felet: {type(exc).__name__})"
            ) from exc
        log.info("schema migrated (%d step(s))", len(applied))
        if backup is not None and self.interactive:
            messages.information(
                None, "Databasen är uppdaterad",
                f"Databasen är uppdaterad till version {schema.latest_version()}.\n"
                f"Säkerhetskopian av den gamla databasen finns här:\n{backup}",
            )
        return True

    # --- steps 4 and 5: set up, log in ------------------------------------------------

    def _log_in(self, url: DatabaseUrl, *, switching: bool = False) -> User | None:
        postgresql_login = self.interactive and url.engine is Engine.POSTGRESQL

        def who() -> User | list[User] | None:
            if not setup.is_initialized():
                return None
            if postgresql_login:
                return auth.user_for_database_login(url.user)  # AuthError: the caller's
            return auth.active_users_with_unit()

        found = wait_for(who)
        if found is None:
            return self._first_run(url)
        if isinstance(found, User):
            return found
        if not found:
            raise StartupFailed(
                "Det finns ingen aktiv användare i databasen."
                + (" Be en administratör aktivera ditt konto." if self.interactive else "")
            )
        if not self.interactive:
            return found[0]
        from ui.startup.login_dialog import LoginDialog

        return LoginDialog.ask(
            None, users=found, last_login="" if switching else str(settings.get("last_login")),
            database_label=url.display, preselect=not switching,
        )

    def _first_run(self, url: DatabaseUrl) -> User | None:
        from sipdesk import demo  # only for a new, empty database

        if not self.interactive:
            log.info("smoke test: empty database, filling it with demo data")

            def filled() -> User:
                demo.fill_demo(cases=SMOKE_DEMO_CASES)
                return auth.active_users_with_unit()[0]

            return wait_for(filled)
        from ui.startup.setup_dialog import SetupDialog

        result = SetupDialog.ask(
            None,
            needs_password=url.engine is Engine.SQLITE,
            database_user=url.user if url.engine is Engine.POSTGRESQL else None,
        )
        if result is None:
            return None
        if result.demo:
            messages.information(
                None, "Exempeldata",
                "Databasen är fylld med påhittade exempeldata: alla namn och personnummer är "
                "fiktiva (Skatteverkets testpersonnummer).\n\n"
                f"Du är inloggad som {result.user.full_name}. Alla exempelanvändare har "
                f"lösenordet {demo.DEMO_PASSWORD}, så du kan logga in som någon annan nästa gång.",
            )
        return result.user
