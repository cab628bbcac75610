"""Reads asked twice in one read-only request are answered once.

A page such as the class page gathers its sections from each module's own functions, and
several of them need the same counts (the attendance of each session, the roster): rather than
thread those through every signature, the owning module marks the function `@read_once`.
Inside a request whose view only reads (core/transaction.py: nothing can change the database
in it) the first answer is kept in `g` for the rest of the request; anywhere else (a writer,
a task, a shell) the function simply runs. Callers treat the answer as read-only.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, has_request_context, request

from backend.core.transaction import declared

Func = TypeVar("Func", bound=Callable[..., Any])


def _key(value: Any) -> Any:
    return tuple(value) if isinstance(value, list) else value


def read_once(func: Func) -> Func:
    """Keep the function's answer for the rest of a read-only request (positional arguments:
    ids, lists of ids or model objects)."""

    @wraps(func)
    def wrapper(*args: Any) -> Any:
        if not has_request_context() or request.url_rule is None or declared() is not None:
            return func(*args)
        kept = g.setdefault("read_once", {})
        key = (func, *map(_key, args))
        if key not in kept:
            kept[key] = func(*args)
        return kept[key]

    return wrapper  # type: ignore[return-value]
