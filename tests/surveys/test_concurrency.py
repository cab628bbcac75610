"""Concurrent forms against a real gunicorn process: one 201 per trainee, nothing duplicated."""

import threading
from collections import Counter

import pytest
import requests
from sqlalchemy import func

from backend.extensions import db
from backend.surveys.models import SurveyAnswer, SurveyHeldForm, SurveyReceipt
from backend.surveys.stats import class_stats
from tests.conftest import build_world
from tests.servers import AppServer
from tests.surveys.helpers import check_in, close_survey, form, open_survey

pytestmark = pytest.mark.slow


def _race(url: str, requests_to_send: list[tuple[str, dict]]) -> list[tuple[int, str]]:
    """Send every (token, body) at once from its own thread; (status, error code) of each."""
    barrier = threading.Barrier(len(requests_to_send))
    results: list[tuple[int, str]] = [(0, "")] * len(requests_to_send)

    def send(i: int, token: str, body: dict) -> None:
        with requests.Session() as http:
            barrier.wait()
            response = http.post(
                url, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=60
            )
            results[i] = (response.status_code, response.json().get("error", ""))

    threads = [
        threading.Thread(target=send, args=(i, token, body))
        for i, (token, body) in enumerate(requests_to_send)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_double_submits_race_to_one_form_each(api, database_url):
    world = build_world(trainees=10, bound=10)
    check_in(world.class_id, world.session_ids[0], world.trainees)
    open_survey(api, world)
    tokens = list(world.trainees.values())
    body = form(world.session_ids, level="excellent")
    # 12 copies of the first trainee's form, and two copies of each other trainee's form
    sends = [(tokens[0], body)] * 12 + [(t, body) for t in tokens[1:] for _ in range(2)]
    with AppServer(database_url, workers=2, threads=8) as server:
        url = f"{server.url}/api/v1/classes/{world.class_id}/survey/responses"
        results = _race(url, sends)

    assert Counter(results) == {(201, ""): 10, (409, "already_submitted"): 20}
    first = Counter(results[:12])
    assert first == {(201, ""): 1, (409, "already_submitted"): 11}
    db.session.rollback()
    receipts, held, answers = (
        db.session.scalar(db.select(func.count()).select_from(model))
        for model in (SurveyReceipt, SurveyHeldForm, SurveyAnswer)
    )
    # ten forms at once: the releases racing after their commits moved exactly one batch
    assert (receipts, held, answers) == (10, 5, 5 * (len(world.session_ids) + 10))
    assert class_stats(world.class_id)["returned"] == 5
    close_survey(api, world)
    db.session.rollback()
    stats = class_stats(world.class_id)
    assert stats["returned"] == 10
    for row in stats["rows"]:
        assert row["counts"] == {"excellent": 10, "good": 0, "fair": 0, "poor": 0}
