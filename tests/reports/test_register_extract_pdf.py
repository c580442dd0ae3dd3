"""The registerutdrag on paper (reports/register_extract.py): read back, it names the person,
every event with who, what and case, "Sida X av Y" on every page, and nothing of another person."""

from __future__ import annotations

import io

import peewee
from pypdf import PdfReader

from reports.register_extract import extract_file_name, render_register_extract
from sipdesk.accounts.register_extract import register_extract
from sipdesk.desk import cases
from sipdesk.storage.models import Role
from tests.factories import PNR_ADULT, PNR_OTHER, make_case, make_person, make_unit, make_user


def test_the_extract_reads_back_with_every_event_and_page_numbers(
        sqlite_db: peewee.Database) -> None:
    officer = make_user()
    admin = make_user("admin", role=Role.ADMINISTRATOR, full_name="Ada Admin",
                      unit=make_unit("Kansliet"))
    case = make_case(officer, make_person())
    make_case(officer, make_person(PNR_OTHER, "Bo", "Ek"))
    for _ in range(60):  # enough events for a second page
        cases.open_case(officer, case.id)
    extract = register_extract(admin, PNR_ADULT)

    buffer = io.BytesIO()
    render_register_extract(extract, buffer)
    reader = PdfReader(io.BytesIO(buffer.getvalue()))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)

    assert len(pages) >= 2
    assert all(f"Sida {n} av {len(pages)}" in page for n, page in enumerate(pages, start=1))
    assert "Registerutdrag ur händelseloggen" in text
    assert "Åsa Öberg" in text and PNR_ADULT in text
    assert text.count("Ärendet öppnat") == 60 and case.number in text
    assert "Anna Berg (Hemtjänst Norr)" in text and "Ada Admin" in text
    assert "Bo Ek" not in text and PNR_OTHER not in text
    assert extract_file_name(extract.person_id, "2026-11-22") == (
        f"registerutdrag-person-{extract.person_id}-2026-11-22.pdf")
