"""One way through a request: a view declares that it writes, the request commits inside the
view dispatch (a failing commit answers the documented JSON error), everything else only reads."""

import ast
import hashlib
import logging
import re
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from backend import create_app
from backend.core.transaction import writes
from backend.extensions import db
from backend.plans.models import Unit
from tests.conftest import USE_POSTGRES, base_config, page_log_in
from tests.faults import pgcluster

EXISTING_UNIT = "武汉大学"  # loaded with the 2023 plan


def _add_unit(name: str) -> dict:
    db.session.add(Unit(name=name))  # not flushed: the request's commit inserts it
    return {"ok": True}


def _units_named(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).where(Unit.name == name))


def test_a_commit_that_fails_answers_409_in_json_and_logs_no_data(app, client, world, caplog):
    app.add_url_rule(
        "/api/v1/_test/units", "dup", writes(lambda: _add_unit(EXISTING_UNIT)), methods=["POST"]
    )
    caplog.set_level(logging.DEBUG)
    answer = client.post("/api/v1/_test/units")
    assert answer.status_code == 409
    assert answer.json == {"error": "conflict", "message": "与已有数据冲突，请刷新后重试"}
    assert _units_named(app, EXISTING_UNIT) == 1
    assert EXISTING_UNIT not in caplog.text  # the failing INSERT's parameters stay out of logs
    assert client.get("/healthz").status_code == 200  # the session is usable again


def test_a_declared_write_commits_and_an_error_after_it_rolls_back(app, client, world):
    def add_then_fail():
        _add_unit("半途而废单位")
        db.session.flush()
        raise ValueError("boom")

    app.add_url_rule(
        "/api/v1/_test/ok", "ok", writes(lambda: _add_unit("新承办单位")), methods=["POST"]
    )
    app.add_url_rule("/api/v1/_test/fail", "fail", writes(add_then_fail), methods=["POST"])
    assert client.post("/api/v1/_test/ok").status_code == 200
    assert _units_named(app, "新承办单位") == 1
    failed = client.post("/api/v1/_test/fail")
    assert failed.status_code == 500 and failed.json["error"] == "internal_error"
    assert _units_named(app, "半途而废单位") == 0


def test_a_writer_that_answers_an_error_page_changes_nothing(app, client, world):
    """A page that refuses a form answers 422 with the form again: what the logic did before
    refusing is rolled back, not committed with the error page."""

    def add_then_refuse():
        _add_unit("表单被拒单位")
        db.session.flush()
        return "<p>请更正后再提交</p>", 422

    app.add_url_rule("/api/v1/_test/refuse", "refuse", writes(add_then_refuse), methods=["POST"])
    answer = client.post("/api/v1/_test/refuse")  # past the pages' CSRF check
    assert answer.status_code == 422
    assert _units_named(app, "表单被拒单位") == 0


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_write_without_declaration_is_refused_and_leaves_nothing(app, client, method, caplog):
    app.add_url_rule(
        "/api/v1/_test/sneaky", "sneaky", lambda: _add_unit("未声明单位"), methods=[method]
    )
    answer = client.open("/api/v1/_test/sneaky", method=method)
    assert answer.status_code == 500 and answer.json["error"] == "internal_error"
    assert _units_named(app, "未声明单位") == 0
    assert "unhandled UndeclaredWrite" in caplog.text


def _fingerprint(app) -> str:
    """Every row of every table, in a stable order."""
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            rows = db.session.execute(text(f'SELECT * FROM "{table.name}" ORDER BY 1')).all()
            digest.update(f"{table.name}:{rows!r}".encode())
    return digest.hexdigest()


def _read_paths(app, world) -> list[str]:
    """Every GET the app serves without declaring a write, with this world's ids filled in."""
    values = {
        "class_id": world.class_id,
        "session_id": world.session_ids[0],
        "year": 2023,
        "enrollment_id": next(iter(world.trainees)),
        "picture_id": 1,
        "suggestion_id": 1,
    }
    paths = []
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if "GET" not in rule.methods or hasattr(view, "_yanxiu_writes"):
            continue
        if rule.endpoint == "static" or rule.rule.endswith("/live"):
            continue  # files; a stream that lasts LIVE_MAX_STREAM_SECONDS
        paths.append(
            re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), 1)), rule.rule)
        )
    return paths


def test_no_read_changes_anything(app, client, api, world):
    api.post("/checkins", world.trainee, json={"token": _token(api, world)})
    before = _fingerprint(app)
    paths = _read_paths(app, world)
    assert len(paths) > 40
    for token in (world.admin, world.organizer, world.lecturer, world.trainee):
        for path in paths:
            headers = {"Authorization": f"Bearer {token}"}
            assert _answered(client.get(path, headers=headers), path)
    page_log_in(client, "org-hust")
    for path in paths:
        assert _answered(client.get(path), path)
    assert _fingerprint(app) == before


