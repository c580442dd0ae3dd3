"""The PostgreSQL connection dialog: server, port, database, user and password.

"Testa anslutningen" and "Anslut" both check the connection off the UI thread and show a
failure in Swedish at the field it concerns (server, database, user or password), so the user
can correct that field and try again without retyping anything. The password lives only in
the password field and, if the user asks for it, in the system keyring: never in settings,
a URL or a log line. `ServerFields` (everything but the dialog buttons) is shared with the
settings dialog.
"""

from __future__ import annotations

import logging

import shiboken6
from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sipdesk import settings
from sipdesk.accounts import passwords
from sipdesk.paths import default_database_path
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, ProblemKind, check_connection
from ui.fields import ERROR_STYLE, FieldForm
from ui.operations import Operation

log = logging.getLogger("sipdesk.ui.connection")

NO_KEYRING = (
    "Ingen nyckelring finns på den här datorn — du får ange lösenordet varje gång"
)
WORKS = "Anslutningen fungerar"
CONNECTING = "Ansluter …"
OK_STYLE = "color: #1b5e20;"
GENERIC_PROBLEM = "Det gick inte att ansluta till databasen."
SERVER_WANTS_PASSWORD = (
    "Servern svarar och vill ha ett lösenord – du anger det när du startar sipdesk."
)

# Which input a connection problem is about; the rest are shown above the form.
_PROBLEM_FIELD: dict[ProblemKind, str] = {
    ProblemKind.SERVER_DOWN: "host",
    ProblemKind.NO_DATABASE: "name",
    ProblemKind.WRONG_PASSWORD: "password",
    ProblemKind.PASSWORD_NEEDED: "password",
}


def problem_field(problem: ConnectionProblem, *, has_password: bool) -> str | None:
    """The input `problem` belongs to, or None when it is about the connection as a whole."""
    field = _PROBLEM_FIELD.get(problem.kind)
    # The core reports an unknown database user as WRONG_PASSWORD ("… finns inte på
    # databasservern"); that is fixed in the user field, not the password field.
    if field == "password" and "finns inte" in problem.message:
        return "user"
    if field == "password" and not has_password:
        return None
    return field


