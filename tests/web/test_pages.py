"""Staff pages: log-in with a session cookie, security headers, safe redirects."""

from tests.conftest import csrf_of


def _csrf(page) -> str:
    return csrf_of(page.get_data(as_text=True))


def test_pages_need_a_log_in_and_keep_the_target(client, world):
    response = client.get("/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/"


def test_log_in_then_home_lists_the_own_units_classes(client, world):
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "org-hust",
            "password": "org-hust-password",
            "csrf": _csrf(form),
            "next": "/",
        },
    )
    assert response.status_code == 302
    home = client.get("/").get_data(as_text=True)
    assert "区块链技术数字化工程师高级研修班" in home
    assert 'data-api-token="' in home


def test_other_units_organizer_sees_none_of_its_classes(client, world):
    form = client.get("/login")
    client.post(
        "/login", data={"username": "org-whu", "password": "org-whu-password", "csrf": _csrf(form)}
    )
    assert "区块链技术数字化工程师高级研修班" not in client.get("/").get_data(as_text=True)


def test_wrong_password_and_missing_csrf_are_refused(client, world):
    form = client.get("/login")
    wrong = client.post(
        "/login", data={"username": "org-hust", "password": "x", "csrf": _csrf(form)}
    )
    assert wrong.status_code == 401 and "用户名或密码错误" in wrong.get_data(as_text=True)
    no_csrf = client.post("/login", data={"username": "org-hust", "password": "org-hust-password"})
    assert no_csrf.status_code == 400


def test_log_in_never_redirects_to_another_site(client, world):
    form = client.get("/login")
    response = client.post(
        "/login",
        data={
            "username": "org-hust",
            "password": "org-hust-password",
            "csrf": _csrf(form),
            "next": "//evil.example/",
        },
    )
    assert response.headers["Location"] == "/"


def test_pages_carry_security_headers(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True)
