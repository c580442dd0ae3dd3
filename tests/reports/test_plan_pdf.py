"""The printed plan (DOMAIN.md steps 8–9): read back as text and font sizes, on both engines;
long plans across pages; bulk printing; and both from the command line."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import peewee
import pytest
from pypdf import PdfReader

from reports.base import iso_date, written_date
from reports.plan import (
    DRAFT_MARK,
    INTERVENTION_COLUMNS,
    LEGAL_HEADINGS,
    NOT_APPROVED,
    PARTICIPANT_COLUMNS,
    render_many,
    render_plan,
)
from sipdesk import clock
from sipdesk.errors import ValidationError
from sipdesk.plans import plan
from sipdesk.plans.plan import PlanVersion
from sipdesk.storage.db import DatabaseUrl
from tests.plan_scenarios import (
    TREATMENT_REF,
    approve_all,
    clone_plan,
    fill,
    more_cases,
    plan_world,
)
from ui.main import main

HEADER_ROW = "\n".join(INTERVENTION_COLUMNS)
# Everything drawn between the letterhead's rule and the footer line (PDF points from below):
# the frame of base.SipDocTemplate runs from 18 mm to 38 mm below the top of A4.
BODY_BOTTOM, BODY_TOP = 50.0, 735.0


@pytest.fixture
def world(db: peewee.Database) -> dict:
    return plan_world()


def render(plan_id: int, **kwargs: bool) -> bytes:
    buffer = io.BytesIO()
    render_plan(plan_id, buffer, **kwargs)
    return buffer.getvalue()


def page_texts(data: bytes) -> list[str]:
    """The text of each page, a line per drawn line or table cell, stripped."""
    return ["\n".join(line.strip() for line in page.extract_text().splitlines())
            for page in PdfReader(io.BytesIO(data)).pages]


def body_font_sizes(data: bytes) -> list[tuple[float, str]]:
    """(effective font size, text) of every piece of text in the body frame of every page.
    The size is the Tf size scaled by the text matrix and the current transformation."""
    found: list[tuple[float, str]] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        def visit(text: str, cm: list[float], tm: list[float], _font: object,
                  size: float) -> None:
            if not text.strip():
                return
            scale = math.hypot(tm[2] * cm[0] + tm[3] * cm[2], tm[2] * cm[1] + tm[3] * cm[3])
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            if BODY_BOTTOM < y < BODY_TOP:
                found.append((size * scale, text.strip()))

        page.extract_text(visitor_text=visit)
    return found


def last_content_line(page_text: str) -> str:
    """The last line of a page above the footer and the draft mark."""
    lines = [line for line in page_text.splitlines() if line.strip()]
    while lines and (lines[-1] == DRAFT_MARK or lines[-1].startswith(("Utskrivet", "Sida "))):
        lines.pop()
    return lines[-1]


def test_staff_version_shows_the_four_legal_points_under_their_headings(world: dict) -> None:
    """SoL 2:7 / HSL 16:4: interventions, who is responsible for what, actions by others,
    overall responsibility — each findable on paper under a heading that says it."""
    text = "\n".join(page_texts(render(fill(world).id)))
    for heading in LEGAL_HEADINGS:
        assert heading in text, heading
    assert f"{LEGAL_HEADINGS[0]} – vem gör vad och när\nEn tabell per huvudman" in text
    assert re.search(r"3\. Åtgärder av andra än kommun och region\nVem\nVad\nNär\n"
                     r"Dottern Greta\nHandlar mat varje lördag", text)
    assert re.search(r"4\. Övergripande ansvar\nÖvergripande ansvar\nExempelby kommun\n"
                     r"Samordningsansvarig\nAnna Berg, 0000-12 34 56", text)
    assert "Samordnad individuell plan (SIP)" in text
    case_number = world["case"].number
    assert case_number in text and "1 (upprättande)" in text and "2026-12-10" in text
    assert f"Utskrivet {iso_date(clock.today())}" in text  # the staff copy: ISO dates


def test_others_none_is_printed_as_inga(world: dict) -> None:
    p = fill(world)
    plan.set_other_actions(world["officer"], p, [], none=True)
    text = "\n".join(page_texts(render(p.id)))
    assert f"{LEGAL_HEADINGS[2]}\nInga." in text


def test_participants_with_name_initials_profession_organisation_contact(world: dict) -> None:
    """Seed 000: for every participant name, initials, profession, organisation, contact."""
    text = "\n".join(page_texts(render(fill(world).id)))
    assert "\n".join(PARTICIPANT_COLUMNS) in text
    assert "Per Nord\nPN\nBiståndshandläggare\nVårdcentralen Exempelby\nRegion Exempelland\n" \
           "0000-12 34 56\nper.nord@exempelby.example" in text
    assert "Maria Holm\nMH\n" in text and "Eva Läkare\nEL\nLäkare\n" in text


def test_draft_is_marked_utkast_on_every_page_and_the_approved_plan_is_not(world: dict) -> None:
    """Seed 000: the plan is final only when all principals have approved it."""
    p = fill(world, extra_interventions=15)  # long enough for several pages
    draft = page_texts(render(p.id))
    assert len(draft) >= 2
    assert all(DRAFT_MARK in page for page in draft)
    assert "Utkast — inte godkänd av alla huvudmän än" in draft[0]
    approved = page_texts(render(approve_all(world, p).id))
    assert len(approved) >= 2
    assert not any(DRAFT_MARK in page for page in approved)
    assert "Godkänd av alla huvudmän" in approved[0]


def test_swedish_letters_page_numbers_and_escaped_user_text(world: dict) -> None:
    p = fill(world)
    plan.update_fields(world["officer"], p, {"main_goal": (
        p.main_goal, "Bo kvar <b>hemma</b> & känna mig trygg – även på natten")})
    pages = page_texts(render(p.id))
    text = "\n".join(pages)
    assert "Åsa Öberg" in text and "Det här är viktigt för mig" in text
    assert "Trygghetslarm som går till" in text and "Min nuvarande situation" in text
    assert "Bo kvar <b>hemma</b> & känna mig trygg – även på natten" in text
    for number, page in enumerate(pages, start=1):
        assert f"Sida {number} av {len(pages)}" in page


def test_no_action_documentation_conclusion_and_signatures(world: dict) -> None:
    """Seed 000: "no action" written as its sentence; seed 003: "Dokumenterat av …", who took
    part in adjusting the text, room for signatures."""
    text = "\n".join(page_texts(render(fill(world).id)))
    assert "Psykiatrimottagningen gör inget nytt just nu" in text
    assert "Dokumenterat av Anna Berg, Biståndshandläggare, Biståndsenheten." in text
    assert "Följande har deltagit i justeringen: Maria Holm och Per Nord" in text
    assert "Underskrifter" in text and "Namnförtydligande: Anna Berg" in text


@pytest.mark.parametrize(("value", "reference", "printed"), [
    (True, TREATMENT_REF, "Ja — se journal i NPÖ, 2026-12-10"),
    (True, "NPÖ 2026-12-10", "Ja — se journal: NPÖ 2026-12-10"),
    (False, "", "Nej"),
    (None, "", "Inte aktuellt"),
])
def test_treatment_limitation_is_only_yes_no_or_not_applicable(
        world: dict, value: bool | None, reference: str, printed: str) -> None:
    """Seed 000: only a reference to the medical record, never details."""
    p = fill(world)
    plan.update_fields(world["officer"], p, {
        "treatment_limitation_ref": (p.treatment_limitation_ref, reference),
        "treatment_limitation": (p.treatment_limitation, value)})
    text = "\n".join(page_texts(render(p.id)))
    assert f"Behandlingsbegränsning\n{printed}\n" in text


def test_the_childs_own_views_have_their_heading(world: dict) -> None:
    """Seed 002: the child's own words are recorded — and printed (here on an adult's plan, where
    they were written all the same; tests/reports/test_child_paper.py prints a child's)."""
    p = fill(world)
    assert "Barnets egna ord" not in "\n".join(page_texts(render(p.id)))
    plan.update_fields(world["officer"], p, {"child_views": ("", "Jag vill spela fotboll.")})
    assert "Barnets egna ord\nJag vill spela fotboll." in "\n".join(
        page_texts(render(p.id)))


