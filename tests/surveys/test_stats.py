"""附件3 through the API: a class of 40 with a known spread of 36 returned forms."""

import pytest

from backend.surveys.stats import class_stats, lecturer_rates
from tests.conftest import (
    build_world,
    close_survey,
    open_survey,
    record_check_ins,
    start_all_sessions,
)
from tests.surveys.helpers import form


def level_for(i: int, cut: tuple[int, int, int]) -> str:
    """The i-th respondent's level: the first cut[0] excellent, up to cut[1] good, ..."""
    for level, bound in zip(("excellent", "good", "fair"), cut, strict=True):
        if i < bound:
            return level
    return "poor"


SUGGESTIONS = {0: "多安排实践课", 5: "  ", 7: "希望提供课件\n下载"}


@pytest.fixture
def tallied(app, api):
    """40 on the roster, 38 checked in (the form is issued to them), 36 returned."""
    world = build_world(app, trainees=40, bound=38)
    s1, s2, s3, s4 = world.session_ids
    enrollments = list(world.trainees)
    record_check_ins(app, s1, enrollments[:30])
    record_check_ins(app, s2, enrollments[25:])
    open_survey(api, world)
    for i, enrollment_id in enumerate(enrollments[:36]):
        body = form(
            world.session_ids,
            level="good",
            suggestions=SUGGESTIONS.get(i, ""),
            satisfaction="excellent",
            teaching__content=level_for(i, (11, 25, 34)),
            service__logistics="fair" if i % 2 else "poor",
            **{
                f"lectures__{s1}": level_for(i, (20, 30, 35)),
                f"lectures__{s2}": level_for(i, (12, 24, 36)),
            },
        )
        response = api.post(
            f"/classes/{world.class_id}/survey/responses", world.trainees[enrollment_id], json=body
        )
        assert response.status_code == 201, response.json
    close_survey(api, world)  # every form shown
    return world


def good_row(n=36):
    return {
        "counts": {"excellent": 0, "good": n, "fair": 0, "poor": 0},
        "rates": {"excellent": 0.0, "good": 100.0, "fair": 0.0, "poor": 0.0},
    }


def test_the_tally_is_exact(api, tallied):
    s1, s2, s3, s4 = tallied.session_ids
    response = api.get(f"/classes/{tallied.class_id}/survey/stats", tallied.organizer)
    assert response.status_code == 200
    body = response.json
    assert (body["enrolled"], body["issued"], body["returned"]) == (40, 38, 36)
    rows = body["rows"]
    assert [r["key"] for r in rows] == [
        f"session:{s1}",
        f"session:{s2}",
        f"session:{s3}",
        f"session:{s4}",
        "faculty_overall",
        "content",
        "level",
        "mode",
        "overall",
        "organization",
        "logistics",
        "service",
        "overall",
        "satisfaction",
    ]
    assert [r["section"] for r in rows] == ["faculty"] * 5 + ["teaching"] * 4 + ["service"] * 4 + [
        "satisfaction"
    ]
    assert rows[0] == {
        "section": "faculty",
        "section_label": "师资评价",
        "key": f"session:{s1}",
        "label": "专题1",
        "session_id": s1,
        "topic": "专题1",
        "lecturer": "王建国",
        "counts": {"excellent": 20, "good": 10, "fair": 5, "poor": 1},
        "rates": {"excellent": 55.6, "good": 27.8, "fair": 13.9, "poor": 2.8},
    }
    assert rows[1]["lecturer"] == "李敏"
    assert rows[1]["counts"] == {"excellent": 12, "good": 12, "fair": 12, "poor": 0}
    assert rows[1]["rates"] == {"excellent": 33.3, "good": 33.3, "fair": 33.3, "poor": 0.0}
    assert {k: rows[2][k] for k in ("counts", "rates")} == good_row()
    assert rows[5] == {
        "section": "teaching",
        "section_label": "教学评价",
        "key": "content",
        "label": "教学内容",
        "counts": {"excellent": 11, "good": 14, "fair": 9, "poor": 2},
        "rates": {"excellent": 30.6, "good": 38.9, "fair": 25.0, "poor": 5.6},
    }
    assert rows[10]["label"] == "后勤保障"
    assert rows[10]["counts"] == {"excellent": 0, "good": 0, "fair": 18, "poor": 18}
    assert rows[10]["rates"] == {"excellent": 0.0, "good": 0.0, "fair": 50.0, "poor": 50.0}
    assert (rows[8]["label"], rows[12]["label"]) == ("综合评价", "综合评价")
    assert (rows[8]["section_label"], rows[12]["section_label"]) == ("教学评价", "服务管理评价")
    assert rows[13]["label"] == "学员满意度评价"
    assert rows[13]["counts"] == {"excellent": 36, "good": 0, "fair": 0, "poor": 0}
    assert sorted(body["suggestions"]) == sorted(["多安排实践课", "希望提供课件\n下载"])
    assert [item["text"] for item in body["suggestion_items"]] == body["suggestions"]
    assert not any(item["shared"] for item in body["suggestion_items"])
    assert api.get(f"/classes/{tallied.class_id}/survey/stats", tallied.admin).json == body


