"""A PostgreSQL server that goes away (issue 13): a private cluster, restarted and stopped under
the app — never the shared server on 5432.

- The core (one long connection, as the command line uses it): after each restart the next
  read and the next use case work by themselves; a write while the server is down fails with
  `ServerUnreachable` and is not repeated; a transaction cut by a restart leaves nothing.
- A real save dialog: the save while the server is down says "Servern svarar inte — det du
  skrivit finns kvar, försök igen.", the dialog stays open with its text, and the next save
  once the server is back is in the database.
- The main window: the status bar follows the connection, the case list on screen stays, and
  live updates resume after the restart (a message sent by another client reaches the window).
- SQLite on a network share that vanishes: "Databasfilen går inte att nå", no new empty
  database where the file was, and the next read works once the share is back.

The cluster is made once per module (`initdb`, a free port, a socket folder of its own) and
stopped with `pg_ctl stop -m immediate` at the end. Run as root (a container), the server runs
as the `postgres` user: PostgreSQL refuses to run as root.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from sipdesk.casework import contacts
from sipdesk.casework.contacts import Contact, OrganisationKind
from sipdesk.errors import FILE_GONE_MESSAGE, SERVER_GONE_MESSAGE, ServerUnreachable
from sipdesk.messages import messaging
from sipdesk.storage import schema
from sipdesk.storage.db import DatabaseUrl, Engine, connect, database, storage_errors
from sipdesk.storage.models import Law, Principal, Role, User
from tests.conftest import IN_CI, background_work_done, truncate_all
from tests.factories import make_case, make_person, make_unit, make_user
from tests.faults.conftest import size
from tests.ui.conftest import (  # noqa: F401  (fixtures, used by name)
    OFFSCREEN_NOTICE,
    MessageLog,
    message_log,
    settle,
    type_text,
    ui_thread_statements,
    window_state_in_tmp,
)
from tests.waiting import run_bounded
from ui import operations
from ui.connection_status import connected_text, lost_text
from ui.dialogs.contacts_contact import ContactDialog
from ui.main_window import INBOX_ROW, MainWindow
from ui.session import Session

pytestmark = pytest.mark.qt_log_ignore(OFFSCREEN_NOTICE)

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _postgres_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    initdb = found[-1] if found else shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PrivateCluster:
    """A PostgreSQL cluster of this test module only: its own folder, port and socket."""

    def __init__(self, bin_dir: Path, folder: Path) -> None:
        self.bin_dir = bin_dir
        self.folder = folder
        self.data = folder / "data"
        self.port = _free_port()
        self.restarts = 0
        self.url = DatabaseUrl(Engine.POSTGRESQL, host="127.0.0.1", port=self.port,
                               name="sipdesk", user="root")

    def _run(self, program: str, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if AS_ROOT else []
        done = run_bounded([*prefix, str(self.bin_dir / program), *args], timeout=60)
        assert done.returncode == 0, f"{program} {args[:1]} failed: {done.stderr.strip()}"

    def _ctl(self, *args: str) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run("pg_ctl", "-D", str(self.data), "-o", options,
                  "-l", str(self.folder / "server.log"), *args)

    def initdb(self) -> None:
        self._run("initdb", "-A", "trust", "-U", "root", "-E", "UTF8", "-D", str(self.data))

    def start(self) -> None:
        self._ctl("-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def restart(self) -> None:
        self._ctl("-m", "fast", "-w", "restart")
        self.restarts += 1

    def running(self) -> bool:
        prefix = ["runuser", "-u", "postgres", "--"] if AS_ROOT else []
        status = run_bounded([*prefix, str(self.bin_dir / "pg_ctl"), "-D", str(self.data),
                              "status"], timeout=30)
        return status.returncode == 0


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrivateCluster]:
    bin_dir = _postgres_bin()
    if bin_dir is None:
        reason = "PostgreSQL's initdb is not installed: no private cluster to restart"
        if IN_CI:
            pytest.fail(reason + " — CI must run the server-restart tests.", pytrace=False)
        pytest.skip(reason)
    if AS_ROOT:
        # pytest's temporary folders are the root user's alone; the server runs as postgres.
        folder = Path(tempfile.mkdtemp(prefix="sipdesk-pg-"))
        shutil.chown(folder, "postgres", "postgres")
    else:
        folder = tmp_path_factory.mktemp("pg")
    server = PrivateCluster(bin_dir, folder)
    try:
        server.initdb()
        server.start()
        with psycopg.connect(host="127.0.0.1", port=server.port, user="root",
                             dbname="postgres", autocommit=True) as admin:
            admin.execute('CREATE DATABASE "sipdesk"')
        created = connect(server.url)
        schema.migrate(created, server.url)
        created.close()
        database.initialize(None)
        yield server
    finally:
        if server.running():
            server.stop("immediate")
        if AS_ROOT:
            shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def server(cluster: PrivateCluster) -> Iterator[PrivateCluster]:
    """The cluster running, the models bound to it; emptied and the connection state put
    right afterwards (a failed test may leave the server stopped)."""
    if not cluster.running():
        cluster.start()
    opened = connect(cluster.url)
    yield cluster
    background_work_done()
    if not cluster.running():
        cluster.start()
    opened.close()
    opened.connect()
    truncate_all(opened)
    opened.close()
    database.initialize(None)
    operations.connection_state().note(True)


def an_editor() -> User:
    return make_user("maria.holm", unit=make_unit("Hemtjänst Söder"), full_name="Maria Holm",
                     role=Role.UNIT_MANAGER)


def add_organisation(editor: User, name: str) -> None:
    region, _ = Principal.get_or_create(name="Region Exempelland",
                                        defaults={"kind": "region"})
    contacts.add_organisation(editor, name=name, principal=region,
                              kind=OrganisationKind.OUTPATIENT, law=Law.HSL,
                              phone="010-123 00 00")


def count_directory() -> int:
    """The organisations a new contact can be added to (a core read)."""
    return len(contacts.contact_form().organisations)


def counting_connections(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Connections the bound database opened from now on (one entry each)."""
    opened: list[int] = []
    target = database.obj
    original = target._connect

    def connecting() -> Any:
        conn = original()
        opened.append(1)
        return conn

    monkeypatch.setattr(target, "_connect", connecting)
    return opened