def test_forty_interventions_break_across_pages_with_the_header_on_every_page(
        world: dict) -> None:
    p = fill(world, extra_interventions=36)
    assert len(plan.interventions(p)) == 40
    pages = page_texts(render(p.id))
    # The interventions tables of point 1 on each page (point 2 names a few of them again).
    tables = [page.split(LEGAL_HEADINGS[1])[0] for page in pages]
    spanned = [page for page in tables if "Insats nummer" in page]
    assert len(spanned) >= 3  # the municipality's table alone runs over three pages or more
    for page in spanned:
        assert page.count(HEADER_ROW) >= 1
        assert page.count("Exempelby kommun\n" + HEADER_ROW) == 1  # the principal repeats too
    # Each table's header appears once per page: never more headers than tables begun there.
    for page in pages:
        assert page.count(HEADER_ROW) <= 2
    # Every intervention is printed once in point 1 (point 2 names only the first few).
    text = "\n".join(pages)
    point_1 = text[:text.index(LEGAL_HEADINGS[1])]
    for n in range(1, 37):
        assert len(re.findall(rf"Insats nummer {n}:", point_1)) == 1
    assert "• och 32 insatser till (se punkt 1)" in text[len(point_1):]
    # No heading alone at the foot of a page.
    headings = {*LEGAL_HEADINGS, f"{LEGAL_HEADINGS[0]} – vem gör vad och när", "Deltagare",
                "Delmål", "Huvudmål", "Uppföljning", "Behandlingsbegränsning", "Dokumentation",
                "Underskrifter", "Min nuvarande situation", "Det här klarar jag själv"}
    for page in pages[:-1]:
        assert last_content_line(page) not in headings