def test_class_stats_is_the_endpoints_body(app, api, tallied):
    body = api.get(f"/classes/{tallied.class_id}/survey/stats", tallied.admin).json
    with app.app_context():
        assert class_stats(tallied.class_id) == body


def test_a_class_without_answers_has_zero_rates(api, world):
    body = api.get(f"/classes/{world.class_id}/survey/stats", world.organizer).json
    assert (body["enrolled"], body["issued"], body["returned"]) == (5, 0, 0)
    assert len(body["rows"]) == len(world.session_ids) + 10
    for row in body["rows"]:
        assert set(row["counts"].values()) == {0}
        assert set(row["rates"].values()) == {0}
    assert body["suggestions"] == [] and body["suggestion_items"] == []


def test_lecturer_rates_per_session(app, tallied):
    s1, s2, *_ = tallied.session_ids
    with app.app_context():
        rows = lecturer_rates(tallied.class_id)
    assert [r["session_id"] for r in rows] == tallied.session_ids
    assert rows[0] == {
        "session_id": s1,
        "topic": "专题1",
        "lecturer": "王建国",
        "returned": 36,
        "counts": {"excellent": 20, "good": 10, "fair": 5, "poor": 1},
        "rates": {"excellent": 55.6, "good": 27.8, "fair": 13.9, "poor": 2.8},
        "excellent_rate": 55.6,
        "satisfied_rate": 83.3,
    }
    assert (rows[1]["excellent_rate"], rows[1]["satisfied_rate"]) == (33.3, 66.7)


def test_the_non_respondents_are_listed_for_reminders(api, tallied):
    enrollments = list(tallied.trainees)
    url = f"/classes/{tallied.class_id}/survey/pending"
    pending = api.get(url, tallied.organizer).json
    assert [p["enrollment_id"] for p in pending] == enrollments[36:]
    assert pending[0] == {
        "enrollment_id": enrollments[36],
        "name": "学员37",
        "phone": "13900000037",
    }
    assert api.get(url, tallied.admin).json[0]["phone"] == "139****0037"


def test_the_form_comes_from_the_schedule_with_chinese_labels(app, api, world):
    s1, s2, s3, s4 = world.session_ids
    start_all_sessions(app, world.class_id)
    body = api.get(f"/classes/{world.class_id}/survey", world.trainee).json
    assert body["class_id"] == world.class_id
    assert body["open"] is False and body["answered"] is False
    assert body["levels"] == ["excellent", "good", "fair", "poor"]
    assert [(lec["session_id"], lec["topic"], lec["lecturer"]) for lec in body["lectures"]] == [
        (s1, "专题1", "王建国"),
        (s2, "专题2", "李敏"),
        (s3, "专题3", "王建国"),
        (s4, "专题4", "李敏"),
    ]
    assert body["teaching"] == ["content", "level", "mode", "overall"]
    assert body["service"] == ["organization", "logistics", "service", "overall"]
    labels = body["labels"]
    assert labels["levels"] == {"excellent": "优秀", "good": "良好", "fair": "一般", "poor": "较差"}
    assert labels["teaching"] == {
        "content": "教学内容",
        "level": "教学水平",
        "mode": "教学模式",
        "overall": "综合评价",
    }
    assert labels["service"]["logistics"] == "后勤保障"
    assert labels["satisfaction"] == "学员满意度评价"
    assert labels["suggestions"] == "意见与建议"
    assert [s["title"] for s in body["sections"]] == [
        "师资评价",
        "教学评价",
        "服务管理评价",
        "学员满意度评价",
    ]
    staff = api.get(f"/classes/{world.class_id}/survey", world.organizer).json
    assert "answered" not in staff
    assert staff["lectures"] == body["lectures"]
