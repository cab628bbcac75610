"""Returning the form: who may, when, once, and every validation failure (docs/API.md)."""

from datetime import datetime, timedelta

import pytest
from sqlalchemy import func

from backend.extensions import db
from backend.surveys.models import SurveyAnswer, SurveyHeldForm, SurveyReceipt, SurveySuggestion
from tests.conftest import build_world, close_survey, open_survey, record_check_ins, trainee_token
from tests.surveys.helpers import add_session, form


@pytest.fixture
def ready(app, api, world):
    """The world with every bound trainee checked in to the first session, survey open."""
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    return world


def submit(api, world, token, body):
    return api.post(f"/classes/{world.class_id}/survey/responses", token, json=body)


def stored(app) -> tuple[int, int, int, int]:
    """Receipts, forms still held (sealed), answer rows and suggestions released."""
    with app.app_context():
        db.session.rollback()
        return tuple(
            db.session.scalar(db.select(func.count()).select_from(model))
            for model in (SurveyReceipt, SurveyHeldForm, SurveyAnswer, SurveySuggestion)
        )


def test_a_form_is_returned_once(app, api, ready):
    response = submit(api, ready, ready.trainee, form(ready.session_ids, suggestions="很好"))
    assert response.status_code == 201
    assert set(response.json) == {"id", "submitted_at"}
    submitted = datetime.fromisoformat(response.json["submitted_at"])
    assert submitted.utcoffset() == timedelta(hours=8)
    assert stored(app) == (1, 1, 0, 0)  # held until a batch is full or the survey closes

    again = submit(api, ready, ready.trainee, form(ready.session_ids, level="poor"))
    assert again.status_code == 409
    assert again.json["error"] == "already_submitted"
    assert stored(app) == (1, 1, 0, 0)
    close_survey(api, ready)
    assert stored(app) == (1, 0, len(ready.session_ids) + 10, 1)
    # the first answers stand: nothing can change them
    stats = api.get(f"/classes/{ready.class_id}/survey/stats", ready.organizer).json
    assert {row["counts"]["good"] for row in stats["rows"]} == {1}
    assert {row["counts"]["poor"] for row in stats["rows"]} == {0}
    survey = api.get(f"/classes/{ready.class_id}/survey", ready.trainee).json
    assert survey["answered"] is True


def test_an_empty_suggestion_is_not_stored(app, api, ready):
    assert submit(api, ready, ready.trainee, form(ready.session_ids)).status_code == 201
    assert submit(
        api, ready, list(ready.trainees.values())[1], form(ready.session_ids, suggestions=" \x07 ")
    ).json["id"]
    close_survey(api, ready)
    assert stored(app)[1:] == (0, 2 * (len(ready.session_ids) + 10), 0)


def test_only_a_trainee_who_checked_in_may_answer(app, api, world):
    open_survey(api, world)
    first, second = list(world.trainees)[:2]
    record_check_ins(app, world.session_ids[1], [first])
    refused = submit(api, world, world.trainees[second], form(world.session_ids))
    assert refused.status_code == 403
    assert refused.json["error"] == "not_attended"
    assert submit(api, world, world.trainees[first], form(world.session_ids)).status_code == 201


def test_a_trainee_not_on_the_roster_gets_404(api, ready):
    stranger = trainee_token(api, "stranger")
    response = submit(api, ready, stranger, form(ready.session_ids))
    assert response.status_code == 404
    assert submit(api, ready, ready.trainee, form(ready.session_ids)).status_code == 201
    missing = api.post("/classes/999999/survey/responses", ready.trainee, json={})
    assert missing.status_code == 404


def test_the_survey_is_closed_until_opened_and_after_closing(app, api, world):
    record_check_ins(app, world.session_ids[0], world.trainees)
    tokens = list(world.trainees.values())
    closed = submit(api, world, tokens[0], form(world.session_ids))
    assert closed.status_code == 409 and closed.json["error"] == "survey_closed"
    assert api.get(f"/classes/{world.class_id}/survey", tokens[0]).json["open"] is False

    open_survey(api, world)
    assert submit(api, world, tokens[0], form(world.session_ids)).status_code == 201
    response = api.post(f"/classes/{world.class_id}/survey/close", world.organizer)
    assert response.status_code == 200 and response.json["open"] is False
    late = submit(api, world, tokens[1], form(world.session_ids))
    assert late.status_code == 409 and late.json["error"] == "survey_closed"
    assert stored(app)[0] == 1


def test_answers_are_refused_before_the_class_is_approved(app, api):
    from backend.classes.models import ClassStatus, TrainingClass

    world = build_world(app)
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        training_class.status = ClassStatus.SUBMITTED
        db.session.commit()
    record_check_ins(app, world.session_ids[0], world.trainees)
    opened = api.post(f"/classes/{world.class_id}/survey/open", world.organizer)
    assert opened.status_code == 409 and opened.json["error"] == "class_not_approved"
    response = submit(api, world, world.trainee, form(world.session_ids))
    assert response.status_code == 409 and response.json["error"] == "class_not_approved"


def test_the_survey_closes_by_itself_days_after_the_class_ends(app, api):
    from backend.core.timeutil import utcnow

    # The class ended eight days ago: past the default three days.
    world = build_world(app, now=utcnow() - timedelta(days=10))
    record_check_ins(app, world.session_ids[0], world.trainees)
    url = f"/classes/{world.class_id}/survey"
    too_late = api.post(f"{url}/open", world.organizer)
    assert too_late.status_code == 409 and too_late.json["error"] == "survey_closed"

    longer = api.put(f"{url}/settings", world.organizer, json={"closes_after_days": 30})
    assert longer.status_code == 200 and longer.json["closes_after_days"] == 30
    open_survey(api, world)
    tokens = list(world.trainees.values())
    assert submit(api, world, tokens[0], form(world.session_ids)).status_code == 201

    shorter = api.put(f"{url}/settings", world.organizer, json={"closes_after_days": 3})
    assert shorter.json["open"] is False
    assert api.get(url, tokens[1]).json["open"] is False
    late = submit(api, world, tokens[1], form(world.session_ids))
    assert late.status_code == 409 and late.json["error"] == "survey_closed"


