"""POST /me/subscriptions: one credit per accept and kind; bad input names the field and
changes nothing."""

from tests.reminders.conftest import subscribe


def test_accepts_add_up_per_kind(api, world):
    assert subscribe(api, world.trainee, session_start=1, survey=1) == {
        "session_start": 1,
        "survey": 1,
        "application": 0,
        "certificate": 0,
    }
    assert subscribe(api, world.trainee, session_start=2, certificate=0)["session_start"] == 3
    other = list(world.trainees.values())[1]
    assert subscribe(api, other)["session_start"] == 0  # credits are the trainee's own


def test_bad_accepts_are_refused_naming_the_field(api, world):
    subscribe(api, world.trainee, survey=1)
    for body, field in [
        ({"accepted": {"lottery": 1}}, "accepted.lottery.key"),
        ({"accepted": {"survey": -1}}, "accepted.survey.value"),
        ({"accepted": {"survey": 11}}, "accepted.survey.value"),
        ({"accepted": {"survey": "1"}}, "accepted.survey.value"),
        ({}, "accepted"),
    ]:
        answer = api.post("/me/subscriptions", world.trainee, json=body)
        assert answer.status_code == 422, body
        assert answer.json["error"] == "validation_failed"
        assert list(answer.json["fields"]) == [field], answer.json
    assert subscribe(api, world.trainee)["survey"] == 1


def test_the_mini_program_reads_the_template_ids_of_the_kinds_that_are_on(app, api, world, wechat):
    app.config["REMINDER_TEMPLATES"] = {"session_start": "tpl-session_start", "survey": None}
    subscribe(api, world.trainee, survey=1)
    answer = api.get("/me/subscriptions", world.trainee)
    assert answer.status_code == 200
    assert answer.json["templates"] == {"session_start": "tpl-session_start"}
    assert answer.json["credits"]["survey"] == 1
