"""Concurrent forms against a real gunicorn process: one 201 per trainee, nothing duplicated."""

from collections import Counter

import pytest
from sqlalchemy import func

from backend.extensions import db
from backend.surveys.models import SurveyAnswer, SurveyHeldForm, SurveyReceipt
from backend.surveys.stats import class_stats
from tests.conftest import build_world, close_survey, open_survey, record_check_ins
from tests.servers import AppServer, post_at_once
from tests.surveys.helpers import form

pytestmark = pytest.mark.slow


def test_double_submits_race_to_one_form_each(app, api, database_url):
    world = build_world(app, trainees=10, bound=10)
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    tokens = list(world.trainees.values())
    body = form(world.session_ids, level="excellent")
    # 12 copies of the first trainee's form, and two copies of each other trainee's form
    sends = [(tokens[0], body)] * 12 + [(t, body) for t in tokens[1:] for _ in range(2)]
    with AppServer(database_url, workers=2, threads=8) as server:
        url = f"{server.url}/api/v1/classes/{world.class_id}/survey/responses"
        answers = post_at_once(url, sends)
    results = [(a.status_code, a.json().get("error", "")) for a in answers]

    assert Counter(results) == {(201, ""): 10, (409, "already_submitted"): 20}
    first = Counter(results[:12])
    assert first == {(201, ""): 1, (409, "already_submitted"): 11}
    with app.app_context():
        db.session.rollback()
        receipts, held, answers = (
            db.session.scalar(db.select(func.count()).select_from(model))
            for model in (SurveyReceipt, SurveyHeldForm, SurveyAnswer)
        )
    # ten forms at once: the releases racing after their commits moved exactly one batch
    assert (receipts, held, answers) == (10, 5, 5 * (len(world.session_ids) + 10))
    with app.app_context():
        assert class_stats(world.class_id)["returned"] == 5
    close_survey(api, world)
    with app.app_context():
        stats = class_stats(world.class_id)
    assert stats["returned"] == 10
    for row in stats["rows"]:
        assert row["counts"] == {"excellent": 10, "good": 0, "fair": 0, "poor": 0}