def test_easy_read_copy_is_refused_before_approval(world: dict) -> None:
    """Seed 000: the person is offered a copy once all principals have approved."""
    p = fill(world)
    with pytest.raises(ValidationError) as refused:
        render(p.id, easy_read=True)
    assert refused.value.message == NOT_APPROVED


def test_easy_read_copy_large_type_goals_first_no_internal_notes(world: dict) -> None:
    p = approve_all(world, fill(world))
    data = render(p.id, easy_read=True)
    sizes = body_font_sizes(data)
    assert sizes and min(size for size, _text in sizes) >= 14, sorted(sizes)[:5]
    body = [size for size, text in sizes if text.startswith("Att kunna bo kvar hemma")]
    assert body and body[0] >= 14
    headings = [size for size, text in sizes if text == "Mitt mål"]
    assert headings and headings[0] > body[0]  # headings larger than the body

    text = "\n".join(page_texts(data))
    goal, doing = text.index("Mitt mål"), text.index("Det här gör vi för dig")
    assert goal < text.index("Mina delmål") < doing  # the person's goals first
    assert text.index("Det här gör andra") > doing
    assert "Ansvarig: Maria Holm\nTelefon: 0000-12 34 56" in text
    assert "Dottern Greta:" in text
    assert "Vem ringer jag?" in text and "Ring Anna Berg" in text
    assert "Nästa gång vi ses" in text and "Vi ses igen den 10 mars 2027." in text
    # The person's copy writes every date out, the print date too (reports.base)
    assert f"Utskrivet {written_date(clock.today())}" in text
    assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", text)
    for internal in (TREATMENT_REF, "NPÖ", "Behandlingsbegränsning", "Dokumenterat av",
                     "Ordförande", "justeringen", "Underskrift", DRAFT_MARK, "Planerad", "Pågår",
                     "Inte klar", world["case"].person.personal_number):
        assert internal not in text, internal


def test_render_many_writes_whole_files_named_without_personal_data(
        world: dict, tmp_path: Path) -> None:
    source = approve_all(world, fill(world))
    ids = [source.id] + [clone_plan(source, case).id
                         for case in more_cases(world["officer"], 4)]
    numbers = [plan.get_version(i).case.number for i in ids]
    progress = render_many(ids, tmp_path / "planer")
    first = next(progress)
    second = next(progress)
    progress.close()  # stop: what is written stays, nothing half-written is left
    assert (first[:2], second[:2]) == ((1, 5), (2, 5))
    files = sorted(p.name for p in (tmp_path / "planer").iterdir())
    assert files == sorted([f"plan-{numbers[0]}-v1.pdf", f"plan-{numbers[1]}-v1.pdf"])
    assert first[2].read_bytes().startswith(b"%PDF")
    everything = list(render_many(ids, tmp_path / "alla", easy_read=True))
    assert [done for done, _total, _path in everything] == [1, 2, 3, 4, 5]
    names = [path.name for _done, _total, path in everything]
    assert names[0] == f"plan-{numbers[0]}-v1-lattlast.pdf"
    assert not any("Öberg" in name or "Person" in name for name in names)