def _answered(response, path: str) -> bool:
    """No error of the server's own (WeChat is not configured here: its image is 503)."""
    return response.status_code < 500 or (
        path.endswith("wxacode.png") and response.status_code == 503
    )


def _token(api, world) -> str:
    return api.get(f"/sessions/{world.session_ids[0]}/checkin-code", world.organizer).json["token"]


@pytest.mark.skipif(USE_POSTGRES, reason="SQLite's BEGIN only")
def test_sqlite_begins_immediate_exactly_for_declared_writes(app, api, world):
    begins: list[str] = []

    def seen(_conn, _cursor, statement, *_args):
        if statement.startswith("BEGIN"):
            begins.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", seen)
    try:
        login = {"username": "admin", "password": "admin-password"}
        steps = {
            "login (POST, reads)": lambda: api.post("/auth/login", json=login),
            "export (GET, audited)": lambda: api.get(
                f"/classes/{world.class_id}/exports/roster.csv", world.organizer
            ),
            "schedule (GET)": lambda: api.get(f"/classes/{world.class_id}/schedule", world.admin),
            "lecturer (POST)": lambda: api.post("/lecturers", world.organizer, json={"name": "赵"}),
        }
        seen_by_step = {}
        for name, step in steps.items():
            begins.clear()
            assert step().status_code < 300, name
            seen_by_step[name] = set(begins)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert seen_by_step == {
        "login (POST, reads)": {"BEGIN"},
        "export (GET, audited)": {"BEGIN IMMEDIATE"},
        "schedule (GET)": {"BEGIN"},
        "lecturer (POST)": {"BEGIN IMMEDIATE"},
    }


@pytest.mark.skipif(USE_POSTGRES, reason="SQLite's write lock only")
def test_a_check_in_on_sqlite_takes_the_write_turn_for_its_insert_alone(app, api, world):
    """@writes(each_statement=True): no BEGIN; the context is read without the writer's turn
    (other writers go on meanwhile), the insert commits alone, and no turn is left held."""
    seen: list[tuple[str, bool]] = []

    def record(conn, _cursor, statement, *_args):
        turn = getattr(conn.connection.dbapi_connection, "_has_turn", None)
        seen.append((statement.split()[0].upper(), turn))

    token = _token(api, world)
    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        first = api.post("/checkins", world.trainee, json={"token": token})
        first_statements = list(seen)
        seen.clear()
        again = api.post("/checkins", world.trainee, json={"token": token})
    finally:
        event.remove(engine, "before_cursor_execute", record)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first_statements == [("SELECT", False), ("INSERT", True)]
    assert seen == [("SELECT", False)]  # a repeat scan never waits for writers
    with app.app_context(), db.engine.connect() as conn:
        assert conn.connection.dbapi_connection._has_turn is False


def _calls_super(node: ast.AST) -> bool:
    return isinstance(node, ast.Call) and getattr(node.func, "id", None) == "super"


def test_no_module_but_the_request_path_commits_or_rolls_back():
    """Beside the behaviour above: nothing in backend/ ends a transaction on its own (the
    SQLite connection's commit and rollback that call sqlite3's own are not endings)."""
    root = Path(__file__).resolve().parent.parent / "backend"
    calls = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback")
                and not _calls_super(node.func.value)
            ):
                calls.append(f"{path.relative_to(root)}:{node.lineno}")
    assert calls and all(call.startswith("core/transaction.py:") for call in calls), calls


@pytest.mark.slow
@pytest.mark.sqlite_only  # the cluster is private: one run is enough
@pytest.mark.skipif(not pgcluster.available(), reason="PostgreSQL binaries not installed")
def test_a_commit_that_loses_the_database_answers_503_in_json(caplog):
    """The database stops while a writing view runs: its commit fails inside the request and
    the answer is the documented 503, not a bare 500, with nothing of the error in the log."""
    cluster = pgcluster.PrivateCluster().init()
    cluster.start()
    try:
        app = create_app(base_config(cluster.url))
        with app.app_context():
            upgrade()

        def write_then_lose_the_database():
            _add_unit("断线单位")
            db.session.flush()
            cluster.stop()  # terminates this request's connection, mid-transaction
            return {"ok": True}

        app.add_url_rule(
            "/api/v1/_test/lost", "lost", writes(write_then_lose_the_database), methods=["POST"]
        )
        caplog.set_level(logging.DEBUG)
        answer = app.test_client().post("/api/v1/_test/lost")
        assert answer.status_code == 503
        assert answer.json == {"error": "unavailable", "message": "数据库暂时不可用，请稍后重试"}
        assert answer.headers["Retry-After"] == "5"
        assert "断线单位" not in caplog.text and "terminating" not in caplog.text
        cluster.start()
        with app.app_context():
            assert _units_named(app, "断线单位") == 0
            db.engine.dispose()
    finally:
        cluster.destroy()
