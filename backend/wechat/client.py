"""Our mini-program's WeChat client: a thin wrapper over wechatpy's `WeChatClient`.

It fixes the pitfalls of wechatpy 1.8.18: log-in never needs an access
token, the token comes from `cgi-bin/stable_token` and is shared by every worker through Redis,
an invalid token is retried once (never recursively), and every failure surfaces as one of the
`WeChatError` classes below.
"""

import re
import threading
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any, TypeVar

import requests
from redis.exceptions import LockError
from wechatpy import WeChatClient
from wechatpy.exceptions import WeChatClientException
from wechatpy.session.memorystorage import MemoryStorage
from wechatpy.session.redisstorage import RedisStorage

DEFAULT_API_BASE = "https://api.weixin.qq.com/"
REDIS_PREFIX = "wechatpy"

# 40001 invalid credential, 40014 invalid access token, 42001 access token expired.
TOKEN_ERRCODES = frozenset({40001, 40014, 42001})
# 45009 daily API quota reached, 45011 too frequent.
RATE_LIMIT_ERRCODES = frozenset({45009, 45011})
SYSTEM_BUSY_ERRCODE = -1
# 43101: the user refused the subscribe message or has used up the credits they accepted.
NO_CREDIT_ERRCODE = 43101

# Drop a token this long before WeChat does, so that a request never carries one that expires
# on the way.
TOKEN_EXPIRY_MARGIN_SECONDS = 300

SCENE_RE = re.compile(r"[0-9A-Za-z!#$&'()*+,/:;=?@\-._~]{1,32}")

T = TypeVar("T")


class WeChatError(Exception):
    """A WeChat call failed; `errcode` is WeChat's code, or None when WeChat gave none."""

    def __init__(self, errcode: int | None, errmsg: str) -> None:
        super().__init__(f"{errmsg} (errcode {errcode})")
        self.errcode = errcode
        self.errmsg = errmsg


class WeChatLoginFailed(WeChatError):
    """jscode2session refused the code: invalid (40029), already used (40163), blocked user..."""


class WeChatCodeRefused(WeChatError):
    """WeChat refused a one-time code of a call other than log-in (invalid, used, expired)."""


class WeChatNoCredit(WeChatError):
    """A subscribe message refused because the user has no credit left for it (43101)."""


class WeChatRateLimited(WeChatError):
    """Too frequent (45011) or the API quota is used up (45009)."""


class WeChatUnavailable(WeChatError):
    """WeChat could not be reached or gave no usable answer; trying later may succeed."""


@dataclass(frozen=True)
class WxSession:
    """What jscode2session tells about a user; `session_key` must never leave the server."""

    openid: str
    session_key: str
    unionid: str | None


@dataclass(frozen=True)
class PhoneNumber:
    """A phone number WeChat vouches for: without the country code, and that code."""

    number: str
    country_code: str


