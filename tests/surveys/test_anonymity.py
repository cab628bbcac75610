"""Anonymous but counted: nothing stored or served ties an answer to the trainee who gave it."""

import json

import sqlalchemy as sa

from backend.enrollment.models import Enrollment
from backend.extensions import db
from backend.surveys.models import SurveyAnswer, SurveySuggestion
from tests.conftest import close_survey, open_survey, record_check_ins
from tests.surveys.helpers import form


def _columns(app, table: str) -> dict[str, sa.types.TypeEngine]:
    with app.app_context():
        return {c["name"]: c["type"] for c in sa.inspect(db.engine).get_columns(table)}


def _referred(app, table: str) -> set[str]:
    with app.app_context():
        return {fk["referred_table"] for fk in sa.inspect(db.engine).get_foreign_keys(table)}


def test_the_answers_tables_have_no_column_leading_to_a_trainee(app, world):
    answers = _columns(app, "survey_answers")
    assert set(answers) == {"id", "class_id", "rating", "session_id", "answered_on"}
    # the day only: no time of day to match against anything else
    assert isinstance(answers["answered_on"], sa.Date)
    assert not isinstance(answers["answered_on"], sa.DateTime)
    assert _referred(app, "survey_answers") == {"training_classes", "sessions"}

    assert set(_columns(app, "survey_suggestions")) == {"id", "class_id", "text", "shared"}
    assert _referred(app, "survey_suggestions") == {"training_classes"}


def test_the_receipt_says_who_but_neither_what_nor_when(app, world):
    assert set(_columns(app, "survey_receipts")) == {"id", "class_id", "enrollment_id"}
    assert _referred(app, "survey_receipts") == {"training_classes", "enrollments"}


def _submit_three(api, world) -> list[int]:
    record_check_ins(api.client.application, world.session_ids[0], world.trainees)
    open_survey(api, world)
    ids = []
    for i, token in enumerate(world.trainees.values()):
        level = ("excellent", "good", "poor")[i]
        response = api.post(
            f"/classes/{world.class_id}/survey/responses",
            token,
            json=form(world.session_ids, level=level, suggestions=f"独特建议{i}"),
        )
        assert response.status_code == 201
        ids.append(response.json["id"])
    close_survey(api, world)
    return ids


def test_ids_tell_no_order_and_match_nothing(app, api, world):
    receipt_ids = _submit_three(api, world)
    with app.app_context():
        answer_ids = sorted(db.session.scalars(db.select(SurveyAnswer.id)))
        suggestion_ids = sorted(db.session.scalars(db.select(SurveySuggestion.id)))
    for ids in (sorted(receipt_ids), answer_ids, suggestion_ids):
        steps = {b - a for a, b in zip(ids, ids[1:], strict=False)}
        assert steps != {1}, ids  # not a sequence
        assert min(ids) > 2**20
    assert not set(receipt_ids) & (set(answer_ids) | set(suggestion_ids))
    assert max(receipt_ids + suggestion_ids) < 2**53  # exact in JavaScript


def _readable_get_paths(app, world) -> list[str]:
    """Every GET route of the app that takes at most a class, a year or a session."""
    values = {"class_id": world.class_id, "year": 2023, "session_id": world.session_ids[0]}
    paths = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or not set(rule.arguments) <= set(values):
            continue
        if rule.endpoint == "static":
            continue
        paths.append(rule.build({k: values[k] for k in rule.arguments})[1])
    return paths


def test_no_endpoint_shows_who_gave_which_answer(app, client, api, world):
    _submit_three(api, world)
    with app.app_context():
        names = set(
            db.session.scalars(db.select(Enrollment.name).where(Enrollment.id.in_(world.trainees)))
        )
    answer_marks = ["独特建议", "excellent", "poor"]
    paths = _readable_get_paths(app, world)
    assert any(p.endswith("/survey/stats") for p in paths)
    assert any(p.endswith("/trainees") for p in paths)
    callers = [world.admin, world.organizer, world.lecturer, *world.trainees.values()]
    for token in callers:
        for path in paths:
            response = client.get(path, headers={"Authorization": f"Bearer {token}"})
            body = response.get_data().decode(errors="ignore")
            if response.is_json:
                body = json.dumps(response.json, ensure_ascii=False)
            shows_who = any(name in body for name in names)
            shows_what = any(mark in body for mark in answer_marks)
            assert not (shows_who and shows_what), path