def test_print_plan_from_the_command_line(
        world: dict, db_url: DatabaseUrl, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    p = fill(world)
    number = world["case"].number
    out = tmp_path / "plan.pdf"
    assert main(["--database", db_url.url, "print", "plan", number, "--out", str(out)]) == 0
    assert f"Skrev {out}" in capsys.readouterr().out
    assert DRAFT_MARK in page_texts(out.read_bytes())[0]

    assert main(["--database", db_url.url, "print", "plan", number, "--easy-read",
                 "--out", str(out)]) == 1
    assert NOT_APPROVED in capsys.readouterr().err
    approve_all(world, p)
    assert main(["--database", db_url.url, "print", "plan", number, "--easy-read",
                 "--version", "1", "--out", str(out)]) == 0
    assert "Mitt mål" in page_texts(out.read_bytes())[0]
    assert main(["--database", db_url.url, "print", "plan", number, "--version", "2",
                 "--out", str(out)]) == 1
    assert "har ingen version 2 av planen" in capsys.readouterr().err
    (other,) = more_cases(world["officer"], 1)
    assert main(["--database", db_url.url, "print", "plan", other.number,
                 "--out", str(out)]) == 1
    assert "har ingen plan än" in capsys.readouterr().err


def test_print_all_plans_from_the_command_line(
        world: dict, db_url: DatabaseUrl, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    source = approve_all(world, fill(world))
    draft_case, _without_plan = more_cases(world["officer"], 2)
    clone_plan(source, draft_case, approved=False)
    folder = tmp_path / "utskrifter"
    assert main(["--database", db_url.url, "print", "plans", "--out", str(folder)]) == 0
    output = capsys.readouterr()
    assert "Skrev 2 av 2 planer" in output.out + output.err
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [f"plan-{world['case'].number}-v1.pdf", f"plan-{draft_case.number}-v1.pdf"])

    only = tmp_path / "uppfoljning"
    assert main(["--database", db_url.url, "print", "plans", "--status", "follow_up_planned",
                 "--out", str(only)]) == 0
    assert [p.name for p in only.iterdir()] == [f"plan-{world['case'].number}-v1.pdf"]

    easy = tmp_path / "lattlast"
    assert main(["--database", db_url.url, "print", "plans", "--easy-read",
                 "--out", str(easy)]) == 0  # the draft is left out, not refused
    assert [p.name for p in easy.iterdir()] == [f"plan-{world['case'].number}-v1-lattlast.pdf"]

    a_file = tmp_path / "fil.pdf"
    a_file.write_bytes(b"")
    assert main(["--database", db_url.url, "print", "plans", "--out", str(a_file)]) == 2
    assert "Ange en mapp" in capsys.readouterr().err


def test_bulk_print_from_the_command_line_stops_cleanly_on_ctrl_c(
        world: dict, db_url: DatabaseUrl, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    import reports.plan as plan_pdf

    source = approve_all(world, fill(world))
    for case in more_cases(world["officer"], 4):
        clone_plan(source, case)
    real = plan_pdf._render
    calls = []

    def interrupted_third(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 3:
            raise KeyboardInterrupt  # as Ctrl+C arrives in the middle of a file
        real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(plan_pdf, "_render", interrupted_third)
    folder = tmp_path / "avbrutet"
    assert main(["--database", db_url.url, "print", "plans", "--out", str(folder)]) == 130
    output = capsys.readouterr()
    assert "Avbrutet: 2 av 5 planer skrevs" in output.err
    assert len(list(folder.iterdir())) == 2  # whole files only, no half-written one


def test_render_to_a_path(world: dict, tmp_path: Path) -> None:
    p: PlanVersion = fill(world)
    out = tmp_path / "plan.pdf"
    render_plan(p.id, out)
    assert "Samordnad individuell plan (SIP)" in page_texts(out.read_bytes())[0]