class _StableTokenClient(WeChatClient):
    """`WeChatClient` that gets its access token from `cgi-bin/stable_token`.

    wechatpy keeps the token's expiry in process memory (`expires_at`), which other worker
    processes cannot see. With Redis the expiry is the key's TTL instead, and a token is fetched
    under a Redis lock, so all workers share one token and fetch it once.
    """

    def __init__(
        self, app_id: str, app_secret: str, api_base: str, timeout: float, redis_client: Any
    ) -> None:
        storage = (
            MemoryStorage() if redis_client is None else RedisStorage(redis_client, REDIS_PREFIX)
        )
        super().__init__(app_id, app_secret, session=storage, timeout=timeout, auto_retry=False)
        # Each client instance has its own API objects: set both base URLs on the instance.
        self.API_BASE_URL = f"{api_base}cgi-bin/"
        self.wxa.API_BASE_URL = api_base
        self._redis = redis_client
        self._local_lock = threading.Lock()

    @property
    def access_token(self) -> str:
        token = self._cached_token()
        if token is None:
            with self._fetch_lock():
                # Another thread or worker may have fetched it while we waited for the lock.
                token = self._cached_token()
                if token is None:
                    token = self.fetch_access_token()["access_token"]
        return token

    def fetch_access_token(self) -> dict[str, Any]:
        """Fetch a token from stable_token and store it; wechatpy hard-codes `cgi-bin/token`.

        `force_refresh: false` answers the current token while it is valid, so concurrent
        fetches elsewhere do not invalidate ours.
        """
        result = self.post(
            "stable_token",
            params={"access_token": None},  # requests drops it: no token needed to get one
            data={
                "grant_type": "client_credential",
                "appid": self.appid,
                "secret": self.secret,
                "force_refresh": False,
            },
        )
        if not isinstance(result, dict) or "access_token" not in result:
            raise WeChatUnavailable(None, "stable_token gave no access token")
        ttl = max(int(result.get("expires_in", 7200)) - TOKEN_EXPIRY_MARGIN_SECONDS, 1)
        self.session.set(self.access_token_key, result["access_token"], ttl)
        self.expires_at = int(time.time()) + ttl
        return result

    def drop_access_token(self, token: str) -> None:
        """Forget `token` after WeChat refused it, unless another worker has replaced it."""
        if self.session.get(self.access_token_key) == token:
            self.session.delete(self.access_token_key)
        self.expires_at = None

    def _cached_token(self) -> str | None:
        token = self.session.get(self.access_token_key)
        # MemoryStorage ignores TTLs, so in memory the expiry is checked here.
        if self._redis is None and (self.expires_at is None or self.expires_at <= time.time()):
            return None
        return token

    def _fetch_lock(self) -> AbstractContextManager[Any]:
        if self._redis is None:
            return self._local_lock
        # The lock outlives one stable_token request (connect + read timeouts) and no more.
        lock_seconds = 2 * self.timeout + 5
        return self._redis.lock(
            f"{REDIS_PREFIX}:{self.access_token_key}:lock",
            timeout=lock_seconds,
            blocking_timeout=lock_seconds,
        )


