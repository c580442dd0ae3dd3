"""Every PDF prints whatever fits the input limits (issue 13, printing): Hypothesis over each
renderer — the staff plan, the person's copy of the plan, the kallelse letters (kallelse,
inbjudan, the easy-read letter), the consent form and the letter after "Avstå från SIP" — with
every text at or up to its limit (tests/long_text.py): words of any length up to the limit,
no spaces at all, long paragraphs, many rows, Swedish letters, markup characters and
characters the bundled font lacks. 0 crashes, and the PDF opens with pypdf with a page count
in bounds (not fewer pages than the text needs, not one line a page).

The free texts are up to 20,000 characters at full size (`make faults`); at the small size
(`make test`) up to 3,000, so the file runs in seconds — the 20,000-character intervention has
its own plain test in tests/reports/test_long_texts.py.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import peewee
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reports.consent_form import render_consent_form
from reports.letters import planned_letters, render_letters
from reports.plan import render_plan
from reports.refusal_letter import render_refusal_letter
from tests import long_text
from tests.faults.conftest import FULL, size
from tests.long_text import PLAN_TEXT, Printed, Text, printed

EXAMPLES = size(5, 12)
FREE_TEXT = size(3_000, PLAN_TEXT)  # the longest free text tried
# Rows of each table (participants, sub-goals, interventions, others' actions; extra letters):
# fewer at full size, where each holds 20,000-character texts (a plan of ~150 pages).
ROWS = size(4, 3)
MAX_LINES = 300  # line breaks in one text (a long plan text has a few hundred at most)

# What a text is made of, repeated up to its length.
SHAPES = (
    "Åsa går till vårdcentralen och hemtjänsten hjälper med dusch. ",
    "Åäöéüß",  # one word as long as the field: no break opportunity at all
    "x",
    "rad ett\nrad två\n\n",
    "<b>fet</b> & <i>kursiv</i> &amp; <br/> <para> ",
    "中文字 😀 مرحبا Ωμέγα ",  # CJK and emoji: DejaVu Sans has no glyph for them
    "https://exempelby.example/en/mycket/lang/adress?med=parametrar&och=mer/",
)
CHARACTERS = st.characters(exclude_categories=("Cs", "Cc"), include_characters="\n\t")


@st.composite
def texts(draw: st.DrawFn) -> tuple[Text, str]:
    """A text maker: a unit (a shape or any characters) repeated to the field's limit, or to a
    drawn share of it; and a name for the figures."""
    unit = draw(st.sampled_from(SHAPES) | st.text(CHARACTERS, min_size=1, max_size=12))
    full = draw(st.booleans())
    share = 1.0 if full else draw(st.floats(0.0, 1.0))

    def text(limit: int) -> str:
        length = int(min(limit, FREE_TEXT) * share)
        made = (unit * (length // len(unit) + 1))[:length]
        # A text of 20,000 line breaks is 400 blank pages per field and proves nothing more
        # than 300 lines do: past them, the breaks become spaces (the length stays).
        lines = made.split("\n")
        return made if len(lines) <= MAX_LINES else "\n".join(lines[:MAX_LINES]) + " " + " ".join(
            lines[MAX_LINES:])

    return text, f"{unit[:6]!r}{'×max' if full else f'×{share:.2f}'}"


# The same examples on every run of `make test` (a steady time in CI); new ones in `make faults`.
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=not FULL, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


class Tally:
    """The figures a test records: examples, the most pages, the largest input."""

    def __init__(self) -> None:
        self.examples = 0
        self.pages = 0
        self.largest = 0

    def add(self, paper: Printed, chars: int) -> None:
        self.examples += 1
        self.pages = max(self.pages, paper.count)
        self.largest = max(self.largest, chars)


def in_bounds(paper: Printed, text: Text, *, free_texts: int, rows: int = 0,
              copies: int = 1) -> int:
    """At least a page, and as many as the text needs (no page holds more than ~8,000
    characters); per copy, at most a few pages beyond one per 400 characters and one per 25
    lines the text starts. `free_texts`: how many free texts (and `rows`: table rows, with
    their short columns) the document prints from `text`. Returns the characters printed."""
    one = text(PLAN_TEXT)
    chars = len(one) * free_texts + 1_000 * rows
    lines = (one.count("\n") + 1) * free_texts + 10 * rows
    assert chars // 8_000 + 1 <= paper.count <= copies * (4 + chars // 400 + lines // 25), (
        paper.count, chars, lines)
    return chars * copies


@pytest.mark.parametrize("easy_read", [False, True], ids=["staff", "easy-read"])
def test_a_plan_prints_whatever_fits_the_limits(sqlite_db: peewee.Database, easy_read: bool,
                                                figures: Callable[..., None]) -> None:
    version = long_text.plan_case()
    tally = Tally()

    @SETTINGS
    @given(texts(), st.integers(0, ROWS))
    def check(made: tuple[Text, str], rows: int) -> None:
        text, _name = made
        long_text.write_plan(version, text, rows=rows)
        out = io.BytesIO()
        render_plan(version.id, out, easy_read=easy_read)
        paper = printed(out.getvalue())
        chars = in_bounds(paper, text, free_texts=len(long_text.PLAN_TEXTS) + 4 * rows,
                          rows=rows)
        tally.add(paper, chars)

    check()
    figures(examples=tally.examples, most_pages=tally.pages,
            largest_input=tally.largest)


def test_the_letters_print_whatever_fits_the_limits(sqlite_db: peewee.Database,
                                                    tmp_path: Path,
                                                    figures: Callable[..., None]) -> None:
    world = long_text.letters_meeting()
    tally = Tally()

    @SETTINGS
    @given(texts(), st.integers(0, ROWS))
    def check(made: tuple[Text, str], rows: int) -> None:
        text, _name = made
        long_text.write_meeting(world, text, rows=rows)
        path = tmp_path / "brev.pdf"
        render_letters(world.meeting.id, path, one_file=True)
        paper = printed(path)
        letters = len(planned_letters(world.meeting))
        chars = in_bounds(paper, text, free_texts=1, rows=rows + 5, copies=letters)
        tally.add(paper, chars)

    check()
    figures(examples=tally.examples, most_pages=tally.pages,
            largest_input=tally.largest)


def test_the_consent_form_prints_whatever_fits_the_limits(
        sqlite_db: peewee.Database, figures: Callable[..., None]) -> None:
    case = long_text.consent_case()
    tally = Tally()

    @SETTINGS
    @given(texts())
    def check(made: tuple[Text, str]) -> None:
        text, _name = made
        long_text.write_consent(case, text)
        out = io.BytesIO()
        render_consent_form(case.id, out)
        paper = printed(out.getvalue())
        chars = in_bounds(paper, text, free_texts=3, rows=1)
        tally.add(paper, chars)

    check()
    figures(examples=tally.examples, most_pages=tally.pages,
            largest_input=tally.largest)


def test_the_refusal_letter_prints_whatever_fits_the_limits(
        sqlite_db: peewee.Database, figures: Callable[..., None]) -> None:
    case = long_text.refused_case()
    tally = Tally()

    @SETTINGS
    @given(texts())
    def check(made: tuple[Text, str]) -> None:
        text, _name = made
        long_text.write_refusal(case, text)
        out = io.BytesIO()
        render_refusal_letter(case.id, out)
        paper = printed(out.getvalue())
        chars = in_bounds(paper, text, free_texts=1, rows=1)
        tally.add(paper, chars)

    check()
    figures(examples=tally.examples, most_pages=tally.pages,
            largest_input=tally.largest)
