"""Exactly once under a crowd: real threads against a real server process (gunicorn)."""

from collections import defaultdict

import pytest
import requests

from backend.checkin.models import CheckIn
from backend.extensions import db
from tests.checkin.helpers import set_class
from tests.conftest import build_world
from tests.servers import AppServer, post_at_once

pytestmark = pytest.mark.slow


def test_100_concurrent_scans_check_each_trainee_in_exactly_once(app, database_url):
    world = build_world(app, trainees=50, bound=50)
    session_id = world.session_ids[0]
    with AppServer(database_url, workers=2) as server:
        qr = requests.get(
            f"{server.url}/api/v1/sessions/{session_id}/checkin-code",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=10,
        ).json()
        # every trainee scans twice at once (the QR text, then the raw token)
        calls = [
            (bearer, {"token": text})
            for bearer in world.trainees.values()
            for text in (qr["qr_text"], qr["token"])
        ]
        answers = post_at_once(f"{server.url}/api/v1/checkins", calls)

    assert all(isinstance(a, requests.Response) for a in answers), answers
    assert sorted({a.status_code for a in answers}) == [200, 201], [a.text for a in answers]
    by_trainee = defaultdict(list)
    for answer in answers:
        by_trainee[answer.json()["enrollment_id"]].append(answer)
    for enrollment_id, pair in by_trainee.items():
        assert sorted(a.status_code for a in pair) == [200, 201], enrollment_id
        assert pair[0].json()["checked_in_at"] == pair[1].json()["checked_in_at"]
    with app.app_context():
        rows = db.session.execute(db.select(CheckIn.enrollment_id, CheckIn.session_id)).all()
    assert len(rows) == 50 and len(set(rows)) == 50


def test_one_trainee_scanning_100_times_at_once_gets_one_201(app, database_url):
    world = build_world(app)
    session_id = world.session_ids[0]
    # the per-trainee rate limit (30/minute) would answer most of these 429: lift it here
    with AppServer(database_url, workers=2, env={"CHECKIN_TRAINEE_LIMIT": "1000/minute"}) as server:
        qr = requests.get(
            f"{server.url}/api/v1/sessions/{session_id}/checkin-code",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=10,
        ).json()
        answers = post_at_once(
            f"{server.url}/api/v1/checkins", [(world.trainee, {"token": qr["token"]})] * 100
        )
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) == 1 and statuses.count(200) == 99
    assert len({a.json()["checked_in_at"] for a in answers}) == 1
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(CheckIn)) == 1


def _wrong_code_body(server: AppServer, world) -> dict:
    code = requests.get(
        f"{server.url}/api/v1/sessions/{world.session_ids[0]}/checkin-code",
        headers={"Authorization": f"Bearer {world.organizer}"},
        timeout=10,
    ).json()["code"]
    return {"code": f"{(int(code) + 7) % 1_000_000:06d}", "session_id": world.session_ids[0]}


def test_the_typed_code_limit_holds_across_worker_processes(app, database_url, redis_env):
    world = build_world(app)
    set_class(app, world, code_rotate_seconds=600)
    with AppServer(database_url, workers=2, env=redis_env) as server:
        body = _wrong_code_body(server, world)
        # two connections, answered by whichever worker: the count lives in Redis
        with requests.Session() as first, requests.Session() as second:
            statuses = [
                client.post(
                    f"{server.url}/api/v1/checkins",
                    json=body,
                    headers={"Authorization": f"Bearer {world.trainee}"},
                    timeout=10,
                ).status_code
                for client in [first, second] * 3
            ]
    assert statuses == [400] * 5 + [429]


def test_30_concurrent_wrong_codes_get_at_most_5_guesses(app, database_url, redis_env):
    """The attack of #12 item 11: the budget is taken atomically before a code is compared."""
    world = build_world(app)
    set_class(app, world, code_rotate_seconds=600)
    with AppServer(database_url, workers=2, threads=16, env=redis_env) as server:
        body = _wrong_code_body(server, world)
        answers = post_at_once(f"{server.url}/api/v1/checkins", [(world.trainee, body)] * 30)
    statuses = [a.status_code for a in answers]
    assert statuses.count(400) == 5, statuses  # guesses evaluated: "签到码不正确"
    assert statuses.count(429) == 25
    assert {a.json()["error"] for a in answers} == {"invalid_token", "rate_limited"}


def test_the_check_in_rate_limit_is_shared_by_workers_through_redis(app, database_url, redis_env):
    """30 scans a minute per trainee, counted in Redis whichever worker answers."""
    world = build_world(app)
    with AppServer(database_url, workers=2, env=redis_env) as server:
        qr = requests.get(
            f"{server.url}/api/v1/sessions/{world.session_ids[0]}/checkin-code",
            headers={"Authorization": f"Bearer {world.organizer}"},
            timeout=10,
        ).json()
        answers = post_at_once(
            f"{server.url}/api/v1/checkins", [(world.trainee, {"token": qr["token"]})] * 40
        )
    statuses = [a.status_code for a in answers]
    assert statuses.count(201) + statuses.count(200) == 30
    assert statuses.count(429) == 10
    assert all(a.json()["error"] == "rate_limited" for a in answers if a.status_code == 429)