# ---- the core: one long connection ----------------------------------------------------------

def test_core_reconnects_after_each_restart_and_never_repeats_a_write(
    server: PrivateCluster, figures: Callable[..., None], monkeypatch: pytest.MonkeyPatch,
) -> None:
    editor = an_editor()
    opened = counting_connections(monkeypatch)
    rounds = size(3, 20)
    refused = saved = 0
    for n in range(rounds):
        before = count_directory()
        server.restart()
        with storage_errors():
            assert count_directory() == before  # the next read works by itself
        server.restart()
        with storage_errors():
            add_organisation(editor, f"Mottagning {n}a")  # so does the next use case
        saved += 1

        server.stop()
        with pytest.raises(ServerUnreachable) as gone, storage_errors():
            add_organisation(editor, f"Mottagning {n}b")
        assert gone.value.message == SERVER_GONE_MESSAGE
        with pytest.raises(ServerUnreachable), storage_errors():
            count_directory()
        refused += 1
        server.start()
        with storage_errors():
            add_organisation(editor, f"Mottagning {n}b")  # the same save, again: it works
        saved += 1
        assert count_directory() == before + 2  # the refused write was not repeated

    # A transaction cut by a restart: reported, and nothing of it is kept or done again.
    before = count_directory()
    with pytest.raises(ServerUnreachable), storage_errors(), database.atomic():
        add_organisation(editor, "Halvsparad 1")
        server.restart()
        add_organisation(editor, "Halvsparad 2")
    assert count_directory() == before

    assert len(opened) >= 2 * rounds  # a new connection after every restart
    figures(restarts=server.restarts, stops=rounds, reconnects=len(opened),
            writes_saved=saved, writes_refused=refused, repeated=0)


# ---- a save dialog ---------------------------------------------------------------------------

def test_a_save_while_the_server_is_down_keeps_the_dialog_and_the_next_save_works(
    server: PrivateCluster, qtbot: QtBot, message_log: MessageLog,  # noqa: F811
    figures: Callable[..., None],
) -> None:
    editor = an_editor()
    add_organisation(editor, "Psykiatrimottagningen")
    dialog = ContactDialog(editor, contacts.contact_form())
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.organisation.setCurrentIndex(0)
    typed = {"name": "Eva Läkare", "role": "Läkare", "phone": "010-123 45 67",
             "address": "Storgatan 1, 123 45 Exempelby"}
    for name, text in typed.items():
        dialog.fields[name].setFocus()
        type_text(qtbot, dialog.fields[name], text)

    server.stop()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert message_log.shown == [("error", "Kontakten kunde inte sparas", SERVER_GONE_MESSAGE)]
    assert dialog.isVisible()
    assert {name: dialog.fields[name].text() for name in typed} == typed
    assert dialog.save_button.isEnabled()  # the user can try again

    server.start()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    settle(qtbot)
    assert not dialog.isVisible()
    assert len(message_log.shown) == 1
    stored = Contact.get(Contact.name == "Eva Läkare")  # this thread's connection: reconnected
    assert (stored.role, stored.phone, stored.address) == (
        typed["role"], typed["phone"], typed["address"])
    figures(saves_refused=1, saves_after_restart=1, text_lost=0)


# ---- the main window -------------------------------------------------------------------------

