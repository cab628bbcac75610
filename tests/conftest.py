"""Fixtures: a fresh database per test (SQLite, or PostgreSQL with YANXIU_TEST_DB=postgresql),
the app, an API client, and a small world of accounts, a class, its schedule and roster."""

import os
import re
import shutil
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from backend import create_app
from backend.extensions import db
from tests.browser import browser  # noqa: F401  (fixture)
from tests.fakewechat import fake_wechat  # noqa: F401  (fixture)

PG_ADMIN_DSN = os.environ.get("YANXIU_PG_ADMIN_DSN", "host=127.0.0.1 port=5432 dbname=test")
PG_HOST = "127.0.0.1:5432"
USE_POSTGRES = os.environ.get("YANXIU_TEST_DB") == "postgresql"


def pytest_configure(config):
    config.addinivalue_line("markers", "sqlite_only: runs on the SQLite pass only")
    config.addinivalue_line(
        "markers", "both_databases: a browser test that runs on the PostgreSQL pass too"
    )
    config.addinivalue_line("markers", "slow: a test with real processes or a browser")


@pytest.hookimpl(tryfirst=True)  # before -m deselects
def pytest_collection_modifyitems(items):
    """Pages in Chromium run on the SQLite pass only: they check what a browser shows, which
    the database does not change, and the PostgreSQL pass reads the same pages through the
    test client (tests/web/ and each module's page tests). Once keeps the suite under 15 min.
    The whole class through the pages runs on both (`both_databases`)."""
    for item in items:
        both = item.get_closest_marker("both_databases") is not None
        if "browser" in getattr(item, "fixturenames", ()) and not both:
            item.add_marker(pytest.mark.sqlite_only)


def pytest_report_header(config):
    return f"yanxiu database: {'PostgreSQL ' + PG_HOST if USE_POSTGRES else 'SQLite (WAL)'}"


def base_config(url: str) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "DEV_LOGIN": True,
        "REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
        # exact counts: the deployed sliding-window counter may let a hit through early when a
        # minute turns mid-test (tests/security/test_rate_strategy.py checks that default)
        "RATELIMIT_STRATEGY": "moving-window",
        "WECHAT_APP_ID": None,
        "WECHAT_APP_SECRET": None,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        # live streams end by themselves: a test that reads one to the end cannot hang
        "LIVE_MAX_STREAM_SECONDS": 5,
    }


def _migrate(url: str) -> None:
    app = create_app(base_config(url))
    with app.app_context():
        upgrade()
        db.engine.dispose()


@pytest.fixture(scope="session")
def template_database(tmp_path_factory):
    """A migrated database made once per run: a file (SQLite) or a database (PostgreSQL)."""
    if not USE_POSTGRES:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        _migrate(f"sqlite:///{path}")
        yield path
        return
    name = f"yanxiu_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{PG_HOST}/{name}"
    _migrate(url)
    yield url
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _empty_all(url: str) -> None:
    """Empty every table and restart every id sequence, as a new database would be.

    DELETE, not TRUNCATE: on tables this small it takes ~40 ms where TRUNCATE, which gives
    each of the ~40 tables a new file, takes ~200 ms, and it waits only for row locks. Retried
    when a straggling connection of the test holds a lock past the timeout."""
    engine = create_engine(url, poolclass=NullPool)
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                conn.execute(text("SET LOCAL lock_timeout = '10s'"))
                for table in reversed(db.metadata.sorted_tables):
                    conn.execute(table.delete())
                conn.execute(
                    text("SELECT setval(oid::regclass, 1, false) FROM pg_class WHERE relkind = 'S'")
                )
            break
        except OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5)
    engine.dispose()


@pytest.fixture
def database_url(template_database, tmp_path):
    """A database of its own for this test, already migrated and empty."""
    if not USE_POSTGRES:
        path = tmp_path / "yanxiu.sqlite3"
        shutil.copy(template_database, path)
        yield f"sqlite:///{path}"
        return
    yield template_database
    _empty_all(template_database)


@pytest.fixture
def app(database_url):
    """The app, yielded outside its app context (the Flask tutorial's shape): each request of
    a test gets its own context and database session, as in production, so a test cannot pass
    on objects the test itself left in a shared session. Direct database work in a test goes in
    `with app.app_context():` blocks that never enclose a request."""
    app = create_app(base_config(database_url))
    yield app
    app.extensions["live"].publisher.drain()  # no tally read left running in the background
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


class Api:
    """The test client speaking API v1: paths relative to /api/v1, tokens by name."""

    def __init__(self, client):
        self.client = client

    def call(self, method: str, path: str, token: str | None = None, **kwargs):
        headers = kwargs.pop("headers", {})
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return self.client.open(f"/api/v1{path}", method=method, headers=headers, **kwargs)

    def get(self, path, token=None, **kw):
        return self.call("GET", path, token, **kw)

    def post(self, path, token=None, **kw):
        return self.call("POST", path, token, **kw)

    def put(self, path, token=None, **kw):
        return self.call("PUT", path, token, **kw)

    def patch(self, path, token=None, **kw):
        return self.call("PATCH", path, token, **kw)

    def delete(self, path, token=None, **kw):
        return self.call("DELETE", path, token, **kw)


