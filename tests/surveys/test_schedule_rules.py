"""The survey and the schedule (#12 item 13): no survey before the last session has started,
no rating of a session not yet held, and ratings stay with the lecturer who was rated."""

from datetime import timedelta

from backend.core.timeutil import utcnow
from tests.conftest import close_survey, open_survey, record_check_ins
from tests.surveys.helpers import form


def test_the_survey_cannot_open_before_the_last_session_has_started(api, world):
    response = api.post(f"/classes/{world.class_id}/survey/open", world.organizer)
    assert response.status_code == 409
    assert response.json == {
        "error": "survey_too_early",
        "message": "本班最后一门课程开始后才能开放满意度调查问卷",
    }
    assert api.get(f"/classes/{world.class_id}/survey", world.trainee).json["open"] is False
    stats = api.get(f"/classes/{world.class_id}/survey/stats", world.organizer).json
    assert stats["issued"] == 0  # never opened: no form issued


def test_a_session_not_yet_held_is_not_rated(app, api, world):
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    # a session added to the schedule for later today, after the survey opened
    later = api.post(
        f"/classes/{world.class_id}/sessions",
        world.organizer,
        json={
            "topic": "加开专题",
            "lecturer_id": world.lecturer_ids[0],
            "starts_at": (utcnow() + timedelta(minutes=30)).isoformat(),
            "ends_at": (utcnow() + timedelta(minutes=90)).isoformat(),
        },
    )
    assert later.status_code == 201, later.json
    body = api.get(f"/classes/{world.class_id}/survey", world.trainee).json
    assert [lec["session_id"] for lec in body["lectures"]] == world.session_ids
    rated_later = form([*world.session_ids, later.json["id"]])
    response = api.post(
        f"/classes/{world.class_id}/survey/responses", world.trainee, json=rated_later
    )
    assert response.status_code == 422
    assert set(response.json["fields"]) == {f"lectures.{later.json['id']}"}
    response = api.post(
        f"/classes/{world.class_id}/survey/responses", world.trainee, json=form(world.session_ids)
    )
    assert response.status_code == 201


def test_a_rated_session_keeps_its_lecturer(app, api, world):
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    s1 = world.session_ids[0]
    for token in world.trainees.values():
        response = api.post(
            f"/classes/{world.class_id}/survey/responses",
            token,
            json=form(world.session_ids, level="poor"),
        )
        assert response.status_code == 201
    close_survey(api, world)
    moved = api.patch(
        f"/sessions/{s1}",
        world.organizer,
        json={"lecturer_id": world.lecturer_ids[1], "reason": "换人"},
    )
    assert moved.status_code == 409
    assert moved.json["error"] == "session_rated"
    assert "不能更换授课人" in moved.json["message"]
    # the ratings stay with 王建国, who taught it; 李敏 gains none of them
    mine = {r["session_id"]: r for r in api.get("/me/ratings", world.lecturer).json}
    assert mine[s1]["counts"]["poor"] == 3
    assert s1 not in {r["session_id"] for r in api.get("/me/ratings", world.other_lecturer).json}
    # the rest of the session may still change
    renamed = api.patch(
        f"/sessions/{s1}", world.organizer, json={"topic": "新题目", "reason": "更正"}
    )
    assert renamed.status_code == 200
