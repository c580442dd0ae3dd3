"""The documentation wizard's page 6, Granska: the legal, participant and plain-language checks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QWidget,
)

from sipdesk import plan
from sipdesk.plan import PlanVersion

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

if TYPE_CHECKING:
    from .wizard import DocumentationWizard


# ---- 6 Granska ---------------------------------------------------------------------------------

class ReviewPage(DocumentationPage):
    title_text = "6 av 6 · Granska"
    help_text = ("Sammanfatta vem som gör vad. Den som dokumenterar skriver ”Dokumenterat av …” "
                 "och noterar vilka som var med och justerade texten. Skriv så att personen "
                 "förstår — utan förkortningar och facktermer.")

    def __init__(self, wizard: DocumentationWizard) -> None:
        super().__init__(wizard)
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
        writer = wizard.version.documented_by
        documented = writer.full_name if writer is not None else ""
        self.documented = QLabel(f"Dokumenterat av: {documented}")
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

    def refresh(self) -> None:
        version = self.doc.fresh()
        legal = plan.legal_problems(version)
        _show(self.legal, legal, ok="Planen visar allt som lagen kräver: insatserna, vad varje "
                                    "huvudman ansvarar för, åtgärder av andra och vem som har "
                                    "det övergripande ansvaret.", bad=True)
        people = plan.participant_problems(version)
        _show(self.participants, people, ok="Alla deltagare har namn, initialer, yrke, "
                                            "organisation och kontaktuppgifter.", bad=True)
        other = [p for p in plan.approval_problems(version) if p not in legal + people]
        _show(self.other, other, ok="", bad=True)
        self.other_heading.setVisible(bool(other))
        hints = plan.plain_language_hints(version)
        _show(self.plain, [f"{HINT_PLACES.get(h.field, h.field)}: ”{h.word}” — skriv hellre: "
                           f"{h.suggestion}" for h in hints],
              ok="Inga förkortningar eller facktermer hittades i texterna till personen.",
              bad=False)
        lines = []
        for part in plan.parts(version):
            finished = (f"klar {part.finished_at:%Y-%m-%d}" if part.finished_at
                        else "inte klar")
            approved = (f", godkänd {part.approved_at:%Y-%m-%d}" if part.approved_at else "")
            behalf = " (för huvudmannens räkning)" if part.on_behalf else ""
            lines.append(f"• {part.principal.name}: {finished}{approved}{behalf}")
        self.parts.setText("\n".join(lines) or "Ingen huvudman deltar ännu.")
        self._finish_buttons(version)

    def _finish_buttons(self, version: PlanVersion) -> None:
        for found in self.finish_buttons:
            self.finish_row.removeWidget(found)
            found.deleteLater()
        self.finish_buttons = []
        if self.doc.read_only:
            return
        user = self.doc.session.user
        for part in plan.parts(version):
            if part.finished_at is None and plan.may_write_for(user, version, part.principal_id):
                own = part.principal_id == user.unit.principal_id
                found = button("Markera min del som klar" if own else
                               f"Markera {part.principal.name}s del som klar",
                               name=f"review_finish_{part.principal_id}")
                found.clicked.connect(lambda _c=False, p=part.principal_id: self._finish(p))
                self.finish_row.insertWidget(len(self.finish_buttons), found)
                self.finish_buttons.append(found)
        self.finish_area.setVisible(bool(self.finish_buttons))

    def _finish(self, principal_id: int) -> None:
        if self.doc.run(lambda: plan.mark_part_finished(
                self.doc.session.user, self.doc.fresh(), principal_id)):
            self.refresh()


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
