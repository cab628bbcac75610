"""Engine settings: SQLite in WAL mode with writes that cannot deadlock.

SQLite's default deferred transactions take the write lock only at the first write;
two such transactions that both read first can then fail with "database is locked"
whatever the busy timeout. A request whose view declares `@writes` (core/transaction.py),
and every command-line task, therefore starts with BEGIN IMMEDIATE and waits its turn;
other requests start a plain BEGIN and never block writers under WAL. Work outside a
request that only reads (the live tally) says so with the execution option
`read_only=True` on its connection.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

from backend.core.transaction import declared

BUSY_TIMEOUT_MS = 30_000


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


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn: Connection) -> None:
    if conn.dialect.name != "sqlite":
        return
    conn.exec_driver_sql("BEGIN IMMEDIATE" if _writer(conn) else "BEGIN")
