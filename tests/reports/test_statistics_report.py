"""The statistics report for the committee (issue 15): A4, the municipality's letterhead,
"Sida X av Y", figures per unit, ReportLab charts, counts under five written "<5" and no
personal data at all."""

from __future__ import annotations

import dataclasses
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
from sipdesk.statistics.figures import Figures
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


def test_report_hides_a_count_that_would_give_a_small_one_away(
        db: peewee.Database, tmp_path: Path) -> None:
    """Statistics report, no one can be recognised: "Startade 6, varav vuxna 5, varav barn <5"
    would give barn = 1, so vuxna is written "<5" too; "38 av 40 deltog" would tell that 2 did
    not, so the share says only "över 87 %"; the note says the rule."""
    from tests.core.test_statistics_masking import statistics

    stats = statistics({(1, "2026-03"): Figures(started=6, started_children=1,
                                                meetings_held=40, person_took_part=38)})
    out = tmp_path / "statistik.pdf"
    render_statistics(stats, out)
    _reader, text = _text(out)
    lines = text.replace("\n", " ")
    assert "Startade ärenden 6" in lines
    assert "– varav barn <5" in lines and "– varav vuxna <5" in lines
    assert "– varav vuxna 5" not in lines
    assert "Personen deltog över 87 % (alla utom <5 av 40)" in lines and "38" not in lines
    assert "värden som skulle avslöja dem" in lines


def test_report_of_one_unit_names_it_and_does_not_repeat_it(
        db: peewee.Database, tmp_path: Path) -> None:
    """The report of one unit: its figures under the unit's name, not "Hela urvalet" and then
    the same table again."""
    from tests.core.test_statistics_masking import statistics

    stats = statistics({(1, "2026-03"): Figures(started=7)}, Scope.unit(1, "Hemtjänst Norr"))
    stats = dataclasses.replace(stats, scope_label="Hemtjänst Norr")
    out = tmp_path / "statistik.pdf"
    render_statistics(stats, out)
    _reader, text = _text(out)
    assert "Hela urvalet" not in text and "Hemtjänst Norr (Exempelby kommun)" not in text
    assert text.replace("\n", " ").count("Startade ärenden 7") == 1


def test_report_chart_draws_what_the_table_hides_as_a_light_bar() -> None:
    """The report's bars (started and ended, as the page's) tell no more than its table:
    March's 2 and May's 5 (which would give March's away: 13 − 6 − 5) are light bars at 4,
    with a note; January's 6 is drawn as it is; January's 5 ended is the green bar."""
    from reportlab.graphics.charts.barcharts import VerticalBarChart

    from reports.statistics_report import BLUE, month_bars
    from tests.core.test_statistics_masking import statistics

    stats = statistics({(1, "2026-01"): Figures(started=6, ended=5),
                        (1, "2026-03"): Figures(started=2), (2, "2026-05"): Figures(started=5)})
    drawing = month_bars(stats, 400)
    [chart] = [c for c in drawing.contents if isinstance(c, VerticalBarChart)]
    assert chart.data[0] == [6, 0, 4, 0, 4, 0]
    assert chart.data[1] == [5, 0, 0, 0, 0, 0]
    assert chart.bars[(0, 2)].fillColor != BLUE and chart.bars[(0, 4)].fillColor != BLUE
    notes = [getattr(c, "text", "") for c in drawing.contents]
    assert any(n.startswith("Ljusa staplar") for n in notes)
    assert "Startade och avslutade ärenden per månad" in notes


def test_report_line_spans_every_month_and_says_why_one_has_no_point() -> None:
    """The median line as on the page: over every month of the period (not only those with a
    point), a month with fewer than five meetings left without a point — and a note says so."""
    from reportlab.graphics.charts.linecharts import HorizontalLineChart

    from reports.statistics_report import meeting_line
    from sipdesk.statistics.figures import Spread
    from tests.core.test_statistics_masking import statistics

    stats = statistics({(1, "2026-01"): Figures(consent_to_meeting=Spread(6, 20, 30)),
                        (1, "2026-03"): Figures(consent_to_meeting=Spread(3, 90, 99)),
                        (1, "2026-04"): Figures(consent_to_meeting=Spread(5, 25, 40))})
    drawing = meeting_line(stats, 400)
    [chart] = [c for c in drawing.contents if isinstance(c, HorizontalLineChart)]
    assert len(chart.categoryAxis.categoryNames) == len(stats.months)
    assert chart.data[0][0] == 20 and chart.data[0][3] == 25
    assert chart.data[0][2] is None  # three meetings: no point
    notes = [getattr(c, "text", "") for c in drawing.contents]
    assert any(n.startswith("Månader utan punkt") for n in notes)
