"""#12 item 9: binding by WeChat's phone-number check (against the fake WeChat server), typed
name + phone limited and answering the same for "not found" and "taken", and an organizer's
unbinding (audited) that ends the old holder's access to the class."""

import pytest

from backend.auth.logic import init_wechat
from tests.checkin.helpers import code_for, scan
from tests.conftest import trainee_token


@pytest.fixture
def wechat_app(app, fake_wechat):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
    )
    init_wechat(app)
    return app


def _bind(api, token, **body):
    return api.post("/me/enrollments", token, json=body)


def _roster_entry(api, world, enrollment_id):
    roster = api.get(f"/classes/{world.class_id}/trainees", world.organizer).json
    return next(r for r in roster if r["enrollment_id"] == enrollment_id)


def test_a_phone_code_binds_without_typing(api, world, wechat_app, fake_wechat):
    token = trainee_token(api, "phone-owner")
    bound = _bind(api, token, phone_code="phone-13900000004")
    assert bound.status_code == 200, bound.json
    assert bound.json == {
        "enrollment_id": world.unbound[0],
        "class_id": world.class_id,
        "class_ids": [world.class_id],
    }
    (call,) = fake_wechat.calls_to("/wxa/business/getuserphonenumber")
    assert call[2]["code"] == "phone-13900000004" and call[2]["access_token"]
    assert _roster_entry(api, world, world.unbound[0])["bound"] is True
    assert [c["id"] for c in api.get("/me/classes", token).json] == [world.class_id]


def test_a_phone_code_of_a_phone_on_no_roster_is_not_on_roster(api, world, wechat_app):
    answer = _bind(api, trainee_token(api, "x"), phone_code="phone-13700000000")
    assert answer.status_code == 404 and answer.json["error"] == "not_on_roster"


@pytest.mark.parametrize(
    "answer, status, error",
    [
        ({"errcode": 40029, "errmsg": "invalid code"}, 422, "validation_failed"),
        ({"errcode": 40163, "errmsg": "code been used"}, 422, "validation_failed"),
        ({"errcode": 45011, "errmsg": "api minute-quota reach limit"}, 429, "rate_limited"),
        ({"errcode": -1, "errmsg": "system error"}, 503, "unavailable"),
        (502, 503, "unavailable"),
    ],
)
def test_wechat_refusals_are_clear_and_bind_nothing(
    api, world, wechat_app, fake_wechat, answer, status, error
):
    fake_wechat.script("/wxa/business/getuserphonenumber", answer)
    refused = _bind(api, trainee_token(api, "y"), phone_code="phone-13900000004")
    assert refused.status_code == status and refused.json["error"] == error
    if status == 422:
        assert list(refused.json["fields"]) == ["phone_code"]
    assert _roster_entry(api, world, world.unbound[0])["bound"] is False


def test_a_used_phone_code_is_refused_by_wechat(api, world, wechat_app):
    token = trainee_token(api, "z")
    assert _bind(api, token, phone_code="phone-13900000004").status_code == 200
    again = _bind(api, trainee_token(api, "z2"), phone_code="phone-13900000004")
    assert again.status_code == 422 and "phone_code" in again.json["fields"]


def test_the_real_owner_takes_an_entry_back_from_a_colleague(api, world, wechat_app):
    colleague = trainee_token(api, "colleague")
    typed = _bind(api, colleague, class_id=world.class_id, name="学员4", phone="13900000004")
    assert typed.status_code == 200
    owner = trainee_token(api, "owner")
    assert (
        _bind(api, owner, class_id=world.class_id, name="学员4", phone="13900000004").status_code
        == 404
    )
    proven = _bind(api, owner, class_id=world.class_id, phone_code="phone-13900000004")
    assert proven.status_code == 200 and proven.json["enrollment_id"] == world.unbound[0]
    assert api.get("/me/classes", colleague).json == []
    audit = api.get(f"/audit?class_id={world.class_id}", world.admin).json
    actions = [e["action"] for e in (audit["entries"] if isinstance(audit, dict) else audit)]
    assert "enrollment.take_over" in actions


def test_typed_not_found_and_taken_answer_the_same(api, world):
    unknown = _bind(
        api, trainee_token(api, "a"), class_id=world.class_id, name="学员4", phone="13900009999"
    )
    first, trainee = next(iter(world.trainees.items()))
    taken = _bind(
        api, trainee_token(api, "b"), class_id=world.class_id, name="学员1", phone="13900000001"
    )
    assert unknown.status_code == taken.status_code == 404
    assert (
        unknown.json
        == taken.json
        == {
            "error": "not_on_roster",
            "message": "名单中没有找到您，请核对姓名和手机号，或联系承办单位",
        }
    )
    # already_bound stays only for the caller's own state: it holds another entry of the class
    own = _bind(api, trainee, class_id=world.class_id, name="学员4", phone="13900000004")
    assert own.status_code == 409 and own.json["error"] == "already_bound"


def test_typed_guesses_are_limited_per_trainee_and_per_address(api, world):
    guesser = trainee_token(api, "guesser")
    statuses = [
        _bind(
            api, guesser, class_id=world.class_id, name="学员4", phone=f"1390000{i:04d}"
        ).status_code
        for i in range(10, 17)
    ]
    assert statuses == [404] * 5 + [429] * 2
    # a right guess now is refused too: the budget is spent
    assert (
        _bind(api, guesser, class_id=world.class_id, name="学员4", phone="13900000004").status_code
        == 429
    )
    # more WeChat accounts from the same address: 30 failures an hour in all
    failures = 5
    for n in range(10):
        other = trainee_token(api, f"sock{n}")
        for i in range(3):
            status = _bind(api, other, name="学员4", phone=f"1391{n:03d}{i:04d}").status_code
            failures += status == 404
            if status == 429:
                break
    assert failures == 30
    assert (
        _bind(api, trainee_token(api, "late"), name="某某", phone="13600000000").status_code == 429
    )


def test_successful_bindings_are_not_counted(api, world):
    token = trainee_token(api, "again")
    statuses = {_bind(api, token, name="学员4", phone="13900000004").status_code for _ in range(40)}
    assert statuses == {200}
    assert _bind(api, token, name="学员4", phone="13900000099").status_code == 404


def test_an_organizer_unbinds_an_entry_and_its_holder_loses_the_class(api, world):
    enrollment_id, token = next(iter(world.trainees.items()))
    qr = code_for(api, world, world.session_ids[0])["token"]
    other_unit = api.delete(
        f"/classes/{world.class_id}/trainees/{enrollment_id}/binding", world.other_organizer
    )
    assert other_unit.status_code == 404
    assert (
        api.delete(
            f"/classes/{world.class_id}/trainees/{enrollment_id}/binding", world.trainee
        ).status_code
        == 403
    )
    freed = api.delete(
        f"/classes/{world.class_id}/trainees/{enrollment_id}/binding", world.organizer
    )
    assert freed.status_code == 200 and freed.json["bound"] is False
    assert scan(api, token, token=qr).status_code == 403  # not_enrolled
    assert api.get(f"/classes/{world.class_id}", token).status_code == 404
    audit = api.get(f"/audit?class_id={world.class_id}", world.admin).json
    entries = audit["entries"] if isinstance(audit, dict) else audit
    assert any(e["action"] == "enrollment.unbind" for e in entries)
    rebound = _bind(
        api,
        trainee_token(api, "right-person"),
        class_id=world.class_id,
        name="学员1",
        phone="13900000001",
    )
    assert rebound.status_code == 200
    missing = api.delete(f"/classes/{world.class_id}/trainees/999999/binding", world.organizer)
    assert missing.status_code == 404
