"""A fake WeChat API server on 127.0.0.1, for tests that talk real HTTP to it.

It serves the endpoints our backend uses, checks credentials and access tokens like WeChat, and
can be scripted to answer errors, HTTP failures or nothing at all (see `FakeWeChat.script`).
"""

import io
import secrets
import threading
import time
from collections import defaultdict, deque
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
import qrcode
from flask import Flask, Response, jsonify, request
from werkzeug.serving import make_server

# How long a "hang" answer waits at most; far above any client timeout used in tests.
HANG_SECONDS = 10.0

Answer = dict[str, Any] | int | str

# A subscribe message's `thing` values hold at most 20 characters.
THING_MAX_CHARS = 20


class FakeWeChat:
    """A running fake WeChat server.

    `calls` lists every request as (method, path, data): `data` is the query for GET and the
    query merged with the JSON body for POST, with the path starting with "/". `token_delay`
    slows the token endpoints down, to let concurrent fetches overlap.

    Subscribe messages: `templates` maps the template ids the mini-program has chosen to the
    data keys each one needs; `refusing` holds the openids with no credit left (WeChat answers
    43101); `subscribe_messages` lists the messages delivered, as sent.
    """

    def __init__(self) -> None:
        self.app_id = "wxfake" + secrets.token_hex(6)
        self.app_secret = secrets.token_hex(16)
        self.calls: list[tuple[str, str, dict[str, Any]]] = []
        self.token_delay = 0.0
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._scripts: defaultdict[str, deque[Answer]] = defaultdict(deque)
        self._valid_tokens: set[str] = set()
        self._stable_token: str | None = None
        self._used_codes: set[str] = set()
        self.templates: dict[str, tuple[str, ...]] = {}
        self.refusing: set[str] = set()
        self.subscribe_messages: list[dict[str, Any]] = []
        self._together: threading.Barrier | None = None
        self._together_slots = 0
        self._server = make_server("127.0.0.1", 0, self._make_app(), threaded=True)
        self.base_url = f"http://127.0.0.1:{self._server.server_port}/"
        # A short poll interval keeps stop(), hence each test's teardown, fast.
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self._thread.start()

    def script(self, path: str, *answers: Answer) -> None:
        """Queue answers for `path`, used one per request before the normal behaviour resumes.

        An answer is a dict (sent as JSON, e.g. `{"errcode": 45011, "errmsg": "..."}`), an int
        (an HTTP status with a plain-text body) or "hang" (no answer until past any client
        timeout).
        """
        with self._lock:
            self._scripts["/" + path.lstrip("/")].extend(answers)

    def send_together(self, parties: int) -> None:
        """The next `parties` subscribe messages each wait until all of them have arrived:
        answered at all, they prove that many senders were sending at the same time."""
        with self._lock:
            self._together = threading.Barrier(parties)
            self._together_slots = parties

    def invalidate_tokens(self) -> None:
        """Make every access token issued so far invalid (40001), as a force_refresh would."""
        with self._lock:
            self._valid_tokens.clear()
            self._stable_token = None

    def calls_to(self, path: str) -> list[tuple[str, str, dict[str, Any]]]:
        """The calls made to `path`."""
        path = "/" + path.lstrip("/")
        return [call for call in self.calls if call[1] == path]

    def stop(self) -> None:
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()

    def _make_app(self) -> Flask:
        app = Flask(__name__)

        @app.before_request
        def record_and_script() -> Response | tuple[str, int] | None:
            data: dict[str, Any] = dict(request.args)
            if request.method == "POST":
                data |= request.get_json(force=True, silent=True) or {}
            with self._lock:
                self.calls.append((request.method, request.path, data))
                queue = self._scripts[request.path]
                answer = queue.popleft() if queue else None
            if answer is None:
                return None
            if answer == "hang":
                self._stopping.wait(HANG_SECONDS)
                return _error(-1, "system error")
            if isinstance(answer, int):
                return f"HTTP {answer}", answer
            return jsonify(answer)

        @app.get("/cgi-bin/token")
        def token() -> Response:
            args = request.args
            if args.get("grant_type") != "client_credential":
                return _error(40002, "invalid grant_type")
            return self._credential_error(args) or jsonify(self._issue_token())

        @app.post("/cgi-bin/stable_token")
        def stable_token() -> Response:
            body = request.get_json(force=True, silent=True) or {}
            if body.get("grant_type") != "client_credential":
                return _error(40002, "invalid grant_type")
            force_refresh = bool(body.get("force_refresh"))
            return self._credential_error(body) or jsonify(self._issue_stable_token(force_refresh))

        @app.get("/sns/jscode2session")
        def jscode2session() -> Response:
            args = request.args
            if args.get("grant_type") != "authorization_code":
                return _error(40002, "invalid grant_type")
            if error := self._credential_error(args):
                return error
            code = args.get("js_code", "")
            if not code.startswith("ok-") or len(code) == 3:
                return _error(40029, "invalid code")
            with self._lock:
                if code in self._used_codes:
                    return _error(40163, "code been used")
                self._used_codes.add(code)
            return jsonify(openid=f"openid-{code[3:]}", session_key=secrets.token_urlsafe(16))

        @app.post("/wxa/getwxacodeunlimit")
        def getwxacodeunlimit() -> Response:
            if error := self._token_error():
                return error
            body = request.get_json(force=True, silent=True) or {}
            scene = body.get("scene")
            if not isinstance(scene, str) or not 0 < len(scene) <= 32:
                return _error(40169, "invalid length for scene, or the data is not json string")
            page = body.get("page")
            if page is not None and (page.startswith("/") or "?" in page):
                return _error(41030, "invalid page")
            image = qrcode.make(f"{page or ''}?scene={scene}").get_image()
            width = int(body.get("width", 430))
            buffer = io.BytesIO()
            image.resize((width, width)).save(buffer, format="PNG")
            return Response(buffer.getvalue(), mimetype="image/png")

        @app.post("/wxa/business/getuserphonenumber")
        def getuserphonenumber() -> Response:
            if error := self._token_error():
                return error
            body = request.get_json(force=True, silent=True) or {}
            code = str(body.get("code", ""))
            digits = code.removeprefix("phone-")
            if digits == code or not digits.isdigit():
                return _error(40029, "invalid code")
            with self._lock:
                if code in self._used_codes:
                    return _error(40163, "code been used")
                self._used_codes.add(code)
            return jsonify(
                errcode=0,
                errmsg="ok",
                phone_info={
                    "phoneNumber": digits,
                    "purePhoneNumber": digits,
                    "countryCode": "86",
                    "watermark": {"timestamp": int(time.time()), "appid": self.app_id},
                },
            )

        @app.post("/cgi-bin/message/subscribe/send")
        def subscribe_send() -> Response:
            if error := self._token_error():
                return error
            body = request.get_json(force=True, silent=True) or {}
            if not self._wait_together():
                return _error(-1, "system error")
            return self._subscribe_error(body) or self._deliver(body)

        return app

    def _wait_together(self) -> bool:
        with self._lock:
            barrier = self._together if self._together_slots > 0 else None
            self._together_slots -= 1
        if barrier is None:
            return True
        try:
            barrier.wait(HANG_SECONDS)
        except threading.BrokenBarrierError:
            return False
        return True

    def _subscribe_error(self, body: Mapping[str, Any]) -> Response | None:
        """WeChat's refusals of subscribeMessage.send, checked in its order."""
        touser = body.get("touser")
        if not isinstance(touser, str) or not touser:
            return _error(40003, "invalid openid")
        keys = self.templates.get(str(body.get("template_id")))
        if keys is None:
            return _error(40037, "invalid template_id")
        data = body.get("data")
        if not isinstance(data, dict):
            return _error(47003, "argument invalid! data is not json")
        for key in keys:
            value = (data.get(key) or {}).get("value") if isinstance(data.get(key), dict) else None
            if not isinstance(value, str) or not value:
                return _error(47003, f"argument invalid! data.{key}.value empty")
            if key.startswith("thing") and len(value) > THING_MAX_CHARS:
                return _error(47003, f"argument invalid! data.{key}.value too long")
        with self._lock:
            if touser in self.refusing:
                return _error(43101, "user refuse to accept the msg")
        return None

    def _deliver(self, body: dict[str, Any]) -> Response:
        with self._lock:
            self.subscribe_messages.append(body)
        return _error(0, "ok")

    def _credential_error(self, data: Mapping[str, Any]) -> Response | None:
        if data.get("appid") != self.app_id:
            return _error(40013, "invalid appid")
        if data.get("secret") != self.app_secret:
            return _error(40125, "invalid appsecret")
        return None

    def _issue_token(self) -> dict[str, Any]:
        """A new token for cgi-bin/token; the older ones stay valid, like WeChat's overlap."""
        time.sleep(self.token_delay)
        with self._lock:
            token = "token-" + secrets.token_hex(8)
            self._valid_tokens.add(token)
        return {"access_token": token, "expires_in": 7200}

    def _issue_stable_token(self, force_refresh: bool) -> dict[str, Any]:
        """stable_token's token: the same one until it is forced, invalidated or never issued."""
        time.sleep(self.token_delay)
        with self._lock:
            if force_refresh or self._stable_token is None:
                self._stable_token = "stable-" + secrets.token_hex(8)
                self._valid_tokens.add(self._stable_token)
            return {"access_token": self._stable_token, "expires_in": 7200}

    def _token_error(self) -> Response | None:
        token = request.args.get("access_token")
        if not token:
            return _error(41001, "access_token missing")
        with self._lock:
            if token not in self._valid_tokens:
                return _error(40001, "invalid credential, access_token is invalid or not latest")
        return None


def _error(errcode: int, errmsg: str) -> Response:
    return jsonify(errcode=errcode, errmsg=errmsg)


@pytest.fixture
def fake_wechat() -> Iterator[FakeWeChat]:
    """A fake WeChat server for one test."""
    fake = FakeWeChat()
    try:
        yield fake
    finally:
        fake.stop()
