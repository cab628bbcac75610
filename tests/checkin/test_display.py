"""The projector page in headless Chromium against a real server: log in, watch it rotate
and count."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from backend.checkin.logic import window_opens
from backend.classes.models import ClassStatus, Session, TrainingClass
from backend.core.timeutil import to_china
from backend.extensions import db
from tests.checkin.helpers import add_session, make_online, set_class, unapprove
from tests.conftest import PATIENCE, check_in, page_log_in
from tests.servers import AppServer

pytestmark = pytest.mark.slow


@pytest.fixture
def server(app, database_url, world):
    set_class(app, world, code_rotate_seconds=2)
    with AppServer(database_url, workers=2) as running:
        yield running


def open_display(browser, server, path: str):
    """Log in through the form as the organizer, landing on the page."""
    page = browser.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{server.url}{path}")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.fill("input[name=username]", "org-hust")
    page.fill("input[name=password]", "org-hust-password")
    page.click("button[type=submit]")
    expect(page).to_have_url(f"{server.url}{path}")
    return page, errors


def test_the_projector_rotates_its_code_and_counts_arrivals(api, browser, server, world):
    page, errors = open_display(browser, server, f"/display/sessions/{world.session_ids[0]}")
    expect(page.locator("#class-title")).to_have_text("区块链技术数字化工程师高级研修班")
    expect(page.locator("#session-title")).to_contain_text("专题1")
    code = page.locator("#code")
    expect(code).to_have_text(re.compile(r"^\d{6}$"))
    first = code.text_content()
    expect(page.locator("#qr")).to_have_attribute("src", re.compile(r"^blob:"))
    loaded = "() => document.querySelector('#qr').complete && document.querySelector('#qr').naturalWidth > 0"
    page.wait_for_function(loaded, timeout=PATIENCE * 1000)  # the image itself, decoded
    expect(code).not_to_have_text(first, timeout=PATIENCE * 1000)  # rotates every 2 s

    expect(page.locator("#enrolled")).to_have_text("5")
    expect(page.locator("#checked-in")).to_have_text("0")
    enrollment_id = next(iter(world.trainees))
    check_in(api, world, enrollment_id)
    expect(page.locator("#checked-in")).to_have_text("1", timeout=PATIENCE * 1000)
    expect(page.locator("#recent li")).to_have_text([f"学员{enrollment_id}"])
    assert errors == []


def test_the_online_variant_counts_online_trainees(app, api, browser, server, world):
    onsite_id, online_id = list(world.trainees)[:2]
    make_online(app, online_id)
    page, errors = open_display(
        browser, server, f"/display/sessions/{world.session_ids[0]}?mode=online"
    )
    expect(page.locator(".mode")).to_have_text("线上参训学员签到")
    expect(page.locator("#enrolled")).to_have_text("1")
    check_in(api, world, onsite_id)  # onsite: not on this screen
    check_in(api, world, online_id, mode="online")
    expect(page.locator("#checked-in")).to_have_text("1", timeout=PATIENCE * 1000)
    expect(page.locator("#recent li")).to_have_text([f"学员{online_id}"])
    assert errors == []


def test_another_units_organizer_cannot_open_the_page(client, world):
    page_log_in(client, "org-whu")
    assert client.get(f"/display/sessions/{world.session_ids[0]}").status_code == 404
    assert client.get("/display/sessions/999999").status_code == 404


def test_the_page_warns_while_the_class_is_not_approved(app, client, world):
    page_log_in(client, "org-hust")
    path = f"/display/sessions/{world.session_ids[0]}"
    assert "尚未审核通过" not in client.get(path).get_data(as_text=True)
    unapprove(app, world)
    page = client.get(path)
    assert page.status_code == 200 and "尚未审核通过" in page.get_data(as_text=True)
    assert "<script>" not in page.get_data(as_text=True)


def _screen(client, session_id: int) -> str:
    page = client.get(f"/display/sessions/{session_id}")
    assert page.status_code == 200
    return page.get_data(as_text=True)


def test_the_live_code_shows_only_while_check_in_is_open(app, client, world):
    """Before the window: when it opens; after the session or the class: why not; never the
    false 尚未审核通过 on an approved or closed class."""
    page_log_in(client, "org-hust")
    running = _screen(client, world.session_ids[0])
    assert 'id="qr"' in running and 'data-state="open"' in running
    with app.app_context():
        later = db.session.get(Session, world.session_ids[1])
        minutes = db.session.get(TrainingClass, world.class_id).checkin_opens_before_min
    opens = to_china(window_opens(later.starts_at, minutes)).strftime("%H:%M")
    before = _screen(client, later.id)
    assert f"签到未开始（{opens} 开放）" in before and 'id="qr"' not in before
    ended = _screen(client, add_session(app, world, timedelta(hours=-3), timedelta(hours=1)))
    assert "本次课程已结束" in ended and 'id="qr"' not in ended
    set_class(app, world, status=ClassStatus.CLOSED)
    closed = _screen(client, world.session_ids[0])
    assert "已结班" in closed and 'id="qr"' not in closed
    for page in (running, before, ended, closed):
        assert "尚未审核通过" not in page
