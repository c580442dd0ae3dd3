"""Evaluating the meeting (seed 002 §4 "Utvärdera mötet", issue 14): after a SIP meeting is held,
the person — a child or an adult — may say how it was for them: did it feel all right before the
meeting, did they feel listened to, did they understand, were their views part of what was
decided. Each question is answered on a scale of 1–5 (faces on paper and on screen) or left
unanswered (no one has to answer — a child least of all), and there is room for a free text.

"Eftersträva att det är den enskilde som lämnar sin utvärdering. Vårdnadshavare och ombud får
lämna sina egna utvärderingar" (002): every evaluation names its respondent — the person, a
guardian, a representative (god man, förvaltare) or someone else — and evaluations are **kept
apart per respondent**: one per respondent and meeting, never merged or averaged into one
another. The person has one; a guardian, a representative or another respondent is told apart
from others of the same kind by their name (optional — two guardians without names are the same
respondent).

A second evaluation by the same respondent is refused unless the caller says it replaces the
first (`replace=True`): the screen warns that it will, and the Händelselogg keeps the old answers
(the entry's changes). Nothing is replaced by accident, and a wrongly typed form can be put
right by registering it again.

The answers usually come back on the easy-read form (`reports.evaluation_form`), filled in at
home, and are registered afterwards by whoever receives them; the statistics read them through
`evaluation_summary` (share of held meetings evaluated, mean score per question) in SQL.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import peewee as pw

from sipdesk.accounts import audit
from sipdesk.accounts.access import meeting_case, visible_cases
from sipdesk.accounts.audit import AuditAction
from sipdesk.casework import lifecycle
from sipdesk.casework.consent import is_child
from sipdesk.errors import ValidationError
from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel, database
from sipdesk.storage.limits import text_problems
from sipdesk.storage.meeting_records import Meeting, MeetingStatus
from sipdesk.storage.models import Case, Person, Unit, User, now

LOWEST, HIGHEST = 1, 5


class RespondentKind(LabelledEnum):
    """Who gave the evaluation (002: the person; guardians and representatives their own)."""

    PERSON = "person"
    GUARDIAN = "guardian"
    REPRESENTATIVE = "representative"
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "person": "Den enskilde",
        "guardian": "Vårdnadshavare",
        "representative": "God man eller förvaltare",
        "other": "Någon annan",
    }


# The order evaluations are shown in: the person's own first (002: "eftersträva att det är den
# enskilde som lämnar sin utvärdering").
KIND_ORDER = tuple(RespondentKind)


class GivenAs(LabelledEnum):
    """How the answers reached the office."""

    FORM = "form"
    TALK = "talk"
    OTHER = "other"

    __labels__: ClassVar[Labels] = {
        "form": "På blanketten",
        "talk": "I ett samtal",
        "other": "På annat sätt",
    }


@dataclass(frozen=True)
class Question:
    """One question of the evaluation: the column its answer is stored in, its words for an
    adult and for a child (the form and the dialog), and a short name for lists."""

    key: str
    adult: str
    child: str
    short: str

    def text(self, *, child: bool) -> str:
        return self.child if child else self.adult


QUESTIONS: tuple[Question, ...] = (
    Question("felt_before", "Kändes det bra inför mötet?",
             "Kändes det okej att gå till mötet?", "Kändes bra inför mötet"),
    Question("listened", "Kände du att de andra lyssnade på dig?",
             "Lyssnade de vuxna på dig?", "Blev lyssnad på"),
    Question("understood", "Förstod du det som sades på mötet?",
             "Förstod du vad vi pratade om?", "Förstod det som sades"),
    Question("views_counted", "Fick det du tycker vara med när ni bestämde vad som ska hända?",
             "Fick det du tycker vara med när vi bestämde saker?", "Egna åsikter med i besluten"),
)
QUESTION_KEYS = tuple(q.key for q in QUESTIONS)


def comment_question(*, child: bool) -> str:
    """The free-text box's heading on the printed form (a child's words for a child); the
    dialog that registers the answers names the box by the same words."""
    return "Vill du berätta något mer?" if child else "Vill du säga något mer om mötet?"

# The words under the faces, from the saddest (1) to the happiest (5).
SCALE: Mapping[int, str] = {
    1: "Nej, inte alls",
    2: "Inte så mycket",
    3: "Mittemellan",
    4: "Ja, ganska",
    5: "Ja, helt",
}


@dataclass(frozen=True)
class Face:
    """How a point of the scale is drawn, on paper and on screen alike: a circle of a soft
    colour (the five still told apart in grey), two eyes, and a mouth whose ends bend up by
    `mouth` (-1: a deep frown … 1: a big smile)."""

    mouth: float
    fill: str


FACES: Mapping[int, Face] = {
    1: Face(-1.0, "#f6c9c3"), 2: Face(-0.5, "#fbdcb8"), 3: Face(0.0, "#fdf1b8"),
    4: Face(0.5, "#e0efbd"), 5: Face(1.0, "#c7e8c4"),
}


def _score(name: str) -> pw.IntegerField:
    return pw.IntegerField(null=True, constraints=[
        pw.Check(f"{name} IS NULL OR {name} BETWEEN {LOWEST} AND {HIGHEST}")])


class MeetingEvaluation(BaseModel):
    """One respondent's evaluation of one held meeting."""

    meeting = pw.ForeignKeyField(Meeting, backref="evaluations", on_delete="RESTRICT")
    meeting_id: int
    respondent_kind = pw.CharField(max_length=20)
    respondent_name = pw.CharField(max_length=200, default="")  # optional, for a person: ""
    # Who the respondent is, for "one per respondent and meeting": "" for the person, else the
    # name case-folded ("" when none was given).
    respondent_key = pw.CharField(max_length=200, default="")
    given_as = pw.CharField(max_length=20, default=GivenAs.FORM.value)
    felt_before = _score("felt_before")
    listened = _score("listened")
    understood = _score("understood")
    views_counted = _score("views_counted")
    comment = pw.TextField(default="")
    recorded_by = pw.ForeignKeyField(User, on_delete="RESTRICT")
    recorded_by_id: int
    recorded_at = pw.DateTimeField(default=now)

    class Meta:
        indexes = ((("meeting", "respondent_kind", "respondent_key"), True),)

    @property
    def kind(self) -> RespondentKind:
        return RespondentKind(self.respondent_kind)

    def answer(self, key: str) -> int | None:
        value = getattr(self, key)
        return int(value) if value is not None else None

    @property
    def respondent(self) -> str:
        return respondent_label(self.kind, self.respondent_name)

    def respondent_for(self, *, child: bool) -> str:
        """`respondent`, with "Barnet" for the person when they were a child that day."""
        return respondent_label(self.kind, self.respondent_name, child=child)


