"""A trainee sees what the system holds; the admin purges a closed class after retention."""

from datetime import datetime, timedelta

from backend.classes.models import TrainingClass
from backend.extensions import db
from tests.conftest import record_check_ins


def test_trainee_sees_own_data_only(api, world):
    enrollment_id = next(iter(world.trainees))
    record_check_ins(world.session_ids[0], [enrollment_id])
    data = api.get("/me/data", world.trainees[enrollment_id]).json
    assert data["trainee"]["openid"] == f"dev:trainee{enrollment_id}"
    [mine] = data["enrollments"]
    assert mine["name"] == "学员1" and mine["phone"] == "13900000001"
    assert [c["topic"] for c in mine["checkins"]] == ["专题1"]
    assert mine["survey_returned"] is False
    assert "session_key" not in str(data)
    assert api.get("/me/data", world.organizer).status_code == 403


def _close_class(world, ended_days_ago):
    training_class = db.session.get(TrainingClass, world.class_id)
    training_class.end_date = datetime.now().date() - timedelta(days=ended_days_ago)
    training_class.start_date = training_class.end_date - timedelta(days=3)
    training_class.close()
    db.session.commit()


def test_purge_waits_for_closing_and_the_retention_period(app, api, world):
    refused = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert refused.status_code == 409  # still approved, not closed
    _close_class(world, ended_days_ago=10)
    early = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert early.status_code == 409 and early.json["error"] == "retention_period"
    assert api.post(f"/classes/{world.class_id}/purge", world.organizer).status_code == 403


def test_purge_blanks_people_but_keeps_the_counts(app, api, world):
    first = next(iter(world.trainees))
    record_check_ins(world.session_ids[0], [first])
    _close_class(world, ended_days_ago=400)
    response = api.post(f"/classes/{world.class_id}/purge", world.admin)
    assert response.status_code == 200 and response.json == {"purged": 5}
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    assert {r["name"] for r in roster} == {"（已清除）"}
    assert not any(r["phone"].startswith("139") for r in roster)
    assert [r["sessions_attended"] for r in roster].count(1) == 1
    assert all(r["bound"] is False for r in roster)
    assert api.get("/me/classes", world.trainees[first]).json == []
    trail = api.get(f"/audit?class_id={world.class_id}&action=class.purge", world.admin).json
    assert trail[0]["detail"] == {"enrollments": 5}