class MiniProgramClient:
    """The WeChat calls of our mini-program, with failures mapped to `WeChatError` classes."""

    def __init__(
        self,
        app_id: str,
        app_secret: str,
        api_base: str = DEFAULT_API_BASE,
        timeout: float = 5.0,
        redis_client: Any = None,
    ) -> None:
        self.app_id = app_id
        self._api_base = api_base.rstrip("/") + "/"
        self._client = _StableTokenClient(app_id, app_secret, self._api_base, timeout, redis_client)

    def code_to_session(self, code: str) -> WxSession:
        """Exchange a `wx.login` code for the user's openid and session_key.

        Called directly rather than through `wxa.code_to_session`, which would fetch an access
        token first, so a token outage or a token quota cannot break log-in.
        """
        try:
            result = self._client.get(
                "sns/jscode2session",
                api_base_url=self._api_base,
                params={
                    "appid": self._client.appid,
                    "secret": self._client.secret,
                    "js_code": code,
                    "grant_type": "authorization_code",
                    "access_token": None,  # requests drops it; wechatpy would fetch one
                },
            )
        except WeChatClientException as exc:
            raise _translate(exc, WeChatLoginFailed) from exc
        except requests.RequestException as exc:
            raise WeChatUnavailable(None, f"jscode2session: {exc}") from exc
        if not isinstance(result, dict) or not result.get("openid"):
            raise WeChatUnavailable(None, "jscode2session gave no openid")
        return WxSession(
            openid=result["openid"],
            session_key=result["session_key"],
            unionid=result.get("unionid"),
        )

    def wxa_code_unlimited(self, scene: str, page: str | None = None, width: int = 430) -> bytes:
        """The image of a mini-program code opening `page` with `scene` (getwxacodeunlimit).

        The page reads the scene with `decodeURIComponent(options.scene)`. `page` is a path
        such as "pages/checkin/index" (no leading slash, no query); None opens the home page.
        """
        if not SCENE_RE.fullmatch(scene):
            raise ValueError(
                "scene must be 1 to 32 characters from 0-9, A-Z, a-z and !#$&'()*+,/:;=?@-._~"
            )
        if page is not None and (not page or page.startswith("/") or "?" in page):
            raise ValueError("page must be a non-empty path without a leading '/' or a query")
        response = self._with_token(
            lambda: self._client.wxa.get_wxa_code_unlimited(scene, width=width, page=page)
        )
        # wechatpy returns the Response when the body is not JSON, a dict otherwise.
        if not isinstance(response, requests.Response) or not response.headers.get(
            "Content-Type", ""
        ).startswith("image/"):
            raise WeChatUnavailable(None, "getwxacodeunlimit gave no image")
        return response.content

    def phone_number(self, code: str) -> PhoneNumber:
        """The phone number a user let the mini-program read: the code of the
        `getPhoneNumber` button, exchanged by POST wxa/business/getuserphonenumber (not in
        wechatpy 1.8.18). An invalid or used code is `WeChatCodeRefused`."""
        result = self._with_token(
            lambda: self._client.post(
                "wxa/business/getuserphonenumber",
                api_base_url=self._api_base,
                data={"code": code},
            ),
            refusal=WeChatCodeRefused,
        )
        info = result.get("phone_info") if isinstance(result, dict) else None
        if not isinstance(info, dict) or not info.get("purePhoneNumber"):
            raise WeChatUnavailable(None, "getuserphonenumber gave no phone_info")
        return PhoneNumber(str(info["purePhoneNumber"]), str(info.get("countryCode", "")))

    def send_subscribe_message(
        self, openid: str, template_id: str, data: Mapping[str, str], page: str | None = None
    ) -> None:
        """Send a subscribe message (cgi-bin/message/subscribe/send) through wechatpy.

        `data` maps the template's keys to their values (wrapped as WeChat wants them).
        No credit left is `WeChatNoCredit`; any other refusal (bad template 40037, bad data
        47003, bad openid 40003) is `WeChatError`.
        """
        wrapped = {key: {"value": value} for key, value in data.items()}
        try:
            self._with_token(
                lambda: self._client.wxa.send_subscribe_message(
                    openid, template_id, wrapped, page=page
                )
            )
        except WeChatError as error:
            if error.errcode == NO_CREDIT_ERRCODE:
                raise WeChatNoCredit(error.errcode, error.errmsg) from error
            raise

    def _with_token(self, call: Callable[[], T], refusal: type[WeChatError] = WeChatError) -> T:
        """Run a call that needs the access token; if WeChat refuses the token, retry once.

        Once only: wechatpy's own `auto_retry` recurses without end on a persistent 40001.
        `refusal` is the class of the call's own refusals (e.g. a bad code).
        """
        try:
            token = self._client.access_token
            try:
                return call()
            except WeChatClientException as exc:
                if exc.errcode not in TOKEN_ERRCODES:
                    raise
            self._client.drop_access_token(token)
            return call()
        except WeChatClientException as exc:
            raise _translate(exc, refusal) from exc
        except requests.RequestException as exc:
            raise WeChatUnavailable(None, str(exc)) from exc
        except LockError as exc:
            raise WeChatUnavailable(None, f"access token lock: {exc}") from exc


def _translate(exc: WeChatClientException, refusal: type[WeChatError]) -> WeChatError:
    """Our exception for a wechatpy one; `refusal` is the class of the call's own refusals."""
    if exc.errcode is None:
        # wechatpy wraps an HTTP error status this way.
        status = None if exc.response is None else exc.response.status_code
        if status is not None and status >= 500:
            return WeChatUnavailable(None, f"HTTP {status}")
        return WeChatError(None, f"HTTP {status}")
    errmsg = str(exc.errmsg)
    if exc.errcode == SYSTEM_BUSY_ERRCODE:
        return WeChatUnavailable(exc.errcode, errmsg)
    if exc.errcode in RATE_LIMIT_ERRCODES:
        return WeChatRateLimited(exc.errcode, errmsg)
    return refusal(exc.errcode, errmsg)


def client_from_config(
    config: Mapping[str, Any], redis_client: Any = None
) -> MiniProgramClient | None:
    """The app's client from its Flask config, or None when WeChat is not configured."""
    app_id = config.get("WECHAT_APP_ID")
    app_secret = config.get("WECHAT_APP_SECRET")
    if not app_id or not app_secret:
        return None
    return MiniProgramClient(
        app_id,
        app_secret,
        api_base=config.get("WECHAT_API_BASE") or DEFAULT_API_BASE,
        timeout=float(config.get("WECHAT_TIMEOUT") or 5.0),
        redis_client=redis_client,
    )
