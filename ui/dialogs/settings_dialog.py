"""Inställningar: which database sipdesk opens — the embedded one or a shared PostgreSQL server —
after how many idle minutes the desk locks itself, and from which age a child gets letters and
the plan of their own (`child_letter_age`, seed 002).

Saving writes the `database_url` setting (never a password: the URL holds none, and a stored
password stays in the keyring). The running session keeps its database; the change applies at
the next start. "Glöm sparat lösenord" removes the server password from the keyring. The lock
time (`lock_minutes`) applies at once: the start-up flow hands it to the open window.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from sipdesk import settings
from sipdesk.accounts import passwords
from sipdesk.paths import default_database_path
from sipdesk.storage.db import ConnectionProblem, DatabaseUrl, Engine, parse_url
from ui import messages
from ui.fields import ERROR_STYLE
from ui.startup.connection_dialog import OK_STYLE, ServerFields

log = logging.getLogger("sipdesk.ui.settings")

EMBEDDED = "Inbyggd databas (på den här datorn)"
SHARED = "Delad PostgreSQL-server"
APPLIES_NEXT_START = "Ändringen gäller när du startar sipdesk nästa gång."
TITLE = "Inställningar"
LOCK_MINUTES_RANGE = (1, 60)  # a lock that never comes would leave a desk open all day
CHILD_LETTER_AGE_RANGE = (6, 17)  # seed 002: the child's own letter, from an age that reads


def _saved_url() -> DatabaseUrl | None:
    """The database in the settings, or None for the embedded default (or an unusable value)."""
    raw = settings.get("database_url")
    if not raw:
        return None
    try:
        return parse_url(raw)
    except ConnectionProblem:
        log.warning("saved database setting is not a valid URL; showing the default")
        return None


class SettingsDialog(QDialog):
    """`saved` is True once the user saved a changed choice."""

    def __init__(
        self, parent: QWidget | None = None, *, current: DatabaseUrl | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{TITLE} – sipdesk")
        self.setObjectName("settings_dialog")
        self.setMinimumWidth(520)
        self.saved = False
        self.saved_url = _saved_url()
        embedded_path = (
            self.saved_url.path
            if self.saved_url is not None and self.saved_url.engine is Engine.SQLITE
            else default_database_path()
        )
        self.embedded_url = DatabaseUrl(Engine.SQLITE, path=embedded_path)

        group = QGroupBox("Databas")
        self.embedded = QRadioButton(EMBEDDED)
        self.embedded.setObjectName("embedded")
        self.shared = QRadioButton(SHARED)
        self.shared.setObjectName("shared")
        self.choice = QButtonGroup(self)
        self.choice.addButton(self.embedded)
        self.choice.addButton(self.shared)

        self.path_label = QLabel(f"Databasfilen: {embedded_path}")
        self.path_label.setObjectName("embedded_path")
        self.path_label.setWordWrap(True)
        self.path_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.path_label.setStyleSheet("color: palette(placeholder-text);")

        # The server fields show the saved server, else the one in use now, else nothing.
        pg_url = next(
            (u for u in (self.saved_url, current)
             if u is not None and u.engine is Engine.POSTGRESQL),
            None,
        )
        self.server = ServerFields(url=pg_url, with_password=False)

        self.forget_button = QPushButton("Glöm sparat lösenord")
        self.forget_button.setObjectName("forget_password")
        self.forget_button.setAutoDefault(False)
        self.forget_button.clicked.connect(self.forget_password)
        self.forget_status = QLabel()
        self.forget_status.setObjectName("forget_status")
        self.forget_status.setWordWrap(True)
        forget_row = QHBoxLayout()
        forget_row.addWidget(self.forget_button)
        forget_row.addWidget(self.forget_status, 1)
        if not passwords.keyring_works():
            self.forget_button.setEnabled(False)
            self.forget_button.setToolTip("Ingen nyckelring finns på den här datorn")

        self.shared_box = QWidget()
        shared_column = QVBoxLayout(self.shared_box)
        shared_column.setContentsMargins(24, 0, 0, 0)
        shared_column.addWidget(self.server)
        shared_column.addLayout(forget_row)

        group_column = QVBoxLayout(group)
        group_column.addWidget(self.embedded)
        embedded_row = QVBoxLayout()
        embedded_row.setContentsMargins(24, 0, 0, 8)
        embedded_row.addWidget(self.path_label)
        group_column.addLayout(embedded_row)
        group_column.addWidget(self.shared)
        group_column.addWidget(self.shared_box)

        if current is not None:
            now = QLabel(f"Du arbetar nu i: {current.display}")
            now.setObjectName("current_database")
            now.setWordWrap(True)
        note = QLabel(APPLIES_NEXT_START)
        note.setObjectName("applies_note")
        note.setWordWrap(True)
        note.setStyleSheet("color: palette(placeholder-text);")

        lock_group = QGroupBox("Skärmlås")
        self.lock_minutes = QSpinBox()
        self.lock_minutes.setObjectName("lock_minutes")
        self.lock_minutes.setRange(*LOCK_MINUTES_RANGE)
        self.lock_minutes.setSuffix(" minuter")
        self.lock_minutes.setValue(
            min(max(int(settings.get("lock_minutes")), LOCK_MINUTES_RANGE[0]),
                LOCK_MINUTES_RANGE[1]))
        self.lock_minutes.setAccessibleName("Lås efter antal minuter utan aktivitet")
        lock_row = QHBoxLayout(lock_group)
        lock_row.addWidget(QLabel("Lås sipdesk när jag inte har använt det på"))
        lock_row.addWidget(self.lock_minutes)
        lock_row.addStretch(1)
        lock_note = QLabel("Ctrl+L låser direkt. Lösenordet låser upp; det du skrivit finns kvar.")
        lock_note.setWordWrap(True)
        lock_note.setStyleSheet("color: palette(placeholder-text);")

        child_group = QGroupBox("Brev och plan till barn")
        self.child_letter_age = QSpinBox()
        self.child_letter_age.setObjectName("child_letter_age")
        self.child_letter_age.setRange(*CHILD_LETTER_AGE_RANGE)
        self.child_letter_age.setSuffix(" år")
        self.child_letter_age.setValue(
            min(max(int(settings.get("child_letter_age")), CHILD_LETTER_AGE_RANGE[0]),
                CHILD_LETTER_AGE_RANGE[1]))
        self.child_letter_age.setAccessibleName("Ålder då ett barn får egna brev")
        child_row = QHBoxLayout(child_group)
        child_row.addWidget(QLabel("Ett barn får egna brev och en egen plan från"))
        child_row.addWidget(self.child_letter_age)
        child_row.addStretch(1)
        child_note = QLabel("Vårdnadshavarna får alltid var sina brev. Barnets egna brev och "
                            "plan har text skriven för barn.")
        child_note.setWordWrap(True)
        child_note.setStyleSheet("color: palette(placeholder-text);")

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("Spara", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        cancel = self.buttons.addButton("Avbryt", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setObjectName("cancel")
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)

        layout = QVBoxLayout(self)
        if current is not None:
            layout.addWidget(now)
        layout.addWidget(group)
        layout.addWidget(note)
        layout.addWidget(lock_group)
        layout.addWidget(lock_note)
        layout.addWidget(child_group)
        layout.addWidget(child_note)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        uses_server = self.saved_url is not None and self.saved_url.engine is Engine.POSTGRESQL
        (self.shared if uses_server else self.embedded).setChecked(True)
        self.shared.toggled.connect(self._choice_changed)
        self.server.busy_changed.connect(self._busy_changed)
        self.server.edited.connect(self.forget_status.clear)
        self._choice_changed()

    @classmethod
    def ask(cls, parent: QWidget | None, *, current: DatabaseUrl | None = None) -> bool:
        """Show the settings; True when the user saved a change."""
        dialog = cls(parent, current=current)
        dialog.exec()
        return dialog.saved

    def _busy_changed(self, busy: bool) -> None:
        self.save_button.setEnabled(not busy)
        self.save_button.setDefault(True)  # disabling dropped its default role (Enter)

    def _choice_changed(self) -> None:
        shared = self.shared.isChecked()
        self.shared_box.setEnabled(shared)
        self.path_label.setEnabled(not shared)
        if shared and not self.server.host.text():
            self.server.host.setFocus()

    def chosen_url(self) -> str:
        """The setting's new value: a URL without password, or "" for the default database."""
        if self.shared.isChecked():
            return self.server.url().url
        if self.embedded_url.path == default_database_path():
            return ""
        return self.embedded_url.url

    def save(self) -> None:
        if self.shared.isChecked() and not self.server.validate():
            return
        if self.server.busy:
            return
        value = self.chosen_url()
        changed = value != settings.get("database_url")
        if changed:
            settings.set_value("database_url", value)
            log.info("database choice saved (%s)", "server" if value.startswith("postgres")
                     else "embedded")
        minutes = self.lock_minutes.value()
        lock_changed = minutes != settings.get("lock_minutes")
        if lock_changed:
            settings.set_value("lock_minutes", minutes)
        age = self.child_letter_age.value()
        age_changed = age != settings.get("child_letter_age")
        if age_changed:
            settings.set_value("child_letter_age", age)
        self.saved = changed or lock_changed or age_changed
        self.accept()
        if changed:
            messages.information(self.parentWidget(), TITLE, f"Sparat. {APPLIES_NEXT_START}")

    def forget_password(self) -> None:
        if not self.server.validate():
            return
        url = self.server.url()
        if passwords.get_password(url) is None:
            self.forget_status.setStyleSheet("")
            self.forget_status.setText("Det finns inget sparat lösenord för den här servern.")
            return
        passwords.forget_password(url)
        still_there = passwords.get_password(url) is not None
        self.forget_status.setStyleSheet(ERROR_STYLE if still_there else OK_STYLE)
        self.forget_status.setText(
            "Lösenordet gick inte att ta bort ur nyckelringen." if still_there
            else "Det sparade lösenordet är borttaget. Du får ange det nästa gång du ansluter."
        )
