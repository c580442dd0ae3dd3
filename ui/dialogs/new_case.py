"""The "Nytt ärende" dialog: choose the person (find them, or register a new one) and the
coordinator, then open the case.

Every field of a new person is checked as the user types
(`sipdesk.casework.people.person_problems`), with
the Swedish message under the field; a personal number that is already registered offers that
person instead. "Skapa ärende" is enabled only when everything is valid, and nothing the user
typed is lost when the database refuses: the message appears and the form stays as it was.
Whether a typed number is registered, and the search, are asked in the background (a moment
after the typing pauses; an older answer is dropped). `NewCaseDialog.ask(parent, session,
users)` runs the dialog and returns the new case (tests replace it).
A `FormDialog` of its own shape (`lay_out`): the new person's fields are its form, and the case is
created through the operation runner.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
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

from sipdesk.casework import people
from sipdesk.desk import cases
from sipdesk.errors import ValidationError
from sipdesk.rules import personal_number as pnr
from sipdesk.storage.models import Case, Person, Protection, User

from ..fields import FieldForm, for_search, limited
from ..operations import Operation
from ..session import Session
from .form_dialog import FormDialog

log = logging.getLogger("sipdesk.ui.new_case")

SEARCH_DELAY_MS = 150
NUMBER_DELAY_MS = 250
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


class NewCaseDialog(FormDialog):
    """Pick or register the person, choose the coordinator, create the case."""

    EXISTING, NEW = 0, 1
    ok_text = "Skapa ärende"
    failed_title = "Ärendet kunde inte skapas"
    compact = True

    def __init__(self, session: Session, users: list[User],
                 parent: QWidget | None = None) -> None:
        """`users`: the active users with their units (`auth.active_users_with_unit`), read by
        whoever opens the dialog: the coordinator is one of them."""
        self.session = session
        self._active_users = users
        self._searching = 0  # the latest search asked; older answers are dropped
        self.created_case: Case | None = None
        self._chosen: Person | None = None
        self._found: dict[int, Person] = {}
        self._duplicate: Person | None = None
        self._checked_number: str | None = None
        super().__init__(
            title="Nytt ärende", parent=parent,
            intro="Vem gäller planen? Sök fram personen om hen redan finns i sipdesk, "
                  "annars lägger du upp en ny person.")
        self.setObjectName("new_case_dialog")
        self.create_button = self.ok_button
        self.create_button.setObjectName("create_case")

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._run_search)
        self.search.textChanged.connect(self._search_timer.start)
        # Whether the typed personal number is registered: asked in the background a moment
        # after it changes (creating the case checks it again, so a late answer lets nothing
        # through).
        self._number_timer = QTimer(self)
        self._number_timer.setSingleShot(True)
        self._number_timer.setInterval(NUMBER_DELAY_MS)
        self._number_timer.timeout.connect(self._look_up_number)

        self.resize(max(self.sizeHint().width(), 620), max(self.sizeHint().height(), 600))
        self.search.setFocus()
        self.revalidate()

    # ---- building ---------------------------------------------------------------------------

    def lay_out(self) -> None:
        """The intro; whose case it is (found, or a new person: the form); the coordinator;
        why "Skapa ärende" is not yet enabled, beside the buttons."""
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
        for user in self._active_users:
            self._users[user.id] = user
            self.coordinator.addItem(f"{user.full_name} ({user.unit.name})", user.id)
        mine = self.coordinator.findData(self.session.user.id)
        self.coordinator.setCurrentIndex(max(mine, 0))
        self.coordinator.currentIndexChanged.connect(self._coordinator_changed)
        self.case_form.add("coordinator", "Samordningsansvarig", self.coordinator)
        note = QLabel("Ärendet hör till den samordningsansvariges enhet.")
        note.setObjectName("coordinator_note")
        note.setEnabled(False)
        self.case_form.addRow("", note)

        self.hint = QLabel()
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        self.hint.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint, 1)
        bottom.addWidget(self.buttons)

        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(self.intro)
        layout.addLayout(modes)
        layout.addWidget(self.pages, 1)
        layout.addWidget(coordinator_box)
        layout.addLayout(bottom)

    def _build_search_page(self) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.setContentsMargins(0, 0, 0, 0)
        self.search = for_search(QLineEdit())
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
        page.setLayout(self.form)
        self.person_form = self.form
        self.person_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        # Labels stay beside their input when a message opens up below it.
        self.person_form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.fields: dict[str, QLineEdit] = {}
        for name, label, placeholder in TEXT_FIELDS:
            edit = QLineEdit()
            if name != "personal_number":  # typed in many ways; its own check says how
                limited(edit, getattr(Person, name))
            edit.setObjectName(name)
            edit.setPlaceholderText(placeholder)
            edit.setAccessibleName(label.rstrip(" *"))
            self.person_form.add(name, label, edit)
            self.fields[name] = edit
            self.watch(name, edit)
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
        # Skyddade personuppgifter: the address is then never shown or printed.
        self.protection = QComboBox()
        self.protection.setObjectName("protection")
        for choice in Protection:
            self.protection.addItem(choice.label, choice.value)
        self.protection.setToolTip("Sekretessmarkering, skyddad folkbokföring eller fingerade "
                                   "personuppgifter: adressen visas aldrig och brev går via "
                                   "samordningsansvarig.")
        self.person_form.addRow("Skyddad identitet", self.protection)
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
            protection=Protection(self.protection.currentData()),
        )

    def _mode_toggled(self, mode: int, checked: bool) -> None:
        if not checked:
            return
        self.pages.setCurrentIndex(mode)
        (self.search if mode == self.EXISTING else self.fields["personal_number"]).setFocus()
        self.revalidate()

    def _person_problems(self) -> dict[str, str]:
        """Every problem of the new-person form, including an already registered number."""
        data = self.person_input()
        problems = people.person_problems(data)
        if "personal_number" not in problems:
            canonical = pnr.parse(data.personal_number).canonical
            if canonical != self._checked_number:
                self._checked_number = canonical
                self._duplicate = None
                self._number_timer.start()
            if self._duplicate is not None:
                problems["personal_number"] = (
                    f"Personen finns redan i sipdesk ({self._duplicate.full_name}). "
                    "Välj henne eller honom i stället för att lägga upp personen igen."
                )
        else:
            self._checked_number, self._duplicate = None, None
        return problems

    def _look_up_number(self) -> None:
        number = self._checked_number
        if number is None:
            return

        def answered(person: Person | None) -> None:
            if number == self._checked_number:  # still what is typed
                self._duplicate = person
                self.revalidate()

        user = self.session.user
        Operation(self, lambda: people.find_by_number(number, actor=user),
                  title="Personnumret kunde inte kontrolleras").success(answered).run()

    def _search_text_as_number(self) -> str | None:
        try:
            return pnr.parse(self.search.text()).canonical
        except ValidationError:
            return None

    def _run_search(self) -> None:
        self._search_timer.stop()
        text = self.search.text().strip()
        self._searching += 1
        asked = self._searching

        def answered(found: list[Person]) -> None:
            if asked == self._searching:  # an older search's answer is dropped
                self._show_found(text, found)

        if not text:
            answered([])
            return
        user = self.session.user
        Operation(self, lambda: people.search_persons(text, limit=50, actor=user),
                  title="Sökningen gick inte").success(answered).run()

    def _show_found(self, text: str, found: list[Person]) -> None:
        self.results.clear()
        self._found.clear()
        self._chosen = None
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
        self.revalidate()

    def _result_chosen(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        self._chosen = self._found.get(item.data(PERSON_ID_ROLE)) if item is not None else None
        self.revalidate()

    def _register_instead(self) -> None:
        """From a search without a match to the new-person form, keeping a typed number."""
        number = self._search_text_as_number()
        if number and not self.fields["personal_number"].text():
            self.fields["personal_number"].setText(number)
            self.touch("personal_number")
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
        self.revalidate()

    # ---- validity ---------------------------------------------------------------------------

    def problems(self) -> dict[str, str]:
        """What keeps the case from being created: the new person's fields (a registered number
        said at once, touched or not), or no person chosen; and no coordinator."""
        problems: dict[str, str] = {}
        if self.mode() == self.NEW:
            problems = self._person_problems()
            if self._duplicate is not None:
                self.touch("personal_number")
        elif self._chosen is None:
            problems["person"] = "Sök fram personen och välj hen i listan."
        if self.coordinator.currentData() is None:
            problems["coordinator"] = (
                "Det finns ingen aktiv användare som kan vara samordningsansvarig.")
        return problems

    def on_revalidated(self, problems: dict[str, str]) -> None:
        """Enable "Skapa ärende" only when the case can be created, and say why not."""
        self.use_existing_button.setVisible(
            self.mode() == self.NEW and self._duplicate is not None)
        if "coordinator" in problems:
            hint = problems["coordinator"]
        elif "person" in problems:
            hint = problems["person"]
        elif problems:
            hint = "Fyll i fälten markerade med * så att de blir rätt."
        else:
            hint = ""
        self.create_button.setEnabled(not problems)
        self.hint.setText(hint)

    # ---- creating ---------------------------------------------------------------------------

    def done(self, result: int) -> None:
        self._number_timer.stop()  # closed: nothing more to ask
        self._search_timer.stop()
        super().done(result)

    def accept(self) -> None:
        self.revalidate()
        if self.create_button.isEnabled():  # nothing missing, and not already creating it
            super().accept()

    def saving(self) -> Callable[[], Case]:
        user = self.session.user
        coordinator = self._users[self.coordinator.currentData()]
        if self.mode() == self.EXISTING:
            person = self._chosen
            assert person is not None
            return lambda: cases.create_case(user, person=person, coordinator=coordinator)
        data = self.person_input()
        return lambda: cases.create_case_for_new_person(user, person=data,
                                                        coordinator=coordinator)

    def on_saved(self, result: Case) -> None:
        log.info("case created")
        self.created_case = result

    def show_at_field(self, name: str, message: str) -> bool:
        """A refusal from the core: at its field when there is one, else in a message box."""
        if name == "coordinator":
            self.case_form.show_error("coordinator", message)
            return True
        if self.mode() == self.NEW and name in self.fields:
            self.touch(name)
            # E.g. someone registered the same number a moment ago: look again.
            self._checked_number = None
            self.revalidate()
            if self._number_timer.isActive():  # ask now: the core's message says so already
                self._number_timer.stop()
                self._look_up_number()
            if not self.form.error_text(name):
                self.form.show_error(name, message)
            self.fields[name].setFocus()
            return True
        return False
