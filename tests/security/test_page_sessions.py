"""#12 item 6: a staff page session ends on the server at log-out, lasts as long as a token,
and its cookie is SameSite=Lax (and Secure, with HSTS, when served over https)."""

import re
import time
from http.cookies import SimpleCookie

from backend import create_app
from backend.extensions import db
from tests.conftest import base_config, build_world, csrf_of, page_log_in


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _replay(app, cookie: str):
    """A fresh browser that presents an old cookie: the home page and the token it mints."""
    thief = app.test_client()
    thief.set_cookie("session", cookie)
    return thief.get("/")


def test_an_old_cookie_opens_nothing_after_log_out(app, client, api, world):
    page_log_in(client, "org-hust")
    cookie = _session_cookie(client)
    home = client.get("/").get_data(as_text=True)
    minted = re.search(r'data-api-token="([^"]+)"', home).group(1)
    assert api.get("/me", minted).status_code == 200
    form = csrf_of(home)
    assert client.post("/logout", data={"csrf": form}).status_code == 302

    replayed = _replay(app, cookie)
    assert replayed.status_code == 302 and "/login" in replayed.headers["Location"]
    assert api.get("/me", minted).status_code == 401  # tokens the session minted died too
    page_log_in(client, "org-hust")  # logging in again works
    assert client.get("/").status_code == 200


def test_a_session_lasts_as_long_as_a_token(app, client, world, monkeypatch):
    page_log_in(client, "org-hust")
    header = next(v for k, v in client.get("/").headers.items() if k == "Set-Cookie")
    morsel = SimpleCookie(header)["session"]
    assert morsel["samesite"] == "Lax" and morsel["httponly"] and not morsel["secure"]
    assert app.permanent_session_lifetime.total_seconds() == 12 * 3600
    cookie = _session_cookie(client)
    later = time.time() + 12 * 3600 + 60
    monkeypatch.setattr(time, "time", lambda: later)
    # even where the cookie's own signature is still accepted, the sign-in time decides
    app.permanent_session_lifetime = app.permanent_session_lifetime * 2
    answer = _replay(app, cookie)
    assert answer.status_code == 302 and "/login" in answer.headers["Location"]


def test_over_https_the_cookie_is_secure_and_hsts_is_sent(database_url, monkeypatch):
    monkeypatch.setenv("HTTPS", "1")
    app = create_app(base_config(database_url))
    build_world(app)
    client = app.test_client()
    page_log_in(client, "org-hust")
    answer = client.get("/")
    with app.app_context():
        db.engine.dispose()
    morsel = SimpleCookie(answer.headers["Set-Cookie"])["session"]
    assert morsel["secure"] and morsel["samesite"] == "Lax"
    assert answer.headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_no_hsts_over_plain_http(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers
