"""The reading pane: one message, as its reader may see it.

Subject, sender, time, a summary of the recipients, the case with "Öppna ärendet", the body as
plain text (user text is never interpreted as rich text), a withdrawn message struck through with
"Makulerat: <reason>", the whole thread (only what this user sent or received), and — for the
sender only — the receipt table with "N av M har kvitterat". The core's
`sipdesk.desk.message_page.opened_message` gathers all of it in the operation runner (opening marks
the message read); `ReadingPane.show_message` shows it without touching the database.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from sipdesk.desk.message_page import OpenedMessage, ThreadEntry, when_text

MAX_NAMES = 6
WITHDRAWN_STYLE = "color: #b00020;"
MUTED_STYLE = "color: palette(placeholder-text);"


def recipients_text(opened: OpenedMessage) -> str:
    """"Maria Holm, Per Nord", or a unit and how many, with long lists cut short."""
    names = list(opened.recipients.names)
    shown = ", ".join(names[:MAX_NAMES])
    if len(names) > MAX_NAMES:
        shown += f" och {len(names) - MAX_NAMES} till"
    if opened.to_units:
        people = "1 person" if len(names) == 1 else f"{len(names)} personer"
        return f"{opened.to_units} ({people}): {shown}"
    return shown


def read_text(opened: OpenedMessage) -> str:
    read = sum(1 for line in opened.receipts if line.read_at or line.acknowledged_at)
    return f"{read} av {len(opened.receipts)} har läst"


def _plain(text: str, *, name: str, wrap: bool = True) -> QLabel:
    """A label for user text: always plain text, selectable, never a link or markup."""
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setTextInteractionFlags(
        Qt.TextInteractionFlag.TextSelectableByMouse
        | Qt.TextInteractionFlag.TextSelectableByKeyboard
    )
    return label


class ReadingPane(QScrollArea):
    """Shows one `OpenedMessage`; empty with a hint when nothing is chosen."""

    open_case = Signal(int)
    acknowledge_requested = Signal()
    answer_requested = Signal(bool)  # True: "Jag kommer"; False: cannot come (a substitute)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("reading_pane")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.opened: OpenedMessage | None = None
        self._layout = QVBoxLayout()
        self.clear()

    # ---- what the inbox uses ----------------------------------------------------------------

    def clear(self, text: str = "Välj ett meddelande i listan för att läsa det.") -> None:
        self.opened = None
        self._rebuild()
        hint = QLabel(text)
        hint.setObjectName("reading_hint")
        hint.setStyleSheet(MUTED_STYLE)
        hint.setWordWrap(True)
        self._layout.addWidget(hint)
        self._finish()

    def show_message(self, opened: OpenedMessage) -> None:
        self.opened = opened
        self._rebuild()
        self._heading(opened)
        self._details(opened)
        self._layout.addWidget(self._separator())
        body = _plain(opened.body, name="message_body")
        body.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        if opened.withdrawn_reason is not None:
            font = body.font()
            font.setStrikeOut(True)
            body.setFont(font)
        self._layout.addWidget(body)
        if opened.viewer_is_sender:
            self._receipts(opened)
        if len(opened.thread) > 1:
            self._thread(opened)
        self._finish()

    # ---- building -----------------------------------------------------------------------

    def _rebuild(self) -> None:
        """Start a fresh page; `_finish` puts it in place (the old one goes with it)."""
        self._content = QWidget()
        self._content.setObjectName("reading_content")
        self._layout = QVBoxLayout(self._content)
        self._layout.setContentsMargins(16, 12, 16, 12)
        self._layout.setSpacing(8)

    def _finish(self) -> None:
        # Only once the page is complete: a scroll area sizes its widget when it is set.
        self._layout.addStretch(1)
        self.setWidget(self._content)

    def _heading(self, opened: OpenedMessage) -> None:
        subject = _plain(opened.subject, name="message_subject")
        font = subject.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        font.setStrikeOut(opened.withdrawn_reason is not None)
        subject.setFont(font)
        self._layout.addWidget(subject)
        if opened.withdrawn_reason is not None:
            banner = _plain(f"Makulerat: {opened.withdrawn_reason}", name="withdrawn_reason")
            banner.setStyleSheet(f"{WITHDRAWN_STYLE} font-weight: bold;")
            self._layout.addWidget(banner)
            note = _plain(f"{opened.withdrawn_text}. Meddelandet behöver ingen kvittens.",
                          name="withdrawn_note")
            note.setStyleSheet(WITHDRAWN_STYLE)
            self._layout.addWidget(note)

    def _details(self, opened: OpenedMessage) -> None:
        # A grid, not a QFormLayout: a form row gives a wrapping label one line's height.
        grid = QGridLayout()
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(4)
        grid.setColumnStretch(1, 1)

        def row(label: str, value: QWidget | QHBoxLayout) -> None:
            at = grid.rowCount()
            caption = QLabel(label)
            caption.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(caption, at, 0)
            if isinstance(value, QWidget):
                grid.addWidget(value, at, 1)
            else:
                grid.addLayout(value, at, 1)

        row("Från:", _plain(f"{opened.sender}, {opened.sender_unit}", name="sender"))
        row("Skickat:", _plain(opened.sent_at_text, name="sent_at"))
        row("Till:", _plain(recipients_text(opened), name="recipients"))
        kind = opened.kind.label
        if opened.requires_ack:
            kind += " · kräver kvittens"
        row("Typ:", _plain(kind, name="kind"))
        if opened.viewer_is_sender and opened.requires_ack and opened.waiting \
                and not opened.ack_ended and opened.withdrawn_reason is None:
            # Who has not acknowledged, at the top where the sender looks first (issue 10).
            waiting = _plain(f"{opened.ack_summary} · inte kvitterat: {opened.waiting}",
                             name="ack_waiting")
            waiting.setStyleSheet("color: #b00020;")
            row("Kvittens:", waiting)
        if opened.case_id is not None:
            case_row = QHBoxLayout()
            case_row.setSpacing(12)
            case_row.addWidget(_plain(opened.case_number, name="case_number", wrap=False))
            if opened.case_closed:
                closed = QLabel("avslutat ärende")
                closed.setObjectName("case_closed")
                closed.setStyleSheet(MUTED_STYLE)
                case_row.addWidget(closed)
            self.open_case_button = QPushButton("Öppna ärendet")
            self.open_case_button.setObjectName("open_case")
            self.open_case_button.setToolTip(f"Visa ärendet {opened.case_number}")
            case_id = opened.case_id
            self.open_case_button.clicked.connect(lambda: self.open_case.emit(case_id))
            case_row.addWidget(self.open_case_button)
            case_row.addStretch(1)
            row("Ärende:", case_row)
        else:
            row("Ärende:", _plain("Inget ärende (administrativt meddelande)", name="case_number"))
        self._layout.addLayout(grid)
        if opened.requires_ack and not opened.viewer_is_sender:
            self._my_ack(opened)
        if opened.answer:
            self._my_answer(opened)

    def _my_answer(self, opened: OpenedMessage) -> None:
        """A kallelse: answer whether you come, here in the inbox (seed 000)."""
        row = QHBoxLayout()
        state = QLabel(f"Ditt svar på kallelsen: {opened.answer}.")
        state.setObjectName("my_answer_state")
        state.setWordWrap(True)
        self.coming_button = QPushButton("Jag kommer")
        self.coming_button.setObjectName("answer_coming")
        self.coming_button.clicked.connect(lambda: self.answer_requested.emit(True))
        self.not_coming_button = QPushButton("Jag kan inte komma…")
        self.not_coming_button.setObjectName("answer_not_coming")
        self.not_coming_button.clicked.connect(lambda: self.answer_requested.emit(False))
        row.addWidget(state, 1)
        row.addWidget(self.coming_button)
        row.addWidget(self.not_coming_button)
        self._layout.addLayout(row)

    def _my_ack(self, opened: OpenedMessage) -> None:
        if opened.withdrawn_reason is not None:
            return
        row = QHBoxLayout()
        if opened.ack_ended and not opened.acknowledged:
            row.addWidget(self._ended_label(opened))
        elif opened.acknowledged:
            done = QLabel("✓ Du har kvitterat meddelandet.")
            done.setObjectName("my_ack_state")
            done.setStyleSheet("color: #2e7d32; font-weight: bold;")
            row.addWidget(done)
        else:
            wanted = QLabel("Avsändaren vill att du kvitterar att du har läst meddelandet.")
            wanted.setObjectName("my_ack_state")
            wanted.setWordWrap(True)
            self.acknowledge_button = QPushButton("Kvittera (Ctrl+K)")
            self.acknowledge_button.setObjectName("acknowledge")
            self.acknowledge_button.clicked.connect(self.acknowledge_requested)
            row.addWidget(wanted, 1)
            row.addWidget(self.acknowledge_button)
        self._layout.addLayout(row)

    def _ended_label(self, opened: OpenedMessage) -> QLabel:
        text = opened.ack_ended[:1].upper() + opened.ack_ended[1:]
        label = _plain(f"Behöver inte kvitteras längre: {text}.", name="ack_ended")
        label.setStyleSheet(MUTED_STYLE)
        return label

    def _receipts(self, opened: OpenedMessage) -> None:
        self._layout.addWidget(self._separator())
        title = QLabel("Mottagare")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        summary = QLabel(opened.ack_summary if opened.requires_ack else read_text(opened))
        summary.setObjectName("ack_summary")
        heading = QHBoxLayout()
        heading.addWidget(title)
        heading.addSpacing(12)
        heading.addWidget(summary)
        heading.addStretch(1)
        self._layout.addLayout(heading)
        if opened.requires_ack and opened.ack_ended:
            self._layout.addWidget(self._ended_label(opened))
        table = QTableWidget(len(opened.receipts), 4)
        table.setObjectName("receipt_table")
        table.setAccessibleName("Mottagare och kvittenser")
        table.setHorizontalHeaderLabels(["Mottagare", "Enhet", "Läst", "Kvitterat"])
        table.verticalHeader().hide()
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for row, line in enumerate(opened.receipts):
            not_yet = "—" if opened.requires_ack else ""
            cells = (
                line.recipient, line.unit,
                when_text(line.read_at) if line.read_at else "Inte läst än",
                when_text(line.acknowledged_at) if line.acknowledged_at else not_yet,
            )
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        header = table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.ResizeToContents)
        table.resizeRowsToContents()
        height = header.height() + sum(table.rowHeight(r) for r in range(table.rowCount()))
        table.setFixedHeight(height + 2 * table.frameWidth())
        self.receipt_table = table
        self._layout.addWidget(table)

    def _thread(self, opened: OpenedMessage) -> None:
        self._layout.addWidget(self._separator())
        title = QLabel(f"Konversationen ({len(opened.thread)} meddelanden)")
        title.setObjectName("thread_title")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self._layout.addWidget(title)
        for entry in opened.thread:
            self._layout.addWidget(self._thread_card(entry, current=entry.message_id
                                                     == opened.message_id))

    def _thread_card(self, entry: ThreadEntry, *, current: bool) -> QFrame:
        card = QFrame()
        card.setObjectName(f"thread_{entry.message_id}")
        card.setFrameShape(QFrame.Shape.StyledPanel)
        if current:
            card.setStyleSheet(f"QFrame#thread_{entry.message_id} {{ border: 1px solid #5b8bd0;"
                               " border-radius: 4px; background: palette(alternate-base); }")
        column = QVBoxLayout(card)
        column.setContentsMargins(10, 6, 10, 8)
        column.setSpacing(2)
        header = _plain(f"{entry.sender} · {entry.sent_at_text} · {entry.subject}",
                        name="thread_header")
        font = header.font()
        font.setBold(True)
        header.setFont(font)
        column.addWidget(header)
        if entry.withdrawn_reason is not None:
            reason = _plain(f"Makulerat: {entry.withdrawn_reason}", name="thread_withdrawn")
            reason.setStyleSheet(WITHDRAWN_STYLE)
            column.addWidget(reason)
        body = _plain(entry.body, name="thread_body")
        if entry.withdrawn_reason is not None:
            body_font = body.font()
            body_font.setStrikeOut(True)
            body.setFont(body_font)
        column.addWidget(body)
        return card

    def _separator(self) -> QFrame:
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line
