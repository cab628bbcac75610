"""Engine settings: SQLite in WAL mode with writes that cannot deadlock.

SQLite's default deferred transactions take the write lock only at the first write;
two such transactions that both read first can then fail with "database is locked"
whatever the busy timeout. A request that may write (any method but GET/HEAD/OPTIONS,
and every command-line task) therefore starts with BEGIN IMMEDIATE and waits its
turn; reads start a plain BEGIN and never block writers under WAL. Work outside a
request that only reads (the live tally) says so with the execution option
`read_only=True` on its connection.
"""

import sqlite3

from flask import has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
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


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    read_only = conn.get_execution_options().get("read_only") or (
        has_request_context() and request.method in READ_ONLY_METHODS
    )
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")
