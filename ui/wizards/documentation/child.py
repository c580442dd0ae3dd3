"""The documentation wizard's page for a child: "Barnets egna ord" (seed 002 §2.1.1 and §4).

Shown only when the person was under 18 on the meeting day (`DocumentationView.is_child`): what
the child wants, in the child's own words; "Barnet ville inte säga något" — a valid answer, never
an error (a child has no duty to have or give an opinion); how the child was asked (before the
meeting, at the meeting, through someone the child trusts, with pictures — several); whom the
child trusts; how the child's views were weighed given age and maturity. Every field is saved as
the user goes, like the rest of the plan; none is required.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QGridLayout, QWidget

from sipdesk.plans.child_voice import (
    SILENT_IS_VALID,
    SILENT_LABEL,
    AskedWay,
    asked_text,
    asked_ways,
)
from sipdesk.plans.plan_documentation import DocumentationView

from .common import DocumentationPage, line_edit, text_box


class ChildVoicePage(DocumentationPage):
    title_text = "3 av 7 · Barnets egna ord"
    help_text = ("Barnet har rätt att säga vad det tycker och att bli lyssnat på — men ingen "
                 "skyldighet att ha eller säga en åsikt. Fråga på ett sätt som passar barnet, "
                 "gärna före mötet, med bilder eller genom någon barnet litar på. Skriv med "
                 "barnets egna ord.")

    def build(self, view: DocumentationView) -> None:
        wizard = self.doc
        # Made first: showing the ways asked (below) enables it when "trusted" is among them.
        self.trusted = line_edit("child_trusted", placeholder="t.ex. mormor, mentorn i skolan")
        self.words = text_box("child_views", lines=4,
                              placeholder="t.ex. ”Jag vill vila efter lunch. Jag vill inte byta "
                                          "skola.”")
        self.add_field("child_views", "Det här vill jag — med barnets egna ord", self.words,
                       plain_check=True)
        self.bind_text("child_views", self.words)

        self.silent = QCheckBox(SILENT_LABEL)
        self.silent.setObjectName("child_silent")
        self.add_field("child_silent", "Om barnet inte ville säga något", self.silent,
                       hint=SILENT_IS_VALID)
        wizard.bind("child_silent", self.silent, read=self.silent.isChecked,
                    write=lambda value: self.silent.setChecked(bool(value)))
        self.silent.toggled.connect(lambda _on: wizard.saver.changed("child_silent"))

        ways = QWidget()
        ways.setObjectName("child_asked")
        grid = QGridLayout(ways)
        grid.setContentsMargins(0, 0, 0, 0)
        self.ways: dict[AskedWay, QCheckBox] = {}
        for index, way in enumerate(AskedWay):
            box = QCheckBox(way.label)
            box.setObjectName(f"child_asked_{way.value}")
            grid.addWidget(box, index // 2, index % 2)
            self.ways[way] = box
            box.toggled.connect(self._ways_toggled)
        self.add_field("child_asked", "Så frågade vi barnet", ways,
                       hint="Kryssa i alla sätt ni använde.")

        def read_ways() -> str:
            return asked_text(way for way, box in self.ways.items() if box.isChecked())

        def write_ways(value: Any) -> None:
            chosen = set(asked_ways(str(value or "")))
            for way, box in self.ways.items():
                box.setChecked(way in chosen)
            self._trusted_changed()

        wizard.bind("child_asked", ways, read=read_ways, write=write_ways,
                    display=lambda v: ", ".join(w.label for w in asked_ways(str(v or "")))
                    or "(inget valt)")

        self.add_field("child_trusted", "Någon barnet litar på", self.trusted,
                       hint="Vem som frågade barnet eller förde fram barnets åsikter.")
        self.bind_text("child_trusted", self.trusted)

        self.weighing = text_box("child_weighing", lines=3,
                                 placeholder="t.ex. ”Lo är nio år och vet vad hon behöver. "
                                             "Vilan efter lunch blev en insats.”")
        self.add_field("child_weighing", "Så vägde vi in barnets åsikter", self.weighing,
                       hint="Barnets åsikter väger mer ju äldre och mognare barnet är. Skriv "
                            "hur ni tog hänsyn till det barnet sa.")
        self.bind_text("child_weighing", self.weighing)
        self.content.addStretch(1)
        self._trusted_changed()

    def _ways_toggled(self, _on: bool) -> None:
        self._trusted_changed()
        self.doc.saver.changed("child_asked")

    def _trusted_changed(self) -> None:
        self.trusted.setEnabled(self.ways[AskedWay.TRUSTED].isChecked()
                                or bool(self.trusted.text().strip()))

    def set_read_only(self, read_only: bool) -> None:
        super().set_read_only(read_only)
        for box in self.body.findChildren(QCheckBox):
            box.setEnabled(not read_only)