@dataclass(frozen=True)
class EvaluationInput:
    """What the form (or a talk) gave: an answer 1–5 or None per question key, a free text,
    who answered and how the answers came."""

    respondent_kind: RespondentKind
    answers: Mapping[str, int | None] = field(default_factory=dict)
    comment: str = ""
    respondent_name: str = ""
    given_as: GivenAs = GivenAs.FORM


def respondent_key(kind: RespondentKind, name: str) -> str:
    """What tells respondents apart: the person is one; others by their name, if given."""
    return "" if kind is RespondentKind.PERSON else " ".join(name.split()).casefold()


# The person, when the person was a child on the meeting's day (`person_was_child`): the same
# word on the Kallelse tab, in the dialog and in the print menu ("Till barnet").
CHILD_LABEL = "Barnet"


def kind_label(kind: RespondentKind, *, child: bool = False) -> str:
    """A respondent kind's words: "Den enskilde" — for a child "Barnet" — "Vårdnadshavare" …"""
    return CHILD_LABEL if child and kind is RespondentKind.PERSON else kind.label


def respondent_label(kind: RespondentKind, name: str = "", *, child: bool = False) -> str:
    """"Den enskilde" (for a child "Barnet"), "Vårdnadshavare (Karin Öberg)", "God man eller
    förvaltare"."""
    name = name.strip()
    if name and kind is not RespondentKind.PERSON:
        return f"{kind.label} ({name})"
    return kind_label(kind, child=child)


