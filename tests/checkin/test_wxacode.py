"""The WeChat mini-program code of a session, against the fake WeChat server."""

import re

import pytest

from backend.auth.logic import init_wechat
from tests.checkin.helpers import old_slot_token, scan, set_class

SCENE_CHARS = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")


@pytest.fixture
def wechat(app, fake_wechat):
    app.config.update(
        WECHAT_APP_ID=fake_wechat.app_id,
        WECHAT_APP_SECRET=fake_wechat.app_secret,
        WECHAT_API_BASE=fake_wechat.base_url,
    )
    init_wechat(app)
    return fake_wechat


def wxacode(api, world, session_id):
    return api.get(f"/sessions/{session_id}/checkin-wxacode.png", world.organizer)


def scene_of(wechat) -> str:
    return wechat.calls_to("wxa/getwxacodeunlimit")[-1][2]["scene"]


def test_the_mini_program_code_opens_the_check_in_page_with_a_short_scene(api, world, wechat):
    response = wxacode(api, world, world.session_ids[0])
    assert response.status_code == 200
    assert response.mimetype == "image/png" and response.data.startswith(b"\x89PNG")
    call = wechat.calls_to("wxa/getwxacodeunlimit")[-1][2]
    assert call["page"] == "pages/checkin/checkin"
    assert SCENE_CHARS.fullmatch(call["scene"])


def test_a_scene_checks_in_and_is_recorded_as_wxacode(api, world, wechat):
    wxacode(api, world, world.session_ids[0])
    response = scan(api, world.trainee, scene=scene_of(wechat))
    assert response.status_code == 201
    table = api.get(f"/classes/{world.class_id}/attendance", world.organizer).json
    assert table["trainees"][0]["attendance"][0]["source"] == "wxacode"


def test_a_reload_in_the_same_slot_asks_wechat_once(app, api, world, wechat):
    set_class(app, world, code_rotate_seconds=600)
    for _ in range(3):
        assert wxacode(api, world, world.session_ids[0]).status_code == 200
    assert len(wechat.calls_to("wxa/getwxacodeunlimit")) == 1


def test_tampered_and_old_scenes_are_refused(app, api, world, wechat):
    set_class(app, world, code_rotate_seconds=600)
    wxacode(api, world, world.session_ids[0])
    scene = scene_of(wechat)
    tampered = scene[:-1] + ("A" if scene[-1] != "A" else "B")
    assert scan(api, world.trainee, scene=tampered).json["error"] == "invalid_token"
    assert scan(api, world.trainee, token=scene).json["error"] == "invalid_token"
    old = old_slot_token(app, world, world.session_ids[0], 3, kind="scene")
    assert scan(api, world.trainee, scene=old).status_code == 410


def test_wechat_refusing_is_a_clear_error(api, world, wechat):
    wechat.script(
        "wxa/getwxacodeunlimit", {"errcode": 45009, "errmsg": "reach max api daily quota"}
    )
    response = wxacode(api, world, world.session_ids[1])
    assert response.status_code == 429 and response.json["error"] == "rate_limited"
    wechat.script("wxa/getwxacodeunlimit", {"errcode": 41030, "errmsg": "invalid page"})
    response = wxacode(api, world, world.session_ids[2])
    assert response.status_code == 503 and "二维码" in response.json["message"]


def test_without_wechat_credentials_there_is_no_mini_program_code(api, world):
    response = wxacode(api, world, world.session_ids[0])
    assert response.status_code == 503 and response.json["error"] == "unavailable"
