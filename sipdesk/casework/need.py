"""The need (DOMAIN.md step 1): who noticed it and when, the need in the person's own words and
the question the SIP should answer — its record, its input and its rules. Registering it is a
step of the case's life (`lifecycle.register_need`, which re-exports these names).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import ClassVar

import peewee as pw

from sipdesk.rules.labelled import LabelledEnum, Labels
from sipdesk.storage.db import BaseModel
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import Case, User


class NoticedBy(LabelledEnum):
    PERSON = "person"
    RELATIVE = "relative"
    STAFF = "staff"

    __labels__: ClassVar[Labels] = {
        "person": "Den enskilde", "relative": "Närstående", "staff": "Personal",
    }


class NeedRecord(BaseModel):
    case = pw.ForeignKeyField(Case, backref="needs", unique=True, on_delete="RESTRICT")
    noticed_by = pw.CharField(max_length=20)
    noticed_by_user = pw.ForeignKeyField(User, null=True, on_delete="RESTRICT")
    noticed_by_user_id: int | None
    noticed_by_name = pw.CharField(max_length=200, default="")  # a relative or outside contact
    noticed_on = pw.DateField()
    need = pw.TextField()  # in the person's own words
    question = pw.TextField()  # what the SIP should answer
    version = pw.IntegerField(default=1)


@dataclass
class NeedInput:
    noticed_by: NoticedBy
    noticed_on: dt.date
    need: str
    question: str
    noticed_by_user: User | None = None
    noticed_by_name: str = ""


def need_of(case: Case) -> NeedRecord | None:
    return NeedRecord.get_or_none(NeedRecord.case == case)


def need_problems(data: NeedInput, *, today: dt.date) -> dict[str, str]:
    """Every problem of the need's input at once, by field — for validation as you type."""
    problems: dict[str, str] = {}
    if data.noticed_on > today:
        problems["noticed_on"] = "Datumet kan inte ligga i framtiden."
    if not data.need.strip():
        problems["need"] = "Beskriv behovet, gärna med den enskildes egna ord."
    if not data.question.strip():
        problems["question"] = "Skriv vilken fråga SIP:en ska besvara."
    if data.noticed_by is NoticedBy.STAFF and data.noticed_by_user is None \
            and not data.noticed_by_name.strip():
        problems["noticed_by_name"] = "Ange vilken personal som uppmärksammade behovet."
    if data.noticed_by is NoticedBy.RELATIVE and not data.noticed_by_name.strip():
        problems["noticed_by_name"] = "Ange vilken närstående som uppmärksammade behovet."
    for name, message in text_problems(NeedRecord, {
            "need": data.need, "question": data.question,
            "noticed_by_name": data.noticed_by_name}).items():
        problems.setdefault(name, message)
    return problems
