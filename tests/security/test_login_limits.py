"""#12 items 4 and 5: rate limits key on the real client behind a configured proxy only, count
the username as the lookup sees it, cover the page log-in and password changes, and keep
counting in memory when Redis is down."""

import pytest

from backend import create_app
from backend.extensions import db, limiter
from tests.conftest import base_config, build_world, csrf_of
from tests.servers import free_port


def _login(api, username, password="wrong", address=None):
    headers = {"X-Forwarded-For": address} if address else {}
    return api.post(
        "/auth/login", json={"username": username, "password": password}, headers=headers
    )


@pytest.mark.parametrize(
    "spoofed", [" org-hust", "org-hust\u200b", "ｏｒｇ-ｈｕｓｔ", "\u2066org-hust"]
)
def test_a_disguised_username_counts_against_the_account(api, world, spoofed):
    statuses = [_login(api, spoofed if i % 2 else "org-hust").status_code for i in range(12)]
    assert statuses == [401] * 10 + [429] * 2
    assert _login(api, "org-hust", "org-hust-password").status_code == 429
    assert _login(api, "admin", "admin-password").status_code == 200


def test_a_disguised_username_logs_in_as_the_account(api, world):
    answer = _login(api, " org-hust\u200b", "org-hust-password")
    assert answer.status_code == 200 and answer.json["role"] == "organizer"


def _page_login(client, username, password="wrong"):
    form = client.get("/login").get_data(as_text=True)
    return client.post(
        "/login", data={"username": username, "password": password, "csrf": csrf_of(form)}
    )


def test_the_page_log_in_shares_the_per_account_limit(client, api, world):
    assert [_login(api, "org-hust").status_code for _ in range(4)] == [401] * 4
    statuses = [_page_login(client, "org-hust\u200b").status_code for _ in range(7)]
    assert statuses == [401] * 6 + [429]
    assert _login(api, "org-hust", "org-hust-password").status_code == 429
    assert _page_login(client, "admin", "admin-password").status_code == 302


def test_wrong_old_passwords_are_limited_and_right_ones_are_not_counted(api, world):
    def change(old):
        return api.put(
            "/me/password",
            world.organizer,
            json={"old_password": old, "new_password": "a-new-password"},
        )

    assert [change(f"guess-{i}").status_code for i in range(6)] == [401] * 5 + [429]
    assert change("org-hust-password").status_code == 429  # even the right one, for now
    other = api.put(
        "/me/password",
        world.admin,
        json={"old_password": "admin-password", "new_password": "another-password"},
    )
    assert other.status_code == 200


def test_limits_go_on_counting_in_memory_when_redis_is_down(database_url, monkeypatch):
    # the limiter is one object per process: its "storage dead" state must not outlive the test
    monkeypatch.setattr(limiter, "_storage_dead", False)
    dead_redis = f"redis://127.0.0.1:{free_port()}/0"
    config = {**base_config(database_url), "RATELIMIT_STORAGE_URI": dead_redis}
    app = create_app(config)
    build_world(app)
    client = app.test_client()
    statuses = [
        client.post(
            "/api/v1/auth/login", json={"username": "org-hust", "password": "x"}
        ).status_code
        for _ in range(12)
    ]
    with app.app_context():
        db.engine.dispose()
    assert statuses == [401] * 10 + [429] * 2


def _proxied_app(database_url, allow):
    app = create_app({**base_config(database_url), "FORWARDED_ALLOW_IPS": allow})
    app.config["LOGIN_ACCOUNT_LIMIT"] = "1000/minute"
    app.config["LOGIN_IP_LIMIT"] = "3/minute"
    return app


def _statuses(app, addresses):
    client = app.test_client()
    return [
        client.post(
            "/api/v1/auth/login",
            json={"username": f"nobody{i}", "password": "x"},
            headers={"X-Forwarded-For": address},
        ).status_code
        for i, address in enumerate(addresses)
    ]


def test_clients_behind_a_configured_proxy_get_buckets_of_their_own(database_url):
    app = _proxied_app(database_url, "10.0.0.9, 127.0.0.1")
    statuses = _statuses(app, ["203.0.113.1"] * 4 + ["203.0.113.2"] * 3)
    # the proxy appends the real peer; a client's own X-Forwarded-For entries are not used
    forged = _statuses(app, ["198.51.100.7, 203.0.113.1"])
    with app.app_context():
        db.engine.dispose()
    assert statuses == [401, 401, 401, 429, 401, 401, 401]
    assert forged == [429]


def test_x_forwarded_for_is_ignored_unless_the_peer_is_a_configured_proxy(database_url):
    app = _proxied_app(database_url, "10.0.0.9")
    statuses = _statuses(app, ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"])
    with app.app_context():
        db.engine.dispose()
    assert statuses == [401, 401, 401, 429]


def test_a_refused_log_in_says_when_to_retry_and_answers_carry_no_limit_headers(api, world):
    answers = [_login(api, "org-hust") for _ in range(11)]
    assert [a.status_code for a in answers] == [401] * 10 + [429]
    assert 1 <= int(answers[-1].headers["Retry-After"]) <= 60
    assert answers[-1].json["error"] == "rate_limited"
    assert not any(h.startswith("X-RateLimit") for a in answers for h, _ in a.headers)
