"""Engine settings: SQLite in WAL mode with writes that cannot deadlock.

SQLite's default deferred transactions take the write lock only at the first write;
two such transactions that both read first can then fail with "database is locked"
whatever the busy timeout. A request whose view declares `@writes` (core/transaction.py),
and every command-line task, therefore starts with BEGIN IMMEDIATE and waits its turn;
other requests start a plain BEGIN and never block writers under WAL. Work outside a
request that only reads (the live tally) says so with the execution option
`read_only=True` on its connection.

Writers queue for SQLite's one write lock in the kernel, not in SQLite: left to SQLite, a
writer that finds the lock taken sleeps in its busy handler for 1, 2, 5 … 100 ms whenever
the lock is freed, and under a burst of check-ins p99 grew to 10–15× p50. So a writer first
takes its process's lock and then an flock on `<database>-writer` (which wakes the next
process as soon as it is released, and is released by the kernel if the process dies), and
lets both go when its transaction commits or rolls back.
"""

import fcntl
import os
import sqlite3
import threading
from collections import deque

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from backend.core.transaction import STATEMENTS_ALONE, declared

BUSY_TIMEOUT_MS = 30_000


class FifoLock:
    """A lock handed to its waiters in the order they came (threading.Lock is not: a thread
    that just let it go often takes it again before the woken one runs)."""

    def __init__(self) -> None:
        self._guard = threading.Lock()
        self._held = False
        self._waiters: deque[threading.Lock] = deque()

    def acquire(self, timeout: float) -> bool:
        with self._guard:
            if not self._held:
                self._held = True
                return True
            waiter = threading.Lock()
            waiter.acquire()
            self._waiters.append(waiter)
        if waiter.acquire(timeout=timeout):
            return True  # handed over by release()
        with self._guard:
            if waiter in self._waiters:
                self._waiters.remove(waiter)
                return False
        return True  # handed over just as the wait ran out

    def release(self) -> None:
        with self._guard:
            if self._waiters:
                self._waiters.popleft().release()  # still held: it is the next one's now
            else:
                self._held = False


_turns: dict[str, FifoLock] = {}
_turns_lock = threading.Lock()


def _process_turn(path: str) -> FifoLock:
    """This process's lock for writers of the database file."""
    with _turns_lock:
        return _turns.setdefault(path, FifoLock())


class QueuedWriterConnection(sqlite3.Connection):
    """A SQLite connection whose writer transactions take turns (the module's docstring)."""

    def __init__(self, database: str, *args, **kwargs) -> None:
        super().__init__(database, *args, **kwargs)
        path = str(database)
        self._turn_file: int | None = None
        if path not in ("", ":memory:") and not path.startswith("file:"):
            path = os.path.abspath(path)
            self._turn_file = os.open(f"{path}-writer", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC)
            self._turn = _process_turn(path)
        self._has_turn = False

    def wait_turn(self) -> None:
        """Block until no other writer (thread or process) is in a transaction. Within the
        process as long as SQLite's busy timeout at most ("database is locked" after it)."""
        if self._turn_file is None or self._has_turn:
            return
        if not self._turn.acquire(timeout=BUSY_TIMEOUT_MS / 1000):
            raise sqlite3.OperationalError("database is locked")
        try:
            fcntl.flock(self._turn_file, fcntl.LOCK_EX)
        except BaseException:
            self._turn.release()
            raise
        self._has_turn = True

    def end_turn(self) -> None:
        if self._has_turn:
            self._has_turn = False
            fcntl.flock(self._turn_file, fcntl.LOCK_UN)
            self._turn.release()

    def commit(self) -> None:
        try:
            super().commit()
        finally:
            self.end_turn()

    def rollback(self) -> None:
        try:
            super().rollback()
        finally:
            self.end_turn()

    def close(self) -> None:
        self.end_turn()
        if self._turn_file is not None:
            os.close(self._turn_file)
            self._turn_file = None
        super().close()


@event.listens_for(Engine, "do_connect")
def _queued_writers(dialect, _record, _cargs, cparams) -> None:
    if dialect.name == "sqlite":
        cparams["factory"] = QueuedWriterConnection


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, _record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def _writer(conn: Connection) -> bool:
    """A view writes only when it declares it; other work unless it says read_only."""
    if conn.get_execution_options().get("read_only"):
        return False
    if has_request_context() and request.url_rule is not None:
        return declared() is not None
    return True


def _queued(conn: Connection) -> QueuedWriterConnection | None:
    dbapi_connection = conn.connection.dbapi_connection
    return dbapi_connection if isinstance(dbapi_connection, QueuedWriterConnection) else None


def _alone(conn: Connection) -> bool:
    return conn.dialect.name == "sqlite" and conn.get_execution_options().get(STATEMENTS_ALONE)


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn: Connection) -> None:
    if conn.dialect.name != "sqlite" or _alone(conn):
        return  # statements alone: SQLite commits each as it ends
    if _writer(conn):
        if queued := _queued(conn):
            queued.wait_turn()
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


@event.listens_for(Engine, "before_cursor_execute")
def _turn_for_statement(conn: Connection, _cursor, statement: str, *_args) -> None:
    """A statement alone that writes takes its turn for just itself."""
    if _alone(conn) and statement.lstrip()[:6].upper() != "SELECT" and (queued := _queued(conn)):
        queued.wait_turn()


@event.listens_for(Engine, "after_cursor_execute")
def _statement_done(conn: Connection, *_args) -> None:
    if _alone(conn) and (queued := _queued(conn)):
        queued.end_turn()


@event.listens_for(Engine, "handle_error")
def _statement_failed(context) -> None:
    conn = context.connection
    if conn is not None and not conn.invalidated and _alone(conn) and (queued := _queued(conn)):
        queued.end_turn()
