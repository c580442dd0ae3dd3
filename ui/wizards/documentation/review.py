"""The documentation wizard's last page, Granska: the legal, participant and plain-language
checks, and for a child a summary of "Barnets egna ord"."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QWidget,
)

from sipdesk.plans import plan
from sipdesk.plans.child_voice import SILENT_IS_VALID, SILENT_LABEL, ChildVoice
from sipdesk.plans.plan_documentation import DocumentationView

from ..documentation_parts import (
    button,
    heading,
)
from .common import (
    ERROR_BOX_STYLE,
    GOOD_BOX_STYLE,
    HINT_PLACES,
    WARNING_BOX_STYLE,
    DocumentationPage,
    line_edit,
)

# Neither a check passed nor a problem: the child's words are shown as they are.
CHILD_BOX_STYLE = ("QLabel { color: #1d3d63; background: #eef4fb; border: 1px solid #b7cde6;"
                   " border-radius: 4px; padding: 6px 8px; }")

# ---- 6 Granska ---------------------------------------------------------------------------------

class ReviewPage(DocumentationPage):
    title_text = "6 av 6 · Granska"
    help_text = ("Sammanfatta vem som gör vad. Den som dokumenterar skriver ”Dokumenterat av …” "
                 "och noterar vilka som var med och justerade texten. Skriv så att personen "
                 "förstår — utan förkortningar och facktermer.")

    def build(self, view: DocumentationView) -> None:
        self.legal = self._box("legal_check")
        self.participants = self._box("participant_check")
        self.other = self._box("other_check")
        self.plain = self._box("plain_language")
        self.parts = QLabel()
        self.parts.setObjectName("parts_state")
        self.parts.setWordWrap(True)
        self.parts.setTextFormat(Qt.TextFormat.PlainText)
        self.content.addWidget(heading("Det lagen kräver (socialtjänstlagen och hälso- och "
                                       "sjukvårdslagen)"))
        self.content.addWidget(self.legal)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Deltagare"))
        self.content.addWidget(self.participants)
        self.child: QLabel | None = None
        if view.is_child:  # the child's page, summarised (seed 002 §4)
            self.child = self._box("child_voice")
            self.child.setStyleSheet(CHILD_BOX_STYLE)
            self.content.addSpacing(6)
            self.content.addWidget(heading("Barnets egna ord"))
            self.content.addWidget(self.child)
        self.other_heading = heading("Annat som behövs innan planen kan godkännas")
        self.content.addWidget(self.other_heading)
        self.content.addWidget(self.other)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Klarspråk"))
        self.content.addWidget(self.plain)
        self.content.addSpacing(6)
        self.content.addWidget(heading("Huvudmännens delar"))
        self.content.addWidget(self.parts)
        self.finish_area = QWidget()
        self.finish_row = QHBoxLayout(self.finish_area)
        self.finish_row.setContentsMargins(0, 0, 0, 0)
        self.finish_row.addStretch(1)
        self.content.addWidget(self.finish_area)
        self.finish_buttons: list[QWidget] = []
        self.documented = QLabel(f"Dokumenterat av: {view.documented_by}")
        self.documented.setObjectName("documented_by")
        self.content.addWidget(self.documented)
        self.adjusted = line_edit("adjusted_with",
                                  placeholder="t.ex. ”Per Nord och Maria Holm, per telefon”")
        self.add_field("adjusted_with", "Deltog i justeringen av texten", self.adjusted)
        self.bind_text("adjusted_with", self.adjusted)
        self.content.addStretch(1)

    def _box(self, name: str) -> QLabel:
        label = QLabel()
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    def show_data(self, view: DocumentationView) -> None:
        legal = view.legal_problems
        _show(self.legal, legal, ok="Planen visar allt som lagen kräver: insatserna, vad varje "
                                    "huvudman ansvarar för, åtgärder av andra och vem som har "
                                    "det övergripande ansvaret.", bad=True)
        people = view.participant_problems
        _show(self.participants, people, ok="Alla deltagare har namn, initialer, yrke, "
                                            "organisation och kontaktuppgifter.", bad=True)
        if self.child is not None:
            self.child.setText(child_voice_summary(ChildVoice.of(view.version)))
        other = [p for p in view.approval_problems if p not in legal + people]
        _show(self.other, other, ok="", bad=True)
        self.other_heading.setVisible(bool(other))
        _show(self.plain, [f"{HINT_PLACES.get(h.field, h.field)}: ”{h.word}” — skriv hellre: "
                           f"{h.suggestion}" for h in view.hints],
              ok="Inga förkortningar eller facktermer hittades i texterna till personen.",
              bad=False)
        lines = []
        for part in view.parts:
            finished = (f"klar {part.finished_at:%Y-%m-%d}" if part.finished_at
                        else "inte klar")
            approved = (f", godkänd {part.approved_at:%Y-%m-%d}" if part.approved_at else "")
            behalf = " (för huvudmannens räkning)" if part.on_behalf else ""
            lines.append(f"• {part.name}: {finished}{approved}{behalf}")
        self.parts.setText("\n".join(lines) or "Ingen huvudman deltar ännu.")
        self._finish_buttons(view)

    def _finish_buttons(self, view: DocumentationView) -> None:
        for found in self.finish_buttons:
            self.finish_row.removeWidget(found)
            found.deleteLater()
        self.finish_buttons = []
        if self.doc.read_only:
            return
        for part in view.parts:
            if part.finished_at is None and part.writable:
                found = button("Markera min del som klar" if part.own else
                               f"Markera {part.name}s del som klar",
                               name=f"review_finish_{part.principal_id}")
                found.clicked.connect(lambda _c=False, p=part.principal_id: self._finish(p))
                self.finish_row.insertWidget(len(self.finish_buttons), found)
                found.show()
                self.finish_buttons.append(found)
        self.finish_area.setVisible(bool(self.finish_buttons))

    def _finish(self, principal_id: int) -> None:
        self.doc.run(lambda user, version: plan.mark_part_finished(user, version, principal_id))


def child_voice_summary(voice: ChildVoice) -> str:
    """The child's page in a few lines: the child's words (or that the child did not want to
    say anything — a valid answer, seed 002 §2.1.1), how the child was asked, how the views
    were weighed. Nothing here is a problem: none of it is required."""
    if voice.words:
        said = f"Det här vill barnet: ”{voice.words}”"
    elif voice.silent:
        said = f"{SILENT_LABEL} den här gången. {SILENT_IS_VALID}"
    else:
        said = ("Inga ord från barnet är skrivna ännu. Barnet behöver inte säga något — men om "
                "barnet har sagt något, skriv det gärna på sidan ”Barnets egna ord”.")
    asked = voice.ways_text()
    asked = asked[0].lower() + asked[1:] if asked else "inte ifyllt"
    weighed = voice.weighing or "inte ifyllt"
    return (f"{said}\n\nSå frågade vi barnet: {asked}.\n"
            f"Så vägde vi in barnets åsikter: {weighed}")


def _show(label: QLabel, problems: list[str], *, ok: str, bad: bool) -> None:
    if problems:
        label.setText("\n".join(f"• {p}" for p in problems))
        label.setStyleSheet(ERROR_BOX_STYLE if bad else WARNING_BOX_STYLE)
        label.setVisible(True)
    else:
        label.setText(f"✓ {ok}")
        label.setStyleSheet(GOOD_BOX_STYLE)
        label.setVisible(bool(ok))
    label.setProperty("problems", len(problems))
