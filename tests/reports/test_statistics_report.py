"""The statistics report for the committee (issue 15): A4, the municipality's letterhead,
"Sida X av Y", figures per unit, ReportLab charts, counts under five written "<5" and no
personal data at all."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4

from reports.statistics_report import print_statistics, render_statistics
from sipdesk.accounts.audit import AuditAction, AuditEntry
from sipdesk.statistics.compute import statistics_for
from sipdesk.statistics.period import Scope, report_file_name
from sipdesk.storage.db import database
from tests.core.test_statistics import YEAR, _world
from tests.factories import PNR_ADULT, PNR_CHILD


def _text(path: Path) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_report_masks_small_counts_and_holds_no_personal_data(
        db: peewee.Database, tmp_path: Path) -> None:
    """Statistics report: only counts, a count under five written "<5", no name or personal
    number; the letterhead, the period, each unit and "Sida X av Y" are there."""
    w = _world()
    out = tmp_path / "statistik.pdf"
    render_statistics(statistics_for(w.admin, period=YEAR, scope=Scope.whole()), out)
    reader, text = _text(out)
    width, height = (float(v) for v in reader.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (round(A4[0]), round(A4[1]))
    assert "Exempelby kommun" in text and "2026-01-01 – 2026-12-31" in text
    assert f"Sida 1 av {len(reader.pages)}" in text
    assert "Hemtjänst Norr" in text and "Vårdcentralen Syd" in text
    assert "Startade ärenden <5" in text or "Startade ärenden\n<5" in text or "<5" in text
    assert "Dokumenterade inom två arbetsdagar underlag <5" in text.replace("\n", " ")
    for secret in ("Öberg", "Åsa", PNR_ADULT, PNR_CHILD, "19121212"):
        assert secret not in text


def test_print_statistik_command(db: peewee.Database, tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """`sipdesk print statistik --from … --to … --unit … --out report.pdf` writes the report."""
    from sipdesk.storage.db import Engine, engine_of
    if engine_of() is not Engine.SQLITE:
        pytest.skip("the command opens the database by its URL; the SQLite file is enough")
    _world()
    path = Path(database.obj.database)
    out = tmp_path / "r.pdf"
    from ui.main import main
    monkeypatch.setattr(sys, "argv", [
        "sipdesk", "print", "statistik", "--from", "2026-01-01", "--to", "2026-12-31",
        "--unit", "Vårdcentralen Syd", "--out", str(out), "--database", f"sqlite:///{path}"])
    before = _printed()
    assert main() == 0
    _reader, text = _text(out)
    assert "Vårdcentralen Syd" in text and "Hemtjänst Norr" not in text
    [entry] = _printed()[len(before):]
    assert entry.user_id is None and entry.case_id is None
    assert entry.summary == ("Statistikrapporten skrevs ut från kommandoraden: "
                             "2026-01-01 – 2026-12-31, Vårdcentralen Syd")


def _printed() -> list[AuditEntry]:
    return list(AuditEntry.select().where(AuditEntry.action == AuditAction.PRINT.value,
                                          AuditEntry.entity == "statistics")
                .order_by(AuditEntry.id))


def test_printing_the_report_is_logged_without_personal_data(
        db: peewee.Database, tmp_path: Path) -> None:
    """DOMAIN.md, Data protection ("a log of who read and changed what"): printing the
    statistics report writes one audit entry — who, when, the period and the scope — and no
    name or personal number; the file's name carries only the period."""
    w = _world()
    assert _printed() == []
    out = tmp_path / report_file_name(YEAR)
    stats = print_statistics(w.officer, period=YEAR, scope=Scope.unit(w.north), target=out)
    assert out.name == "statistik-2026-01-01--2026-12-31.pdf" and out.is_file()
    [entry] = _printed()
    assert entry.user_id == w.officer.id and entry.case_id is None
    assert entry.entity_id == w.north
    assert entry.summary == "Statistikrapporten skrevs ut: 2026-01-01 – 2026-12-31, " \
                            "Hemtjänst Norr"
    assert stats.scope_label == "Hemtjänst Norr"
    for secret in ("Öberg", "Åsa", PNR_ADULT, PNR_CHILD, "19121212"):
        assert secret not in entry.summary + entry.changes