class ServerFields(QWidget):
    """Server, port, database, user (and optionally password) with a connection test.

    `check_finished` carries None when the connection worked, else the ConnectionProblem
    (already shown at its field or in the status line). `busy_changed` tells the dialog to
    disable its buttons while a check runs.
    """

    check_finished = Signal(object)
    busy_changed = Signal(bool)
    edited = Signal()

    def __init__(
        self, parent: QWidget | None = None, *, url: DatabaseUrl | None, with_password: bool
    ) -> None:
        super().__init__(parent)
        self.with_password = with_password
        self.busy = False
        self.form = FieldForm()
        self.host = QLineEdit()
        self.host.setObjectName("host")
        self.host.setPlaceholderText("t.ex. sip-db.kommun.se")
        self.port = QSpinBox()
        self.port.setObjectName("port")
        self.port.setRange(1, 65535)
        self.port.setGroupSeparatorShown(False)
        self.port.setValue(5432)
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.user = QLineEdit()
        self.user.setObjectName("user")
        self.form.add("host", "Server", self.host)
        self.form.add("port", "Port", self.port)
        self.form.add("name", "Databas", self.name)
        self.form.add("user", "Användarnamn", self.user)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        if with_password:
            self.form.add("password", "Lösenord", self.password)
        if url is not None and url.engine is Engine.POSTGRESQL:
            self.host.setText(url.host)
            self.port.setValue(url.port)
            self.name.setText(url.name)
            self.user.setText(url.user)

        self.test_button = QPushButton("Testa anslutningen")
        self.test_button.setObjectName("test_connection")
        self.test_button.setAutoDefault(False)
        self.test_button.clicked.connect(self._test_clicked)
        self.status = QLabel()
        self.status.setObjectName("connection_status")
        self.status.setWordWrap(True)
        test_row = QHBoxLayout()
        test_row.addWidget(self.test_button)
        test_row.addWidget(self.status, 1)

        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(self.form)
        column.addLayout(test_row)

        for line in (self.host, self.name, self.user, self.password):
            line.textEdited.connect(self._on_edit)
        self.port.valueChanged.connect(self._on_edit)

    # --- values -----------------------------------------------------------------------

    def url(self) -> DatabaseUrl:
        return DatabaseUrl(
            Engine.POSTGRESQL,
            host=self.host.text().strip(),
            port=self.port.value(),
            name=self.name.text().strip(),
            user=self.user.text().strip(),
        )

    def field_problems(self) -> dict[str, str]:
        problems = {}
        if not self.host.text().strip():
            problems["host"] = "Ange serverns namn eller adress."
        if not self.name.text().strip():
            problems["name"] = "Ange databasens namn."
        if not self.user.text().strip():
            problems["user"] = "Ange ditt användarnamn på databasservern."
        return problems

    def validate(self) -> bool:
        """Show every missing field at once and focus the first; True when all are filled."""
        problems = self.field_problems()
        for name, message in problems.items():
            self.form.show_error(name, message)
        if problems:
            self.form.inputs[next(iter(problems))].setFocus()
        return not problems

    # --- showing results --------------------------------------------------------------

    def show_status(self, text: str, *, ok: bool) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def show_problem(self, problem: ConnectionProblem) -> None:
        """Put the message at its field (and focus it), or in the status line."""
        if problem.kind is ProblemKind.PASSWORD_NEEDED and not self.with_password:
            # Without a password field (the settings) this is good news: the server answers.
            self.show_status(SERVER_WANTS_PASSWORD, ok=True)
            return
        field = problem_field(problem, has_password=self.with_password)
        if field is None:
            self.show_status(problem.message, ok=False)
            return
        self.show_status("", ok=False)
        self.form.show_error(field, problem.message)
        widget = self.form.inputs[field]
        widget.setFocus()
        if isinstance(widget, QLineEdit):
            widget.selectAll()

    def _on_edit(self) -> None:
        """A changed field: its own message and an earlier test result are out of date."""
        sender = self.sender()
        for name, widget in self.form.inputs.items():
            if widget is sender:
                self.form.clear_error(name)
        if self.status.text() and not self.busy:
            self.show_status("", ok=True)
        self.edited.emit()

    # --- the check --------------------------------------------------------------------

    def _test_clicked(self) -> None:
        self.start_check()

    def start_check(self) -> None:
        """Check the connection off the UI thread; the result arrives as `check_finished`.

        Without a password field the password stored in the keyring (if any) is used.
        """
        if self.busy or not self.validate():
            return
        url = self.url()
        typed = self.password.text() if self.with_password else None

        def check() -> None:
            secret = typed if typed is not None else passwords.get_password(url)
            check_connection(url, secret or None)

        self._set_busy(True)
        self.show_status(CONNECTING, ok=True)
        self.status.setStyleSheet("")
        app = QCoreApplication.instance()
        assert app is not None
        # Parented to the application, not to this widget: the reply must have somewhere to go
        # even if the dialog is closed while a slow server is still being tried.
        (
            Operation(app, check)
            .success(self._check_ok)
            .failure(self._check_failed)
            .run()
        )

    def _check_ok(self, _result: object) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        log.info("connection test succeeded")
        self.show_status(WORKS, ok=True)
        self.check_finished.emit(None)

    def _check_failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_busy(False)
        problem = (
            exc if isinstance(exc, ConnectionProblem)
            else ConnectionProblem(ProblemKind.OTHER, GENERIC_PROBLEM)
        )
        log.info("connection test failed: %s", problem.kind.value)
        self.show_problem(problem)
        self.check_finished.emit(problem)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self.test_button.setEnabled(not busy)
        self.busy_changed.emit(busy)


