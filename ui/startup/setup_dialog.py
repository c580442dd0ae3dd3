"""First start on an empty database: the municipality, your unit and you — or demo data.

Every field is checked as the user types (`sipdesk.accounts.setup.setup_problems`) and the message
stands at the field. Initials and login are proposed from the name until the user edits them.
On PostgreSQL the database user is the sipdesk login, so the login is filled in and locked and
there is no password (the server checks it). "Prova med exempeldata" fills the database with
fictional demo data instead. The database work runs off the UI thread with a busy indicator.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import shiboken6
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from sipdesk import demo
from sipdesk.accounts import setup
from sipdesk.accounts.auth import MIN_PASSWORD
from sipdesk.errors import SipError
from sipdesk.storage.models import Law, Principal, Role, Unit, User
from ui.fields import ERROR_STYLE, FieldForm, limited
from ui.operations import Operation

log = logging.getLogger("sipdesk.ui.setup")

DEMO_CASES = 200
DEFAULT_LAW = Law.SOL  # most users are home-care units (SoL)
DEFAULT_ROLE = Role.UNIT_MANAGER


@dataclass(frozen=True)
class SetupResult:
    """Who logs in after the setup, and whether the database got demo data."""

    user: User
    demo: bool


def _section(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 8px;")
    return label


class SetupDialog(QDialog):
    """The first-run setup. `result_value` holds the SetupResult once accepted."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        needs_password: bool,
        database_user: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Kom igång med sipdesk")
        self.setObjectName("setup_dialog")
        self.setMinimumWidth(520)
        self.needs_password = needs_password
        self.result_value: SetupResult | None = None
        self.busy = False
        self.touched: set[str] = set()
        self._login_edited = False
        self._initials_edited = False

        intro = QLabel(
            "Välkommen! Databasen är ny och tom. Berätta vilken kommun och enhet du arbetar på "
            "och vem du är, så lägger sipdesk upp dig som första användare.<br><br>"
            "Vill du först se hur sipdesk fungerar? Välj <b>Prova med exempeldata</b>."
        )
        intro.setWordWrap(True)

        self.form = FieldForm()
        self.municipality = self._line("municipality", "t.ex. Exempelby kommun")
        self.unit_name = self._line("unit_name", "t.ex. Hemtjänst Norr")
        self.unit_law = QComboBox()
        self.unit_law.setObjectName("unit_law")
        for law in Law:
            self.unit_law.addItem(law.label, law)
        self.unit_law.setCurrentIndex(list(Law).index(DEFAULT_LAW))
        self.full_name = self._line("full_name", "För- och efternamn")
        self.initials = self._line("initials", "")
        self.initials.setMaxLength(10)
        self.profession = self._line("profession", "t.ex. Enhetschef hemtjänst")
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(role.label, role)
        self.role.setCurrentIndex(list(Role).index(DEFAULT_ROLE))
        self.login = self._line("login", "t.ex. anna.berg")
        self.password = self._line("password", f"minst {MIN_PASSWORD} tecken")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_repeat = self._line("password_repeat", "")
        self.password_repeat.setEchoMode(QLineEdit.EchoMode.Password)

        self.form.addRow(_section("Kommunen och din enhet"))
        self.form.add("municipality", "Kommun", self.municipality)
        self.form.add("unit_name", "Din enhet", self.unit_name)
        self.form.add("unit_law", "Enheten arbetar enligt", self.unit_law)
        self.form.addRow(_section("Du själv"))
        self.form.add("full_name", "Ditt namn", self.full_name)
        self.form.add("initials", "Initialer", self.initials)
        self.form.add("profession", "Yrke", self.profession)
        self.form.add("role", "Roll i sipdesk", self.role)
        self.form.add("login", "Användarnamn", self.login)
        if needs_password:
            self.form.add("password", "Lösenord", self.password)
            self.form.add("password_repeat", "Upprepa lösenordet", self.password_repeat)
        else:
            # The connection to the server is the login: the sipdesk login is the database user.
            self.login.setText(database_user or "")
            self.login.setReadOnly(True)
            self._login_edited = True
            self.login.setToolTip("Samma användarnamn som på databasservern")
            note = QLabel(
                "På en delad databasserver är ditt användarnamn i sipdesk detsamma som på "
                "servern, och servern kontrollerar lösenordet."
            )
            note.setWordWrap(True)
            note.setStyleSheet("color: palette(placeholder-text);")
            self.form.addRow("", note)

        self.banner = QLabel()
        self.banner.setObjectName("problem_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(ERROR_STYLE)
        self.banner.hide()
        self.busy_label = QLabel()
        self.busy_label.setObjectName("busy_label")
        self.progress = QProgressBar()
        self.progress.setRange(0, 0)  # indeterminate: the work has no measurable steps
        self.progress.setTextVisible(False)
        self.busy_label.hide()
        self.progress.hide()

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton(
            "Kom igång", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.start_button.setObjectName("start")
        self.start_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            "Avbryt", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setObjectName("cancel")
        self.demo_button: QPushButton = self.buttons.addButton(
            "Prova med exempeldata", QDialogButtonBox.ButtonRole.ResetRole
        )
        self.demo_button.setObjectName("demo")
        self.demo_button.setAutoDefault(False)
        self.demo_button.setToolTip(
            f"Fyller databasen med {DEMO_CASES} påhittade SIP-ärenden och loggar in dig som "
            "en exempelanvändare"
        )
        self.start_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        self.demo_button.clicked.connect(self.fill_demo)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(self.form)
        layout.addWidget(self.banner)
        layout.addWidget(self.busy_label)
        layout.addWidget(self.progress)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.full_name.textEdited.connect(self._propose_from_name)
        self.login.textEdited.connect(self._login_typed)
        self.initials.textEdited.connect(self._initials_typed)
        self.municipality.setFocus()

    @classmethod
    def ask(
        cls,
        parent: QWidget | None,
        *,
        needs_password: bool,
        database_user: str | None = None,
    ) -> SetupResult | None:
        """Set up the empty database; who to log in as, or None when the user cancels."""
        dialog = cls(parent, needs_password=needs_password, database_user=database_user)
        dialog.exec()
        return dialog.result_value

    # --- input ------------------------------------------------------------------------

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        column = {"municipality": Principal.name, "unit_name": Unit.name}.get(name)
        column = column if column is not None else getattr(User, name, None)
        if column is not None and name != "login":  # the login's own check says 2–100
            limited(line, column)
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.textEdited.connect(lambda _text, field=name: self._edited(field))
        return line

    def _propose_from_name(self, name: str) -> None:
        if not self._initials_edited:
            self.initials.setText(setup.propose_initials(name))
            if self.initials.text():
                self.touched.add("initials")
        if not self._login_edited:
            self.login.setText(setup.propose_login(name))
        self.revalidate()

    def _login_typed(self, _text: str) -> None:
        self._login_edited = True

    def _initials_typed(self, _text: str) -> None:
        self._initials_edited = True

    def _edited(self, field: str) -> None:
        self.touched.add(field)
        self.banner.hide()
        self.revalidate()

    def data(self) -> setup.SetupInput:
        law = self.unit_law.currentData()
        role = self.role.currentData()
        return setup.SetupInput(
            municipality=self.municipality.text(),
            unit_name=self.unit_name.text(),
            unit_law=law if isinstance(law, Law) else Law(law),
            full_name=self.full_name.text(),
            initials=self.initials.text(),
            profession=self.profession.text(),
            login=self.login.text(),
            role=role if isinstance(role, Role) else Role(role),
            password=self.password.text() if self.needs_password else None,
            password_repeat=self.password_repeat.text() if self.needs_password else None,
        )

    def revalidate(self) -> dict[str, str]:
        """Show the problems of the fields the user has been in; returns all problems."""
        problems = setup.setup_problems(self.data(), needs_password=self.needs_password)
        for name in self.form.errors:
            if name in problems and name in self.touched:
                self.form.show_error(name, problems[name])
            else:
                self.form.clear_error(name)
        return problems

    # --- the two ways on --------------------------------------------------------------

    def submit(self) -> None:
        """"Kom igång": every problem at its field, or the setup off the UI thread."""
        if self.busy:
            return
        self.touched.update(self.form.errors)
        problems = self.revalidate()
        if problems:
            first = next(iter(problems))
            self.form.inputs[first].setFocus()
            return
        data = self.data()
        needs_password = self.needs_password
        self._set_busy("Lägger upp kommunen, enheten och dig …")
        app = QCoreApplication.instance()
        assert app is not None
        (
            Operation(app, lambda: setup.first_run_setup(data, needs_password=needs_password))
            .success(lambda user: self._done(user, demo=False))
            .failure(self._failed)
            .run()
        )

    def fill_demo(self) -> None:
        """"Prova med exempeldata": fictional demo data, then log in as the demo user."""
        if self.busy:
            return
        self.form.clear_errors()  # what was typed does not matter for the demo
        self._set_busy(f"Fyller databasen med {DEMO_CASES} påhittade ärenden …")

        def work() -> User:
            demo.fill_demo(cases=DEMO_CASES)
            return demo.demo_user()

        app = QCoreApplication.instance()
        assert app is not None
        (
            Operation(app, work)
            .success(lambda user: self._done(user, demo=True))
            .failure(self._failed)
            .run()
        )

    def _done(self, user: User, *, demo: bool) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_idle()
        log.info("first-run setup done (demo=%s)", demo)
        self.result_value = SetupResult(user=user, demo=demo)
        self.accept()

    def _failed(self, exc: Exception) -> None:
        if not shiboken6.isValid(self):
            return
        self._set_idle()
        if isinstance(exc, SipError):
            if not self.form.show_error(exc.field, exc.message):
                self._show_banner(exc.message)
            elif exc.field is not None:
                self.form.inputs[exc.field].setFocus()
            return
        log.error("first-run setup failed: %s", type(exc).__name__)
        self._show_banner(
            "Det gick inte att lägga upp databasen. Försök igen, eller kontakta er "
            "systemförvaltare om det inte går."
        )

    def _show_banner(self, text: str) -> None:
        self.banner.setText(text)
        self.banner.show()

    def _set_busy(self, text: str) -> None:
        self.busy = True
        self.banner.hide()
        self.busy_label.setText(text)
        self.busy_label.show()
        self.progress.show()
        for widget in (*self.form.inputs.values(), self.start_button, self.demo_button,
                       self.cancel_button):
            widget.setEnabled(False)

    def _set_idle(self) -> None:
        self.busy = False
        self.busy_label.hide()
        self.progress.hide()
        for widget in (*self.form.inputs.values(), self.start_button, self.demo_button,
                       self.cancel_button):
            widget.setEnabled(True)
        self.start_button.setDefault(True)  # disabling dropped its default role (Enter)

    def reject(self) -> None:
        if self.busy:  # the database is being written: let that finish first
            return
        super().reject()

