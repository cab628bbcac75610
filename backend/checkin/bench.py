"""The ceiling of bench/checkin_burst.py: one plain ORM insert per request and nothing else.

Registered only when YANXIU_BENCH_ENDPOINTS=1 (see setup.py): it has no log-in at all. Its
path is under /api/ so that the pages' CSRF check leaves it alone, like every API route; it
declares its write as every writer does (one transaction: BEGIN, the insert, COMMIT).
It is the statement whose throughput on this kind of machine is the reference (~520/s on
PostgreSQL under gthread 4×8, wrk with 64 connections),
`insert(...).on_conflict_do_nothing(...).returning(...)` with the database's own dialect insert, built per request as an ordinary handler would.
"""

from flask import Blueprint, request
from sqlalchemy.dialects import postgresql, sqlite

from backend.checkin.models import CheckIn, CheckInSource
from backend.core.timeutil import utcnow
from backend.core.transaction import writes
from backend.extensions import db

bp = Blueprint("checkin_bench", __name__)

_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@bp.post("/api/bench/insert-checkin")
@writes
def insert_checkin():
    body = request.get_json()
    insert = _INSERTS[db.engine.dialect.name]
    row = db.session.execute(
        insert(CheckIn)
        .values(
            enrollment_id=body["enrollment_id"],
            session_id=body["session_id"],
            class_id=body["class_id"],
            checked_in_at=utcnow(),
            late=False,
            source=CheckInSource.QR,
        )
        .on_conflict_do_nothing(index_elements=["enrollment_id", "session_id"])
        .returning(CheckIn.id)
    ).first()
    return {"inserted": row is not None}, 201 if row else 200
