"""`LabelledEnum`: a `StrEnum` whose members carry the Swedish word the screens and the paper show.

    class PlanKind(LabelledEnum):
        ESTABLISH = "establish"
        FOLLOW_UP = "follow_up"
        __labels__: ClassVar[Labels] = {"establish": "Upprättande", "follow_up": "Uppföljning"}

    PlanKind.ESTABLISH.label == "Upprättande"

The stored value stays the English code; `__labels__` (a dunder, so not a member) maps each
value to its label, and a test checks that every member of every such enum has one.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar, TypeAlias

Labels: TypeAlias = Mapping[str, str]


class LabelledEnum(StrEnum):
    __labels__: ClassVar[Labels] = {}

    @property
    def label(self) -> str:
        return type(self).__labels__[str(self)]
