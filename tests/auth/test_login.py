"""Staff and trainee log-in, tokens, accounts."""

from datetime import datetime, timedelta

from backend.auth import tokens
from backend.auth.models import User
from backend.extensions import db


def test_staff_login_gives_a_token_that_expires_in_12_hours(api, world):
    response = api.post(
        "/auth/login", json={"username": "org-hust", "password": "org-hust-password"}
    )
    assert response.status_code == 200
    body = response.json
    assert body["role"] == "organizer"
    expires = datetime.fromisoformat(body["expires_at"])
    assert expires.utcoffset() == timedelta(hours=8)
    assert (
        timedelta(hours=11, minutes=59)
        < expires - datetime.now(expires.tzinfo)
        <= timedelta(hours=12)
    )
    assert api.get("/me", body["token"]).json["unit"]["name"] == "华中科技大学"


def test_wrong_password_and_unknown_user_are_the_same_401(api, world):
    wrong = api.post("/auth/login", json={"username": "org-hust", "password": "nope"})
    unknown = api.post("/auth/login", json={"username": "nobody", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert (
        wrong.json
        == unknown.json
        == {"error": "invalid_credentials", "message": "用户名或密码错误"}
    )


def test_login_validation_names_the_fields(api, world):
    response = api.post("/auth/login", json={"username": ""})
    assert response.status_code == 422
    assert response.json["error"] == "validation_failed"
    assert set(response.json["fields"]) == {"username", "password"}


def test_expired_and_tampered_tokens_are_401(app, api, world):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "admin"))
        token, _ = tokens.issue("staff", user.id, user.token_version)
    app.config["TOKEN_TTL_HOURS"] = -1  # every token is now older than its lifetime
    assert api.get("/me", token).status_code == 401
    app.config["TOKEN_TTL_HOURS"] = 12
    assert api.get("/me", token).status_code == 200
    assert api.get("/me", world.admin[:-2] + "xx").status_code == 401
    assert api.get("/me", world.admin).status_code == 200
    assert api.get("/me").json["error"] == "unauthorized"


def test_password_change_kills_earlier_tokens(api, world):
    response = api.put(
        "/me/password",
        world.organizer,
        json={"old_password": "org-hust-password", "new_password": "a-new-password"},
    )
    assert response.status_code == 200
    assert api.get("/me", world.organizer).status_code == 401
    assert api.get("/me", response.json["token"]).status_code == 200
    login = api.post("/auth/login", json={"username": "org-hust", "password": "a-new-password"})
    assert login.status_code == 200


def test_logout_kills_the_token(api, world):
    assert api.post("/auth/logout", world.lecturer).status_code == 204
    assert api.get("/me", world.lecturer).status_code == 401


def test_dev_login_creates_one_trainee_per_code(api, world):
    first = api.post("/auth/wechat", json={"code": "dev:alice"}).json
    again = api.post("/auth/wechat", json={"code": "dev:alice"}).json
    assert first["trainee_id"] == again["trainee_id"]
    assert api.get("/me", first["token"]).json == {"role": "trainee", "id": first["trainee_id"]}


def test_dev_login_is_off_unless_configured(app, api, world):
    app.config["DEV_LOGIN"] = False
    response = api.post("/auth/wechat", json={"code": "dev:alice"})
    assert response.status_code == 503  # no WeChat credentials configured either


def test_admin_creates_accounts_and_organizers_only_lecturer_accounts(api, world):
    created = api.post(
        "/users",
        world.organizer,
        json={
            "username": "wang",
            "password": "password-1",
            "role": "lecturer",
            "lecturer_id": world.lecturer_ids[0],
        },
    )
    assert created.status_code == 201
    assert created.json["role"] == "lecturer"
    refused = api.post(
        "/users",
        world.organizer,
        json={"username": "boss", "password": "password-1", "role": "admin"},
    )
    assert refused.status_code == 403
    taken = api.post(
        "/users",
        world.admin,
        json={
            "username": "wang",
            "password": "password-1",
            "role": "lecturer",
            "lecturer_id": world.lecturer_ids[0],
        },
    )
    assert taken.status_code == 409 and taken.json["error"] == "username_taken"
    missing_unit = api.post(
        "/users",
        world.admin,
        json={"username": "org2", "password": "password-1", "role": "organizer"},
    )
    assert missing_unit.status_code == 422 and "unit_id" in missing_unit.json["fields"]
    login = api.post("/auth/login", json={"username": "wang", "password": "password-1"})
    assert login.json["role"] == "lecturer"


def test_staff_login_is_rate_limited_per_account(api, world):
    statuses = [
        api.post("/auth/login", json={"username": "org-hust", "password": "wrong"}).status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]
    blocked = api.post(
        "/auth/login", json={"username": "org-hust", "password": "org-hust-password"}
    )
    assert blocked.json["error"] == "rate_limited"
    other = api.post("/auth/login", json={"username": "admin", "password": "admin-password"})
    assert other.status_code == 200