@pytest.fixture
def api(client):
    return Api(client)


@dataclass
class World:
    """Accounts and one approved class of 华中科技大学 running today, built directly."""

    admin: str
    organizer: str
    other_organizer: str
    lecturer: str
    other_lecturer: str
    class_id: int
    session_ids: list[int]
    lecturer_ids: list[int]
    #: trainee tokens by enrollment id (bound), and roster entries not bound
    trainees: dict[int, str] = field(default_factory=dict)
    unbound: list[int] = field(default_factory=list)
    user_ids: dict[str, int] = field(default_factory=dict)

    @property
    def trainee(self) -> str:
        return next(iter(self.trainees.values()))


def build_world(app, now: datetime | None = None, trainees: int = 5, bound: int = 3) -> World:
    """Plan 2023, accounts, an approved class today with four sessions and a roster."""
    with app.app_context():
        return _build_world(now, trainees, bound)


def _build_world(now: datetime | None, trainees: int, bound: int) -> World:
    from backend.auth import tokens
    from backend.auth.models import Role, Trainee, User
    from backend.classes.models import ClassMode, Lecturer, Session, TrainingClass
    from backend.core.timeutil import CHINA, china_date, utcnow
    from backend.enrollment.models import Enrollment
    from backend.plans.logic import load_plan, unit_named
    from backend.plans.models import Project

    now = now or utcnow()
    load_plan(2023)
    hust = unit_named("华中科技大学")
    whu = unit_named("武汉大学")
    lecturers = [
        Lecturer(name="王建国", title="教授", unit_id=hust.id),
        Lecturer(name="李敏", title="研究员", unit_id=hust.id),
    ]
    db.session.add_all(lecturers)
    db.session.flush()

    def account(name, role, **links):
        user = User(username=name, role=role, **links)
        user.set_password(f"{name}-password")
        db.session.add(user)
        db.session.flush()
        return user

    users = {
        "admin": account("admin", Role.ADMIN),
        "organizer": account("org-hust", Role.ORGANIZER, unit_id=hust.id),
        "other_organizer": account("org-whu", Role.ORGANIZER, unit_id=whu.id),
        "lecturer": account("lect-wang", Role.LECTURER, lecturer_id=lecturers[0].id),
        "other_lecturer": account("lect-li", Role.LECTURER, lecturer_id=lecturers[1].id),
    }
    project = db.session.scalar(
        db.select(Project).where(Project.name == "区块链技术数字化工程师高级研修班")
    )
    today = china_date(now)
    training_class = TrainingClass(
        project=project,
        location="华中科技大学",
        start_date=today - timedelta(days=1),
        end_date=today + timedelta(days=2),
        capacity=40,
        mode=ClassMode.HYBRID,
    )
    db.session.add(training_class)
    db.session.flush()
    # Session 1 is running now; 2 is later today or tomorrow; 3 and 4 on the next days.
    local_now = now.astimezone(CHINA).replace(second=0, microsecond=0)
    starts = [
        local_now - timedelta(minutes=5),
        local_now + timedelta(hours=3),
        datetime.combine(today + timedelta(days=1), datetime.min.time(), CHINA)
        + timedelta(hours=9),
        datetime.combine(today + timedelta(days=2), datetime.min.time(), CHINA)
        + timedelta(hours=9),
    ]
    sessions = [
        Session(
            class_id=training_class.id,
            topic=f"专题{i + 1}",
            lecturer_id=lecturers[i % 2].id,
            starts_at=start,
            ends_at=start + timedelta(hours=2),
            venue="报告厅",
        )
        for i, start in enumerate(starts)
    ]
    db.session.add_all(sessions)
    entries = [
        Enrollment(
            class_id=training_class.id,
            name=f"学员{i}",
            phone=f"1390000{i:04d}",
            gender="男" if i % 2 else "女",
            employer="某单位",
            region="武汉市",
            professional_title="高级工程师",
        )
        for i in range(1, trainees + 1)
    ]
    db.session.add_all(entries)
    training_class.submit_opening_plan("开班实施方案")
    training_class.approve(users["admin"].id)
    db.session.flush()
    world = World(
        **{k: tokens.issue("staff", u.id, u.token_version)[0] for k, u in users.items()},
        class_id=training_class.id,
        session_ids=[s.id for s in sessions],
        lecturer_ids=[lecturer.id for lecturer in lecturers],
        user_ids={k: u.id for k, u in users.items()},
    )
    for entry in entries[:bound]:
        trainee = Trainee(openid=f"dev:trainee{entry.id}")
        db.session.add(trainee)
        db.session.flush()
        entry.trainee_id = trainee.id
        world.trainees[entry.id] = tokens.issue("trainee", trainee.id, 0)[0]
    world.unbound = [e.id for e in entries[bound:]]
    db.session.commit()
    return world


@pytest.fixture
def world(app) -> World:
    return build_world(app)


#: How long a test waits for a state it expects: generous, since the machine may be loaded;
#: a test that passes never waits this long.
PATIENCE = 30.0


