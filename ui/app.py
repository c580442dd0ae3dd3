"""The desktop app's start: the QApplication and the flow from database URL to main window.

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

`--smoke-test` runs the same steps with no dialog at all (`SmokeTest`), waits for the case list
to paint its first rows and prints how long that took since the process started.
"""

from __future__ import annotations

import argparse
import faulthandler
import logging
import os
import shutil
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QLibraryInfo,
    QLocale,
    QObject,
    Qt,
    QThreadPool,
    QTimer,
    QTranslator,
    Signal,
)
from PySide6.QtWidgets import QApplication

from sipdesk import auth, passwords, schema, settings, setup
from sipdesk.db import (
    ConnectionProblem,
    Database,
    DatabaseUrl,
    Engine,
    ProblemKind,
    connect,
    database,
    resolve_url,
    storage_errors,
)
from sipdesk.errors import AuthError, SipError, StorageError
from sipdesk.models import User
from sipdesk.paths import default_database_path
from ui import messages
from ui.crash import crash_reporting
from ui.session import Session

if TYPE_CHECKING:
    from ui.main_window import MainWindow

log = logging.getLogger("sipdesk.ui.app")

SWEDISH = QLocale(QLocale.Language.Swedish, QLocale.Country.Sweden)
SMOKE_TIMEOUT_S = 60
SMOKE_DEMO_CASES = 200
JOBS_DONE_MS = 10_000  # switching user: the previous user's background jobs finish first

_translators: list[QTranslator] = []  # kept alive for the life of the application


class StartupFailed(Exception):
    """The start cannot go on; `message` says why in Swedish."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


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
                with storage_errors():
                    self._connect(url, typed)
                    if not self._ensure_schema(url):
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

    def _connect(self, url: DatabaseUrl, typed: str | None) -> None:
        self.close()
        self._password = None
        if url.engine is Engine.SQLITE:
            try:
                self._db = connect(url)
            except OSError:  # e.g. a folder the user may not write to
                raise ConnectionProblem(
                    ProblemKind.NOT_A_FILE,
                    f"Databasfilen {url.path} går inte att skapa eller öppna här.",
                ) from None
            return
        # What the user typed wins; before the dialog, the keyring's password or none at all
        # (a server that trusts this computer needs none).
        password = typed if typed is not None else passwords.get_password(url)
        self._db = connect(url, password or None)
        self._password = password or None

    def close(self) -> None:
        """Close this start's own database connection (the app closes it on exit)."""
        if self._db is not None:
            self._db.close()
            self._db = None

    # --- step 3: the schema -----------------------------------------------------------

    def _ensure_schema(self, url: DatabaseUrl) -> bool:
        """Create or migrate the schema; False when the user would rather not migrate now."""
        assert self._db is not None
        state = schema.status(self._db)
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
            applied, backup = schema.migrate(self._db, url)
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
        if not setup.is_initialized():
            return self._first_run(url)
        if not self.interactive:
            users = auth.active_users_with_unit()
            if not users:
                raise StartupFailed("Det finns ingen aktiv användare i databasen.")
            return users[0]
        if url.engine is Engine.POSTGRESQL:
            return auth.user_for_database_login(url.user)  # AuthError: handled by the caller
        users = auth.active_users_with_unit()
        if not users:
            raise StartupFailed(
                "Det finns ingen aktiv användare i databasen. Be en administratör aktivera "
                "ditt konto."
            )
        from ui.startup.login_dialog import LoginDialog

        return LoginDialog.ask(
            None, users=users, last_login="" if switching else str(settings.get("last_login")),
            database_label=url.display, preselect=not switching,
        )

    def _first_run(self, url: DatabaseUrl) -> User | None:
        from sipdesk import demo  # only for a new, empty database

        if not self.interactive:
            log.info("smoke test: empty database, filling it with demo data")
            demo.fill_demo(cases=SMOKE_DEMO_CASES)
            return auth.active_users_with_unit()[0]
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


