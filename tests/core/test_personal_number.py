"""Personal numbers: both written forms, one stored form, the Luhn check, samordningsnummer."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sipdesk.errors import ValidationError
from sipdesk.rules import personal_number as pnr

TODAY = dt.date(2026, 11, 22)


def build(born: dt.date, serial: int, *, coordination: bool = False) -> str:
    """A valid 12-digit number `YYYYMMDD-NNNN` for `born` and a three-digit serial."""
    day = born.day + (60 if coordination else 0)
    nine = f"{born:%y%m}{day:02d}{serial:03d}"
    return f"{born:%Y}{nine[2:6]}-{nine[6:]}{pnr.check_digit(nine)}"


def test_long_and_short_forms_are_stored_the_same() -> None:
    # Skatteverket test number
    long_form = pnr.parse("20190815-2398", today=TODAY)
    assert long_form.canonical == "20190815-2398"
    assert pnr.parse("190815-2398", today=TODAY).canonical == long_form.canonical
    assert pnr.parse("201908152398", today=TODAY).canonical == long_form.canonical
    assert pnr.parse("1908152398", today=TODAY).canonical == long_form.canonical
    assert long_form.birth_date == dt.date(2019, 8, 15)


def test_plus_sign_means_a_hundred_years_or_more() -> None:
    assert pnr.parse("900101+9802", today=TODAY).canonical == "18900101-9802"
    assert pnr.parse("900101-9802", today=TODAY).canonical == "19900101-9802"
    # Born in December 1926: 99 years old on TODAY, written with "-".
    december = build(dt.date(1926, 12, 1), 123)
    assert pnr.parse(december[2:], today=TODAY).canonical == december


def test_samordningsnummer_has_sixty_added_to_the_day() -> None:
    number = build(dt.date(1985, 3, 7), 123, coordination=True)
    parsed = pnr.parse(number, today=TODAY)
    assert parsed.is_coordination_number
    assert parsed.birth_date == dt.date(1985, 3, 7)
    assert parsed.canonical == number


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Ange personnummer"),
        ("abc", "ÅÅÅÅMMDD-NNNN"),
        ("20190815-2399", "Kontrollsiffran stämmer inte"),
        ("20191315-2398", "Födelsedatumet i numret finns inte"),
        ("20300101-0008", "framtiden"),
        ("19900101+9802", "Plustecken"),
    ],
)
def test_bad_numbers_get_a_swedish_message(text: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        pnr.parse(text, today=TODAY)
    assert message in info.value.message
    assert info.value.field == "personal_number"


def test_age_on_a_date() -> None:
    number = pnr.parse(build(dt.date(1951, 11, 22), 456), today=TODAY)
    assert number.age_on(dt.date(2026, 11, 21)) == 74
    assert number.age_on(dt.date(2026, 11, 22)) == 75


dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY)
serials = st.integers(min_value=1, max_value=999)


@given(born=dates, serial=serials, coordination=st.booleans())
def test_every_valid_number_round_trips_through_both_forms(
    born: dt.date, serial: int, coordination: bool
) -> None:
    canonical = build(born, serial, coordination=coordination)
    parsed = pnr.parse(canonical, today=TODAY)
    assert parsed.canonical == canonical
    assert parsed.birth_date == born
    separator = "+" if born.year <= TODAY.year - 100 else "-"
    short = canonical[2:8] + separator + canonical[9:]
    assert pnr.parse(short, today=TODAY).canonical == canonical


@given(born=dates, serial=serials, position=st.integers(min_value=3, max_value=12),
       delta=st.integers(min_value=1, max_value=9))
def test_any_single_wrong_digit_is_refused(
    born: dt.date, serial: int, position: int, delta: int
) -> None:
    """Luhn covers the ten digits after the century, so any one changed digit is caught."""
    digits = build(born, serial).replace("-", "")
    wrong = str((int(digits[position - 1]) + delta) % 10)
    changed = digits[: position - 1] + wrong + digits[position:]
    assume(changed != digits)
    with pytest.raises(ValidationError):
        pnr.parse(changed, today=TODAY)
