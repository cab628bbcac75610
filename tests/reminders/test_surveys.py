"""The survey's reminders: when it opens and 24 h before it closes, only to those who have not
returned it (as committed when the message goes); a survey past its closing time is closed."""

from datetime import timedelta

from backend.classes.models import TrainingClass
from backend.core.timeutil import today_in_china
from backend.extensions import db
from backend.surveys.models import SurveySettings
from tests.conftest import open_survey, record_check_ins
from tests.reminders.conftest import openid_of, reminders_of, sent_to, subscribe, tick
from tests.surveys.helpers import form


def _ready(app, api, world) -> list[int]:
    """The survey open; every bound trainee attended the first session and holds 2 credits."""
    open_survey(api, world)
    trainees = list(world.trainees)
    record_check_ins(app, world.session_ids[0], trainees)
    for enrollment_id in trainees:
        subscribe(api, world.trainees[enrollment_id], survey=2)
    return trainees


def _return_form(api, world, enrollment_id: int) -> None:
    answer = api.post(
        f"/classes/{world.class_id}/survey/responses",
        world.trainees[enrollment_id],
        json=form(world.session_ids),
    )
    assert answer.status_code == 201, answer.json


def _closing_tonight(app, world, days_ago: int = 0) -> None:
    """The class ends `days_ago` days before today and its survey closes that night."""
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        training_class.end_date = today_in_china() - timedelta(days=days_ago)
        db.session.get(SurveySettings, world.class_id).closes_after_days = 0
        db.session.commit()


def _openids(app, world, enrollment_ids) -> list[str]:
    return sorted(openid_of(app, world, e) for e in enrollment_ids)


def test_the_opening_and_the_last_call_go_only_to_who_has_not_returned(app, api, world, wechat):
    first, second, third = _ready(app, api, world)
    _return_form(api, world, first)

    tick(app)
    opened = sent_to(wechat, "survey")
    assert sorted(m["touser"] for m in opened) == _openids(app, world, [second, third])
    assert opened[0]["data"]["thing3"]["value"] == "满意度测评已开放，请及时填写"
    assert opened[0]["page"] == "pages/survey/survey"

    _return_form(api, world, second)
    _closing_tonight(app, world)
    tick(app)
    tick(app)

    closing = sent_to(wechat, "survey")[len(opened) :]
    assert [m["touser"] for m in closing] == [openid_of(app, world, third)]
    assert closing[0]["data"]["thing3"]["value"] == "测评将于24小时内截止，请尽快填写"
    assert closing[0]["data"]["time2"]["value"] == f"{today_in_china() + timedelta(days=1)} 00:00"
    rows = reminders_of(api, world)
    assert rows[f"survey:{world.class_id}:opened"]["sent"] == 2
    assert rows[f"survey:{world.class_id}:closing"]["sent"] == 1


def test_a_form_returned_after_queueing_stops_the_message(app, api, world, wechat):
    """Queued by one round, sent by the next: what counts is who returned it by then."""
    from backend.core.timeutil import utcnow
    from backend.reminders.schedule import queue_due

    first, second, _ = _ready(app, api, world)
    with app.app_context():
        queue_due(utcnow())
        db.session.commit()
    _return_form(api, world, first)

    tick(app)

    assert openid_of(app, world, first) not in {m["touser"] for m in sent_to(wechat, "survey")}
    assert openid_of(app, world, second) in {m["touser"] for m in sent_to(wechat, "survey")}


def test_a_survey_past_its_closing_time_is_closed_by_the_scheduler(app, api, world, wechat):
    first, _, _ = _ready(app, api, world)
    _return_form(api, world, first)
    _closing_tonight(app, world, days_ago=1)  # closed at midnight last night

    output = tick(app)

    assert "surveys_closed=1" in output
    with app.app_context():
        settings = db.session.get(SurveySettings, world.class_id)
        assert settings.opened is False and settings.closed_at is not None
    assert api.get(f"/classes/{world.class_id}/survey/stats", world.organizer).json["returned"] == 1
    assert sent_to(wechat, "survey") == []  # closed: no reminder