class SmokeTest(QObject):
    """`--smoke-test`: start for real without dialogs, wait for the first painted case list.

    `finished` carries the exit code. The time printed is measured from `started` — the
    process start where the platform tells it (Linux), else the call of `run_gui`.
    """

    finished = Signal(int)

    def __init__(
        self,
        startup: Startup,
        *,
        started: float,
        since: str,
        timeout_s: float = SMOKE_TIMEOUT_S,
    ) -> None:
        super().__init__()
        self.startup = startup
        self.started = started
        self.since = since
        self.timeout_s = timeout_s
        self.done = False
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._timed_out)

    def start(self) -> None:
        self.timer.start(int(self.timeout_s * 1000))
        try:
            session = self.startup.open_session()
            if session is None:
                raise StartupFailed("Starten avbröts.")
            window = self.startup.show_main_window(session)
        except (StartupFailed, SipError) as problem:
            self._finish(1, f"smoke-test: misslyckades: {problem.message}")
            return
        except Exception as exc:
            log.exception("smoke test failed")
            self._finish(1, f"smoke-test: misslyckades: {type(exc).__name__}: {exc}")
            return
        window.case_list_painted.connect(self._painted)

    def _painted(self) -> None:
        elapsed_ms = (time.perf_counter() - self.started) * 1000
        print(
            f"smoke-test: first painted case list after {elapsed_ms:.0f} ms "
            f"(since {self.since})",
            flush=True,
        )
        self._finish(0, None)

    def _timed_out(self) -> None:
        self._finish(
            1, f"smoke-test: misslyckades: ingen ärendelista med rader efter {self.timeout_s:g} s",
        )

    def _finish(self, code: int, message: str | None) -> None:
        if self.done:
            return
        self.done = True
        self.timer.stop()
        if message:
            print(message, file=sys.stderr, flush=True)
        self.finished.emit(code)


def process_start() -> tuple[float, str]:
    """When this process started, on the `time.perf_counter()` clock, and what that means.

    On Linux /proc says when the process began (10 ms resolution): the figure then includes the
    interpreter's start and every import. Elsewhere the caller's own start is used.
    """
    now = time.perf_counter()
    try:
        with open("/proc/self/stat", encoding="ascii") as stat_file:
            fields = stat_file.read().rsplit(")", 1)[1].split()
        with open("/proc/uptime", encoding="ascii") as uptime_file:
            uptime = float(uptime_file.read().split()[0])
        ticks = os.sysconf("SC_CLK_TCK")
        age = uptime - int(fields[19]) / ticks  # field 22 of stat; 2 fields precede ")"
    except (OSError, ValueError, IndexError, AttributeError):
        return now, "run_gui"
    if not 0 <= age < 3600:
        return now, "run_gui"
    return now - age, "process start"


def configure_application(app: QApplication) -> None:
    """Name, Swedish locale and Qt's own Swedish texts, Fusion style."""
    app.setApplicationName("sipdesk")
    app.setOrganizationName("sipdesk")
    QLocale.setDefault(SWEDISH)
    app.setStyle("Fusion")
    if not _translators:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(SWEDISH, "qtbase", "_", folder):
            app.installTranslator(translator)
            _translators.append(translator)


def run_gui(args: argparse.Namespace) -> int:
    """Start the desktop app (or the smoke test); the process exit code."""
    started, since = process_start()
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(sys.argv[:1])
    configure_application(app)
    if getattr(args, "smoke_test", False):
        return _run_smoke_test(app, args, started=started, since=since)

    # From here on every log line also goes to the log file (the windowed build has no
    # console), and an error nobody caught says "Något gick fel" instead of nothing.
    with crash_reporting():
        startup = Startup(database_arg=args.database)
        # Until the main window shows, closing a start-up dialog must not end the application.
        app.setQuitOnLastWindowClosed(False)
        try:
            session = startup.open_session()
        except StartupFailed as failure:
            messages.error(None, "sipdesk kan inte starta", failure.message)
            return 1
        if session is None:
            return 0
        startup.show_main_window(session)
        startup.quit_requested.connect(app.quit)
        app.setQuitOnLastWindowClosed(True)
        code = app.exec()
        if database.obj is not None:
            database.close()
        return code


def _run_smoke_test(
    app: QApplication, args: argparse.Namespace, *, started: float, since: str
) -> int:
    # A start that hangs outside the event loop (a server that never answers) must still end:
    # the Qt timer covers the loop, faulthandler the rest.
    faulthandler.dump_traceback_later(SMOKE_TIMEOUT_S + 15, exit=True)
    database_arg = args.database
    scratch: Path | None = None
    if not database_arg and not os.environ.get("SIPDESK_DATABASE") \
            and not settings.get("database_url"):
        # Never the user's own embedded database: a first smoke test would fill it with demo
        # data and the setup dialog would never be shown.
        scratch = Path(tempfile.mkdtemp(prefix="sipdesk-smoke-"))
        database_arg = f"sqlite:///{scratch / 'smoke.sqlite3'}"
    try:
        startup = Startup(database_arg=database_arg, interactive=False)
        smoke = SmokeTest(startup, started=started, since=since)
        smoke.finished.connect(app.exit)
        QTimer.singleShot(0, smoke.start)  # inside exec(), so an early exit() is not lost
        code = app.exec()
        if startup.window is not None:
            startup.window.close()
        return code
    finally:
        faulthandler.cancel_dump_traceback_later()
        if scratch is not None:
            if database.obj is not None:
                database.close()
            shutil.rmtree(scratch, ignore_errors=True)


__all__ = [
    "SmokeTest",
    "Startup",
    "StartupFailed",
    "configure_application",
    "process_start",
    "run_gui",
]
