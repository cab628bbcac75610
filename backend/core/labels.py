"""Enums whose members carry their Chinese label, so each label is written once, beside its value.

    class ClassStatus(LabelledEnum):
        DRAFT = "draft", "草稿"

    ClassStatus.DRAFT == "draft"; ClassStatus.DRAFT.label == "草稿"

Pages, exports, dashboards and the mini-program (through `GET /api/v1/labels`) all read
`.label` or `labels_of(...)`; nothing else spells a label out.
"""

import enum
from typing import Self


class LabelledEnum(enum.StrEnum):
    """A StrEnum (stored and sent as its value) with a Chinese `label` per member."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member


def labels_of(enum_class: type[LabelledEnum]) -> dict[str, str]:
    """{value: label} in the enum's order, e.g. {"draft": "草稿", ...}."""
    return {member.value: member.label for member in enum_class}
