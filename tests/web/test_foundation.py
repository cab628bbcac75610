"""The console's foundation: CSRF on every page post, the header, the log-in form, the
vendored htmx under a strict CSP."""

from backend.auth.models import User
from backend.extensions import db
from tests.conftest import csrf_of, page_log_in


def test_a_page_post_without_the_csrf_token_is_refused(client, world):
    page_log_in(client, "org-hust")
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200  # still logged in
    token = csrf_of(client.get("/").get_data(as_text=True))
    assert client.post("/logout", headers={"X-CSRF-Token": token}).status_code == 302


def test_a_wrong_password_keeps_the_user_name(client, world):
    form = client.get("/login").get_data(as_text=True)
    page = client.post(
        "/login", data={"username": "org-hust", "password": "wrong", "csrf": csrf_of(form)}
    )
    html = page.get_data(as_text=True)
    assert page.status_code == 401
    assert "用户名或密码错误" in html and 'value="org-hust"' in html


def test_the_header_shows_the_persons_name_and_unit(app, client, world):
    with app.app_context():
        user = db.session.scalar(db.select(User).where(User.username == "org-hust"))
        user.full_name = "张晓梅"
        db.session.commit()
    page_log_in(client, "org-hust")
    header = client.get("/").get_data(as_text=True).split("</header>")[0]
    assert "张晓梅" in header and "华中科技大学" in header and "org-hust" not in header


def test_htmx_is_served_by_the_app_under_a_strict_csp(client, world):
    page_log_in(client, "org-hust")
    page = client.get("/")
    csp = page.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "script-src 'self'" in csp
    html = page.get_data(as_text=True)
    assert '"includeIndicatorStyles": false' in html
    assert client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
