"""A child's guardians and who decides (seed 002, issue 14) — the rules in one place.

- **Custody.** A child has one or two guardians (vårdnadshavare), each registered on the person
  with their own contact details, language and interpreter need: two with joint custody, one
  with sole custody, or one or two särskilt förordnade vårdnadshavare appointed by a court
  (`guardian_problems`, `custody_gap`). Every registered guardian holds custody, so every one of
  them consents for the child (sipdesk.casework.consent); a parent without custody is a
  relative (närstående).
- **Turning 18.** The guardians decide until the child's 18th birthday (`adult_on`; one born on
  29 February comes of age on 1 March in a year without one, as `PersonalNumber.age_on` counts).
  Their consent carries the case until the day before (`guardians_consent_until`); from the
  birthday on the young person must consent themselves (`came_of_age_on`), which the case
  overview, the next step and Att göra say.
- **Who may not be told.** A guardian who may not receive information about the child — the
  child's protected address, a restraining order, another decision — gets no letter and no
  copy, and the screens say why (`withheld_reason`, `paper_for`).
- **Paper for a child.** Letters and the easy-read plan go to each informed guardian at their own
  address and, from the age in the setting `child_letter_age` (default 12), to the child in
  child-friendly words (`paper_for`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from sipdesk import settings
from sipdesk.accounts import audit
from sipdesk.accounts.access import (
    NOT_YOURS,
    changeable_cases,
    require_can_change,
    visible_cases,
)
from sipdesk.accounts.audit import AuditAction
from sipdesk.errors import NotFoundError, PermissionDenied, ValidationError
from sipdesk.rules.personal_number import parse as parse_personal_number
from sipdesk.storage.db import database
from sipdesk.storage.limits import text_problems
from sipdesk.storage.models import (
    Case,
    ConsentBasis,
    ContactKind,
    Custody,
    InformationBlock,
    Person,
    PersonContact,
    User,
)

ADULT_AGE = 18
MAX_GUARDIANS = 2
CHILD_LETTER_AGE_SETTING = "child_letter_age"
_POSTAL_CODE = re.compile(r"\b\d{3} ?\d{2}\b")

NEEDS_OWN_CONSENT = ("Vårdnadshavarnas samtycke gäller inte längre — den unga behöver själv "
                     "samtycka till SIP (eller en menprövning göras om hen inte kan).")


# ---- age ----------------------------------------------------------------------------------------

def birth_date(person: Person) -> dt.date:
    return parse_personal_number(person.personal_number).birth_date


def adult_on(person: Person) -> dt.date:
    """The 18th birthday: from this day on the young person decides for themselves."""
    return adult_on_number(person.personal_number)


def adult_on_number(personal_number: str) -> dt.date:
    """`adult_on` for a personal number."""
    born = parse_personal_number(personal_number).birth_date
    try:
        return born.replace(year=born.year + ADULT_AGE)
    except ValueError:  # born on 29 February, and the year has none
        return dt.date(born.year + ADULT_AGE, 3, 1)


def age_on(person: Person, day: dt.date) -> int:
    return parse_personal_number(person.personal_number).age_on(day)


def is_child(person: Person, on: dt.date) -> bool:
    return on < adult_on(person)


def guardians_consent_until(person: Person, given_on: dt.date) -> dt.date | None:
    """The last day a consent given by the guardians on `given_on` can carry the case: the day
    before the 18th birthday. None when the person was no child that day."""
    if not is_child(person, given_on):
        return None
    return adult_on(person) - dt.timedelta(days=1)


def came_of_age_on(case: Case, person: Person, today: dt.date) -> dt.date | None:
    """The 18th birthday, when the person has reached it and the consent in force is the one
    their guardians gave (it ends before the birthday; one the person gave as an adult ends
    after it): from that day they must consent themselves. Otherwise None."""
    if case.consent_basis != ConsentBasis.CONSENT or case.consent_valid_until is None:
        return None
    birthday = adult_on(person)
    if case.consent_valid_until < birthday <= today:
        return birthday
    return None


def turns_adult_soon(case: Case, person: Person, today: dt.date) -> dt.date | None:
    """The 18th birthday still ahead, when the guardians' consent in force ends the day before
    it (the case list's "lapsing" warning then means: soon they must consent themselves)."""
    if case.consent_basis != ConsentBasis.CONSENT or case.consent_valid_until is None:
        return None
    birthday = adult_on(person)
    if today < birthday and case.consent_valid_until == birthday - dt.timedelta(days=1):
        return birthday
    return None


def came_of_age_text(birthday: dt.date) -> str:
    return f"Har fyllt 18 år ({birthday:%Y-%m-%d}). {NEEDS_OWN_CONSENT}"


def newcomers_text(names: Sequence[str]) -> str:
    """Guardians registered after the consent (`lifecycle.guardians_not_in_consent`): every
    guardian with custody consents, so the consent no longer carries the case."""
    who = " och ".join(names)
    them = "deras svar" if len(names) > 1 else "hens svar"
    return (f"{who} har blivit vårdnadshavare efter att samtycket registrerades och har inte "
            f"samtyckt än. Alla vårdnadshavare behöver samtycka — registrera {them} med "
            "Förnya samtycke.")


# ---- the guardians --------------------------------------------------------------------------

def guardians_of(person: Person | int) -> list[PersonContact]:
    """The child's guardians, in the order they were registered."""
    person_id = person if isinstance(person, int) else person.id
    return list(PersonContact.select()
                .where((PersonContact.person == person_id)
                       & (PersonContact.kind == ContactKind.GUARDIAN.value))
                .order_by(PersonContact.id))


def custody_of(contact: PersonContact) -> Custody | None:
    """The custody of a guardian; None when not stated (registered without it)."""
    return Custody(contact.custody) if contact.custody else None


def custody_text(contact: PersonContact) -> str:
    custody = custody_of(contact)
    return custody.label if custody is not None else "Vårdnadshavare"


def informed(contact: PersonContact) -> bool:
    """May this guardian receive information about the child (letters, copies)?"""
    return InformationBlock(contact.information_block) is InformationBlock.NONE


def withheld_reason(contact: PersonContact) -> str:
    """Why a guardian gets no letter or copy, in words for the screens and the log."""
    block = InformationBlock(contact.information_block)
    text = f"får inte få information om barnet ({block.label.lower()}"
    note = contact.information_block_note.strip()
    return text + (f": {note})" if note else ")")


def custody_gap(guardians: Sequence[PersonContact]) -> str | None:
    """What is missing before the guardians can decide for the child, or None."""
    if not guardians:
        return ("Barnet är under 18 år: registrera vårdnadshavare på personen först — "
                "det är vårdnadshavarna som samtycker.")
    if len(guardians) == 1 and custody_of(guardians[0]) is Custody.JOINT:
        return (f"{guardians[0].name} har gemensam vårdnad med någon mer: registrera den andra "
                "vårdnadshavaren också — båda behöver samtycka.")
    return None


@dataclass
class GuardianInput:
    """One guardian as typed in "Lägg till vårdnadshavare" / "Ändra vårdnadshavare"."""

    name: str
    custody: Custody = Custody.JOINT
    relation: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    language: str = "svenska"
    needs_interpreter: bool = False
    information_block: InformationBlock = InformationBlock.NONE
    information_block_note: str = ""


def _custody_clash(custody: Custody, others: Sequence[PersonContact]) -> str | None:
    """Whether `custody` fits the other guardians' (seed 002: one or two guardians)."""
    if len(others) >= MAX_GUARDIANS:
        names = " och ".join(o.name for o in others)
        return (f"Ett barn har högst två vårdnadshavare, och {names} är redan registrerade. "
                "Ändra någon av dem i stället.")
    for other in others:
        theirs = custody_of(other)
        if theirs is None:
            continue
        if custody is Custody.SOLE:
            return (f"{other.name} är redan vårdnadshavare. Ensam vårdnad betyder att bara en "
                    "person har vårdnaden — välj gemensam vårdnad, eller ändra den andra först.")
        if theirs is Custody.SOLE:
            return (f"{other.name} har ensam vårdnad. Ändra det först om vårdnaden är "
                    "gemensam.")
        if (custody is Custody.APPOINTED) != (theirs is Custody.APPOINTED):
            return (f"{other.name} är registrerad med {theirs.label.lower()}. En särskilt "
                    "förordnad vårdnadshavare har vårdnaden i föräldrarnas ställe, så de kan "
                    "inte vara vårdnadshavare samtidigt. Ändra den andra först.")
    return None


def guardian_problems(data: GuardianInput, *,
                      others: Sequence[PersonContact]) -> dict[str, str]:
    """Every field's problem at once, by field name (empty: all fine). `others`: the child's
    other registered guardians (not the one being changed)."""
    problems: dict[str, str] = {}
    if not data.name.strip():
        problems["contact_name"] = "Ange vårdnadshavarens namn."
    clash = _custody_clash(data.custody, others)
    if clash:
        problems["custody"] = clash
    address = data.address.strip()
    if address and not _POSTAL_CODE.search(address):
        problems["address"] = ("Skriv adressen med postnummer och ort, t.ex. Storgatan 1, "
                               "123 45 Exempelby — varje vårdnadshavare får brev till sin "
                               "egen adress.")
    if not data.language.strip():
        problems["language"] = "Ange språk (t.ex. svenska)."
    if (data.information_block is InformationBlock.OTHER
            and not data.information_block_note.strip()):
        problems["information_block_note"] = (
            "Skriv kort vilket beslut det gäller, t.ex. tingsrättens dom 2026-03-01.")
    for name, message in text_problems(PersonContact, {
            "contact_name": data.name, "relation": data.relation, "phone": data.phone,
            "email": data.email, "address": data.address, "language": data.language,
            "information_block_note": data.information_block_note},
            columns={"contact_name": "name"}).items():
        problems.setdefault(name, message)
    return problems


def _values(data: GuardianInput) -> dict[str, object]:
    return {
        "name": data.name.strip(), "custody": data.custody.value,
        "relation": data.relation.strip(), "phone": data.phone.strip(),
        "email": data.email.strip(), "address": data.address.strip(),
        "language": data.language.strip(), "needs_interpreter": data.needs_interpreter,
        "information_block": data.information_block.value,
        "information_block_note": (data.information_block_note.strip()
                                   if data.information_block is not InformationBlock.NONE
                                   else ""),
    }


def _summary(data: GuardianInput, what: str) -> str:
    text = f"{what} ({data.custody.label.lower()})"
    if data.information_block is not InformationBlock.NONE:
        text += f", får inte information: {data.information_block.label.lower()}"
    return text


def require_may_change_guardians(actor: User, person: Person | int) -> Case | None:
    """The change rule (`access.require_can_change`) for a child's guardians: only one who may
    change a case of the child adds or changes a guardian — a reader of the case (another unit
    of the principal) may not (issue 14; migration 25 holds PostgreSQL to the same rule). A
    person of no case yet (registered just before the case) is anyone's to complete, as the
    person record itself (migration 16). Returns the case the change is made in (the newest the
    actor may change), None for a person of no case."""
    person_id = person if isinstance(person, int) else person.id
    of_person = Case.select(Case.id).where(Case.person == person_id).order_by(Case.id.desc())
    mine = of_person.where(changeable_cases(actor) & visible_cases(actor)).first()
    if mine is not None:
        return Case.get_by_id(mine.id)
    seen = of_person.where(visible_cases(actor)).first() or of_person.first()
    if seen is None:
        if not actor.active:
            raise PermissionDenied(NOT_YOURS)
        return None
    # Refused here, with the words of every use case: not yours, or only yours to read.
    require_can_change(actor, seen.id)
    return Case.get_by_id(seen.id)


def add_guardian(actor: User, person: Person, data: GuardianInput) -> PersonContact:
    """Register one of the child's guardians (logged, without their details). Only one who may
    change a case of the child (`require_may_change_guardians`)."""
    case = require_may_change_guardians(actor, person)
    with database.atomic():
        others = guardians_of(person)
        for name, message in guardian_problems(data, others=others).items():
            raise ValidationError(message, field=name)
        contact = PersonContact.create(person=person, kind=ContactKind.GUARDIAN.value,
                                       **_values(data))
        audit.record(actor, action=AuditAction.CREATE, entity="person_contact",
                     entity_id=contact.id, case=case,
                     summary=_summary(data, "Vårdnadshavare tillagd"))
    return contact


def update_guardian(actor: User, contact: PersonContact, data: GuardianInput) -> PersonContact:
    """Change a guardian's details. `contact` is the copy the user started from: only the fields
    changed are saved, each on condition it still holds the value read — someone else's change
    of another field merges, the same field changed by both is a ConflictError. Only one who may
    change a case of the child (`require_may_change_guardians`)."""
    case = require_may_change_guardians(actor, contact.person_id)
    with database.atomic():
        if contact.kind != ContactKind.GUARDIAN.value:
            raise NotFoundError("Vårdnadshavaren finns inte längre.")
        others = [g for g in guardians_of(contact.person_id) if g.id != contact.id]
        for name, message in guardian_problems(data, others=others).items():
            raise ValidationError(message, field=name)
        for name, value in _values(data).items():
            if getattr(contact, name) != value:
                setattr(contact, name, value)
        contact.save_versioned()
        audit.record(actor, action=AuditAction.UPDATE, entity="person_contact",
                     entity_id=contact.id, case=case,
                     summary=_summary(data, "Vårdnadshavare ändrad"))
    return contact


# ---- paper ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Withheld:
    name: str
    why: str  # "får inte få information om barnet (kontaktförbud)"


@dataclass(frozen=True)
class ChildPaper:
    """Who gets paper about a child: each informed guardian their own, the child from an age."""

    child: bool
    age: int
    first_name: str
    guardians: list[PersonContact]  # each gets their own letter and copy
    withheld: list[Withheld]
    to_child: bool
    child_from_age: int

    def notes(self) -> list[str]:
        """What the screens say about the paper, one sentence each."""
        if not self.child:
            return []
        lines = []
        if self.guardians:
            names = " och ".join(g.name for g in self.guardians)
            lines.append(f"Vårdnadshavarna får var sina brev och var sitt exemplar av planen, "
                         f"till sin egen adress: {names}." if len(self.guardians) > 1 else
                         f"Vårdnadshavaren får brev och exemplar av planen till sin adress: "
                         f"{names}.")
        for item in self.withheld:
            lines.append(f"Inget brev och inget exemplar till {item.name}: {item.why}.")
        if self.to_child:
            lines.append(f"{self.first_name} ({self.age} år) får egna brev och en egen plan, "
                         "med text för barn.")
        else:
            lines.append(f"{self.first_name} är {self.age} år och får inga egna brev — barn "
                         f"får egna från {self.child_from_age} år (Inställningar).")
        return lines


def child_letter_age() -> int:
    """From this age a child gets letters and the plan of their own (a setting, default 12)."""
    return int(settings.get(CHILD_LETTER_AGE_SETTING))


def gets_own_letters(person: Person, *, on: dt.date, child_from_age: int | None = None) -> bool:
    """Whether `person` gets letters and the plan of their own on `on`: an adult always, a child
    from the age in the setting `child_letter_age` — a younger child is reached through the
    guardians' letters (seed 002)."""
    if not is_child(person, on):
        return True
    return age_on(person, on) >= (child_letter_age() if child_from_age is None
                                  else child_from_age)


def paper_for(person: Person, *, on: dt.date, guardians: Sequence[PersonContact] | None = None,
              child_from_age: int | None = None) -> ChildPaper:
    """Who gets a letter or a copy about `person` on `on`."""
    age = age_on(person, on)
    from_age = child_letter_age() if child_from_age is None else child_from_age
    if not is_child(person, on):
        return ChildPaper(False, age, person.first_name, [], [], True, from_age)
    every = list(guardians) if guardians is not None else guardians_of(person)
    return ChildPaper(
        child=True, age=age, first_name=person.first_name,
        guardians=[g for g in every if informed(g)],
        withheld=[Withheld(g.name, withheld_reason(g)) for g in every if not informed(g)],
        to_child=gets_own_letters(person, on=on, child_from_age=from_age),
        child_from_age=from_age)
