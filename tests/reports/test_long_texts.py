"""Each document prints the longest texts the limits allow (issue 13, printing): a 20,000-character
free text flows over several pages with the letterhead and "Sida X av Y" on each, and nothing of
it is lost; a 100-character name without a space breaks inside its column."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import peewee
from pypdf import PdfReader

from reports.consent_form import render_consent_form
from reports.letters import render_letters
from reports.plan import render_plan
from reports.refusal_letter import render_refusal_letter
from sipdesk.casework.consent import Consent
from sipdesk.casework.lifecycle import CaseStatusChange
from sipdesk.plans.plan import Intervention, PlanParticipant
from sipdesk.storage.meeting_records import Meeting
from sipdesk.storage.models import Person
from tests import long_text
from tests.long_text import PLAN_TEXT, Printed, printed

SENTENCE = "Hemtjänsten hjälper Åsa med dusch, tvätt och inköp varje vecka. "


def free_text(end: str) -> str:
    """PLAN_TEXT characters of ordinary words, ending with the word `end` (to find the very
    last bit)."""
    body = SENTENCE * (PLAN_TEXT // len(SENTENCE) + 1)
    return body[:PLAN_TEXT - len(end)] + end


def assert_all_printed(paper: Printed, text: str, end: str, *, copies: int = 1) -> None:
    """Nothing of `text` lost: its sentences are all there (less at most one a page, cut by the
    page's foot and head), and its last words as many times as it was printed."""
    squeezed = paper.squeezed()
    expected = text.count(SENTENCE) * copies
    assert expected - paper.count <= squeezed.count("".join(SENTENCE.split())) <= expected
    assert squeezed.count("".join(end.split())) == copies


def assert_whole_pages(paper: Printed, *, at_least: int) -> None:
    assert paper.count >= at_least
    for number, page in enumerate(paper.pages, start=1):
        assert "Exempelby kommun" in page  # the letterhead
        assert re.search(rf"Sida {number} av \d+", page) or f"Sida {number} av" in page


def name_runs(data: bytes, letter: str) -> list[str]:
    """The runs of text made only of `letter` (a name of it, as the lines broke it)."""
    runs: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=lambda text, *_: runs.extend(
            re.findall(rf"{letter}+", text)))
    return runs


def test_a_20000_character_intervention_prints_over_several_pages(
        sqlite_db: peewee.Database) -> None:
    version = long_text.plan_case()
    what = free_text("insatsslut")
    Intervention.update(what=what).where(Intervention.plan == version.id).execute()
    for easy_read in (False, True):
        out = io.BytesIO()
        render_plan(version.id, out, easy_read=easy_read)
        paper = printed(out.getvalue())
        assert_whole_pages(paper, at_least=8 if easy_read else 20)
        # Point 1 prints each intervention, point 2 (staff) names it again.
        assert_all_printed(paper, what, "insatsslut", copies=4 if easy_read else 8)


def test_a_name_of_100_characters_without_spaces_breaks_inside_its_column(
        sqlite_db: peewee.Database) -> None:
    version = long_text.plan_case()
    PlanParticipant.update(name="Ü" * 100).where(
        PlanParticipant.id == PlanParticipant.select(PlanParticipant.id)
        .where(PlanParticipant.plan == version.id).limit(1)).execute()
    out = io.BytesIO()
    render_plan(version.id, out)
    runs = name_runs(out.getvalue(), "Ü")
    assert sum(map(len, runs)) == 100  # all of it
    # The Namn column is 28 mm: about 12 of these letters at 8.5 pt, then the next line.
    assert max(map(len, runs)) <= 13


def test_the_kallelse_letters_print_a_20000_character_purpose_and_a_100_character_name(
        sqlite_db: peewee.Database, tmp_path: Path) -> None:
    world = long_text.letters_meeting()
    purpose = free_text("syftesslut")
    Meeting.update(purpose=purpose).where(Meeting.id == world.meeting.id).execute()
    Person.update(first_name="Ü" * 100).execute()
    path = tmp_path / "brev.pdf"
    render_letters(world.meeting.id, path, one_file=True)
    paper = printed(path)
    assert paper.count >= 12  # the person's letter and the kallelse carry the purpose
    # Every letter's own "Sida 1 av N": one per letter, and the purpose whole in two of them.
    assert sum(page.count("Sida 1 av") for page in paper.pages) == 4
    assert_all_printed(paper, purpose, "syftesslut", copies=2)
    assert "Ü" * 100 in paper.squeezed()
    assert max(map(len, name_runs(path.read_bytes(), "Ü"))) < 100  # broken into lines


def test_the_consent_form_prints_a_20000_character_question_and_a_100_character_name(
        sqlite_db: peewee.Database) -> None:
    case = long_text.consent_case()
    covers = free_text("samtyckesslut")
    Consent.update(covers=covers).where(Consent.case == case).execute()
    Person.update(first_name="Ü" * 100).execute()
    out = io.BytesIO()
    render_consent_form(case.id, out, today=dt.date(2026, 11, 23))
    paper = printed(out.getvalue())
    assert_whole_pages(paper, at_least=4)
    assert_all_printed(paper, covers, "samtyckesslut")
    runs = name_runs(out.getvalue(), "Ü")
    assert "Ü" * 100 in paper.squeezed() and max(map(len, runs)) < 100


def test_the_refusal_letter_prints_a_20000_character_reason(sqlite_db: peewee.Database) -> None:
    case = long_text.refused_case()
    reason = free_text("skälslut")
    CaseStatusChange.update(reason=reason).where(CaseStatusChange.case == case).execute()
    out = io.BytesIO()
    render_refusal_letter(case.id, out)
    paper = printed(out.getvalue())
    assert paper.count >= 6
    assert_all_printed(paper, reason, "skälslut")
    assert f"Sida {paper.count} av {paper.count}" in paper.pages[-1]
