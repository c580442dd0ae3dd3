"""Every coded value the screens and the paper show has its Swedish word
(sipdesk.rules.labelled)."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator

import pytest

import sipdesk
from sipdesk.rules.labelled import LabelledEnum


def labelled_enums() -> Iterator[type[LabelledEnum]]:
    for module in pkgutil.iter_modules(sipdesk.__path__):
        importlib.import_module(f"sipdesk.{module.name}")

    def below(cls: type[LabelledEnum]) -> Iterator[type[LabelledEnum]]:
        for sub in cls.__subclasses__():
            yield sub
            yield from below(sub)

    yield from below(LabelledEnum)


ENUMS = sorted(labelled_enums(), key=lambda e: e.__name__)


def test_the_core_labels_its_coded_values() -> None:
    assert len(ENUMS) >= 19  # every enum that had a label dict of its own


@pytest.mark.parametrize("enum", ENUMS, ids=lambda e: e.__name__)
def test_every_member_has_a_swedish_label_and_no_label_is_left_over(
        enum: type[LabelledEnum]) -> None:
    assert set(enum.__labels__) == {member.value for member in enum}
    assert all(member.label.strip() for member in enum)
    assert "__labels__" not in enum.__members__  # a dunder: never a stored value