NOTHING_ANSWERED = "Fyll i minst en fråga eller skriv något i rutan."
OUT_OF_SCALE = f"Ett svar är ett av {LOWEST}–{HIGHEST}, eller inget svar."


def evaluation_problems(data: EvaluationInput) -> dict[str, str]:
    """What is wrong with `data`, by field ("answers", "comment", "respondent_name"); empty
    when it can be saved. Not answering a question is never wrong (002: no one has to)."""
    problems: dict[str, str] = {}
    unknown = set(data.answers) - set(QUESTION_KEYS)
    if unknown:
        raise ValueError(f"unknown questions: {sorted(unknown)}")
    if any(v is not None and not (LOWEST <= v <= HIGHEST) for v in data.answers.values()):
        problems["answers"] = OUT_OF_SCALE
    elif all(v is None for v in data.answers.values()) and not data.comment.strip():
        problems["answers"] = NOTHING_ANSWERED
    name = data.respondent_name if data.respondent_kind is not RespondentKind.PERSON else ""
    problems.update(text_problems(MeetingEvaluation, {
        "respondent_name": name, "comment": data.comment}))
    return problems


def _summary(meeting: Meeting, who: str, *, replaced: bool) -> str:
    what = "ersatt" if replaced else "registrerad"
    return f"Utvärdering av SIP-mötet {meeting.starts_at:%Y-%m-%d} {what}: {who.lower()}"


def register_evaluation(actor: User, meeting: Meeting, data: EvaluationInput, *,
                        replace: bool = False) -> MeetingEvaluation:
    """Register one respondent's evaluation of a held meeting (rule 002: evaluation kept apart
    per respondent). A respondent who already has one is refused unless `replace`, when their
    answers are replaced and the log keeps the old ones."""
    case = meeting_case(actor, meeting, change=True)
    lifecycle.ensure_open(case)
    if meeting.status != MeetingStatus.HELD.value:
        raise ValidationError("Mötet har inte hållits än. Det kan utvärderas när det är hållet.")
    for name, message in evaluation_problems(data).items():
        raise ValidationError(message, field=name)
    kind = data.respondent_kind
    name = "" if kind is RespondentKind.PERSON else " ".join(data.respondent_name.split())
    key = respondent_key(kind, name)
    who = respondent_label(kind, name, child=person_was_child(meeting))
    values = {
        "respondent_kind": kind.value, "respondent_name": name, "respondent_key": key,
        "given_as": data.given_as.value, "comment": data.comment.strip(),
        **{q: data.answers.get(q) for q in QUESTION_KEYS},
    }
    with database.atomic():
        existing = MeetingEvaluation.get_or_none(
            (MeetingEvaluation.meeting == meeting)
            & (MeetingEvaluation.respondent_kind == kind.value)
            & (MeetingEvaluation.respondent_key == key))
        if existing is not None and not replace:
            raise ValidationError(
                f"{who} har redan lämnat en utvärdering av det här mötet. Registrera den igen "
                "för att ersätta den, eller skriv ett namn om det är någon annan.",
                field="respondent_kind")
        if existing is None:
            row = MeetingEvaluation.create(meeting=meeting, recorded_by=actor, **values)
            audit.record(actor, action=AuditAction.CREATE, entity="meeting_evaluation",
                         entity_id=row.id, case=case, summary=_summary(meeting, who,
                                                                       replaced=False))
            return row
        shown = [k for k in values if k != "respondent_key"]  # the name says it already
        before = {k: getattr(existing, k) for k in shown}
        stamp = now()
        MeetingEvaluation.update(recorded_by=actor, recorded_at=stamp, **values).where(
            MeetingEvaluation.id == existing.id).execute()
        audit.record(actor, action=AuditAction.UPDATE, entity="meeting_evaluation",
                     entity_id=existing.id, case=case,
                     summary=_summary(meeting, who, replaced=True),
                     changes=audit.diff(before, {k: values[k] for k in shown}))
        return MeetingEvaluation.get_by_id(existing.id)


