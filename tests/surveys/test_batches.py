"""Answers are released in whole batches: the polling attack of #12 finds no group below B.

The attack: after every single form, read who is still pending and every count that
depends on answers (the stats, the live tally, the lecturer's ratings), as the organizer,
the admin and the lecturer; then close the survey and read again. Each change of a count
must cover at least B forms, so no difference ever isolates fewer than B people.
"""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from backend.classes.models import TrainingClass
from backend.core.timeutil import today_in_china
from backend.extensions import db
from backend.live.tally import class_tally
from backend.surveys.models import SurveyHeldForm, SurveySettings
from tests.conftest import USE_POSTGRES, build_world, close_survey, open_survey, record_check_ins
from tests.surveys.helpers import form

B = 5
LEVELS = ("excellent", "good", "fair", "poor")


@pytest.fixture
def class_of_13(app, api):
    """13 trainees checked in, the survey open with the default batch (5)."""
    world = build_world(app, trainees=13, bound=13)
    record_check_ins(app, world.session_ids[0], world.trainees)
    open_survey(api, world)
    return world


def _submit(api, world, token, i: int) -> None:
    body = form(world.session_ids, level=LEVELS[i % 4], suggestions=f"第{i}位学员的建议")
    response = api.post(f"/classes/{world.class_id}/survey/responses", token, json=body)
    assert response.status_code == 201, response.json


def _observe(api, world) -> dict:
    """What each attacker reads: pending names, and every count that depends on answers."""
    url = f"/classes/{world.class_id}/survey"
    organizer = api.get(f"{url}/stats", world.organizer).json
    admin = api.get(f"{url}/stats", world.admin).json
    assert organizer == admin
    pending = {p["name"] for p in api.get(f"{url}/pending", world.organizer).json}
    assert pending == {p["name"] for p in api.get(f"{url}/pending", world.admin).json}
    ratings = api.get("/me/ratings", world.lecturer).json
    with api.client.application.app_context():
        tally = class_tally(world.class_id)["survey"]["returned"]
    return {
        "pending": pending,
        "returned": organizer["returned"],
        "received": organizer["received"],
        "rows": [sum(row["counts"].values()) for row in organizer["rows"]],
        "suggestions": len(organizer["suggestions"]),
        "tally": tally,
        "lecturer": [row["returned"] for row in ratings],
    }


def _shown(seen: dict) -> list[int]:
    """Every count of forms an attacker can read (each row of 附件3 counts one per form)."""
    return [seen["returned"], seen["tally"], *seen["rows"], *seen["lecturer"]]


def test_polling_after_each_form_finds_no_group_smaller_than_a_batch(api, class_of_13):
    world = class_of_13
    tokens = list(world.trainees.values())[:12]
    seen = [_observe(api, world)]
    for i, token in enumerate(tokens):
        _submit(api, world, token, i)
        seen.append(_observe(api, world))
    close_survey(api, world)
    seen.append(_observe(api, world))

    # while open: ⌊received / B⌋·B − B forms shown, one whole batch always held back
    assert [s["returned"] for s in seen] == [0] * 10 + [5, 5, 5] + [12]
    assert [s["received"] for s in seen] == [*range(13), 12]
    for before, after in zip(seen, seen[1:], strict=False):
        for old, new in zip(_shown(before), _shown(after), strict=True):
            assert new == old or new - old >= B, (old, new)
        # every count moves together: none of them can be read more finely than `returned`
        assert set(_shown(after)) == {after["returned"]}
        grew = after["suggestions"] - before["suggestions"]
        assert grew == 0 or grew >= B
    # the trainees who left the pending list between two changes of the counts
    changes = [i for i in range(1, len(seen)) if seen[i]["returned"] != seen[i - 1]["returned"]]
    assert changes == [10, 13]
    assert seen[10]["returned"] - seen[9]["returned"] == 5  # 10 people left pending by then
    assert seen[13]["returned"] - seen[12]["returned"] == 7  # the 2 latest hide among 7


def test_a_survey_closed_by_itself_shows_every_form(app, api, class_of_13):
    world = class_of_13
    for i, token in enumerate(list(world.trainees.values())[:7]):
        _submit(api, world, token, i)
    assert _observe(api, world)["returned"] == 0
    # the class ended days ago and its survey closed by itself: nobody pressed "close"
    with app.app_context():
        training_class = db.session.get(TrainingClass, world.class_id)
        training_class.start_date = today_in_china() - timedelta(days=8)
        training_class.end_date = today_in_china() - timedelta(days=5)
        db.session.get(SurveySettings, world.class_id).closes_after_days = 0
        db.session.commit()
    seen = _observe(api, world)
    assert (seen["returned"], seen["received"], seen["suggestions"]) == (7, 7, 7)
    assert set(_shown(seen)) == {7}
    # sharing a suggestion of a held form moves the forms out (its id is new: a held row's id
    # must not reappear), and the counts stay
    items = api.get(f"/classes/{world.class_id}/survey/stats", world.organizer).json
    chosen = items["suggestion_items"][3]
    url = f"/classes/{world.class_id}/survey/suggestions/{chosen['id']}/share"
    shared = api.post(url, world.organizer).json
    assert (shared["text"], shared["shared"]) == (chosen["text"], True)
    assert shared["id"] != chosen["id"]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(SurveyHeldForm)) == 0
    seen = _observe(api, world)
    assert (seen["returned"], seen["suggestions"]) == (7, 7)
    stats = api.get(f"/classes/{world.class_id}/survey/stats", world.organizer).json
    assert [i["text"] for i in stats["suggestion_items"] if i["shared"]] == [chosen["text"]]


def test_forms_after_a_reopening_wait_for_a_whole_batch(api, class_of_13):
    world = class_of_13
    tokens = list(world.trainees.values())
    for i, token in enumerate(tokens[:12]):
        _submit(api, world, token, i)
    close_survey(api, world)
    open_survey(api, world)
    _submit(api, world, tokens[12], 12)
    close_survey(api, world)
    seen = _observe(api, world)
    # one late form would be read off by comparing the pending list: it stays held, stored
    assert (seen["returned"], seen["received"]) == (12, 13)


def test_the_batch_is_a_class_setting_of_at_least_three(api, class_of_13):
    world = class_of_13
    url = f"/classes/{world.class_id}/survey/settings"
    response = api.put(url, world.organizer, json={"batch_size": 2})
    assert response.status_code == 422
    assert "batch_size" in response.json["fields"]
    assert api.put(url, world.organizer, json={"batch_size": 3}).json["batch_size"] == 3
    tokens = list(world.trainees.values())
    for i, token in enumerate(tokens[:6]):
        _submit(api, world, token, i)
    assert _observe(api, world)["returned"] == 3
    refused = api.put(url, world.organizer, json={"batch_size": 4})
    assert (refused.status_code, refused.json["error"]) == (409, "survey_has_answers")


def _xmin(app, table: str) -> list[tuple[int, str | None]]:
    """(xmin, suggestion text or None) of each row, as a role with plain SELECT reads them."""
    with app.app_context():
        text = "text" if table == "survey_suggestions" else "NULL"
        rows = db.session.execute(sa.text(f"SELECT xmin::text::bigint, {text} FROM {table}"))
        return [tuple(row) for row in rows]


@pytest.mark.skipif(not USE_POSTGRES, reason="xmin is PostgreSQL's; SQLite has no such column")
def test_a_database_reader_links_no_one_to_fewer_than_a_batch(app, api, class_of_13):
    world = class_of_13
    for i, token in enumerate(list(world.trainees.values())[:12]):
        _submit(api, world, token, i)
    with app.app_context():
        db.session.rollback()
    receipts = {x for x, _ in _xmin(app, "survey_receipts")}
    held = {x for x, _ in _xmin(app, "survey_held_forms")}
    assert held <= receipts  # held forms were written with their receipts: hence sealed
    answers, suggestions = _xmin(app, "survey_answers"), _xmin(app, "survey_suggestions")
    assert not receipts & ({x for x, _ in answers} | {x for x, _ in suggestions})
    # the released forms were written together, B at a time: one transaction per batch
    per_transaction: dict[int, int] = {}
    for x, _ in suggestions:
        per_transaction[x] = per_transaction.get(x, 0) + 1
    assert sorted(per_transaction.values()) == [5]
    assert len({x for x, _ in answers}) == 1 and len(answers) == 5 * (4 + 10)

    close_survey(api, world)
    with app.app_context():
        db.session.rollback()
    per_transaction = {}
    for x, _ in _xmin(app, "survey_suggestions"):
        per_transaction[x] = per_transaction.get(x, 0) + 1
    assert sorted(per_transaction.values()) == [5, 7]
    assert not receipts & {x for x, _ in _xmin(app, "survey_answers")}


def test_held_forms_are_sealed_and_all_of_one_length(app, api, class_of_13):
    world = class_of_13
    tokens = list(world.trainees.values())
    _submit(api, world, tokens[0], 0)
    long = form(world.session_ids, suggestions="很长的建议" * 400)
    assert api.post(f"/classes/{world.class_id}/survey/responses", tokens[1], json=long)
    with app.app_context():
        db.session.rollback()
        sealed = db.session.scalars(sa.select(SurveyHeldForm.sealed)).all()
    assert len(sealed) == 2 and len(sealed[0]) == len(sealed[1])
    for blob in sealed:
        assert "建议".encode() not in blob and b"excellent" not in blob
