"""The registerutdrag as paper: who has read or changed a person's data in sipdesk, from the
audit log (`sipdesk.accounts.register_extract`), for an administrator to send to the person who
asked (GDPR art. 15). The municipality's letterhead, the person, a table — time, who (and their
unit), what, which case — oldest first, the header row repeated on every page, "Sida X av Y".
The file name carries no personal data."""

from __future__ import annotations

from pathlib import Path
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, LongTable, Paragraph, Spacer, TableStyle

from sipdesk.accounts.register_extract import RegisterExtract

from .base import FONT, SipDocTemplate, build, esc, municipality_letterhead, styles

TITLE = "Registerutdrag ur händelseloggen"


def extract_file_name(person_id: int, made_on: str) -> str:
    """No personal data: what it is, the person's id in sipdesk and the day."""
    return f"registerutdrag-person-{person_id}-{made_on}.pdf"


def extract_story(extract: RegisterExtract) -> list[Flowable]:
    st = styles()
    cell = st["small"]
    story: list[Flowable] = [
        Paragraph(TITLE, st["title"]),
        Paragraph(f"<b>{esc(extract.person_name)}</b>, {esc(extract.personal_number)}",
                  st["body"]),
        Paragraph(
            "Det här är alla händelser i sipdesk som rör personen eller personens ärenden: "
            "vem som har öppnat, ändrat, skrivit ut, sparat som fil eller sökt fram "
            "uppgifterna, och när.", st["body"]),
        Paragraph(f"Utdraget togs {extract.made_at:%Y-%m-%d %H:%M} av "
                  f"{esc(extract.made_by)}. {len(extract.lines)} händelser.", st["small"]),
        Spacer(1, 4 * mm),
    ]
    if not extract.lines:
        story.append(Paragraph("Det finns inga händelser i loggen om personen.", st["body"]))
        return story
    header = [Paragraph(f"<b>{text}</b>", cell) for text in ("Tid", "Vem", "Vad", "Ärende")]
    rows = [header] + [
        [Paragraph(f"{line.at:%Y-%m-%d %H:%M}", cell), Paragraph(esc(line.who), cell),
         Paragraph(f"{esc(line.action.label)}: {esc(line.what)}", cell),
         Paragraph(esc(line.case_number), cell)]
        for line in extract.lines
    ]
    table = LongTable(rows, colWidths=[31 * mm, 45 * mm, 70 * mm, 28 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.HexColor("#555555")),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.HexColor("#CCCCCC")),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]))
    story.append(table)
    return story


def render_register_extract(extract: RegisterExtract,
                            target: str | Path | BinaryIO) -> Path | BinaryIO:
    """Write the extract to `target` (a .pdf file, a folder, or an open binary file)."""
    path: Path | BinaryIO = target if not isinstance(target, str | Path) else Path(target)
    if isinstance(path, Path) and path.is_dir():
        path = path / extract_file_name(extract.person_id, f"{extract.made_at:%Y-%m-%d}")
    doc = SipDocTemplate(path, title=TITLE, letterhead=municipality_letterhead(),
                         subject="Registerutdrag")
    build(doc, extract_story(extract))
    return path