def evaluations_of(meeting: Meeting | int | list[int]) -> list[MeetingEvaluation]:
    """The meeting's evaluations, each respondent's on its own: the person's first, then
    guardians, representatives and others, by name. Who registered each is joined. Given a
    list of meeting ids: theirs, in one query (each meeting's in that order)."""
    where = (MeetingEvaluation.meeting.in_(meeting) if isinstance(meeting, list)
             else MeetingEvaluation.meeting == meeting)
    rows = list(MeetingEvaluation.select(MeetingEvaluation, User).join(User).where(where))
    return sorted(rows, key=lambda e: (KIND_ORDER.index(e.kind), e.respondent_key, e.id))


def list_evaluations(actor: User, meeting: Meeting) -> list[MeetingEvaluation]:
    """The evaluations of a meeting, for a user who may see its case."""
    meeting_case(actor, meeting)
    return evaluations_of(meeting)


def person_was_child(meeting: Meeting) -> bool:
    """Whether the person was under 18 on the meeting's day: the form and the dialog then use
    a child's words."""
    person = (Person.select(Person.personal_number).join(Case, on=(Case.person == Person.id))
              .where(Case.id == meeting.case_id).get())
    return is_child(person, meeting.starts_at.date())


@dataclass(frozen=True)
class EvaluationFormData:
    """What the printed form (`reports.evaluation_form`) says: the meeting's day, whether the
    person was a child, whom to give the paper to and, for the staff, the case number. Nothing
    more of the person: no name, no personal number."""

    meeting_day: dt.date
    child: bool  # the person was under 18 on the meeting's day: a child's words
    for_person: bool  # False: for a guardian, a god man or someone else (their own form)
    coordinator: str
    coordinator_phone: str
    unit: str
    case_number: str


def evaluation_form_data(meeting_id: int, *, for_person: bool = True) -> EvaluationFormData:
    meeting = Meeting.get_by_id(meeting_id)
    case = (Case.select(Case, User, Unit).join(User, on=(Case.coordinator == User.id))
            .switch(Case).join(Unit, on=(Case.unit == Unit.id))
            .where(Case.id == meeting.case_id).get())
    return EvaluationFormData(
        meeting_day=meeting.starts_at.date(), child=person_was_child(meeting),
        for_person=for_person, coordinator=case.coordinator.full_name,
        coordinator_phone=case.coordinator.phone, unit=case.unit.name, case_number=case.number)


# ---- for the statistics --------------------------------------------------------------------

@dataclass(frozen=True)
class ScoreMean:
    """The answers to one question: how many answered it, and their mean (None: no answer)."""

    answers: int
    mean: float | None


@dataclass(frozen=True)
class EvaluationSummary:
    held_meetings: int  # meetings held in the period (on the cases asked about)
    evaluated_meetings: int  # of them, those with at least one evaluation of the kinds asked
    evaluations: int  # evaluations of the kinds asked, on those meetings
    means: dict[str, ScoreMean]  # by question key, in the order of QUESTIONS

    @property
    def share_evaluated(self) -> float | None:
        """evaluated_meetings / held_meetings, or None when no meeting was held."""
        return self.evaluated_meetings / self.held_meetings if self.held_meetings else None


