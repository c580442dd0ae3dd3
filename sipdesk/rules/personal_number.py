"""Swedish personal identity numbers (personnummer) and coordination numbers (samordningsnummer).

Accepts `YYYYMMDD-NNNN`, `YYMMDD-NNNN`, `YYMMDD+NNNN` (100 years or older) and the same without
separator; stores one canonical form, `YYYYMMDD-NNNN`. The check digit is Luhn (python-stdnum);
a samordningsnummer has 60 added to the day of birth.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sipdesk import clock
from sipdesk.errors import ValidationError

_PATTERN = re.compile(r"^(\d{2})?(\d{6})([-+]?)(\d{4})$")
COORDINATION_OFFSET = 60


@dataclass(frozen=True, slots=True)
class PersonalNumber:
    """A validated number: `canonical` is `YYYYMMDD-NNNN`."""

    canonical: str
    birth_date: dt.date
    is_coordination_number: bool

    @property
    def digits(self) -> str:
        """The twelve digits without separator."""
        return self.canonical.replace("-", "")

    @property
    def short(self) -> str:
        """The ten-digit form `YYMMDDNNNN` used for searching."""
        return self.digits[2:]

    def age_on(self, day: dt.date) -> int:
        """Age in whole years on `day`."""
        born = self.birth_date
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))

    def __str__(self) -> str:
        return self.canonical


def _birth_date(year: int, month: int, day: int) -> tuple[dt.date, bool]:
    coordination = day > COORDINATION_OFFSET
    if coordination:
        day -= COORDINATION_OFFSET
    return dt.date(year, month, day), coordination


def parse(text: str, *, today: dt.date | None = None) -> PersonalNumber:
    """Validate `text` and return the number; raise ValidationError with a Swedish message.

    For the ten-digit forms with `-` the century is the latest that does not put the birth in
    the future; `+` means the person turns 100 this year or is older (Folkbokföringslagen 18 §).
    """
    today = today or clock.today()
    cleaned = re.sub(r"\s", "", text or "")
    if not cleaned:
        raise ValidationError("Ange personnummer eller samordningsnummer.", field="personal_number")
    match = _PATTERN.match(cleaned)
    if not match:
        raise ValidationError(
            "Skriv personnumret som ÅÅÅÅMMDD-NNNN eller ÅÅMMDD-NNNN.", field="personal_number"
        )
    century, yymmdd, sep, last4 = match.groups()
    month, day = int(yymmdd[2:4]), int(yymmdd[4:6])
    if century is not None:
        if sep == "+":
            raise ValidationError(
                "Plustecken används bara i den korta formen ÅÅMMDD+NNNN.", field="personal_number"
            )
        year = int(century + yymmdd[:2])
    else:
        year = (today.year // 100) * 100 + int(yymmdd[:2])
        real_day = day - COORDINATION_OFFSET if day > COORDINATION_OFFSET else day
        if sep == "+":
            # "+": the person turns 100 this year or has already.
            while year > today.year - 100:
                year -= 100
        elif (year, month, real_day) > (today.year, today.month, today.day):
            year -= 100  # "-": the latest birth date that is not in the future
    try:
        born, coordination = _birth_date(year, month, day)
    except ValueError:
        raise ValidationError(
            "Födelsedatumet i numret finns inte — kontrollera månad och dag.",
            field="personal_number",
        ) from None
    if born > today:
        raise ValidationError("Födelsedatumet ligger i framtiden.", field="personal_number")
    # python-stdnum is imported at the first check, not at start-up (its util module pulls in
    # pydoc and ssl, ~11 ms): the first screen shows numbers, it checks none.
    from stdnum import luhn
    from stdnum.exceptions import ValidationError as StdnumError

    try:
        luhn.validate(yymmdd + last4)
    except StdnumError:
        raise ValidationError(
            "Kontrollsiffran stämmer inte — kontrollera att numret är rätt skrivet.",
            field="personal_number",
        ) from None
    canonical = f"{year:04d}{yymmdd[2:]}-{last4}"
    return PersonalNumber(canonical, born, coordination)


def is_valid(text: str, *, today: dt.date | None = None) -> bool:
    """True when `text` parses."""
    try:
        parse(text, today=today)
    except ValidationError:
        return False
    return True


def check_digit(nine_digits: str) -> str:
    """The Luhn check digit for `YYMMDDNNN` (used by the demo data and tests)."""
    from stdnum import luhn

    return luhn.calc_check_digit(nine_digits)


def search_digits(text: str) -> str | None:
    """Digits of a search text that looks like (the start of) a personal number, else None."""
    stripped = text.replace("-", "").replace("+", "").replace(" ", "")
    return stripped if len(stripped) >= 2 and stripped.isdigit() else None
