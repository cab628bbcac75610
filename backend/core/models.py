"""Helpers for model definitions."""

import enum

from sqlalchemy import Enum


def str_enum(enum_class: type[enum.StrEnum], name: str) -> Enum:
    """A portable enum column: stored as its value, checked by a constraint."""
    return Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=16,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )
