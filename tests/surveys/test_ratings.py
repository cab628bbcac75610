"""Lecturers' own ratings (hidden under 3 answers), shared suggestions, the province's ranking."""

from backend.classes.models import TrainingClass
from backend.extensions import db
from tests.conftest import build_world, close_survey, open_survey, record_check_ins
from tests.surveys.helpers import add_session, form


def _answer(api, world, token, **levels):
    response = api.post(
        f"/classes/{world.class_id}/survey/responses", token, json=form(world.session_ids, **levels)
    )
    assert response.status_code == 201, response.json
    return response


def test_rows_with_fewer_than_three_answers_are_hidden(app, api):
    world = build_world(app, trainees=3, bound=3)
    s1, s2, s3, s4 = world.session_ids
    tokens = list(world.trainees.values())
    record_check_ins(app, s1, world.trainees)
    open_survey(api, world)
    for token in tokens[:2]:
        _answer(api, world, token, level="excellent")
    close_survey(api, world)

    rows = api.get("/me/ratings", world.lecturer).json
    assert [r["session_id"] for r in rows] == [s1, s3]  # 王建国's sessions only
    for row in rows:
        assert row["hidden"] is True and row["returned"] == 2
        assert "counts" not in row and "rates" not in row
    summary = api.get("/me/ratings/summary", world.lecturer).json
    assert (summary["sessions"], summary["returned"]) == (0, 0)
    assert summary["excellent_rate"] == 0.0


def test_rows_with_three_answers_are_shown(app, api):
    world = build_world(app, trainees=3, bound=3)
    s1, s2, s3, s4 = world.session_ids
    record_check_ins(app, s1, world.trainees)
    open_survey(api, world)
    for token, level in zip(
        world.trainees.values(), ("excellent", "excellent", "good"), strict=True
    ):
        _answer(api, world, token, level=level)
    close_survey(api, world)
    rows = api.get("/me/ratings", world.lecturer).json
    assert rows[0] == {
        "class_id": world.class_id,
        "class_title": "区块链技术数字化工程师高级研修班",
        "session_id": s1,
        "topic": "专题1",
        "starts_at": rows[0]["starts_at"],
        "returned": 3,
        "hidden": False,
        "counts": {"excellent": 2, "good": 1, "fair": 0, "poor": 0},
        "rates": {"excellent": 66.7, "good": 33.3, "fair": 0.0, "poor": 0.0},
    }
    assert rows[0]["starts_at"].endswith("+08:00")
    other = api.get("/me/ratings", world.other_lecturer).json
    assert [r["session_id"] for r in other] == [s2, s4]


def test_the_summary_leaves_hidden_sessions_out(app, api):
    world = build_world(app, trainees=5, bound=5)
    tokens = list(world.trainees.values())
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    for token in tokens[:3]:
        _answer(api, world, token, level="excellent")
    late = add_session(api, world, world.lecturer_ids[0])
    world.session_ids.append(late)
    for token in tokens[3:]:
        _answer(api, world, token, level="good", **{f"lectures__{late}": "poor"})
    close_survey(api, world)

    rows = {r["session_id"]: r for r in api.get("/me/ratings", world.lecturer).json}
    assert rows[late]["hidden"] is True and rows[late]["returned"] == 2
    summary = api.get("/me/ratings/summary", world.lecturer).json
    # sessions 1 and 3, five answers each: 3 excellent, 2 good; the hidden two poor left out
    assert summary["sessions"] == 2 and summary["returned"] == 10
    assert summary["counts"] == {"excellent": 6, "good": 4, "fair": 0, "poor": 0}
    assert (summary["excellent_rate"], summary["satisfied_rate"]) == (60.0, 100.0)


def test_suggestions_reach_lecturers_only_when_shared(app, api):
    world = build_world(app, trainees=3, bound=3)
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    for i, token in enumerate(world.trainees.values()):
        _answer(api, world, token, suggestions=["希望增加实操", "", "课程节奏偏快"][i])
    close_survey(api, world)
    url = f"/classes/{world.class_id}/survey"
    items = api.get(f"{url}/stats", world.organizer).json["suggestion_items"]
    assert len(items) == 2
    assert api.get("/me/ratings/summary", world.lecturer).json["suggestions"] == []

    chosen = next(i for i in items if i["text"] == "课程节奏偏快")
    shared = api.post(f"{url}/suggestions/{chosen['id']}/share", world.organizer)
    assert shared.json == {"id": chosen["id"], "text": "课程节奏偏快", "shared": True}
    expected = [
        {
            "class_id": world.class_id,
            "class_title": "区块链技术数字化工程师高级研修班",
            "text": "课程节奏偏快",
        }
    ]
    for lecturer in (world.lecturer, world.other_lecturer):
        assert api.get("/me/ratings/summary", lecturer).json["suggestions"] == expected
    stats = api.get(f"{url}/stats", world.admin).json
    assert {i["text"]: i["shared"] for i in stats["suggestion_items"]} == {
        "希望增加实操": False,
        "课程节奏偏快": True,
    }

    api.delete(f"{url}/suggestions/{chosen['id']}/share", world.organizer)
    assert api.get("/me/ratings/summary", world.lecturer).json["suggestions"] == []


def test_a_suggestion_of_another_class_cannot_be_shared_through_this_one(app, api):
    world = build_world(app, trainees=3, bound=3)
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    _answer(api, world, world.trainee, suggestions="好")
    close_survey(api, world)
    sid = api.get(f"/classes/{world.class_id}/survey/stats", world.admin).json["suggestion_items"][
        0
    ]["id"]
    other = _new_class(api, world)
    response = api.post(f"/classes/{other}/survey/suggestions/{sid}/share", world.organizer)
    assert response.status_code == 404


def _new_class(api, world, approve: bool = False) -> int:
    """Another class of the same project (a draft unless approved)."""
    with api.client.application.app_context():
        project_id = db.session.get(TrainingClass, world.class_id).project_id
    class_id = api.post(
        "/classes",
        world.organizer,
        json={
            "project_id": project_id,
            "location": "武汉",
            "start_date": "2023-09-04",
            "end_date": "2023-09-07",
        },
    ).json["id"]
    if approve:
        api.post(f"/classes/{class_id}/opening-plan", world.organizer, json={"summary": "方案"})
        api.post(f"/classes/{class_id}/opening-plan/approve", world.admin)
    return class_id


def test_the_province_ranks_classes_and_lecturers(app, api):
    world = build_world(app, trainees=3, bound=3)
    s1, s2, s3, s4 = world.session_ids
    record_check_ins(app, s1, world.trainees)
    open_survey(api, world)
    for i, token in enumerate(world.trainees.values()):
        _answer(
            api,
            world,
            token,
            level="good",
            satisfaction=["excellent", "excellent", "good"][i],
            **{f"lectures__{s1}": "excellent", f"lectures__{s3}": "excellent"},
        )
    close_survey(api, world)
    unrated = _new_class(api, world, approve=True)
    _new_class(api, world)  # a draft: not ranked at all
    body = api.get("/plans/2023/ratings", world.admin).json
    assert body["year"] == 2023
    assert body["classes"][1:] == [
        {
            "rank": None,
            "class_id": unrated,
            "title": "区块链技术数字化工程师高级研修班",
            "host_unit": "华中科技大学",
            "returned": 0,
            "excellent_rate": 0.0,
            "satisfied_rate": 0.0,
        }
    ]
    assert body["classes"][:1] == [
        {
            "rank": 1,
            "class_id": world.class_id,
            "title": "区块链技术数字化工程师高级研修班",
            "host_unit": "华中科技大学",
            "returned": 3,
            "excellent_rate": 66.7,
            "satisfied_rate": 100.0,
        }
    ]
    assert body["lecturers"] == [
        {
            "rank": 1,
            "lecturer_id": world.lecturer_ids[0],
            "name": "王建国",
            "sessions": 2,
            "answers": 6,
            "excellent_rate": 100.0,
            "satisfied_rate": 100.0,
        },
        {
            "rank": 2,
            "lecturer_id": world.lecturer_ids[1],
            "name": "李敏",
            "sessions": 2,
            "answers": 6,
            "excellent_rate": 0.0,
            "satisfied_rate": 100.0,
        },
    ]