def wait_for(condition, what: str, timeout: float = PATIENCE):
    """Poll `condition` until it returns something true, and return that; fail naming `what`."""
    deadline = time.monotonic() + timeout
    while not (result := condition()):
        if time.monotonic() > deadline:
            raise AssertionError(f"still not {what} after {timeout:.0f} s")
        time.sleep(0.02)
    return result


def csrf_of(html: str) -> str:
    """The CSRF token of a staff page's forms."""
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def page_log_in(client, username: str) -> None:
    """Log a test client in to the staff pages (passwords of build_world: <name>-password)."""
    form = client.get("/login").get_data(as_text=True)
    answer = client.post(
        "/login",
        data={"username": username, "password": f"{username}-password", "csrf": csrf_of(form)},
    )
    assert answer.status_code == 302


def check_in(api: Api, world: World, enrollment_id: int, session_index: int = 0, mode="onsite"):
    """A trainee scans the session's current code: POST /checkins, as the mini-program does."""
    session_id = world.session_ids[session_index]
    code = api.get(f"/sessions/{session_id}/checkin-code?mode={mode}", world.organizer)
    assert code.status_code == 200, code.json
    answer = api.post(
        "/checkins", world.trainees[enrollment_id], json={"token": code.json["token"]}
    )
    assert answer.status_code == 201, answer.json
    return answer.json


def record_check_ins(
    app, session_id: int, enrollment_ids, at: datetime | None = None, **values
) -> None:
    """Check-in rows as the check-in module stores them (a QR scan at `at`, default now), for
    a history no scan can make any more (past sessions, late or online arrivals)."""
    with app.app_context():
        _record_check_ins(session_id, enrollment_ids, at, **values)


def _record_check_ins(session_id: int, enrollment_ids, at: datetime | None, **values) -> None:
    from backend.checkin.models import CheckIn, CheckInSource
    from backend.classes.models import Session
    from backend.core.timeutil import utcnow

    class_id = db.session.get(Session, session_id).class_id
    source = values.pop("source", CheckInSource.QR)
    for enrollment_id in enrollment_ids:
        db.session.add(
            CheckIn(
                class_id=class_id,
                session_id=session_id,
                enrollment_id=enrollment_id,
                checked_in_at=at or utcnow(),
                source=source,
                **values,
            )
        )
    db.session.commit()


def start_all_sessions(app, class_id: int) -> None:
    """Move the class's schedule so that every session has started (the survey may open):
    the sessions keep their order, three hours apart, the last one started five minutes ago."""
    from backend.classes.models import Session
    from backend.core.timeutil import utcnow

    with app.app_context():
        sessions = db.session.scalars(
            db.select(Session).where(Session.class_id == class_id).order_by(Session.starts_at)
        ).all()
        last = utcnow() - timedelta(minutes=5)
        for back, session in enumerate(reversed(sessions)):
            session.starts_at = last - timedelta(hours=3 * back)
            session.ends_at = session.starts_at + timedelta(hours=2)
        db.session.commit()


def open_survey(api: Api, world: World) -> None:
    """The organizer opens the survey, its schedule first moved so that every session has
    started (the survey may not open before)."""
    start_all_sessions(api.client.application, world.class_id)
    response = api.post(f"/classes/{world.class_id}/survey/open", world.organizer)
    assert response.status_code == 200, response.json
    assert response.json["open"] is True


def close_survey(api: Api, world: World) -> None:
    """The organizer closes it: every form received is released to the counts."""
    response = api.post(f"/classes/{world.class_id}/survey/close", world.organizer)
    assert response.status_code == 200, response.json
    assert response.json["open"] is False


def check_role_matrix(api: Api, token: str | None, cases, column: int) -> None:
    """Call every case `(method, path, body, statuses)` as one caller: each answer is
    `statuses[column]`, errors in the one error shape; every mismatch is reported at once."""
    failures = []
    for method, path, body, statuses in cases:
        response = api.call(method, path, token, json=body)
        if response.status_code != statuses[column]:
            failures.append(
                f"{method} {path}: {response.status_code} (want {statuses[column]}) "
                f"{response.get_data(as_text=True)[:120]}"
            )
        elif response.status_code >= 400 and not {"error", "message"} <= set(response.json):
            failures.append(f"{method} {path}: not the error shape: {response.json}")
    assert not failures, "\n".join(failures)


def trainee_token(api: Api, name: str) -> str:
    """Log in through POST /auth/wechat with a dev code."""
    response = api.post("/auth/wechat", json={"code": f"dev:{name}"})
    assert response.status_code == 200, response.json
    return response.json["token"]


ROOT = Path(__file__).resolve().parent.parent
SHARED_REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def redis_env():
    """Settings for a server process on the shared Redis, with keys of this test's own."""
    import redis

    connection = redis.Redis.from_url(SHARED_REDIS, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.RedisError:
        pytest.skip("Redis does not answer on 127.0.0.1:6379")
    prefix = f"yanxiu-test-{uuid.uuid4().hex[:10]}"
    yield {"REDIS_URL": SHARED_REDIS, "RATELIMIT_KEY_PREFIX": prefix, "LIVE_REDIS_PREFIX": prefix}
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)
