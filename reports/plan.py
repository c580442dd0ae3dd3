"""The printed plan (DOMAIN.md steps 8–9, seeds 000 "Dokumentation" and "Utskrift", 003 step 3).

Two documents from one plan version (`sipdesk.plans.plan.plan_view`):

- the **staff version**: everything the plan holds, with the four points the law asks for
  (SoL 2 kap. 7 §, HSL 16 kap. 4 §) under headings that say them (`LEGAL_HEADINGS`), the
  interventions per principal in tables whose header rows repeat on every page, "Dokumenterat
  av …", who took part in adjusting the text, and signature lines. Until every principal has
  approved, every page carries a diagonal UTKAST mark;
- the **person's copy for the home** (`easy_read=True`): large type (body 15 pt), short
  sentences, the person's goals first, then who does what with a name and a phone number, whom
  to call and when we meet next. No case-internal notes: no chair, no status, no
  treatment limitation, no signatures. It is printed only once the version is approved
  (seed 000: the person is offered a copy when all principals have approved).

`render_many` prints many plans into one folder as a generator, so a caller can show progress
and stop between two files simply by not asking for the next one. File names carry the case
number and the version only — never a name or a personal number.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterable
from pathlib import Path

from sipdesk.errors import ValidationError

from .base import (
    Letterhead,
    Target,
    build,
    municipality_letterhead,
)
from .letters_common import LetterCanvas
from .plan_common import (
    DRAFT_MARK,
    EASY_TITLE,
    INTERVENTION_COLUMNS,
    LEGAL_HEADINGS,
    NOT_APPROVED,
    PARTICIPANT_COLUMNS,
    TITLE,
    PlanDocTemplate,
    PlanPrint,
    file_name,
    log,
    plan_print,
)
from .plan_easy import child_copies_story, easy_story
from .plan_staff import staff_story

# ---- rendering ------------------------------------------------------------------------------

def _render(data: PlanPrint, target: Target, *, easy_read: bool,
            letterhead: Letterhead) -> None:
    if easy_read and not data.approved:
        raise ValidationError(NOT_APPROVED)
    view = data.view
    title = f"{EASY_TITLE if easy_read else TITLE} {view.case.number} version {view.plan.number}"
    if easy_read and data.paper is not None:  # a child's: the guardians' and the child's copies
        story = child_copies_story(data)
        doc = PlanDocTemplate(target, title=title, letterhead=letterhead, draft=False)
        doc.build(story, canvasmaker=LetterCanvas)
        return
    doc = PlanDocTemplate(target, title=title, letterhead=letterhead,
                          draft=not data.approved and not easy_read)
    build(doc, easy_story(data) if easy_read else staff_story(data), for_person=easy_read)


def render_plan(plan_id: int, target: Target, *, easy_read: bool = False) -> None:
    """Write a plan version as PDF to `target` (a path or a binary file): the staff version,
    or with `easy_read` the person's copy (only once the version is approved)."""
    data = plan_print(plan_id)
    _render(data, target, easy_read=easy_read,
            letterhead=municipality_letterhead(data.unit_name))


def render_many(plan_ids: Iterable[int], folder: str | Path, *, easy_read: bool = False
                ) -> Generator[tuple[int, int, Path], None, None]:
    """Print plan versions into `folder`, one PDF each; yields (done, total, path) after every
    file. Stop iterating to cancel: each file is written under a temporary name and renamed
    when complete, so a stop leaves only whole files behind. With `easy_read` every version
    must be approved (`plan.latest_version_ids(approved_only=True)`); a draft raises the same
    ValidationError as `render_plan` and ends the run."""
    ids = list(plan_ids)
    total = len(ids)
    target_folder = Path(folder)
    target_folder.mkdir(parents=True, exist_ok=True)
    # The municipality's name and logo are read once, not once per plan.
    head = municipality_letterhead()
    for done, plan_id in enumerate(ids, start=1):
        data = plan_print(plan_id)
        letterhead = Letterhead(head.organisation, data.unit_name, head.logo)
        path = target_folder / file_name(data.view.case.number, data.view.plan.number,
                                         easy_read=easy_read)
        partial = path.with_name(path.name + ".part")
        try:
            _render(data, partial, easy_read=easy_read, letterhead=letterhead)
            os.replace(partial, path)
        finally:
            partial.unlink(missing_ok=True)
        yield done, total, path
    log.info("printed %d plan(s)", total)


# What the app, the command line and the tests take from here; the documents themselves live in
# plan_staff (the staff plan), plan_easy (the person's copy) and plan_common (what both share).
__all__ = [
    "DRAFT_MARK",
    "INTERVENTION_COLUMNS",
    "LEGAL_HEADINGS",
    "NOT_APPROVED",
    "PARTICIPANT_COLUMNS",
    "file_name",
    "render_many",
    "render_plan",
]