def open_window(qtbot: QtBot, session: Session) -> MainWindow:
    window = MainWindow(session)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.inbox.loaded and window.todo.loaded, timeout=5000)
    settle(qtbot)
    return window


def in_another_client(work: Callable[[], Any]) -> Any:
    """Run `work` on a connection of its own, as another sipdesk client would."""
    result: list[Any] = []

    def run() -> None:
        try:
            result.append(work())
        finally:
            database.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(20)
    return result[0] if result else None


@pytest.fixture
def pg_session(server: PrivateCluster) -> Session:
    unit = make_unit("Hemtjänst Norr")
    anna = make_user("anna.berg", unit=unit, full_name="Anna Berg")
    return Session(url=server.url, user=anna)


def case_numbers(window: MainWindow) -> list[str]:
    model = window.case_list.model
    return [str(model.index(row, 0).data()) for row in range(model.rowCount())]


def test_the_status_bar_follows_the_connection_and_the_window_stays_readable(
    server: PrivateCluster, pg_session: Session, qtbot: QtBot,
    figures: Callable[..., None],
) -> None:
    make_case(pg_session.user, make_person())
    window = open_window(qtbot, pg_session)
    status = window.connection_status
    assert status.text() == connected_text(server.url)
    assert status.text() == "Ansluten till PostgreSQL: 127.0.0.1/sipdesk"
    shown = case_numbers(window)
    assert len(shown) == 1

    server.stop()
    window.refresh_case_list()  # F5 while the server is away
    qtbot.waitUntil(lambda: status.text() == lost_text(server.url), timeout=10_000)
    assert status.text() == "Ingen kontakt med servern — försöker igen…"
    settle(qtbot)
    assert case_numbers(window) == shown  # what was on screen is still there

    server.start()
    qtbot.waitUntil(lambda: status.text() == connected_text(server.url), timeout=10_000)
    window.refresh_case_list()
    settle(qtbot)
    assert case_numbers(window) == shown
    figures(outages=1, status_lost_shown=1, status_back_shown=1, rows_cleared=0)


def test_live_updates_resume_after_a_restart(
    server: PrivateCluster, pg_session: Session, qtbot: QtBot,
    figures: Callable[..., None],
) -> None:
    maria = make_user("maria.holm", unit=pg_session.user.unit, full_name="Maria Holm")
    anna_id = pg_session.user.id
    window = open_window(qtbot, pg_session)
    assert window.live.wait_until_listening(10)
    badge = window.navigation.item(INBOX_ROW)
    assert badge.text() == "Inkorg"

    server.restart()
    # Sent at once, perhaps before the listener is back: the refresh after it reconnects
    # brings it, if the notification itself is missed.
    in_another_client(lambda: messaging.send(
        maria, subject="Efter omstarten", body="Hej", to=[User.get_by_id(anna_id)]))
    qtbot.waitUntil(lambda: badge.text() == "Inkorg\n1 oläst", timeout=10_000)
    assert window.live.wait_until_listening(10)

    # And the notifications themselves flow again.
    in_another_client(lambda: messaging.send(
        maria, subject="Och en till", body="Hej", to=[User.get_by_id(anna_id)]))
    qtbot.waitUntil(lambda: badge.text() == "Inkorg\n2 olästa", timeout=5000)
    figures(restarts=1, messages_after_restart=2, missed=0)


# ---- SQLite: a share that vanishes -----------------------------------------------------------

def test_sqlite_file_on_a_share_that_vanishes(
    tmp_path: Path, sqlite_template: Path, qtbot: QtBot, figures: Callable[..., None],
) -> None:
    share = tmp_path / "share"
    share.mkdir()
    shutil.copyfile(sqlite_template, share / "sipdesk.sqlite3")
    url = DatabaseUrl(Engine.SQLITE, path=share / "sipdesk.sqlite3")
    opened = connect(url)
    try:
        editor = an_editor()
        add_organisation(editor, "Psykiatrimottagningen")
        opened.close()  # the UI thread holds no connection: every job opens its own
        away = share.rename(tmp_path / "unmounted")
        share.mkdir()  # the bare mount point

        for work in (count_directory, lambda: add_organisation(editor, "Vårdcentralen")):
            with pytest.raises(ServerUnreachable) as gone:
                operations.wait_for(work)
            assert gone.value.message == FILE_GONE_MESSAGE
        assert list(share.iterdir()) == []  # no new, empty database where the file was
        assert not operations.connection_state().reachable

        share.rmdir()
        away.rename(share)
        assert operations.wait_for(count_directory) == 1
        assert operations.connection_state().reachable
    finally:
        background_work_done()
        opened.close()
        database.initialize(None)
        operations.connection_state().note(True)
    figures(outages=1, refused=2, files_made=0)
