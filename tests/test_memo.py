"""A read asked twice in one read-only request is answered once; in a writer, in a task and
between requests it runs each time (a writer may change what it reads)."""

from backend.core.memo import read_once
from backend.core.transaction import writes
from backend.extensions import db
from backend.plans.models import Unit


def _counter():
    calls = []

    @read_once
    def units_named(names: list[str]) -> int:
        calls.append(names)
        return db.session.scalar(db.select(db.func.count()).where(Unit.name.in_(names)))

    return units_named, calls


def test_a_read_only_request_reads_once_and_a_writer_reads_each_time(app, client):
    units_named, calls = _counter()

    def read():
        return {"n": [units_named(["甲单位"]), units_named(["甲单位"]), units_named(["乙单位"])]}

    def add_then_read():
        before = units_named(["甲单位"])
        db.session.add(Unit(name="甲单位"))
        db.session.flush()
        return {"n": [before, units_named(["甲单位"])]}

    app.add_url_rule("/api/v1/_test/read", "read", read)
    app.add_url_rule("/api/v1/_test/write", "write", writes(add_then_read), methods=["POST"])

    assert client.get("/api/v1/_test/read").json == {"n": [0, 0, 0]}
    assert calls == [["甲单位"], ["乙单位"]]
    assert client.post("/api/v1/_test/write").json == {"n": [0, 1]}
    assert client.get("/api/v1/_test/read").json == {"n": [1, 1, 0]}  # a new request reads anew
    with app.app_context():
        calls.clear()
        assert units_named(["甲单位"]) == units_named(["甲单位"]) == 1
        assert len(calls) == 2
