"""Forms of the staff pages: the posted fields go through the API's own marshmallow schema
and the API's own logic; what fails comes back as {field: [Chinese messages]} to show
beside the fields. No rule lives here."""

from collections.abc import Callable
from typing import Any, TypeVar

from flask import request
from marshmallow import Schema, ValidationError

from backend.core.errors import ApiError, flatten_messages

T = TypeVar("T")
Errors = dict[str, list[str]]


def posted(schema: Schema) -> dict[str, Any]:
    """The posted fields the schema knows, without the empty ones (so defaults apply).

    A dotted name ("items.lodging.amount") fills a nested object, as the API's JSON would.
    """
    names = {f.data_key or name for name, f in schema.load_fields.items()}
    data: dict[str, Any] = {}
    for key, value in request.form.items():
        head, *rest = key.split(".")
        if head not in names or value.strip() == "":
            continue
        target = data
        for part in [head, *rest][:-1]:
            target = target.setdefault(part, {})
        target[key.split(".")[-1]] = value
    return data


def run_form(
    schema: Schema,
    action: Callable[[dict[str, Any]], T],
    values: dict[str, Any] | None = None,
) -> tuple[T | None, Errors]:
    """Validate the posted form (or `values`) with `schema`, then `action(data)`; errors
    instead of raising.

    A 409 or 422 from the logic (a rule, a transition) becomes an error shown on the form;
    the page answers 422 so the request's transaction is rolled back.
    """
    try:
        data = schema.load(posted(schema) if values is None else values)
    except ValidationError as error:
        return None, flatten_messages(error.messages)
    return run_action(lambda: action(data))


def run_action(action: Callable[[], T]) -> tuple[T | None, Errors]:
    """Call the logic; a refusal (409, 422) comes back as form errors."""
    try:
        return action(), {}
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        return None, error.fields or {"_form": [error.message]}