def test_it_closes_at_midnight_after_the_last_day_plus_the_set_days(app, api, world):
    from backend.classes.models import TrainingClass

    with app.app_context():
        end = db.session.get(TrainingClass, world.class_id).end_date
    body = api.get(f"/classes/{world.class_id}/survey", world.organizer).json
    assert body["closes_after_days"] == 3
    assert body["closes_at"] == f"{end + timedelta(days=4)}T00:00:00+08:00"
    url = f"/classes/{world.class_id}/survey/settings"
    bad = api.put(url, world.organizer, json={"closes_after_days": -1})
    assert bad.status_code == 422 and "closes_after_days" in bad.json["fields"]


def _bad(world, **levels):
    return form(world.session_ids, **levels)


def _without(body: dict, *path: str) -> dict:
    target = body
    for key in path[:-1]:
        target = target[key]
    del target[path[-1]]
    return body


def _cases(world):
    s1, s2 = (str(s) for s in world.session_ids[:2])
    return [
        (_without(_bad(world), "lectures"), {"lectures"}),
        (_without(_bad(world), "lectures", s2), {f"lectures.{s2}"}),
        (_bad(world, **{f"lectures__{s1}": "great"}), {f"lectures.{s1}"}),
        (_bad(world, lectures__999999="good"), {"lectures.999999"}),
        (_bad(world, lectures=["good"]), {"lectures"}),
        (_without(_bad(world), "faculty_overall"), {"faculty_overall"}),
        (_bad(world, teaching__mode="great"), {"teaching.mode"}),
        (_bad(world, teaching__overall=None), {"teaching.overall"}),
        (_without(_bad(world), "teaching"), {"teaching"}),
        (_bad(world, teaching="good"), {"teaching"}),
        (_without(_bad(world), "service", "overall"), {"service.overall"}),
        (_bad(world, service__logistics=3), {"service.logistics"}),
        (_bad(world, satisfaction="Excellent"), {"satisfaction"}),
        (_bad(world, suggestions="建" * 2001), {"suggestions"}),
        (_bad(world, suggestions=12), {"suggestions"}),
        ({**_bad(world), "trainee": "学员1"}, {"trainee"}),
        (
            _bad(world, teaching__mode="", service__service="x", satisfaction=None),
            {"teaching.mode", "service.service", "satisfaction"},
        ),
    ]


def test_every_validation_failure_is_422_naming_the_fields_and_stores_nothing(app, api, ready):
    for body, fields in _cases(ready):
        response = submit(api, ready, ready.trainee, body)
        assert response.status_code == 422, body
        assert response.json["error"] == "validation_failed"
        assert set(response.json["fields"]) == fields, body
    assert stored(app) == (0, 0, 0, 0)
    assert submit(api, ready, ready.trainee, form(ready.session_ids)).status_code == 201


def test_a_body_that_is_not_an_object_is_422(api, ready):
    for body in (["good"], "good", None):
        response = submit(api, ready, ready.trainee, body)
        assert response.status_code == 422
        assert "_schema" in response.json["fields"]
    raw = api.post(
        f"/classes/{ready.class_id}/survey/responses",
        ready.trainee,
        data="{not json",
        content_type="application/json",
    )
    assert raw.status_code == 422


def test_messages_name_the_item_in_chinese(api, ready):
    s1 = ready.session_ids[0]
    body = _without(_bad(ready, teaching__mode="great"), "lectures", str(s1))
    fields = submit(api, ready, ready.trainee, body).json["fields"]
    assert "教学模式" in fields["teaching.mode"][0]
    assert "优秀" in fields["teaching.mode"][0]
    assert "专题1" in fields[f"lectures.{s1}"][0] and "王建国" in fields[f"lectures.{s1}"][0]


def test_suggestions_are_cleaned_and_counted_without_control_characters(app, api, ready):
    from backend.surveys.stats import class_stats

    text = "\x00课程\u200b安排" + "好" * 1996 + "\x1b\x7f"
    response = submit(api, ready, ready.trainee, form(ready.session_ids, suggestions=text))
    assert response.status_code == 201
    close_survey(api, ready)
    with app.app_context():
        assert class_stats(ready.class_id)["suggestions"] == ["课程安排" + "好" * 1996]


def test_a_form_made_before_a_session_was_added_is_refused(api, ready):
    added = add_session(api, ready, ready.lecturer_ids[0])
    response = submit(api, ready, ready.trainee, form(ready.session_ids))
    assert response.status_code == 422
    assert set(response.json["fields"]) == {f"lectures.{added}"}


def test_a_stored_form_signals_the_class_and_a_refused_one_does_not(api, ready):
    from backend.core import signals

    sent = []

    def receiver(class_id, **kwargs):
        sent.append(class_id)

    with signals.response_submitted.connected_to(receiver):
        submit(api, ready, ready.trainee, form(ready.session_ids, teaching__mode="great"))
        assert sent == []
        submit(api, ready, ready.trainee, form(ready.session_ids))
        assert sent == [ready.class_id]
        submit(api, ready, ready.trainee, form(ready.session_ids))
        assert sent == [ready.class_id]
