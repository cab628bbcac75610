"""MiniProgramClient against the fake WeChat server, over real HTTP."""

import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import redis

from backend.wechat.client import (
    MiniProgramClient,
    WeChatError,
    WeChatLoginFailed,
    WeChatRateLimited,
    WeChatUnavailable,
    WxSession,
    client_from_config,
)
from tests import fakewechat
from tests.fakewechat import FakeWeChat

fake_wechat = fakewechat.fake_wechat  # the fixture, for the tests below

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
REDIS_URL = "redis://127.0.0.1:6379/15"
TOKEN_PATHS = ("/cgi-bin/token", "/cgi-bin/stable_token")


def make_client(fake: FakeWeChat, **kwargs: Any) -> MiniProgramClient:
    return MiniProgramClient(fake.app_id, fake.app_secret, api_base=fake.base_url, **kwargs)


def token_calls(fake: FakeWeChat) -> list[tuple[str, str, dict[str, Any]]]:
    return [call for call in fake.calls if call[1] in TOKEN_PATHS]


@pytest.fixture
def redis_client(fake_wechat: FakeWeChat) -> Iterator[redis.Redis]:
    """A real Redis; the fake's app id is unique, so the keys under it are this test's own."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except (redis.ConnectionError, redis.TimeoutError) as exc:
        client.close()
        pytest.skip(f"no Redis answering at {REDIS_URL}: {exc}")
    try:
        yield client
    finally:
        keys = list(client.scan_iter(match=f"wechatpy:{fake_wechat.app_id}_*"))
        if keys:
            client.delete(*keys)
        client.close()


def test_code_to_session_needs_no_access_token(fake_wechat: FakeWeChat) -> None:
    session = make_client(fake_wechat).code_to_session("ok-alice")

    assert session.openid == "openid-alice"
    assert session.session_key
    assert session.unionid is None
    assert [(method, path) for method, path, _ in fake_wechat.calls] == [
        ("GET", "/sns/jscode2session")
    ]
    params = fake_wechat.calls[0][2]
    assert params["appid"] == fake_wechat.app_id
    assert params["secret"] == fake_wechat.app_secret
    assert "access_token" not in params


def test_code_to_session_reads_unionid(fake_wechat: FakeWeChat) -> None:
    answer = {"openid": "o1", "session_key": "k1", "unionid": "u1"}
    fake_wechat.script("sns/jscode2session", answer)

    assert make_client(fake_wechat).code_to_session("ok-bob") == WxSession("o1", "k1", "u1")


def test_invalid_code_fails_login(fake_wechat: FakeWeChat) -> None:
    with pytest.raises(WeChatLoginFailed) as info:
        make_client(fake_wechat).code_to_session("forged")

    assert info.value.errcode == 40029


def test_code_used_twice_fails_login(fake_wechat: FakeWeChat) -> None:
    client = make_client(fake_wechat)
    client.code_to_session("ok-carol")

    with pytest.raises(WeChatLoginFailed) as info:
        client.code_to_session("ok-carol")

    assert info.value.errcode == 40163


def test_wrong_secret_fails_login(fake_wechat: FakeWeChat) -> None:
    client = MiniProgramClient(fake_wechat.app_id, "wrong", api_base=fake_wechat.base_url)

    with pytest.raises(WeChatLoginFailed) as info:
        client.code_to_session("ok-dave")

    assert info.value.errcode == 40125


@pytest.mark.parametrize("errcode", [45011, 45009])
def test_rate_limited_login(fake_wechat: FakeWeChat, errcode: int) -> None:
    fake_wechat.script("sns/jscode2session", {"errcode": errcode, "errmsg": "limit"})

    with pytest.raises(WeChatRateLimited) as info:
        make_client(fake_wechat).code_to_session("ok-erin")

    assert info.value.errcode == errcode
    assert not isinstance(info.value, WeChatLoginFailed)


def test_system_busy_is_unavailable(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("sns/jscode2session", {"errcode": -1, "errmsg": "system error"})

    with pytest.raises(WeChatUnavailable) as info:
        make_client(fake_wechat).code_to_session("ok-frank")

    assert info.value.errcode == -1


def test_http_500_is_unavailable(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("sns/jscode2session", 500)

    with pytest.raises(WeChatUnavailable) as info:
        make_client(fake_wechat).code_to_session("ok-grace")

    assert info.value.errcode is None


def test_stopped_server_is_unavailable(fake_wechat: FakeWeChat) -> None:
    client = make_client(fake_wechat)
    fake_wechat.stop()

    with pytest.raises(WeChatUnavailable):
        client.code_to_session("ok-heidi")
    with pytest.raises(WeChatUnavailable):
        client.wxa_code_unlimited("id=1")


def test_timeout_is_unavailable(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("sns/jscode2session", "hang")

    with pytest.raises(WeChatUnavailable):
        make_client(fake_wechat, timeout=0.5).code_to_session("ok-ivan")


def test_wxa_code_is_png_and_token_is_reused(fake_wechat: FakeWeChat) -> None:
    client = make_client(fake_wechat)

    first = client.wxa_code_unlimited("c=42&s=7", page="pages/checkin/index", width=280)
    second = client.wxa_code_unlimited("c=43")

    assert first.startswith(PNG_SIGNATURE)
    assert second.startswith(PNG_SIGNATURE)
    assert [(method, path) for method, path, _ in token_calls(fake_wechat)] == [
        ("POST", "/cgi-bin/stable_token")
    ]
    body = token_calls(fake_wechat)[0][2]
    assert body == {
        "grant_type": "client_credential",
        "appid": fake_wechat.app_id,
        "secret": fake_wechat.app_secret,
        "force_refresh": False,
    }
    code_calls = fake_wechat.calls_to("wxa/getwxacodeunlimit")
    assert code_calls[0][2]["scene"] == "c=42&s=7"
    assert code_calls[0][2]["page"] == "pages/checkin/index"
    assert code_calls[0][2]["width"] == 280
    assert "page" not in code_calls[1][2]
    assert code_calls[0][2]["access_token"] == code_calls[1][2]["access_token"]


def test_invalidated_token_is_fetched_again_once(fake_wechat: FakeWeChat) -> None:
    client = make_client(fake_wechat)
    client.wxa_code_unlimited("a=1")
    fake_wechat.invalidate_tokens()

    assert client.wxa_code_unlimited("a=2").startswith(PNG_SIGNATURE)

    assert len(token_calls(fake_wechat)) == 2
    assert len(fake_wechat.calls_to("wxa/getwxacodeunlimit")) == 3


def test_persistent_invalid_token_raises_after_one_retry(fake_wechat: FakeWeChat) -> None:
    invalid = {"errcode": 40001, "errmsg": "invalid credential"}
    fake_wechat.script("wxa/getwxacodeunlimit", *[invalid] * 10)

    with pytest.raises(WeChatError) as info:
        make_client(fake_wechat).wxa_code_unlimited("a=1")

    assert info.value.errcode == 40001
    assert len(fake_wechat.calls_to("wxa/getwxacodeunlimit")) == 2
    assert len(token_calls(fake_wechat)) == 2


def test_wxa_code_error_answer_raises(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("wxa/getwxacodeunlimit", {"errcode": 41030, "errmsg": "invalid page"})

    with pytest.raises(WeChatError) as info:
        make_client(fake_wechat).wxa_code_unlimited("a=1", page="pages/missing/index")

    assert info.value.errcode == 41030
    assert type(info.value) is WeChatError


def test_wxa_code_rate_limited(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("wxa/getwxacodeunlimit", {"errcode": 45009, "errmsg": "reach max api"})

    with pytest.raises(WeChatRateLimited):
        make_client(fake_wechat).wxa_code_unlimited("a=1")


def test_token_outage_is_unavailable(fake_wechat: FakeWeChat) -> None:
    fake_wechat.script("cgi-bin/stable_token", 502)

    with pytest.raises(WeChatUnavailable):
        make_client(fake_wechat).wxa_code_unlimited("a=1")


def test_wrong_secret_fails_token_fetch(fake_wechat: FakeWeChat) -> None:
    client = MiniProgramClient(fake_wechat.app_id, "wrong", api_base=fake_wechat.base_url)

    with pytest.raises(WeChatError) as info:
        client.wxa_code_unlimited("a=1")

    assert info.value.errcode == 40125


def test_clients_sharing_redis_fetch_the_token_once(
    fake_wechat: FakeWeChat, redis_client: redis.Redis
) -> None:
    first = make_client(fake_wechat, redis_client=redis_client)
    second = make_client(fake_wechat, redis_client=redis_client)

    first.wxa_code_unlimited("a=1")
    second.wxa_code_unlimited("a=2")

    assert len(token_calls(fake_wechat)) == 1
    key = f"wechatpy:{fake_wechat.app_id}_access_token"
    assert 0 < redis_client.ttl(key) <= 7200


def test_concurrent_redis_clients_fetch_the_token_once(
    fake_wechat: FakeWeChat, redis_client: redis.Redis
) -> None:
    """Several workers needing a token at once: the Redis lock lets one of them fetch it."""
    fake_wechat.token_delay = 0.2
    clients = [make_client(fake_wechat, redis_client=redis_client) for _ in range(4)]
    barrier = threading.Barrier(len(clients))

    def make_code(client: MiniProgramClient) -> bytes:
        barrier.wait()
        return client.wxa_code_unlimited("a=1")

    with ThreadPoolExecutor(len(clients)) as pool:
        images = list(pool.map(make_code, clients))

    assert all(image.startswith(PNG_SIGNATURE) for image in images)
    assert len(token_calls(fake_wechat)) == 1


def test_concurrent_threads_of_one_client_fetch_the_token_once(fake_wechat: FakeWeChat) -> None:
    fake_wechat.token_delay = 0.2
    client = make_client(fake_wechat)
    barrier = threading.Barrier(4)

    def make_code(scene: str) -> bytes:
        barrier.wait()
        return client.wxa_code_unlimited(scene)

    with ThreadPoolExecutor(4) as pool:
        images = list(pool.map(make_code, ["a=1", "a=2", "a=3", "a=4"]))

    assert all(image.startswith(PNG_SIGNATURE) for image in images)
    assert len(token_calls(fake_wechat)) == 1


def test_redis_clients_share_a_refetched_token(
    fake_wechat: FakeWeChat, redis_client: redis.Redis
) -> None:
    first = make_client(fake_wechat, redis_client=redis_client)
    second = make_client(fake_wechat, redis_client=redis_client)
    first.wxa_code_unlimited("a=1")
    fake_wechat.invalidate_tokens()

    first.wxa_code_unlimited("a=2")
    second.wxa_code_unlimited("a=3")

    assert len(token_calls(fake_wechat)) == 2


@pytest.mark.parametrize(
    "scene",
    ["", "x" * 33, "中文", "a b", "a%20b", 'a"b'],
)
def test_invalid_scene_raises(fake_wechat: FakeWeChat, scene: str) -> None:
    with pytest.raises(ValueError):
        make_client(fake_wechat).wxa_code_unlimited(scene)

    assert fake_wechat.calls == []


def test_longest_valid_scene_is_accepted(fake_wechat: FakeWeChat) -> None:
    scene = "0aZ!#$&'()*+,/:;=?@-._~" + "x" * 9

    assert make_client(fake_wechat).wxa_code_unlimited(scene).startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("page", ["", "/pages/index/index", "pages/index/index?a=1"])
def test_invalid_page_raises(fake_wechat: FakeWeChat, page: str) -> None:
    with pytest.raises(ValueError):
        make_client(fake_wechat).wxa_code_unlimited("a=1", page=page)


@pytest.mark.parametrize(
    "config",
    [{}, {"WECHAT_APP_ID": "wx1", "WECHAT_APP_SECRET": None}, {"WECHAT_APP_SECRET": "s"}],
)
def test_client_from_config_without_credentials(config: dict[str, Any]) -> None:
    assert client_from_config(config) is None


def test_client_from_config(fake_wechat: FakeWeChat) -> None:
    client = client_from_config(
        {
            "WECHAT_APP_ID": fake_wechat.app_id,
            "WECHAT_APP_SECRET": fake_wechat.app_secret,
            "WECHAT_API_BASE": fake_wechat.base_url.rstrip("/"),
            "WECHAT_TIMEOUT": 2.0,
        }
    )

    assert client is not None
    assert client.code_to_session("ok-judy").openid == "openid-judy"


def test_error_keeps_code_and_message() -> None:
    error = WeChatLoginFailed(40029, "invalid code")

    assert (error.errcode, error.errmsg) == (40029, "invalid code")
    assert isinstance(error, WeChatError)
    assert str(error) == "invalid code (errcode 40029)"
