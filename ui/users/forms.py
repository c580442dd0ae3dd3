"""The admin screen's two forms: "Lägg upp användare" and "Nytt lösenord".

Each field's problem (`sipdesk.accounts.user_admin.new_user_problems` and `password_problem`, so
the messages are the core's) shows under it once the administrator has been in it, and all of
them on the OK button; what the core refuses when it saves (a login that is taken, a role on the
server that is not sipdesk's) comes back to its field, with everything typed still there
(`FormDialog`). The login and the initials are proposed from the name until the administrator
types their own. `ask(parent, …)` returns the saved user or None (tests replace it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtWidgets import QLineEdit, QWidget

from sipdesk.accounts import user_admin
from sipdesk.accounts.auth import MIN_PASSWORD
from sipdesk.accounts.setup import propose_initials, propose_login
from sipdesk.accounts.user_admin import NewUser, UnitChoice, UserRow
from sipdesk.storage.models import Role, User

from ..dialogs.form_dialog import FormDialog, hint, wide_combo
from ..fields import limited

PASSWORD_HINT = (f"Minst {MIN_PASSWORD} tecken och inte lätt att gissa — gärna några ord i rad. "
                 "Ge lösenordet till användaren muntligt, inte i e-post.")
SERVER_PASSWORD = " Det blir också lösenordet till databasservern."


def _password_edit(name: str) -> QLineEdit:
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(200)
    return edit


class AddUserDialog(FormDialog):
    """Lägg upp användare: name, login, initials, unit, role, profession and a first password."""

    ok_text = "Lägg upp"
    failed_title = "Användaren kunde inte läggas upp"
    compact = True

    def __init__(self, actor: User, units: Sequence[UnitChoice], *, server: bool,
                 parent: QWidget | None = None) -> None:
        intro = ("Den nya användaren loggar in med användarnamnet och lösenordet nedan."
                 + (" Hen får en egen inloggning på databasservern, som bara ger tillgång "
                    "till de ärenden hen får se." if server else ""))
        super().__init__(title="Lägg upp användare", intro=intro, parent=parent)
        self.setObjectName("add_user_dialog")
        self.actor = actor
        self._login_typed = False
        self._initials_typed = False

        self.full_name = self._line("full_name", User.full_name, "För- och efternamn")
        self.login = self._line("login", User.login, "t.ex. lena.strand")
        self.initials = self._line("initials", User.initials, "")
        self.unit = wide_combo("unit")
        for unit in units:
            self.unit.addItem(unit.label, unit.id)
        self.unit.setPlaceholderText("Välj enhet")
        self.unit.setCurrentIndex(-1)
        self.role = wide_combo("role")
        for role in Role:
            self.role.addItem(role.label, role.value)
        self.role.setPlaceholderText("Välj roll")
        self.role.setCurrentIndex(-1)
        self.profession = self._line("profession", User.profession,
                                     "t.ex. Undersköterska, Biståndshandläggare")
        self.password = _password_edit("password")
        self.password_repeat = _password_edit("password_repeat")

        self.form.add("full_name", "Namn *", self.full_name)
        self.form.add("login", "Användarnamn *", self.login)
        self.form.add("initials", "Initialer", self.initials)
        self.form.add("unit", "Enhet *", self.unit)
        self.form.add("role", "Roll *", self.role)
        self.form.add("profession", "Yrke", self.profession)
        self.form.add("password", "Lösenord *", self.password)
        self.form.add("password_repeat", "Samma lösenord igen *", self.password_repeat)
        self.form.addRow("", hint(PASSWORD_HINT + (SERVER_PASSWORD if server else ""),
                                  name="password_hint"))
        for name, widget in (("full_name", self.full_name), ("login", self.login),
                             ("initials", self.initials), ("unit", self.unit),
                             ("role", self.role), ("profession", self.profession),
                             ("password", self.password),
                             ("password_repeat", self.password_repeat)):
            self.watch(name, widget)
        self.full_name.textEdited.connect(self._name_edited)
        self.login.textEdited.connect(lambda _t: self._typed("login"))
        self.initials.textEdited.connect(lambda _t: self._typed("initials"))
        self.resize(max(self.sizeHint().width(), 520), self.sizeHint().height())
        self.full_name.setFocus()

    def _line(self, name: str, column: object, placeholder: str) -> QLineEdit:
        edit = limited(QLineEdit(), column)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    @classmethod
    def open_for(cls, parent: QWidget, actor: User, *, server: bool,
                 then: Callable[[User], object]) -> None:
        """Read the units first (in the runner), then ask; `then(user)` after it is saved."""
        cls.ask_when_read(parent, lambda: user_admin.unit_choices(actor), actor,
                          server=server, then=then, read_title="Användare kan inte läggas upp")

    # ---- proposing -------------------------------------------------------------------------

    def _typed(self, which: str) -> None:
        if which == "login":
            self._login_typed = bool(self.login.text())
        else:
            self._initials_typed = bool(self.initials.text())

    def _name_edited(self, name: str) -> None:
        """The login and initials follow the name until the administrator types their own."""
        if not self._login_typed:
            self.login.setText(propose_login(name))
        if not self._initials_typed:
            self.initials.setPlaceholderText(propose_initials(name))

    # ---- validating and saving -------------------------------------------------------------

    def data(self) -> NewUser:
        role = self.role.currentData()
        return NewUser(
            full_name=self.full_name.text(), login=self.login.text(),
            unit_id=self.unit.currentData(), role=Role(role) if role is not None else None,
            password=self.password.text(), password_repeat=self.password_repeat.text(),
            initials=self.initials.text(), profession=self.profession.text())

    def problems(self) -> dict[str, str]:
        return user_admin.new_user_problems(self.data())

    def saving(self) -> Callable[[], User]:
        actor, data = self.actor, self.data()
        return lambda: user_admin.add_user(actor, data)


class NewPasswordDialog(FormDialog):
    """Nytt lösenord for one user, typed twice."""

    ok_text = "Byt lösenord"
    failed_title = "Lösenordet kunde inte bytas"
    compact = True

    def __init__(self, actor: User, user: UserRow, *, server: bool,
                 parent: QWidget | None = None) -> None:
        where = " Det gäller också inloggningen på databasservern." if server else ""
        super().__init__(
            title="Nytt lösenord",
            intro=(f"Nytt lösenord för {user.full_name} ({user.login}). Det gamla slutar "
                   f"gälla när du sparar.{where}"), parent=parent)
        self.setObjectName("new_password_dialog")
        self.actor = actor
        self.user = user
        self.password = _password_edit("password")
        self.password_repeat = _password_edit("password_repeat")
        self.form.add("password", "Nytt lösenord *", self.password)
        self.form.add("password_repeat", "Samma lösenord igen *", self.password_repeat)
        self.form.addRow("", hint(PASSWORD_HINT, name="password_hint"))
        self.watch("password", self.password)
        self.watch("password_repeat", self.password_repeat)
        self.resize(max(self.sizeHint().width(), 460), self.sizeHint().height())
        self.password.setFocus()

    def problems(self) -> dict[str, str]:
        problems: dict[str, str] = {}
        problem = user_admin.password_problem(self.password.text(), login=self.user.login,
                                              full_name=self.user.full_name)
        if problem:
            problems["password"] = problem
        if self.password.text() != self.password_repeat.text():
            problems["password_repeat"] = user_admin.PASSWORDS_DIFFER
        return problems

    def saving(self) -> Callable[[], User]:
        actor, login = self.actor, self.user.login
        password, repeated = self.password.text(), self.password_repeat.text()
        return lambda: user_admin.set_password(actor, login, password, repeated)
