"""POST /auth/wechat through wechatpy against the fake WeChat server."""

import pytest

from backend.auth.logic import init_wechat
from backend.auth.models import Trainee
from backend.extensions import db


@pytest.fixture
def wechat_app(app, fake_wechat):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
        DEV_LOGIN=False,
    )
    init_wechat(app)
    return app


def test_login_keeps_the_session_key_on_the_server(app, api, wechat_app, fake_wechat):
    response = api.post("/auth/wechat", json={"code": "ok-zhang"})
    assert response.status_code == 200
    body = response.json
    assert set(body) == {"token", "trainee_id", "expires_at"}
    with app.app_context():
        trainee = db.session.get(Trainee, body["trainee_id"])
    assert trainee.openid == "openid-zhang"
    assert trainee.session_key and trainee.session_key not in response.get_data(as_text=True)
    assert api.get("/me", body["token"]).json["role"] == "trainee"
    assert not fake_wechat.calls_to("/cgi-bin/token") and not fake_wechat.calls_to(
        "/cgi-bin/stable_token"
    )


@pytest.mark.parametrize("errcode", [40029, 40163])
def test_invalid_or_used_codes_are_401(api, wechat_app, fake_wechat, errcode):
    fake_wechat.script("/sns/jscode2session", {"errcode": errcode, "errmsg": "bad code"})
    response = api.post("/auth/wechat", json={"code": "ok-li"})
    assert response.status_code == 401
    assert response.json["error"] == "wechat_login_failed"


def test_a_code_used_twice_is_refused_by_wechat(api, wechat_app):
    assert api.post("/auth/wechat", json={"code": "ok-wu"}).status_code == 200
    assert api.post("/auth/wechat", json={"code": "ok-wu"}).json["error"] == "wechat_login_failed"


def test_too_frequent_is_429(api, wechat_app, fake_wechat):
    fake_wechat.script(
        "/sns/jscode2session", {"errcode": 45011, "errmsg": "api minute-quota reach limit"}
    )
    response = api.post("/auth/wechat", json={"code": "ok-li"})
    assert response.status_code == 429
    assert response.json["error"] == "rate_limited"


@pytest.mark.parametrize("answer", [500, "hang"])
def test_wechat_down_or_slow_is_503_with_a_clear_message(api, wechat_app, fake_wechat, answer):
    # A short timeout for the hang only: elsewhere a busy machine must not turn answers into 503s.
    wechat_app.config["WECHAT_TIMEOUT"] = 0.5
    init_wechat(wechat_app)
    fake_wechat.script("/sns/jscode2session", answer)
    response = api.post("/auth/wechat", json={"code": "ok-li"})
    assert response.status_code == 503
    assert response.json == {
        "error": "unavailable",
        "message": "暂时无法连接微信服务器，请稍后再试",
    }


def test_wechat_unreachable_is_503(api, wechat_app, fake_wechat):
    fake_wechat.stop()
    assert api.post("/auth/wechat", json={"code": "ok-li"}).status_code == 503


def test_dev_codes_are_refused_when_dev_login_is_off(api, wechat_app, fake_wechat):
    response = api.post("/auth/wechat", json={"code": "dev:alice"})
    assert response.status_code == 401  # sent to WeChat as a code, which rejects it
    assert fake_wechat.calls_to("/sns/jscode2session")