class ConnectionDialog(QDialog):
    """Asks where the shared PostgreSQL server is and for the password."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        url: DatabaseUrl,
        problem: str | ConnectionProblem | None = None,
        password: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Anslut till databasservern – sipdesk")
        self.setObjectName("connection_dialog")
        self.setMinimumWidth(480)
        self.result_value: tuple[DatabaseUrl, str | None] | None = None

        intro = QLabel(
            "Ange uppgifterna till er gemensamma databasserver – du får dem av er "
            "systemförvaltare. Du kan också arbeta i den inbyggda databasen på den här datorn."
        )
        intro.setWordWrap(True)
        self.banner = QLabel()
        self.banner.setObjectName("problem_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE + " font-weight: bold;")
        self.banner.hide()

        self.fields = ServerFields(url=url, with_password=True)
        self.fields.password.setText(password)

        self.remember = QCheckBox("Kom ihåg lösenordet")
        self.remember.setObjectName("remember_password")
        self.keyring_note = QLabel(NO_KEYRING)
        self.keyring_note.setObjectName("keyring_note")
        self.keyring_note.setWordWrap(True)
        self.keyring_note.setStyleSheet("color: palette(placeholder-text);")
        if passwords.keyring_works():
            self.remember.setChecked(bool(settings.get("remember_password")))
            self.keyring_note.hide()
        else:
            self.remember.setChecked(False)
            self.remember.setEnabled(False)
            self.remember.setToolTip(NO_KEYRING)

        self.buttons = QDialogButtonBox()
        self.connect_button = self.buttons.addButton(
            "Anslut", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.connect_button.setObjectName("connect")
        self.connect_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            "Avbryt", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel")
        self.embedded_button = self.buttons.addButton(
            "Använd den inbyggda databasen", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.embedded_button.setObjectName("use_embedded")
        self.embedded_button.setAutoDefault(False)
        self.embedded_button.setToolTip(
            f"Arbeta i stället i databasen på den här datorn ({default_database_path()})"
        )
        self.connect_button.clicked.connect(self._connect_clicked)
        self.cancel_button.clicked.connect(self.reject)
        self.embedded_button.clicked.connect(self._use_embedded)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.banner)
        layout.addWidget(self.fields)
        layout.addWidget(self.remember)
        layout.addWidget(self.keyring_note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.fields.busy_changed.connect(self._busy_changed)
        self.fields.edited.connect(self.banner.hide)
        self._accept_after_check = False
        self.fields.check_finished.connect(self._check_finished)

        focus: QWidget | None = None
        if isinstance(problem, ConnectionProblem):
            field = problem_field(problem, has_password=True)
            if field is None:
                self._show_banner(problem.message)
            else:
                self.fields.show_problem(problem)
                focus = self.fields.form.inputs[field]
        elif problem:
            self._show_banner(problem)
        if focus is None:
            lines = (self.fields.host, self.fields.name, self.fields.user, self.fields.password)
            focus = next((line for line in lines if not line.text()), self.fields.password)
        focus.setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        url: DatabaseUrl,
        problem: str | ConnectionProblem | None,
        *,
        password: str = "",
    ) -> tuple[DatabaseUrl, str | None] | None:
        """The server and password to use, or None when the user cancels.

        `problem` (a message, or the ConnectionProblem itself so it lands at its field) says
        why the dialog is shown again; `password` keeps what the user typed last time.
        """
        dialog = cls(parent, url=url, problem=problem, password=password)
        dialog.exec()
        return dialog.result_value

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _busy_changed(self, busy: bool) -> None:
        self.connect_button.setEnabled(not busy)
        self.connect_button.setDefault(True)  # disabling drops the default role (Enter)
        self.embedded_button.setEnabled(not busy)

    def _connect_clicked(self) -> None:
        self._accept_after_check = True
        self.fields.start_check()
        if not self.fields.busy:  # the fields were incomplete: nothing started
            self._accept_after_check = False

    def _check_finished(self, problem: ConnectionProblem | None) -> None:
        accept, self._accept_after_check = self._accept_after_check, False
        if problem is not None or not accept:
            return
        url = self.fields.url()
        password = self.fields.password.text() or None
        if self.remember.isEnabled():
            settings.set_value("remember_password", self.remember.isChecked())
            if self.remember.isChecked() and password:
                if not passwords.store_password(url, password):
                    log.warning("password could not be stored in the keyring")
            elif not self.remember.isChecked():
                passwords.forget_password(url)
        self.result_value = (url, password)
        self.accept()

    def _use_embedded(self) -> None:
        self.result_value = (DatabaseUrl(Engine.SQLITE, path=default_database_path()), None)
        self.accept()

    def reject(self) -> None:
        if self.fields.busy:
            # A check is under way; its answer would arrive at a closed dialog. Let the user
            # leave anyway: the answer is ignored.
            self._accept_after_check = False
        self.result_value = None
        super().reject()