def evaluation_summary(actor: User, *, held_from: dt.date | None = None,
                       held_to: dt.date | None = None,
                       unit_ids: Collection[int] | None = None,
                       kinds: Collection[RespondentKind] | None = None) -> EvaluationSummary:
    """Share of held meetings evaluated, and the mean score per question — in SQL, three
    queries whatever the number of meetings.

    Counted: meetings with status held, starting on `held_from`…`held_to` (inclusive; None:
    open-ended), on cases `actor` may see (`access.visible_cases`; an administrator sees all),
    of the cases' units `unit_ids` (None: every unit). `kinds` chooses whose evaluations count
    (None: every respondent; `{RespondentKind.PERSON}`: the person's own, 002's first aim).
    An unanswered question is left out of its mean, not counted as a low score."""
    return _summaries(actor, held_from=held_from, held_to=held_to, unit_ids=unit_ids,
                      kinds=kinds, by_unit=False)[None]


def evaluation_summaries_by_unit(actor: User, *, held_from: dt.date | None = None,
                                 held_to: dt.date | None = None,
                                 unit_ids: Collection[int] | None = None,
                                 ) -> dict[int, EvaluationSummary]:
    """`evaluation_summary` (every respondent) for each unit of the cases at once — the same
    rule and the same queries, grouped by the case's unit; a unit without a held meeting is
    left out."""
    found = _summaries(actor, held_from=held_from, held_to=held_to, unit_ids=unit_ids,
                       kinds=None, by_unit=True)
    return {unit: summary for unit, summary in found.items() if unit is not None}


def _summaries(actor: User, *, held_from: dt.date | None, held_to: dt.date | None,
               unit_ids: Collection[int] | None, kinds: Collection[RespondentKind] | None,
               by_unit: bool) -> dict[int | None, EvaluationSummary]:
    held = (Meeting.select(Meeting.id).join(Case, on=(Meeting.case == Case.id))
            .where((Meeting.status == MeetingStatus.HELD.value) & visible_cases(actor)))
    if held_from is not None:
        held = held.where(Meeting.starts_at >= dt.datetime.combine(held_from, dt.time()))
    if held_to is not None:
        held = held.where(Meeting.starts_at < dt.datetime.combine(
            held_to + dt.timedelta(days=1), dt.time()))
    if unit_ids is not None:
        held = held.where(Case.unit.in_(sorted(unit_ids)))
    counts: dict[int | None, int]
    if by_unit:
        grouped: list[tuple[Any, ...]] = list(
            held.select(Case.unit, pw.fn.COUNT(Meeting.id)).group_by(Case.unit).tuples())  # type: ignore[arg-type]
        counts = {int(unit): int(n) for unit, n in grouped}
    else:
        counts = {None: held.count()}
    chosen = MeetingEvaluation.meeting.in_(held)
    if kinds is not None:
        chosen &= MeetingEvaluation.respondent_kind.in_(sorted(k.value for k in kinds))
    columns = [getattr(MeetingEvaluation, key) for key in QUESTION_KEYS]
    aggregates = [pw.fn.COUNT(pw.fn.DISTINCT(MeetingEvaluation.meeting)),
                  pw.fn.COUNT(MeetingEvaluation.id), *[pw.fn.COUNT(c) for c in columns],
                  *[pw.fn.AVG(c) for c in columns]]
    rows: dict[int | None, tuple[Any, ...]]
    if by_unit:
        query = (MeetingEvaluation.select(Case.unit, *aggregates)
                 .join(Meeting, on=(MeetingEvaluation.meeting == Meeting.id))
                 .join(Case, on=(Meeting.case == Case.id))
                 .where(chosen).group_by(Case.unit).tuples())
        rows = {int(row[0]): row[1:] for row in query}  # type: ignore[index]
    else:
        rows = {None: MeetingEvaluation.select(*aggregates).where(chosen).tuples().get()}  # type: ignore[dict-item]
    n = len(columns)
    found: dict[int | None, EvaluationSummary] = {}
    for key, held_count in counts.items():
        row = rows.get(key) or (0,) * (2 + 2 * n)
        means = {q: ScoreMean(int(row[2 + i] or 0),
                              float(row[2 + n + i]) if row[2 + n + i] is not None else None)
                 for i, q in enumerate(QUESTION_KEYS)}
        found[key] = EvaluationSummary(held_count, int(row[0] or 0), int(row[1] or 0), means)
    return found
