"""One way through a request: the request owns its transaction, and writes are declared.

A view that changes anything says so with one line, `@writes`, anywhere among its
decorators (on a MethodView: on the method). Its request runs in one transaction that
commits when the view has returned, inside `run_view()` and before Flask turns the answer
into a response, so a commit that fails goes through the error handlers like any other
error (503 `unavailable`, 409 `conflict`). Any other request only reads: it ends with a
rollback, and a write inside it is refused at once (`UndeclaredWrite`, a 500 in the tests
that exercise it) instead of being acknowledged and silently lost.

The declaration also chooses SQLite's BEGIN (core/database.py): IMMEDIATE for a writer, so it
holds the write lock before it reads and two writers cannot deadlock; a plain BEGIN otherwise.

`@writes(each_statement=True)` is for a hot path whose statements are each atomic alone (the
check-in's insert … on conflict do nothing): `statement_connection()` then runs each as its
own transaction, saving the BEGIN and COMMIT round trips on PostgreSQL (autocommit mode) and
holding SQLite's write lock for the writing statement only (core/database.py).

Command-line tasks are not requests: `@cli_task` gives a click command the same rule, and
`task_step()` one step of a background task (the reminders' scheduler commits per message).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

import click
from flask import Flask, current_app, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import ORMExecuteState, Session

from backend.extensions import db

View = TypeVar("View", bound=Callable[..., Any])

_MARK = "_yanxiu_writes"

#: Execution option of a SQLite connection whose statements each commit alone.
STATEMENTS_ALONE = "yanxiu_statements_alone"


@dataclass(frozen=True)
class Writes:
    """What a view declared: that it writes, and whether each statement stands alone."""

    each_statement: bool = False


class UndeclaredWrite(RuntimeError):
    """A view changed data without declaring `@writes`: the change would have been lost."""


def writes(view: View | None = None, *, each_statement: bool = False) -> Any:
    """Declare that a view writes: `@writes`, or `@writes(each_statement=True)`.

    The mark is an attribute; functools.wraps copies it to every decorator around it.
    """

    def mark(func: View) -> View:
        setattr(func, _MARK, Writes(each_statement))
        return func

    return mark(view) if view is not None else mark


def declared() -> Writes | None:
    """What the current request's view declared; None when it only reads (or no view)."""
    if not has_request_context() or request.url_rule is None:
        return None
    view = current_app.view_functions.get(request.endpoint)
    view_class = getattr(view, "view_class", None)
    if view_class is not None:  # a MethodView: the method of this request
        method = "get" if request.method == "HEAD" else request.method.lower()
        view = getattr(view_class, method, None)
    return getattr(view, _MARK, None)


def _refused(answer: Any) -> bool:
    """Whether the view answered with an error status (a page's form refused, 422)."""
    if isinstance(answer, tuple):
        return any(isinstance(part, int) and part >= 400 for part in answer[1:])
    return getattr(answer, "status_code", 200) >= 400


def run_view(dispatch: Callable[[], Any]) -> Any:
    """Call the view; commit what a declared writer did, roll back everything else,
    including what a writer did before answering with an error (it changes nothing)."""
    try:
        answer = dispatch()
        if declared() is not None and not _refused(answer):
            db.session.commit()
        else:
            db.session.flush()  # changes still pending are refused (below), never dropped
        return answer
    finally:
        db.session.rollback()  # after a commit: nothing left; after an error: all of it


class TransactionalFlask(Flask):
    """Flask whose views all run through run_view(): the one place a request commits."""

    def dispatch_request(self) -> Any:
        return run_view(super().dispatch_request)


def statement_connection() -> Connection:
    """The connection of a view declared `@writes(each_statement=True)`.

    Each statement is its own transaction (the request's commit becomes a no-op): PostgreSQL's
    autocommit mode, or SQLite's own with no BEGIN (STATEMENTS_ALONE, core/database.py). A
    request that already opened a transaction simply goes on in it.
    """
    declaration = declared()
    if declaration is None or not declaration.each_statement:
        raise UndeclaredWrite(f"{request.endpoint}: declare @writes(each_statement=True)")
    if db.session().in_transaction():
        return db.session.connection()
    if db.engine.dialect.name == "sqlite":
        return db.session.connection(execution_options={STATEMENTS_ALONE: True})
    return db.session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})


@contextmanager
def task_step() -> Iterator[None]:
    """One transaction of a background task (the scheduler's rounds), outside any request:
    committed when the block ends, rolled back when it fails."""
    try:
        yield
        db.session.commit()
    finally:
        db.session.rollback()


def cli_task(command: Callable[..., str]) -> Callable[..., None]:
    """A command-line task owns its transaction: committed when the command returns, rolled
    back when it fails. The command returns what to print, shown only once committed."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> None:
        try:
            message = command(*args, **kwargs)
            db.session.commit()
        finally:
            db.session.rollback()
        click.echo(message)

    return run


def _refuse_undeclared(what: str) -> None:
    if declared() is None and has_request_context() and request.url_rule is not None:
        raise UndeclaredWrite(f"{request.endpoint} {what} without declaring @writes")


@event.listens_for(Session, "before_flush")
def _before_flush(_session: Session, _context: Any, _instances: Any) -> None:
    _refuse_undeclared("changes rows")


@event.listens_for(Session, "do_orm_execute")
def _before_statement(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        _refuse_undeclared("runs an INSERT, UPDATE or DELETE")
