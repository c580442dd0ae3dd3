"""The "Nytt ärende" dialog: choose the person (find them, or register a new one) and the
coordinator, then open the case.

Every field of a new person is checked as the user types (`sipdesk.people.person_problems`), with
the Swedish message under the field; a personal number that is already registered offers that
person instead. "Skapa ärende" is enabled only when everything is valid, and nothing the user
typed is lost when the database refuses: the message appears and the form stays as it was.
`NewCaseDialog.ask(parent, session)` runs the dialog and returns the new case (tests replace it).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from sipdesk import auth, cases, people
from sipdesk import personal_number as pnr
from sipdesk.db import storage_errors
from sipdesk.errors import PermissionDenied, StorageError, ValidationError
from sipdesk.models import Case, Person, User

from .. import messages
from ..fields import FieldForm
from ..session import Session

log = logging.getLogger("sipdesk.ui.new_case")

SEARCH_DELAY_MS = 150
PERSON_ID_ROLE = Qt.ItemDataRole.UserRole + 1

# The new person's text fields, in form order: name, label, placeholder.
TEXT_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("personal_number", "Personnummer *", "ÅÅÅÅMMDD-NNNN"),
    ("first_name", "Förnamn *", ""),
    ("last_name", "Efternamn *", ""),
    ("address", "Adress", "Gata och nummer"),
    ("postal_code", "Postnummer", "123 45"),
    ("city", "Ort", ""),
    ("phone", "Telefon", "070-123 45 67"),
    ("language", "Språk *", ""),
)


class NewCaseDialog(QDialog):
    """Pick or register the person, choose the coordinator, create the case."""

    EXISTING, NEW = 0, 1

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.created_case: Case | None = None
        self._chosen: Person | None = None
        self._found: dict[int, Person] = {}
        self._duplicate: Person | None = None
        self._checked_number: str | None = None
        self._touched: set[str] = set()
        self.setWindowTitle("Nytt ärende")
        self.setObjectName("new_case_dialog")

        intro = QLabel(
            "Vem gäller planen? Sök fram personen om hen redan finns i sipdesk, "
            "annars lägger du upp en ny person."
        )
        intro.setWordWrap(True)

        self.existing_radio = QRadioButton("Personen finns redan i sipdesk")
        self.new_radio = QRadioButton("Lägg upp en ny person")
        self.existing_radio.setChecked(True)
        self._mode_group = QButtonGroup(self)
        self._mode_group.addButton(self.existing_radio, self.EXISTING)
        self._mode_group.addButton(self.new_radio, self.NEW)
        self._mode_group.idToggled.connect(self._mode_toggled)
        modes = QHBoxLayout()
        modes.addWidget(self.existing_radio)
        modes.addSpacing(16)
        modes.addWidget(self.new_radio)
        modes.addStretch(1)

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_search_page())
        self.pages.addWidget(self._build_new_person_page())

        coordinator_box = QGroupBox("Ärendet")
        self.case_form = FieldForm()
        coordinator_box.setLayout(self.case_form)
        self.coordinator = QComboBox()
        self.coordinator.setObjectName("coordinator")
        self._users: dict[int, User] = {}
        for user in auth.active_users_with_unit():
            self._users[user.id] = user
            self.coordinator.addItem(f"{user.full_name} ({user.unit.name})", user.id)
        mine = self.coordinator.findData(session.user.id)
        self.coordinator.setCurrentIndex(max(mine, 0))
        self.coordinator.currentIndexChanged.connect(self._coordinator_changed)
        self.case_form.add("coordinator", "Samordningsansvarig", self.coordinator)
        note = QLabel("Ärendet hör till den samordningsansvariges enhet.")
        note.setObjectName("coordinator_note")
        note.setEnabled(False)
        self.case_form.addRow("", note)

        self.buttons = QDialogButtonBox()
        self.create_button = self.buttons.addButton(
            "Skapa ärende", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setObjectName("create_case")
        self.create_button.setDefault(True)
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(intro)
        layout.addLayout(modes)
        layout.addWidget(self.pages, 1)
        layout.addWidget(coordinator_box)
        layout.addLayout(bottom)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._search_timer.start)

        self.resize(max(self.sizeHint().width(), 620), max(self.sizeHint().height(), 600))
        self.search.setFocus()
        self._update_state()

    # ---- running it ---------------------------------------------------------------------

    @classmethod
    def ask(cls, parent: QWidget | None, session: Session) -> Case | None:
        """Show the dialog; the new case, or None when the user cancelled."""
        dialog = cls(session, parent)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.created_case
            return None
        finally:
            dialog.deleteLater()

    # ---- building ---------------------------------------------------------------------------

    def _build_search_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.search = QLineEdit()
        self.search.setObjectName("person_search")
        self.search.setPlaceholderText("Sök på namn eller personnummer")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Sök person")
        self.results = QListWidget()
        self.results.setObjectName("person_results")
        self.results.setAccessibleName("Personer som matchar sökningen")
        self.results.currentItemChanged.connect(self._result_chosen)
        self.results.itemDoubleClicked.connect(lambda _item: self.accept())
        self.search_hint = QLabel()
        self.search_hint.setObjectName("search_hint")
        self.search_hint.setWordWrap(True)
        self.register_button = QPushButton("Lägg upp som ny person")
        self.register_button.setObjectName("register_instead")
        self.register_button.setAutoDefault(False)
        self.register_button.clicked.connect(self._register_instead)
        hint_row = QHBoxLayout()
        hint_row.addWidget(self.search_hint, 1)
        hint_row.addWidget(self.register_button)
        self.search_hint.hide()
        self.register_button.hide()
        column.addWidget(self.search)
        column.addWidget(self.results, 1)
        column.addLayout(hint_row)
        return page

    def _build_new_person_page(self) -> QWidget:
        page = QWidget()
        self.person_form = FieldForm(page)
        self.person_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # Labels stay beside their input when a message opens up below it.
        self.person_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, placeholder in TEXT_FIELDS:
            edit = QLineEdit()
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label.rstrip(" *"))
            self.person_form.add(name, label, edit)
            self.fields[name] = edit
            edit.textEdited.connect(lambda _text, n=name: self._edited(n))
            edit.editingFinished.connect(lambda n=name: self._edited(n))
            if name == "personal_number":
                self.use_existing_button = QPushButton("Välj den här personen")
                self.use_existing_button.setObjectName("use_existing")
                self.use_existing_button.setAutoDefault(False)
                self.use_existing_button.clicked.connect(self._use_duplicate)
                self.use_existing_button.hide()
                self.person_form.addRow("", self.use_existing_button)
        self.fields["language"].setText("svenska")
        self.needs_interpreter = QCheckBox("Behöver tolk")
        self.needs_interpreter.setObjectName("needs_interpreter")
        self.person_form.addRow("Tolk", self.needs_interpreter)
        self.easy_read = QCheckBox("Lättläst text")
        self.easy_read.setObjectName("easy_read")
        self.picture_support = QCheckBox("Bildstöd")
        self.picture_support.setObjectName("picture_support")
        needs = QHBoxLayout()
        needs.addWidget(self.easy_read)
        needs.addSpacing(16)
        needs.addWidget(self.picture_support)
        needs.addStretch(1)
        self.person_form.addRow("Kommunikation", needs)
        required = QLabel("Fält markerade med * måste fyllas i.")
        required.setEnabled(False)
        self.person_form.addRow("", required)
        return page

    # ---- the person ---------------------------------------------------------------------

    def mode(self) -> int:
        return self.NEW if self.new_radio.isChecked() else self.EXISTING

    def person_input(self) -> people.PersonInput:
        """What the user has typed about the new person."""
        text = {name: edit.text() for name, edit in self.fields.items()}
        return people.PersonInput(
            personal_number=text["personal_number"],
            first_name=text["first_name"],
            last_name=text["last_name"],
            address=text["address"],
            postal_code=text["postal_code"],
            city=text["city"],
            phone=text["phone"],
            language=text["language"],
            needs_interpreter=self.needs_interpreter.isChecked(),
            easy_read=self.easy_read.isChecked(),
            picture_support=self.picture_support.isChecked(),
        )

    def _mode_toggled(self, mode: int, checked: bool) -> None:
        if not checked:
            return
        self.pages.setCurrentIndex(mode)
        (self.search if mode == self.EXISTING else self.fields["personal_number"]).setFocus()
        self._update_state()

    def _edited(self, name: str) -> None:
        self._touched.add(name)
        self._update_state()

    def _problems(self) -> dict[str, str]:
        """Every problem of the new-person form, including an already registered number."""
        data = self.person_input()
        problems = people.person_problems(data)
        if "personal_number" not in problems:
            canonical = pnr.parse(data.personal_number).canonical
            if canonical != self._checked_number:
                self._checked_number = canonical
                self._duplicate = people.find_by_number(canonical)
            if self._duplicate is not None:
                problems["personal_number"] = (
                    f"Personen finns redan i sipdesk ({self._duplicate.full_name}). "
                    "Välj henne eller honom i stället för att lägga upp personen igen."
                )
        else:
            self._checked_number, self._duplicate = None, None
        return problems

    def _search_text_as_number(self) -> str | None:
        try:
            return pnr.parse(self.search.text()).canonical
        except ValidationError:
            return None

    def _run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self.results.clear()
        self._found.clear()
        self._chosen = None
        found: list[Person] = people.search_persons(text, limit=50) if text else []
        for person in found:
            item = QListWidgetItem(f"{person.full_name}   {person.personal_number}")
            item.setData(PERSON_ID_ROLE, person.id)
            self.results.addItem(item)
            self._found[person.id] = person
        if not text:
            self.search_hint.hide()
            self.register_button.hide()
        elif not found:
            number = self._search_text_as_number()
            self.search_hint.setText(
                f"Ingen person med personnumret {number} finns i sipdesk."
                if number else "Ingen person matchar sökningen."
            )
            self.search_hint.show()
            self.register_button.show()
        else:
            self.search_hint.setText(
                "Välj personen i listan." if len(found) < 50
                else "Visar de 50 första — skriv mer för att hitta rätt person."
            )
            self.search_hint.show()
            self.register_button.hide()
        if len(found) == 1:
            self.results.setCurrentRow(0)
        self._update_state()

    def _result_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._chosen = self._found.get(item.data(PERSON_ID_ROLE)) if item is not None else None
        self._update_state()

    def _register_instead(self) -> None:
        """From a search without a match to the new-person form, keeping a typed number."""
        number = self._search_text_as_number()
        if number and not self.fields["personal_number"].text():
            self.fields["personal_number"].setText(number)
            self._touched.add("personal_number")
        self.new_radio.setChecked(True)
        if number:
            self.fields["first_name"].setFocus()

    def _use_duplicate(self) -> None:
        """The typed number is registered: switch to that person (the typing stays put)."""
        person = self._duplicate
        if person is None:
            return
        self.search.blockSignals(True)
        self.search.setText(person.personal_number)
        self.search.blockSignals(False)
        self.existing_radio.setChecked(True)
        self._run_search()
        self.results.setFocus()

    def _coordinator_changed(self, _index: int) -> None:
        self.case_form.clear_error("coordinator")
        self._update_state()

    # ---- validity ---------------------------------------------------------------------------

    def _update_state(self) -> None:
        """Show the messages of the fields the user has been in, and enable the OK button
        only when the case can be created."""
        ready = self.coordinator.currentData() is not None
        hint = "" if ready else "Det finns ingen aktiv användare som kan vara samordningsansvarig."
        if self.mode() == self.NEW:
            problems = self._problems()
            for name in self.fields:
                duplicate = name == "personal_number" and self._duplicate is not None
                if name in problems and (name in self._touched or duplicate):
                    self.person_form.show_error(name, problems[name])
                else:
                    self.person_form.clear_error(name)
            self.use_existing_button.setVisible(self._duplicate is not None)
            if problems:
                ready = False
                if not hint:
                    hint = "Fyll i fälten markerade med * så att de blir rätt."
        else:
            self.use_existing_button.hide()
            if self._chosen is None:
                ready = False
                hint = hint or "Sök fram personen och välj hen i listan."
        self.create_button.setEnabled(ready)
        self.hint.setText("" if ready else hint)

    # ---- creating ---------------------------------------------------------------------------

    def accept(self) -> None:
        self._update_state()
        if not self.create_button.isEnabled():
            return
        coordinator = self._users[self.coordinator.currentData()]
        try:
            with storage_errors():
                if self.mode() == self.EXISTING:
                    assert self._chosen is not None
                    case = cases.create_case(
                        self.session.user, person=self._chosen, coordinator=coordinator
                    )
                else:
                    case = cases.create_case_for_new_person(
                        self.session.user, person=self.person_input(), coordinator=coordinator
                    )
        except ValidationError as problem:
            self._show_problem(problem)
            return
        except PermissionDenied as problem:
            messages.warning(self, "Ärendet kunde inte skapas", problem.message)
            return
        except StorageError as exc:
            log.error("creating a case failed: %s", type(exc).__name__)
            messages.error(
                self, "Ärendet kunde inte skapas",
                "Det gick inte att spara i databasen. Det du skrivit finns kvar — "
                "kontrollera anslutningen och försök igen.",
            )
            return
        log.info("case created")
        self.created_case = case
        super().accept()

    def _show_problem(self, problem: ValidationError) -> None:
        """A refusal from the core: at its field when there is one, else in a message box."""
        if problem.field == "coordinator":
            self.case_form.show_error("coordinator", problem.message)
            return
        if self.mode() == self.NEW and problem.field in self.fields:
            self._touched.add(problem.field)
            # E.g. someone registered the same number a moment ago: look again.
            self._checked_number = None
            self._update_state()
            if not self.person_form.error_text(problem.field):
                self.person_form.show_error(problem.field, problem.message)
            self.fields[problem.field].setFocus()
            return
        messages.warning(self, "Ärendet kunde inte skapas", problem.message)
