"""Ids in URLs beyond any database integer name nothing, like any unknown id.

`<int:...>` reads such a number as 0, which no row has (ids start at 1), so the view
answers its usual 404 and no driver is handed a number it cannot bind (SQLite overflows
past 2**63). A converter bound (`max=`) would not do: werkzeug then answers 405 for the
path's other methods instead of 404. Numbers that fit a `bigint` but not an `integer`
column reach PostgreSQL, whose "out of range" error is answered 404 (core/errors.py).
"""

from flask import Flask
from werkzeug.routing import IntegerConverter

from backend.core.schemas import BIGINT_MAX

#: What a number beyond the range becomes: an id no row has.
NO_ROW = 0


class DatabaseIntConverter(IntegerConverter):
    """werkzeug's int converter; numbers the database cannot hold become NO_ROW."""

    def to_python(self, value: str) -> int:
        number = super().to_python(value)
        return number if number <= BIGINT_MAX else NO_ROW


def init_ids(app: Flask) -> None:
    """Before any route is added: every `<int:...>` of the app reads this way."""
    app.url_map.converters["int"] = DatabaseIntConverter
